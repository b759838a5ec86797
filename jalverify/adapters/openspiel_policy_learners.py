"""OpenSpiel's tabular learners as policy learners, trained through the PettingZoo environment of a game (issue 14 §3).

The validation hands a policy learner a PettingZoo ``ParallelEnv`` (:func:`jalverify.envs.parallel_env`) and
afterwards asks ``policy(agent, observation)``.  OpenSpiel's reinforcement-learning agents do not speak PettingZoo:
they consume OpenSpiel's ``rl_environment.TimeStep`` (Lanctot et al. 2019, arXiv:1908.09453;
``open_spiel/python/rl_environment.py``).  :class:`TimeStepTranslator` turns every step of the PettingZoo
environment into the ``TimeStep`` that OpenSpiel's ``rl_environment.Environment(game, discount=γ)`` would emit for a
simultaneous-move game, and the two adapters drive OpenSpiel's own agents with it, unchanged:

* :class:`MultiagentQLearnerEnv`: ``tabular_multiagent_qlearner.MultiagentQLearner`` (Nash-Q, Hu & Wellman 2003),
  one per player, with ``TwoPlayerNashSolver``;
* :class:`WoLFPHCEnv`: ``wolf_phc.WoLFPHC`` (WoLF policy hill-climbing, Bowling & Veloso 2002), one independent
  agent per player, on repeated matrix games.

The translation (what OpenSpiel's agents read; ``rl_environment.py`` and each agent's ``step``)
--------------------------------------------------------------------------------------------------
* ``observations["info_state"]``: one list per player, the one-hot encoding of the state as floats (the form of
  OpenSpiel's observation tensors; the tabular agents key their tables by ``str`` of it: ``MultiagentQLearner`` by
  the whole list, ``WoLFPHC`` by its own player's entry).  Every player observes the state (the games are fully
  observable).
* ``observations["legal_actions"]``: per player, the actions the environment's ``action_mask`` allows (none at the
  last step, as at an OpenSpiel terminal state); ``observations["current_player"]`` is
  ``rl_environment.SIMULTANEOUS_PLAYER_ID`` (−2), at the last step ``pyspiel.PlayerId.TERMINAL`` (−4);
  ``observations["serialized_state"]`` is empty (OpenSpiel's environment without ``include_full_state``).
* ``rewards``: ``None`` at the first step of an episode, else the environment's undiscounted rewards in the order of
  ``env.possible_agents``.
* ``discounts``: ``None`` at the first step; ``[γ] * n`` at a middle step; ``[0] * n`` at the last step
  (``rl_environment.Environment.get_time_step`` sets the discount to 0 at a terminal state); γ is
  ``Fraction(env.metadata["gamma"])`` as a float.  (The two agents adapted here do not read ``discounts``: they
  bootstrap with their own ``discount_factor``, which the adapters set to the same γ.)
* ``step_type``: ``FIRST`` after ``reset``; ``LAST`` when the environment *terminated* (a terminal state of the
  game: nothing is bootstrapped, as OpenSpiel's agents do at ``LAST``); ``MID`` otherwise, **including a truncated
  step**.  OpenSpiel's environment has no truncation (its episodes end in terminal states only), and a state cut by
  the horizon is not terminal: its value is bootstrapped from the real next state.  The adapters therefore deliver
  a truncated step as ``MID`` (the agents learn from it; the actions they return are not played), then start the
  next episode by clearing each agent's ``_prev_info_state`` (what the agents themselves do after ``LAST``; OpenSpiel
  has no public call for it, and without it the first step of the next episode would be learned as a transition
  from the cut state).

Extras: the adapters need OpenSpiel (``jalverify[openspiel]``, the family's extra in the registry) and PettingZoo
(``jalverify[pettingzoo]``).  Loading them needs neither (capabilities are static, like every built-in adapter's);
``warm_up()``, which the validation runs in every fresh worker before anything else, raises
:class:`~jalverify.adapters.protocols.MissingExtra` naming whichever extra is missing, so ``jalverify validate``
stops at loading the target with that message.

Randomness: OpenSpiel's agents draw from NumPy's global generator (``np.random.choice``), so ``train`` seeds it with
``np.random.seed(seed)``; the environment is reset with ``reset(seed=seed)`` once and then continues its own
generator.  The same seed gives the same training.

What OpenSpiel documents, and what is declared
----------------------------------------------
``MultiagentQLearner`` (``open_spiel/python/algorithms/tabular_multiagent_qlearner.py``): "A multiagent joint
action learner"; it cites Nash-Q (Hu & Wellman 2003), Correlated-Q and Asymmetric-Q.  Its defaults are a constant
step size 0.1 and ε-greedy exploration with constant ε = 0.2.  Hu & Wellman's convergence theorem needs step sizes
satisfying the Robbins–Monro conditions and every stage game met during learning to have a global optimum or a
saddle point; OpenSpiel claims no convergence and its defaults violate the first condition, so **no claim is
declared** (``converges=False``: the check reports the exact NashConv of the learned policy as *not established*
and never refutes it).

* Solver: ``TwoPlayerNashSolver`` ("A joint action solver solving for Nash for two-player games"; nashpy support
  enumeration, the equilibrium of largest welfare, uniform strategies when none is found).  A Nash answer is a pair of
  independent mixtures, so each player's mixture *is* that player's stationary policy in the state: the learned
  policy realises exactly what the solver computed.  The correlated solver (``CorrelatedEqSolver``) returns only
  the marginals of a joint distribution (and in OpenSpiel 2.0.2 computes a coarse correlated equilibrium on both
  branches); players drawing independently from marginals do not play that distribution, so it is not used here.
* Domain: two players (the solver asserts two), general-sum (Nash-Q is defined for general-sum stochastic games;
  the solver does not assume zero sum), and the same action counts in every live state: the learner takes one
  ``num_actions`` list and its solver mixes over all of them, so it could pick an action a state does not offer
  (``state_action_sets=False``; a game whose live states mask actions raises
  :class:`~jalverify.errors.UnsupportedGame`).
* Policy: ``policy(agent, observation)`` is the agent's **greedy** policy, ``step(time_step, is_evaluation=True)``
  (ε = 0, no learning): the ``TwoPlayerNashSolver`` mixture for that player at the learned Q of the state
  (``_get_payoffs_array``), i.e. the stage solution the learner bootstraps with.  In a state it never visited the
  Q table is OpenSpiel's initial 0 and the answer is what the solver returns for the all-zero stage game.

``WoLFPHC`` (``open_spiel/python/algorithms/wolf_phc.py``, "WoLF policy-hill climbing agent", citing Bowling &
Veloso 2002, *Multiagent learning using a variable learning rate*, Artificial Intelligence 136:215–250): an
independent learner per player (its own actions and rewards only), learning Q by Q-learning and hill-climbing its
policy toward the greedy action with step δ_w when winning and δ_l > δ_w when losing.  The paper proves
convergence to a Nash equilibrium for WoLF-IGA (gradient ascent with known payoffs, two players, two actions) and
gives **empirical** results only for WoLF-PHC, the algorithm OpenSpiel implements; OpenSpiel claims nothing more.
So **no claim is declared** (``converges=False``).

* Domain: repeated normal-form games (``max_states=1``), any number of players, general-sum.  OpenSpiel's
  implementation updates the average policy and hill-climbs at the state of the *new* time step rather than at the
  state where the action was taken (the paper's update); in a one-state game the two coincide, elsewhere it is not
  the published algorithm.
* Policy: ``policy(agent, observation)`` is the agent's current policy π (``step(time_step, is_evaluation=True)``
  with ε = 0), the policy WoLF-PHC learns (the average policy only decides "winning").  OpenSpiel's default
  schedules are used (Q step size 10⁴/(t + 10⁶), δ_w = 1/(t + 20000), δ_l = 2/(t + 20000), ε = 0.2): the policy
  moves by at most 10⁻⁴ per action and step, so after n steps every probability is within about n·10⁻⁴ of
  uniform (0.2 after the validation's default 2000 steps).  They are passed as fresh
  schedule objects for every agent: OpenSpiel's defaults are ``WoLFSchedule`` objects created once, when
  ``wolf_phc`` is imported (Python default arguments), and shared by every agent that takes them, so the agents of
  one game would advance one schedule together and a second training in the same process would continue where the
  first stopped.

Cost: ``MultiagentQLearner`` solves a stage game with nashpy's support enumeration up to four times per step.
The agents share one :class:`RememberingSolver`, which answers a repeated stage array from a memo of OpenSpiel's
own answers (same results, about four times fewer solver calls; much more on games whose stage arrays rarely
change).

Both adapters record ``snapshots()`` of their policy at four evenly spaced points of training (read with NumPy's
generator state saved and restored, so reading does not change the training), for the NashConv trend the check
reports.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters._common import require
from jalverify.adapters.protocols import Capabilities, Concept, TargetKind
from jalverify.errors import InvalidOption, SolverError, UnsupportedGame

__all__ = ["MultiagentQLearnerEnv", "RememberingSolver", "TimeStepTranslator", "WoLFPHCEnv", "state_of"]

EXTRA = "openspiel"
#: Policy snapshots taken during training (evenly spaced, the last at the end).
SNAPSHOTS = 4

QLEARNER_SOURCE = ("open_spiel/python/algorithms/tabular_multiagent_qlearner.py (MultiagentQLearner, "
                   "TwoPlayerNashSolver), https://github.com/google-deepmind/open_spiel; Hu & Wellman (2003), "
                   "Nash Q-learning for general-sum stochastic games, JMLR 4:1039-1069")
WOLF_SOURCE = ("open_spiel/python/algorithms/wolf_phc.py (WoLFPHC), https://github.com/google-deepmind/open_spiel; "
               "Bowling & Veloso (2002), Multiagent learning using a variable learning rate, Artificial "
               "Intelligence 136:215-250")


def state_of(observation: Any) -> int:
    """The state index of a PettingZoo observation of :func:`jalverify.envs.parallel_env`: the ``"observation"``
    entry of the dict, an index or a one-hot vector."""
    if isinstance(observation, dict):
        observation = observation["observation"]
    array = np.asarray(observation)
    return int(array) if array.ndim == 0 else int(np.argmax(array))


def _state_count(space: Any) -> int:
    """Number of states of the environment's observation space (``Dict`` with a ``Discrete`` or one-hot ``Box``
    ``"observation"``)."""
    inner = space.spaces["observation"] if hasattr(space, "spaces") and "observation" in space.spaces else space
    if hasattr(inner, "n"):
        return int(inner.n)
    return int(inner.shape[0])


def _discount(env: Any, where: str) -> float:
    """The environment's discount γ as a float; a one-shot game's environment has none and needs none (every
    episode ends after one step, nothing is bootstrapped): 1.0, never applied."""
    gamma = env.metadata.get("gamma")
    if gamma is None:
        if env.metadata.get("one_shot"):
            return 1.0
        raise UnsupportedGame(f"{where}: the environment repeats a normal-form game without a discount "
                              "(metadata['gamma'] is None); give it a stochastic game such as repeated_game(game, γ)")
    gamma = Fraction(str(gamma))
    if not 0 <= gamma <= 1:
        raise UnsupportedGame(f"{where}: discount {gamma} is outside [0, 1]")
    return float(gamma)


class TimeStepTranslator:
    """A PettingZoo parallel environment of a jalverify game, seen as OpenSpiel's ``rl_environment``: ``reset`` and
    ``step`` return the ``TimeStep`` OpenSpiel's agents expect (module docstring, *The translation*).

    Parameters
    ----------
    env : pettingzoo.ParallelEnv
        An environment of :func:`jalverify.envs.parallel_env` (observations ``{"observation", "action_mask"}``,
        ``metadata["gamma"]``).

    Attributes
    ----------
    agents : list of str
        ``env.possible_agents``: OpenSpiel's player ``i`` is ``agents[i]``.
    num_actions : list of int
        Each agent's action-space size.
    n_states : int
        States of the environment's observation space.
    gamma : float
        The discount handed to the agents (and put in ``discounts``).
    truncated : bool
        Whether the last :meth:`step` was cut by the horizon (then its ``TimeStep`` is ``MID``).
    """

    def __init__(self, env: Any) -> None:
        self._rl = require("open_spiel.python.rl_environment", EXTRA, "OpenSpiel time steps")
        self._pyspiel = require("pyspiel", EXTRA, "OpenSpiel time steps")
        self.env = env
        self.agents: list[str] = list(env.possible_agents)
        self.num_actions = [int(env.action_space(a).n) for a in self.agents]
        self.n_states = _state_count(env.observation_space(self.agents[0]))
        self.gamma = _discount(env, "TimeStepTranslator")
        self.truncated = False

    @property
    def n_players(self) -> int:
        return len(self.agents)

    def info_state(self, state: int) -> list[float]:
        """The one-hot float encoding of ``state`` (an OpenSpiel observation tensor)."""
        return [1.0 if j == state else 0.0 for j in range(self.n_states)]

    def legal_actions(self, observations: dict[str, Any]) -> list[list[int]]:
        """Per player, the actions its ``action_mask`` allows (all of them when the observation has no mask)."""
        out = []
        for i, agent in enumerate(self.agents):
            observation = observations[agent]
            if isinstance(observation, dict) and "action_mask" in observation:
                out.append([int(a) for a in np.flatnonzero(np.asarray(observation["action_mask"]))])
            else:
                out.append(list(range(self.num_actions[i])))
        return out

    def time_step(self, observations: dict[str, Any], rewards: Sequence[float] | None, step_type: Any) -> Any:
        """The ``TimeStep`` of ``observations`` (one per agent) with these rewards and step type."""
        StepType = self._rl.StepType
        state = state_of(observations[self.agents[0]])
        states = {state_of(observations[a]) for a in self.agents}
        if len(states) > 1:
            raise UnsupportedGame(f"TimeStepTranslator: the agents observe different states {sorted(states)}; OpenSpiel's "
                                  "tabular learners are driven here on fully observed games only")
        if step_type is StepType.FIRST:
            discounts = None
        elif step_type is StepType.LAST:
            discounts = [0.0] * self.n_players
        else:
            discounts = [self.gamma] * self.n_players
        info = self.info_state(state)
        last = step_type is StepType.LAST
        observation = {"info_state": [list(info) for _ in self.agents],
                       "legal_actions": [[] for _ in self.agents] if last else self.legal_actions(observations),
                       "current_player": int(self._pyspiel.PlayerId.TERMINAL) if last else
                       self._rl.SIMULTANEOUS_PLAYER_ID,
                       "serialized_state": []}
        return self._rl.TimeStep(observations=observation, rewards=None if rewards is None else list(rewards),
                                 discounts=discounts, step_type=step_type)

    def reset(self, seed: int | None = None) -> Any:
        """``env.reset(seed=seed)`` as a ``FIRST`` time step."""
        observations, _ = self.env.reset(seed=seed)
        self.truncated = False
        return self.time_step(observations, None, self._rl.StepType.FIRST)

    def step(self, joint_action: Sequence[int]) -> Any:
        """Play ``joint_action`` (one action per agent, in :attr:`agents` order); the ``MID`` or ``LAST`` time step.
        Sets :attr:`truncated`."""
        actions = {agent: int(a) for agent, a in zip(self.agents, joint_action, strict=True)}
        observations, rewards, terminations, truncations, _ = self.env.step(actions)
        terminated = any(bool(terminations[a]) for a in self.agents)
        self.truncated = not terminated and any(bool(truncations[a]) for a in self.agents)
        step_type = self._rl.StepType.LAST if terminated else self._rl.StepType.MID
        return self.time_step(observations, [float(rewards[a]) for a in self.agents], step_type)

    def state_time_step(self, state: int) -> Any:
        """A ``MID`` time step at ``state`` with every action legal (to read a policy, ``is_evaluation=True``)."""
        observations = {a: {"observation": np.int64(state), "action_mask": np.ones(k, dtype=np.int8)}
                        for a, k in zip(self.agents, self.num_actions)}
        return self.time_step(observations, [0.0] * self.n_players, self._rl.StepType.MID)


#: ``step(agent_index, time_step, previous_joint_action, is_evaluation)`` → OpenSpiel ``StepOutput`` or None.
AgentStep = Callable[[int, Any, Sequence[int], bool], Any]


class _EnvDriven:
    """Drives one OpenSpiel agent per player through :class:`TimeStepTranslator` (module docstring)."""

    capabilities: Capabilities
    name = "OpenSpiel agent"

    def __init__(self) -> None:
        self._agents: list[Any] = []
        self._translator: TimeStepTranslator | None = None
        self._snapshots: list[tuple[int, dict[str, list[list[float]]]]] = []

    # --- what each adapter supplies ----------------------------------------------------------------------
    def _make_agents(self, translator: TimeStepTranslator) -> list[Any]:
        raise NotImplementedError

    def _agent_step(self, index: int, time_step: Any, joint: Sequence[int], is_evaluation: bool) -> Any:
        raise NotImplementedError

    def _check_step(self, time_step: Any) -> None:
        """Refuse a time step the agent cannot handle (raise); by default every step is accepted."""

    # --- the protocol ----------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Import PettingZoo and OpenSpiel (several seconds) once per fresh worker, before anything is timed.

        Raises
        ------
        MissingExtra
            PettingZoo (extra ``pettingzoo``) or OpenSpiel (extra ``openspiel``) is not installed: the validation
            then stops at loading the target (``warm_up() ... failed``), never blaming the learner.
        """
        require("pettingzoo", "pettingzoo", f"{self.name} trained on a PettingZoo environment")
        require("open_spiel.python.rl_environment", EXTRA, self.name)
        self._import_agent_module()

    def _import_agent_module(self) -> Any:
        raise NotImplementedError

    def _deliver(self, time_step: Any, joint: Sequence[int]) -> list[Any]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nashpy warns on degenerate stage games; the answer is judged as it is
            return [self._agent_step(i, time_step, joint, False) for i in range(len(self._agents))]

    def _actions(self, outputs: list[Any], time_step: Any) -> list[int]:
        missing = [i for i, o in enumerate(outputs) if o is None or o.action is None]
        if missing:
            raise SolverError(f"{self.name}: agent(s) {missing} returned no action at a non-final step "
                              f"(state {int(np.argmax(time_step.observations['info_state'][0]))})")
        return [int(o.action) for o in outputs]

    def train(self, env: Any, steps: int, seed: int) -> None:
        """Train one agent per player for ``steps`` environment steps (module docstring)."""
        if not (isinstance(steps, int) and steps >= 1):
            raise InvalidOption(f"{self.name}: train() needs at least one step, got {steps!r}")
        translator = TimeStepTranslator(env)
        np.random.seed(seed)
        self._translator = translator
        self._agents = self._make_agents(translator)
        self._snapshots = []
        marks = {math.ceil(steps * k / SNAPSHOTS) for k in range(1, SNAPSHOTS + 1)}
        time_step = translator.reset(seed=seed)
        joint: list[int] = []
        for done in range(1, steps + 1):
            self._check_step(time_step)
            joint = self._actions(self._deliver(time_step, joint), time_step)
            time_step = translator.step(joint)
            if time_step.last() or translator.truncated:
                self._deliver(time_step, joint)  # learn from the episode's last transition
                for agent in self._agents:
                    agent._prev_info_state = None  # the next episode starts afresh (module docstring)
                time_step = translator.reset()
                joint = []
            if done in marks:
                self._snapshots.append((done, self._policy_table()))

    def _policy_table(self) -> dict[str, list[list[float]]]:
        """``{agent: [policy in each state]}``, read without disturbing NumPy's global generator."""
        saved = np.random.get_state()
        try:
            assert self._translator is not None
            return {agent: [self._read(i, s) for s in range(self._translator.n_states)]
                    for i, agent in enumerate(self._translator.agents)}
        finally:
            np.random.set_state(saved)

    def _read(self, index: int, state: int) -> list[float]:
        assert self._translator is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            output = self._agent_step(index, self._translator.state_time_step(state), [], True)
        if output is None or output.probs is None:
            raise SolverError(f"{self.name}: agent {index} gave no action probabilities in state {state}")
        return [float(p) for p in np.asarray(output.probs, dtype=np.float64).reshape(-1)]

    def policy(self, agent: str, observation: Any) -> list[float]:
        """The agent's policy in the observed state (module docstring: greedy / current policy, ε = 0)."""
        if self._translator is None:
            raise InvalidOption(f"{self.name}: policy() before train()")
        if agent not in self._translator.agents:
            raise InvalidOption(f"{self.name}: unknown agent {agent!r}; agents are {self._translator.agents}")
        saved = np.random.get_state()
        try:
            return self._read(self._translator.agents.index(agent), state_of(observation))
        finally:
            np.random.set_state(saved)

    def snapshots(self) -> list[tuple[int, dict[str, list[list[float]]]]]:
        """``[(steps_done, {agent: [policy per state]})]`` at :data:`SNAPSHOTS` evenly spaced points."""
        return list(self._snapshots)


class RememberingSolver:
    """OpenSpiel's joint-action solver with a memo of its last answers, keyed by the exact stage array.

    Within one step of :class:`MultiagentQLearnerEnv` OpenSpiel solves the same stage game up to four times: both
    agents keep identical Q tables (each updates every player's table from the same transitions, bootstrapping with
    the same deterministic solver), and each agent solves the next state's stage game once to act
    (``_epsilon_greedy``) and once to bootstrap, before any table changes.  nashpy's support enumeration is
    deterministic, so answering a repeated call from the memo changes nothing but the time; the memo returns fresh
    copies of OpenSpiel's arrays, so no caller can alter a remembered answer.

    Parameters
    ----------
    solver : callable
        ``solver(payoffs_array) -> (mixtures, values)``, OpenSpiel's ``JointActionSolver`` interface.
    size : int
        How many distinct stage arrays are remembered (the most recent).
    """

    def __init__(self, solver: Callable[[np.ndarray], tuple[Any, Any]], size: int = 16) -> None:
        self._solver = solver
        self._size = size
        self._memo: dict[tuple[tuple[int, ...], bytes], tuple[list[np.ndarray], list[float]]] = {}
        self.calls = 0
        self.solved = 0

    def __call__(self, payoffs_array: np.ndarray) -> tuple[list[np.ndarray], list[float]]:
        array = np.ascontiguousarray(payoffs_array, dtype=np.float64)
        key = (array.shape, array.tobytes())
        self.calls += 1
        if key not in self._memo:
            self.solved += 1
            mixtures, values = self._solver(array)
            if len(self._memo) >= self._size:
                del self._memo[next(iter(self._memo))]
            self._memo[key] = ([np.array(m, dtype=np.float64) for m in mixtures], [float(v) for v in values])
        mixtures, values = self._memo[key]
        return [m.copy() for m in mixtures], list(values)


class MultiagentQLearnerEnv(_EnvDriven):
    """OpenSpiel's ``MultiagentQLearner`` with ``TwoPlayerNashSolver`` (Nash-Q), one per player, trained through
    the PettingZoo environment; the policy is the solver's greedy mixture (module docstring)."""

    name = "openspiel MultiagentQLearner (Nash)"
    #: Share one :class:`RememberingSolver` between the agents (same answers, about four times fewer solver calls).
    remember_stage_solutions = True
    #: The joint-action solver the agents of the last training share.
    stage_solver: Any = None
    capabilities = Capabilities(
        kind=TargetKind.POLICY_LEARNER, concept=Concept.NASH, players=2, exact=False, tolerance=0.0,
        converges=False, state_action_sets=False, source=QLEARNER_SOURCE,
        notes=(("no convergence claim: constant step size 0.1 and ε = 0.2 (OpenSpiel's defaults); Hu & Wellman's "
               "theorem needs Robbins-Monro step sizes and stage games with a global optimum or saddle point: the "
               "exact NashConv is reported, never refuted"),
               "policy = TwoPlayerNashSolver's mixture for the player at the learned Q (greedy, is_evaluation=True)",
               "one num_actions list: games whose live states offer different action counts are not sent",
               "a truncated episode is delivered as MID (bootstrapped), then the agents' previous state is cleared"))

    def _import_agent_module(self) -> Any:
        return require("open_spiel.python.algorithms.tabular_multiagent_qlearner", EXTRA, self.name)

    def _make_agents(self, translator: TimeStepTranslator) -> list[Any]:
        if translator.n_players != 2:
            raise UnsupportedGame(f"{self.name}: TwoPlayerNashSolver solves two-player stage games; the environment "
                                  f"has {translator.n_players} agents")
        qlearner = self._import_agent_module()
        solver = RememberingSolver(qlearner.TwoPlayerNashSolver()) if self.remember_stage_solutions else \
            qlearner.TwoPlayerNashSolver()
        self.stage_solver = solver
        return [qlearner.MultiagentQLearner(i, translator.n_players, list(translator.num_actions), solver,
                                            discount_factor=translator.gamma)
                for i in range(translator.n_players)]

    def _check_step(self, time_step: Any) -> None:
        assert self._translator is not None
        legal = time_step.observations["legal_actions"]
        if any(len(legal[i]) != k for i, k in enumerate(self._translator.num_actions)):
            raise UnsupportedGame(f"{self.name}: a state offers fewer actions than the action space (legal actions "
                                  f"{legal}); MultiagentQLearner takes one num_actions list and its solver mixes "
                                  "over every action")

    def _agent_step(self, index: int, time_step: Any, joint: Sequence[int], is_evaluation: bool) -> Any:
        return self._agents[index].step(time_step, actions=list(joint), is_evaluation=is_evaluation)


class WoLFPHCEnv(_EnvDriven):
    """OpenSpiel's ``WoLFPHC``, one independent agent per player, trained through the PettingZoo environment of a
    repeated matrix game; the policy is its current policy π (module docstring)."""

    name = "openspiel WoLFPHC"
    capabilities = Capabilities(
        kind=TargetKind.POLICY_LEARNER, concept=Concept.NASH, players="n", exact=False, tolerance=0.0,
        converges=False, max_states=1, source=WOLF_SOURCE,
        notes=(("no convergence claim: Bowling & Veloso prove convergence for WoLF-IGA (known payoffs, two players, "
               "two actions) and give empirical results only for WoLF-PHC: the exact NashConv is reported, never "
               "refuted"),
               "OpenSpiel's default schedules (policy step at most 1e-4 per step); policy = current policy π, ε = 0",
               ("repeated normal-form games only: OpenSpiel hill-climbs at the state reached, which is the paper's "
               "update only when there is one state")))

    def _import_agent_module(self) -> Any:
        return require("open_spiel.python.algorithms.wolf_phc", EXTRA, self.name)

    def _make_agents(self, translator: TimeStepTranslator) -> list[Any]:
        if translator.n_states != 1:
            raise UnsupportedGame(f"{self.name}: declared for repeated normal-form games (one state); the "
                                  f"environment has {translator.n_states} states")
        wolf_phc = self._import_agent_module()
        rl_tools = require("open_spiel.python.rl_tools", EXTRA, self.name)
        # OpenSpiel's default values, as fresh schedule objects for every agent (module docstring)
        return [wolf_phc.WoLFPHC(i, translator.num_actions[i], step_size=wolf_phc.WoLFSchedule(10000, 1000000),
                                 epsilon_schedule=rl_tools.ConstantSchedule(0.2),
                                 delta_w=wolf_phc.WoLFSchedule(1, 20000), delta_l=wolf_phc.WoLFSchedule(2, 20000),
                                 discount_factor=translator.gamma)
                for i in range(translator.n_players)]

    def _agent_step(self, index: int, time_step: Any, joint: Sequence[int], is_evaluation: bool) -> Any:
        return self._agents[index].step(time_step, is_evaluation=is_evaluation)
