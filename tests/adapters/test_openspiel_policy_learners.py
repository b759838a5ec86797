"""OpenSpiel's learners as policy learners through the PettingZoo path (issue 14 §3): the PettingZoo →
``rl_environment.TimeStep`` translation on a known two-state game, checked step by step against the environment and
the game's own tables and against OpenSpiel's own environment on a matrix game; the policy read back is OpenSpiel's
stage solution at the learned Q; the solver memo changes nothing; and ``jalverify validate`` on both registered
targets through the installed console script gives schema-valid JSON whose verdict is the one their declaration
allows (no convergence claim: not established, never refuted)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

from jalverify.adapters.protocols import MissingExtra, TargetKind
from jalverify.adapters.registry import BUILTIN_ADAPTERS, load_target
from jalverify.errors import UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame, repeated_game
from jalverify.validation.policy_learner_checks import POLICY_ID, waiting_game

pytestmark = pytest.mark.peers

pytest.importorskip("open_spiel")
pytest.importorskip("pettingzoo")

from jalverify.adapters.openspiel_policy_learners import (
    MultiagentQLearnerEnv,
    RememberingSolver,
    TimeStepTranslator,
    WoLFPHCEnv,
)
from jalverify.envs import parallel_env

GAMMA = Fraction(3, 4)


def two_state_game() -> StochasticGame:
    """States ``a`` and ``b``, two actions each for both players: from ``a`` the joint action (0, 0) leads to
    ``b`` and every other one stays in ``a``; from ``b`` everything returns to ``a``.  Every reward is distinct:
    ``R_i(s, x, y, s') = i + 2s + x/3 + y/5 + s'/7`` (s, s' the state indices)."""
    one, zero = Fraction(1), Fraction(0)
    T_a = np.array([[[zero, one], [one, zero]], [[one, zero], [one, zero]]], dtype=object)
    T_b = np.array([[[one, zero], [one, zero]], [[one, zero], [one, zero]]], dtype=object)
    rewards = [np.array([[[[i + 2 * s + Fraction(x, 3) + Fraction(y, 5) + Fraction(t, 7) for t in range(2)]
                           for y in range(2)] for x in range(2)] for i in range(2)], dtype=object)
               for s in range(2)]
    actions = [[["x0", "x1"], ["y0", "y1"]]] * 2
    return StochasticGame(["p0", "p1"], ["a", "b"], actions, [T_a, T_b], rewards, GAMMA, name="two states")


def test_translation_steps_the_two_state_game_as_openspiel_expects() -> None:
    from open_spiel.python import rl_environment

    game = two_state_game()
    translator = TimeStepTranslator(parallel_env(game, horizon=3, seed=5))
    twin = parallel_env(game, horizon=3, seed=5)  # the same environment, stepped directly
    assert translator.agents == ["p0", "p1"] and translator.num_actions == [2, 2] and translator.n_states == 2
    assert translator.gamma == 0.75

    time_step = translator.reset(seed=5)
    observations, _ = twin.reset(seed=5)
    assert time_step.step_type is rl_environment.StepType.FIRST
    assert time_step.rewards is None and time_step.discounts is None
    assert time_step.observations["info_state"] == [[1.0, 0.0], [1.0, 0.0]] and observations["p0"]["observation"] == 0
    assert time_step.observations["legal_actions"] == [[0, 1], [0, 1]]
    assert time_step.observations["current_player"] == rl_environment.SIMULTANEOUS_PLAYER_ID

    # a --(0,0)--> b --(1,0)--> a --(0,1)--> a, cut by the horizon after the third step
    expected_states = [1, 0, 0]
    for number, (joint, s, t) in enumerate(zip([(0, 0), (1, 0), (0, 1)], [0, 1, 0], expected_states), 1):
        time_step = translator.step(joint)
        observations, rewards, terminations, truncations, _ = twin.step({"p0": joint[0], "p1": joint[1]})
        assert time_step.step_type is rl_environment.StepType.MID  # truncation is not an end of the game
        assert translator.truncated is (number == 3) is truncations["p0"] and not terminations["p0"]
        assert time_step.rewards == [rewards["p0"], rewards["p1"]]
        assert time_step.rewards == [float(game.rewards[s][(i, *joint, t)]) for i in range(2)]
        assert time_step.discounts == [0.75, 0.75]
        assert observations["p0"]["observation"] == t
        assert time_step.observations["info_state"] == [[float(j == t) for j in range(2)]] * 2
        assert time_step.observations["legal_actions"] == [[0, 1], [0, 1]]


def test_a_terminal_step_is_last_with_discount_zero_and_masked_actions_are_not_legal() -> None:
    from open_spiel.python import rl_environment

    translator = TimeStepTranslator(parallel_env(waiting_game(), horizon=20, seed=0))
    first = translator.reset(seed=0)
    assert first.observations["legal_actions"] == [[0, 1], [0]]  # in "now" the second player has one action
    last = translator.step([0, 0])  # take: the game ends
    assert last.step_type is rl_environment.StepType.LAST and not translator.truncated
    assert last.rewards == [1.0, 1.0] and last.discounts == [0.0, 0.0]
    assert last.observations["legal_actions"] == [[], []]
    assert last.observations["info_state"] == [[0.0, 0.0, 1.0]] * 2


def test_the_translation_matches_openspiels_own_environment_on_a_matrix_game() -> None:
    import pyspiel
    from open_spiel.python import rl_environment

    rows, columns = [[3, 0], [5, Fraction(1, 2)]], [[3, 5], [0, 1]]
    ours = TimeStepTranslator(parallel_env(NormalFormGame.bimatrix(rows, columns), seed=0))  # one-shot
    theirs = rl_environment.Environment(pyspiel.create_matrix_game([[float(v) for v in r] for r in rows],
                                                                   [[float(v) for v in r] for r in columns]))
    pairs = [(ours.reset(seed=0), theirs.reset())]
    pairs.append((ours.step([1, 1]), theirs.step([1, 1])))
    for mine, reference in pairs:
        assert mine.step_type is reference.step_type
        assert mine.rewards == reference.rewards and mine.discounts == reference.discounts
        assert set(mine.observations) == set(reference.observations)
        for key in ("legal_actions", "current_player", "serialized_state"):  # info_state: each game's own encoding
            assert mine.observations[key] == reference.observations[key], key
    assert pairs[1][0].rewards == [0.5, 1.0]


def test_the_learned_policy_is_the_nash_solvers_mixture_at_the_learned_q() -> None:
    from open_spiel.python.algorithms import tabular_multiagent_qlearner

    game = two_state_game()
    learner = MultiagentQLearnerEnv()
    env = parallel_env(game, horizon=20, seed=2)
    learner.train(env, 200, 2)
    agents = learner._agents  # the OpenSpiel agents themselves, to read their Q tables
    for s in range(game.n_states):
        key = str([[float(j == s) for j in range(game.n_states)]] * 2)  # the tables' key: str(info_state)
        q0, q1 = agents[0]._get_payoffs_array(key), agents[1]._get_payoffs_array(key)
        assert np.array_equal(q0, q1)  # both agents learn every player's table from the same transitions
        assert np.any(q0 != 0), f"state {s} was never learned"
        mixtures, _ = tabular_multiagent_qlearner.TwoPlayerNashSolver()(q0)
        for i, agent in enumerate(["p0", "p1"]):
            assert learner.policy(agent, env.observation_for(agent, s)) == [float(p) for p in mixtures[i]]
    steps = [done for done, _ in learner.snapshots()]
    assert steps == [50, 100, 150, 200]
    assert learner.snapshots()[-1][1]["p0"][1] == learner.policy("p0", env.observation_for("p0", 1))


def test_the_solver_memo_changes_nothing_but_the_number_of_solver_calls() -> None:
    game = two_state_game()
    runs = []
    for remember in (True, False):
        learner = MultiagentQLearnerEnv()
        learner.remember_stage_solutions = remember
        env = parallel_env(game, horizon=20, seed=4)
        learner.train(env, 150, 4)
        runs.append(([learner.policy(a, env.observation_for(a, s)) for s in range(2) for a in ("p0", "p1")],
                     learner.snapshots(), learner.stage_solver))
    assert runs[0][:2] == runs[1][:2]
    memo = runs[0][2]
    assert isinstance(memo, RememberingSolver) and not isinstance(runs[1][2], RememberingSolver)
    assert memo.calls >= 4 * 150 and memo.solved <= memo.calls // 3


def test_the_same_seed_gives_the_same_training_and_wolf_schedules_are_not_shared() -> None:
    game = repeated_game(NormalFormGame.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), Fraction(9, 10))
    policies = []
    for _ in range(2):  # OpenSpiel's default WoLF schedules are shared objects: a second run would continue them
        learner = WoLFPHCEnv()
        env = parallel_env(game, horizon=20, seed=7)
        learner.train(env, 400, 7)
        policies.append([learner.policy(a, env.observation_for(a, 0)) for a in ("p0", "p1")])
    assert policies[0] == policies[1]
    assert policies[0] != [[0.5, 0.5], [0.5, 0.5]]  # it did learn something


def test_games_outside_the_declared_domains_are_refused() -> None:
    three_players = repeated_game(NormalFormGame([np.zeros((2, 2, 2), dtype=int)] * 3), Fraction(1, 2))
    with pytest.raises(UnsupportedGame, match="two-player"):
        MultiagentQLearnerEnv().train(parallel_env(three_players, horizon=5, seed=0), 10, 0)
    with pytest.raises(UnsupportedGame, match="fewer actions"):
        MultiagentQLearnerEnv().train(parallel_env(waiting_game(), horizon=5, seed=0), 10, 0)
    with pytest.raises(UnsupportedGame, match="one state"):
        WoLFPHCEnv().train(parallel_env(two_state_game(), horizon=5, seed=0), 10, 0)
    qlearner, wolf = load_target("openspiel.env_qlearner_nash"), load_target("openspiel.wolf_phc")
    assert BUILTIN_ADAPTERS["openspiel.env_qlearner_nash"].endswith(":MultiagentQLearnerEnv")
    for target in (qlearner, wolf):
        caps = target.capabilities
        assert caps.kind is TargetKind.POLICY_LEARNER and caps.converges is False and caps.source
    assert qlearner.capabilities.players == 2 and not qlearner.capabilities.state_action_sets
    assert wolf.capabilities.max_states == 1


def test_warm_up_names_the_missing_pettingzoo_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pettingzoo", None)  # as if it were not installed: importing it fails
    for target in (MultiagentQLearnerEnv(), WoLFPHCEnv()):  # loading needs no library, warming up does
        with pytest.raises(MissingExtra, match=r'pip install "jalverify\[pettingzoo\]"'):
            target.warm_up()


def _console_script() -> list[str]:
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    script = shutil.which("jalverify", path=search)
    assert script is not None, "the jalverify console script is not installed next to the test interpreter"
    return [script]


#: Each registered target with the training steps of its run (Nash-Q solves stage games at every step: fewer).
TARGETS = {"openspiel.env_qlearner_nash": 300, "openspiel.wolf_phc": 2000}


@pytest.fixture(scope="module")
def validation_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """``jalverify validate <target> --max-examples 2 --seed 1 --format json`` through the installed console script,
    once per target (with ``--learner-steps``, so that each run stays well under a minute)."""
    runs = {}
    for name, steps in TARGETS.items():
        args = ["validate", name, "--max-examples", "2", "--seed", "1", "--learner-steps", str(steps), "--format",
                "json"]
        runs[name] = subprocess.run([*_console_script(), *args], cwd=tmp_path_factory.mktemp("validate"),
                                    capture_output=True, text=True, timeout=300, check=False)
    return runs


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_validate_through_the_console_script_gives_the_verdict_the_declaration_allows(
        name: str, validation_runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = validation_runs[name]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert document["target"] == name
    assert document["capabilities"]["kind"] == "policy-learner" and document["capabilities"]["converges"] is False
    (check,) = document["checks"]
    assert check["check"] == POLICY_ID
    # no convergence claim: the exact NashConv is measured on every game and reported, never judged
    assert check["verdict"] == "not_established", check["message"]
    assert check["examples"] >= 2 and not check["findings"] and document["refuted"] == [] == document["errors"]
    assert f"after {TARGETS[name]} training steps" in check["message"] and "makes no claim" in check["message"]


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_validate_json_of_a_policy_learner_matches_the_schema(
        name: str, validation_runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    import jsonschema

    from jalverify.schemas import schema

    document = json.loads(validation_runs[name].stdout)
    errors = list(jsonschema.Draft202012Validator(schema("validate")).iter_errors(document))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:3]]
