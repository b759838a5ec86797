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
from jalverify.theorems._common import confirmed, refuted, unknown
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Status, Verdict

__all__ = ["check_q_determines_policy", "book_nosde_case"]

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
    stationary equilibria, UNKNOWN when the game is not turn-based or the construction fails a check."""
    from jalverify.nosde import build_reward_pair, find_stationary_deterministic_equilibrium, q_rows_witness
    from jalverify.nosde import turn_based_stationary_equilibria

    tid = "nosde.q_determines_policy"
    if not game.field.exact or not game.is_turn_based():
        return unknown(tid, "not decided: needs an exact turn-based game", {})
    if not find_stationary_deterministic_equilibrium(game, witnesses=False).is_nosde:
        return confirmed(tid, "the game has a stationary deterministic equilibrium (vacuous)", {})
    eqs = turn_based_stationary_equilibria(game)
    if eqs.uniqueness.status is not Status.CONFIRMED:
        return confirmed(tid, f"the stationary equilibrium is not proven unique (vacuous): {eqs.uniqueness.message}", {})
    pair = build_reward_pair(game, seed=0, equilibria=eqs)
    if not pair.confirmed:
        bad = next(v for v in pair.verdicts if not v.confirmed)
        return unknown(tid, f"the Γ' construction (seed 0) did not pass every check: {bad}", {"claim": bad.theorem})
    return refuted(tid, "Γ and Γ' (rewards changed only) have different unique stationary equilibria with exactly "
                   "equal Q for every agent and different V", q_rows_witness(pair))
