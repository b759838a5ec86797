"""Typed protocols for code that jalverify validates, and the capabilities each target declares.

A *target* is an object whose methods jalverify calls on games it generates.  Each target carries a
:class:`Capabilities` record stating what it promises (how many players, zero-sum only, all equilibria or one,
exact or within a float tolerance, degenerate games supported, which solution concept).  The capabilities
select which checks apply, so a target is never accused of breaking a promise it never made (after cvxpy's
solver interface, where every solver declares what it ``accepts()``).

Six kinds of target (structural :class:`typing.Protocol` classes: no base class is needed):

* :class:`NashSolver`: ``solve(game) -> sequence of profiles`` (one or all Nash equilibria);
* :class:`MinimaxSolver`: ``solve(game) -> MinimaxAnswer`` (value and optimal strategies of a two-player
  zero-sum game);
* :class:`StageSolver`: ``solve(payoffs) -> StageAnswer`` (payoff tensor of a stage game → one joint distribution
  and each player's value; the shape used inside JAL-GT learners, book Algorithm 7), or
  :class:`MarginalStageAnswer` (per-player marginals and values) when the library discloses no joint
  distribution;
* :class:`PolicyEvaluator`: ``evaluate(game, policy) -> EvaluationAnswer`` (``V^π`` and ``Q^π``, book Eq. 6.9);
* :class:`JointActionLearner`: ``reset / act / observe / q_values`` and optionally ``backup``;
* :class:`PolicyLearner`: ``train(env, steps, seed)`` on a PettingZoo environment of the game
  (:func:`jalverify.envs.parallel_env`), then ``policy(agent, observation) -> distribution over actions``, and
  optionally ``snapshots()``: code written against an environment API, with no joint Q table to compare.

Any target may also define ``warm_up()``: the runner calls it once in every fresh worker process with a long
time limit, before timing anything (for libraries that compile on first use, e.g. with numba).

Numbers a target returns may be ``float``, ``int``, :class:`~fractions.Fraction` or anything
:func:`jalverify.numbers.parse_number` reads; floats are converted *exactly* (``Fraction(0.1)`` is the binary
value) before any check, so a witness is always exact.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple, Protocol, runtime_checkable

from jalverify.errors import BadInput, JalverifyError

__all__ = [
    "Capabilities",
    "Concept",
    "EvaluationAnswer",
    "InvalidTarget",
    "JointActionLearner",
    "MarginalStageAnswer",
    "MinimaxAnswer",
    "MinimaxSolver",
    "MissingExtra",
    "NashSolver",
    "PolicyEvaluator",
    "PolicyLearner",
    "StageAnswer",
    "StageSolver",
    "TargetKind",
    "kind_of",
]


class MissingExtra(JalverifyError, ImportError):
    """A built-in adapter needs a third-party library that is not installed; the message names the extra."""

    def __init__(self, library: str, extra: str, where: str) -> None:
        super().__init__(
            f"{where}: the library {library!r} is not installed; install it with: pip install \"jalverify[{extra}]\""
        )
        self.library = library
        self.extra = extra


class InvalidTarget(BadInput):
    """A validation target is malformed: bad ``module:object`` reference, missing method or capabilities."""


class Concept(enum.Enum):
    """The solution concept a target computes."""

    NASH = "nash"
    PURE_NASH = "pure-nash"
    CORRELATED = "ce"
    COARSE_CORRELATED = "cce"
    MINIMAX = "minimax"
    #: the team optimum of a common-payoff game (the joint policy maximising the common value)
    TEAM = "team"


class TargetKind(enum.Enum):
    """What kind of code a target is; selects the suite of checks."""

    SOLVER = "solver"
    STAGE_SOLVER = "stage-solver"
    LEARNER = "learner"
    EVALUATOR = "evaluator"
    POLICY_LEARNER = "policy-learner"


@dataclass(frozen=True)
class Capabilities:
    """What a target promises.  Every check consults these before judging.

    Parameters
    ----------
    kind : TargetKind
        Which protocol the target implements.
    concept : Concept
        The solution concept computed (Nash, pure Nash, CE, CCE, minimax).
    players : int or "n"
        ``2`` for two-player (bimatrix) games only, ``"n"`` for any number of players.
    zero_sum_only : bool
        The target only accepts two-player zero-sum (or constant-sum) games.
    finds_all : bool
        The target returns *every* extreme equilibrium (completeness is checked), not just one.
    exact : bool
        Answers are exact rationals: a returned profile must have exact regret 0 (tolerance 0).
    degenerate_supported : bool
        The target promises correct answers on degenerate games as well.  When false, checks on degenerate
        games are skipped for the promises it does not make there (completeness, at least one).
    tolerance : float
        Absolute tolerance on regrets, probabilities and values, scaled by ``max(1, max |payoff|)``.  Ignored
        (taken as 0) when ``exact`` is true.
    max_actions : int or None
        Largest number of actions per player the target is meant for (None: no limit declared).
    min_actions : int
        Smallest number of actions per player the target accepts (default 1).  Games with a player below it are
        never sent: a library that rejects 1-action games by design is not accused of failing on them.
    square_only : bool
        The target only accepts games where every player has the same number of actions.
    state_action_sets : bool
        For learners and evaluators: the target handles stochastic games whose states offer different numbers
        of actions (per-state action sets, as in turn-based games).  False for tabular code that takes one
        action list for every state; such a target only gets games with the same actions everywhere.
    has_backup : bool
        For learners: the object exposes ``backup(game, Q)``, its backup operator.
    backup_sampled : bool
        For learners with ``has_backup``: ``backup(game, Q)`` returns one *sampled* backup (next state, and
        possibly the next joint action, drawn at random, as a model-free update does), not the expectation.
        jalverify then estimates the expectation over repeated calls with a stated confidence and refutes only
        when the confidence interval excludes the exact answer.
    converges : bool
        For learners: the target claims that ``Q`` converges to the exact ``Q*`` (e.g. minimax-Q in zero-sum
        games, Littman & Szepesvári 1996); without that claim convergence is reported, never refuted.  For policy
        learners: the target claims that after the validation's training steps its learned stationary policy
        meets ``concept`` within ``tolerance`` (Nash: NashConv; minimax: NashConv of the zero-sum game; team:
        the gap to the team optimum), so a larger exact gap is a refutation.
    common_payoff_only : bool
        For policy learners: only common-payoff games (every player gets the same reward).
    turn_based_only : bool
        For policy learners: only turn-based games (at most one player with a choice in each state).
    max_states : int or None
        For policy learners: largest number of states of a game the target is meant for (``1``: repeated
        normal-form games only, e.g. fictitious play).
    source : str
        Where the promises come from (documentation URL or citation), shown in reports.
    notes : tuple of str
        Anything else a reader of a report should know (documented caveats, warnings).
    """

    kind: TargetKind = TargetKind.SOLVER
    concept: Concept = Concept.NASH
    players: int | Literal["n"] = 2
    zero_sum_only: bool = False
    finds_all: bool = False
    exact: bool = False
    degenerate_supported: bool = True
    tolerance: float = 1e-9
    max_actions: int | None = None
    min_actions: int = 1
    square_only: bool = False
    state_action_sets: bool = True
    has_backup: bool = False
    backup_sampled: bool = False
    converges: bool = False
    common_payoff_only: bool = False
    turn_based_only: bool = False
    max_states: int | None = None
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        where = "Capabilities()"
        if not isinstance(self.kind, TargetKind):
            raise InvalidTarget(f"{where}: kind must be a TargetKind, got {self.kind!r}")
        if not isinstance(self.concept, Concept):
            raise InvalidTarget(f"{where}: concept must be a Concept, got {self.concept!r}")
        if self.players != "n" and not (isinstance(self.players, int) and self.players >= 1):
            raise InvalidTarget(f"{where}: players must be a positive int or 'n', got {self.players!r}")
        tol = self.tolerance
        if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol >= 0):
            raise InvalidTarget(f"{where}: tolerance must be a finite number >= 0, got {tol!r}")
        if not (isinstance(self.min_actions, int) and self.min_actions >= 1):
            raise InvalidTarget(f"{where}: min_actions must be an int >= 1, got {self.min_actions!r}")
        if self.max_actions is not None and not (isinstance(self.max_actions, int) and
                                                 self.max_actions >= self.min_actions):
            raise InvalidTarget(f"{where}: max_actions must be None or an int >= min_actions "
                                f"({self.min_actions}), got {self.max_actions!r}")
        if self.backup_sampled and not self.has_backup:
            raise InvalidTarget(f"{where}: backup_sampled=True needs has_backup=True")
        if self.concept is Concept.MINIMAX and self.kind is TargetKind.SOLVER and not self.zero_sum_only:
            object.__setattr__(self, "zero_sum_only", True)
        if self.kind is TargetKind.POLICY_LEARNER:
            if self.concept not in (Concept.NASH, Concept.MINIMAX, Concept.TEAM):
                raise InvalidTarget(f"{where}: a policy learner claims nash, minimax or team, not {self.concept.value}")
            if self.concept is Concept.MINIMAX and not self.zero_sum_only:
                object.__setattr__(self, "zero_sum_only", True)
            if self.concept is Concept.TEAM and not self.common_payoff_only:
                object.__setattr__(self, "common_payoff_only", True)
            if self.max_states is not None and not (isinstance(self.max_states, int) and self.max_states >= 1):
                raise InvalidTarget(f"{where}: max_states must be None or an int >= 1, got {self.max_states!r}")
            if self.zero_sum_only and self.common_payoff_only:
                raise InvalidTarget(f"{where}: zero_sum_only and common_payoff_only leave only games with no rewards")

    @property
    def effective_tolerance(self) -> float:
        """The tolerance actually used: 0 for an exact target."""
        return 0.0 if self.exact else float(self.tolerance)

    def accepts(self, n_players: int, n_actions: Sequence[int], zero_sum: bool) -> bool:
        """Whether a game of this shape is within the declared domain."""
        if self.players != "n" and n_players != self.players:
            return False
        if self.zero_sum_only and not zero_sum:
            return False
        if self.max_actions is not None and max(n_actions) > self.max_actions:
            return False
        if min(n_actions) < self.min_actions:
            return False
        if self.square_only and len(set(n_actions)) > 1:
            return False
        return True

    def restricted(self, *, min_actions: int | None = None, max_actions: int | None = None,
                   square_only: bool = False, players: int | None = None, zero_sum_only: bool = False) -> Capabilities:
        """These capabilities narrowed by a user's limits (``jalverify validate --min-actions`` and friends,
        ``check_solver(min_actions=...)``): a limit can only shrink the domain searched, never widen what the
        target declared.  Raises :class:`InvalidTarget` when a limit contradicts the declaration (e.g.
        ``players=3`` for a two-player target), so no option is silently ignored."""
        changes: dict[str, Any] = {}
        if min_actions is not None:
            changes["min_actions"] = max(self.min_actions, int(min_actions))
        if max_actions is not None:
            changes["max_actions"] = int(max_actions) if self.max_actions is None else min(self.max_actions,
                                                                                          int(max_actions))
        lo, hi = changes.get("min_actions", self.min_actions), changes.get("max_actions", self.max_actions)
        if hi is not None and hi < lo:
            raise InvalidTarget(f"the action limits leave no game: at least {lo} and at most {hi} actions per player "
                                f"(declared by the target: min {self.min_actions}, max {self.max_actions})")
        if square_only:
            changes["square_only"] = True
        if players is not None:
            if self.players != "n" and self.players != players:
                raise InvalidTarget(f"players {players}: the target declares {self.players}-player games only")
            changes["players"] = int(players)
        if zero_sum_only:
            changes["zero_sum_only"] = True
        return replace(self, **changes) if changes else self

    def with_(self, **changes: Any) -> Capabilities:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "concept": self.concept.value,
            "players": self.players,
            "zero_sum_only": self.zero_sum_only,
            "finds_all": self.finds_all,
            "exact": self.exact,
            "degenerate_supported": self.degenerate_supported,
            "tolerance": self.effective_tolerance,
            "max_actions": self.max_actions,
            "min_actions": self.min_actions,
            "square_only": self.square_only,
            "state_action_sets": self.state_action_sets,
            "has_backup": self.has_backup,
            "backup_sampled": self.backup_sampled,
            "converges": self.converges,
            "common_payoff_only": self.common_payoff_only,
            "turn_based_only": self.turn_based_only,
            "max_states": self.max_states,
            "source": self.source,
            "notes": list(self.notes),
        }


class MinimaxAnswer(NamedTuple):
    """What a minimax solver returns: the value for the row player and one optimal strategy per player."""

    value: Any
    row_strategy: Sequence[Any]
    column_strategy: Sequence[Any]


class StageAnswer(NamedTuple):
    """What a stage solver returns: a distribution over joint actions (shape ``k``) and each player's value."""

    distribution: Any
    values: Sequence[Any]


class MarginalStageAnswer(NamedTuple):
    """What a stage solver that discloses no joint distribution returns: each player's marginal mixture and
    value (e.g. OpenSpiel's ``CorrelatedEqSolver``, whose public call returns ``(mixtures, values)``).

    It is judged as it is, never completed by us: a check can only ask whether *some* distribution of the
    declared concept has these marginals and values (:func:`jalverify.validation.reference.marginal_concept_gap`,
    an exact LP), and refutes when none has.
    """

    marginals: Sequence[Sequence[Any]]
    values: Sequence[Any]


class EvaluationAnswer(NamedTuple):
    """What a policy evaluator returns: ``V[i][s]`` and ``Q[s][i][a]`` (per state, shape ``(n, *k_s)``)."""

    V: Any
    Q: Sequence[Any]


@runtime_checkable
class NashSolver(Protocol):
    """Returns one or all Nash equilibria of a normal-form game.

    ``solve(game)`` receives an exact :class:`~jalverify.games.NormalFormGame` (convert with
    ``numpy.asarray(game.payoffs, dtype=float)`` if the library wants floats) and returns a sequence of
    profiles, each a sequence of one probability vector per player.  An empty sequence means "no equilibrium
    found"; a failure should raise.
    """

    capabilities: Capabilities

    def solve(self, game: Any) -> Sequence[Sequence[Sequence[Any]]]: ...


@runtime_checkable
class MinimaxSolver(Protocol):
    """Solves a two-player zero-sum game: ``solve(game) -> MinimaxAnswer`` (or any 3-tuple in that order)."""

    capabilities: Capabilities

    def solve(self, game: Any) -> MinimaxAnswer: ...


@runtime_checkable
class StageSolver(Protocol):
    """Payoff tensor of shape ``(n, *k)`` → one joint distribution of shape ``k`` and ``n`` values
    (:class:`StageAnswer`), or only the ``n`` marginals and values (:class:`MarginalStageAnswer`).

    The tensor is ``float64`` for a float target and an object array of Fractions for an exact one.
    """

    capabilities: Capabilities

    def solve(self, payoffs: Any) -> StageAnswer | MarginalStageAnswer: ...


@runtime_checkable
class PolicyLearner(Protocol):
    """Learns a stationary policy by playing a PettingZoo environment.

    ``train(env, steps, seed)`` receives a ``pettingzoo.ParallelEnv`` of the game (:func:`jalverify.envs.parallel_env`:
    agents named by the game's players, observation = the state, rewards undiscounted per step: the discount
    ``env.metadata["gamma"]`` is the learner's business) and may take ``steps`` environment steps.  Afterwards
    ``policy(agent, observation)`` returns the probabilities of the agent's actions in that observation (a
    sequence as long as the agent's action space; masked actions must get 0).  ``snapshots()``, when present,
    returns ``[(steps_done, {agent: [distribution per state]}), ...]`` taken during training (the trace on which
    the policy, averaged-policy, expected-return and average-return notions are judged).  The environment records
    every joint action played (``record_play=True``): the empirical distribution is read from it, and a learner
    that takes more than ``steps`` steps is refused.
    """

    capabilities: Capabilities

    def train(self, env: Any, steps: int, seed: int) -> None: ...

    def policy(self, agent: str, observation: Any) -> Sequence[float]: ...


@runtime_checkable
class PolicyEvaluator(Protocol):
    """``evaluate(game, policy) -> EvaluationAnswer`` for a :class:`~jalverify.games.StochasticGame` and a
    :class:`~jalverify.games.StationaryPolicy`."""

    capabilities: Capabilities

    def evaluate(self, game: Any, policy: Any) -> EvaluationAnswer: ...


@runtime_checkable
class JointActionLearner(Protocol):
    """A tabular joint-action learner driven by transitions of a :class:`~jalverify.games.StochasticGame`.

    * ``reset(game, seed)``: start learning on ``game`` (state and action indices as in the game);
    * ``act(state) -> joint action`` (one action index per player);
    * ``observe(state, joint_action, rewards, next_state)``: one transition, ``rewards[i]`` per player;
    * ``q_values() -> Q`` with ``Q[s]`` of shape ``(n, *k_s)``;
    * optionally ``backup(game, Q) -> Q'``: the expected (model-based) backup operator, if
      ``capabilities.has_backup``; with ``capabilities.backup_sampled`` one sampled backup per call instead
      (successive calls drawing from one ongoing random stream, never reseeded per call, so that their mean
      estimates the expectation).

    The backup follows the episodic convention of :class:`~jalverify.games.StochasticGame`: a terminal state has
    value 0 and nothing is bootstrapped from it, whatever ``Q`` holds there (checked: claim
    ``validate.learner.terminal_states``); a stage value of ``Q[s']`` lies within that player's entries of
    ``Q[s']`` (it is an expectation of them), which bounds every correct sample.
    """

    capabilities: Capabilities

    def reset(self, game: Any, seed: int) -> None: ...

    def act(self, state: int) -> Sequence[int]: ...

    def observe(self, state: int, joint_action: Sequence[int], rewards: Sequence[Any], next_state: int) -> None: ...

    def q_values(self) -> Sequence[Any]: ...


def kind_of(target: Any) -> TargetKind:
    """The kind a target declares in its capabilities.

    Raises
    ------
    InvalidTarget
        When the target has no :class:`Capabilities` in ``capabilities``.
    """
    caps = getattr(target, "capabilities", None)
    if not isinstance(caps, Capabilities):
        raise InvalidTarget(
            f"kind_of(): target {target!r} has no 'capabilities' attribute of type jalverify.adapters.Capabilities "
            f"(got {type(caps).__name__})"
        )
    return caps.kind
