"""search_refutation: finds and shrinks refutations, counts examples, reports errors and honours time limits."""

from hypothesis import strategies as st

from jalverify.strategies import normal_form_games, search_refutation
from jalverify.verdicts import Status, Verdict


def _claim_all_payoffs_below_three(game):
    top = max(game.payoffs.reshape(-1).tolist())
    if top < 3:
        return Verdict("demo", Status.CONFIRMED, "ok")
    return Verdict("demo", Status.REFUTED, f"payoff {top}", {"top": str(top)})


def test_refutation_is_found_and_shrunk():
    out = search_refutation(_claim_all_payoffs_below_three, st.tuples(normal_form_games()), max_examples=200, seed=0)
    assert out.refutation is not None and out.error is None
    (game,) = out.arguments
    assert game.n_actions == (1, 1)
    assert sorted(game.payoffs.reshape(-1).tolist()) == [0, 3]


def test_no_refutation_counts_examples():
    out = search_refutation(lambda g: Verdict("x", Status.CONFIRMED, "ok"), st.tuples(normal_form_games()),
                            max_examples=30, seed=1)
    assert out.refutation is None and out.examples == 30 and out.confirmed == 30


def test_a_raising_check_is_reported_as_an_error():
    def broken(game):
        raise ZeroDivisionError("boom")

    out = search_refutation(broken, st.tuples(normal_form_games()), max_examples=5, seed=0)
    assert out.error is not None and out.error.startswith("ZeroDivisionError")


def test_time_limit_stops_checking():
    import time

    def slow(game):
        time.sleep(0.05)
        return Verdict("x", Status.CONFIRMED, "ok")

    out = search_refutation(slow, st.tuples(normal_form_games()), max_examples=200, seed=0, time_limit=0.2)
    assert out.timed_out and out.examples < 50
