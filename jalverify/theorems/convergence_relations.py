r"""Relations between the convergence notions of seed note 001 (``convergence.*``), on exact finite traces.

Notions (Albrecht, Christianos & Schäfer 2024, §5.2, pp. 92–94; theory.md §7) for joint policies :math:`π^z`
and a solution :math:`π^*`: policy convergence; expected return :math:`U_i(π^z) → U_i(π^*)`; averaged policy
:math:`\bar π^z → π^*`; empirical distribution of play; convergence to a *set* of solutions; average return
:math:`\bar U^z_i → U_i(π^*)`.

Policy convergence implies the others because of two exact inequalities checked here on generated data:
:math:`|U_i(σ) − U_i(τ)| ≤ \max_a |R_i(a)| · Σ_j ‖σ_j − τ_j‖_1` (expected payoffs are Lipschitz in the profile),
and the averages are no farther from the target than the average distance (triangle inequality), so Cesàro
means inherit convergence.  The converses fail; the counterexamples are **periodic traces**: a cycle
:math:`(π^1, …, π^p)` repeated forever has averaged policy / average return converging to the cycle's mean
exactly, while :math:`π^z` converges iff all cycle elements are equal.  So one period is an exact, finite
witness of non-convergence together with convergence of the averages.

Self-contained: only :mod:`jalverify.games.profiles` is used (the learner-trace criteria live in
:mod:`jalverify.convergence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, expected_payoffs, max_regret
from jalverify.theorems._common import (
    exact_game,
    matrix,
    num,
    nums,
    profile_text,
    proven,
    refuted,
    vector_text,
    vectors_text,
)
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = [
    "average_profile",
    "check_average_return_implies_expected_return",
    "check_averaged_policy_implies_policy",
    "check_expected_return_implies_policy",
    "check_policy_implies_average_return",
    "check_policy_implies_averaged_policy",
    "check_policy_implies_expected_return",
    "check_set_convergence_implies_point",
    "profile_distance",
]

_SRC = "Albrecht, Christianos & Schäfer (2024), §5.2, pp. 92–94; seed note 001; theory.md §7"


def _exact(game: NormalFormGame, profile: MixedProfile) -> MixedProfile:
    return MixedProfile(game, [[Fraction(p) for p in d.tolist()] for d in profile.distributions], allow_float=True)


def profile_distance(a: MixedProfile, b: MixedProfile) -> Fraction:
    """:math:`Σ_j ‖a_j − b_j‖_1` (exact)."""
    return sum((abs(Fraction(x) - Fraction(y)) for da, db in zip(a.distributions, b.distributions)
                for x, y in zip(da.tolist(), db.tolist())), Fraction(0))


def average_profile(game: NormalFormGame, trace: Sequence[MixedProfile]) -> MixedProfile:
    """Per-player average of the trace's strategies (the averaged policy of one period)."""
    n = len(trace)
    dists = []
    for i in range(game.n_players):
        total = [sum((Fraction(p.distributions[i][a]) for p in trace), Fraction(0)) / n for a in range(game.n_actions[i])]
        dists.append(total)
    return MixedProfile(game, dists)


def _show(profile: MixedProfile) -> list[list[str]]:
    return [nums(d.tolist()) for d in profile.distributions]


def _game_witness(game: NormalFormGame) -> dict[str, Any]:
    return {f"R{k}": matrix(np.asarray(game.payoffs[k])) for k in range(game.n_players)}


@theorem("convergence.policy_implies_expected_return", strategy="games_with_profile_pairs", citation=_SRC,
         claim="|U_i(σ) − U_i(τ)| ≤ max_a |R_i(a)| · Σ_j ‖σ_j − τ_j‖₁, so policy convergence implies convergence of "
               "expected returns")
def check_policy_implies_expected_return(game: NormalFormGame, sigma: MixedProfile, tau: MixedProfile) -> Verdict:
    tid = "convergence.policy_implies_expected_return"
    g = exact_game(game)
    s, t = _exact(g, sigma), _exact(g, tau)
    d = profile_distance(s, t)
    Us, Ut = expected_payoffs(g, s), expected_payoffs(g, t)
    for i in range(g.n_players):
        scale = max(abs(v) for v in g.payoffs[i].reshape(-1).tolist())
        if abs(Us[i] - Ut[i]) > scale * d:
            return refuted(tid, f"player {i}: |ΔU| = {abs(Us[i] - Ut[i])} > {scale}·{d}",
                           {**_game_witness(g), "sigma": _show(s), "tau": _show(t), "player": i})
    return proven(tid, f"Lipschitz bound holds (distance {d})", {"distance": num(d)})


@theorem("convergence.policy_implies_averaged_policy", strategy="games_with_profile_traces", citation=_SRC,
         claim="the averaged policy is no farther from π* than the average distance of the policies "
               "(‖π̄ − π*‖ ≤ (1/z) Σ_e ‖π^e − π*‖), so policy convergence implies averaged-policy convergence")
def check_policy_implies_averaged_policy(game: NormalFormGame, trace: Sequence[MixedProfile],
                                         target: MixedProfile) -> Verdict:
    tid = "convergence.policy_implies_averaged_policy"
    g = exact_game(game)
    tr = [_exact(g, p) for p in trace]
    star = _exact(g, target)
    avg = average_profile(g, tr)
    lhs = profile_distance(avg, star)
    rhs = sum((profile_distance(p, star) for p in tr), Fraction(0)) / len(tr)
    if lhs <= rhs:
        return proven(tid, f"‖π̄ − π*‖ = {lhs} ≤ {rhs}", {"lhs": num(lhs), "rhs": num(rhs)})
    return refuted(tid, f"‖π̄ − π*‖ = {lhs} > mean distance {rhs}",
                   {**_game_witness(g), "trace": [_show(p) for p in tr], "target": _show(star)})


@theorem("convergence.policy_implies_average_return", strategy="games_with_profile_traces", citation=_SRC,
         claim="|Ū_i − U_i(π*)| ≤ (1/z) Σ_e |U_i(π^e) − U_i(π*)|, so expected-return (hence policy) convergence "
               "implies average-return convergence")
def check_policy_implies_average_return(game: NormalFormGame, trace: Sequence[MixedProfile],
                                        target: MixedProfile) -> Verdict:
    tid = "convergence.policy_implies_average_return"
    g = exact_game(game)
    tr = [_exact(g, p) for p in trace]
    star = _exact(g, target)
    U_star = expected_payoffs(g, star)
    returns = [expected_payoffs(g, p) for p in tr]
    for i in range(g.n_players):
        avg = sum((u[i] for u in returns), Fraction(0)) / len(tr)
        lhs = abs(avg - U_star[i])
        rhs = sum((abs(u[i] - U_star[i]) for u in returns), Fraction(0)) / len(tr)
        if lhs > rhs:
            return refuted(tid, f"player {i}: |Ū − U*| = {lhs} > {rhs}", {"player": i, "lhs": num(lhs), "rhs": num(rhs)})
    return proven(tid, "average-return deviation bounded by the mean deviation", {})


@theorem("convergence.expected_return_implies_policy", strategy="games_with_profile_pairs", citation=_SRC,
         expected=REFUTED_AS_EXPECTED,
         known_counterexample=lambda: _pennies_pair(),
         claim="two profiles with the same expected returns for every player are the same profile (so expected-return "
               "convergence would imply policy convergence)")
def check_expected_return_implies_policy(game: NormalFormGame, sigma: MixedProfile, tau: MixedProfile) -> Verdict:
    tid = "convergence.expected_return_implies_policy"
    g = exact_game(game)
    s, t = _exact(g, sigma), _exact(g, tau)
    Us, Ut = expected_payoffs(g, s), expected_payoffs(g, t)
    if list(Us) == list(Ut) and profile_distance(s, t) > 0:
        return refuted(tid, f"distinct profiles with equal expected returns {vector_text(Us)}: the trace σ, τ, σ, τ, ... has "
                            "constant expected returns but no limit policy",
                       {**_game_witness(g), "sigma": _show(s), "tau": _show(t), "returns": nums(Us)})
    return proven(tid, "equal returns only for equal profiles here (or returns differ)", {})


def _pennies() -> NormalFormGame:
    return NormalFormGame.zero_sum([[1, -1], [-1, 1]], actions=[["heads", "tails"]] * 2, name="matching pennies")


def _pennies_pair() -> tuple[Any, ...]:
    g = _pennies()
    half = [Fraction(1, 2), Fraction(1, 2)]
    return (g, MixedProfile(g, [half, half]), MixedProfile(g, [[Fraction(1), Fraction(0)], half]))


def _pennies_cycle() -> tuple[Any, ...]:
    g = _pennies()
    cycle = tuple(MixedProfile.pure(g, a) for a in [(0, 0), (0, 1), (1, 1), (1, 0)])
    return (g, cycle)


@theorem("convergence.averaged_policy_implies_policy", strategy="games_with_profile_cycles", citation=_SRC,
         expected=REFUTED_AS_EXPECTED, known_counterexample=_pennies_cycle,
         claim="if the averaged policy of a trace converges to a Nash equilibrium, the policies themselves converge "
               "(checked on periodic traces: the average of one period is the exact limit of the averages)")
def check_averaged_policy_implies_policy(game: NormalFormGame, cycle: Sequence[MixedProfile]) -> Verdict:
    tid = "convergence.averaged_policy_implies_policy"
    g = exact_game(game)
    tr = [_exact(g, p) for p in cycle]
    avg = average_profile(g, tr)
    if max_regret(g, avg) != 0:
        return proven(tid, "the averaged policy's limit is not a Nash equilibrium (premise fails)", {})
    moving = max(profile_distance(tr[k], tr[(k + 1) % len(tr)]) for k in range(len(tr)))
    if moving == 0:
        return proven(tid, "the trace is constant, so it converges", {})
    return refuted(tid, f"the averaged policy converges to the Nash equilibrium {profile_text(g, avg.distributions)} while the policy cycles "
                        f"through {len(tr)} profiles (consecutive distance up to {moving})",
                   {**_game_witness(g), "cycle": [_show(p) for p in tr], "average": _show(avg),
                    "average_regret": "0", "max_step": num(moving)})


@theorem("convergence.average_return_implies_expected_return", strategy="games_with_profile_cycles", citation=_SRC,
         expected=REFUTED_AS_EXPECTED, known_counterexample=_pennies_cycle,
         claim="if the average return converges, the expected returns U_i(π^z) converge (checked on periodic traces)")
def check_average_return_implies_expected_return(game: NormalFormGame, cycle: Sequence[MixedProfile]) -> Verdict:
    tid = "convergence.average_return_implies_expected_return"
    g = exact_game(game)
    tr = [_exact(g, p) for p in cycle]
    returns = [tuple(expected_payoffs(g, p).tolist()) for p in tr]
    if len(set(returns)) == 1:
        return proven(tid, "expected returns are constant along the cycle", {})
    mean = [sum((r[i] for r in returns), Fraction(0)) / len(tr) for i in range(g.n_players)]
    return refuted(tid, f"average returns converge to {vector_text(mean)} while expected returns cycle through "
                        f"{vectors_text(returns)}",
                   {**_game_witness(g), "cycle": [_show(p) for p in tr], "returns": [nums(r) for r in returns],
                    "average_return": nums(mean)})


def _coordination_cycle() -> tuple[Any, ...]:
    g = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], name="pure coordination")
    return (g, (MixedProfile.pure(g, (0, 0)), MixedProfile.pure(g, (1, 1))))


@theorem("convergence.set_convergence_implies_point", strategy="games_with_profile_cycles", citation=_SRC,
         expected=REFUTED_AS_EXPECTED, known_counterexample=_coordination_cycle,
         claim="a trace that converges to the set of Nash equilibria (every policy is one) converges to one of them")
def check_set_convergence_implies_point(game: NormalFormGame, cycle: Sequence[MixedProfile]) -> Verdict:
    tid = "convergence.set_convergence_implies_point"
    g = exact_game(game)
    tr = [_exact(g, p) for p in cycle]
    if any(max_regret(g, p) != 0 for p in tr):
        return proven(tid, "some policy of the cycle is not an equilibrium (premise fails)", {})
    if all(profile_distance(tr[0], p) == 0 for p in tr):
        return proven(tid, "the trace is constant", {})
    return refuted(tid, f"every policy is a Nash equilibrium (distance 0 to the set) but the trace wanders between "
                        f"{len({tuple(map(tuple, _show(p))) for p in tr})} distinct equilibria",
                   {**_game_witness(g), "cycle": [_show(p) for p in tr]})
