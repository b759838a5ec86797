r"""Support enumeration for bimatrix games, exact (python-flint rationals) or float (numpy).

Two modes:

``supports="equal"`` (the classical method; Dickhaut & Kaplan 1991; Porter, Nudelman & Shoham 2008;
Nisan et al., *Algorithmic Game Theory* 2007, §3.3; von Stengel 2002, Handbook of Game Theory vol. 3,
ch. 45, §2.7)
    For every pair of supports ``I ⊆ M``, ``J ⊆ N`` with ``|I| = |J|``, solve the indifference systems
    :math:`\sum_{i∈I} x_i B_{ij} = v\ (j∈J),\ \sum_{i∈I} x_i = 1` and
    :math:`\sum_{j∈J} A_{ij} y_j = u\ (i∈I),\ \sum_{j∈J} y_j = 1`; keep unique, non-negative solutions
    whose supports are best responses to each other.  This finds every equilibrium of a **nondegenerate**
    game (where all equilibria have equal-size supports and are isolated).  On a degenerate game it can miss
    equilibria, so the result is then marked ``status=PARTIAL``, ``complete=False`` (checked exactly with
    :func:`.degeneracy.is_degenerate`; in the float field the exact test runs on the exact binary values).

``supports="all"`` (every game, small sizes)
    Lists, for each player separately, every mixed strategy that is the unique solution of a square
    indifference system ``(support I, tight best responses K)`` with ``|I| = |K|``: these are exactly the
    vertices of the normalised best-response polyhedron (a vertex of ``{x ∈ Δ, B^\top x ≤ v}`` with support
    ``I`` and best-response set ``K`` has a square non-singular subsystem by the exchange lemma), and it then
    pairs strategies ``x, y`` with ``supp(x) ⊆ BR(y)`` and ``supp(y) ⊆ BR(x)``.  This yields every extreme
    equilibrium of every game, degenerate or not (Avis et al. 2010, §2), using only linear solves, which makes
    it an independent cross-check of :mod:`.vertex_enumeration`.  Cost: about
    :math:`\binom{m+n}{m}` solves per player.

Every returned profile passes the regret check of :func:`.result.certify_profiles`.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from jalverify.errors import GameTooLarge, InvalidGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import Field, field_named
from jalverify.solvers.nash._bimatrix import require_two_players, target_game
from jalverify.solvers.nash.result import NashResult, NashStatus, certify_profiles

__all__ = ["support_enumeration_solve", "MAX_SQUARE_SYSTEMS"]

METHOD = "support_enumeration"

#: Refuse ``supports="all"`` when a player would need more square systems than this.
MAX_SQUARE_SYSTEMS = 200_000


def _subsets(n: int, size: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(range(n), size))


class _ExactSide:
    """Indifference systems for one player's strategy over her own actions against the opponent's payoff
    matrix ``opp`` (``opp[own action, opponent action]``), in exact rationals."""

    def __init__(self, opp: np.ndarray) -> None:
        self.exact = [[Fraction(v) for v in row] for row in opp.tolist()]
        self.opp = [[flint.fmpq(v.numerator, v.denominator) for v in row] for row in self.exact]
        self.k_own = len(self.opp)
        self.k_opp = len(self.opp[0])

    def solve(self, own: tuple[int, ...], tight: tuple[int, ...]) -> list[Fraction] | None:
        """The unique ``x`` with support within ``own``, sum 1 and ``tight`` columns equal, if it is
        non-negative; ``None`` if the system is singular or the solution has a negative entry."""
        k = len(own)
        entries: list[Any] = []
        for j in tight:
            entries.extend(self.opp[i][j] for i in own)
            entries.append(-1)
        entries.extend([1] * k)
        entries.append(0)
        mat = flint.fmpq_mat(k + 1, k + 1, entries)
        rhs = flint.fmpq_mat(k + 1, 1, [0] * k + [1])
        try:
            sol = mat.solve(rhs)
        except ZeroDivisionError:  # python-flint's signal for a singular matrix
            return None
        x = [Fraction(0)] * self.k_own
        for pos, i in enumerate(own):
            value = sol[pos, 0]
            if value < 0:
                return None
            x[i] = Fraction(int(value.p), int(value.q))
        return x

    def opponent_payoffs(self, x: list[Fraction]) -> list[Fraction]:
        used = [i for i in range(self.k_own) if x[i]]
        return [sum((x[i] * self.exact[i][j] for i in used), Fraction(0)) for j in range(self.k_opp)]


class _FloatSide:
    """The same systems in float64 with tolerance ``atol``."""

    def __init__(self, opp: np.ndarray, atol: float) -> None:
        self.opp = np.asarray(opp, dtype=np.float64)
        self.k_own, self.k_opp = self.opp.shape
        self.atol = atol

    def solve(self, own: tuple[int, ...], tight: tuple[int, ...]) -> np.ndarray | None:
        k = len(own)
        mat = np.zeros((k + 1, k + 1))
        mat[:k, :k] = self.opp[np.ix_(own, tight)].T
        mat[:k, k] = -1.0
        mat[k, :k] = 1.0
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        if np.linalg.matrix_rank(mat) < k + 1:
            return None
        sol = np.linalg.solve(mat, rhs)
        if np.any(sol[:k] < -self.atol):
            return None
        x = np.zeros(self.k_own)
        x[list(own)] = np.clip(sol[:k], 0.0, None)
        total = x.sum()
        return x / total

    def opponent_payoffs(self, x: np.ndarray) -> np.ndarray:
        return x @ self.opp


def _best_responses(values: Any, field: Field) -> frozenset[int]:
    vals = list(values)
    best = max(vals)
    return frozenset(j for j, v in enumerate(vals) if field.le(best, v))


def _support(x: Any, field: Field) -> frozenset[int]:
    return frozenset(i for i, p in enumerate(x) if field.lt(field.zero, p))


def _key(x: Any, field: Field) -> tuple:
    if field.exact:
        return tuple(x)
    return tuple(np.round(np.asarray(x, dtype=np.float64) / max(field.atol, 1e-15)).astype(np.int64).tolist())


def support_enumeration_solve(game: NormalFormGame, *, supports: str = "equal",
                              field: Field | str | None = None) -> NashResult:
    """Nash equilibria of a two-player game by support enumeration.

    Parameters
    ----------
    game : NormalFormGame
        Two players.
    supports : {"equal", "all"}
        ``"equal"``: equal-size support pairs (complete only for nondegenerate games; on a degenerate game
        the result is ``PARTIAL`` with ``complete=False``).  ``"all"``: all (support, best-response set)
        systems per player, complete on every game (every extreme equilibrium), for small games.
    field : Field or {"exact", "float"}, optional
        Default: the game's field.  Exact answers need exact payoffs.

    Returns
    -------
    NashResult

    Raises
    ------
    UnsupportedGame
        Not two players.
    GameTooLarge
        ``supports="all"`` above :data:`MAX_SQUARE_SYSTEMS` square systems per player.
    InvalidGame
        Unknown ``supports`` mode.
    """
    where = "support_enumeration_solve()"
    require_two_players(game, where)
    if supports not in ("equal", "all"):
        raise InvalidGame(f"{where}: supports must be 'equal' or 'all', got {supports!r}")
    fld = field_named(field) if field is not None else game.field
    out_game = target_game(game, fld, where)
    m, n = game.n_actions
    payoffs = out_game.payoffs
    A, B = payoffs[0], payoffs[1]
    if fld.exact:
        row_side: Any = _ExactSide(B)
        col_side: Any = _ExactSide(A.T)
    else:
        row_side = _FloatSide(B, fld.atol)
        col_side = _FloatSide(A.T, fld.atol)
    notes: list[str] = []
    pairs: list[tuple[Any, Any]] = []
    if supports == "equal":
        x_cache: dict[tuple, Any] = {}
        y_cache: dict[tuple, Any] = {}
        seen: set[tuple] = set()
        for k in range(1, min(m, n) + 1):
            for I in _subsets(m, k):
                for J in _subsets(n, k):
                    if (I, J) not in x_cache:
                        x_cache[(I, J)] = row_side.solve(I, J)
                    x = x_cache[(I, J)]
                    if x is None:
                        continue
                    if (J, I) not in y_cache:
                        y_cache[(J, I)] = col_side.solve(J, I)
                    y = y_cache[(J, I)]
                    if y is None:
                        continue
                    if not _support(x, fld) <= _best_responses(col_side.opponent_payoffs(y), fld):
                        continue
                    if not _support(y, fld) <= _best_responses(row_side.opponent_payoffs(x), fld):
                        continue
                    key = (_key(x, fld), _key(y, fld))
                    if key not in seen:
                        seen.add(key)
                        pairs.append((x, y))
        from jalverify.solvers.nash.degeneracy import degeneracy_witness

        witness = degeneracy_witness(game)
        degenerate = witness is not None
        if degenerate:
            notes.append(
                f"the game is degenerate (player {witness.player}'s strategy {[str(p) for p in witness.strategy]} "
                f"with support size {len(witness.support)} has {len(witness.best_responses)} pure best responses); "
                "equal-size support enumeration may miss equilibria: use supports='all' or vertex enumeration"
            )
        complete = not degenerate
    else:
        systems = sum(len(_subsets(m, k)) * len(_subsets(n, k)) for k in range(1, min(m, n) + 1))
        if systems > MAX_SQUARE_SYSTEMS:
            raise GameTooLarge(
                f"{where}: supports='all' on a {m}×{n} game needs {systems} square systems per player "
                f"(limit {MAX_SQUARE_SYSTEMS}); use vertex_enumeration_solve()"
            )
        xs = _side_vertices(row_side, m, n, fld)
        ys = _side_vertices(col_side, n, m, fld)
        for x, x_support, x_br in xs:
            for y, y_support, y_br in ys:
                if x_support <= y_br and y_support <= x_br:
                    pairs.append((x, y))
        complete = True
    profiles = [MixedProfile(out_game, [x, y], allow_float=not fld.exact) for x, y in pairs]
    equilibria, certificates = certify_profiles(out_game, profiles, method="support_enumeration_solve", field=fld)
    return NashResult(
        equilibria=equilibria,
        game=game,
        method=METHOD,
        field=fld,
        status=NashStatus.COMPLETE if complete else NashStatus.PARTIAL,
        complete=complete,
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        notes=tuple(notes),
    )


def _side_vertices(side: Any, k_own: int, k_opp: int, fld: Field) -> list[tuple[Any, frozenset[int], frozenset[int]]]:
    """Distinct vertices of one player's normalised best-response polyhedron, with support and the set of
    opponent best responses (the payoff-maximising opponent actions)."""
    out = []
    seen: set[tuple] = set()
    for k in range(1, min(k_own, k_opp) + 1):
        for own in _subsets(k_own, k):
            for tight in _subsets(k_opp, k):
                x = side.solve(own, tight)
                if x is None:
                    continue
                br = _best_responses(side.opponent_payoffs(x), fld)
                if not set(tight) <= br:
                    continue
                key = _key(x, fld)
                if key in seen:
                    continue
                seen.add(key)
                out.append((x, _support(x, fld), br))
    return out

