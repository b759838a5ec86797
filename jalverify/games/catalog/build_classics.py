r"""Generate the small games of the catalog (matrix games and the NoSDE game) as ``data/<name>.json``.

Run ``python -m jalverify.games.catalog.build_classics`` to rewrite the files; they are committed, and a test
checks that they equal what this module builds.  Each entry states its payoffs and source; where a source has
several published payoff variants the one used here is named in the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from jalverify.games.formats.json_format import save_game
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["CLASSICS", "nosde", "main"]

BOOK = ("Albrecht, S. V., Christianos, F. & Schäfer, L. (2024). Multi-Agent Reinforcement Learning: Foundations "
        "and Modern Approaches. MIT Press")


def rock_paper_scissors() -> NormalFormGame:
    return NormalFormGame.zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], players=["row", "column"],
                                   actions=[["rock", "paper", "scissors"]] * 2, name="rock_paper_scissors")


def matching_pennies() -> NormalFormGame:
    return NormalFormGame.zero_sum([[1, -1], [-1, 1]], players=["row", "column"],
                                   actions=[["heads", "tails"]] * 2, name="matching_pennies")


def prisoners_dilemma() -> NormalFormGame:
    return NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["row", "column"],
                                   actions=[["cooperate", "defect"]] * 2, name="prisoners_dilemma")


def battle_of_the_sexes() -> NormalFormGame:
    return NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], players=["row", "column"],
                                   actions=[["opera", "football"]] * 2, name="battle_of_the_sexes")


def chicken() -> NormalFormGame:
    return NormalFormGame.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]], players=["row", "column"],
                                   actions=[["straight", "swerve"]] * 2, name="chicken")


def stag_hunt() -> NormalFormGame:
    return NormalFormGame.bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]], players=["row", "column"],
                                   actions=[["stag", "hare"]] * 2, name="stag_hunt")


def coordination() -> NormalFormGame:
    eye = [[1 if i == j else 0 for j in range(3)] for i in range(3)]
    return NormalFormGame.bimatrix(eye, eye, players=["row", "column"], actions=[["a", "b", "c"]] * 2,
                                   name="coordination")


def shapley_3x3() -> NormalFormGame:
    A = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    B = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    return NormalFormGame.bimatrix(A, B, players=["row", "column"], actions=[["1", "2", "3"]] * 2,
                                   name="shapley_3x3")


def degenerate_3x2() -> NormalFormGame:
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    return NormalFormGame.bimatrix(A, B, players=["row", "column"], actions=[["top", "middle", "bottom"], ["left", "right"]],
                                   name="degenerate_3x2")


def three_player_matching_pennies() -> NormalFormGame:
    """Jordan's (1993) game: player 1 wants to match player 2, player 2 to match player 3, player 3 to mismatch
    player 1; +1 for success, −1 for failure."""
    payoffs = [[[[0] * 2 for _ in range(2)] for _ in range(2)] for _ in range(3)]
    for a in range(2):
        for b in range(2):
            for c in range(2):
                payoffs[0][a][b][c] = 1 if a == b else -1
                payoffs[1][a][b][c] = 1 if b == c else -1
                payoffs[2][a][b][c] = 1 if c != a else -1
    return NormalFormGame(payoffs, ["player1", "player2", "player3"], [["heads", "tails"]] * 3,
                          name="three_player_matching_pennies")


def nosde() -> StochasticGame:
    """The book's NoSDE game (theory.md §6): agent 1 moves in s1, agent 2 in s2, γ = 3/4."""
    players = ["agent1", "agent2"]
    actions = [[["keep", "send"], ["noop"]], [["noop"], ["keep", "send"]]]
    transitions = [
        {("keep", "noop"): {"s1": 1}, ("send", "noop"): {"s2": 1}},
        {("noop", "keep"): {"s2": 1}, ("noop", "send"): {"s1": 1}},
    ]
    # rewards[s] has shape (n, |A_1(s)|, |A_2(s)|)
    rewards = [
        [[[1], [0]], [[0], [3]]],  # s1: keep -> (1, 0), send -> (0, 3)
        [[[3, 0]], [[1, 0]]],  # s2: keep -> (3, 1), send -> (0, 0)
    ]
    return StochasticGame(players, ["s1", "s2"], actions, transitions, rewards, Fraction(3, 4), name="nosde")


CLASSICS = {
    "rock_paper_scissors": (
        rock_paper_scissors,
        f"Zero-sum rock-paper-scissors; see e.g. {BOOK}, Section 3.1.",
        "Win +1, loss -1, tie 0. The unique Nash equilibrium is uniform for both players (value 0).",
    ),
    "matching_pennies": (
        matching_pennies,
        f"Matching pennies; see e.g. {BOOK}, Section 3.1.",
        "Row wins +1 when the coins match, column wins +1 when they differ. Unique equilibrium: both uniform.",
    ),
    "prisoners_dilemma": (
        prisoners_dilemma,
        "Prisoner's dilemma (Flood & Dresher 1950, Tucker); payoffs T=5, R=3, P=1, S=0 as in Axelrod, R. (1984), "
        "The Evolution of Cooperation.",
        "Defect strictly dominates cooperate; the unique equilibrium (defect, defect) pays (1, 1) while (cooperate, "
        "cooperate) pays (3, 3). At (cooperate, cooperate) each player's regret is exactly 2.",
    ),
    "battle_of_the_sexes": (
        battle_of_the_sexes,
        "Battle of the sexes (Luce, R. D. & Raiffa, H. (1957), Games and Decisions); payoffs as in Osborne, M. J. & "
        "Rubinstein, A. (1994), A Course in Game Theory, Section 2.3 ('Bach or Stravinsky').",
        "Two pure equilibria (opera, opera) -> (2, 1) and (football, football) -> (1, 2); one mixed equilibrium "
        "(row plays opera with 2/3, column with 1/3) paying (2/3, 2/3).",
    ),
    "chicken": (
        chicken,
        "Game of chicken with the payoffs of Aumann, R. J. (1974), Subjectivity and correlation in randomized "
        f"strategies, J. Math. Econ. 1, 67-96 (the standard correlated-equilibrium example; see also {BOOK}, "
        "Section 4.6).",
        "Pure equilibria (straight, swerve) and (swerve, straight); the mixed equilibrium plays straight with 1/3; the "
        "correlated equilibrium putting 1/3 on each of (straight, swerve), (swerve, straight), (swerve, swerve) pays "
        "5 to each player.",
    ),
    "stag_hunt": (
        stag_hunt,
        "Stag hunt (Rousseau); payoffs 4/3/0 as in Skyrms, B. (2004), The Stag Hunt and the Evolution of Social "
        "Structure.",
        "Pure equilibria (stag, stag) -> (4, 4), a global optimal point in the sense of Hu & Wellman (2003), and "
        "(hare, hare) -> (3, 3), a saddle point.",
    ),
    "coordination": (
        coordination,
        "Pure coordination game (Schelling, T. C. (1960), The Strategy of Conflict; Lewis, D. (1969), Convention).",
        "Common payoff 1 when both choose the same action, 0 otherwise. Three pure equilibria and four mixed ones "
        "(uniform on every common support of size 2 or 3).",
    ),
    "shapley_3x3": (
        shapley_3x3,
        "Shapley, L. S. (1964). Some topics in two-person games. In Advances in Game Theory, Annals of Mathematics "
        "Studies 52, 1-28.",
        "Fictitious play does not converge here: its empirical play cycles with ever longer runs. Unique equilibrium: "
        "both players uniform, paying (1/3, 1/3).",
    ),
    "degenerate_3x2": (
        degenerate_3x2,
        "Degenerate variant of the 3x2 example of von Stengel, B. (2007), Equilibrium computation for two-player "
        "games in strategic and extensive form, in Nisan et al. (eds.), Algorithmic Game Theory, Chapter 3.",
        "Degenerate: the pure strategy 'top' has two best responses. Every profile (top, (q, 1-q)) with "
        "2/3 <= q <= 1 is a Nash equilibrium (a continuum).",
    ),
    "three_player_matching_pennies": (
        three_player_matching_pennies,
        "Jordan, J. S. (1993). Three problems in learning mixed-strategy Nash equilibria. Games and Economic "
        "Behavior 5, 368-386.",
        "Player 1 wants to match player 2, player 2 to match player 3, player 3 to mismatch player 1; +1 for "
        "success and -1 for failure (our scaling). The unique equilibrium is uniform for all three players.",
    ),
    "nosde": (
        nosde,
        f"Zinkevich, M., Greenwald, A. & Littman, M. L. (2005). Cyclic equilibria in Markov games. NIPS 18; the "
        f"NoSDE game as in {BOOK}, p. 126, Fig. 6.3.",
        "States s1, s2; agent 1 chooses keep/send in s1, agent 2 in s2 (the other plays the dummy action 'noop'). "
        "s1: keep -> (1, 0), stay in s1; send -> (0, 3), go to s2. s2: keep -> (3, 1), stay in s2; send -> (0, 0), "
        "go to s1. Deterministic transitions, gamma = 3/4. No stationary deterministic equilibrium exists.",
    ),
}


def write_catalog_files(builders: dict[str, tuple[Callable[[], Any], str, str]]) -> None:
    """Build every game of ``builders`` (name -> (builder, citation, notes)) and write ``data/<name>.json``."""
    data = Path(__file__).with_name("data")
    data.mkdir(exist_ok=True)
    for name, (build, citation, notes) in builders.items():
        save_game(build(), data / f"{name}.json", citation=citation, notes=notes)
        print(f"wrote {data / (name + '.json')}")


def main() -> None:
    write_catalog_files(CLASSICS)


if __name__ == "__main__":
    main()
