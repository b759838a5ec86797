"""Shapley–Snow kernel enumeration against the certified exact LP and HiGHS (differential tests)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jalverify.errors import GameTooLarge, InvalidGame
from jalverify.solvers.kernel_enumeration import KernelStatus, kernel_minimax_solve
from jalverify.solvers.minimax import minimax_value

shapes = st.tuples(st.integers(1, 5), st.integers(1, 5))
# small integers: many ties, singular kernels and non-unique optima (degenerate games)
integer_matrices = shapes.flatmap(lambda s: arrays(np.int64, s, elements=st.integers(-3, 3)))
float_matrices = shapes.flatmap(lambda s: arrays(np.float64, s, elements=st.floats(-10, 10, allow_nan=False,
                                                                                   allow_infinity=False, width=32)))


def _check_optimal(A: np.ndarray, sol, value: float, atol: float) -> None:
    assert sol.status is KernelStatus.SOLVED
    assert sol.value == pytest.approx(value, abs=atol)
    for z in (sol.x, sol.y):
        assert z.min() >= 0.0 and z.sum() == pytest.approx(1.0, abs=1e-12)
    # the optimality conditions of the stage LP, within the reported gap
    assert (sol.x @ A).min() >= value - atol and (A @ sol.y).max() <= value + atol
    assert sol.gap <= sol.tolerance
    assert len(sol.rows) == len(sol.cols) and all(sol.x[i] >= 0 for i in sol.rows)


@given(integer_matrices)
def test_kernel_value_equals_the_exact_value_on_degenerate_integer_matrices(A):
    v_exact, _, _ = minimax_value(A, field="exact")
    sol = kernel_minimax_solve(A.astype(np.float64))
    _check_optimal(A.astype(np.float64), sol, float(v_exact), 1e-10)
    assert isinstance(v_exact, Fraction)


@given(float_matrices)
def test_kernel_value_agrees_with_highs(A):
    v_float, _, _ = minimax_value(A, field="float")
    sol = kernel_minimax_solve(A)
    _check_optimal(A, sol, float(v_float), 1e-8)


@given(integer_matrices, st.data())
def test_a_hint_changes_nothing_but_the_search_order(A, data):
    A = A.astype(np.float64)
    m, n = A.shape
    r = data.draw(st.integers(1, min(m, n)))
    rows = tuple(sorted(data.draw(st.permutations(range(m)))[:r]))
    cols = tuple(sorted(data.draw(st.permutations(range(n)))[:r]))
    plain = kernel_minimax_solve(A)
    hinted = kernel_minimax_solve(A, hint=(rows, cols))
    assert hinted.value == pytest.approx(plain.value, abs=1e-10)
    _check_optimal(A, hinted, plain.value, 1e-10)


def test_rock_paper_scissors_uses_the_full_kernel():
    A = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    sol = kernel_minimax_solve(A)
    assert sol.value == pytest.approx(0.0, abs=1e-15) and sol.rows == (0, 1, 2) and sol.cols == (0, 1, 2)
    assert np.allclose(sol.x, 1 / 3) and np.allclose(sol.y, 1 / 3)


def test_matching_pennies_value_and_kernel():
    sol = kernel_minimax_solve(np.array([[1.0, -1.0], [-1.0, 1.0]]))
    assert sol.value == 0.0 and np.allclose(sol.x, 0.5) and sol.rows == (0, 1)


def test_zero_tolerance_either_holds_exactly_or_reports_no_kernel():
    # with tol=0 rounding may leave a tiny gap: then the status says so (no strategies, no value)
    A = np.array([[0.1, 0.7, 0.3], [0.9, 0.2, 0.4], [0.5, 0.6, 0.8]]) * np.pi
    sol = kernel_minimax_solve(A, tol=0.0)
    if sol.status is KernelStatus.NO_KERNEL_PASSED:
        assert sol.x is None and sol.y is None and np.isnan(sol.value) and sol.gap == float("inf")
    else:
        assert sol.gap == 0.0


def test_bad_input_is_refused_with_the_call_site():
    with pytest.raises(InvalidGame, match="kernel_minimax_solve"):
        kernel_minimax_solve(np.array([[np.nan, 1.0]]))
    with pytest.raises(InvalidGame, match="hint"):
        kernel_minimax_solve(np.eye(2), hint=((0, 1), (0,)))
    with pytest.raises(GameTooLarge, match="at most 6"):
        kernel_minimax_solve(np.zeros((7, 2)))
