r"""Step-size schedules and ε-greedy exploration for tabular learners.

Step sizes are counted **per visit** of a (state, joint action) pair: the ``n``-th update of ``Q(s, a)`` uses
``α_n``.  The stochastic-approximation convergence theorems behind Minimax-Q (Littman & Szepesvári 1996) and
Nash-Q (Hu & Wellman 2003, Assumption 2) need, for every (s, a),

.. math::  Σ_n α_n(s, a) = ∞, \qquad Σ_n α_n(s, a)^2 < ∞ \qquad\text{(Robbins–Monro conditions)}.

:class:`RobbinsMonro` ``α_n = c / (n + n_0)^ω`` satisfies both exactly when ``ω ∈ (1/2, 1]``;
:class:`ConstantStep` satisfies the first but not the second (its iterates keep fluctuating with a variance of
order α; useful as a baseline).  Albrecht, Christianos & Schäfer (2024), §2.6 and §6.2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from jalverify.errors import InvalidNumber

__all__ = ["ConstantStep", "EpsilonGreedy", "RobbinsMonro", "StepSchedule", "step_schedule_named"]


@runtime_checkable
class StepSchedule(Protocol):
    """A step size as a function of the visit count ``n ≥ 1`` of a (state, joint action) pair."""

    def __call__(self, visits: int) -> float: ...

    @property
    def robbins_monro(self) -> bool:
        """Whether the schedule satisfies Σ α = ∞ and Σ α² < ∞."""
        ...

    def describe(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class RobbinsMonro:
    """``α_n = scale / (n + offset)^omega`` for the ``n``-th visit (``n ≥ 1``).

    Parameters
    ----------
    omega : float
        Exponent in ``(1/2, 1]``; both Robbins–Monro sums then behave as required
        (Σ n^{-ω} = ∞ iff ω ≤ 1; Σ n^{-2ω} < ∞ iff ω > 1/2).
    scale : float
        ``c > 0``; ``α_1 = c / (1 + offset)^ω`` must be at most 1.
    offset : float
        ``n_0 ≥ 0`` (slows the early decay).
    """

    omega: float = 1.0
    scale: float = 1.0
    offset: float = 0.0

    def __post_init__(self) -> None:
        if not (0.5 < self.omega <= 1.0):
            raise InvalidNumber(f"RobbinsMonro(): omega must be in (1/2, 1], got {self.omega!r}")
        if not (self.scale > 0 and self.offset >= 0):
            raise InvalidNumber(f"RobbinsMonro(): need scale > 0 and offset >= 0, got scale={self.scale!r}, offset={self.offset!r}")
        if self.scale / (1.0 + self.offset) ** self.omega > 1.0:
            raise InvalidNumber(
                f"RobbinsMonro(): first step scale/(1+offset)^omega = {self.scale / (1.0 + self.offset) ** self.omega!r} exceeds 1"
            )

    def __call__(self, visits: int) -> float:
        return self.scale / (visits + self.offset) ** self.omega

    @property
    def robbins_monro(self) -> bool:
        return True

    def describe(self) -> dict[str, object]:
        return {"kind": "robbins-monro", "omega": self.omega, "scale": self.scale, "offset": self.offset}


@dataclass(frozen=True)
class ConstantStep:
    """``α_n = alpha`` for every visit (not Robbins–Monro: Σ α² = ∞)."""

    alpha: float = 0.1

    def __post_init__(self) -> None:
        if not (0.0 < self.alpha <= 1.0):
            raise InvalidNumber(f"ConstantStep(): alpha must be in (0, 1], got {self.alpha!r}")

    def __call__(self, visits: int) -> float:
        return self.alpha

    @property
    def robbins_monro(self) -> bool:
        return False

    def describe(self) -> dict[str, object]:
        return {"kind": "constant", "alpha": self.alpha}


def step_schedule_named(text: str) -> StepSchedule:
    """Parse ``"rm"``, ``"rm:0.8"`` (ω), ``"rm:0.8:2:1"`` (ω, scale, offset) or ``"const:0.1"``."""
    parts = text.split(":")
    try:
        values = [float(p) for p in parts[1:]]
    except ValueError as exc:
        raise InvalidNumber(f"step_schedule_named(): cannot read numbers in {text!r}") from exc
    if parts[0] in ("rm", "robbins-monro"):
        names = ("omega", "scale", "offset")
        return RobbinsMonro(**dict(zip(names, values)))
    if parts[0] in ("const", "constant"):
        return ConstantStep(*values)
    raise InvalidNumber(f"step_schedule_named(): unknown schedule {text!r}; use 'rm[:omega[:scale[:offset]]]' or 'const:alpha'")


@dataclass(frozen=True)
class EpsilonGreedy:
    """ε-greedy exploration: each agent, independently, with probability ``epsilon`` replaces its action by a
    uniformly random one of its actions (book §2.7).  ``epsilon = 1`` is uniform exploration (off-policy
    learning from a uniformly random behaviour policy); ``epsilon = 0`` plays the stage solution.

    ``decay`` multiplies ε by ``decay`` after every step down to ``minimum``.
    """

    epsilon: float = 0.1
    decay: float = 1.0
    minimum: float = 0.0

    def __post_init__(self) -> None:
        if not (0.0 <= self.epsilon <= 1.0 and 0.0 < self.decay <= 1.0 and 0.0 <= self.minimum <= self.epsilon):
            raise InvalidNumber(
                f"EpsilonGreedy(): need 0 <= minimum <= epsilon <= 1 and 0 < decay <= 1, got "
                f"epsilon={self.epsilon!r}, decay={self.decay!r}, minimum={self.minimum!r}"
            )

    def at(self, step: int) -> float:
        """ε at step ``step`` (0-based)."""
        if self.decay == 1.0:
            return self.epsilon
        return max(self.minimum, self.epsilon * self.decay ** step)

    def explore_mask(self, rng: np.random.Generator, n_agents: int, step: int) -> np.ndarray:
        """Which agents explore at this step (boolean array)."""
        eps = self.at(step)
        if eps == 0.0:
            return np.zeros(n_agents, dtype=bool)
        if eps == 1.0:
            return np.ones(n_agents, dtype=bool)
        return rng.random(n_agents) < eps

    def describe(self) -> dict[str, object]:
        return {"epsilon": self.epsilon, "decay": self.decay, "minimum": self.minimum}
