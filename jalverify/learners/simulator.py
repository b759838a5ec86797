r"""A seeded simulator that samples transitions of a :class:`~jalverify.games.stochastic.StochasticGame`.

Given a state ``s`` and a joint action ``a`` it draws ``s' ~ T(· | s, a)`` and returns the rewards
``R_i(s, a, s')`` of every player (Albrecht, Christianos & Schäfer 2024, §3.3).  The game's data are converted
once to float64 arrays; all randomness comes from one :class:`numpy.random.Generator`, so a run is reproducible
from its seed.

Episodes: an episode starts in a state drawn from ``start`` (the game's initial distribution, state 0 when the
game has none, or uniform over non-terminal states), ends when a terminal state is reached or after
``episode_length`` steps, and the next episode starts afresh.  Restarting uniformly makes every state recur,
which the convergence theorems need (every state and joint action tried infinitely often).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jalverify.errors import InvalidGame, UnknownName
from jalverify.games.stochastic import StochasticGame
from jalverify.numbers import FLOAT

__all__ = ["GameArrays", "Simulator", "Transition", "game_arrays"]


@dataclass(frozen=True)
class GameArrays:
    """Float64 copies of a game's data, per state: ``transitions[s]`` shape ``(*k_s, S)``, ``rewards[s]`` shape
    ``(n, *k_s, S)``, ``expected_rewards[s]`` shape ``(n, *k_s)``, ``cumulative[s]`` shape ``(J_s, S)`` (the
    cumulative transition rows over flat joint actions, for sampling)."""

    n_players: int
    n_states: int
    shapes: tuple[tuple[int, ...], ...]
    transitions: tuple[np.ndarray, ...]
    rewards: tuple[np.ndarray, ...]
    expected_rewards: tuple[np.ndarray, ...]
    cumulative: tuple[np.ndarray, ...]
    terminal: tuple[bool, ...]
    gamma: float


def game_arrays(game: StochasticGame) -> GameArrays:
    """Convert ``game`` to float64 arrays once (through :meth:`FloatField.array`, which converts each distinct
    exact entry once)."""
    T = tuple(FLOAT.array(t, where="game_arrays() transitions") for t in game.transitions)
    R = tuple(FLOAT.array(r, where="game_arrays() rewards") for r in game.rewards)
    shapes = tuple(game.n_actions(s) for s in range(game.n_states))
    ER = tuple((R[s] * T[s][None, ...]).sum(axis=-1) for s in range(game.n_states))
    cum = []
    for s in range(game.n_states):
        c = np.cumsum(T[s].reshape(-1, game.n_states), axis=1)
        c[:, -1] = 1.0  # guard against rounding: the last bin closes at 1
        cum.append(c)
    return GameArrays(game.n_players, game.n_states, shapes, T, R, ER, tuple(cum), tuple(game.terminal),
                      float(game.gamma))


@dataclass(frozen=True)
class Transition:
    """One sampled step: ``rewards[i] = R_i(s, a, s')``; ``episode_end`` is true when the episode ends after
    this step (terminal ``next_state`` or the length cap); ``terminal`` when ``next_state`` is terminal."""

    state: int
    joint_action: tuple[int, ...]
    rewards: np.ndarray
    next_state: int
    terminal: bool
    episode_end: bool


class Simulator:
    """Sample a stochastic game.

    Parameters
    ----------
    game : StochasticGame
    seed : int or numpy Generator
        Seed of the simulator's own generator (transitions and start states).
    start : {"initial", "uniform"} or int or str
        Where episodes start: the game's initial distribution (state 0 when it has none), uniformly over
        non-terminal states, or a fixed state.
    episode_length : int or None
        Cap on episode length (``None``: episodes end only in terminal states).
    """

    def __init__(self, game: StochasticGame, seed: int | np.random.Generator = 0, *, start: str | int = "initial",
                 episode_length: int | None = None) -> None:
        self.game = game
        self.arrays = game_arrays(game)
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        S = game.n_states
        if start == "initial":
            if game.initial is not None:
                p = np.asarray(game.initial, dtype=np.float64)
            else:
                p = np.zeros(S)
                p[0] = 1.0
        elif start == "uniform":
            nonterm = np.array([not t for t in game.terminal], dtype=np.float64)
            if nonterm.sum() == 0:
                raise InvalidGame("Simulator(): every state is terminal; nothing to simulate")
            p = nonterm / nonterm.sum()
        else:
            p = np.zeros(S)
            try:
                p[game.state_index(start)] = 1.0
            except UnknownName as exc:
                raise UnknownName(f"Simulator(): start must be 'initial', 'uniform' or a state, got {start!r}") from exc
        if episode_length is not None and episode_length < 1:
            raise InvalidGame(f"Simulator(): episode_length must be >= 1 or None, got {episode_length!r}")
        self.start_distribution = p
        self._start_cum = np.cumsum(p)
        self._start_cum[-1] = 1.0
        self.episode_length = episode_length
        self.state = -1
        self.episode_step = 0
        self.episodes = 0
        self.reset()

    def reset(self) -> int:
        """Start a new episode; returns its first state."""
        self.state = int(np.searchsorted(self._start_cum, self.rng.random(), side="right"))
        self.episode_step = 0
        self.episodes += 1
        return self.state

    def step(self, joint_action: tuple[int, ...]) -> Transition:
        """Play ``joint_action`` in the current state; the simulator moves on (and restarts after an episode
        end: ``self.state`` is then the next episode's first state)."""
        s = self.state
        ar = self.arrays
        flat = int(np.ravel_multi_index(joint_action, ar.shapes[s]))
        nxt = int(np.searchsorted(ar.cumulative[s][flat], self.rng.random(), side="right"))
        rewards = ar.rewards[s][(slice(None),) + tuple(joint_action) + (nxt,)]
        terminal = ar.terminal[nxt]
        self.episode_step += 1
        end = terminal or (self.episode_length is not None and self.episode_step >= self.episode_length)
        out = Transition(s, tuple(joint_action), rewards, nxt, terminal, end)
        if end:
            self.reset()
        else:
            self.state = nxt
        return out
