"""Shrink a failing normal-form game to a smaller one that still fails: remove actions, simplify payoffs.

Hypothesis shrinks what it generated; a counterexample found elsewhere (a corpus game, see
:mod:`jalverify.validation.corpus`) or one whose smallest form is a *sub-game* that Hypothesis' shrinker does not
try (it redraws the payoffs when it shrinks an action count) is minimised here, greedily, in the manner of
delta debugging (Zeller & Hildebrandt 2002, "Simplifying and isolating failure-inducing input", IEEE TSE 28(2)):

1. remove one action of one player while the game still fails (the largest reduction first: a 3×2 witness
   becomes 2×2 when the 2×2 sub-game fails too);
2. replace each payoff by a simpler one (0, then the integer halfway to 0, then ±1; a fraction by its integer
   part) while the game still fails; a zero-sum game is shrunk through the row player's payoffs and stays
   zero-sum;
3. repeat until nothing changes or the call budget is spent.

Every candidate is checked with ``admissible`` first (the domain of the check: the target's declared limits,
nondegeneracy, ...), so the result stays a game the check may send.  Exact arithmetic throughout.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from jalverify.games.normal_form import NormalFormGame

__all__ = ["greedy_shrink", "shrink_normal_form_game", "simpler_numbers"]

T = TypeVar("T")


def simpler_numbers(value: Fraction) -> list[Fraction]:
    """Simpler replacements for one payoff, simplest first (never ``value`` itself)."""
    out: list[Fraction] = []
    if value.denominator != 1:
        whole = Fraction(int(value))  # toward 0
        out += [Fraction(0), whole, Fraction(round(value))]
    elif value != 0:
        v = int(value)
        out += [Fraction(0), Fraction(1 if v > 0 else -1), Fraction(int(v / 2))]
    seen: set[Fraction] = set()
    return [c for c in out if c != value and not (c in seen or seen.add(c))]


def _rebuilt(payoffs: np.ndarray, original: NormalFormGame) -> NormalFormGame:
    return NormalFormGame(payoffs, name=f"shrunk from {original.name}" if original.name else "shrunk game")


def _action_removals(game: NormalFormGame) -> Iterator[NormalFormGame]:
    payoffs = np.asarray(game.payoffs, dtype=object)
    order = sorted(range(game.n_players), key=lambda i: -game.n_actions[i])  # the largest action set first
    for i in order:
        if game.n_actions[i] > 1:
            for a in reversed(range(game.n_actions[i])):
                yield _rebuilt(np.delete(payoffs, a, axis=1 + i), game)


def _payoff_simplifications(game: NormalFormGame) -> Iterator[NormalFormGame]:
    payoffs = np.asarray(game.payoffs, dtype=object)
    zero_sum = game.n_players == 2 and game.is_zero_sum()
    players = [0] if zero_sum else list(range(game.n_players))
    for p in players:
        for cell in np.ndindex(*game.n_actions):
            value = Fraction(payoffs[(p, *cell)])
            for simpler in simpler_numbers(value):
                candidate = payoffs.copy()
                candidate[(p, *cell)] = simpler
                if zero_sum:
                    candidate[(1, *cell)] = -simpler
                yield _rebuilt(candidate, game)


def shrink_normal_form_game(game: NormalFormGame, still_fails: Callable[[NormalFormGame], bool], *,
                            admissible: Callable[[NormalFormGame], bool] | None = None,
                            max_calls: int = 200) -> tuple[NormalFormGame, int]:
    """The smallest game reached from ``game`` by greedy action removal and payoff simplification.

    Parameters
    ----------
    game : NormalFormGame
        A game on which ``still_fails`` is true (exact field).
    still_fails : callable
        True when a candidate shows the same violation (called at most ``max_calls`` times).
    admissible : callable, optional
        The domain: candidates it rejects are never tried (and cost no call).
    max_calls : int
        Budget of ``still_fails`` calls; when it runs out the smallest game so far is returned.

    Returns
    -------
    (NormalFormGame, int)
        The shrunk game (``game`` itself when nothing smaller fails) and the number of calls made.
    """
    return greedy_shrink(game, (_action_removals, _payoff_simplifications), still_fails, admissible=admissible,
                         max_calls=max_calls)


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value)


def greedy_shrink(start: T, reductions: Sequence[Callable[[T], Iterable[T]]], still_fails: Callable[[T], bool], *,
                  admissible: Callable[[T], bool] | None = None, max_calls: int = 200,
                  key: Callable[[T], Hashable] = _pickled) -> tuple[T, int]:
    """The greedy loop shared by the shrinkers: take the first candidate (reductions in order, largest first)
    that is admissible and still fails, and start again from it, until none does or ``max_calls`` calls of
    ``still_fails`` were made.  A candidate already rejected (same ``key``) is not tried again, so restarts cost
    no calls.  Returns the smallest value reached and the calls made."""
    calls = 0
    current = start
    rejected: set[Hashable] = set()
    changed = True
    while changed and calls < max_calls:
        changed = False
        for reduction in reductions:
            for candidate in reduction(current):
                if calls >= max_calls:
                    return current, calls
                if admissible is not None and not admissible(candidate):
                    continue
                identity = key(candidate)
                if identity in rejected:
                    continue
                rejected.add(identity)
                calls += 1
                if still_fails(candidate):
                    current = candidate
                    changed = True
                    break  # restart from the largest reductions on the smaller value
            if changed:
                break
    return current, calls
