"""StochasticGame, stationary policies and stage games: validation errors (message text) and behaviour."""

from __future__ import annotations

from fractions import Fraction

F = Fraction

import numpy as np
import pytest

from jalverify.errors import InvalidGame, InvalidNumber, InvalidPolicy, InvalidProfile, UnknownName
from jalverify.games import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame, stage_game

PLAYERS = ["a1", "a2"]
STATES = ["s1", "s2"]
ACTIONS = [[["keep", "send"], ["noop"]], [["noop"], ["keep", "send"]]]


def nosde_parts(**overrides):
    parts = dict(
        players=PLAYERS,
        states=STATES,
        actions=ACTIONS,
        transitions=[
            {("keep", "noop"): {"s1": 1}, ("send", "noop"): {"s2": 1}},
            {("noop", "keep"): {"s2": 1}, ("noop", "send"): {"s1": 1}},
        ],
        rewards=[[[[1], [0]], [[0], [3]]], [[[3, 0]], [[1, 0]]]],
        gamma="3/4",
    )
    parts.update(overrides)
    return parts


def build(**overrides):
    parts = nosde_parts(**overrides)
    extra = {k: parts.pop(k) for k in ("terminal", "initial", "field", "allow_float") if k in parts}
    return StochasticGame(parts["players"], parts["states"], parts["actions"], parts["transitions"],
                          parts["rewards"], parts["gamma"], **extra)


def test_nosde_game_builds_with_exact_data():
    g = build()
    assert g.gamma == Fraction(3, 4) and g.n_states == 2 and g.is_turn_based() and not g.is_zero_sum()
    assert g.movers("s1") == (0,) and g.movers("s2") == (1,)
    assert g.rewards[0].shape == (2, 2, 1, 2)  # R(s,a) repeated over s'
    assert g.expected_rewards("s2")[:, 0, 0].tolist() == [3, 1]
    assert g.transitions[0][1, 0].tolist() == [0, 1]


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"players": []}, InvalidGame, r"a game needs at least one player"),
        ({"players": ["a", "a"]}, InvalidGame, r"duplicate player name 'a'"),
        ({"states": ["s1", "s1"]}, InvalidGame, r"duplicate state name 's1'"),
        ({"states": []}, InvalidGame, r"a game needs at least one state"),
        ({"states": ["s1", "s2", "s3"]}, InvalidGame, r"actions given for 2 states, the game has 3 states"),
        ({"gamma": 1}, InvalidGame, r"gamma must be in \[0, 1\), got 1"),
        ({"gamma": "-1/2"}, InvalidGame, r"gamma must be in \[0, 1\), got -1/2"),
        ({"gamma": 0.75}, InvalidNumber, r"gamma: float 0\.75 refused in the exact field"),
        ({"actions": [[["keep", "keep"], ["noop"]], ACTIONS[1]]}, InvalidGame, r"duplicate action name 'keep'"),
        ({"actions": [[["keep", "send"]], ACTIONS[1]]}, InvalidGame, r"state 's1': action sets given for 1 players, the game has 2"),
        ({"actions": [[["keep", "send"], []], ACTIONS[1]]}, InvalidGame, r"state 's1': player 'a2' has no actions"),
        ({"actions": [None, ACTIONS[1]]}, InvalidGame, r"state 's1': actions missing for a non-terminal state"),
        ({"terminal": [False]}, InvalidGame, r"terminal flags given for 1 states, the game has 2 states"),
    ],
)
def test_invalid_game_data_are_refused(overrides, error, message):
    with pytest.raises(error, match=message):
        build(**overrides)


def test_transition_rows_must_sum_to_exactly_one_and_the_sum_is_given():
    bad = [{("keep", "noop"): {"s1": "1/2", "s2": "2/5"}, ("send", "noop"): {"s2": 1}}, nosde_parts()["transitions"][1]]
    with pytest.raises(InvalidGame, match=r"state 's1': transition row for joint action \(0, 0\) sums to 9/10, expected 1"):
        build(transitions=bad)


def test_negative_probabilities_are_named():
    bad = [{("keep", "noop"): {"s1": 2, "s2": -1}, ("send", "noop"): {"s2": 1}}, nosde_parts()["transitions"][1]]
    with pytest.raises(InvalidGame, match=r"transition probability to 's2' for joint action \(0, 0\) is negative: -1"):
        build(transitions=bad)


def test_dense_transitions_are_checked_too():
    T0 = [[[1, 0]], [[0, "1/3"]]]  # shape (2, 1, 2)
    with pytest.raises(InvalidGame, match=r"transition row for joint action \(1, 0\) sums to 1/3, expected 1"):
        build(transitions=[T0, nosde_parts()["transitions"][1]])
    with pytest.raises(InvalidGame, match=r"transitions have shape \(2, 2\), expected \(2, 1, 2\)"):
        build(transitions=[[[1, 0], [0, 1]], nosde_parts()["transitions"][1]])


def test_mapping_transitions_errors():
    t1 = nosde_parts()["transitions"][1]
    with pytest.raises(UnknownName, match=r"unknown state 's9'; states are \['s1', 's2'\]"):
        build(transitions=[{("keep", "noop"): {"s9": 1}, ("send", "noop"): {"s2": 1}}, t1])
    with pytest.raises(InvalidGame, match=r"no transition given for joint action \(1, 0\) \(1 missing\)"):
        build(transitions=[{("keep", "noop"): {"s1": 1}}, t1])
    with pytest.raises(UnknownName, match=r"unknown action 'stay' of player 'a1'; actions are \['keep', 'send'\]"):
        build(transitions=[{("stay", "noop"): {"s1": 1}, ("send", "noop"): {"s2": 1}}, t1])
    with pytest.raises(InvalidGame, match=r"joint action \('keep',\) has 1 components, expected 2"):
        build(transitions=[{("keep",): {"s1": 1}, ("send", "noop"): {"s2": 1}}, t1])
    with pytest.raises(InvalidGame, match=r"joint action \(0, 0\) listed twice"):
        build(transitions=[{("keep", "noop"): {"s1": 1}, (0, 0): {"s1": 1}, ("send", "noop"): {"s2": 1}}, t1])
    with pytest.raises(InvalidGame, match=r"must map next states to probabilities"):
        build(transitions=[{("keep", "noop"): [1, 0], ("send", "noop"): {"s2": 1}}, t1])


def test_reward_shapes_and_numbers():
    with pytest.raises(InvalidGame, match=r"state 's1': rewards have shape \(2, 2\), expected \(2, 2, 1\) for R\(s,a\) or \(2, 2, 1, 2\) for R\(s,a,s'\)"):
        build(rewards=[[[1, 0], [0, 3]], nosde_parts()["rewards"][1]])
    with pytest.raises(InvalidNumber, match=r"state 's1' rewards\[0, 1, 0\]: nan is not a finite number"):
        build(rewards=[[[[1], [float("nan")]], [[0], [3]]], nosde_parts()["rewards"][1]])
    with pytest.raises(InvalidNumber, match=r"rewards\[0, 0, 0\]: float 1\.5 refused"):
        build(rewards=[[[[1.5], [0]], [[0], [3]]], nosde_parts()["rewards"][1]])


def test_per_next_state_rewards():
    R0 = np.zeros((2, 2, 1, 2), dtype=int)
    R0[0, 1, 0, 1] = 5  # a1 gets 5 only when 'send' reaches s2
    g = build(rewards=[R0, nosde_parts()["rewards"][1]])
    assert g.rewards[0][0, 1, 0].tolist() == [0, 5]
    assert g.expected_rewards("s1")[0, 1, 0] == 5


def test_terminal_states():
    g = StochasticGame(["p"], ["s", "end"], [[["go", "wait"]], None],
                       [{("go",): {"end": 1}, ("wait",): {"s": "1/2", "end": "1/2"}}, None],
                       [[[1, 0]], None], "9/10", terminal=[False, True])
    assert g.actions[1] == (("none",),) and g.transitions[1].tolist() == [[0, 1]]
    assert g.rewards[1].tolist() == [[[0, 0]]]
    with pytest.raises(InvalidGame, match=r"state 'end': a terminal state must give every player exactly one action"):
        StochasticGame(["p"], ["s", "end"], [[["go"]], [["a", "b"]]], [{("go",): {"end": 1}}, None],
                       [[[1]], None], "1/2", terminal=[False, True])
    with pytest.raises(InvalidGame, match=r"state 'end': a terminal state is absorbing with reward 0; the given rewards differ"):
        StochasticGame(["p"], ["s", "end"], [[["go"]], None], [{("go",): {"end": 1}}, None],
                       [[[1]], [[5]]], "1/2", terminal=[False, True])
    with pytest.raises(InvalidGame, match=r"terminal states take no transitions"):
        StochasticGame(["p"], ["s", "end"], [[["go"]], None], [{("go",): {"end": 1}}, {("none",): {"s": 1}}],
                       [[[1]], None], "1/2", terminal=[False, True])


def test_initial_distribution():
    g = build(initial={"s1": "1/4", "s2": "3/4"})
    assert g.initial.tolist() == [Fraction(1, 4), Fraction(3, 4)]
    with pytest.raises(Exception, match=r"initial distribution: probabilities sum to 1/2, expected 1"):
        build(initial=["1/4", "1/4"])
    with pytest.raises(UnknownName, match=r"unknown state 'x'"):
        build(initial={"x": 1})


def test_state_lookups():
    g = build()
    assert g.state_index("s2") == 1 and g.n_actions("s1") == (2, 1) and g.n_joint_actions(1) == 2
    with pytest.raises(UnknownName, match=r"unknown state 's3'; states are \['s1', 's2'\]"):
        g.state_index("s3")
    with pytest.raises(UnknownName, match=r"state index 2 out of range 0..1"):
        g.state_index(2)


def test_fields_and_equality():
    g = build()
    f = g.to_field("float")
    assert f.gamma == 0.75 and f.transitions[0].dtype == np.float64
    assert f.to_field("exact", allow_float=True) == g
    assert g == build() and g != build(gamma="1/2")
    assert g.with_rewards(nosde_parts()["rewards"]) == g
    assert "2 states gamma=3/4 exact" in repr(g)


def test_zero_sum_predicate():
    R = [[[[1], [0]], [[-1], [0]]], [[[3, 0]], [[-3, 0]]]]
    assert build(rewards=R).is_zero_sum()
    three = StochasticGame(["a", "b", "c"], ["s"], [[["x"], ["y"], ["z"]]], [{(0, 0, 0): {"s": 1}}],
                           [[[[[0]]], [[[0]]], [[[0]]]]], 0)
    assert not three.is_zero_sum()


def test_stationary_policies_validate_every_distribution():
    g = build()
    pi = StationaryPolicy(g, {"s1": [["1/2", "1/2"], [1]], "s2": [[1], ["3/5", "2/5"]]})
    assert pi.joint_distribution("s2").tolist() == [[Fraction(3, 5), Fraction(2, 5)]]
    assert not pi.is_deterministic()
    assert StationaryPolicy.deterministic(g, [[1, 0], [0, 0]]).is_deterministic()
    with pytest.raises(InvalidProfile, match=r"state 's2' player 'a2': probabilities sum to 9/10, expected 1"):
        StationaryPolicy(g, {"s1": [["1/2", "1/2"], [1]], "s2": [[1], ["1/2", "2/5"]]})
    with pytest.raises(InvalidProfile, match=r"state 's1' player 'a1': probability at 1 is negative: -1/2"):
        StationaryPolicy(g, {"s1": [["3/2", "-1/2"], [1]], "s2": [[1], [1, 0]]})
    with pytest.raises(InvalidProfile, match=r"state 's1' player 'a1': expected 2 probabilities, got shape \(3,\)"):
        StationaryPolicy(g, {"s1": [[1, 0, 0], [1]], "s2": [[1], [1, 0]]})
    with pytest.raises(InvalidPolicy, match=r"unknown state 's3'"):
        StationaryPolicy(g, {"s1": [[1, 0], [1]], "s2": [[1], [1, 0]], "s3": []})
    with pytest.raises(InvalidPolicy, match=r"no distributions for state 's2'"):
        StationaryPolicy(g, {"s1": [[1, 0], [1]]})
    with pytest.raises(InvalidPolicy, match=r"state 's1' has 1 distributions for 2 players"):
        StationaryPolicy(g, [[[1, 0]], [[1], [1, 0]]])
    with pytest.raises(InvalidPolicy, match=r"distributions for 1 states, the game has 2"):
        StationaryPolicy(g, [[[1, 0], [1]]])
    with pytest.raises(InvalidNumber, match=r"float 0\.5 refused"):
        StationaryPolicy(g, {"s1": [[0.5, 0.5], [1]], "s2": [[1], [1, 0]]})


def test_correlated_stationary_policies():
    g = build()
    pi = CorrelatedStationaryPolicy(g, {"s1": [["1/3"], ["2/3"]], "s2": [["1/2", "1/2"]]})
    assert pi.joint_distribution("s1").shape == (2, 1)
    with pytest.raises(InvalidProfile, match=r"CorrelatedStationaryPolicy\(\) state 's2': probabilities sum to 3/2, expected 1"):
        CorrelatedStationaryPolicy(g, {"s1": [["1/3"], ["2/3"]], "s2": [[1, "1/2"]]})
    with pytest.raises(InvalidPolicy, match=r"no distribution for state 's2'"):
        CorrelatedStationaryPolicy(g, {"s1": [["1/3"], ["2/3"]]})
    product = CorrelatedStationaryPolicy.from_stationary(StationaryPolicy.deterministic(g, [[0, 0], [0, 1]]))
    assert product.joint_distribution(1).tolist() == [[0, 1]]


def test_stage_game_uses_the_given_values():
    g = build()
    Q = [np.array([[[1], [2]], [[3], [4]]], dtype=object), np.array([[[5, 6]], [[7, 8]]], dtype=object)]
    sg = stage_game(g, "s2", Q)
    assert sg.actions == (("noop",), ("keep", "send")) and sg.payoffs[1, 0, 1] == 8
    with pytest.raises(InvalidGame, match=r"stage_game\(\): Q for state 's1' has shape \(2, 2\), expected \(2, 2, 1\)"):
        stage_game(g, "s1", np.zeros((2, 2), dtype=object))


def test_edge_cases_single_state_gamma_zero_and_one_action():
    g = StochasticGame(["solo"], ["only"], [[["x"]]], [{("x",): {"only": 1}}], [[[5]]], 0)
    assert g.gamma == 0 and g.is_turn_based() and g.movers("only") == ()
    assert g.expected_rewards(0).tolist() == [[5]]
    assert not g.is_zero_sum()  # one player


def test_float_field_rows_sum_to_one_within_tolerance_only():
    T = np.array([[[0.1 + 0.2, 0.7]]])  # 0.30000000000000004 + 0.7
    g = StochasticGame(["p"], ["s", "t"], [[["x"]], [["x"]]], [T[0], np.array([[0.0, 1.0]])],
                       [np.zeros((1, 1)), np.zeros((1, 1))], 0.5, field="float")
    assert g.field.name == "float"
    with pytest.raises(InvalidGame, match=r"sums to 0\.8999999999999999, expected 1"):
        StochasticGame(["p"], ["s", "t"], [[["x"]], [["x"]]], [np.array([[0.2, 0.7]]), np.array([[0.0, 1.0]])],
                       [np.zeros((1, 1)), np.zeros((1, 1))], 0.5, field="float")


def test_nothing_is_normalised_silently():
    # a row of 1/3 + 1/3 + 1/3 is exactly 1; a row of 0.333... decimals is not, and is refused, not rescaled
    ok = StochasticGame(["p"], ["a", "b", "c"], [[["x"]]] * 3, [{("x",): {"a": "1/3", "b": "1/3", "c": "1/3"}}] * 3,
                        [[[0]]] * 3, "1/2")
    assert ok.transitions[0][0].tolist() == [F(1, 3)] * 3
    with pytest.raises(InvalidGame, match=r"sums to 999999/1000000, expected 1"):
        StochasticGame(["p"], ["a", "b", "c"], [[["x"]]] * 3,
                       [{("x",): {"a": "0.333333", "b": "0.333333", "c": "0.333333"}}] * 3, [[[0]]] * 3, "1/2")
