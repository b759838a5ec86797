r"""What a learner learned, made exact: its greedy policy rounded to a stated exact policy, evaluated exactly.

A tabular learner's greedy policy is a float object (stage solutions computed by HiGHS or by float kernel
enumeration).  To report its value :math:`V^π` and its exploitability *exactly*, the policy is first turned into
an exact stationary policy by a stated rule (:func:`exact_policy`):

1. every distribution whose entries are all within ``1e-9`` of fractions with denominators at most
   :data:`SMALL_DENOMINATOR` that sum to exactly 1 is read as those fractions (this recovers the exact stage
   solutions of small games, e.g. ``(1/2, 1/2)`` from ``0.4999999999``);
2. any other distribution is rounded to multiples of ``1/denominator`` by the largest-remainder rule (the
   rounded entries are ≥ 0 and sum to exactly 1; each moves by less than ``1/denominator``).

The largest change of any probability is reported with the policy, so a reader knows how far the exactly
evaluated policy is from the float one.  :func:`evaluate_learned_policy` then computes, in exact rational
arithmetic, :math:`V^π_i(s)` (Albrecht, Christianos & Schäfer 2024, Eq. 6.9;
:func:`jalverify.solvers.evaluation.evaluate_policy`) and every agent's best-response gain
(:func:`jalverify.solvers.best_response.exploitability`, Howard policy iteration certified by the Bellman
optimality equation), and NashConv at a start distribution μ,
:math:`\mathrm{NashConv}_μ(π) = Σ_i Σ_s μ(s)\,[V^{*}_i(s) − V^π_i(s)]` with :math:`V^*_i` the value of agent
``i``'s best response (Lanctot et al. 2017, NeurIPS), beside the maximum over start states.
For a correlated policy (CE-Q) the deviations are coarse (see :mod:`jalverify.solvers.best_response`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame
from jalverify.numbers import EXACT

__all__ = [
    "DEFAULT_DENOMINATOR",
    "SMALL_DENOMINATOR",
    "LearnedPolicyValues",
    "RoundedPolicy",
    "evaluate_learned_policy",
    "exact_policy",
    "round_distribution",
    "start_distribution",
]

#: Denominators tried first (rule 1 of the module docstring).
SMALL_DENOMINATOR = 100
#: Grid of rule 2: probabilities become multiples of 1/DEFAULT_DENOMINATOR.
DEFAULT_DENOMINATOR = 10_000
_SNAP = 1e-9


def round_distribution(p: Sequence[float], denominator: int = DEFAULT_DENOMINATOR) -> tuple[list[Fraction], str]:
    """An exact distribution close to the float distribution ``p`` (module docstring) and the rule used
    (``"small fractions"`` or ``"grid 1/<denominator>"``).

    Raises
    ------
    InvalidNumber
        ``p`` has a non-finite or negative entry (beyond 1e-9), or ``denominator < 1``.
    """
    if denominator < 1:
        raise InvalidNumber(f"round_distribution(): denominator must be >= 1, got {denominator!r}")
    x = np.asarray(p, dtype=np.float64).reshape(-1)
    if x.size == 0 or not np.all(np.isfinite(x)) or np.any(x < -_SNAP):
        raise InvalidNumber(f"round_distribution(): not a distribution: {x.tolist()!r}")
    x = np.clip(x, 0.0, None)
    small = [Fraction(float(v)).limit_denominator(SMALL_DENOMINATOR) for v in x]
    if sum(small) == 1 and all(abs(float(f) - v) <= _SNAP for f, v in zip(small, x)):
        return small, "small fractions"
    total = float(x.sum())
    if total <= 0:
        raise InvalidNumber(f"round_distribution(): the entries sum to {total!r}")
    scaled = x / total * denominator
    base = np.floor(scaled).astype(np.int64)
    short = int(denominator - base.sum())
    order = np.argsort(-(scaled - base), kind="stable")
    for j in order[:short]:
        base[j] += 1
    return [Fraction(int(b), denominator) for b in base], f"grid 1/{denominator}"


@dataclass(frozen=True)
class RoundedPolicy:
    """An exact stationary policy read from a learner's float policy.

    Attributes
    ----------
    policy : StationaryPolicy or CorrelatedStationaryPolicy
        In the exact field.
    correlated : bool
    max_change : float
        Largest absolute change of any probability made by the rounding.
    rules : tuple of str
        The rounding rules used (``"small fractions"``, ``"grid 1/10000"``).
    """

    policy: StationaryPolicy | CorrelatedStationaryPolicy
    correlated: bool
    max_change: float
    rules: tuple[str, ...]

    def describe(self) -> str:
        rules = " and ".join(self.rules) if self.rules else "none"
        return (f"the learned float policy rounded to an exact policy ({rules}; largest change of a probability "
                f"{self.max_change:.3g}); values below are exact for this rounded policy")


def exact_policy(game: StochasticGame, parts: Sequence[Any], denominator: int = DEFAULT_DENOMINATOR) -> RoundedPolicy:
    """Round a learner's per-state policy parts (:meth:`TabularLearner.policy_parts`: a tuple of per-agent
    distributions, or one joint distribution for a correlated solution) to an exact policy of ``game``."""
    g = game if game.field.exact else game.to_field(EXACT, allow_float=True)
    if len(parts) != g.n_states:
        raise InvalidNumber(f"exact_policy(): parts for {len(parts)} states, the game has {g.n_states}")
    correlated = any(not isinstance(p, tuple) for p in parts)
    change = 0.0
    rules: set[str] = set()
    out: list[Any] = []
    for s, part in enumerate(parts):
        k = g.n_actions(s)
        if correlated:
            joint = np.asarray(part if not isinstance(part, tuple) else _product(part), dtype=np.float64)
            vals, rule = round_distribution(joint.reshape(-1), denominator)
            rules.add(rule)
            change = max(change, max(abs(float(f) - v) for f, v in zip(vals, joint.reshape(-1))))
            out.append(np.array(vals, dtype=object).reshape(k))
        else:
            row = []
            for d in part:
                vals, rule = round_distribution(d, denominator)
                rules.add(rule)
                change = max(change, max(abs(float(f) - v) for f, v in zip(vals, np.asarray(d, dtype=np.float64))))
                row.append(vals)
            out.append(row)
    policy: StationaryPolicy | CorrelatedStationaryPolicy
    policy = CorrelatedStationaryPolicy(g, out) if correlated else StationaryPolicy(g, out)
    return RoundedPolicy(policy, correlated, change, tuple(sorted(rules)))


def _product(parts: tuple[np.ndarray, ...]) -> np.ndarray:
    out = np.asarray(parts[0], dtype=np.float64)
    for d in parts[1:]:
        out = np.multiply.outer(out, np.asarray(d, dtype=np.float64))
    return out


def start_distribution(game: StochasticGame, start: str) -> list[Fraction]:
    """The exact start distribution μ of the simulator's ``start`` option: the game's initial distribution (state
    0 when it has none), uniform over non-terminal states, or one state."""
    S = game.n_states
    if start == "initial":
        if game.initial is not None:
            return [Fraction(x) for x in EXACT.array(game.initial, where="initial", allow_float=True).tolist()]
        return [Fraction(1)] + [Fraction(0)] * (S - 1)
    if start == "uniform":
        live = [s for s in range(S) if not game.terminal[s]]
        return [Fraction(1, len(live)) if s in live else Fraction(0) for s in range(S)]
    idx = game.state_index(start)
    return [Fraction(1) if s == idx else Fraction(0) for s in range(S)]


@dataclass(frozen=True)
class LearnedPolicyValues:
    """Exact values of a rounded learned policy.

    Attributes
    ----------
    V : ndarray, shape (n_players, n_states)
        :math:`V^π_i(s)`, Fractions.
    V_start : tuple of Fraction
        :math:`Σ_s μ(s) V^π_i(s)` per agent.
    best_response_values : ndarray, shape (n_players, n_states)
    gains : ndarray, shape (n_players, n_states)
        :math:`V^*_i(s) − V^π_i(s) ≥ 0`.
    nash_conv_start : Fraction
        :math:`Σ_i Σ_s μ(s)\\,\\mathrm{gain}_i(s)`.
    nash_conv_max : Fraction
        :math:`Σ_i \\max_s \\mathrm{gain}_i(s)` (0 iff π is an equilibrium from every start state).
    certified : bool
        Every evaluation and best response certified exactly.
    deviations : str
        ``"unilateral"`` or ``"coarse (correlated policy)"``.
    """

    V: np.ndarray
    V_start: tuple[Fraction, ...]
    best_response_values: np.ndarray
    gains: np.ndarray
    nash_conv_start: Fraction
    nash_conv_max: Fraction
    certified: bool
    deviations: str


def evaluate_learned_policy(game: StochasticGame, policy: StationaryPolicy | CorrelatedStationaryPolicy,
                            mu: Sequence[Fraction]) -> LearnedPolicyValues:
    """Exact :math:`V^π`, best-response values, gains and NashConv of ``policy`` (exact) at ``mu``."""
    from jalverify.solvers.best_response import exploitability

    g = policy.game
    ex = exploitability(g, policy, field="exact")
    n, S = g.n_players, g.n_states
    V = np.array([[ex.best_responses[i].baseline[s] for s in range(S)] for i in range(n)], dtype=object)
    BR = np.array([[ex.best_responses[i].values[s] for s in range(S)] for i in range(n)], dtype=object)
    gains = np.asarray(ex.gains, dtype=object)
    v_start = tuple(sum((mu[s] * V[i, s] for s in range(S)), Fraction(0)) for i in range(n))
    nc_start = sum((mu[s] * gains[i, s] for i in range(n) for s in range(S)), Fraction(0))
    return LearnedPolicyValues(V, v_start, BR, gains, Fraction(nc_start), Fraction(ex.nash_conv), ex.certified,
                               "coarse (correlated policy)" if isinstance(policy, CorrelatedStationaryPolicy)
                               else "unilateral")
