r"""Nash-Q converges under the saddle-point condition (``nash_q.learning_converges_saddle``).

Hu & Wellman (2003, JMLR 4, Assumption 3 and Thm. 3; Albrecht, Christianos & Schäfer 2024, pp.123–124;
theory.md §4): if every stage game :math:`(Q_1(s), …, Q_n(s))` met during learning has a global optimal point
(condition A) or every one has a **saddle point** (condition B) — a Nash equilibrium at which each agent is
better off when the others deviate — and the agents update with that kind of equilibrium, then with infinite
exploration and Robbins–Monro steps Nash-Q's Q converges to the Nash Q-values.  Condition A is checked by
``nash_q.learning_converges_common_payoff`` (:mod:`jalverify.theorems.learning`); this module checks condition B.

**Where condition B holds along the whole run.**  In a two-player zero-sum stochastic game Nash-Q keeps
:math:`Q_1 = −Q_0` (the targets are :math:`r_1 + γ U_1 = −(r_0 + γ U_0)`, and IEEE negation is exact), so every
stage game it builds is zero-sum; in a zero-sum game every Nash equilibrium :math:`(x, y)` is a saddle point
(:math:`y` minimises :math:`x^T A ·`, so player 0 only gains when player 1 deviates, and symmetrically), and
the saddle points are the pairs of optimal strategies with payoffs :math:`(\mathrm{val}, −\mathrm{val})`.  The
Nash-Q backup with saddle points is then Shapley's operator and its fixed point is the minimax :math:`Q^*`.

Checked on a game (the generated games have a pure saddle point at every stage game of :math:`Q^*`, by
construction in :mod:`jalverify.strategies.saddle_games`, never trusted here):

1. **Exact Q*** (:func:`jalverify.theorems.learning.exact_minimax_q_star`, certified by Shapley's equation); its
   stage games are classified exactly (:func:`jalverify.solvers.nash_q_conditions.classify_stage_game`): each
   must have a saddle point (REFUTED otherwise), and the pure ones are reported.
2. **Exact fixed point** (REFUTED with the state, joint action and both values if it fails): the model-based
   operator of the library's Nash-Q learner with saddle-point updates (``require="saddle_point"``) satisfies
   :math:`\mathcal{T}(Q^*) = Q^*` in exact arithmetic.
3. **Condition B along the run** (REFUTED with the step and state): every audited stage game the sampled learner
   met had a saddle point and the update used one (classified exactly at the estimates' binary values).
4. **The sampled run** (within tolerance or not established, never a refutation: a float run cannot decide a
   limit statement): :math:`\max|Q − Q^*|` after the budget against ``tolerance · max(1, |R|max)/(1 − γ)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
from jalverify.theorems.learning import exact_minimax_q_star, first_operator_move, sampled_nash_q_run
from jalverify.theorems.registry import theorem
from jalverify.verdicts import Verdict

__all__ = [
    "DEFAULT_MAX_STEPS",
    "DEFAULT_MIN_STEPS_PER_PAIR",
    "NASH_Q_SADDLE_ID",
    "check_nash_q_saddle_convergence",
    "saddle_stage_report",
]

NASH_Q_SADDLE_ID = "nash_q.learning_converges_saddle"

#: Cap on the sampled run's steps (Nash-Q with saddle-point updates classifies every stage game it solves
#: exactly: a few milliseconds per step).
DEFAULT_MAX_STEPS = 3000
#: Fewest steps per (state, joint action) of the default budget (against sampling noise).
DEFAULT_MIN_STEPS_PER_PAIR = 150

_HW = ("Hu & Wellman (2003), JMLR 4, Defs. 10–11, Assumption 3 (condition B) and Thm. 3; Albrecht, Christianos & "
       "Schäfer (2024), pp.123–124; Shapley (1953); theory.md §3–§4")


def saddle_stage_report(game: StochasticGame, q_star: list[np.ndarray]) -> tuple[list[dict[str, Any]], str | None]:
    """Classify the stage game of ``q_star`` in every non-terminal state exactly.

    Returns
    -------
    (list of dict, str or None)
        Per state: the state, its value for player 0, the pure saddle points (joint actions) and whether the
        classification is complete; and the name of the first state whose stage game has **no** saddle point
        (``None`` when every one has).
    """
    from jalverify.solvers.nash_q_conditions import classify_stage_game

    rows: list[dict[str, Any]] = []
    missing: str | None = None
    for s in range(game.n_states):
        if game.terminal[s]:
            continue
        stage = NormalFormGame(np.asarray(q_star[s], dtype=object), name=f"stage game of Q* at {game.states[s]}")
        cls = classify_stage_game(stage)
        pure = [[int(d.tolist().index(1)) for d in p.distributions] for p in cls.saddle_points if p.is_pure()]
        rows.append({"state": game.states[s], "kind": cls.kind, "complete": bool(cls.complete),
                     "saddle_payoffs": None if cls.saddle_payoffs is None else nums(cls.saddle_payoffs),
                     "pure_saddle_points": pure})
        if not cls.saddle_points and missing is None:
            missing = game.states[s]
    return rows, missing


def _zero_sum_two_player(game: StochasticGame) -> bool:
    return game.n_players == 2 and bool(game.is_zero_sum())


@theorem(NASH_Q_SADDLE_ID, slow=True, strategy="zero_sum_saddle_stochastic_games", citation=_HW,
         requires=("jalverify.solvers.nash_q_conditions", "jalverify.solvers.zero_sum_policy_iteration",
                   "jalverify.learners.nash_q", "jalverify.learners.nash_q_audit"),
         claim="on a two-player zero-sum stochastic game every stage game Nash-Q builds is zero-sum and has a saddle "
               "point (Assumption 3, condition B): Nash-Q updating with saddle points (selection 'first') has the "
               "exact minimax Q* as the exact fixed point of its backup operator, Q*'s stage games have saddle "
               "points, every audited stage game of the sampled run has one and the update used one, and the run "
               "(Robbins–Monro 1/n^0.7, uniform exploration) approaches Q*; the finite run is reported as within 5% "
               "of max(1,|R|max)/(1−γ) or not established, never as a refutation")
def check_nash_q_saddle_convergence(game: StochasticGame, *, steps_per_pair: int | None = None,
                                    tolerance: float = 0.05, omega: float = 0.7, seed: int = 0,
                                    max_steps: int = DEFAULT_MAX_STEPS, concept: Any = None) -> Verdict:
    r"""Nash-Q with saddle-point updates on a zero-sum game: exact parts (may refute) and a finite run (cannot).

    Mirrors :func:`jalverify.theorems.learning.check_nash_q_common_payoff_convergence` (see the module docstring
    for the four parts).  The default budget is ``steps_per_pair = max(150, 2 · visits_for_initial_error(γ, ω,
    tolerance/2))`` steps per non-terminal (state, joint action) pair, capped at ``max_steps`` in total (each
    step solves and classifies a stage game exactly, milliseconds each).  ``concept`` replaces the learner's stage
    concept (default ``NashConcept("first", require="saddle_point")``), e.g. to show that a wrong backup is
    refuted by part 2.  A game that is not two-player zero-sum is outside the claim (PROVEN, vacuous).
    """
    tid = NASH_Q_SADDLE_ID
    from jalverify.learners.jal_gt import JointActionLearner
    from jalverify.learners.nash_q import nash_q

    if not _zero_sum_two_player(game):
        return proven(tid, "not a two-player zero-sum game: outside the claim (vacuous)", {})
    if all(game.terminal):
        return not_established(tid, "every state is terminal; nothing to learn", {}, tolerance)

    def make(**kwargs: Any) -> JointActionLearner:
        if concept is None:
            return nash_q(game, selection="first", require="saddle_point", on_violation="select", **kwargs)
        return JointActionLearner(game, concept, algorithm="nash-q (given concept)", **kwargs)

    # 1. the exact minimax Q* and its stage games
    q_exact = exact_minimax_q_star(game)
    if q_exact is None:
        return not_established(tid, "no exact (rational) minimax Q* found; the exact parts need one",
                               {"states": game.n_states}, tolerance)
    stages, missing = saddle_stage_report(game, q_exact)
    if missing is not None:
        return refuted(tid, f"the stage game of the exact minimax Q* at state {missing!r} has no saddle point",
                       {"stages": stages, "q_star": {game.states[s]: matrix(np.asarray(q_exact[s][0], dtype=object))
                                                     for s in range(game.n_states)}})
    # 2. exact fixed point of the learner's operator
    operator = make().apply_operator(q_exact, "exact")
    moved = first_operator_move(q_exact, operator)
    if moved is not None:
        s, idx = moved
        return refuted(tid, f"the Nash-Q (saddle-point) operator moves the exact minimax Q* at state "
                            f"{game.states[s]!r}, agent {game.players[idx[0]]}, joint action {state_joint_text(game, s, idx[1:])}: "
                            f"{operator[s][idx]} "
                            f"instead of {q_exact[s][idx]}",
                       {"state": game.states[s], "agent": idx[0], "joint_action": list(idx[1:]),
                        "q_star": num(q_exact[s][idx]), "operator": num(operator[s][idx]), "stages": stages})
    # 3.-4. the sampled run with the condition audit
    run = sampled_nash_q_run(game, make, q_exact, "saddle_point", seed=seed, omega=omega, tolerance=tolerance,
                             steps_per_pair=steps_per_pair, max_steps=max_steps,
                             min_steps_per_pair=DEFAULT_MIN_STEPS_PER_PAIR, audits=100, min_audit_interval=10,
                             where="check_nash_q_saddle_convergence()")
    summary, err, half, scale, steps = run.audit, run.error, run.error_at_half_budget, run.scale, run.steps
    visits, needed = run.min_visits, run.needed
    witness = {"steps": steps, "seed": seed, "omega": omega, "error": err, "error_at_half_budget": half,
               "scale": scale, "tolerance": tolerance, "min_visits_per_pair": visits,
               "visits_for_initial_error": needed, "reference": "exact minimax Q* (certified)",
               "operator_fixed_point": "exact", "stages": stages, "audit": summary, "error_trace": run.errors.tolist()}
    if summary["records"] > 0 and not summary["condition_B_holds"]:
        return refuted(tid, f"a stage game without a saddle point was met, or the update did not use one: "
                            f"{summary['first_violation_B']}", witness)
    pure = sum(1 for row in stages if row["pure_saddle_points"])
    head = (f"T(Q*) = Q* exactly; {pure} of {len(stages)} stage games of Q* have a pure saddle point (all have one); "
            f"condition B held in all {summary['records']} audited stage games")
    if err <= tolerance * scale:
        return within_tolerance(tid, f"{head}; max |Q − Q*| = {err:.3g} ≤ {tolerance:g}·{scale:.3g} after {steps} "
                                     "steps (float run)", witness, tolerance=tolerance * scale, worst=err)
    trend = "still shrinking" if err < half else "not shrinking over the second half"
    return not_established(tid, f"{head}; convergence not established within the budget: max |Q − Q*| = {err:.3g} "
                                f"> {tolerance:g}·{scale:.3g} after {steps} steps (error {trend}: {half:.3g} at half "
                                f"budget; min visits per pair {visits}, about {needed} needed for the initial error "
                                "alone)", witness, tolerance)
