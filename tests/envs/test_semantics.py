"""Behaviour of :mod:`jalverify.envs` as documented: masks match each state's action sets, illegal actions raise
naming agent, state and action, episodes terminate in terminal states and are truncated at the horizon, normal-form
games are one-shot or repeated, turns in the AEC environment, seeding, metadata and the game behind the
environment, one-hot observations, render modes and the missing-extra error."""

from __future__ import annotations

import doctest
import subprocess
import sys
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify import envs
from jalverify.envs import IllegalAction, aec_env, parallel_env
from jalverify.errors import InvalidOption, MissingExtra, UnknownName, UnsupportedGame
from jalverify.games import catalog
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.strategies import stochastic_games

F = Fraction


def chain_game(*, terminal_last: bool = True) -> StochasticGame:
    """Two players; ``a`` (row has 2 actions, column 1) -> ``b`` (row 1, column 3) -> ``end`` deterministically;
    rewards (1, -1) on leaving ``a`` and (0, 2) on leaving ``b``.  ``end`` is terminal unless ``terminal_last`` is
    false (then it loops to itself with reward (5, 5) and the column player has 2 actions there)."""
    actions: list[Any] = [[["x", "y"], ["only"]], [["only"], ["l", "m", "r"]]]
    transitions: list[Any] = [
        {("x", "only"): {"b": 1}, ("y", "only"): {"b": 1}},
        {("only", c): {"end": 1} for c in ("l", "m", "r")},
    ]
    rewards: list[Any] = [[[[1], [1]], [[-1], [-1]]], [[[0, 0, 0]], [[2, 2, 2]]]]
    if terminal_last:
        actions.append(None)
        transitions.append(None)
        rewards.append(None)
        terminal = [False, False, True]
    else:
        actions.append([["stay"], ["u", "v"]])
        transitions.append({("stay", "u"): {"end": 1}, ("stay", "v"): {"end": 1}})
        rewards.append([[[5, 5]], [[5, 5]]])
        terminal = [False, False, False]
    return StochasticGame(["row", "column"], ["a", "b", "end"], actions, transitions, rewards, F(9, 10),
                          terminal=terminal, initial={"a": 1}, name="chain")


# --- masks and action spaces ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", catalog.names())
def test_masks_and_action_spaces_match_every_state_of_every_catalog_game(name: str) -> None:
    game = catalog.load(name)
    env = parallel_env(game, horizon=3)
    if isinstance(game, NormalFormGame):
        per_state = [game.n_actions]
    else:
        per_state = [game.n_actions(s) for s in range(game.n_states)]
    for i, agent in enumerate(game.players):
        size = max(k[i] for k in per_state)
        assert env.action_space(agent).n == size
        for s, k in enumerate(per_state):
            obs = env.observation_for(agent, s)
            assert obs["action_mask"].dtype == np.int8
            assert obs["action_mask"].tolist() == [1] * k[i] + [0] * (size - k[i])
            assert env.observation_space(agent).contains(obs)


@settings(max_examples=10)
@given(stochastic_games(players=st.integers(1, 3), actions=st.integers(1, 3), terminal_states=st.integers(0, 1)))
def test_every_observed_mask_is_the_current_states_action_set(game: StochasticGame) -> None:
    env = parallel_env(game, horizon=4, seed=0, start="uniform")
    rng = np.random.default_rng(1)
    obs, _ = env.reset()
    for _ in range(40):
        s = int(obs[game.players[0]]["observation"])
        for i, agent in enumerate(game.players):
            assert int(np.sum(obs[agent]["action_mask"])) == game.n_actions(s)[i]
        actions = {a: int(rng.integers(int(np.sum(obs[a]["action_mask"])))) for a in env.agents}
        obs, _, term, trunc, _ = env.step(actions)
        if any(term.values()) or any(trunc.values()):
            obs, _ = env.reset()


def test_a_masked_action_raises_naming_agent_state_and_action() -> None:
    env = parallel_env(catalog.load("nosde"), seed=0, start="s1")
    env.reset()
    with pytest.raises(IllegalAction, match=r"agent 'agent2' in state 's1': action 1 is masked.*legal actions here: 0"):
        env.step({"agent1": 0, "agent2": 1})
    assert env.current_state == 0  # nothing was played
    aec = aec_env(catalog.load("nosde"), seed=0, start="s1")
    aec.reset()
    assert aec.agent_selection == "agent1"
    with pytest.raises(IllegalAction, match=r"agent 'agent1' in state 's1': action 2 is outside its action space"):
        aec.step(2)


@pytest.mark.parametrize("bad, words", [
    (5, "outside its action space Discrete\\(2\\)"), (-1, "outside its action space"), (1.0, "integer index"),
    (True, "integer index"), ("x", "integer index"), (None, "integer index"),
])
def test_malformed_actions_raise(bad: Any, words: str) -> None:
    env = parallel_env(catalog.load("matching_pennies"), seed=0)
    env.reset()
    with pytest.raises(IllegalAction, match=words):
        env.step({"row": bad, "column": 0})


def test_numpy_integer_actions_are_accepted() -> None:
    env = parallel_env(catalog.load("rock_paper_scissors"), seed=0)
    env.reset()
    _, rewards, *_ = env.step({"row": np.int32(1), "column": np.array(0)})
    assert rewards == {"row": 1.0, "column": -1.0}  # paper beats rock


def test_missing_extra_or_foreign_agents_and_misuse_raise() -> None:
    env = parallel_env(catalog.load("matching_pennies"), horizon=1, seed=0)
    with pytest.raises(IllegalAction, match="before reset"):
        env.step({"row": 0, "column": 0})
    env.reset()
    with pytest.raises(IllegalAction, match="no action for agent 'column'"):
        env.step({"row": 0})
    with pytest.raises(IllegalAction, match="'ghost', which is not a live agent"):
        env.step({"row": 0, "column": 0, "ghost": 0})
    env.step({"row": 0, "column": 0})
    with pytest.raises(IllegalAction, match="the episode is over"):
        env.step({"row": 0, "column": 0})
    with pytest.raises(UnknownName, match="unknown agent 'ghost'"):
        env.action_space("ghost")


# --- episode ends --------------------------------------------------------------------------------------
def test_parallel_episode_terminates_in_a_terminal_state_with_the_exact_rewards() -> None:
    env = parallel_env(chain_game(), horizon=10, seed=0)
    obs, infos = env.reset()
    assert int(obs["row"]["observation"]) == 0 and infos == {"row": {"step": 0}, "column": {"step": 0}}
    obs, rewards, term, trunc, infos = env.step({"row": 1, "column": 0})
    assert rewards == {"row": 1.0, "column": -1.0}
    assert term == {"row": False, "column": False} and trunc == {"row": False, "column": False}
    assert obs["column"]["action_mask"].tolist() == [1, 1, 1] and obs["row"]["action_mask"].tolist() == [1, 0]
    obs, rewards, term, trunc, infos = env.step({"row": 0, "column": 2})
    assert rewards == {"row": 0.0, "column": 2.0}
    assert term == {"row": True, "column": True} and trunc == {"row": False, "column": False}
    assert int(obs["row"]["observation"]) == 2 and infos["row"] == {"step": 2}
    assert env.agents == []


def test_termination_wins_over_truncation_at_the_same_step() -> None:
    env = parallel_env(chain_game(), horizon=2, seed=0)
    env.reset()
    env.step({"row": 0, "column": 0})
    _, _, term, trunc, _ = env.step({"row": 0, "column": 0})
    assert all(term.values()) and not any(trunc.values())


@pytest.mark.parametrize("horizon", [1, 2, 5])
def test_truncation_at_the_horizon_in_a_non_terminal_state(horizon: int) -> None:
    env = parallel_env(chain_game(terminal_last=False), horizon=horizon, seed=0)
    env.reset()
    steps = 0
    while env.agents:
        _, _, term, trunc, infos = env.step({"row": 0, "column": 0})
        steps += 1
        assert not any(term.values())
        assert all(trunc.values()) == (steps == horizon) and any(trunc.values()) == (steps == horizon)
        assert infos["row"]["step"] == steps
    assert steps == horizon


def test_without_horizon_an_episode_without_terminal_states_goes_on() -> None:
    env = parallel_env(chain_game(terminal_last=False), seed=0)
    env.reset()
    total = 0.0
    for _ in range(500):
        _, rewards, term, trunc, _ = env.step({"row": 0, "column": 0})
        assert not any(term.values()) and not any(trunc.values())
        total += rewards["row"]
    assert total == 1 + 0 + 5 * 498  # undiscounted: discounting is the learner's business


def test_a_normal_form_game_is_one_shot_without_horizon_and_repeated_with_one() -> None:
    game = catalog.load("prisoners_dilemma")
    assert isinstance(game, NormalFormGame)
    one_shot = parallel_env(game, seed=0)
    assert one_shot.metadata["one_shot"] is True and one_shot.metadata["gamma"] is None
    obs, _ = one_shot.reset()
    assert one_shot.observation_space("row")["observation"].n == 1 and int(obs["row"]["observation"]) == 0
    _, rewards, term, trunc, _ = one_shot.step({"row": 1, "column": 0})
    assert rewards == {"row": float(game.payoff(0, (1, 0))), "column": float(game.payoff(1, (1, 0)))}
    assert all(term.values()) and not any(trunc.values()) and one_shot.agents == []
    shown = parallel_env(game, seed=0, render_mode="ansi")
    shown.reset()
    assert shown.render() == f"state {envs.STAGE_STATE} (step 0)"
    repeated = parallel_env(game, horizon=3, seed=0)
    assert repeated.metadata["one_shot"] is False
    repeated.reset()
    ends = [repeated.step({"row": 0, "column": 0})[2:4] for _ in range(3)]
    assert [(any(te.values()), any(tr.values())) for te, tr in ends] == [(False, False), (False, False), (False, True)]


# --- turn-based play ------------------------------------------------------------------------------------
def test_aec_gives_the_turn_to_the_mover_and_accumulates_rewards_between_turns() -> None:
    game = catalog.load("nosde")
    assert isinstance(game, StochasticGame)
    env = aec_env(game, seed=0, start="s1")
    env.reset()
    assert env.turn("s1") == "agent1" and env.turn("s2") == "agent2"
    assert env.agent_selection == "agent1"
    send1 = game.actions[0][0].index("send")
    env.step(send1)  # s1 -> s2: agent2's turn
    r1 = [float(game.rewards[0][(i, send1, 0, 1)]) for i in range(2)]
    assert env.agent_selection == "agent2" and env.current_state == 1
    assert env.rewards == {"agent1": r1[0], "agent2": r1[1]}
    keep2 = game.actions[1][1].index("keep")
    env.step(keep2)  # s2 -> s2: agent2 again
    r2 = [float(game.rewards[1][(i, 0, keep2, 1)]) for i in range(2)]
    assert env.agent_selection == "agent2"
    _, reward, *_ = env.last()
    assert reward == r2[1]  # agent2 collects the reward of the step since its own last move only
    send2 = game.actions[1][1].index("send")
    env.step(send2)  # s2 -> s1: agent1's turn again
    r3 = [float(game.rewards[1][(i, 0, send2, 0)]) for i in range(2)]
    assert env.agent_selection == "agent1"
    _, reward, *_ = env.last()
    assert reward == r1[0] + r2[0] + r3[0]  # agent1 waited: three game steps accumulated, undiscounted
    assert env.infos["agent1"] == {"step": 3, "step_rewards": [r1[0], r2[0], r3[0]]}  # each step, to discount


def test_aec_gives_a_no_choice_state_to_the_first_player() -> None:
    env = aec_env(chain_game(), seed=0)
    env.reset()
    assert env.agent_selection == "row"  # a: row moves
    env.step(1)
    assert env.agent_selection == "column"  # b: column moves
    env.step(2)
    assert env.terminations == {"row": True, "column": True}
    nobody = StochasticGame(["p", "q"], ["pause", "go"], [[["wait"], ["wait"]], [["l", "r"], ["stay"]]],
                            [{("wait", "wait"): {"go": 1}}, {("l", "stay"): {"pause": 1}, ("r", "stay"): {"go": 1}}],
                            [[[[0]], [[0]]], [[[1], [2]], [[3], [4]]]], F(1, 2), initial={"pause": 1})
    env = aec_env(nobody, seed=0, horizon=4)
    env.reset()
    assert env.turn("pause") == "p" and env.agent_selection == "p"
    assert env.observe("p")["action_mask"].tolist() == [1, 0]
    with pytest.raises(IllegalAction, match="masked"):
        env.step(1)
    env.step(0)  # the pause is one game step
    assert env.infos["p"]["step"] == 1 and env.current_state == 1


def test_aec_refuses_a_simultaneous_move_game_and_misuse() -> None:
    with pytest.raises(UnsupportedGame, match="not turn-based: in state 'stage' the players 'row', 'column'"):
        aec_env(catalog.load("matching_pennies"))
    env = aec_env(chain_game(), seed=0)
    with pytest.raises(IllegalAction, match="before reset"):
        env.step(0)
    env.reset()
    with pytest.raises(IllegalAction, match="action None is only for an agent whose episode is over"):
        env.step(None)
    env.step(0)
    env.step(0)
    with pytest.raises(IllegalAction, match="its only action is None"):
        env.step(0)
    env.step(None)
    env.step(None)
    assert env.agents == []
    with pytest.raises(IllegalAction, match="call reset"):
        env.step(None)


# --- seeding ---------------------------------------------------------------------------------------------
def trajectory(env: Any, seed: int | None, steps: int) -> list[Any]:
    rng = np.random.default_rng(99)
    out = []
    obs, _ = env.reset(seed=seed)
    out.append(int(obs[env.possible_agents[0]]["observation"]))
    for _ in range(steps):
        if not env.agents:
            obs, _ = env.reset()
            out.append(("reset", int(obs[env.possible_agents[0]]["observation"])))
        actions = {a: int(rng.choice(np.flatnonzero(obs[a]["action_mask"]))) for a in env.agents}
        obs, rewards, *_ = env.step(actions)
        out.append((int(obs[env.possible_agents[0]]["observation"]), tuple(rewards.values())))
    return out


def noisy_game() -> StochasticGame:
    """Three states, 2×2 actions, every transition row with three successors (fixed integer weights)."""
    weights = np.random.default_rng(0).integers(1, 5, size=(3, 2, 2, 3))
    transitions = [[[[F(int(w), int(row.sum())) for w in row] for row in per_a] for per_a in per_s] for per_s in weights]
    rewards = [[[[s + a - b, a * b - s] for b in range(2)] for a in range(2)] for s in range(3)]
    rewards = [np.moveaxis(np.array(r, dtype=object), -1, 0) for r in rewards]
    return StochasticGame(["p", "q"], ["s0", "s1", "s2"], [[["a0", "a1"], ["b0", "b1"]]] * 3, transitions, rewards,
                          F(1, 2), name="noisy")


def test_the_same_seed_gives_the_same_episodes_and_reset_seed_reseeds() -> None:
    game = noisy_game()
    a = trajectory(parallel_env(game, horizon=15, seed=4), None, 120)
    b = trajectory(parallel_env(game, horizon=15, seed=4), None, 120)
    assert a == b
    used = parallel_env(game, horizon=15, seed=123)
    trajectory(used, None, 30)
    assert trajectory(used, 4, 120) == a  # reset(seed=4) on a used environment = a fresh one seeded 4
    assert trajectory(parallel_env(game, horizon=15, seed=5), None, 120) != a


def test_bad_seeds_and_options_are_refused() -> None:
    game = catalog.load("nosde")
    for bad in (-1, 1.5, "7", True):
        with pytest.raises(InvalidOption, match="seed"):
            parallel_env(game, seed=bad)
    for horizon in (0, -3, 2.0, True):
        with pytest.raises(InvalidOption, match="horizon"):
            parallel_env(game, horizon=horizon)
    with pytest.raises(UnknownName, match="start must be 'initial', 'uniform' or a state name"):
        parallel_env(game, start="nowhere")
    with pytest.raises(InvalidOption, match="terminal state 'end'"):
        parallel_env(chain_game(), start="end")
    with pytest.raises(InvalidOption, match="render_mode"):
        parallel_env(game, render_mode="human")
    with pytest.raises(InvalidOption, match="game must be a StochasticGame or a NormalFormGame"):
        parallel_env([[1, 2]])  # type: ignore[arg-type]


# --- metadata, observations, rendering ------------------------------------------------------------------
def test_metadata_names_the_game_and_its_discount() -> None:
    game = catalog.load("soccer")
    assert isinstance(game, StochasticGame)
    env = parallel_env(game, horizon=50)
    assert env.game is game and env.unwrapped.game is game
    assert Fraction(env.metadata["gamma"]) == game.gamma and env.metadata["horizon"] == 50
    assert list(env.start_distribution) == list(game.initial)
    assert env.possible_agents == list(game.players)
    nosde = catalog.load("nosde")
    assert parallel_env(nosde, start="uniform").start_distribution == (F(1, 2), F(1, 2))
    assert parallel_env(nosde).start_distribution == (1, 0)  # no initial distribution: state 0


def test_one_hot_observations() -> None:
    game = catalog.load("grid_game_1")
    assert isinstance(game, StochasticGame)
    env = parallel_env(game, one_hot=True, seed=0, horizon=5)
    obs, _ = env.reset()
    vec = obs["agent1"]["observation"]
    assert vec.dtype == np.float32 and vec.shape == (game.n_states,) and vec.sum() == 1
    assert game.states[int(np.argmax(vec))] == "A00_B02"
    assert np.array_equal(env.state(), vec)
    assert env.observation_space("agent1").contains(obs["agent1"])


def test_render_ansi_names_the_state_and_none_refuses() -> None:
    env = parallel_env(catalog.load("nosde"), render_mode="ansi", start="s2", seed=0)
    env.reset()
    assert env.render() == "state s2 (step 0)"
    aec = aec_env(catalog.load("nosde"), render_mode="ansi", start="s2", seed=0)
    aec.reset()
    assert aec.render() == "state s2 (step 0), agent2 to move"
    with pytest.raises(InvalidOption, match="render_mode='ansi'"):
        parallel_env(catalog.load("nosde")).render()


def test_missing_pettingzoo_raises_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pettingzoo", None)  # makes `import pettingzoo` raise ImportError
    with pytest.raises(MissingExtra, match=r"pip install 'jalverify\[pettingzoo\]'"):
        envs.parallel_env(catalog.load("nosde"))
    with pytest.raises(MissingExtra, match=r"pip install 'jalverify\[pettingzoo\]'"):
        envs.aec_env(catalog.load("nosde"))


def test_importing_the_package_does_not_import_pettingzoo() -> None:
    code = "import sys, jalverify.envs; print('pettingzoo' in sys.modules, 'gymnasium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_package_docstring_example_runs_as_shown() -> None:
    result = doctest.testmod(envs, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_aec_step_rewards_list_each_game_step_since_the_agents_last_turn() -> None:
    """``infos[agent]["step_rewards"]`` holds one reward per game step since the agent last acted, and they add up to
    the reward PettingZoo accumulated for it (``last()``), so a learner can discount them instead."""
    env = aec_env(catalog.load("nosde"), horizon=40, seed=4)
    rng = np.random.default_rng(0)
    env.reset()
    acted_at: dict[str, int] = {}
    turns = 0
    for agent in env.agent_iter(max_iter=200):
        observation, reward, terminated, truncated, info = env.last()
        if terminated or truncated:
            env.step(None)
            continue
        since = info["step_rewards"]
        if agent in acted_at:
            assert len(since) == info["step"] - acted_at[agent]
            assert sum(since) == pytest.approx(reward, abs=1e-12)
            turns += 1
        acted_at[agent] = info["step"]
        env.step(int(rng.choice(np.flatnonzero(observation["action_mask"]))))
    assert turns > 5
