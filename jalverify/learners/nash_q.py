r"""Nash-Q (Hu & Wellman 2003, JMLR 4:1039–1069; book pp.123–124; theory.md §4).

The JAL-GT stage concept "a Nash equilibrium of :math:`Γ_s`": each agent backs up its payoff
:math:`\mathrm{Value}_j(Γ_s) = U_j(σ^*_s)` at a selected equilibrium :math:`σ^*_s` of the stage game
:math:`(Q_1(s), …, Q_n(s))`, and plays its own component of :math:`σ^*_s`.

**Equilibrium selection** must be deterministic so that every agent picks the same equilibrium.  The rules
(all ending in the same canonical tie-break) are:

* ``"first"``: the equilibrium whose concatenated probability vector, read as a sequence of numbers, is
  lexicographically **largest** (pure equilibria on early actions come first); independent of the order in
  which a solver lists equilibria;
* ``"utilitarian"``: maximise :math:`Σ_j U_j(σ)`, then ``"first"``;
* ``"egalitarian"``: maximise :math:`\min_j U_j(σ)`, then ``"first"``.

In the float field, welfare values and probabilities within ``field.atol`` count as equal.

**Condition of the convergence theorem** (Hu & Wellman's Assumption 3, recalled in theory.md §4): every stage
game met during learning has a global optimal point (condition A) or every one has a saddle point (B), and the
agents update with that kind of equilibrium.  ``require="global_optimum"`` or ``"saddle_point"`` selects among
equilibria of that kind (they all give the same payoffs); when the stage game has none, ``on_violation``
decides: ``"select"`` applies the selection rule to all Nash equilibria and marks the solution
(``info["condition_met"] = False``), ``"raise"`` raises :class:`~jalverify.errors.SolverError`.
:mod:`jalverify.learners.nash_q_audit` records every such event during learning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber, SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, expected_payoffs
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.stage import StageSolution, product_distribution
from jalverify.numbers import EXACT, Field

__all__ = ["SELECTION_RULES", "NashConcept", "nash_q", "select_equilibrium"]

SELECTION_RULES = ("first", "utilitarian", "egalitarian")
REQUIREMENTS = (None, "global_optimum", "saddle_point")


def _canonical_key(profile: MixedProfile, field: Field) -> tuple[Any, ...]:
    flat = [p for d in profile.distributions for p in d.tolist()]
    if field.exact:
        return tuple(flat)
    digits = max(0, int(-np.log10(field.atol))) if field.atol > 0 else 15
    return tuple(round(float(p), digits) for p in flat)


def select_equilibrium(game: NormalFormGame, profiles: Sequence[MixedProfile], rule: str) -> tuple[int, np.ndarray]:
    """Index of the selected profile and its payoffs ``U_j``, by the deterministic ``rule`` (module docstring).

    Raises
    ------
    SolverError
        ``profiles`` is empty.
    InvalidNumber
        Unknown rule.
    """
    if rule not in SELECTION_RULES:
        raise InvalidNumber(f"select_equilibrium(): unknown rule {rule!r}; rules are {SELECTION_RULES}")
    if not profiles:
        raise SolverError(f"select_equilibrium(): no equilibria to select from in {game.name or 'the stage game'}")
    fld = game.field
    payoffs = [expected_payoffs(game, p) for p in profiles]
    candidates = list(range(len(profiles)))
    if rule != "first":
        score = [sum(u.tolist()) if rule == "utilitarian" else min(u.tolist()) for u in payoffs]
        best = max(score[c] for c in candidates)
        candidates = [c for c in candidates if fld.le(best, score[c])]
    chosen = max(candidates, key=lambda c: _canonical_key(profiles[c], fld))
    return chosen, payoffs[chosen]


class NashConcept:
    """Stage concept of Nash-Q.

    Parameters
    ----------
    selection : {"first", "utilitarian", "egalitarian"}
    require : {None, "global_optimum", "saddle_point"}
    on_violation : {"select", "raise"}
    method : str, optional
        Method passed to :func:`jalverify.solvers.nash.nash_solve` (default: the solver's choice).  A stage game
        in which at most one agent has more than one action (a turn-based state) is solved directly: its
        extreme equilibria are the mover's pure best actions.
    """

    name = "nash"

    def __init__(self, selection: str = "first", require: str | None = None, on_violation: str = "select",
                 method: str | None = None) -> None:
        if selection not in SELECTION_RULES:
            raise InvalidNumber(f"NashConcept(): unknown selection {selection!r}; rules are {SELECTION_RULES}")
        if require not in REQUIREMENTS:
            raise InvalidNumber(f"NashConcept(): require must be one of {REQUIREMENTS}, got {require!r}")
        if on_violation not in ("select", "raise"):
            raise InvalidNumber(f"NashConcept(): on_violation must be 'select' or 'raise', got {on_violation!r}")
        self.selection = selection
        self.require = require
        self.on_violation = on_violation
        self.method = method

    def _equilibria(self, game: NormalFormGame, field: Field) -> tuple[MixedProfile, ...]:
        movers = [i for i, k in enumerate(game.n_actions) if k > 1]
        if len(movers) <= 1:
            # one mover (turn-based state): the equilibria are the mixtures of the mover's best actions, whose
            # extreme points are the pure best actions; exact on floats too (max and == are exact operations)
            i = movers[0] if movers else 0
            own = game.payoffs[i].reshape(-1).tolist()
            top = max(own)
            best = [a for a, v in enumerate(own) if v == top]
            profiles = []
            for a in best:
                joint = [0] * game.n_players
                joint[i] = a
                profiles.append(MixedProfile.pure(game, joint))
            return tuple(profiles)
        from jalverify.solvers.nash import nash_solve

        kwargs: dict[str, Any] = {"field": field}
        if self.method is not None:
            kwargs["method"] = self.method
        result = nash_solve(game, **kwargs)
        if not result.equilibria:
            raise SolverError(
                f"NashConcept.solve(): nash_solve (method {result.method}, status {result.status.value}) found no "
                f"rational equilibrium of stage game {game.payoffs.tolist()!r}"
            )
        return tuple(result.equilibria)

    def _first_global_optimum(self, q: np.ndarray, field: Field) -> StageSolution | None:
        """The selected global optimum, decided directly on the array (no game object), or ``None`` when the
        stage game has none.

        ``σ`` is a global optimum iff every joint action in its support gives every agent its maximum
        (:mod:`jalverify.solvers.nash_q_conditions`), so the extreme global optima are the pure joint actions in
        ``S = {a : q_k(a) = max q_k for all k}`` and they all pay ``(max q_0, …, max q_{n−1})``.  Every selection
        rule therefore ties on welfare and ends in the canonical key, whose maximum over one-hot profiles is the
        first joint action of ``S`` in row-major order.  ``max`` and ``==`` are exact operations on floats too.
        This is the hot path of Nash-Q on common-payoff games (one solve per learning step).
        """
        n = q.shape[0]
        k = q.shape[1:]
        if field.exact:
            flat = np.asarray(q, dtype=object).reshape(n, -1)
            tops = [max(flat[j].tolist()) for j in range(n)]
            hits = [c for c in range(flat.shape[1]) if all(flat[j, c] == tops[j] for j in range(n))]
            if not hits:
                return None
            first, count = hits[0], len(hits)
            values = np.array(tops, dtype=object)
        else:
            flat = np.asarray(q, dtype=np.float64).reshape(n, -1)
            top = flat.max(axis=1)
            mask = np.all(flat == top[:, None], axis=0)
            count = int(mask.sum())
            if count == 0:
                return None
            first = int(np.argmax(mask))
            values = top.copy()
        joint = np.unravel_index(first, k)
        marginals = []
        for i in range(n):
            d = field.zeros(k[i])
            d[int(joint[i])] = field.one
            marginals.append(d)
        info = {"selection": self.selection, "require": self.require, "condition_met": True, "n_candidates": count}
        return StageSolution(product_distribution(marginals), values, tuple(marginals), info)

    def solve(self, q: np.ndarray, field: Field) -> StageSolution:
        if self.require == "global_optimum":
            fast = self._first_global_optimum(q, field)
            if fast is not None:
                return fast
        game = NormalFormGame(q if field.exact else np.asarray(q, dtype=np.float64), field=field, name="stage game")
        info: dict[str, Any] = {"selection": self.selection, "require": self.require}
        pool: tuple[MixedProfile, ...]
        if self.require == "global_optimum":
            # decided directly (exact on floats: max and == are exact): σ is a global optimum iff every joint action
            # in its support gives every agent its maximum (proof in jalverify.solvers.nash_q_conditions); the
            # extreme ones are the pure joint actions in S = {a : R_k(a) = max R_k for all k}
            tops = [max(game.payoffs[k].reshape(-1).tolist()) for k in range(game.n_players)]
            pool = tuple(MixedProfile.pure(game, a) for a in game.joint_actions()
                         if all(game.payoffs[(k, *a)] == tops[k] for k in range(game.n_players)))
            info["condition_met"] = bool(pool)
            if not pool:
                if self.on_violation == "raise":
                    raise SolverError(f"NashConcept.solve(): stage game has no global optimum; payoffs "
                                      f"{game.payoffs.tolist()!r}")
                pool = self._equilibria(game, field)
            idx, values = select_equilibrium(game, pool, self.selection)
        elif self.require == "saddle_point":
            from jalverify.solvers.nash_q_conditions import classify_stage_game

            # the conditions are decided exactly: a float stage game is classified at its exact binary values
            exact = game if field.exact else NormalFormGame(np.asarray(q, dtype=np.float64), field=EXACT,
                                                            allow_float=True, name="stage game")
            cls = classify_stage_game(exact)
            info["classification"] = cls
            pool = tuple(cls.saddle_points)
            info["condition_met"] = bool(pool)
            if pool:
                idx, values = select_equilibrium(exact, pool, self.selection)
            else:
                if self.on_violation == "raise":
                    raise SolverError(
                        f"NashConcept.solve(): stage game has no saddle point "
                        f"(kind {cls.kind!r}); payoffs {game.payoffs.tolist()!r}"
                    )
                pool = self._equilibria(game, field)
                idx, values = select_equilibrium(game, pool, self.selection)
        else:
            pool = self._equilibria(game, field)
            idx, values = select_equilibrium(game, pool, self.selection)
        chosen = pool[idx]
        marginals = tuple(np.asarray(d, dtype=field.dtype) for d in chosen.distributions)
        info["n_candidates"] = len(pool)
        return StageSolution(product_distribution(marginals), np.asarray(values, dtype=field.dtype), marginals, info)

    def describe(self) -> dict[str, Any]:
        return {"concept": self.name, "selection": self.selection, "require": self.require,
                "on_violation": self.on_violation, "method": self.method}


def nash_q(game: StochasticGame, *, selection: str = "first", require: str | None = None,
           on_violation: str = "select", method: str | None = None, **kwargs: Any) -> JointActionLearner:
    """A Nash-Q learner (keyword arguments beyond the concept's go to :class:`JointActionLearner`)."""
    concept = NashConcept(selection, require, on_violation, method)
    return JointActionLearner(game, concept, algorithm="nash-q", **kwargs)
