r"""All Nash equilibria of a small n-player game by support enumeration with exact polynomial solving.

Algorithm (McKelvey & McLennan 1996, Handbook of Computational Economics vol. 1, ch. 2, §4; Porter, Nudelman
& Shoham 2008, Games and Economic Behavior 63, §3 "n-player feasibility program").  For every support
profile :math:`S = (S_0, …, S_{n-1})`, :math:`S_i ⊆ A_i` non-empty, the equilibria with those supports solve
the polynomial indifference system

.. math::
    U_i(a, σ_{-i}) = U_i(a^0_i, σ_{-i}) \quad (a ∈ S_i),\qquad \sum_{a ∈ S_i} σ_i(a) = 1,

(``a^0_i`` the first action of ``S_i``) with :math:`σ_i(a) ≥ 0` on ``S_i``, ``0`` off it, and no profitable
deviation outside the support.  Each system is solved exactly with sympy (rational arithmetic; irrational
roots come back as radicals or ``CRootOf`` algebraic numbers, never rounded).  Every rational candidate is
verified with an exact regret computation (:func:`.result.certify_profiles`); every irrational candidate is
verified by exact sign decisions on algebraic numbers (sympy ``is_nonnegative``; when sympy cannot decide,
a 60-digit evaluation decides clear signs and ``minimal_polynomial`` decides zero).

Outcomes are explicit:

* all systems had finitely many solutions, all rational: ``status=COMPLETE``, ``complete=True``;
* some equilibria are irrational: ``status=IRRATIONAL``, they are in ``algebraic_equilibria`` (the rational
  ones stay in ``equilibria``), ``complete=True``;
* some support system has a continuum of solutions (a degenerate game) or sympy could not solve it:
  ``status=PARTIAL``, ``complete=False``, and ``notes`` name the supports.

The method is exponential: it refuses games with more than ``max_support_profiles`` support profiles
(:math:`\prod_i (2^{|A_i|} - 1)`) with :class:`~jalverify.errors.GameTooLarge`.
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from jalverify.errors import GameTooLarge, InvalidNumber, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import EXACT, Field, field_named
from jalverify.solvers.nash._bimatrix import exact_payoffs
from jalverify.solvers.nash.result import AlgebraicEquilibrium, NashResult, NashStatus, certify_profiles

__all__ = ["support_enumeration_n_solve", "count_support_profiles", "DEFAULT_MAX_SUPPORT_PROFILES"]

METHOD = "support_enumeration_n"

#: Default refusal threshold (a 3-player game with 3 actions each has 7³ = 343 support profiles).
DEFAULT_MAX_SUPPORT_PROFILES = 400


def count_support_profiles(n_actions: tuple[int, ...]) -> int:
    """:math:`\\prod_i (2^{|A_i|} - 1)`, the number of support profiles."""
    total = 1
    for k in n_actions:
        total *= 2 ** k - 1
    return total


def _sign(expr: Any) -> int | None:
    """Exact sign of a real algebraic expression: -1, 0, 1, or None if undecidable here."""
    expr = sympy.nsimplify(expr) if not isinstance(expr, sympy.Basic) else expr
    if expr.is_zero:
        return 0
    if expr.is_positive:
        return 1
    if expr.is_negative:
        return -1
    value = sympy.N(expr, 60)
    if value.is_real is False:
        return None
    if abs(value) > sympy.Float("1e-40", 60):
        return 1 if value > 0 else -1
    t = sympy.Symbol("t")
    try:
        if sympy.minimal_polynomial(expr, t) == t:
            return 0
    except NotImplementedError:
        return None
    return None


def _is_real(expr: Any) -> bool | None:
    if expr.is_real is not None:
        return bool(expr.is_real)
    s = _sign(sympy.im(expr))
    return None if s is None else s == 0


def support_enumeration_n_solve(game: NormalFormGame, *, field: Field | str = EXACT,
                                max_support_profiles: int = DEFAULT_MAX_SUPPORT_PROFILES,
                                time_limit: float | None = None) -> NashResult:
    """All Nash equilibria of a small n-player game, exactly.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.  Exact payoffs for an exact answer; float payoffs are solved on their exact
        binary values when ``field="float"``.
    field : Field or {"exact", "float"}
        ``"exact"`` (default): rational equilibria as Fractions, irrational ones in
        ``algebraic_equilibria``.  ``"float"``: all equilibria (rational or not) as float profiles checked
        within the float tolerance.
    max_support_profiles : int
        Refuse larger games.
    time_limit : float, optional
        Seconds; when exceeded, the equilibria found so far are returned with ``status=TIME_LIMIT`` and
        ``complete=False``.

    Raises
    ------
    GameTooLarge
        More support profiles than ``max_support_profiles`` (the message says how many).
    InvalidNumber
        Exact answer asked for float payoffs.
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
    rational: list[list[list[Fraction]]] = []
    algebraic: list[AlgebraicEquilibrium] = []
    float_profiles: list[list[np.ndarray]] = []
    seen: set[tuple] = set()
    notes: list[str] = []
    partial = False
    timed_out = False
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    for done, profile_supports in enumerate(itertools.product(*supports_per_player)):
        if deadline is not None and time.monotonic() >= deadline:
            timed_out = True
            notes.append(f"stopped by time_limit={time_limit} s after {done} of {count} support profiles")
            break
        symbols = []
        dists: list[list[Any]] = []
        for i, support in enumerate(profile_supports):
            probs: list[Any] = [sympy.Integer(0)] * game.n_actions[i]
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
        if symbols:
            try:
                solutions = sympy.solve(equations, symbols, dict=True) if equations else [{}]
            except NotImplementedError as exc:
                partial = True
                notes.append(f"supports {profile_supports}: sympy could not solve the system ({exc})")
                continue
        else:
            if equations:
                continue
            solutions = [{}]
        for sol in solutions:
            values = {s: sol.get(s, s) for s in symbols}
            free = set().union(*(sympy.sympify(v).free_symbols for v in values.values()))
            if free:
                # a continuum of solutions (degenerate game): exclude it exactly when no point of it is an
                # equilibrium with exactly these supports; otherwise report it
                feasible = _continuum_feasible(dists, deviation, profile_supports, values, free)
                if feasible is False:
                    continue
                partial = True
                described = {str(k): str(v) for k, v in sol.items()} or "identically satisfied"
                region = "" if feasible is None else f", equilibria for {feasible}"
                notes.append(f"supports {profile_supports}: a continuum of solutions of the indifference system "
                             f"({described}{region}); its equilibria are not listed (degenerate game)")
                continue
            probs = [[sympy.nsimplify(p.subs(values)) if isinstance(p, sympy.Basic) else p for p in d] for d in dists]
            verdict = _check_candidate(rational_payoffs, probs, profile_supports, deviation, values)
            if verdict is None:
                partial = True
                notes.append(f"supports {profile_supports}: could not decide the sign of an algebraic number in "
                             f"candidate {probs}")
                continue
            if not verdict:
                continue
            all_rational = all(p.is_Rational for d in probs for p in d)
            if all_rational:
                vec = [[Fraction(int(p.p), int(p.q)) for p in d] for d in probs]
                key = tuple(tuple(d) for d in vec)
                if key in seen:
                    continue
                seen.add(key)
                rational.append(vec)
                float_profiles.append([np.array([float(p) for p in d]) for d in vec])
            else:
                approx = tuple(tuple(float(sympy.N(p, 30)) for p in d) for d in probs)
                key = tuple(tuple(str(sympy.N(p, 40)) for p in d) for d in probs)
                if key in seen:
                    continue
                seen.add(key)
                algebraic.append(AlgebraicEquilibrium(
                    distributions=tuple(tuple(d) for d in probs),
                    supports=tuple(tuple(int(a) for a in s) for s in profile_supports),
                    approximate=approx,
                ))
                float_profiles.append([np.array(d) for d in approx])
    if fld.exact:
        profiles = [MixedProfile(out_game, vec) for vec in rational]
    else:
        profiles = [MixedProfile(out_game, [d / d.sum() for d in vec], allow_float=True) for vec in float_profiles]
    equilibria, certificates = certify_profiles(out_game, profiles, method="support_enumeration_n_solve", field=fld)
    if timed_out:
        status = NashStatus.TIME_LIMIT
    elif partial:
        status = NashStatus.PARTIAL
    elif algebraic and fld.exact:
        status = NashStatus.IRRATIONAL
        notes.append(f"{len(algebraic)} irrational equilibria are listed exactly in algebraic_equilibria")
    else:
        status = NashStatus.COMPLETE
    return NashResult(
        equilibria=equilibria,
        method=METHOD,
        field=fld,
        status=status,
        complete=not (partial or timed_out),
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        algebraic_equilibria=tuple(algebraic) if fld.exact else (),
        notes=(f"{count} support profiles solved with sympy", *notes),
    )


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


def _check_candidate(payoffs: np.ndarray, probs: list[list[Any]], supports: tuple, deviation: list[list[Any]],
                     values: dict) -> bool | None:
    """Exact feasibility and best-response test of a solution: probabilities real and >= 0, and no action
    outside a support pays more than the support's first action.  ``None`` when a sign is undecidable."""
    for d in probs:
        for p in d:
            real = _is_real(sympy.sympify(p))
            if real is None:
                return None
            if not real:
                return False
            s = _sign(p)
            if s is None:
                return None
            if s < 0:
                return False
    for i, support in enumerate(supports):
        base = deviation[i][support[0]].subs(values)
        for a in range(len(probs[i])):
            if a in support:
                continue
            s = _sign(sympy.nsimplify(deviation[i][a].subs(values) - base))
            if s is None:
                return None
            if s > 0:
                return False
    return True


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
