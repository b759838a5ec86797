"""Library errors are the typed errors of jalverify.errors, with messages naming the call site and the value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.errors import InternalError, InvalidGame, UnknownName, UnsupportedGame
from jalverify.games import catalog
from jalverify.nosde import build_reward_pair
from jalverify.strategies import normal_form_games, search_refutation
from jalverify.strategies.cases import CASES, register_case
from jalverify.strategies.stochastic import turn_based_games


def test_reward_pair_unknown_claim_is_unknown_name():
    pair = build_reward_pair(catalog.load("nosde"), seed=0)
    assert pair.verdict("q_equal").proven
    with pytest.raises(UnknownName, match=r"RewardPair.verdict\(\): no claim 'q_same'; claims are nosde.q_insufficient\.\w+, "):
        pair.verdict("q_same")


@pytest.mark.parametrize("strategy, error, message", [
    (lambda: turn_based_games(players=3), UnsupportedGame, r"turn_based_games\(\): zero_sum=True needs players=2, got players=3"),
    (lambda: normal_form_games(players=2, actions=(2, 2, 2)), InvalidGame,
     r"normal_form_games\(\): actions=\(2, 2, 2\) gives 3 action counts for 2 players"),
])
def test_strategy_misuse_is_a_typed_error(strategy, error, message):
    @settings(max_examples=1, database=None)
    @given(strategy())
    def draw(_):
        pass

    with pytest.raises(error, match=message):
        draw()


def test_duplicate_case_strategy_is_an_internal_error():
    with pytest.raises(InternalError, match=r"register_case\(\): case strategy 'zero_sum_games' is already registered"):
        register_case("zero_sum_games")(lambda: st.tuples(st.just(0)))
    assert "zero_sum_games" in CASES


def test_a_check_that_returns_no_verdict_is_reported_as_an_internal_error():
    def broken(_):
        return True

    outcome = search_refutation(broken, st.tuples(st.integers()), max_examples=3, seed=0)
    assert outcome.error is not None and outcome.error.startswith("InternalError: search_refutation(): check")
    assert "returned bool, expected a Verdict" in outcome.error
