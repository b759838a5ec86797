"""Number parsing and the two fields (jalverify.numbers)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidNumber
from jalverify.numbers import EXACT, FLOAT, FloatField, field_named, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (3, Fraction(3)),
        (-7, Fraction(-7)),
        (np.int64(5), Fraction(5)),
        ("3/4", Fraction(3, 4)),
        ("-2/6", Fraction(-1, 3)),
        (" 1/2 ", Fraction(1, 2)),
        ("0.1", Fraction(1, 10)),
        ("-0.25", Fraction(-1, 4)),
        ("1e-3", Fraction(1, 1000)),
        ("12", Fraction(12)),
        (Fraction(2, 3), Fraction(2, 3)),
    ],
)
def test_parse_number_reads_exactly(text, expected):
    value = parse_number(text)
    assert value == expected and isinstance(value, Fraction)


def test_decimal_string_is_exactly_one_tenth_not_the_binary_float():
    assert parse_number("0.1") == Fraction(1, 10)
    assert parse_number("0.1") != Fraction(0.1)


def test_floats_are_refused_in_the_exact_field_with_the_value_named():
    with pytest.raises(InvalidNumber, match=r"payoff\[0\]: float 0\.1 refused in the exact field"):
        parse_number(0.1, where="payoff[0]")


def test_floats_allowed_are_converted_to_their_exact_binary_value():
    assert parse_number(0.1, allow_float=True) == Fraction(3602879701896397, 36028797018963968)
    assert parse_number(0.5, allow_float=True) == Fraction(1, 2)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float64("nan")])
def test_nan_and_inf_are_always_refused(bad):
    with pytest.raises(InvalidNumber, match="is not a finite number"):
        parse_number(bad, allow_float=True, where="x")
    with pytest.raises(InvalidNumber, match="is not a finite number"):
        FLOAT.convert(bad, where="x")


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "abc", "1/0", "", "1/2/3"])
def test_unreadable_strings_are_refused_and_named(bad):
    with pytest.raises(InvalidNumber, match=f"cannot read {bad!r}"):
        parse_number(bad, where="gamma")


@pytest.mark.parametrize("bad", [True, False, np.bool_(True)])
def test_booleans_are_not_numbers(bad):
    with pytest.raises(InvalidNumber, match="booleans are not numbers"):
        parse_number(bad)


def test_other_objects_are_refused():
    with pytest.raises(InvalidNumber, match=r"cannot read \[1\] \(list\)"):
        parse_number([1], where="v")
    with pytest.raises(InvalidNumber, match="cannot read None"):
        parse_number(None, where="v")


def test_python_flint_rationals_are_read_exactly():
    import flint  # core dependency
    assert parse_number(flint.fmpq(3, 7)) == Fraction(3, 7)


def test_field_arrays_name_the_offending_index():
    with pytest.raises(InvalidNumber, match=r"A\[1, 0\]: float 0\.5 refused"):
        EXACT.array([[1, 2], [0.5, 3]], where="A")
    with pytest.raises(InvalidNumber, match=r"A\[0, 1\]: nan is not a finite number"):
        FLOAT.array(np.array([[1.0, np.nan]]), where="A")


def test_exact_field_comparisons_are_exact_and_float_field_uses_atol():
    tiny = Fraction(1, 10**30)
    assert not EXACT.is_zero(tiny) and EXACT.lt(0, tiny)
    assert FLOAT.is_zero(1e-12) and not FLOAT.is_zero(1e-6)
    assert FloatField(atol=0.5).eq(1.0, 1.4)


def test_field_named_and_bad_tolerances():
    assert field_named("exact") is EXACT and field_named("float") is FLOAT and field_named(EXACT) is EXACT
    with pytest.raises(InvalidNumber, match="unknown field 'double'"):
        field_named("double")
    with pytest.raises(InvalidNumber, match="atol must be a finite number >= 0, got -1"):
        FloatField(atol=-1)


def test_format_number():
    assert format_number(Fraction(3, 4)) == "3/4"
    assert format_number(Fraction(5)) == "5"
    assert format_number(0.25) == 0.25


@given(st.fractions(max_denominator=10**6))
def test_fraction_text_round_trips(x):
    assert parse_number(format_number(x)) == x


@given(st.integers(-10**6, 10**6), st.integers(0, 6))
def test_decimal_strings_are_exact(mantissa, places):
    text = f"{mantissa / 10**places:.{places}f}" if places else str(mantissa)
    assert parse_number(text) == Fraction(mantissa, 10**places)
