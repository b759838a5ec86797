r"""Non-stationarity: independent Q-learners need not converge (``iql.converges``, refuted as expected).

Seed note 001 ("Challenges"): MARL has intrinsic non-stationarity — every agent's environment contains the other
learning agents, so single-agent convergence results do not carry over (Albrecht, Christianos & Schäfer 2024,
§5.4 and §5.3.1 on independent learning; theory.md §8).  Independent Q-learning (IQL; Tan 1993, ICML) lets each
agent ``i`` learn :math:`Q_i(s, a_i)` over its own actions only (:mod:`jalverify.learners.independent_q`); each
agent faces a moving target.

The claim checked and expected to fail: *on a two-player zero-sum game played repeatedly (γ = 9/10),
independent Q-learners' greedy joint policy converges to a Nash equilibrium.*

**Exact part (refutes).**  IQL's greedy joint policy is deterministic at every step (each agent's
:math:`\arg\max_{a_i} Q_i(a_i)`, ties to the first action), so it always lies in the finite set of pure joint
actions.  When no pure joint action is a Nash equilibrium of the stage game (matching pennies), every one has an
exact profitable deviation; with δ the smallest NashConv (sum of the players' best-deviation gains) over the pure
joint actions, every greedy policy the learners can ever hold has NashConv ≥ δ > 0 in the stage game and ≥ δ/(1−γ)
as a stationary policy of the repeated game (values :math:`R/(1−γ)` for a stationary profile of a one-state
game).  NashConv is 0 exactly at Nash equilibria and continuous, so the greedy policies cannot converge to one:
refuted exactly, for every run.

**Run evidence (does not decide).**  A seeded IQL run (Robbins–Monro steps ``1/n^0.7``, ε-greedy with ε = 0.1)
is reported with how often the greedy policy changed over the run and over its final window, and the stationarity
check of :func:`jalverify.convergence.check_policy` (TV between the agents' greedy marginals, final 50 of 200
snapshots).  It shows the non-stationarity (the greedy policy keeps switching) but is float evidence only.  When
some pure joint action is a Nash equilibrium there is no exact counterexample and the verdict is NOT_ESTABLISHED
with the run's evidence.  The experiment ``examples/campaigns/iql_non_stationarity.toml`` runs IQL against
Minimax-Q on the same game.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.theorems._common import exact_game, joint_text, not_established, num, proven, refuted
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = ["IQL_CONVERGES_ID", "check_iql_converges", "iql_run_evidence", "matching_pennies", "pure_profile_gains"]

IQL_CONVERGES_ID = "iql.converges"

#: The discount of the repeated game, the run's budget and its learning parameters (stated in the claim).
GAMMA = Fraction(9, 10)
STEPS = 5000
SNAPSHOTS = 200
WINDOW = 50
OMEGA = 0.7
EPSILON = 0.1

_CITATION = ("Tan (1993), ICML; Albrecht, Christianos & Schäfer (2024), §5.3.1 and §5.4 (non-stationarity); "
             "seed note 001 'Challenges'; theory.md §7–§8")


def matching_pennies() -> NormalFormGame:
    """Matching pennies (catalog ``matching_pennies``): no pure Nash equilibrium, unique equilibrium uniform."""
    from jalverify.games import catalog

    game = catalog.load("matching_pennies")
    if not isinstance(game, NormalFormGame):  # the catalog entry is a normal-form game; anything else is a bug
        from jalverify.errors import InternalError

        raise InternalError(f"matching_pennies(): catalog 'matching_pennies' is a {type(game).__name__}")
    return game


def pure_profile_gains(game: NormalFormGame) -> list[dict[str, Any]]:
    """For every pure joint action of an exact game: each player's best deviation and its exact gain.

    Returns
    -------
    list of dict
        ``{"joint_action": (...), "gains": [g_0, …], "deviations": [b_0, …], "nash_conv": Σ_i g_i}`` in row-major
        order, with :math:`g_i = \\max_b R_i(b, a_{-i}) − R_i(a) ≥ 0` and :math:`b_i` its first maximiser.
    """
    out = []
    for a in game.joint_actions():
        gains, devs = [], []
        for i in range(game.n_players):
            own = Fraction(game.payoffs[(i,) + tuple(a)])
            options = []
            for b in range(game.n_actions[i]):
                joint = list(a)
                joint[i] = b
                options.append(Fraction(game.payoffs[(i,) + tuple(joint)]))
            best = max(options)
            gains.append(best - own)
            devs.append(options.index(best))
        out.append({"joint_action": tuple(a), "gains": gains, "deviations": devs, "nash_conv": sum(gains, Fraction(0))})
    return out


def iql_run_evidence(game: NormalFormGame, *, gamma: Fraction = GAMMA, steps: int = STEPS, seed: int = 0,
                     omega: float = OMEGA, epsilon: float = EPSILON) -> dict[str, Any]:
    """Run IQL on ``game`` played repeatedly and summarise how its greedy joint policy moved (float evidence).

    Returns the seed and budget, the number of snapshots (of :data:`SNAPSHOTS`) at which the greedy joint action
    differed from the previous one (whole run and final :data:`WINDOW`), the final greedy joint action and the
    stationarity check of :func:`jalverify.convergence.check_policy` (ε = 0.25 TV on the agents' marginals).
    """
    from jalverify.convergence import check_policy
    from jalverify.games.stochastic import repeated_game
    from jalverify.learners.independent_q import independent_q
    from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro
    from jalverify.learners.simulator import Simulator

    repeated = repeated_game(game, gamma)
    learner = independent_q(repeated, schedule=RobbinsMonro(omega), exploration=EpsilonGreedy(epsilon), seed=seed)
    trace = learner.learn(steps, Simulator(repeated, seed + 1, start="uniform", episode_length=10),
                          record_every=max(1, steps // SNAPSHOTS))
    joints = np.asarray(trace.policies[0], dtype=np.float64).reshape(trace.n_snapshots, -1)
    changed = np.any(joints[1:] != joints[:-1], axis=1)
    window = min(WINDOW, int(changed.size))
    greedy = [int(np.argmax(q)) for q in learner.own_q[0]]
    report = check_policy(trace, None, epsilon=0.25, window=window, view="marginals", repeats=2)
    return {"numerical": True, "steps": steps, "seed": seed, "schedule": f"1/n^{omega:g}", "epsilon": epsilon,
            "gamma": str(gamma), "snapshots": int(trace.n_snapshots),
            "greedy_changes": int(changed.sum()), "greedy_changes_final_window": int(changed[-window:].sum()),
            "final_window": window, "final_greedy": [game.actions[i][a] for i, a in enumerate(greedy)],
            "stationarity_check": report.status.value}


def _names(game: NormalFormGame, joint: tuple[int, ...]) -> list[str]:
    return [game.actions[i][a] for i, a in enumerate(joint)]


@theorem(IQL_CONVERGES_ID, slow=True, strategy="zero_sum_games", citation=_CITATION, expected=REFUTED_AS_EXPECTED,
         requires=("jalverify.learners.independent_q",), known_counterexample=lambda: (matching_pennies(),),
         claim="on a two-player zero-sum game played repeatedly with γ = 9/10, independent Q-learners' greedy joint "
               "policy converges to a Nash equilibrium (exact part: the greedy policy is pure at every step, so a "
               "game whose pure joint actions all have exact profitable deviations refutes the claim; a seeded run "
               f"of {STEPS} steps, Robbins–Monro 1/n^{OMEGA:g}, ε-greedy ε = {EPSILON:g}, is reported as evidence)")
def check_iql_converges(game: NormalFormGame, *, steps: int = STEPS, seed: int = 0) -> Verdict:
    """The exact part decides (module docstring); the run's evidence is attached either way.  A game that is
    not two-player zero-sum is outside the claim (PROVEN, vacuous)."""
    tid = IQL_CONVERGES_ID
    g = exact_game(game)
    if g.n_players != 2 or not g.is_zero_sum():
        return proven(tid, "not a two-player zero-sum game: outside the claim (vacuous)", {})
    table = pure_profile_gains(g)
    run = iql_run_evidence(g, steps=steps, seed=seed)
    equilibria = [row for row in table if row["nash_conv"] == 0]
    profiles = [{"joint_action": _names(g, row["joint_action"]),
                 "gains": [num(x) for x in row["gains"]],
                 "deviations": [g.actions[i][b] for i, b in enumerate(row["deviations"])],
                 "nash_conv": num(row["nash_conv"])} for row in table]
    evidence = (f"run evidence (float, seed {seed}, {steps} steps): the greedy joint action changed at "
                f"{run['greedy_changes']} of {run['snapshots'] - 1} snapshot intervals, "
                f"{run['greedy_changes_final_window']} of the final {run['final_window']}, ending at "
                f"{joint_text(game, run['final_greedy'])}; stationarity check {run['stationarity_check']}")
    if equilibria:
        first = equilibria[0]["joint_action"]
        return not_established(tid, f"the pure joint action {joint_text(g, first)} is a Nash equilibrium, so the exact "
                                    f"argument does not apply; {evidence}",
                               {"pure_equilibria": [_names(g, row["joint_action"]) for row in equilibria],
                                "run": run})
    delta = min(row["nash_conv"] for row in table)
    worst = min(table, key=lambda row: row["nash_conv"])
    gamma = GAMMA
    return refuted(tid, f"no pure joint action is a Nash equilibrium: each has an exact profitable deviation, the "
                        f"smallest NashConv being {delta} at {joint_text(g, worst['joint_action'])}; IQL's greedy joint "
                        f"policy is pure at every step, so its NashConv stays ≥ {delta} in the stage game (≥ "
                        f"{delta / (1 - gamma)} in the repeated game, γ = {gamma}) and it cannot converge to a Nash "
                        f"equilibrium (exact); {evidence}",
                   {"pure_profiles": profiles, "min_nash_conv": num(delta),
                    "min_nash_conv_repeated": num(delta / (1 - gamma)), "gamma": num(gamma), "run": run})
