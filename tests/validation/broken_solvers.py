"""Deliberately broken variants of jalverify's own solvers (mutants), each of which validation must refute.

Loaded by reference ``tests/validation/broken_solvers.py:<Name>`` in the validation worker process.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.own import Minimax, NashVertexEnumeration
from jalverify.adapters.protocols import Capabilities, Concept, MinimaxAnswer, StageAnswer, TargetKind

ALL_EXACT = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=True,
                         degenerate_supported=True, tolerance=0.0)
ONE_FLOAT = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False, exact=False,
                         degenerate_supported=True, tolerance=1e-9)


class DropSupport:
    """Returns only the pure equilibria found by enumeration: drops every mixed-support equilibrium."""

    capabilities = ALL_EXACT

    def solve(self, game: Any) -> list:
        out = NashVertexEnumeration().solve(game)
        return [eq for eq in out if all(sum(1 for p in d if p != 0) == 1 for d in eq)]


class FloatEquality:
    """Pure-equilibrium search with payoffs divided by 10 in floats and compared with ``==``: ties such as
    0.1 + 0.2 vs 0.3 break, and it returns non-equilibria (claims to be exact)."""

    capabilities = ALL_EXACT.with_(finds_all=False)

    def solve(self, game: Any) -> list:
        A = np.asarray(game.payoffs[0], dtype=float) / 10
        B = np.asarray(game.payoffs[1], dtype=float) / 10
        m, n = A.shape
        out = []
        for i in range(m):
            for j in range(n):
                # bug: "is a best response" written as float equality with the sum of the first row's entry
                # and the gap; any rounding makes it fail or succeed wrongly
                if A[i, j] + (A[:, j].max() - A[i, j]) * 0.1 == A[:, j].max() or B[i, j] == B[i, :].max():
                    out.append([[1 if k == i else 0 for k in range(m)], [1 if k == j else 0 for k in range(n)]])
        return out or [[[1] + [0] * (m - 1), [1] + [0] * (n - 1)]]


class NonEquilibrium:
    """Always returns the first joint action as the equilibrium."""

    capabilities = ONE_FLOAT

    def solve(self, game: Any) -> list:
        m, n = game.n_actions
        return [[[1.0] + [0.0] * (m - 1), [1.0] + [0.0] * (n - 1)]]


class Empty:
    """Returns no equilibrium when the game has more than one action per player."""

    capabilities = ONE_FLOAT

    def solve(self, game: Any) -> list:
        if min(game.n_actions) > 1:
            return []
        return NashVertexEnumeration().solve(game)


class Raises:
    """Raises on games with a 3rd action."""

    capabilities = ONE_FLOAT

    def solve(self, game: Any) -> list:
        if max(game.n_actions) >= 3:
            raise ZeroDivisionError("pivot on a zero entry")
        return NashVertexEnumeration().solve(game)


class Crashes:
    """The process dies (as a segfaulting C extension would) on games with a 2×2 or larger shape."""

    capabilities = ONE_FLOAT

    def solve(self, game: Any) -> list:
        if min(game.n_actions) >= 2:
            os._exit(3)
        return NashVertexEnumeration().solve(game)


class Aborts:
    """``os.abort()`` (SIGABRT) on every game."""

    capabilities = ONE_FLOAT

    def solve(self, game: Any) -> list:
        os.abort()


class Hangs:
    """Never answers on games with two or more actions for the row player."""

    capabilities = ONE_FLOAT

    def solve(self, game: Any) -> list:
        if game.n_actions[0] >= 2:
            time.sleep(3600)
        # one row: the column player's best reply is an equilibrium; computed inline so that a fresh worker answers
        # well within the test's 1 s first-call limit (no solver module to import)
        column = np.asarray(game.payoffs[1], dtype=float)[0]
        best = int(np.argmax(column))
        return [([1.0], [1.0 if j == best else 0.0 for j in range(len(column))])]


class MinimaxOffByOne:
    """Reports the minimax value plus 1 when the game has a negative entry."""

    capabilities = Minimax.capabilities

    def solve(self, game: Any) -> MinimaxAnswer:
        answer = Minimax().solve(game)
        bump = 1 if min(np.asarray(game.payoffs[0], dtype=object).reshape(-1).tolist()) < 0 else 0
        return MinimaxAnswer(answer.value + bump, answer.row_strategy, answer.column_strategy)


class MinimaxUniformRow:
    """Returns the uniform row strategy (a silent 'fallback') with the right value."""

    capabilities = Minimax.capabilities

    def solve(self, game: Any) -> MinimaxAnswer:
        answer = Minimax().solve(game)
        m = game.n_actions[0]
        return MinimaxAnswer(answer.value, [Fraction(1, m)] * m, answer.column_strategy)


class StageWrongValues:
    """A CE stage solver whose values are the payoffs of the first joint action, not of its distribution."""

    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.CORRELATED, players=2, exact=True,
                                tolerance=0.0)

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=object)
        k = P.shape[1:]
        x = np.zeros(k, dtype=object)
        x[...] = Fraction(1, int(np.prod(k)))
        # the uniform distribution (not a CE in general) with the wrong values
        return StageAnswer(x, [P[(i,) + (0,) * len(k)] for i in range(P.shape[0])])


class EvaluatorWithoutDiscount:
    """Returns the exact values of the undiscounted one-step reward (forgets γ V(s'))."""

    capabilities = Capabilities(kind=TargetKind.EVALUATOR, players="n", exact=True, tolerance=0.0)

    def evaluate(self, game: Any, policy: Any) -> Any:
        from jalverify.solvers.evaluation import evaluate_policy

        values = evaluate_policy(game, policy, field="exact")
        V = np.empty(values.V.shape, dtype=object)
        for s in range(game.n_states):
            pi = policy.joint_distribution(s)
            for i in range(game.n_players):
                r = np.asarray(game.expected_rewards(s)[i], dtype=object)
                V[i, s] = sum((p * q for p, q in zip(pi.reshape(-1).tolist(), r.reshape(-1).tolist())), Fraction(0))
        return V, list(values.Q)


class FriendQClaimingMinimax:
    """Friend-Q (max over joint actions) presented as a Minimax-Q learner: its backup does not fix Q*."""

    capabilities = Capabilities(kind=TargetKind.LEARNER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=True, tolerance=0.0, has_backup=True, converges=True)

    def reset(self, game: Any, seed: int) -> None:
        from jalverify.learners.friend_or_foe_q import friend_q

        self._learner = friend_q(game, seed=seed)

    def act(self, state: int) -> Any:
        return self._learner.act(state, 1)

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        pass

    def q_values(self) -> Any:
        return self._learner.q_tables()

    def backup(self, game: Any, Q: Any) -> Any:
        from jalverify.learners.friend_or_foe_q import friend_q

        return friend_q(game).apply_operator(list(Q), "exact")


class PureMaximinQ(FriendQClaimingMinimax):
    """Minimax-Q whose stage value is the pure maximin ``max_i min_j Q(i, j)`` instead of the mixed value:
    right on stage games with a pure saddle point, wrong elsewhere (e.g. matching pennies)."""

    def backup(self, game: Any, Q: Any) -> Any:
        from jalverify.learners.jal_gt import JointActionLearner
        from jalverify.learners.minimax_q import MinimaxConcept
        from jalverify.learners.stage import StageSolution

        class PureMaximin:
            name = "pure-maximin"

            def solve(self, q: Any, field: Any) -> Any:
                sol = MinimaxConcept().solve(q, field)
                v = max(min(row) for row in q[0].tolist())
                return StageSolution(sol.joint, np.array([v, -v], dtype=field.dtype), sol.marginals)

            def describe(self) -> dict:
                return {"concept": self.name}

        return JointActionLearner(game, PureMaximin()).apply_operator(list(Q), "exact")


class SummedRowsCE:
    """A float CE stage solver whose incentive constraints are summed into one row per agent (so its output need
    not be a CE), and which raises on an all-zero stage game: two distinct violations."""

    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.CORRELATED, players=2, tolerance=1e-7)

    def solve(self, payoffs: Any) -> StageAnswer:
        from scipy.optimize import linprog

        P = np.asarray(payoffs, dtype=float)
        if not P.any():
            raise ValueError("all-zero stage game")
        _, m, k = P.shape
        summed = np.zeros((2, m, k))
        for a in range(m):  # row player: recommended a, deviation b
            for b in range(m):
                summed[0, a, :] += P[0, b, :] - P[0, a, :]
        for a in range(k):
            for b in range(k):
                summed[1, :, a] += P[1, :, b] - P[1, :, a]
        result = linprog(-(P[0] + P[1]).reshape(-1), A_ub=summed.reshape(2, -1), b_ub=np.zeros(2),
                         A_eq=np.ones((1, m * k)), b_eq=[1.0], bounds=(0, 1), method="highs")
        x = result.x.reshape(m, k)
        return StageAnswer(x, [float((P[0] * x).sum()), float((P[1] * x).sum())])


class SummedRowsCEDeclaringLimits(SummedRowsCE):
    """The same solver, documented for square games with at least 2 actions per player (it rejects others)."""

    capabilities = SummedRowsCE.capabilities.with_(min_actions=2, square_only=True)

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        if min(P.shape[1:]) < 2 or len(set(P.shape[1:])) > 1:
            raise ValueError(f"shape {P.shape[1:]} is outside the documented domain")
        return super().solve(payoffs)


class SlowExactNash:
    """A correct exact solver that takes 0.4 s per game (for time budgets)."""

    capabilities = ALL_EXACT

    def solve(self, game: Any) -> list:
        time.sleep(0.4)
        return NashVertexEnumeration().solve(game)
