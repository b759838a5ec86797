"""Convergence judged against the exact reference (jalverify.convergence.reference, theorems.learning.game_reference)."""

from fractions import Fraction as F

import numpy as np
import pytest

from jalverify.convergence.reference import judge_final_window, set_distance, stationarity
from jalverify.learners.examples import as_single_state, common_payoff_two_state, matching_pennies, zero_sum_rational
from jalverify.theorems.learning import game_reference
from jalverify.verdicts import Status


def test_reference_of_a_rational_zero_sum_game_is_exact():
    ref, why = game_reference(zero_sum_rational())
    assert ref is not None and why == "" and ref.exact and ref.kind == "minimax" and ref.error_bound == 0
    assert list(ref.v_star[0]) == [F(2, 5), F(6, 5)] and list(ref.v_star[1]) == [F(-2, 5), F(-6, 5)]
    assert ref.v_start([F(1, 2), F(1, 2)]) == [F(4, 5), F(-4, 5)]
    # the equilibrium set: X*(s1) = {(2/3, 1/3)}, Y*(s1) = {(1/2, 1/2)}; distance of a pure profile
    eq = [np.full((2, 2), 0.25), np.outer([2 / 3, 1 / 3], [0.5, 0.5])]
    assert set_distance(ref, eq) == pytest.approx(0, abs=1e-12)
    pure = [np.full((2, 2), 0.25), np.outer([1, 0], [0.5, 0.5])]
    assert set_distance(ref, pure) == pytest.approx(1 / 3)


def test_reference_of_a_common_payoff_game_is_the_team_optimum():
    ref, _ = game_reference(common_payoff_two_state())
    assert ref is not None and ref.kind == "team" and ref.exact
    # the set is "all mass on argmax joint actions": a uniform policy has 3/4 of its mass outside in each state
    uniform = [np.full((2, 2), 0.25)] * 2
    assert set_distance(ref, uniform) == pytest.approx(0.75)


def test_general_sum_game_has_no_reference():
    from jalverify.games.catalog import load

    ref, why = game_reference(as_single_state(load("chicken"), "1/2"))
    assert ref is None and "no exact reference for this game" in why


def test_matching_pennies_reference_set_is_the_uniform_profile():
    ref, _ = game_reference(as_single_state(matching_pennies(), "1/2"))
    assert set_distance(ref, [np.full((2, 2), 0.25)]) == pytest.approx(0, abs=1e-12)
    assert set_distance(ref, [np.outer([1, 0], [1, 0])]) == pytest.approx(0.5)


def test_judge_final_window_words():
    ok = judge_final_window("q", [0.01, 0.02], [10, 20], 0.05, 2, "max|Q − Q*|")
    assert ok.status is Status.WITHIN_TOLERANCE and ok.tolerance == 0.05 and ok.worst == pytest.approx(0.02)
    bad = judge_final_window("q", [0.01, 1.0], [10, 20], 0.05, 2, "max|Q − Q*|")
    assert bad.status is Status.NOT_ESTABLISHED and bad.worst == 1.0 and "not established" in bad.message
    short = judge_final_window("q", [0.0], [10], 0.05, 2, "d")
    assert short.status is Status.NOT_ESTABLISHED and "fewer than the window" in short.message
    # the reference's own float error counts against the tolerance
    edge = judge_final_window("q", [0.04, 0.04], [1, 2], 0.05, 2, "d", reference_error=0.02)
    assert edge.status is Status.NOT_ESTABLISHED and edge.worst == pytest.approx(0.06)


def test_a_frozen_trace_is_stationary_but_that_is_not_convergence():
    series = [np.zeros(4)] * 12
    st = stationarity(series, 10, 0.05)
    assert st["stationary"] and st["max_move"] == 0 and "stationary" in st["statement"]
    # ... while the same trace judged against Q* = 1 is not within tolerance
    verdict = judge_final_window("q", [1.0] * 10, list(range(10)), 0.05, 10, "max|Q − Q*|")
    assert verdict.status is Status.NOT_ESTABLISHED
