"""Hypothesis strategies for normal-form games.

Every factory draws the **shape first** (players, then actions per player), then small integer payoffs in one
list draw, and only then maps the integers into the requested field (``Fraction`` or ``float``).  Drawing
``Fraction`` objects directly is an order of magnitude slower and shrinks badly.  As a consequence a failing
example shrinks toward few players, few actions (1×1, then 2×2, …) and payoffs near 0.  Special classes
(zero-sum, common-payoff, symmetric, degenerate) are built **by construction**, never by filtering, so they
shrink as well as plain games do.  Only :func:`nondegenerate_games` filters, and only on a condition that random
integers from a wide range almost always meet.

Design after Hypothesis' own ``integers()`` / ``arrays()`` factories (plural nouns, ``@composite``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from jalverify.errors import InvalidGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import EXACT, Field, field_named
from jalverify.strategies._common import draw_value, DEFAULT_PAYOFFS, draw_integer_array, payoff_strategy

__all__ = [
    "normal_form_games",
    "bimatrix_games",
    "zero_sum_games",
    "common_payoff_games",
    "symmetric_games",
    "degenerate_games",
    "nondegenerate_games",
    "is_nondegenerate_bimatrix",
    "DEFAULT_ACTIONS",
]

#: Default number of actions per player: 1 to 3, shrinking toward 1.
DEFAULT_ACTIONS: SearchStrategy[int] = st.integers(1, 3)


def _draw_counts(draw: Any, n: int, actions: Any) -> tuple[int, ...]:
    """Action counts for ``n`` players: ``actions`` is an int, a sequence of ints, or a strategy of either."""
    if isinstance(actions, SearchStrategy):
        return tuple(int(draw(actions)) for _ in range(n))
    if isinstance(actions, int):
        return (actions,) * n
    counts_t = tuple(int(a) for a in actions)
    if len(counts_t) != n:
        raise InvalidGame(f"normal_form_games(): actions={actions!r} gives {len(counts_t)} action counts for {n} players")
    return counts_t


def _build(payoffs: np.ndarray, field: Field) -> NormalFormGame:
    if field.exact and payoffs.dtype != object:
        return NormalFormGame(payoffs, field=field)
    return NormalFormGame(payoffs, field=field, allow_float=True)


@st.composite
def normal_form_games(draw: Any, players: Any = 2, actions: Any = DEFAULT_ACTIONS, payoffs: Any = DEFAULT_PAYOFFS,
                      field: Any = EXACT) -> NormalFormGame:
    """Normal-form games with independently drawn payoffs.

    Parameters
    ----------
    players : int or strategy of int
        Number of players (default 2).
    actions : int, sequence of int, or strategy of int
        Actions per player; a strategy is drawn once per player (default 1–3).
    payoffs : strategy, or (low, high) pair of ints
        Entries (default integers in [-9, 9]).  Any value the field can read is accepted.
    field : Field, "exact", "float", or a strategy of those
        Default exact.

    Shrinking: fewer players, then fewer actions per player, then each payoff toward 0.
    """
    n = int(draw_value(draw, players))
    counts = _draw_counts(draw, n, actions)
    fld = field_named(draw_value(draw, field))
    values = draw_integer_array(draw, payoff_strategy(payoffs), (n, *counts))
    return _build(values, fld)


def bimatrix_games(actions: Any = DEFAULT_ACTIONS, payoffs: Any = DEFAULT_PAYOFFS,
                   field: Any = EXACT) -> SearchStrategy[NormalFormGame]:
    """Two-player games ``(A, B)``; shrinks like :func:`normal_form_games` toward 1×1 and small entries."""
    return normal_form_games(players=2, actions=actions, payoffs=payoffs, field=field)


@st.composite
def zero_sum_games(draw: Any, actions: Any = DEFAULT_ACTIONS, payoffs: Any = DEFAULT_PAYOFFS,
                   field: Any = EXACT) -> NormalFormGame:
    """Two-player zero-sum games ``(A, -A)``, built by construction (only ``A`` is drawn).

    Shrinking: fewer rows and columns, then entries of ``A`` toward 0.
    """
    counts = _draw_counts(draw, 2, actions)
    fld = field_named(draw_value(draw, field))
    A = draw_integer_array(draw, payoff_strategy(payoffs), counts)
    return _build(np.stack([A, -A]), fld)


@st.composite
def common_payoff_games(draw: Any, players: Any = 2, actions: Any = DEFAULT_ACTIONS,
                        payoffs: Any = DEFAULT_PAYOFFS, field: Any = EXACT) -> NormalFormGame:
    """Games in which every player receives the same payoff (team games), built by drawing one array.

    Shrinking: as :func:`normal_form_games`, with one shared payoff array.
    """
    n = int(draw_value(draw, players))
    counts = _draw_counts(draw, n, actions)
    fld = field_named(draw_value(draw, field))
    R = draw_integer_array(draw, payoff_strategy(payoffs), counts)
    return _build(np.stack([R] * n), fld)


@st.composite
def symmetric_games(draw: Any, players: Any = 2, actions: Any = DEFAULT_ACTIONS, payoffs: Any = DEFAULT_PAYOFFS,
                    field: Any = EXACT) -> NormalFormGame:
    """Symmetric games: every player has the same actions and ``R_i(a)`` depends only on ``a_i`` and the
    multiset of the others' actions (for two players ``B = Aᵀ``).  Built by construction: one payoff per
    (own action, sorted tuple of the others' actions).

    Shrinking: fewer players and actions, then the drawn payoff table toward 0.
    """
    n = int(draw_value(draw, players))
    k = int(draw_value(draw, actions))
    fld = field_named(draw_value(draw, field))
    keys = [(own, others) for own in range(k)
            for others in itertools.combinations_with_replacement(range(k), n - 1)]
    table_values = draw_integer_array(draw, payoff_strategy(payoffs), (len(keys),)).tolist()
    table = dict(zip(keys, table_values))
    out = np.empty((n,) + (k,) * n, dtype=object)
    for joint in itertools.product(range(k), repeat=n):
        for i in range(n):
            others = tuple(sorted(joint[:i] + joint[i + 1:]))
            out[(i, *joint)] = table[(joint[i], others)]
    if all(type(v) is int for v in table_values):
        out = out.astype(np.int64)
    return _build(out, fld)


@st.composite
def degenerate_games(draw: Any, actions: Any = DEFAULT_ACTIONS, payoffs: Any = DEFAULT_PAYOFFS,
                     field: Any = EXACT) -> NormalFormGame:
    """Degenerate bimatrix games, built degenerate on purpose (not by luck).

    One construction is drawn (shrinking toward the first): ``"tie"`` (two rows share the maximum of a
    column), ``"duplicate"`` (a repeated row, for both players), ``"dominated"`` (a row weakly dominated by
    another, equal where the other is a best response), ``"constant"`` (one player's payoffs constant).  Then
    the roles may be swapped (the column player gets the degeneracy).  Every construction leaves a witness of
    degeneracy: a pure strategy of one player (support size 1) with at least two pure best responses of the
    other.  The degenerate player has at least 2 actions.

    Shrinking: toward the ``"tie"`` construction, 2×1 shape, and entries near 0.
    """
    kind = draw(st.sampled_from(["tie", "duplicate", "dominated", "constant"]))
    swap = draw(st.booleans())
    rows = int(draw_value(draw, actions))
    rows = max(rows, 2)
    cols = int(draw_value(draw, actions))
    fld = field_named(draw_value(draw, field))
    elems = payoff_strategy(payoffs)
    A = draw_integer_array(draw, elems, (rows, cols)).astype(object)
    B = draw_integer_array(draw, elems, (rows, cols)).astype(object)
    j = draw(st.integers(0, rows - 1))
    k = draw(st.integers(0, rows - 2))
    if k >= j:
        k += 1
    c = draw(st.integers(0, cols - 1))
    if kind == "constant":
        A[:, :] = A[0, 0]
    else:
        if kind == "duplicate":
            A[k] = A[j].copy()
            B[k] = B[j].copy()
        elif kind == "dominated":
            gaps = draw_integer_array(draw, payoff_strategy((0, 3)), (cols,)).astype(object)
            A[k] = A[j] - gaps
        top = max(A[:, c].tolist())
        A[j, c] = top
        A[k, c] = top
    payoff = np.stack([A, B])
    if swap:
        payoff = np.stack([B.T, A.T])
    if all(type(v) is int for v in payoff.reshape(-1).tolist()):
        payoff = payoff.astype(np.int64)
    return _build(payoff, fld)


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank of a small matrix of Fractions by exact Gaussian elimination."""
    m = [list(r) for r in rows]
    rank = 0
    n_cols = len(m[0]) if m else 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, len(m)) if m[r][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][col] != 0:
                f = m[r][col] / m[rank][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[rank])]
        rank += 1
    return rank


def _player_generic(P: np.ndarray) -> bool:
    """For the player choosing rows of ``P`` (payoffs of the *other* player, rows = this player's actions):
    no mixed strategy on a support ``I`` of size ``k`` makes ``k + 1`` columns pay equally (no solution at all of
    ``Σ_{i∈I} x_i P[i, j] = v`` for ``j ∈ J``, ``Σ x_i = 1``)."""
    m, n = P.shape
    for size in range(1, m + 1):
        if size + 1 > n:
            break
        for I in itertools.combinations(range(m), size):
            for J in itertools.combinations(range(n), size + 1):
                M = [[Fraction(P[i, j]) for i in I] + [Fraction(-1), Fraction(0)] for j in J]
                M.append([Fraction(1)] * size + [Fraction(0), Fraction(1)])
                coeff = [r[:-1] for r in M]
                if _rank(coeff) == _rank(M):
                    return False
    return True


def is_nondegenerate_bimatrix(game: NormalFormGame) -> bool:
    """A sufficient exact test of nondegeneracy for a bimatrix game (von Stengel 2002, Handbook of Game
    Theory vol. 3, ch. 45, Def. 3.2: no mixed strategy with support size ``k`` has more than ``k`` pure best
    responses): for every support ``I`` of size ``k`` and every ``k + 1`` opponent actions, the linear system
    making those actions pay equally has no solution.  ``True`` proves nondegeneracy; ``False`` means the test
    is inconclusive (the game may still be nondegenerate)."""
    if game.n_players != 2:
        return False
    A, B = game.payoffs[0], game.payoffs[1]
    # Row player's mixed strategies x and the column player's payoffs B (rows = row actions).
    # Column player's mixed strategies y and the row player's payoffs A transposed.
    return _player_generic(np.asarray(B)) and _player_generic(np.asarray(A).T)


@st.composite
def nondegenerate_games(draw: Any, actions: Any = DEFAULT_ACTIONS, payoffs: Any = (-1000, 1000),
                        field: Any = EXACT) -> NormalFormGame:
    """Nondegenerate bimatrix games: integer payoffs from a wide range (default [-1000, 1000]), kept only when
    :func:`is_nondegenerate_bimatrix` proves them nondegenerate (random wide-range integers pass almost
    always; the filter rejects ties such as all-zero games).

    Shrinking: fewer actions, then entries toward small values as long as the game stays nondegenerate.
    """
    counts = _draw_counts(draw, 2, actions)
    fld = field_named(draw_value(draw, field))
    values = draw_integer_array(draw, payoff_strategy(payoffs), (2, *counts))
    game = _build(values, EXACT)
    from hypothesis import assume

    assume(is_nondegenerate_bimatrix(game))
    return game if fld.exact else game.to_field(fld)


def games_of(shape: Sequence[int], payoffs: Any = DEFAULT_PAYOFFS, field: Any = EXACT) -> SearchStrategy[NormalFormGame]:
    """Games of a fixed shape ``(|A_0|, ..., |A_{n-1}|)``."""
    return normal_form_games(players=len(shape), actions=list(shape), payoffs=payoffs, field=field)
