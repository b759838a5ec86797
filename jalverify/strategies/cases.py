"""Named case strategies: each produces the argument tuple of a theorem check.

A theorem in :data:`jalverify.theorems.THEOREMS` names its case strategy (``Theorem.strategy``); the runner looks
it up here.  Other suites (learners, NoSDE) add their own with :func:`register_case`::

    @register_case("learner_traces")
    def _learner_traces():
        return st.tuples(...)
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from jalverify.errors import InternalError, UnknownName
from jalverify.games.normal_form import NormalFormGame
from jalverify.strategies.distributions import correlated_profiles, mixed_profiles, stationary_policies
from jalverify.strategies.normal_form import (
    bimatrix_games,
    degenerate_games,
    nondegenerate_games,
    normal_form_games,
    zero_sum_games,
)
from jalverify.strategies.stochastic import stochastic_games, turn_based_games, zero_sum_stochastic_games

__all__ = ["CASES", "register_case", "case_strategy"]

CASES: dict[str, Callable[[], SearchStrategy[tuple[Any, ...]]]] = {}


def register_case(name: str) -> Callable[[Callable[[], SearchStrategy[tuple[Any, ...]]]], Callable[[], SearchStrategy[tuple[Any, ...]]]]:
    """Register a factory of argument-tuple strategies under ``name`` (a duplicate name is an error)."""

    def decorate(factory: Callable[[], SearchStrategy[tuple[Any, ...]]]) -> Callable[[], SearchStrategy[tuple[Any, ...]]]:
        if name in CASES and CASES[name] is not factory:
            raise InternalError(f"register_case(): case strategy {name!r} is already registered by {CASES[name]!r}")
        CASES[name] = factory
        return factory

    return decorate


def case_strategy(name: str) -> SearchStrategy[tuple[Any, ...]]:
    """The strategy of argument tuples registered as ``name``."""
    try:
        factory = CASES[name]
    except KeyError:
        raise UnknownName(f"case_strategy(): unknown case strategy {name!r}; known: {sorted(CASES)}") from None
    return factory()


def _single(strategy: SearchStrategy[Any]) -> SearchStrategy[tuple[Any, ...]]:
    return st.tuples(strategy)


# --- one game --------------------------------------------------------------------------------------------------
register_case("zero_sum_games")(lambda: _single(zero_sum_games()))
register_case("float_zero_sum_games")(lambda: _single(zero_sum_games(field="float")))
register_case("bimatrix_games")(lambda: _single(bimatrix_games()))
register_case("small_bimatrix_games")(lambda: _single(bimatrix_games(actions=st.integers(1, 3), payoffs=(-3, 3))))
register_case("degenerate_games")(lambda: _single(degenerate_games()))
register_case("nondegenerate_games")(lambda: _single(nondegenerate_games()))
register_case("normal_form_games")(lambda: _single(normal_form_games(players=st.integers(1, 3), actions=st.integers(1, 2))))
register_case("general_games")(lambda: _single(st.one_of(bimatrix_games(), degenerate_games())))
register_case("stochastic_games")(lambda: _single(stochastic_games()))
register_case("zero_sum_stochastic_games")(lambda: _single(zero_sum_stochastic_games()))
register_case("turn_based_games")(lambda: _single(turn_based_games()))


@st.composite
def _game_with_policy(draw: Any) -> tuple[Any, ...]:
    game = draw(st.one_of(stochastic_games(), turn_based_games()))
    return (game, draw(stationary_policies(game)))


register_case("stochastic_games_with_policies")(_game_with_policy)


@st.composite
def _zero_sum_game_and_opponent(draw: Any) -> tuple[Any, ...]:
    game = draw(zero_sum_games())
    return (game, draw(mixed_profiles(game)).distributions[1])


register_case("zero_sum_games_with_opponents")(_zero_sum_game_and_opponent)


@st.composite
def _zero_sum_affine(draw: Any) -> tuple[Any, ...]:
    game = draw(zero_sum_games())
    scale = Fraction(draw(st.integers(1, 5)), draw(st.integers(1, 3)))
    shift = Fraction(draw(st.integers(-5, 5)), draw(st.integers(1, 3)))
    return (game, scale, shift)


register_case("zero_sum_games_with_affine_maps")(_zero_sum_affine)


@st.composite
def _zero_sum_permutation(draw: Any) -> tuple[Any, ...]:
    game = draw(zero_sum_games())
    rows = draw(st.permutations(range(game.n_actions[0])))
    cols = draw(st.permutations(range(game.n_actions[1])))
    return (game, tuple(rows), tuple(cols))


register_case("zero_sum_games_with_permutations")(_zero_sum_permutation)


@st.composite
def _bimatrix_permutation(draw: Any) -> tuple[Any, ...]:
    game = draw(bimatrix_games())
    rows = draw(st.permutations(range(game.n_actions[0])))
    cols = draw(st.permutations(range(game.n_actions[1])))
    return (game, tuple(rows), tuple(cols))


register_case("bimatrix_games_with_permutations")(_bimatrix_permutation)


@st.composite
def _zero_sum_pairs(draw: Any) -> tuple[Any, ...]:
    first = draw(zero_sum_games())
    A = first.payoffs[0]
    deltas = draw(st.lists(st.integers(-3, 3), min_size=A.size, max_size=A.size))
    B = A + np.array([Fraction(d) for d in deltas], dtype=object).reshape(A.shape)
    return (first, NormalFormGame.zero_sum(B))


register_case("zero_sum_game_pairs")(_zero_sum_pairs)


@st.composite
def _game_with_profile_pair(draw: Any) -> tuple[Any, ...]:
    game = draw(normal_form_games(players=st.integers(1, 3), actions=st.integers(1, 3)))
    return (game, draw(mixed_profiles(game)), draw(mixed_profiles(game)))


register_case("games_with_profile_pairs")(_game_with_profile_pair)


@st.composite
def _game_with_profile_trace(draw: Any) -> tuple[Any, ...]:
    game = draw(bimatrix_games(actions=st.integers(1, 2)))
    length = draw(st.integers(1, 4))
    trace = tuple(draw(mixed_profiles(game)) for _ in range(length))
    return (game, trace, draw(mixed_profiles(game)))


register_case("games_with_profile_traces")(_game_with_profile_trace)


@st.composite
def _game_with_correlated_profile(draw: Any) -> tuple[Any, ...]:
    game = draw(bimatrix_games())
    return (game, draw(correlated_profiles(game)))


register_case("games_with_correlated_profiles")(_game_with_correlated_profile)


@st.composite
def _stochastic_value_pairs(draw: Any) -> tuple[Any, ...]:
    game = draw(zero_sum_stochastic_games())
    S = game.n_states
    V = tuple(Fraction(v) for v in draw(st.lists(st.integers(-6, 6), min_size=S, max_size=S)))
    W = tuple(Fraction(v) for v in draw(st.lists(st.integers(-6, 6), min_size=S, max_size=S)))
    return (game, V, W)


register_case("zero_sum_stochastic_games_with_value_pairs")(_stochastic_value_pairs)


@st.composite
def _turn_based_with_steps(draw: Any) -> tuple[Any, ...]:
    game = draw(turn_based_games())
    return (game, draw(st.integers(1, 4)))


register_case("turn_based_games_with_steps")(_turn_based_with_steps)

register_case("two_action_games")(
    lambda: _single(normal_form_games(players=st.integers(1, 3), actions=st.integers(1, 2))))
register_case("three_action_bimatrix_games")(
    lambda: _single(bimatrix_games(actions=st.integers(1, 3), payoffs=(-3, 3))))


@st.composite
def _game_with_profile_cycle(draw: Any) -> tuple[Any, ...]:
    game = draw(bimatrix_games(actions=st.integers(1, 2), payoffs=(-2, 2)))
    length = draw(st.integers(1, 4))
    return (game, tuple(draw(mixed_profiles(game, max_weight=2)) for _ in range(length)))


register_case("games_with_profile_cycles")(_game_with_profile_cycle)
