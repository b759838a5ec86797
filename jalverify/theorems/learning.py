r"""Claims about the learners (``minimax_q.*``, ``nash_q.learning_*``, ``ce_q.*``, ``fictitious_play.*``,
``difference_rewards.*``).

* **Minimax-Q** (Littman 1994; Littman & Szepesvári 1996; book p.121; theory.md §3).  The model-based backup
  operator :math:`(\mathcal{T}Q)_j(s,a) = Σ_{s'} T(s'|s,a)[R_j(s,a,s') + γ \mathrm{val}_j(Q(s'))]` has the minimax
  :math:`Q^*` as its fixed point; checked **exactly** in Fractions against :math:`Q^*` from an independent solver
  (Hoffman–Karp policy iteration, :mod:`jalverify.solvers.zero_sum_policy_iteration`, which certifies Shapley's
  equation exactly) whenever :math:`Q^*` is rational.  With Robbins–Monro step sizes and uniform exploration the
  sampled learner approaches :math:`Q^*`; a finite run is checked against a stated tolerance and step budget (a
  float result: within tolerance at most).  Only the values are unique: the greedy policy need not settle.
* **Nash-Q** (Hu & Wellman 2003; theory.md §4): on common-payoff games every stage game has a global optimum,
  Assumption 3 holds along the run and Q approaches the team optimum; when the condition breaks, the policy need
  not settle.
* **CE-Q** (Greenwald & Hall 2003; theory.md §5): stage solutions are correlated equilibria, exactly; the
  selection objective changes what is learned (equilibrium selection; no convergence guarantee).
* **Fictitious play** (Brown 1951; Robinson 1951; book §5.2): in zero-sum games the empirical marginals approach
  the minimax strategies while the played policy keeps switching — the convergence notions differ.
* **Difference rewards** (Wolpert & Tumer 2002; theory.md §8): :math:`D_i = G(a) − G(c_i, a_{-i})` changes exactly
  as ``G`` under agent ``i``'s unilateral changes.

Learning-based checks run a seeded learner: their verdicts are reproducible from the witness (seed, budget).
A float finding is never PROVEN.  A finite learning run can neither prove nor refute a convergence claim (a limit
statement): it "holds within tolerance" (tolerance and measured worst case against the exact or certified Q*) or
is "not established" within the budget.  REFUTED with an exact witness is reserved for exact findings (an
operator that moves the exact Q*, a stage game that breaks Assumption 3, classified exactly); the claims about a
finite run itself (policy settling, refuted as expected) are refuted **numerically**: their message starts with
"numerical", their witness has ``"numerical": true`` and replays from the seed and budget.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import numpy as np

from jalverify.convergence.reference import NO_REFERENCE, GameReference
from jalverify.errors import CertificateError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.theorems._common import (
    matrix,
    not_established,
    num,
    nums,
    proven,
    refuted,
    state_joint_text,
    within_tolerance,
)
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = [
    "EXACT_PAIRS_LIMIT",
    "SampledNashQRun",
    "check_ce_q_selection_irrelevant",
    "check_ce_q_stage_solutions_are_ce",
    "check_difference_rewards_alignment",
    "check_fictitious_play_policy_settles",
    "check_minimax_q_backup_fixed_point",
    "check_minimax_q_convergence",
    "check_minimax_q_policy_settles",
    "check_nash_q_common_payoff_convergence",
    "check_nash_q_policy_settles",
    "common_payoff_version",
    "exact_minimax_q_star",
    "exact_team_q_star",
    "first_operator_move",
    "float_minimax_q_star",
    "game_reference",
    "live_pairs",
    "sampled_nash_q_run",
    "visits_for_initial_error",
]

_MINIMAX = ("jalverify.solvers.minimax", "jalverify.solvers.zero_sum_policy_iteration",
            "jalverify.solvers.value_iteration")
_LITTMAN = ("Littman (1994), ICML; Littman & Szepesvári (1996), ICML; Albrecht, Christianos & Schäfer (2024), "
            "Algorithm 7 and p.121; theory.md §2–§3")
_HW = "Hu & Wellman (2003), JMLR 4, Assumption 3 and Thm. 3; book pp.123–124; theory.md §4"
_GH = "Greenwald & Hall (2003), ICML; book Eqs. 4.20–4.24; theory.md §5"
_FP = "Brown (1951); Robinson (1951), Ann. Math. 54; Albrecht, Christianos & Schäfer (2024), §5.2; theory.md §7"
_DR = "Wolpert & Tumer (2002), Adv. Complex Systems 4; seed note 001; theory.md §8"


# --------------------------------------------------------------------------------------------------------------
# Q* of zero-sum stochastic games
# --------------------------------------------------------------------------------------------------------------
#: Exact Q* per game object: games are immutable, so a result computed once (policy iteration, rational
#: reconstruction) is reused when several checks or tests look at the same game.  Keyed by ``id`` with the game
#: itself kept alive in the entry (so an id cannot be reused while cached); at most ``_CACHE_SIZE`` entries.
_Q_STAR_CACHE: OrderedDict[tuple[str, int, int], tuple[StochasticGame, list[np.ndarray] | None]] = OrderedDict()
_CACHE_SIZE = 64


def _cached_q_star(kind: str, game: StochasticGame, option: int,
                   compute: Callable[[], list[np.ndarray] | None]) -> list[np.ndarray] | None:
    key = (kind, id(game), option)
    hit = _Q_STAR_CACHE.get(key)
    if hit is not None and hit[0] is game:
        _Q_STAR_CACHE.move_to_end(key)
        result = hit[1]
    else:
        result = compute()
        _Q_STAR_CACHE[key] = (game, result)
        while len(_Q_STAR_CACHE) > _CACHE_SIZE:
            _Q_STAR_CACHE.popitem(last=False)
    return None if result is None else [q.copy() for q in result]


def exact_minimax_q_star(game: StochasticGame, max_iterations: int = 60) -> list[np.ndarray] | None:
    r"""The exact minimax Q* (per state ``(2, *k_s)``, Fractions), or ``None`` when none was found.

    * Turn-based games (rational value, theory.md §9): Hoffman–Karp policy iteration in exact arithmetic
      (:mod:`jalverify.solvers.zero_sum_policy_iteration`), certified by Shapley's equation holding exactly.
    * Otherwise: float Shapley value iteration, then a rational reconstruction of each value
      (``Fraction.limit_denominator`` with bounds 10, 100, …, 10^8) accepted only if it satisfies Shapley's
      equation :math:`V = \mathrm{val}(Γ(V))` **exactly** (checked with the exact Shapley operator of
      :mod:`jalverify.theorems.bellman`).  Shapley's operator is a contraction, so its fixed point is unique: an
      accepted candidate is :math:`V^*`.  Then :math:`Q^*_0(s,a) = Σ_{s'} T(s'|s,a)[R_0 + γ V^*(s')]` and
      :math:`Q^*_1` likewise with :math:`R_1` and :math:`−V^*`.  A value that is irrational has no candidate.

    Cached per game object (the game is immutable); callers get fresh copies of the arrays.
    """
    return _cached_q_star("minimax", game, max_iterations, lambda: _exact_minimax_q_star(game, max_iterations))


def _exact_minimax_q_star(game: StochasticGame, max_iterations: int) -> list[np.ndarray] | None:
    from fractions import Fraction as _F

    from jalverify.numbers import EXACT

    g = game if game.field.exact else game.to_field(EXACT, allow_float=True)
    if g.is_turn_based():
        from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationStatus, zero_sum_policy_iteration

        res = zero_sum_policy_iteration(g, field="exact", max_iterations=max_iterations)
        if res.status is not ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT or not res.certified:
            return None
        return [np.asarray(q, dtype=object) for q in res.Q]
    from jalverify.solvers.value_iteration import shapley_value_iteration
    from jalverify.theorems.bellman import shapley_operator

    V = np.asarray(shapley_value_iteration(g, field="float", tol=1e-13, max_iterations=100000).V, dtype=np.float64)
    v0 = V[0] if V.ndim == 2 else V
    for bound in (10 ** k for k in range(1, 9)):
        candidate = [_F(float(x)).limit_denominator(bound) for x in v0]
        if shapley_operator(g, candidate) == candidate:
            out = []
            for s in range(g.n_states):
                T = g.transitions[s]
                Vs = np.asarray(candidate, dtype=object)
                q0 = (T * (g.rewards[s][0] + g.gamma * Vs)).sum(axis=-1)
                q1 = (T * (g.rewards[s][1] - g.gamma * Vs)).sum(axis=-1)
                out.append(np.stack([q0, q1]))
            return out
    return None


def float_minimax_q_star(game: StochasticGame, tol: float = 1e-12) -> list[np.ndarray]:
    """Q* in floats from Shapley value iteration (:mod:`jalverify.solvers.value_iteration`), per state
    ``(2, *k_s)``; the value error is at most ``tol`` (contraction bound)."""
    from jalverify.solvers.value_iteration import shapley_value_iteration

    res = shapley_value_iteration(game, field="float", tol=tol, max_iterations=100000)
    return [np.asarray(q, dtype=np.float64) for q in res.Q]


def _error_trace(trace: Any, where: str) -> np.ndarray:
    """The max-norm error per snapshot of a trace recorded with a reference Q*."""
    from jalverify.errors import SolverError

    if trace.error is None:
        raise SolverError(f"{where}: the learning trace has no error record (no reference Q* was given)")
    return np.asarray(trace.error, dtype=np.float64)


def _reward_scale(game: StochasticGame) -> float:
    top = max((float(np.max(np.abs(np.asarray(R, dtype=np.float64)))) for R in game.rewards), default=0.0)
    return max(1.0, top) / (1.0 - float(game.gamma))


@theorem("minimax_q.backup_fixed_point", strategy="zero_sum_stochastic_games", requires=_MINIMAX, citation=_LITTMAN,
         claim="the model-based Minimax-Q backup operator has the minimax Q* as an exact fixed point: "
               "T(Q*) = Q* in exact arithmetic (Q* certified by Shapley's equation: policy iteration on turn-based games, "
               "rational reconstruction otherwise)")
def check_minimax_q_backup_fixed_point(game: StochasticGame, learner: Any = None) -> Verdict:
    """Exact fixed-point check of a learner's operator (default: a fresh Minimax-Q learner on ``game``).

    ``learner`` may be any object with ``apply_operator(Q, "exact")``: a learner with a wrong backup is refuted
    here with the state, joint action and both exact values.
    """
    tid = "minimax_q.backup_fixed_point"
    from jalverify.learners.minimax_q import minimax_q

    if learner is None:
        learner = minimax_q(game)
    q_star = exact_minimax_q_star(game)
    if q_star is None:
        return not_established(tid, "no exact (rational) Q* found (the value may be irrational); "
                            "the exact fixed-point test needs a rational Q*", {"states": game.n_states})
    out = learner.apply_operator(q_star, "exact")
    for s in range(game.n_states):
        diff = np.asarray(out[s], dtype=object) - q_star[s]
        for idx in np.ndindex(*diff.shape):
            if diff[idx] != 0:
                j, a = idx[0], idx[1:]
                return refuted(tid, f"T(Q*) differs from Q* at state {game.states[s]!r}, agent {game.players[j]}, joint action "
                                    f"{state_joint_text(game, s, a)}: {out[s][idx]} instead of {q_star[s][idx]}",
                               {"state": game.states[s], "agent": j, "joint_action": list(a),
                                "q_star": num(q_star[s][idx]), "operator": num(out[s][idx]),
                                "q_star_state": matrix(q_star[s][j]), "operator_state": matrix(np.asarray(out[s][j]))})
    return proven(tid, f"T(Q*) = Q* exactly at all {game.n_states} states",
                     {"q_star": [matrix(q[0]) for q in q_star]})


@theorem("minimax_q.convergence", slow=True, strategy="zero_sum_stochastic_games", requires=_MINIMAX, citation=_LITTMAN,
         claim="Minimax-Q with Robbins–Monro steps 1/n(s,a)^0.7 and uniform exploration (uniform restarts, "
               "episodes of 10 steps, seed 0) approaches Q*; a run of 1000·(1−γ)^-1 steps per (state, joint "
               "action) is reported as within 5% of max(1,|R|max)/(1−γ) or not established, never as a refutation "
               "(the exact part of the claim is minimax_q.backup_fixed_point)")
def check_minimax_q_convergence(game: StochasticGame, *, steps_per_pair: int | None = None,
                                tolerance: float = 0.05, omega: float = 0.7, seed: int = 0) -> Verdict:
    """Run Minimax-Q and compare with Q*: the exact Q* when it is rational and found (small games), otherwise
    Shapley value iteration in floats.

    ``tolerance`` is relative to the scale :math:`\\max(1, |R|_{max})/(1 − γ)` (a bound on :math:`|Q^*|`); the
    step budget is ``steps_per_pair`` times the number of non-terminal (state, joint action) pairs (default
    ``1000/(1−γ)`` per pair).  Within tolerance: UNKNOWN (float, not a proof); otherwise UNKNOWN "not
    established" with the seed, budget and error trace.  A finite run can neither confirm a limit statement nor
    refute it: a large error after a fixed budget may only mean too few visits (see
    :func:`check_nash_q_common_payoff_convergence` for the numbers); what can be refuted exactly — that
    :math:`Q^*` is not the operator's fixed point — is ``minimax_q.backup_fixed_point``.
    """
    tid = "minimax_q.convergence"
    from jalverify.learners.minimax_q import minimax_q
    from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro
    from jalverify.learners.simulator import Simulator

    gamma = float(game.gamma)
    if steps_per_pair is None:
        steps_per_pair = round(1000 / (1.0 - gamma))
    pairs = live_pairs(game)
    steps = steps_per_pair * max(1, pairs)
    exact = exact_minimax_q_star(game) if game.field.exact and pairs <= 64 else None
    if exact is not None:
        q_star = [np.asarray(q, dtype=np.float64) for q in exact]
        reference = "exact Q* (certified)"
    else:
        q_star = float_minimax_q_star(game)
        reference = "Shapley value iteration (float, tol 1e-12)"
    learner = minimax_q(game, schedule=RobbinsMonro(omega), exploration=EpsilonGreedy(1.0), seed=seed)
    if all(game.terminal):
        return not_established(tid, "every state is terminal; nothing to learn", {}, tolerance)
    sim = Simulator(game, seed + 1, start="uniform", episode_length=10)
    trace = learner.learn(steps, sim, reference_q=q_star, record_every=max(1, steps // 20))
    scale = _reward_scale(game)
    errors = _error_trace(trace, "check_minimax_q_convergence()")
    err = float(errors[-1])
    witness = {"steps": steps, "seed": seed, "omega": omega, "error": err, "scale": scale, "reference": reference,
               "relative_error": err / scale, "tolerance": tolerance, "error_trace": errors.tolist()}
    if err <= tolerance * scale:
        return within_tolerance(tid, f"max |Q − Q*| = {err:.3g} ≤ {tolerance:g}·{scale:.3g} after {steps} steps "
                                "(float run)", witness, tolerance=tolerance * scale, worst=err)
    half = float(errors[len(errors) // 2])
    witness["error_at_half_budget"] = half
    trend = "still shrinking" if err < half else "not shrinking over the second half"
    return not_established(tid, f"convergence not established within the budget: max |Q − Q*| = {err:.3g} > "
                        f"{tolerance:g}·{scale:.3g} after {steps} steps (seed {seed}; error {trend}: {half:.3g} at "
                        "half budget)", witness, tolerance)


# --------------------------------------------------------------------------------------------------------------
# the reference of a game for judging learning runs (used by ``jalverify learn``)
# --------------------------------------------------------------------------------------------------------------
#: Largest number of non-terminal (state, joint action) pairs for which an exact Q* is attempted.
EXACT_PAIRS_LIMIT = 400


def live_pairs(game: StochasticGame) -> int:
    """The number of non-terminal (state, joint action) pairs: the size measure of the exact searches."""
    return sum(game.n_joint_actions(s) for s in range(game.n_states) if not game.terminal[s])


def is_common_payoff(game: StochasticGame) -> bool:
    """Every player's reward equals player 0's everywhere."""
    return all(bool(np.all(np.asarray(R) == np.asarray(R)[0][None, ...])) for R in game.rewards)


def game_reference(game: StochasticGame, *, float_game: StochasticGame | None = None,
                   exact_pairs_limit: int = EXACT_PAIRS_LIMIT,
                   note: Callable[[str], None] | None = None) -> tuple[GameReference | None, str]:
    """``(reference, why)``: the known limit of ``game`` (:mod:`jalverify.convergence.reference`: minimax Q* of a
    two-player zero-sum game, team-optimal Q* of a common-payoff game; exact when at most ``exact_pairs_limit``
    non-terminal (state, joint action) pairs and found, else floats with a stated bound), or ``None`` and why.

    ``float_game`` is the same game in the float field (large games take seconds to convert); ``note`` receives
    one-line progress messages (e.g. printed on stderr by the command line).
    """
    say = note if note is not None else (lambda _m: None)
    pairs = live_pairs(game)
    if game.n_players == 2 and game.is_zero_sum():
        return _minimax_reference(game, float_game, pairs <= exact_pairs_limit and game.field.exact, pairs, say), ""
    if is_common_payoff(game):
        return _team_reference(game, float_game, pairs <= exact_pairs_limit and game.field.exact, pairs, say), ""
    return None, f"{NO_REFERENCE} (general-sum: neither zero-sum nor common-payoff)"


def _minimax_reference(game: StochasticGame, float_game: StochasticGame | None, try_exact: bool, pairs: int,
                       say: Callable[[str], None]) -> GameReference:
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.solvers.minimax import minimax_value, optimal_strategy_set

    S = game.n_states
    exact = None
    if try_exact:
        say("exact minimax Q* (certified) ...")
        exact = exact_minimax_q_star(game)
    if exact is not None:
        v = np.empty((2, S), dtype=object)
        sets: list[Any] = []
        for s in range(S):
            if game.terminal[s]:
                v[:, s] = Fraction(0)
                sets.append(None)
                continue
            A = np.asarray(exact[s][0], dtype=object)
            val, _, _ = minimax_value(A, field="exact")
            v[0, s], v[1, s] = Fraction(val), -Fraction(val)
            stage = NormalFormGame.zero_sum(A)
            X = [np.array([float(p) for p in x]) for x in optimal_strategy_set(stage, 0)]
            Y = [np.array([float(p) for p in y]) for y in optimal_strategy_set(stage, 1)]
            sets.append(("product", X, Y))
        return GameReference("minimax", "minimax Q* (exact, certified by Shapley's equation)", True, 0.0,
                             [np.asarray(q, dtype=np.float64) for q in exact], exact, v, sets)
    from jalverify.solvers.value_iteration import shapley_value_iteration

    why = ("too large for the exact search" if not try_exact and game.field.exact and pairs > EXACT_PAIRS_LIMIT
           else "no rational Q* found" if try_exact else "float game")
    tol = 1e-10
    say(f"minimax Q* by Shapley value iteration in floats ({why}) ...")
    # the zero-sum check of the solver is fast on the exact game (shared reward objects), slow on float arrays
    res = shapley_value_iteration(game, field="float", tol=tol, max_iterations=100000)
    if not res.error_bound <= tol:
        raise CertificateError(f"game_reference(): Shapley value iteration stopped with bound "
                               f"{float(res.error_bound):.3g} > {tol:g}")
    return GameReference("minimax", f"minimax Q* (Shapley value iteration in floats, |error| ≤ {tol:g}; {why})",
                         False, tol, [np.asarray(q, dtype=np.float64) for q in res.Q], None,
                         np.asarray(res.V, dtype=np.float64), None)


def _team_reference(game: StochasticGame, float_game: StochasticGame | None, try_exact: bool, pairs: int,
                    say: Callable[[str], None]) -> GameReference:

    S, n = game.n_states, game.n_players
    if try_exact:
        say("exact team-optimal Q* (policy iteration, certified) ...")
        exact = exact_team_q_star(game)
        v = np.empty((n, S), dtype=object)
        sets: list[Any] = []
        for s in range(S):
            if game.terminal[s]:
                v[:, s] = Fraction(0)
                sets.append(None)
                continue
            q0 = np.asarray(exact[s][0], dtype=object)
            best = max(q0.reshape(-1).tolist())
            v[:, s] = best
            sets.append(("support", np.vectorize(lambda x, b=best: x == b, otypes=[bool])(q0)))
        return GameReference("team", "team-optimal Q* (exact, certified by the Bellman optimality equation)", True,
                             0.0, [np.asarray(q, dtype=np.float64) for q in exact], exact, v, sets)
    from jalverify.learners.friend_or_foe_q import friend_q

    tol = 1e-12
    say("team-optimal Q* by value iteration in floats ...")
    fg = float_game if float_game is not None else game
    q, _, change = friend_q(fg).iterate_operator(100000, tol=tol)
    gamma = float(game.gamma)
    bound = gamma / (1 - gamma) * change if gamma < 1 else float("inf")
    V = np.array([[0.0 if game.terminal[s] else float(np.max(q[s][i])) for s in range(S)] for i in range(n)])
    return GameReference("team", f"team-optimal Q* (value iteration in floats, |error| ≤ {bound:.2g})", False,
                         float(bound), q, None, V, None)


# --------------------------------------------------------------------------------------------------------------
# policy (non-)convergence
# --------------------------------------------------------------------------------------------------------------
def degenerate_zero_sum_game() -> StochasticGame:
    """Two states with random rewards of mean 0: each joint action pays +1 on reaching s0 and −1 on reaching s1,
    each with probability 1/2, so Q* = 0 everywhere and *every* strategy is optimal at both stage games.  The
    learned Q tends to 0 but its sampling noise keeps reordering the entries, so the maximin strategy keeps
    changing: Q converges, the policy does not (theory.md §3)."""
    h = Fraction(1, 2)
    acts = [[["x", "y"], ["x", "y"]]] * 2
    T = [np.full((2, 2, 2), h, dtype=object)] * 2
    R0 = np.zeros((2, 2, 2), dtype=object)
    R0[..., 0] = Fraction(1)
    R0[..., 1] = Fraction(-1)
    R = np.stack([R0, -R0])
    return StochasticGame(["a", "b"], ["s0", "s1"], acts, T, [R, R], h, name="degenerate zero-sum")


def _policy_settles_verdict(tid: str, learner: Any, game: StochasticGame, steps: int, q_reference: list[np.ndarray] | None,
                            q_tolerance: float, epsilon: float, seed: int) -> Verdict:
    from jalverify.convergence import ConvergenceStatus, check_policy
    from jalverify.learners.simulator import Simulator

    sim = Simulator(game, seed + 1, start="uniform", episode_length=10)
    record = max(1, steps // 200)
    trace = learner.learn(steps, sim, reference_q=q_reference, record_every=record)
    report = check_policy(trace, None, epsilon=epsilon, window=50, view="marginals", repeats=2)
    witness = {"steps": steps, "seed": seed, "policy_check": report.to_json()}
    if trace.error is not None:
        witness["q_error"] = float(trace.error[-1])
    q_ok = trace.error is None or float(trace.error[-1]) <= q_tolerance
    audit = getattr(learner, "audit", None)
    if audit is not None and hasattr(audit, "summary"):
        witness["nash_audit"] = audit.summary()
    if report.status is ConvergenceStatus.CONTRADICTED and q_ok:
        what = f"while max |Q − Q*| = {float(trace.error[-1]):.3g} ≤ {q_tolerance:g}" if trace.error is not None else ""
        witness["numerical"] = True
        return refuted(tid, f"numerical (a seeded float run; replay with seed {seed}, {steps} steps): the greedy policy "
                            f"kept moving by ≥ {epsilon:g} (TV, agents' marginals) in each of the last two windows of "
                            f"50 snapshots {what}".strip(), witness)
    return not_established(tid, f"policy check {report.status.value} (ε = {epsilon:g}); no counterexample on this run",
                   witness, epsilon)


@theorem("minimax_q.policy_settles", slow=True, strategy="zero_sum_stochastic_games", requires=_MINIMAX, citation=_LITTMAN,
         expected=REFUTED_AS_EXPECTED, known_counterexample=lambda: (degenerate_zero_sum_game(),),
         claim="when Minimax-Q's Q approaches Q*, its greedy policy settles too (stays within TV 0.25 over the "
               "final window)")
def check_minimax_q_policy_settles(game: StochasticGame, *, steps: int = 6000, seed: int = 0) -> Verdict:
    """Refuted when Q is within ``0.1·scale`` of Q* and the policy check is CONTRADICTED (theory.md §3: only the
    values are unique)."""
    from jalverify.learners.minimax_q import minimax_q
    from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro

    learner = minimax_q(game, schedule=RobbinsMonro(1.0), exploration=EpsilonGreedy(1.0), seed=seed)
    return _policy_settles_verdict("minimax_q.policy_settles", learner, game, steps, float_minimax_q_star(game),
                                   0.1 * _reward_scale(game), 0.25, seed)


def _nosde() -> StochasticGame:
    from jalverify.learners.examples import nosde_book_game

    return nosde_book_game()


def common_payoff_version(game: StochasticGame) -> StochasticGame:
    """The game with every player rewarded by player 0's reward (a common-payoff game)."""
    return game.with_rewards([np.stack([R[0]] * game.n_players) for R in game.rewards],
                             name=f"common-payoff version of {game.name or 'game'}")


def exact_team_q_star(game: StochasticGame, max_iterations: int = 1000) -> list[np.ndarray]:
    r"""The exact team-optimal :math:`Q^*` of a common-payoff game, per state ``(n, *k_s)`` (Fractions).

    A common-payoff game is a Markov decision process whose actions are the joint actions (theory.md §4), so its
    optimal values are rational and Howard's policy iteration (Puterman 1994, §6.4) finds them in finitely many
    exact steps: evaluate the deterministic joint policy exactly (:func:`jalverify.solvers.evaluation.evaluate_policy`,
    flint, certified), improve greedily (first maximising joint action in row-major order, switching only on a
    strict improvement), stop when no state improves.  The answer is then **certified** independently of the
    iteration: the Bellman optimality equation
    :math:`Q^*(s,a) = Σ_{s'} T(s'|s,a)[R(s,a,s') + γ \max_{a'} Q^*(s',a')]` is checked to hold exactly at every
    non-terminal (s, a) (terminal states have value 0), which determines :math:`Q^*` uniquely (γ < 1).

    Raises
    ------
    InvalidGame
        The game is not common-payoff (players' rewards differ somewhere).
    CertificateError
        The iteration did not stop within ``max_iterations`` or its result failed the exact certificate.

    Cached per game object like :func:`exact_minimax_q_star`.
    """
    # never None: _exact_team_q_star raises instead
    return cast("list[np.ndarray]", _cached_q_star("team", game, max_iterations,
                                                   lambda: _exact_team_q_star(game, max_iterations)))


def _exact_team_q_star(game: StochasticGame, max_iterations: int) -> list[np.ndarray]:
    from jalverify.errors import CertificateError, InvalidGame
    from jalverify.games.stochastic import CorrelatedStationaryPolicy
    from jalverify.numbers import EXACT
    from jalverify.solvers.evaluation import evaluate_policy, q_from_values

    g = game if game.field.exact else game.to_field(EXACT, allow_float=True)
    n, S = g.n_players, g.n_states
    for s in range(S):
        R = np.asarray(g.rewards[s], dtype=object)
        if not g.terminal[s] and any(not np.all(R[j] == R[0]) for j in range(1, n)):
            raise InvalidGame(f"exact_team_q_star(): state {g.states[s]!r}: players' rewards differ; the game is "
                              "not common-payoff")
    choice = [0] * S

    def policy_of(choice_: list[int]) -> CorrelatedStationaryPolicy:
        dists = []
        for s in range(S):
            d = np.full(int(np.prod(g.n_actions(s))), Fraction(0), dtype=object)
            d[choice_[s]] = Fraction(1)
            dists.append(d.reshape(g.n_actions(s)))
        return CorrelatedStationaryPolicy(g, dists)

    for _ in range(max_iterations):
        res = evaluate_policy(g, policy_of(choice), field="exact")
        Q = [np.asarray(q, dtype=object) for q in res.Q]
        improved = False
        for s in range(S):
            if g.terminal[s]:
                continue
            flat = Q[s][0].reshape(-1).tolist()
            best = max(flat)
            if best > flat[choice[s]]:
                choice[s] = flat.index(best)
                improved = True
        if not improved:
            break
    else:
        raise CertificateError(f"exact_team_q_star(): policy iteration did not stop within {max_iterations} "
                               f"iterations on {g.name or 'the game'}")
    V = np.array([[Fraction(0) if g.terminal[s] else max(Q[s][j].reshape(-1).tolist()) for s in range(S)]
                  for j in range(n)], dtype=object)
    look_ahead = q_from_values(g, V, field="exact")
    out = []
    for s in range(S):
        if g.terminal[s]:
            out.append(np.full((n,) + g.n_actions(s), Fraction(0), dtype=object))
            continue
        if not np.all(np.asarray(look_ahead[s], dtype=object) == Q[s]):
            raise CertificateError(f"exact_team_q_star(): the Bellman optimality equation fails at state "
                                   f"{g.states[s]!r}; policy iteration result not certified")
        out.append(Q[s])
    return out


def _sum_of_steps(visits: int, omega: float) -> float:
    return float(np.sum(np.arange(1, visits + 1, dtype=np.float64) ** -omega))


def visits_for_initial_error(gamma: float, omega: float, fraction: float, limit: int = 10 ** 6) -> int:
    r"""Visits per (state, joint action) after which the initial error has shrunk below ``fraction`` of itself
    in the noise-free, synchronous model of the update.

    With step sizes :math:`α_n = n^{-ω}` each backup of a γ-contraction shrinks the distance to the fixed point
    by at most :math:`1 − α_n(1 − γ)`, so after ``N`` backups it is at most
    :math:`\prod_{n ≤ N} (1 − α_n(1−γ)) ≤ \exp(−(1−γ) Σ_{n≤N} n^{−ω})` times the initial distance (the
    standard argument behind polynomial step-size rates; Even-Dar & Mansour 2003, JMLR 5, §5).  The smallest ``N``
    with ``exp(…) ≤ fraction`` grows like :math:`(\ln(1/\mathrm{fraction})/(1−γ))^{1/(1−ω)}`: about 50 visits
    for γ = 1/2 but about 4000 for γ = 9/10 (ω = 0.7, fraction 1/40).  This is a *budget* heuristic (sampling
    noise and asynchronous visits come on top), never a verdict.  Capped at ``limit``.
    """
    need = np.log(1.0 / fraction) / max(1e-12, 1.0 - gamma)
    total, n = 0.0, 0
    while total < need and n < limit:
        n += 1
        total += n ** -omega
    return n


def first_operator_move(q_exact: list[np.ndarray], operator: list[np.ndarray]) -> tuple[int, tuple[int, ...]] | None:
    """The first ``(state, (agent, *joint action))`` where an exactly applied backup ``operator`` differs from
    ``q_exact``, or None when ``q_exact`` is an exact fixed point."""
    for s, (given, moved) in enumerate(zip(q_exact, operator)):
        diff = np.asarray(moved, dtype=object) - given
        for idx in np.ndindex(*diff.shape):
            if diff[idx] != 0:
                return s, tuple(int(i) for i in idx)
    return None


@dataclass(frozen=True)
class SampledNashQRun:
    """A sampled Nash-Q run against an exact Q*, as the Nash-Q convergence theorems judge it.

    Attributes
    ----------
    steps : int
    audit : dict
        :meth:`NashConditionAudit.summary` of the stage games met.
    error, error_at_half_budget : float
        max |Q − Q*| at the end and at half the budget.
    scale : float
        ``max(1, |R|max)/(1 − γ)``, a bound on |Q*|.
    min_visits : int
        Fewest visits of a non-terminal (state, joint action) pair.
    needed : int
        Visits per pair needed to shrink the initial error alone below ``tolerance/2``.
    errors : ndarray
        The error trace.
    """

    steps: int
    audit: dict[str, Any]
    error: float
    error_at_half_budget: float
    scale: float
    min_visits: int
    needed: int
    errors: np.ndarray


def sampled_nash_q_run(game: StochasticGame, make: Callable[..., Any], q_exact: list[np.ndarray], requirement: str, *,
                       seed: int, omega: float, tolerance: float, steps_per_pair: int | None, max_steps: int,
                       min_steps_per_pair: int, audits: int, min_audit_interval: int, where: str) -> SampledNashQRun:
    """Run ``make(...)`` (a Nash-Q learner on ``game``) with Robbins–Monro steps ``1/n^omega`` and uniform
    exploration, its Assumption-3 ``requirement`` audited about ``audits`` times, against the exact ``q_exact``.

    The budget is ``steps_per_pair = max(min_steps_per_pair, 2 · visits_for_initial_error(γ, ω, tolerance/2))``
    per non-terminal pair unless given, capped at ``max_steps`` in total (see
    :func:`check_nash_q_common_payoff_convergence` for why a fixed budget would judge the budget, not Nash-Q).
    """
    from jalverify.learners.nash_q_audit import NashConditionAudit
    from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro
    from jalverify.learners.simulator import Simulator

    pairs = live_pairs(game)
    needed = visits_for_initial_error(float(game.gamma), omega, tolerance / 2)
    if steps_per_pair is None:
        steps_per_pair = max(min_steps_per_pair, 2 * needed)
    steps = min(max_steps, steps_per_pair * max(1, pairs))
    q_star = [np.asarray(q, dtype=np.float64) for q in q_exact]
    audit = NashConditionAudit(requirement, every=max(min_audit_interval, steps // audits))
    learner = make(schedule=RobbinsMonro(omega), exploration=EpsilonGreedy(1.0), seed=seed, audit=audit)
    trace = learner.learn(steps, Simulator(game, seed + 1, start="uniform", episode_length=10), reference_q=q_star,
                          record_every=max(1, steps // 20))
    errors = _error_trace(trace, where)
    visits = min(int(c.min()) for s, c in enumerate(learner.counts) if not game.terminal[s])
    return SampledNashQRun(steps, audit.summary(), float(errors[-1]), float(errors[len(errors) // 2]),
                           _reward_scale(game), visits, needed, errors)


@theorem("nash_q.learning_converges_common_payoff", slow=True, strategy="stochastic_games",
         requires=("jalverify.solvers.nash", "jalverify.solvers.nash_q_conditions", "jalverify.solvers.evaluation"),
         citation=_HW,
         claim="on the common-payoff version of a game, Nash-Q updating with global optima (= team Q-learning) "
               "has the exact team-optimal Q* as the exact fixed point of its backup operator, meets a global "
               "optimum in every stage game it solves (Assumption 3, condition A), and its sampled run "
               "(Robbins–Monro 1/n^0.7, uniform exploration) approaches Q*; the finite run is reported as within "
               "5% of max(1,|R|max)/(1−γ) or not established, never as a refutation")
def check_nash_q_common_payoff_convergence(game: StochasticGame, *, steps_per_pair: int | None = None,
                                           tolerance: float = 0.05, omega: float = 0.7, seed: int = 0,
                                           max_steps: int = 40000, concept: Any = None) -> Verdict:
    r"""Nash-Q on a common-payoff game: exact parts (may refute) and a finite learning run (cannot decide).

    In a common-payoff game every stage game built from the current estimates is common-payoff, so its maximum
    joint action is a global optimum; Nash-Q updating with it is team Q-learning and converges with infinite
    exploration and Robbins–Monro steps (Hu & Wellman 2003, Thm. 3; theory.md §4).  Checked:

    1. **Exact fixed point** (REFUTED with the state, joint action and both values if it fails): the exact
       team-optimal :math:`Q^*` (:func:`exact_team_q_star`, policy iteration certified by the Bellman
       optimality equation in Fractions, independent of the learner) satisfies :math:`\mathcal{T}(Q^*) = Q^*`
       exactly for the learner's model-based operator with the global-optimum stage concept.
    2. **Condition A along the run** (REFUTED with the step and state): every audited stage game the learner met
       had a global optimum (classified exactly at its binary float values).
    3. **The sampled run** (UNKNOWN either way): :math:`\max|Q − Q^*|` after the budget, against the tolerance
       ``tolerance · max(1, |R|max)/(1 − γ)`` (a bound on :math:`|Q^*|`).

    Why a finite run never refutes: the error of a run is the initial error (Q starts at 0, :math:`|Q^*|` up to
    the scale) shrunk by at most :math:`\exp(−(1−γ)Σ_n n^{−ω})` per pair (:func:`visits_for_initial_error`),
    plus sampling noise that shrinks like :math:`\sqrt{α_n}`.  A fixed budget of ``100/(1−γ)`` steps per pair
    (the earlier claim) is far too small at γ = 9/10 (≈ 600 visits per pair leave ≈ 10% of the initial error:
    errors of 3–4.7 against a tolerance of 2.5 on scale 50 that fell to ≈ 1.0 with 4× and ≈ 0.1–0.2 with 16× the
    steps), and at γ = 1/2 a rarely visited state (20 visits per pair) leaves noise of the order of the
    tolerance.  In both cases the exact operator has :math:`Q^*` as its fixed point, so "refuted" was a
    statement about the budget, not about Nash-Q.  The default budget is therefore derived from γ and ω:
    ``steps_per_pair = max(500, 2 · visits_for_initial_error(γ, ω, tolerance/2))`` (factor 2 for uneven visits,
    500 against sampling noise), capped at ``max_steps`` in total; the witness records the visits reached and
    whether the error was still shrinking.  ``concept`` replaces Nash-Q's stage concept (default
    ``NashConcept("first", require="global_optimum")``), e.g. to show that a wrong backup is refuted by step 1.
    The audit classifies about 200 stage games per run (every
    ``max(25, steps/200)``-th solve; exact classification costs milliseconds each).
    """
    tid = "nash_q.learning_converges_common_payoff"
    from jalverify.learners.jal_gt import JointActionLearner
    from jalverify.learners.nash_q import nash_q

    cp = common_payoff_version(game)
    if all(cp.terminal):
        return not_established(tid, "every state is terminal; nothing to learn", {}, tolerance)

    def make(**kwargs: Any) -> JointActionLearner:
        if concept is None:
            return nash_q(cp, selection="first", require="global_optimum", on_violation="select", **kwargs)
        return JointActionLearner(cp, concept, algorithm="nash-q (given concept)", **kwargs)

    # 1. exact fixed point of the learner's operator
    q_exact = exact_team_q_star(cp)
    operator = make().apply_operator(q_exact, "exact")
    moved = first_operator_move(q_exact, operator)
    if moved is not None:
        s, idx = moved
        return refuted(tid, f"the Nash-Q operator moves the exact team-optimal Q* at state {cp.states[s]!r}, "
                            f"agent {cp.players[idx[0]]}, joint action {state_joint_text(cp, s, idx[1:])}: {operator[s][idx]} "
                            f"instead of {q_exact[s][idx]}",
                       {"state": cp.states[s], "agent": idx[0], "joint_action": list(idx[1:]),
                        "q_star": num(q_exact[s][idx]), "operator": num(operator[s][idx])})
    # 2.-3. the sampled run
    run = sampled_nash_q_run(cp, make, q_exact, "global_optimum", seed=seed, omega=omega, tolerance=tolerance,
                             steps_per_pair=steps_per_pair, max_steps=max_steps, min_steps_per_pair=500, audits=200,
                             min_audit_interval=25, where="check_nash_q_common_payoff_convergence()")
    summary, err, half, scale, steps = run.audit, run.error, run.error_at_half_budget, run.scale, run.steps
    visits, needed = run.min_visits, run.needed
    witness = {"steps": steps, "seed": seed, "omega": omega, "error": err, "error_at_half_budget": half,
               "scale": scale, "tolerance": tolerance, "min_visits_per_pair": visits,
               "visits_for_initial_error": needed, "reference": "exact team-optimal Q* (certified)",
               "operator_fixed_point": "exact", "audit": summary, "error_trace": run.errors.tolist()}
    if not summary["condition_A_holds"] and summary["records"] > 0:
        return refuted(tid, f"a stage game without a global optimum was met: {summary['first_violation_A']}", witness)
    if err <= tolerance * scale:
        return within_tolerance(tid, f"T(Q*) = Q* exactly; condition A held in all {summary['records']} audited stage "
                                f"games; max |Q − Q*| = {err:.3g} ≤ {tolerance:g}·{scale:.3g} after {steps} steps "
                                "(float run)", witness, tolerance=tolerance * scale, worst=err)
    trend = ("still shrinking" if err < half else "not shrinking over the second half")
    return not_established(tid, f"T(Q*) = Q* exactly; condition A held; convergence not established within the budget: "
                        f"max |Q − Q*| = {err:.3g} > {tolerance:g}·{scale:.3g} after {steps} steps (error {trend}: "
                        f"{half:.3g} at half budget; min visits per pair {visits}, about {needed} needed for the "
                        f"initial error alone)", witness, tolerance)


@theorem("nash_q.learning_policy_settles", slow=True, strategy="stochastic_games", requires=("jalverify.solvers.nash",
                                                                                  "jalverify.solvers.nash_q_conditions"),
         citation=_HW + "; Bowling (2000), ICML", expected=REFUTED_AS_EXPECTED,
         known_counterexample=lambda: (_nosde(),),
         claim="Nash-Q (selection 'first', Robbins–Monro steps, uniform exploration) settles on every game: its "
               "greedy policy stays within TV 0.25 over the final window of a 2000-step run")
def check_nash_q_policy_settles(game: StochasticGame, *, steps: int = 2000, seed: int = 0) -> Verdict:
    """Runs Nash-Q with the condition audit (every 10th solved stage game classified exactly); a refutation
    carries the audit summary (where Assumption 3 broke).  The literature example is the book's NoSDE game
    (p.126): no stationary deterministic equilibrium exists, and the greedy policy read from Q keeps cycling."""
    from jalverify.learners.nash_q import nash_q
    from jalverify.learners.nash_q_audit import NashConditionAudit
    from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro

    audit = NashConditionAudit(None, every=10)
    learner = nash_q(game, selection="first", schedule=RobbinsMonro(1.0), exploration=EpsilonGreedy(1.0),
                     seed=seed, audit=audit)
    return _policy_settles_verdict("nash_q.learning_policy_settles", learner, game, steps, None, float("inf"), 0.25,
                                   seed)


# --------------------------------------------------------------------------------------------------------------
# CE-Q
# --------------------------------------------------------------------------------------------------------------
@theorem("ce_q.stage_solutions_are_ce", strategy="normal_form_games", requires=("jalverify.solvers.correlated",),
         citation=_GH,
         claim="the stage solutions of uCE-, eCE-, rCE-Q and each agent's lCE-Q distribution satisfy every CE "
               "constraint exactly (exact CE gains ≤ 0)")
def check_ce_q_stage_solutions_are_ce(game: NormalFormGame) -> Verdict:
    tid = "ce_q.stage_solutions_are_ce"
    from jalverify.games.profiles import CorrelatedProfile, max_ce_gain
    from jalverify.learners.ce_q import CE_OBJECTIVES, CorrelatedConcept
    from jalverify.numbers import EXACT
    from jalverify.theorems._common import exact_game

    g = exact_game(game)
    q = np.asarray(g.payoffs, dtype=object)
    checked = 0
    for objective in CE_OBJECTIVES:
        sol = CorrelatedConcept(objective).solve(q, EXACT)
        res = sol.info["result"]
        dists = ([p.distribution for p in res.agent_distributions] if objective == "libertarian" else [sol.joint])
        for k, x in enumerate(dists):
            gain = max_ce_gain(g, CorrelatedProfile(g, x))
            checked += 1
            if gain > 0:
                return refuted(tid, f"{objective} stage solution (distribution {k}) has CE gain {gain} > 0",
                               {"payoffs": [matrix(np.asarray(p)) for p in g.payoffs], "objective": objective,
                                "distribution": nums(np.asarray(x).reshape(-1).tolist()), "ce_gain": num(gain)})
    return proven(tid, f"{checked} stage solutions, every CE gain ≤ 0 exactly", {"checked": checked})


def asymmetric_coordination_game() -> StochasticGame:
    """One state, γ = 1/2, coordination payoffs (4, 1) on (A, A) and (1, 3) on (B, B), 0 otherwise: the
    republican CE is (A, A) with payoffs (4, 1), the egalitarian puts 2/5 on (A, A) and 3/5 on (B, B) with payoffs
    (11/5, 11/5) — the objectives select different equilibria (values ×1/(1−γ) = 2 in the stochastic game)."""
    R = np.array([[[4, 0], [0, 1]], [[1, 0], [0, 3]]], dtype=object)
    T = np.ones((2, 2, 1), dtype=object)
    return StochasticGame(["row", "column"], ["s"], [[["A", "B"], ["A", "B"]]], [T], [R], Fraction(1, 2),
                          name="asymmetric coordination")


@theorem("ce_q.selection_irrelevant", slow=True, strategy="stochastic_games", requires=("jalverify.solvers.correlated",),
         citation=_GH + " (equilibrium selection)", expected=REFUTED_AS_EXPECTED,
         known_counterexample=lambda: (asymmetric_coordination_game(),),
         claim="the CE-Q backup does not depend on the selection objective: two exact model-based backups from "
               "Q = 0 agree for the utilitarian, egalitarian, republican and libertarian objectives")
def check_ce_q_selection_irrelevant(game: StochasticGame) -> Verdict:
    tid = "ce_q.selection_irrelevant"
    from jalverify.learners.ce_q import CE_OBJECTIVES, ce_q

    if not game.field.exact:
        from jalverify.numbers import EXACT

        game = game.to_field(EXACT, allow_float=True)
    zero = [np.full((game.n_players,) + game.n_actions(s), Fraction(0), dtype=object) for s in range(game.n_states)]

    def two_backups(objective: str) -> list[np.ndarray]:
        learner = ce_q(game, objective)
        return learner.apply_operator(learner.apply_operator(zero, "exact"), "exact")

    # each objective is computed when it is compared (the first difference decides; the later ones are not needed)
    base = two_backups("utilitarian")
    for objective in CE_OBJECTIVES[1:]:
        other = two_backups(objective)
        for s in range(game.n_states):
            if not np.all(np.asarray(other[s], dtype=object) == np.asarray(base[s], dtype=object)):
                return refuted(tid, f"after two exact backups the utilitarian and {objective} objectives give "
                                    f"different Q at state {game.states[s]!r}",
                               {"state": game.states[s], "utilitarian": [matrix(np.asarray(q)) for q in base[s]],
                                objective: [matrix(np.asarray(q)) for q in other[s]]})
    return proven(tid, "all four objectives give the same Q after two exact backups on this game", {})


# --------------------------------------------------------------------------------------------------------------
# fictitious play, difference rewards
# --------------------------------------------------------------------------------------------------------------
@theorem("fictitious_play.policy_settles", slow=True, strategy="zero_sum_games", requires=("jalverify.solvers.minimax",),
         citation=_FP, expected=REFUTED_AS_EXPECTED,
         known_counterexample=lambda: (NormalFormGame.zero_sum([[1, -1], [-1, 1]], name="matching pennies"),),
         claim="when fictitious play's empirical marginals approach the minimax strategy sets (within TV 0.05 "
               "over the final 20 of 60 snapshots of a 3000-round run), its played policy settles as well")
def check_fictitious_play_policy_settles(game: NormalFormGame, *, iterations: int = 3000) -> Verdict:
    """Empirical marginals are compared with the exact polytopes of optimal strategies
    (:func:`jalverify.solvers.minimax.optimal_strategy_set`, distance to each player's convex hull)."""
    tid = "fictitious_play.policy_settles"
    from jalverify.convergence import ConvergenceStatus, check_policy, check_solution_set
    from jalverify.learners.fictitious_play import fictitious_play
    from jalverify.solvers.minimax import optimal_strategy_set
    from jalverify.theorems._common import exact_game

    g = exact_game(game)
    X = [np.array([float(p) for p in v]) for v in optimal_strategy_set(g, 0)]
    Y = [np.array([float(p) for p in v]) for v in optimal_strategy_set(g, 1)]
    # vertices of the product set X × Y as joint product distributions; per-block hull in the marginal view
    members = [np.multiply.outer(x, y) for x in X for y in Y]
    trace = fictitious_play(g, iterations, record_every=max(1, iterations // 60))
    # a one-point set is its own hull: the distance to it is the plain TV distance, no LP per snapshot needed
    emp = check_solution_set(trace, members, epsilon=0.05, window=20, of="empirical", hull=len(members) > 1,
                             per_block=True, view="marginals")
    pol = check_policy(trace, None, epsilon=0.25, window=20, view="marginals")
    witness = {"iterations": iterations, "empirical_to_minimax_set": emp.to_json(), "policy": pol.to_json()}
    if emp.status is ConvergenceStatus.ESTABLISHED and pol.status is ConvergenceStatus.CONTRADICTED:
        witness["numerical"] = True
        return refuted(tid, f"numerical (a deterministic float run of {iterations} rounds): the empirical marginals stay "
                            "within 0.05 of the exact minimax sets while the played pure profile keeps switching (TV "
                            "≥ 0.25 in each of the last two windows)", witness)
    return not_established(tid, f"empirical: {emp.status.value}, policy: {pol.status.value}; no counterexample here",
                   witness, 0.05)


@theorem("difference_rewards.alignment", strategy="normal_form_games", citation=_DR,
         claim="with G = player 0's payoff and default actions c_i = 0, D_i(a) = G(a) − G(c_i, a_−i) changes by "
               "exactly as much as G for every unilateral change of agent i, and D_i(c_i, a_−i) = 0")
def check_difference_rewards_alignment(game: NormalFormGame, defaults: Any = None) -> Verdict:
    tid = "difference_rewards.alignment"
    from jalverify.learners.difference_rewards import alignment_violations, difference_rewards
    from jalverify.theorems._common import exact_game

    g = exact_game(game)
    G = np.asarray(g.payoffs[0], dtype=object)
    c = [0] * g.n_players if defaults is None else list(defaults)
    D = difference_rewards(G, c)
    bad = alignment_violations(G, D)
    if bad:
        v = bad[0]
        return refuted(tid, f"agent {v['agent']} moving {v['from']} → {v['to']}: ΔG = {v['delta_G']}, ΔD = {v['delta_D']}",
                       {"from": list(v["from"]), "to": list(v["to"]), "delta_G": num(v["delta_G"]),
                        "delta_D": num(v["delta_D"])})
    for i in range(g.n_players):
        own_default = np.take(D[i], [c[i]], axis=i)
        if any(x != 0 for x in own_default.reshape(-1).tolist()):
            return refuted(tid, f"D_{i} is not 0 at agent {i}'s default action", {"agent": i})
    return proven(tid, f"aligned exactly for all {int(np.prod(g.n_actions))} joint actions and every unilateral change",
                     {"defaults": c})
