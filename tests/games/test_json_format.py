"""The jalverify.game/1 JSON format, policy and profile files: errors with JSON paths, exact round trips."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidFile, InvalidGame, InvalidNumber, InvalidProfile
from jalverify.games import CorrelatedProfile, MixedProfile, NormalFormGame, StationaryPolicy, StochasticGame, catalog
from jalverify.games.formats import (
    dump_game,
    dump_policy,
    dump_profile,
    dumps_json,
    game_from_dict,
    load_game,
    load_game_document,
    load_policy,
    load_profile,
    save_game,
    save_policy,
    save_profile,
    schema,
)

F = Fraction


def nf_doc(**overrides):
    doc = {
        "format": "jalverify.game/1",
        "kind": "normal_form",
        "players": ["row", "col"],
        "actions": [["C", "D"], ["C", "D"]],
        "payoffs": [[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
    }
    doc.update(overrides)
    return doc


def sg_doc():
    return dump_game(catalog.load("nosde"))


def load_text(doc, name="game.json"):
    return game_from_dict(json.loads(json.dumps(doc)), source=name)


def bad(text_or_doc, message, name="game.json"):
    text = text_or_doc if isinstance(text_or_doc, str) else json.dumps(text_or_doc)
    with pytest.raises(InvalidFile) as info:
        from jalverify.games.formats.json_format import document_from_dict, read_json

        data, _ = read_json(text)
        document_from_dict(data, source=name)
    assert message in str(info.value), str(info.value)
    return info.value


# --- reading -------------------------------------------------------------------------------------------------------
def test_numbers_are_read_exactly():
    g = load_text(nf_doc(payoffs=[[["1/3", "0.1"], [5, "-2"]], [[3, 5], ["1e-2", 1]]]))
    assert g.payoffs[0, 0, 0] == F(1, 3) and g.payoffs[0, 0, 1] == F(1, 10) and g.payoffs[1, 1, 0] == F(1, 100)


def test_json_float_literals_are_refused_unless_allowed():
    text = json.dumps(nf_doc()).replace('[[3, 0], [5, 1]]', '[[3, 0.1], [5, 1]]')
    err = bad(text, "game.json: $.payoffs[0][0][1]: JSON float 0.1 refused in the exact format")
    assert '"0.1"' in str(err)
    g = load_game(text, allow_float=True)
    assert g.payoffs[0, 0, 1] == F(1, 10)  # the literal's decimal text, exactly


def test_python_floats_in_dicts_are_refused_unless_allowed():
    with pytest.raises(InvalidFile, match=r"<data>: \$\.payoffs\[1\]\[1\]\[0\]: float 0\.5 refused in the exact field"):
        game_from_dict(nf_doc(payoffs=[[[3, 0], [5, 1]], [[3, 5], [0.5, 1]]]))
    g = game_from_dict(nf_doc(payoffs=[[[3, 0], [5, 1]], [[3, 5], [0.5, 1]]]), allow_float=True)
    assert g.payoffs[1, 1, 0] == F(1, 2)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(literal):
    text = json.dumps(nf_doc()).replace('[[3, 0], [5, 1]]', f'[[3, {literal}], [5, 1]]')
    bad(text, f"$.payoffs[0][0][1]: {literal} is not a finite number")


def test_malformed_json_reports_line_and_column(tmp_path):
    path = tmp_path / "game.json"
    path.write_text('{"format": "jalverify.game/1",\n "kind": "normal_form",\n "players": ["a" "b"]}')
    with pytest.raises(InvalidFile, match=rf"{path}: malformed JSON at line 3, column 18: Expecting ','"):
        load_game(path)


def test_errors_wrap_the_underlying_error():
    err = bad(json.dumps(nf_doc(payoffs=[[[3, 0], [5, "x"]], [[3, 5], [0, 1]]])), "$.payoffs[0][1][1]: cannot read 'x'")
    assert isinstance(err.__cause__, InvalidNumber)
    doc = sg_doc()
    doc["states"][1]["outcomes"][0]["next"] = {"s2": "1/2", "s1": "2/5"}
    bad(doc, "game.json: $.states[1].outcomes[0].next: probabilities sum to 9/10, expected 1")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("format"), "$: missing required key 'format'"),
        (lambda d: d.update(format="jalverify.game/2"), "$.format: unsupported format 'jalverify.game/2'"),
        (lambda d: d.update(kind="extensive"), "$.kind: unknown kind 'extensive'"),
        (lambda d: d.update(colour="red"), "$.colour: unknown key 'colour' in a normal_form game"),
        (lambda d: d.update(players=["row", "row"]), "$.players[1]: duplicate player name 'row'"),
        (lambda d: d.update(players=[]), "$.players: a game needs at least one player"),
        (lambda d: d.update(players="row"), "$.players: expected a list of player names, got 'row'"),
        (lambda d: d.update(players=["row", 3]), "$.players[1]: expected a non-empty string, got 3"),
        (lambda d: d.update(actions=[["C", "D"]]), "$.actions: expected one list of action names per player (2)"),
        (lambda d: d.update(actions=[["C", "D"], []]), "$.actions[1]: player 'col' has no actions"),
        (lambda d: d.update(actions=[["C", "C"], ["C", "D"]]), "$.actions[0][1]: duplicate action name 'C'"),
        (lambda d: d.update(payoffs=[[[3, 0], [5, 1]]]), "$.payoffs: expected 2 entries (one payoff array per player (2)), got 1"),
        (lambda d: d.update(payoffs=[[[3, 0], [5]], [[3, 5], [0, 1]]]), "$.payoffs[0][1]: expected 2 entries (actions of player 'col'), got 1"),
        (lambda d: d.update(payoffs=[[[3, 0], 5], [[3, 5], [0, 1]]]), "$.payoffs[0][1]: expected a list of 2 entries (actions of player 'col'), got 5"),
        (lambda d: d.update(payoffs=[[[3, 0], [5, None]], [[3, 5], [0, 1]]]), "$.payoffs[0][1][1]: expected a number"),
        (lambda d: d.update(payoffs=[[[3, 0], [5, True]], [[3, 5], [0, 1]]]), "$.payoffs[0][1][1]: booleans are not numbers"),
        (lambda d: d.update(name=3), "$.name: expected a string, got 3"),
        (lambda d: d.pop("payoffs"), "$: missing required key 'payoffs'"),
    ],
)
def test_normal_form_errors_name_the_json_path(mutate, message):
    doc = nf_doc()
    mutate(doc)
    bad(doc, f"game.json: {message}")


def _state(doc, s):
    return doc["states"][s]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(gamma=1), "$.gamma: gamma must be in [0, 1), got 1"),
        (lambda d: d.update(gamma="3/2"), "$.gamma: gamma must be in [0, 1), got 3/2"),
        (lambda d: d.pop("gamma"), "$: missing required key 'gamma'"),
        (lambda d: d.update(states=[]), "$.states: expected a non-empty list of states"),
        (lambda d: _state(d, 1).update(name="s1"), "$.states[1].name: duplicate state name 's1'"),
        (lambda d: _state(d, 0).update(colour=1), "$.states[0].colour: unknown key 'colour' in a state"),
        (lambda d: _state(d, 0).pop("actions"), "$.states[0]: missing required key 'actions' (state 's1' is not terminal)"),
        (lambda d: _state(d, 0).update(terminal="no"), "$.states[0].terminal: expected true or false, got 'no'"),
        (lambda d: _state(d, 0).update(actions=[["keep"]]), "$.states[0].actions: expected one list of action names per player (2)"),
        (lambda d: _state(d, 0)["outcomes"].pop(), "$.states[0].outcomes: no outcome for joint action ['send', 'noop'] (1 joint actions missing)"),
        (lambda d: _state(d, 0)["outcomes"][1].update(joint=["keep", "noop"]),
         "$.states[0].outcomes[1].joint: joint action ['keep', 'noop'] already has an outcome at $.states[0].outcomes[0]"),
        (lambda d: _state(d, 0)["outcomes"][0].update(joint=["stay", "noop"]),
         "$.states[0].outcomes[0].joint[0]: unknown action 'stay' of player 'agent1' in state 's1'; actions are ['keep', 'send']"),
        (lambda d: _state(d, 0)["outcomes"][0].update(joint=["keep"]), "$.states[0].outcomes[0].joint: expected a list of 2 action names"),
        (lambda d: _state(d, 0)["outcomes"][0].update(next={"s3": 1}), "$.states[0].outcomes[0].next: unknown state 's3'; states are ['s1', 's2']"),
        (lambda d: _state(d, 0)["outcomes"][0].update(next={"s1": "3/2", "s2": "-1/2"}), "$.states[0].outcomes[0].next.s2: probability is negative: -1/2"),
        (lambda d: _state(d, 0)["outcomes"][0].update(next={}), "$.states[0].outcomes[0].next: expected an object mapping next states to probabilities"),
        (lambda d: _state(d, 0)["outcomes"][0].update(rewards=[1]), "$.states[0].outcomes[0].rewards: expected 2 entries (one reward per player (2)), got 1"),
        (lambda d: _state(d, 0)["outcomes"][0].update(rewards={"s9": [1, 0]}), "$.states[0].outcomes[0].rewards: unknown state 's9'"),
        (lambda d: _state(d, 0)["outcomes"][0].update(rewards={"s1": [1]}), "$.states[0].outcomes[0].rewards.s1: expected 2 entries"),
        (lambda d: _state(d, 0)["outcomes"][0].pop("rewards"), "$.states[0].outcomes[0]: missing required key 'rewards'"),
        (lambda d: _state(d, 0)["outcomes"][0].update(extra=1), "$.states[0].outcomes[0].extra: unknown key 'extra' in an outcome"),
        (lambda d: d.update(initial={"s1": "1/2"}), "$.initial: probabilities sum to 1/2, expected 1"),
        (lambda d: d.update(initial={"s7": 1}), "$.initial: unknown state 's7'"),
        (lambda d: d.update(initial={"s1": -1, "s2": 2}), "$.initial: probability at 0 is negative: -1"),
    ],
)
def test_stochastic_errors_name_the_json_path(mutate, message):
    doc = sg_doc()
    mutate(doc)
    bad(doc, f"game.json: {message}")


def test_terminal_state_rules():
    doc = sg_doc()
    doc["states"].append({"name": "end", "terminal": True})
    doc["states"][1]["outcomes"][1]["next"] = {"end": 1}
    g = load_text(doc)
    assert g.terminal == (False, False, True) and g.actions[2] == (("none",), ("none",))
    doc["states"][2]["outcomes"] = [{"joint": ["none", "none"], "next": {"s1": 1}, "rewards": [0, 0]}]
    bad(doc, "$.states[2].outcomes: a terminal state takes no outcomes")
    doc["states"][2] = {"name": "end", "terminal": True, "actions": [["a", "b"], ["c"]]}
    bad(doc, "$.states[2].actions: a terminal state gives every player exactly one action")


def test_duplicate_keys_are_refused():
    text = '{"format": "jalverify.game/1", "kind": "normal_form", "kind": "stochastic"}'
    bad(text, "duplicate key 'kind'")


def test_game_level_errors_are_wrapped_with_the_file_name():
    doc = sg_doc()
    doc["states"][0]["actions"][1] = ["noop", "wait"]  # outcomes then miss the new joint actions
    bad(doc, "$.states[0].outcomes: no outcome for joint action ['keep', 'wait']")


def test_files_and_paths(tmp_path):
    path = tmp_path / "pd.json"
    save_game(catalog.load("prisoners_dilemma"), path, citation="Axelrod 1984", notes="T=5")
    doc = load_game_document(path)
    assert doc.game == catalog.load("prisoners_dilemma") and doc.citation == "Axelrod 1984" and doc.notes == "T=5"
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "jalverify.game/1", "kind": "normal_form", "players": ["a"], "actions": [["x"]], "payoffs": [[0.5]]}')
    with pytest.raises(InvalidFile, match=rf"{broken}: \$\.payoffs\[0\]\[0\]: JSON float 0\.5 refused"):
        load_game(broken)
    with pytest.raises(OSError):
        load_game(tmp_path / "missing.json")


def test_float_field_loading():
    g = load_game(json.dumps(nf_doc(payoffs=[[["1/3", 0], [5, 1]], [[3, 5], [0, 1]]])), field="float")
    assert g.field.name == "float" and g.payoffs[0, 0, 0] == 1 / 3
    # the float game dumps as shortest decimals and comes back bit-identical in the float field
    assert load_game(dump_game(g), field="float") == g


# --- round trips -----------------------------------------------------------------------------------------------------
numbers = st.one_of(st.integers(-20, 20), st.fractions(min_value=-20, max_value=20, max_denominator=12))


@st.composite
def normal_form_games(draw):
    n = draw(st.integers(1, 3))
    counts = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = n * int(np.prod(counts))
    flat = draw(st.lists(numbers, min_size=size, max_size=size))
    names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6)
    players = draw(st.lists(names, min_size=n, max_size=n, unique=True))
    actions = [draw(st.lists(names, min_size=k, max_size=k, unique=True)) for k in counts]
    payoffs = np.array([Fraction(x) for x in flat], dtype=object).reshape((n,) + counts)
    name = draw(st.one_of(st.none(), names))
    return NormalFormGame(payoffs, players, actions, name=name)


def _distribution(draw, k):
    w = draw(st.lists(st.integers(0, 3), min_size=k, max_size=k).filter(lambda v: sum(v) > 0))
    return {j: F(x, sum(w)) for j, x in enumerate(w)}


@st.composite
def stochastic_games(draw):
    n = draw(st.integers(1, 2))
    S = draw(st.integers(1, 3))
    states = [f"s{k}" for k in range(S)]
    terminal = [draw(st.booleans()) if s > 0 else False for s in range(S)]
    actions, transitions, rewards = [], [], []
    for s in range(S):
        if terminal[s]:
            actions.append(None), transitions.append(None), rewards.append(None)
            continue
        counts = tuple(draw(st.lists(st.integers(1, 2), min_size=n, max_size=n)))
        actions.append([[f"x{j}" for j in range(k)] for k in counts])
        T = {}
        for joint in np.ndindex(*counts):
            T[joint] = {states[t]: p for t, p in _distribution(draw, S).items()}
        transitions.append(T)
        per_next = draw(st.booleans())
        shape = (n,) + counts + ((S,) if per_next else ())
        flat = draw(st.lists(numbers, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
        rewards.append(np.array([Fraction(x) for x in flat], dtype=object).reshape(shape))
    gamma = draw(st.fractions(min_value=0, max_value=F(99, 100), max_denominator=100))
    initial = None
    if draw(st.booleans()):
        initial = [p for p in _distribution(draw, S).values()]
    return StochasticGame([f"p{i}" for i in range(n)], states, actions, transitions, rewards, gamma,
                          terminal=terminal, initial=initial, name=draw(st.one_of(st.none(), st.just("g"))))


@given(normal_form_games())
def test_normal_form_json_round_trip_is_exact(game):
    doc = dump_game(game, citation="c")
    text = dumps_json(doc)
    back = load_game(text)
    assert back == game and back.name == game.name
    assert dump_game(back, citation="c") == doc
    assert json.loads(text) == doc


@given(stochastic_games())
def test_stochastic_json_round_trip_is_exact(game):
    doc = dump_game(game)
    back = load_game(dumps_json(doc))
    assert back == game and back.name == game.name
    assert dump_game(back) == doc


@given(normal_form_games())
def test_float_field_round_trip_is_bit_identical(game):
    gf = game.to_field("float")
    assert load_game(dumps_json(dump_game(gf)), field="float") == gf


def _catalog_params():
    return [pytest.param(name, marks=pytest.mark.slow) if name == "soccer" else name for name in catalog.names()]


def _catalog_text(name):
    from importlib.resources import files

    return files("jalverify.games.catalog").joinpath(f"data/{name}.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in catalog.names() if n != "soccer"])
def test_every_catalog_file_is_canonical(name):
    # soccer: test_catalog checks that its file is the canonical dump of its builder's game
    doc = catalog.document(name)
    assert dumps_json(dump_game(doc.game, citation=doc.citation, notes=doc.notes)) == _catalog_text(name)


@pytest.mark.parametrize("name", _catalog_params())
def test_the_schema_accepts_every_catalog_file(name):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema())
    errors = list(validator.iter_errors(json.loads(_catalog_text(name))))
    assert not errors, errors[:1]


def test_the_schema_is_valid_and_rejects_broken_documents():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema())
    validator = jsonschema.Draft202012Validator(schema())
    for broken in (nf_doc(payoffs=[[["x"]]]), nf_doc(colour=1), {**sg_doc(), "gamma": "3/4/5"}, nf_doc(format="other"),
                   {**sg_doc(), "states": [{"name": "s1"}]}):
        assert list(validator.iter_errors(broken)), broken


# --- policies and profiles ---------------------------------------------------------------------------------------------
def test_plain_and_wrapped_policy_files(tmp_path):
    g = catalog.load("nosde")
    plain = {"s1": [["1/2", "1/2"], ["1"]], "s2": [["1"], ["3/5", "2/5"]]}
    pi = load_policy(json.dumps(plain), g)
    assert isinstance(pi, StationaryPolicy) and pi.distributions[1][1].tolist() == [F(3, 5), F(2, 5)]
    wrapped = dump_policy(pi)
    assert wrapped["format"] == "jalverify.policy/1" and wrapped["kind"] == "stationary"
    assert wrapped["policy"] == {"s1": [["1/2", "1/2"], [1]], "s2": [[1], ["3/5", "2/5"]]}
    path = tmp_path / "pi.json"
    save_policy(pi, path)
    assert load_policy(path, g) == pi


def test_correlated_policy_files():
    g = catalog.load("nosde")
    doc = {"format": "jalverify.policy/1", "kind": "correlated", "policy": {"s1": [["1/4"], ["3/4"]], "s2": [[1, 0]]}}
    pi = load_policy(doc, g)
    assert pi.joint_distribution("s1").tolist() == [[F(1, 4)], [F(3, 4)]]
    assert load_policy(dump_policy(pi), g).distributions[0].tolist() == pi.distributions[0].tolist()


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"s1": [["1/2", "2/5"], ["1"]], "s2": [["1"], ["1", "0"]]}, "policy.json: $.s1[0]: probabilities sum to 9/10, expected 1"),
        ({"s1": [["1/2", "1/2"], ["1"]]}, "policy.json: $: no distribution for state 's2'"),
        ({"s1": [["1/2", "1/2"], ["1"]], "s2": [["1"], ["1", "0"]], "s3": []}, "policy.json: $.s3: unknown state 's3'"),
        ({"s1": [["1/2", "1/2"]], "s2": [["1"], ["1", "0"]]}, "policy.json: $.s1: expected one distribution per player (2)"),
        ({"s1": [["1/2", "1/2", "0"], ["1"]], "s2": [["1"], ["1", "0"]]}, "policy.json: $.s1[0]: expected 2 entries"),
        ({"s1": [["3/2", "-1/2"], ["1"]], "s2": [["1"], ["1", "0"]]}, "policy.json: $.s1[0]: probability at 1 is negative: -1/2"),
        ({"s1": [[0.5, 0.5], ["1"]], "s2": [["1"], ["1", "0"]]}, "policy.json: $.s1[0][0]: JSON float 0.5 refused"),
        ({"format": "jalverify.policy/9", "policy": {}}, "policy.json: $.format: unsupported format 'jalverify.policy/9'"),
        ({"format": "jalverify.policy/1", "kind": "mixed", "policy": {}}, "policy.json: $.kind: unknown kind 'mixed'"),
        ({"format": "jalverify.policy/1", "kind": "correlated", "policy": {"s1": [["1/2"], ["1/4"]], "s2": [[1, 0]]}},
         "policy.json: $.policy.s1: probabilities sum to 3/4, expected 1"),
        ([1, 2], "policy.json: $: expected an object mapping state names to distributions"),
    ],
)
def test_policy_file_errors(tmp_path, doc, message):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidFile) as info:
        load_policy(str(path).replace(str(tmp_path) + "/", "") if False else path, catalog.load("nosde"))
    assert message.replace("policy.json", str(path)) in str(info.value), str(info.value)


def test_profile_files(tmp_path):
    g = catalog.load("battle_of_the_sexes")
    sigma = load_profile('[["2/3", "1/3"], ["1/3", "2/3"]]', g)
    assert isinstance(sigma, MixedProfile) and sigma.distributions[0].tolist() == [F(2, 3), F(1, 3)]
    assert dump_profile(sigma) == {"format": "jalverify.profile/1", "kind": "mixed", "profile": [["2/3", "1/3"], ["1/3", "2/3"]]}
    path = tmp_path / "p.json"
    save_profile(sigma, path)
    assert load_profile(path, g) == sigma
    x = load_profile({"format": "jalverify.profile/1", "kind": "correlated", "profile": [["1/2", 0], [0, "1/2"]]}, g)
    assert isinstance(x, CorrelatedProfile) and dump_profile(x)["profile"] == [["1/2", 0], [0, "1/2"]]
    with pytest.raises(InvalidFile, match=r"<text>: \$\[1\]: probabilities sum to 2/3, expected 1"):
        load_profile('[["2/3", "1/3"], ["1/3", "1/3"]]', g)
    with pytest.raises(InvalidFile, match=r"<data>: \$: expected one distribution per player \(2\)"):
        load_profile([["1", "0"]], g)
    with pytest.raises(InvalidFile, match=r"\$\.profile: expected 2 entries \(actions of player 'row'\), got 1"):
        load_profile({"format": "jalverify.profile/1", "kind": "correlated", "profile": [[1, 0]]}, g)


def test_profile_in_the_float_field():
    g = catalog.load("matching_pennies").to_field("float")
    sigma = load_profile('[["1/2", "1/2"], ["1/2", "1/2"]]', g)
    assert sigma.distributions[0].dtype == np.float64


def test_dump_refuses_non_games():
    with pytest.raises(InvalidGame, match="expected a NormalFormGame or StochasticGame, got str"):
        dump_game("game")  # type: ignore[arg-type]
    with pytest.raises(InvalidProfile, match="expected a MixedProfile or CorrelatedProfile"):
        dump_profile("p")  # type: ignore[arg-type]


def test_json_paths_quote_keys_that_are_not_identifiers():
    doc = {"format": "jalverify.game/1", "kind": "stochastic", "players": ["p"], "gamma": 0,
           "states": [{"name": "state one", "actions": [["x"]],
                       "outcomes": [{"joint": ["x"], "next": {"state one": "1/2", "s-2": "1/2"}, "rewards": [0]}]},
                      {"name": "s-2", "terminal": True}]}
    assert load_text(doc).states == ("state one", "s-2")
    doc["states"][0]["outcomes"][0]["next"]["s-2"] = "x"
    bad(doc, '$.states[0].outcomes[0].next["s-2"]: cannot read \'x\'')


def test_kind_must_be_a_known_string():
    bad(nf_doc(kind=["normal_form"]), "$.kind: unknown kind ['normal_form']")
    bad([1, 2], "$: expected a JSON object with \"format\": \"jalverify.game/1\", got a list of length 2")


@given(stochastic_games(), st.data())
def test_policy_files_round_trip_exactly(game, data):
    dists = []
    for s in range(game.n_states):
        dists.append([[p for p in _distribution(data.draw, k).values()] for k in game.n_actions(s)])
    pi = StationaryPolicy(game, dists)
    back = load_policy(dumps_json(dump_policy(pi)), game)
    assert back == pi
    # the plain form (without the wrapper) reads the same
    assert load_policy(dump_policy(pi)["policy"], game) == pi


@given(normal_form_games(), st.data())
def test_profile_files_round_trip_exactly(game, data):
    sigma = MixedProfile(game, [[p for p in _distribution(data.draw, k).values()] for k in game.n_actions])
    assert load_profile(dumps_json(dump_profile(sigma)), game) == sigma
    x = sigma.to_correlated()
    back = load_profile(dump_profile(x), game)
    assert back.distribution.tolist() == x.distribution.tolist()
