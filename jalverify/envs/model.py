r"""The game behind a jalverify environment: action sets, masks, start distribution and a seeded sampler.

:class:`GameModel` reads a :class:`~jalverify.games.StochasticGame` or a
:class:`~jalverify.games.NormalFormGame` once and answers what both environments of :mod:`jalverify.envs` need:
per state the action counts and masks of every player, the start distribution of an episode, and one sampled
transition :math:`s' \sim T(\cdot \mid s, a)` with the rewards :math:`R_i(s, a, s')` converted to floats
(Shapley 1953; Albrecht, Christianos & Schäfer 2024, §3.3).  It imports neither PettingZoo nor Gymnasium.

Sampling is inverse-transform sampling over the successors of ``(s, a)`` only (the states with positive
probability, in state order): one uniform draw ``u`` from the environment's :class:`numpy.random.Generator`, and
the first successor whose cumulative probability exceeds ``u``.  A state's float tables are built on its first
visit, so a large game (soccer, 760 states) costs nothing for the states an episode never reaches.

A normal-form game is read as a one-state game (state ``"stage"``, every joint action returning to it, rewards
the payoffs).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np

from jalverify.errors import IllegalAction, InvalidOption, UnknownName
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame, repeated_game
from jalverify.numbers import Number

__all__ = ["STAGE_STATE", "GameModel"]

#: Name of the single state of a normal-form game played as an environment.
STAGE_STATE = "stage"


class _StateTables:
    """Float tables of one state, per flat joint action ``j``: ``successors[j]`` (state indices with positive
    probability), ``cumulative[j]`` (their cumulative probabilities, the last set to exactly 1) and
    ``rewards[j]`` (shape ``(n, len(successors[j]))``, :math:`R_i(s, a, s')` as floats)."""

    __slots__ = ("cumulative", "rewards", "successors")

    def __init__(self, game: StochasticGame, s: int) -> None:
        k = game.n_actions(s)
        n, S = game.n_players, game.n_states
        J = int(np.prod(k))
        T = np.asarray(game.transitions[s]).reshape(J, S)
        R = np.asarray(game.rewards[s]).reshape(n, J, S)
        self.successors: list[np.ndarray] = []
        self.cumulative: list[np.ndarray] = []
        self.rewards: list[np.ndarray] = []
        for j, row in enumerate(T.tolist()):
            support = np.asarray([t for t, p in enumerate(row) if p], dtype=np.intp)  # exact and float zeros are falsy
            cum = np.cumsum(np.asarray([float(row[t]) for t in support], dtype=np.float64))
            cum[-1] = 1.0  # rounding guard: the last successor closes the unit interval
            self.successors.append(support)
            self.cumulative.append(cum)
            self.rewards.append(np.asarray(R[:, j, support], dtype=np.float64))


class GameModel:
    """A game read for stepping: per-state action sets and masks, start distribution, seeded transitions.

    Parameters
    ----------
    game : StochasticGame or NormalFormGame
        The game; a normal-form game is the one-state game whose only state is :data:`STAGE_STATE`.
    horizon : int or None
        Episode length cap (truncation), at least 1; ``None``: no cap.
    start : {"initial", "uniform"} or str
        Where episodes start: ``"initial"`` is the game's initial distribution, or state 0 when the game has none
        (the rule of :class:`jalverify.learners.simulator.Simulator`); ``"uniform"`` is uniform over the
        non-terminal states; a state name starts every episode there.
    where : str
        Call site named in error messages.

    Raises
    ------
    InvalidOption
        ``horizon`` is not a positive integer or ``None``; ``start`` puts probability on a terminal state.
    UnknownName
        ``start`` is neither ``"initial"``, ``"uniform"`` nor a state of the game.
    """

    def __init__(self, game: StochasticGame | NormalFormGame, *, horizon: int | None, start: str,
                 where: str) -> None:
        if isinstance(game, NormalFormGame):
            self.stochastic = repeated_game(game, 0)
            self.gamma_text: str | None = None
        elif isinstance(game, StochasticGame):
            self.stochastic = game
            self.gamma_text = str(game.gamma)
        else:
            raise InvalidOption(f"{where}: game must be a StochasticGame or a NormalFormGame, got "
                                f"{type(game).__name__}")
        if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, Integral) or horizon < 1):
            raise InvalidOption(f"{where}: horizon must be a positive integer or None, got {horizon!r}")
        self.where = where
        self.game = game
        self.horizon = None if horizon is None else int(horizon)
        #: A normal-form game without a horizon is played once: one step, then the episode terminates.
        self.one_shot = isinstance(game, NormalFormGame) and horizon is None
        g = self.stochastic
        self.players: tuple[str, ...] = g.players
        self.states: tuple[str, ...] = g.states
        self.n_players = g.n_players
        self.n_states = g.n_states
        self.terminal: tuple[bool, ...] = g.terminal
        self.counts: tuple[tuple[int, ...], ...] = tuple(g.n_actions(s) for s in range(g.n_states))
        #: ``max_actions[i]``: the size of player ``i``'s action space (its largest action set over the states).
        self.max_actions: tuple[int, ...] = tuple(max(c[i] for c in self.counts) for i in range(self.n_players))
        self._masks = tuple(
            tuple(self._mask(c[i], self.max_actions[i]) for i in range(self.n_players)) for c in self.counts
        )
        self.start_distribution: tuple[Number, ...] = self._start(start)
        cum = np.cumsum(np.asarray([float(p) for p in self.start_distribution], dtype=np.float64))
        cum[-1] = 1.0
        self._start_cumulative = cum
        self._tables: dict[int, _StateTables] = {}

    @staticmethod
    def _mask(k: int, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=np.int8)
        mask[:k] = 1
        mask.flags.writeable = False
        return mask

    def _start(self, start: str) -> tuple[Number, ...]:
        g = self.stochastic
        fld = g.field
        S = g.n_states
        if start == "initial":
            if g.initial is not None:
                dist = list(g.initial.tolist())
            else:
                dist = [fld.one if s == 0 else fld.zero for s in range(S)]
        elif start == "uniform":
            live = [s for s in range(S) if not g.terminal[s]]
            if not live:
                raise InvalidOption(f"{self.where}: start='uniform' needs a non-terminal state; every state is terminal")
            dist = [fld.one / len(live) if s in live else fld.zero for s in range(S)]
        elif isinstance(start, str) and start in g.states:
            dist = [fld.one if name == start else fld.zero for name in g.states]
        else:
            raise UnknownName(f"{self.where}: start must be 'initial', 'uniform' or a state name, got {start!r}; "
                              f"states are {list(g.states)}")
        bad = [g.states[s] for s in range(S) if g.terminal[s] and not fld.is_zero(dist[s])]
        if bad:
            raise InvalidOption(f"{self.where}: start={start!r} gives probability {dist[g.states.index(bad[0])]} to "
                                f"the terminal state {bad[0]!r}; an episode must start in a non-terminal state")
        return tuple(dist)

    # --- queries ----------------------------------------------------------------------------------
    def player_index(self, agent: Any) -> int:
        """Index of ``agent`` (a player name) in the game's player order."""
        if isinstance(agent, str) and agent in self.players:
            return self.players.index(agent)
        raise UnknownName(f"{self.where}: unknown agent {agent!r}; agents are {list(self.players)}")

    def state_index(self, state: int | str) -> int:
        """Index of ``state`` (a name or an index)."""
        return self.stochastic.state_index(state)

    def mask(self, s: int, i: int) -> np.ndarray:
        """Action mask of player ``i`` in state ``s`` (read-only int8, length ``max_actions[i]``, 1 = legal)."""
        return self._masks[s][i]

    def movers(self, s: int) -> tuple[int, ...]:
        """Players with more than one action in state ``s``."""
        return tuple(i for i, k in enumerate(self.counts[s]) if k > 1)

    def action_name(self, s: int, i: int, a: int) -> str:
        return self.stochastic.actions[s][i][a]

    def check_action(self, s: int, i: int, action: Any) -> int:
        """``action`` of player ``i`` in state ``s`` as an index, or :class:`IllegalAction`.

        Accepted: a Python or NumPy integer (not a bool), or a 0-d integer array, that is a legal action of the
        player in ``s`` (its mask is 1 there).
        """
        agent, state = self.players[i], self.states[s]
        value: Any = action
        if isinstance(value, np.ndarray) and value.shape == () and np.issubdtype(value.dtype, np.integer):
            value = value.item()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Integral, np.integer)):
            raise IllegalAction(f"{self.where}: agent {agent!r} in state {state!r}: an action is an integer index, "
                                f"got {action!r} ({type(action).__name__})")
        a = int(value)
        k, size = self.counts[s][i], self.max_actions[i]
        legal = ", ".join(f"{j} ({self.action_name(s, i, j)})" for j in range(k))
        if not 0 <= a < size:
            raise IllegalAction(f"{self.where}: agent {agent!r} in state {state!r}: action {a} is outside its action "
                                f"space Discrete({size}); legal actions here: {legal}")
        if a >= k:
            raise IllegalAction(f"{self.where}: agent {agent!r} in state {state!r}: action {a} is masked (the state "
                                f"offers {k} action{'s' if k != 1 else ''}); legal actions here: {legal}")
        return a

    # --- sampling ---------------------------------------------------------------------------------
    def sample_start(self, rng: np.random.Generator) -> int:
        """A start state drawn from :attr:`start_distribution` (one uniform draw)."""
        return int(np.searchsorted(self._start_cumulative, rng.random(), side="right"))

    def tables(self, s: int) -> _StateTables:
        tab = self._tables.get(s)
        if tab is None:
            tab = self._tables[s] = _StateTables(self.stochastic, s)
        return tab

    def sample(self, rng: np.random.Generator, s: int, joint: Sequence[int]) -> tuple[int, list[float]]:
        """Play legal joint action ``joint`` in state ``s``: the next state :math:`s' \\sim T(\\cdot|s, a)` (one
        uniform draw) and the rewards :math:`R_i(s, a, s')` of every player as floats."""
        tab = self.tables(s)
        j = int(np.ravel_multi_index(tuple(joint), self.counts[s]))
        idx = int(np.searchsorted(tab.cumulative[j], rng.random(), side="right"))
        nxt = int(tab.successors[j][idx])
        return nxt, [float(r) for r in tab.rewards[j][:, idx]]
