"""Hypothesis strategies for mixed and correlated profiles and stationary policies of a given game.

Probabilities are never drawn as fractions: small non-negative integer weights are drawn (at least one
positive, by construction) and divided by their sum, exactly in the exact field.  Shrinking: toward the point
mass on the first action (the first joint action for correlated profiles).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.strategies._common import draw_value, draw_weight_blocks, draw_weights, normalise_weights

__all__ = ["correlated_profiles", "distributions", "mixed_profiles", "stationary_policies"]


@st.composite
def distributions(draw: Any, size: int, field: Any, max_weight: int = 4) -> list[Any]:
    """One probability vector of length ``size`` in ``field`` (exact Fractions or floats)."""
    return normalise_weights(draw_weights(draw, size, max_weight=max_weight), field)


@st.composite
def mixed_profiles(draw: Any, game: Any, max_weight: int = 4) -> MixedProfile:
    """Mixed profiles of ``game`` (a game or a strategy of games): one distribution per player."""
    g: NormalFormGame = draw_value(draw, game)
    dists = [normalise_weights(w, g.field) for w in draw_weight_blocks(draw, g.n_actions, max_weight=max_weight)]
    return MixedProfile(g, dists, allow_float=not g.field.exact)


@st.composite
def correlated_profiles(draw: Any, game: Any, max_weight: int = 4) -> CorrelatedProfile:
    """Correlated profiles of ``game``: one distribution over joint actions (row-major order)."""
    g: NormalFormGame = draw_value(draw, game)
    flat = draw(distributions(g.n_joint_actions, g.field, max_weight))
    arr = np.empty(len(flat), dtype=object if g.field.exact else np.float64)
    for k, p in enumerate(flat):
        arr[k] = p
    return CorrelatedProfile(g, arr.reshape(g.n_actions), allow_float=not g.field.exact)


@st.composite
def stationary_policies(draw: Any, game: Any, deterministic: Any = False, max_weight: int = 4) -> StationaryPolicy:
    """Stationary policies of a stochastic game: per state, one distribution per player.  With
    ``deterministic=True`` each distribution is a point mass (shrinking toward the first action)."""
    g: StochasticGame = draw_value(draw, game)
    det = bool(draw_value(draw, deterministic))
    if det:
        choice = [[draw(st.integers(0, k - 1)) for k in g.n_actions(s)] for s in range(g.n_states)]
        return StationaryPolicy.deterministic(g, choice)
    blocks = iter(draw_weight_blocks(draw, [k for s in range(g.n_states) for k in g.n_actions(s)],
                                     max_weight=max_weight))
    dists = [[normalise_weights(next(blocks), g.field) for _ in g.n_actions(s)] for s in range(g.n_states)]
    return StationaryPolicy(g, dists, allow_float=not g.field.exact)
