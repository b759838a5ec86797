"""What the parallel and the AEC environment of a game share: the game behind them, the spaces, the observation of
any state, the global state.  Mixed into :class:`~jalverify.envs.parallel.GameParallelEnv` and
:class:`~jalverify.envs.aec.GameAECEnv`, which set ``_model``, ``_encoder``, ``_episode``, ``observation_spaces``
and ``action_spaces``."""

from __future__ import annotations

from typing import Any

from gymnasium import spaces

from jalverify.envs.record import PlayRecord
from jalverify.errors import IllegalAction, InvalidOption
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["GameEnvFacade"]


class GameEnvFacade:
    """The game, spaces and state of a PettingZoo environment of a jalverify game (module docstring)."""

    _model: Any
    _encoder: Any
    _episode: Any
    observation_spaces: dict[str, spaces.Space[Any]]
    action_spaces: dict[str, spaces.Space[Any]]

    @property
    def game(self) -> StochasticGame | NormalFormGame:
        """The jalverify game behind the environment (exact answers are computed on it)."""
        return self._model.game

    @property
    def start_distribution(self) -> tuple[Any, ...]:
        return self._model.start_distribution

    @property
    def current_state(self) -> int:
        """Index of the current state (``-1`` before the first :meth:`reset`)."""
        return self._episode.state

    def observation_space(self, agent: str) -> spaces.Space[Any]:
        """The observation space of ``agent`` (the same object at every call, as PettingZoo requires)."""
        self._model.player_index(agent)
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space[Any]:
        """``Discrete(k)``, ``k`` the largest number of actions ``agent`` has in any state."""
        self._model.player_index(agent)
        return self.action_spaces[agent]

    def observation_for(self, agent: str, state: int | str) -> dict[str, Any]:
        """The observation ``agent`` receives in ``state`` (an index or a name), e.g. to ask a trained learner
        for its policy in every state."""
        return self._encoder.observation(self._model.state_index(state), self._model.player_index(agent))

    @property
    def play_record(self) -> PlayRecord:
        """Every step's state and joint action so far (:class:`~jalverify.envs.record.PlayRecord`).

        Raises
        ------
        InvalidOption
            The environment was made without ``record_play=True``.
        """
        record = self._episode.record
        if record is None:
            raise InvalidOption(f"{self._model.where}: this environment keeps no record of play; make it with "
                                "record_play=True")
        return record

    def state(self) -> Any:
        """The global state: the current state's encoding (as in the observations' ``"observation"``)."""
        if not self._episode.started:
            raise IllegalAction(f"{self._model.where}: state() before reset(); call reset() first")
        return self._encoder.state(self._episode.state)

    def close(self) -> None:
        """Nothing to release."""
