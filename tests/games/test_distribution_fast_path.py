"""Differential tests of :func:`jalverify.games.profiles.check_distribution`'s one-step checks (vectorised float64
comparisons; numerator signs and one integer sum for Fractions) against the entry-by-entry reference it replaced.

The reference below is the previous implementation (the field's ``lt`` on every entry, ``total``, ``eq``); both
must accept the same inputs, return equal arrays, and refuse the same inputs with the same error type and
message — on generated distributions with negative zeros, tiny negatives inside and outside the tolerance, sums
off by about the tolerance, NaN / infinities, Fractions, ints, booleans, strings and object arrays.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.errors import JalverifyError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import InvalidProfile, MixedProfile, check_distribution
from jalverify.numbers import EXACT, FLOAT, Field, FloatField

SMALL = settings(max_examples=300, deadline=None)


def reference_check_distribution(field: Field, values: Any, length: int | tuple[int, ...], where: str,
                                 *, allow_float: bool = False) -> np.ndarray:
    """The entry-by-entry implementation that the fast paths replace."""
    shape = (length,) if isinstance(length, int) else tuple(length)
    arr = field.array(values, where=where, allow_float=allow_float)
    if arr.shape != shape:
        raise InvalidProfile(f"{where}: expected {shape[0] if len(shape) == 1 else shape} probabilities, "
                             f"got shape {arr.shape}")
    flat = arr.reshape(-1)
    for k, p in enumerate(flat):
        if field.lt(p, field.zero):
            idx = np.unravel_index(k, shape)
            at = tuple(int(i) for i in idx) if len(shape) > 1 else int(idx[0])
            raise InvalidProfile(f"{where}: probability at {at} is negative: {p}")
    total = field.total(flat.tolist())
    if not field.eq(total, field.one):
        raise InvalidProfile(f"{where}: probabilities sum to {total}, expected 1")
    return arr


def outcome(check: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """``("ok", values, dtype)`` or ``("error", type, message)`` of one call."""
    try:
        arr = check(*args, **kwargs)
    except JalverifyError as exc:
        return ("error", (type(exc), str(exc)))
    return ("ok", (arr.shape, arr.dtype, [(type(v), repr(v)) for v in arr.reshape(-1).tolist()]))


ATOLS = st.sampled_from([1e-9, 0.0, 1e-6, 0.5])

# floats near the interesting boundaries: 0, -0, ±atol, the remaining mass, plus NaN and infinities
def float_entries(atol: float) -> st.SearchStrategy[float]:
    return st.one_of(
        st.sampled_from([0.0, -0.0, 1.0, 0.5, 0.25, -atol, atol, -2 * atol, -atol / 2, -1e-300, 5e-324,
                         np.nextafter(-atol, 0.0), np.nextafter(-atol, -1.0), float("nan"), float("inf"),
                         float("-inf")]),
        st.floats(-1e-6, 1.0, allow_nan=False),
    )


@st.composite
def float_distributions(draw: Any) -> tuple[float, Any, tuple[int, ...]]:
    atol = draw(ATOLS)
    shape = draw(st.sampled_from([(1,), (2,), (3,), (5,), (2, 2), (2, 3)]))
    size = int(np.prod(shape))
    head = draw(st.lists(float_entries(atol), min_size=size - 1, max_size=size - 1))
    finite_head = sum(v for v in head if np.isfinite(v))
    # the last entry makes the sum 1, or 1 off by about the tolerance, or anything
    last = draw(st.one_of(st.just(1.0 - finite_head), st.just(1.0 - finite_head + atol),
                          st.just(1.0 - finite_head - atol), st.just(1.0 - finite_head + 2 * atol),
                          st.just(1.0 - finite_head + 1.5 * atol), float_entries(atol)))
    flat = [*head, last]
    kind = draw(st.sampled_from(["array", "list", "object_array"]))
    arr = np.array(flat, dtype=np.float64).reshape(shape)
    values = {"array": arr, "list": arr.tolist(), "object_array": np.array(flat, dtype=object).reshape(shape)}[kind]
    if kind == "list" and draw(st.booleans()):
        values = [Fraction(1, 2)] * (size - 1) + [draw(st.sampled_from([0, 1, True, "1/2", Fraction(-1, 2)]))]
        values = np.array(values, dtype=object).reshape(shape).tolist()
    return atol, values, shape


@SMALL
@given(float_distributions(), st.sampled_from([None, (7,)]))
def test_float_field_accepts_and_refuses_as_the_reference(case, wrong_shape):
    atol, values, shape = case
    field = FLOAT if atol == 1e-9 else FloatField(atol)
    length = wrong_shape if wrong_shape is not None else (shape[0] if len(shape) == 1 else shape)
    new = outcome(check_distribution, field, values, length, "d", allow_float=True)
    old = outcome(reference_check_distribution, field, values, length, "d", allow_float=True)
    assert new == old


@st.composite
def exact_distributions(draw: Any) -> tuple[Any, tuple[int, ...], bool]:
    shape = draw(st.sampled_from([(1,), (2,), (3,), (4,), (2, 2)]))
    size = int(np.prod(shape))
    nums = draw(st.lists(st.integers(-3, 12), min_size=size, max_size=size))
    dens = draw(st.lists(st.integers(1, 12), min_size=size, max_size=size))
    flat: list[Any] = [Fraction(a, b) for a, b in zip(nums, dens)]
    if draw(st.booleans()):  # make it sum to 1 (possibly with negative entries), or 1 off by a little
        total = sum(flat[:-1], Fraction(0))
        flat[-1] = 1 - total + draw(st.sampled_from([0, 0, 0, Fraction(1, 10**30), -Fraction(1, 10**30)]))
    if draw(st.booleans()):  # some entries of other types
        k = draw(st.integers(0, size - 1))
        other = draw(st.sampled_from(["int", "bool", "str", "float", "nan", "numpy_int", "zero_negative_float"]))
        p = flat[k]
        flat[k] = {"int": p.numerator // p.denominator, "bool": True, "str": str(p), "float": float(p),
                   "nan": float("nan"), "numpy_int": np.int64(p.numerator // p.denominator),
                   "zero_negative_float": -0.0}[other]
    kind = draw(st.sampled_from(["list", "object_array", "int_array"]))
    allow_float = draw(st.booleans())
    if kind == "int_array":
        return np.array([int(v) if isinstance(v, int) else int(Fraction(v).limit_denominator(1)) if not isinstance(
            v, (str, float)) else 0 for v in flat], dtype=np.int64).reshape(shape), shape, allow_float
    if kind == "object_array":
        return np.array(flat, dtype=object).reshape(shape), shape, allow_float
    return np.array(flat, dtype=object).reshape(shape).tolist(), shape, allow_float


@SMALL
@given(exact_distributions(), st.sampled_from([None, (7,)]))
def test_exact_field_accepts_and_refuses_as_the_reference(case, wrong_shape):
    values, shape, allow_float = case
    length = wrong_shape if wrong_shape is not None else (shape[0] if len(shape) == 1 else shape)
    new = outcome(check_distribution, EXACT, values, length, "d", allow_float=allow_float)
    old = outcome(reference_check_distribution, EXACT, values, length, "d", allow_float=allow_float)
    assert new == old


def test_edge_cases_by_hand():
    """A few cases the generators reach only by chance, with the expected outcome written out."""
    assert check_distribution(FLOAT, np.array([-0.0, 1.0]), 2, "d").tolist() == [-0.0, 1.0]
    assert check_distribution(FLOAT, np.array([-1e-9, 1.0 + 1e-9]), 2, "d").tolist() == [-1e-9, 1.0 + 1e-9]
    for values, message in [
        (np.array([-2e-9, 1.0]), "d: probability at 0 is negative: -2e-09"),
        (np.array([0.5, 0.5 + 2.0**-20]), "d: probabilities sum to 1.0000009536743164, expected 1"),
        (np.array([[0.5, 0.25], [0.25, -0.5]]), "d: probability at (1, 1) is negative: -0.5"),
    ]:
        for check in (check_distribution, reference_check_distribution):
            try:
                check(FLOAT, values, values.shape if values.ndim > 1 else len(values), "d")
            except InvalidProfile as exc:
                assert str(exc) == message
            else:
                raise AssertionError(f"{values} accepted")
    for values, message in [
        ([Fraction(1, 2), Fraction(-1, 3), Fraction(5, 6)], "d: probability at 1 is negative: -1/3"),
        ([Fraction(1, 2), Fraction(1, 3)], "d: probabilities sum to 5/6, expected 1"),
        ([Fraction(1, 2), Fraction(1, 2) + Fraction(1, 10**40)],
         f"d: probabilities sum to {1 + Fraction(1, 10**40)}, expected 1"),
    ]:
        for check in (check_distribution, reference_check_distribution):
            try:
                check(EXACT, values, len(values), "d")
            except InvalidProfile as exc:
                assert str(exc) == message
            else:
                raise AssertionError(f"{values} accepted")


def test_mixed_profile_keeps_exact_entries_and_refuses_floats():
    game = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    profile = MixedProfile(game, [[Fraction(1, 3), Fraction(2, 3)], (Fraction(1, 2), Fraction(1, 2))])
    assert [d.tolist() for d in profile.distributions] == [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 2)] * 2]
    assert all(type(v) is Fraction for d in profile.distributions for v in d.tolist())
    try:
        MixedProfile(game, [[Fraction(1, 3), 2 / 3], [Fraction(1, 2)] * 2])
    except JalverifyError as exc:
        assert "refused in the exact field" in str(exc)
    else:
        raise AssertionError("a float was accepted in the exact field")
