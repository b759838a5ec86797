r"""Equilibrium selection: small, pure, deterministic rules over a list of candidate equilibria.

When a stage game has several equilibria, joint-action learners must agree on one, or their joint play is not
an equilibrium at all (the equilibrium-selection problem, seed note 001; Albrecht, Christianos & Schäfer 2024,
§5.4.2).  A rule here is a function of the candidates only, so every agent that applies it to the same
candidates picks the same one.  Rules (Greenwald & Hall 2003 for the welfare criteria):

* **utilitarian**: maximise the welfare :math:`Σ_i U_i`;
* **egalitarian**: maximise :math:`\min_i U_i`;
* **pareto**: keep the candidates whose payoff vectors are not Pareto-dominated (another candidate at least as
  good for every player and strictly better for one), in their original order;
* **lexicographic tie-break**: among the remaining ties, the candidate whose probability vector is
  lexicographically greatest.  The vector of a :class:`MixedProfile` is player 0's distribution, then player
  1's, ...; of a :class:`CorrelatedProfile` the joint distribution in C order of joint actions.  Pure
  equilibria thus win over mixed ones with the same payoffs, and earlier actions over later ones.

Comparisons are exact in the exact field and use the field's ``atol`` in the float field.
:func:`select_equilibrium` applies: optional Pareto filter → the welfare rule → the lexicographic tie-break.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jalverify.errors import InvalidProfile
from jalverify.games.profiles import CorrelatedProfile, MixedProfile, expected_payoffs
from jalverify.numbers import EXACT, Field, Number
from jalverify.solvers.display import (
    brief_number,
    json_number,
    number_text,
    one_line,
    plural,
    profiles_table_html,
    result_html,
    table_html,
)

__all__ = [
    "RULES",
    "Candidate",
    "Selection",
    "candidates_from",
    "utilitarian_welfare",
    "egalitarian_welfare",
    "pareto_dominates",
    "pareto_filter",
    "best_by",
    "probability_vector",
    "lexicographic_first",
    "select_equilibrium",
]

RULES = ("utilitarian", "egalitarian", "pareto")


@dataclass(frozen=True)
class Candidate:
    """A candidate equilibrium with its payoff vector (one entry per player)."""

    profile: MixedProfile | CorrelatedProfile | None
    payoffs: tuple[Number, ...]


@dataclass(frozen=True)
class Selection:
    """The chosen candidate, its index in the input, the rule, and how many candidates tied before the
    lexicographic tie-break."""

    index: int
    candidate: Candidate
    rule: str
    ties: int

    # display (issue 13)
    def _players(self) -> list[str]:
        profile = self.candidate.profile
        if profile is not None:
            return list(profile.game.players)
        return [f"player {i}" for i in range(len(self.candidate.payoffs))]

    def __repr__(self) -> str:
        payoffs = "(" + ", ".join(brief_number(v) for v in self.candidate.payoffs) + ")"
        return one_line("Selection", f"rule={self.rule}", f"index={self.index}", f"payoffs={payoffs}",
                        plural(self.ties, "tie") + " before the lexicographic tie-break")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: rule, chosen index, ties, payoffs by player and the chosen profile (exact ``"p/q"``):
        a mixed profile by player and action, a correlated one as its non-zero joint actions."""
        players = self._players()
        profile = self.candidate.profile
        doc: dict[str, Any] = {"rule": self.rule, "index": self.index, "ties": self.ties,
                               "payoffs": {p: json_number(v) for p, v in zip(players, self.candidate.payoffs)}}
        if isinstance(profile, MixedProfile):
            g = profile.game
            doc["strategies"] = {g.players[i]: {g.actions[i][a]: json_number(q) for a, q in enumerate(d)}
                                 for i, d in enumerate(profile.distributions)}
        elif isinstance(profile, CorrelatedProfile):
            g = profile.game
            doc["distribution"] = [{"joint_action": {g.players[i]: g.actions[i][a] for i, a in enumerate(joint)},
                                    "probability": json_number(profile.distribution[joint])}
                                   for joint in g.joint_actions() if profile.distribution[joint] != 0]
        return doc

    def _repr_html_(self) -> str:
        """The rule, the chosen candidate's payoffs and its strategies (or joint distribution) as tables."""
        players = self._players()
        parts = [table_html(["player", "payoff"], [[p, number_text(v)] for p, v in zip(players, self.candidate.payoffs)])]
        profile = self.candidate.profile
        if isinstance(profile, MixedProfile):
            g = profile.game
            parts.append(profiles_table_html(list(g.players), [list(a) for a in g.actions],
                                             [(f"[{self.index}]", profile.distributions)], caption="chosen profile"))
        elif isinstance(profile, CorrelatedProfile):
            g = profile.game
            rows = [[g.actions[i][a] for i, a in enumerate(joint)] + [number_text(profile.distribution[joint])]
                    for joint in g.joint_actions() if profile.distribution[joint] != 0]
            parts.append(table_html(list(g.players) + ["probability"], rows, caption="chosen distribution",
                                    row_headers=False))
        return result_html("selection", f"Selected candidate [{self.index}] by the {self.rule} rule", parts,
                           facts={"ties before the lexicographic tie-break": str(self.ties)})


def candidates_from(profiles: Sequence[MixedProfile | CorrelatedProfile]) -> tuple[Candidate, ...]:
    """Candidates with the exact (or float) expected payoffs of each profile."""
    return tuple(Candidate(p, tuple(expected_payoffs(p.game, p).tolist())) for p in profiles)


def utilitarian_welfare(payoffs: Sequence[Number]) -> Number:
    """:math:`Σ_i U_i`."""
    total = payoffs[0] * 0
    for u in payoffs:
        total = total + u
    return total


def egalitarian_welfare(payoffs: Sequence[Number]) -> Number:
    """:math:`\\min_i U_i`."""
    return min(payoffs)


def pareto_dominates(a: Sequence[Number], b: Sequence[Number], field: Field = EXACT) -> bool:
    """Whether payoff vector ``a`` Pareto-dominates ``b``: ``a_i >= b_i`` for all ``i``, ``>`` for some."""
    if len(a) != len(b):
        raise InvalidProfile(f"pareto_dominates(): payoff vectors of lengths {len(a)} and {len(b)}")
    return all(field.le(y, x) for x, y in zip(a, b)) and any(field.lt(y, x) for x, y in zip(a, b))


def pareto_filter(candidates: Sequence[Candidate], field: Field = EXACT) -> tuple[Candidate, ...]:
    """The candidates not Pareto-dominated by another candidate, in their original order."""
    return tuple(c for c in candidates
                 if not any(pareto_dominates(d.payoffs, c.payoffs, field) for d in candidates if d is not c))


def best_by(candidates: Sequence[Candidate], score: Callable[[Sequence[Number]], Number],
            field: Field = EXACT) -> tuple[Candidate, ...]:
    """All candidates whose ``score(payoffs)`` equals the maximum (within the field's tolerance)."""
    if not candidates:
        return ()
    scores = [score(c.payoffs) for c in candidates]
    top = max(scores)
    return tuple(c for c, s in zip(candidates, scores) if field.eq(s, top))


def probability_vector(profile: MixedProfile | CorrelatedProfile | None) -> tuple[Number, ...]:
    """The vector the lexicographic tie-break compares (module docstring)."""
    if profile is None:
        return ()
    if isinstance(profile, MixedProfile):
        return tuple(v for d in profile.distributions for v in d.tolist())
    if isinstance(profile, CorrelatedProfile):
        return tuple(np.asarray(profile.distribution).reshape(-1).tolist())
    raise InvalidProfile(f"probability_vector(): expected a profile, got {type(profile).__name__}")


def _lex_greater(a: Sequence[Number], b: Sequence[Number], field: Field) -> bool:
    for x, y in zip(a, b):
        if field.eq(x, y):
            continue
        return bool(x > y)
    return len(a) > len(b)


def lexicographic_first(candidates: Sequence[Candidate], field: Field = EXACT) -> Candidate:
    """The candidate with the lexicographically greatest probability vector (the first such on exact ties)."""
    if not candidates:
        raise InvalidProfile("lexicographic_first(): no candidates")
    best = candidates[0]
    best_vec = probability_vector(best.profile)
    for c in candidates[1:]:
        vec = probability_vector(c.profile)
        if _lex_greater(vec, best_vec, field):
            best, best_vec = c, vec
    return best


def select_equilibrium(candidates: Sequence[Candidate | MixedProfile | CorrelatedProfile], rule: str = "utilitarian",
                       *, pareto: bool = True, field: Field | None = None) -> Selection:
    """Pick one candidate deterministically: Pareto filter (if ``pareto``) → ``rule`` → lexicographic tie-break.

    Parameters
    ----------
    candidates : sequence of Candidate or profiles
        Profiles are turned into candidates with their expected payoffs.
    rule : {"utilitarian", "egalitarian", "pareto"}
        ``"pareto"`` applies only the Pareto filter before the tie-break.
    pareto : bool
        Apply the Pareto filter first (default).  The utilitarian optimum is always Pareto-optimal among the
        candidates, the egalitarian one need not be unique, so the filter matters for ties.
    field : Field, optional
        Comparison field; default that of the first profile, else exact.

    Raises
    ------
    InvalidProfile
        No candidates, or an unknown rule.
    """
    if rule not in RULES:
        raise InvalidProfile(f"select_equilibrium(): unknown rule {rule!r}; expected one of {RULES}")
    items = [c if isinstance(c, Candidate) else candidates_from([c])[0] for c in candidates]
    if not items:
        raise InvalidProfile("select_equilibrium(): no candidates")
    if field is None:
        first = next((c.profile for c in items if c.profile is not None), None)
        field = first.game.field if first is not None else EXACT
    pool: Sequence[Candidate] = items
    if pareto or rule == "pareto":
        pool = pareto_filter(pool, field)
    if rule == "utilitarian":
        pool = best_by(pool, utilitarian_welfare, field)
    elif rule == "egalitarian":
        pool = best_by(pool, egalitarian_welfare, field)
    chosen = lexicographic_first(pool, field)
    index = next(k for k, c in enumerate(items) if c is chosen)
    return Selection(index, chosen, rule, len(pool))

