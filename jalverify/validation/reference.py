r"""Ground truth for validation, from jalverify's own solvers (imported lazily), every one within a budget.

* all extreme Nash equilibria of a bimatrix game: exact vertex enumeration (Avis, Rosenberg, Savani & von
  Stengel 2010; :mod:`jalverify.solvers.nash`), complete on degenerate games too;
* the minimax value of a zero-sum game: the certified exact LP of :mod:`jalverify.solvers.minimax`;
* ``V^π`` and ``Q^π``: exact policy evaluation (:mod:`jalverify.solvers.evaluation`, book Eq. 6.9);
* ``Q*`` of a zero-sum stochastic game (:func:`zero_sum_q_star`): exact and certified where that can finish,
  otherwise a float computation returned with a *proven* error bound (a :class:`QStarReference` says which).

Budgets.  Every function takes a :class:`~jalverify.solvers.budget.Budget` (or a size cap for the one-shot exact
solves, which cannot be interrupted) and raises :class:`~jalverify.errors.BudgetExceeded`, naming the budget and
the computation, when it runs out.  Callers judging a claim report that as "not established".

Why ``Q*`` needs care (theory.md §9).  With rational data the value of a zero-sum stochastic game is irrational
in general when both players move in a state, so no exact method terminates; exact Hoffman–Karp iterates then
converge quadratically and their denominators roughly double at every step (measured on a generated 3-state
2×2 game with γ = 3/4: 165, 693, 2803 decimal digits after 4, 6, 8 steps; 30 steps did not finish in
40 minutes).  :func:`zero_sum_q_star` therefore tries, in order:

1. **exact policy iteration** (Hoffman & Karp 1966), capped at ``exact_bits`` bits per number and a quarter of
   the time budget (at most 3 s).  It terminates on turn-based games (rational values, finitely many pure stationary strategies)
   and on many others; its answer satisfies Shapley's equation exactly (certified);
2. **float value iteration + rational reconstruction**: Shapley value iteration in float64 to a Bellman residual
   near machine precision; each component of ``V`` is rounded to the simplest rational within a small distance
   (continued fractions, :meth:`fractions.Fraction.limit_denominator`) and the guess is *certified exactly*:
   for every state the stage game :math:`Γ_s(V)` is built in rational arithmetic and a maximin strategy ``x``
   and a minimax strategy ``y`` are checked to hold :math:`\min_j (x^\top Γ_s)_j \ge V(s) \ge \max_i (Γ_s y)_i`.
   Then :math:`V(s) = \mathrm{val}(Γ_s(V))` for all ``s``, Shapley's equation, whose solution is unique, so
   ``V = V*``.  A wrong guess fails this check (the guess may be numeric; the certificate is exact);
3. **float reference with a proven bound**: the float iterate :math:`V_k` is taken exactly (its binary value),
   :math:`T V_k` is computed exactly (exact stage LPs on :math:`Γ_s(V_k)`), and since Shapley's operator T is a
   γ-contraction in the max-norm,

   .. math:: \|V^* - V_k\|_\infty \le \frac{\|T V_k - V_k\|_\infty}{1-γ}, \qquad
             |Q^*(s,a) - Γ_s(V_k)(a)| \le γ\,\|V^* - V_k\|_\infty ,

   both right-hand sides computed in rational arithmetic, so the bound is proven, not estimated.
"""

from __future__ import annotations

import enum
import pickle
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import BudgetExceeded, CertificateError, InternalError, SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import EXACT
from jalverify.solvers.budget import Budget, Clock

__all__ = [
    "DEFAULT_EQUILIBRIA_BUDGET",
    "DEFAULT_Q_STAR_BUDGET",
    "MAX_EVALUATION_ROWS",
    "MAX_LP_ACTIONS",
    "POLICY_ITERATION_SECONDS",
    "QStarReference",
    "ReferenceKind",
    "all_extreme_equilibria",
    "certify_zero_sum_values",
    "exact_policy_values",
    "exact_zero_sum_q",
    "marginal_concept_gap",
    "minimax_value_of",
    "zero_sum_q_star",
]

#: Default budget of :func:`all_extreme_equilibria`: 30 s of vertex enumeration.
DEFAULT_EQUILIBRIA_BUDGET = Budget(seconds=30.0)
#: Default budget of :func:`zero_sum_q_star`: 20 s in all, 1024 bits per exact number in exact policy iteration.
DEFAULT_Q_STAR_BUDGET = Budget(seconds=20.0, max_bits=1024)
#: Largest share of the time budget given to exact policy iteration (the float routes take well under a second
#: on the games validation generates).
POLICY_ITERATION_SECONDS = 3.0
#: Largest action count per player for the exact stage LP of :func:`minimax_value_of` (one-shot, not
#: interruptible: the size is its budget).
MAX_LP_ACTIONS = 60
#: Largest number of (state, joint action) rows for the exact evaluation of :func:`exact_policy_values`.
MAX_EVALUATION_ROWS = 2000


# --- normal-form games ---------------------------------------------------------------------------------------
def all_extreme_equilibria(game: NormalFormGame, budget: Budget | None = None) -> list[MixedProfile]:
    """Every extreme Nash equilibrium of a two-player game, exactly (certified: exact regret 0 each).

    Parameters
    ----------
    game : NormalFormGame
    budget : Budget, optional
        Its ``seconds`` bound the vertex enumeration (default :data:`DEFAULT_EQUILIBRIA_BUDGET`, 30 s).

    Raises
    ------
    BudgetExceeded
        The enumeration ran out of time before it was complete (a partial list is never returned).
    SolverError
        The reference method did not claim completeness for another reason.
    """
    from jalverify.solvers.nash import nash_solve
    from jalverify.solvers.nash.result import NashStatus

    budget = DEFAULT_EQUILIBRIA_BUDGET if budget is None else budget
    result = nash_solve(game, method="vertex_enumeration", field=EXACT, components=False, time_limit=budget.seconds)
    if not result.complete:
        if result.status is NashStatus.TIME_LIMIT:
            raise BudgetExceeded(f"all_extreme_equilibria(): time budget of {budget.seconds:g} s ran out during "
                                 f"exact vertex enumeration of a {game.n_actions} game")
        raise SolverError(f"all_extreme_equilibria(): reference enumeration is not complete ({result.status})")
    return list(result.equilibria)


def minimax_value_of(game: NormalFormGame, max_actions: int = MAX_LP_ACTIONS) -> Fraction:
    """The exact minimax value (for the row player) of a two-player zero-sum game.

    The exact LP is one call that cannot be interrupted, so its budget is the game's size.

    Raises
    ------
    BudgetExceeded
        A player has more than ``max_actions`` actions (default :data:`MAX_LP_ACTIONS`).
    """
    from jalverify.solvers.minimax import minimax_solve

    if max(game.n_actions) > max_actions:
        raise BudgetExceeded(f"minimax_value_of(): size budget of {max_actions} actions per player exceeded by a "
                             f"{'×'.join(map(str, game.n_actions))} game")
    result = minimax_solve(game, field=EXACT)
    return Fraction(result.value)


def exact_policy_values(game: Any, policy: Any,
                        max_rows: int = MAX_EVALUATION_ROWS) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Exact ``(V, Q)`` of a stationary policy (certified by a zero Bellman residual).

    One exact linear solve, not interruptible: its budget is the number of (state, joint action) rows.

    Raises
    ------
    BudgetExceeded
        The game has more than ``max_rows`` rows (default :data:`MAX_EVALUATION_ROWS`).
    """
    from jalverify.solvers.evaluation import evaluate_policy

    rows = sum(int(np.prod(game.n_actions(s))) for s in range(game.n_states))
    if rows > max_rows:
        raise BudgetExceeded(f"exact_policy_values(): size budget of {max_rows} (state, joint action) rows exceeded "
                             f"by a game with {rows}")
    values = evaluate_policy(game, policy, field=EXACT)
    if not values.certified:
        raise SolverError("exact_policy_values(): the exact evaluation was not certified")
    return values.V, tuple(values.Q)


# --- Q* of zero-sum stochastic games -------------------------------------------------------------------------
class ReferenceKind(enum.Enum):
    """EXACT: certified exactly, ``error_bound == 0``.  BOUNDED: computed in floating point; the stated
    ``error_bound`` on ``|Q - Q*|`` is proven (computed in rational arithmetic)."""

    EXACT = "exact"
    BOUNDED = "bounded"


@dataclass(frozen=True, eq=False)
class QStarReference:
    r"""A reference ``Q*`` of a two-player zero-sum stochastic game, with what is known about it.

    Attributes
    ----------
    Q : tuple of ndarray
        ``Q[s]`` of shape ``(2, *k_s)``, exact rationals (Fractions) in both kinds (for BOUNDED: the stage games
        :math:`Γ_s(V_k)` of the float iterate, computed exactly).
    V : ndarray, shape (2, n_states)
        Player 0's values (row 0) and their negatives.
    kind : ReferenceKind
    error_bound : Fraction
        Proven bound on :math:`\max |Q - Q^*|` over all entries (0 for EXACT).
    value_error_bound : Fraction
        Proven bound on :math:`\|V - V^*\|_\infty` (0 for EXACT).
    method : str
        How it was obtained, in words.
    seconds : float
        Wall-clock time spent.
    """

    Q: tuple[np.ndarray, ...]
    V: np.ndarray
    kind: ReferenceKind
    error_bound: Fraction
    value_error_bound: Fraction
    method: str
    seconds: float

    @property
    def exact(self) -> bool:
        return self.kind is ReferenceKind.EXACT

    def describe(self) -> str:
        """One line for reports: ``exact Q* (…)`` or ``Q* within 3.2e-13 (…)``."""
        if self.exact:
            return f"exact Q* ({self.method})"
        return f"Q* within {float(self.error_bound):.2g} ({self.method})"


def _fraction_array(values: Any) -> np.ndarray:
    return np.array([Fraction(v) for v in np.asarray(values).reshape(-1).tolist()], dtype=object)


def _stage_games(game: Any, V: Any) -> tuple[np.ndarray, ...]:
    """Exact stage games ``Γ_s(V)`` (shape ``(2, *k_s)``) for player 0's values ``V`` (Fractions)."""
    from jalverify.solvers.evaluation import q_from_values

    V = np.asarray(V, dtype=object)
    return tuple(np.asarray(q, dtype=object) for q in q_from_values(game, np.stack([V, -V]), field=EXACT))


def _holds(A: np.ndarray, x: Any, y: Any, v: Fraction) -> bool:
    """Exact minimax condition: ``x``, ``y`` are distributions and ``min_j (xᵀA)_j ≥ v ≥ max_i (Ay)_i``."""
    x = [Fraction(p) for p in x]
    y = [Fraction(p) for p in y]
    if any(p < 0 for p in x + y) or sum(x) != 1 or sum(y) != 1:
        return False
    k, l = A.shape
    rows = [sum((x[i] * A[i, j] for i in range(k)), Fraction(0)) for j in range(l)]
    cols = [sum((A[i, j] * y[j] for j in range(l)), Fraction(0)) for i in range(k)]
    return min(rows) >= v >= max(cols)


def certify_zero_sum_values(game: Any, V: Any, clock: Clock | None = None) -> tuple[np.ndarray, ...] | None:
    r"""Exactly check that player 0's values ``V`` (rationals, shape ``(S,)``) solve Shapley's equation.

    For every state the stage game :math:`Γ_s(V)` is built exactly, solved by the exact stage LP, and its
    maximin ``x`` and minimax ``y`` are re-checked here in plain Fraction arithmetic:
    :math:`\min_j (x^\top Γ_s)_j \ge V(s) \ge \max_i (Γ_s y)_i`, i.e. :math:`V(s) = \mathrm{val}(Γ_s(V))`.
    Shapley's equation has a unique solution, so passing proves ``V = V*``.

    Returns
    -------
    tuple of ndarray or None
        The exact ``Q* = Γ(V)`` when certified; ``None`` when ``V`` is not the value (a refused guess — the
        answer to the question asked, not a failure).
    """
    from jalverify.solvers.value_iteration import stage_minimax

    V = [Fraction(v) for v in np.asarray(V, dtype=object).reshape(-1).tolist()]
    if len(V) != game.n_states:
        raise SolverError(f"certify_zero_sum_values(): {len(V)} values for {game.n_states} states")
    Q = _stage_games(game, np.array(V, dtype=object))
    for s in range(game.n_states):
        if clock is not None:
            clock.check(f"certifying the stage game at state {game.states[s]!r}")
        A = Q[s][0]
        _, x, y = stage_minimax(A, EXACT)
        if not _holds(A, x.tolist(), y.tolist(), V[s]):
            return None
    return Q


def _exact_policy_iteration(game: Any, clock: Clock, exact_bits: int, seconds: float | None) -> QStarReference | None:
    from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationStatus, zero_sum_policy_iteration

    started = time.perf_counter()
    sub = clock.sub("zero_sum_q_star(): exact policy iteration", Budget(seconds, None, exact_bits))
    try:
        result = zero_sum_policy_iteration(game, field=EXACT, max_iterations=10**6, budget=sub)
    except BudgetExceeded:
        clock.check("after exact policy iteration")  # the overall budget is gone: say so
        return None  # only the share for this route is gone: the next route runs
    if result.status is not ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT or not result.certified:
        return None
    V0 = np.asarray(result.V[0], dtype=object)
    Q = certify_zero_sum_values(game, V0, clock)
    if Q is None:
        raise CertificateError("zero_sum_q_star(): the certified policy-iteration value fails the independent "
                               "exact stage check")
    turn_based = all(min(game.n_actions(s)) == 1 for s in range(game.n_states))
    return QStarReference(Q, np.stack([V0, -V0]), ReferenceKind.EXACT, Fraction(0), Fraction(0),
                          "Hoffman–Karp policy iteration, certified exactly" + (" (turn-based game)" if turn_based else ""),
                          time.perf_counter() - started)


def _value_2x2(A: np.ndarray) -> float:
    """Value of a 2×2 matrix game in float: a pure saddle point if there is one, else the mixed-strategy value
    ``(ad − bc)/(a + d − b − c)`` (e.g. Ferguson, *Game Theory*, §II.2.2)."""
    lower = max(min(A[0, 0], A[0, 1]), min(A[1, 0], A[1, 1]))
    upper = min(max(A[0, 0], A[1, 0]), max(A[0, 1], A[1, 1]))
    if lower >= upper:
        return float(lower)
    a, b, c, d = A[0, 0], A[0, 1], A[1, 0], A[1, 1]
    return float((a * d - b * c) / (a + d - b - c))


def _float_values(game: Any, clock: Clock) -> np.ndarray:
    """Float64 Shapley value iteration to ``γ/(1−γ)‖V_{k+1} − V_k‖ ≤ 1e-13·max(1, max|R|)/(1−γ)`` (player 0's
    values).  Stage games with one row or column and 2×2 stage games are solved in closed form, others by
    :func:`jalverify.solvers.value_iteration.stage_minimax`.  Nothing here needs to be right for the reference
    to be sound: the bound of route 3 and the certificate of route 2 are computed exactly afterwards."""
    from jalverify.solvers.evaluation import q_from_values
    from jalverify.solvers.value_iteration import stage_minimax

    fgame = game.to_field("float", allow_float=True)
    S = game.n_states
    gamma = float(game.gamma)
    scale = max([1.0] + [abs(float(v)) for s in range(S) for v in np.asarray(game.rewards[s][0]).reshape(-1)])
    tol = 1e-13 * scale / (1 - gamma) if gamma < 1 else 1e-13 * scale
    factor = gamma / (1 - gamma) if gamma < 1 else float("inf")
    V = np.zeros(S)
    for it in range(1, 100_001):
        clock.check(f"float value iteration, backup {it}")
        Q = q_from_values(fgame, np.stack([V, -V]), field="float")
        new = np.empty(S)
        for s in range(S):
            A = np.asarray(Q[s][0], dtype=np.float64)
            if A.shape[0] == 1:
                new[s] = A.min()
            elif A.shape[1] == 1:
                new[s] = A.max()
            elif A.shape == (2, 2):
                new[s] = _value_2x2(A)
            else:
                new[s] = float(stage_minimax(A, fgame.field)[0])
        delta = float(np.max(np.abs(new - V))) if S else 0.0
        V = new
        if factor * delta <= tol:
            return V
    raise InternalError("zero_sum_q_star(): float value iteration stopped without converging within 100000 "
                        "backups")


def _reconstruct(game: Any, V_float: np.ndarray, clock: Clock) -> tuple[np.ndarray, tuple[np.ndarray, ...]] | None:
    """Simplest rationals near the float values, certified exactly; ``None`` if no guess certifies."""
    tried: set[tuple[Fraction, ...]] = set()
    for digits in range(1, 10):
        guess = tuple(Fraction(float(v)).limit_denominator(10**digits) for v in V_float.tolist())
        if guess in tried or max(abs(float(g) - float(v)) for g, v in zip(guess, V_float.tolist())) > 1e-8:
            continue
        tried.add(guess)
        clock.check("rational reconstruction")
        Q = certify_zero_sum_values(game, np.array(guess, dtype=object), clock)
        if Q is not None:
            return np.array(guess, dtype=object), Q
    return None


def _bounded(game: Any, V_float: np.ndarray, clock: Clock) -> tuple[np.ndarray, tuple[np.ndarray, ...], Fraction, Fraction]:
    """``V_k`` (exact binary values of the float iterate), ``Γ(V_k)`` exactly, and the proven bounds
    ``‖T V_k − V_k‖/(1−γ)`` on ``V`` and ``γ·`` that on ``Q``."""
    from jalverify.solvers.value_iteration import stage_minimax

    V = _fraction_array(V_float)
    Q = _stage_games(game, V)
    residual = Fraction(0)
    for s in range(game.n_states):
        clock.check(f"exact Bellman residual at state {game.states[s]!r}")
        value, x, y = stage_minimax(Q[s][0], EXACT)
        if not _holds(Q[s][0], x.tolist(), y.tolist(), Fraction(value)):
            raise CertificateError(f"zero_sum_q_star(): the exact stage solution at state {game.states[s]!r} does "
                                   "not verify")
        residual = max(residual, abs(Fraction(value) - V[s]))
    gamma = Fraction(game.gamma)
    value_bound = residual / (1 - gamma)
    return V, Q, value_bound, gamma * value_bound


_CACHE: dict[bytes, QStarReference] = {}
_CACHE_SIZE = 256


def zero_sum_q_star(game: Any, budget: Budget | None = None, *, exact_bits: int | None = None,
                    policy_iteration: bool = True, reconstruct: bool = True) -> QStarReference:
    r"""A reference ``Q*`` of a two-player zero-sum stochastic game: exact and certified where that can finish,
    otherwise float with a proven error bound (module docstring: the three routes and why).

    Parameters
    ----------
    game : StochasticGame
        Two players, zero-sum.
    budget : Budget, optional
        ``seconds`` for the whole computation (exact policy iteration gets a quarter, at most
        :data:`POLICY_ITERATION_SECONDS` = 3 s) and ``max_bits`` for the exact iterates of policy iteration.
        Default :data:`DEFAULT_Q_STAR_BUDGET` (20 s, 1024 bits).
    exact_bits : int, optional
        Overrides ``budget.max_bits`` for exact policy iteration.
    policy_iteration : bool
        Try exact policy iteration (route 1); default true.
    reconstruct : bool
        Try rational reconstruction of the float value (route 2); default true.  With both false the answer is
        the bounded float reference of route 3 (for testing its bound).

    Returns
    -------
    QStarReference
        ``kind`` EXACT (``error_bound`` 0) or BOUNDED (``error_bound`` proven).  Results are cached per game,
        options and budget.

    Raises
    ------
    UnsupportedGame
        Not two-player zero-sum.
    BudgetExceeded
        The time budget ran out before even a bounded float reference was established.
    """
    from jalverify.solvers.value_iteration import check_zero_sum

    where = "zero_sum_q_star()"
    check_zero_sum(game, where)
    budget = DEFAULT_Q_STAR_BUDGET if budget is None else budget
    try:
        # the options and the budget are part of the key: a run with a smaller budget or without the exact routes
        # may end BOUNDED where the default ends EXACT, and must not answer for it
        key: bytes | None = pickle.dumps((game, budget, exact_bits, policy_iteration, reconstruct))
    except (pickle.PicklingError, TypeError, AttributeError):
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    started = time.perf_counter()
    clock = budget.start(f"{where} (Q* reference of {game.n_states}-state game)")
    bits = exact_bits if exact_bits is not None else (budget.max_bits if budget.max_bits is not None else 1024)
    share = POLICY_ITERATION_SECONDS if budget.seconds is None else min(budget.seconds / 4, POLICY_ITERATION_SECONDS)
    ref = _exact_policy_iteration(game, clock, bits, share) if policy_iteration else None
    if ref is None:
        V_float = _float_values(game, clock)
        found = _reconstruct(game, V_float, clock) if reconstruct else None
        if found is not None:
            V, Q = found
            ref = QStarReference(Q, np.stack([V, -V]), ReferenceKind.EXACT, Fraction(0), Fraction(0),
                                 "float value iteration, rational value reconstructed and certified exactly",
                                 time.perf_counter() - started)
        else:
            V, Q, value_bound, q_bound = _bounded(game, V_float, clock)
            ref = QStarReference(Q, np.stack([V, -V]), ReferenceKind.BOUNDED, q_bound, value_bound,
                                 "float64 Shapley value iteration; bound γ‖TV−V‖/(1−γ) computed exactly",
                                 time.perf_counter() - started)
    else:
        ref = QStarReference(ref.Q, ref.V, ref.kind, ref.error_bound, ref.value_error_bound, ref.method,
                             time.perf_counter() - started)
    if key is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = ref
    return ref


def exact_zero_sum_q(game: Any, budget: Budget | None = None) -> tuple[np.ndarray, ...]:
    """Exact, certified ``Q*`` (``Q*[s]`` of shape ``(2, *k_s)``): :func:`zero_sum_q_star` when its answer is
    EXACT.

    Raises
    ------
    BudgetExceeded
        The budget ran out (default :data:`DEFAULT_Q_STAR_BUDGET`).
    SolverError
        Only a bounded float reference exists (the value is probably irrational, theory.md §9); the message
        gives its bound.
    """
    ref = zero_sum_q_star(game, budget)
    if not ref.exact:
        raise SolverError(f"exact_zero_sum_q(): no certified exact Q* (the value may be irrational); the best "
                          f"reference is {ref.describe()}")
    return ref.Q


# --- answers that disclose only marginals and values ---------------------------------------------------------
def marginal_concept_gap(game: NormalFormGame, marginals: Any, values: Any, concept: str,
                         max_joint_actions: int = 400) -> tuple[Fraction, np.ndarray]:
    r"""How far per-player ``marginals`` and ``values`` are from *every* correlated (or coarse correlated)
    equilibrium: the exact optimum of the LP

    .. math:: t^* = \min t \ \text{s.t.}\ D \ge 0,\ \textstyle\sum D = 1,\
              \mathrm{gain}_{i}(D) \le t\,M,\ |D_i - m_i| \le t,\ |E_D[u_i] - v_i| \le t\,M ,

    where :math:`D_i` is player ``i``'s marginal of the joint distribution ``D``, the gains are the CE rows
    (recommendation, deviation) or CCE rows (deviation) and :math:`M = \max(1, \max|u|)` (so ``t`` is in the
    units of a declared tolerance scaled by the payoffs).  This is the faithful reading of a stage solver that
    returns only each player's mixture and value (OpenSpiel's ``CorrelatedEqSolver``): ``t* > tol`` proves that
    no equilibrium of the declared concept has (within ``tol``) these marginals and values.  Solved by the
    certified exact LP (:func:`jalverify.solvers.lp.lp_solve`), so ``t*`` is exact.

    Parameters
    ----------
    game : NormalFormGame
    marginals : sequence of sequences
        One distribution per player (floats are taken at their exact binary value).
    values : sequence
        One value per player.
    concept : {"ce", "cce"}
    max_joint_actions : int
        Size budget (the exact LP is one call that cannot be interrupted); default 400.

    Returns
    -------
    (Fraction, ndarray)
        ``t*`` and an optimal joint distribution ``D`` (shape ``game.n_actions``, Fractions) attaining it.

    Raises
    ------
    BudgetExceeded
        More than ``max_joint_actions`` joint actions.
    SolverError
        The exact LP did not return a certified optimum (it is always feasible and bounded below by 0).
    """
    from jalverify.solvers.lp import LinearProgram, LPStatus, lp_solve

    where = "marginal_concept_gap()"
    if concept not in ("ce", "cce"):
        raise SolverError(f"{where}: concept must be 'ce' or 'cce', got {concept!r}")
    exact_game = game if game.field.exact else game.to_field(EXACT, allow_float=True)
    shape = tuple(exact_game.n_actions)
    n = exact_game.n_players
    N = int(np.prod(shape))
    if N > max_joint_actions:
        raise BudgetExceeded(f"{where}: size budget of {max_joint_actions} joint actions exceeded by a "
                             f"{'×'.join(map(str, shape))} game")
    P = np.asarray(exact_game.payoffs, dtype=object)
    M = max([Fraction(1)] + [abs(Fraction(v)) for v in P.reshape(-1).tolist()])
    m = [[Fraction(p) for p in np.asarray(mi, dtype=object).reshape(-1).tolist()] for mi in marginals]
    v = [Fraction(x) for x in np.asarray(values, dtype=object).reshape(-1).tolist()]
    if len(m) != n or any(len(m[i]) != shape[i] for i in range(n)) or len(v) != n:
        raise SolverError(f"{where}: marginals/values do not fit a {shape} game with {n} players")
    joints = list(np.ndindex(*shape))
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []

    def row(coeffs: list[Fraction], t: Fraction, b: Fraction) -> None:
        rows.append(coeffs + [t])
        rhs.append(b)

    zero = Fraction(0)
    for i in range(n):
        u = [Fraction(P[(i,) + a]) for a in joints]
        if concept == "ce":
            for p in range(shape[i]):
                for q in range(shape[i]):
                    if p != q:
                        row([u[j2] - u[j] if a[i] == p else zero
                             for j, a in enumerate(joints)
                             for j2 in [joints.index(a[:i] + (q,) + a[i + 1:])]], -M, zero)
        else:
            for q in range(shape[i]):
                row([u[joints.index(a[:i] + (q,) + a[i + 1:])] - u[j] for j, a in enumerate(joints)], -M, zero)
        for a_i in range(shape[i]):
            ind = [Fraction(1) if a[i] == a_i else zero for a in joints]
            row(ind, Fraction(-1), m[i][a_i])
            row([-x for x in ind], Fraction(-1), -m[i][a_i])
        row(u, -M, v[i])
        row([-x for x in u], -M, -v[i])
    lp = LinearProgram.build([zero] * N + [Fraction(1)], rows, rhs, [[Fraction(1)] * N + [zero]], [Fraction(1)],
                             lower=0, field=EXACT)
    result = lp_solve(lp, field=EXACT)
    if result.status is not LPStatus.OPTIMAL or result.certificate is None:
        raise SolverError(f"{where}: the exact LP ended with status {result.status.value} ({result.message})")
    x = [Fraction(val) for val in np.asarray(result.x, dtype=object).tolist()]
    return Fraction(result.objective), np.array(x[:N], dtype=object).reshape(shape)
