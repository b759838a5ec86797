"""search_refutation(shrink_time_limit=...): shrinking gets its own budget, generation keeps ``time_limit``."""

import time

import pytest
from hypothesis import strategies as st

from jalverify.errors import InternalError
from jalverify.strategies import normal_form_games, search_refutation
from jalverify.verdicts import Status, Verdict


def _slow_claim_all_payoffs_below_three(game):
    time.sleep(0.02)
    top = max(game.payoffs.reshape(-1).tolist())
    if top < 3:
        return Verdict("demo", Status.PROVEN, "ok")
    return Verdict("demo", Status.REFUTED, f"payoff {top}", {"top": str(top)})


def test_a_short_shrink_limit_stops_shrinking_and_keeps_the_refutation():
    out = search_refutation(_slow_claim_all_payoffs_below_three, st.tuples(normal_form_games()), max_examples=200,
                            seed=0, time_limit=None, shrink_time_limit=0.1)
    assert out.refutation is not None and out.error is None and out.timed_out
    assert out.status() is Status.REFUTED
    (game,) = out.arguments
    assert max(game.payoffs.reshape(-1).tolist()) >= 3  # still a counterexample, maybe not the minimal one
    unlimited = search_refutation(_slow_claim_all_payoffs_below_three, st.tuples(normal_form_games()),
                                  max_examples=200, seed=0)
    assert not unlimited.timed_out and unlimited.shrinks > out.shrinks
    (smallest,) = unlimited.arguments
    assert smallest.n_actions == (1, 1) and sorted(smallest.payoffs.reshape(-1).tolist()) == [0, 3]


def test_without_a_shrink_limit_shrinking_uses_the_time_limit():
    # a generous time limit for both phases: shrinking runs to the minimal case, as without any limit
    out = search_refutation(_slow_claim_all_payoffs_below_three, st.tuples(normal_form_games()), max_examples=200,
                            seed=0, time_limit=600.0)
    (game,) = out.arguments
    assert not out.timed_out and game.n_actions == (1, 1)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan")])
def test_a_shrink_limit_that_is_not_positive_is_refused(bad):
    with pytest.raises(InternalError, match="shrink_time_limit"):
        search_refutation(_slow_claim_all_payoffs_below_three, st.tuples(normal_form_games()), max_examples=1,
                          seed=0, shrink_time_limit=bad)
