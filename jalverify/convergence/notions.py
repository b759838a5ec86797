r"""The six convergence notions of seed note 001 / book §5.2 (pp.92–94; theory.md §7), as checks on traces.

For the recorded joint policies :math:`π^z` (snapshot ``z`` of a :class:`~jalverify.learners.traces.Trace`) and
a solution :math:`π^*`:

1. **policy**: :math:`π^z → π^*` (:func:`check_policy`);
2. **expected return**: :math:`U_i(π^z) → U_i(π^*)` for all ``i`` (:func:`check_expected_return`), with
   :math:`U_i(π) = Σ_s μ_0(s) V^π_i(s)` from policy evaluation (book Eq. 6.9) and μ_0 the start distribution;
3. **empirical distribution**: the frequencies of the joint actions played in each state up to ``z`` (uniform
   where a state was never visited) :math:`→ π^*` (:func:`check_empirical_distribution`);
4. **averaged joint policy**: :math:`\bar π^z = \tfrac1z Σ_{e ≤ z} π^e → π^*` (:func:`check_averaged_policy`);
5. **convergence to a set of solutions**: :math:`\min_{π^* ∈ Π^*} d(\bar π^z, π^*) → 0` — the distribution may
   wander inside the set (:func:`check_solution_set`; the set as a list of profiles or the convex hull of
   vertices);
6. **average return**: :math:`\bar U^z_i = \tfrac1z Σ_{e ≤ z} U_i(π^e) → U_i(π^*)` (:func:`check_average_return`;
   or the average of the sampled discounted episode returns).

Each check computes a distance series over the trace points and judges it with
:func:`~jalverify.convergence.report.judge_series`: ``ESTABLISHED`` means "within ε over the whole final
window" and nothing more; see :mod:`jalverify.convergence.report`.  Without a target (``target=None``) the
reference is the last recorded point: that is a **stationarity** check ("the trace stopped moving"), not a
convergence check, and its report is named ``"<notion> (stationarity)"`` so that it never reads as convergence.
Judging a run against the truth (the exact Q*, V* and equilibrium set of the game) is
:mod:`jalverify.convergence.reference`.

Distances are the max over blocks (states, or states × agents with ``view="marginals"``) of total variation
(``"tv"``) or :math:`L_∞` (``"linf"``), see :mod:`jalverify.convergence.distances`.  The marginal view is what
fictitious play's classical result is about (each agent's empirical action frequencies).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jalverify.convergence.distances import block_distance, distance_to_hull, distance_to_members
from jalverify.convergence.report import ConvergenceReport, judge_series
from jalverify.errors import InvalidNumber, InvalidPolicy
from jalverify.learners.traces import Trace

__all__ = [
    "check_all",
    "check_average_return",
    "check_averaged_policy",
    "check_empirical_distribution",
    "check_expected_return",
    "check_policy",
    "check_solution_set",
    "expected_return_series",
    "policy_as_joints",
]

VIEWS = ("joint", "marginals")


# --- conversions -------------------------------------------------------------------------------------
def policy_as_joints(policy: Any, n_states: int) -> list[np.ndarray]:
    """Per-state float joint distributions of ``policy``: a list/tuple of arrays (one per state), one array
    (single-state game), a Mixed/CorrelatedProfile, or a (Correlated)StationaryPolicy."""
    from jalverify.games.profiles import CorrelatedProfile, MixedProfile
    from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy

    if isinstance(policy, (StationaryPolicy, CorrelatedStationaryPolicy)):
        out = [np.asarray(policy.joint_distribution(s), dtype=np.float64) for s in range(policy.game.n_states)]
    elif isinstance(policy, MixedProfile):
        out = [np.asarray(policy.joint_distribution(), dtype=np.float64)]
    elif isinstance(policy, CorrelatedProfile):
        out = [np.asarray(policy.distribution, dtype=np.float64)]
    elif isinstance(policy, np.ndarray) and n_states == 1:
        out = [np.asarray(policy, dtype=np.float64)]
    elif isinstance(policy, (list, tuple)):
        out = [np.asarray(p, dtype=np.float64) for p in policy]
    else:
        raise InvalidPolicy(f"policy_as_joints(): cannot read a policy from {type(policy).__name__}")
    if len(out) != n_states:
        raise InvalidPolicy(f"policy_as_joints(): policy covers {len(out)} states, the trace has {n_states}")
    return out


def _blocks(joints: Sequence[np.ndarray], view: str, states: Sequence[int]) -> list[np.ndarray]:
    if view == "joint":
        return [np.asarray(joints[s]) for s in states]
    out = []
    for s in states:
        p = np.asarray(joints[s])
        for i in range(p.ndim):
            out.append(p.sum(axis=tuple(j for j in range(p.ndim) if j != i)))
    return out


def _series_blocks(series: Sequence[np.ndarray], z: int, view: str, states: Sequence[int]) -> list[np.ndarray]:
    """Blocks of snapshot ``z`` from per-state series of shape ``(T, *k_s)``."""
    if view == "joint":
        return [series[s][z] for s in states]
    out = []
    for s in states:
        p = series[s][z]
        for i in range(p.ndim):
            out.append(p.sum(axis=tuple(j for j in range(p.ndim) if j != i)))
    return out


def _check_common(view: str, metric: str, trace: Trace, states: Sequence[int] | None) -> list[int]:
    if view not in VIEWS:
        raise InvalidNumber(f"unknown view {view!r}; views are {VIEWS}")
    if metric not in ("tv", "linf"):
        raise InvalidNumber(f"unknown distance {metric!r}; distances are ('tv', 'linf')")
    if states is None:
        return list(range(trace.n_states))
    bad = [s for s in states if not 0 <= s < trace.n_states]
    if bad:
        raise InvalidNumber(f"state index {bad[0]!r} out of range 0..{trace.n_states - 1}")
    return list(states)


def _distribution_check(notion: str, series: list[np.ndarray], trace: Trace, target: Any, epsilon: float,
                        window: int, metric: str, view: str, states: Sequence[int] | None,
                        repeats: int) -> ConvergenceReport:
    sts = _check_common(view, metric, trace, states)
    T = trace.n_snapshots
    if target is None:
        ref = _series_blocks(series, T - 1, view, sts)
        target_desc = "last recorded point (stationarity, not convergence)"
        notion = f"{notion} (stationarity)"
    else:
        ref = _blocks(policy_as_joints(target, trace.n_states), view, sts)
        target_desc = "given solution"
    d = np.array([block_distance(_series_blocks(series, z, view, sts), ref, metric) for z in range(T)])
    status, ev = judge_series(d, epsilon, window, repeats=repeats, points=trace.snapshot_steps)
    ev.update({"distance": metric, "view": view, "target": target_desc, "states": sts})
    return ConvergenceReport(notion, status, float(epsilon), int(window), ev)


# --- the six notions -----------------------------------------------------------------------------------
def check_policy(trace: Trace, target: Any = None, *, epsilon: float, window: int, metric: str = "tv",
                 view: str = "joint", states: Sequence[int] | None = None, repeats: int = 2) -> ConvergenceReport:
    """Notion 1, :math:`π^z → π^*`, over the recorded greedy joint policies."""
    return _distribution_check("policy", trace.policies, trace, target, epsilon, window, metric, view, states, repeats)


def check_empirical_distribution(trace: Trace, target: Any = None, *, epsilon: float, window: int,
                                 metric: str = "tv", view: str = "joint", states: Sequence[int] | None = None,
                                 repeats: int = 2) -> ConvergenceReport:
    """Notion 3: empirical frequencies of played joint actions per state (uniform where unseen)."""
    series = [trace.empirical_distributions(s) for s in range(trace.n_states)]
    return _distribution_check("empirical_distribution", series, trace, target, epsilon, window, metric, view,
                               states, repeats)


def check_averaged_policy(trace: Trace, target: Any = None, *, epsilon: float, window: int, metric: str = "tv",
                          view: str = "joint", states: Sequence[int] | None = None,
                          repeats: int = 2) -> ConvergenceReport:
    """Notion 4: :math:`\\bar π^z = (1/z) Σ_{e ≤ z} π^e` over the recorded policies."""
    series = [trace.averaged_policies(s) for s in range(trace.n_states)]
    return _distribution_check("averaged_policy", series, trace, target, epsilon, window, metric, view, states,
                               repeats)


def check_solution_set(trace: Trace, solutions: Sequence[Any], *, epsilon: float, window: int,
                       of: str = "averaged", hull: bool = False, per_block: bool = False, metric: str = "tv",
                       view: str = "joint", states: Sequence[int] | None = None,
                       repeats: int = 2) -> ConvergenceReport:
    """Notion 5: distance from the ``of`` series (``"averaged"``, ``"empirical"`` or ``"policy"``) to a set.

    Parameters
    ----------
    solutions : sequence
        The members of the set (each anything :func:`policy_as_joints` reads), e.g. every equilibrium found by
        an exact solver; with ``hull=True`` they are the vertices of a polytope (e.g. the extreme equilibria of
        a Nash subset, or the vertices of the correlated-equilibrium polytope) and the distance is to their
        convex hull (an LP; ``per_block=True`` for a product of per-block hulls, such as X* × Y*).
    """
    sts = _check_common(view, metric, trace, states)
    if of == "averaged":
        series = [trace.averaged_policies(s) for s in range(trace.n_states)]
    elif of == "empirical":
        series = [trace.empirical_distributions(s) for s in range(trace.n_states)]
    elif of == "policy":
        series = list(trace.policies)
    else:
        raise InvalidNumber(f"check_solution_set(): of must be 'averaged', 'empirical' or 'policy', got {of!r}")
    members = [_blocks(policy_as_joints(m, trace.n_states), view, sts) for m in solutions]
    if not members:
        raise InvalidNumber("check_solution_set(): the set of solutions is empty")
    d = []
    nearest = []
    for z in range(trace.n_snapshots):
        p = _series_blocks(series, z, view, sts)
        if hull:
            d.append(distance_to_hull(p, members, metric, per_block=per_block))
        else:
            dist, j = distance_to_members(p, members, metric)
            d.append(dist)
            nearest.append(j)
    status, ev = judge_series(np.array(d), epsilon, window, repeats=repeats, points=trace.snapshot_steps)
    ev.update({"distance": metric, "view": view, "of": of, "hull": hull, "set_size": len(members), "states": sts})
    if nearest:
        final = nearest[-window:] if window <= len(nearest) else nearest
        ev["nearest_members_in_window"] = sorted(set(final))
    return ConvergenceReport("solution_set", status, float(epsilon), int(window), ev)


def expected_return_series(trace: Trace, game: Any) -> np.ndarray:
    """:math:`U_i(π^z)` for every snapshot ``z``, shape ``(T, n)``: float policy evaluation
    (:func:`jalverify.solvers.evaluation.evaluate_policy`) from the trace's start distribution."""
    from jalverify.games.stochastic import CorrelatedStationaryPolicy
    from jalverify.numbers import FLOAT
    from jalverify.solvers.evaluation import evaluate_policy

    fgame = game.to_field(FLOAT)
    mu = np.asarray(trace.header.get("start", [1.0] + [0.0] * (game.n_states - 1)), dtype=np.float64)
    out = np.empty((trace.n_snapshots, game.n_players))
    for z in range(trace.n_snapshots):
        pol = CorrelatedStationaryPolicy(fgame, [trace.policies[s][z] for s in range(trace.n_states)], allow_float=True)
        V = np.asarray(evaluate_policy(fgame, pol, field=FLOAT).V, dtype=np.float64)
        out[z] = V @ mu
    return out


def _value_check(notion: str, values: np.ndarray, target: Any, epsilon: float, window: int, points: np.ndarray,
                 repeats: int, extra: dict[str, Any]) -> ConvergenceReport:
    if target is None:
        ref = values[-1]
        desc = "last recorded point (stationarity, not convergence)"
        notion = f"{notion} (stationarity)"
    else:
        ref = np.asarray(target, dtype=np.float64).reshape(-1)
        if ref.size != values.shape[1]:
            raise InvalidNumber(f"{notion}: target has {ref.size} values, expected one per agent ({values.shape[1]})")
        desc = "given values"
    d = np.max(np.abs(values - ref[None, :]), axis=1) if values.size else np.zeros(0)
    status, ev = judge_series(d, epsilon, window, repeats=repeats, points=points)
    ev.update({"distance": "linf over agents", "target": desc, **extra})
    if values.size:
        ev["final_values"] = values[-1].tolist()
    return ConvergenceReport(notion, status, float(epsilon), int(window), ev)


def check_expected_return(trace: Trace, game: Any, target_values: Any = None, *, epsilon: float, window: int,
                          repeats: int = 2) -> ConvergenceReport:
    """Notion 2: :math:`U_i(π^z) → U_i(π^*)` (``target_values`` one number per agent)."""
    U = expected_return_series(trace, game)
    return _value_check("expected_return", U, target_values, epsilon, window, trace.snapshot_steps, repeats, {})


def check_average_return(trace: Trace, game: Any = None, target_values: Any = None, *, epsilon: float,
                         window: int, source: str = "expected", repeats: int = 2) -> ConvergenceReport:
    """Notion 6: :math:`\\bar U^z_i → U_i(π^*)`.

    ``source="expected"`` averages :math:`U_i(π^z)` over snapshots (needs ``game``); ``"sampled"`` averages the
    sampled discounted returns of the recorded episodes (points are episodes; no game needed).
    """
    if source == "expected":
        if game is None:
            raise InvalidNumber("check_average_return(): source='expected' needs the game")
        U = expected_return_series(trace, game)
        points = trace.snapshot_steps
    elif source == "sampled":
        U = trace.episode_returns
        points = trace.episode_end_steps
    else:
        raise InvalidNumber(f"check_average_return(): source must be 'expected' or 'sampled', got {source!r}")
    if U.shape[0] == 0:
        avg = U
    else:
        avg = np.cumsum(U, axis=0) / np.arange(1, U.shape[0] + 1)[:, None]
    return _value_check("average_return", avg, target_values, epsilon, window, points, repeats, {"source": source})


def check_all(trace: Trace, game: Any = None, target: Any = None, target_values: Any = None, *,
              epsilon: float, window: int, solutions: Sequence[Any] | None = None, metric: str = "tv",
              view: str = "joint") -> list[ConvergenceReport]:
    """Run every notion that the given information allows (with the same ε and window)."""
    out = [
        check_policy(trace, target, epsilon=epsilon, window=window, metric=metric, view=view),
        check_empirical_distribution(trace, target, epsilon=epsilon, window=window, metric=metric, view=view),
        check_averaged_policy(trace, target, epsilon=epsilon, window=window, metric=metric, view=view),
    ]
    if solutions:
        out.append(check_solution_set(trace, solutions, epsilon=epsilon, window=window, metric=metric, view=view))
    if game is not None:
        out.append(check_expected_return(trace, game, target_values, epsilon=epsilon, window=window))
        out.append(check_average_return(trace, game, target_values, epsilon=epsilon, window=window))
    elif trace.episode_returns.shape[0] > 0:
        out.append(check_average_return(trace, None, target_values, epsilon=epsilon, window=window, source="sampled"))
    return out
