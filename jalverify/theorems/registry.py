"""The registry of checkable claims.

A :class:`Theorem` couples a dotted id (``"minimax.theorem"``), the claim in words, whether the claim is
expected to hold or to be refuted (a claim from the seed notes that is false in general, kept to document the
counterexample), the pure check function (returns a :class:`~jalverify.verdicts.Verdict`), the name of the case
strategy that generates its arguments (:data:`jalverify.strategies.CASES`; the theorem layer never imports
Hypothesis), and the citation.

Suites slot in by registering: define checks in a module under :mod:`jalverify.theorems` (every module there
is imported by :func:`load_all`) or anywhere else, and call :func:`register` / use :func:`theorem`.

Optional requirements (``requires=``) are for third-party modules only (e.g. a peer library): a theorem whose
third-party module is missing becomes an ERROR row of ``jalverify verify`` naming the module.  jalverify's own
modules are never optional: :func:`register` imports every ``jalverify.*`` name in ``requires`` at once, so a
missing one fails the import of the suite (a bug that surfaces, never a skipped check), and keeps only the
third-party names.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import importlib.util
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from jalverify.errors import InternalError, UnknownName
from jalverify.verdicts import Verdict

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

HOLDS = "holds"
REFUTED_AS_EXPECTED = "refuted-as-expected"
Expected = Literal["holds", "refuted-as-expected"]


@dataclass(frozen=True)
class Theorem:
    """A claim that can be checked on generated cases.

    Attributes
    ----------
    id : str
        Dotted id; the property test is ``test_<id with dots as underscores>``.
    claim : str
        The claim, stated so that a REFUTED verdict means "this sentence is false on the witness".
    expected : {"holds", "refuted-as-expected"}
    check : callable
        ``check(*case) -> Verdict``; pure (no Hypothesis, no pytest).
    strategy : str
        Name of the case strategy in :data:`jalverify.strategies.CASES`.
    citation : str
    requires : tuple of str
        Third-party modules the check needs; when one cannot be imported the theorem is reported as an error
        naming it.  ``jalverify.*`` modules are imported by :func:`register` and dropped from this tuple.
    known_counterexample : callable or None
        For refuted-as-expected claims: returns a case tuple that refutes the claim (a literature example).
    slow : bool
        A check that costs a large fraction of a second per case or more (a learning run, an exact search):
        ``jalverify verify`` starts the slow theorems first when they run on several workers, so the workers
        finish together.  A scheduling hint only; it changes no verdict.
    """

    id: str
    claim: str
    expected: Expected
    check: Callable[..., Verdict]
    strategy: str
    citation: str
    requires: tuple[str, ...] = ()
    known_counterexample: Callable[[], tuple[Any, ...]] | None = field(default=None)
    slow: bool = False

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def test_name(self) -> str:
        return "test_" + self.id.replace(".", "_")

    def missing_requirements(self) -> tuple[str, ...]:
        """Required (third-party) modules that cannot be imported."""
        missing = []
        for module in self.requires:
            try:
                found = importlib.util.find_spec(module) is not None
            except ModuleNotFoundError:
                found = False
            if not found:
                missing.append(module)
        return tuple(missing)


#: Every registered theorem, by id.
THEOREMS: dict[str, Theorem] = {}

#: Modules outside :mod:`jalverify.theorems` whose import registers more theorems (e.g. learner suites).
EXTRA_SUITE_MODULES: list[str] = []


def _is_own_module(name: str) -> bool:
    return name == "jalverify" or name.startswith("jalverify.")


def register(item: Theorem) -> Theorem:
    """Add a theorem and return it as stored.

    Every ``jalverify.*`` module named in ``item.requires`` is imported here (our own modules are not optional)
    and dropped from the stored ``requires``.

    Raises
    ------
    InternalError
        ``expected`` is not ``"holds"`` / ``"refuted-as-expected"``, or the id is already registered with another
        check (a bug in the registering suite).
    ModuleNotFoundError
        A ``jalverify.*`` module in ``requires`` does not exist (a bug: it must surface, not skip the theorem).
    """
    if item.expected not in (HOLDS, REFUTED_AS_EXPECTED):
        raise InternalError(f"register(): theorem {item.id!r} has expected={item.expected!r}; "
                            f"use {HOLDS!r} or {REFUTED_AS_EXPECTED!r}")
    old = THEOREMS.get(item.id)
    if old is not None and old.check is not item.check:
        raise InternalError(f"register(): theorem id {item.id!r} is already registered by {old.check.__module__}."
                            f"{old.check.__qualname__}; {item.check.__module__}.{item.check.__qualname__} cannot "
                            f"register it again")
    own = [m for m in item.requires if _is_own_module(m)]
    for module in own:
        importlib.import_module(module)
    if own:
        item = dataclasses.replace(item, requires=tuple(m for m in item.requires if not _is_own_module(m)))
    THEOREMS[item.id] = item
    return item


def theorem(id: str, *, claim: str, strategy: str, citation: str, expected: Expected = HOLDS,
            requires: tuple[str, ...] = (),
            known_counterexample: Callable[[], tuple[Any, ...]] | None = None,
            slow: bool = False) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Decorator form of :func:`register` for a check function."""

    def decorate(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
        register(Theorem(id, claim, expected, check, strategy, citation, requires, known_counterexample, slow))
        check.theorem_id = id  # type: ignore[attr-defined]
        return check

    return decorate


def load_all() -> dict[str, Theorem]:
    """Import every module of :mod:`jalverify.theorems` and of :data:`EXTRA_SUITE_MODULES`; return THEOREMS."""
    import jalverify.theorems as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_") and info.name != "registry":
            importlib.import_module(f"{package.__name__}.{info.name}")
    for module in EXTRA_SUITE_MODULES:
        importlib.import_module(module)
    return THEOREMS


def select(pattern: str | None = None) -> list[Theorem]:
    """Theorems whose id matches the glob ``pattern`` (all when ``None``), sorted by id.

    Raises
    ------
    UnknownName
        No theorem matches.
    """
    load_all()
    chosen = [t for tid, t in sorted(THEOREMS.items()) if pattern is None or fnmatch.fnmatchcase(tid, pattern)]
    if not chosen:
        raise UnknownName(f"select(): no theorem matches {pattern!r}; ids are {sorted(THEOREMS)}")
    return chosen
