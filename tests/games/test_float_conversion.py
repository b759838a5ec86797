"""Float conversion of exact data: the vectorised path gives the same float64 values and the same errors."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidGame, InvalidNumber
from jalverify.games.stochastic import StochasticGame
from jalverify.numbers import FLOAT

fractions = st.fractions(min_value=-10 ** 6, max_value=10 ** 6, max_denominator=10 ** 9)


@given(st.lists(st.one_of(fractions, st.integers(-10 ** 20, 10 ** 20)), min_size=1, max_size=30))
def test_object_arrays_convert_like_float_of_each_element(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    shared = np.stack([arr, arr[::-1], arr])  # the same objects several times, as in a game's dense rows
    out = FLOAT.array(shared)
    assert out.dtype == np.float64 and out.shape == shared.shape
    assert out.tolist() == [[float(v) for v in row] for row in shared.tolist()]


def test_other_objects_take_the_element_path_with_its_messages():
    arr = np.array([F(1, 3), "1/4", 2], dtype=object)
    assert FLOAT.array(arr).tolist() == [1 / 3, 0.25, 2.0]
    bad = np.array([F(1, 2), "x"], dtype=object)
    with pytest.raises(InvalidNumber, match=r"rows\[1\]: cannot read 'x'"):
        FLOAT.array(bad, where="rows")
    with pytest.raises(InvalidNumber, match="booleans are not numbers"):
        FLOAT.array(np.array([F(1), True], dtype=object))


def _one_state(row: list[float]) -> StochasticGame:
    return StochasticGame(["a"], ["s", "t"], [[["x"]], [["x"]]], [[row], [[0.0, 1.0]]],
                          [[[0.0]], [[0.0]]], 0.5, field="float")


def test_float_rows_near_the_tolerance_are_decided_by_the_per_row_check():
    _one_state([0.5, 0.5 + 7e-10])  # within atol 1e-9 but outside the fast path's margin: still accepted
    with pytest.raises(InvalidGame, match=r"joint action \(0,\) sums to 1\.000000002"):
        _one_state([0.5, 0.5 + 2e-9])
    with pytest.raises(InvalidGame, match=r"to 's' for joint action \(0,\) is negative"):
        _one_state([-0.5, 1.5])


def test_exact_game_to_float_keeps_every_entry():
    T = [[[F(1, 3), F(2, 3)], [F(1, 7), F(6, 7)]], None]
    R = [[[F(1, 10), F(-3, 4)]], None]
    g = StochasticGame(["a"], ["s", "t"], [[["x", "y"]], None], T, R, F(9, 10), terminal=[False, True])
    f = g.to_field("float")
    assert f.transitions[0].tolist() == [[1 / 3, 2 / 3], [1 / 7, 6 / 7]]
    assert f.rewards[0][0, :, 0].tolist() == [0.1, -0.75] and f.gamma == 0.9
