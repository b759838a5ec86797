"""``jalverify learn FILE --algorithm A --steps N --seed S``: run a tabular multi-agent learner on a game.

Prints the learned joint-action Q, the reference Q* where one is defined (two-player zero-sum: the minimax Q*,
exact when rational and found, else from Shapley value iteration; common-payoff: the team-optimal Q* from
Friend-Q's operator), the error ``max |Q − Q*|`` and the convergence checks (book §5.2) on the trace.
``--trace PATH`` saves the trace (``.npz``), ``--plot PATH`` draws the error over time (PNG/SVG; without a Q*
the distance to the final Q).  Runs longer than 20000 steps report progress on stderr.

A normal-form game (``.nfg`` or a normal-form JSON file) is learned as a repeated game: one state, discount
``--gamma`` (default 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber, UnsupportedGame

__all__ = ["register", "run", "ALGORITHMS", "make_learner"]

ALGORITHMS = ("minimax-q", "nash-q", "ce-q-u", "ce-q-e", "ce-q-r", "ce-q-l", "friend-q", "foe-q", "iql")

#: Largest number of states whose Q is printed in the text output.
MAX_LISTED_STATES = 20

#: Largest number of (state, joint action) pairs for which an exact Q* is attempted (else Shapley VI in floats).
EXACT_PAIRS_LIMIT = 400

_CE = {"ce-q-u": "utilitarian", "ce-q-e": "egalitarian", "ce-q-r": "republican", "ce-q-l": "libertarian"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "learn",
        help="run a multi-agent learner (Minimax-Q, Nash-Q, CE-Q, Friend/Foe-Q, IQL) and check convergence",
        description="Run a seeded tabular learner on a game and report the learned Q, the reference Q* where "
        "defined, the error and the convergence checks (established / not established / contradicted).",
    )
    parser.add_argument("file", metavar="FILE", help="a jalverify.game/1 JSON file, a Gambit .nfg file, or catalog:<name>")
    parser.add_argument("--algorithm", required=True, choices=ALGORITHMS)
    parser.add_argument("--steps", type=int, default=10000, help="number of interaction steps (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--schedule", default="rm:0.7",
                        help="step sizes: rm[:omega[:scale[:offset]]] (Robbins-Monro per visit) or const:alpha")
    parser.add_argument("--explore", type=float, default=1.0,
                        help="epsilon of epsilon-greedy exploration (default 1.0: uniform, off-policy)")
    parser.add_argument("--start", default="uniform", help="episode start: uniform, initial, or a state name")
    parser.add_argument("--episode-length", type=int, default=10)
    parser.add_argument("--gamma", default="0", help="discount when FILE is a normal-form game (default 0)")
    parser.add_argument("--selection", default="first", choices=("first", "utilitarian", "egalitarian"),
                        help="Nash-Q equilibrium selection rule")
    parser.add_argument("--require", default=None, choices=("global_optimum", "saddle_point"),
                        help="Nash-Q: update with equilibria of this kind (audited)")
    parser.add_argument("--reward-scaling", action="store_true", help="CE-Q: scale rewards by (1 - gamma)")
    parser.add_argument("--epsilon", type=float, default=0.05, help="tolerance of the convergence checks")
    parser.add_argument("--window", type=int, default=10, help="window (snapshots) of the convergence checks")
    parser.add_argument("--record-every", type=int, default=None, help="snapshot interval (default steps/100)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--trace", default=None, metavar="PATH", help="save the trace (.npz)")
    parser.add_argument("--plot", default=None, metavar="PATH", help="plot the error over time (PNG or SVG)")
    parser.set_defaults(func=run)


def _as_stochastic(game: Any, gamma: str) -> Any:
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.stochastic import StochasticGame

    if isinstance(game, StochasticGame):
        return game
    if isinstance(game, NormalFormGame):
        fld = game.field
        T = np.ones(game.n_actions + (1,), dtype=object if fld.exact else np.float64)
        return StochasticGame(list(game.players), ["stage"], [game.actions], [T], [np.asarray(game.payoffs)],
                              fld.convert(gamma, where="--gamma"), field=fld, name=game.name)
    raise UnsupportedGame(f"learn: cannot learn on a {type(game).__name__}")


def make_learner(game: Any, algorithm: str, args: argparse.Namespace) -> Any:
    """The learner named ``algorithm`` with the command-line options."""
    from jalverify import learners as L

    schedule = L.step_schedule_named(args.schedule)
    common = {"schedule": schedule, "exploration": L.EpsilonGreedy(args.explore), "seed": args.seed}
    if algorithm == "minimax-q":
        return L.minimax_q(game, **common)
    if algorithm == "nash-q":
        audit = L.NashConditionAudit(args.require, every=max(1, args.steps // 1000))
        return L.nash_q(game, selection=args.selection, require=args.require, audit=audit, **common)
    if algorithm in _CE:
        return L.ce_q(game, _CE[algorithm], reward_scaling=args.reward_scaling, **common)
    if algorithm == "friend-q":
        return L.friend_q(game, **common)
    if algorithm == "foe-q":
        return L.foe_q(game, **common)
    if algorithm == "iql":
        return L.independent_q(game, **common)
    raise InvalidNumber(f"learn: unknown algorithm {algorithm!r}; algorithms are {ALGORITHMS}")


def reference_q(game: Any, float_game: Any = None) -> tuple[list[np.ndarray] | None, str, bool]:
    """``(Q*, description, exact)`` for zero-sum (minimax Q*) and common-payoff (team Q*) games, else None.
    ``float_game`` is the same game in the float field (converted once by the caller; large exact games take a
    while to convert)."""
    from jalverify.learners.friend_or_foe_q import friend_q

    if game.is_zero_sum():
        from jalverify.theorems.learning import exact_minimax_q_star, float_minimax_q_star

        pairs = sum(game.n_joint_actions(s) for s in range(game.n_states))
        exact = exact_minimax_q_star(game) if game.field.exact and pairs <= EXACT_PAIRS_LIMIT else None
        if exact is not None:
            return [np.asarray(q, dtype=np.float64) for q in exact], "minimax Q* (exact, certified)", True
        return (float_minimax_q_star(float_game if float_game is not None else game),
                "minimax Q* (Shapley value iteration, float)", False)
    common = all(bool(np.all(R == R[0][None, ...])) for R in game.rewards)
    if common:
        q, _, _ = friend_q(game).iterate_operator(100000, tol=1e-12)
        return q, "team-optimal Q* (Friend-Q operator, float value iteration)", False
    return None, "no reference Q* is defined for this general-sum game", False


def _progress(done: int, total: int) -> None:
    print(f"\rlearn: {done}/{total} steps ({100 * done // max(1, total)}%)", end="" if done < total else "\n",
          file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from jalverify.cli.commands.show import read_game
    from jalverify.convergence import (
        check_average_return,
        check_averaged_policy,
        check_empirical_distribution,
        check_expected_return,
        check_policy,
    )
    from jalverify.learners.simulator import Simulator
    from jalverify.learners.traces import json_default

    if args.steps < 1:
        raise InvalidNumber(f"learn: --steps must be >= 1, got {args.steps}")
    loaded = read_game(args.file)
    game = _as_stochastic(loaded.game, args.gamma)
    learner = make_learner(game, args.algorithm, args)
    float_game = game.to_field("float")
    q_star, q_desc, q_exact = reference_q(game, float_game)
    sim = Simulator(game, args.seed + 1, start=args.start, episode_length=args.episode_length)
    t0 = time.perf_counter()
    trace = learner.learn(args.steps, sim, reference_q=q_star, record_every=args.record_every,
                          progress=_progress if args.steps > 20000 else None)
    elapsed = time.perf_counter() - t0
    eps, win = args.epsilon, args.window
    reports = [
        check_policy(trace, None, epsilon=eps, window=win),
        check_empirical_distribution(trace, None, epsilon=eps, window=win),
        check_averaged_policy(trace, None, epsilon=eps, window=win),
        check_expected_return(trace, float_game, None, epsilon=eps, window=win),
        check_average_return(trace, float_game, None, epsilon=eps, window=win),
    ]
    if args.trace:
        trace.save(args.trace)
    if args.plot:
        _plot(trace, args.plot, q_desc if q_star is not None else None)
    q = learner.q_tables()
    out: dict[str, Any] = {
        "game": game.name or loaded.source, "algorithm": args.algorithm, "steps": args.steps, "seed": args.seed,
        "seconds": elapsed, "steps_per_second": args.steps / elapsed if elapsed > 0 else None,
        "learner": learner.describe(),
        "q": {game.states[s]: np.asarray(q[s]).tolist() for s in range(game.n_states)},
        "q_star": None if q_star is None else {game.states[s]: np.asarray(q_star[s]).tolist() for s in range(game.n_states)},
        "q_star_source": q_desc, "q_star_exact": q_exact,
        "error": None if trace.error is None else float(trace.error[-1]),
        "convergence": [r.to_json() for r in reports],
    }
    audit = getattr(learner, "audit", None)
    if audit is not None:
        out["nash_audit"] = audit.summary()
    if args.format == "json":
        json.dump(out, sys.stdout, indent=2, default=json_default)
        sys.stdout.write("\n")
        return 0
    w = sys.stdout.write
    w(f"{args.algorithm} on {out['game']}: {args.steps} steps, seed {args.seed}, {elapsed:.2f} s "
      f"({out['steps_per_second']:.0f} steps/s)\n")
    shown = [s for s in range(game.n_states) if not game.terminal[s]]
    if len(shown) > MAX_LISTED_STATES:
        w(f"  (Q of the first {MAX_LISTED_STATES} of {len(shown)} non-terminal states; all are in --format json)\n")
        shown = shown[:MAX_LISTED_STATES]
    for s in shown:
        for j in range(game.n_players):
            w(f"  Q_{game.players[j]}({game.states[s]}) = {np.array2string(np.asarray(q[s][j]), precision=4)}\n")
            if q_star is not None:
                w(f"  Q*_{game.players[j]}({game.states[s]}) = {np.array2string(np.asarray(q_star[s][j]), precision=4)}\n")
    w(f"reference: {q_desc}\n")
    if out["error"] is not None:
        w(f"error max|Q - Q*| = {out['error']:.4g}\n")
    w(f"convergence checks (eps = {eps:g}, window = {win} snapshots; reference = last snapshot):\n")
    for r in reports:
        w(f"  {r.notion:24s} {r.status.value:16s} final-window max distance {r.evidence.get('window_max', float('nan')):.4g}\n")
    if audit is not None:
        summ = out["nash_audit"]
        w(f"Nash-Q audit: {summ['records']} stage games classified (every {summ['classify_every']}): "
          f"{summ['with_global_optimum']} with a global optimum, {summ['with_saddle_point']} with a saddle point, "
          f"{summ['with_neither']} with neither; Assumption 3 broken at {summ['assumption3_broken_at']}\n")
    return 0


def _plot(trace: Any, path: str, reference: str | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = trace.snapshot_steps
    if trace.error is not None:
        y = trace.error
        label = "max |Q − Q*|"
    else:
        final = [q[-1] for q in trace.q]
        y = np.array([max(float(np.max(np.abs(trace.q[s][z] - final[s]))) for s in range(trace.n_states))
                      for z in range(trace.n_snapshots)])
        label = "max |Q − Q_final|"
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(steps, np.maximum(y, 1e-16), lw=1.2)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel(label)
    ax.set_title(f"{trace.header.get('algorithm')} on {trace.header.get('game')}" + (f"\n{reference}" if reference else ""),
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
