r"""ε-Nash check of a given mixed profile, with an explicit verdict.

σ is an ε-Nash equilibrium iff no player gains more than ε by a unilateral deviation:
:math:`\max_i \max_{a'_i} U_i(a'_i, σ_{-i}) - U_i(σ) \le ε` (Albrecht, Christianos & Schäfer 2024, §4.5;
pure deviations suffice because :math:`U_i` is linear in :math:`σ_i`).  In the exact field the
regrets are exact Fractions, so the verdict is CONFIRMED or REFUTED (with the deviation as witness).  In the
float field a regret above ``ε + atol`` is recomputed exactly on the binary values of the float data and, if
it still exceeds ε, REFUTED with that exact witness; everything else is WITHIN_TOLERANCE (a float
computation never proves a claim).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, regrets
from jalverify.numbers import format_number
from jalverify.verdicts import Status, Verdict

__all__ = ["epsilon_nash_check"]

THEOREM = "nash.epsilon"


def epsilon_nash_check(game: NormalFormGame, profile: MixedProfile, epsilon: Any = 0) -> Verdict:
    """Whether ``profile`` is an ``epsilon``-Nash equilibrium of ``game``.

    Parameters
    ----------
    game : NormalFormGame
    profile : MixedProfile
    epsilon : int, Fraction, str, or float (float field only)
        Non-negative; read into the game's field (``"1/100"`` is exact).

    Returns
    -------
    Verdict
        ``theorem="nash.epsilon"``; ``witness`` holds ``max_regret``, ``epsilon``, the worst ``player`` and
        ``deviation`` and each player's maximal regret (exact numbers as ``p/q`` strings).
    """
    fld = game.field
    eps = fld.convert(epsilon, where="epsilon_nash_check() epsilon")
    if eps < 0:
        raise InvalidNumber(f"epsilon_nash_check(): epsilon must be >= 0, got {eps}")
    per_player = regrets(game, profile)
    worst_player, worst_action, worst = 0, 0, None
    player_max = []
    for i, r in enumerate(per_player):
        values = r.tolist()
        k = max(range(len(values)), key=lambda a: values[a])
        player_max.append(values[k])
        if worst is None or values[k] > worst:
            worst_player, worst_action, worst = i, k, values[k]
    witness = {
        "max_regret": format_number(worst),
        "epsilon": format_number(eps),
        "player": game.players[worst_player],
        "deviation": game.actions[worst_player][worst_action],
        "player_max_regrets": {game.players[i]: format_number(v) for i, v in enumerate(player_max)},
    }
    if fld.exact:
        if worst <= eps:
            return Verdict(THEOREM, Status.PROVEN,
                           f"max regret {worst} <= epsilon {eps} (exact)", witness)
        return Verdict(THEOREM, Status.REFUTED,
                       f"player {game.players[worst_player]!r} gains {worst} > epsilon {eps} by deviating to "
                       f"{game.actions[worst_player][worst_action]!r} (exact)", witness)
    if worst > eps + fld.atol:
        exact_gain = _exact_binary_regret(game, profile, worst_player, worst_action)
        if exact_gain > Fraction(float(eps)):
            witness["exact_regret_of_binary_values"] = format_number(exact_gain)
            return Verdict(THEOREM, Status.REFUTED,
                           f"player {game.players[worst_player]!r} gains {exact_gain} > epsilon {eps!r} by deviating "
                           f"to {game.actions[worst_player][worst_action]!r} (exact on the float data's binary values)",
                           witness, fld.atol)
    return Verdict(THEOREM, Status.WITHIN_TOLERANCE,
                   f"max regret {worst!r} <= epsilon {eps!r} within float tolerance {fld.atol!r}", witness, fld.atol,
                   float(worst))


def _exact_binary_regret(game: NormalFormGame, profile: MixedProfile, player: int, action: int) -> Fraction:
    """Regret of ``player`` for ``action`` computed exactly on the binary values of float data (no rounding)."""
    def exact(a: np.ndarray) -> np.ndarray:
        return np.vectorize(lambda v: Fraction(float(v)), otypes=[object])(a)

    tensor = exact(game.payoffs[player])
    dists = [exact(d) for d in profile.distributions]
    for j in reversed(range(game.n_players)):
        if j != player:
            tensor = np.tensordot(tensor, dists[j], axes=([j], [0]))
    return Fraction(tensor[action] - np.dot(tensor, dists[player]))
