r"""The check of a policy learner: the exact quality of the stationary policy it learned on a PettingZoo environment.

A policy learner (:class:`~jalverify.adapters.protocols.PolicyLearner`) trains on the environment of a tabular game
(:func:`jalverify.envs.parallel_env`; :func:`jalverify.validation.policy_training.train_and_read` runs in the
target's worker) and then answers ``policy(agent, observation)``.  jalverify knows the game behind the environment,
so what was learned is judged **exactly**:

* the answers are read as exact numbers (a float is its binary value) and renormalised exactly (their sum differs
  from 1 by at most :data:`SUM_SLACK`, else the answer is malformed); masked actions must get probability 0;
* the exact values :math:`V^π_i` and best-response values of that policy (policy evaluation and best responses in
  rational arithmetic, :func:`jalverify.learners.learned_policy.evaluate_learned_policy`), at the start
  distribution μ of the environment (the game's initial distribution, or its first state);
* the claim's gap: for ``nash`` and ``minimax`` the NashConv :math:`Σ_i Σ_s μ(s)(V^{BR}_i(s) − V^π_i(s))` (Nash
  1951; in a zero-sum game it is the sum of both players' exploitabilities, 0 exactly at a minimax pair, Shapley
  1953); for ``team`` (common-payoff games) the gap :math:`V^*(μ) − V^π(μ)` to the exact team optimum
  (:func:`jalverify.theorems.learning.exact_team_q_star`, policy iteration, certified; Puterman 1994 §6.4), with the
  NashConv reported beside it.

Verdict (``validate.policy_learner.equilibrium``), with the tolerance scaled by
:math:`\max(1, \max|R|)/(1 − γ)` (the range of a discounted value):

* the target claims its learned policy meets the concept after the training steps (``converges=True``): gap
  exactly 0 → **proven** (the learned policy is an exact equilibrium / team optimum); gap ≤ tolerance → **holds
  within tolerance**; larger → **refuted**, the learned policy and each player's exact gain being the witness
  (replayable: the environment and the training are seeded);
* no claim: the gap is reported, **not established**.

Convergence (seed note 001; Albrecht, Christianos & Schäfer 2024, §5.2): the environment records what the learner
played, and with ``snapshots()`` the learner's trace of policies is read too; five notions are judged against the
exact reference on the last :data:`SNAPSHOT_WINDOW` points (:func:`_convergence_notions`): policy, averaged policy
and empirical distribution → the equilibrium set (exact NashConv), expected and average return → the exact
:math:`V^*` where it is unique.  A finite trace shows at most "within tolerance", never a limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from jalverify.adapters.protocols import Capabilities, Concept
from jalverify.numbers import approximate_number, format_number
from jalverify.validation.check_spec import Check, stochastic_domain
from jalverify.validation.checks import MalformedAnswer, exact_number, judge_call, malformed_verdict
from jalverify.validation.runner import CallOutcome, IsolatedTarget
from jalverify.verdicts import Status, Verdict

__all__ = ["HORIZON", "MAX_AVERAGED", "MAX_SNAPSHOTS", "POLICY_ID", "SUM_SLACK", "Notion", "empirical_policy",
           "exact_learned_policy", "policy_learner_checks",
           "policy_learner_domain", "waiting_game"]

POLICY_ID = "validate.policy_learner.equilibrium"
#: Episodes of the environment are truncated after this many steps.
HORIZON = 20
#: Largest ``|Σ p − 1|`` of an answer of ``policy(agent, observation)`` (floats summing to 1 up to rounding).
SUM_SLACK = Fraction(1, 10**6)
#: Snapshots whose exact NashConv is measured (evenly chosen, the last included).
MAX_SNAPSHOTS = 5
#: The convergence notions are judged on this many of the last measured points.
SNAPSHOT_WINDOW = 3
#: The average return evaluates at most this many distinct snapshot policies exactly (else evenly chosen snapshots).
MAX_AVERAGED = 256


def _n(x: Fraction) -> str:
    return approximate_number(x, 3)


def exact_learned_policy(game: Any, answers: Sequence[Any], where: str) -> Any:
    """The exact stationary policy of the per-state answers of ``policy(agent, observation)`` (layout of
    :attr:`~jalverify.validation.policy_training.PolicyRun.policy`).  Raises :class:`MalformedAnswer`."""
    from jalverify.games.stochastic import StationaryPolicy

    if len(answers) != game.n_states:
        raise MalformedAnswer(f"{where}: answers for {len(answers)} states, the game has {game.n_states}")
    distributions: list[list[list[Fraction]]] = []
    for s in range(game.n_states):
        counts = game.n_actions(s)
        if game.terminal[s]:
            distributions.append([[Fraction(1)] + [Fraction(0)] * (k - 1) for k in counts])
            continue
        per_state = answers[s]
        if not isinstance(per_state, (list, tuple)) or len(per_state) != game.n_players:
            raise MalformedAnswer(f"{where}: state {game.states[s]}: expected one answer per player")
        row = []
        for i, answer in enumerate(per_state):
            label = f"{where}: policy({game.players[i]!r}, state {game.states[s]})"
            if not isinstance(answer, (list, tuple)) or len(answer) < counts[i]:
                raise MalformedAnswer(f"{label}: expected at least {counts[i]} probabilities, got {answer!r:.80}")
            values = [exact_number(p, f"{label}[{a}]") for a, p in enumerate(answer)]
            if any(p < 0 for p in values):
                raise MalformedAnswer(f"{label}: a negative probability {min(values)}")
            if any(p != 0 for p in values[counts[i]:]):
                raise MalformedAnswer(f"{label}: probability on an action the state does not offer (masked): "
                                      f"{[format_number(p) for p in values[counts[i]:]]}")
            total = sum(values[:counts[i]], Fraction(0))
            if abs(total - 1) > SUM_SLACK:
                raise MalformedAnswer(f"{label}: probabilities sum to {_n(total)}, not 1")
            row.append([p / total for p in values[:counts[i]]])
        distributions.append(row)
    return StationaryPolicy(game, distributions)


def _start(game: Any) -> list[Fraction]:
    from jalverify.learners.learned_policy import start_distribution

    return start_distribution(game, "initial")


def _scale(game: Any) -> Fraction:
    largest = max([Fraction(1)] + [abs(Fraction(r)) for R in game.rewards
                                   for r in np.asarray(R, dtype=object).reshape(-1).tolist()])
    return largest / (1 - Fraction(game.gamma))


def _team_gap(game: Any, values: Any, mu: Sequence[Fraction]) -> Fraction:
    """``V*(μ) − V^π_0(μ)``: the gap to the exact team optimum (exact team Q*, certified by the Bellman optimality
    equation; :func:`jalverify.theorems.learning.exact_team_q_star`)."""
    from jalverify.theorems.learning import exact_team_q_star

    q_star = exact_team_q_star(game)
    v_star = [Fraction(0) if game.terminal[s] else max(Fraction(v) for v in
                                                       np.asarray(q_star[s][0], dtype=object).reshape(-1).tolist())
              for s in range(game.n_states)]
    return sum((mu[s] * v_star[s] for s in range(game.n_states)), Fraction(0)) - values.V_start[0]


def _prefix_averages(game: Any, policies: Sequence[Any], ends: Sequence[int]) -> list[Any]:
    """The averaged policies :math:`\\bar π^z = (1/z) Σ_{e ≤ z} π^e` for ``z = end + 1`` for each of ``ends``:
    each player's distribution in each state averaged exactly over the policies (a product policy again: every
    player averages its own behaviour)."""
    from jalverify.games.stochastic import StationaryPolicy

    sums = [[[Fraction(0)] * len(policies[0].distributions[s][i]) for i in range(game.n_players)]
            for s in range(game.n_states)]
    out, wanted = [], set(ends)
    for e, p in enumerate(policies):
        for s in range(game.n_states):
            for i in range(game.n_players):
                row = sums[s][i]
                for a, q in enumerate(p.distributions[s][i]):
                    row[a] += Fraction(q)
        if e in wanted:
            out.append(StationaryPolicy(game, [[[x / (e + 1) for x in row] for row in per_state]
                                               for per_state in sums]))
    return out


def empirical_policy(game: Any, counts: Sequence[Any]) -> Any:
    """The empirical distribution of play as a stationary policy: in each state, each player's marginal frequency
    of its actions among the joint actions played there (``counts[s]``, integers, exact), uniform in a state never
    visited (the convention of seed note 001 / Albrecht, Christianos & Schäfer 2024, §5.2); terminal states as in
    :func:`exact_learned_policy`."""
    from jalverify.games.stochastic import StationaryPolicy

    distributions = []
    for s in range(game.n_states):
        k = game.n_actions(s)
        if game.terminal[s]:
            distributions.append([[Fraction(1)] + [Fraction(0)] * (n - 1) for n in k])
            continue
        table = np.asarray(counts[s], dtype=object).reshape(k)
        total = int(sum(int(c) for c in table.reshape(-1).tolist()))
        row = []
        for i in range(game.n_players):
            if total == 0:
                row.append([Fraction(1, k[i])] * k[i])
                continue
            other = tuple(j for j in range(game.n_players) if j != i)
            marginal = table.sum(axis=other) if other else table
            row.append([Fraction(int(c), total) for c in np.asarray(marginal).reshape(-1).tolist()])
        distributions.append(row)
    return StationaryPolicy(game, distributions)


class Notion(NamedTuple):
    """One convergence notion judged on a window: its status and the measured values with the step of each."""

    status: str
    measured: list[tuple[int, Fraction]]
    measure: str

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "measure": self.measure,
                "window": [{"steps": done, "value": format_number(v)} for done, v in self.measured]}

    def text(self, name: str) -> str:
        values = ", ".join(f"{_n(v)} at step {done}" for done, v in self.measured)
        return f"{name}: {self.measure} {values}: {Status(self.status).words}"


def _judge(measured: list[tuple[int, Fraction]], tolerance: Fraction, measure: str) -> Notion:
    """Within the tolerance at every point of the window → "within tolerance" (a finite trace never shows a limit);
    otherwise "not established"."""
    holds = all(v <= tolerance for _, v in measured)
    return Notion(Status.WITHIN_TOLERANCE.value if holds else Status.NOT_ESTABLISHED.value, measured, measure)


def _convergence_notions(game: Any, mu: Sequence[Fraction], snapshots: Sequence[tuple[int, Any]],
                         play_counts: Sequence[tuple[int, Any]], tolerance: Fraction,
                         reference_value: Fraction | None) -> dict[str, Notion]:
    """The convergence notions of seed note 001 (Albrecht, Christianos & Schäfer 2024, §5.2, pp. 92–94; theory.md
    §7) judged against the exact reference on the last :data:`SNAPSHOT_WINDOW` points of the learner's trace.

    * **policy → equilibrium set** (notion 1 in its set form, notion 5): exact NashConv of the snapshot policy;
    * **averaged policy → equilibrium set** (notion 4): exact NashConv of :math:`\\bar π^z`, the average of every
      snapshot up to that point (each player's own average, so a product policy);
    * **empirical distribution → equilibrium set** (notion 3): exact NashConv of the marginal frequencies of play,
      counted by the environment (:class:`jalverify.envs.record.PlayRecord`), not reported by the learner;
    * **expected return → V*** (notion 2) and **average return → V*** (notion 6, the mean of :math:`V^{π^e}_0(μ)`
      over the snapshots up to that point): distance to the exact :math:`V^*(μ)` (the minimax value or the team
      optimum), only where it is unique.

    The window is the last :data:`SNAPSHOT_WINDOW` of :data:`MAX_SNAPSHOTS` evenly chosen snapshots; averages run
    over every snapshot up to each window point.
    """
    from jalverify.learners.learned_policy import evaluate_learned_policy

    out: dict[str, Notion] = {}
    if snapshots:
        window = _evenly(list(range(len(snapshots))), MAX_SNAPSHOTS)[-SNAPSHOT_WINDOW:]
        steps = [snapshots[j][0] for j in window]
        evaluated = [evaluate_learned_policy(game, snapshots[j][1], mu) for j in window]
        out["policy → equilibrium set"] = _judge(
            [(d, Fraction(v.nash_conv_start)) for d, v in zip(steps, evaluated)], tolerance, "NashConv")
        averages = _prefix_averages(game, [p for _, p in snapshots], window)
        out["averaged policy → equilibrium set"] = _judge(
            [(d, Fraction(evaluate_learned_policy(game, p, mu).nash_conv_start)) for d, p in zip(steps, averages)],
            tolerance, "NashConv of the averaged policy")
        if reference_value is not None:
            out["expected return → V*"] = _judge(
                [(d, abs(v.V_start[0] - reference_value)) for d, v in zip(steps, evaluated)], tolerance,
                "|V^π(μ) − V*(μ)|")
            out["average return → V*"] = _average_return(game, mu, snapshots, window, reference_value, tolerance)
    if play_counts:
        points = list(play_counts)[-SNAPSHOT_WINDOW:]
        out["empirical distribution → equilibrium set"] = _judge(
            [(done, Fraction(evaluate_learned_policy(game, empirical_policy(game, counts), mu).nash_conv_start))
             for done, counts in points], tolerance, "NashConv of the played frequencies")
    return out


def _average_return(game: Any, mu: Sequence[Fraction], snapshots: Sequence[tuple[int, Any]], window: Sequence[int],
                    reference_value: Fraction, tolerance: Fraction) -> Notion:
    """Notion 6: :math:`|Ū^z − V^*(μ)|` with :math:`Ū^z` the mean of the exact :math:`V^{π^e}_0(μ)` over the
    snapshots up to each window point.  Each distinct snapshot policy is evaluated once (exact policy evaluation);
    when there are more than :data:`MAX_AVERAGED` distinct ones, the mean runs over about :data:`MAX_AVERAGED`
    evenly chosen snapshots (the window points among them) and the measure says so."""
    from jalverify.solvers.evaluation import evaluate_policy

    def key(policy: Any) -> tuple[Any, ...]:
        return tuple(tuple(Fraction(q) for q in d) for per_state in policy.distributions for d in per_state)

    distinct = {key(p) for _, p in snapshots[:window[-1] + 1]}
    used = list(range(window[-1] + 1))
    measure = "|mean of V^π(μ) over the snapshots − V*(μ)|"
    if len(distinct) > MAX_AVERAGED:
        used = sorted(set(_evenly(used, MAX_AVERAGED)) | set(window))
        measure = f"|mean of V^π(μ) over {len(used)} evenly chosen snapshots − V*(μ)|"
    values: dict[tuple[Any, ...], Fraction] = {}
    measured, total, count = [], Fraction(0), 0
    for e in used:
        policy = snapshots[e][1]
        k = key(policy)
        if k not in values:
            V = evaluate_policy(game, policy, field="exact").V
            values[k] = sum((mu[s] * Fraction(V[0][s]) for s in range(game.n_states)), Fraction(0))
        total += values[k]
        count += 1
        if e in window:
            measured.append((snapshots[e][0], abs(total / count - reference_value)))
    return _judge(measured, tolerance, measure)


def _evenly(items: list[Any], at_most: int) -> list[Any]:
    """At most ``at_most`` of ``items``, evenly spaced, the first and the last included."""
    if len(items) <= at_most:
        return items
    return [items[round(k * (len(items) - 1) / (at_most - 1))] for k in range(at_most)]


def _minimax_value_at_start(game: Any, mu: Sequence[Fraction]) -> Fraction | None:
    """The exact minimax value :math:`Σ_s μ(s) V^*_0(s)` of a two-player zero-sum game (Shapley 1953; exact Q*
    certified by Shapley's equation, :func:`jalverify.theorems.learning.game_reference`), or ``None`` when no exact
    Q* is found within the exact search's size limit."""
    from jalverify.theorems.learning import game_reference

    reference, _ = game_reference(game)
    if reference is None or reference.kind != "minimax" or not reference.exact:
        return None
    return sum((mu[s] * Fraction(reference.v_star[0][s]) for s in range(game.n_states)), Fraction(0))


def _policy_text(game: Any, policy: Any) -> str:
    parts = []
    for s in range(game.n_states):
        if game.terminal[s]:
            continue
        players = "; ".join(
            f"{game.players[i]} (" + ", ".join(f"{a} {_n(Fraction(p))}" for a, p in
                                              zip(game.actions[s][i], policy.distributions[s][i])) + ")"
            for i in range(game.n_players))
        parts.append(f"{game.states[s]}: {players}")
    return " | ".join(parts)


def _policy_run(target: IsolatedTarget, caps: Capabilities, steps: int) -> Callable[..., Verdict]:
    from jalverify.learners.learned_policy import evaluate_learned_policy

    def run(game: Any, seed: int) -> Verdict:
        limit = max(target.time_limit, 120.0)
        result = target.call_function("jalverify.validation.policy_training:train_and_read", game, steps, seed,
                                      HORIZON, time_limit=limit)
        if result.outcome is CallOutcome.TIMEOUT:
            return Verdict(POLICY_ID, Status.NOT_ESTABLISHED,
                           f"not established: training for {steps} steps gave no policy within {result.seconds:.0f} s",
                           {"timed_out": True})
        failure = judge_call(result, f"train(env, {steps}, {seed}) and policy(agent, observation)")
        if failure is not None:
            return failure
        run_ = result.value
        if run_.steps_played > steps:
            return malformed_verdict(MalformedAnswer(
                f"train(env, {steps}, {seed}) took {run_.steps_played} environment steps, more than the {steps} it "
                "was given"))
        try:
            policy = exact_learned_policy(game, run_.policy, "learned policy")
            snapshots = [(done, exact_learned_policy(game, answers, f"snapshot after {done} steps"))
                         for done, answers in run_.snapshots]
        except MalformedAnswer as exc:
            return malformed_verdict(exc)
        mu = _start(game)
        values = evaluate_learned_policy(game, policy, mu)
        nash_conv = Fraction(values.nash_conv_start)
        gains = [sum((mu[s] * Fraction(values.gains[i][s]) for s in range(game.n_states)), Fraction(0))
                 for i in range(game.n_players)]
        if caps.concept is Concept.TEAM:
            gap = _team_gap(game, values, mu)
            measure = f"gap to the team optimum V*(μ) − V^π(μ) = {_n(gap)} (NashConv {_n(nash_conv)})"
        else:
            gap = nash_conv
            measure = f"exact NashConv at μ = {_n(gap)}"
        equilibrium = _minimax_value_at_start(game, mu) if caps.concept is Concept.MINIMAX else None
        reference_value = equilibrium if caps.concept is Concept.MINIMAX else (
            values.V_start[0] + gap if caps.concept is Concept.TEAM else None)
        if equilibrium is not None:
            measure += (f"; V^π(μ) = {_n(values.V_start[0])} for {game.players[0]} against the exact minimax value "
                        f"{_n(equilibrium)}")
        tolerance = Fraction(caps.effective_tolerance) * _scale(game)
        notions = _convergence_notions(game, mu, snapshots, run_.play_counts, tolerance, reference_value)
        trend = ""
        if notions:
            trend = (f". Convergence on the last {SNAPSHOT_WINDOW} points of the trace (within {_n(tolerance)} at "
                     "each, never a limit): " + "; ".join(n.text(name) for name, n in notions.items()))
        witness: dict[str, Any] = {
            "steps": steps, "seed": seed, "horizon": HORIZON, "gamma": format_number(Fraction(game.gamma)),
            "start_distribution": [format_number(p) for p in mu],
            "policy": {game.states[s]: {game.players[i]: [format_number(p) for p in policy.distributions[s][i]]
                                        for i in range(game.n_players)}
                       for s in range(game.n_states) if not game.terminal[s]},
            "values_at_start": {game.players[i]: format_number(v) for i, v in enumerate(values.V_start)},
            "gains_at_start": {game.players[i]: format_number(g) for i, g in enumerate(gains)},
            "nash_conv": format_number(nash_conv), "gap": format_number(gap), "tolerance": format_number(tolerance),
            "minimax_value_at_start": None if equilibrium is None else format_number(equilibrium),
            "convergence_notions": {name: n.to_dict() for name, n in notions.items()},
            "steps_played": run_.steps_played,
            "training_seconds": round(float(run_.seconds), 3),
        }
        headline = (f"after {steps} training steps (seed {seed}) the learned policy has {measure}; tolerance "
                    f"{_n(tolerance)} (declared {caps.effective_tolerance:g} × max(1, max|R|)/(1 − γ))")
        if not caps.converges:
            return Verdict(POLICY_ID, Status.NOT_ESTABLISHED,
                           f"{headline}; the target makes no claim about its learned policy{trend}", witness,
                           worst=float(gap))
        if gap == 0:
            return Verdict(POLICY_ID, Status.PROVEN, f"{headline}: the learned policy is exact{trend}", witness)
        if gap <= tolerance:
            return Verdict(POLICY_ID, Status.WITHIN_TOLERANCE, f"{headline}{trend}", witness, float(tolerance),
                           float(gap))
        deviator = max(range(game.n_players), key=lambda i: gains[i])
        return Verdict(POLICY_ID, Status.REFUTED,
                       f"{headline}: more than the tolerance; {game.players[deviator]} gains "
                       f"{_n(gains[deviator])} by deviating; learned policy {_policy_text(game, policy)}{trend}",
                       witness, float(tolerance), float(gap))

    return run


def _games(caps: Capabilities) -> Any:
    """The games the target's declaration allows: turn-based, zero-sum or common-payoff as declared, one or two
    states, one or two actions, sometimes a terminal state; shrinking toward one state with one action."""
    from hypothesis import strategies as st

    from jalverify.strategies.stochastic import stochastic_games, turn_based_games, zero_sum_stochastic_games
    from jalverify.theorems.learning import common_payoff_version

    players = st.just(caps.players) if isinstance(caps.players, int) else st.integers(2, 3)
    most = 3 if caps.max_states is None else min(3, caps.max_states)
    states = st.integers(1, most)
    terminal = st.integers(0, 1) if most > 1 else st.just(0)
    if caps.turn_based_only:
        base = turn_based_games(players=players, states=states, actions=st.integers(1, 2),
                                zero_sum=caps.zero_sum_only)
    elif caps.zero_sum_only:
        base = zero_sum_stochastic_games(states=states, actions=st.integers(1, 2), terminal_states=terminal)
    else:
        base = stochastic_games(players=players, states=states, actions=st.integers(1, 2), terminal_states=terminal)
    if caps.common_payoff_only:
        base = base.map(common_payoff_version)
    return base


def policy_learner_domain(caps: Capabilities) -> Callable[[Any], bool]:
    """The stochastic games a policy learner accepts: its declared players, action limits, zero-sum,
    common-payoff and turn-based restrictions."""
    from jalverify.theorems.learning import is_common_payoff

    accepted = stochastic_domain(caps)

    def domain(game: Any) -> bool:
        if not accepted(game) or Fraction(game.gamma) >= 1:
            return False
        if caps.max_states is not None and game.n_states > caps.max_states:
            return False
        if caps.zero_sum_only and not (game.n_players == 2 and game.is_zero_sum()):
            return False
        if caps.common_payoff_only and not is_common_payoff(game):
            return False
        return not (caps.turn_based_only and not game.is_turn_based())

    return domain


def waiting_game() -> Any:
    """A turn-based common-payoff game where the discount decides: in ``now`` the first player takes 1 and ends the
    game, or waits; in ``later`` the second player cashes 2 (or wastes it) and the game ends.  With γ = 9/10
    waiting is optimal (9/5 > 1); a learner that discounts by less than 1/2 takes the 1."""
    from jalverify.games.stochastic import StochasticGame

    one, zero = Fraction(1), Fraction(0)
    T_now = np.array([[[zero, zero, one]], [[zero, one, zero]]], dtype=object)  # (take | wait) → end | later
    T_later = np.array([[[zero, zero, one], [zero, zero, one]]], dtype=object)  # (cash | waste) → end
    R_now = np.array([[[1, 1, 1]], [[0, 0, 0]]], dtype=object)
    R_later = np.array([[[2, 2, 2], [0, 0, 0]]], dtype=object)
    return StochasticGame(["p0", "p1"], ["now", "later", "end"],
                          [[["take", "wait"], ["idle"]], [["idle"], ["cash", "waste"]], None],
                          [T_now, T_later, None], [np.stack([R_now, R_now]), np.stack([R_later, R_later]), None],
                          Fraction(9, 10), terminal=[False, False, True], name="waiting game")


def _corpus(caps: Capabilities, domain: Callable[[Any], bool]) -> tuple[Any, ...]:
    """Small catalog games inside the domain (normal-form games repeated with γ = 9/10) and :func:`waiting_game`,
    tried first."""
    from jalverify.games.catalog import load, names
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.stochastic import repeated_game

    out = [waiting_game()] if domain(waiting_game()) else []
    for name in names():
        game = load(name)
        if isinstance(game, NormalFormGame):
            if max(game.n_actions) > 3:
                continue
            game = repeated_game(game, Fraction(9, 10))
        elif game.n_states > 4:
            continue
        if domain(game):
            out.append(game)
    return tuple(out[:4])


def policy_learner_checks(target: IsolatedTarget, caps: Capabilities, *, learner_steps: int) -> list[Check]:
    """The check that applies to a policy learner (module docstring)."""
    from hypothesis import strategies as st

    domain = policy_learner_domain(caps)
    claim = {Concept.NASH: "a Nash equilibrium", Concept.MINIMAX: "a minimax (zero-sum) equilibrium",
             Concept.TEAM: "the team optimum"}[caps.concept]
    stated = "claimed" if caps.converges else "measured (no claim)"
    return [Check(POLICY_ID, f"the learned policy is {claim} within tolerance after {learner_steps} steps ({stated}; "
                             "exact NashConv of what was learned)",
                  st.tuples(_games(caps).filter(domain), st.integers(0, 2**16)),
                  _policy_run(target, caps, learner_steps), max_examples=5, timeout_budget=1,
                  corpus=tuple((g, 0) for g in _corpus(caps, domain)), stochastic_domain=domain)]
