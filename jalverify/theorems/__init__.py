"""Theorem checks: pure functions ``check_<name>(...) -> Verdict`` with dotted ids, and their registry.

No Hypothesis and no pytest here: the strategies that generate cases live in :mod:`jalverify.strategies`, the
runner in :mod:`jalverify.reports.runner`, the pytest suites in ``properties/``.  :func:`load_all` imports
every family module so :data:`THEOREMS` is complete.
"""

from jalverify.theorems.registry import (
    EXTRA_SUITE_MODULES,
    HOLDS,
    REFUTED_AS_EXPECTED,
    THEOREMS,
    Theorem,
    load_all,
    register,
    select,
    theorem,
)

__all__ = [
    "EXTRA_SUITE_MODULES",
    "HOLDS",
    "REFUTED_AS_EXPECTED",
    "THEOREMS",
    "Theorem",
    "load_all",
    "register",
    "select",
    "theorem",
]
