"""Cross-check against pygambit's exact ``enummixed`` (Avis–Fukuda style enumeration in Gambit) on generated
games, degenerate ones included: every equilibrium pygambit finds must be among our extreme equilibria."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.games.normal_form import NormalFormGame
from jalverify.solvers.nash import vertex_enumeration_solve

gbt = pytest.importorskip("pygambit")

pytestmark = pytest.mark.peers


def eq_set(result):
    return {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


def gambit_equilibria(A: np.ndarray, B: np.ndarray) -> set:
    game = gbt.Game.from_arrays(A.astype(int), B.astype(int))
    result = gbt.nash.enummixed_solve(game, rational=True)
    return {
        tuple(tuple(Fraction(eq[s]) for s in player.strategies) for player in game.players)
        for eq in result.equilibria
    }


@st.composite
def integer_bimatrices(draw):
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    low = draw(st.sampled_from([-3, 0]))  # 0..3 payoffs give many ties (degenerate games)
    entries = st.integers(low, 3)
    A = np.array(draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m)))
    B = np.array(draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m)))
    if draw(st.booleans()) and m > 1:
        A[1], B[1] = A[0], B[0]  # duplicate row: degenerate
    return A, B


@settings(max_examples=40)
@given(integer_bimatrices())
def test_nash_peers_gambit_enummixed_finds_nothing_we_miss(matrices):
    A, B = matrices
    ours = eq_set(vertex_enumeration_solve(NormalFormGame.bimatrix(A.tolist(), B.tolist())))
    assert gambit_equilibria(A, B) <= ours


def test_nash_peers_gambit_on_von_stengel_degenerate_game():
    A = np.array([[3, 3], [2, 5], [0, 6]])
    B = np.array([[3, 3], [2, 6], [3, 1]])
    assert gambit_equilibria(A, B) == eq_set(vertex_enumeration_solve(NormalFormGame.bimatrix(A.tolist(), B.tolist())))
