r"""Exact products of an integer matrix with a vector of big integers, in int64 word arithmetic.

The exact certificates of :mod:`jalverify.solvers.lp.exact` and :mod:`jalverify.solvers.minimax` need ``Z p``
for an integer matrix ``Z`` with small entries (payoffs, constraint coefficients) and a vector ``p`` of the
numerators of a rational solution, which have hundreds of digits.  Python-level big-integer loops cost
``O(rows · cols)`` interpreted operations; instead ``p`` is split into base-``2^w`` digits (the classical
multiple-precision representation, Knuth, *TAOCP* vol. 2, §4.3.1), the digit matrix is multiplied by ``Z`` in
numpy ``int64`` (every partial sum is bounded below ``2^62``, checked before the product, so no product or sum
can wrap), and the digit columns are recombined with carries:

.. math::

    p_j = \sigma_j \sum_s d_{js} 2^{ws},\qquad (Z p)_i = \sum_s 2^{ws} \sum_j Z_{ij}\,\sigma_j d_{js}.

Everything is integer arithmetic (no floats anywhere); when ``Z``'s entries are too large for the bound, the
product is taken with Python integers directly (exact, slower).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["int64_matrix", "int_matvec"]

_LIMIT_BITS = 62  # |every int64 partial sum| < 2**62, leaving room for the carry in the recombination
_SMALL = 400  # up to this many matrix entries, plain Python integer sums are faster than the digit products


def int64_matrix(Z: Any) -> np.ndarray | None:
    """``Z`` (an integer or object array of Python ints) as an int64 array when every entry has magnitude below
    ``2**62``, else ``None``."""
    arr = np.asarray(Z)
    if arr.dtype.kind in "iu":
        if arr.size and arr.dtype.kind == "u" and int(arr.max()) >= 1 << _LIMIT_BITS:
            return None
        out = arr.astype(np.int64, copy=False)
        if out.size and (int(out.min()) <= -(1 << _LIMIT_BITS) or int(out.max()) >= 1 << _LIMIT_BITS):
            return None
        return out
    if arr.dtype != object:
        return None
    flat = arr.reshape(-1).tolist()
    if any(type(v) is not int for v in flat):
        return None
    if flat and max(max(flat), -min(flat)) >= 1 << _LIMIT_BITS:
        return None
    return np.array(flat, dtype=np.int64).reshape(arr.shape)


def _digit_width(cols: int, zmax: int) -> int:
    """Digit width ``w`` (32, 16 or 8 bits) with ``cols · zmax · 2^w < 2^62``, or 0 when none fits."""
    spare = _LIMIT_BITS - (cols * zmax).bit_length()
    for w in (32, 16, 8):
        if w <= spare:
            return w
    return 0


def int_matvec(Z: np.ndarray, p: Sequence[int]) -> list[int]:
    """The exact product ``Z @ p``.

    Parameters
    ----------
    Z : ndarray, shape (r, c)
        Integer matrix: ``int64`` (fast path), or an ``object`` array of Python ints.
    p : sequence of int, length c
        Python integers of any size.

    Returns
    -------
    list of int
        ``(Z p)_i`` for ``i < r``, exact.
    """
    r, c = Z.shape
    if len(p) != c:
        raise ValueError(f"int_matvec(): matrix has {c} columns, vector has {len(p)} entries")
    if r == 0:
        return []
    if c == 0:
        return [0] * r
    if r * c <= _SMALL:
        return _python_matvec(Z, p)
    Zi = Z if Z.dtype == np.int64 else int64_matrix(Z)
    zmax = max(-int(Zi.min()), int(Zi.max())) if Zi is not None else 0
    if Zi is None or zmax == 0:
        if Zi is not None:
            return [0] * r
        return _python_matvec(Z, p)
    w = _digit_width(c, zmax)
    if w == 0:
        return _python_matvec(Z, p)
    pmax_bits = max(abs(v) for v in p).bit_length()
    if pmax_bits <= w:  # one digit: a plain int64 product
        return (Zi @ np.array(p, dtype=np.int64)).tolist()
    width = w // 8
    n_digits = -(-pmax_bits // w)
    n_bytes = n_digits * width
    buf = b"".join(abs(v).to_bytes(n_bytes, "little") for v in p)
    digits = np.frombuffer(buf, dtype=f"<u{width}").reshape(c, n_digits).astype(np.int64)
    negative = np.fromiter((v < 0 for v in p), dtype=bool, count=c)
    if negative.any():
        digits[negative] *= -1
    R = Zi @ digits  # (r, n_digits); |entries| <= c · zmax · (2^w - 1) < 2^62
    # carry propagation: digit_s = (R_s + carry) mod 2^w in [0, 2^w), carry = floor((R_s + carry) / 2^w)
    mask = (1 << w) - 1
    out_digits = np.empty((r, n_digits), dtype=f"<u{width}")
    carry = np.zeros(r, dtype=np.int64)
    for s in range(n_digits):
        v = R[:, s] + carry
        out_digits[:, s] = v & mask
        carry = v >> w
    raw = out_digits.tobytes()
    top_shift = w * n_digits
    return [int.from_bytes(raw[i * n_bytes:(i + 1) * n_bytes], "little") + (int(carry[i]) << top_shift)
            for i in range(r)]


def _python_matvec(Z: np.ndarray, p: Sequence[int]) -> list[int]:
    """``Z @ p`` with Python integers (small matrices, or entries too large for the int64 digit products)."""
    pl = [int(v) for v in p]
    rows = Z.tolist() if Z.dtype.kind in "iu" else [[int(z) for z in row] for row in Z.tolist()]
    return [sum(map(operator.mul, row, pl)) for row in rows]
