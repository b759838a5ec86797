"""Numbers for people (jalverify.numbers.readable_number / approximate_number): exact text, and a decimal
approximation after long ones, computed without float overflow and never showing a non-zero value as 0."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidNumber
from jalverify.numbers import READABLE_EXACT_CHARS, approximate_number, readable_number, short_number


@pytest.mark.parametrize(("x", "text"), [
    (Fraction(1, 2), "1/2"),
    (Fraction(-2, 3), "-2/3"),
    (Fraction(0), "0"),
    (-3, "-3"),
    (Fraction(12345678901234567890123, 99999999999999999999),
     "4115226300411522630041/33333333333333333333 (≈123.457)"),  # the example, in lowest terms
    (10**20, "100000000000000000000 (≈1e+20)"),
    (Fraction(1, 7 * 10**12), "1/7000000000000 (≈1.42857e-13)"),
])
def test_readable_number_examples(x, text) -> None:
    assert readable_number(x) == text


@pytest.mark.parametrize(("x", "significant", "text"), [
    (Fraction(1, 3), 6, "0.333333"),
    (Fraction(2, 3), 3, "0.667"),
    (Fraction(1, 10**9), 3, "1e-9"),
    (Fraction(1000001, 1000000), 6, "1"),   # %g style: no trailing zeros
    (Fraction(-10**30, 7), 6, "-1.42857e+29"),
    (100, 6, "100"),
])
def test_approximate_number_examples(x, significant, text) -> None:
    assert approximate_number(x, significant) == text


def test_values_beyond_float64_are_approximated_without_overflow_or_underflow() -> None:
    huge = Fraction(10**400, 3)
    tiny = Fraction(-1, 10**500)
    with pytest.raises(OverflowError):
        float(huge)
    assert approximate_number(huge) == "3.33333e+399"
    assert approximate_number(tiny) == "-1e-500"  # float(tiny) would be -0.0
    assert readable_number(tiny).endswith("(≈-1e-500)")
    assert readable_number(huge).startswith(short_number(huge))


@pytest.mark.parametrize("bad", [0.5, "1/2", True, None])
def test_non_rationals_are_refused(bad) -> None:
    with pytest.raises(InvalidNumber):
        readable_number(bad)
    with pytest.raises(InvalidNumber):
        approximate_number(bad)


def test_significant_digits_must_be_positive() -> None:
    with pytest.raises(InvalidNumber, match="significant"):
        approximate_number(Fraction(1, 3), 0)


@given(st.fractions(max_denominator=10**30).filter(lambda q: abs(q.numerator) < 10**35))
def test_readable_number_is_exact_then_a_close_decimal(x: Fraction) -> None:
    text = readable_number(x)
    exact, _, rest = text.partition(" (≈")
    assert Fraction(exact) == x  # the exact part is the value itself (below 40 digits nothing is abbreviated)
    if len(str(x)) <= READABLE_EXACT_CHARS:
        assert rest == ""
        return
    assert rest.endswith(")")
    approx = Fraction(Decimal(rest[:-1]))
    if x == 0:
        assert approx == 0
    else:
        assert approx != 0 and (approx > 0) == (x > 0)
        assert abs(approx - x) <= abs(x) * Fraction(5, 10**6)  # 6 significant digits, correctly rounded
