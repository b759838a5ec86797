"""pytest plugin (``pytest11`` entry point ``jalverify``): validate a target from the command line.

::

    pytest --jalverify-target=pkg.mod:MySolver            # or file.py:obj, or a built-in adapter name
    pytest --jalverify-target=nashpy.support_enumeration --jalverify-profile=thorough

Every check that applies to the target (by its declared capabilities) becomes one test item named
``jalverify[<target>::<check id>]``; a refuted check fails with the grouped violation message, the minimal
exact game and a replay command.  Options: ``--jalverify-target`` (repeatable), ``--jalverify-profile``
(quick/thorough), ``--jalverify-max-examples``, ``--jalverify-seed``, ``--jalverify-time-limit``,
``--jalverify-reports-dir``, ``--jalverify-check-time-limit``, and the target's limits ``--jalverify-min-actions``,
``--jalverify-max-actions``, ``--jalverify-square-only``, ``--jalverify-players``, ``--jalverify-zero-sum-only``
(as ``jalverify validate``).  With a target given, only these items run unless ``--jalverify-keep-tests`` is
passed.

The module imports nothing heavy at import time (pytest loads it for every run once jalverify is installed);
jalverify's validation machinery is imported inside the hooks, only when a target is given.
"""

from __future__ import annotations

from typing import Any

import pytest

from jalverify.verdicts import Status

__all__ = ["pytest_addoption", "pytest_collection_modifyitems", "JalverifyItem"]


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("jalverify", "validate a solver / learner with jalverify")
    group.addoption("--jalverify-target", action="append", default=[], metavar="REF",
                    help="validate REF (pkg.mod:obj, file.py:obj, built-in adapter or entry-point name); repeatable")
    group.addoption("--jalverify-profile", choices=("quick", "thorough"), default="quick",
                    help="examples per check: quick 25, thorough 300")
    group.addoption("--jalverify-max-examples", type=int, default=None, help="examples per check (overrides profile)")
    group.addoption("--jalverify-seed", type=int, default=None, help="Hypothesis seed")
    group.addoption("--jalverify-time-limit", type=float, default=10.0, help="seconds per call into the target")
    group.addoption("--jalverify-reports-dir", default=None, help="write counterexample reports here")
    group.addoption("--jalverify-min-actions", type=int, default=None, metavar="N",
                    help="send only games with at least N actions per player (a limit of the target)")
    group.addoption("--jalverify-max-actions", type=int, default=None, metavar="N",
                    help="send only games with at most N actions per player")
    group.addoption("--jalverify-square-only", action="store_true", help="send only square games")
    group.addoption("--jalverify-players", type=int, default=None, metavar="N", help="send only N-player games")
    group.addoption("--jalverify-zero-sum-only", action="store_true", help="send only two-player zero-sum games")
    group.addoption("--jalverify-check-time-limit", type=float, default=None, metavar="SECONDS",
                    help="wall-clock budget per check (default by profile)")
    group.addoption("--jalverify-keep-tests", action="store_true",
                    help="also run the collected tests when a target is given")


class JalverifyItem(pytest.Item):
    """One check of one target."""

    def __init__(self, *, target: str, check: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.check = check
        self.result: Any = None

    def runtest(self) -> None:
        from jalverify.validation import validate

        opts = self.config.option
        self.result = validate(self.target, profile=opts.jalverify_profile, max_examples=opts.jalverify_max_examples,
                               seed=opts.jalverify_seed, time_limit=opts.jalverify_time_limit,
                               report_dir=opts.jalverify_reports_dir, checks=[self.check],
                               check_time_limit=opts.jalverify_check_time_limit, **_limits(self.config))
        outcomes = [o for o in self.result.outcomes if o.check == self.check]
        if self.result.refuted:
            raise _Violation(self.result.assertion_message())
        failed = [o for o in outcomes if o.status is Status.ERROR]
        if failed:  # jalverify itself failed: the item fails too (an error is never a pass), said to be ours
            raise _CheckFailed("; ".join(f"{o.check}: {o.message}" for o in failed))
        for outcome in outcomes:
            self.user_properties.append(("jalverify", f"{outcome.status.value}: {outcome.message}"))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, (_Violation, _CheckFailed)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"jalverify {self.target} :: {self.check}"


def _limits(config: Any) -> dict[str, Any]:
    """The target limits given on the pytest command line, as :func:`jalverify.validation.validate` takes them."""
    return {"min_actions": config.getoption("jalverify_min_actions"),
            "max_actions": config.getoption("jalverify_max_actions"),
            "square_only": config.getoption("jalverify_square_only"),
            "players": config.getoption("jalverify_players"),
            "zero_sum_only": config.getoption("jalverify_zero_sum_only")}


class _Violation(AssertionError):
    """A refuted check (the message lists the violations)."""


class _CheckFailed(Exception):
    """jalverify itself failed in a check (its own solver or reference): nothing is claimed about the target."""

    def __str__(self) -> str:
        return f"jalverify error (a failure of jalverify, not a finding about the target): {self.args[0]}"


def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    targets = config.getoption("jalverify_target")
    if not targets:
        return
    from jalverify.validation.runner import IsolatedTarget
    from jalverify.validation.suite import checks_for

    new_items = []
    for target in targets:
        with IsolatedTarget(target, time_limit=config.getoption("jalverify_time_limit")) as isolated:
            caps = isolated.capabilities.restricted(**_limits(config))
            check_ids = [c.id for c in checks_for(isolated, capabilities=caps)]
        for check in check_ids:
            new_items.append(JalverifyItem.from_parent(session, name=f"jalverify[{target}::{check}]",
                                                       target=target, check=check))
    if not config.getoption("jalverify_keep_tests"):
        if items:
            config.hook.pytest_deselected(items=list(items))
        items[:] = []
    items.extend(new_items)
