r"""The checks of a joint-action learner: Q* is a fixed point of its backup, and what a learning run shows.

The reference ``Q*`` is the minimax ``Q*`` of a two-player zero-sum stochastic game
(:func:`jalverify.validation.reference.zero_sum_q_star`: exact and certified, or float value iteration with a
proven error bound ``e``; Shapley 1953, Littman 1994), computed within a budget (:class:`LearnerBudgets`, like every learner check); when the budget
runs out the case is "not established" and says so.

Games.  Generated learner games may have a terminal state (absorbing, reward 0 from there on; the value of a
terminal state is 0 and nothing is bootstrapped from it) and, unless the target declares
``state_action_sets=False``, a different number of actions per player in each state.  They shrink toward one
state with one action and no terminal state.

``validate.learner.backup_fixed_point``.  ``Q*`` is the fixed point of the JAL-GT backup (book Algorithm 7).
The backup is applied to ``Q*`` with every entry of a terminal state replaced by a marker
``M = ⌊max |Q*|⌋ + 1``: a backup that does not bootstrap at the end of an episode never reads those entries, so
its answer is still ``Q*`` (``0`` at terminal states), while one that bootstraps from a terminal state moves
by ``γ·T(s'|s,a)·M`` (when that happens and the same backup fixes the plain ``Q*``, the message says so).

* An **expected** backup (``has_backup``) is compared exactly with ``Q*`` (:func:`judge_q_table`); with a bounded
  reference the slack is ``(1 + γ)e`` (a right backup of a table within ``e`` of ``Q*`` is within ``γe`` of
  ``T Q* = Q*``).
* A **sampled** backup (``backup_sampled``: one random draw of the next state, as a model-free update makes) is
  called ``n`` times (:data:`SAMPLED_BACKUP_CALLS`, fewer if its time budget runs out; at least
  :data:`MIN_SAMPLED_CALLS`).  Every correct sample of entry ``(i, s, a)`` is ``R_i(s,a,s') + γ v_i(s')`` for a
  next state ``s'`` with ``T(s'|s,a) > 0`` and a value ``v_i(s')`` of the stage game of the table it was given,
  which lies between the smallest and the largest of player ``i``'s entries there (a stage value is an
  expectation of the table's entries under some distribution), and is 0 at a terminal ``s'``.  So every correct
  sample lies in

  .. math:: [\,\min_{s'} R_i(s,a,s') + γ \min Q_i(s'),\ \max_{s'} R_i(s,a,s') + γ \max Q_i(s')\,]

  (0 at a terminal state ``s``); a sample outside it is an exact refutation.  Within it, Hoeffding's inequality
  (Hoeffding 1963, Theorem 2) for ``n`` independent samples in a range of width ``w`` gives
  :math:`P(|\bar X - E X| \ge t) \le 2 e^{-2 n t^2 / w^2}`; with a union bound over the ``m`` entries, the
  intervals :math:`\bar X \pm w\sqrt{\ln(2m/δ)/(2n)}` all contain the expected backup with probability at least
  ``1 − δ`` (:data:`SAMPLED_BACKUP_DELTA`).  The bound also holds when each call's answer has the expected
  backup as its conditional mean given the earlier calls (Azuma 1967), as with one random stream.  The check
  refutes when an interval (widened by the declared tolerance and the reference slack) excludes ``Q*``, and
  otherwise holds *within tolerance* with the interval's half-width as the tolerance: never "proven".

``validate.learner.convergence``.  The learner is driven for ``steps`` transitions in its worker
(:func:`jalverify.validation.learning.drive_checkpoints`) and ``Q`` is read at :data:`CHECKPOINTS` evenly spaced
steps; the gap ``max |Q_t − Q*|`` at each one (exactly, up to the reference bound ``e``) and its trend are the
verdict's message.  A finite run proves nothing about a limit, so:

* ``converges=True``: a final gap within ``ε·max(1, max|Q*|) + e`` holds *within tolerance*; a larger one is
  *not established* and its message starts with the headline (the gap, the steps, ε, the trend), with the final
  gap as the verdict's ``worst``;
* ``converges=True`` and an expected backup that does not fix ``Q*`` on this game: **refuted**.  A learner whose
  updates are a stochastic approximation of an operator ``H`` (``Q ← Q + α(Ĥ Q − Q)`` with ``E[Ĥ Q] = H Q``)
  can only converge to a fixed point of ``H`` (Jaakkola, Jordan & Singh 1994; Borkar & Meyn 2000: the iterates
  track the ODE ``Q̇ = H Q − Q``, whose limit points are fixed points of ``H``), so "Q → Q*" contradicts
  "Q* is not a fixed point of my expected update"; the backup's witness is the witness;
* ``converges=False``: the measured gap and trend, *not established*, never "no violation".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import Capabilities
from jalverify.errors import BudgetExceeded, GameTooLarge, InternalError, UnsupportedGame
from jalverify.numbers import approximate_number, format_number
from jalverify.solvers.budget import Budget
from jalverify.validation.check_spec import Check, stochastic_domain
from jalverify.validation.checks import MalformedAnswer, exact_array, judge_call, judge_q_table, malformed_verdict
from jalverify.validation.reference import DEFAULT_Q_STAR_BUDGET, QStarReference
from jalverify.validation.runner import CallOutcome, IsolatedTarget
from jalverify.verdicts import Status, Verdict

__all__ = [
    "CHECKPOINTS",
    "MIN_SAMPLED_CALLS",
    "REFERENCE_BUDGET",
    "SAMPLED_BACKUP_CALLS",
    "SAMPLED_BACKUP_DELTA",
    "LearnerBudgets",
    "hoeffding_half_width",
    "learner_checks",
    "terminal_marker",
    "trend_words",
]

BACKUP_ID = "validate.learner.backup_fixed_point"
#: The claim refuted when a backup reads Q at terminal states (the protocol's episodic convention).
TERMINAL_ID = "validate.learner.terminal_states"
CONVERGENCE_ID = "validate.learner.convergence"

#: Budget of the reference Q* of each game (that of :func:`zero_sum_q_star`: 20 s, 1024 bits per exact number).
REFERENCE_BUDGET = DEFAULT_Q_STAR_BUDGET
#: Calls of a sampled backup per game (fewer when half the per-call time limit is spent first).
SAMPLED_BACKUP_CALLS = 1000
#: Fewest calls of a sampled backup that are judged; below it the case is not established.
MIN_SAMPLED_CALLS = 30
#: ``δ``: the Hoeffding intervals of one game all hold with probability at least ``1 − δ``.
SAMPLED_BACKUP_DELTA = 1e-6
#: Evenly spaced snapshots of Q in a learning run (the last one after all the steps).
CHECKPOINTS = 5
#: Share of the learning call's time limit the worker may spend before returning what it measured.
_WORKER_SHARE = 0.8


@dataclass(frozen=True)
class LearnerBudgets:
    """What the learner checks may spend on one game; running out of any is "not established", with what was
    measured until then.

    Parameters
    ----------
    reference : Budget
        For the reference Q* (default :data:`REFERENCE_BUDGET`).
    sampled_calls : int
        Calls of a sampled backup (default :data:`SAMPLED_BACKUP_CALLS`).
    min_sampled_calls : int
        Fewest calls judged (default :data:`MIN_SAMPLED_CALLS`).
    delta : float
        ``δ`` of the Hoeffding intervals (default :data:`SAMPLED_BACKUP_DELTA`).
    sampling_seconds : float or None
        Wall-clock seconds for the sampled calls (default: half the target's per-call time limit).
    learning_seconds : float or None
        Wall-clock seconds for a learning run (default: 0.8 × the call's time limit, which is the target's
        per-call limit but at least 60 s).
    """

    reference: Budget = REFERENCE_BUDGET
    sampled_calls: int = SAMPLED_BACKUP_CALLS
    min_sampled_calls: int = MIN_SAMPLED_CALLS
    delta: float = SAMPLED_BACKUP_DELTA
    sampling_seconds: float | None = None
    learning_seconds: float | None = None
#: Rounding allowance of the float evaluation of ``sqrt(ln(2m/δ)/(2n))``: a few ulps, taken as 1e-12 relative.
_ROUNDING_UP = Fraction(10**12 + 1, 10**12)


# --- shared pieces -------------------------------------------------------------------------------------------
def _q_star(game: Any, theorem: str, budget: Budget) -> QStarReference | Verdict:
    """The reference Q* within ``budget``, or a "not established" verdict naming what ran out."""
    from jalverify.validation.reference import zero_sum_q_star

    try:
        return zero_sum_q_star(game, budget)
    except (BudgetExceeded, GameTooLarge, UnsupportedGame) as exc:
        return Verdict(theorem, Status.NOT_ESTABLISHED, f"not established: no reference Q* for this game ({exc})")


def _n(x: Fraction) -> str:
    """A number for a sentence: 3 significant digits (computed exactly: no float overflow)."""
    return approximate_number(x, 3)


def _s(x: Fraction) -> str:
    return format_number(x)


def _scale(Q: Sequence[np.ndarray]) -> Fraction:
    """``max(1, max |Q*|)``, the scale of tolerances (as in :func:`judge_q_table`)."""
    return max([Fraction(1)] + [abs(Fraction(v)) for q in Q for v in np.asarray(q, dtype=object).reshape(-1).tolist()])


def _to_target(Q: Sequence[np.ndarray], exact: bool) -> list[np.ndarray]:
    """``Q`` in the numbers the target works in: Fractions for an exact target, float64 otherwise."""
    if exact:
        return [np.array(q, dtype=object) for q in Q]
    return [np.vectorize(float, otypes=[np.float64])(np.asarray(q, dtype=object)) for q in Q]


def _exactly(Q: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The exact value of every entry (a float is its binary value)."""
    return [np.vectorize(Fraction, otypes=[object])(np.asarray(q, dtype=object)) for q in Q]


def terminal_marker(game: Any, Q: Sequence[np.ndarray]) -> Fraction | None:
    """``⌊max |Q|⌋ + 1``, the value put in the entries of terminal states (``None`` without terminal states).

    Larger than every entry, so ``R + γM`` (a bootstrap from a terminal state) lies above every correct sample
    ``R + γ v(s')`` whenever ``γ > 0`` (the module docstring)."""
    if not any(game.terminal):
        return None
    return Fraction(math.floor(_scale(Q)) + 1)


def _with_marker(game: Any, Q: Sequence[np.ndarray], marker: Fraction | None) -> list[np.ndarray]:
    out = [np.array(q, dtype=object) for q in Q]
    if marker is not None:
        for s in range(game.n_states):
            if game.terminal[s]:
                out[s] = np.full(out[s].shape, marker, dtype=object)
    return out


def _read_table(table: Any, shape: tuple[int, ...], where: str) -> np.ndarray:
    """One table read exactly.  Fast path for what learners return (a finite float64 array, or Fractions and
    ints); anything else goes through :func:`exact_array`, which names what is wrong."""
    if isinstance(table, np.ndarray) and table.shape == shape:
        if table.dtype == np.float64 and bool(np.isfinite(table).all()):
            out = np.empty(shape, dtype=object)
            out.reshape(-1)[:] = [Fraction(v) for v in table.reshape(-1).tolist()]
            return out
        if table.dtype == object and all(type(v) in (Fraction, int) for v in table.reshape(-1).tolist()):
            return table
    return exact_array(table, shape, where)


def _read_tables(game: Any, got: Any, what: str) -> list[np.ndarray]:
    """A per-state table answer read exactly (shape ``(n, *k_s)`` per state).  Raises MalformedAnswer."""
    try:
        count = len(got)
    except TypeError:
        raise MalformedAnswer(f"{what}: expected one table per state, got a {type(got).__name__}") from None
    if count != game.n_states:
        raise MalformedAnswer(f"{what}: tables for {count} states, the game has {game.n_states}")
    return [_read_table(got[s], (game.n_players,) + tuple(game.n_actions(s)), f"{what} state {s}")
            for s in range(game.n_states)]


# --- the backup ----------------------------------------------------------------------------------------------
def _expected_backup(target: IsolatedTarget, caps: Capabilities, game: Any, reference: QStarReference,
                     use_marker: bool) -> Verdict:
    """Judge ``backup(game, Q*)`` (terminal entries set to the marker when ``use_marker``) exactly against Q*."""
    marker = terminal_marker(game, reference.Q) if use_marker else None
    slack = (1 + Fraction(game.gamma)) * reference.error_bound
    result = target.call("backup", game, _to_target(_with_marker(game, reference.Q, marker), caps.exact))
    failure = judge_call(result, "backup(game, Q*)")
    if failure is not None:
        return failure
    what = "backup(game, Q*)" if marker is None else f"backup(game, Q*) with Q at terminal states set to {marker}"
    verdict = judge_q_table(BACKUP_ID, game, result.value, reference.Q, caps, what, reference_error=slack)
    return verdict


def hoeffding_half_width(width: Fraction, calls: int, entries: int, delta: float) -> Fraction:
    """An exact rational upper bound on ``width · sqrt(ln(2·entries/δ) / (2·calls))``: the half-width of a
    two-sided Hoeffding interval (Hoeffding 1963, Theorem 2) for the mean of ``calls`` independent samples in a
    range of ``width``, at confidence ``1 − δ/entries`` each (so ``1 − δ`` for all ``entries`` at once)."""
    if width == 0:
        return Fraction(0)
    c = math.sqrt(math.log(2 * entries / delta) / (2 * calls))
    return width * Fraction(c) * _ROUNDING_UP


def _sample_ranges(game: Any, sent: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Per state, the exact ``(low, high)`` of every correct sample of each entry (module docstring)."""
    gamma = Fraction(game.gamma)
    lows = [Fraction(0) if game.terminal[t] else min(Fraction(v) for v in np.asarray(sent[t][i]).reshape(-1).tolist())
            for t in range(game.n_states) for i in range(game.n_players)]
    highs = [Fraction(0) if game.terminal[t] else max(Fraction(v) for v in np.asarray(sent[t][i]).reshape(-1).tolist())
             for t in range(game.n_states) for i in range(game.n_players)]
    n = game.n_players
    out = []
    for s in range(game.n_states):
        shape = (n,) + tuple(game.n_actions(s))
        ranges = np.empty(shape, dtype=object)
        for idx in np.ndindex(*shape):
            if game.terminal[s]:
                ranges[idx] = (Fraction(0), Fraction(0))
                continue
            i, joint = idx[0], idx[1:]
            support = [t for t in range(game.n_states) if Fraction(game.transitions[s][joint + (t,)]) > 0]
            rewards = [Fraction(game.rewards[s][(i,) + joint + (t,)]) for t in support]
            ranges[idx] = (min(r + gamma * lows[t * n + i] for r, t in zip(rewards, support)),
                           max(r + gamma * highs[t * n + i] for r, t in zip(rewards, support)))
        out.append(ranges)
    return out


def _sampled_backup(target: IsolatedTarget, caps: Capabilities, game: Any, reference: QStarReference,
                    use_marker: bool, budgets: LearnerBudgets) -> Verdict:
    """Estimate the expected backup of ``Q*`` from repeated sampled backups (module docstring: the range, the
    Hoeffding intervals, what refutes)."""
    marker = terminal_marker(game, reference.Q) if use_marker else None
    sent = _to_target(_with_marker(game, reference.Q, marker), caps.exact)
    calls, delta = budgets.sampled_calls, budgets.delta
    seconds = target.time_limit / 2 if budgets.sampling_seconds is None else budgets.sampling_seconds
    what = "backup(game, Q*)" if marker is None else f"backup(game, Q*) with Q at terminal states set to {marker}"
    scale = _scale(reference.Q)
    rounding = Fraction(caps.effective_tolerance) * scale
    slack = (1 + Fraction(game.gamma)) * reference.error_bound
    ranges = _sample_ranges(game, _exactly(sent))
    entries = sum(int(np.prod(r.shape)) for r in ranges)
    confidence = f"1 − {delta:g}"
    # per entry, how often each value came back (a sampled backup has few distinct values: one per next state)
    tallies = [{idx: Counter() for idx in np.ndindex(*r.shape)} for r in ranges]
    n = 0
    spent = 0.0
    # A tenth of the calls first: one sample outside the range refutes at once, without the other calls.
    first = max(1, calls // 10)
    for size in (first, calls - first):
        if size <= 0 or (n and spent >= seconds):
            break
        result = target.call_function("jalverify.validation.learning:sample_backups", game, sent, size,
                                      max(0.0, seconds - spent), time_limit=max(target.time_limit, 2 * seconds))
        spent += result.seconds
        if result.outcome is CallOutcome.TIMEOUT:
            return Verdict(BACKUP_ID, Status.NOT_ESTABLISHED,
                           f"not established: {what}, sampled, gave no answer within {result.seconds:.0f} s "
                           f"({n} samples before)", {"timed_out": True, "calls": n})
        failure = judge_call(result, f"{what} (sampled)")
        if failure is not None:
            return failure
        try:
            batch = [_read_tables(game, answer, f"{what}, call {n + j + 1}")
                     for j, answer in enumerate(result.value.samples)]
        except MalformedAnswer as exc:
            return malformed_verdict(exc)
        for tables in batch:
            for s, tally in enumerate(tallies):
                for idx, counter in tally.items():
                    counter[tables[s][idx]] += 1
        # 1. every sample within the range of a correct sample (an exact refutation otherwise)
        for s, tally in enumerate(tallies):
            for idx, counter in tally.items():
                low, high = ranges[s][idx]
                outside = [x for x in counter if x < low - rounding or x > high + rounding]
                if outside:
                    j = n + 1 + next(k for k, tables in enumerate(batch) if tables[s][idx] in outside)
                    x = batch[j - n - 1][s][idx]
                    index = [int(v) for v in idx]
                    why = ("a terminal state's entry is 0 (no reward, no bootstrap)" if game.terminal[s] else
                           "every correct sample is R(s,a,s') + γ·v(s') with v(s') within the next state's "
                           "table (0 at terminal states)")
                    return Verdict(BACKUP_ID, Status.REFUTED,
                                   f"{what}, call {j}: state {s}, (player, joint action) {tuple(index)}: sample "
                                   f"{x} (≈{_n(x)}) lies outside [{low}, {high}]: {why}",
                                   {"call": j, "state": s, "index": index, "sample": _s(x), "low": _s(low),
                                    "high": _s(high), "tolerance": _s(rounding), "entries": entries,
                                    **({"terminal_marker": _s(marker)} if marker is not None else {})},
                                   caps.effective_tolerance)
        n += len(batch)
        if result.value.stopped_early:
            break
    if n < budgets.min_sampled_calls:
        return Verdict(BACKUP_ID, Status.NOT_ESTABLISHED,
                       f"not established: only {n} sampled backups within the budget of {seconds:.3g} s (at least "
                       f"{budgets.min_sampled_calls} are judged; every one lies in the range of a correct sample)",
                       {"calls": n, "budget_seconds": seconds})
    base = {"calls": n, "calls_asked": calls, "delta": delta, "entries": entries}
    if marker is not None:
        base["terminal_marker"] = _s(marker)
    # 2. Hoeffding intervals around the exact means
    worst: tuple[Fraction, int, tuple[int, ...], Fraction, Fraction, Fraction] | None = None
    largest_allowed = Fraction(0)
    largest_gap = Fraction(0)
    for s, tally in enumerate(tallies):
        for idx, counter in tally.items():
            low, high = ranges[s][idx]
            mean = sum((x * c for x, c in counter.items()), Fraction(0)) / n
            half = hoeffding_half_width(high - low + 2 * rounding, n, entries, delta)
            allowed = half + rounding + slack
            gap = abs(mean - Fraction(reference.Q[s][idx]))
            largest_allowed = max(largest_allowed, allowed)
            largest_gap = max(largest_gap, gap)
            if worst is None or gap - allowed > worst[0]:
                worst = (gap - allowed, s, tuple(int(v) for v in idx), mean, half, allowed)
    if worst is None:
        raise InternalError(f"{what}: the game has no Q entry to judge")
    excess, s, idx, mean, half, allowed = worst
    q = Fraction(reference.Q[s][idx])
    witness = dict(base, state=s, index=list(idx), mean=_s(mean), half_width=_s(half),
                   interval=[_s(mean - allowed), _s(mean + allowed)], reference=_s(q),
                   reference_error_bound=_s(reference.error_bound), tolerance=_s(rounding + slack))
    if excess > 0:
        return Verdict(BACKUP_ID, Status.REFUTED,
                       f"{what}, estimated from {n} sampled calls: state {s}, (player, joint action) {idx}: mean "
                       f"{_n(mean)}, whose {confidence} interval [{_n(mean - allowed)}, {_n(mean + allowed)}] "
                       f"(Hoeffding, union bound over {entries} entries) excludes Q* = {q} (≈{_n(q)}); statistical: "
                       f"wrong with probability at most {delta:g} when the backup is right",
                       witness, float(largest_allowed))
    return Verdict(BACKUP_ID, Status.WITHIN_TOLERANCE,
                   f"{what}, estimated from {n} sampled calls: every {confidence} Hoeffding interval contains Q* "
                   f"(largest half-width {_n(largest_allowed)}, largest distance of a mean from Q* "
                   f"{_n(largest_gap)}); statistical evidence, not a proof", witness,
                   float(largest_allowed), float(largest_gap))


def _backup_verdict(target: IsolatedTarget, caps: Capabilities, game: Any, reference: QStarReference,
                    use_marker: bool, budgets: LearnerBudgets) -> Verdict:
    """The backup judged on Q* with terminal entries set to the marker; a refutation that disappears with the
    plain Q* is reported as its own claim (:data:`TERMINAL_ID`), never as a fixed-point violation: Q* *is* a
    fixed point of such a backup, it only reads entries the episodic convention says it must not."""

    def judged(marked: bool) -> Verdict:
        if caps.backup_sampled:
            return _sampled_backup(target, caps, game, reference, marked, budgets)
        return _expected_backup(target, caps, game, reference, marked)

    verdict = judged(use_marker)
    marker = terminal_marker(game, reference.Q) if use_marker else None
    if marker is None or verdict.status is not Status.REFUTED or verdict.theorem != BACKUP_ID:
        return verdict
    plain = judged(False)
    if plain.status is Status.REFUTED:
        return plain  # wrong on Q* itself: a fixed-point violation, witnessed without any marker
    terminals = [s for s in range(game.n_states) if game.terminal[s]]
    return Verdict(TERMINAL_ID, Status.REFUTED,
                   f"the backup bootstraps from terminal states {terminals}: it fixes Q* as given, but not once Q "
                   f"at those states is set to {marker} (entries a backup must never read: the episode ends there): "
                   f"{verdict.message}",
                   dict(verdict.witness, terminal_states=terminals, terminal_marker=_s(marker)),
                   verdict.tolerance)


def _backup_run(target: IsolatedTarget, caps: Capabilities, budgets: LearnerBudgets) -> Callable[..., Verdict]:
    def run(game: Any) -> Verdict:
        reference = _q_star(game, BACKUP_ID, budgets.reference)
        if isinstance(reference, Verdict):
            return reference
        return _backup_verdict(target, caps, game, reference, True, budgets)

    return run


# --- convergence ---------------------------------------------------------------------------------------------
def trend_words(gaps: Sequence[Fraction]) -> str:
    """How the gap moved over the checkpoints: ``"shrinking"`` when the last gap is below 9/10 of the gap at the
    middle checkpoint, ``"shrinking, then stalled"`` when it is only below 9/10 of the first, ``"not shrinking"``
    otherwise (``"one checkpoint"`` for a single one)."""
    if len(gaps) < 2:
        return "one checkpoint"
    first, middle, last = gaps[0], gaps[len(gaps) // 2], gaps[-1]
    if last < Fraction(9, 10) * middle:
        return "shrinking"
    if last < Fraction(9, 10) * first:
        return "shrinking, then stalled"
    return "not shrinking"


def _gap(game: Any, Q: list[np.ndarray], reference: Sequence[np.ndarray]) -> tuple[Fraction, int, tuple[int, ...]]:
    best = (Fraction(-1), 0, ())
    for s in range(game.n_states):
        for idx, val in np.ndenumerate(Q[s]):
            gap = abs(val - Fraction(reference[s][idx]))
            if gap > best[0]:
                best = (gap, s, tuple(int(v) for v in idx))
    return best


def _convergence_run(target: IsolatedTarget, caps: Capabilities, steps: int, epsilon: float,
                     budgets: LearnerBudgets) -> Callable[..., Verdict]:
    def run(game: Any, seed: int) -> Verdict:
        reference = _q_star(game, CONVERGENCE_ID, budgets.reference)
        if isinstance(reference, Verdict):
            return reference
        limit = max(target.time_limit, 60.0)
        seconds = _WORKER_SHARE * limit if budgets.learning_seconds is None else budgets.learning_seconds
        limit = max(limit, seconds / _WORKER_SHARE)
        result = target.call_function("jalverify.validation.learning:drive_checkpoints", game, steps, seed,
                                      CHECKPOINTS, seconds, time_limit=limit)
        if result.outcome is CallOutcome.TIMEOUT:
            # our budget, not the target's promise: a slow learner is not a wrong one
            return Verdict(CONVERGENCE_ID, Status.NOT_ESTABLISHED,
                           f"not established: the learning run gave no answer within {result.seconds:.0f} s",
                           {"timed_out": True})
        failure = judge_call(result, f"learning for {steps} steps")
        if failure is not None:
            return failure
        run_ = result.value
        try:
            tables = [_read_tables(game, Q, f"Q after {k} steps") for k, Q in zip(run_.steps, run_.snapshots)]
        except MalformedAnswer as exc:
            return malformed_verdict(exc)
        measured = [_gap(game, Q, reference.Q) for Q in tables]
        gaps = [m[0] for m in measured]
        final, s, idx = measured[-1]
        done = run_.steps_done
        error = reference.error_bound
        scale = _scale(reference.Q)
        tol = Fraction(str(epsilon)) * scale + error  # ε as written (0.05 is 1/20), not its binary value
        trend = trend_words(gaps)
        within = f" (reference Q* within {_n(error)})" if error > 0 else ""
        scaled = f", scaled by max(1, max|Q*|) = {_n(scale)}: {_n(tol)}" if scale != 1 or error > 0 else ""
        headline = (f"Q is {_n(final)} from Q*{within} after {done} steps (ε = {epsilon:g}{scaled}), {trend}: "
                    + " → ".join(_n(g) for g in gaps)
                    + f" over checkpoints at steps {', '.join(str(k) for k in run_.steps)}")
        witness: dict[str, Any] = {"steps": list(run_.steps), "gaps": [_s(g) for g in gaps], "state": s,
                                   "index": list(idx), "returned": _s(tables[-1][s][idx]),
                                   "reference": _s(Fraction(reference.Q[s][idx])),
                                   "reference_error_bound": _s(error), "epsilon": epsilon, "tolerance": _s(tol),
                                   "trend": trend}
        if run_.stopped_early:
            witness["timed_out"] = True  # counts against the check's time-out budget: no further run is started
            return Verdict(CONVERGENCE_ID, Status.NOT_ESTABLISHED,
                           f"not established: only {done} of {steps} learning steps within the budget of "
                           f"{seconds:.3g} s; {headline}", witness, worst=float(final))
        note = ""
        if caps.has_backup:
            fixed = _backup_verdict(target, caps, game, reference, False, budgets)
            if fixed.status is Status.REFUTED and fixed.theorem == BACKUP_ID:
                if caps.converges and not caps.backup_sampled:
                    return Verdict(CONVERGENCE_ID, Status.REFUTED,
                                   f"Q cannot converge to Q*: Q* is not a fixed point of the learner's expected "
                                   f"backup, and the limit of updates whose expectation is that backup is a fixed "
                                   f"point of it (Jaakkola et al. 1994; Borkar & Meyn 2000): {fixed.message}; "
                                   f"measured: {headline}",
                                   dict(fixed.witness, convergence=witness), fixed.tolerance)
                note = (f"; Q* is not a fixed point of the learner's {'sampled ' if caps.backup_sampled else ''}"
                        f"backup ({fixed.message}), so Q cannot converge to Q*")
            elif fixed.status in (Status.PROVEN, Status.WITHIN_TOLERANCE):
                note = "; Q* is a fixed point of the learner's expected backup" + (
                    " (within its tolerance)" if fixed.status is Status.WITHIN_TOLERANCE else "")
            else:
                note = f"; whether Q* is a fixed point of the backup is not known here ({fixed.message})"
        if not caps.converges:
            return Verdict(CONVERGENCE_ID, Status.NOT_ESTABLISHED,
                           f"{headline}; the target makes no convergence claim, and a finite run neither proves nor "
                           f"refutes one{note}", witness, worst=float(final))
        if final <= tol:
            return Verdict(CONVERGENCE_ID, Status.WITHIN_TOLERANCE,
                           f"{headline}: within tolerance after a finite run, not a proof of convergence{note}",
                           witness, float(tol), float(final))
        return Verdict(CONVERGENCE_ID, Status.NOT_ESTABLISHED,
                       f"{headline}; the target claims Q → Q*, which a finite run cannot refute{note}",
                       witness, worst=float(final))

    return run


# --- the checks ----------------------------------------------------------------------------------------------
def _games(caps: Capabilities, states: Any) -> Any:
    """Zero-sum learner games, with a terminal state after the live ones in about half.  Unless the target takes one action list
    (``state_action_sets=False``), about half have per-state action sets; the other half (the shrink target) use
    one square action count everywhere, so square mixed stage games such as matching pennies stay as likely as
    before.  Shrink toward one state with one action."""
    from hypothesis import strategies as st

    from jalverify.strategies import zero_sum_stochastic_games

    # booleans shrink toward False: toward one action count for the whole game (the simpler game)
    same = st.booleans().map(lambda per_state: not per_state) if caps.state_action_sets else True
    return zero_sum_stochastic_games(states=states, actions=st.integers(1, 2), terminal_states=st.integers(0, 1),
                                     same_actions=same)


def learner_checks(target: IsolatedTarget, caps: Capabilities, *, learner_steps: int,
                   learner_epsilon: float, budgets: LearnerBudgets | None = None) -> list[Check]:
    """The checks that apply to a learner target, given its declared capabilities (``budgets``: what one game
    may cost, default :class:`LearnerBudgets`)."""
    from hypothesis import strategies as st

    budgets = LearnerBudgets() if budgets is None else budgets
    corpus = _corpus(caps)
    accepted = stochastic_domain(caps)

    def domain(game: Any) -> bool:  # the learner games: two-player zero-sum
        return game.n_players == 2 and game.is_zero_sum() and accepted(game)

    checks: list[Check] = []
    if caps.has_backup:
        how = (f"estimated from up to {budgets.sampled_calls} sampled backups at confidence 1 − "
               f"{budgets.delta:g}" if caps.backup_sampled else "exactly")
        checks.append(Check(BACKUP_ID, f"Q* is a fixed point of the backup ({how})",
                            _games(caps, st.integers(1, 3)).map(lambda g: (g,)), _backup_run(target, caps, budgets),
                            corpus=tuple((g,) for g in corpus), stochastic_domain=domain))
    claim = "Q approaches Q*" if caps.converges else "gap to Q* measured (no convergence claim)"
    checks.append(Check(CONVERGENCE_ID, f"{claim}: |Q - Q*| <= {learner_epsilon} after {learner_steps} steps",
                        st.tuples(_games(caps, st.integers(1, 2)), st.integers(0, 2**16)),
                        _convergence_run(target, caps, learner_steps, learner_epsilon, budgets), max_examples=3,
                        timeout_budget=1, corpus=tuple((g, 0) for g in corpus[:1])))
    return checks


def _corpus(caps: Capabilities) -> tuple[Any, ...]:
    """The corpus games (:func:`jalverify.validation.corpus.zero_sum_stochastic_corpus`) within the learner's
    declared action limits (terminal states, which offer one action, do not count)."""
    from jalverify.validation.corpus import zero_sum_stochastic_corpus

    out = []
    for game in zero_sum_stochastic_corpus():
        counts = [k for s in range(game.n_states) if not game.terminal[s] for k in game.n_actions(s)]
        if min(counts) < caps.min_actions or (caps.max_actions is not None and max(counts) > caps.max_actions):
            continue
        live_shapes = {tuple(game.n_actions(s)) for s in range(game.n_states) if not game.terminal[s]}
        if caps.square_only and any(len(set(shape)) > 1 for shape in live_shapes):
            continue
        out.append(game)
    return tuple(out)
