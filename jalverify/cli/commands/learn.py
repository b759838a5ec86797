"""``jalverify learn FILE --algorithm A --steps N --seed S``: run a tabular multi-agent learner and judge it
against the truth.

Reports (text, or ``--format json``):

* the run parameters;
* the reference of the game where one exists (two-player zero-sum: the minimax Q*; common-payoff: the
  team-optimal Q*; exact and certified on small games, else Shapley/Friend-Q value iteration in floats with a
  stated error bound) and the error ``max |Q − Q*|``;
* the learned Q and Q* per state and joint action;
* the learned greedy policy per state, rounded to a stated exact policy
  (:mod:`jalverify.learners.learned_policy`), its exact values V^π per agent, and its exact NashConv at the start
  distribution μ (and the maximum over start states), from certified best responses;
* every convergence notion (book §5.2) judged against the reference with the verdict words ("holds within
  tolerance" with tolerance and worst case, or "not established" with the reason; a finite float run is never
  "proven" and never "refuted"), and, separately, whether the trace stopped moving ("stationary", which is not
  convergence).

``--trace PATH`` saves the trace (``.npz``); ``--plot PATH`` draws the quantities ``jalverify experiment`` draws, with
the same code (:func:`jalverify.experiments.runner.checkpoint_evaluations`, :mod:`jalverify.experiments.plots`):
``max |Q − Q*|`` against the exact reference (where the game has one) and the NashConv of the rounded learned policy
at μ, per snapshot, on a log scale.  Progress goes to stderr, the result to stdout.  A normal-form game (``.nfg``
or a normal-form JSON file) is learned as a repeated game with one state, whose discount ``--gamma`` must be
given; a stochastic game keeps its own γ and ``--gamma`` is refused there.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber, JalverifyError, UnsupportedGame
from jalverify.learners.by_name import ALGORITHMS, CE_SELECTIONS
from jalverify.learners.by_name import make_learner as learner_by_name

__all__ = ["ALGORITHMS", "make_learner", "register", "run"]


#: Largest number of states whose Q, policy and values are listed in the text output (all are in JSON).
MAX_LISTED_STATES = 12

_SELECTIONS = ("first", "utilitarian", "egalitarian")
_REQUIRE = ("global_optimum", "saddle_point")
_FORMATS = ("text", "json")
_PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "learn",
        help="run a multi-agent learner (Minimax-Q, Nash-Q, CE-Q, Friend/Foe-Q, IQL) and judge it against the exact "
             "reference",
        description="Run a seeded tabular learner on a game; report the learned Q against the reference Q* (where "
        "one exists), the learned policy with its exact values and exact NashConv, and every convergence notion "
        "judged against the reference (holds within tolerance / not established).",
    )
    parser.add_argument("file", metavar="FILE", help="a jalverify.game/1 JSON file, a Gambit .nfg file, or catalog:<name>")
    parser.add_argument("--algorithm", default=None, metavar="A", help="one of " + ", ".join(ALGORITHMS))
    parser.add_argument("--steps", default="10000", metavar="N", help="number of interaction steps (default 10000)")
    parser.add_argument("--seed", default="0", metavar="S", help="seed, an integer >= 0 (default 0)")
    parser.add_argument("--schedule", default="rm:0.7",
                        help="step sizes: rm[:omega[:scale[:offset]]] (Robbins-Monro per visit) or const:alpha")
    parser.add_argument("--explore", default="1", metavar="EPS",
                        help="epsilon of epsilon-greedy exploration in [0, 1] (default 1: uniform, off-policy)")
    parser.add_argument("--start", default="uniform", help="episode start: uniform, initial, or a state name")
    parser.add_argument("--episode-length", default="10", metavar="L", help="steps per episode (default 10)")
    parser.add_argument("--gamma", default=None, help="discount of the repeated game; required when FILE is a "
                        "normal-form game, refused for a stochastic game (which has its own)")
    parser.add_argument("--selection", default=None, help="Nash-Q equilibrium selection: " + ", ".join(_SELECTIONS)
                        + " (default first)")
    parser.add_argument("--require", default=None, help="Nash-Q: update with equilibria of this kind (audited): "
                        + ", ".join(_REQUIRE))
    parser.add_argument("--reward-scaling", action="store_true", help="CE-Q: scale rewards by (1 - gamma)")
    parser.add_argument("--epsilon", default="0.05", metavar="TOL",
                        help="tolerance of the convergence verdicts, > 0 (default 0.05)")
    parser.add_argument("--window", default="10", metavar="W", help="final window of snapshots judged (default 10)")
    parser.add_argument("--record-every", default=None, metavar="K", help="snapshot interval (default steps/100)")
    parser.add_argument("--format", default="text", help="text or json")
    parser.add_argument("--trace", default=None, metavar="PATH", help="save the trace (.npz)")
    parser.add_argument("--plot", default=None, metavar="PATH",
                        help="plot max|Q - Q*| against the reference and the NashConv of the learned policy over "
                             "the run, log scale (.png, .svg or .pdf)")
    from jalverify.cli.html_option import add_html_argument

    add_html_argument(parser)
    parser.set_defaults(func=run)


# --- validation: every flag, one line naming the flag and the value -------------------------------------------------
def _int(flag: str, text: str, low: int) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise InvalidNumber(f"{flag} must be an integer >= {low}, got {text!r}") from None
    if value < low:
        raise InvalidNumber(f"{flag} must be an integer >= {low}, got {text!r}")
    return value


def _float(flag: str, text: str, low: float, high: float, *, open_low: bool = False) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    ok = math.isfinite(value) and (value > low if open_low else value >= low) and value <= high
    if not ok:
        lo = f"> {low:g}" if open_low else f">= {low:g}"
        hi = "" if math.isinf(high) else f" and <= {high:g}"
        raise InvalidNumber(f"{flag} must be a finite number {lo}{hi}, got {text!r}")
    return value


def _reason(exc: Exception) -> str:
    """A library message without its call-site prefix (``EpsilonGreedy(): ...``), for a message about a flag."""
    return re.sub(r"^[\w.]+\(\):\s*", "", str(exc))


def _choice(flag: str, text: str, choices: tuple[str, ...]) -> str:
    if text not in choices:
        raise InvalidNumber(f"{flag} must be one of {', '.join(choices)}; got {text!r}")
    return text


def validate(args: argparse.Namespace) -> dict[str, Any]:
    """Every option read and checked before anything runs or is written (bad input: InvalidNumber naming the
    flag and the value)."""
    from jalverify.cli.html_option import check_html_argument
    from jalverify.learners.schedules import EpsilonGreedy, step_schedule_named

    check_html_argument(args)
    if args.algorithm is None:
        raise InvalidNumber(f"--algorithm is required; one of {', '.join(ALGORITHMS)}")
    p: dict[str, Any] = {"algorithm": _choice("--algorithm", args.algorithm, ALGORITHMS)}
    p["steps"] = _int("--steps", args.steps, 1)
    p["seed"] = _int("--seed", args.seed, 0)
    try:
        p["schedule"] = step_schedule_named(args.schedule)
    except JalverifyError as exc:
        raise InvalidNumber(f"--schedule {args.schedule!r}: {_reason(exc)}") from None
    explore = _float("--explore", args.explore, 0.0, 1.0)
    try:
        p["exploration"] = EpsilonGreedy(explore)
    except JalverifyError as exc:  # pragma: no cover - the range is checked above
        raise InvalidNumber(f"--explore {args.explore!r}: {_reason(exc)}") from None
    p["episode_length"] = _int("--episode-length", args.episode_length, 1)
    p["epsilon"] = _float("--epsilon", args.epsilon, 0.0, math.inf, open_low=True)
    p["window"] = _int("--window", args.window, 1)
    p["record_every"] = None if args.record_every is None else _int("--record-every", args.record_every, 1)
    if p["record_every"] is not None and p["record_every"] > p["steps"]:
        raise InvalidNumber(f"--record-every must be at most --steps ({p['steps']}), got {args.record_every!r}")
    p["format"] = _choice("--format", args.format, _FORMATS)
    nash = p["algorithm"] == "nash-q"
    if args.selection is not None and not nash:
        raise InvalidNumber(f"--selection {args.selection!r} applies to --algorithm nash-q only, not {p['algorithm']}")
    if args.require is not None and not nash:
        raise InvalidNumber(f"--require {args.require!r} applies to --algorithm nash-q only, not {p['algorithm']}")
    if args.reward_scaling and p["algorithm"] not in CE_SELECTIONS:
        raise InvalidNumber(f"--reward-scaling applies to the CE-Q algorithms only, not {p['algorithm']}")
    p["selection"] = _choice("--selection", args.selection, _SELECTIONS) if args.selection is not None else "first"
    p["require"] = _choice("--require", args.require, _REQUIRE) if args.require is not None else None
    p["reward_scaling"] = bool(args.reward_scaling)
    if args.plot is not None and not args.plot.lower().endswith(_PLOT_SUFFIXES):
        raise InvalidNumber(f"--plot must name a {', '.join(_PLOT_SUFFIXES)} file, got {args.plot!r}")
    if args.plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise UnsupportedGame("--plot needs matplotlib: pip install 'jalverify[plot]'") from None
    if args.trace is not None and not args.trace.lower().endswith(".npz"):
        raise InvalidNumber(f"--trace must name a .npz file, got {args.trace!r}")
    return p


def _as_stochastic(game: Any, gamma: str | None) -> Any:
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.stochastic import StochasticGame, repeated_game

    if isinstance(game, StochasticGame):
        if gamma is not None:
            raise InvalidNumber(f"--gamma {gamma!r}: the stochastic game {game.name or ''} has its own discount "
                                f"γ = {game.gamma}; --gamma applies to normal-form games only".replace("  ", " "))
        return game
    if isinstance(game, NormalFormGame):
        if gamma is None:
            raise InvalidNumber("--gamma is required for a normal-form game (the discount of the repeated game, "
                                "e.g. --gamma 1/2; --gamma 0 learns the stage payoffs only)")
        try:
            return repeated_game(game, gamma)
        except JalverifyError:
            raise InvalidNumber(f"--gamma must be a number in [0, 1), got {gamma!r}") from None
    raise UnsupportedGame(f"cannot learn on a {type(game).__name__}")


def make_learner(game: Any, p: dict[str, Any]) -> Any:
    """The learner ``p["algorithm"]`` with the validated options ``p`` (see :func:`validate`)."""
    return learner_by_name(game, p["algorithm"], schedule=p["schedule"], exploration=p["exploration"], seed=p["seed"],
                           steps=p["steps"], selection=p["selection"], require=p["require"],
                           reward_scaling=p["reward_scaling"])


# --- progress on stderr -------------------------------------------------------------------------------------------
class _Progress:
    """Phase lines and a throttled step counter with ETA, on stderr only."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.last = 0.0
        self.tty = sys.stderr.isatty()

    def note(self, message: str) -> None:
        print(f"learn: {message}", file=sys.stderr, flush=True)

    def steps(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 1.0:
            return
        self.last = now
        elapsed = now - self.t0
        eta = elapsed / done * (total - done) if done else float("nan")
        end = "\n" if done >= total or not self.tty else ""
        lead = "\r" if self.tty else ""
        print(f"{lead}learn: {done}/{total} steps ({100 * done // max(1, total)}%), "
              f"{elapsed:.0f} s, ETA {eta:.0f} s", end=end, file=sys.stderr, flush=True)


# --- formatting ---------------------------------------------------------------------------------------------------
def _exact_str(x: Any) -> str:
    return str(Fraction(x))


def _num(x: Any) -> str:
    if isinstance(x, (Fraction, int)) and not isinstance(x, bool):
        return _exact_str(x)
    v = float(x)
    return f"{v:.4g}" if v != 0 else "0"


def _table(rows: list[list[str]], indent: str = "    ") -> str:
    from jalverify.games.tables import aligned_rows

    return "".join(line + "\n" for line in aligned_rows(rows, indent))


def _joint_labels(game: Any, s: int) -> list[str]:
    acts = game.actions[s]
    return ["(" + ", ".join(acts[i][a[i]] for i in range(game.n_players)) + ")"
            for a in np.ndindex(*game.n_actions(s))]


# --- the command --------------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    p = validate(args)
    return _emit(*_compute(args, p))  # native output goes to stderr (jalverify.cli.streams)


def _compute(args: argparse.Namespace, p: dict[str, Any]) -> tuple[Any, ...]:
    from jalverify.experiments.learning_run import NOTION_NAMES, learn_and_judge, prepare_game
    from jalverify.games.formats.reading import read_game
    from jalverify.learners.learned_policy import evaluate_learned_policy, exact_policy, start_distribution
    from jalverify.learners.simulator import Simulator

    loaded = read_game(args.file)
    game = _as_stochastic(loaded.game, args.gamma)
    if all(game.terminal):
        raise UnsupportedGame(f"{args.file}: every state is terminal; nothing to learn")
    if args.start not in ("uniform", "initial") and args.start not in game.states:
        raise InvalidNumber(f"--start must be uniform, initial or a state of the game, got {args.start!r}")
    if args.start not in ("uniform", "initial") and game.terminal[game.state_index(args.start)]:
        raise InvalidNumber(f"--start {args.start!r} is a terminal state")
    prog = _Progress()
    prepared = prepare_game(game, note=prog.note)
    ref, no_ref_why = prepared.reference, prepared.no_reference_why
    learner = make_learner(prepared.float_game, p)
    sim = Simulator(prepared.float_game, p["seed"] + 1, start=args.start, episode_length=p["episode_length"])
    prog.note(f"{p['algorithm']}: {p['steps']} steps, then judging the convergence notions against the reference ...")
    run = learn_and_judge(prepared, learner, sim, steps=p["steps"], record_every=p["record_every"],
                          epsilon=p["epsilon"], window=p["window"], progress=prog.steps)
    trace, verdicts, station = run.trace, run.verdicts, run.stationarity
    mu = start_distribution(game, args.start)

    # --- what was learned, exactly -----------------------------------------------------------------------------
    prog.note("exact evaluation of the learned policy (V^π, best responses, NashConv) ...")
    rounded = exact_policy(game, learner.policy_parts())
    values = evaluate_learned_policy(game, rounded.policy, mu)

    if args.trace:
        trace.save(args.trace)
    if args.plot:
        prog.note("exact NashConv of the learned policy at every snapshot, for the plot ...")
        _plot(prepared, trace, learner, mu, p, out_name=game.name or loaded.source, path=args.plot)

    names = NOTION_NAMES
    out = _json(game, loaded, args, p, learner, run.seconds, ref, no_ref_why, trace, rounded, values, mu, verdicts,
                names, station)
    if args.html:
        _write_html(args, prepared, trace, learner, mu, out)
    return game, out, learner, ref, rounded, values, mu, verdicts, names, station, p


def _write_html(args: argparse.Namespace, prepared: Any, trace: Any, learner: Any, mu: list[Fraction],
                out: dict[str, Any]) -> None:
    """``--html``: the run's JSON document with the NashConv at μ of the rounded learned policy per snapshot (the
    campaign's per-checkpoint evaluation) added for the page's NashConv curve."""
    from jalverify.cli.html_option import write_html_report
    from jalverify.experiments.runner import checkpoint_evaluations
    from jalverify.learners.traces import json_default

    print("jalverify learn: NashConv of the learned policy at every snapshot, for the HTML report ...", file=sys.stderr)
    correlated = any(not isinstance(part, tuple) for part in learner.policy_parts())
    evaluations = checkpoint_evaluations(prepared, trace, correlated, mu)
    document = json.loads(json.dumps(out, default=json_default))
    document["nash_conv_trace"] = {"steps": [int(x) for x in trace.snapshot_steps], "values": evaluations["nash_conv"],
                                   "evaluation": evaluations["evaluation"]}
    write_html_report(args, "learn", [("learn", document, "")], title=f"jalverify learn: {out['parameters']['algorithm']}"
                      f" on {out['game']}")


def _emit(game: Any, out: dict[str, Any], learner: Any, ref: Any, rounded: Any, values: Any, mu: list[Fraction],
          verdicts: list[Any], names: dict[str, str], station: dict[str, Any], p: dict[str, Any]) -> int:
    from jalverify.learners.traces import json_default

    if p["format"] == "json":
        json.dump(out, sys.stdout, indent=2, default=json_default)
        sys.stdout.write("\n")
        return 0
    _text(game, out, learner, ref, rounded, values, mu, verdicts, names, station, p)
    return 0


def _gamma_text(game: Any) -> str:
    return _exact_str(game.gamma) if isinstance(game.gamma, (Fraction, int)) else f"{float(game.gamma):g}"


def _policy_json(game: Any, rounded: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pol = rounded.policy
    for s in range(game.n_states):
        if game.terminal[s]:
            continue
        if rounded.correlated:
            labels = _joint_labels(game, s)
            joint = np.asarray(pol.joint_distribution(s), dtype=object).reshape(-1).tolist()
            out[game.states[s]] = {"joint": {lab: _exact_str(x) for lab, x in zip(labels, joint) if x != 0}}
        else:
            out[game.states[s]] = {game.players[i]: {game.actions[s][i][a]: _exact_str(x)
                                                     for a, x in enumerate(pol.distributions[s][i])}
                                   for i in range(game.n_players)}
    return out


def _json(game: Any, loaded: Any, args: argparse.Namespace, p: dict[str, Any], learner: Any, elapsed: float,
          ref: Any, no_ref_why: str, trace: Any, rounded: Any, values: Any, mu: list[Fraction], verdicts: list[Any],
          names: dict[str, str], station: dict[str, Any]) -> dict[str, Any]:
    q = learner.q_tables()
    S = game.n_states
    live = [s for s in range(S) if not game.terminal[s]]
    out: dict[str, Any] = {
        "format": "jalverify.learn/1",
        "game": game.name or loaded.source,
        "parameters": {
            "algorithm": p["algorithm"], "steps": p["steps"], "seed": p["seed"], "gamma": _gamma_text(game),
            "gamma_source": "--gamma (repeated normal-form game)" if args.gamma is not None else "the game",
            "schedule": p["schedule"].describe(), "exploration": p["exploration"].describe(), "start": args.start,
            "episode_length": p["episode_length"], "record_every": int(trace.header["record_every"]),
            "tolerance": p["epsilon"], "window": p["window"],
            **({"selection": p["selection"], "require": p["require"]} if p["algorithm"] == "nash-q" else {}),
            **({"reward_scaling": p["reward_scaling"]} if p["algorithm"] in CE_SELECTIONS else {}),
        },
        "seconds": elapsed, "steps_per_second": p["steps"] / elapsed if elapsed > 0 else None,
        "learner": learner.describe(),
        "players": list(game.players),
        "joint_actions": {game.states[s]: _joint_labels(game, s) for s in live},
        "q": {game.states[s]: np.asarray(q[s]).reshape(game.n_players, -1).tolist() for s in live},
    }
    if ref is None:
        out["reference"] = {"kind": None, "reason": no_ref_why}
        out["error"] = None
    else:
        qs = ref.q_star_exact if ref.exact else ref.q_star
        out["reference"] = {
            "kind": ref.kind, "description": ref.description, "exact": ref.exact, "error_bound": ref.error_bound,
            "q_star": {game.states[s]: [[_exact_str(x) if ref.exact else float(x)
                                         for x in np.asarray(qs[s][i], dtype=object).reshape(-1).tolist()]
                                        for i in range(game.n_players)] for s in live},
            "v_star": {game.players[i]: {game.states[s]: (_exact_str(ref.v_star[i, s]) if ref.exact
                                                          else float(ref.v_star[i, s])) for s in live}
                       for i in range(game.n_players)},
            "v_star_at_start": [(_exact_str(v) if ref.exact else v) for v in ref.v_start(mu)],
        }
        out["error"] = float(trace.error[-1])
        out["error_trace"] = {"steps": trace.snapshot_steps.tolist(), "max_abs_q_minus_q_star": trace.error.tolist()}
    out["learned_policy"] = {"rounding": rounded.describe(), "max_rounding_change": rounded.max_change,
                             "correlated": rounded.correlated, "states": _policy_json(game, rounded)}
    out["start_distribution"] = {game.states[s]: _exact_str(mu[s]) for s in range(S) if mu[s] != 0}
    out["values"] = {
        "exact": True, "certified": values.certified,
        "V_pi": {game.players[i]: {game.states[s]: _exact_str(values.V[i, s]) for s in live}
                 for i in range(game.n_players)},
        "V_pi_at_start": {game.players[i]: _exact_str(values.V_start[i]) for i in range(game.n_players)},
        "best_response_at_start": {game.players[i]: _exact_str(sum((mu[s] * values.best_response_values[i, s]
                                                                     for s in range(S)), Fraction(0)))
                                   for i in range(game.n_players)},
    }
    out["nash_conv"] = {
        "at_start": _exact_str(values.nash_conv_start), "at_start_float": float(values.nash_conv_start),
        "max_over_start_states": _exact_str(values.nash_conv_max),
        "per_agent_at_start": {game.players[i]: _exact_str(sum((mu[s] * values.gains[i, s] for s in range(S)),
                                                               Fraction(0))) for i in range(game.n_players)},
        "deviations": values.deviations, "exact": True, "certified": values.certified,
    }
    out["convergence"] = [{"notion": v.theorem, "name": names[v.theorem], "status": v.status.value,
                           "words": v.status.words, "message": v.message, "tolerance": v.tolerance,
                           "worst": v.worst, "evidence": dict(v.witness)} for v in verdicts]
    out["trace_stationarity"] = {**station, "note": "whether the trace stopped moving; not a convergence verdict"}
    audit = getattr(learner, "audit", None)
    if audit is not None:
        out["nash_audit"] = audit.summary()
    return out


def _text(game: Any, out: dict[str, Any], learner: Any, ref: Any, rounded: Any, values: Any, mu: list[Fraction],
          verdicts: list[Any], names: dict[str, str], station: dict[str, Any], p: dict[str, Any]) -> None:
    w = sys.stdout.write
    par = out["parameters"]
    S, n = game.n_states, game.n_players
    live = [s for s in range(S) if not game.terminal[s]]
    w(f"{par['algorithm']} on {out['game']}: {par['steps']} steps, seed {par['seed']}, γ = {par['gamma']} "
      f"({'from --gamma' if par['gamma_source'].startswith('--') else 'the game'}), {out['seconds']:.2f} s\n")
    sch = par["schedule"]
    sch_text = (f"Robbins-Monro {sch['scale']:g}/(n+{sch['offset']:g})^{sch['omega']:g}" if sch["kind"] == "robbins-monro"
                else f"constant {sch['alpha']:g}")
    w(f"  step sizes {sch_text} per visit; exploration ε = {par['exploration']['epsilon']:g}; start {par['start']}; "
      f"episodes of {par['episode_length']} steps; snapshots every {par['record_every']} steps\n")
    if ref is None:
        w(f"reference: none — {out['reference']['reason']}\n")
    else:
        w(f"reference: {ref.description}\n")
        w(f"error: max|Q − Q*| = {out['error']:.4g} at the end of the run\n")
    shown = live[:MAX_LISTED_STATES]
    more = f" (the first {len(shown)} of {len(live)} states; all are in --format json)" if len(live) > len(shown) else ""
    q = learner.q_tables()
    w(f"\nQ per state and joint action{more}:\n")
    for s in shown:
        w(f"  state {game.states[s]}\n")
        head = ["joint action"]
        for i in range(n):
            head.append(f"Q_{game.players[i]}")
            if ref is not None:
                head.append(f"Q*_{game.players[i]}")
        rows = [head]
        qs = None if ref is None else (ref.q_star_exact if ref.exact else ref.q_star)
        for j, lab in enumerate(_joint_labels(game, s)):
            row = [lab]
            for i in range(n):
                row.append(_num(np.asarray(q[s][i]).reshape(-1)[j]))
                if qs is not None:
                    row.append(_num(np.asarray(qs[s][i], dtype=object).reshape(-1)[j]))
            rows.append(row)
        w(_table(rows))
    w(f"\nlearned greedy policy{more}: {rounded.describe()}\n")
    pj = out["learned_policy"]["states"]
    rows = []
    for s in shown:
        entry = pj[game.states[s]]
        if rounded.correlated:
            rows.append([game.states[s], "joint: " + ", ".join(f"{k} {v}" for k, v in entry["joint"].items())])
        else:
            rows.append([game.states[s]] + [f"{pl}: " + ", ".join(f"{a} {x}" for a, x in entry[pl].items())
                                             for pl in game.players])
    w(_table(rows, "  "))
    mu_text = ", ".join(f"{k} {v}" for k, v in out["start_distribution"].items())
    if len(out["start_distribution"]) > 6:
        mu_text = f"{par['start']} over {len(out['start_distribution'])} states"
    w(f"\nexact values V^π of the rounded policy (certified{'' if values.certified else ': NO'}):\n")
    rows = [["state"] + [f"V_{pl}" for pl in game.players]]
    for s in shown:
        rows.append([game.states[s]] + [_exact_str(values.V[i, s]) for i in range(n)])
    rows.append([f"at μ ({mu_text})"] + [_exact_str(v) for v in values.V_start])
    if ref is not None:
        rows.append(["U(π*) at μ (reference)"] + [_num(v) for v in ref.v_start(mu)])
    w(_table(rows))
    nc = out["nash_conv"]
    w(f"exact NashConv ({values.deviations} deviations, best responses certified"
      f"{'' if values.certified else ': NO'}): at μ {nc['at_start']} (≈ {nc['at_start_float']:.4g}); "
      f"max over start states {nc['max_over_start_states']}\n")
    w("  per agent at μ: " + ", ".join(f"{k} {v}" for k, v in nc["per_agent_at_start"].items()) + "\n")
    w(f"\nconvergence against the reference (tolerance {p['epsilon']:g}, final window of {p['window']} snapshots; "
      "a finite float run is never proven):\n")
    rows = [[names[v.theorem], v.status.words, v.message] for v in verdicts]
    w(_table(rows, "  "))
    w("trace movement (whether the run stopped moving; not convergence):\n")
    rows = [[what, st["statement"] + ":", "yes" if st["stationary"] else "no", f"max move {st['max_move']:.3g}"]
            for what, st in (("Q", station["q"]), ("greedy policy", station["policy"]))]
    w(_table(rows, "  "))
    if "nash_audit" in out:
        summ = out["nash_audit"]
        w(f"Nash-Q audit: {summ['records']} stage games classified (every {summ['classify_every']}): "
          f"{summ['with_global_optimum']} with a global optimum, {summ['with_saddle_point']} with a saddle point, "
          f"{summ['with_neither']} with neither; {_assumption3_text(game, summ['assumption3_broken_at'])}\n")


def _assumption3_text(game: Any, broken: dict[str, int] | None) -> str:
    """Where Hu & Wellman's Assumption 3 first broke in the audit, in words (the audit's record, step and state)."""
    if broken is None:
        return "Assumption 3 not seen broken"
    return (f"Assumption 3 broken at step {broken['step']} in state {game.states[broken['state']]} "
            f"(audit record {broken['record']})")


def _plot(prepared: Any, trace: Any, learner: Any, mu: list[Fraction], p: dict[str, Any], *, out_name: str,
          path: str) -> None:
    """Draw the run as ``jalverify experiment`` draws a campaign: the run becomes a one-seed record (max |Q − Q*|
    and the NashConv at μ of the rounded learned policy per snapshot) summarised and drawn by the campaign code."""
    from pathlib import Path

    import matplotlib

    from jalverify.experiments.aggregate import summarise_group
    from jalverify.experiments.plots import draw_curves
    from jalverify.experiments.runner import checkpoint_evaluations

    matplotlib.use("Agg")
    correlated = any(not isinstance(part, tuple) for part in learner.policy_parts())
    record = {"status": "ok", "key": {"seed": p["seed"]}, "convergence": [], "reference": None,
              "checkpoints": {"steps": [int(x) for x in trace.snapshot_steps],
                              "q_error": None if trace.error is None else [float(x) for x in trace.error],
                              **checkpoint_evaluations(prepared, trace, correlated, mu)}}
    group = summarise_group(out_name, p["algorithm"], [record], p["epsilon"])
    draw_curves(f"{p['algorithm']} on {out_name}, seed {p['seed']}", [group], p["epsilon"], Path(path))
