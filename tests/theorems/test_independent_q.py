"""``iql.converges``: independent Q-learners' greedy policy cannot converge to a Nash equilibrium when no pure
joint action is one; the exact part is re-checked with the library's regret functions, the run evidence by
replaying the seeded learner."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalverify.games import catalog
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret, regrets
from jalverify.strategies.normal_form import zero_sum_games
from jalverify.theorems.independent_q import (
    IQL_CONVERGES_ID,
    check_iql_converges,
    iql_run_evidence,
    matching_pennies,
    pure_profile_gains,
)
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, load_all
from jalverify.verdicts import Status


def _nash_conv(game: NormalFormGame, joint: tuple[int, ...]) -> Fraction:
    return sum((max(r.tolist()) for r in regrets(game, MixedProfile.pure(game, joint))), Fraction(0))


def test_registered_with_matching_pennies():
    theorem = load_all()[IQL_CONVERGES_ID]
    assert theorem.expected == REFUTED_AS_EXPECTED and theorem.strategy == "zero_sum_games"
    (game,) = theorem.known_counterexample()
    assert game.name == "matching_pennies"


def test_matching_pennies_is_refuted_exactly_and_the_gains_recheck():
    game = matching_pennies()
    verdict = check_iql_converges(game, steps=3000)
    assert verdict.status is Status.REFUTED, verdict
    # every pure joint action has a profitable deviation (library regrets), the smallest NashConv is 2
    conv = [_nash_conv(game, a) for a in game.joint_actions()]
    assert min(conv) > 0 and Fraction(verdict.witness["min_nash_conv"]) == min(conv) == 2
    assert Fraction(verdict.witness["min_nash_conv_repeated"]) == min(conv) / (1 - Fraction(9, 10)) == 20
    for row in verdict.witness["pure_profiles"]:
        joint = tuple(game.actions[i].index(name) for i, name in enumerate(row["joint_action"]))
        assert Fraction(row["nash_conv"]) == _nash_conv(game, joint)
        # the named deviation earns the named gain
        for i, (gain, dev) in enumerate(zip(row["gains"], row["deviations"])):
            moved = list(joint)
            moved[i] = game.actions[i].index(dev)
            assert game.payoffs[(i, *moved)] - game.payoffs[(i, *joint)] == Fraction(gain)
    assert verdict.witness["run"]["numerical"] is True


def test_run_evidence_is_reproducible_and_shows_switching():
    game = matching_pennies()
    first = iql_run_evidence(game, steps=3000, seed=3)
    again = iql_run_evidence(game, steps=3000, seed=3)
    assert first == again
    assert first["greedy_changes_final_window"] > 0 and first["stationarity_check"] == "contradicted"


def test_a_pure_saddle_point_leaves_the_claim_not_established():
    game = NormalFormGame.zero_sum([[3, 1], [2, 0]], name="pure saddle")
    verdict = check_iql_converges(game, steps=2000)
    assert verdict.status is Status.NOT_ESTABLISHED
    assert verdict.witness["pure_equilibria"] == [["a0", "a1"]]  # 1 is the least of its row, the greatest of its column


def test_general_sum_games_are_outside_the_claim():
    verdict = check_iql_converges(catalog.load("prisoners_dilemma"), steps=100)
    assert verdict.status is Status.PROVEN and "vacuous" in verdict.message


def test_pure_profile_gains_agree_with_max_regret():
    game = catalog.load("rock_paper_scissors")
    for row in pure_profile_gains(game):
        assert max(row["gains"]) == max_regret(game, MixedProfile.pure(game, row["joint_action"]))


@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(zero_sum_games(actions=st.integers(2, 3)))
def test_generated_zero_sum_games_refuted_exactly_when_no_pure_equilibrium(game):
    verdict = check_iql_converges(game, steps=500)
    pure_nash = any(max_regret(game, MixedProfile.pure(game, a)) == 0 for a in game.joint_actions())
    assert verdict.status is (Status.NOT_ESTABLISHED if pure_nash else Status.REFUTED), verdict
    assert verdict.witness["run"]["steps"] == 500 and verdict.witness["run"]["seed"] == 0
