"""The environments sample the game they were built from: over many seeded steps under uniformly random legal
actions, the empirical next-state frequencies of every visited ``(s, a)`` match the exact :math:`T(s' | s, a)`
within a binomial bound, every reward equals the exact :math:`R_i(s, a, s')` converted to float, mean rewards
match the exact expected rewards within Hoeffding's bound, and start states follow the start distribution.

The check reads only the environment's observations and rewards and the game's exact tables (nothing of the
environment's internals).  The bounds are wide (6 standard deviations; Hoeffding at δ = 1e-9) so a correct
sampler never fails them, while a wrong successor table, an off-by-one in the inverse-transform sampling, a
reward taken from the wrong next state or a stale state all do.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.envs import aec_env, parallel_env
from jalverify.games import catalog
from jalverify.games.stochastic import StochasticGame
from jalverify.strategies import nosde_games, stochastic_games, turn_based_games

Z = 6.0  # standard deviations allowed in the binomial check
HOEFFDING = math.sqrt(math.log(2 / 1e-9) / 2)


class Tally:
    """Counts of ``(s, joint) -> s'``, observed rewards per ``(s, joint, s')``, reward sums, start states."""

    def __init__(self) -> None:
        self.next_states: dict[tuple[int, tuple[int, ...]], Counter[int]] = defaultdict(Counter)
        self.rewards: dict[tuple[int, tuple[int, ...], int], set[tuple[float, ...]]] = defaultdict(set)
        self.reward_sums: dict[tuple[int, tuple[int, ...]], list[list[float]]] = defaultdict(list)
        self.starts: Counter[int] = Counter()

    def record(self, s: int, joint: tuple[int, ...], nxt: int, rewards: tuple[float, ...]) -> None:
        self.next_states[s, joint][nxt] += 1
        self.rewards[s, joint, nxt].add(rewards)
        self.reward_sums[s, joint].append(list(rewards))


def within_binomial(count: int, n: int, p: Fraction | float) -> bool:
    if p == 0:
        return count == 0
    if p == 1:
        return count == n
    q = float(p)
    return abs(count - n * q) <= Z * math.sqrt(n * q * (1 - q)) + 1


def check_tally(game: StochasticGame, tally: Tally, start: list[Any]) -> int:
    """Assert every count, reward and mean against the exact game; returns the number of ``(s, a)`` checked."""
    n_players = game.n_players
    expected_rewards: dict[int, Any] = {}
    for (s, joint), counts in tally.next_states.items():
        n = sum(counts.values())
        T = game.transitions[s][joint]
        for t in range(game.n_states):
            assert within_binomial(counts[t], n, T[t]), (
                f"state {game.states[s]}, joint action {joint}: next state {game.states[t]} seen {counts[t]} times "
                f"in {n}, exact probability {T[t]}")
        support = [t for t in range(game.n_states) if T[t] != 0]
        for i in range(n_players):
            exact = [float(game.rewards[s][(i, *joint, t)]) for t in support]
            mean = math.fsum(r[i] for r in tally.reward_sums[s, joint]) / n
            if s not in expected_rewards:
                expected_rewards[s] = game.expected_rewards(s)
            expected = float(expected_rewards[s][(i, *joint)])
            spread = max(exact) - min(exact)
            assert abs(mean - expected) <= spread * HOEFFDING / math.sqrt(n) + 1e-9 * (1 + abs(expected)), (
                f"state {game.states[s]}, joint action {joint}, player {game.players[i]}: mean reward {mean} over "
                f"{n} steps, exact expected reward {expected}")
    for (s, joint, t), seen in tally.rewards.items():
        exact = tuple(float(game.rewards[s][(i, *joint, t)]) for i in range(n_players))
        assert seen == {exact}, f"state {game.states[s]}, joint {joint}, next {game.states[t]}: rewards {seen} != {exact}"
    resets = sum(tally.starts.values())
    for s in range(game.n_states):
        assert within_binomial(tally.starts[s], resets, start[s]), (
            f"start state {game.states[s]} drawn {tally.starts[s]} times in {resets}, probability {start[s]}")
    return len(tally.next_states)


def legal(mask: np.ndarray, rng: np.random.Generator) -> int:
    options = np.flatnonzero(mask)
    return int(options[rng.integers(len(options))])


def run_parallel(game: StochasticGame, steps: int, *, horizon: int | None, start: str, seed: int) -> Tally:
    env = parallel_env(game, horizon=horizon, start=start, seed=seed)
    chooser = np.random.default_rng(seed + 1)
    tally = Tally()
    obs, _ = env.reset()
    s = int(obs[env.agents[0]]["observation"])
    tally.starts[s] += 1
    for _ in range(steps):
        actions = {agent: legal(obs[agent]["action_mask"], chooser) for agent in env.agents}
        joint = tuple(actions[agent] for agent in env.possible_agents)
        obs, rewards, terminations, truncations, _ = env.step(actions)
        nxt = int(obs[env.possible_agents[0]]["observation"])
        for agent in env.possible_agents:  # every agent observes the same state
            assert int(obs[agent]["observation"]) == nxt
            assert type(rewards[agent]) is float
        tally.record(s, joint, nxt, tuple(rewards[agent] for agent in env.possible_agents))
        if any(terminations.values()) or any(truncations.values()):
            obs, _ = env.reset()
            nxt = int(obs[env.agents[0]]["observation"])
            tally.starts[nxt] += 1
        s = nxt
    return tally


def run_aec(game: StochasticGame, steps: int, *, horizon: int | None, start: str, seed: int) -> Tally:
    env = aec_env(game, horizon=horizon, start=start, seed=seed)
    chooser = np.random.default_rng(seed + 1)
    tally = Tally()
    env.reset()
    s = int(env.observe(env.agent_selection)["observation"])
    tally.starts[s] += 1
    done = 0
    while done < steps:
        agent = env.agent_selection
        obs, _, terminated, truncated, _ = env.last()
        if terminated or truncated:
            env.step(None)
            if not env.agents:
                env.reset()
                s = int(env.observe(env.agent_selection)["observation"])
                tally.starts[s] += 1
            continue
        action = legal(obs["action_mask"], chooser)
        joint = tuple(action if name == agent else 0 for name in env.possible_agents)
        env.step(action)
        nxt = int(env.observe(agent)["observation"])
        tally.record(s, joint, nxt, tuple(env.rewards[name] for name in env.possible_agents))
        s = nxt
        done += 1
    return tally


def start_distribution(game: StochasticGame, start: str) -> list[Any]:
    """The start distribution by the documented rule, computed here independently of the environment."""
    S = game.n_states
    if start == "uniform":
        live = [s for s in range(S) if not game.terminal[s]]
        return [Fraction(1, len(live)) if s in live else 0 for s in range(S)]
    if game.initial is not None:
        return list(game.initial)
    return [1 if s == 0 else 0 for s in range(S)]


@settings(max_examples=6)
@given(stochastic_games(states=st.integers(1, 3), actions=st.integers(1, 3), terminal_states=st.integers(0, 1)),
       st.sampled_from(["initial", "uniform"]))
def test_parallel_env_samples_the_exact_transitions_and_rewards_of_generated_games(game: StochasticGame,
                                                                                    start: str) -> None:
    tally = run_parallel(game, 6000, horizon=5, start=start, seed=11)
    assert check_tally(game, tally, start_distribution(game, start)) >= 1


@settings(max_examples=5)
@given(st.one_of(turn_based_games(actions=st.integers(1, 3), zero_sum=False), nosde_games()))
def test_aec_env_samples_the_exact_transitions_and_rewards_of_generated_turn_based_games(game: StochasticGame) -> None:
    tally = run_aec(game, 5000, horizon=6, start="uniform", seed=12)
    assert check_tally(game, tally, start_distribution(game, "uniform")) >= 1


@pytest.mark.parametrize("name", ["grid_game_2", "nosde"])
def test_parallel_env_samples_catalog_games_exactly(name: str) -> None:
    """grid_game_2 has stochastic moves through its barrier and a terminal state; nosde is deterministic."""
    game = catalog.load(name)
    assert isinstance(game, StochasticGame)
    tally = run_parallel(game, 8000, horizon=30, start="initial", seed=13)
    assert check_tally(game, tally, start_distribution(game, "initial")) >= 4


def _two_state_game(p: Fraction, reward: int) -> StochasticGame:
    """One player with one action; from either state the next is ``s0`` with probability ``p``; reward
    ``reward`` on reaching ``s1``."""
    row = [p, 1 - p]
    R = [[[0, reward]]]
    return StochasticGame(["p"], ["s0", "s1"], [[["a"]], [["a"]]], [[row], [row]], [R, R], Fraction(1, 2))


def test_the_check_refutes_the_tally_of_another_game() -> None:
    """A tally of one game judged against a game with other transition probabilities, or other rewards, fails:
    the check has the power to see a wrong sampler."""
    game = _two_state_game(Fraction(1, 3), 1)
    tally = run_parallel(game, 3000, horizon=None, start="initial", seed=14)
    assert check_tally(game, tally, start_distribution(game, "initial")) == 2
    for other, failure in ((_two_state_game(Fraction(1, 2), 1), "exact probability"),
                           (_two_state_game(Fraction(1, 3), 2), "reward")):
        with pytest.raises(AssertionError, match=failure):
            check_tally(other, tally, start_distribution(other, "initial"))
