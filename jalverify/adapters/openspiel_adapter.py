"""Adapters for OpenSpiel (Lanctot et al. 2019, arXiv:1908.09453): the zero-sum LP, the matrix Nash solver,
the joint-action stage solvers, and the tabular multi-agent Q-learner with each joint-action solver.

What OpenSpiel documents (docstrings in ``open_spiel/python/algorithms``; https://github.com/google-deepmind/open_spiel):

* ``lp_solver.solve_zero_sum_matrix_game(game)``: "Solves a matrix game by using linear programming" (Shoham &
  Leyton-Brown 2009, §4.1); returns both strategies and both values.  Uses cvxopt (installed with
  ``jalverify[openspiel]``).  Checked as a minimax solver, tolerance 1e-6 (our choice for an interior-point LP).
* ``matrix_nash.lemke_howson_solve(row, col)``: "The algorithm is not guaranteed to find all equilibria. Also it
  can yield wrong answers if the game is degenerate (but raises warnings in that case)": ``finds_all=False``,
  ``degenerate_supported=False``.  (The module's lrsnash route needs an ``lrsnash`` binary; not adapted.)
* ``tabular_multiagent_qlearner``: ``TwoPlayerNashSolver`` ("solving for Nash for two-player games"; it runs
  nashpy support enumeration, picks the equilibrium of largest welfare, and falls back to uniform strategies
  when none is found), ``CorrelatedEqSolver(is_cce=False)`` ("solving for correlated equilibrium"; maximum-Gini
  via ``jpsro._mgcce``) and ``CorrelatedEqSolver(is_cce=True)``; ``MultiagentQLearner`` (constant step size
  0.1, ε-greedy 0.2 by default: no convergence claim, so convergence is reported, never refuted).

What the adapters return is what OpenSpiel's public entry points return, never recomputed:

* the Nash stage solver: ``TwoPlayerNashSolver()(payoffs)`` returns two mixtures and two values; a Nash answer
  is a product distribution, so the joint distribution handed to the checks is the product of the two returned
  mixtures (the only reading of a mixed profile).  When nashpy finds nothing, OpenSpiel itself substitutes
  uniform strategies (documented in its code: "If no plausible nash found, use uniform mixed strategies"); that
  substitute is what OpenSpiel returns, so it is what gets judged;
* the correlated stage solvers: ``CorrelatedEqSolver(is_cce=...)(payoffs)`` returns each player's *marginal*
  of its joint distribution and each player's value, not the joint distribution itself.  The adapter returns
  exactly that, as a :class:`~jalverify.adapters.protocols.MarginalStageAnswer`; the check asks whether any
  CE (or CCE) has these marginals and values (an exact LP,
  :func:`jalverify.validation.reference.marginal_concept_gap`).  (In OpenSpiel 2.0.2 both ``is_cce`` branches
  call the same maximum-Gini CCE routine ``jpsro._mgcce``; we do not call it ourselves.)

The learner adapter drives one ``MultiagentQLearner`` per player through ``step(time_step, actions)``; an agent
that returns no action where OpenSpiel promises one is an error, never replaced by a default action.  Its
``backup(game, Q)`` is the expectation of the learner's own TD target ``r + γ · next_state_values`` (the values
from its joint-action solver) over the game's transitions, which is the operator whose fixed point Nash-/CE-Q
aims at (book Algorithm 7).  ``q_values()`` reports 0 for a (state, joint action) the learner never updated:
that is OpenSpiel's own initial value (its tables are ``defaultdict(float)``).  Action sets must be the same in
every state (OpenSpiel's learner takes one ``num_actions`` list); the learner checks only generate such games.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np

from jalverify.adapters._common import float_matrices, require
from jalverify.adapters.protocols import (
    Capabilities,
    Concept,
    MarginalStageAnswer,
    MinimaxAnswer,
    StageAnswer,
    TargetKind,
)
from jalverify.errors import SolverError, UnsupportedGame

__all__ = [
    "MatrixNashLemkeHowson",
    "QLearnerCoarseCorrelated",
    "QLearnerCorrelated",
    "QLearnerNash",
    "StageCoarseCorrelated",
    "StageCorrelated",
    "StageNash",
    "ZeroSumLinearProgram",
]

SOURCE = "open_spiel/python/algorithms (docstrings), https://github.com/google-deepmind/open_spiel"
EXTRA = "openspiel"


class ZeroSumLinearProgram:
    """``open_spiel.python.algorithms.lp_solver.solve_zero_sum_matrix_game``."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=1e-6, source=SOURCE)

    def solve(self, game: Any) -> MinimaxAnswer:
        pyspiel = require("pyspiel", EXTRA, "openspiel.lp_zero_sum")
        lp_solver = require("open_spiel.python.algorithms.lp_solver", EXTRA, "openspiel.lp_zero_sum")
        A, B = float_matrices(game)
        matrix_game = pyspiel.create_matrix_game(A.tolist(), B.tolist())
        x, y, v0, _ = lp_solver.solve_zero_sum_matrix_game(matrix_game)
        return MinimaxAnswer(float(v0), [float(p) for p in np.asarray(x).reshape(-1)],
                             [float(p) for p in np.asarray(y).reshape(-1)])


class MatrixNashLemkeHowson:
    """``open_spiel.python.algorithms.matrix_nash.lemke_howson_solve`` (nashpy Lemke–Howson from every label,
    discarding ill-shaped or non-finite results on degenerate games)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False, exact=False,
                                degenerate_supported=False, tolerance=1e-7, source=SOURCE,
                                notes=("not guaranteed to find all equilibria; wrong answers possible on degenerate "
                                       "games (docstring): not checked there",))

    def solve(self, game: Any) -> list[list[list[float]]]:
        matrix_nash = require("open_spiel.python.algorithms.matrix_nash", EXTRA, "openspiel.matrix_nash_lcp")
        A, B = float_matrices(game)
        out: list[list[list[float]]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for x, y in matrix_nash.lemke_howson_solve(A, B):
                candidate = [[float(v) for v in np.asarray(x).reshape(-1)], [float(v) for v in np.asarray(y).reshape(-1)]]
                if candidate not in out:
                    out.append(candidate)
        return out


def _joint_action_solver(concept: Concept) -> Any:
    qlearner = require("open_spiel.python.algorithms.tabular_multiagent_qlearner", EXTRA, "openspiel joint-action solver")
    if concept is Concept.NASH:
        return qlearner.TwoPlayerNashSolver()
    return qlearner.CorrelatedEqSolver(is_cce=concept is Concept.COARSE_CORRELATED)


class _Stage:
    concept = Concept.NASH

    def warm_up(self) -> None:
        """Import OpenSpiel and cvxpy and solve one 2×2 stage game, run once per fresh worker under the runner's
        first-call limit, so that the timed calls measure the solver and not the imports (several seconds on a
        loaded machine, which once exceeded the 10 s per-call limit on the first call)."""
        self.solve(np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]))

    def solve(self, payoffs: Any) -> StageAnswer | MarginalStageAnswer:
        """OpenSpiel's joint-action solver called as a user would (``solver(payoffs)``), its answer unchanged:
        the product of the two mixtures for Nash, the marginals and values for CE / CCE (module docstring)."""
        P = np.asarray(payoffs, dtype=np.float64)
        solver = _joint_action_solver(self.concept)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mixtures, values = solver(P)
        values_out = [float(v) for v in values]
        if self.concept is Concept.NASH:
            joint = np.asarray(mixtures[0], dtype=np.float64)
            for m in mixtures[1:]:
                joint = np.multiply.outer(joint, np.asarray(m, dtype=np.float64))
            return StageAnswer(joint, values_out)
        return MarginalStageAnswer([[float(p) for p in np.asarray(m, dtype=np.float64).reshape(-1)] for m in mixtures],
                                   values_out)


class StageNash(_Stage):
    """``TwoPlayerNashSolver()`` as a stage solver: the product of its two mixtures and its values."""

    concept = Concept.NASH
    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.NASH, players=2, exact=False,
                                degenerate_supported=False, tolerance=1e-7, source=SOURCE,
                                notes=("runs nashpy support enumeration, which is documented to misbehave on "
                                       "degenerate games: only nondegenerate stage games are checked",))


class StageCorrelated(_Stage):
    """``CorrelatedEqSolver(is_cce=False)``: documented as "solving for correlated equilibrium"; returns the
    marginals and values OpenSpiel returns (:class:`~jalverify.adapters.protocols.MarginalStageAnswer`)."""

    concept = Concept.CORRELATED
    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.CORRELATED, players="n", exact=False,
                                tolerance=1e-5, source=SOURCE,
                                notes=("tolerance 1e-5: a quadratic program solved by cvxpy",
                                       ("OpenSpiel returns marginals and values only: judged by whether some "
                                        "equilibrium of the concept has them")))


class StageCoarseCorrelated(_Stage):
    """``CorrelatedEqSolver(is_cce=True)``: coarse correlated equilibrium of maximum Gini impurity; returns the
    marginals and values OpenSpiel returns (:class:`~jalverify.adapters.protocols.MarginalStageAnswer`)."""

    concept = Concept.COARSE_CORRELATED
    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.COARSE_CORRELATED, players="n",
                                exact=False, tolerance=1e-5, source=SOURCE,
                                notes=("tolerance 1e-5: a quadratic program solved by cvxpy",
                                       ("OpenSpiel returns marginals and values only: judged by whether some "
                                        "equilibrium of the concept has them")))


class _QLearner:
    """One ``MultiagentQLearner`` per player, driven through OpenSpiel's ``step(time_step, actions)``."""

    concept = Concept.NASH

    def __init__(self) -> None:
        self._agents: list[Any] = []
        self._pending: tuple[tuple[int, ...], list[float], int] | None = None
        self._game: Any = None

    # --- helpers ---------------------------------------------------------------------------------------
    def _time_step(self, state: int, rewards: list[float] | None, step_type: Any) -> Any:
        rl_environment = require("open_spiel.python.rl_environment", EXTRA, "openspiel Q-learner")
        n = self._game.n_players
        legal = [list(range(k)) for k in self._game.n_actions(state)]
        observations = {"info_state": [[state]] * n, "legal_actions": legal, "current_player": -2}
        return rl_environment.TimeStep(observations=observations, rewards=rewards or [0.0] * n,
                                       discounts=[1.0] * n, step_type=step_type)

    def reset(self, game: Any, seed: int) -> None:
        qlearner = require("open_spiel.python.algorithms.tabular_multiagent_qlearner", EXTRA, "openspiel Q-learner")
        counts = {tuple(game.n_actions(s)) for s in range(game.n_states) if not game.terminal[s]}
        if len(counts) > 1:
            raise UnsupportedGame(f"OpenSpiel's MultiagentQLearner needs the same action counts in every non-terminal "
                                  f"state; game {game.name or '(unnamed)'!r} has {sorted(counts)}")
        np.random.seed(seed)
        self._game = game
        num_actions = list(counts.pop()) if counts else [1] * game.n_players
        self._agents = [qlearner.MultiagentQLearner(i, game.n_players, num_actions, _joint_action_solver(self.concept),
                                                    discount_factor=float(game.gamma))
                        for i in range(game.n_players)]
        self._pending = None
        self._state: int | None = None

    def _deliver(self, state: int, step_type: Any) -> list[Any]:
        joint, rewards, _ = self._pending if self._pending is not None else ((), None, None)
        ts = self._time_step(state, rewards, step_type)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outs = [agent.step(ts, actions=list(joint)) for agent in self._agents]
        self._pending = None
        return outs

    def _actions(self, outs: list[Any], state: int) -> list[int]:
        """The actions the agents chose; an agent that chose none (OpenSpiel acts at every non-final step) is
        an error, never replaced by a default action."""
        missing = [i for i, o in enumerate(outs) if o is None or o.action is None]
        if missing:
            raise SolverError(f"openspiel MultiagentQLearner: agent(s) {missing} returned no action at state {state} "
                              "(a non-final step)")
        return [int(o.action) for o in outs]

    def act(self, state: int) -> tuple[int, ...]:
        rl_environment = require("open_spiel.python.rl_environment", EXTRA, "openspiel Q-learner")
        StepType = rl_environment.StepType
        if self._pending is not None and self._pending[2] != state:
            # The driver restarted the episode elsewhere: deliver the pending transition (bootstrapping from its
            # real next state, as OpenSpiel would), then start a new episode at `state`.
            self._deliver(self._pending[2], StepType.MID)
            for agent in self._agents:
                agent._prev_info_state = None
        step_type = StepType.MID if self._pending is not None else StepType.FIRST
        return tuple(self._actions(self._deliver(state, step_type), state))

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        self._pending = (tuple(int(a) for a in joint_action), [float(r) for r in rewards], int(next_state))
        if self._game.terminal[next_state]:
            rl_environment = require("open_spiel.python.rl_environment", EXTRA, "openspiel Q-learner")
            self._deliver(next_state, rl_environment.StepType.LAST)

    def q_values(self) -> list[np.ndarray]:
        game = self._game
        table = self._agents[0]._q_values
        out = []
        for s in range(game.n_states):
            k = tuple(game.n_actions(s))
            q = np.zeros((game.n_players,) + k)
            # the learner keys its tables by str(observations["info_state"]); _time_step gives every player [s]
            key = str([[s]] * game.n_players)
            for n in range(game.n_players):
                for joint in itertools.product(*(range(c) for c in k)):
                    # OpenSpiel's own initial value for entries never updated (defaultdict(float)); read without
                    # indexing so the learner's tables are not modified
                    q[(n,) + joint] = table[n][key].get(joint, 0.0) if key in table[n] else 0.0
            out.append(q)
        return out

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        """Expected TD target of the learner: ``Σ_s' T(s'|s,a) [R(s,a,s') + γ · V(s')]`` with ``V(s')`` the values
        the learner's joint-action solver returns for the stage game ``Q[s']`` (0 at terminal states)."""
        solver = _joint_action_solver(self.concept)
        gamma = float(game.gamma)
        values = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for s in range(game.n_states):
                if game.terminal[s]:
                    values.append(np.zeros(game.n_players))
                else:
                    _, v = solver(np.asarray(Q[s], dtype=np.float64))
                    values.append(np.asarray(v, dtype=np.float64))
        out = []
        for s in range(game.n_states):
            k = tuple(game.n_actions(s))
            q = np.zeros((game.n_players,) + k)
            if not game.terminal[s]:
                T = np.vectorize(float, otypes=[np.float64])(np.asarray(game.transitions[s], dtype=object))
                R = np.vectorize(float, otypes=[np.float64])(np.asarray(game.rewards[s], dtype=object))
                for n in range(game.n_players):
                    for joint in itertools.product(*(range(c) for c in k)):
                        q[(n,) + joint] = sum(T[joint + (t,)] * (R[(n,) + joint + (t,)] + gamma * values[t][n])
                                              for t in range(game.n_states))
            out.append(q)
        return out


def _learner_caps(concept: Concept) -> Capabilities:
    return Capabilities(kind=TargetKind.LEARNER, concept=concept, players=2 if concept is Concept.NASH else "n",
                        exact=False, tolerance=1e-5, has_backup=True, converges=False, state_action_sets=False,
                        source=SOURCE,
                        notes=("constant step size 0.1 and ε = 0.2: no convergence claim",
                               "backup = expected TD target built from the learner's own joint-action solver"))


class QLearnerNash(_QLearner):
    """``MultiagentQLearner`` with ``TwoPlayerNashSolver`` (Nash-Q, Hu & Wellman 2003)."""

    concept = Concept.NASH
    capabilities = _learner_caps(Concept.NASH)


class QLearnerCorrelated(_QLearner):
    """``MultiagentQLearner`` with ``CorrelatedEqSolver(is_cce=False)`` (CE-Q, Greenwald & Hall 2003)."""

    concept = Concept.CORRELATED
    capabilities = _learner_caps(Concept.CORRELATED)


class QLearnerCoarseCorrelated(_QLearner):
    """``MultiagentQLearner`` with ``CorrelatedEqSolver(is_cce=True)``."""

    concept = Concept.COARSE_CORRELATED
    capabilities = _learner_caps(Concept.COARSE_CORRELATED)
