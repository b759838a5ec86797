"""Fixtures for the NoSDE tests: the book's NoSDE game (theory.md §6) built by hand, independent of the catalog."""

from __future__ import annotations

from typing import Any

import pytest

from jalverify.games.stochastic import StochasticGame

#: (agent 1, agent 2) rewards of the book's game, Albrecht, Christianos & Schäfer 2024, p.126, Fig. 6.3.
BOOK_REWARDS: dict[tuple[str, str], tuple[int, int]] = {
    ("s1", "keep"): (1, 0),
    ("s1", "send"): (0, 3),
    ("s2", "keep"): (3, 1),
    ("s2", "send"): (0, 0),
}


def keep_send_game(rewards: dict[tuple[str, str], tuple[Any, Any]] | None = None, gamma: Any = "3/4",
                   name: str = "nosde_book") -> StochasticGame:
    """Agent 1 moves in s1, agent 2 in s2; ``keep`` stays, ``send`` moves to the other state."""
    r = dict(BOOK_REWARDS if rewards is None else rewards)
    return StochasticGame(
        ["agent 1", "agent 2"], ["s1", "s2"],
        [[("keep", "send"), ("none",)], [("none",), ("keep", "send")]],
        [{("keep", "none"): {"s1": 1}, ("send", "none"): {"s2": 1}},
         {("none", "keep"): {"s2": 1}, ("none", "send"): {"s1": 1}}],
        [
            [[[r["s1", "keep"][0]], [r["s1", "send"][0]]], [[r["s1", "keep"][1]], [r["s1", "send"][1]]]],
            [[[r["s2", "keep"][0], r["s2", "send"][0]]], [[r["s2", "keep"][1], r["s2", "send"][1]]]],
        ],
        gamma, name=name,
    )


@pytest.fixture
def book_game() -> StochasticGame:
    return keep_send_game()


@pytest.fixture
def keep_send() -> Any:
    """The builder :func:`keep_send_game` (test files cannot import conftest under importlib mode)."""
    return keep_send_game
