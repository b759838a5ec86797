r"""CE-Q need not converge (``ce_q.backup_converges``, refuted as expected).

Seed note 000: "Convergence [of CE-Q] to a correlated equilibrium is not guaranteed" (Greenwald & Hall 2003,
ICML; theory.md §5: no convergence guarantee is known for CE-Q).  The sharpest form of the statement concerns the
*model-based* CE-Q backup, i.e. value iteration over joint-action values with a stationary CE selection
(Albrecht, Christianos & Schäfer 2024, Algorithms 6–7; theory.md §2).  Zinkevich, Greenwald & Littman (2005,
NIPS 18) show that on NoSDE games every value-iteration-based JAL-GT backup with a stationary selection cycles.

The check runs the exact backup (rational arithmetic; exact CE LPs of
:func:`jalverify.solvers.correlated.correlated_solve`, utilitarian objective, lexicographic tie-break) from
:math:`Q = 0` and certifies its limit behaviour with :func:`jalverify.nosde.ce_q_cycle.ce_q_backup_cycle`: a
periodic orbit of the backup solved exactly, the CE at every orbit point unique with an exact margin (iterated
strict dominance), and an iterate inside the margin's ball.  A certified orbit of period ≥ 2 with distinct
points refutes the claim (the iterates approach each orbit point in turn, so they have no limit); a certified
fixed point proves convergence on that game; otherwise the verdict is NOT_ESTABLISHED.  The sampled CE-Q
learner's behaviour on the same game is the experiment ``examples/campaigns/ce_q_nosde.toml``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InternalError
from jalverify.games.stochastic import StochasticGame
from jalverify.nosde.ce_q_cycle import DEFAULT_MAX_ITERATIONS, CEQCycle, ce_q_backup_cycle
from jalverify.nosde.value_iteration_cycle import CycleStatus
from jalverify.theorems._common import matrix, not_established, num, nums, proven, refuted
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = ["CE_Q_BACKUP_ID", "check_ce_q_backup_converges", "cycle_witness", "nosde_catalog_game",
           "orbit_as_fractions"]

CE_Q_BACKUP_ID = "ce_q.backup_converges"

_CITATION = ("Greenwald & Hall (2003), ICML; Zinkevich, Greenwald & Littman (2005), NIPS 18; Albrecht, Christianos "
             "& Schäfer (2024), Algorithms 6–7, p.126; seed note 000; theory.md §2, §5, §6")


def nosde_catalog_game() -> StochasticGame:
    """The book's NoSDE game (catalog ``nosde``; Albrecht et al. 2024, p.126, Fig. 6.3; γ = 3/4)."""
    from jalverify.games import catalog

    game = catalog.load("nosde")
    if not isinstance(game, StochasticGame):  # the catalog entry is a stochastic game; anything else is a bug
        raise InternalError(f"nosde_catalog_game(): catalog 'nosde' is a {type(game).__name__}")
    return game


def _q_text(game: StochasticGame, Q: Any) -> dict[str, list[Any]]:
    return {game.states[s]: [matrix(np.asarray(Q[s][j], dtype=object)) for j in range(game.n_players)]
            for s in range(game.n_states)}


def cycle_witness(result: CEQCycle) -> dict[str, Any]:
    """The certificate of :func:`~jalverify.nosde.ce_q_cycle.ce_q_backup_cycle` as witness fields (exact
    strings): the block, the orbit (Q per phase and the values backed up), margins, distance, amplitude."""
    game = result.game
    return {
        "objective": result.objective, "tie_break": result.tie_break, "initial_q": "0",
        "period": result.period, "entered": result.entered, "certified_at": result.certified_at,
        "iterations": result.iterations,
        "cycle": result.cycle_text(),
        "orbit_q": [_q_text(game, Q) for Q in result.orbit],
        "orbit_values": [{game.states[s]: nums(W[:, s].tolist()) for s in range(game.n_states)}
                         for W in result.orbit_values],
        "margins": [None if m is None else num(m) for m in result.margins],
        "margin": None if result.margin is None else num(result.margin),
        "radius": None if result.margin is None else num(result.margin / 2),
        "distance": num(result.distance),
        "amplitude": num(result.amplitude),
    }


@theorem(CE_Q_BACKUP_ID, slow=True, strategy="nosde_games", citation=_CITATION, expected=REFUTED_AS_EXPECTED,
         requires=("jalverify.solvers.correlated", "jalverify.nosde.ce_q_cycle"),
         known_counterexample=lambda: (nosde_catalog_game(),),
         claim="the exact model-based CE-Q backup (value iteration with the stationary utilitarian-CE selection, "
               "lexicographic tie-break, from Q = 0) converges: its iterates Q_k have a limit (certified exactly "
               f"within {DEFAULT_MAX_ITERATIONS} backups: a periodic orbit, unique CE with a margin at each orbit "
               "point, an iterate inside the margin)")
def check_ce_q_backup_converges(game: StochasticGame, *, objective: str = "utilitarian",
                                tie_break: str = "lexicographic",
                                max_iterations: int = DEFAULT_MAX_ITERATIONS) -> Verdict:
    """Iterate the exact CE-Q backup on ``game`` and judge its limit (module docstring).

    Float games are taken at their exact binary values.  REFUTED with the certified cycle (block, exact orbit,
    margins, distance, amplitude); PROVEN for a certified fixed point; NOT_ESTABLISHED when nothing was
    certified within ``max_iterations`` backups.
    """
    tid = CE_Q_BACKUP_ID
    if not game.field.exact:
        from jalverify.numbers import EXACT

        game = game.to_field(EXACT, allow_float=True)
    if game.gamma == 0:
        return proven(tid, "γ = 0: the backup is constant from the first step (converges trivially)", {"gamma": "0"})
    result = ce_q_backup_cycle(game, objective=objective, tie_break=tie_break, max_iterations=max_iterations)
    label = f"game {game.name!r}" if game.name else "the game"
    what = f"the exact CE-Q backup ({objective} CE, {tie_break} tie-break) from Q = 0 on {label}"
    if result.status is not CycleStatus.CERTIFIED:
        return not_established(tid, f"{what}: no cycle or fixed point certified within {max_iterations} backups",
                               {"iterations": result.iterations, "objective": objective, "tie_break": tie_break})
    witness = cycle_witness(result)
    margin = "no choice anywhere" if result.margin is None else (
        f"margin {result.margin}, distance {result.distance} < {result.margin / 2}")
    if result.converges:
        return proven(tid, f"{what} converges: from backup {result.entered} on its stage solution is "
                           f"{result.cycle_text()[0]} and Q_k tends to the fixed point (certified: unique CE, "
                           f"{margin})", witness)
    return refuted(tid, f"{what} does not converge: from backup {result.entered} on its stage solutions repeat a "
                        f"block of period {result.period} for ever and Q_k approaches each of {result.period} orbit "
                        f"points in turn, consecutive points at least {result.amplitude} apart (max-norm; certified "
                        f"exactly: unique CE at every orbit point, {margin})", witness)


def orbit_as_fractions(witness: dict[str, Any], game: StochasticGame) -> list[list[np.ndarray]]:
    """The orbit of a REFUTED/PROVEN witness read back as exact arrays (per phase, per state ``(n, *k_s)``)."""
    out = []
    for phase in witness["orbit_q"]:
        per_state = []
        for s in range(game.n_states):
            text = np.array(phase[game.states[s]], dtype=object)
            arr = np.vectorize(Fraction, otypes=[object])(text)
            per_state.append(arr.reshape((game.n_players,) + game.n_actions(s)))
        out.append(per_state)
    return out
