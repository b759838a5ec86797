r"""Registry entries for NoSDE games (``nosde.*``); the algorithms live in :mod:`jalverify.nosde`.

``nosde.q_determines_policy`` states the belief that the NoSDE theorem refutes (Zinkevich, Greenwald & Littman
2005, NIPS 18; Albrecht, Christianos & Schäfer 2024, p.126; seed note 000 "Limitations"; theory.md §6): that in
a game with a unique stationary equilibrium, its joint-action values Q determine its policy, so JAL-GT could
read action probabilities off Q.  It is expected to be refuted; the literature counterexample is the book's
NoSDE game (catalog ``nosde``) with the Γ' of :func:`jalverify.nosde.build_reward_pair` (seed 0), every claim
of which is checked exactly.
"""

from __future__ import annotations

from typing import Any

from jalverify.games.stochastic import StochasticGame
from jalverify.theorems._common import not_established, proven, refuted
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Status, Verdict

__all__ = ["check_q_determines_policy", "check_reward_pair_exists", "book_nosde_case"]

_CITATION = ("Zinkevich, Greenwald & Littman (2005), Cyclic equilibria in Markov games, NIPS 18, Thm. 1; "
             "Albrecht, Christianos & Schäfer (2024), p.126, Fig. 6.3, Eq. 6.12")


def book_nosde_case() -> tuple[Any, ...]:
    """The book's NoSDE game (catalog ``nosde``)."""
    from jalverify.games import catalog

    return (catalog.load("nosde"),)


@theorem("nosde.q_determines_policy", strategy="turn_based_games", expected=REFUTED_AS_EXPECTED,
         citation=_CITATION, requires=("jalverify.nosde",), known_counterexample=book_nosde_case,
         claim="in a NoSDE turn-based game with a unique stationary equilibrium π, Q^π determines π: no game "
               "differing only in rewards has a different unique stationary equilibrium π' with the same Q")
def check_q_determines_policy(game: StochasticGame) -> Verdict:
    """Refute the claim on ``game`` by building Γ' (target drawn with seed 0) and verifying every claim of the
    theorem exactly; vacuous (CONFIRMED) when ``game`` has a stationary deterministic equilibrium or several
    stationary equilibria, NOT_ESTABLISHED when the game is not turn-based or the construction fails a check."""
    from jalverify.nosde import (
        build_reward_pair,
        find_stationary_deterministic_equilibrium,
        q_rows_witness,
        turn_based_stationary_equilibria,
    )

    tid = "nosde.q_determines_policy"
    if not game.field.exact or not game.is_turn_based():
        return not_established(tid, "not decided: needs an exact turn-based game", {})
    if not find_stationary_deterministic_equilibrium(game, witnesses=False).is_nosde:
        return proven(tid, "the game has a stationary deterministic equilibrium (vacuous)", {})
    eqs = turn_based_stationary_equilibria(game)
    if eqs.uniqueness.status is not Status.PROVEN:
        return proven(tid, f"the stationary equilibrium is not proven unique (vacuous): {eqs.uniqueness.message}", {})
    pair = build_reward_pair(game, seed=0, equilibria=eqs)
    if not pair.confirmed:
        bad = next(v for v in pair.verdicts if not v.proven)
        return not_established(tid, f"the Γ' construction (seed 0) did not pass every check: {bad}", {"claim": bad.theorem})
    return refuted(tid, "Γ and Γ' (rewards changed only) have different unique stationary equilibria with exactly "
                   "equal Q for every agent and different V", q_rows_witness(pair))


@theorem("nosde.one_shot_matches_best_response", strategy="stochastic_games_with_policies",
         citation="One-shot deviation principle: Puterman (1994), Thm. 6.2.6; theory.md §6",
         requires=("jalverify.nosde", "jalverify.solvers.best_response"),
         claim="a stationary policy passes the one-shot deviation check iff every agent's exact best response "
               "gains nothing (NashConv = 0), and no one-shot gain exceeds the best-response gain at its state")
def check_one_shot_matches_best_response(game: StochasticGame, policy: Any) -> Verdict:
    """Differential check of :func:`jalverify.nosde.check_stationary_equilibrium` against policy iteration
    (:func:`jalverify.solvers.best_response.exploitability`), exactly."""
    from jalverify.games.stochastic import StationaryPolicy
    from jalverify.nosde import check_stationary_equilibrium
    from jalverify.numbers import EXACT
    from jalverify.solvers.best_response import exploitability

    tid = "nosde.one_shot_matches_best_response"
    if not isinstance(policy, StationaryPolicy):
        return proven(tid, "not an independent stationary policy (vacuous)", {})
    if not game.field.exact:
        game = game.to_field(EXACT, allow_float=True)
        policy = StationaryPolicy(game, [[d.tolist() for d in per] for per in policy.distributions], allow_float=True)
    check = check_stationary_equilibrium(game, policy)
    expl = exploitability(game, policy)
    if check.is_equilibrium != (expl.nash_conv == 0):
        return refuted(tid, f"one-shot check says equilibrium={check.is_equilibrium} but NashConv = {expl.nash_conv}",
                       {"nash_conv": str(expl.nash_conv), "one_shot_max_gain": str(check.max_gain)})
    for d in check.deviations:
        br_gain = expl.gains[d.player, d.state]
        if d.gain > br_gain:
            return refuted(tid, f"one-shot gain {d.gain} of {d} exceeds the best-response gain {br_gain}",
                           {"deviation": d.as_dict(), "best_response_gain": str(br_gain)})
    return proven(tid, f"agree: equilibrium={check.is_equilibrium}, NashConv = {expl.nash_conv}",
                     {"nash_conv": str(expl.nash_conv)})


@theorem("nosde.reward_pair_exists", strategy="nosde_games_with_seeds",
         citation=_CITATION, requires=("jalverify.nosde",),
         claim="for every NoSDE game Γ with a unique stationary equilibrium π there is a game Γ' differing only in "
               "its rewards, NoSDE, with its own unique stationary equilibrium π' ≠ π, Q_i^{π,Γ} = Q_i^{π',Γ'} "
               "for every i and V_i^{π,Γ} ≠ V_i^{π',Γ'} for some i (every part checked exactly)")
def check_reward_pair_exists(game: StochasticGame, seed: int) -> Verdict:
    """Build Γ' for a generated NoSDE game with the target drawn from ``seed`` (theory.md §6 constructive
    route) and verify every claim of the theorem exactly; CONFIRMED only when all of them are, REFUTED with
    the exact witness of the first failed claim."""
    from jalverify.nosde import build_reward_pair

    tid = "nosde.reward_pair_exists"
    pair = build_reward_pair(game, seed=seed)
    failed = [v for v in pair.verdicts if not v.proven]
    if not failed:
        return proven(tid, f"Γ' built (target seed {seed}) and every claim of the theorem confirmed exactly",
                         {"claims": [v.theorem for v in pair.verdicts]})
    bad = failed[0]
    if bad.refuted:
        return refuted(tid, f"the construction fails claim {bad.theorem}: {bad.message}", dict(bad.witness))
    return not_established(tid, f"claim {bad.theorem} not decided: {bad.message}", dict(bad.witness))
