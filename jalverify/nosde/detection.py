r"""Exact decision whether a stochastic game has a stationary deterministic equilibrium (NoSDE detection).

A game is **NoSDE** (Zinkevich, Greenwald & Littman 2005, NIPS 18; Albrecht, Christianos & Schäfer 2024,
p.126, Fig. 6.3; theory.md §6) when no deterministic stationary joint policy is a stationary equilibrium.
There are finitely many deterministic stationary joint policies, :math:`\prod_s \prod_i |A_i(s)|`, so the
question is decided by enumeration: each profile is evaluated exactly
(:func:`~jalverify.solvers.evaluation.evaluate_policy`) and checked by the one-shot deviation principle
(:func:`~jalverify.nosde.equilibrium_check.check_stationary_equilibrium`).  The search stops at the first
equilibrium.  If there is none, every profile's largest profitable deviation is reported; together they are the
exact certificate that the game is NoSDE.

Pruning (``prune=True``): profiles are grouped by the deterministic policies of all players but one (the
player ``p`` with the most deterministic policies).  In each group player ``p`` faces a discounted MDP, and a
deterministic stationary policy is optimal in it iff it is greedy with respect to the optimal action values
(Puterman 1994, Thm. 6.2.7).  The optimal values come from the exact best response
(:mod:`jalverify.solvers.best_response`); only the greedy policies of ``p`` are checked, the others are
skipped as non-equilibria during the search.  When no equilibrium is found and ``witnesses=True`` the skipped
profiles are evaluated afterwards, so the certificate is complete and does not depend on the pruning step.

The enumeration refuses games with more than ``max_profiles`` deterministic stationary joint policies
(default :data:`DEFAULT_MAX_PROFILES`), raising :class:`~jalverify.errors.GameTooLarge` with the count.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import prod

from jalverify.errors import CertificateError, GameTooLarge, UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.nosde.equilibrium_check import Deviation, StationaryEquilibriumCheck, check_stationary_equilibrium
from jalverify.solvers.best_response import best_response
from jalverify.verdicts import Status, Verdict

__all__ = [
    "DEFAULT_MAX_PROFILES",
    "SDEStatus",
    "ProfileDeviation",
    "SDEDetection",
    "count_deterministic_profiles",
    "find_stationary_deterministic_equilibrium",
    "choice_text",
    "size_text",
    "factor_text",
]

#: Largest number of deterministic stationary joint policies enumerated unless the caller raises the limit.
DEFAULT_MAX_PROFILES = 4096

THEOREM_ID = "nosde.no_stationary_deterministic_equilibrium"

Choice = tuple[tuple[int, ...], ...]


class SDEStatus(enum.Enum):
    """Outcome of the search."""

    FOUND = "has a stationary deterministic equilibrium"
    NOSDE = "no stationary deterministic equilibrium (NoSDE)"


@dataclass(frozen=True)
class ProfileDeviation:
    """A deterministic stationary joint policy (``choice[s][i]`` = action index) and its largest profitable
    one-shot deviation."""

    choice: Choice
    deviation: Deviation


@dataclass(frozen=True)
class SDEDetection:
    """Result of :func:`find_stationary_deterministic_equilibrium`.

    Attributes
    ----------
    game : StochasticGame
    status : SDEStatus
    equilibria : tuple of StationaryPolicy
        The equilibrium found (one) when ``status`` is FOUND; empty otherwise.
    certificates : tuple of StationaryEquilibriumCheck
        Its exact check (all one-shot gains ≤ 0); empty otherwise.
    deviations : tuple of ProfileDeviation
        Each non-equilibrium profile evaluated, with its largest profitable deviation.  For a NoSDE game with
        ``witnesses=True`` this covers every profile.
    n_profiles : int
        Number of deterministic stationary joint policies.
    n_checked : int
        Profiles evaluated and checked.
    n_pruned : int
        Profiles skipped by the best-response pruning (and not evaluated afterwards).
    verdict : Verdict
        The claim "the game is NoSDE": CONFIRMED (exact, with a deviation for every profile when
        ``witnesses=True``), REFUTED with the equilibrium as witness.
    """

    game: StochasticGame
    status: SDEStatus
    equilibria: tuple[StationaryPolicy, ...]
    certificates: tuple[StationaryEquilibriumCheck, ...]
    deviations: tuple[ProfileDeviation, ...]
    n_profiles: int
    n_checked: int
    n_pruned: int
    verdict: Verdict

    @property
    def is_nosde(self) -> bool:
        return self.status is SDEStatus.NOSDE

    @property
    def complete_certificate(self) -> bool:
        """Every profile has an exact profitable deviation listed (only meaningful for NoSDE)."""
        return self.is_nosde and len(self.deviations) == self.n_profiles


def count_deterministic_profiles(game: StochasticGame) -> int:
    """:math:`\\prod_s \\prod_i |A_i(s)|`, the number of deterministic stationary joint policies."""
    return prod(prod(game.n_actions(s)) for s in range(game.n_states))


def _choices(game: StochasticGame) -> Iterator[Choice]:
    per_state = [list(itertools.product(*(range(k) for k in game.n_actions(s)))) for s in range(game.n_states)]
    for combo in itertools.product(*per_state):
        yield tuple(combo)


def size_text(count: int) -> str:
    """``count`` in full below 10^12, else as ``about 2.72e1062``."""
    if count < 10 ** 12:
        return str(count)
    digits = len(str(count))
    return f"about {str(count)[0]}.{str(count)[1:3]}e{digits - 1}"


def factor_text(factors: Iterable[int]) -> str:
    """``2 × 3 × 3`` as ``2 × 3^2``: equal factors grouped, in order of first appearance."""
    counts: dict[int, int] = {}
    for f in factors:
        counts[f] = counts.get(f, 0) + 1
    return " × ".join(str(f) if m == 1 else f"{f}^{m}" for f, m in counts.items())


def choice_text(game: StochasticGame, choice: Choice) -> dict[str, list[str]]:
    """``{state: [action name of each player]}`` for a deterministic profile."""
    return {game.states[s]: [game.actions[s][i][a] for i, a in enumerate(per)] for s, per in enumerate(choice)}


def find_stationary_deterministic_equilibrium(
    game: StochasticGame, *, max_profiles: int = DEFAULT_MAX_PROFILES, witnesses: bool = True, prune: bool = True,
) -> SDEDetection:
    """Decide exactly whether ``game`` has a stationary deterministic equilibrium.

    Parameters
    ----------
    game : StochasticGame
        Exact field; any number of players, general-sum, simultaneous or turn-based.
    max_profiles : int
        Refuse games with more deterministic stationary joint policies than this.
    witnesses : bool
        For a NoSDE game, report a profitable deviation of *every* profile (evaluating profiles the pruning
        skipped).  With ``False`` the skipped profiles rest on the best-response certificate.
    prune : bool
        Use best-response pruning (see the module docstring).

    Returns
    -------
    SDEDetection

    Raises
    ------
    UnsupportedGame
        The game is not in the exact field.
    GameTooLarge
        More than ``max_profiles`` profiles; the message gives the count.
    CertificateError
        A profile skipped by the pruning turned out to have no profitable deviation (would be a solver bug).
    """
    where = "find_stationary_deterministic_equilibrium()"
    if not game.field.exact:
        raise UnsupportedGame(f"{where}: needs an exact game (field 'exact'), got field {game.field.name!r}; "
                              "convert with game.to_field('exact', allow_float=True)")
    total = count_deterministic_profiles(game)
    if total > max_profiles:
        raise GameTooLarge(
            f"{where}: game {game.name or '(unnamed)'!r} has {size_text(total)} deterministic stationary joint "
            f"policies (product of the joint-action counts of its states: "
            f"{factor_text(prod(game.n_actions(s)) for s in range(game.n_states))}), above the limit "
            f"max_profiles={max_profiles}"
            + (f"; pass max_profiles={total} to enumerate them anyway" if total < 10 ** 9 else
               "; exhaustive enumeration is out of reach for this game")
        )
    deviations: list[ProfileDeviation] = []
    skipped: list[Choice] = []
    checked = 0
    for choice, candidate in _search_order(game, prune):
        if not candidate:
            skipped.append(choice)
            continue
        check = check_stationary_equilibrium(game, StationaryPolicy.deterministic(game, choice))
        checked += 1
        if check.is_equilibrium:
            label = f"game {game.name!r}" if game.name else "the game"
            verdict = Verdict(THEOREM_ID, Status.REFUTED,
                              f"{label} has a stationary deterministic equilibrium: {choice_text(game, choice)}",
                              {"equilibrium": choice_text(game, choice)})
            return SDEDetection(game, SDEStatus.FOUND, (check.policy,), (check,), tuple(deviations), total,
                                checked, len(skipped), verdict)
        deviations.append(ProfileDeviation(choice, check.witness))
    pruned = len(skipped)
    if witnesses:
        for choice in skipped:
            check = check_stationary_equilibrium(game, StationaryPolicy.deterministic(game, choice))
            checked += 1
            if check.is_equilibrium:
                raise CertificateError(
                    f"{where}: profile {choice_text(game, choice)} was pruned as a non-best-response but has no "
                    f"profitable deviation; the best-response step is wrong, no answer is reported"
                )
            deviations.append(ProfileDeviation(choice, check.witness))
        pruned = 0
    deviations.sort(key=lambda d: d.choice)
    label = f"game {game.name!r}" if game.name else "the game"
    verdict = Verdict(THEOREM_ID, Status.PROVEN,
                      f"{label} has no stationary deterministic equilibrium: each of its {total} deterministic "
                      f"stationary joint policies has an exact profitable one-shot deviation"
                      + ("" if witnesses else f" ({pruned} by best-response pruning)"),
                      {"n_profiles": total, "deviations": [
                          {"profile": choice_text(game, d.choice), **d.deviation.as_dict()} for d in deviations]})
    return SDEDetection(game, SDEStatus.NOSDE, (), (), tuple(deviations), total, checked, pruned, verdict)


def _search_order(game: StochasticGame, prune: bool) -> Iterator[tuple[Choice, bool]]:
    """Yield every profile once as ``(choice, is_candidate)``; non-candidates are provably not equilibria."""
    if not prune:
        for choice in _choices(game):
            yield choice, True
        return
    S, n = game.n_states, game.n_players
    counts = [prod(game.n_actions(s)[i] for s in range(S)) for i in range(n)]
    p = max(range(n), key=lambda i: (counts[i], -i))
    others = [[j for j in range(n) if j != p] for _ in range(S)]
    per_state_others = [list(itertools.product(*(range(game.n_actions(s)[j]) for j in others[s]))) for s in range(S)]
    for rest in itertools.product(*per_state_others):
        def merge(own: tuple[int, ...]) -> Choice:
            out = []
            for s in range(S):
                row = list(rest[s])
                row.insert(p, own[s])
                out.append(tuple(row))
            return tuple(out)

        base = StationaryPolicy.deterministic(game, merge((0,) * S))
        reply = best_response(game, base, p)
        if not reply.certified:
            raise CertificateError(
                f"find_stationary_deterministic_equilibrium(): the best response of player {game.players[p]!r} "
                f"was not certified ({reply.status.value}); rerun with prune=False"
            )
        greedy = [{b for b, q in enumerate(reply.q_values[s].tolist()) if q == max(reply.q_values[s].tolist())}
                  for s in range(S)]
        for own in itertools.product(*(range(game.n_actions(s)[p]) for s in range(S))):
            yield merge(own), all(own[s] in greedy[s] for s in range(S))
