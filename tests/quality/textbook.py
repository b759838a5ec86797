"""Independent *correct* validation targets written from the textbooks, in floating point.

They are the control group of the mutation benchmark (``tests/quality/zoo.py``, ``bench/bench_mutation.py``):
``jalverify validate`` must raise no false alarm on them.  They are written from the books, not from
jalverify's solvers, and import nothing from jalverify but the capability record of the target protocol:

* :class:`TextbookCorrelatedEquilibrium`: the welfare-maximising correlated equilibrium LP (Albrecht,
  Christianos & Schäfer 2024, *Multi-Agent Reinforcement Learning*, Eqs. 4.20–4.24) with ``scipy.optimize.linprog``;
* :class:`TextbookSupportEnumeration`: every Nash equilibrium of a nondegenerate bimatrix game by support
  enumeration (Nisan, Roughgarden, Tardos & Vazirani 2007, *Algorithmic Game Theory*, ch. 3.3);
* :class:`TextbookMinimax`: the maximin LP of a zero-sum game for each player (book Eqs. 4.12–4.15);
* :class:`TextbookPolicyEvaluation`: ``V^π`` and ``Q^π`` from the Bellman equations as one linear solve
  (book Eq. 6.9) with ``numpy.linalg.solve``;
* :class:`TextbookMinimaxQ`: minimax-Q (Littman 1994; book §6.3) for two-player zero-sum games, with the
  exact expected backup (Shapley's operator) exposed as ``backup``.

Every target declares the tolerance ``1e-9`` (scaled by the payoffs): dense linear solves of small systems, and
HiGHS simplex answers (vertices of small LPs, accurate to ~1e-15 here although HiGHS only promises its
feasibility tolerance ``1e-7``); the thorough profile measured worst violations below ``1e-12``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from scipy.optimize import linprog

from jalverify.adapters.protocols import Capabilities, Concept, EvaluationAnswer, MinimaxAnswer, StageAnswer, TargetKind

__all__ = ["TEXTBOOK", "TextbookCorrelatedEquilibrium", "TextbookMinimax", "TextbookMinimaxQ",
           "TextbookPolicyEvaluation", "TextbookSupportEnumeration"]

#: The LP targets' declared tolerance (see the module docstring).
LP_TOLERANCE = 1e-9


def _security_strategy(M: np.ndarray) -> tuple[np.ndarray, float]:
    """Maximin strategy and value of the row player of the matrix game ``M`` (book Eqs. 4.12–4.15):
    ``max v`` subject to ``Σ_i x_i M[i, j] ≥ v`` for every column ``j``, ``Σ x = 1``, ``x ≥ 0``, ``v`` free."""
    m, n = M.shape
    objective = np.zeros(m + 1)
    objective[-1] = -1.0
    res = linprog(objective, A_ub=np.hstack([-M.T, np.ones((n, 1))]), b_ub=np.zeros(n),
                  A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    if res.status != 0:
        raise RuntimeError(f"maximin LP: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return x / x.sum(), float(res.x[-1])


class TextbookCorrelatedEquilibrium:
    """The utilitarian correlated equilibrium of an n-player stage game: maximise the sum of expected payoffs
    over joint distributions ``x`` subject to, for every player ``i``, recommendation ``a_i`` and deviation
    ``a_i'``: ``Σ_{a_-i} x(a_i, a_-i) [u_i(a_i', a_-i) − u_i(a_i, a_-i)] ≤ 0`` (book Eqs. 4.20–4.24)."""

    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.CORRELATED, players="n", exact=False,
                                tolerance=LP_TOLERANCE, source="Albrecht, Christianos & Schäfer 2024, Eqs. 4.20-4.24")

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        n, shape = P.shape[0], P.shape[1:]
        joints = list(itertools.product(*(range(k) for k in shape)))
        constraints = []
        for i in range(n):
            for rec in range(shape[i]):
                for dev in range(shape[i]):
                    if dev == rec:
                        continue
                    row = np.zeros(len(joints))
                    for col, joint in enumerate(joints):
                        if joint[i] == rec:
                            deviated = joint[:i] + (dev,) + joint[i + 1:]
                            row[col] = P[(i, *deviated)] - P[(i, *joint)]
                    constraints.append(row)
        welfare = np.array([sum(P[(i, *joint)] for i in range(n)) for joint in joints])
        res = linprog(-welfare, A_ub=np.array(constraints) if constraints else None,
                      b_ub=np.zeros(len(constraints)) if constraints else None,
                      A_eq=np.ones((1, len(joints))), b_eq=[1.0], bounds=[(0, None)] * len(joints), method="highs")
        if res.status != 0:
            raise RuntimeError(f"correlated equilibrium LP: {res.message}")
        x = np.clip(res.x, 0.0, None)
        x = (x / x.sum()).reshape(shape)
        return StageAnswer(x, [float((P[i] * x).sum()) for i in range(n)])


class TextbookSupportEnumeration:
    """All Nash equilibria of a nondegenerate bimatrix game by support enumeration (AGT ch. 3.3, Algorithm 3.4):
    in a nondegenerate game both supports have the same size ``k``; for every pair of supports ``(I, J)`` of size
    ``k`` solve the indifference equations ``A[I, J] y_J = u·1``, ``B[I, J]ᵀ x_I = v·1`` with ``Σ x = Σ y = 1``,
    and keep the solution when it is non-negative and no action outside the supports pays more."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=False, tolerance=1e-9,
                                source="Nisan et al. 2007, Algorithmic Game Theory, ch. 3.3")

    @staticmethod
    def _indifferent_mix(M: np.ndarray) -> np.ndarray | None:
        """The mix ``z`` (``Σ z = 1``) making every row of ``M`` pay the same, or ``None`` if singular."""
        k = M.shape[0]
        system = np.zeros((k + 1, k + 1))
        system[:k, :k] = M
        system[:k, k] = -1.0
        system[k, :k] = 1.0
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        try:
            return np.linalg.solve(system, rhs)[:k]
        except np.linalg.LinAlgError:
            return None

    def solve(self, game: Any) -> list[list[list[float]]]:
        A = np.asarray(game.payoffs[0], dtype=float)
        B = np.asarray(game.payoffs[1], dtype=float)
        m, n = A.shape
        eps = 1e-11 * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
        equilibria = []
        for k in range(1, min(m, n) + 1):
            for I in itertools.combinations(range(m), k):
                for J in itertools.combinations(range(n), k):
                    y_J = self._indifferent_mix(A[np.ix_(I, J)])
                    x_I = self._indifferent_mix(B[np.ix_(I, J)].T)
                    if y_J is None or x_I is None or min(y_J.min(), x_I.min()) < -eps:
                        continue
                    x, y = np.zeros(m), np.zeros(n)
                    x[list(I)] = np.clip(x_I, 0.0, None)
                    y[list(J)] = np.clip(y_J, 0.0, None)
                    x, y = x / x.sum(), y / y.sum()
                    row_payoffs, column_payoffs = A @ y, x @ B
                    if (row_payoffs.max() <= row_payoffs[list(I)].min() + eps
                            and column_payoffs.max() <= column_payoffs[list(J)].min() + eps):
                        equilibria.append([x.tolist(), y.tolist()])
        return equilibria


class TextbookMinimax:
    """Value and optimal strategies of a two-player zero-sum game: the row player's maximin LP on ``A`` and the
    column player's on ``−Aᵀ`` (book Eqs. 4.12–4.15; von Neumann's minimax theorem makes the values agree)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=LP_TOLERANCE,
                                source="Albrecht, Christianos & Schäfer 2024, Eqs. 4.12-4.15")

    def solve(self, game: Any) -> MinimaxAnswer:
        A = np.asarray(game.payoffs[0], dtype=float)
        x, value = _security_strategy(A)
        y, _ = _security_strategy(-A.T)
        return MinimaxAnswer(value, x.tolist(), y.tolist())


class TextbookPolicyEvaluation:
    """``V^π`` and ``Q^π`` of a stationary joint policy (book Eq. 6.9): ``(I − γ M^π) V_i = r^π_i`` with
    ``M^π(s, s') = Σ_a π(a|s) T(s'|s, a)`` and ``r^π_i(s) = Σ_a π(a|s) Σ_s' T(s'|s, a) R_i(s, a, s')``; then
    ``Q_i(s, a) = Σ_s' T(s'|s, a) [R_i(s, a, s') + γ V_i(s')]``."""

    capabilities = Capabilities(kind=TargetKind.EVALUATOR, players="n", exact=False, tolerance=1e-9,
                                source="Albrecht, Christianos & Schäfer 2024, Eq. 6.9")

    def evaluate(self, game: Any, policy: Any) -> EvaluationAnswer:
        S, n, gamma = game.n_states, game.n_players, float(game.gamma)
        M = np.zeros((S, S))
        r = np.zeros((S, n))
        for s in range(S):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            pi = np.asarray(policy.joint_distribution(s), dtype=float)
            for joint in itertools.product(*(range(k) for k in game.n_actions(s))):
                M[s] += pi[joint] * T[joint]
                for i in range(n):
                    r[s, i] += pi[joint] * float(T[joint] @ R[(i, *joint)])
        V = np.linalg.solve(np.eye(S) - gamma * M, r).T  # shape (n, S)
        Q = []
        for s in range(S):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            q = np.zeros((n, *game.n_actions(s)))
            for joint in itertools.product(*(range(k) for k in game.n_actions(s))):
                for i in range(n):
                    q[(i, *joint)] = float(T[joint] @ (R[(i, *joint)] + gamma * V[i]))
            Q.append(q)
        return EvaluationAnswer(V, Q)


class TextbookMinimaxQ:
    """Minimax-Q (Littman 1994) for two-player zero-sum stochastic games.

    One table ``Q(s, a, o)`` for player 0 (player 1's is its negation); after a transition
    ``(s, (a, o), r, s')`` the update is ``Q(s, a, o) ← Q(s, a, o) + α (r + γ V(s') − Q(s, a, o))`` with ``V(s')``
    the maximin value of the stage game ``Q(s', ·, ·)`` and ``V = 0`` at terminal states.  Step sizes
    ``α = n(s, a, o)^-0.7`` (Robbins–Monro) and uniformly random exploration make every entry visited infinitely
    often, the conditions of Littman & Szepesvári 1996 for convergence to ``Q*``.  ``backup`` is the expected
    update, Shapley's operator ``Q(s, a) ← Σ_s' T(s'|s, a) [R(s, a, s') + γ V(s')]``.
    """

    capabilities = Capabilities(kind=TargetKind.LEARNER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=LP_TOLERANCE, has_backup=True, converges=True,
                                source="Littman 1994; Littman & Szepesvári 1996")

    @staticmethod
    def _value(M: np.ndarray) -> float:
        """The maximin value of ``M``: its saddle entry when it has a pure saddle point, else the LP."""
        lower, upper = float(M.min(axis=1).max()), float(M.max(axis=0).min())
        return lower if lower == upper else _security_strategy(M)[1]

    def reset(self, game: Any, seed: int) -> None:
        self.game = game
        self.gamma = float(game.gamma)
        self.rng = np.random.default_rng(seed)
        self.table = [np.zeros(game.n_actions(s)) for s in range(game.n_states)]
        self.counts = [np.zeros(game.n_actions(s)) for s in range(game.n_states)]

    def act(self, state: int) -> tuple[int, ...]:
        return tuple(int(self.rng.integers(k)) for k in self.game.n_actions(state))

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        a = tuple(int(v) for v in joint_action)
        self.counts[state][a] += 1
        alpha = float(self.counts[state][a]) ** -0.7
        future = 0.0 if self.game.terminal[next_state] else self._value(self.table[next_state])
        self.table[state][a] += alpha * (float(rewards[0]) + self.gamma * future - self.table[state][a])

    def q_values(self) -> list[np.ndarray]:
        return [np.stack([q, -q]) for q in self.table]

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        gamma = float(game.gamma)
        values = [0.0 if game.terminal[t] else self._value(np.asarray(Q[t], dtype=float)[0])
                  for t in range(game.n_states)]
        out = []
        for s in range(game.n_states):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            q0 = (T * (R[0] + gamma * np.asarray(values))).sum(axis=-1)
            out.append(np.stack([q0, -q0]))
        return out


#: The control group: name → what it is.
TEXTBOOK: dict[str, str] = {
    "TextbookCorrelatedEquilibrium": "stage-solver (ce, n players), linprog",
    "TextbookSupportEnumeration": "solver (Nash, all, nondegenerate), numpy",
    "TextbookMinimax": "solver (minimax), linprog",
    "TextbookPolicyEvaluation": "evaluator, numpy.linalg.solve",
    "TextbookMinimaxQ": "learner (minimax-Q, expected backup), linprog",
}
