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
"""

from __future__ import annotations

import math
import numbers as _numbers
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Union

import numpy as np

from jalverify.errors import InvalidNumber

__all__ = [
    "Number",
    "Field",
    "RationalField",
    "FloatField",
    "EXACT",
    "FLOAT",
    "parse_number",
    "field_named",
    "format_number",
]

Number = Union[Fraction, float]


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


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
        return Fraction(int(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            result = Fraction(text)
        except (ValueError, ZeroDivisionError) as exc:
            raise InvalidNumber(
                f"{where}: cannot read {value!r} as an exact number (use an integer, 'p/q' or a decimal like '0.25')"
            ) from exc
        return result
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


def format_number(x: Number) -> str | float:
    """Serialise a field element: ``"p/q"`` (or ``"p"``) for a Fraction, the float itself otherwise."""
    if isinstance(x, Fraction):
        return str(x)
    return float(x)


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
        return float(parse_number(value, where=where))

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
                distinct = np.array([float(flat[int(k)]) for k in first], dtype=np.float64)
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
