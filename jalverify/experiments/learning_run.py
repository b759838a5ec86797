"""One learning run judged against the exact reference: what ``jalverify learn`` reports for one run, and what an
experiment campaign records for each of its runs.

The steps, shared by both so that a campaign's run and ``jalverify learn`` with the same options give the same
numbers:

1. :func:`prepare_game`: the game in both fields and its reference (:func:`jalverify.theorems.learning.game_reference`:
   the minimax Q* of a two-player zero-sum game, the team-optimal Q* of a common-payoff game; exact and certified
   on small games, floats with a stated bound on large ones; none for general-sum games, and why);
2. :func:`learn_and_judge`: the run, recorded with the max-norm error against Q*, and the six convergence notions of
   Albrecht, Christianos & Schäfer (2024), *Multi-Agent Reinforcement Learning*, §5.2 (Q → Q*, greedy policy,
   empirical distribution and averaged policy → equilibrium set, expected and average return → V*) judged on the
   final window of snapshots against the reference, never against the run's own last snapshot; plus whether
   the trace stopped moving ("stationary", which is not convergence);
3. :func:`snapshot_policy_parts`: the learner's policy at any snapshot, in the form
   :func:`jalverify.learners.learned_policy.exact_policy` rounds to an exact policy whose V^π and NashConv are
   then computed exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from jalverify.convergence.reference import (
    GameReference,
    float_policy_values,
    judge_final_window,
    no_reference_verdict,
    set_distance,
    stationarity,
)
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.traces import Trace
from jalverify.verdicts import Verdict

__all__ = ["NOTION_NAMES", "JudgedRun", "PreparedGame", "judge_notions", "learn_and_judge", "prepare_game",
           "snapshot_policy_parts"]

#: The six convergence notions (book §5.2), by the id used in verdicts and JSON, with their names.
NOTION_NAMES = {"q": "Q → Q*", "policy": "greedy policy → equilibrium set",
                "empirical": "empirical distribution → equilibrium set",
                "averaged": "averaged policy → equilibrium set (convergence to a set)",
                "expected_return": "expected return → V* (every start state)",
                "average_return": "average return → V* (every start state)"}


@dataclass(frozen=True)
class PreparedGame:
    """A game ready to be learned: exact and float versions and its reference.

    Attributes
    ----------
    game : StochasticGame
        As read (exact when the file is).
    float_game : StochasticGame
        The same game in floats (what the learners run on).
    reference : GameReference or None
    no_reference_why : str
        Why there is no reference (empty when there is one).
    """

    game: StochasticGame
    float_game: StochasticGame
    reference: GameReference | None
    no_reference_why: str


def prepare_game(game: StochasticGame, *, note: Callable[[str], None] | None = None) -> PreparedGame:
    """Convert ``game`` to floats and compute its reference (``note`` receives one-line progress messages)."""
    from jalverify.theorems.learning import game_reference

    say = note if note is not None else (lambda _m: None)
    if game.n_states > 50:
        say(f"{game.n_states} states: converting the game to floats ...")
    float_game = game.to_field("float")
    reference, why = game_reference(game, float_game=float_game, note=note)
    return PreparedGame(game, float_game, reference, why)


@dataclass(frozen=True)
class JudgedRun:
    """A finished run and its judgement.

    Attributes
    ----------
    learner : TabularLearner
        After the run.
    trace : Trace
    seconds : float
        Wall time of the learning steps alone.
    verdicts : list of Verdict
        One per notion of :data:`NOTION_NAMES`, in that order.
    stationarity : dict
        ``{"q": ..., "policy": ...}``: whether the trace stopped moving (not convergence).
    """

    learner: Any
    trace: Trace
    seconds: float
    verdicts: list[Verdict]
    stationarity: dict[str, Any]


def learn_and_judge(prepared: PreparedGame, learner: Any, simulator: Any, *, steps: int, record_every: int | None,
                    epsilon: float, window: int, progress: Callable[[int, int], None] | None = None) -> JudgedRun:
    """Run ``learner`` for ``steps`` steps on ``simulator`` and judge every convergence notion.

    Parameters
    ----------
    prepared : PreparedGame
    learner : TabularLearner
        Built on ``prepared.float_game``.
    simulator : Simulator
    steps : int
    record_every : int or None
        Snapshot interval (the learner's default when None); a snapshot is also taken at step 0 and at the end.
    epsilon : float
        Tolerance of the verdicts.
    window : int
        Number of final snapshots judged.
    progress : callable, optional
        ``progress(done, steps)``.
    """
    ref = prepared.reference
    t0 = time.perf_counter()
    trace = learner.learn(steps, simulator, reference_q=None if ref is None else ref.q_star,
                          record_every=record_every, progress=progress)
    seconds = time.perf_counter() - t0
    verdicts = judge_notions(prepared, trace, learner, epsilon, window)
    T = trace.n_snapshots
    q_series = [np.concatenate([trace.q[s][z].reshape(-1) for s in range(trace.n_states)]) for z in range(T)]
    pol_series = [np.concatenate([trace.policies[s][z].reshape(-1) for s in range(trace.n_states)]) for z in range(T)]
    station = {"q": stationarity(q_series, window, epsilon), "policy": stationarity(pol_series, window, epsilon)}
    return JudgedRun(learner, trace, seconds, verdicts, station)


def judge_notions(prepared: PreparedGame, trace: Trace, learner: Any, epsilon: float, window: int) -> list[Verdict]:
    """The six notions of :data:`NOTION_NAMES` judged on the final ``window`` snapshots of ``trace`` against the
    reference: "holds within tolerance" when every judged snapshot is within ``epsilon`` (the reference's own float
    error bound added), else "not established" with the measured worst case; "not established" and why when the game
    has no reference or no exact equilibrium set.  Returns from every start state: the maximum over non-terminal
    states of ``|V^π_i(s) − V*_i(s)|`` (at one start distribution a symmetric game can cancel errors out)."""
    ref = prepared.reference
    if ref is None:
        return [no_reference_verdict(k, prepared.no_reference_why) for k in NOTION_NAMES]
    game = prepared.game
    T = trace.n_snapshots
    tail = list(range(max(0, T - window), T))
    steps_tail = [int(trace.snapshot_steps[z]) for z in tail]
    err = trace.error
    verdicts = [judge_final_window("q", [float(err[z]) for z in tail], steps_tail, epsilon, window, "max|Q − Q*|",
                                   reference_error=ref.error_bound)]
    if ref.sets is None:
        why = "no exact equilibrium set: Q* is known in floats only (" + ref.description + ")"
        verdicts += [no_reference_verdict(k, why) for k in ("policy", "empirical", "averaged")]
    else:
        series = {"policy": list(trace.policies),
                  "empirical": [trace.empirical_distributions(s) for s in range(trace.n_states)],
                  "averaged": [trace.averaged_policies(s) for s in range(trace.n_states)]}
        for key, per_state in series.items():
            d = [set_distance(ref, [per_state[s][z] for s in range(trace.n_states)]) for z in tail]
            verdicts.append(judge_final_window(key, d, steps_tail, epsilon, window, "TV distance to the set"))
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    v_star = np.array([[float(ref.v_star[i, s]) for s in live] for i in range(game.n_players)])
    V = np.array([float_policy_values(learner.arrays, [trace.policies[s][z] for s in range(trace.n_states)])[:, live]
                  for z in range(T)])
    verdicts.append(judge_final_window("expected_return", [float(np.max(np.abs(V[z] - v_star))) for z in tail],
                                       steps_tail, epsilon, window, "max_i,s |V_i^{π^z}(s) − V*_i(s)|",
                                       reference_error=ref.error_bound))
    avg = np.cumsum(V, axis=0) / np.arange(1, T + 1)[:, None, None]
    verdicts.append(judge_final_window("average_return", [float(np.max(np.abs(avg[z] - v_star))) for z in tail],
                                       steps_tail, epsilon, window, "max_i,s |average of V_i^{π^e}(s), e ≤ z, − V*_i(s)|",
                                       reference_error=ref.error_bound))
    return verdicts


def snapshot_policy_parts(trace: Trace, snapshot: int, correlated: bool) -> list[Any]:
    """The learner's policy at ``snapshot`` as :meth:`TabularLearner.policy_parts` gives it at the end of a run:
    per state the joint distribution (``correlated``: CE-Q) or the tuple of per-agent marginals (every other
    learner plays a product of independent distributions, so its marginals determine it)."""
    parts: list[Any] = []
    for s in range(trace.n_states):
        joint = np.asarray(trace.policies[s][snapshot], dtype=np.float64)
        if correlated:
            parts.append(joint)
        else:
            n = joint.ndim
            parts.append(tuple(joint.sum(axis=tuple(j for j in range(n) if j != i)) for i in range(n)))
    return parts
