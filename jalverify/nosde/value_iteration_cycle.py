r"""Value iteration with a deterministic stage solution on a turn-based game, and its certified policy cycle.

JAL-GT with a known model is value iteration over joint-action values (Albrecht, Christianos & Schäfer 2024,
Algorithm 6 and Algorithm 7, p.120; theory.md §2).  Here the stage solution is **deterministic**: in every
state the mover picks a greedy pure action of its own stage values, ties broken toward the lowest action index:

.. math::  a_k(s) = \min \arg\max_a Q^k_{m(s)}(s, a), \qquad
           Q^k_i(s, a) = r_i(s, a) + γ Σ_{s'} T(s' \mid s, a) V^k_i(s'), \qquad V^{k+1}_i(s) = Q^k_i(s, a_k(s)).

On a NoSDE game (Zinkevich, Greenwald & Littman 2005, NIPS 18) no deterministic policy can be a fixed point, so
the greedy policies cannot settle: they cycle.  This module runs the iteration exactly and **certifies** the
cycle: for a candidate period-``p`` block :math:`σ_0, …, σ_{p-1}` it solves exactly for the periodic orbit
:math:`W_0 = T_{σ_{p-1}} ∘ ⋯ ∘ T_{σ_0} W_0`, :math:`W_{j+1} = T_{σ_j} W_j` (each :math:`T_σ V = r^σ + γ M^σ V` is a
γ-contraction in max-norm), checks that the greedy choice at every :math:`W_j` is :math:`σ_j` with a strict margin
:math:`g > 0`, and that the current iterate lies within :math:`δ = g / (2γ)` of the orbit point of its phase.
Stage values move by at most :math:`γ δ` when ``V`` moves by ``δ``, so the greedy choices cannot change, and by
contraction the iterates stay within ``δ`` forever: the greedy policies repeat with period ``p`` for ever
after, proven in exact arithmetic.  Without such a certificate within the iteration budget the status is
NOT_ESTABLISHED, never "cycles".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InternalError, UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.nosde.detection import choice_text
from jalverify.numbers import format_number
from jalverify.solvers.evaluation import q_from_values
from jalverify.verdicts import Status, Verdict

__all__ = ["DEFAULT_MAX_ITERATIONS", "CycleStatus", "ValueIterationCycle", "periodic_orbit", "value_iteration_cycle"]

#: Iteration budget of :func:`value_iteration_cycle` unless the caller changes it.
DEFAULT_MAX_ITERATIONS = 200

THEOREM_ID = "nosde.value_iteration_cycles"

Choice = tuple[tuple[int, ...], ...]


class CycleStatus(enum.Enum):
    CERTIFIED = "certified periodic greedy policies"
    NOT_ESTABLISHED = "no certified cycle within the iteration budget"


@dataclass(frozen=True)
class ValueIterationCycle:
    """Result of :func:`value_iteration_cycle`.

    Attributes
    ----------
    status : CycleStatus
    cycle : tuple of Choice
        The certified block :math:`σ_0..σ_{p-1}` (``choice[s][i]`` action indices); empty if not established.
    entered : int
        Iteration index of the first policy of the certified block: from there on the greedy policies repeat the
        block for ever (the block itself was observed; every later repetition is proven).
    iterations : int
        Iterations run.
    policies : tuple of Choice
        Greedy policy of every iteration ``0..iterations-1``.
    orbit : tuple of ndarray
        The exact periodic values :math:`W_j` (shape ``(n, S)``), one per phase.
    margin : Fraction
        Smallest strict greedy margin on the orbit.
    distance : Fraction
        Max-norm distance of the certified iterate from its orbit point (< margin / (2γ)).
    verdict : Verdict
        ``nosde.value_iteration_cycles``: CONFIRMED for a certified period ≥ 2, REFUTED for a certified
        period 1 (the greedy policy settles: a stationary deterministic equilibrium), NOT_ESTABLISHED otherwise.
    """

    game: StochasticGame
    status: CycleStatus
    cycle: tuple[Choice, ...]
    entered: int
    iterations: int
    policies: tuple[Choice, ...]
    orbit: tuple[np.ndarray, ...]
    margin: Fraction
    distance: Fraction
    verdict: Verdict

    @property
    def period(self) -> int:
        """Length of the certified cycle (0 when not established)."""
        return len(self.cycle)


@dataclass(frozen=True)
class _Greedy:
    """The greedy choice at some values: ``tied`` if a mover has two maximisers somewhere; ``margin`` is the
    smallest gap between the chosen action and the runner-up over the mover states (0 when there is no mover)."""

    choice: Choice
    tied: bool
    margin: Fraction
    has_movers: bool


def _greedy(game: StochasticGame, movers: list[int | None], Q: tuple[np.ndarray, ...]) -> _Greedy:
    """Greedy choice of every mover (lowest index on ties) with its tie flag and strict margin."""
    choice = []
    gaps: list[Fraction] = []
    for s, m in enumerate(movers):
        row = [0] * game.n_players
        if m is not None:
            idx = [0] * game.n_players
            vals = []
            for a in range(game.n_actions(s)[m]):
                idx[m] = a
                vals.append(Q[s][(m,) + tuple(idx)])
            best = max(vals)
            a_star = vals.index(best)
            row[m] = a_star
            gaps.append(best - max(v for a, v in enumerate(vals) if a != a_star))
        choice.append(tuple(row))
    return _Greedy(tuple(choice), any(g == 0 for g in gaps), min(gaps) if gaps else Fraction(0), bool(gaps))


def _apply(game: StochasticGame, choice: Choice, V: np.ndarray) -> np.ndarray:
    """:math:`T_σ V`: the values after one step of the deterministic joint policy ``choice``."""
    Q = q_from_values(game, V)
    out = np.empty((game.n_players, game.n_states), dtype=object)
    for s, joint in enumerate(choice):
        for i in range(game.n_players):
            out[i, s] = Q[s][(i,) + joint]
    return out


def periodic_orbit(game: StochasticGame, block: tuple[Choice, ...]) -> tuple[np.ndarray, ...]:
    """Exact periodic orbit of the affine maps :math:`T_{σ_{p-1}} ∘ ⋯ ∘ T_{σ_0}` of the deterministic joint
    policies ``block`` (used by the value-iteration and CE-Q cycle certificates)."""
    from flint import fmpq, fmpq_mat

    n, S = game.n_players, game.n_states
    zero = np.empty((n, S), dtype=object)
    zero.fill(Fraction(0))
    # composite map V -> A V + b (A shared by all players): b = composite(0), A e_t = composite(e_t) - b
    def composite(V: np.ndarray) -> np.ndarray:
        for c in block:
            V = _apply(game, c, V)
        return V

    b = composite(zero)
    A = [[Fraction(0)] * S for _ in range(S)]
    for t in range(S):
        e = zero.copy()
        e[:, t] = Fraction(1)
        col = composite(e)
        for s in range(S):
            A[s][t] = col[0, s] - b[0, s]
    M = fmpq_mat(S, S)
    for s in range(S):
        for t in range(S):
            x = (1 if s == t else 0) - A[s][t]
            M[s, t] = fmpq(x.numerator, x.denominator)
    rhs = fmpq_mat(S, n)
    for i in range(n):
        for s in range(S):
            rhs[s, i] = fmpq(b[i, s].numerator, b[i, s].denominator)
    X = M.solve(rhs)
    W0 = np.empty((n, S), dtype=object)
    for i in range(n):
        for s in range(S):
            x = X[s, i]
            W0[i, s] = Fraction(int(x.p), int(x.q))
    if not bool(np.all(composite(W0) == W0)):  # exact certificate of the fixed point
        raise InternalError(f"value_iteration_cycle(): the exact solution W0 = {[[str(x) for x in row] for row in W0.tolist()]} "
                            f"of the period-{len(block)} orbit equations is not a fixed point of the composite map")
    orbit = [W0]
    for c in block[:-1]:
        orbit.append(_apply(game, c, orbit[-1]))
    return tuple(orbit)


def value_iteration_cycle(game: StochasticGame, *, max_iterations: int = DEFAULT_MAX_ITERATIONS,
                          initial_values: Any = None) -> ValueIterationCycle:
    """Run greedy value iteration exactly and certify the cycle of greedy policies (module docstring).

    Parameters
    ----------
    game : StochasticGame
        Turn-based, exact field, γ > 0.
    max_iterations : int
        Iteration budget.
    initial_values : array-like of shape (n, S), optional
        :math:`V^0` (default 0).

    Raises
    ------
    UnsupportedGame
        Not turn-based, not exact, or γ = 0.
    """
    where = "value_iteration_cycle()"
    if not game.field.exact:
        raise UnsupportedGame(f"{where}: needs an exact game, got field {game.field.name!r}")
    if not game.is_turn_based():
        raise UnsupportedGame(f"{where}: the game is not turn-based; the deterministic stage solution here is the "
                              "single mover's greedy action")
    if game.gamma == 0:
        raise UnsupportedGame(f"{where}: gamma is 0; the greedy policy is fixed after one step")
    movers = [game.movers(s)[0] if game.movers(s) else None for s in range(game.n_states)]
    n, S = game.n_players, game.n_states
    V = np.empty((n, S), dtype=object)
    V.fill(Fraction(0))
    if initial_values is not None:
        V = game.field.array(initial_values, where=f"{where} initial_values")
    policies: list[Choice] = []
    values: list[np.ndarray] = [V]
    gamma = Fraction(game.gamma)
    label = f"game {game.name!r}" if game.name else "the game"
    for k in range(max_iterations):
        choice = _greedy(game, movers, q_from_values(game, values[-1])).choice
        policies.append(choice)
        values.append(_apply(game, choice, values[-1]))
        # candidate period: smallest p whose last block repeats the previous block
        for p in range(1, len(policies) // 2 + 1):
            if policies[-p:] != policies[-2 * p:-p]:
                continue
            block_start = len(policies) - p
            block = tuple(policies[block_start:])
            orbit = periodic_orbit(game, block)
            # greedy at every orbit point must be the block's choice, with a strict margin
            at_orbit = [_greedy(game, movers, q_from_values(game, W)) for W in orbit]
            if any(g.choice != block[j] or g.tied for j, g in enumerate(at_orbit)):
                continue  # not a certifiable cycle of this period: try a longer one
            margin = min(g.margin for g in at_orbit)
            # values[-1] is V after the whole block: its phase is 0 (it precedes block[0] again)
            dist = max(abs(a - b) for a, b in zip(values[-1].reshape(-1).tolist(), orbit[0].reshape(-1).tolist()))
            radius = margin / (2 * gamma)
            if dist < radius or not at_orbit[0].has_movers:
                cycle = block
                entered = block_start
                if p == 1:
                    verdict = Verdict(THEOREM_ID, Status.REFUTED,
                                      f"greedy value iteration on {label} settles on the deterministic policy "
                                      f"{choice_text(game, cycle[0])} (certified fixed point)",
                                      {"policy": choice_text(game, cycle[0])})
                else:
                    verdict = Verdict(THEOREM_ID, Status.PROVEN,
                                      f"greedy value iteration on {label} cycles with period {p} from iteration "
                                      f"{entered} on (certified: margin {margin}, distance {dist} < {radius})",
                                      {"period": p, "entered": entered,
                                       "cycle": [choice_text(game, c) for c in cycle],
                                       "orbit": [[[format_number(x) for x in row] for row in W.tolist()] for W in orbit]})
                return ValueIterationCycle(game, CycleStatus.CERTIFIED, cycle, entered, len(policies),
                                           tuple(policies), orbit, margin, dist, verdict)
            break  # smallest repeating block found but not yet close enough: keep iterating
    verdict = Verdict(THEOREM_ID, Status.NOT_ESTABLISHED,
                      f"greedy value iteration on {label}: no certified cycle within {max_iterations} iterations",
                      {"iterations": max_iterations})
    return ValueIterationCycle(game, CycleStatus.NOT_ESTABLISHED, (), 0, len(policies), tuple(policies), (),
                               Fraction(0), Fraction(0), verdict)
