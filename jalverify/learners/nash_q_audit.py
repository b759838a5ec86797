r"""Audit of the Nash-Q convergence condition during learning (Hu & Wellman 2003, Assumption 3; theory.md §4).

Hu & Wellman's theorem needs that **every** stage game :math:`(Q_1(s), …, Q_n(s))` met during learning, for all
``t`` and ``s``, has a global optimal point (condition A), or every one has a saddle point (condition B), and
that the agents update with that kind of equilibrium.  The condition is about games built from the *current
estimates*, so it cannot be checked in advance — only observed.  :class:`NashConditionAudit` classifies every
stage game the learner solves (via :func:`jalverify.solvers.nash_q_conditions.classify_stage_game`) and
records, per solve, the step, the state, whether a global optimum and a saddle point exist, whether the
classification is complete, and which kind the selected equilibrium was.

Summary (:meth:`NashConditionAudit.summary`): condition A (B) holds on the run iff every recorded game had a
global optimum (saddle point) *and* the learner updated with one; Assumption 3 is broken at the first record
after which neither A nor B can hold any more, and the audit names that step and state.  When a
classification was incomplete, absence of a kind is not proven: such records are counted separately.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.learners.stage import StageSolution
from jalverify.numbers import EXACT, FLOAT

__all__ = ["NashConditionAudit"]

KIND_NONE, KIND_GLOBAL, KIND_SADDLE = 0, 1, 2


class NashConditionAudit:
    """Records the classification of every stage game a JAL-GT learner solves (see module docstring).

    Parameters
    ----------
    every : int
        Classify only every ``every``-th solved stage game (exact classification costs milliseconds per game);
        the summary then speaks about the recorded games only and says how many solves were skipped.
    follows : {"global_optimum", "saddle_point", None}
        Which kind of equilibrium the learner is configured to update with (``NashConcept.require``); with
        ``None`` the selected equilibrium's kind is determined by comparing its payoffs with the global optimum
        and saddle payoffs.
    """

    def __init__(self, follows: str | None = None, *, every: int = 1) -> None:
        if every < 1:
            raise InvalidNumber(f"NashConditionAudit(): every must be >= 1, got {every!r}")
        self.follows = follows
        self.every = every
        self.observed = 0
        self.steps: list[int] = []
        self.states: list[int] = []
        self.has_global: list[bool] = []
        self.has_saddle: list[bool] = []
        self.complete: list[bool] = []
        self.used_kind: list[int] = []

    def observe(self, step: int, state: int, q: np.ndarray, solution: StageSolution) -> None:
        self.observed += 1
        if (self.observed - 1) % self.every != 0:
            return
        cls = solution.info.get("classification")
        if cls is None:
            from jalverify.solvers.nash_q_conditions import classify_stage_game

            exact = NormalFormGame(q, field=EXACT, name="stage game") if q.dtype == object else NormalFormGame(
                np.asarray(q, dtype=np.float64), field=EXACT, allow_float=True, name="stage game")
            cls = classify_stage_game(exact)  # decided exactly, at the float estimates' exact binary values
        g = len(cls.global_optima) > 0
        sp = len(cls.saddle_points) > 0
        used = KIND_NONE
        req = solution.info.get("require", self.follows)
        met = solution.info.get("condition_met")
        if req == "global_optimum" and met:
            used = KIND_GLOBAL
        elif req == "saddle_point" and met:
            used = KIND_SADDLE
        elif req is None:
            used = self._kind_by_payoffs(cls, solution)
        self.steps.append(int(step))
        self.states.append(int(state))
        self.has_global.append(g)
        self.has_saddle.append(sp)
        self.complete.append(bool(cls.complete))
        self.used_kind.append(used)

    @staticmethod
    def _kind_by_payoffs(cls: Any, solution: StageSolution) -> int:
        from jalverify.games.profiles import expected_payoffs

        v = np.asarray(solution.values, dtype=np.float64)
        for kind, profiles in ((KIND_GLOBAL, cls.global_optima), (KIND_SADDLE, cls.saddle_points)):
            for p in profiles:
                u = np.asarray(expected_payoffs(p.game, p), dtype=np.float64)
                if np.max(np.abs(u - v)) <= FLOAT.atol * max(1.0, float(np.max(np.abs(v)))):
                    return kind
        return KIND_NONE

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "nash_steps": np.asarray(self.steps, dtype=np.int64),
            "nash_states": np.asarray(self.states, dtype=np.int32),
            "nash_has_global": np.asarray(self.has_global, dtype=bool),
            "nash_has_saddle": np.asarray(self.has_saddle, dtype=bool),
            "nash_complete": np.asarray(self.complete, dtype=bool),
            "nash_used_kind": np.asarray(self.used_kind, dtype=np.int8),
        }

    def summary(self) -> dict[str, Any]:
        """Counts and the first violations (see module docstring)."""
        out = summarise_nash_audit(self.arrays())
        out["solves_observed"] = self.observed
        out["classify_every"] = self.every
        return out


def summarise_nash_audit(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """Summary of audit arrays (as stored in a trace under ``audit``)."""
    steps, states = arrays["nash_steps"], arrays["nash_states"]
    hg, hs, used = arrays["nash_has_global"], arrays["nash_has_saddle"], arrays["nash_used_kind"]
    okA = hg & (used == KIND_GLOBAL)
    okB = hs & (used == KIND_SADDLE)

    def first_bad(ok: np.ndarray) -> dict[str, int] | None:
        bad = np.nonzero(~ok)[0]
        if bad.size == 0:
            return None
        k = int(bad[0])
        return {"record": k, "step": int(steps[k]), "state": int(states[k])}

    fa, fb = first_bad(okA), first_bad(okB)
    broken = None
    if fa is not None and fb is not None:
        broken = fa if fa["record"] > fb["record"] else fb
    neither = ~hg & ~hs
    return {
        "records": int(steps.size),
        "with_global_optimum": int(hg.sum()),
        "with_saddle_point": int(hs.sum()),
        "with_neither": int(neither.sum()),
        "incomplete_classifications": int((~arrays["nash_complete"]).sum()),
        "condition_A_holds": fa is None and steps.size > 0,
        "condition_B_holds": fb is None and steps.size > 0,
        "first_violation_A": fa,
        "first_violation_B": fb,
        "assumption3_broken_at": broken,
    }
