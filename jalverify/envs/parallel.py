"""Any jalverify game as a PettingZoo :class:`~pettingzoo.ParallelEnv` (simultaneous moves).

Every live agent acts at every step; the joint action is played in the current state and the next state is drawn
from the game's transition kernel (Terry et al. 2021, *PettingZoo: Gym for Multi-Agent Reinforcement Learning*, for
the API; Shapley 1953 for the game).  The API is documented in :mod:`jalverify.envs`; build it with
:func:`jalverify.envs.parallel_env`.
"""

from __future__ import annotations

from typing import Any

from pettingzoo import ParallelEnv

from jalverify.envs.episode import Episode, check_render_mode, env_metadata, play_record
from jalverify.envs.facade import GameEnvFacade
from jalverify.envs.model import GameModel
from jalverify.envs.spaces import Encoder
from jalverify.errors import IllegalAction, InvalidOption
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["GameParallelEnv"]


class GameParallelEnv(GameEnvFacade, ParallelEnv):
    """A jalverify game as a PettingZoo parallel environment.

    Parameters are those of :func:`jalverify.envs.parallel_env`, which documents the observations, actions,
    rewards, episode ends and seeding.  Discounting is the learner's business: rewards are the game's
    undiscounted :math:`R_i(s, a, s')`; the game's discount is ``metadata["gamma"]``.

    Attributes
    ----------
    game : StochasticGame or NormalFormGame
        The game behind the environment, as given.
    possible_agents, agents : list of str
        The game's players; ``agents`` is empty before :meth:`reset` and after the episode ends.
    metadata : dict
        ``name``, ``render_modes``, ``is_parallelizable``, ``gamma`` (the game's discount as a string such as
        ``"9/10"``; ``None`` for a normal-form game), ``horizon``, ``one_shot``.
    start_distribution : tuple
        Exact probabilities (in the game's field) of each state starting an episode.
    """

    def __init__(self, game: StochasticGame | NormalFormGame, *, horizon: int | None = None, one_hot: bool = False,
                 seed: int | None = None, start: str = "initial", render_mode: str | None = None,
                 record_play: bool = False) -> None:
        where = "parallel_env()"
        self._model = GameModel(game, horizon=horizon, start=start, where=where)
        self._encoder = Encoder(self._model, one_hot)
        self._episode = Episode(self._model, seed, play_record(self._model, record_play, where))
        self.render_mode = check_render_mode(render_mode, where)
        self.metadata = env_metadata(self._model, parallelizable=True)
        self.possible_agents: list[str] = list(self._model.players)
        self.agents: list[str] = []
        self.observation_spaces = dict(self._encoder.observation_spaces)
        self.action_spaces = dict(self._encoder.action_spaces)
        self.state_space = self._encoder.state_space

    # --- episode (the game, the spaces and the state: GameEnvFacade) -----------------------------------------
    def reset(self, seed: int | None = None,
              options: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """Start an episode; ``seed`` reseeds the generator, ``options`` are accepted and not used."""
        s = self._episode.reset(seed)
        self.agents = list(self.possible_agents)
        obs = {agent: self._encoder.observation(s, i) for i, agent in enumerate(self.agents)}
        infos: dict[str, dict[str, Any]] = {agent: {"step": 0} for agent in self.agents}
        return obs, infos

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float], dict[str, bool],
                                                     dict[str, bool], dict[str, dict[str, Any]]]:
        """Play one joint action: ``actions`` maps every live agent to an action index legal in the current state.

        Raises
        ------
        IllegalAction
            An action is missing, given for an agent that is not live, not an integer, outside the agent's action
            space or masked in the current state; or the episode is not running.
        """
        episode, model = self._episode, self._model
        episode.require_running()
        if not isinstance(actions, dict):
            raise IllegalAction(f"{model.where}: step() takes a dict from agent to action, got "
                                f"{type(actions).__name__}")
        s = episode.state
        missing = [agent for agent in self.agents if agent not in actions]
        if missing:
            raise IllegalAction(f"{model.where}: no action for agent {missing[0]!r} in state {model.states[s]!r}; "
                                f"every live agent ({', '.join(self.agents)}) acts at every step")
        extra = [agent for agent in actions if agent not in self.agents]
        if extra:
            raise IllegalAction(f"{model.where}: action given for {extra[0]!r}, which is not a live agent; live "
                                f"agents are {self.agents}")
        joint = [model.check_action(s, i, actions[agent]) for i, agent in enumerate(self.possible_agents)]
        rewards, terminated, truncated = episode.advance(joint)
        nxt = episode.state
        agents = self.agents
        obs = {agent: self._encoder.observation(nxt, i) for i, agent in enumerate(agents)}
        rew = {agent: rewards[i] for i, agent in enumerate(agents)}
        terms = dict.fromkeys(agents, terminated)
        truncs = dict.fromkeys(agents, truncated)
        infos: dict[str, dict[str, Any]] = {agent: {"step": episode.steps} for agent in agents}
        if terminated or truncated:
            self.agents = []
        return obs, rew, terms, truncs, infos

    def render(self) -> str:
        """With ``render_mode="ansi"``: one line naming the current state and the step count."""
        if self.render_mode is None:
            raise InvalidOption(f"{self._model.where}: render() needs render_mode='ansi' at construction")
        return self._episode.render_text()
