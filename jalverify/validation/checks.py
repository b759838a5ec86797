r"""Exact judgement of answers returned by a validation target.

Every function here takes a game, the raw answer of a target (floats, ints, Fractions, arrays) and the target's
:class:`~jalverify.adapters.protocols.Capabilities`, and returns :class:`~jalverify.verdicts.Verdict` objects.
Numbers are first converted **exactly** (a float ``x`` becomes ``Fraction(x)``, its binary value), so every
witness is exact.  The target's declared tolerance ``τ`` (0 for an exact target), scaled by
``max(1, max |payoff|)``, decides between the three states (design notes; CrossHair's three-state verdicts):

* a violation larger than the scaled tolerance: ``REFUTED``, with the exact witness;
* no violation larger than it, but not exactly 0 or the target is not exact: ``WITHIN_TOLERANCE``;
* exactly no violation and an exact target: ``CONFIRMED``.

A float target is never ``CONFIRMED``.

Definitions checked (Albrecht, Christianos & Schäfer 2024): Nash regret (§4.4, Def. 4), CE / CCE gains
(Eqs. 4.20–4.24), minimax value and guarantees (§4.3, Eqs. 4.12–4.15: :math:`\min_j (xA)_j = v = \max_i (Ay)_i`),
policy evaluation (Eq. 6.9), and the JAL-GT backup (Algorithm 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import Capabilities, Concept, MarginalStageAnswer
from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile, cce_gains, ce_gains, expected_payoffs, regrets
from jalverify.numbers import approximate_number, format_number, parse_number, readable_number
from jalverify.validation.runner import CallOutcome, CallResult
from jalverify.verdicts import Status, Verdict

__all__ = [
    "CHECK_IDS",
    "MalformedAnswer",
    "combine",
    "exact_array",
    "exact_number",
    "judge_call",
    "judge_evaluation_answer",
    "judge_minimax_answer",
    "judge_nash_answer",
    "judge_nash_profile",
    "judge_q_table",
    "judge_stage_answer",
    "malformed_verdict",
    "payoff_scale",
    "scaled_tolerance",
]

#: Every check id a validation can report, with the claim it stands for.
CHECK_IDS: dict[str, str] = {
    "validate.nash.soundness": "every returned profile is a Nash equilibrium (exact regret within tolerance)",
    "validate.nash.soundness.degenerate": "every returned profile of a degenerate game is a Nash equilibrium",
    "validate.nash.soundness.n_player": "every returned profile of an n-player game is a Nash equilibrium",
    "validate.nash.at_least_one": "at least one equilibrium is returned (Nash 1951: every finite game has one)",
    "validate.nash.completeness.nondegenerate": "every extreme equilibrium of a nondegenerate game is returned",
    "validate.nash.completeness.degenerate": "every extreme equilibrium of a degenerate game is returned",
    "validate.nash.robustness": "answers stay sound on games perturbed by tiny rational amounts",
    "validate.pure_nash.soundness": "every returned pure profile is a pure Nash equilibrium",
    "validate.pure_nash.completeness": "every pure Nash equilibrium is returned",
    "validate.minimax.value": "the returned value is the minimax value of the zero-sum game",
    "validate.minimax.row_strategy": "the row strategy guarantees the value against every column",
    "validate.minimax.column_strategy": "the column strategy holds the row player to the value",
    "validate.stage.distribution": "the stage solver returns a probability distribution over joint actions",
    "validate.stage.values": "the stage values are the expected payoffs of the returned distribution",
    "validate.stage.equilibrium": "the returned distribution satisfies the declared solution concept",
    "validate.evaluator.values": "V^pi and Q^pi equal the exact policy evaluation (book Eq. 6.9)",
    "validate.learner.backup_fixed_point": "the exact Q* is a fixed point of the learner's backup operator",
    "validate.learner.terminal_states": "the backup gives a terminal state value 0 whatever Q holds there (an "
                                        "episode ends at a terminal state: nothing is bootstrapped from it)",
    "validate.learner.convergence": "the gap to the exact Q* after the step budget, its trend, and whether Q* is a "
                                    "fixed point of the expected backup (refuted only through that fixed point)",
    "validate.policy_learner.equilibrium": "the stationary policy a policy learner learned through the PettingZoo "
                                           "environment meets its declared claim (exact NashConv, or the gap to "
                                           "the exact team optimum) within its tolerance",
    "validate.answer.malformed": "the answer has the documented shape and finite numbers",
    "validate.target.raised": "the target does not raise on a game within its declared domain",
    "validate.target.crashed": "the target's process does not die",
    "validate.target.timeout": "the target answers within the time limit",
}


class MalformedAnswer(ValueError):
    """The answer does not have the documented shape or contains unreadable numbers."""


def exact_number(value: Any, where: str) -> Fraction:
    """``value`` as an exact Fraction (floats converted exactly).  Raises :class:`MalformedAnswer`."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    try:
        return parse_number(value, allow_float=True, where=where)
    except InvalidNumber as exc:
        raise MalformedAnswer(str(exc)) from None


def exact_array(values: Any, shape: tuple[int, ...], where: str) -> np.ndarray:
    """``values`` as an object array of Fractions of the given shape.  Raises :class:`MalformedAnswer`."""
    try:
        raw = np.asarray(values, dtype=object)
    except (ValueError, TypeError) as exc:
        raise MalformedAnswer(f"{where}: not an array ({exc})") from None
    if raw.shape != tuple(shape):
        raise MalformedAnswer(f"{where}: expected shape {tuple(shape)}, got {raw.shape}")
    out = np.empty(raw.shape, dtype=object)
    flat_in, flat_out = raw.reshape(-1), out.reshape(-1)
    for k in range(flat_in.size):
        flat_out[k] = exact_number(flat_in[k], f"{where}[{k}]")
    return out


def payoff_scale(payoffs: np.ndarray) -> Fraction:
    """``max(1, max |payoff|)``: tolerances are relative to the size of the numbers in the game."""
    values = [abs(Fraction(v)) for v in np.asarray(payoffs, dtype=object).reshape(-1).tolist()]
    return max([Fraction(1)] + values)


def scaled_tolerance(caps: Capabilities, payoffs: np.ndarray) -> Fraction:
    """The target's tolerance (exactly, as a Fraction) times :func:`payoff_scale`; 0 for an exact target."""
    return Fraction(caps.effective_tolerance) * payoff_scale(payoffs)


def _s(x: Any) -> Any:
    """Serialise an exact number (or nested list of them) for a witness."""
    if isinstance(x, (list, tuple)):
        return [_s(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_s(v) for v in x.tolist()]
    if isinstance(x, Fraction):
        return format_number(x)
    return x


def _n(x: Any) -> str:
    """An exact number for a message (:func:`~jalverify.numbers.readable_number`: a long one also as a decimal)."""
    return readable_number(Fraction(x))


def _approx(x: Any) -> str:
    """A tolerance or bound for a message: three significant digits (it stands for a declared float)."""
    return approximate_number(Fraction(x), 3)


def _vector(values: Any) -> str:
    """An exact vector (or nested list) for a message: ``[1/2, 1/2]``, long entries also as decimals."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, (list, tuple)):
        return "[" + ", ".join(_vector(v) for v in values) + "]"
    return _n(values)


def _profile(game: Any, distributions: Any) -> str:
    """A mixed profile for a message, labelled: ``row (a0 2/3, a1 1/3), column (a0 0, a1 1)``."""
    return ", ".join(f"{game.players[i]} (" + ", ".join(f"{game.actions[i][a]} {_n(p)}" for a, p in enumerate(d))
                     + ")" for i, d in enumerate(distributions))


def _decide(theorem: str, violation: Fraction, tol: Fraction, caps: Capabilities, *, what: str,
            witness: dict[str, Any], exact_input: bool = True) -> Verdict:
    """Decide a non-negative violation size: refuted above ``tol``, proven when exactly 0 on an exact target and
    exact input, otherwise holds within tolerance (with the measured violation as the worst case)."""
    witness = dict(witness, violation=_s(violation), tolerance=_s(tol))
    if violation > tol:
        return Verdict(theorem, Status.REFUTED, f"{what}: violation {_n(violation)} exceeds the declared "
                       f"tolerance {_approx(tol)}", witness, caps.effective_tolerance)
    if violation == 0 and caps.exact and exact_input:
        return Verdict(theorem, Status.PROVEN, f"{what}: holds exactly", witness)
    return Verdict(theorem, Status.WITHIN_TOLERANCE, f"{what}: holds within the declared tolerance "
                   f"{_approx(tol)} (largest violation ≈{_approx(violation)}); not a proof", witness,
                   float(tol), float(violation))


def combine(theorem: str, verdicts: Sequence[Verdict]) -> Verdict:
    """One verdict for several, the weakest wins: the first refutation, else the first error, else the first
    sub-check not established; else within tolerance if any sub-check holds only within tolerance (with the
    largest tolerance and worst case); proven only if every sub-check is (vacuously when there is none)."""
    if not verdicts:  # e.g. soundness of an empty answer on a game with no pure equilibrium
        return Verdict(theorem, Status.PROVEN, "nothing was returned to check: the claim holds vacuously")
    for status in (Status.REFUTED, Status.ERROR, Status.NOT_ESTABLISHED):
        for v in verdicts:
            if v.status is status:
                return v
    if all(v.status is Status.PROVEN for v in verdicts):
        return Verdict(theorem, Status.PROVEN, f"all {len(verdicts)} sub-checks hold exactly")
    numeric = [v for v in verdicts if v.status is Status.WITHIN_TOLERANCE]
    tolerance = max(v.tolerance for v in numeric if v.tolerance is not None)
    worst = max((v.worst for v in numeric if v.worst is not None), default=None)
    return Verdict(theorem, Status.WITHIN_TOLERANCE, numeric[0].message if len(verdicts) == 1 else
                   f"{len(verdicts)} sub-checks hold, {len(numeric)} only within tolerance; first: "
                   f"{numeric[0].message}", tolerance=tolerance, worst=worst)


# --- call outcomes -----------------------------------------------------------------------------------------
def judge_call(result: CallResult, what: str) -> Verdict | None:
    """A REFUTED verdict for a call that raised, crashed or timed out (``None`` when it returned)."""
    if result.outcome is CallOutcome.OK:
        return None
    theorem = {CallOutcome.RAISED: "validate.target.raised", CallOutcome.CRASHED: "validate.target.crashed",
               CallOutcome.TIMEOUT: "validate.target.timeout"}[result.outcome]
    witness: dict[str, Any] = {"call": what, "outcome": result.outcome.value}
    if result.outcome is CallOutcome.RAISED:
        witness.update(error_type=result.error_type, error_message=result.error_message,
                       traceback=result.traceback[-2000:])
    elif result.outcome is CallOutcome.CRASHED:
        witness.update(exitcode=result.exitcode)
    else:
        witness.update(time_limit_seconds=result.seconds)
    return Verdict(theorem, Status.REFUTED, f"{what}: {result.describe()}", witness)


def malformed_verdict(exc: Exception) -> Verdict:
    """The refutation of an answer that does not have the documented shape (``exc`` says what is wrong)."""
    return Verdict("validate.answer.malformed", Status.REFUTED, str(exc), {"error": str(exc)})


def _malformed(exc: Exception, what: str) -> Verdict:
    return Verdict("validate.answer.malformed", Status.REFUTED, f"{what}: {exc}", {"error": str(exc)})


# --- Nash ----------------------------------------------------------------------------------------------------
def _exact_distribution(values: Any, length: int, tol: Fraction, where: str) -> tuple[list[Fraction], Fraction, list[Fraction]]:
    """Read a probability vector exactly; return (normalised distribution, violation of being a distribution,
    the raw exact vector).  Entries below 0 within tolerance are clipped; the vector is divided by its sum."""
    raw = exact_array(values, (length,), where).tolist()
    negative = max([Fraction(0)] + [-p for p in raw])
    total = sum(raw, Fraction(0))
    violation = max(negative, abs(total - 1))
    clipped = [p if p > 0 else Fraction(0) for p in raw]
    s = sum(clipped, Fraction(0))
    if s <= 0:
        raise MalformedAnswer(f"{where}: no positive probability in {_vector(raw)}")
    return [p / s for p in clipped], violation, raw


def _profile_vectors(raw: Any) -> list[Any]:
    if isinstance(raw, MixedProfile):
        return [d.tolist() for d in raw.distributions]
    if isinstance(raw, np.ndarray) and raw.dtype != object and raw.ndim == 2:
        return list(raw)
    return list(raw)


def judge_nash_profile(game: NormalFormGame, raw: Any, caps: Capabilities, theorem: str,
                       index: int = 0) -> tuple[Verdict, MixedProfile | None]:
    """Judge one returned profile: a distribution per player, and exact max regret within tolerance.

    Returns the verdict and the exact (normalised) profile used for the regret, or ``None`` if malformed.
    """
    tol = scaled_tolerance(caps, game.payoffs)
    what = f"returned profile #{index}"
    try:
        vectors = _profile_vectors(raw)
        if len(vectors) != game.n_players:
            raise MalformedAnswer(f"{what}: {len(vectors)} distributions for {game.n_players} players")
        dists, dist_violations, raws = [], [], []
        exact_input = True
        for i, v in enumerate(vectors):
            exact_input = exact_input and not _has_float(v)
            d, viol, r = _exact_distribution(v, game.n_actions[i], tol, f"{what} player {i}")
            dists.append(d)
            dist_violations.append(viol)
            raws.append(r)
    except MalformedAnswer as exc:
        return _malformed(exc, what), None
    worst_dist = max(dist_violations)
    exact_game = game if game.field.exact else game.to_field("exact", allow_float=True)
    if worst_dist > tol:
        i = dist_violations.index(worst_dist)
        return Verdict(theorem, Status.REFUTED,
                       f"{what}: player {i}'s vector {_vector(raws[i])} is not a probability distribution (off by "
                       f"{_n(worst_dist)}, tolerance {_approx(tol)})",
                       {"profile": _s(raws), "player": i, "violation": _s(worst_dist), "tolerance": _s(tol)},
                       caps.effective_tolerance), None
    profile = MixedProfile(exact_game, dists)
    regs = regrets(exact_game, profile)
    best = max(((r, i, a) for i, row in enumerate(regs) for a, r in enumerate(row.tolist())), key=lambda t: t[0])
    regret, player, action = best
    regret = max(regret, Fraction(0))
    witness = {"profile": _s(raws), "normalised_profile": _s(dists), "player": player, "deviation": action,
               "gain": _s(regret), "distribution_violation": _s(worst_dist)}
    violation = max(regret, worst_dist)
    verdict = _decide(theorem, violation, tol, caps, witness=witness, exact_input=exact_input,
                      what=f"{what}: player {player} gains {_n(regret)} by deviating to action {action}"
                      if regret > tol else f"{what} is an equilibrium")
    return verdict, profile


def _has_float(values: Any) -> bool:
    arr = np.asarray(values, dtype=object).reshape(-1)
    return any(isinstance(v, (float, np.floating)) for v in arr.tolist())


def _distance(p: MixedProfile, q: MixedProfile) -> Fraction:
    return max(abs(Fraction(a) - Fraction(b)) for dp, dq in zip(p.distributions, q.distributions)
               for a, b in zip(dp.tolist(), dq.tolist()))


def judge_nash_answer(game: NormalFormGame, answer: Any, caps: Capabilities, *, soundness_id: str,
                      reference: Sequence[MixedProfile] | None = None, completeness_id: str | None = None,
                      at_least_one: bool = True) -> list[Verdict]:
    """Judge a Nash solver's answer: soundness of every profile, at least one profile, and (when a reference
    list of all extreme equilibria is given) completeness up to the target's tolerance."""
    what = "solve(game)"
    try:
        profiles_raw = list(answer) if not isinstance(answer, MixedProfile) else [answer]
    except TypeError as exc:
        return [_malformed(MalformedAnswer(f"{what} returned a {type(answer).__name__}, expected a sequence of "
                                           f"profiles ({exc})"), what)]
    verdicts: list[Verdict] = []
    found: list[MixedProfile] = []
    for k, raw in enumerate(profiles_raw):
        verdict, profile = judge_nash_profile(game, raw, caps, soundness_id, k)
        verdicts.append(verdict)
        if profile is not None:
            found.append(profile)
    if at_least_one:
        if not profiles_raw:
            verdicts.append(Verdict("validate.nash.at_least_one", Status.REFUTED,
                                    f"{what} returned no equilibrium, but every finite game has one (Nash 1951)",
                                    {"returned": []}))
        else:
            verdicts.append(Verdict("validate.nash.at_least_one", Status.PROVEN,
                                    f"{what} returned {len(profiles_raw)} profile(s)"))
    if reference is not None and completeness_id is not None:
        tol = scaled_tolerance(caps, game.payoffs) if not caps.exact else Fraction(0)
        missing = []
        for eq in reference:
            if not any(_distance(eq, f) <= tol for f in found):
                missing.append(eq)
        if missing:
            eq = missing[0]
            verdicts.append(Verdict(
                completeness_id, Status.REFUTED,
                f"{what} missed {len(missing)} of {len(reference)} extreme equilibria, e.g. "
                f"{_profile(game, eq.distributions)} (matching tolerance {_approx(tol)})",
                {"missing": [_s([d.tolist() for d in e.distributions]) for e in missing],
                 "returned": [_s([d.tolist() for d in f.distributions]) for f in found],
                 "reference_count": len(reference), "tolerance": _s(tol)},
                caps.effective_tolerance))
        else:
            exact_match = caps.exact and all(any(_distance(eq, f) == 0 for f in found) for eq in reference)
            verdicts.append(Verdict(
                completeness_id, Status.PROVEN if exact_match else Status.WITHIN_TOLERANCE,
                f"all {len(reference)} extreme equilibria returned" + ("" if exact_match else " within tolerance"),
                tolerance=None if exact_match else caps.effective_tolerance))
    return verdicts


def pure_equilibria(game: NormalFormGame) -> list[MixedProfile]:
    """Every pure Nash equilibrium, by the exact regret of each pure profile (the definition itself)."""
    from jalverify.games.profiles import max_regret

    out = []
    for joint in game.joint_actions():
        profile = MixedProfile.pure(game, joint)
        if max_regret(game, profile) <= 0:
            out.append(profile)
    return out


# --- minimax -------------------------------------------------------------------------------------------------
def judge_minimax_answer(game: NormalFormGame, answer: Any, caps: Capabilities, value: Fraction) -> list[Verdict]:
    """Judge ``(value, row_strategy, column_strategy)`` of a zero-sum game against the exact value ``value``.

    The row strategy ``x`` must guarantee ``min_j (xA)_j ≥ v`` and the column strategy ``y`` must hold
    ``max_i (Ay)_i ≤ v`` (book Eqs. 4.12–4.15), each within the scaled tolerance.
    """
    what = "solve(game)"
    tol = scaled_tolerance(caps, game.payoffs)
    A = np.asarray(game.payoffs[0], dtype=object)
    if not game.field.exact:
        A = np.vectorize(lambda v: Fraction(float(v)), otypes=[object])(A)
    m, n = A.shape
    try:
        if hasattr(answer, "value") and hasattr(answer, "row_strategy"):
            raw_value, raw_x, raw_y = answer.value, answer.row_strategy, answer.column_strategy
        else:
            raw_value, raw_x, raw_y = tuple(answer)
        v = exact_number(raw_value, f"{what} value")
        x, xv, x_raw = _exact_distribution(raw_x, m, tol, f"{what} row strategy")
        y, yv, y_raw = _exact_distribution(raw_y, n, tol, f"{what} column strategy")
    except (MalformedAnswer, ValueError, TypeError) as exc:
        return [_malformed(exc if isinstance(exc, MalformedAnswer) else MalformedAnswer(str(exc)), what)]
    exact_input = not (_has_float([raw_value]) or _has_float(raw_x) or _has_float(raw_y))
    out = []
    gap = abs(v - value)
    out.append(_decide("validate.minimax.value", gap, tol, caps, exact_input=exact_input,
                       what=f"returned value {_n(v)} vs exact minimax value {_n(value)}",
                       witness={"returned_value": _s(v), "minimax_value": _s(value)}))
    columns = [sum((x[i] * A[i, j] for i in range(m)), Fraction(0)) for j in range(n)]
    j = min(range(n), key=lambda c: columns[c])
    shortfall = max(Fraction(0), value - columns[j], xv)
    out.append(_decide("validate.minimax.row_strategy", shortfall, tol, caps, exact_input=exact_input,
                       what=f"row strategy earns {_n(columns[j])} against column {j}, the value is {_n(value)}",
                       witness={"row_strategy": _s(x_raw), "column": j, "payoff": _s(columns[j]),
                                "minimax_value": _s(value)}))
    rows = [sum((A[i, c] * y[c] for c in range(n)), Fraction(0)) for i in range(m)]
    i = max(range(m), key=lambda r: rows[r])
    excess = max(Fraction(0), rows[i] - value, yv)
    out.append(_decide("validate.minimax.column_strategy", excess, tol, caps, exact_input=exact_input,
                       what=f"row {i} earns {_n(rows[i])} against the column strategy, the value is {_n(value)}",
                       witness={"column_strategy": _s(y_raw), "row": i, "payoff": _s(rows[i]),
                                "minimax_value": _s(value)}))
    return out


# --- stage solvers -------------------------------------------------------------------------------------------
def judge_marginal_stage_answer(game: NormalFormGame, answer: MarginalStageAnswer,
                                caps: Capabilities) -> list[Verdict]:
    """Judge a stage solver that returns only per-player marginals and values (OpenSpiel's
    ``CorrelatedEqSolver``): each marginal must be a distribution, and *some* distribution of the declared
    concept (CE / CCE) must have these marginals and values (:func:`~jalverify.validation.reference.
    marginal_concept_gap`, an exact LP whose optimum ``t*`` is already in payoff-scaled tolerance units)."""
    from jalverify.validation.reference import marginal_concept_gap

    what = "solve(payoffs)"
    tol = Fraction(caps.effective_tolerance)
    try:
        marginals = [exact_array(answer.marginals[i], (game.n_actions[i],), f"{what} marginal of player {i}")
                     for i in range(game.n_players)]
        values = exact_array(answer.values, (game.n_players,), f"{what} values").tolist()
    except (MalformedAnswer, ValueError, TypeError, IndexError) as exc:
        return [_malformed(exc if isinstance(exc, MalformedAnswer) else MalformedAnswer(str(exc)), what)]
    exact_input = not (_has_float(answer.marginals) or _has_float(answer.values))
    violations = [max([Fraction(0)] + [-p for p in m.tolist()] + [abs(sum(m.tolist(), Fraction(0)) - 1)])
                  for m in marginals]
    player = max(range(len(violations)), key=lambda i: violations[i])
    out = [_decide("validate.stage.distribution", violations[player], tol, caps, exact_input=exact_input,
                   what=f"player {player}'s marginal {_vector(marginals[player])} is a distribution",
                   witness={"marginals": _s([m.tolist() for m in marginals])})]
    if violations[player] > tol or caps.concept not in (Concept.CORRELATED, Concept.COARSE_CORRELATED):
        return out
    concept = "ce" if caps.concept is Concept.CORRELATED else "cce"
    distance, closest = marginal_concept_gap(game, marginals, values, concept)
    out.append(_decide("validate.stage.equilibrium", distance, tol, caps, exact_input=exact_input,
                       what=f"the nearest {concept.upper()} to the returned marginals and values is at scaled "
                            f"distance {_n(distance)}",
                       witness={"marginals": _s([m.tolist() for m in marginals]), "values": _s(values),
                                "distance": _s(distance), "closest_distribution": _s(closest)}))
    return out


def judge_stage_answer(game: NormalFormGame, answer: Any, caps: Capabilities,
                       minimax_value: Fraction | None = None) -> list[Verdict]:
    """Judge ``(distribution, values)`` of a stage solver: a distribution over joint actions, values equal to
    the expected payoffs, and the declared concept (Nash: product of its marginals with regret within
    tolerance; CE / CCE: gains within tolerance; minimax: the value and optimal marginals)."""
    what = "solve(payoffs)"
    tol = scaled_tolerance(caps, game.payoffs)
    exact_game = game if game.field.exact else game.to_field("exact", allow_float=True)
    k = game.n_actions
    if isinstance(answer, MarginalStageAnswer):
        return judge_marginal_stage_answer(exact_game, answer, caps)
    try:
        if hasattr(answer, "distribution") and hasattr(answer, "values"):
            raw_dist, raw_values = answer.distribution, answer.values
        else:
            raw_dist, raw_values = tuple(answer)
        x_raw = exact_array(raw_dist, k, f"{what} distribution")
        values = exact_array(raw_values, (game.n_players,), f"{what} values").tolist()
    except (MalformedAnswer, ValueError, TypeError) as exc:
        return [_malformed(exc if isinstance(exc, MalformedAnswer) else MalformedAnswer(str(exc)), what)]
    exact_input = not (_has_float(raw_dist) or _has_float(raw_values))
    flat = x_raw.reshape(-1).tolist()
    negative = max([Fraction(0)] + [-p for p in flat])
    total = sum(flat, Fraction(0))
    dist_violation = max(negative, abs(total - 1))
    out = [_decide("validate.stage.distribution", dist_violation, tol, caps, exact_input=exact_input,
                   what=f"distribution sums to {_n(total)} with smallest entry {_n(min(flat))}",
                   witness={"distribution": _s(x_raw)})]
    if dist_violation > tol:
        return out
    clipped = np.vectorize(lambda p: p if p > 0 else Fraction(0), otypes=[object])(x_raw)
    x = clipped / sum(clipped.reshape(-1).tolist(), Fraction(0))
    correlated = CorrelatedProfile(exact_game, x)
    expected = expected_payoffs(exact_game, correlated).tolist()
    gaps = [abs(Fraction(a) - Fraction(b)) for a, b in zip(values, expected)]
    worst = max(range(len(gaps)), key=lambda i: gaps[i])
    out.append(_decide("validate.stage.values", gaps[worst], tol, caps, exact_input=exact_input,
                       what=f"player {worst}'s value {_n(values[worst])} vs expected payoff {_n(expected[worst])} of the "
                            "returned distribution",
                       witness={"values": _s(values), "expected_payoffs": _s(expected), "player": worst}))
    concept = caps.concept
    if concept in (Concept.CORRELATED, Concept.COARSE_CORRELATED):
        gains = ce_gains(exact_game, correlated) if concept is Concept.CORRELATED else cce_gains(exact_game, correlated)
        best = max(((g, i, idx) for i, G in enumerate(gains)
                    for idx, g in np.ndenumerate(G)), key=lambda t: t[0])
        gain, player, idx = best
        out.append(_decide("validate.stage.equilibrium", max(gain, Fraction(0)), tol, caps, exact_input=exact_input,
                           what=f"player {player} gains {_n(gain)} with {concept.value.upper()} deviation "
                                f"{tuple(int(v) for v in idx)}",
                           witness={"distribution": _s(x_raw), "player": player, "deviation": [int(v) for v in idx],
                                    "gain": _s(gain)}))
    elif concept in (Concept.NASH, Concept.PURE_NASH, Concept.MINIMAX):
        marginals = correlated.marginals()
        product = marginals[0]
        for d in marginals[1:]:
            product = np.multiply.outer(product, d)
        non_product = max(abs(Fraction(a) - Fraction(b)) for a, b in zip(product.reshape(-1).tolist(), x.reshape(-1).tolist()))
        out.append(_decide("validate.stage.equilibrium", non_product, tol, caps, exact_input=exact_input,
                           what="the distribution is the product of its marginals",
                           witness={"distribution": _s(x_raw), "product_of_marginals": _s(product)}))
        profile = MixedProfile(exact_game, [list(m) for m in marginals])
        if concept is Concept.MINIMAX and minimax_value is not None and game.n_players == 2:
            answer3 = (values[0], list(marginals[0]), list(marginals[1]))
            out.extend(judge_minimax_answer(exact_game, answer3, caps, minimax_value))
        else:
            regs = regrets(exact_game, profile)
            regret, player, action = max(((r, i, a) for i, row in enumerate(regs) for a, r in enumerate(row.tolist())),
                                         key=lambda t: t[0])
            out.append(_decide("validate.stage.equilibrium", max(regret, Fraction(0)), tol, caps,
                               exact_input=exact_input,
                               what=f"player {player} gains {_n(regret)} by deviating to action {action} from the "
                                    "marginals",
                               witness={"marginals": _s([list(m) for m in marginals]), "player": player,
                                        "deviation": action, "gain": _s(regret)}))
    return out


# --- stochastic games ----------------------------------------------------------------------------------------
def judge_q_table(theorem: str, game: Any, got: Any, expected: Sequence[np.ndarray], caps: Capabilities,
                  what: str, reference_error: Fraction = Fraction(0)) -> Verdict:
    """Compare a per-state Q table ``got[s]`` (shape ``(n, *k_s)``) with the reference ``expected[s]``.

    ``reference_error`` is a proven bound on how far the answer may sit from ``expected`` even when the target
    is right (a float reference of ``Q*`` with a proven error bound, pushed through the check): a gap beyond
    ``tolerance + reference_error`` refutes (the witness is exact: both tables and the bound are rationals); a
    smaller one holds within that tolerance and is never proven when ``reference_error > 0``.
    """
    scale = max([Fraction(1)] + [abs(Fraction(v)) for q in expected for v in np.asarray(q, dtype=object).reshape(-1).tolist()])
    tol = Fraction(caps.effective_tolerance) * scale + reference_error
    try:
        if len(got) != game.n_states:
            raise MalformedAnswer(f"{what}: Q for {len(got)} states, the game has {game.n_states}")
        worst: tuple[Fraction, int, tuple[int, ...], Any, Any] = (Fraction(-1), 0, (), None, None)
        exact_input = True
        for s in range(game.n_states):
            shape = (game.n_players,) + tuple(game.n_actions(s))
            exact_input = exact_input and not _has_float(got[s])
            q = exact_array(got[s], shape, f"{what} state {s}")
            for idx, val in np.ndenumerate(q):
                gap = abs(val - Fraction(expected[s][idx]))
                if gap > worst[0]:
                    worst = (gap, s, tuple(int(v) for v in idx), val, expected[s][idx])
    except MalformedAnswer as exc:
        return _malformed(exc, what)
    gap, s, idx, val, exp = worst
    bounded = reference_error > 0
    return _decide(theorem, max(gap, Fraction(0)), tol, caps, exact_input=exact_input and not bounded,
                   what=f"{what}: state {s}, (player, joint action) {idx}: {_n(val)} vs "
                        + (f"reference {_n(exp)} (within {_approx(reference_error)} of Q*)" if bounded
                           else f"exact {_n(exp)}"),
                   witness={"state": s, "index": list(idx), "returned": _s(val), "reference": _s(Fraction(exp)),
                            "reference_error_bound": _s(reference_error)})


def judge_evaluation_answer(game: Any, answer: Any, caps: Capabilities, V: np.ndarray,
                            Q: Sequence[np.ndarray]) -> list[Verdict]:
    """Judge ``(V, Q)`` from a policy evaluator against the exact ``V`` (shape ``(n, S)``) and ``Q``."""
    what = "evaluate(game, policy)"
    try:
        if hasattr(answer, "V") and hasattr(answer, "Q"):
            raw_V, raw_Q = answer.V, answer.Q
        else:
            raw_V, raw_Q = tuple(answer)
        got_V = exact_array(raw_V, (game.n_players, game.n_states), f"{what} V")
    except (MalformedAnswer, ValueError, TypeError) as exc:
        return [_malformed(exc if isinstance(exc, MalformedAnswer) else MalformedAnswer(str(exc)), what)]
    scale = max([Fraction(1)] + [abs(Fraction(v)) for v in np.asarray(V, dtype=object).reshape(-1).tolist()])
    tol = Fraction(caps.effective_tolerance) * scale
    gaps = [(abs(got_V[i, s] - Fraction(V[i][s])), i, s) for i in range(game.n_players) for s in range(game.n_states)]
    gap, i, s = max(gaps, key=lambda t: t[0])
    out = [_decide("validate.evaluator.values", gap, tol, caps, exact_input=not _has_float(raw_V),
                   what=f"V of player {i} at state {s}: {_n(got_V[i, s])} vs exact {_n(V[i][s])}",
                   witness={"player": i, "state": s, "returned": _s(got_V[i, s]), "exact": _s(Fraction(V[i][s]))})]
    out.append(judge_q_table("validate.evaluator.values", game, raw_Q, Q, caps, f"{what} Q"))
    return out
