"""Adapters for pygambit (Gambit 16; McKelvey, McLennan & Turocy, https://www.gambit-project.org):
``enummixed_solve``, ``lcp_solve``, ``lp_solve`` (exact rational and float variants) and ``enumpure_solve``.

Capabilities, as the Gambit documentation states them (Command-line tools, gambit-enummixed / gambit-lcp /
gambit-lp / gambit-enumpure, https://gambit.sourceforge.net/gambit16/16.0.0/tools.html, and the pygambit
docstrings of ``pygambit.nash``):

* ``enummixed``: two-player games; "the set of Nash equilibria can be expressed as the union of convex sets;
  this program generates all the extreme points of those convex sets" (Mangasarian 1964).  ``finds_all=True``
  and degenerate games included.  ``rational=True`` computes in exact rationals.
* ``lcp``: two-player games, Lemke–Howson style complementary pivoting (Lemke & Howson 1964; Eaves 1971);
  "all accessible equilibria" from the starting labels, not all equilibria: ``finds_all=False``.
* ``lp``: two-player **constant-sum** games by linear programming; one equilibrium (a pair of optimal
  strategies), so it is checked as a minimax solver.
* ``enumpure``: all pure-strategy equilibria of any game, exact (payoff comparisons only).

Exact variants declare ``exact=True`` (tolerance 0): any non-zero exact regret refutes them.  Float variants
declare 1e-7 (our choice; Gambit states none for ``rational=False``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters._common import exact_matrices, require
from jalverify.adapters.protocols import Capabilities, Concept, MinimaxAnswer, TargetKind
from jalverify.errors import SolverError

__all__ = ["EnumMixedExact", "EnumMixedFloat", "LcpExact", "LcpFloat", "LpExact", "LpFloat", "EnumPure"]

SOURCE = "https://gambit.sourceforge.net/gambit16/16.0.0/tools.html"
FLOAT_TOLERANCE = 1e-7


def _gambit_game(game: Any, where: str) -> tuple[Any, Any]:
    gbt = require("pygambit", "gambit", where)
    arrays = exact_matrices(game)
    return gbt, gbt.Game.from_arrays(*arrays)


def _number(value: Any, exact: bool) -> Any:
    if exact:
        return Fraction(str(value))
    return float(value)


def _profiles(gbt_game: Any, equilibria: Any, exact: bool) -> list[list[list[Any]]]:
    out = []
    for eq in equilibria:
        out.append([[_number(p, exact) for _, p in eq[player]] for player in gbt_game.players])
    return out


class _Nash:
    method = ""
    rational = True

    def solve(self, game: Any) -> list[list[list[Any]]]:
        gbt, g = _gambit_game(game, f"pygambit.nash.{self.method}_solve")
        solver = getattr(gbt.nash, f"{self.method}_solve")
        result = solver(g) if self.method == "enumpure" else solver(g, rational=self.rational)
        return _profiles(g, result.equilibria, self.rational)


class EnumMixedExact(_Nash):
    """``pygambit.nash.enummixed_solve(game, rational=True)``: all extreme equilibria, exact."""

    method, rational = "enummixed", True
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=True,
                                degenerate_supported=True, tolerance=0.0, source=SOURCE)


class EnumMixedFloat(_Nash):
    """``pygambit.nash.enummixed_solve(game, rational=False)``: all extreme equilibria, floating point."""

    method, rational = "enummixed", False
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=True, tolerance=FLOAT_TOLERANCE, source=SOURCE)


class LcpExact(_Nash):
    """``pygambit.nash.lcp_solve(game, rational=True)``: equilibria reachable by complementary pivoting."""

    method, rational = "lcp", True
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False, exact=True,
                                degenerate_supported=True, tolerance=0.0, source=SOURCE,
                                notes=("finds the equilibria accessible by Lemke-Howson paths, not all",))


class LcpFloat(_Nash):
    """``pygambit.nash.lcp_solve(game, rational=False)``."""

    method, rational = "lcp", False
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False, exact=False,
                                degenerate_supported=True, tolerance=FLOAT_TOLERANCE, source=SOURCE,
                                notes=("finds the equilibria accessible by Lemke-Howson paths, not all",))


class EnumPure(_Nash):
    """``pygambit.nash.enumpure_solve(game)``: every pure equilibrium, any number of players."""

    method, rational = "enumpure", True
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.PURE_NASH, players="n", finds_all=True,
                                exact=True, degenerate_supported=True, tolerance=0.0, source=SOURCE)


class _Lp:
    rational = True

    def solve(self, game: Any) -> MinimaxAnswer:
        gbt, g = _gambit_game(game, "pygambit.nash.lp_solve")
        result = gbt.nash.lp_solve(g, rational=self.rational)
        if not result.equilibria:
            raise SolverError(f"pygambit.nash.lp_solve(rational={self.rational}) returned no equilibrium for a "
                              f"{len(exact_matrices(game)[0])}-row zero-sum game")
        x, y = _profiles(g, result.equilibria[:1], self.rational)[0]
        A = np.asarray(exact_matrices(game)[0], dtype=object)
        if self.rational:
            value = sum((x[i] * A[i, j] * y[j] for i in range(len(x)) for j in range(len(y))), Fraction(0))
        else:
            value = float(np.asarray(x, dtype=float) @ A.astype(float) @ np.asarray(y, dtype=float))
        return MinimaxAnswer(value, x, y)


class LpExact(_Lp):
    """``pygambit.nash.lp_solve(game, rational=True)`` on a zero-sum game; value = ``xᵀAy`` of the result."""

    rational = True
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=True, tolerance=0.0, source=SOURCE)


class LpFloat(_Lp):
    """``pygambit.nash.lp_solve(game, rational=False)``."""

    rational = False
    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=FLOAT_TOLERANCE, source=SOURCE)
