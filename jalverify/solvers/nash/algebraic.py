r"""Exact real algebraic numbers: sign decisions without floating point.

A real algebraic number :math:`θ` is held as its **minimal polynomial** :math:`h ∈ \mathbb{Q}[x]` (monic,
irreducible over :math:`\mathbb{Q}`) together with either its exact rational value (:math:`\deg h = 1`) or an
**isolating interval** :math:`(lo, hi)` with rational ends, :math:`h(lo)\,h(hi) < 0` and :math:`θ` the only real
root of :math:`h` in :math:`[lo, hi]` (the representation of Collins & Loos 1982, "Real zeros of polynomials",
and Loos 1982, "Computing in algebraic extensions", both in Buchberger, Collins & Loos (eds.), *Computer
Algebra: Symbolic and Algebraic Computation*, Springer, pp. 83–94 and 173–187).

* **Isolation.**  Initial isolating intervals come from sympy's exact real root isolation
  (:meth:`sympy.Poly.intervals`: the Vincent–Akritas–Strzeboński continued-fraction method, Akritas &
  Strzeboński 2005, Nonlinear Analysis: Modelling and Control 10(4); the Descartes-rule bisection of Collins &
  Akritas 1976, SYMSAC '76, is the classical alternative).  Each interval is re-checked here with a Sturm count
  (:meth:`sympy.Poly.count_roots`, Sturm 1835) and a sign change of :math:`h` at its ends, in rational
  arithmetic.
* **Signs.**  :math:`θ = 0` iff :math:`h = x`.  Otherwise :math:`0` is not a root of :math:`h`, and the sign of
  :math:`θ` is read from the isolating interval and the sign of :math:`h(0)`.  The sign of :math:`q(θ)` for
  :math:`q ∈ \mathbb{Q}[x]` (an element of :math:`\mathbb{Q}(θ)`): reduce :math:`r = q \bmod h`; :math:`r = 0`
  means :math:`q(θ) = 0` exactly, and otherwise :math:`r(θ) ≠ 0` (``h`` is irreducible and
  :math:`\deg r < \deg h`), so bisecting the isolating interval until a Sturm count shows that :math:`r` has no
  root in it terminates, and :math:`r` then has one sign on the whole interval.
* **Arithmetic** on algebraic numbers given as sympy expressions (sums, products, integer powers, real
  radicals of positive numbers, real ``CRootOf``): an annihilating polynomial of the result is a resultant
  (:math:`\operatorname{Res}_y(h_1(z - y), h_2(y))` for a sum, :math:`\operatorname{Res}_y(y^{d_1} h_1(z/y),
  h_2(y))` for a product, Loos 1982, §2); it is factored over :math:`\mathbb{Q}` and the result is the unique
  real root of one factor that meets the exact interval enclosure of the operation applied to the operands'
  isolating intervals (operands and candidates are bisected until exactly one candidate remains; this
  terminates because distinct roots are at positive distance).

No step evaluates a float: every comparison is between rationals.  ``time_limit`` / ``deadline`` bound the
refinement loops; when the budget runs out :class:`~jalverify.errors.BudgetExceeded` is raised (no sign is
guessed).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import sympy
from sympy.polys.domains import QQ

from jalverify.errors import BudgetExceeded, CertificateError, InvalidNumber

__all__ = ["RealAlgebraic", "X", "as_poly", "exact_sign", "real_algebraic", "real_roots"]

#: The generator of every univariate polynomial handled here.
X = sympy.Symbol("x")
_Y = sympy.Symbol("y")
_Z = sympy.Symbol("z")

Interval = tuple[Fraction, Fraction]


def _check_deadline(deadline: float | None, what: str) -> None:
    if deadline is not None and time.monotonic() >= deadline:
        raise BudgetExceeded(f"{what}: time budget exhausted before the exact decision")


def _sgn(value: Fraction | int) -> int:
    return (value > 0) - (value < 0)


def _fraction(value: Any) -> Fraction:
    """A sympy Rational (or int, Fraction) as a Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    rational = sympy.Rational(value)
    return Fraction(int(rational.p), int(rational.q))


def _rational(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def as_poly(expr: Any) -> sympy.Poly:
    """``expr`` (a polynomial expression in :data:`X`, or a univariate Poly in any generator) as a Poly in
    :data:`X` over QQ."""
    if isinstance(expr, sympy.Poly):
        if len(expr.gens) != 1:
            raise InvalidNumber(f"as_poly(): expected a univariate polynomial, got {expr}")
        return sympy.Poly.from_list(expr.all_coeffs(), X, domain=QQ)
    return sympy.Poly(expr, X, domain=QQ)


def _horner(coeffs: Sequence[Fraction], value: Fraction) -> Fraction:
    total = Fraction(0)
    for c in coeffs:
        total = total * value + c
    return total


def _coefficients(poly: sympy.Poly) -> tuple[Fraction, ...]:
    return tuple(_fraction(c) for c in poly.all_coeffs())


class RealAlgebraic:
    """One real algebraic number: minimal polynomial and rational value or isolating interval (module doc).

    Build instances with :func:`real_roots`, :func:`real_algebraic` or :meth:`rational`; the constructor
    checks the sign change at the ends and the Sturm count of the interval, but trusts that ``poly`` is
    irreducible (every caller obtains it from :meth:`sympy.Poly.factor_list`).

    Attributes
    ----------
    poly : sympy.Poly
        The monic minimal polynomial over QQ in :data:`X`.
    lo, hi : Fraction
        Isolating interval (``lo == hi`` is the value when the number is rational).
    """

    __slots__ = ("_coeffs", "_sign_lo", "hi", "lo", "poly")

    def __init__(self, poly: sympy.Poly, lo: Fraction, hi: Fraction) -> None:
        poly = as_poly(poly).monic()
        self.poly = poly
        self._coeffs = _coefficients(poly)
        if poly.degree() < 1:
            raise CertificateError(f"RealAlgebraic(): {poly} is constant, it has no root")
        if poly.degree() == 1:
            value = -self._coeffs[1]
            if not lo <= value <= hi:
                raise CertificateError(f"RealAlgebraic(): the root {value} of {poly.as_expr()} is not in [{lo}, {hi}]")
            self.lo = self.hi = value
            self._sign_lo = 0
            return
        self.lo, self.hi = Fraction(lo), Fraction(hi)
        self._sign_lo = _sgn(_horner(self._coeffs, self.lo))
        if not (self.lo < self.hi and self._sign_lo * _sgn(_horner(self._coeffs, self.hi)) < 0
                and poly.count_roots(_rational(self.lo), _rational(self.hi)) == 1):
            raise CertificateError(f"RealAlgebraic(): ({lo}, {hi}) does not isolate a simple root of "
                                   f"{poly.as_expr()}")

    @classmethod
    def rational(cls, value: Fraction | int) -> RealAlgebraic:
        """The rational number ``value`` (minimal polynomial ``x - value``)."""
        value = Fraction(value)
        return cls(sympy.Poly.from_list([1, _rational(-value)], X, domain=QQ), value, value)

    @property
    def is_rational(self) -> bool:
        return self.poly.degree() == 1

    @property
    def value(self) -> Fraction:
        """The exact value of a rational number."""
        if not self.is_rational:
            raise InvalidNumber(f"RealAlgebraic.value: the root of {self.poly.as_expr()} in ({self.lo}, "
                                f"{self.hi}) is irrational")
        return self.lo

    @property
    def interval(self) -> Interval:
        return self.lo, self.hi

    def bisect(self) -> None:
        """Halve the isolating interval (exactly; nothing to do for a rational number)."""
        if self.is_rational:
            return
        mid = (self.lo + self.hi) / 2
        s = _sgn(_horner(self._coeffs, mid))
        if s == 0:  # impossible: an irreducible polynomial of degree >= 2 has no rational root
            raise CertificateError(f"RealAlgebraic.bisect(): {mid} is a root of the irreducible {self.poly.as_expr()}")
        if s == self._sign_lo:
            self.lo = mid
        else:
            self.hi = mid

    def refine(self, width: Fraction, deadline: float | None = None) -> None:
        """Bisect until the isolating interval is at most ``width`` wide."""
        while self.hi - self.lo > width:
            _check_deadline(deadline, "RealAlgebraic.refine()")
            self.bisect()

    def sign(self) -> int:
        """The exact sign of the number: ``0`` iff the minimal polynomial is ``x``; otherwise read from the
        isolating interval and the sign of ``h(0)`` (no refinement needed)."""
        if self.is_rational:
            return _sgn(self.lo)
        if self.lo >= 0:
            return 1
        if self.hi <= 0:
            return -1
        # lo < 0 < hi and h(0) != 0: the single simple root lies left of 0 iff h changes sign on (lo, 0)
        return -1 if _sgn(self._coeffs[-1]) != self._sign_lo else 1

    def reduce(self, q: sympy.Poly) -> sympy.Poly:
        """``q mod h``: the canonical representative of ``q(θ)`` in ``Q[x]/(h)`` (a constant when θ is rational)."""
        q = as_poly(q)
        if self.is_rational:
            return sympy.Poly.from_list([_rational(_horner(_coefficients(q), self.lo))], X, domain=QQ)
        return q.rem(self.poly)

    def sign_of(self, q: sympy.Poly, deadline: float | None = None) -> int:
        """The exact sign of ``q(θ)``, ``q ∈ Q[x]`` (module doc: reduction mod ``h``, then bisection until a
        Sturm count shows the remainder has no root in the isolating interval)."""
        r = self.reduce(q)
        if r.is_zero:
            return 0
        if r.degree() == 0:
            return _sgn(_fraction(r.LC()))
        while r.count_roots(_rational(self.lo), _rational(self.hi)) > 0:
            _check_deadline(deadline, "RealAlgebraic.sign_of()")
            self.bisect()
        return _sgn(_horner(_coefficients(r), (self.lo + self.hi) / 2))

    def real_root_index(self) -> int:
        """The index of θ among the real roots of ``h`` in increasing order (a Sturm count on ``(-∞, lo]``)."""
        if self.is_rational:
            return 0
        return int(self.poly.count_roots(None, _rational(self.lo)))

    def to_expr(self) -> sympy.Expr:
        """θ as a sympy expression: a Rational, a radical for a quadratic (the root is chosen by an exact sign
        test against the mean of the two roots), else ``CRootOf(h, k)`` with ``k`` the index among the real
        roots in increasing order (sympy's documented ``CRootOf`` numbering)."""
        if self.is_rational:
            return _rational(self.lo)
        if self.poly.degree() == 2:
            _, b, c = (_rational(v) for v in self._coeffs)
            half = -b / 2
            below = self.sign_of(sympy.Poly(X - half, X, domain=QQ)) < 0
            root = sympy.sqrt(b * b - 4 * c) / 2
            return half - root if below else half + root
        return sympy.CRootOf(self.poly.as_expr(), self.real_root_index())

    def expr_of(self, q: sympy.Poly) -> sympy.Expr:
        """``q(θ)`` as a sympy expression (``q`` reduced mod ``h`` first; expanded when θ is a radical)."""
        r = self.reduce(q)
        if r.degree() <= 0:
            return _rational(_fraction(r.LC())) if not r.is_zero else sympy.Integer(0)
        theta = self.to_expr()
        value = sum((_rational(c) * theta ** k for k, c in enumerate(reversed(_coefficients(r)))), sympy.Integer(0))
        return sympy.expand(value) if self.poly.degree() == 2 else value

    def approximate(self, q: sympy.Poly | None = None, deadline: float | None = None) -> float:
        r"""A float near ``q(θ)`` (θ itself by default), from a midpoint of the refined isolating interval.
        For display only; no decision uses it.  The interval is refined until ``|q(mid) - q(θ)| <= 2^-64`` by the
        bound :math:`\sum_k k |c_k| M^{k-1}` on :math:`|q'|` over the interval, :math:`M = \max(1, |lo|, |hi|)`."""
        coeffs = _coefficients(self.reduce(q)) if q is not None else (Fraction(1), Fraction(0))
        bound = max(Fraction(1), abs(self.lo), abs(self.hi))
        slope = sum(k * abs(c) * bound ** (k - 1) for k, c in enumerate(reversed(coeffs)) if k)
        self.refine(Fraction(1, 2 ** 64) / (1 + slope), deadline)
        return float(_horner(coeffs, (self.lo + self.hi) / 2))

    def __repr__(self) -> str:
        if self.is_rational:
            return f"RealAlgebraic({self.lo})"
        return f"RealAlgebraic(root of {self.poly.as_expr()} in ({self.lo}, {self.hi}))"


def real_roots(poly: Any, deadline: float | None = None) -> list[RealAlgebraic]:
    """The distinct real roots of a nonzero polynomial over QQ, in increasing order, each with its minimal
    polynomial (an irreducible factor from :meth:`sympy.Poly.factor_list`) and an exact isolating interval
    (:meth:`sympy.Poly.intervals`, re-checked by :class:`RealAlgebraic`); the intervals are pairwise disjoint
    (``roots[k].hi <= roots[k + 1].lo``)."""
    poly = as_poly(poly)
    if poly.is_zero:
        raise InvalidNumber("real_roots(): the zero polynomial has every number as a root")
    out: list[RealAlgebraic] = []
    for factor, _ in poly.factor_list()[1]:
        factor = as_poly(factor)
        if factor.degree() < 1:
            continue
        _check_deadline(deadline, "real_roots()")
        if factor.degree() == 1:
            a, b = _coefficients(factor)
            out.append(RealAlgebraic.rational(-b / a))
            continue
        for (lo, hi), _ in factor.intervals():
            out.append(RealAlgebraic(factor, _fraction(lo), _fraction(hi)))
    # intervals of different factors may overlap: bisect until they are ordered (distinct roots separate)
    while True:
        out.sort(key=lambda r: r.lo)
        overlapping = [(a, b) for a, b in itertools.pairwise(out) if a.hi > b.lo]
        if not overlapping:
            return out
        _check_deadline(deadline, "real_roots()")
        for a, b in overlapping:
            a.bisect()
            b.bisect()


# ----------------------------------------------------------------------------------------------------------
# interval arithmetic on rationals (the enclosures used to pick the right root of a resultant)


def _iv_add(a: Interval, b: Interval) -> Interval:
    return a[0] + b[0], a[1] + b[1]


def _iv_mul(a: Interval, b: Interval) -> Interval:
    products = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return min(products), max(products)


def _iv_pow(a: Interval, n: int) -> Interval:
    out = (Fraction(1), Fraction(1))
    for _ in range(n):
        out = _iv_mul(out, a)
    return out


def _meets(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _select(candidates: list[RealAlgebraic], enclosure: Callable[[], Interval], operands: Sequence[RealAlgebraic],
            what: str, deadline: float | None) -> RealAlgebraic:
    """The unique candidate whose isolating interval meets the (shrinking) enclosure of the true value.

    The true value is one of the candidates and always lies in the enclosure; every other candidate is at a
    positive distance from it, so bisecting operands and candidates eventually leaves exactly one.
    """
    live = list(candidates)
    while True:
        box = enclosure()
        live = [c for c in live if _meets(c.interval, box)]
        if len(live) == 1:
            return live[0]
        if not live:
            raise CertificateError(f"{what}: no root of the annihilating polynomial lies in the enclosure "
                                   f"[{box[0]}, {box[1]}] (an internal error)")
        _check_deadline(deadline, what)
        for r in (*operands, *live):
            r.bisect()


def _negate(x: RealAlgebraic) -> RealAlgebraic:
    if x.is_rational:
        return RealAlgebraic.rational(-x.value)
    return RealAlgebraic(x.poly.compose(sympy.Poly(-X, X, domain=QQ)), -x.hi, -x.lo)


def _shift(x: RealAlgebraic, q: Fraction) -> RealAlgebraic:
    """``x + q``: minimal polynomial ``h(z - q)`` (irreducibility is preserved by the substitution)."""
    if x.is_rational:
        return RealAlgebraic.rational(x.value + q)
    return RealAlgebraic(x.poly.compose(sympy.Poly(X - _rational(q), X, domain=QQ)), x.lo + q, x.hi + q)


def _scale(x: RealAlgebraic, q: Fraction) -> RealAlgebraic:
    """``q·x`` for ``q != 0``: minimal polynomial ``h(z / q)`` made monic."""
    if x.is_rational:
        return RealAlgebraic.rational(x.value * q)
    poly = x.poly.compose(sympy.Poly(X / _rational(q), X, domain=QQ))
    lo, hi = sorted((x.lo * q, x.hi * q))
    return RealAlgebraic(poly, lo, hi)


def _inverse(x: RealAlgebraic, deadline: float | None) -> RealAlgebraic:
    """``1/x``: the reversed minimal polynomial; the interval is first shrunk until it excludes 0."""
    if x.is_rational:
        if x.value == 0:
            raise InvalidNumber("real_algebraic(): division by zero")
        return RealAlgebraic.rational(1 / x.value)
    while x.lo <= 0 <= x.hi:  # x != 0 (irrational), so bisection moves both ends to one side of 0
        _check_deadline(deadline, "real_algebraic() inverse")
        x.bisect()
    poly = sympy.Poly.from_list(list(reversed(x.poly.all_coeffs())), X, domain=QQ)
    return RealAlgebraic(poly, 1 / x.hi, 1 / x.lo)


def _from_resultant(resultant: sympy.Poly, enclosure: Callable[[], Interval], operands: Sequence[RealAlgebraic],
                    what: str, deadline: float | None) -> RealAlgebraic:
    if resultant.is_zero:
        raise CertificateError(f"{what}: the resultant vanished identically (an internal error)")
    return _select(real_roots(resultant, deadline), enclosure, operands, what, deadline)


def _add(x: RealAlgebraic, y: RealAlgebraic, deadline: float | None) -> RealAlgebraic:
    if y.is_rational:
        return _shift(x, y.value)
    if x.is_rational:
        return _shift(y, x.value)
    shifted = sympy.Poly(x.poly.as_expr().xreplace({X: _Z - _Y}), _Y, _Z, domain=QQ)
    res = shifted.resultant(sympy.Poly(y.poly.as_expr().xreplace({X: _Y}), _Y, _Z, domain=QQ))
    return _from_resultant(as_poly(res), lambda: _iv_add(x.interval, y.interval), (x, y), "real_algebraic() sum",
                           deadline)


def _mul(x: RealAlgebraic, y: RealAlgebraic, deadline: float | None) -> RealAlgebraic:
    if y.is_rational:
        return RealAlgebraic.rational(0) if y.value == 0 else _scale(x, y.value)
    if x.is_rational:
        return RealAlgebraic.rational(0) if x.value == 0 else _scale(y, x.value)
    d = x.poly.degree()
    homogenised = sum((_rational(c) * _Z ** k * _Y ** (d - k) for k, c in enumerate(reversed(_coefficients(x.poly)))),
                      sympy.Integer(0))
    res = sympy.Poly(homogenised, _Y, _Z, domain=QQ).resultant(
        sympy.Poly(y.poly.as_expr().xreplace({X: _Y}), _Y, _Z, domain=QQ))
    return _from_resultant(as_poly(res), lambda: _iv_mul(x.interval, y.interval), (x, y),
                           "real_algebraic() product", deadline)


def _power(x: RealAlgebraic, n: int, deadline: float | None) -> RealAlgebraic:
    """``x**n`` for an integer ``n`` (``Res_y(h(y), z - y^n)``; a negative power is the inverse)."""
    if n < 0:
        return _inverse(_power(x, -n, deadline), deadline)
    if n == 0:
        return RealAlgebraic.rational(1)
    if n == 1:
        return x
    if x.is_rational:
        return RealAlgebraic.rational(x.value ** n)
    res = sympy.Poly(x.poly.as_expr().xreplace({X: _Y}), _Y, _Z, domain=QQ).resultant(
        sympy.Poly(_Z - _Y ** n, _Y, _Z, domain=QQ))
    return _from_resultant(as_poly(res), lambda: _iv_pow(x.interval, n), (x,), "real_algebraic() power", deadline)


def _root(x: RealAlgebraic, n: int, deadline: float | None) -> RealAlgebraic:
    """The real positive ``n``-th root of ``x > 0`` (sympy's principal root of a positive number): a positive
    root of ``h(z^n)`` whose ``n``-th power interval meets the interval of ``x``."""
    if x.sign() <= 0:
        raise InvalidNumber(f"real_algebraic(): the principal root of order {n} of {x!r} is not a positive real number "
                            "(only radicals of positive numbers are handled)")
    annihilator = x.poly.compose(sympy.Poly(X ** n, X, domain=QQ))
    positive = [c for c in real_roots(annihilator, deadline) if c.sign() > 0]

    def power_box(c: RealAlgebraic) -> Interval:
        return max(c.lo, Fraction(0)) ** n, c.hi ** n

    live = positive
    while True:
        live = [c for c in live if _meets(power_box(c), x.interval)]
        if len(live) == 1:
            return live[0]
        if not live:
            raise CertificateError(f"real_algebraic(): no positive root of {annihilator.as_expr()} matches "
                                   f"{x!r} (an internal error)")
        _check_deadline(deadline, "real_algebraic() root")
        for r in (x, *live):
            r.bisect()


def _from_crootof(expr: sympy.CRootOf, deadline: float | None) -> RealAlgebraic:
    if not expr.is_real:
        raise InvalidNumber(f"real_algebraic(): {expr} is not real")
    poly = as_poly(expr.poly)
    factors = [f for f, _ in poly.factor_list()[1] if f.degree() > 0]
    if len(factors) != 1:
        raise InvalidNumber(f"real_algebraic(): the polynomial of {expr} is not irreducible")
    roots = real_roots(poly, deadline)
    return roots[int(expr.index)]


def real_algebraic(expr: Any, *, deadline: float | None = None) -> RealAlgebraic:
    """The exact real algebraic number denoted by ``expr``.

    Parameters
    ----------
    expr : sympy expression, int or Fraction
        Built from rationals with ``+``, ``×``, integer powers, real radicals of positive numbers
        (``sqrt(2)``, ``3**(1/5)``) and real ``CRootOf``.
    deadline : float, optional
        A :func:`time.monotonic` instant; refinement stops there with :class:`BudgetExceeded`.

    Raises
    ------
    InvalidNumber
        ``expr`` is a float, not real, not algebraic (``pi``), has free symbols, or needs a complex
        intermediate (``(-1)**(1/3)``, ``I``); nothing is approximated.
    """
    cache: dict[Any, RealAlgebraic] = {}
    return _convert(_sympify(expr), cache, deadline)


def _sympify(expr: Any) -> sympy.Expr:
    if isinstance(expr, (bool, float, sympy.Float)):
        raise InvalidNumber(f"real_algebraic(): {expr!r} is a float; pass exact numbers (int, Fraction, sympy)")
    if isinstance(expr, Fraction):
        return sympy.Rational(expr.numerator, expr.denominator)
    if isinstance(expr, int):
        return sympy.Integer(expr)
    if not isinstance(expr, sympy.Basic):
        raise InvalidNumber(f"real_algebraic(): {type(expr).__name__} {expr!r} is not an exact number")
    return expr


def _convert(expr: sympy.Expr, cache: dict[Any, RealAlgebraic], deadline: float | None) -> RealAlgebraic:
    hit = cache.get(expr)
    if hit is not None:
        return hit
    if expr.is_Rational:
        out = RealAlgebraic.rational(_fraction(expr))
    elif expr.free_symbols:
        raise InvalidNumber(f"real_algebraic(): {expr} has free symbols {sorted(map(str, expr.free_symbols))}")
    elif isinstance(expr, sympy.Float):
        raise InvalidNumber(f"real_algebraic(): {expr} contains a float")
    elif isinstance(expr, sympy.Add):
        out = _convert(expr.args[0], cache, deadline)
        for term in expr.args[1:]:
            out = _add(out, _convert(term, cache, deadline), deadline)
    elif isinstance(expr, sympy.Mul):
        out = _convert(expr.args[0], cache, deadline)
        for factor in expr.args[1:]:
            out = _mul(out, _convert(factor, cache, deadline), deadline)
    elif isinstance(expr, sympy.Pow):
        base, exponent = expr.args
        if not exponent.is_Rational:
            raise InvalidNumber(f"real_algebraic(): {expr} has a non-rational exponent")
        value = _convert(base, cache, deadline)
        p, q = int(exponent.p), int(exponent.q)
        if q != 1:
            value = _root(value, q, deadline)
        out = _power(value, p, deadline)
    elif isinstance(expr, sympy.CRootOf):
        out = _from_crootof(expr, deadline)
    else:
        raise InvalidNumber(f"real_algebraic(): cannot read {expr} ({type(expr).__name__}) as a real algebraic "
                            "number; expected rationals, +, *, integer powers, radicals of positive numbers, "
                            "real CRootOf")
    cache[expr] = out
    return out


def exact_sign(expr: Any, *, time_limit: float | None = None) -> int:
    """The exact sign (-1, 0 or 1) of a real algebraic number, never from a float evaluation.

    Rationals (int, Fraction, sympy Rational) are compared with 0 directly.  A polynomial with rational
    coefficients in a single algebraic atom θ (one ``CRootOf`` or one radical) is decided in ``Q(θ)``: the
    remainder modulo θ's minimal polynomial is 0, or its sign is read after Sturm counts on θ's bisected
    isolating interval show it has no root there.  Any other value is turned into
    its minimal polynomial ``h`` and an exact rational isolating interval (:func:`real_algebraic`: resultants
    and factorisation over QQ, Loos 1982; real root isolation by sympy's :meth:`~sympy.Poly.intervals`,
    Vincent–Akritas–Strzeboński / Collins & Akritas 1976, checked by Sturm counts).  The value is 0 iff
    ``h = x``; otherwise 0 is not a root of ``h`` and the sign is read off the isolating interval.

    Parameters
    ----------
    expr : int, Fraction or sympy expression
        See :func:`real_algebraic` for the accepted forms.
    time_limit : float, optional
        Seconds; :class:`BudgetExceeded` is raised when exceeded.

    Returns
    -------
    int

    Raises
    ------
    InvalidNumber
        Not an exact real algebraic number of a supported form.
    BudgetExceeded
        The time limit ran out first.

    Examples
    --------
    >>> import sympy
    >>> exact_sign(sympy.sqrt(2) - sympy.Rational(1414213562373095, 10**15))
    1
    >>> exact_sign(sympy.sqrt(8) - 2 * sympy.sqrt(2))
    0
    """
    if isinstance(expr, (int, Fraction)) and not isinstance(expr, bool):
        return _sgn(expr)
    if isinstance(expr, sympy.Rational):
        return _sgn(int(expr.p))
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    expr = _sympify(expr)
    single = _polynomial_in_one_atom(expr)
    if single is not None:
        atom, q = single
        return _convert(atom, {}, deadline).sign_of(q, deadline)
    return real_algebraic(expr, deadline=deadline).sign()


def _polynomial_in_one_atom(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Poly] | None:
    """``(θ, q)`` with ``expr = q(θ)``, ``q ∈ Q[x]``, when ``expr``'s only algebraic atom is one ``CRootOf`` or one
    radical ``θ`` (e.g. ``3 - 2θ + θ^2``, as solvers and ``expand`` produce); else ``None``.  Its sign is then
    decided in ``Q(θ)`` (:meth:`RealAlgebraic.sign_of`), which avoids the resultants of the general path."""
    if expr.free_symbols:
        return None
    atoms = expr.atoms(sympy.CRootOf) | {p for p in expr.atoms(sympy.Pow) if not p.exp.is_Integer}
    if len(atoms) != 1:
        return None
    (atom,) = atoms
    if atom.has(sympy.Float):
        return None
    marker = sympy.Dummy("theta")
    replaced = expr.xreplace({atom: marker})
    if replaced.has(atom) or not replaced.is_polynomial(marker):
        return None
    poly = sympy.Poly(replaced, marker)
    if poly.domain not in (sympy.ZZ, sympy.QQ):
        return None
    return atom, as_poly(poly)
