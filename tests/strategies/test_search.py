"""search_refutation: finds and shrinks refutations, counts examples, reports errors and honours time limits."""

import pytest
from hypothesis import strategies as st

from jalverify.errors import InternalError
from jalverify.strategies import normal_form_games, search_refutation
from jalverify.verdicts import Status, Verdict


def _claim_all_payoffs_below_three(game):
    top = max(game.payoffs.reshape(-1).tolist())
    if top < 3:
        return Verdict("demo", Status.PROVEN, "ok")
    return Verdict("demo", Status.REFUTED, f"payoff {top}", {"top": str(top)})


def test_refutation_is_found_and_shrunk():
    out = search_refutation(_claim_all_payoffs_below_three, st.tuples(normal_form_games()), max_examples=200, seed=0)
    assert out.refutation is not None and out.error is None
    (game,) = out.arguments
    assert game.n_actions == (1, 1)
    assert sorted(game.payoffs.reshape(-1).tolist()) == [0, 3]


def test_no_refutation_counts_examples():
    out = search_refutation(lambda g: Verdict("x", Status.PROVEN, "ok"), st.tuples(normal_form_games()),
                            max_examples=30, seed=1)
    assert out.refutation is None and out.examples == 30 and out.proven == 30
    assert out.status() is Status.PROVEN


def test_a_raising_check_is_reported_as_an_error():
    def broken(game):
        raise ZeroDivisionError("boom")

    out = search_refutation(broken, st.tuples(normal_form_games()), max_examples=5, seed=0)
    assert out.error is not None and out.error.startswith("ZeroDivisionError")


def test_time_limit_stops_checking():
    import time

    def slow(game):
        time.sleep(0.05)
        return Verdict("x", Status.PROVEN, "ok")

    out = search_refutation(slow, st.tuples(normal_form_games()), max_examples=200, seed=0, time_limit=0.2)
    assert out.timed_out and out.examples < 50


def test_the_weakest_verdict_wins_and_tolerances_are_kept():
    def check(game):
        if game.n_joint_actions % 2:
            return Verdict("x", Status.WITHIN_TOLERANCE, "close", tolerance=1e-9, worst=float(game.n_joint_actions) * 1e-12)
        return Verdict("x", Status.PROVEN, "ok")

    out = search_refutation(check, st.tuples(normal_form_games()), max_examples=40, seed=3)
    assert out.counts[Status.WITHIN_TOLERANCE] > 0 and out.status() is Status.WITHIN_TOLERANCE
    assert out.tolerance == 1e-9 and out.worst is not None and out.worst <= 1e-9
    undecided = search_refutation(lambda g: Verdict("x", Status.NOT_ESTABLISHED, "budget ran out"),
                                  st.tuples(normal_form_games()), max_examples=5, seed=3)
    assert undecided.status() is Status.NOT_ESTABLISHED and undecided.samples[Status.NOT_ESTABLISHED].message


def test_an_error_verdict_ends_the_search_as_an_error():
    out = search_refutation(lambda g: Verdict("x", Status.ERROR, "solver failed"), st.tuples(normal_form_games()),
                            max_examples=10, seed=0)
    assert out.status() is Status.ERROR and "solver failed" in out.error and out.examples == 1


def test_within_tolerance_needs_a_tolerance():
    with pytest.raises(InternalError, match="tolerance"):  # a bug in the check that built it, not bad input
        Verdict("x", Status.WITHIN_TOLERANCE, "close")
