r"""Number fields: exact rationals and float64 behind one small interface.

jalverify computes in one of two fields:

* :data:`EXACT` (:class:`RationalField`): elements are :class:`fractions.Fraction`; numpy arrays have
  ``dtype=object``.  Every comparison is exact; a claim shown here is *proven*.
* :data:`FLOAT` (:class:`FloatField`): elements are ``float`` (numpy ``float64``); comparisons use the
  explicit absolute tolerance ``atol`` of the field.  A claim shown here holds *within tolerance* only.

Parsing (:func:`parse_number`) accepts ``int``, ``Fraction``, ``"p/q"`` strings and decimal strings
(``"0.1"`` is exactly 1/10).  A Python ``float`` is refused in the exact field unless the caller passes
``allow_float=True``, in which case it is converted exactly (``0.1`` becomes 3602879701896397/36028797018963968).
NaN and infinities are always refused.  Nothing is rounded silently.

Sizes are bounded: a number read from text or given as an integer has at most :data:`MAX_DIGITS` (10,000)
decimal digits (numerator and denominator each, exponents included), so reading a file can neither hang nor
exhaust memory.  Converting to float64 (:func:`to_float64`, :class:`FloatField`) refuses, with
:class:`~jalverify.errors.InvalidNumber` naming the value, a rational whose magnitude exceeds the largest
float64 (about 1.8e308) or a non-zero rational that would round to 0: the float field never changes a value's
sign or turns it into infinity.
"""

from __future__ import annotations

import math
import numbers as _numbers
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber

__all__ = [
    "EXACT",
    "FLOAT",
    "MAX_DIGITS",
    "Field",
    "FloatField",
    "Number",
    "RationalField",
    "approximate_number",
    "field_named",
    "float64_misfit",
    "format_number",
    "parse_number",
    "readable_number",
    "short_number",
    "to_float64",
]

#: Largest number of decimal digits of a number read by :func:`parse_number` (numerator and denominator each).
MAX_DIGITS = 10_000

_LOG10_2 = 0.30102999566398120
_CHUNK = 4000  # below Python's default int/str conversion limit (4300 digits)
_NUMBER_TEXT = re.compile(r"([+-]?)(?:(\d+)/(\d+)|(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?)")

Number = Fraction | float


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _digits_of_int(n: int) -> int:
    """Decimal digits of ``|n|`` (exact for small numbers, within one for large ones; 0 has 1 digit)."""
    if n == 0:
        return 1
    if n < 10 ** 18 and n > -(10 ** 18):
        return len(str(abs(n)))
    return int(abs(n).bit_length() * _LOG10_2) + 1


def _int_of_digits(digits: str) -> int:
    """``int(digits)`` for a string of decimal digits of any length up to :data:`MAX_DIGITS` (Python's own
    conversion stops at 4300 digits)."""
    if len(digits) <= _CHUNK:
        return int(digits)
    head, tail = digits[:-_CHUNK], digits[-_CHUNK:]
    return _int_of_digits(head) * 10 ** _CHUNK + int(tail)


def short_number(x: Any) -> str:
    """Text of a number for messages: in full when short, else its first and last digits and its length."""
    if isinstance(x, Fraction) and x.denominator != 1:
        return f"{short_number(x.numerator)}/{short_number(x.denominator)}"
    if isinstance(x, Fraction):
        x = x.numerator
    if isinstance(x, int) and not isinstance(x, bool):
        if _digits_of_int(x) <= 40:
            return str(x)
        sign = "-" if x < 0 else ""
        a = abs(x)
        d = _digits_of_int(a)
        lead = a // 10 ** max(d - 6, 0)
        while lead >= 10 ** 6:
            lead //= 10
        return f"{sign}{lead}...{a % 10 ** 4:04d} (about {d} digits)"
    text = str(x)
    return text if len(text) <= 60 else f"{text[:30]}...{text[-10:]} ({len(text)} characters)"


def _too_long(where: str, what: str, digits: int) -> InvalidNumber:
    return InvalidNumber(f"{where}: {what} has {digits} digits; numbers are limited to {MAX_DIGITS:,} digits")


def _parse_text(value: str, where: str) -> Fraction:
    text = value.strip()
    m = _NUMBER_TEXT.fullmatch(text)
    if m is None or (m.group(2) is None and not (m.group(4) or m.group(5))):
        shown = value if len(value) <= 60 else short_number(value)
        raise InvalidNumber(
            f"{where}: cannot read {shown!r} as an exact number (use an integer, 'p/q' or a decimal like '0.25')")
    sign = -1 if m.group(1) == "-" else 1
    if m.group(2) is not None:
        p, q = m.group(2), m.group(3)
        for part, label in ((p, "the numerator"), (q, "the denominator")):
            if len(part.lstrip("0")) > MAX_DIGITS:
                raise _too_long(where, label, len(part.lstrip("0")))
        den = _int_of_digits(q)
        if den == 0:
            raise InvalidNumber(f"{where}: cannot read {text!r} as an exact number: the denominator is 0")
        return Fraction(sign * _int_of_digits(p), den)
    whole, frac, exp_text = m.group(4) or "", m.group(5) or "", m.group(6)
    if exp_text is not None and len(exp_text.lstrip("+-0")) > 6:
        raise InvalidNumber(f"{where}: exponent {short_number(exp_text)} is out of range; numbers are limited to "
                            f"{MAX_DIGITS:,} digits")
    exp = int(exp_text) if exp_text is not None else 0
    mantissa = (whole + frac).lstrip("0")
    if len(mantissa) > MAX_DIGITS:
        raise _too_long(where, "the number", len(mantissa))
    shift = exp - len(frac)
    if mantissa and (len(mantissa) + shift > MAX_DIGITS or -shift > MAX_DIGITS):
        raise InvalidNumber(f"{where}: {short_number(text)} has more than {MAX_DIGITS:,} digits once its exponent "
                            f"is applied; numbers are limited to {MAX_DIGITS:,} digits")
    n = sign * _int_of_digits(mantissa or "0")
    return Fraction(n * 10 ** shift) if shift >= 0 else Fraction(n, 10 ** -shift)


def parse_number(value: Any, *, allow_float: bool = False, where: str = "value") -> Fraction:
    """Read ``value`` as an exact rational.

    Parameters
    ----------
    value : int, Fraction, str, float, numpy scalar, or any ``numbers.Rational``
        ``"3/4"``, ``"-2"``, ``"0.1"`` and ``"1e-3"`` are read exactly.
    allow_float : bool
        Accept binary floats, converted exactly.  Off by default: a float in the exact path is usually a bug.
    where : str
        Names the field being read, for the error message.

    Raises
    ------
    InvalidNumber
        For NaN, infinities, booleans, unparsable strings, and floats when ``allow_float`` is false.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise InvalidNumber(f"{where}: booleans are not numbers, got {value!r}")
    if isinstance(value, (int, np.integer)):
        n = int(value)
        if _digits_of_int(n) > MAX_DIGITS:
            raise _too_long(where, f"the integer {short_number(n)}", _digits_of_int(n))
        return Fraction(n)
    if isinstance(value, str):
        return _parse_text(value, where)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            raise InvalidNumber(f"{where}: {x!r} is not a finite number")
        if not allow_float:
            raise InvalidNumber(
                f"{where}: float {x!r} refused in the exact field; write it as a string such as "
                f"'{x!r}' (read as the decimal) or pass allow_float=True (exact binary value)"
            )
        return Fraction(x)
    if isinstance(value, _numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    # python-flint fmpq and similar expose p/q
    p = getattr(value, "p", None)
    q = getattr(value, "q", None)
    if p is not None and q is not None:
        return Fraction(int(p), int(q))
    raise InvalidNumber(f"{where}: cannot read {_describe(value)} as a number")


def to_float64(x: Any, *, where: str = "value") -> float:
    """``float(x)`` for a rational ``x`` that float64 can hold, else :class:`InvalidNumber` naming ``x``.

    Refused: a magnitude beyond the largest float64 (about 1.8e308), and a non-zero ``x`` that would round to 0
    (the float field must not change a value's sign or make it infinite).
    """
    try:
        f = float(x)
    except OverflowError:
        raise InvalidNumber(f"{where}: {short_number(x)} does not fit float64 (largest magnitude about 1.8e308); "
                            f"use the exact field") from None
    if math.isinf(f) or math.isnan(f):
        raise InvalidNumber(f"{where}: {short_number(x)} does not fit float64 (largest magnitude about 1.8e308); "
                            f"use the exact field")
    if f == 0.0 and x != 0:
        raise InvalidNumber(f"{where}: {short_number(x)} is not 0 but rounds to 0 in float64 (smallest magnitude "
                            f"about 4.9e-324); use the exact field")
    return f


def float64_misfit(values: Any) -> tuple[tuple[int, ...], Any] | None:
    """The first entry of ``values`` (an array-like of rationals) that float64 cannot hold, as ``(index, value)``
    (see :func:`to_float64`), or ``None`` when every entry fits."""
    arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if arr.dtype.kind in "iuf":
        bad = np.argwhere(~np.isfinite(arr.astype(np.float64))) if arr.dtype.kind == "f" else np.empty((0, 1))
        return None if not len(bad) else (tuple(int(i) for i in bad[0]), arr[tuple(bad[0])])
    seen: set[int] = set()
    flat = arr.reshape(-1).tolist()
    for k, v in enumerate(flat):
        if id(v) in seen:
            continue
        seen.add(id(v))
        try:
            to_float64(v)
        except InvalidNumber:
            return tuple(int(i) for i in np.unravel_index(k, arr.shape)), v
    return None


def format_number(x: Number) -> str | float:
    """Serialise a field element: ``"p/q"`` (or ``"p"``) for a Fraction, the float itself otherwise."""
    if isinstance(x, Fraction):
        return str(x)
    return float(x)


#: Longest exact text :func:`readable_number` shows without a decimal approximation after it.
READABLE_EXACT_CHARS = 12


def approximate_number(x: Fraction | int, significant: int = 6) -> str:
    """A decimal approximation of the rational ``x`` with ``significant`` significant digits, for people.

    Computed in :mod:`decimal` (one correctly rounded division of the exact numerator by the exact
    denominator, General Decimal Arithmetic Specification), so no magnitude overflows as ``float(x)`` would
    beyond about 1.8e308, and a non-zero ``x`` never shows as 0.  Written like ``%g``: ``"0.333333"``,
    ``"1.42857e+29"``, ``"1e-9"``.

    Parameters
    ----------
    x : Fraction or int
        The exact value.
    significant : int
        Significant digits, at least 1.

    Raises
    ------
    InvalidNumber
        When ``x`` is not a rational number or ``significant`` is below 1.
    """
    if isinstance(x, bool) or not isinstance(x, (int, Fraction)):
        raise InvalidNumber(f"approximate_number(): expected a Fraction or int, got {_describe(x)}")
    if isinstance(significant, bool) or not isinstance(significant, int) or significant < 1:
        raise InvalidNumber(f"approximate_number(): significant must be an integer >= 1, got {significant!r}")
    q = Fraction(x)
    with localcontext() as context:
        context.prec = significant
        context.Emax = 10 * MAX_DIGITS
        context.Emin = -10 * MAX_DIGITS
        value = Decimal(q.numerator) / Decimal(q.denominator)
        text = format(value, f".{significant}g")
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa:  # as %g: no trailing zeros after the point (1.00000e+20 -> 1e+20)
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def readable_number(x: Fraction | int, *, max_exact_chars: int = READABLE_EXACT_CHARS) -> str:
    """An exact number for a message: its exact text, followed by a decimal approximation when that text is long.

    ``1/2`` and ``-3`` are shown as they are; ``12345678901234567890123/99999999999999999999`` becomes
    ``"12345678901234567890123/99999999999999999999 (≈123.457)"``.  The exact part is :func:`short_number`
    (numerators or denominators of more than 40 digits show their first and last digits and their length: the
    full value belongs in a witness, not in a sentence); the approximation is :func:`approximate_number`.

    Parameters
    ----------
    x : Fraction or int
        The exact value.
    max_exact_chars : int
        Exact texts up to this length get no approximation (default :data:`READABLE_EXACT_CHARS`).

    Raises
    ------
    InvalidNumber
        When ``x`` is not a rational number.
    """
    if isinstance(x, bool) or not isinstance(x, (int, Fraction)):
        raise InvalidNumber(f"readable_number(): expected a Fraction or int, got {_describe(x)}")
    exact = short_number(x)
    if len(exact) <= max_exact_chars:
        return exact
    return f"{exact} (≈{approximate_number(x)})"


class Field:
    """Interface shared by the two fields.

    Attributes
    ----------
    name : str
        ``"exact"`` or ``"float"``.
    exact : bool
        Whether comparisons are exact.
    atol : float
        Absolute tolerance of comparisons (0 in the exact field).
    dtype : numpy dtype
        ``object`` for the exact field, ``float64`` otherwise.
    """

    name: str = "field"
    exact: bool = False
    atol: float = 0.0
    dtype: Any = object

    # --- element construction -------------------------------------------------------------------
    def convert(self, value: Any, *, where: str = "value", allow_float: bool = False) -> Number:
        raise NotImplementedError

    def array(self, values: Any, *, where: str = "array", allow_float: bool = False) -> np.ndarray:
        """Convert a nested sequence or array to an array of field elements, element by element."""
        raw = np.asarray(values, dtype=object)
        out = np.empty(raw.shape, dtype=self.dtype)
        flat_in = raw.reshape(-1)
        flat_out = out.reshape(-1)
        for k in range(flat_in.size):
            if raw.ndim:
                idx = np.unravel_index(k, raw.shape)
                loc = f"{where}[{', '.join(str(int(i)) for i in idx)}]"
            else:
                loc = where
            flat_out[k] = self.convert(flat_in[k], where=loc, allow_float=allow_float)
        return out

    def zeros(self, shape: int | Sequence[int]) -> np.ndarray:
        raise NotImplementedError

    @property
    def zero(self) -> Number:
        raise NotImplementedError

    @property
    def one(self) -> Number:
        raise NotImplementedError

    # --- comparisons (tolerance explicit) ---------------------------------------------------------
    def is_zero(self, x: Number) -> bool:
        return abs(x) <= self.atol

    def eq(self, a: Number, b: Number) -> bool:
        return abs(a - b) <= self.atol

    def le(self, a: Number, b: Number) -> bool:
        """``a <= b`` up to the field's tolerance."""
        return a <= b + self.atol

    def lt(self, a: Number, b: Number) -> bool:
        """``a < b`` by more than the field's tolerance."""
        return a < b - self.atol

    def total(self, values: Iterable[Number]) -> Number:
        return sum(values, self.zero)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class RationalField(Field):
    """Exact rational arithmetic with :class:`fractions.Fraction`; comparisons are exact."""

    name = "exact"
    exact = True
    atol = 0.0
    dtype = object

    def convert(self, value: Any, *, where: str = "value", allow_float: bool = False) -> Fraction:
        return parse_number(value, allow_float=allow_float, where=where)

    def array(self, values: Any, *, where: str = "array", allow_float: bool = False) -> np.ndarray:
        if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
            out = np.empty(values.shape, dtype=object)
            flat = out.reshape(-1)
            for k, v in enumerate(values.reshape(-1).tolist()):
                flat[k] = Fraction(v)
            return out
        if isinstance(values, np.ndarray) and values.dtype == object and values.size and all(
            type(v) is Fraction for v in values.reshape(-1).tolist()
        ):
            return values.copy()  # already exact: skip the per-element conversion (large stochastic games)
        if isinstance(values, (list, tuple)):
            raw = np.asarray(values, dtype=object)  # a new array, as in Field.array
            if raw.size and all(type(v) is Fraction for v in raw.reshape(-1).tolist()):
                return raw  # already exact (e.g. a solver's equilibrium): parse_number would return each entry as is
        return super().array(values, where=where, allow_float=allow_float)

    def zeros(self, shape: int | Sequence[int]) -> np.ndarray:
        out = np.empty(shape, dtype=object)
        out.fill(Fraction(0))
        return out

    @property
    def zero(self) -> Fraction:
        return Fraction(0)

    @property
    def one(self) -> Fraction:
        return Fraction(1)

    def is_zero(self, x: Number) -> bool:
        return x == 0

    def eq(self, a: Number, b: Number) -> bool:
        return a == b

    def le(self, a: Number, b: Number) -> bool:
        return a <= b

    def lt(self, a: Number, b: Number) -> bool:
        return a < b

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RationalField)

    def __hash__(self) -> int:
        return hash("RationalField")


class FloatField(Field):
    """IEEE float64 arithmetic with an explicit absolute tolerance ``atol`` for comparisons.

    Parameters
    ----------
    atol : float
        Two numbers are equal when they differ by at most ``atol``; default 1e-9.
    """

    name = "float"
    exact = False
    dtype = np.float64

    def __init__(self, atol: float = 1e-9) -> None:
        if not (isinstance(atol, (int, float)) and math.isfinite(atol) and atol >= 0):
            raise InvalidNumber(f"FloatField(): atol must be a finite number >= 0, got {atol!r}")
        self.atol = float(atol)

    def convert(self, value: Any, *, where: str = "value", allow_float: bool = True) -> float:
        if isinstance(value, (float, np.floating)):
            x = float(value)
            if math.isnan(x) or math.isinf(x):
                raise InvalidNumber(f"{where}: {x!r} is not a finite number")
            return x
        return to_float64(parse_number(value, where=where), where=where)

    def array(self, values: Any, *, where: str = "array", allow_float: bool = True) -> np.ndarray:
        if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
            out = values.astype(np.float64)
            if not np.all(np.isfinite(out)):
                bad = np.argwhere(~np.isfinite(out))[0]
                raise InvalidNumber(
                    f"{where}[{', '.join(str(int(i)) for i in bad)}]: {float(out[tuple(bad)])!r} is not a finite number"
                )
            return out
        if isinstance(values, np.ndarray) and values.dtype == object and values.size:
            flat = values.reshape(-1).tolist()
            if set(map(type, flat)) <= {Fraction, int}:
                # Exact arrays (e.g. a large stochastic game's transition rows) hold few distinct objects: convert
                # each distinct object once (float() of a Fraction is correctly rounded, as on the slow path).
                ids = np.fromiter(map(id, flat), dtype=np.uintp, count=len(flat))
                _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
                def where_of(k: int) -> str:
                    idx = np.unravel_index(k, values.shape)
                    return f"{where}[{', '.join(str(int(i)) for i in idx)}]"

                distinct = np.array([to_float64(flat[int(k)], where=where_of(int(k))) for k in first],
                                    dtype=np.float64)
                return distinct[inverse.reshape(-1)].reshape(values.shape)
        return super().array(values, where=where, allow_float=True)

    def zeros(self, shape: int | Sequence[int]) -> np.ndarray:
        return np.zeros(shape, dtype=np.float64)

    @property
    def zero(self) -> float:
        return 0.0

    @property
    def one(self) -> float:
        return 1.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FloatField) and other.atol == self.atol

    def __hash__(self) -> int:
        return hash(("FloatField", self.atol))

    def __repr__(self) -> str:
        return f"FloatField(atol={self.atol!r})"


EXACT: RationalField = RationalField()
"""The exact rational field."""

FLOAT: FloatField = FloatField()
"""float64 with absolute tolerance 1e-9."""


def field_named(name: str | Field) -> Field:
    """Return the field for ``"exact"`` or ``"float"`` (a :class:`Field` passes through)."""
    if isinstance(name, Field):
        return name
    if name == "exact":
        return EXACT
    if name == "float":
        return FLOAT
    raise InvalidNumber(f"field_named(): unknown field {name!r}; expected 'exact' or 'float'")
