"""The catalog: every game loads, has a citation, and the NoSDE, soccer and grid games follow their stated rules."""

from __future__ import annotations

from fractions import Fraction

import pytest

from jalverify.errors import UnknownName
from jalverify.games import NormalFormGame, StochasticGame, catalog
from jalverify.games.catalog import build_classics, build_grids
from jalverify.games.formats import dump_game, dumps_json

F = Fraction
EXPECTED = {
    "rock_paper_scissors", "matching_pennies", "prisoners_dilemma", "battle_of_the_sexes", "chicken", "stag_hunt",
    "coordination", "shapley_3x3", "degenerate_3x2", "three_player_matching_pennies", "nosde", "soccer",
    "grid_game_1", "grid_game_2",
}
FAST = sorted(EXPECTED - {"soccer"})


def test_names():
    assert set(catalog.names()) == EXPECTED


@pytest.mark.parametrize("name", FAST)
def test_every_game_loads_exactly_with_a_citation(name):
    g = catalog.load(name)
    assert isinstance(g, (NormalFormGame, StochasticGame)) and g.name == name and g.field.exact
    assert len(catalog.citation(name)) > 20 and catalog.notes(name)


@pytest.mark.parametrize("name", sorted(build_classics.CLASSICS))
def test_classic_files_match_their_builder(name):
    build, citation, notes = build_classics.CLASSICS[name]
    doc = catalog.document(name)
    assert doc.game == build() and doc.citation == citation and doc.notes == notes


@pytest.mark.parametrize("name", ["grid_game_1", "grid_game_2", pytest.param("soccer", marks=pytest.mark.slow)])
def test_grid_files_match_their_builder(name):
    from importlib.resources import files

    build, citation, notes = build_grids.BUILDERS[name]
    text = files("jalverify.games.catalog").joinpath(f"data/{name}.json").read_text(encoding="utf-8")
    assert dumps_json(dump_game(build(), citation=citation, notes=notes)) == text


def test_unknown_names():
    with pytest.raises(UnknownName, match=r"catalog: unknown game 'tic_tac_toe'; known games are \["):
        catalog.load("tic_tac_toe")
    with pytest.raises(UnknownName, match="unknown game"):
        catalog.path("tic_tac_toe")
    assert catalog.path("nosde").endswith("nosde.json")


def test_predicates_of_the_matrix_games():
    assert catalog.load("rock_paper_scissors").is_zero_sum() and catalog.load("matching_pennies").is_zero_sum()
    assert catalog.load("coordination").is_common_payoff()
    for name in ("prisoners_dilemma", "chicken", "stag_hunt", "rock_paper_scissors", "coordination"):
        assert catalog.load(name).is_symmetric(), name
    assert not catalog.load("battle_of_the_sexes").is_symmetric()
    assert catalog.load("three_player_matching_pennies").n_players == 3


def test_nosde_is_the_table_of_theory_md():
    g = catalog.load("nosde")
    assert g.gamma == F(3, 4) and g.states == ("s1", "s2") and g.is_turn_based() and g.initial is None
    assert g.actions == ((("keep", "send"), ("noop",)), (("noop",), ("keep", "send")))
    table = {("s1", "keep"): ((1, 0), "s1"), ("s1", "send"): ((0, 3), "s2"),
             ("s2", "keep"): ((3, 1), "s2"), ("s2", "send"): ((0, 0), "s1")}
    for (state, action), (rewards, nxt) in table.items():
        s = g.state_index(state)
        joint = (g.actions[s][0].index(action), 0) if s == 0 else (0, g.actions[s][1].index(action))
        assert tuple(g.expected_rewards(s)[(slice(None),) + joint].tolist()) == rewards
        assert g.transitions[s][joint].tolist() == [1 if t == nxt else 0 for t in g.states]


def test_grid_game_1_rules():
    g = catalog.load("grid_game_1")
    assert g.gamma == F(99, 100) and g.states[-1] == "end" and g.terminal[-1] and sum(g.terminal) == 1
    assert g.initial.tolist()[g.state_index("A00_B02")] == 1
    acts = g.actions[0][0]
    s = g.state_index("A00_B02")
    # both step up: deterministic, no reward
    j = (acts.index("up"), acts.index("up"))
    assert g.transitions[s][j][g.state_index("A10_B12")] == 1 and g.expected_rewards(s)[(slice(None),) + j].tolist() == [0, 0]
    # both move into (0,1): collision, bounce back, -1 each
    j = (acts.index("right"), acts.index("left"))
    assert g.transitions[s][j][s] == 1 and g.expected_rewards(s)[(slice(None),) + j].tolist() == [-1, -1]
    # agent 1 one step from its goal (2,2): +100 and the game ends
    s = g.state_index("A12_B00")
    j = (acts.index("up"), acts.index("left"))
    assert g.transitions[s][j][g.state_index("end")] == 1 and g.expected_rewards(s)[(slice(None),) + j].tolist() == [100, 0]
    assert all(t.sum() == 1 for T in g.transitions for t in T.reshape(-1, g.n_states))


def test_grid_game_2_barriers():
    g = catalog.load("grid_game_2")
    acts = g.actions[0][0]
    s = g.state_index("A00_B02")
    j = (acts.index("up"), acts.index("up"))
    row = g.transitions[s][j]
    expect = {"A10_B12": F(1, 4), "A00_B12": F(1, 4), "A10_B02": F(1, 4), "A00_B02": F(1, 4)}
    assert {g.states[t]: p for t, p in enumerate(row.tolist()) if p} == expect
    # both enter the shared goal together: both rewarded, no collision
    s = g.state_index("A20_B22")
    j = (acts.index("right"), acts.index("left"))
    assert g.transitions[s][j][g.state_index("end")] == 1
    assert g.expected_rewards(s)[(slice(None),) + j].tolist() == [100, 100]
    # moving onto an agent who bumps into the edge is blocked without penalty
    s = g.state_index("A00_B10")
    j = (acts.index("up"), acts.index("left"))
    assert g.transitions[s][j][s] == 1 and g.expected_rewards(s)[(slice(None),) + j].tolist() == [0, 0]


@pytest.mark.slow
def test_soccer_rules():
    g = catalog.load("soccer")
    assert g.n_states == 760 and g.gamma == F(9, 10) and g.is_zero_sum() and not any(g.terminal)
    acts = g.actions[0][0]
    assert acts == ("N", "S", "E", "W", "stand")
    init = {g.states[t]: p for t, p in enumerate(g.initial.tolist()) if p}
    assert init == {"A23_B11_A": F(1, 2), "A23_B11_B": F(1, 2)}
    # A with the ball next to the left goal scores by moving W: +1 / -1 and restart
    s = g.state_index("A10_B33_A")
    j = (acts.index("W"), acts.index("stand"))
    row = {g.states[t]: p for t, p in enumerate(g.transitions[s][j].tolist()) if p}
    assert row == init and g.expected_rewards(s)[(slice(None),) + j].tolist() == [1, -1]
    # the order matters: A moves onto B (ball to B) or B moves first and A then follows into B's old cell
    s = g.state_index("A11_B12_A")
    j = (acts.index("E"), acts.index("E"))
    row = {g.states[t]: p for t, p in enumerate(g.transitions[s][j].tolist()) if p}
    assert row == {"A11_B13_B": F(1, 2), "A12_B13_A": F(1, 2)}
    # rows of the first states are distributions with probabilities in {1/4, 1/2, 3/4, 1}
    probs = {p for T in g.transitions[:20] for p in T.reshape(-1).tolist() if p}
    assert probs <= {F(1, 4), F(1, 2), F(3, 4), F(1)}


@pytest.mark.slow
def test_soccer_file_size_and_round_trip():
    from importlib.resources import files

    size = len(files("jalverify.games.catalog").joinpath("data/soccer.json").read_bytes())
    assert size < 3_000_000
    assert catalog.load("soccer").states[0] == "A00_B01_A"


def test_soccer_is_stochastic_by_move_order_small_check():
    """Fast check of the soccer step rule through the builder's semantics on the stored file's first state."""
    import json
    from importlib.resources import files

    text = files("jalverify.games.catalog").joinpath("data/soccer.json").read_text(encoding="utf-8")
    head = json.loads(text)
    assert head["gamma"] == "9/10" and len(head["states"]) == 760
    probabilities = {p for st in head["states"][:40] for o in st["outcomes"] for p in o["next"].values()}
    assert probabilities <= {"1/4", "1/2", "3/4", 1}
