"""Hypothesis settings profiles shipped with the library.

* ``quick`` (default): 25 examples per property test, no deadline; CI-sized.
* ``thorough``: 1000 examples per property, no deadline; for long runs.

``jalverify verify`` spends its own budget per theorem (:data:`VERIFY_EXAMPLES`: 100 with ``--profile quick``,
within about a minute on two cores; 1000 with ``thorough``): the main job checks each theorem once, while the
property suites under pytest run the quick profile on every test, many per theorem, in every CI run.

Load one with ``HYPOTHESIS_PROFILE=thorough pytest`` or ``pytest --hypothesis-profile=thorough``; the root
``conftest.py`` calls :func:`register_profiles` and loads ``$HYPOTHESIS_PROFILE`` (default ``quick``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["PROFILES", "VERIFY_EXAMPLES", "load_profile", "profile_settings", "register_profiles"]

#: Examples per property for each profile.
PROFILES: dict[str, int] = {"quick": 25, "thorough": 1000}

#: Examples per theorem of ``jalverify verify --profile NAME`` (the main job), for each profile.
VERIFY_EXAMPLES: dict[str, int] = {"quick": 100, "thorough": 1000}

_SUPPRESS = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def register_profiles() -> None:
    """Register ``quick`` and ``thorough`` with Hypothesis (idempotent)."""
    for name, examples in PROFILES.items():
        settings.register_profile(name, max_examples=examples, deadline=None, suppress_health_check=_SUPPRESS)


def profile_settings(name: str) -> settings:
    """The :class:`hypothesis.settings` object of a registered profile."""
    if name not in PROFILES:
        from jalverify.errors import UnknownName

        raise UnknownName(f"profile_settings(): unknown Hypothesis profile {name!r}; profiles are {sorted(PROFILES)}")
    register_profiles()
    return settings.get_profile(name)


def load_profile(name: str | None = None) -> str:
    """Register the profiles and load ``name`` (default ``$HYPOTHESIS_PROFILE`` or ``quick``); returns it."""
    register_profiles()
    chosen = name or os.environ.get("HYPOTHESIS_PROFILE", "quick")
    settings.load_profile(chosen)
    return chosen
