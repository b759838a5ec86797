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
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import Capabilities, Concept, TargetKind
from jalverify.errors import BudgetExceeded, GameTooLarge, JalverifyError, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import EXACT
from jalverify.validation.check_spec import Check
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

__all__ = ["PROFILE_EXAMPLES", "Check", "checks_for", "run_check", "validate"]

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
def checks_for(target: IsolatedTarget, *, learner_steps: int = 2000, learner_epsilon: float = 0.05,
               min_actions: int = 1) -> list[Check]:
    """The checks that apply to a target, given its declared capabilities.

    ``min_actions`` restricts the normal-form games to at least that many actions per player (a search choice,
    e.g. to look past a failure on 1-action games; it is not a capability)."""
    from hypothesis import strategies as st

    from jalverify.strategies import (
        bimatrix_games,
        degenerate_games,
        nondegenerate_games,
        normal_form_games,
        stationary_policies,
        stochastic_games,
        zero_sum_games,
    )

    caps = target.capabilities
    actions = st.integers(min(min_actions, caps.max_actions or 3), caps.max_actions or 3)
    checks: list[Check] = []
    if caps.kind is TargetKind.SOLVER and caps.concept is Concept.MINIMAX:
        checks.append(Check("validate.minimax", "value and both strategies optimal (exact LP value)",
                            _tuples(zero_sum_games(actions=actions)), _minimax_run(target, caps)))
    elif caps.kind is TargetKind.SOLVER:
        pure = caps.concept is Concept.PURE_NASH
        prefix = "validate.pure_nash" if pure else "validate.nash"
        if caps.players in (2, "n"):
            if caps.zero_sum_only:
                base_nd = zero_sum_games(actions=actions).filter(_nondegenerate)
                base_deg = zero_sum_games(actions=actions)
            else:
                base_nd = nondegenerate_games(actions=actions)
                base_deg = degenerate_games(actions=actions)
            checks.append(Check(f"{prefix}.soundness", "returned profiles are equilibria (nondegenerate games)",
                                _tuples(base_nd), _nash_run(target, caps, f"{prefix}.soundness", completeness=False,
                                                            at_least_one=True)))
            if caps.degenerate_supported:
                checks.append(Check(f"{prefix}.soundness.degenerate", "returned profiles are equilibria (degenerate games)",
                                    _tuples(base_deg), _nash_run(target, caps, f"{prefix}.soundness.degenerate",
                                                                 completeness=False, at_least_one=True)))
            if caps.finds_all:
                if pure:
                    checks.append(Check("validate.pure_nash.completeness", "every pure equilibrium is returned",
                                        _tuples(bimatrix_games(actions=actions)),
                                        _nash_run(target, caps, "validate.pure_nash.completeness", completeness=True,
                                                  at_least_one=False)))
                else:
                    checks.append(Check("validate.nash.completeness.nondegenerate",
                                        "every extreme equilibrium is returned (nondegenerate games)", _tuples(base_nd),
                                        _nash_run(target, caps, "validate.nash.completeness.nondegenerate",
                                                  completeness=True, at_least_one=True)))
                    if caps.degenerate_supported:
                        checks.append(Check("validate.nash.completeness.degenerate",
                                            "every extreme equilibrium is returned (degenerate games)",
                                            _tuples(base_deg),
                                            _nash_run(target, caps, "validate.nash.completeness.degenerate",
                                                      completeness=True, at_least_one=True)))
            if not pure:
                robust_base = bimatrix_games(actions=actions) if not caps.zero_sum_only else zero_sum_games(actions=actions)
                perturbed = _perturbed(robust_base)
                if not caps.degenerate_supported:
                    perturbed = perturbed.filter(_nondegenerate)
                checks.append(Check("validate.nash.robustness", "sound answers on games perturbed by ~1e-9",
                                    _tuples(perturbed), _nash_run(target, caps, "validate.nash.robustness",
                                                                  completeness=False, at_least_one=True)))
        if caps.players == "n" and not caps.zero_sum_only:
            games3 = normal_form_games(players=3, actions=st.integers(min(min_actions, 2), 2))
            if pure and caps.finds_all:
                checks.append(Check("validate.pure_nash.completeness.n_player", "every pure equilibrium (3 players)",
                                    _tuples(games3), _nash_run(target, caps, "validate.pure_nash.completeness",
                                                               completeness=True, at_least_one=False)))
            else:
                checks.append(Check(f"{prefix}.soundness.n_player", "returned profiles are equilibria (3 players)",
                                    _tuples(games3), _nash_run(target, caps, f"{prefix}.soundness.n_player",
                                                               completeness=False, at_least_one=not pure)))
    elif caps.kind is TargetKind.STAGE_SOLVER:
        if caps.zero_sum_only or caps.concept is Concept.MINIMAX:
            games = zero_sum_games(actions=actions)
        elif not caps.degenerate_supported:
            games = nondegenerate_games(actions=actions)
        elif caps.players == "n":
            games = st.one_of(bimatrix_games(actions=actions), normal_form_games(players=3, actions=st.integers(1, 2)))
        else:
            games = bimatrix_games(actions=actions)
        checks.append(Check("validate.stage", "distribution, values consistent with it, declared concept",
                            _tuples(games), _stage_run(target, caps)))
    elif caps.kind is TargetKind.EVALUATOR:
        players = st.integers(1, 3) if caps.players == "n" else st.just(caps.players)

        @st.composite
        def cases(draw: Any) -> tuple[Any, Any]:
            game = draw(stochastic_games(players=players))
            return game, draw(stationary_policies(game))

        checks.append(Check("validate.evaluator.values", "V^pi, Q^pi equal the exact evaluation", cases(),
                            _evaluator_run(target, caps)))
    elif caps.kind is TargetKind.LEARNER:
        checks.extend(learner_checks(target, caps, learner_steps=learner_steps, learner_epsilon=learner_epsilon))
    return checks


# --- running ---------------------------------------------------------------------------------------------
def _case_key(case: tuple[Any, ...]) -> bytes:
    try:
        return pickle.dumps(case)
    except (pickle.PicklingError, TypeError, AttributeError):
        return repr(case).encode()


def run_check(target: IsolatedTarget, check: Check, *, max_examples: int, seed: int | None = None,
              shrink: bool = True) -> tuple[CheckOutcome, tuple[Any, ...] | None]:
    """Run one check with Hypothesis; return its outcome and the minimal failing case (or ``None``)."""
    from jalverify.strategies import search_refutation

    memo: dict[bytes, Verdict] = {}
    failures = {"crashed": 0, "timeout": 0}
    start = time.perf_counter()

    def judged(*case: Any) -> Verdict:
        key = _case_key(case)
        hit = memo.get(key)
        if hit is not None:
            return hit
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
        elif verdict.theorem == "validate.target.crashed" or target.restarts > restarts_before:
            failures["crashed"] += 1
        memo[key] = verdict
        return verdict

    outcome = search_refutation(judged, check.cases, max_examples=max_examples, seed=seed, shrink=shrink)
    seconds = time.perf_counter() - start
    if outcome.error is not None:
        message = f"jalverify failed while checking: {outcome.error}"
        return CheckOutcome(check.id, Status.ERROR, outcome.examples, seconds, message, None), None
    if outcome.refutation is not None:
        return (CheckOutcome(check.id, Status.REFUTED, outcome.examples, seconds, outcome.refutation.message, None,
                             outcome.refutation, outcome.seed), outcome.arguments)
    status = outcome.status()
    if status is Status.PROVEN:
        message = f"held exactly on all {outcome.examples} games"
    elif status is Status.WITHIN_TOLERANCE:
        message = (f"held within the declared tolerance {outcome.tolerance:.3g} on {outcome.examples} games "
                   f"({outcome.proven} exactly); worst violation {outcome.worst:.3g}")
    elif outcome.examples == 0:
        message = "no game was checked"
    else:
        sample = outcome.samples[Status.NOT_ESTABLISHED].message
        message = (f"not established on {outcome.counts[Status.NOT_ESTABLISHED]} of {outcome.examples} games, "
                   f"e.g. {sample}")
    return CheckOutcome(check.id, status, outcome.examples, seconds, message, None, tolerance=outcome.tolerance,
                        worst=outcome.worst), None


def validate(target: Any, *, profile: str = "quick", max_examples: int | None = None, seed: int | None = None,
             time_limit: float = 10.0, isolate: bool = True, kind: TargetKind | str | None = None,
             report_dir: str | None = None, checks: Sequence[str] | None = None,
             progress: Callable[[str], None] | None = None, learner_steps: int = 2000, min_actions: int = 1,
             first_call_time_limit: float = 120.0, strict_checks: bool = True) -> ValidationResult:
    """Run every applicable check against ``target``.

    Parameters
    ----------
    target : str or object
        A reference (``"pkg.mod:obj"``, ``"file.py:obj"``, a built-in adapter or entry-point name) or an object.
    profile : {"quick", "thorough"}
        Examples per check (25 or 300) unless ``max_examples`` is given.
    seed : int, optional
        Hypothesis seed (reported, so a run can be repeated).
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
    strict_checks : bool
        A prefix of ``checks`` that matches no check applicable to this target is bad input (default); false
        when one selection is applied to many targets (``--all-builtin``), where each runs what applies to it.
    progress : callable, optional
        Called with one line per finished check.
    learner_steps : int
        Transitions fed to a learner in the convergence check.
    min_actions : int
        Smallest number of actions per player in generated normal-form games (default 1).
    first_call_time_limit : float
        Time limit of the first call into a fresh worker (JIT compilation in numba-based libraries).
    """
    from jalverify.adapters.protocols import InvalidTarget

    if profile not in PROFILE_EXAMPLES:
        raise InvalidTarget(f"validate(): unknown profile {profile!r}; profiles are {sorted(PROFILE_EXAMPLES)}")
    examples = max_examples if max_examples is not None else PROFILE_EXAMPLES[profile]
    started = time.perf_counter()
    with IsolatedTarget(target, time_limit=time_limit, isolate=isolate,
                        first_call_time_limit=first_call_time_limit) as isolated:
        caps = isolated.capabilities
        if kind is not None:
            wanted = kind if isinstance(kind, TargetKind) else TargetKind(kind)
            if wanted is not caps.kind:
                raise InvalidTarget(f"validate(): {isolated.reference!r} declares kind {caps.kind.value!r}, "
                                    f"not {wanted.value!r}")
        outcomes: list[CheckOutcome] = []
        applicable = checks_for(isolated, learner_steps=learner_steps, min_actions=min_actions)
        if checks is not None:
            unmatched = [p for p in checks if not any(c.id.startswith(p) for c in applicable)]
            if unmatched and strict_checks:
                raise InvalidTarget(f"--check {unmatched[0]!r} matches none of the checks that apply to "
                                    f"{isolated.reference} ({', '.join(c.id for c in applicable)})")
            applicable = [c for c in applicable if any(c.id.startswith(p) for p in checks)]
        for index, check in enumerate(applicable, 1):
            if progress is not None:
                progress(f"  [{index}/{len(applicable)}] {check.id} ...")
            budget = examples if check.max_examples is None else min(examples, check.max_examples)
            outcome, case = run_check(isolated, check, max_examples=budget, seed=seed)
            if outcome.status is Status.REFUTED and outcome.verdict is not None and case is not None:
                finding = Finding(check=check.id, verdict=outcome.verdict, case=case, target=isolated.reference,
                                  capabilities=caps, seed=outcome.seed)
                if report_dir is not None:
                    finding = finding.written(report_dir)
                outcome = outcome.with_finding(finding)
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome.summary_line())
    return ValidationResult(target=isolated.reference, capabilities=caps, outcomes=tuple(outcomes),
                            seconds=time.perf_counter() - started, profile=profile, max_examples=examples)
