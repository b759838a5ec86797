r"""All pure Nash equilibria of an n-player normal-form game, by a vectorised best-response check.

A joint action ``a`` is a pure Nash equilibrium iff for every player ``i``,
:math:`R_i(a) = \max_{a'_i} R_i(a'_i, a_{-i})` (Nash 1951; Albrecht, Christianos & Schäfer 2024, §4.4).  For
each player the maximum over her own axis of the payoff tensor is taken once, and the joint actions where
every player attains it are kept.  Exact in the exact field (Fraction comparisons); within the float field's
tolerance otherwise.  Pure equilibria always exist or not independently of degeneracy: this list is complete.
"""

from __future__ import annotations

import numpy as np

from jalverify.errors import UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import Field, field_named
from jalverify.solvers.nash._bimatrix import target_game
from jalverify.solvers.nash.result import NashResult, NashStatus, certify_profiles

__all__ = ["pure_nash_joint_actions", "pure_nash_solve"]

METHOD = "pure"


def pure_nash_joint_actions(game: NormalFormGame) -> list[tuple[int, ...]]:
    """The joint actions (index tuples, C order) that are pure Nash equilibria."""
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGame(f"pure_nash_joint_actions(): expected a NormalFormGame, got {type(game).__name__}")
    payoffs = game.payoffs
    fld = game.field
    mask = np.ones(game.n_actions, dtype=bool)
    for i in range(game.n_players):
        r = payoffs[i]
        best = np.max(r, axis=i, keepdims=True)
        if fld.exact:
            mask &= (r == best).astype(bool)
        else:
            mask &= np.asarray(r, dtype=np.float64) >= np.asarray(best, dtype=np.float64) - fld.atol
    return [tuple(int(v) for v in idx) for idx in np.argwhere(mask)]


def pure_nash_solve(game: NormalFormGame, *, field: Field | str | None = None) -> NashResult:
    """All pure Nash equilibria of an n-player game (complete for pure equilibria, not for mixed ones).

    Returns
    -------
    NashResult
        ``method="pure"``, ``status=COMPLETE``; ``complete=False`` because mixed equilibria are not
        searched (the list of *pure* equilibria is complete).
    """
    fld = field_named(field) if field is not None else game.field
    out_game = target_game(game, fld, "pure_nash_solve()")
    joints = pure_nash_joint_actions(out_game)
    profiles = [MixedProfile.pure(out_game, joint) for joint in joints]
    equilibria, certificates = certify_profiles(out_game, profiles, method="pure_nash_solve", field=fld)
    return NashResult(
        equilibria=equilibria,
        game=game,
        method=METHOD,
        field=fld,
        status=NashStatus.COMPLETE,
        complete=False,
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        notes=(f"all {len(equilibria)} pure equilibria; mixed equilibria are not searched by this method",),
    )
