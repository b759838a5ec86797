"""OpenSpiel and Gambit games (issue 14 §4): normal-form games both ways with OpenSpiel, exactly where the doubles
allow; ``jalverify convert`` with ``openspiel:`` input and ``.py`` output through the console script; pygambit's
``.nfg`` reading and writing agree with ours; stochastic games exported as OpenSpiel Python games pass OpenSpiel's
API test, and OpenSpiel's own value iteration matches our exact values.

Tolerances (OpenSpiel's ``value_iteration`` stops when a Gauss–Seidel sweep changes no value by more than the
threshold τ; the Shapley operator is a γ-contraction, so the answer is within ``τ γ / (1 - γ)`` of the fixed point):

* best responses (one player left, player nodes: maxima, no LP; τ = 1e-10 on NoSDE, 1e-7 on soccer):
  ``τ γ / (1 - γ) + 1e-12`` (``+ 1e-9`` on soccer, whose probabilities 1/10 are rounded to doubles);
* two-player zero-sum games (simultaneous nodes solved by OpenSpiel's cvxopt LP; τ = 1e-7):
  ``τ γ / (1 - γ) + 1e-6 / (1 - γ)``, the LP term our choice for cvxopt's default tolerances (``abstol 1e-7``)
  carried through the contraction, around our exact enclosure of the value.

Sampled returns (the ``stop`` discounting) are compared with the exact ``V^π`` within 4 standard errors of the mean
(fixed seed).
"""

from __future__ import annotations

import itertools
import math
import runpy
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalverify import errors
from jalverify.adapters import openspiel_games as osg
from jalverify.games import catalog
from jalverify.games.formats.json_format import load_game_document, save_game
from jalverify.games.formats.nfg import dump_nfg, parse_nfg, save_nfg
from jalverify.games.formats.reading import read_game
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StationaryPolicy
from jalverify.solvers.best_response import best_response
from jalverify.solvers.evaluation import evaluate_policy
from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationStatus, zero_sum_policy_iteration
from jalverify.strategies import zero_sum_stochastic_games

pytestmark = pytest.mark.peers

pyspiel = pytest.importorskip("pyspiel")

NORMAL_FORM = [n for n in catalog.names() if isinstance(catalog.load(n), NormalFormGame)]
OPENSPIEL_MATRIX = ["matrix_rps", "matrix_pd", "matrix_mp", "matrix_sh", "matrix_bos", "matrix_cd",
                    "matrix_coordination", "matrix_rpsw", "matrix_shapleys_game", "matrix_brps"]


def _openspiel_utilities(game) -> np.ndarray:
    """Every payoff of an OpenSpiel normal-form game, read with OpenSpiel's own API (float64, shape (n, *k))."""
    counts = [game.num_distinct_actions()] * game.num_players()
    if isinstance(game, pyspiel.MatrixGame):
        return np.stack([np.asarray(game.row_utilities()), np.asarray(game.col_utilities())])
    if isinstance(game, pyspiel.TensorGame):
        counts = list(game.shape())
    out = np.zeros([game.num_players(), *counts])
    for joint in itertools.product(*(range(k) for k in counts)):
        out[(slice(None), *joint)] = game.get_utilities(list(joint))
    return out


def _jalverify(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the installed ``jalverify`` console script (beside this interpreter) in ``cwd``."""
    exe = Path(sys.executable).with_name("jalverify")
    command = [str(exe)] if exe.is_file() else [sys.executable, "-m", "jalverify"]
    return subprocess.run(command + list(args), cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


# --- normal form: jalverify -> OpenSpiel -> jalverify --------------------------------------------------------

@pytest.mark.parametrize("name", NORMAL_FORM)
def test_catalog_normal_form_games_round_trip_exactly(name):
    game = catalog.load(name)
    out = osg.to_openspiel(game)
    assert out.kind == ("matrix" if game.n_players == 2 else "tensor")
    assert out.max_rounding_error == 0 and out.rounded == 0
    # OpenSpiel holds each payoff as exactly that number ...
    utilities = _openspiel_utilities(out.game)
    for i in range(game.n_players):
        for joint in game.joint_actions():
            assert F(float(utilities[(i, *joint)])) == game.payoffs[(i, *joint)]
    # ... and reading it back gives the game again (players are p0, p1, ...: OpenSpiel has no player names)
    back = osg.from_openspiel(out.game)
    assert back.reading is osg.PayoffReading.EXACT_BINARY
    assert back.game.payoffs.tolist() == game.payoffs.tolist()
    assert back.game.actions == game.actions
    assert all(isinstance(v, F) for v in back.game.payoffs.reshape(-1))


@pytest.mark.parametrize("name", OPENSPIEL_MATRIX)
def test_openspiel_matrix_games_are_read_exactly_and_written_back_unchanged(name):
    original = pyspiel.load_game(name)
    utilities = _openspiel_utilities(original)
    read = osg.from_openspiel(name)
    assert read.game.name == name and read.source == f"{name}()"
    assert read.game.payoffs.tolist() == [[[F(float(x)) for x in row] for row in m] for m in utilities.tolist()]
    assert list(read.game.actions[0]) == [original.row_action_name(a) for a in range(original.num_rows())]
    rebuilt = osg.to_openspiel(read.game)
    assert rebuilt.max_rounding_error == 0
    assert np.array_equal(_openspiel_utilities(rebuilt.game), utilities)


def test_doubles_read_as_exact_binary_values_by_default_and_as_short_decimals_on_request():
    game = pyspiel.create_matrix_game([[0.1, 0.25], [1e-5, -2.5]], [[1.0, 0.0], [123456789012345.0, 3.0]])
    exact = osg.from_openspiel(game).game
    assert exact.payoffs[0, 0, 0] == F(0.1) != F(1, 10)
    assert exact.payoffs[0, 1, 0] == F(1e-5)
    short = osg.from_openspiel(game, reading="short-decimal")
    assert short.reading is osg.PayoffReading.SHORT_DECIMAL and "short decimals" in short.notes
    assert short.game.payoffs[0].tolist() == [[F(1, 10), F(1, 4)], [F(1, 100000), F(-5, 2)]]
    assert short.game.payoffs[1, 1, 0] == 123456789012345
    # a double whose shortest decimal needs 16 digits is not read as a guess
    third = pyspiel.create_matrix_game([[1 / 3, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]])
    with pytest.raises(errors.InvalidNumber, match="0.3333333333333333.*16 significant digits"):
        osg.from_openspiel(third, reading="short-decimal")
    assert osg.from_openspiel(third).game.payoffs[0, 0, 0] == F(1 / 3) == F(6004799503160661, 18014398509481984)


def test_a_payoff_that_is_not_a_double_is_refused_unless_rounding_is_allowed():
    game = NormalFormGame.bimatrix([[F(1, 3), 0], [F(1, 10), 1]], [[0, F(2, 3)], [1, 0]], name="thirds")
    expected_error = max(abs(F(float(x)) - x) for x in (F(1, 3), F(1, 10), F(2, 3)))
    with pytest.raises(errors.InvalidNumber, match=f"1/3 is not exactly a double.*3 number.*{expected_error}"):
        osg.to_openspiel(game)
    with pytest.raises(errors.InvalidNumber):
        osg.openspiel_python_source(game)
    out = osg.to_openspiel(game, allow_rounding=True)
    assert out.rounded == 3 and out.max_rounding_error == expected_error
    assert _openspiel_utilities(out.game)[0, 0, 0] == 1 / 3


def test_n_player_games_become_tensor_games_with_the_same_axes():
    payoffs = np.arange(3 * 2 * 3 * 2, dtype=object).reshape(3, 2, 3, 2) - 17
    game = NormalFormGame(payoffs * F(1, 4), actions=[["u", "d"], ["l", "c", "r"], ["x", "y"]], name="axes")
    out = osg.to_openspiel(game)
    assert out.kind == "tensor" and list(out.game.shape()) == [2, 3, 2]
    for p, joint in itertools.product(range(3), game.joint_actions()):
        assert out.game.player_utility(p, list(joint)) == float(game.payoffs[(p, *joint)])
        assert out.game.action_name(1, joint[1]) == game.actions[1][joint[1]]
    assert osg.from_openspiel(out.game).game.payoffs.tolist() == game.payoffs.tolist()
    four = NormalFormGame(np.ones((4, 2, 1, 2, 1), dtype=int))
    assert osg.from_openspiel(osg.to_openspiel(four).game).game.payoffs.shape == (4, 2, 1, 2, 1)


@pytest.mark.parametrize("name", ["shapley_3x3", "three_player_matching_pennies"])
def test_the_python_file_rebuilds_the_game_in_openspiel(tmp_path, name):
    game = catalog.load(name)
    source = osg.openspiel_python_source(game, source=f"catalog:{name}", file_name="g.py")
    assert source.rounding_note == "every payoff is exactly a double"
    (tmp_path / "g.py").write_text(source.text, encoding="utf-8")
    built = runpy.run_path(str(tmp_path / "g.py"))["game"]
    assert isinstance(built, pyspiel.MatrixGame if game.n_players == 2 else pyspiel.TensorGame)
    assert osg.from_openspiel(built).game.payoffs.tolist() == game.payoffs.tolist()


def test_load_game_strings_with_parameters_and_games_that_are_not_normal_form():
    blotto = osg.from_openspiel("blotto(coins=3,fields=2)").game
    assert blotto.n_actions == (4, 4)  # C(3 + 2 - 1, 2 - 1) ways to split 3 coins over 2 fields
    assert blotto.is_zero_sum()
    assert read_game("openspiel:blotto(coins=3,fields=2)").game == blotto
    with pytest.raises(errors.UnsupportedGame, match="sequential game"):
        osg.from_openspiel("tic_tac_toe")
    with pytest.raises(errors.UnsupportedGame, match="chance node"):
        osg.from_openspiel("markov_soccer")
    with pytest.raises(errors.UnknownName, match="no game named 'no_such_game'"):
        osg.from_openspiel("no_such_game")


def test_read_game_reads_openspiel_names_through_the_adapter():
    loaded = read_game("openspiel:matrix_pd")
    assert loaded.game == osg.from_openspiel("matrix_pd").game
    assert loaded.source == "openspiel:matrix_pd" and "Lanctot" in loaded.citation
    assert "exact binary values" in loaded.notes


def test_missing_pyspiel_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspiel", None)  # import pyspiel now raises ImportError
    for call in (lambda: osg.from_openspiel("matrix_rps"), lambda: read_game("openspiel:matrix_rps"),
                 lambda: osg.to_openspiel(catalog.load("chicken"))):
        with pytest.raises(errors.MissingExtra, match=r"pip install 'jalverify\[openspiel\]'"):
            call()


# --- jalverify convert through the installed console script -------------------------------------------------

def test_convert_openspiel_input_through_the_console_script(tmp_path):
    proc = _jalverify(tmp_path, "convert", "openspiel:matrix_rps", "out.json")
    assert proc.returncode == 0, proc.stderr
    assert "payoffs read as the exact binary values of OpenSpiel's doubles" in proc.stdout
    doc = load_game_document(tmp_path / "out.json")
    utilities = _openspiel_utilities(pyspiel.load_game("matrix_rps"))
    assert doc.game.payoffs.tolist() == [[[F(float(x)) for x in row] for row in m] for m in utilities.tolist()]
    assert doc.game.actions == (("Rock", "Paper", "Scissors"),) * 2 and "matrix_rps" in doc.citation
    short = _jalverify(tmp_path, "convert", "openspiel:matrix_pd", "pd.json", "--openspiel-payoffs", "short-decimal",
                       "--format", "json")
    assert short.returncode == 0, short.stderr
    assert '"payoff_reading": "short-decimal"' in short.stdout


def test_convert_writes_a_python_file_and_refuses_rounding_unless_allowed(tmp_path):
    proc = _jalverify(tmp_path, "convert", "catalog:shapley_3x3", "shapley.py")
    assert proc.returncode == 0 and "every payoff is exactly a double" in proc.stdout
    built = runpy.run_path(str(tmp_path / "shapley.py"))["game"]
    assert osg.from_openspiel(built).game.payoffs.tolist() == catalog.load("shapley_3x3").payoffs.tolist()
    save_game(NormalFormGame.bimatrix([[F(1, 3), 0], [0, 1]], [[0, 1], [1, 0]]), tmp_path / "third.json")
    refused = _jalverify(tmp_path, "convert", "third.json", "third.py")
    assert refused.returncode == 2 and not (tmp_path / "third.py").exists()
    assert "1/3 is not exactly a double" in refused.stderr and "--allow-rounding" in refused.stderr
    rounded = _jalverify(tmp_path, "convert", "third.json", "third.py", "--allow-rounding")
    error = abs(F(1 / 3) - F(1, 3))
    assert rounded.returncode == 0 and f"largest rounding error {error}" in rounded.stdout


# --- Gambit .nfg: pygambit agrees with our reader and writer ------------------------------------------------

@pytest.mark.parametrize("version", ["outcome", "payoff"])
@pytest.mark.parametrize("name", NORMAL_FORM)
def test_pygambit_reads_our_nfg_and_we_read_its_nfg(tmp_path, name, version):
    gbt = pytest.importorskip("pygambit")
    game = catalog.load(name)
    save_nfg(game, tmp_path / "g.nfg", version=version)
    theirs = gbt.read_nfg(str(tmp_path / "g.nfg"))
    assert [len(p.strategies) for p in theirs.players] == list(game.n_actions)
    if version == "outcome":
        assert [[s.label for s in p.strategies] for p in theirs.players] == [list(a) for a in game.actions]
    for joint in game.joint_actions():
        profile = theirs[list(joint)]
        for i, player in enumerate(theirs.players):
            assert F(str(profile[player])) == game.payoffs[(i, *joint)]
    back = parse_nfg(theirs.to_nfg())
    assert back.payoffs.tolist() == game.payoffs.tolist()
    if version == "outcome":
        assert back.actions == game.actions
    assert dump_nfg(back, version=version) == dump_nfg(game.with_names(back.players, back.actions, name=back.name),
                                                       version=version)


# --- stochastic games exported to OpenSpiel ---------------------------------------------------------------------

def _uniform(game) -> StationaryPolicy:
    return StationaryPolicy(game, [[[F(1, len(a))] * len(a) for a in game.actions[s]] for s in range(game.n_states)])


@pytest.mark.parametrize("discounting", osg.DISCOUNTING)
@pytest.mark.parametrize("name, initial", [("nosde", "s1"), ("grid_game_1", None)])
def test_exported_catalog_games_pass_openspiel_api_tests(name, initial, discounting):
    game = catalog.load(name)
    exported = osg.export_stochastic_game(game, name=f"jalverify_test_{name}", initial=initial, allow_rounding=True)
    assert exported.name in pyspiel.registered_names()
    assert exported.sequential == game.is_turn_based()
    loaded = exported.load(horizon=25, discounting=discounting)
    assert loaded.num_players() == game.n_players and loaded.max_game_length() == 25
    pyspiel.random_sim_test(loaded, num_sims=10, serialize=False, verbose=False)
    again = pyspiel.load_game(exported.game_string(horizon=25, discounting=discounting))
    assert str(again.new_initial_state()) == str(loaded.new_initial_state())


def test_export_refuses_numbers_that_are_not_doubles_unless_rounding_is_allowed():
    game = catalog.load("grid_game_1")  # γ = 99/100: the stop probability 1/100 is not a double
    with pytest.raises(errors.InvalidNumber, match="not exactly a double"):
        osg.export_stochastic_game(game, name="jalverify_test_refused")
    exported = osg.export_stochastic_game(game, name="jalverify_test_refused", allow_rounding=True)
    assert 0 < exported.max_rounding_error <= max(abs(F(float(x)) - x) for x in (F(99, 100), F(1, 100)))
    with pytest.raises(errors.InvalidOption, match="already an OpenSpiel game"):
        osg.export_stochastic_game(game, name="matrix_rps", allow_rounding=True)


def _value_iteration(game, threshold):
    from open_spiel.python.algorithms import value_iteration

    return value_iteration.value_iteration(game, depth_limit=-1, threshold=threshold, cyclic_game=True)


NOSDE_OPPONENTS = [[F(1, 2), F(1, 2)], [F(1), F(0)], [F(0), F(1)], [F(1, 8), F(7, 8)]]


@pytest.mark.parametrize("opponent", NOSDE_OPPONENTS, ids=str)
@pytest.mark.parametrize("player", [0, 1])
def test_openspiel_value_iteration_finds_our_exact_best_response_values_on_nosde(player, opponent):
    """The other agent plays a fixed stationary policy (drawn at OpenSpiel's chance nodes); OpenSpiel's value
    iteration on the one-player game is the best-response value, which we know exactly."""
    game = catalog.load("nosde")
    other = 1 - player
    dists = [[[F(1)] * 1 if len(a) == 1 else list(opponent) for a in game.actions[s]] for s in range(game.n_states)]
    policy = StationaryPolicy(game, dists)
    exported = osg.export_stochastic_game(game, name="jalverify_test_nosde_br", initial={"s1": F(1, 2), "s2": F(1, 2)},
                                          policy=policy, fixed_players=[other])
    assert exported.players == (game.players[player],) and exported.max_rounding_error == 0
    tau = 1e-10
    values = _value_iteration(exported.load(discounting="stop_terminal_payoff"), tau)
    exact = best_response(game, policy, player)
    assert exact.certified
    tolerance = tau * float(game.gamma) / (1 - float(game.gamma)) + 1e-12
    for s in game.states:
        assert abs(values[exported.state_key(s)] - float(exact.values[game.states.index(s)])) <= tolerance


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zero_sum_stochastic_games(states=st.integers(1, 3), actions=st.integers(1, 3),
                                 gamma=st.sampled_from([F(0), F(1, 2), F(3, 4)])))
def test_openspiel_value_iteration_matches_our_exact_zero_sum_values(game):
    """Both players move (simultaneous nodes, solved by OpenSpiel's LP).  Our answer: Hoffman–Karp in exact
    arithmetic, which either reaches the value exactly (certified) or, when the value is irrational, stops after 6
    improvements with the exact enclosure V^k <= V* <= V^k + error_bound."""
    exact = zero_sum_policy_iteration(game, max_iterations=6)
    low = exact.V[0]
    high = low + exact.error_bound
    assert exact.status is not ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT or exact.error_bound == 0
    S = game.n_states
    exported = osg.export_stochastic_game(game, name="jalverify_test_zero_sum", initial={s: F(1, S) for s in range(S)},
                                          allow_rounding=True)
    assert exported.sequential == game.is_turn_based()
    tau = 1e-7
    values = _value_iteration(exported.load(discounting="stop_terminal_payoff"), tau)
    g = float(game.gamma)
    tolerance = tau * g / (1 - g) + 1e-6 / (1 - g)
    for s in range(S):
        v = values[exported.state_key(s)]
        assert float(low[s]) - tolerance <= v <= float(high[s]) + tolerance


def test_sampled_returns_of_the_stop_discounting_average_to_the_exact_discounted_value():
    """Playing the exported game (``stop``: rewards every step, stop with probability 1 - γ) with a stationary
    policy: the mean return estimates the exact γ-discounted V^π; horizon 200 (truncation ≤ (3/4)^200 · 12)."""
    game = catalog.load("nosde")
    policy = StationaryPolicy(game, [[[F(1, 4), F(3, 4)], [F(1)]], [[F(1)], [F(1, 2), F(1, 2)]]])
    exported = osg.export_stochastic_game(game, name="jalverify_test_nosde_sim", initial="s1")
    loaded = exported.load(horizon=200, discounting="stop")
    rng = np.random.default_rng(7)
    returns = []
    for _ in range(4000):
        state = loaded.new_initial_state()
        while not state.is_terminal():
            if state.is_chance_node():
                outcomes, probs = zip(*state.chance_outcomes())
                state.apply_action(int(rng.choice(outcomes, p=probs)))
            else:
                s = game.states.index(str(state).removeprefix("state "))
                mover = state.current_player()
                dist = np.asarray(policy.distributions[s][mover], dtype=float)
                state.apply_action(int(rng.choice(len(dist), p=dist)))
        returns.append(state.returns())
    sample = np.asarray(returns)
    exact = evaluate_policy(game, policy).V
    for i in range(game.n_players):
        se = sample[:, i].std(ddof=1) / math.sqrt(len(sample))
        assert abs(sample[:, i].mean() - float(exact[i, 0])) <= 4 * se


@pytest.mark.slow
def test_openspiel_value_iteration_finds_our_exact_best_response_values_on_soccer():
    """Littman's soccer (760 states, γ = 9/10): B plays uniformly at random, A's best-response value per state by
    OpenSpiel (the whole test takes about 25 s)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))  # get_all_states walks the game recursively
    game = catalog.load("soccer")
    policy = _uniform(game)
    exported = osg.export_stochastic_game(game, name="jalverify_test_soccer_br", policy=policy, fixed_players=["B"],
                                          allow_rounding=True)
    tau = 1e-7
    values = _value_iteration(exported.load(discounting="stop_terminal_payoff"), tau)
    exact = best_response(game, policy, "A")
    tolerance = tau * 0.9 / 0.1 + 1e-9
    assert exact.certified
    for k, s in enumerate(game.states):
        assert abs(values[exported.state_key(s)] - float(exact.values[k])) <= tolerance
