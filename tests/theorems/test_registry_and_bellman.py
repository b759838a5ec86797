"""Registry rules (our modules are never optional; a duplicate id or a bad ``expected`` is our bug) and the
Bellman checks' failure signals (budget → "not established"; the library's value-iteration iterates are always
compared, never silently skipped)."""

from __future__ import annotations

from fractions import Fraction as F
from types import SimpleNamespace

import numpy as np
import pytest

from jalverify.errors import BudgetExceeded, InternalError
from jalverify.games.stochastic import StochasticGame
from jalverify.theorems import bellman as B
from jalverify.theorems.registry import THEOREMS, Theorem, register
from jalverify.verdicts import Status, Verdict


def _check(*_: object) -> Verdict:
    return Verdict("test.registry", Status.PROVEN, "ok")


def _other_check(*_: object) -> Verdict:
    return Verdict("test.registry", Status.PROVEN, "ok")


@pytest.fixture
def scratch_id():
    tid = "test_registry.scratch"
    yield tid
    THEOREMS.pop(tid, None)


def test_a_missing_jalverify_module_in_requires_fails_registration(scratch_id):
    with pytest.raises(ModuleNotFoundError, match="jalverify.no_such_module"):
        register(Theorem(scratch_id, "claim", "holds", _check, "zero_sum_games", "cite",
                         requires=("jalverify.no_such_module",)))
    assert scratch_id not in THEOREMS


def test_own_modules_are_imported_and_dropped_third_party_ones_stay_optional(scratch_id):
    stored = register(Theorem(scratch_id, "claim", "holds", _check, "zero_sum_games", "cite",
                              requires=("jalverify.solvers.minimax", "surely_not_installed_peer")))
    assert stored.requires == ("surely_not_installed_peer",)
    assert THEOREMS[scratch_id].missing_requirements() == ("surely_not_installed_peer",)


def test_duplicate_id_and_bad_expected_are_internal_errors(scratch_id):
    register(Theorem(scratch_id, "claim", "holds", _check, "zero_sum_games", "cite"))
    with pytest.raises(InternalError, match=r"register\(\): theorem id 'test_registry.scratch' is already registered"):
        register(Theorem(scratch_id, "claim", "holds", _other_check, "zero_sum_games", "cite"))
    with pytest.raises(InternalError, match=r"expected='maybe'"):
        register(Theorem(scratch_id + "2", "claim", "maybe", _check, "zero_sum_games", "cite"))  # type: ignore[arg-type]


def test_within_tolerance_without_tolerance_is_an_internal_error():
    with pytest.raises(InternalError, match=r"Verdict\('x.y'\): status='within_tolerance' with tolerance=None"):
        Verdict("x.y", Status.WITHIN_TOLERANCE, "m")


def _turn_based() -> StochasticGame:
    """Player 0 chooses in s0 between reward 1 (stay) and reward 3 (go to s1, absorbing with reward 0); γ = 1/2."""
    return StochasticGame(
        ["max", "min"], ["s0", "s1"], [[("stay", "go"), ("-",)], [("-",), ("-",)]],
        [{("stay", "-"): {"s0": 1}, ("go", "-"): {"s1": 1}}, {("-", "-"): {"s1": 1}}],
        [[[[1], [3]], [[-1], [-3]]], [[[0]], [[0]]]], "1/2", name="two-state turn-based",
    )


def test_exact_turn_based_value_known_answer_and_budget():
    V, iterates = B.exact_turn_based_value(_turn_based())
    assert V == [F(3), F(0)]  # go: 3 now and 0 after; stay for ever is worth 1/(1 - 1/2) = 2
    assert iterates[0] == [0, 0]
    with pytest.raises(BudgetExceeded, match=r"exact_turn_based_value\(\): game 'two-state turn-based'.*max_iterations=0"):
        B.exact_turn_based_value(_turn_based(), max_iterations=0)


def test_budget_exhaustion_is_not_established(monkeypatch):
    def exhausted(game, max_iterations=200):
        raise BudgetExceeded("exact_turn_based_value(): test budget")

    monkeypatch.setattr(B, "exact_turn_based_value", exhausted)
    for verdict in (B.check_value_iteration_bounds(_turn_based(), 2),
                    B.check_value_iteration_matches_policy_iteration(_turn_based())):
        assert verdict.status is Status.NOT_ESTABLISHED and "test budget" in verdict.message


def test_library_iterates_are_compared_not_skipped(monkeypatch):
    """A wrong library iterate refutes value_iteration_bounds: the sub-check always runs."""
    assert B.check_value_iteration_bounds(_turn_based(), 3).status is Status.PROVEN

    def wrong(game, **kw):
        return SimpleNamespace(history=[np.array([F(0), F(0)], dtype=object), np.array([F(5), F(0)], dtype=object)])

    monkeypatch.setattr(B, "shapley_value_iteration", wrong)
    verdict = B.check_value_iteration_bounds(_turn_based(), 3)
    assert verdict.status is Status.REFUTED and "library's value iteration iterate V_1" in verdict.message
