"""Nash-equilibrium solvers, exact and float, with regret certificates.

Two players: :func:`vertex_enumeration_solve` (all extreme equilibria, degenerate games included, with
components), :func:`support_enumeration_solve`, :func:`lemke_howson_solve`, :func:`is_degenerate`.
n players: :func:`pure_nash_solve`, :func:`support_enumeration_n_solve`, :func:`epsilon_nash_check`.
:func:`nash_solve` dispatches by method name.
"""

from __future__ import annotations

from typing import Any

from jalverify.errors import UnknownName
from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import Field
from jalverify.solvers.nash.components import equilibrium_components, maximal_bicliques
from jalverify.solvers.nash.degeneracy import DegeneracyWitness, degeneracy_witness, is_degenerate
from jalverify.solvers.nash.epsilon import epsilon_nash_check
from jalverify.solvers.nash.lemke_howson import lemke_howson_solve
from jalverify.solvers.nash.pure import pure_nash_joint_actions, pure_nash_solve
from jalverify.solvers.nash.result import (
    AlgebraicEquilibrium,
    EquilibriumComponent,
    NashResult,
    NashStatus,
    NashSubset,
)
from jalverify.solvers.nash.support_enumeration import support_enumeration_solve
from jalverify.solvers.nash.support_enumeration_n import count_support_profiles, support_enumeration_n_solve
from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve

__all__ = [
    "NashResult",
    "NashStatus",
    "NashSubset",
    "EquilibriumComponent",
    "AlgebraicEquilibrium",
    "DegeneracyWitness",
    "METHODS",
    "nash_solve",
    "vertex_enumeration_solve",
    "support_enumeration_solve",
    "lemke_howson_solve",
    "pure_nash_solve",
    "pure_nash_joint_actions",
    "support_enumeration_n_solve",
    "count_support_profiles",
    "epsilon_nash_check",
    "is_degenerate",
    "degeneracy_witness",
    "equilibrium_components",
    "maximal_bicliques",
]

#: Method names accepted by :func:`nash_solve`.
METHODS = ("auto", "vertex_enumeration", "support_enumeration", "lemke_howson", "pure", "support_enumeration_n")


def nash_solve(game: NormalFormGame, *, method: str = "auto", field: Field | str | None = None,
               **options: Any) -> NashResult:
    """Nash equilibria of ``game`` by the named method.

    Parameters
    ----------
    game : NormalFormGame
    method : str
        ``"auto"``: vertex enumeration for two players (all extreme equilibria, exact, with components),
        n-player support enumeration otherwise (small games; raises GameTooLarge above its limit).
        Or one of ``"vertex_enumeration"``, ``"support_enumeration"`` (option ``supports="equal"|"all"``),
        ``"lemke_howson"`` (option ``labels=``), ``"pure"``, ``"support_enumeration_n"`` (option
        ``max_support_profiles=``).
    field : Field or {"exact", "float"}, optional
        Field of the answer; default the game's field (exact for exact games).
    **options
        Passed to the method.

    Raises
    ------
    UnknownName
        Unknown method.
    """
    if method not in METHODS:
        raise UnknownName(f"nash_solve(): unknown method {method!r}; methods are {list(METHODS)}")
    if method == "auto":
        method = "vertex_enumeration" if game.n_players == 2 else "support_enumeration_n"
    if method == "vertex_enumeration":
        return vertex_enumeration_solve(game, field=field, **options)
    if method == "support_enumeration":
        return support_enumeration_solve(game, field=field, **options)
    if method == "lemke_howson":
        return lemke_howson_solve(game, field=field, **options)
    if method == "pure":
        return pure_nash_solve(game, field=field, **options)
    return support_enumeration_n_solve(game, field=field if field is not None else game.field, **options)
