"""Shrink a failing stochastic-game case (a game, optionally with a stationary policy) to a smaller one.

The companion of :mod:`jalverify.strategies.shrink` for the evaluator and learner checks, in the same greedy
delta-debugging manner (Zeller & Hildebrandt 2002): while the case still fails, try

1. dropping a player (keeping the slice where that player plays its first action; its rewards and policy go);
2. dropping a state (probability of moving into it stays where it was: a self-transition; the initial
   distribution is renormalised);
3. dropping one action of one player in one live state (the policy's distribution there renormalised; skipped
   when it put all its mass on that action);
4. replacing rewards by simpler ones (0, ±1, halfway to 0; a fraction by its integer part), player by player,
   keeping a zero-sum game zero-sum.

Every candidate is a valid exact :class:`~jalverify.games.StochasticGame` and is checked with ``admissible``
(the target's declared domain) before ``still_fails`` is called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.strategies.shrink import greedy_shrink, simpler_numbers

__all__ = ["shrink_stochastic_case"]

Case = tuple[Any, ...]


def _build(game: StochasticGame, actions: list[Any], transitions: list[Any], rewards: list[Any], terminal: list[bool],
           players: list[str], initial: Any) -> StochasticGame:
    states = [f"s{s}" for s in range(len(terminal))]
    return StochasticGame(players, states, actions, transitions, rewards, game.gamma, terminal=terminal,
                          initial=initial, name=f"shrunk from {game.name}" if game.name else "shrunk game")


def _parts(game: StochasticGame) -> tuple[list[Any], list[Any], list[Any]]:
    actions = [None if game.terminal[s] else [list(a) for a in game.actions[s]] for s in range(game.n_states)]
    transitions = [None if game.terminal[s] else np.asarray(game.transitions[s], dtype=object).copy()
                   for s in range(game.n_states)]
    rewards = [None if game.terminal[s] else np.asarray(game.rewards[s], dtype=object).copy()
               for s in range(game.n_states)]
    return actions, transitions, rewards


def _policy_rows(policy: StationaryPolicy | None) -> list[list[list[Fraction]]] | None:
    if policy is None:
        return None
    return [[[Fraction(p) for p in d.tolist()] for d in per] for per in policy.distributions]


def _case(game: StochasticGame, rows: list[list[list[Fraction]]] | None, rest: tuple[Any, ...]) -> Case:
    if rows is None:
        return (game, *rest)
    return (game, StationaryPolicy(game, rows), *rest)


def _without_player(game: StochasticGame, rows: Any, rest: tuple[Any, ...]) -> Iterator[Case]:
    if game.n_players == 1:
        return
    for i in reversed(range(game.n_players)):
        actions, transitions, rewards = _parts(game)
        for s in range(game.n_states):
            if game.terminal[s]:
                continue
            index = tuple(0 if j == i else slice(None) for j in range(game.n_players))
            actions[s] = [a for j, a in enumerate(actions[s]) if j != i]
            transitions[s] = transitions[s][index]
            rewards[s] = np.delete(rewards[s], i, axis=0)[(slice(None), *index)]
        players = [p for j, p in enumerate(game.players) if j != i]
        new_rows = None if rows is None else [[d for j, d in enumerate(per) if j != i] for per in rows]
        yield _case(_build(game, actions, transitions, rewards, list(game.terminal), players, game.initial),
                    new_rows, rest)


def _without_state(game: StochasticGame, rows: Any, rest: tuple[Any, ...]) -> Iterator[Case]:
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    for gone in reversed(range(game.n_states)):
        if live == [gone]:
            continue
        keep = [s for s in range(game.n_states) if s != gone]
        actions, transitions, rewards = _parts(game)
        for s in keep:
            if game.terminal[s]:
                continue
            T, R = transitions[s], rewards[s]
            moved = T[..., gone]
            T = np.delete(T, gone, axis=-1)
            R = np.delete(R, gone, axis=-1)
            own = keep.index(s)
            T[..., own] = T[..., own] + moved
            transitions[s], rewards[s] = T, R
        initial = None
        if game.initial is not None:
            weights = [Fraction(game.initial[s]) for s in keep]
            total = sum(weights, Fraction(0))
            initial = None if total == 0 else [w / total for w in weights]
        new_rows = None if rows is None else [rows[s] for s in keep]
        yield _case(_build(game, [actions[s] for s in keep], [transitions[s] for s in keep],
                           [rewards[s] for s in keep], [game.terminal[s] for s in keep], list(game.players), initial),
                    new_rows, rest)


def _without_action(game: StochasticGame, rows: Any, rest: tuple[Any, ...]) -> Iterator[Case]:
    for s in range(game.n_states):
        if game.terminal[s]:
            continue
        for i, k in enumerate(game.n_actions(s)):
            if k == 1:
                continue
            for a in reversed(range(k)):
                new_rows = None
                if rows is not None:
                    d = [p for b, p in enumerate(rows[s][i]) if b != a]
                    total = sum(d, Fraction(0))
                    new_rows = [list(per) for per in rows]
                    new_rows[s] = [list(x) for x in rows[s]]
                    # all the policy's mass was on the removed action: the player mixes uniformly over the rest
                    new_rows[s][i] = [p / total for p in d] if total else [Fraction(1, k - 1)] * (k - 1)
                actions, transitions, rewards = _parts(game)
                actions[s] = [list(x) for x in actions[s]]
                del actions[s][i][a]
                transitions[s] = np.delete(transitions[s], a, axis=i)
                rewards[s] = np.delete(rewards[s], a, axis=1 + i)
                yield _case(_build(game, actions, transitions, rewards, list(game.terminal), list(game.players),
                                   game.initial), new_rows, rest)


def _simpler_rewards(game: StochasticGame, rows: Any, rest: tuple[Any, ...]) -> Iterator[Case]:
    zero_sum = game.n_players == 2 and game.is_zero_sum()
    for s in range(game.n_states):
        if game.terminal[s]:
            continue
        R = np.asarray(game.rewards[s], dtype=object)
        for index in np.ndindex(*R.shape[1:]):
            for player in ([0] if zero_sum else range(game.n_players)):
                for value in simpler_numbers(Fraction(R[(player, *index)])):
                    actions, transitions, rewards = _parts(game)
                    rewards[s][(player, *index)] = value
                    if zero_sum:
                        rewards[s][(1, *index)] = -value
                    yield _case(_build(game, actions, transitions, rewards, list(game.terminal), list(game.players),
                                       game.initial), rows, rest)


def shrink_stochastic_case(case: Case, still_fails: Callable[[Case], bool], *,
                           admissible: Callable[[Case], bool] | None = None, max_calls: int = 150) -> tuple[Case, int]:
    """The smallest case reached from ``case = (game, [policy,] *rest)`` by the reductions above.

    Parameters
    ----------
    case : tuple
        ``(StochasticGame, StationaryPolicy, ...)`` or ``(StochasticGame, ...)`` (e.g. a learner's seed after the
        game); elements after the policy are kept as they are.
    still_fails : callable
        True when a candidate case shows the same violation (called at most ``max_calls`` times).
    admissible : callable, optional
        Candidates it rejects are never tried.
    max_calls : int
        Budget of ``still_fails`` calls.

    Returns
    -------
    (tuple, int)
        The shrunk case and the number of calls made.
    """
    has_policy = len(case) > 1 and isinstance(case[1], StationaryPolicy)

    def reduction(generator: Callable[..., Iterator[Case]]) -> Callable[[Case], Iterator[Case]]:
        def candidates(current: Case) -> Iterator[Case]:
            rows = _policy_rows(current[1]) if has_policy else None
            rest = tuple(current[2:] if has_policy else current[1:])
            return generator(current[0], rows, rest)

        return candidates

    return greedy_shrink(case, [reduction(g) for g in (_without_player, _without_state, _without_action,
                                                       _simpler_rewards)],
                         still_fails, admissible=admissible, max_calls=max_calls)
