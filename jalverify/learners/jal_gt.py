r"""JAL-GT: joint-action learning with game-theoretic solution concepts.

Albrecht, Christianos & Schäfer (2024), Algorithm 7, p.120 (theory.md §2).  Every agent ``j``'s value
:math:`Q_j(s, a)` over **joint** actions ``a`` is learned by temporal differences.  At state ``s`` the values
define the stage game :math:`Γ_s` with :math:`R_j(a) = Q_j(s, a)`; a solution concept (the
:class:`~jalverify.learners.stage.StageConcept`) gives :math:`π^*_s` and the values
:math:`\mathrm{Value}_j(Γ_s)`.  After observing :math:`(s, a, r, s')`:

.. math::  Q_j(s,a) \leftarrow Q_j(s,a) + α_n(s,a)\,[\,c\, r_j + γ\,\mathrm{Value}_j(Γ_{s'}) − Q_j(s,a)\,]

with ``c = 1`` or ``c = 1 − γ`` (the reward scaling of Greenwald & Hall 2003) and ``α_n(s, a)`` the step size of
the ``n``-th visit of ``(s, a)``.  Agents act ε-greedily from :math:`π^*_s`; for a correlated solution one
joint action is sampled and each agent plays its component.

With a known model the same backup applied at every (s, a) is the **operator**

.. math::  (\mathcal{T}Q)_j(s,a) = Σ_{s'} T(s'|s,a)\,[\,c\,R_j(s,a,s') + γ\,\mathrm{Value}_j(Γ_{s'}(Q))\,],

value iteration (Shapley 1953 for the minimax concept; book Algorithm 6).  :meth:`JointActionLearner.apply_operator`
computes it in either field, so a claimed Q* can be checked to be an *exact* fixed point.

Stage solutions are cached per state and recomputed only after that state's Q changed.  A concept with
``warm_start = True`` receives the state's previous (stale) solution as ``previous=`` when it is recomputed, as a
hint only (e.g. the Shapley–Snow kernel of Minimax-Q's stage game).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol

import numpy as np

from jalverify.errors import InvalidGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.base import TabularLearner
from jalverify.learners.schedules import EpsilonGreedy, StepSchedule
from jalverify.learners.simulator import Transition
from jalverify.learners.stage import StageConcept, StageSolution
from jalverify.numbers import EXACT, FLOAT, Field, field_named

__all__ = ["JointActionLearner", "StageAudit"]


class StageAudit(Protocol):
    """Observer called whenever the learner solves a stage game in the loop."""

    def observe(self, step: int, state: int, q: np.ndarray, solution: StageSolution) -> None: ...

    def arrays(self) -> dict[str, np.ndarray]: ...


class JointActionLearner(TabularLearner):
    """Tabular JAL-GT learner with a pluggable stage solution concept.

    Parameters
    ----------
    game : StochasticGame
    concept : StageConcept
        Minimax (:mod:`~jalverify.learners.minimax_q`), Nash (:mod:`~jalverify.learners.nash_q`), correlated
        (:mod:`~jalverify.learners.ce_q`), friend-or-foe (:mod:`~jalverify.learners.friend_or_foe_q`).
    schedule : StepSchedule
        Step size per visit of (state, joint action).
    exploration : EpsilonGreedy
    reward_scaling : bool
        Multiply rewards by ``1 − γ`` in the backup (Greenwald & Hall 2003).
    initial_q : float
        Initial value of every non-terminal Q entry (terminal states keep 0).
    seed : int
    audit : StageAudit, optional
        Observer of every stage game solved during learning (e.g. the Nash-Q condition audit).
    """

    algorithm = "jal-gt"

    def __init__(self, game: StochasticGame, concept: StageConcept, *, schedule: StepSchedule | None = None,
                 exploration: EpsilonGreedy | None = None, reward_scaling: bool = False, initial_q: float = 0.0,
                 seed: int = 0, audit: StageAudit | None = None, algorithm: str | None = None) -> None:
        super().__init__(game, schedule=schedule, exploration=exploration, seed=seed)
        self.concept = concept
        if algorithm is not None:
            self.algorithm = algorithm
        self.reward_scaling = bool(reward_scaling)
        self.reward_scale = (1.0 - self.gamma) if reward_scaling else 1.0
        self.initial_q = float(initial_q)
        self.audit = audit
        n = self.n_agents
        self.q: list[np.ndarray] = [
            np.zeros((n,) + k) if self.arrays.terminal[s] else np.full((n,) + k, self.initial_q)
            for s, k in enumerate(self.shapes)
        ]
        self._solutions: list[StageSolution | None] = [None] * self.arrays.n_states
        self._stale: list[StageSolution | None] = [None] * self.arrays.n_states  # hints for warm-start concepts
        self._warm_start = bool(getattr(concept, "warm_start", False))
        self._samplers: list[Any] = [None] * self.arrays.n_states
        self._zero_values = np.zeros(n)
        self.stage_solves = 0

    # --- stage solutions (cached) ------------------------------------------------------------------
    def stage_solution(self, state: int) -> StageSolution:
        """The concept's solution of the current stage game at ``state`` (cached until Q(state) changes)."""
        sol = self._solutions[state]
        if sol is None:
            if self._warm_start:
                sol = self.concept.solve(self.q[state], FLOAT, previous=self._stale[state])  # type: ignore[call-arg]
            else:
                sol = self.concept.solve(self.q[state], FLOAT)
            self.stage_solves += 1
            self._solutions[state] = sol
            if sol.marginals is None:
                cum = np.cumsum(sol.joint.reshape(-1))
                cum[-1] = 1.0
                self._samplers[state] = cum
            else:
                cums = []
                for m in sol.marginals:
                    c = np.cumsum(np.asarray(m, dtype=np.float64))
                    c[-1] = 1.0
                    cums.append(c)
                self._samplers[state] = cums
            if self.audit is not None:
                self.audit.observe(self.steps_done, state, self.q[state], sol)
        return sol

    def set_q(self, state: int, q: np.ndarray) -> None:
        """Overwrite the Q of every agent at ``state`` (shape ``(n, *k_s)``) and drop its cached stage solution."""
        arr = np.asarray(q, dtype=np.float64)
        if arr.shape != self.q[state].shape:
            raise InvalidGame(f"set_q(): Q for state {state} has shape {arr.shape}, expected {self.q[state].shape}")
        self.q[state][...] = arr
        self._drop_solution(state)

    def _drop_solution(self, state: int) -> None:
        """Forget the cached stage solution of ``state`` (its Q changed); keep it as a warm-start hint."""
        sol = self._solutions[state]
        if sol is not None:
            self._stale[state] = sol
            self._solutions[state] = None

    def value(self, state: int) -> np.ndarray:
        """``Value_j(Γ_state)`` for every agent (0 at terminal states)."""
        if self.arrays.terminal[state]:
            return self._zero_values
        return self.stage_solution(state).values

    def policies(self) -> list[np.ndarray]:
        return [self.stage_solution(s).joint for s in range(self.arrays.n_states)]

    def q_tables(self) -> list[np.ndarray]:
        return self.q

    def policy_parts(self) -> list[Any]:
        out: list[Any] = []
        for s in range(self.arrays.n_states):
            sol = self.stage_solution(s)
            out.append(sol.joint if sol.marginals is None else tuple(np.asarray(m) for m in sol.marginals))
        return out

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "concept": self.concept.describe(), "reward_scaling": self.reward_scaling,
                "initial_q": self.initial_q}

    def audit_arrays(self) -> dict[str, np.ndarray]:
        return self.audit.arrays() if self.audit is not None else {}

    # --- acting -----------------------------------------------------------------------------------
    def act(self, state: int, step: int) -> tuple[int, ...]:
        """Sample a joint action from the stage solution, then let each agent explore with probability ε."""
        sol = self.stage_solution(state)
        sampler = self._samplers[state]
        k = self.shapes[state]
        rng = self.rng
        if sol.marginals is None:
            flat = int(np.searchsorted(sampler, rng.random(), side="right"))
            joint = [int(x) for x in np.unravel_index(min(flat, sampler.size - 1), k)]
        else:
            joint = [min(int(np.searchsorted(c, rng.random(), side="right")), c.size - 1) for c in sampler]
        explore = self.exploration.explore_mask(rng, self.n_agents, step)
        for i in range(self.n_agents):
            if explore[i]:
                joint[i] = int(rng.integers(k[i]))
        return tuple(joint)

    # --- the backup -------------------------------------------------------------------------------
    def target(self, state: int, joint_action: tuple[int, ...], rewards: np.ndarray, next_state: int) -> np.ndarray:
        """The TD target ``c r_j + γ Value_j(Γ_{s'})`` for every agent ``j`` (``state`` and ``joint_action``
        are accepted for symmetry with other learners; this backup does not depend on them)."""
        return self.reward_scale * np.asarray(rewards, dtype=np.float64) + self.gamma * self.value(next_state)

    def update(self, transition: Transition) -> None:
        s, a = transition.state, transition.joint_action
        tgt = self.target(s, a, transition.rewards, transition.next_state)
        cnt = self.counts[s]
        cnt[a] += 1
        alpha = self.schedule(int(cnt[a]))
        idx = (slice(None),) + a
        q = self.q[s]
        q[idx] += alpha * (tgt - q[idx])
        self._drop_solution(s)

    def apply_operator(self, Q: list[np.ndarray], field: Field | str = FLOAT) -> list[np.ndarray]:
        """The expected (model-based) backup :math:`\\mathcal{T}Q` of every (s, a) for the known model.

        Parameters
        ----------
        Q : list of arrays
            Per state, shape ``(n, *k_s)``; in the exact field entries must be Fractions (object arrays).
        field : Field or {"float", "exact"}
            In the exact field the game's transitions and rewards, γ, the reward scaling and the stage solutions
            are all exact, so ``apply_operator(Q*, "exact") == Q*`` is an exact fixed-point test.
        """
        fld = field_named(field)
        g = self.game
        S = g.n_states
        if len(Q) != S:
            raise InvalidGame(f"apply_operator(): Q has {len(Q)} states, the game has {S}")
        if fld.exact:
            game = g if g.field.exact else g.to_field(EXACT, allow_float=True)
            T = game.transitions
            R = game.rewards
            gamma = Fraction(game.gamma)
            scale = (1 - gamma) if self.reward_scaling else Fraction(1)
            values = []
            for s in range(S):
                if game.terminal[s]:
                    values.append(np.array([Fraction(0)] * self.n_agents, dtype=object))
                else:
                    qs = np.asarray(Q[s], dtype=object)
                    values.append(np.asarray(self.concept.solve(qs, EXACT).values, dtype=object))
            out = []
            for s in range(S):
                if game.terminal[s]:
                    out.append(EXACT.zeros((self.n_agents,) + self.shapes[s]))
                    continue
                V = np.stack(values, axis=1)  # (n, S')
                # Σ_s' T[a, s'] (c R_j[a, s'] + γ V_j(s'))
                inner = scale * R[s] + gamma * V.reshape((self.n_agents,) + (1,) * len(self.shapes[s]) + (S,))
                out.append((inner * T[s][None, ...]).sum(axis=-1))
            return out
        ar = self.arrays
        values = np.stack([np.zeros(self.n_agents) if ar.terminal[s]
                           else np.asarray(self.concept.solve(np.asarray(Q[s], dtype=np.float64), fld).values,
                                           dtype=np.float64)
                           for s in range(S)], axis=1)
        out = []
        for s in range(S):
            if ar.terminal[s]:
                out.append(np.zeros((self.n_agents,) + self.shapes[s]))
                continue
            inner = self.reward_scale * ar.rewards[s] + self.gamma * values.reshape(
                (self.n_agents,) + (1,) * len(self.shapes[s]) + (S,))
            out.append((inner * ar.transitions[s][None, ...]).sum(axis=-1))
        return out

    def iterate_operator(self, iterations: int, Q0: list[np.ndarray] | None = None,
                         tol: float = 0.0) -> tuple[list[np.ndarray], int, float]:
        """Float value iteration with this learner's operator: returns ``(Q, iterations done, last change)``;
        stops early when the max-norm change is at most ``tol``."""
        Q = [np.zeros((self.n_agents,) + k) for k in self.shapes] if Q0 is None else [np.array(x, dtype=np.float64) for x in Q0]
        change = float("inf")
        done = 0
        for done in range(1, iterations + 1):
            Qn = self.apply_operator(Q, FLOAT)
            change = max(float(np.max(np.abs(a - b))) for a, b in zip(Qn, Q))
            Q = Qn
            if change <= tol:
                break
        return Q, done, change
