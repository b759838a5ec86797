"""The validation suites: which checks apply to a target, and the Hypothesis search that runs each one.

For every check that the target's :class:`~jalverify.adapters.protocols.Capabilities` make applicable,
Hypothesis draws games (shape first, small integers: failures shrink to 1×1, 2×2 games with small payoffs),
the target answers in its child process (:class:`~jalverify.validation.runner.IsolatedTarget`), and
:mod:`jalverify.validation.checks` judges the answer exactly.  The first refutation is shrunk to a minimal game
and becomes a :class:`~jalverify.validation.findings.Finding`.

Calls are memoised per game, so the search stays deterministic even for a target that answers differently on
repeated calls, and after a few crashes or time-outs in one check no new game is sent (each would cost a
worker restart or a full time limit); the smallest failing game found so far is the finding.
"""

from __future__ import annotations

import pickle
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import Capabilities, Concept, TargetKind
from jalverify.errors import BudgetExceeded, GameTooLarge, InternalError, JalverifyError, UnsupportedGame
from jalverify.executors import Executor, SerialExecutor
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.numbers import EXACT
from jalverify.validation.check_spec import Check, stochastic_domain
from jalverify.validation.checks import (
    combine,
    judge_call,
    judge_evaluation_answer,
    judge_minimax_answer,
    judge_nash_answer,
    judge_stage_answer,
    pure_equilibria,
)
from jalverify.validation.findings import CheckOutcome, Finding, ValidationResult
from jalverify.validation.learner_checks import learner_checks
from jalverify.validation.runner import IsolatedTarget
from jalverify.verdicts import Status, Verdict

__all__ = ["MAX_FINDINGS", "PROFILE_CHECK_TIME_LIMIT", "PROFILE_EXAMPLES", "Check", "CheckSearch", "Refutation",
           "checks_for", "run_check", "validate", "violation_class"]

#: Examples per check for each profile (each example is one call into the target).
PROFILE_EXAMPLES: dict[str, int] = {"quick": 25, "thorough": 300}

#: After this many crashes (worker restarts, ~0.5 s each) in one check, no new game is sent to the target.
CRASH_BUDGET = 12


# --- strategies ------------------------------------------------------------------------------------------
def _perturbed(base: Any) -> Any:
    """Games of ``base`` with every payoff moved by ``d / (3·10⁹)``, ``d ∈ {-2..2}`` (exact rationals; a float
    target sees them rounded).  Shrinks toward no perturbation."""
    from hypothesis import strategies as st

    @st.composite
    def games(draw: Any) -> NormalFormGame:
        game = draw(base)
        size = game.payoffs.size
        deltas = draw(st.lists(st.integers(-2, 2), min_size=size, max_size=size))
        shift = np.array([Fraction(d, 3 * 10**9) for d in deltas], dtype=object).reshape(game.payoffs.shape)
        return NormalFormGame(np.asarray(game.payoffs, dtype=object) + shift, field=EXACT,
                              name="perturbed generated game")

    return games()


def _tuples(strategy: Any) -> Any:
    return strategy.map(lambda g: (g,))


def _nondegenerate(game: NormalFormGame) -> bool:
    from jalverify.strategies import is_nondegenerate_bimatrix

    return is_nondegenerate_bimatrix(game)


# --- per-kind judges -------------------------------------------------------------------------------------
def _nash_run(target: IsolatedTarget, caps: Capabilities, check_id: str, *, completeness: bool,
              at_least_one: bool) -> Callable[..., Verdict]:
    pure = caps.concept is Concept.PURE_NASH

    def run(game: NormalFormGame) -> Verdict:
        result = target.call("solve", game)
        failure = judge_call(result, "solve(game)")
        if failure is not None:
            return failure
        reference = None
        completeness_id = None
        if completeness:
            reference = pure_equilibria(game) if pure else _reference_equilibria(game)
            completeness_id = check_id
        verdicts = judge_nash_answer(game, result.value, caps, soundness_id=check_id if not completeness else
                                     ("validate.pure_nash.soundness" if pure else "validate.nash.soundness"),
                                     reference=reference, completeness_id=completeness_id,
                                     at_least_one=at_least_one and not pure)
        return combine(check_id, verdicts)

    return run


def _reference_equilibria(game: NormalFormGame) -> list[Any]:
    from jalverify.validation.reference import all_extreme_equilibria

    return all_extreme_equilibria(game)


def _minimax_run(target: IsolatedTarget, caps: Capabilities) -> Callable[..., Verdict]:
    def run(game: NormalFormGame) -> Verdict:
        from jalverify.validation.reference import minimax_value_of

        result = target.call("solve", game)
        failure = judge_call(result, "solve(game)")
        if failure is not None:
            return failure
        return combine("validate.minimax", judge_minimax_answer(game, result.value, caps, minimax_value_of(game)))

    return run


def _stage_payoffs(game: NormalFormGame, caps: Capabilities) -> np.ndarray:
    if caps.exact:
        return np.array(game.payoffs, dtype=object)
    return np.array([[float(v) for v in row] for row in np.asarray(game.payoffs, dtype=object).reshape(game.n_players, -1)],
                    dtype=np.float64).reshape(game.payoffs.shape)


def _stage_run(target: IsolatedTarget, caps: Capabilities) -> Callable[..., Verdict]:
    def run(game: NormalFormGame) -> Verdict:
        result = target.call("solve", _stage_payoffs(game, caps))
        failure = judge_call(result, "solve(payoffs)")
        if failure is not None:
            return failure
        value = None
        if caps.concept is Concept.MINIMAX:
            from jalverify.validation.reference import minimax_value_of

            value = minimax_value_of(game)
        return combine("validate.stage", judge_stage_answer(game, result.value, caps, value))

    return run


def _evaluator_run(target: IsolatedTarget, caps: Capabilities) -> Callable[..., Verdict]:
    def run(game: Any, policy: Any) -> Verdict:
        from jalverify.validation.reference import exact_policy_values

        result = target.call("evaluate", game, policy)
        failure = judge_call(result, "evaluate(game, policy)")
        if failure is not None:
            return failure
        V, Q = exact_policy_values(game, policy)
        return combine("validate.evaluator.values", judge_evaluation_answer(game, result.value, caps, V, Q))

    return run


# --- selecting checks ------------------------------------------------------------------------------------
def _in_domain(caps: Capabilities, *, zero_sum: bool = False, nondegenerate: bool = False,
               players: int | None = None) -> Callable[[NormalFormGame], bool]:
    """The games a check may send: the target's declared domain, plus the check's own conditions."""

    def accepts(game: NormalFormGame) -> bool:
        if players is not None and game.n_players != players:
            return False
        is_zero_sum = game.n_players == 2 and game.is_zero_sum()
        if not caps.accepts(game.n_players, game.n_actions, is_zero_sum):
            return False
        if zero_sum and not is_zero_sum:
            return False
        return not (nondegenerate and not _nondegenerate(game))

    return accepts


def _action_range(caps: Capabilities, default_max: int) -> tuple[int, int]:
    lo = caps.min_actions
    hi = caps.max_actions if caps.max_actions is not None else max(default_max, lo)
    return lo, hi


def _two_player(factory: Callable[..., Any], caps: Capabilities) -> Any:
    """Games from ``factory(actions=...)`` within the declared action limits (square when declared)."""
    from hypothesis import strategies as st

    lo, hi = _action_range(caps, 3)
    if caps.square_only:
        return st.integers(lo, hi).flatmap(lambda k: factory(actions=k))
    return factory(actions=st.integers(lo, hi))


def _three_player(caps: Capabilities) -> Any:
    """Three-player games within the declared action limits (2 actions each unless the target declares more)."""
    from hypothesis import strategies as st

    from jalverify.strategies import normal_form_games

    lo, hi = _action_range(caps, 2)
    if caps.square_only:
        return st.integers(lo, hi).flatmap(lambda k: normal_form_games(players=3, actions=k))
    return normal_form_games(players=3, actions=st.integers(lo, hi))


def checks_for(target: IsolatedTarget, *, capabilities: Capabilities | None = None, learner_steps: int = 2000,
               learner_epsilon: float = 0.05) -> list[Check]:
    """The checks that apply to a target, given its capabilities.

    ``capabilities`` defaults to what the target declares; :func:`validate` passes them narrowed by the user's
    limits (:meth:`~jalverify.adapters.protocols.Capabilities.restricted`).  Every normal-form check draws only
    games inside that domain, and tries the corpus games inside it first.
    """
    from hypothesis import strategies as st

    from jalverify.strategies import (
        bimatrix_games,
        degenerate_games,
        nondegenerate_games,
        stationary_policies,
        stochastic_games,
        zero_sum_games,
    )
    from jalverify.validation.corpus import corpus_for

    caps = capabilities if capabilities is not None else target.capabilities
    checks: list[Check] = []

    def add(check_id: str, description: str, games: Any, run: Callable[..., Verdict],
            domain: Callable[[NormalFormGame], bool], players: int | str = 2, corpus: bool = True) -> None:
        checks.append(Check(check_id, description, _tuples(games.filter(domain)), run, domain=domain,
                            corpus=corpus_for(domain, players=players) if corpus else ()))

    two_player = caps.players in (2, "n")
    three_player = caps.players in (3, "n") and not caps.zero_sum_only
    if caps.kind is TargetKind.SOLVER and caps.concept is Concept.MINIMAX:
        add("validate.minimax", "value and both strategies optimal (exact LP value)", _two_player(zero_sum_games, caps),
            _minimax_run(target, caps), _in_domain(caps, zero_sum=True, players=2))
    elif caps.kind is TargetKind.SOLVER:
        pure = caps.concept is Concept.PURE_NASH
        prefix = "validate.pure_nash" if pure else "validate.nash"
        zs = caps.zero_sum_only
        nondegenerate = _in_domain(caps, zero_sum=zs, nondegenerate=True, players=2)
        anything = _in_domain(caps, zero_sum=zs, players=2)
        if two_player:
            base_nd = _two_player(zero_sum_games, caps) if zs else _two_player(nondegenerate_games, caps)
            base_deg = _two_player(zero_sum_games, caps) if zs else _two_player(degenerate_games, caps)
            add(f"{prefix}.soundness", "returned profiles are equilibria (nondegenerate games)", base_nd,
                _nash_run(target, caps, f"{prefix}.soundness", completeness=False, at_least_one=True), nondegenerate)
            if caps.degenerate_supported:
                add(f"{prefix}.soundness.degenerate", "returned profiles are equilibria (degenerate games)", base_deg,
                    _nash_run(target, caps, f"{prefix}.soundness.degenerate", completeness=False, at_least_one=True),
                    anything)
            if caps.finds_all:
                if pure:
                    add("validate.pure_nash.completeness", "every pure equilibrium is returned",
                        _two_player(zero_sum_games if zs else bimatrix_games, caps),
                        _nash_run(target, caps, "validate.pure_nash.completeness", completeness=True,
                                  at_least_one=False), anything)
                else:
                    add("validate.nash.completeness.nondegenerate",
                        "every extreme equilibrium is returned (nondegenerate games)", base_nd,
                        _nash_run(target, caps, "validate.nash.completeness.nondegenerate", completeness=True,
                                  at_least_one=True), nondegenerate)
                    if caps.degenerate_supported:
                        add("validate.nash.completeness.degenerate",
                            "every extreme equilibrium is returned (degenerate games)", base_deg,
                            _nash_run(target, caps, "validate.nash.completeness.degenerate", completeness=True,
                                      at_least_one=True), anything)
            if not pure:
                perturbed = _perturbed(_two_player(zero_sum_games if zs else bimatrix_games, caps))
                add("validate.nash.robustness", "sound answers on games perturbed by ~1e-9", perturbed,
                    _nash_run(target, caps, "validate.nash.robustness", completeness=False, at_least_one=True),
                    anything if caps.degenerate_supported else nondegenerate, corpus=False)
        if three_player:
            domain3 = _in_domain(caps, players=3)
            if pure and caps.finds_all:
                add("validate.pure_nash.completeness.n_player", "every pure equilibrium (3 players)",
                    _three_player(caps), _nash_run(target, caps, "validate.pure_nash.completeness", completeness=True,
                                                   at_least_one=False), domain3, players=3)
            else:
                add(f"{prefix}.soundness.n_player", "returned profiles are equilibria (3 players)", _three_player(caps),
                    _nash_run(target, caps, f"{prefix}.soundness.n_player", completeness=False,
                              at_least_one=not pure), domain3, players=3)
    elif caps.kind is TargetKind.STAGE_SOLVER:
        zero_sum = caps.zero_sum_only or caps.concept is Concept.MINIMAX
        if zero_sum:
            games = _two_player(zero_sum_games, caps)
        elif not caps.degenerate_supported:
            games = _two_player(nondegenerate_games, caps)
        else:
            games = _two_player(bimatrix_games, caps)
        domain = _in_domain(caps, zero_sum=zero_sum, nondegenerate=not caps.degenerate_supported and not zero_sum)
        players: int | str = 2
        if three_player and not zero_sum:
            games = st.one_of(games, _three_player(caps)) if two_player else _three_player(caps)
            players = "n" if two_player else 3
        elif not two_player:
            return checks  # a stage solver for 3+ players only that is also zero-sum only: no game fits
        add("validate.stage", "distribution, values consistent with it, declared concept", games,
            _stage_run(target, caps), domain, players=players)
    elif caps.kind is TargetKind.EVALUATOR:
        players_st = st.integers(1, 3) if caps.players == "n" else st.just(caps.players)

        @st.composite
        def cases(draw: Any) -> tuple[Any, Any]:
            game = draw(stochastic_games(players=players_st))
            return game, draw(stationary_policies(game))

        checks.append(Check("validate.evaluator.values", "V^pi, Q^pi equal the exact evaluation", cases(),
                            _evaluator_run(target, caps), stochastic_domain=stochastic_domain(caps)))
    elif caps.kind is TargetKind.LEARNER:
        checks.extend(learner_checks(target, caps, learner_steps=learner_steps, learner_epsilon=learner_epsilon))
    elif caps.kind is TargetKind.POLICY_LEARNER:
        from jalverify.validation.policy_learner_checks import policy_learner_checks

        checks.extend(policy_learner_checks(target, caps, learner_steps=learner_steps))
    return checks


# --- running ---------------------------------------------------------------------------------------------
#: Distinct violations one check reports before its search stops (each is shrunk and becomes a finding).
MAX_FINDINGS = 5

#: Default wall-clock budget of one check (generation, and separately shrinking) per profile, in seconds.
PROFILE_CHECK_TIME_LIMIT: dict[str, float] = {"quick": 120.0, "thorough": 900.0}

#: Learning steps of a learner's convergence check and a policy learner's training (``validate(learner_steps=)``).
DEFAULT_LEARNER_STEPS = 2000

#: Calls the game shrinker may make per finding (crashes and time-outs cost far more per call: fewer).
SHRINK_CALLS = 150
SHRINK_CALLS_COSTLY = 12


@dataclass(frozen=True)
class Refutation:
    """One distinct violation found by a check: the verdict at its minimal case, and where it came from."""

    verdict: Verdict
    case: tuple[Any, ...]
    source: str
    #: Found on a corpus game: later rounds may still replace it with a smaller witness of the same violation.
    provisional: bool = False


@dataclass(frozen=True)
class CheckSearch:
    """What running one check found: the outcome over every case, and every distinct violation."""

    outcome: CheckOutcome
    refutations: tuple[Refutation, ...]


def violation_class(verdict: Verdict) -> str:
    """What makes two refutations the same violation: the claim broken (and, for a target that raised, the
    exception type), so a crash on 1-action games and a wrong CE on 2×2 games are two findings."""
    if verdict.theorem == "validate.target.raised":
        return f"{verdict.theorem}:{verdict.witness.get('error_type', '')}"
    return verdict.theorem


def case_size(case: tuple[Any, ...]) -> tuple[int, ...]:
    """How big a case is, for choosing the smaller of two witnesses: players, states, joint actions, then the
    total size of the numbers (a normal-form game has one state)."""
    game = case[0] if case else None
    if isinstance(game, NormalFormGame):
        cells = int(np.prod(game.n_actions))
        magnitude = sum(abs(Fraction(v)) for v in np.asarray(game.payoffs, dtype=object).reshape(-1).tolist())
        return (game.n_players, 1, cells, int(magnitude))
    states = getattr(game, "n_states", None)
    if states is None:
        return (0,)
    joint = sum(int(np.prod(game.n_actions(s))) for s in range(states))
    magnitude = sum(abs(Fraction(v)) for s in range(states)
                    for v in np.asarray(game.rewards[s], dtype=object).reshape(-1).tolist())
    return (game.n_players, states, joint, int(magnitude))


def _case_key(case: tuple[Any, ...]) -> bytes:
    try:
        return pickle.dumps(case)
    except (pickle.PicklingError, TypeError, AttributeError):
        return repr(case).encode()


def _shape(case: tuple[Any, ...]) -> tuple[Any, ...] | None:
    game = case[0] if case else None
    if isinstance(game, NormalFormGame):
        return ("normal-form", game.n_actions)
    states = getattr(game, "n_states", None)
    return ("stochastic", states) if states is not None else None


_COSTLY = ("validate.target.crashed", "validate.target.timeout")


def run_check(target: IsolatedTarget, check: Check, *, max_examples: int, seed: int | None = None,
              shrink: bool = True, time_limit: float | None = None, max_findings: int = MAX_FINDINGS,
              progress: Callable[[str], None] | None = None) -> CheckSearch:
    """Run one check: the corpus first, then Hypothesis rounds, until no new kind of violation turns up.

    A refutation does not end the search: it is shrunk (Hypothesis' shrinker, then
    :func:`~jalverify.strategies.shrink.shrink_normal_form_game` for normal-form games), recorded, and its
    violation class (:func:`violation_class`) is no longer counted as a failure, so the next round looks for a
    *different* violation (a crash on 1-action games, then a wrong answer on 2×2 games).  Shapes on which the
    target crashed or timed out are not sent again.  At most ``max_findings`` distinct violations, each round at
    most ``max_examples`` generated games, and ``time_limit`` seconds for generation (and as much again for
    shrinking); a budget that runs out before ``max_examples`` games were judged leaves the check "not
    established", with what was measured.
    """
    from jalverify.strategies import search_refutation
    from jalverify.strategies.search import keep_worst
    from jalverify.strategies.shrink import shrink_normal_form_game
    from jalverify.strategies.shrink_stochastic import shrink_stochastic_case

    used_seed = seed if seed is not None else random.SystemRandom().getrandbits(32)
    memo: dict[bytes, Verdict] = {}
    failures = {"crashed": 0, "timeout": 0}
    costly_shapes: set[tuple[Any, ...]] = set()
    known: dict[str, Refutation] = {}
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit

    def judged(*case: Any) -> Verdict:
        key = _case_key(case)
        hit = memo.get(key)
        if hit is not None:
            return hit
        shape = _shape(case)
        if shape is not None and shape in costly_shapes:
            return Verdict(check.id, Status.NOT_ESTABLISHED, "not sent: the target crashed or timed out on a game of "
                           "this shape before (already reported)", {"skipped": True})
        if failures["crashed"] >= CRASH_BUDGET or failures["timeout"] >= check.timeout_budget:
            return Verdict(check.id, Status.NOT_ESTABLISHED, "not run: the target crashed or timed out repeatedly")
        restarts_before = target.restarts
        try:
            verdict = check.run(*case)
        except (BudgetExceeded, GameTooLarge, UnsupportedGame) as exc:  # the reference cannot decide this case
            verdict = Verdict(check.id, Status.NOT_ESTABLISHED, f"no exact reference for this case: {exc}")
        except JalverifyError as exc:  # our own solvers failed: jalverify's error, never the target's
            verdict = Verdict(check.id, Status.ERROR, f"jalverify failed on this case: {type(exc).__name__}: {exc}")
        if verdict.theorem == "validate.target.timeout" or verdict.witness.get("timed_out") is True:
            failures["timeout"] += 1
            if shape is not None:
                costly_shapes.add(shape)
        elif verdict.theorem == "validate.target.crashed" or target.restarts > restarts_before:
            failures["crashed"] += 1
            if shape is not None and verdict.status is Status.REFUTED:
                costly_shapes.add(shape)
        memo[key] = verdict
        return verdict

    def screened(*case: Any) -> Verdict:
        """The verdict, with violations already reported turned into "already reported" (not a new finding);
        a violation whose witness came from the corpus still counts when this case is smaller (so Hypothesis
        looks for, and shrinks to, a smaller witness of it)."""
        verdict = judged(*case)
        if verdict.status is Status.REFUTED:
            held = known.get(violation_class(verdict))
            if held is not None and not (held.provisional and case_size(case) < case_size(held.case)):
                return Verdict(check.id, Status.NOT_ESTABLISHED,
                               f"shows a violation already reported: {verdict.message}",
                               {"known_violation": violation_class(verdict)})
        return verdict

    def minimised(case: tuple[Any, ...], verdict: Verdict) -> tuple[tuple[Any, ...], Verdict]:
        """Shrink a witness further (sub-games, fewer players, states and actions, simpler numbers), keeping its
        violation class."""
        if not shrink or not case:
            return case, verdict
        wanted = violation_class(verdict)
        budget = SHRINK_CALLS_COSTLY if verdict.theorem in _COSTLY else SHRINK_CALLS
        if deadline is not None:
            budget = budget if time.perf_counter() < deadline + (time_limit or 0) else 0

        def fails(*candidate: Any) -> bool:
            v = judged(*candidate)
            return v.status is Status.REFUTED and violation_class(v) == wanted

        if check.domain is not None and len(case) == 1 and isinstance(case[0], NormalFormGame):
            game, _ = shrink_normal_form_game(case[0], fails, admissible=check.domain, max_calls=budget)
            return (game,), judged(game)
        if check.stochastic_domain is not None and isinstance(case[0], StochasticGame):
            domain = check.stochastic_domain
            small, _ = shrink_stochastic_case(case, lambda c: fails(*c), admissible=lambda c: domain(c[0]),
                                              max_calls=budget)
            return small, judged(*small)
        return case, verdict

    def record(case: tuple[Any, ...], verdict: Verdict, source: str, provisional: bool = False) -> None:
        small_case, small_verdict = minimised(case, verdict)
        key = violation_class(verdict)
        held = known.get(key)
        if held is None and len(known) >= max_findings:
            return  # a round that only looked for smaller witnesses turned up one more kind: over the limit
        if held is not None and case_size(held.case) <= case_size(small_case):
            known[key] = Refutation(held.verdict, held.case, held.source, provisional=False)
            return
        known[key] = Refutation(small_verdict, small_case, source, provisional=provisional)
        if progress is not None:
            what = "a smaller witness of" if held is not None else "found"
            progress(f"      {what} [{small_verdict.theorem}] ({source}); searching on for other violations")

    examples = 0
    statuses: dict[Status, int] = {}
    samples: dict[Status, Verdict] = {}
    tolerance: float | None = None
    worst: float | None = None
    timed_out = False

    def tally(verdict: Verdict) -> None:
        nonlocal tolerance, worst
        statuses[verdict.status] = statuses.get(verdict.status, 0) + 1
        if verdict.status in (Status.NOT_ESTABLISHED, Status.WITHIN_TOLERANCE):
            keep_worst(samples, verdict)
        if verdict.status is Status.WITHIN_TOLERANCE:
            tolerance = max(t for t in (tolerance, verdict.tolerance) if t is not None) if verdict.tolerance else tolerance
            if verdict.worst is not None:
                worst = verdict.worst if worst is None else max(worst, verdict.worst)

    # 1. the corpus: the same canonical games on every seed
    for case in check.corpus:
        full = len(known) >= max_findings and not any(r.provisional for r in known.values())
        if full or (deadline is not None and time.perf_counter() > deadline):
            break
        verdict = screened(*case)
        examples += 1
        if verdict.status is Status.ERROR:
            seconds = time.perf_counter() - start
            return CheckSearch(CheckOutcome(check.id, Status.ERROR, examples, seconds,
                                            f"jalverify failed while checking: {verdict.message}", None,
                                            seed=used_seed), tuple(known.values()))
        if verdict.status is Status.REFUTED:
            record(case, verdict, f"corpus game {getattr(case[0], 'name', '')!s}".strip(), provisional=True)
        elif verdict.witness.get("known_violation") is None:
            tally(verdict)

    # 2. Hypothesis rounds: each new violation starts another round that looks past it
    error: str | None = None
    for round_index in range(max_findings + 1):
        if len(known) >= max_findings and not any(r.provisional for r in known.values()):
            break
        remaining = None if deadline is None else deadline - time.perf_counter()
        if remaining is not None and remaining <= 0:
            timed_out = True
            break
        round_seed = (used_seed + round_index) % 2**32
        outcome = search_refutation(screened, check.cases, max_examples=max_examples, seed=round_seed, shrink=shrink,
                                    time_limit=remaining)
        examples += outcome.examples
        timed_out = timed_out or (outcome.timed_out and outcome.refutation is None)
        for status, count in outcome.counts.items():
            if status is not Status.REFUTED:
                statuses[status] = statuses.get(status, 0) + count
        for status, sample in outcome.samples.items():
            if sample.witness.get("known_violation") is None:
                keep_worst(samples, sample)
        if outcome.tolerance is not None:
            tolerance = outcome.tolerance if tolerance is None else max(tolerance, outcome.tolerance)
        if outcome.worst is not None:
            worst = outcome.worst if worst is None else max(worst, outcome.worst)
        if outcome.error is not None:
            error = outcome.error
            break
        if outcome.refutation is None or outcome.arguments is None:
            break
        record(outcome.arguments, outcome.refutation, f"generated game (seed {round_seed})")

    seconds = time.perf_counter() - start
    refutations = tuple(known.values())
    if error is not None:
        return CheckSearch(CheckOutcome(check.id, Status.ERROR, examples, seconds,
                                        f"jalverify failed while checking: {error}", None, seed=used_seed), refutations)
    if refutations:
        first = refutations[0].verdict
        message = first.message if len(refutations) == 1 else (
            f"{len(refutations)} distinct violations: " + "; ".join(f"[{r.verdict.theorem}] {r.verdict.message}"
                                                                   for r in refutations))
        return CheckSearch(CheckOutcome(check.id, Status.REFUTED, examples, seconds, message, None, first,
                                        used_seed), refutations)
    judged_cases = sum(statuses.values())
    if timed_out:
        status = Status.NOT_ESTABLISHED
        message = (f"not established: the check's time budget ({time_limit:.0f} s) ran out after {judged_cases} games "
                   f"({statuses.get(Status.PROVEN, 0)} held exactly, {statuses.get(Status.WITHIN_TOLERANCE, 0)} within "
                   f"tolerance, no violation)")
    elif judged_cases == 0:
        status, message = Status.NOT_ESTABLISHED, "no game was checked"
    elif statuses.get(Status.NOT_ESTABLISHED):
        status = Status.NOT_ESTABLISHED
        sample = samples[Status.NOT_ESTABLISHED].message
        message = f"not established on {statuses[Status.NOT_ESTABLISHED]} of {judged_cases} games; worst: {sample}"
    elif statuses.get(Status.WITHIN_TOLERANCE):
        status = Status.WITHIN_TOLERANCE
        message = (f"held within the declared tolerance {tolerance:.3g} on {judged_cases} games "
                   f"({statuses.get(Status.PROVEN, 0)} exactly); worst violation {worst if worst is not None else 0:.3g}")
    else:
        status, message = Status.PROVEN, f"held exactly on all {judged_cases} games"
    return CheckSearch(CheckOutcome(check.id, status, examples, seconds, message, None, seed=used_seed,
                                    tolerance=tolerance if status is Status.WITHIN_TOLERANCE else None,
                                    worst=worst if status is Status.WITHIN_TOLERANCE else None), ())


# --- one check as an executor's task ---------------------------------------------------------------------
@dataclass(frozen=True)
class _CheckHooks:
    """In-process extras of a check task (the serial executor only; never pickled): the target already open in
    this process, the check itself, and progress."""

    target: IsolatedTarget
    check: Check
    announce: Callable[[], None]
    progress: Callable[[str], None] | None


@dataclass(frozen=True)
class _CheckTask:
    """One check to run, as sent to an executor: everything a worker needs to open the target and rebuild the
    check (checks hold closures and Hypothesis strategies, which do not travel)."""

    target: Any  # a reference "pkg.mod:obj" / a built-in name, or a picklable object
    time_limit: float
    isolate: bool
    first_call_time_limit: float
    capabilities: Capabilities
    learner_steps: int
    check_id: str
    max_examples: int
    seed: int
    check_time_limit: float | None
    max_findings: int
    hooks: _CheckHooks | None = None


#: The target each worker thread keeps open between its tasks (one: a different target closes the previous one).
_OPEN_TARGET = threading.local()


def _worker_target(task: _CheckTask) -> IsolatedTarget:
    """The target of ``task``, opened once per worker thread and kept for the next checks of the same target
    (a target's start-up, e.g. a numba warm-up, is paid once per worker, not once per check)."""
    key = (task.target if isinstance(task.target, str) else pickle.dumps(task.target), task.time_limit,
           task.isolate, task.first_call_time_limit)
    held = getattr(_OPEN_TARGET, "held", None)
    if held is not None and held[0] == key:
        return held[1]
    if held is not None:
        _OPEN_TARGET.held = None
        held[1].close()
    opened = IsolatedTarget(task.target, time_limit=task.time_limit, isolate=task.isolate,
                            first_call_time_limit=task.first_call_time_limit)
    _OPEN_TARGET.held = (key, opened)
    return opened


def _run_check_task(task: _CheckTask) -> CheckSearch:
    """Run one :class:`_CheckTask` where the executor runs it (the check is rebuilt there from its id)."""
    if task.hooks is not None:
        target, check = task.hooks.target, task.hooks.check
        task.hooks.announce()
    else:
        target = _worker_target(task)
        found = [c for c in checks_for(target, capabilities=task.capabilities, learner_steps=task.learner_steps)
                 if c.id == task.check_id]
        if not found:
            raise InternalError(f"validate: check {task.check_id!r} does not apply to {target.reference} in this "
                                "worker (its capabilities differ from the driver's)")
        check = found[0]
    return run_check(target, check, max_examples=task.max_examples, seed=task.seed, time_limit=task.check_time_limit,
                     max_findings=task.max_findings, progress=task.hooks.progress if task.hooks is not None else None)


def validate(target: Any, *, profile: str = "quick", max_examples: int | None = None, seed: int | None = None,
             time_limit: float = 10.0, isolate: bool = True, kind: TargetKind | str | None = None,
             report_dir: str | None = None, checks: Sequence[str] | None = None,
             progress: Callable[[str], None] | None = None, learner_steps: int | None = None,
             min_actions: int | None = None,
             max_actions: int | None = None, square_only: bool = False, players: int | None = None,
             zero_sum_only: bool = False, check_time_limit: float | None = None, max_findings: int = MAX_FINDINGS,
             first_call_time_limit: float = 120.0, strict_checks: bool = True,
             executor: Executor | None = None) -> ValidationResult:
    """Run every applicable check against ``target``.

    Parameters
    ----------
    target : str or object
        A reference (``"pkg.mod:obj"``, ``"file.py:obj"``, a built-in adapter or entry-point name) or an object.
    profile : {"quick", "thorough"}
        Examples per check and round (25 or 300) unless ``max_examples`` is given.
    seed : int, optional
        The run's seed (drawn when not given; always reported, so a run can be repeated).
    time_limit : float
        Seconds allowed per call into the target.
    isolate : bool
        Run the target in a child process (default).
    kind : TargetKind or str, optional
        Expected kind; a mismatch with the target's declared kind is an error.
    report_dir : str, optional
        Write a counterexample report per finding under this directory.
    checks : sequence of str, optional
        Run only checks whose id starts with one of these prefixes.
    progress : callable, optional
        Called with the seed at the start, one line per finished check, and one per finding.
    learner_steps : int, optional
        Transitions fed to a learner in the convergence check, or environment steps a policy learner trains for
        (default 2000); bad input for other kinds of target.
    min_actions, max_actions, square_only, players, zero_sum_only
        Limits on the games sent, narrowing what the target declares
        (:meth:`~jalverify.adapters.protocols.Capabilities.restricted`); a limit that contradicts the
        declaration is bad input.  Games outside the limits are never sent, so never reported as violations.
    check_time_limit : float, optional
        Wall-clock budget of one check, in seconds (default by profile: quick 120, thorough 900).  A check whose
        budget runs out before its examples were judged is "not established", with what was measured.
    max_findings : int
        Distinct violations reported per check before its search stops (default 5).
    first_call_time_limit : float
        Time limit of the first call into a fresh worker (JIT compilation in numba-based libraries).
    strict_checks : bool
        A prefix of ``checks`` that matches no check applicable to this target is bad input (default); false
        when one selection is applied to many targets (``--all-builtin``), where each runs what applies to it.
    executor : Executor, optional
        Where the checks run (:mod:`jalverify.executors`); serially in this process by default, on the target
        opened here.  Elsewhere each worker opens the target itself (once, for all the checks it runs) and
        rebuilds the check from its id; ``target`` must then be a reference or a picklable object.  Every check
        gets the run's seed, so the outcomes do not depend on the executor; the findings' reports are written
        here, in the checks' order as soon as the checks before have arrived (the same files whatever the
        executor), and the outcomes keep the checks' order.  A check that raised, or whose
        worker died twice, is an ``error`` outcome.
    """
    from jalverify.adapters.protocols import InvalidTarget

    if profile not in PROFILE_EXAMPLES:
        raise InvalidTarget(f"validate(): unknown profile {profile!r}; profiles are {sorted(PROFILE_EXAMPLES)}")
    examples = max_examples if max_examples is not None else PROFILE_EXAMPLES[profile]
    budget_seconds = check_time_limit if check_time_limit is not None else PROFILE_CHECK_TIME_LIMIT[profile]
    run_seed = seed if seed is not None else random.SystemRandom().getrandbits(32)
    started = time.perf_counter()
    with IsolatedTarget(target, time_limit=time_limit, isolate=isolate,
                        first_call_time_limit=first_call_time_limit) as isolated:
        declared = isolated.capabilities
        if kind is not None:
            wanted = kind if isinstance(kind, TargetKind) else TargetKind(kind)
            if wanted is not declared.kind:
                raise InvalidTarget(f"validate(): {isolated.reference!r} declares kind {declared.kind.value!r}, "
                                    f"not {wanted.value!r}")
        caps = declared.restricted(min_actions=min_actions, max_actions=max_actions, square_only=square_only,
                                   players=players, zero_sum_only=zero_sum_only)
        if learner_steps is not None and declared.kind not in (TargetKind.LEARNER, TargetKind.POLICY_LEARNER):
            raise InvalidTarget(f"learner steps ({learner_steps}) apply to learners and policy learners; "
                                f"{isolated.reference} is a {declared.kind.value}")
        if learner_steps is not None and learner_steps < 1:
            raise InvalidTarget(f"learner steps must be at least 1, got {learner_steps}")
        learner_steps = DEFAULT_LEARNER_STEPS if learner_steps is None else learner_steps
        if progress is not None:
            progress(f"validate {isolated.reference}: seed {run_seed} (repeat this run with --seed {run_seed})")
        applicable = checks_for(isolated, capabilities=caps, learner_steps=learner_steps)
        if checks is not None:
            unmatched = [p for p in checks if not any(c.id.startswith(p) for c in applicable)]
            if unmatched and strict_checks:
                raise InvalidTarget(f"--check {unmatched[0]!r} matches none of the checks that apply to "
                                    f"{isolated.reference} ({', '.join(c.id for c in applicable)})")
            applicable = [c for c in applicable if any(c.id.startswith(p) for p in checks)]
        runner = executor if executor is not None else SerialExecutor()
        if not runner.in_process and not isinstance(target, str):
            try:
                pickle.dumps(target)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                raise InvalidTarget(f"validate(): {isolated.reference} cannot be sent to {runner.description} "
                                    f"({exc}); pass a reference 'module:object', or run serially") from exc

        def hooks(index: int, check: Check) -> _CheckHooks:
            def announce() -> None:
                if progress is not None:
                    progress(f"  [{index}/{len(applicable)}] {check.id} ...")

            return _CheckHooks(isolated, check, announce, progress)

        tasks = [_CheckTask(target, time_limit, isolate, first_call_time_limit, caps, learner_steps, check.id,
                            examples if check.max_examples is None else min(examples, check.max_examples), run_seed,
                            budget_seconds, max_findings, hooks(index, check) if runner.in_process else None)
                 for index, check in enumerate(applicable, 1)]
        def with_findings(check: Check, search: CheckSearch) -> CheckOutcome:
            """The outcome with its findings, their reports written (in the checks' order: two checks can find
            the same violation, and the first to store it names itself in the report)."""
            found = []
            for refutation in search.refutations:
                finding = Finding(check=check.id, verdict=refutation.verdict, case=refutation.case,
                                  target=isolated.reference, capabilities=caps, seed=run_seed,
                                  source=refutation.source)
                if report_dir is not None:
                    finding = finding.written(report_dir)
                found.append(finding)
            return search.outcome.with_findings(tuple(found)) if found else search.outcome

        arrived: dict[int, CheckSearch | CheckOutcome] = {}
        outcomes: list[CheckOutcome] = []
        for done, result in enumerate(runner.map_unordered(_run_check_task, tasks), 1):
            check = applicable[result.index]
            if result.ok:
                arrived[result.index] = result.value
                line = result.value.outcome.summary_line()
            else:
                failed = CheckOutcome(check.id, Status.ERROR, 0, 0.0, f"jalverify failed while checking: "
                                      f"{result.error}", None, seed=run_seed)
                arrived[result.index] = failed
                line = failed.summary_line()
                if progress is not None and result.traceback:
                    progress(result.traceback.rstrip())
            while len(outcomes) in arrived:  # store each check's findings once the checks before it are stored
                ready = arrived.pop(len(outcomes))
                outcomes.append(ready if isinstance(ready, CheckOutcome) else
                                with_findings(applicable[len(outcomes)], ready))
            if progress is not None:
                progress(line if runner.in_process else f"  [{done}/{len(applicable)}] " + line.lstrip())
    return ValidationResult(target=isolated.reference, capabilities=caps, outcomes=tuple(outcomes),
                            seconds=time.perf_counter() - started, profile=profile, max_examples=examples,
                            seed=run_seed)
