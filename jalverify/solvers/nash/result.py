r"""Results of the Nash-equilibrium solvers, and the regret check every returned profile passes.

A :class:`NashResult` names the method, the field, an explicit :class:`NashStatus`, whether the method
guarantees completeness (all extreme equilibria found), the equilibria, and one certificate per equilibrium:
its maximal regret :math:`\max_i \max_{a_i} U_i(a_i, σ_{-i}) - U_i(σ)` (Albrecht, Christianos & Schäfer 2024,
§4.4; Gambit's ``max_regret``), exactly ``0`` in the exact field and at most ``tolerance`` in the
float field.  A profile that fails this check is never returned: :func:`certify_profiles` raises
:class:`~jalverify.errors.SolverError` naming the method, the profile and its regret.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret
from jalverify.numbers import Field, Number
from jalverify.solvers.display import (
    MARK_COLOUR,
    escape,
    game_label,
    json_number,
    number_text,
    one_line,
    plural,
    profiles_table_html,
    profiles_table_latex,
    pure_joint,
    require_game,
    result_html,
    status_html,
)
from jalverify.verdicts import Status

__all__ = [
    "AlgebraicEquilibrium",
    "BimatrixRegret",
    "EquilibriumComponent",
    "NashResult",
    "NashStatus",
    "NashSubset",
    "integer_rows",
    "certify_profiles",
    "profile_key",
]


class NashStatus(enum.Enum):
    """How a Nash solver run ended.

    * ``COMPLETE``: the method ran to the end; with ``complete=True`` every extreme equilibrium is listed.
    * ``PARTIAL``: the method ran to the end but does not (or, on this game, cannot) guarantee that every
      extreme equilibrium was found (Lemke–Howson; equal-size support enumeration on a degenerate game; an
      n-player support system with a continuum of solutions).
    * ``IRRATIONAL``: the method ran to the end and found every equilibrium, but some are irrational; those
      are listed as exact algebraic numbers in ``NashResult.algebraic_equilibria``, not in ``equilibria``.
    * ``FAILED``: the method could not produce an answer (``equilibria`` may be empty).
    * ``TIME_LIMIT``: the method was stopped by its time limit; what was found so far is listed.
    """

    COMPLETE = "complete"
    PARTIAL = "partial"
    IRRATIONAL = "irrational"
    FAILED = "failed"
    TIME_LIMIT = "time_limit"


@dataclass(frozen=True)
class NashSubset:
    r"""A maximal Nash subset of a bimatrix game: the product :math:`\mathrm{conv}(X) \times \mathrm{conv}(Y)`
    of the convex hulls of extreme row strategies ``X`` and extreme column strategies ``Y`` such that every
    pair in ``X × Y`` is an equilibrium (a maximal biclique; Avis, Rosenberg, Savani & von Stengel 2010, §2;
    Millham 1974).  Every point of the product is a Nash equilibrium.

    Attributes
    ----------
    row_strategies, column_strategies : tuple of numpy arrays
        The extreme points ``X`` and ``Y``.
    row_indices, column_indices : tuple of int
        Their indices in :attr:`EquilibriumComponent` numbering (distinct extreme row / column strategies of
        the result, see :attr:`NashResult.components`).
    """

    row_strategies: tuple[np.ndarray, ...]
    column_strategies: tuple[np.ndarray, ...]
    row_indices: tuple[int, ...]
    column_indices: tuple[int, ...]

    @property
    def is_single_point(self) -> bool:
        return len(self.row_strategies) == 1 and len(self.column_strategies) == 1


@dataclass(frozen=True)
class EquilibriumComponent:
    """A connected component of the Nash equilibrium set of a bimatrix game: the union of the maximal Nash
    subsets that share extreme strategies (Avis et al. 2010, §2; Jansen 1981).

    Attributes
    ----------
    nash_subsets : tuple of NashSubset
    equilibrium_indices : tuple of int
        Indices into :attr:`NashResult.equilibria` of the extreme equilibria in this component.
    """

    nash_subsets: tuple[NashSubset, ...]
    equilibrium_indices: tuple[int, ...]

    @property
    def is_isolated(self) -> bool:
        """Whether the component is a single point (an isolated equilibrium)."""
        return len(self.nash_subsets) == 1 and self.nash_subsets[0].is_single_point


@dataclass(frozen=True)
class AlgebraicEquilibrium:
    """An irrational equilibrium, given exactly: one tuple of sympy algebraic numbers per player.

    Attributes
    ----------
    distributions : tuple of tuple of sympy.Expr
        ``distributions[i][a]`` is the exact probability (e.g. ``CRootOf`` or a radical expression).
    supports : tuple of tuple of int
    approximate : tuple of tuple of float
        Floats read off each exact value's rational isolating interval (refined to 2^-64), for display only.
    """

    distributions: tuple[tuple[Any, ...], ...]
    supports: tuple[tuple[int, ...], ...]
    approximate: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class NashResult:
    """Equilibria found by one Nash method on one game.

    Attributes
    ----------
    equilibria : tuple of MixedProfile
        Each passed the regret check: exact regret ``0`` (exact field) or regret ``<= tolerance`` (float).
    method : str
        ``"vertex_enumeration"``, ``"support_enumeration"``, ``"lemke_howson"``, ``"pure"``,
        ``"support_enumeration_n"``.
    field : Field
        The field the equilibria live in.
    status : NashStatus
    complete : bool
        Whether the method guarantees that every extreme equilibrium (every equilibrium, when they are
        isolated) of the game is in ``equilibria`` (with ``algebraic_equilibria`` for status IRRATIONAL).
    certificates : tuple of Number
        ``max_regret`` of each equilibrium, in order: exactly ``Fraction(0)`` in the exact field.
    tolerance : float
        ``0.0`` in the exact field; the float field's absolute tolerance otherwise.
    components : tuple of EquilibriumComponent or None
        For two-player complete enumerations: the connected components of the equilibrium set, each a union
        of maximal Nash subsets.  ``None`` when not computed.
    algebraic_equilibria : tuple of AlgebraicEquilibrium
        Irrational equilibria (n-player support enumeration only).
    notes : tuple of str
        Human-readable remarks (why a run is PARTIAL, which supports gave a continuum, ...).
    """

    equilibria: tuple[MixedProfile, ...]
    method: str
    field: Field
    status: NashStatus
    complete: bool
    certificates: tuple[Number, ...]
    tolerance: float = 0.0
    components: tuple[EquilibriumComponent, ...] | None = None
    algebraic_equilibria: tuple[AlgebraicEquilibrium, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    game: NormalFormGame | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.equilibria)

    # ---------------------------------------------------------------------------------------------------------
    # display (issue 13): repr, notebook HTML, JSON, LaTeX
    # ---------------------------------------------------------------------------------------------------------
    @property
    def concept(self) -> str:
        """``"pure-nash"`` for the pure-equilibrium search, ``"nash"`` otherwise (the CLI's ``--concept``)."""
        return "pure-nash" if self.method == "pure" else "nash"

    def _certificate_status(self) -> Status:
        if self.status is NashStatus.FAILED:
            return Status.ERROR
        return Status.PROVEN if self.field.exact else Status.WITHIN_TOLERANCE

    def _claim(self) -> str:
        """What the list claims about the equilibrium set (the words of ``jalverify solve``)."""
        if self.method == "pure":
            return "all pure equilibria listed; mixed ones not searched"
        if self.status is NashStatus.TIME_LIMIT:
            return "stopped by the time limit: the equilibria found so far are listed, the full list is not established"
        if self.status is NashStatus.FAILED:
            return "the method failed"
        if self.complete:
            return "all extreme equilibria listed"
        return "not guaranteed to list all equilibria"

    def __repr__(self) -> str:
        game = self.game
        kind = "exact" if self.field.exact else f"float, tolerance {self.tolerance:g}"
        certified = "certified" if self.status is not NashStatus.FAILED else "failed"
        more = [plural(len(self.algebraic_equilibria), "irrational equilibrium", "irrational equilibria")
                if self.algebraic_equilibria else ""]
        return one_line("NashEquilibria", f"game={game_label(game)}", f"method={self.method}",
                        plural(len(self.equilibria), "equilibrium", "equilibria"), *more, kind,
                        f"status={self.status.value}", certified)

    def to_dict(self, game: NormalFormGame | None = None) -> dict[str, Any]:
        """The result as JSON-ready data, as ``jalverify solve --concept nash|pure-nash --format json`` prints it
        (schema ``solve.schema.json``): exact numbers as ``"p/q"`` strings, strategies keyed by player and action
        names.  ``game`` defaults to the game the solver recorded."""
        g = require_game(game, self.game, "NashResult.to_dict()")

        def dist(player: int, d: Any) -> dict[str, Any]:
            return {g.actions[player][a]: json_number(p) for a, p in enumerate(d)}

        doc: dict[str, Any] = {
            "game": g.name,
            "concept": self.concept,
            "method": self.method,
            "field": self.field.name,
            "status": self.status.value,
            "complete": self.complete,
            "tolerance": self.tolerance,
            "equilibria": [
                {"strategies": {g.players[i]: dist(i, d) for i, d in enumerate(eq.distributions)},
                 "max_regret": json_number(cert)}
                for eq, cert in zip(self.equilibria, self.certificates)
            ],
            "notes": list(self.notes),
        }
        if self.algebraic_equilibria:
            doc["irrational_equilibria"] = [
                {"strategies": {g.players[i]: {g.actions[i][a]: str(p) for a, p in enumerate(d)}
                                for i, d in enumerate(alg.distributions)},
                 "approximately": {g.players[i]: list(d) for i, d in enumerate(alg.approximate)}}
                for alg in self.algebraic_equilibria
            ]
        if self.components is not None:
            doc["components"] = [
                {"isolated": comp.is_isolated,
                 "equilibria": list(comp.equilibrium_indices),
                 "nash_subsets": [{g.players[0]: [dist(0, x) for x in subset.row_strategies],
                                   g.players[1]: [dist(1, y) for y in subset.column_strategies]}
                                  for subset in comp.nash_subsets]}
                for comp in self.components
            ]
        return doc

    def _rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [(f"[{k}]", eq.distributions) for k, eq in enumerate(self.equilibria)]

    def _repr_html_(self) -> str:
        """The result in a notebook: the payoff table with every pure equilibrium's cell highlighted, the
        equilibria as a labelled table of exact probabilities with their maximal regret, the certificate's
        verdict words, the components of the equilibrium set and the notes."""
        from jalverify.games.tables import CellMark, payoff_table_html

        g = self.game
        parts = []
        if g is not None:
            marks = {}
            for k, eq in enumerate(self.equilibria):
                joint = pure_joint(eq.distributions)
                if joint is not None:
                    marks[joint] = CellMark(MARK_COLOUR, f"pure Nash equilibrium [{k}]")
            parts.append(payoff_table_html(g, marks=marks))
            players, actions = list(g.players), [list(a) for a in g.actions]
        else:
            n = len(self.equilibria[0].distributions) if self.equilibria else 0
            players = [f"player {i}" for i in range(n)]
            actions = [[str(a) for a in range(len(d))] for d in (self.equilibria[0].distributions if n else ())]
        if self.equilibria:
            parts.append(profiles_table_html(players, actions, self._rows(),
                                             caption=plural(len(self.equilibria), "equilibrium", "equilibria"),
                                             extra_columns=["max regret"],
                                             extras=[[number_text(c)] for c in self.certificates]))
        else:
            parts.append("<div>no equilibrium found</div>")
        for k, alg in enumerate(self.algebraic_equilibria):
            parts.append(profiles_table_html(players, actions, [(f"irrational [{k}]", alg.distributions)],
                                             caption="irrational equilibrium (exact algebraic numbers)"))
        if self.field.exact:
            detail = "every equilibrium listed has maximal regret exactly 0 (checked in exact arithmetic)"
        else:
            detail = f"every equilibrium listed has maximal regret at most {self.tolerance:g} (float arithmetic)"
        if self.status is NashStatus.FAILED:
            detail = "the method failed; nothing is claimed"
        parts.append(status_html(self._certificate_status(), detail))
        if self.components is not None:
            items = []
            for c, comp in enumerate(self.components):
                if comp.is_isolated:
                    items.append(f"<li>component {c}: isolated equilibrium {list(comp.equilibrium_indices)}</li>")
                else:
                    hulls = "; ".join(
                        " × ".join("conv{" + ", ".join("(" + ", ".join(number_text(p) for p in list(x)) + ")"
                                                        for x in points) + "}"
                                   for points in (subset.row_strategies, subset.column_strategies))
                        for subset in comp.nash_subsets)
                    items.append(f"<li>component {c}: continuum of equilibria, extreme equilibria "
                                 f"{list(comp.equilibrium_indices)}; maximal Nash subsets {escape(hulls)}</li>")
            parts.append(f"<div>{plural(len(self.components), 'connected component')} of the equilibrium set:"
                         f"<ul>{''.join(items)}</ul></div>")
        parts += [f"<div>note: {escape(note)}</div>" for note in self.notes]
        title = g.name if g is not None and g.name else "normal-form game"
        return result_html("nash", f"Nash equilibria of {title}", parts, facts={
            "method": self.method, "field": self.field.name, "status": f"{self.status.value} ({self._claim()})"})

    def to_latex(self, game: NormalFormGame | None = None) -> str:
        """The equilibria as a booktabs table (``\\usepackage{booktabs}``): a column group per player over its
        actions, one row per equilibrium, exact probabilities as ``\\tfrac``."""
        g = require_game(game, self.game, "NashResult.to_latex()")
        return profiles_table_latex(list(g.players), [list(a) for a in g.actions], self._rows())

    @property
    def max_certificate(self) -> Number | None:
        """The largest regret among the returned equilibria (``None`` when there are none)."""
        return max(self.certificates) if self.certificates else None


def profile_key(profile: MixedProfile) -> tuple[tuple[Any, ...], ...]:
    """A hashable key identifying a profile by its probabilities (exact values in the exact field)."""
    return tuple(tuple(d.tolist()) for d in profile.distributions)


def certify_profiles(game: NormalFormGame, profiles: Iterable[MixedProfile], *, method: str,
                     field: Field) -> tuple[tuple[MixedProfile, ...], tuple[Number, ...]]:
    """Check every profile's maximal regret and return ``(profiles, regrets)``.

    Exact field: the regret must be exactly ``0`` (two players: :class:`BimatrixRegret`, in integers).  Float
    field: it must be ``<= field.atol``.

    Raises
    ------
    SolverError
        A profile failed the check: this is a bug in ``method`` (the message names the profile and regret).
    """
    out: list[MixedProfile] = []
    certs: list[Number] = []
    fast = BimatrixRegret.of_game(game) if field.exact and game.n_players == 2 else None
    for profile in profiles:
        regret = fast.max_regret(profile) if fast is not None else max_regret(game, profile)
        if field.exact:
            ok = regret == 0
        else:
            ok = bool(regret <= field.atol)
        if not ok:
            bound = "exactly 0" if field.exact else f"<= {field.atol!r}"
            raise SolverError(
                f"{method}(): internal error, candidate {profile!r} has max regret {regret} (must be {bound}); "
                "it was not returned"
            )
        out.append(profile)
        certs.append(Fraction(regret) if field.exact else float(regret))
    return tuple(out), tuple(certs)


#: :class:`BimatrixRegret` takes a matrix-vector product in int64 (numpy) when it is certainly below this
#: magnitude (``2**63``, one more than the largest int64), else in Python integers.
_INT64_BOUND = 2**63


def integer_rows(matrix: np.ndarray) -> tuple[list[list[int]], int]:
    """``(L * matrix, L)`` as lists of int for a matrix of exact rationals, ``L`` the lcm of the denominators."""
    values = matrix.reshape(-1).tolist()
    if not set(map(type, values)) <= {int, Fraction}:
        values = [Fraction(v) for v in values]
    pairs = [v.as_integer_ratio() for v in values]
    scale = math.lcm(*(d for _, d in pairs))
    ints = [p for p, _ in pairs] if scale == 1 else [p * (scale // d) for p, d in pairs]
    cols = matrix.shape[1]
    return [ints[r * cols:(r + 1) * cols] for r in range(matrix.shape[0])], scale


def _int64_matrix(rows: list[list[int]]) -> tuple[np.ndarray | None, int]:
    """``(rows as int64, max |entry|)``; ``(None, 0)`` when an entry does not fit int64 (those matrices take the
    Python-integer products; the answer is the same)."""
    try:
        matrix = np.array(rows, dtype=np.int64)
    except OverflowError:  # an entry beyond int64
        return None, 0
    return matrix, max(int(matrix.max()), -int(matrix.min()))


class BimatrixRegret:
    r"""Exact maximal regret of two-player profiles in integer arithmetic: the one exact regret check of the
    bimatrix solvers (:func:`certify_profiles`, Lemke–Howson).  Same value as
    :func:`jalverify.games.profiles.max_regret` (Albrecht, Christianos & Schäfer 2024, §4.4), without Fraction
    arithmetic.

    With payoffs ``A = A_int / l_A``, ``B = B_int / l_B`` and a profile ``x = X / d_x``, ``y = Y / d_y``
    (``X, Y`` non-negative integers, ``d_x = ΣX``, ``d_y = ΣY``), the regret of row ``i`` is
    :math:`((A_{int} Y)_i d_x - X^\top A_{int} Y) / (d_x d_y l_A)` and that of column ``j`` is
    :math:`((B_{int}^\top X)_j d_y - X^\top B_{int} Y) / (d_x d_y l_B)`.  The products ``A_int Y`` and
    ``B_int^T X`` are taken in int64 when ``max(max|A_int|, 1) d_y`` (resp. ``max(max|B_int|, 1) d_x``) is
    below :data:`_INT64_BOUND`, which bounds every entry of the vectors and every partial sum; otherwise, and
    for every later product, in Python integers.

    Parameters
    ----------
    A, B : list of list of int
        The integer payoff matrices ``A_int``, ``B_int`` (``m × n``).
    la, lb : int
        Their positive scales ``l_A``, ``l_B``.
    """

    __slots__ = ("A", "A64", "B", "B64", "amax", "bmax", "la", "lb")

    def __init__(self, A: list[list[int]], la: int, B: list[list[int]], lb: int) -> None:
        self.A, self.la, self.B, self.lb = A, la, B, lb
        self.A64, self.amax = _int64_matrix(A)
        self.B64, self.bmax = _int64_matrix(B)

    @classmethod
    def of_game(cls, game: NormalFormGame) -> BimatrixRegret:
        """The check for a two-player game with exact payoffs."""
        A, la = integer_rows(game.payoffs[0])
        B, lb = integer_rows(game.payoffs[1])
        return cls(A, la, B, lb)

    def of_integers(self, X: list[int], Y: list[int]) -> Fraction:
        """Maximal regret of ``(X / ΣX, Y / ΣY)`` for non-negative integer vectors with positive sums."""
        dx, dy = sum(X), sum(Y)
        if self.A64 is not None and max(self.amax, 1) * dy < _INT64_BOUND:
            Ay = (self.A64 @ np.array(Y, dtype=np.int64)).tolist()
        else:
            ys = [(j, v) for j, v in enumerate(Y) if v]
            Ay = [sum(row[j] * v for j, v in ys) for row in self.A]
        if self.B64 is not None and max(self.bmax, 1) * dx < _INT64_BOUND:
            xB = (np.array(X, dtype=np.int64) @ self.B64).tolist()
        else:
            xB = [0] * len(Y)
            for row, v in zip(self.B, X):
                if v:
                    xB = [b + c * v for b, c in zip(xB, row)]
        value_a = sum(a * v for a, v in zip(Ay, X) if v)
        value_b = sum(b * v for b, v in zip(xB, Y) if v)
        row = Fraction(max(Ay) * dx - value_a, dx * dy * self.la)
        col = Fraction(max(xB) * dy - value_b, dx * dy * self.lb)
        return max(row, col)

    @staticmethod
    def _integers(dist: np.ndarray) -> list[int]:
        """``L * dist`` as integers, ``L`` the lcm of the denominators (its sum is ``L`` for a distribution)."""
        values = dist.tolist()
        if not all(type(v) is Fraction for v in values):
            values = [Fraction(v) for v in values]
        d = math.lcm(*(v.denominator for v in values))
        return [v.numerator * (d // v.denominator) for v in values]

    def max_regret(self, profile: MixedProfile) -> Fraction:
        """Maximal regret of an exact two-player profile."""
        return self.of_integers(self._integers(profile.distributions[0]), self._integers(profile.distributions[1]))


