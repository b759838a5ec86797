r"""Any jalverify game as a PettingZoo environment, so that learners written against PettingZoo can be trained on
games whose exact answers jalverify knows.

>>> from jalverify.envs import parallel_env
>>> from jalverify.games import catalog
>>> env = parallel_env(catalog.load("nosde"), horizon=100, seed=0)
>>> obs, infos = env.reset()
>>> obs["agent1"]
{'observation': np.int64(0), 'action_mask': array([1, 1], dtype=int8)}
>>> obs, rewards, terminations, truncations, infos = env.step({"agent1": 1, "agent2": 0})
>>> env.metadata["gamma"], env.game.name
('3/4', 'nosde')

Functions
---------
parallel_env(game, *, horizon=None, one_hot=False, seed=None, start="initial", render_mode=None, record_play=False)
    A :class:`pettingzoo.ParallelEnv` (simultaneous moves): every live agent acts at every step.
aec_env(game, *, horizon=None, one_hot=False, seed=None, start="initial", render_mode=None, record_play=False)
    A :class:`pettingzoo.AECEnv` for a **turn-based** game (at most one player with more than one action in every
    state, like the NoSDE family); raises :class:`~jalverify.errors.UnsupportedGame` otherwise.

Both need the ``pettingzoo`` extra (``pip install 'jalverify[pettingzoo]'``); without it they raise
:class:`~jalverify.errors.MissingExtra`.  Importing :mod:`jalverify.envs` itself needs neither PettingZoo nor
Gymnasium.

Parameters
----------
game : StochasticGame or NormalFormGame
    The game.  A normal-form game is a one-state game: its only state is ``"stage"``, every joint action returns
    there and the rewards are the payoffs.  Without a horizon it is played **once**: every episode is one step, which
    ends with ``terminated`` true (nothing follows a one-shot game: do not bootstrap).  With ``horizon=h`` it is the
    repeated game, cut after ``h`` steps with ``truncated`` true.
horizon : int, optional
    Truncate episodes after this many steps (at least 1).  ``None`` (default): a stochastic game's episodes end
    only in terminal states, and a game without reachable terminal states (soccer) runs until the caller stops.
one_hot : bool
    Encode the state as a float32 one-hot vector instead of an index (default false).
seed : int, optional
    Seed of the environment's generator ``numpy.random.default_rng(seed)``, which draws start states and
    transitions; ``None``: fresh entropy.  ``reset(seed=k)`` replaces the generator by ``default_rng(k)``;
    ``reset()`` continues it (Gymnasium/PettingZoo seeding).  The same seed and the same actions give the same
    episode.
start : {"initial", "uniform"} or str
    Where episodes start: the game's initial distribution, or state 0 when it has none (the rule of
    :class:`jalverify.learners.simulator.Simulator`); uniformly over the non-terminal states; or a state name.  A
    start with probability on a terminal state raises :class:`~jalverify.errors.InvalidOption`.
render_mode : {None, "ansi"}
    With ``"ansi"``, ``render()`` returns one line naming the current state; with ``None`` it raises
    :class:`~jalverify.errors.InvalidOption`.
record_play : bool
    Keep a record of every step's state and joint action (:class:`~jalverify.envs.record.PlayRecord`, read with
    ``env.play_record``): the learner's empirical distribution, read from what it played rather than from what it
    reports (default false; two machine integers per step).

Notes
-----
**Agents** are the game's players (``game.players``), in order; ``possible_agents`` lists them, ``agents`` is
empty before ``reset()`` and after an episode ends.

**Actions**: agent ``i``'s action space is ``Discrete(k_i)``, ``k_i`` its largest number of actions over the
states; action ``j`` is its ``j``-th action in the current state (``game.actions[s][i][j]``).

**Observations and action masks** follow PettingZoo Classic's convention for masking (PettingZoo docs, *AEC API:
Action Masking*; the form that PettingZoo's ``parallel_api_test``, ``api_test`` and ``seed_test`` sample legal
actions from): each agent's observation is a dict

* ``"observation"``: the current state's index, a ``numpy.int64`` in ``Discrete(n_states)`` (``state`` of
  ``game.states``), or with ``one_hot=True`` a float32 vector in ``Box(0, 1, (n_states,))``;
* ``"action_mask"``: an int8 vector of length ``k_i``, 1 for the actions the current state offers the agent (the
  first ``game.n_actions(s)[i]``), 0 for the others.

``observation_space(agent)`` is the matching ``gymnasium.spaces.Dict``.  The mask is present in every game (all
ones where the state offers every action), so learner code reads one format everywhere.  A masked action, an
action outside the space or a non-integer raises :class:`IllegalAction` naming the agent, the state and the
action (with the legal ones); it is never replaced.  ``env.observation_for(agent, state)`` gives the observation
of any state (to ask a trained learner for its policy state by state).

**Rewards** are the game's :math:`R_i(s, a, s')` for the sampled next state ``s'``, as Python floats (exact values
converted with ``float``).  **Discounting is the learner's business**: rewards are not discounted and the
environment never uses the discount; the game's discount is ``metadata["gamma"]``, a string such as ``"9/10"``
(``Fraction(metadata["gamma"])`` reads it), ``None`` for a normal-form game, which has none.

**Episode ends**: ``terminated`` is true when the step entered a terminal state of the game (or ended a one-shot
normal-form game); ``truncated`` is true when the step count reached ``horizon`` in a non-terminal state.  At
most one of the two is true, and all agents end together.  Stepping after the end raises :class:`IllegalAction`:
call ``reset()``.  ``infos[agent]`` is ``{"step": t}``, the number of game steps taken in the episode (plus ``"step_rewards"`` in the
AEC environment).

**Turn-based play** (``aec_env``): the agent selected in state ``s`` is the one player with more than one action
there; the other players are not asked and play their only action.  In a non-terminal state where **nobody has a
choice**, the turn goes to the first player (``game.players[0]``), whose mask there allows action 0 only: every
step of the AEC environment is exactly one step of the game.  Rewards of all players arrive at every game step
and PettingZoo accumulates them until each agent's next turn (``last()``), so an agent's return between two of its
turns may span several game steps; ``infos[agent]["step"]`` counts them and ``infos[agent]["step_rewards"]`` lists
the agent's reward at each of them since it last acted (its own step first), so that a learner can discount across
the other agents' turns (:math:`Σ_k γ^k r_k`) instead of using the undiscounted sum.  ``env.turn(state)`` names the agent to
move in a state.

**Metadata and the game behind the environment**: ``env.game`` is the jalverify game as given (so a validator
computes exact answers for it); ``env.metadata`` holds ``name``, ``render_modes``, ``is_parallelizable``,
``gamma``, ``horizon`` and ``one_shot``; ``env.start_distribution`` the exact start probabilities in the game's
field; ``env.current_state`` the current state's index; ``state()`` the current state's encoding and
``state_space`` its space.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from jalverify.envs.model import STAGE_STATE
from jalverify.errors import IllegalAction, MissingExtra

if TYPE_CHECKING:
    from jalverify.envs.aec import GameAECEnv
    from jalverify.envs.parallel import GameParallelEnv
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.stochastic import StochasticGame

__all__ = ["STAGE_STATE", "IllegalAction", "aec_env", "parallel_env"]


def _require_pettingzoo(what: str) -> None:
    """Import PettingZoo and Gymnasium, or raise :class:`MissingExtra` naming the extra."""
    for module in ("pettingzoo", "gymnasium"):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise MissingExtra(f"{what} needs {module} ({exc}): pip install 'jalverify[pettingzoo]'") from exc


def parallel_env(game: StochasticGame | NormalFormGame, *, horizon: int | None = None, one_hot: bool = False,
                 seed: int | None = None, start: str = "initial", render_mode: str | None = None,
                 record_play: bool = False) -> GameParallelEnv:
    """``game`` as a PettingZoo parallel environment (simultaneous moves); parameters and behaviour in the
    package docstring (:mod:`jalverify.envs`).

    Raises
    ------
    MissingExtra
        PettingZoo or Gymnasium is not installed.
    InvalidOption, UnknownName
        A parameter has no meaning (horizon < 1, unknown start state, start on a terminal state, bad seed or
        render mode).
    """
    _require_pettingzoo("parallel_env()")
    from jalverify.envs.parallel import GameParallelEnv

    return GameParallelEnv(game, horizon=horizon, one_hot=one_hot, seed=seed, start=start, render_mode=render_mode,
                           record_play=record_play)


def aec_env(game: StochasticGame | NormalFormGame, *, horizon: int | None = None, one_hot: bool = False,
            seed: int | None = None, start: str = "initial", render_mode: str | None = None,
            record_play: bool = False) -> GameAECEnv:
    """Turn-based ``game`` as a PettingZoo AEC environment; parameters and behaviour in the package docstring
    (:mod:`jalverify.envs`).

    Raises
    ------
    MissingExtra
        PettingZoo or Gymnasium is not installed.
    UnsupportedGame
        The game is not turn-based (a state gives two players a choice).
    InvalidOption, UnknownName
        As :func:`parallel_env`.
    """
    _require_pettingzoo("aec_env()")
    from jalverify.envs.aec import GameAECEnv

    return GameAECEnv(game, horizon=horizon, one_hot=one_hot, seed=seed, start=start, render_mode=render_mode,
                      record_play=record_play)


def __getattr__(name: str) -> Any:
    """The environment classes, imported on first use (they need PettingZoo)."""
    if name in ("GameParallelEnv", "GameAECEnv"):
        _require_pettingzoo(f"jalverify.envs.{name}")
        module = importlib.import_module("jalverify.envs.parallel" if name == "GameParallelEnv" else "jalverify.envs.aec")
        return getattr(module, name)
    raise AttributeError(f"module 'jalverify.envs' has no attribute {name!r}")
