"""Budgets for long computations: wall-clock seconds, iterations and the bit size of exact numbers.

Exact iterative methods on rational data can run for ever: with an irrational answer the iterates of an exact
policy iteration never reach a fixed point and their denominators grow at every step (theory.md §9), so each
step costs more than the last.  A :class:`Budget` states what a computation may spend; its running form, a
:class:`Clock` started with :meth:`Budget.start`, is consulted inside the loops and raises
:class:`~jalverify.errors.BudgetExceeded` (naming the budget, the computation and how far it got) when any
limit is hit.  Callers that judge a claim report that as "not established", never as a result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jalverify.errors import BudgetExceeded, InvalidNumber

__all__ = ["UNLIMITED", "Budget", "Clock", "bit_size", "start_clock"]


def bit_size(values: Iterable[Any]) -> int:
    """The largest bit length of a numerator or denominator among ``values`` (0 for floats and an empty input).

    Only :class:`~fractions.Fraction` and ``int`` entries count: they are the exact numbers whose size grows.
    """
    worst = 0
    for v in values:
        if isinstance(v, Fraction):
            worst = max(worst, v.numerator.bit_length(), v.denominator.bit_length())
        elif isinstance(v, int):
            worst = max(worst, v.bit_length())
    return worst


@dataclass(frozen=True)
class Budget:
    """What a computation may spend.  ``None`` means no limit of that kind.

    Parameters
    ----------
    seconds : float or None
        Wall-clock seconds from :meth:`start`.
    max_iterations : int or None
        Iterations of the method's main loop (each method says what one iteration is).
    max_bits : int or None
        Largest bit length of a numerator or denominator of an exact iterate.
    """

    seconds: float | None = None
    max_iterations: int | None = None
    max_bits: int | None = None

    def __post_init__(self) -> None:
        if self.seconds is not None and not (isinstance(self.seconds, (int, float)) and math.isfinite(self.seconds)
                                             and self.seconds >= 0):
            raise InvalidNumber(f"Budget(): seconds must be a finite number >= 0, got {self.seconds!r}")
        for name in ("max_iterations", "max_bits"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int) and value >= 1):
                raise InvalidNumber(f"Budget(): {name} must be an int >= 1, got {value!r}")

    def start(self, what: str) -> Clock:
        """A running clock for the computation ``what`` (named in every BudgetExceeded message)."""
        return Clock(self, what)

    def describe(self) -> str:
        """``"10 s, 100 iterations, 4096 bits"`` (only the limits that are set)."""
        parts = []
        if self.seconds is not None:
            parts.append(f"{self.seconds:g} s")
        if self.max_iterations is not None:
            parts.append(f"{self.max_iterations} iterations")
        if self.max_bits is not None:
            parts.append(f"{self.max_bits} bits per exact number")
        return ", ".join(parts) if parts else "unlimited"


#: No limit of any kind (the solvers' default when no budget is given).
UNLIMITED = Budget()


class Clock:
    """A started :class:`Budget`: ``check()`` inside loops raises BudgetExceeded once a limit is reached."""

    def __init__(self, budget: Budget, what: str, *, deadline: float | None = None) -> None:
        self.budget = budget
        self.what = what
        self.started = time.monotonic()
        own = None if budget.seconds is None else self.started + float(budget.seconds)
        self.deadline = own if deadline is None else (deadline if own is None else min(own, deadline))
        self.parent_seconds: float | None = None  # the enclosing budget's seconds, for messages

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float | None:
        """Seconds left (``None``: no time limit)."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def check(self, where: str = "") -> None:
        """Raise BudgetExceeded if the time is up."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            own = self.budget.seconds
            if own is not None and (self.parent_seconds is None or own <= self.parent_seconds):
                limit = f"time budget of {own:g} s"
            else:
                limit = f"enclosing time budget of {self.parent_seconds:g} s"
            raise BudgetExceeded(f"{self.what}: {limit} ran out after {self.elapsed():.2f} s"
                                 + (f" ({where})" if where else ""))

    def check_iteration(self, iteration: int) -> None:
        """Raise BudgetExceeded if ``iteration`` (1-based) is beyond the iteration budget, or the time is up."""
        if self.budget.max_iterations is not None and iteration > self.budget.max_iterations:
            raise BudgetExceeded(f"{self.what}: iteration budget of {self.budget.max_iterations} ran out")
        self.check(f"iteration {iteration}")

    def check_bits(self, values: Iterable[Any], where: str = "") -> None:
        """Raise BudgetExceeded if an exact number among ``values`` is longer than ``max_bits``."""
        if self.budget.max_bits is None:
            return
        bits = bit_size(values)
        if bits > self.budget.max_bits:
            raise BudgetExceeded(f"{self.what}: size budget of {self.budget.max_bits} bits per exact number ran out "
                                 f"(an iterate has {bits} bits" + (f", {where})" if where else ")"))

    def sub(self, what: str, budget: Budget | None = None) -> Clock:
        """A clock for a sub-computation ``what``: its own limits (``budget``; by default this clock's iteration
        and size limits and no time limit of its own), never beyond this clock's deadline."""
        inner = budget if budget is not None else Budget(None, self.budget.max_iterations, self.budget.max_bits)
        clock = Clock(inner, what, deadline=self.deadline)
        clock.parent_seconds = self.budget.seconds if self.parent_seconds is None else self.parent_seconds
        return clock


def start_clock(budget: Budget | Clock | None, what: str) -> Clock:
    """A running clock for ``what``: a given :class:`Clock` is used as it is (a caller's sub-budget with its
    deadline), a :class:`Budget` is started now, ``None`` is :data:`UNLIMITED`."""
    if isinstance(budget, Clock):
        return budget
    return (UNLIMITED if budget is None else budget).start(what)
