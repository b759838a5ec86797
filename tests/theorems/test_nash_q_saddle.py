"""``nash_q.learning_converges_saddle``: Nash-Q with saddle-point updates on zero-sum games (condition B).

The exact minimax Q* used by the check is re-derived here independently: Shapley's equation is checked entry by
entry with the exact minimax LP of jalverify.solvers.minimax, and the generated games' Q* is compared with the
Q* they were built around.
"""

from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings

from jalverify.games import catalog
from jalverify.games.stochastic import StochasticGame, repeated_game
from jalverify.learners.nash_q import NashConcept
from jalverify.learners.stage import StageSolution
from jalverify.reports.suite_support import assert_holds
from jalverify.solvers.minimax import minimax_value
from jalverify.strategies.saddle_games import zero_sum_saddle_stochastic_games
from jalverify.theorems.learning import exact_minimax_q_star
from jalverify.theorems.nash_q_saddle import NASH_Q_SADDLE_ID, check_nash_q_saddle_convergence
from jalverify.theorems.registry import HOLDS, load_all
from jalverify.verdicts import Status


def two_state_saddle_game() -> StochasticGame:
    """Two states, 2×2 each, γ = 1/2, built around V* = (1, −2) and pure saddle points (0, 1) and (1, 0):
    Q*(s0) = [[2, 1], [0, −1]], Q*(s1) = [[−3, 0], [−2, −1]] (saddle entries 1 and −2: least in their row,
    greatest in their column), transitions s0 → s1 for (0, 0), s1 → s0 for (1, 1), otherwise stay."""
    q_star = [np.array([[2, 1], [0, -1]], dtype=object), np.array([[-3, 0], [-2, -1]], dtype=object)]
    V = [Fraction(1), Fraction(-2)]
    g = Fraction(1, 2)
    T, R = [], []
    for s in range(2):
        Ts = np.zeros((2, 2, 2), dtype=object)
        Rs = np.zeros((2, 2), dtype=object)
        for a in np.ndindex(2, 2):
            nxt = 1 - s if a == ((0, 0) if s == 0 else (1, 1)) else s
            Ts[a + (nxt,)] = Fraction(1)
            Rs[a] = Fraction(q_star[s][a]) - g * V[nxt]
        T.append(Ts)
        R.append(np.stack([Rs, -Rs]))
    return StochasticGame(["row", "column"], ["s0", "s1"], [[["a0", "a1"], ["b0", "b1"]]] * 2, T, R, g,
                          name="two-state saddle game")


def _shapley_holds(game: StochasticGame, q_star: list) -> bool:
    """Q*_0(s, a) = Σ T (R_0 + γ val(Q*_0(s'))) and Q*_1 = −Q*_0, with val from the exact minimax LP."""
    vals = [Fraction(minimax_value(np.asarray(q_star[s][0], dtype=object), field="exact")[0])
            for s in range(game.n_states)]
    for s in range(game.n_states):
        for a in np.ndindex(*game.n_actions(s)):
            rhs = sum((game.transitions[s][a + (t,)] * (game.rewards[s][(0,) + a + (t,)] + game.gamma * vals[t])
                       for t in range(game.n_states)), Fraction(0))
            if q_star[s][(0,) + a] != rhs or q_star[s][(1,) + a] != -rhs:
                return False
    return True


def test_registered_as_a_claim_that_holds():
    theorem = load_all()[NASH_Q_SADDLE_ID]
    assert theorem.expected == HOLDS and theorem.strategy == "zero_sum_saddle_stochastic_games"
    assert theorem.known_counterexample is None


def test_known_game_within_tolerance_with_exact_parts():
    game = two_state_saddle_game()
    q_star = exact_minimax_q_star(game)
    assert _shapley_holds(game, q_star)
    assert q_star[0][0].tolist() == [[2, 1], [0, -1]] and q_star[1][0].tolist() == [[-3, 0], [-2, -1]]
    verdict = check_nash_q_saddle_convergence(game)
    assert verdict.status is Status.WITHIN_TOLERANCE, verdict
    assert verdict.worst <= verdict.tolerance
    stages = verdict.witness["stages"]
    assert [row["pure_saddle_points"] for row in stages] == [[[0, 1]], [[1, 0]]]
    audit = verdict.witness["audit"]
    assert audit["records"] > 0 and audit["condition_B_holds"] and audit["with_saddle_point"] == audit["records"]


def test_mixed_saddle_points_only():
    # matching pennies played repeatedly: the only saddle point of Q* is mixed; condition B still holds
    game = repeated_game(catalog.load("matching_pennies"), Fraction(1, 2))
    verdict = check_nash_q_saddle_convergence(game, max_steps=400)
    assert verdict.status in (Status.WITHIN_TOLERANCE, Status.NOT_ESTABLISHED), verdict
    assert verdict.witness["stages"][0]["pure_saddle_points"] == []
    assert verdict.witness["audit"]["condition_B_holds"]


class _MaxEntryConcept:
    """A wrong backup: the row player's largest entry instead of the saddle value."""

    name = "max entry"

    def solve(self, q, field):
        sol = NashConcept("first", require="saddle_point").solve(q, field)
        top = max(np.asarray(q[0]).reshape(-1).tolist())
        return StageSolution(sol.joint, np.array([top, -top], dtype=field.dtype), sol.marginals, sol.info)

    def describe(self):
        return {"concept": self.name}


def test_a_wrong_backup_is_refuted_exactly():
    verdict = check_nash_q_saddle_convergence(two_state_saddle_game(), concept=_MaxEntryConcept())
    assert verdict.status is Status.REFUTED, verdict
    assert "moves the exact minimax Q*" in verdict.message
    assert Fraction(verdict.witness["operator"]) != Fraction(verdict.witness["q_star"])


def test_not_zero_sum_is_outside_the_claim():
    pd = catalog.load("prisoners_dilemma")
    verdict = check_nash_q_saddle_convergence(repeated_game(pd, Fraction(1, 2)))
    assert verdict.status is Status.PROVEN and "vacuous" in verdict.message


@settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(zero_sum_saddle_stochastic_games())
def test_generated_games_have_pure_saddle_points_at_a_certified_q_star(game):
    q_star = exact_minimax_q_star(game)
    assert q_star is not None and _shapley_holds(game, q_star)
    for s in range(game.n_states):
        A = np.asarray(q_star[s][0], dtype=object)
        rows, cols = A.min(axis=1), A.max(axis=0)
        # a pure saddle point: an entry that is the least of its row and the greatest of its column
        assert any(A[i, j] == rows[i] == cols[j] for i in range(A.shape[0]) for j in range(A.shape[1]))


@settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(zero_sum_saddle_stochastic_games())
def test_generated_games_are_never_refuted(game):
    assert_holds(check_nash_q_saddle_convergence(game, max_steps=600))
