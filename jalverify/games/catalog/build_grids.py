r"""Generate the grid-world stochastic games of the catalog: Littman's soccer and Hu & Wellman's grid games.

Run ``python -m jalverify.games.catalog.build_grids`` to rewrite ``data/soccer.json``,
``data/grid_game_1.json`` and ``data/grid_game_2.json``; the generated files are committed, and a test checks
that they equal what this module builds.

Soccer (Littman 1994, ICML, the soccer game of the experiments)
    A 4×5 grid (rows 0..3 top to bottom, columns 0..4), players A and B, actions N, S, E, W, stand.  State:
    both positions (distinct cells) and who holds the ball: 20·19·2 = 760 states.  The two moves are executed
    in random order, each order with probability exactly 1/2.  A move off the grid leaves the player in place,
    except that the player **with the ball** moving W out of column 0 in rows 1 or 2 enters the left goal and
    moving E out of column 4 in rows 1 or 2 enters the right goal.  A player whose move would take it onto the
    other player's cell does not move, and the ball goes to the stationary player.  The left goal is A's goal
    and the right goal is B's (A scores by carrying the ball into the left goal, B into the right one); a player
    who carries the ball into the other goal scores for the opponent (own goal).  A goal gives +1 to the scoring
    player and −1 to the other (zero-sum); the second move of that step is not executed, and the game restarts
    from A at (2, 3), B at (1, 1) with the ball given to A or B with probability 1/2 each.  The initial
    distribution is that restart distribution.  γ = 9/10 as in Littman (1994).

Grid games 1 and 2 (Hu & Wellman 2003, JMLR 4, the grid-world games of the experiments)
    A 3×3 grid (rows 0..2 bottom to top, columns 0..2), two agents, actions up, down, left, right; agent 1
    starts at (0, 0), agent 2 at (0, 2).  A move off the grid leaves the agent in place.  If both agents move into
    the same cell, both are bounced back to where they were and each receives −1; if one agent moves onto the
    cell of the other, who stays put (it bumped into the edge or a barrier), the mover is blocked without
    penalty.  The shared goal of GG2 is exempt: both may enter it together.  An agent that enters its goal receives +100; the game then ends (an
    absorbing terminal state ``end``).  GG1: agent 1's goal is (2, 2), agent 2's goal is (2, 0).  GG2: both
    agents' goal is (2, 1), and moving up from (0, 0) or (0, 2) (through the barriers) succeeds with
    probability 1/2, otherwise the agent stays.  Moves are simultaneous.  γ = 99/100.  The agents may swap
    cells.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from jalverify.errors import InternalError
from jalverify.games.catalog.build_classics import write_catalog_files
from jalverify.games.stochastic import StochasticGame

__all__ = ["soccer", "grid_game_1", "grid_game_2", "SOCCER_NOTES", "GRID_NOTES", "main"]

HALF = Fraction(1, 2)

SOCCER_CITATION = (
    "Littman, M. L. (1994). Markov games as a framework for multi-agent reinforcement learning. "
    "Proc. ICML 1994, pp. 157-163 (the soccer game of the experiments)."
)
SOCCER_NOTES = (
    "4x5 grid, rows 0..3 from the top, columns 0..4; players A, B; actions N, S, E, W, stand. "
    "State = both positions and the ball holder (760 states). Moves run in random order, 1/2 each. "
    "Off-grid moves stay, except the ball carrier moving W from column 0 or E from column 4 in rows 1-2 enters "
    "a goal. Moving onto the other player's cell fails and the ball goes to the stationary player. Left goal = A "
    "scores, right goal = B scores (own goals count for the goal's owner). A goal gives +1/-1 (zero-sum), "
    "skips the second move, and restarts at A (2,3), B (1,1), ball to A or B with probability 1/2 each. "
    "gamma = 9/10. Rules not fixed by the paper (own goals, start cells) are our choices."
)
GRID_CITATION = (
    "Hu, J. & Wellman, M. P. (2003). Nash Q-learning for general-sum stochastic games. "
    "Journal of Machine Learning Research 4, 1039-1069 ({which} of the experiments)."
)
GRID_NOTES = (
    "3x3 grid, rows 0..2 from the bottom; agents start at (0,0) and (0,2); actions up, down, left, right; "
    "simultaneous moves; off-grid moves stay. If both move into one cell they bounce back and get -1 each "
    "(except in a shared goal); moving onto the other agent's cell while it stays put is blocked without penalty. Entering one's goal gives +100 and ends the game (terminal state 'end'). "
    "{specific} gamma = 99/100."
)

Cell = tuple[int, int]


def _soccer_name(a: Cell, b: Cell, ball: str) -> str:
    return f"A{a[0]}{a[1]}_B{b[0]}{b[1]}_{ball}"


def soccer() -> StochasticGame:
    """Littman's (1994) grid soccer as a two-player zero-sum stochastic game (rules in the module docstring)."""
    rows, cols = 4, 5
    goal_rows = (1, 2)
    start_a, start_b = (2, 3), (1, 1)
    moves = {"N": (-1, 0), "S": (1, 0), "E": (0, 1), "W": (0, -1), "stand": (0, 0)}
    names = tuple(moves)
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    keys = [(a, b, ball) for a in cells for b in cells if a != b for ball in ("A", "B")]
    states = [_soccer_name(*k) for k in keys]
    restart = {_soccer_name(start_a, start_b, "A"): HALF, _soccer_name(start_a, start_b, "B"): HALF}

    def step(a: Cell, b: Cell, ball: str, act: dict[str, str], order: tuple[str, str]) -> tuple[str, int] | tuple[Cell, Cell, str]:
        pos = {"A": a, "B": b}
        for player in order:
            other = "B" if player == "A" else "A"
            dr, dc = moves[act[player]]
            r, c = pos[player][0] + dr, pos[player][1] + dc
            if ball == player and r in goal_rows and (c < 0 or c >= cols):
                scorer = "A" if c < 0 else "B"  # left goal: A scores; right goal: B scores
                return ("goal", 1 if scorer == "A" else -1)
            if not (0 <= r < rows and 0 <= c < cols):
                continue
            if (r, c) == pos[other]:
                ball = other
                continue
            pos[player] = (r, c)
        return (pos["A"], pos["B"], ball)

    transitions = []
    rewards = []
    for a, b, ball in keys:
        T: dict[tuple[str, str], dict[str, Fraction]] = {}
        R: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        for ja, jb in itertools.product(names, names):
            row: dict[str, Fraction] = defaultdict(Fraction)
            rew: dict[str, tuple[int, int]] = {}
            for order in (("A", "B"), ("B", "A")):
                result = step(a, b, ball, {"A": ja, "B": jb}, order)
                if result[0] == "goal":
                    sign = int(result[1])  # type: ignore[arg-type]
                    targets = [(t, p * HALF) for t, p in restart.items()]
                    r_vec = (sign, -sign)
                else:
                    targets = [(_soccer_name(*result), HALF)]  # type: ignore[arg-type]
                    r_vec = (0, 0)
                for t, p in targets:
                    if t in rew and rew[t] != r_vec:
                        raise InternalError(f"soccer(): state {t!r} reached with rewards {rew[t]} and {r_vec}")
                    rew[t] = r_vec
                    row[t] += p
            T[(ja, jb)] = dict(row)
            R[(ja, jb)] = rew
        transitions.append(T)
        rewards.append(_reward_array(states, names, names, R))
    actions = [[names, names] for _ in states]
    initial = {t: p for t, p in restart.items()}
    return StochasticGame(["A", "B"], states, actions, transitions, rewards, Fraction(9, 10), initial=initial,
                          name="soccer")


def _reward_array(states: list[str], acts0: tuple[str, ...], acts1: tuple[str, ...],
                  R: dict[tuple[str, str], dict[str, tuple[int, int]]]) -> list | np.ndarray:
    """Rewards of a two-player state as ``(2, k0, k1)`` if they never depend on the next state, else ``(2, k0, k1, S)``."""
    constant = all(len(set(per.values())) == 1 for per in R.values())
    if constant:
        return [[[next(iter(R[(x, y)].values()))[i] for y in acts1] for x in acts0] for i in range(2)]
    index = {s: k for k, s in enumerate(states)}
    out = np.empty((2, len(acts0), len(acts1), len(states)), dtype=object)
    out.fill(Fraction(0))  # an array of Fractions is taken as is by the exact field (no per-entry parsing)
    for (x, y), per in R.items():
        for t, vec in per.items():
            for i in range(2):
                out[i, acts0.index(x), acts1.index(y), index[t]] = Fraction(vec[i])
    return out


def _grid_game(goals: tuple[Cell, Cell], barrier: Callable[[Cell, str], Fraction], name: str) -> StochasticGame:
    size = 3
    moves = {"up": (1, 0), "down": (-1, 0), "left": (0, -1), "right": (0, 1)}
    names = tuple(moves)
    cells = [(r, c) for r in range(size) for c in range(size)]
    start = ((0, 0), (0, 2))
    shared_goal = goals[0] == goals[1]

    def label(p: Cell, q: Cell) -> str:
        return f"A{p[0]}{p[1]}_B{q[0]}{q[1]}"

    keys = [(p, q) for p in cells for q in cells if p != q and p != goals[0] and q != goals[1]]
    states = [label(p, q) for p, q in keys] + ["end"]

    def targets(pos: Cell, act: str) -> list[tuple[Cell, Fraction]]:
        dr, dc = moves[act]
        r, c = pos[0] + dr, pos[1] + dc
        if not (0 <= r < size and 0 <= c < size):
            return [(pos, Fraction(1))]
        p_pass = barrier(pos, act)
        if p_pass == 1:
            return [((r, c), Fraction(1))]
        return [((r, c), p_pass), (pos, 1 - p_pass)]

    transitions: list = []
    rewards: list = []
    actions: list = []
    for p, q in keys:
        T: dict[tuple[str, str], dict[str, Fraction]] = {}
        R: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        for x, y in itertools.product(names, names):
            row: dict[str, Fraction] = defaultdict(Fraction)
            rew: dict[str, tuple[int, int]] = {}
            for (p2, pp), (q2, pq) in itertools.product(targets(p, x), targets(q, y)):
                prob = pp * pq
                r_vec = [0, 0]
                if p2 == q2 and not (shared_goal and p2 == goals[0]):
                    if p2 != p and q2 != q:  # both moved into one cell: collision
                        p2, q2, r_vec = p, q, [-1, -1]
                    else:  # one moved onto the other, who stayed put: the mover is blocked
                        p2, q2 = p, q
                at_goal = (p2 == goals[0], q2 == goals[1])
                if at_goal[0]:
                    r_vec[0] += 100
                if at_goal[1]:
                    r_vec[1] += 100
                t = "end" if any(at_goal) else label(p2, q2)
                vec = (r_vec[0], r_vec[1])
                if t in rew and rew[t] != vec:
                    raise InternalError(f"{name}(): state {t!r} reached with rewards {rew[t]} and {vec}")
                rew[t] = vec
                row[t] += prob
            T[(x, y)] = dict(row)
            R[(x, y)] = rew
        transitions.append(T)
        rewards.append(_reward_array(states, names, names, R))
        actions.append([names, names])
    transitions.append(None)
    rewards.append(None)
    actions.append(None)
    terminal = [False] * len(keys) + [True]
    return StochasticGame(["agent1", "agent2"], states, actions, transitions, rewards, Fraction(99, 100),
                          terminal=terminal, initial={label(*start): 1}, name=name)


def grid_game_1() -> StochasticGame:
    """Hu & Wellman's (2003) Grid Game 1: separate goals across the grid, deterministic moves."""
    return _grid_game(((2, 2), (2, 0)), lambda pos, act: Fraction(1), "grid_game_1")


def grid_game_2() -> StochasticGame:
    """Hu & Wellman's (2003) Grid Game 2: one shared goal at the top centre, barriers above the start cells."""

    def barrier(pos: Cell, act: str) -> Fraction:
        return HALF if act == "up" and pos in ((0, 0), (0, 2)) else Fraction(1)

    return _grid_game(((2, 1), (2, 1)), barrier, "grid_game_2")


BUILDERS = {
    "soccer": (soccer, SOCCER_CITATION, SOCCER_NOTES),
    "grid_game_1": (grid_game_1, GRID_CITATION.format(which="Grid Game 1"),
                    GRID_NOTES.format(specific="GG1: agent 1's goal is (2,2), agent 2's goal is (2,0).")),
    "grid_game_2": (grid_game_2, GRID_CITATION.format(which="Grid Game 2"),
                    GRID_NOTES.format(specific="GG2: both goals are (2,1); moving up from (0,0) or (0,2) passes "
                                               "the barrier with probability 1/2, otherwise the agent stays.")),
}


def main() -> None:
    write_catalog_files(BUILDERS)


if __name__ == "__main__":
    main()
