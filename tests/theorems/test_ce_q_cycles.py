"""``ce_q.backup_converges``: the certified cycle of the exact CE-Q backup, checked by independent recomputation.

The certificate (jalverify.nosde.ce_q_cycle) is computed with ``correlated_solve`` + ``q_from_values`` and the
affine-map orbit of value_iteration_cycle.  The tests re-check it with other code: the CE-Q *learner's* exact
operator (JointActionLearner.apply_operator with CorrelatedConcept), the CE polytope's complete vertex enumeration
(correlated_polytope_vertices), and a direct iteration of the learner's operator from Q = 0.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from jalverify.errors import InvalidNumber, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.ce_q import ce_q
from jalverify.nosde.ce_q_cycle import ce_q_backup_cycle, dominance_margin
from jalverify.nosde.value_iteration_cycle import CycleStatus
from jalverify.numbers import EXACT
from jalverify.solvers.correlated import correlated_polytope_vertices
from jalverify.strategies.nosde import nosde_games
from jalverify.theorems.ce_q_cycles import (
    CE_Q_BACKUP_ID,
    check_ce_q_backup_converges,
    nosde_catalog_game,
    orbit_as_fractions,
)
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, load_all
from jalverify.verdicts import Status


def _max_distance(A, B) -> Fraction:
    return max(abs(Fraction(x) - Fraction(y)) for a, b in zip(A, B)
               for x, y in zip(np.asarray(a, dtype=object).reshape(-1).tolist(),
                               np.asarray(b, dtype=object).reshape(-1).tolist()))


def _same(A, B) -> bool:
    return all(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object)) for a, b in zip(A, B))


def _recheck_certificate(game: StochasticGame, verdict) -> None:
    """Everything a REFUTED verdict claims, recomputed without the module that produced it."""
    learner = ce_q(game, "utilitarian", tie_break="lexicographic")
    orbit = orbit_as_fractions(dict(verdict.witness), game)
    p = verdict.witness["period"]
    assert p == len(orbit) >= 2
    # 1. the learner's exact backup maps each orbit point to the next one, and p backups return the start exactly
    for j in range(p):
        assert _same(learner.apply_operator(orbit[j], "exact"), orbit[(j + 1) % p]), f"phase {j}"
    Q = orbit[0]
    for _ in range(p):
        Q = learner.apply_operator(Q, "exact")
    assert _same(Q, orbit[0])
    # 2. not a fixed point: consecutive orbit points differ, and so do the backed-up values between phases
    gaps = [_max_distance(orbit[j], orbit[(j + 1) % p]) for j in range(p)]
    assert min(gaps) > 0 and Fraction(verdict.witness["amplitude"]) == min(gaps)
    values = verdict.witness["orbit_values"]
    assert all(values[j] != values[(j + 1) % p] for j in range(p))
    # 3. at every orbit point the CE polytope of every stage game is one vertex: the block's pure joint action
    cycle = verdict.witness["cycle"]
    for j in range(p):
        for s in range(game.n_states):
            stage = NormalFormGame(np.asarray(orbit[j][s], dtype=object), field=EXACT)
            (vertex,) = correlated_polytope_vertices(stage)
            flat = np.asarray(vertex.distribution, dtype=object).reshape(-1).tolist()
            (hit,) = [k for k, x in enumerate(flat) if x != 0]
            joint = np.unravel_index(hit, game.n_actions(s))
            names = [game.actions[s][i][int(a)] for i, a in enumerate(joint)]
            assert names == cycle[j][game.states[s]]
    # 4. the learner's operator iterated from Q = 0 enters the orbit's ball and then contracts towards it
    # (Q_k for k = certified_at is in the block's last phase p − 1)
    at, margin = verdict.witness["certified_at"], Fraction(verdict.witness["margin"])
    assert at == verdict.witness["entered"] + p - 1
    gamma = Fraction(game.gamma)
    Q = [np.full((game.n_players,) + game.n_actions(s), Fraction(0), dtype=object) for s in range(game.n_states)]
    for _ in range(at):
        Q = learner.apply_operator(Q, "exact")
    start = _max_distance(Q, orbit[p - 1])
    assert start == Fraction(verdict.witness["distance"]) and start < margin / 2
    for k in range(1, 2 * p + 1):
        Q = learner.apply_operator(Q, "exact")
        assert _max_distance(Q, orbit[(p - 1 + k) % p]) <= gamma ** k * start


def test_registered_as_refuted_as_expected_with_the_nosde_game():
    theorem = load_all()[CE_Q_BACKUP_ID]
    assert theorem.expected == REFUTED_AS_EXPECTED and theorem.strategy == "nosde_games"
    (game,) = theorem.known_counterexample()
    assert game.name == "nosde" and game.gamma == Fraction(3, 4)


def test_book_nosde_game_cycle_is_certified_and_rechecked():
    game = nosde_catalog_game()
    verdict = check_ce_q_backup_converges(game)
    assert verdict.status is Status.REFUTED, verdict
    assert verdict.witness["period"] == 5
    _recheck_certificate(game, verdict)


@pytest.mark.parametrize("objective", ["egalitarian", "republican", "libertarian"])
def test_other_selections_cycle_too(objective):
    # at every orbit point the CE is unique, so once entered every selection follows the same orbit
    result = ce_q_backup_cycle(nosde_catalog_game(), objective=objective)
    assert result.status is CycleStatus.CERTIFIED and result.converges is False and result.period >= 2


@settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(nosde_games())
def test_generated_nosde_games_cycle_and_the_certificate_rechecks(game):
    verdict = check_ce_q_backup_converges(game)
    assert verdict.status is Status.REFUTED, verdict
    _recheck_certificate(game, verdict)


def _one_state_game() -> StochasticGame:
    # player 0 moves alone; "b" pays 2 > 1: the backup settles on "b" after one step
    R = np.array([[[1], [2]], [[0], [0]]], dtype=object)
    T = np.ones((2, 1, 1), dtype=object)
    return StochasticGame(["p0", "p1"], ["s"], [[["a", "b"], ["x"]]], [T], [R], Fraction(1, 2), name="dominant")


def test_a_game_with_a_dominant_action_converges_and_is_proven():
    verdict = check_ce_q_backup_converges(_one_state_game())
    assert verdict.status is Status.PROVEN, verdict
    assert verdict.witness["period"] == 1 and verdict.witness["amplitude"] == "0"
    # the fixed point is Q*(s, b) = 2 / (1 − 1/2) = 4 for player 0, and (s, a) = 1 + 4/2 = 3
    (orbit,) = orbit_as_fractions(dict(verdict.witness), _one_state_game())
    assert orbit[0][0, :, 0].tolist() == [Fraction(3), Fraction(4)]


def test_dominance_margin():
    # prisoner's dilemma: defect strictly dominant by 1 for both
    pd = np.array([[[3, 0], [4, 1]], [[3, 4], [0, 1]]], dtype=object)
    assert dominance_margin(pd, (1, 1)) == 1
    assert dominance_margin(pd, (0, 0)) is None
    # matching pennies: nothing is dominated
    mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=object)
    assert dominance_margin(mp, (0, 0)) is None
    # iterated: row 1 strictly dominated (by 2), then column 0 is strictly better by 1 against row 0 alone
    it = np.array([[[3, 3], [1, 1]], [[2, 1], [0, 5]]], dtype=object)
    assert dominance_margin(it, (0, 0)) == 1
    # a lone joint action needs no margin
    assert dominance_margin(np.array([[[5]], [[7]]], dtype=object), (0, 0)) == 0


def test_margin_is_a_uniqueness_radius():
    """Perturbing a dominance-solvable game by less than margin/2 keeps its CE unique (complete enumeration)."""
    it = np.array([[[3, 3], [1, 1]], [[2, 1], [0, 5]]], dtype=object)
    margin = dominance_margin(it, (0, 0))
    rng = np.random.default_rng(0)
    for _ in range(5):
        noise = np.array([Fraction(int(k), 1000) for k in rng.integers(-499, 500, size=it.size)],
                         dtype=object).reshape(it.shape) * margin
        (vertex,) = correlated_polytope_vertices(NormalFormGame(it + noise, field=EXACT))
        assert np.asarray(vertex.distribution, dtype=object)[0, 0] == 1


def test_bad_arguments_are_typed_errors():
    game = nosde_catalog_game()
    with pytest.raises(InvalidNumber, match="unknown objective"):
        ce_q_backup_cycle(game, objective="tyrannical")
    with pytest.raises(InvalidNumber, match="max_iterations"):
        ce_q_backup_cycle(game, max_iterations=0)
    with pytest.raises(UnsupportedGame, match="exact"):
        ce_q_backup_cycle(game.to_field("float"))


def test_a_short_budget_is_not_established():
    verdict = check_ce_q_backup_converges(nosde_catalog_game(), max_iterations=6)
    assert verdict.status is Status.NOT_ESTABLISHED


def test_starting_on_the_orbit_certifies_at_once():
    game = nosde_catalog_game()
    first = ce_q_backup_cycle(game)
    again = ce_q_backup_cycle(game, initial_q=first.orbit[0])
    assert again.status is CycleStatus.CERTIFIED and again.period == first.period
    # the block is recognised once it has repeated: its second occurrence starts at backup p, exactly on the orbit
    assert again.entered == again.period and again.distance == 0
