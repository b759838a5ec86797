r"""Correlated (CE) and coarse correlated (CCE) equilibria of n-player normal-form games by linear programming.

Variables: one probability ``x_a`` per joint action ``a`` (C order of joint actions), ``x >= 0``, ``Σ x = 1``.
Constraints (Albrecht, Christianos & Schäfer 2024, Eqs. 4.20–4.24; Greenwald & Hall 2003, "Correlated-Q
learning", ICML), written as gains ``<= 0`` like :func:`jalverify.games.profiles.ce_gains`:

* CE: for every player ``i``, recommendation ``a'_i`` and deviation ``a''_i != a'_i``:
  :math:`Σ_{a: a_i = a'_i} x_a [R_i(a''_i, a_{-i}) - R_i(a)] <= 0`;
* CCE: for every player ``i`` and deviation ``a''_i``: :math:`Σ_a x_a [R_i(a''_i, a_{-i}) - R_i(a)] <= 0`.

Selection objectives (Greenwald & Hall 2003; theory.md §5), with ``U_i(x) = Σ_a x_a R_i(a)``:

* ``"utilitarian"`` (uCE): maximise ``Σ_i U_i``;
* ``"egalitarian"`` (eCE): maximise ``min_i U_i`` (an extra free variable ``t`` with ``t <= U_i``);
* ``"republican"`` (rCE): maximise ``max_i U_i``: one LP per player maximising ``U_i``; the **tie-break between
  agents** is the lowest player index among those whose optimum equals the largest;
* ``"libertarian"`` (lCE): each agent ``i`` uses its own maximiser of ``U_i``; the result holds one
  distribution per agent.  Agent ``i`` plays its own component of a joint action drawn from *its* distribution,
  so the joint play is generally **not** a correlated equilibrium (documented in the result's ``note``);
* ``None``: any feasible point (a CE / CCE, no objective).

**Which maximiser.**  Optimal CE are rarely unique; compare optimal *values*, not maximisers.  The maximiser
returned is chosen by a documented deterministic rule (``tie_break``):

* ``"basic"`` (default): the optimal basic solution of the LP obtained from HiGHS's optimal basis (re-solved
  and certified exactly in the exact field).  Deterministic for given input data and HiGHS version; cheap.
* ``"lexicographic"``: the lexicographically greatest optimal distribution, joint actions in C order
  (maximise ``x_{a^0}`` over the optimal face, fix it, then ``x_{a^1}``, ...; stops once the fixed mass is 1).
  Independent of the LP solver; costs up to ``|A|`` further LPs.

Certificates (exact field): every returned distribution is re-checked with the exact gains of
:mod:`jalverify.games.profiles` (max gain ``<= 0``), and each LP optimum carries its exact LP certificate.
"""

from __future__ import annotations

import itertools
import math
import operator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from jalverify.errors import CertificateError, GameTooLarge, InternalError, InvalidGame, InvalidProfile, SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, max_cce_gain, max_ce_gain
from jalverify.numbers import EXACT, Field, Number, field_named
from jalverify.solvers.display import (
    SUPPORT_COLOUR,
    brief_number,
    escape,
    game_label,
    json_number,
    latex_number,
    latex_text,
    number_text,
    one_line,
    require_game,
    result_html,
    status_html,
    table_html,
)
from jalverify.solvers.lp import LinearProgram, LPCertificate, LPResult, LPStatus, lp_solve
from jalverify.solvers.minimax import check_float_route, exact_lp_solve
from jalverify.verdicts import Status

__all__ = [
    "MAX_VERTEX_BASES",
    "OBJECTIVES",
    "TIE_BREAKS",
    "CorrelatedCertificate",
    "CorrelatedResult",
    "correlated_constraints",
    "correlated_polytope_vertices",
    "correlated_solve",
]

OBJECTIVES = ("utilitarian", "egalitarian", "republican", "libertarian", None)
TIE_BREAKS = ("basic", "lexicographic")

#: ``correlated_polytope_vertices`` refuses polytopes whose basis enumeration exceeds this many candidate sets.
MAX_VERTEX_BASES = 60_000

LIBERTARIAN_NOTE = ("libertarian: each agent maximises its own payoff over the CE set and plays its component of "
                    "a joint action drawn from its own distribution; the joint play is generally not a CE")


@dataclass(frozen=True)
class CorrelatedCertificate:
    """What was checked for a correlated solution.

    Attributes
    ----------
    max_gains : tuple
        Per returned distribution, the largest CE (or CCE) gain computed from the LP's gain rows (exact with
        flint, or float); ``<= 0`` exactly (exact field) or within tolerance (float field).  :meth:`verify`
        recomputes the gains independently with :func:`jalverify.games.profiles.ce_gains` /
        :func:`~jalverify.games.profiles.cce_gains`.
    lp_certificates : tuple of LPCertificate
        Exact LP optimality certificates of the objective LPs (empty in the float field).
    exact : bool
    """

    max_gains: tuple[Number, ...]
    lp_certificates: tuple[LPCertificate, ...]
    exact: bool
    coarse: bool

    def verify(self, game: NormalFormGame, distributions: tuple[CorrelatedProfile, ...]) -> bool:
        """Re-check the distributions' equilibrium constraints and the LP certificates exactly.

        Raises
        ------
        CertificateError
        """
        if not self.exact:
            raise CertificateError("CorrelatedCertificate.verify(): float results are not certificates")
        gain = max_cce_gain if self.coarse else max_ce_gain
        for k, d in enumerate(distributions):
            g = gain(game, d)
            if g > 0:
                kind = "CCE" if self.coarse else "CE"
                raise CertificateError(f"CorrelatedCertificate.verify(): distribution {k} has {kind} gain {g} > 0")
        for c in self.lp_certificates:
            c.verify()
        return True


@dataclass(frozen=True)
class CorrelatedResult:
    """Result of :func:`correlated_solve`.

    Attributes
    ----------
    distribution : CorrelatedProfile or None
        The selected equilibrium (``None`` for the libertarian objective).
    agent_distributions : tuple of CorrelatedProfile or None
        Libertarian only: agent ``i``'s own maximiser.
    objective : str or None
    objective_value : Number or tuple
        Optimal value of the objective (libertarian: per-agent optimal ``U_i``; ``None`` objective: 0).
    payoffs : tuple
        Expected payoff of each player under ``distribution`` (libertarian: agent ``i``'s ``U_i`` under its own
        distribution).
    selected_player : int or None
        Republican: the agent whose payoff is maximised (lowest index among ties).
    status : LPStatus
    field : Field
    certificate : CorrelatedCertificate or None
    method : str
    note : str
    """

    distribution: CorrelatedProfile | None
    agent_distributions: tuple[CorrelatedProfile, ...] | None
    objective: str | None
    objective_value: Any
    payoffs: tuple[Number, ...]
    selected_player: int | None
    status: LPStatus
    field: Field
    certificate: CorrelatedCertificate | None
    method: str
    coarse: bool = False
    note: str = ""
    game: NormalFormGame | None = field(default=None, compare=False, repr=False)

    # ---------------------------------------------------------------------------------------------------------
    # display (issue 13): repr, notebook HTML, JSON, LaTeX
    # ---------------------------------------------------------------------------------------------------------
    @property
    def concept(self) -> str:
        """``"cce"`` or ``"ce"`` (the CLI's ``--concept``)."""
        return "cce" if self.coarse else "ce"

    def _exact_certificate(self) -> bool:
        return self.certificate is not None and self.certificate.exact

    def __repr__(self) -> str:
        kind = "exact, certified" if self._exact_certificate() else f"{self.field.name}, within tolerance"
        value = self.objective_value
        shown = ("(" + ", ".join(brief_number(v) for v in value) + ")" if isinstance(value, tuple)
                 else brief_number(value))
        name = "CoarseCorrelatedEquilibrium" if self.coarse else "CorrelatedEquilibrium"
        return one_line(name, f"game={game_label(self.game)}", f"objective={self.objective}", f"value={shown}",
                        f"method={self.method}", kind)

    def to_dict(self, game: NormalFormGame | None = None) -> dict[str, Any]:
        """The result as JSON-ready data, as ``jalverify solve --concept ce|cce --format json`` prints it
        (``solve.schema.json``): the distribution over joint actions (non-zero entries, by action name), payoffs,
        objective value and certificate, exact numbers as ``"p/q"``.  ``game`` defaults to the recorded game."""
        g = require_game(game, self.game, "CorrelatedResult.to_dict()")
        if self.certificate is None:
            raise InternalError("CorrelatedResult.to_dict(): the result has no certificate; correlated_solve() "
                                "always gives one")

        def joint_distribution(profile: CorrelatedProfile) -> list[dict[str, Any]]:
            return [{"joint_action": {g.players[i]: g.actions[i][a] for i, a in enumerate(joint)},
                     "probability": json_number(profile.distribution[joint])}
                    for joint in g.joint_actions() if profile.distribution[joint] != 0]

        value = self.objective_value
        doc: dict[str, Any] = {
            "game": g.name,
            "concept": self.concept,
            "objective": self.objective,
            "field": self.field.name,
            "method": self.method,
            "status": self.status.value,
            "objective_value": ({g.players[i]: json_number(v) for i, v in enumerate(value)}
                                if isinstance(value, tuple) else json_number(value)),
            "payoffs": {g.players[i]: json_number(v) for i, v in enumerate(self.payoffs)},
            "max_gains": [json_number(x) for x in self.certificate.max_gains],
            "lp_certificates": len(self.certificate.lp_certificates),
        }
        if self.selected_player is not None:
            doc["selected_player"] = g.players[self.selected_player]
        if self.distribution is not None:
            doc["distribution"] = joint_distribution(self.distribution)
        if self.agent_distributions is not None:
            doc["agent_distributions"] = {g.players[i]: joint_distribution(d)
                                          for i, d in enumerate(self.agent_distributions)}
        if self.note:
            doc["note"] = self.note
        return doc

    def _distributions(self) -> list[tuple[str, CorrelatedProfile]]:
        if self.distribution is not None:
            return [("distribution", self.distribution)]
        g = self.distributions_game()
        return [(f"{g.players[i]}'s distribution", d) for i, d in enumerate(self.agent_distributions or ())]

    def distributions_game(self) -> NormalFormGame:
        """The game the distributions are over (the recorded game, else the distributions' own)."""
        if self.game is not None:
            return self.game
        profile = self.distribution if self.distribution is not None else (self.agent_distributions or (None,))[0]
        if profile is None:
            raise InternalError("CorrelatedResult: neither a game nor a distribution is recorded")
        return profile.game

    def _repr_html_(self) -> str:
        """The result in a notebook: the payoff table with the distribution's support highlighted (each cell's
        probability on hover), the joint distribution as a labelled table of exact probabilities, payoffs,
        objective value and the certificate's verdict words."""
        from jalverify.games.tables import CellMark, payoff_table_html

        g = self.distributions_game()
        parts = []
        named = self._distributions()
        if len(named) == 1:
            dist = named[0][1].distribution
            marks = {joint: CellMark(SUPPORT_COLOUR, f"probability {number_text(dist[joint])}")
                     for joint in g.joint_actions() if dist[joint] != 0}
            parts.append(payoff_table_html(g, marks=marks))
        else:
            parts.append(payoff_table_html(g))
        for title, profile in named:
            rows = [[g.actions[i][a] for i, a in enumerate(joint)] + [number_text(profile.distribution[joint])]
                    for joint in g.joint_actions() if profile.distribution[joint] != 0]
            parts.append(table_html(list(g.players) + ["probability"], rows, caption=title, row_headers=False))
        value = self.objective_value
        parts.append(table_html(["player", "expected payoff"],
                                [[p, number_text(v)] for p, v in zip(g.players, self.payoffs)]))
        kind = "CCE" if self.coarse else "CE"
        if self.certificate is not None:
            gains = ", ".join(number_text(x) for x in self.certificate.max_gains)
            if self.certificate.exact:
                parts.append(status_html(Status.PROVEN, f"largest {kind} gain {gains} ≤ 0 in exact arithmetic; "
                                         f"{len(self.certificate.lp_certificates)} exact LP optimality certificate(s)"))
            else:
                parts.append(status_html(Status.WITHIN_TOLERANCE, f"largest {kind} gain {gains} (float arithmetic, "
                                         "within tolerance)"))
        if self.note:
            parts.append(f"<div>note: {escape(self.note)}</div>")
        facts = {"objective": str(self.objective), "objective value": (
            ", ".join(f"{p} {number_text(v)}" for p, v in zip(g.players, value)) if isinstance(value, tuple)
            else number_text(value)), "method": self.method, "field": self.field.name}
        if self.selected_player is not None:
            facts["selected player"] = g.players[self.selected_player]
        title = g.name or "normal-form game"
        label = "Coarse correlated" if self.coarse else "Correlated"
        return result_html(self.concept, f"{label} equilibrium of {title}", parts, facts=facts)

    def to_latex(self, game: NormalFormGame | None = None) -> str:
        """The distribution(s) as booktabs tables: one row per joint action with positive probability (the
        players' actions, then the probability as ``\\tfrac``)."""
        g = require_game(game, self.game, "CorrelatedResult.to_latex()")
        out = []
        for title, profile in self._distributions():
            lines = []
            if title != "distribution":
                lines.append(f"\\textit{{{latex_text(title)}}}\\\\")
            lines += [f"\\begin{{tabular}}{{{'l' * g.n_players}c}}", "\\toprule",
                      " & ".join([latex_text(p) for p in g.players] + ["probability"]) + " \\\\", "\\midrule"]
            for joint in g.joint_actions():
                p = profile.distribution[joint]
                if p != 0:
                    lines.append(" & ".join([latex_text(g.actions[i][a]) for i, a in enumerate(joint)]
                                            + [f"${latex_number(p)}$"]) + " \\\\")
            lines += ["\\bottomrule", "\\end{tabular}"]
            out.append("\n".join(lines))
        return "\n\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------------------
# constraint matrix
# --------------------------------------------------------------------------------------------------------------
def integer_payoffs(game: NormalFormGame) -> tuple[np.ndarray, int]:
    """``(D · payoffs, D)`` with ``D`` the least common denominator of an exact game's payoffs.

    The array is ``int64`` when the entries are small, an ``object`` array of Python ints when they are large.
    When scaling would make the integers too large for a float solver (``D > 2**24`` or an entry beyond
    ``2**53``, e.g. stage games built from exact Q-values with long denominators), the payoffs are returned
    unscaled as Fractions with ``D = 1``.
    """
    pairs = [v.as_integer_ratio() for v in game.payoffs.reshape(-1).tolist()]
    dens = {d for _, d in pairs}
    D = math.lcm(*dens) if dens else 1
    if D > 2 ** 24:
        return game.payoffs, 1
    ints = [p for p, _ in pairs] if D == 1 else [p * (D // d) for p, d in pairs]
    top = max(max(ints), -min(ints)) if ints else 0
    if top >= 2 ** 53:
        return game.payoffs, 1
    return np.array(ints, dtype=object if top >= 2 ** 40 else np.int64).reshape(game.payoffs.shape), D


def correlated_constraints(game: NormalFormGame, *, coarse: bool = False,
                           field: Field | str | None = None) -> tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray]:
    """Gain rows ``G x <= 0`` of the CE (or CCE) polytope as triplets ``(shape, rows, cols, values)``.

    Columns are joint actions in C order.  CE rows come per player ``i``, recommendation ``a'_i`` and deviation
    ``a''_i != a'_i`` (in that nesting order); CCE rows per player ``i`` and deviation ``a''_i``.  In the exact
    field the payoffs are first multiplied by their least common denominator ``D > 0`` so the values are
    integers (the rows are homogeneous, so the polytope is unchanged); the values are an ``object`` array there.
    """
    fld = field_named(field) if field is not None else game.field
    shape, rows, cols, vals = _constraint_triplets(game, coarse, fld)
    return shape, rows, cols, np.asarray(vals, dtype=fld.dtype)


def _constraint_triplets(game: NormalFormGame, coarse: bool, fld: Field,
                         scaled: np.ndarray | None = None) -> tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray]:
    """:func:`correlated_constraints` with the values in their computed dtype (``int64`` for small integer
    payoffs in the exact field); ``scaled`` is ``integer_payoffs(game)[0]`` when the caller has it."""
    if fld.exact:
        if not game.field.exact:
            raise InvalidGame("correlated_constraints(): an exact LP needs an exact game")
        payoffs = scaled if scaled is not None else integer_payoffs(game)[0]
    elif game.field.exact:
        check_float_route(game.payoffs, "correlated_constraints(): payoffs")
        payoffs = np.asarray(game.payoffs, dtype=np.float64)
    else:
        payoffs = game.payoffs
    shape = game.n_actions
    N = game.n_joint_actions
    flat_index = np.arange(N).reshape(shape)
    rows_l, cols_l, vals_l = [], [], []
    row0 = 0
    for i, k in enumerate(shape):
        R = np.moveaxis(payoffs[i], i, 0).reshape(k, -1)  # [a_i, a_-i]
        idx = np.moveaxis(flat_index, i, 0).reshape(k, -1)
        rest = R.shape[1]
        if coarse:
            # row q: Σ_{p, r} x[idx[p, r]] (R[q, r] - R[p, r])
            diff = R[:, None, :] - R[None, :, :]  # [q, p, r]
            rows_l.append(np.repeat(row0 + np.arange(k, dtype=np.int64), k * rest))
            cols_l.append(np.tile(idx.reshape(-1), k))
            vals_l.append(diff.reshape(-1))
            row0 += k
        else:
            # row (p, q), q != p: Σ_r x[idx[p, r]] (R[q, r] - R[p, r])
            diff = R[None, :, :] - R[:, None, :]  # [p, q, r]
            p_idx, q_idx = np.nonzero(~np.eye(k, dtype=bool))
            n_rows = len(p_idx)
            rows_l.append(np.repeat(row0 + np.arange(n_rows, dtype=np.int64), rest))
            cols_l.append(idx[p_idx].reshape(-1))
            vals_l.append(diff[p_idx, q_idx].reshape(-1))
            row0 += n_rows
    if rows_l:
        rows = np.concatenate(rows_l)
        cols = np.concatenate(cols_l)
        vals = np.concatenate(vals_l)
    else:
        rows = cols = np.zeros(0, np.int64)
        vals = np.zeros(0, dtype=fld.dtype)
    keep = vals != 0
    return (row0, N), rows[keep], cols[keep], vals[keep]


def _payoff_rows(game: NormalFormGame, fld: Field) -> tuple[np.ndarray, int]:
    """Payoffs as rows ``(n, N)``: integers ``D · R`` with the scale ``D`` (exact; the ``integer_payoffs``
    array reshaped), or floats with ``D = 1``."""
    if fld.exact:
        Z, D = integer_payoffs(game)
        return Z.reshape(game.n_players, -1), D
    check_float_route(game.payoffs, "correlated_solve(): payoffs")
    return np.asarray(game.payoffs, dtype=np.float64).reshape(game.n_players, -1), 1


# --------------------------------------------------------------------------------------------------------------
# LP construction and solving
# --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Base:
    """Gain rows plus an objective over variables x (N) [+ t]."""

    shape: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    N: int
    extra_t: bool
    payoff_rows: np.ndarray  # (n, N)
    fld: Field


def _build_lp(base: _Base, c: np.ndarray, *, extra_ub: list[tuple[np.ndarray, Number]] = (),
              fixed: dict[int, Number] | None = None) -> LinearProgram:
    """The LP over ``x`` (and ``t``): gain rows, the egalitarian rows ``t - U_i(x) <= 0``, ``extra_ub`` rows,
    ``Σ x = 1`` and the ``fixed`` equalities.  In the exact field integer data stay ``int64`` arrays (the LP
    stores them as Python ints and keeps the int64 copy for its fast paths)."""
    fld = base.fld
    N = base.N
    n_var = N + (1 if base.extra_t else 0)
    m_gain = base.shape[0]
    rows = [base.rows]
    cols = [base.cols]
    vals = [base.vals]
    b_extra: list[Number] = []
    r = m_gain
    if base.extra_t:
        for i in range(base.payoff_rows.shape[0]):
            # t - U_i(x) <= 0
            nz = np.nonzero(base.payoff_rows[i] != 0)[0]
            rows.append(np.full(len(nz) + 1, r, dtype=np.int64))
            cols.append(np.concatenate([nz, [N]]).astype(np.int64))
            vals.append(np.concatenate([-base.payoff_rows[i][nz], np.ones(1, dtype=base.vals.dtype)]))
            b_extra.append(0)
            r += 1
    for coef, rhs in extra_ub:
        nz = np.nonzero(coef != 0)[0]
        rows.append(np.full(len(nz), r, dtype=np.int64))
        cols.append(nz.astype(np.int64))
        vals.append(np.asarray(coef[nz], dtype=fld.dtype))
        b_extra.append(rhs)
        r += 1
    b_ub = np.zeros(r, dtype=np.int64 if fld.exact else np.float64)
    if b_extra:
        if fld.exact and any(type(v) is not int for v in b_extra):
            b_ub = b_ub.astype(object)
        b_ub[m_gain:] = b_extra if fld.exact else [float(v) for v in b_extra]
    values = vals[0] if len(vals) == 1 else np.concatenate(vals)
    A_ub = ((r, n_var), np.concatenate(rows) if len(rows) > 1 else rows[0],
            np.concatenate(cols) if len(cols) > 1 else cols[0], values)
    eq_rows = np.zeros(N, dtype=np.int64)
    eq_cols = np.arange(N, dtype=np.int64)
    eq_vals = np.ones(N, dtype=np.int64 if fld.exact else np.float64)
    b_eq: list[Number] = [1]
    if fixed:
        items = sorted(fixed.items())
        eq_rows = np.concatenate([eq_rows, np.arange(1, len(items) + 1)])
        eq_cols = np.concatenate([eq_cols, [j for j, _ in items]])
        eq_vals = np.concatenate([eq_vals, np.ones(len(items), dtype=eq_vals.dtype)])
        b_eq += [value for _, value in items]
    A_eq = ((len(b_eq), n_var), eq_rows, eq_cols, eq_vals)
    if base.extra_t:
        lower: Any = [0] * N + [None]
    else:
        lower = 0
    b_eq_arr = np.array(b_eq, dtype=object if fld.exact else np.float64)
    return LinearProgram.build(c, A_ub, b_ub, A_eq, b_eq_arr, lower=lower, maximize=True, field=fld)


def _solve(lp: LinearProgram, fld: Field, where: str) -> LPResult:
    res = exact_lp_solve(lp) if fld.exact else lp_solve(lp, field=fld, want_basis=False)
    if res.status is not LPStatus.OPTIMAL:
        raise SolverError(f"{where}: the {'exact' if fld.exact else 'float'} LP was not solved: "
                          f"{res.status.value} ({res.method}: {res.message})")
    return res


def _maximise(base: _Base, c: np.ndarray, tie_break: str, where: str) -> tuple[np.ndarray, Number, list[LPResult]]:
    """Maximise ``c`` over the polytope; return (distribution over N joint actions, optimum, LP results)."""
    fld = base.fld
    res = _solve(_build_lp(base, c), fld, where)
    results = [res]
    opt = res.objective
    x = np.asarray(res.x[: base.N])
    if tie_break == "lexicographic":
        # exact: fix x_j by equalities; float: keep x_j >= value - tol so rounding cannot make the LP infeasible
        tol = 0 if fld.exact else 1e-9
        face: list[tuple[np.ndarray, Number]] = [(-np.asarray(c, dtype=fld.dtype), -opt + tol * max(1, abs(opt)))]
        fixed: dict[int, Number] = {}
        mass = fld.zero
        n_var = base.N + (1 if base.extra_t else 0)
        for j in range(base.N):
            if fld.exact and mass == 1 or (not fld.exact and mass >= 1 - 1e-9):
                break
            cj = fld.zeros(n_var)
            cj[j] = fld.one
            rj = _solve(_build_lp(base, cj, extra_ub=face, fixed=fixed if fld.exact else None), fld, where)
            results.append(rj)
            if fld.exact:
                fixed[j] = rj.objective
            else:
                face.append((-cj, -(rj.objective - tol)))
            mass = mass + rj.objective
        if fld.exact:
            for q in range(base.N):
                fixed.setdefault(q, fld.zero)
            x = np.array([fixed[q] for q in range(base.N)], dtype=object)
            if sum(x.tolist(), fld.zero) != 1:  # pragma: no cover - the face is non-empty
                raise SolverError(f"{where}: lexicographic tie-break lost probability mass")
        else:
            final = _solve(_build_lp(base, np.asarray(c), extra_ub=face), fld, where)
            results.append(final)
            x = np.asarray(final.x[: base.N])
    elif tie_break != "basic":
        raise InvalidGame(f"{where}: unknown tie_break {tie_break!r}; expected one of {TIE_BREAKS}")
    return x, opt, results


def _profile(game: NormalFormGame, x: np.ndarray, fld: Field) -> CorrelatedProfile:
    g = game if game.field == fld else game.to_field(fld)
    if fld.exact:
        # CorrelatedProfile checks entries >= 0 and sum exactly 1 (on integer numerators over one common
        # denominator when every entry is a Fraction); a certified optimum that fails it is our own failure
        try:
            return CorrelatedProfile(g, np.asarray(x, dtype=object).reshape(game.n_actions))
        except InvalidProfile as exc:
            raise CertificateError(f"correlated_solve(): the certified LP optimum is not a distribution "
                                   f"({exc})") from exc
    # float output: clip HiGHS's round-off below 0 and rescale to sum 1 (results hold within tolerance only)
    xf = np.clip(np.asarray(x, dtype=float), 0.0, None)
    xf = xf / xf.sum()
    return CorrelatedProfile(g, xf.reshape(game.n_actions), allow_float=True)


def correlated_solve(
    game: NormalFormGame,
    *,
    coarse: bool = False,
    objective: str | None = "utilitarian",
    field: Field | str = EXACT,
    tie_break: str = "basic",
) -> CorrelatedResult:
    """A correlated (``coarse=False``) or coarse correlated equilibrium selected by ``objective``.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.  The exact field needs an exact game.
    coarse : bool
        CCE instead of CE.
    objective : {"utilitarian", "egalitarian", "republican", "libertarian", None}
        See the module docstring.
    field : Field or name
        EXACT (default): exact rationals, every LP certified, gains re-checked exactly.  FLOAT: HiGHS.
    tie_break : {"basic", "lexicographic"}
        Which maximiser among optimal ones (module docstring).

    Returns
    -------
    CorrelatedResult

    Raises
    ------
    InvalidGame
        Unknown objective or tie-break, or an exact solve of a float game.
    SolverError
        The LP solver failed (the CE polytope is never empty: it contains every Nash equilibrium).
    """
    where = "correlated_solve()"
    fld = field_named(field)
    if objective not in OBJECTIVES:
        raise InvalidGame(f"{where}: unknown objective {objective!r}; expected one of {OBJECTIVES}")
    if tie_break not in TIE_BREAKS:
        raise InvalidGame(f"{where}: unknown tie_break {tie_break!r}; expected one of {TIE_BREAKS}")
    if fld.exact and not game.field.exact:
        raise InvalidGame(f"{where}: the game has float payoffs; an exact solve needs an exact game")
    P, D = _payoff_rows(game, fld)  # objective LPs are solved on D·R; optima are divided by D below
    shape, rows, cols, vals = _constraint_triplets(game, coarse, fld, P.reshape(game.payoffs.shape) if fld.exact
                                                   else None)
    n, N = game.n_players, game.n_joint_actions
    base = _Base(shape, rows, cols, vals, N, objective == "egalitarian", P, fld)
    lp_results: list[LPResult] = []
    selected: int | None = None
    agent_profiles: tuple[CorrelatedProfile, ...] | None = None
    note = ""
    if objective == "utilitarian":
        x, value, res = _maximise(base, P.sum(axis=0), tie_break, where)
        value = value / D
        lp_results += res
    elif objective == "egalitarian":
        c = fld.zeros(N + 1)
        c[N] = fld.one
        x, value, res = _maximise(base, c, tie_break, where)
        value = value / D
        lp_results += res
    elif objective is None:
        x, value, res = _maximise(base, fld.zeros(N), tie_break, where)
        lp_results += res
    elif objective == "republican":
        best: list[tuple[np.ndarray, Number, list[LPResult]]] = [_maximise(base, P[i], tie_break, where)
                                                                   for i in range(n)]
        top = max(b[1] for b in best)
        selected = next(i for i, b in enumerate(best) if fld.eq(b[1], top))
        x, value = best[selected][0], best[selected][1] / D
        for b in best:
            lp_results += b[2]
    else:  # libertarian
        outs = [_maximise(base, P[i], tie_break, where) for i in range(n)]
        agent_profiles = tuple(_profile(game, o[0], fld) for o in outs)
        for o in outs:
            lp_results += o[2]
        value = tuple(o[1] / D for o in outs)
        payoffs = value
        cert = _certificate(base, D, agent_profiles, lp_results, fld, coarse)
        method = _method(lp_results)
        return CorrelatedResult(None, agent_profiles, objective, value, payoffs, None, LPStatus.OPTIMAL, fld, cert,
                                method, coarse, LIBERTARIAN_NOTE, game=game)
    profile = _profile(game, x, fld)
    payoffs = _expected(P, x, D, fld)
    if objective is None:
        value = fld.zero
    cert = _certificate(base, D, (profile,), lp_results, fld, coarse)
    return CorrelatedResult(profile, agent_profiles, objective, value, payoffs, selected, LPStatus.OPTIMAL, fld,
                            cert, _method(lp_results), coarse, note, game=game)


def _expected(P: np.ndarray, x: np.ndarray, D: int, fld: Field) -> tuple[Number, ...]:
    """``U_i = Σ_a x_a R_i(a)`` for every player from the (integer-scaled) payoff rows."""
    if not fld.exact:
        return tuple(float(v) for v in np.asarray(P, dtype=float) @ np.asarray(x, dtype=float))
    xs = np.asarray(x).tolist()
    support = [a for a, p in enumerate(xs) if p]  # exact sums over the support of x only
    q = math.lcm(*(xs[a].denominator for a in support))
    weights = [xs[a].numerator * (q // xs[a].denominator) for a in support]  # x = weights / q on the support
    return tuple(Fraction(sum(map(operator.mul, row, weights)), q * D) for row in P[:, support].tolist())


def _method(results: list[LPResult]) -> str:
    methods = sorted({r.method for r in results})
    return "lp[" + ",".join(methods) + "]"


def _max_gain(base: _Base, x: np.ndarray, D: int) -> Number:
    """Largest gain ``max_r (G x)_r / D`` from the constraint triplets (exact with fmpq, or float)."""
    m = base.shape[0]
    if m == 0:
        return base.fld.zero
    if base.fld.exact:
        # x = P / q with q the common denominator of the support; (G x)_r = (G P)_r / q over the support columns
        xs = x.tolist()
        support = [a for a, v in enumerate(xs) if v]
        q = math.lcm(*(xs[a].denominator for a in support))
        P = np.zeros(len(xs), dtype=object)  # Python int 0 entries
        P[support] = [xs[a].numerator * (q // xs[a].denominator) for a in support]
        in_support = np.zeros(len(xs), dtype=bool)
        in_support[support] = True
        sel = in_support[base.cols]
        acc = np.zeros(m, dtype=object)
        np.add.at(acc, base.rows[sel], base.vals[sel].astype(object) * P[base.cols[sel]])
        top = max(acc.tolist())
        return Fraction(top, q * D) if type(top) is int else top / (q * D)
    acc = np.zeros(m)
    np.add.at(acc, base.rows, np.asarray(base.vals, dtype=float) * np.asarray(x, dtype=float)[base.cols])
    return float(acc.max())


def _certificate(base: _Base, D: int, profiles: tuple[CorrelatedProfile, ...], results: list[LPResult], fld: Field,
                 coarse: bool) -> CorrelatedCertificate:
    gains = []
    for prof in profiles:
        flat = prof.distribution.reshape(-1)
        g = _max_gain(base, flat, D)  # recomputed from the gain rows (exact: integers over the support)
        if fld.exact and g > 0:
            raise CertificateError(f"correlated_solve(): certified LP optimum has exact gain {g} > 0")
        gains.append(g)
    certs = tuple(r.certificate for r in results if r.certificate is not None)
    if fld.exact and len(certs) != len(results):
        raise CertificateError("correlated_solve(): an exact LP answer came without a certificate")
    return CorrelatedCertificate(tuple(gains), certs, fld.exact, coarse)


# --------------------------------------------------------------------------------------------------------------
# vertices of the CE / CCE polytope
# --------------------------------------------------------------------------------------------------------------
def correlated_polytope_vertices(game: NormalFormGame, *, coarse: bool = False,
                                 max_bases: int = MAX_VERTEX_BASES) -> tuple[CorrelatedProfile, ...]:
    """All vertices of the CE (or CCE) polytope ``{x >= 0, Σ x = 1, G x <= 0}``, exactly.

    A vertex is a feasible point at which ``N - 1`` linearly independent inequalities (among the ``N``
    constraints ``x_a >= 0`` and the ``m`` gain rows) hold with equality together with ``Σ x = 1``
    (basic feasible solutions, Schrijver 1986, §8.5).  Every candidate set of ``N - 1`` inequalities is solved
    exactly with flint; the search is complete whenever it runs.

    Returns
    -------
    tuple of CorrelatedProfile
        Distinct vertices, sorted lexicographically by their probabilities in C order of joint actions.

    Raises
    ------
    GameTooLarge
        When ``C(N + m, N - 1)`` exceeds ``max_bases`` (default :data:`MAX_VERTEX_BASES`).  2×2 CE: C(8, 3) = 56;
        2×3 CE: C(14, 5) = 2002; 2×2×2 CE: C(14, 7) = 3432; 3×3 CE: C(21, 8) = 203490 is refused.
    """
    if not game.field.exact:
        raise InvalidGame("correlated_polytope_vertices(): needs an exact game")
    (m, N), rows, cols, vals = correlated_constraints(game, coarse=coarse)
    n_sets = math.comb(N + m, N - 1)
    if n_sets > max_bases:
        raise GameTooLarge(f"correlated_polytope_vertices(): {N} joint actions and {m} gain rows give {n_sets} "
                           f"candidate bases, limit {max_bases}")
    G = [[flint.fmpq(0)] * N for _ in range(m)]
    for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist()):
        G[r][c] = flint.fmpq(v.numerator, v.denominator)
    Gm = flint.fmpq_mat(m, N, [v for row in G for v in row]) if m else None
    found: set[tuple[Fraction, ...]] = set()
    if N == 1:
        found.add((Fraction(1),))
    for subset in itertools.combinations(range(N + m), N - 1):
        M = flint.fmpq_mat(N, N)
        for r, cidx in enumerate(subset):
            if cidx < N:
                M[r, cidx] = 1
            else:
                row = G[cidx - N]
                for q in range(N):
                    if row[q] != 0:
                        M[r, q] = row[q]
        for q in range(N):
            M[N - 1, q] = 1
        try:
            sol = M.solve(flint.fmpq_mat(N, 1, [0] * (N - 1) + [1]))
        except ZeroDivisionError:
            continue
        xs = sol.entries()
        if any(v < 0 for v in xs):
            continue
        if Gm is not None and any(g > 0 for g in (Gm * sol).entries()):
            continue
        found.add(tuple(Fraction(int(v.p), int(v.q)) for v in xs))
    out = []
    for vert in sorted(found):
        prof = CorrelatedProfile(game, np.array(vert, dtype=object).reshape(game.n_actions))
        out.append(prof)
    return tuple(out)

