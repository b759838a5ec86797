"""Adapters for jalverify's own solvers, so they can be validated like any third-party target.

They are the reference implementations, so validating them is a self-test of the validation machinery: the
checks must not raise false alarms on them (``tests/validation``).  Independent ground truth still applies:
soundness is the exact regret of each returned profile, and the minimax strategies are judged by their exact
guarantees against every pure reply.
"""

from __future__ import annotations

from typing import Any

from jalverify.adapters.protocols import Capabilities, Concept, MinimaxAnswer, StageAnswer, TargetKind
from jalverify.errors import SolverError

__all__ = ["NashVertexEnumeration", "Minimax", "NashVertexEnumerationFloat", "StageCorrelatedWelfare",
           "PolicyEvaluationExact", "MinimaxQLearner"]


class NashVertexEnumeration:
    """All extreme equilibria of a bimatrix game by exact vertex enumeration (:mod:`jalverify.solvers.nash`;
    Avis, Rosenberg, Savani & von Stengel 2010, Economic Theory 42)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=True,
                                degenerate_supported=True, tolerance=0.0, source="jalverify.solvers.nash")

    def solve(self, game: Any) -> list[list[list[Any]]]:
        from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve

        result = vertex_enumeration_solve(game, components=False)
        return [[d.tolist() for d in eq.distributions] for eq in result.equilibria]


class NashVertexEnumerationFloat:
    """The same enumeration, answers returned as floats (declared tolerance 1e-9)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=True, tolerance=1e-9, source="jalverify.solvers.nash")

    def solve(self, game: Any) -> list[list[list[float]]]:
        return [[[float(p) for p in d] for d in eq] for eq in NashVertexEnumeration().solve(game)]


class Minimax:
    """Value and optimal strategies of a zero-sum game by the certified exact LP (:mod:`jalverify.solvers.minimax`;
    book Eqs. 4.12–4.15)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=True, tolerance=0.0, source="jalverify.solvers.minimax")

    def solve(self, game: Any) -> MinimaxAnswer:
        from jalverify.solvers.minimax import minimax_solve

        result = minimax_solve(game)
        return MinimaxAnswer(result.value, list(result.row_strategy), list(result.column_strategy))


class StageCorrelatedWelfare:
    """Stage solver: a utilitarian correlated equilibrium (:mod:`jalverify.solvers.correlated`; Greenwald & Hall
    2003; book Eqs. 4.20–4.24), exact."""

    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.CORRELATED, players="n", exact=True,
                                tolerance=0.0, source="jalverify.solvers.correlated")

    def solve(self, payoffs: Any) -> StageAnswer:
        import numpy as np

        from jalverify.games.normal_form import NormalFormGame
        from jalverify.games.profiles import CorrelatedProfile, expected_payoffs
        from jalverify.solvers.correlated import correlated_solve

        game = NormalFormGame(np.asarray(payoffs, dtype=object))
        result = correlated_solve(game, objective="utilitarian")
        if result.distribution is None:
            raise SolverError(f"correlated_solve(objective='utilitarian') returned no distribution (status {result.status})")
        distribution = result.distribution.distribution
        values = expected_payoffs(game, CorrelatedProfile(game, distribution))
        return StageAnswer(np.asarray(distribution, dtype=object), list(values))


class PolicyEvaluationExact:
    """Policy evaluator: exact ``V^π`` and ``Q^π`` by a rational linear solve (:mod:`jalverify.solvers.evaluation`;
    book Eq. 6.9)."""

    capabilities = Capabilities(kind=TargetKind.EVALUATOR, concept=Concept.NASH, players="n", exact=True,
                                tolerance=0.0, source="jalverify.solvers.evaluation")

    def evaluate(self, game: Any, policy: Any) -> Any:
        from jalverify.adapters.protocols import EvaluationAnswer
        from jalverify.solvers.evaluation import evaluate_policy

        values = evaluate_policy(game, policy, field="exact")
        return EvaluationAnswer(values.V, list(values.Q))


class _JalGtLearner:
    """Shared driver glue for jalverify's own JAL-GT learners (:mod:`jalverify.learners`)."""

    def _make(self, game: Any, seed: int) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def reset(self, game: Any, seed: int) -> None:
        self._game = game
        self._learner = self._make(game, seed)
        self._step = 0

    def act(self, state: int) -> tuple[int, ...]:
        self._step += 1
        return self._learner.act(state, self._step)

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        import numpy as np

        from jalverify.learners.simulator import Transition

        end = bool(self._game.terminal[next_state])
        self._learner.update(Transition(int(state), tuple(int(a) for a in joint_action),
                                        np.asarray([float(r) for r in rewards]), int(next_state), end, end))

    def q_values(self) -> list[Any]:
        return self._learner.q_tables()

    def backup(self, game: Any, Q: Any) -> list[Any]:
        """The learner's expected backup operator, exactly (``apply_operator(Q, "exact")``)."""
        return self._make(game, 0).apply_operator(list(Q), "exact")


class MinimaxQLearner(_JalGtLearner):
    """Minimax-Q (Littman 1994) with Robbins–Monro step sizes: converges to the unique minimax ``Q*`` of a
    zero-sum game (Littman & Szepesvári 1996), and its expected backup is Shapley's operator."""

    capabilities = Capabilities(kind=TargetKind.LEARNER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=True, tolerance=0.0, has_backup=True, converges=True,
                                source="jalverify.learners.minimax_q")

    def _make(self, game: Any, seed: int) -> Any:
        from jalverify.learners.minimax_q import minimax_q

        return minimax_q(game, seed=seed)
