"""A turn-based jalverify game as a PettingZoo :class:`~pettingzoo.AECEnv` (agents act one at a time).

In a turn-based game (the NoSDE family: Zinkevich, Greenwald & Littman 2005; Albrecht, Christianos & Schäfer 2024,
§6.2) at most one player has more than one action in each state.  Every step of this environment is one step of
the game: the agent selected in state ``s`` is that state's mover, the other players play their only action, and
the next state is drawn from the game's transition kernel.  In a non-terminal state where nobody has a choice the
turn goes to the first player (``game.players[0]``), whose mask there allows action 0 only.  The API is documented
in :mod:`jalverify.envs`; build it with :func:`jalverify.envs.aec_env`.
"""

from __future__ import annotations

from typing import Any

from pettingzoo import AECEnv

from jalverify.envs.episode import Episode, check_render_mode, env_metadata, play_record
from jalverify.envs.facade import GameEnvFacade
from jalverify.envs.model import GameModel
from jalverify.envs.spaces import Encoder
from jalverify.errors import IllegalAction, InvalidOption, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["GameAECEnv"]


class GameAECEnv(GameEnvFacade, AECEnv):
    """A turn-based jalverify game as a PettingZoo AEC environment.

    Parameters are those of :func:`jalverify.envs.aec_env`, which documents whose turn it is, observations,
    rewards, episode ends and seeding.  Discounting is the learner's business: rewards are the game's undiscounted
    :math:`R_i(s, a, s')`, accumulated by PettingZoo between an agent's turns; ``infos[agent]["step"]`` counts the
    game steps, ``infos[agent]["step_rewards"]`` lists the agent's reward at each game step since it last acted (so
    that it can discount across the other agents' turns), and the game's discount is ``metadata["gamma"]``.

    Raises
    ------
    UnsupportedGame
        Some state gives more than one player a choice (use :func:`jalverify.envs.parallel_env`).
    """

    def __init__(self, game: StochasticGame | NormalFormGame, *, horizon: int | None = None, one_hot: bool = False,
                 seed: int | None = None, start: str = "initial", render_mode: str | None = None,
                 record_play: bool = False) -> None:
        where = "aec_env()"
        self._model = model = GameModel(game, horizon=horizon, start=start, where=where)
        for s in range(model.n_states):
            movers = model.movers(s)
            if len(movers) > 1:
                raise UnsupportedGame(
                    f"{where}: the game is not turn-based: in state {model.states[s]!r} the players "
                    f"{', '.join(repr(model.players[i]) for i in movers)} all have more than one action; "
                    "use parallel_env() for simultaneous moves")
        self._chooser = tuple(model.movers(s)[0] if model.movers(s) else 0 for s in range(model.n_states))
        self._encoder = Encoder(model, one_hot)
        self._episode = Episode(model, seed, play_record(model, record_play, where))
        self.render_mode = check_render_mode(render_mode, where)
        self.metadata = env_metadata(model, parallelizable=False)
        self.possible_agents: list[str] = list(model.players)
        self.agents: list[str] = []
        self.observation_spaces = dict(self._encoder.observation_spaces)
        self.action_spaces = dict(self._encoder.action_spaces)
        self.state_space = self._encoder.state_space
        self.rewards: dict[str, float] = {}
        self._cumulative_rewards: dict[str, float] = {}
        self.terminations: dict[str, bool] = {}
        self.truncations: dict[str, bool] = {}
        self.infos: dict[str, dict[str, Any]] = {}
        self._since_turn: dict[str, list[float]] = {}
        self.agent_selection: str = self.possible_agents[0]
        self._skip_agent_selection: str | None = None

    # --- turns (the game, spaces and state: GameEnvFacade) -----------------------------------------------
    def turn(self, state: int | str) -> str:
        """The agent whose turn it is in ``state``: its mover, or the first player when nobody has a choice."""
        return self._model.players[self._chooser[self._model.state_index(state)]]

    # --- episode ----------------------------------------------------------------------------------------
    def observe(self, agent: str) -> dict[str, Any]:
        """``agent``'s observation of the current state."""
        if not self._episode.started:
            raise IllegalAction(f"{self._model.where}: observe() before reset(); call reset() first")
        return self._encoder.observation(self._episode.state, self._model.player_index(agent))

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        """Start an episode; ``seed`` reseeds the generator, ``options`` are accepted and not used."""
        s = self._episode.reset(seed)
        self.agents = list(self.possible_agents)
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(self.agents, 0.0)
        self.terminations = dict.fromkeys(self.agents, False)
        self.truncations = dict.fromkeys(self.agents, False)
        self.infos = {agent: {"step": 0, "step_rewards": []} for agent in self.agents}
        self._since_turn = {agent: [] for agent in self.agents}
        self._skip_agent_selection = None
        self.agent_selection = self.possible_agents[self._chooser[s]]

    def step(self, action: Any) -> None:
        """The selected agent plays ``action`` (``None`` once its episode is over, as PettingZoo asks).

        Raises
        ------
        IllegalAction
            The action is not an integer, outside the agent's action space or masked in the current state; an
            agent whose episode is over gave an action other than ``None``; a live agent gave ``None``; no
            episode is running.
        """
        episode, model = self._episode, self._model
        if not episode.started:
            raise IllegalAction(f"{model.where}: step() before reset(); call reset() first")
        if not self.agents:
            raise IllegalAction(f"{model.where}: every agent has left the finished episode; call reset()")
        agent = self.agent_selection
        s = episode.state
        if self.terminations[agent] or self.truncations[agent]:
            if action is not None:
                raise IllegalAction(f"{model.where}: agent {agent!r}'s episode is over (state {model.states[s]!r}); "
                                    f"its only action is None, got {action!r}")
            self._was_dead_step(action)
            return
        i = model.player_index(agent)
        if action is None:
            raise IllegalAction(f"{model.where}: agent {agent!r} in state {model.states[s]!r}: action None is only "
                                "for an agent whose episode is over; give an action index")
        joint = [0] * model.n_players
        joint[i] = model.check_action(s, i, action)
        rewards, terminated, truncated = episode.advance(joint)
        self._cumulative_rewards[agent] = 0.0
        self.rewards = {name: rewards[j] for j, name in enumerate(self.possible_agents)}
        self._accumulate_rewards()
        self._since_turn[agent] = []
        for j, name in enumerate(self.possible_agents):
            self._since_turn[name].append(rewards[j])
        self.infos = {name: {"step": episode.steps, "step_rewards": list(self._since_turn[name])}
                      for name in self.agents}
        if terminated or truncated:
            self.terminations = dict.fromkeys(self.agents, terminated)
            self.truncations = dict.fromkeys(self.agents, truncated)
            self.agent_selection = self.agents[0]
        else:
            self.agent_selection = self.possible_agents[self._chooser[episode.state]]

    def render(self) -> str:
        """With ``render_mode="ansi"``: one line naming the current state, the step count and whose turn it is."""
        if self.render_mode is None:
            raise InvalidOption(f"{self._model.where}: render() needs render_mode='ansi' at construction")
        text = self._episode.render_text()
        if self._episode.running:
            text += f", {self.agent_selection} to move"
        return text
