r"""All Nash equilibria of a small n-player game by support enumeration with exact polynomial solving.

Algorithm (McKelvey & McLennan 1996, Handbook of Computational Economics vol. 1, ch. 2, §4; Porter, Nudelman
& Shoham 2008, Games and Economic Behavior 63, §3 "n-player feasibility program").  For every support
profile :math:`S = (S_0, …, S_{n-1})`, :math:`S_i ⊆ A_i` non-empty, the equilibria with those supports solve
the polynomial indifference system

.. math::
    U_i(a, σ_{-i}) = U_i(a^0_i, σ_{-i}) \quad (a ∈ S_i),\qquad \sum_{a ∈ S_i} σ_i(a) = 1,

(``a^0_i`` the first action of ``S_i``) with :math:`σ_i(a) ≥ 0` on ``S_i``, ``0`` off it, and no profitable
deviation outside the support.

Exact solving (no step rounds or guesses a number):

* the system's reduced grevlex Gröbner basis (sympy ``groebner`` over QQ) decides whether it has no
  solution, finitely many, or a continuum; with finitely many, FGLM (Faugère, Gianni, Lazard & Mora 1993)
  turns it into the reduced lexicographic basis;
* finitely many: the basis is brought into **shape position** :math:`\{x_j - g_j(t)\}_j ∪ \{f(t)\}` (Shape
  lemma, Gianni & Mora 1989, AAECC-5, LNCS 356, pp. 247–257; Rouillier 1999, AAECC 9, pp. 433–461, for
  separating forms), with ``t`` the last variable or a separating linear form :math:`\sum_j k^j x_j`; if no
  tried form works, the ideal is first made radical with Seidenberg's lemma (Kreuzer & Robbiano 2000,
  *Computational Commutative Algebra 1*, §3.7).  Each real root θ of each irreducible factor of ``f`` is isolated exactly
  (:mod:`.algebraic`), every coordinate is :math:`g_j(θ) ∈ \mathbb{Q}(θ)`, and every sign (probabilities,
  deviation gains) is decided exactly in :math:`\mathbb{Q}(θ)`: reduction modulo the minimal polynomial, then
  Sturm counts on a bisected isolating interval (:meth:`.algebraic.RealAlgebraic.sign_of`).  Rational
  equilibria (θ rational) stay :class:`~fractions.Fraction`; irrational ones are reported as exact sympy
  expressions (radicals for quadratic θ, ``CRootOf`` otherwise);
* a continuum: sympy ``solve`` parametrises it; the continuum is skipped when sympy's
  ``reduce_inequalities`` finds that none of its points is an equilibrium with these supports, and reported
  (``PARTIAL``) otherwise (this inequality reduction is sympy's and is not re-checked here: an error in it
  could hide a continuum and make a ``COMPLETE`` claim wrong, but never reports a false equilibrium).  Isolated solutions of such a system, if any, are recovered exactly by
  adding their coordinates' minimal polynomials to the system (which makes it zero-dimensional) and solving
  as above.

**Certificates.**  Every equilibrium is certified before it is reported, by a computation independent of the
solving: a rational profile has exact maximal regret ``0`` (:func:`jalverify.games.profiles.max_regret` on
Fractions); an irrational profile has probabilities of exact sign ``≥ 0`` summing exactly to ``1`` and, for
every player and every pure deviation, an expected payoff minus the equilibrium payoff of exact sign ``≤ 0``,
computed from the payoff tensor in :math:`\mathbb{Q}(θ)`.  A failed certificate raises
:class:`~jalverify.errors.CertificateError` (the candidate is never reported).

Outcomes are explicit:

* all systems had finitely many solutions, all rational: ``status=COMPLETE``, ``complete=True``;
* some equilibria are irrational: ``status=IRRATIONAL``, they are in ``algebraic_equilibria`` (the rational
  ones stay in ``equilibria``), ``complete=True``;
* some support system has a continuum of solutions that may contain equilibria (a degenerate game), sympy
  could not parametrise it, or a system is beyond the ``max_degree`` budget: ``status=PARTIAL``,
  ``complete=False``, and ``notes`` name the supports;
* ``time_limit`` ran out (checked between support profiles and inside every exact refinement loop):
  ``status=TIME_LIMIT``, ``complete=False``, the equilibria certified so far are returned.

Budgets: the size, :math:`\prod_i (2^{|A_i|} - 1)` support profiles, is computed before anything is solved
and stated in the result's first note; above ``max_support_profiles`` the game is refused with
:class:`~jalverify.errors.GameTooLarge`.  A support system whose elimination polynomial has degree above
``max_degree`` is not solved (``PARTIAL``).  A single sympy ``groebner`` or ``solve`` call is not
interruptible, so ``time_limit`` can be overrun by the duration of one; ``solve`` on a positive-dimensional
(degenerate) support system is the slow one in practice (minutes on some 2×2×2×2 games with payoffs in
[-3, 3]; the zero-dimensional path takes about a second per such game).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.polys.domains import QQ

from jalverify.errors import (
    BudgetExceeded,
    CertificateError,
    GameTooLarge,
    InvalidNumber,
    InvalidProfile,
    UnsupportedGame,
)
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret
from jalverify.numbers import EXACT, Field, field_named
from jalverify.solvers.nash._bimatrix import exact_payoffs
from jalverify.solvers.nash.algebraic import RealAlgebraic, X, as_poly, real_algebraic, real_roots
from jalverify.solvers.nash.result import AlgebraicEquilibrium, NashResult, NashStatus, certify_profiles

__all__ = [
    "DEFAULT_MAX_DEGREE",
    "DEFAULT_MAX_SUPPORT_PROFILES",
    "count_support_profiles",
    "support_enumeration_n_solve",
]

METHOD = "support_enumeration_n"

#: Default refusal threshold (a 3-player game with 3 actions each has 7³ = 343 support profiles).
DEFAULT_MAX_SUPPORT_PROFILES = 400

#: Default bound on the degree of a support system's elimination polynomial (a 3×3×3 game has at most 10
#: totally mixed equilibria, McKelvey & McLennan 1997, J. Economic Theory 72).
DEFAULT_MAX_DEGREE = 32

#: Separating linear forms ``Σ_j k^j x_j`` tried for the shape position, ``k = 2, 3, …``.
_SEPARATING_FORMS = 4


def count_support_profiles(n_actions: tuple[int, ...]) -> int:
    """:math:`\\prod_i (2^{|A_i|} - 1)`, the number of support profiles."""
    total = 1
    for k in n_actions:
        total *= 2 ** k - 1
    return total


@dataclass
class _Point:
    """One real solution of a support system: the root θ and every variable as a polynomial in θ."""

    root: RealAlgebraic
    coords: dict[sympy.Symbol, sympy.Poly]


@dataclass
class _SystemSolution:
    """The real solutions of one support system: isolated points, parametrised continua (sympy ``solve``
    dictionaries with free symbols), and notes on what could not be solved (each makes the run PARTIAL)."""

    points: list[_Point] = dataclass_field(default_factory=list)
    continua: list[dict] = dataclass_field(default_factory=list)
    unsolved: list[str] = dataclass_field(default_factory=list)


@dataclass
class _Found:
    """Equilibria certified so far, and the run's notes."""

    rational: list[list[list[Fraction]]] = dataclass_field(default_factory=list)
    algebraic: list[AlgebraicEquilibrium] = dataclass_field(default_factory=list)
    float_profiles: list[list[np.ndarray]] = dataclass_field(default_factory=list)
    seen: set[tuple] = dataclass_field(default_factory=set)
    notes: list[str] = dataclass_field(default_factory=list)
    partial: bool = False


def support_enumeration_n_solve(game: NormalFormGame, *, field: Field | str = EXACT,
                                max_support_profiles: int = DEFAULT_MAX_SUPPORT_PROFILES,
                                time_limit: float | None = None, max_degree: int = DEFAULT_MAX_DEGREE) -> NashResult:
    """All Nash equilibria of a small n-player game, exactly.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.  Exact payoffs for an exact answer; float payoffs are solved on their exact
        binary values when ``field="float"``.
    field : Field or {"exact", "float"}
        ``"exact"`` (default): rational equilibria as Fractions, irrational ones in
        ``algebraic_equilibria``.  ``"float"``: all equilibria (rational or not) as float profiles checked
        within the float tolerance (each was first certified exactly).
    max_support_profiles : int
        Refuse games with more support profiles (size budget, checked before solving anything).
    time_limit : float, optional
        Seconds; when exceeded, the equilibria certified so far are returned with ``status=TIME_LIMIT`` and
        ``complete=False``.  Checked between support profiles and inside the exact root refinements.
    max_degree : int
        Size budget of the exact certification: a support system whose elimination polynomial has a higher
        degree is not solved, and the run is ``PARTIAL`` (a note names the supports and the degree).

    Raises
    ------
    GameTooLarge
        More support profiles than ``max_support_profiles`` (the message says how many).
    InvalidNumber
        Exact answer asked for float payoffs.
    CertificateError
        A candidate passed the solver's own tests but failed the independent exact certificate (an internal
        error; it is not reported).
    """
    where = "support_enumeration_n_solve()"
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGame(f"{where}: expected a NormalFormGame, got {type(game).__name__}")
    fld = field_named(field)
    if fld.exact and not game.field.exact:
        raise InvalidNumber(f"{where}: an exact answer was requested for float payoffs; convert the game with "
                            "to_field('exact', allow_float=True) or ask for field='float'")
    count = count_support_profiles(game.n_actions)
    if count > max_support_profiles:
        shape = "×".join(str(k) for k in game.n_actions)
        raise GameTooLarge(
            f"{where}: a {game.n_players}-player {shape} game has {count} support profiles, above the limit "
            f"{max_support_profiles}; raise max_support_profiles= or use pure_nash_solve()/vertex_enumeration_solve()"
        )
    n = game.n_players
    payoffs = exact_payoffs(game)
    rational_payoffs = np.vectorize(lambda v: sympy.Rational(v.numerator, v.denominator), otypes=[object])(payoffs)
    exact_game = game if game.field.exact else NormalFormGame(payoffs, game.players, game.actions, field=EXACT)
    out_game = exact_game if fld.exact else exact_game.to_field(fld)

    supports_per_player = [
        [s for k in range(1, game.n_actions[i] + 1) for s in itertools.combinations(range(game.n_actions[i]), k)]
        for i in range(n)
    ]
    size_note = (f"{count} support profiles (limit max_support_profiles={max_support_profiles}), each system "
                 "solved exactly (Gröbner basis in shape position, exact real root isolation); every equilibrium "
                 "certified with exact regret 0")
    found = _Found()
    timed_out = False
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    for done, profile_supports in enumerate(itertools.product(*supports_per_player)):
        if deadline is not None and time.monotonic() >= deadline:
            timed_out = True
            found.notes.append(f"stopped by time_limit={time_limit} s after {done} of {count} support profiles")
            break
        try:
            _solve_support_profile(exact_game, payoffs, rational_payoffs, profile_supports, found, max_degree,
                                   deadline)
        except BudgetExceeded as exc:
            timed_out = True
            found.notes.append(f"stopped by time_limit={time_limit} s in support profile {done + 1} of {count} "
                               f"{profile_supports} ({exc})")
            break
    if fld.exact:
        profiles = [MixedProfile(out_game, vec) for vec in found.rational]
    else:
        profiles = [MixedProfile(out_game, [d / d.sum() for d in vec], allow_float=True)
                    for vec in found.float_profiles]
    equilibria, certificates = certify_profiles(out_game, profiles, method="support_enumeration_n_solve", field=fld)
    notes = found.notes
    if timed_out:
        status = NashStatus.TIME_LIMIT
    elif found.partial:
        status = NashStatus.PARTIAL
    elif found.algebraic and fld.exact:
        status = NashStatus.IRRATIONAL
        notes.append(f"{len(found.algebraic)} irrational equilibria are listed exactly in algebraic_equilibria")
    else:
        status = NashStatus.COMPLETE
    return NashResult(
        equilibria=equilibria,
        game=game,
        method=METHOD,
        field=fld,
        status=status,
        complete=not (found.partial or timed_out),
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        algebraic_equilibria=tuple(found.algebraic) if fld.exact else (),
        notes=(size_note, *notes),
    )


def _solve_support_profile(exact_game: NormalFormGame, payoffs: np.ndarray, rational_payoffs: np.ndarray,
                           profile_supports: tuple, found: _Found, max_degree: int, deadline: float | None) -> None:
    """Solve one support system, certify its equilibria and add them (and any notes) to ``found``."""
    n = exact_game.n_players
    n_actions = exact_game.n_actions
    symbols: list[sympy.Symbol] = []
    dists: list[list[Any]] = []
    for i, support in enumerate(profile_supports):
        probs: list[Any] = [sympy.Integer(0)] * n_actions[i]
        free = [sympy.Symbol(f"p{i}_{a}") for a in support[1:]]
        symbols.extend(free)
        for a, sym in zip(support[1:], free):
            probs[a] = sym
        probs[support[0]] = 1 - sum(free, sympy.Integer(0))
        dists.append(probs)
    deviation = [_deviation_values(rational_payoffs[i], dists, i) for i in range(n)]
    equations = []
    for i, support in enumerate(profile_supports):
        base = deviation[i][support[0]]
        equations.extend(sympy.expand(deviation[i][a] - base) for a in support[1:])
    equations = [e for e in equations if e != 0]
    try:
        system = _solve_system(equations, symbols, max_degree, deadline)
    except NotImplementedError as exc:
        found.partial = True
        found.notes.append(f"supports {profile_supports}: sympy could not solve the system ({exc})")
        return
    for reason in system.unsolved:
        found.partial = True
        found.notes.append(f"supports {profile_supports}: {reason}")
    for point in system.points:
        if not _is_candidate(point, dists, deviation, profile_supports, deadline):
            continue
        probs = [[_value_at(point, p) for p in d] for d in dists]
        root = point.root
        if root.is_rational:
            vec = [[root.reduce(p).LC() for p in d] for d in probs]
            vec = [[Fraction(int(v.p), int(v.q)) for v in d] for d in vec]
            key = tuple(tuple(d) for d in vec)
            if key in found.seen:
                continue
            _certify_rational(exact_game, vec, profile_supports)
            found.seen.add(key)
            found.rational.append(vec)
            found.float_profiles.append([np.array([float(p) for p in d]) for d in vec])
        else:
            # supports are exact (every probability on them has sign > 0), so each irrational equilibrium is
            # met in exactly one support profile, once: no deduplication is needed
            _certify_algebraic(payoffs, probs, root, profile_supports, deadline)
            approx = tuple(tuple(root.approximate(p, deadline) for p in d) for d in probs)
            found.algebraic.append(AlgebraicEquilibrium(
                distributions=tuple(tuple(root.expr_of(p) for p in d) for d in probs),
                supports=tuple(tuple(int(a) for a in s) for s in profile_supports),
                approximate=approx,
            ))
            found.float_profiles.append([np.array(d) for d in approx])
    for sol in system.continua:
        values = {s: sol.get(s, s) for s in symbols}
        free = set().union(*(sympy.sympify(v).free_symbols for v in values.values()))
        # a continuum of solutions (degenerate game): skip it when sympy's reduce_inequalities finds no point of
        # it that is an equilibrium with exactly these supports; otherwise report it (PARTIAL)
        feasible = _continuum_feasible(dists, deviation, profile_supports, values, free)
        if feasible is False:
            continue
        found.partial = True
        described = {str(k): str(v) for k, v in sol.items()} or "identically satisfied"
        region = "" if feasible is None else f", equilibria for {feasible}"
        found.notes.append(f"supports {profile_supports}: a continuum of solutions of the indifference system "
                           f"({described}{region}); its equilibria are not listed (degenerate game)")


def _solve_system(equations: list[Any], symbols: list[sympy.Symbol], max_degree: int,
                  deadline: float | None) -> _SystemSolution:
    """The real solutions of a support system (polynomials over QQ in ``symbols``), exactly.

    Raises
    ------
    NotImplementedError
        sympy ``solve`` could not parametrise a positive-dimensional system.
    """
    if not symbols:
        # pure supports: no variable; the single candidate exists iff no equation is left
        return _SystemSolution() if equations else _SystemSolution(points=[_Point(RealAlgebraic.rational(0), {})])
    if not equations:
        return _SystemSolution(continua=[{}])
    basis = sympy.groebner(equations, *symbols, order="grevlex", domain=QQ)
    if _inconsistent(basis.exprs):
        return _SystemSolution()
    if basis.is_zero_dimensional:
        return _points_of(equations, symbols, _lex(basis), max_degree, deadline)
    # positive-dimensional: parametrise with sympy, recover isolated solutions exactly
    solutions = sympy.solve(equations, symbols, dict=True)
    out = _SystemSolution()
    isolated = []
    for sol in solutions:
        values = [sympy.sympify(sol.get(s, s)) for s in symbols]
        if any(v.free_symbols for v in values):
            out.continua.append(sol)
        else:
            isolated.append(values)
    if not isolated:
        return out
    extra = []
    for j, s in enumerate(symbols):
        minimal: set[sympy.Poly] = set()
        for values in isolated:
            try:
                minimal.add(real_algebraic(values[j], deadline=deadline).poly)
            except InvalidNumber as exc:
                out.unsolved.append(f"an isolated solution {dict(zip(map(str, symbols), map(str, values)))} of a "
                                    f"positive-dimensional system could not be read exactly ({exc})")
                return out
        extra.append(sympy.Mul(*(m.as_expr() for m in minimal)).xreplace({X: s}))
    enlarged = [*equations, *extra]
    basis = sympy.groebner(enlarged, *symbols, order="grevlex", domain=QQ)
    if _inconsistent(basis.exprs) or not basis.is_zero_dimensional:
        raise CertificateError(f"{symbols}: adding the minimal polynomials of isolated solutions did not give a "
                               "consistent zero-dimensional system (an internal error)")
    isolated_part = _points_of(enlarged, symbols, _lex(basis), max_degree, deadline)
    out.points.extend(isolated_part.points)
    out.unsolved.extend(isolated_part.unsolved)
    return out


def _lex(basis: sympy.GroebnerBasis) -> list[Any]:
    """The reduced lex basis of a zero-dimensional ideal from its grevlex basis by the FGLM change of ordering
    (Faugère, Gianni, Lazard & Mora 1993, J. Symbolic Computation 16), usually much faster than a direct lex
    Buchberger run."""
    return list(basis.fglm("lex").exprs)


def _inconsistent(basis: list[Any]) -> bool:
    return any(p.is_Number and p != 0 for p in basis)


def _points_of(equations: list[Any], symbols: list[sympy.Symbol], basis: list[Any], max_degree: int,
               deadline: float | None) -> _SystemSolution:
    """The real points of a zero-dimensional system with lex Gröbner basis ``basis`` (module doc)."""
    shape = _shape_position(equations, symbols, basis)
    if shape is None:
        reason = (f"no shape position found for the zero-dimensional system (tried {_SEPARATING_FORMS} separating "
                  "forms, with and without radical)")
        return _SystemSolution(unsolved=[reason])
    f, coords = shape
    if f.degree() > max_degree:
        reason = f"elimination polynomial of degree {f.degree()} above max_degree={max_degree}; not certified"
        return _SystemSolution(unsolved=[reason])
    points = [_Point(root, {s: root.reduce(g) for s, g in coords.items()}) for root in real_roots(f, deadline)]
    return _SystemSolution(points=points)


def _shape_position(equations: list[Any], symbols: list[sympy.Symbol],
                    basis: list[Any]) -> tuple[sympy.Poly, dict[sympy.Symbol, sympy.Poly]] | None:
    """``(f, {x_j: g_j})`` with the solutions exactly ``{x_j = g_j(θ) : f(θ) = 0}`` (Shape lemma), or ``None``."""
    last = symbols[-1]
    shape = _read_shape(basis, symbols[:-1], last)
    if shape is not None:
        f, coords = shape
        return f, {**coords, last: as_poly(X)}
    for radical in (False, True):
        system = _radical(equations, symbols) if radical else equations
        for k in range(2, 2 + _SEPARATING_FORMS):
            t = sympy.Dummy("t")
            form = sum((k ** j * s for j, s in enumerate(symbols)), sympy.Integer(0))
            lifted = _lex(sympy.groebner([*system, t - form], *symbols, t, order="grevlex", domain=QQ))
            shape = _read_shape(lifted, symbols, t)
            if shape is not None:
                return shape
    return None


def _read_shape(basis: list[Any], others: list[sympy.Symbol],
                t: sympy.Symbol) -> tuple[sympy.Poly, dict[sympy.Symbol, sympy.Poly]] | None:
    """Read a reduced lex basis ``{x - g_x(t) : x ∈ others} ∪ {f(t)}``; ``None`` if it is not of that shape."""
    if len(basis) != len(others) + 1:
        return None
    f = None
    coords: dict[sympy.Symbol, sympy.Poly] = {}
    for p in basis:
        lead = p.free_symbols - {t}
        if not lead:
            if f is not None:
                return None
            f = as_poly(p.xreplace({t: X}))
            continue
        if len(lead) != 1:
            return None
        (s,) = lead
        linear = sympy.Poly(p, s)
        if linear.degree() != 1:
            return None
        c, rest = linear.all_coeffs()
        if not c.is_Number or s in coords:
            return None
        coords[s] = as_poly((-rest / c).xreplace({t: X}))
    if f is None or set(coords) != set(others):
        return None
    return f, coords


def _radical(equations: list[Any], symbols: list[sympy.Symbol]) -> list[Any]:
    """Generators of the radical of a zero-dimensional ideal: add the square-free part of each variable's
    univariate elimination polynomial (Seidenberg's lemma)."""
    out = list(equations)
    for s in symbols:
        order = [v for v in symbols if v != s] + [s]
        basis = _lex(sympy.groebner(equations, *order, order="grevlex", domain=QQ))
        univariate = [p for p in basis if p.free_symbols <= {s}]
        if len(univariate) != 1:
            raise CertificateError(f"_radical(): no univariate polynomial in {s} in a zero-dimensional basis "
                                   "(an internal error)")
        out.append(sympy.sqf_part(univariate[0]))
    return out


def _value_at(point: _Point, expr: Any) -> sympy.Poly:
    """A polynomial expression in the support's variables at ``point``: an element of Q(θ), reduced."""
    expr = sympy.sympify(expr)
    if point.coords:
        expr = expr.xreplace({s: g.as_expr() for s, g in point.coords.items()})
    return point.root.reduce(as_poly(expr))


def _is_candidate(point: _Point, dists: list[list[Any]], deviation: list[list[Any]], supports: tuple,
                  deadline: float | None) -> bool:
    """The solver's own exact test of a solution: probabilities on the supports ``> 0`` (``>= 0`` for a
    rational point, whose duplicates are removed by value) and no action outside a support paying more than the
    support's first action, from the symbolic deviation payoffs."""
    root = point.root
    for i, support in enumerate(supports):
        for a in support:
            s = root.sign_of(_value_at(point, dists[i][a]), deadline)
            if s < 0 or (s == 0 and not root.is_rational):
                return False
    for i, support in enumerate(supports):
        base = deviation[i][support[0]]
        for a in range(len(dists[i])):
            if a in support:
                continue
            if root.sign_of(_value_at(point, deviation[i][a] - base), deadline) > 0:
                return False
    return True


def _certify_rational(game: NormalFormGame, vec: list[list[Fraction]], supports: tuple) -> None:
    """Exact certificate of a rational profile: a valid mixed profile with maximal regret exactly 0
    (:func:`jalverify.games.profiles.max_regret`, Fraction arithmetic)."""
    try:
        profile = MixedProfile(game, vec)
    except InvalidProfile as exc:
        raise CertificateError(f"support_enumeration_n_solve(): candidate {vec} (supports {supports}) is not a "
                               f"mixed profile ({exc}); it was not reported") from exc
    regret = max_regret(game, profile)
    if regret != 0:
        raise CertificateError(f"support_enumeration_n_solve(): candidate {vec} (supports {supports}) has max "
                               f"regret {regret}, not exactly 0; it was not reported")


def _certify_algebraic(payoffs: np.ndarray, probs: list[list[sympy.Poly]], root: RealAlgebraic, supports: tuple,
                       deadline: float | None) -> None:
    """Exact certificate of an irrational profile, recomputed from the payoff tensor in Q(θ): each distribution
    sums exactly to 1 with probabilities of sign ``>= 0``, and every pure deviation's expected payoff minus the
    equilibrium payoff has sign ``<= 0``.  With the sum exactly 1 these regrets average to exactly 0 under
    σ_i, so the maximal regret is exactly 0."""
    where = f"support_enumeration_n_solve(): irrational candidate with supports {supports}"
    one = as_poly(sympy.Integer(1))
    for i, dist in enumerate(probs):
        total = sum(dist[1:], dist[0])
        if root.sign_of(total - one, deadline) != 0:
            raise CertificateError(f"{where}: player {i}'s probabilities do not sum exactly to 1; not reported")
        if any(root.sign_of(p, deadline) < 0 for p in dist):
            raise CertificateError(f"{where}: player {i} has a negative probability; not reported")
    for i in range(len(probs)):
        gains = _deviation_in_field(payoffs[i], probs, i, root)
        value = root.reduce(sum((p * g for p, g in zip(probs[i], gains)), as_poly(sympy.Integer(0))))
        for a, g in enumerate(gains):
            if root.sign_of(g - value, deadline) > 0:
                raise CertificateError(f"{where}: player {i}'s deviation to action {a} gains a positive amount; "
                                       "not reported")


def _deviation_in_field(tensor: np.ndarray, probs: list[list[sympy.Poly]], player: int,
                        root: RealAlgebraic) -> list[sympy.Poly]:
    """``U_i(a, σ_{-i})`` for every action ``a`` of ``player``, as reduced elements of Q(θ)."""
    n = len(probs)
    others = [range(len(d)) if j != player else [None] for j, d in enumerate(probs)]
    out = []
    for a in range(tensor.shape[player]):
        total = as_poly(sympy.Integer(0))
        for joint in itertools.product(*others):
            weight = as_poly(sympy.Integer(1))
            idx = []
            for j in range(n):
                if j == player:
                    idx.append(a)
                    continue
                p = probs[j][joint[j]]
                if p.is_zero:
                    weight = None
                    break
                weight = root.reduce(weight * p)
                idx.append(joint[j])
            if weight is None:
                continue
            payoff = Fraction(tensor[tuple(idx)])
            total = total + weight * sympy.Rational(payoff.numerator, payoff.denominator)
        out.append(root.reduce(total))
    return out


def _deviation_values(tensor: np.ndarray, dists: list[list[Any]], player: int) -> list[Any]:
    """``U_i(a, σ_{-i})`` for every action ``a`` of ``player``, as sympy expressions."""
    n = len(dists)
    out = []
    others = [range(len(d)) if j != player else [None] for j, d in enumerate(dists)]
    for a in range(tensor.shape[player]):
        total = sympy.Integer(0)
        for joint in itertools.product(*others):
            weight = sympy.Integer(1)
            idx = []
            for j in range(n):
                if j == player:
                    idx.append(a)
                    continue
                p = dists[j][joint[j]]
                if p == 0:
                    weight = None
                    break
                weight = weight * p
                idx.append(joint[j])
            if weight is None:
                continue
            total += tensor[tuple(idx)] * weight
        out.append(sympy.expand(total))
    return out


def _continuum_feasible(dists: list[list[Any]], deviation: list[list[Any]], supports: tuple, values: dict,
                        free: set) -> Any:
    """For a one-parameter continuum of solutions: ``False`` if no point of it is an equilibrium with exactly
    these supports (probabilities > 0 on the supports, no profitable outside action), else the exact
    condition on the parameter (sympy).  ``None`` when undecided (several parameters, or sympy cannot reduce
    the inequalities)."""
    if len(free) != 1:
        return None
    conditions = []
    for i, support in enumerate(supports):
        for a in support:
            p = sympy.sympify(dists[i][a]).subs(values)
            conditions.append(sympy.expand(p) > 0)
        base = deviation[i][support[0]].subs(values)
        for a in range(len(dists[i])):
            if a not in support:
                conditions.append(sympy.expand(deviation[i][a].subs(values) - base) <= 0)
    conditions = [c for c in conditions if c is not sympy.true]
    if any(c is sympy.false for c in conditions):
        return False
    if not conditions:
        return sympy.true
    try:
        reduced = sympy.reduce_inequalities(conditions, list(free))
    except (NotImplementedError, ValueError, TypeError):
        return None
    if reduced is sympy.false:
        return False
    return reduced
