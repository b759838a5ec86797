"""One run of a campaign, computed from its :class:`~jalverify.experiments.spec.RunKey` alone.

:func:`execute_run` is what every executor runs (in-process, a local worker process or a Dask worker): it reads
the game, learns, and measures the run against the exact reference, and returns everything as data (a JSON record
and the compressed trace) for the driver to write, so workers need no shared file system and never write a file.
The same key gives the same numbers on any executor: the learner and the simulator are seeded from the key, and
nothing depends on the process, the order of runs or the time.

What a record holds, per checkpoint (snapshot at step 0, every ``steps // checkpoints`` steps, and the end):

* ``q_error``: max |Q − Q*| against the reference Q* where the game has one (zero-sum: the minimax Q*; common
  payoff: the team-optimal Q*), with the reference's own error bound (0 when exact);
* ``nash_conv`` and ``v_pi``: the learned greedy policy at that checkpoint, rounded to an exact policy
  (:mod:`jalverify.learners.learned_policy`), its NashConv (exploitability: the sum over agents of the best
  unilateral gain, Lanctot et al. 2017) at the start distribution μ and its values V^π_i at μ; exact and certified
  (best responses in rational arithmetic) on games of at most :data:`EXACT_EVALUATION_PAIRS` (state, joint action)
  pairs; on larger games exact at the final checkpoint and in floats (labelled ``"float"``) at the others;
* the six convergence notions judged on the final window against the reference
  (:func:`jalverify.experiments.learning_run.judge_notions`) and whether the trace stopped moving;
* for a repeated 2×2, 2×3 or 3×2 game, the policy trajectory (each player's marginal per checkpoint) for the
  strategy-simplex plot.
"""

from __future__ import annotations

import functools
import io
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.experiments.learning_run import NOTION_NAMES, PreparedGame, learn_and_judge, prepare_game
from jalverify.experiments.spec import RunKey, learner_objects
from jalverify.theorems.learning import EXACT_PAIRS_LIMIT, live_pairs

__all__ = ["EXACT_EVALUATION_PAIRS", "RUN_FORMAT", "RunResult", "checkpoint_evaluations", "execute_run", "learnable_game",
           "prepared_game"]

RUN_FORMAT = "jalverify.experiment-run/1"

#: Largest number of non-terminal (state, joint action) pairs on which every checkpoint's policy is evaluated
#: exactly: the bound of the exact reference search.
EXACT_EVALUATION_PAIRS = EXACT_PAIRS_LIMIT


@dataclass(frozen=True)
class RunResult:
    """What a worker sends back: the run's JSON record and its trace (``.npz`` bytes)."""

    digest: str
    record: dict[str, Any]
    trace_npz: bytes


def learnable_game(reference: str, gamma: str | None) -> Any:
    """The stochastic game a campaign learns for the game reference ``reference``: a stochastic game as it is, a
    normal-form game repeated with discount ``gamma`` (:func:`jalverify.games.stochastic.repeated_game`).

    Raises
    ------
    InvalidFile
        A normal-form game without ``gamma``, a stochastic game with one, or a game whose every state is terminal;
        the message names the game and the campaign key.
    """
    from jalverify.errors import InvalidFile
    from jalverify.games.formats.reading import read_game
    from jalverify.games.stochastic import StochasticGame, repeated_game

    game = read_game(reference).game
    if isinstance(game, StochasticGame):
        if gamma is not None:
            raise InvalidFile(f"games: {reference} is a stochastic game with its own discount γ = {game.gamma}; the "
                              "campaign's gamma applies to normal-form games only (remove gamma, or list only "
                              "normal-form games)")
        if all(game.terminal):
            raise InvalidFile(f"games: {reference}: every state is terminal; nothing to learn")
        return game
    if gamma is None:
        raise InvalidFile(f"games: {reference} is a normal-form game; the campaign needs gamma = \"...\" (the "
                          "discount of the repeated game)")
    return repeated_game(game, Fraction(gamma))


@functools.lru_cache(maxsize=4)
def prepared_game(reference: str, gamma: str | None) -> PreparedGame:
    """The game of ``reference`` with its float version and exact reference, computed once per process."""
    return prepare_game(learnable_game(reference, gamma))


def _fraction_text(x: Any) -> str:
    return str(Fraction(x))


def execute_run(key: RunKey) -> RunResult:
    """Learn and measure one run (module docstring); deterministic given ``key``."""
    from jalverify.learners.by_name import make_learner
    from jalverify.learners.learned_policy import start_distribution
    from jalverify.learners.simulator import Simulator

    t_start = time.perf_counter()
    prepared = prepared_game(key.game_location, key.gamma)
    game = prepared.game
    schedule, exploration = learner_objects(key.learner)
    learner = make_learner(prepared.float_game, key.algorithm, schedule=schedule, exploration=exploration,
                           seed=key.seed, steps=key.steps, selection=key.learner.selection,
                           require=key.learner.require, reward_scaling=key.learner.reward_scaling)
    sim = Simulator(prepared.float_game, key.seed + 1, start=key.learner.start,
                    episode_length=key.learner.episode_length)
    every = max(1, key.steps // key.checkpoints)
    epsilon = float(Fraction(key.epsilon))
    run = learn_and_judge(prepared, learner, sim, steps=key.steps, record_every=every, epsilon=epsilon,
                          window=key.window)
    mu = start_distribution(game, key.learner.start)
    correlated = any(not isinstance(part, tuple) for part in learner.policy_parts())
    evaluations = checkpoint_evaluations(prepared, run.trace, correlated, mu)
    trace = run.trace
    record: dict[str, Any] = {
        "format": RUN_FORMAT,
        "digest": key.digest(),
        "key": asdict(key),
        "status": "ok",
        "game": game.name or key.game,
        "players": list(game.players),
        "learner": learner.describe(),
        "learning_seconds": run.seconds,
        "reference": _reference_json(prepared, mu),
        "checkpoints": {
            "steps": [int(x) for x in trace.snapshot_steps],
            "q_error": None if trace.error is None else [float(x) for x in trace.error],
            **evaluations,
        },
        "trajectory": _trajectory(prepared, trace),
        "convergence": [{"notion": v.theorem, "name": NOTION_NAMES[v.theorem], "status": v.status.value,
                         "words": v.status.words, "message": v.message, "tolerance": v.tolerance,
                         "worst": v.worst} for v in run.verdicts],
        "stationarity": run.stationarity,
    }
    buffer = io.BytesIO()
    trace.save(buffer)
    record["seconds"] = time.perf_counter() - t_start
    return RunResult(key.digest(), record, buffer.getvalue())


def _reference_json(prepared: PreparedGame, mu: list[Fraction]) -> dict[str, Any]:
    ref = prepared.reference
    if ref is None:
        return {"kind": None, "reason": prepared.no_reference_why}
    v_start = ref.v_start(mu)
    return {"kind": ref.kind, "description": ref.description, "exact": ref.exact, "error_bound": ref.error_bound,
            "v_star_at_start": [_fraction_text(v) if ref.exact else float(v) for v in v_start]}


def checkpoint_evaluations(prepared: PreparedGame, trace: Any, correlated: bool, mu: list[Fraction]) -> dict[str, Any]:
    """NashConv and V^π at μ of the rounded learned policy at every checkpoint (module docstring).

    Parameters
    ----------
    prepared : PreparedGame
        The game and its exact reference (:func:`jalverify.experiments.learning_run.prepare_game`).
    trace : jalverify.learners.traces.Trace
        The learner's trace; one evaluation per snapshot.
    correlated : bool
        Whether the learner's policy is correlated (one joint distribution per state).
    mu : list of Fraction
        The start distribution μ over states.

    Returns
    -------
    dict
        ``evaluation`` (``"exact"`` or ``"float"`` per checkpoint), ``nash_conv`` (floats), ``nash_conv_exact``
        (``"p/q"`` where exact, else ``None``) and ``v_pi`` (per player, V^π_i at μ per checkpoint).

    Raises
    ------
    SolverError
        An exact evaluation is not certified.
    """
    from jalverify.experiments.learning_run import snapshot_policy_parts
    from jalverify.learners.learned_policy import evaluate_learned_policy, exact_policy

    game = prepared.game
    T = trace.n_snapshots
    all_exact = live_pairs(game) <= EXACT_EVALUATION_PAIRS
    cache: dict[Any, tuple[str, float, str | None, list[float]]] = {}
    kinds: list[str] = []
    nash_conv: list[float] = []
    nash_conv_exact: list[str | None] = []
    v_pi: list[list[float]] = []
    for z in range(T):
        parts = snapshot_policy_parts(trace, z, correlated)
        exact = all_exact or z == T - 1
        if exact:
            rounded = exact_policy(game, parts)
            token = ("exact", _policy_token(rounded.policy))
            if token not in cache:
                values = evaluate_learned_policy(game, rounded.policy, mu)
                if not values.certified:
                    from jalverify.errors import SolverError

                    raise SolverError(f"the exact evaluation of the policy at step {int(trace.snapshot_steps[z])} "
                                      "is not certified")
                cache[token] = ("exact", float(values.nash_conv_start), _fraction_text(values.nash_conv_start),
                                [float(v) for v in values.V_start])
        else:
            token = ("float", z)
            cache[token] = ("float", *_float_evaluation(prepared, parts, correlated, mu))
        kind, nc, nc_exact, v = cache[token]
        kinds.append(kind)
        nash_conv.append(nc)
        nash_conv_exact.append(nc_exact)
        v_pi.append(v)
    return {"evaluation": kinds, "nash_conv": nash_conv, "nash_conv_exact": nash_conv_exact,
            "v_pi": {game.players[i]: [row[i] for row in v_pi] for i in range(game.n_players)}}


def _policy_token(policy: Any) -> tuple[Any, ...]:
    return tuple(tuple(np.asarray(d, dtype=object).reshape(-1).tolist()) if not isinstance(d, tuple)
                 else tuple(tuple(x) for x in d) for d in policy.distributions)


def _float_evaluation(prepared: PreparedGame, parts: list[Any], correlated: bool,
                      mu: list[Fraction]) -> tuple[float, None, list[float]]:
    """NashConv and V^π at μ in floats (large games, intermediate checkpoints); labelled ``"float"``."""
    from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy
    from jalverify.solvers.best_response import exploitability

    g = prepared.float_game
    policy: Any
    if correlated:
        policy = CorrelatedStationaryPolicy(g, [np.asarray(p, dtype=np.float64) for p in parts])
    else:
        policy = StationaryPolicy(g, [[np.asarray(d, dtype=np.float64) for d in p] for p in parts])
    ex = exploitability(g, policy, field="float")
    S, n = g.n_states, g.n_players
    m = [float(x) for x in mu]
    nc = float(sum(m[s] * float(ex.gains[i, s]) for i in range(n) for s in range(S)))
    v = [float(sum(m[s] * float(ex.best_responses[i].baseline[s]) for s in range(S))) for i in range(n)]
    return nc, None, v


def _trajectory(prepared: PreparedGame, trace: Any) -> dict[str, Any] | None:
    """Each player's marginal per checkpoint, for a one-state two-player game of shape 2×2, 2×3 or 3×2, with the
    reference's exact equilibrium set there when it has one (zero-sum: the vertices of each player's optimal
    strategies, whose product is the set)."""
    game, ref = prepared.game, prepared.reference
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    if len(live) != 1 or game.n_players != 2 or sorted(game.n_actions(live[0])) not in ([2, 2], [2, 3]):
        return None
    s = live[0]
    equilibria: dict[str, Any] | None = None
    if ref is not None and ref.sets is not None and ref.sets[s] is not None and ref.sets[s][0] == "product":
        _, X, Y = ref.sets[s]
        equilibria = {"kind": "product of optimal strategies",
                      "vertices": [[[float(x) for x in v] for v in X], [[float(y) for y in v] for v in Y]]}
    return {"state": game.states[s], "actions": [list(a) for a in game.actions[s]],
            "marginals": [m.tolist() for m in trace.marginals(s)], "equilibrium_set": equilibria}
