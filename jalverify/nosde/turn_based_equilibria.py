r"""All stationary equilibria of a small turn-based stochastic game, exactly, by support enumeration.

In a turn-based game at most one player (the *mover* :math:`m(s)`) has more than one action in each state
``s``.  A stationary policy is then one distribution :math:`x_s` over :math:`A_{m(s)}(s)` per state.  For every
**support profile** :math:`B = (B_s)_s`, :math:`∅ ≠ B_s ⊆ A_{m(s)}(s)`, a stationary equilibrium with exactly
these supports solves the polynomial system (one-shot deviation principle, Zinkevich, Greenwald & Littman 2005,
NIPS 18, §2; Albrecht, Christianos & Schäfer 2024, p.126; theory.md §6)

.. math::

    Σ_{a ∈ B_s} x_{s,a} = 1, \qquad
    V_i(s) = Σ_{a ∈ B_s} x_{s,a}\, Q_i(s, a) \;\; ∀ i, s, \qquad
    Q_{m(s)}(s, a) = V_{m(s)}(s) \;\; ∀ a ∈ B_s,

with :math:`Q_i(s,a) = r_i(s,a) + γ Σ_{s'} T(s' \mid s,a) V_i(s')` (bilinear in ``x`` and ``V``), together with
the inequalities :math:`x_{s,a} > 0` on :math:`B_s` and :math:`Q_{m(s)}(s, b) ≤ V_{m(s)}(s)` off it.  The
equalities are solved exactly with sympy (rational coefficients; Gröbner-basis elimination for the
zero-dimensional case) after eliminating the values by the adjugate formula (see
:func:`_solve_support_profile`), and every rational real solution with positive probabilities is handed to
:func:`~jalverify.nosde.equilibrium_check.check_stationary_equilibrium`, which decides the inequalities
exactly; only verified candidates are reported.  A support profile whose solution set is a continuum, has
irrational points, or that sympy cannot solve is reported as an :class:`OpenCase`, and then uniqueness is
NOT_ESTABLISHED rather than claimed.  Pure support profiles are checked directly (no system to solve).

Size limits: the enumeration visits :math:`\prod_s (2^{|A_{m(s)}(s)|} - 1)` support profiles and refuses more
than ``max_support_profiles`` (default :data:`DEFAULT_MAX_SUPPORT_PROFILES`) with
:class:`~jalverify.errors.GameTooLarge`.  Within the limit, and when no open case is reported, the list of
equilibria is complete.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from jalverify.errors import GameTooLarge, UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.nosde.detection import factor_text, size_text
from jalverify.nosde.equilibrium_check import StationaryEquilibriumCheck, check_stationary_equilibrium
from jalverify.numbers import format_number
from jalverify.verdicts import Status, Verdict

__all__ = [
    "DEFAULT_MAX_SUPPORT_PROFILES",
    "OpenCase",
    "TurnBasedEquilibria",
    "turn_based_stationary_equilibria",
    "count_support_profiles",
    "policy_supports",
]

#: Largest number of support profiles enumerated unless the caller raises the limit.
DEFAULT_MAX_SUPPORT_PROFILES = 1024

UNIQUENESS_ID = "nosde.unique_stationary_equilibrium"


@dataclass(frozen=True)
class OpenCase:
    """A support profile whose solutions were not reduced to verified rational points.

    Attributes
    ----------
    supports : tuple of tuple of int
        ``supports[s]``: the mover's action indices in state ``s`` (``(0,)`` where nobody moves).
    kind : str
        ``"continuum"`` (free parameters remain), ``"irrational"`` (a real algebraic solution), or
        ``"solver"`` (sympy could not solve the system).
    detail : str
        The solution (sympy text) or the solver's message.
    """

    supports: tuple[tuple[int, ...], ...]
    kind: str
    detail: str


@dataclass(frozen=True)
class TurnBasedEquilibria:
    """Result of :func:`turn_based_stationary_equilibria`.

    Attributes
    ----------
    game : StochasticGame
    equilibria : tuple of StationaryPolicy
        Every verified stationary equilibrium found (exact), deterministic ones first.
    checks : tuple of StationaryEquilibriumCheck
        The exact certificate of each equilibrium (all one-shot gains ≤ 0).
    open_cases : tuple of OpenCase
        Support profiles left undecided; empty means the list of equilibria is complete.
    n_support_profiles : int
        Number of support profiles enumerated.
    uniqueness : Verdict
        ``nosde.unique_stationary_equilibrium``: CONFIRMED (exactly one and complete), REFUTED (two exact
        equilibria found, or none at all when complete) or NOT_ESTABLISHED (one found, open cases left).
    """

    game: StochasticGame
    equilibria: tuple[StationaryPolicy, ...]
    checks: tuple[StationaryEquilibriumCheck, ...]
    open_cases: tuple[OpenCase, ...]
    n_support_profiles: int
    uniqueness: Verdict

    @property
    def complete(self) -> bool:
        return not self.open_cases

    @property
    def unique(self) -> bool:
        """Exactly one stationary equilibrium, proven (complete enumeration)."""
        return self.uniqueness.status is Status.PROVEN


def _movers(game: StochasticGame, where: str) -> list[int | None]:
    if not game.is_turn_based():
        bad = next(s for s in range(game.n_states) if len(game.movers(s)) > 1)
        raise UnsupportedGame(
            f"{where}: the game is not turn-based: in state {game.states[bad]!r} players "
            f"{[game.players[i] for i in game.movers(bad)]} all have several actions; support enumeration here "
            f"needs at most one mover per state"
        )
    return [game.movers(s)[0] if game.movers(s) else None for s in range(game.n_states)]


def count_support_profiles(game: StochasticGame) -> int:
    """:math:`\\prod_s (2^{k_s} - 1)` with :math:`k_s` the mover's action count (1 where nobody moves)."""
    total = 1
    for s in range(game.n_states):
        k = max(game.n_actions(s))
        total *= 2 ** k - 1
    return total


def policy_supports(policy: StationaryPolicy) -> tuple[tuple[int, ...], ...]:
    """For each state, the mover's actions played with positive probability (``(0,)`` where nobody moves)."""
    game = policy.game
    out = []
    for s in range(game.n_states):
        movers = game.movers(s)
        d = policy.distributions[s][movers[0]] if movers else policy.distributions[s][0]
        out.append(tuple(a for a, p in enumerate(d.tolist()) if game.field.lt(game.field.zero, p)))
    return tuple(out)


def _joint(game: StochasticGame, s: int, mover: int | None, a: int) -> tuple[int, ...]:
    idx = [0] * game.n_players
    if mover is not None:
        idx[mover] = a
    return tuple(idx)


def _policy_from_mover_dists(game: StochasticGame, movers: list[int | None], dists: list[list[Fraction]]) -> StationaryPolicy:
    rows = []
    for s in range(game.n_states):
        row: list[Any] = []
        for i in range(game.n_players):
            if movers[s] == i:
                row.append(dists[s])
            else:
                row.append([Fraction(1)])
        rows.append(row)
    return StationaryPolicy(game, rows)


def _to_sympy(x: Any) -> sympy.Rational:
    f = x if isinstance(x, Fraction) else Fraction(x)
    return sympy.Rational(f.numerator, f.denominator)


def _solve_support_profile(game: StochasticGame, movers: list[int | None], supports: tuple[tuple[int, ...], ...],
                           r: list[np.ndarray]) -> tuple[list[list[list[Fraction]]], list[OpenCase]]:
    r"""Solve the equalities of one support profile; return rational candidate distributions and open cases.

    Per player ``m``: wherever ``m`` mixes it is indifferent, so :math:`V_m(s) = Q_m(s, a_0)` for the reference
    action :math:`a_0` (the last of :math:`B_s`); hence :math:`V_m = A_m^{-1} r_m` where :math:`A_m = I - γ M_m`
    uses :math:`a_0` at ``m``'s states and the others' mixed actions elsewhere.  ``V_m`` depends only on the
    *other* players' probabilities :math:`x_{-m}`.  With :math:`V_m = \operatorname{adj}(A_m) r_m / \det A_m`
    (:math:`\det A_m > 0` on the simplex since γ < 1), each remaining indifference
    :math:`Q_m(s, a) = V_m(s)`, :math:`a ∈ B_s \setminus \{a_0\}`, becomes a polynomial equation in
    :math:`x_{-m}` after multiplying by :math:`\det A_m`.  The equations are split into groups that share no
    unknown (for two players: each player's equations constrain the other's probabilities only) and each group
    is solved exactly with sympy; the candidates are the products of the groups' solutions.
    """
    n, S = game.n_players, game.n_states
    gamma = _to_sympy(game.gamma)
    x: list[dict[int, Any]] = []
    unknowns: list[sympy.Symbol] = []
    for s in range(S):
        if len(supports[s]) == 1:
            x.append({supports[s][0]: sympy.Integer(1)})
            continue
        syms = {a: sympy.Symbol(f"x_{s}_{a}") for a in supports[s][:-1]}
        unknowns.extend(syms.values())
        syms[supports[s][-1]] = 1 - sum(syms.values())
        x.append(syms)
    k = [max(game.n_actions(s)) for s in range(S)]
    trans = [[[_to_sympy(p) for p in game.transitions[s][_joint(game, s, movers[s], a)].tolist()] for a in range(k[s])]
             for s in range(S)]
    reward = [[[_to_sympy(r[s][(i,) + _joint(game, s, movers[s], a)]) for i in range(n)] for a in range(k[s])]
              for s in range(S)]
    eqs: list[Any] = []
    for m in sorted({movers[s] for s in range(S) if len(supports[s]) > 1}):
        A = sympy.eye(S)
        rhs = sympy.zeros(S, 1)
        for s in range(S):
            weights = {supports[s][-1]: sympy.Integer(1)} if movers[s] == m else x[s]
            for a, p in weights.items():
                for t in range(S):
                    if trans[s][a][t] != 0:
                        A[s, t] -= gamma * p * trans[s][a][t]
                rhs[s, 0] += p * reward[s][a][m]
        det = sympy.expand(A.det(method="berkowitz"))
        scaled = (A.adjugate(method="berkowitz") * rhs).applyfunc(sympy.expand)  # det · V_m
        for s in range(S):
            if movers[s] != m or len(supports[s]) < 2:
                continue
            for a in supports[s][:-1]:
                q = det * reward[s][a][m] + gamma * sum(
                    (trans[s][a][t] * scaled[t, 0] for t in range(S) if trans[s][a][t] != 0), sympy.Integer(0))
                eqs.append(sympy.expand(q - scaled[s, 0]))
    eqs = [e for e in eqs if e != 0]
    if any(not e.free_symbols for e in eqs):
        return [], []  # a non-zero constant: some mover cannot be indifferent on its support here
    free = [u for u in unknowns if not any(u in e.free_symbols for e in eqs)]
    if free:
        return [], [OpenCase(supports, "continuum", f"no condition constrains {', '.join(map(str, free))}")]
    # groups of equations sharing unknowns (union-find over the unknowns)
    parent = {u: u for u in unknowns}

    def root(u: Any) -> Any:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for e in eqs:
        syms = sorted(e.free_symbols, key=str)
        for u in syms[1:]:
            parent[root(u)] = root(syms[0])
    groups: dict[Any, tuple[list[Any], list[Any]]] = {}
    for u in unknowns:
        groups.setdefault(root(u), ([], []))[1].append(u)
    for e in eqs:
        groups[root(next(iter(e.free_symbols)))][0].append(e)
    partial: list[list[dict[Any, Any]]] = []
    for group_eqs, group_unknowns in groups.values():
        try:
            solutions = sympy.solve(group_eqs, group_unknowns, dict=True)
        except (NotImplementedError, ValueError) as exc:  # sympy's own "cannot solve" signals
            return [], [OpenCase(supports, "solver", f"sympy.solve failed on {group_eqs}: {exc}")]
        partial.append([{u: sympy.sympify(sol.get(u, u)) for u in group_unknowns} for sol in solutions])
    candidates: list[list[list[Fraction]]] = []
    open_cases: list[OpenCase] = []
    for combo in itertools.product(*partial):
        values: dict[Any, Any] = {}
        for part in combo:
            values.update(part)
        if any(v.free_symbols for v in values.values()):
            open_cases.append(OpenCase(supports, "continuum", str(values)))
            continue
        probs = [{a: sympy.sympify(p).subs(values) for a, p in x[s].items()} for s in range(S)]
        flat = [p for d in probs for p in d.values()]
        if any(p.is_real is False for p in flat):
            continue  # a complex solution is not a policy
        if all(p.is_Rational for p in flat):
            if any(p <= 0 for p in flat):
                continue  # outside the support (found again with a smaller support if it is an equilibrium)
            dists = []
            for s in range(S):
                d = [Fraction(0)] * k[s]
                for a, p in probs[s].items():
                    d[a] = Fraction(int(p.p), int(p.q))
                dists.append(d)
            candidates.append(dists)
            continue
        # algebraic irrational (or undecided) point: drop it only when a probability is provably <= 0
        if any(p.is_positive is False for p in flat):
            continue
        approx = ", ".join(f"{key}: {complex(v.evalf(12)).real:.6g}" for key, v in values.items())
        open_cases.append(OpenCase(supports, "irrational", f"{values} (approximately {approx})"))
    return candidates, open_cases


def turn_based_stationary_equilibria(game: StochasticGame, *,
                                     max_support_profiles: int = DEFAULT_MAX_SUPPORT_PROFILES) -> TurnBasedEquilibria:
    """Every stationary equilibrium of a small turn-based game, exactly, with a uniqueness verdict.

    Parameters
    ----------
    game : StochasticGame
        Turn-based (at most one player with several actions per state), exact field, any number of players,
        general-sum.
    max_support_profiles : int
        Refuse games with more support profiles than this.

    Returns
    -------
    TurnBasedEquilibria

    Raises
    ------
    UnsupportedGame
        The game is not turn-based or not in the exact field.
    GameTooLarge
        More than ``max_support_profiles`` support profiles; the message gives the count.
    """
    where = "turn_based_stationary_equilibria()"
    if not game.field.exact:
        raise UnsupportedGame(f"{where}: needs an exact game (field 'exact'), got field {game.field.name!r}; "
                              "convert with game.to_field('exact', allow_float=True)")
    movers = _movers(game, where)
    total = count_support_profiles(game)
    if total > max_support_profiles:
        raise GameTooLarge(
            f"{where}: game {game.name or '(unnamed)'!r} has {size_text(total)} support profiles "
            f"({factor_text(2 ** max(game.n_actions(s)) - 1 for s in range(game.n_states))}: per state 2^k - 1 with k "
            f"the mover's action count), above the limit max_support_profiles={max_support_profiles}"
            + (f"; pass max_support_profiles={total} to enumerate them anyway" if total < 10 ** 6 else
               "; exhaustive support enumeration is out of reach for this game")
        )
    r = [game.expected_rewards(s) for s in range(game.n_states)]
    per_state = []
    for s in range(game.n_states):
        k = max(game.n_actions(s))
        subsets = [c for size in range(1, k + 1) for c in itertools.combinations(range(k), size)]
        per_state.append(subsets)
    found: list[StationaryPolicy] = []
    checks: list[StationaryEquilibriumCheck] = []
    open_cases: list[OpenCase] = []
    profiles = sorted(itertools.product(*per_state), key=lambda p: (sum(len(b) for b in p), p))
    for supports in profiles:
        if all(len(b) == 1 for b in supports):
            dists = []
            for s, b in enumerate(supports):
                d = [Fraction(0)] * max(game.n_actions(s))
                d[b[0]] = Fraction(1)
                dists.append(d)
            candidates = [dists]
        else:
            candidates, opened = _solve_support_profile(game, movers, supports, r)
            open_cases.extend(opened)
        for dists in candidates:
            policy = _policy_from_mover_dists(game, movers, dists)
            check = check_stationary_equilibrium(game, policy)
            if check.is_equilibrium and not any(policy == other for other in found):
                found.append(policy)
                checks.append(check)
    label = f"game {game.name!r}" if game.name else "the game"
    if len(found) >= 2:
        verdict = Verdict(UNIQUENESS_ID, Status.REFUTED,
                          f"{label} has at least {len(found)} stationary equilibria, e.g. {_policy_text(found[0])} and "
                          f"{_policy_text(found[1])}",
                          {"equilibria": [_policy_text(p) for p in found], "complete": not open_cases})
    elif open_cases:
        verdict = Verdict(UNIQUENESS_ID, Status.NOT_ESTABLISHED,
                          f"{label}: {len(found)} exact stationary equilibria found, but {len(open_cases)} support "
                          f"profiles were not decided ({open_cases[0].kind}: {open_cases[0].detail})",
                          {"n_found": len(found), "open_cases": [c.kind for c in open_cases]})
    elif len(found) == 1:
        verdict = Verdict(UNIQUENESS_ID, Status.PROVEN,
                          f"{label} has exactly one stationary equilibrium (complete enumeration of {total} support "
                          f"profiles)", {"equilibrium": _policy_text(found[0])})
    else:
        verdict = Verdict(UNIQUENESS_ID, Status.REFUTED,
                          f"{label}: no stationary equilibrium found by the complete enumeration (contradicts Fink "
                          f"1964; please report)", {"n_found": 0})
    return TurnBasedEquilibria(game, tuple(found), tuple(checks), tuple(open_cases), total, verdict)


def _policy_text(policy: StationaryPolicy) -> dict[str, Any]:
    game = policy.game
    out: dict[str, Any] = {}
    for s in range(game.n_states):
        movers = game.movers(s)
        i = movers[0] if movers else 0
        d = policy.distributions[s][i]
        out[game.states[s]] = {game.actions[s][i][a]: format_number(p) for a, p in enumerate(d.tolist())}
    return out
