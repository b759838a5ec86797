"""PettingZoo's own API tests on the environments of :mod:`jalverify.envs`: ``parallel_api_test`` on every catalog
game and on generated games, ``api_test`` and ``seed_test`` on the AEC environment of every turn-based game,
``parallel_seed_test`` where it applies.

PettingZoo's tests report soft problems as warnings; every warning raised here must be one of the four listed in
:data:`ACCEPTED_WARNINGS`, each a consequence of a documented choice.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pettingzoo.test import api_test, parallel_api_test, parallel_seed_test, seed_test

from jalverify.envs import aec_env, parallel_env
from jalverify.games import catalog
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.strategies import normal_form_games, nosde_games, stochastic_games, turn_based_games

#: PettingZoo's advisory warnings that our documented choices raise: the state index is a NumPy integer, not an
#: array (``Discrete`` observations); the observation space is PettingZoo Classic's masking ``Dict``, whose mask
#: has the agent's action-space size (so it differs between agents whose action sets differ); agents are named by
#: the game's players, not ``player_0``.
ACCEPTED_WARNINGS = (
    "Observation is not a NumPy array",
    "Agents have different observation space sizes",
    "Observation space for each agent probably should be gymnasium.spaces.box or gymnasium.spaces.discrete",
    "We recommend agents to be named in the format <descriptor>_<number>",
)


@contextmanager
def only_accepted_warnings() -> Iterator[None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    unexpected = sorted({str(w.message) for w in caught if not str(w.message).startswith(ACCEPTED_WARNINGS)})
    assert not unexpected, f"PettingZoo warned: {unexpected}"


def turn_based(game: StochasticGame | NormalFormGame) -> bool:
    if isinstance(game, NormalFormGame):
        return sum(1 for k in game.n_actions if k > 1) <= 1
    return game.is_turn_based()


def full_masks(game: StochasticGame | NormalFormGame) -> bool:
    """Every non-terminal state offers every player all the actions of its action space (so sampling without a
    mask, as ``parallel_seed_test`` does, only plays legal actions)."""
    if isinstance(game, NormalFormGame):
        return True
    live = [game.n_actions(s) for s in range(game.n_states) if not game.terminal[s]]
    return all(k == tuple(max(c[i] for c in live) for i in range(game.n_players)) for k in live)


#: Cycles of the API tests per catalog game (soccer has 760 states: its tables are built state by state).
CYCLES = {"soccer": 40}


@pytest.mark.parametrize("name", catalog.names())
def test_parallel_api_test_passes_on_every_catalog_game(name: str) -> None:
    game = catalog.load(name)
    with only_accepted_warnings():
        parallel_api_test(parallel_env(game, horizon=25, seed=1), num_cycles=CYCLES.get(name, 100))
        parallel_api_test(parallel_env(game, horizon=25, seed=2, one_hot=True, start="uniform"),
                          num_cycles=CYCLES.get(name, 60))


@pytest.mark.parametrize("name", catalog.names())
def test_parallel_api_test_passes_on_one_shot_and_unbounded_episodes(name: str) -> None:
    """No horizon: a normal-form game is played once; a stochastic game runs until a terminal state or the
    test's cycle cap."""
    with only_accepted_warnings():
        parallel_api_test(parallel_env(catalog.load(name), seed=3), num_cycles=CYCLES.get(name, 60))


TURN_BASED = [name for name in catalog.names() if turn_based(catalog.load(name))]
FULL_MASKS = [name for name in catalog.names() if full_masks(catalog.load(name))]


def test_the_catalog_has_turn_based_games_and_games_with_masks() -> None:
    assert "nosde" in TURN_BASED
    assert "nosde" not in FULL_MASKS and "soccer" in FULL_MASKS


@pytest.mark.parametrize("name", TURN_BASED)
def test_api_test_and_seed_test_pass_on_the_aec_env_of_every_turn_based_catalog_game(name: str) -> None:
    game = catalog.load(name)
    with only_accepted_warnings():
        api_test(aec_env(game, horizon=30, seed=0), num_cycles=200)
        api_test(aec_env(game, seed=0, one_hot=True, start="uniform"), num_cycles=100)
        seed_test(lambda: aec_env(game, horizon=30, seed=5), num_cycles=100)


@pytest.mark.parametrize("name", FULL_MASKS)
def test_parallel_seed_test_passes_where_unmasked_sampling_is_legal(name: str) -> None:
    game = catalog.load(name)
    with only_accepted_warnings():
        parallel_seed_test(lambda: parallel_env(game, horizon=20, seed=7), num_cycles=CYCLES.get(name, 100))


def _run_parallel_api(game: Any, horizon: Any, one_hot: bool) -> None:
    with only_accepted_warnings():
        parallel_api_test(parallel_env(game, horizon=horizon, seed=0, one_hot=one_hot), num_cycles=40)


@settings(max_examples=15)
@given(stochastic_games(players=st.integers(1, 3), states=st.integers(1, 3), actions=st.integers(1, 3),
                        terminal_states=st.integers(0, 1), field=st.sampled_from(["exact", "float"])),
       st.sampled_from([None, 1, 7]), st.booleans())
def test_parallel_api_test_passes_on_generated_stochastic_games(game: StochasticGame, horizon: Any,
                                                                 one_hot: bool) -> None:
    _run_parallel_api(game, horizon, one_hot)


@settings(max_examples=10)
@given(normal_form_games(players=st.integers(1, 3), actions=st.integers(1, 3)), st.sampled_from([None, 1, 5]))
def test_parallel_api_test_passes_on_generated_normal_form_games(game: NormalFormGame, horizon: Any) -> None:
    _run_parallel_api(game, horizon, False)


def _run_aec_api(game: Any, horizon: Any) -> None:
    make: Callable[[], Any] = lambda: aec_env(game, horizon=horizon, seed=3)
    with only_accepted_warnings():
        api_test(make(), num_cycles=50)
        seed_test(make, num_cycles=50)


@settings(max_examples=15)
@given(turn_based_games(players=st.integers(1, 3), actions=st.integers(1, 3), zero_sum=False,
                        field=st.sampled_from(["exact", "float"])),
       st.sampled_from([None, 1, 6]))
def test_api_test_and_seed_test_pass_on_generated_turn_based_games(game: StochasticGame, horizon: Any) -> None:
    """Generated turn-based games include states where nobody has a choice (the mover has one action)."""
    _run_aec_api(game, horizon)


@settings(max_examples=8)
@given(nosde_games())
def test_api_test_and_parallel_api_test_pass_on_generated_nosde_games(game: StochasticGame) -> None:
    _run_aec_api(game, 15)
    _run_parallel_api(game, 15, False)
