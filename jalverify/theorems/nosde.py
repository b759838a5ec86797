r"""Registry entries for NoSDE games (``nosde.*``); the algorithms live in :mod:`jalverify.nosde`.

Theory (Zinkevich, Greenwald & Littman 2005, NIPS 18; Albrecht, Christianos & Schäfer 2024, p.126, Fig. 6.3,
Eq. 6.12; seed note 000 "Limitations"; theory.md §6).  A NoSDE game has no stationary deterministic
equilibrium; its stationary equilibria are mixed, and joint-action values Q do not determine the policy.

* ``nosde.no_stationary_deterministic_equilibrium``: every game of the keep/send family of
  :func:`jalverify.strategies.nosde.nosde_games` is NoSDE (exact enumeration of the deterministic profiles).
* ``nosde.unique_stationary_equilibrium``: that family's stationary equilibrium is unique and fully mixed
  (exact support enumeration).
* ``nosde.stationary_equilibrium``: the fully mixed policy given in closed form by the movers' indifference
  conditions is a stationary equilibrium of a keep/send NoSDE game (exact one-shot check and exact best
  responses).
* ``nosde.value_iteration_cycles``: greedy value iteration (deterministic stage solution, JAL-GT with a known
  model) never settles on such a game; a cycle of period ≥ 2 is certified exactly.
* ``nosde.q_insufficient``: the lemma behind the theorem: for any stochastic game Γ and stationary π, π', the
  rewards :math:`R'_i(s,a) = Q^{π,Γ}_i(s,a) − γ Σ_{s'} T(s'|s,a) V'_i(s')`, :math:`V' = π'·Q^{π,Γ}`, give a game Γ'
  (rewards changed only) with :math:`Q^{π',Γ'} = Q^{π,Γ}`; so Q alone cannot tell π from π'.
* ``nosde.reward_pair_exists``: the theorem itself (Γ' NoSDE with unique equilibrium π' ≠ π, equal Q,
  different V), every part checked exactly.
* ``nosde.q_determines_policy`` states the belief that the theorem refutes: that in a game with a unique
  stationary equilibrium its Q determines its policy.  It is expected to be refuted; the literature
  counterexample is the book's NoSDE game (catalog ``nosde``) with the Γ' of
  :func:`jalverify.nosde.build_reward_pair` (seed 0).
* ``nosde.one_shot_matches_best_response``: differential check of the one-shot deviation check against exact
  policy-iteration best responses.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.nosde import (
    build_reward_pair,
    check_stationary_equilibrium,
    find_stationary_deterministic_equilibrium,
    prime_game,
    q_rows_witness,
    stationary_equilibrium_verdict,
    turn_based_stationary_equilibria,
    value_iteration_cycle,
)
from jalverify.nosde.detection import THEOREM_ID as NO_SDE_ID
from jalverify.nosde.equilibrium_check import THEOREM_ID as STATIONARY_EQUILIBRIUM_ID
from jalverify.nosde.reward_pair import THEOREM_ID as Q_INSUFFICIENT_ID
from jalverify.nosde.reward_pair import q_equal_verdict
from jalverify.nosde.turn_based_equilibria import UNIQUENESS_ID
from jalverify.nosde.value_iteration_cycle import THEOREM_ID as VI_CYCLES_ID
from jalverify.numbers import EXACT, format_number
from jalverify.solvers.best_response import exploitability
from jalverify.solvers.evaluation import evaluate_policy, state_values_from_q
from jalverify.theorems._common import not_established, num, nums, proven, refuted, vector_text
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Status, Verdict

__all__ = [
    "VALUE_ITERATION_BUDGET",
    "book_nosde_case",
    "check_no_stationary_deterministic_equilibrium",
    "check_one_shot_matches_best_response",
    "check_q_determines_policy",
    "check_q_insufficient",
    "check_reward_pair_exists",
    "check_stationary_equilibrium_closed_form",
    "check_unique_stationary_equilibrium",
    "check_value_iteration_cycles",
    "closed_form_equilibrium",
    "keep_send_structure",
]

#: Iteration budget of ``nosde.value_iteration_cycles`` (generated keep/send games certify a cycle within 64
#: iterations in our runs; above the budget the verdict is "not established").
VALUE_ITERATION_BUDGET = 400

_FAMILY = "jalverify.strategies.nosde (keep/send family: best responses cycle by construction)"
_CITATION = ("Zinkevich, Greenwald & Littman (2005), Cyclic equilibria in Markov games, NIPS 18, Thm. 1; "
             "Albrecht, Christianos & Schäfer (2024), p.126, Fig. 6.3, Eq. 6.12")


def book_nosde_case() -> tuple[Any, ...]:
    """The book's NoSDE game (catalog ``nosde``)."""
    from jalverify.games import catalog

    return (catalog.load("nosde"),)


@theorem("nosde.q_determines_policy", strategy="turn_based_games", expected=REFUTED_AS_EXPECTED,
         citation=_CITATION, known_counterexample=book_nosde_case,
         claim="in a NoSDE turn-based game with a unique stationary equilibrium π, Q^π determines π: no game "
               "differing only in rewards has a different unique stationary equilibrium π' with the same Q")
def check_q_determines_policy(game: StochasticGame) -> Verdict:
    """Refute the claim on ``game`` by building Γ' (target drawn with seed 0) and verifying every claim of the
    theorem exactly; vacuous (PROVEN) when ``game`` has a stationary deterministic equilibrium or its stationary
    equilibrium is not proven unique, NOT_ESTABLISHED when the game is not exact and turn-based or the
    construction fails a check."""
    tid = "nosde.q_determines_policy"
    if not game.field.exact or not game.is_turn_based():
        return not_established(tid, "not decided: needs an exact turn-based game", {})
    if not find_stationary_deterministic_equilibrium(game, witnesses=False).is_nosde:
        return proven(tid, "the game has a stationary deterministic equilibrium (vacuous)", {})
    eqs = turn_based_stationary_equilibria(game)
    if eqs.uniqueness.status is not Status.PROVEN:
        return proven(tid, f"the stationary equilibrium is not proven unique (vacuous): {eqs.uniqueness.message}", {})
    pair = build_reward_pair(game, seed=0, equilibria=eqs)
    if not pair.proven:
        bad = next(v for v in pair.verdicts if not v.proven)
        return not_established(tid, f"the Γ' construction (seed 0) did not pass every check: {bad}", {"claim": bad.theorem})
    return refuted(tid, "Γ and Γ' (rewards changed only) have different unique stationary equilibria with exactly "
                   "equal Q for every agent and different V", q_rows_witness(pair))


@theorem("nosde.one_shot_matches_best_response", strategy="stochastic_games_with_policies",
         citation="One-shot deviation principle: Puterman (1994), Thm. 6.2.6; theory.md §6",
         claim="a stationary policy passes the one-shot deviation check iff every agent's exact best response "
               "gains nothing (NashConv = 0), and no one-shot gain exceeds the best-response gain at its state")
def check_one_shot_matches_best_response(game: StochasticGame, policy: Any) -> Verdict:
    """Differential check of :func:`jalverify.nosde.check_stationary_equilibrium` against policy iteration
    (:func:`jalverify.solvers.best_response.exploitability`), exactly."""
    tid = "nosde.one_shot_matches_best_response"
    if not isinstance(policy, StationaryPolicy):
        return proven(tid, "not an independent stationary policy (vacuous)", {})
    if not game.field.exact:
        game = game.to_field(EXACT, allow_float=True)
        policy = StationaryPolicy(game, [[d.tolist() for d in per] for per in policy.distributions], allow_float=True)
    check = check_stationary_equilibrium(game, policy)
    expl = exploitability(game, policy)
    if check.is_equilibrium != (expl.nash_conv == 0):
        return refuted(tid, f"one-shot check says equilibrium={check.is_equilibrium} but NashConv = {expl.nash_conv}",
                       {"nash_conv": str(expl.nash_conv), "one_shot_max_gain": str(check.max_gain)})
    for d in check.deviations:
        br_gain = expl.gains[d.player, d.state]
        if d.gain > br_gain:
            return refuted(tid, f"one-shot gain {d.gain} of {d} exceeds the best-response gain {br_gain}",
                           {"deviation": d.as_dict(), "best_response_gain": str(br_gain)})
    return proven(tid, f"agree: equilibrium={check.is_equilibrium}, NashConv = {expl.nash_conv}",
                     {"nash_conv": str(expl.nash_conv)})


@theorem("nosde.reward_pair_exists", slow=True, strategy="nosde_games_with_seeds",
         citation=_CITATION,
         claim="for every NoSDE game Γ with a unique stationary equilibrium π there is a game Γ' differing only in "
               "its rewards, NoSDE, with its own unique stationary equilibrium π' ≠ π, Q_i^{π,Γ} = Q_i^{π',Γ'} "
               "for every i and V_i^{π,Γ} ≠ V_i^{π',Γ'} for some i (every part checked exactly)")
def check_reward_pair_exists(game: StochasticGame, seed: int) -> Verdict:
    """Build Γ' for a generated NoSDE game with the target drawn from ``seed`` (theory.md §6 constructive
    route) and verify every claim of the theorem exactly; PROVEN only when all of them are, REFUTED with
    the exact witness of the first failed claim."""
    tid = "nosde.reward_pair_exists"
    pair = build_reward_pair(game, seed=seed)
    failed = [v for v in pair.verdicts if not v.proven]
    if not failed:
        return proven(tid, f"Γ' built (target seed {seed}) and every claim of the theorem proven exactly",
                         {"claims": [v.theorem for v in pair.verdicts]})
    bad = failed[0]
    if bad.refuted:
        return refuted(tid, f"the construction fails claim {bad.theorem}: {bad.message}", dict(bad.witness))
    return not_established(tid, f"claim {bad.theorem} not decided: {bad.message}", dict(bad.witness))


# --- the keep/send family: structure and closed-form equilibrium -----------------------------------------------


def keep_send_structure(game: StochasticGame) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """``((mover, stay, switch) for state 0, (mover, stay, switch) for state 1)`` of a two-state keep/send game.

    A keep/send game (the book's NoSDE game and :func:`jalverify.strategies.nosde.nosde_games`): two players,
    two states, no terminal state; in each state exactly one player moves, a different one in each state, with
    two actions: ``stay`` leads back to the same state and ``switch`` to the other, both with probability 1.

    Raises
    ------
    UnsupportedGame
        The game is not of that shape; the message names the first difference.
    """
    where = "keep_send_structure()"
    label = f"game {game.name or '(unnamed)'!r}"
    if game.n_players != 2 or game.n_states != 2:
        raise UnsupportedGame(f"{where}: {label} has {game.n_players} players and {game.n_states} states; a "
                              f"keep/send game has 2 and 2")
    if any(game.terminal):
        terminal = [game.states[s] for s in range(game.n_states) if game.terminal[s]]
        raise UnsupportedGame(f"{where}: {label} has terminal states {terminal}; a keep/send game has none")
    out = []
    for s in range(2):
        movers = game.movers(s)
        if len(movers) != 1 or game.n_actions(s)[movers[0]] != 2:
            raise UnsupportedGame(f"{where}: {label}: state {game.states[s]!r} has action counts "
                                  f"{vector_text(game.n_actions(s), game.players)}; a keep/send game has one mover with 2 actions")
        m = movers[0]
        targets = []
        for a in range(2):
            joint = tuple(a if i == m else 0 for i in range(2))
            row = game.transitions[s][joint].tolist()
            nxt = [t for t, p in enumerate(row) if p != 0]
            if len(nxt) != 1:
                raise UnsupportedGame(f"{where}: {label}: action {game.actions[s][m][a]!r} in state "
                                      f"{game.states[s]!r} has a random transition {vector_text(row, game.states)}; a "
                                      f"keep/send game moves deterministically")
            targets.append(nxt[0])
        if sorted(targets) != [0, 1]:
            raise UnsupportedGame(f"{where}: {label}: the actions in state {game.states[s]!r} lead to states "
                                  f"({', '.join(game.states[t] for t in targets)}); a keep/send game has one that stays and "
                                  f"one that switches")
        out.append((m, targets.index(s), targets.index(1 - s)))
    if out[0][0] == out[1][0]:
        raise UnsupportedGame(f"{where}: {label}: player {game.players[out[0][0]]!r} moves in both states; a "
                              f"keep/send game has a different mover in each")
    return out[0], out[1]


def closed_form_equilibrium(game: StochasticGame) -> tuple[dict[str, Any], StationaryPolicy | None]:
    r"""The fully mixed candidate of a keep/send game from the movers' indifference conditions, exactly.

    Let ``m`` move in ``s`` and ``o`` in the other state ``t``; ``r_i(s, stay)`` etc. are expected rewards.  If
    ``m`` mixes in ``s`` it is indifferent, so staying for ever is optimal: :math:`V_m(s) = r_m(s,\mathrm{stay})
    / (1−γ)` and :math:`V_m(s) = r_m(s,\mathrm{switch}) + γ V_m(t)`, which gives :math:`V_m(t)`.  Then
    :math:`V_m(t) = q_t [r_m(t,\mathrm{stay}) + γ V_m(t)] + (1−q_t)[r_m(t,\mathrm{switch}) + γ V_m(s)]` is linear
    in ``o``'s probability :math:`q_t` of staying in ``t``: so :math:`q_t` is determined (the same for the other
    mover).

    Returns
    -------
    (dict, StationaryPolicy or None)
        The derivation (``{"<state>": {"stay_probability", "numerator", "denominator", "V_mover"}}`` as exact
        strings) and the policy, or ``None`` as the policy when a denominator is 0 or a probability lies outside
        the open interval (0, 1): then there is no fully mixed stationary equilibrium, and the dict says which
        state failed under ``"failed"``.

    Raises
    ------
    UnsupportedGame
        Not a keep/send game (:func:`keep_send_structure`) or not exact.
    """
    if not game.field.exact:
        raise UnsupportedGame(f"closed_form_equilibrium(): needs an exact game, got field {game.field.name!r}")
    structure = keep_send_structure(game)
    g = Fraction(game.gamma)
    r = [game.expected_rewards(s) for s in range(2)]

    def reward(s: int, player: int, action: int) -> Fraction:
        m = structure[s][0]
        return Fraction(r[s][(player,) + tuple(action if i == m else 0 for i in range(2))])

    stay_probability: dict[int, Fraction] = {}
    derivation: dict[str, Any] = {}
    for s in range(2):
        t = 1 - s
        m, stay_s, switch_s = structure[s]
        _, stay_t, switch_t = structure[t]
        v_s = reward(s, m, stay_s) / (1 - g)
        v_t = (v_s - reward(s, m, switch_s)) / g
        numerator = v_t - reward(t, m, switch_t) - g * v_s
        denominator = reward(t, m, stay_t) + g * v_t - reward(t, m, switch_t) - g * v_s
        entry = {"mover": game.players[m], "V_mover": {game.states[s]: str(v_s), game.states[t]: str(v_t)},
                 "numerator": str(numerator), "denominator": str(denominator)}
        derivation[game.states[t]] = entry
        if denominator == 0:
            derivation["failed"] = game.states[t]
            return derivation, None
        q = numerator / denominator
        entry["stay_probability"] = str(q)
        if not 0 < q < 1:
            derivation["failed"] = game.states[t]
            return derivation, None
        stay_probability[t] = q
    rows: list[list[Any]] = []
    for s in range(2):
        m, stay, switch = structure[s]
        d = [Fraction(0), Fraction(0)]
        d[stay], d[switch] = stay_probability[s], 1 - stay_probability[s]
        rows.append([d if i == m else [Fraction(1)] for i in range(2)])
    return derivation, StationaryPolicy(game, rows)


def _policy_text(game: StochasticGame, policy: StationaryPolicy) -> dict[str, dict[str, str]]:
    """``{state: {action: probability}}`` of each state's mover (the single-action players omitted)."""
    out = {}
    for s in range(game.n_states):
        movers = game.movers(s)
        i = movers[0] if movers else 0
        out[game.states[s]] = {game.actions[s][i][a]: format_number(p)
                               for a, p in enumerate(policy.distributions[s][i].tolist())}
    return out


# --- the five claims whose verdict ids the nosde modules define -------------------------------------------------


@theorem(NO_SDE_ID, strategy="nosde_games", citation=_CITATION + "; " + _FAMILY,
         claim="every game of the keep/send NoSDE family has no stationary deterministic equilibrium: each of its "
               "deterministic stationary joint policies has an exact profitable one-shot deviation")
def check_no_stationary_deterministic_equilibrium(game: StochasticGame) -> Verdict:
    """:func:`jalverify.nosde.find_stationary_deterministic_equilibrium` with a complete certificate (every
    profile evaluated exactly, none resting on the pruning); REFUTED with the equilibrium found."""
    detection = find_stationary_deterministic_equilibrium(game, witnesses=True)
    if detection.is_nosde and not detection.complete_certificate:
        return not_established(NO_SDE_ID, f"the certificate covers {len(detection.deviations)} of "
                                          f"{detection.n_profiles} profiles", {"n_profiles": detection.n_profiles})
    return detection.verdict


@theorem(UNIQUENESS_ID, slow=True, strategy="nosde_games", citation=_CITATION + "; " + _FAMILY,
         claim="every game of the keep/send NoSDE family has exactly one stationary equilibrium, and it is fully "
               "mixed (complete exact support enumeration)")
def check_unique_stationary_equilibrium(game: StochasticGame) -> Verdict:
    """The uniqueness verdict of :func:`jalverify.nosde.turn_based_stationary_equilibria`; a unique equilibrium
    that is pure in some state refutes the "fully mixed" part."""
    result = turn_based_stationary_equilibria(game)
    if result.uniqueness.status is not Status.PROVEN:
        return result.uniqueness
    (eq,) = result.equilibria
    pure = [game.states[s] for s in range(game.n_states) for i in game.movers(s)
            if sum(1 for p in eq.distributions[s][i].tolist() if p != 0) < 2]
    if pure:
        return refuted(UNIQUENESS_ID, f"the unique stationary equilibrium is pure in state {pure[0]!r}",
                       {"equilibrium": _policy_text(game, eq), "pure_in": pure})
    return proven(UNIQUENESS_ID, result.uniqueness.message + "; it is fully mixed",
                  {"equilibrium": _policy_text(game, eq), "n_support_profiles": result.n_support_profiles})


@theorem(STATIONARY_EQUILIBRIUM_ID, strategy="nosde_games",
         citation=_CITATION + "; one-shot deviation principle: Puterman (1994), Thm. 6.2.6; Fink (1964)",
         claim="in a keep/send NoSDE game the movers' indifference conditions (V_m(s) = r_m(s,stay)/(1−γ) for the "
               "mover m of s) give each mover's stay probability in (0, 1) in closed form, and that fully mixed "
               "policy is a stationary equilibrium: every one-shot gain is exactly ≤ 0 and no agent's exact best "
               "response gains anything (NashConv = 0)")
def check_stationary_equilibrium_closed_form(game: StochasticGame) -> Verdict:
    """Closed form (:func:`closed_form_equilibrium`), then :func:`jalverify.nosde.stationary_equilibrium_verdict`
    and, independently, exact policy-iteration best responses.  Vacuous (PROVEN) when the game has a stationary
    deterministic equilibrium (outside the claim)."""
    tid = STATIONARY_EQUILIBRIUM_ID
    structure = keep_send_structure(game)
    if not find_stationary_deterministic_equilibrium(game, witnesses=False).is_nosde:
        return proven(tid, "the game has a stationary deterministic equilibrium (vacuous)", {})
    derivation, policy = closed_form_equilibrium(game)
    if policy is None:
        failed = derivation["failed"]
        return refuted(tid, f"the indifference conditions give no stay probability in (0, 1) in state {failed!r}: "
                            f"{derivation[failed]}", {"derivation": derivation})
    one_shot = stationary_equilibrium_verdict(game, policy)
    if one_shot.status is not Status.PROVEN:
        return Verdict(tid, one_shot.status, f"closed-form policy {_policy_text(game, policy)}: {one_shot.message}",
                       {"policy": _policy_text(game, policy), **dict(one_shot.witness)}, one_shot.tolerance,
                       one_shot.worst)
    expl = exploitability(game, policy)
    if not expl.certified:
        return not_established(tid, "the exact best responses to the closed-form policy were not certified",
                               {"policy": _policy_text(game, policy)})
    if expl.nash_conv != 0:
        return refuted(tid, f"the one-shot check passes but the exact best responses gain NashConv = "
                            f"{expl.nash_conv} against {_policy_text(game, policy)}",
                       {"policy": _policy_text(game, policy), "nash_conv": num(expl.nash_conv)})
    movers = [game.players[structure[s][0]] for s in range(2)]
    return proven(tid, f"closed-form policy {_policy_text(game, policy)} (movers {movers}) is a stationary "
                       f"equilibrium: every one-shot gain ≤ 0 and NashConv = 0, exactly",
                  {"policy": _policy_text(game, policy), "derivation": derivation})


@theorem(VI_CYCLES_ID, slow=True, strategy="nosde_games", citation=_CITATION + "; Albrecht et al. (2024), Algorithms 6-7; "
         "theory.md §2; " + _FAMILY,
         claim="on a keep/send NoSDE game, value iteration with a deterministic stage solution (the mover's greedy "
               "action, lowest index on ties) never settles: its greedy policies cycle with period ≥ 2, certified "
               f"exactly within {VALUE_ITERATION_BUDGET} iterations")
def check_value_iteration_cycles(game: StochasticGame) -> Verdict:
    """The verdict of :func:`jalverify.nosde.value_iteration_cycle` (budget :data:`VALUE_ITERATION_BUDGET`):
    PROVEN for a certified period ≥ 2, REFUTED for a certified fixed point (which would be a stationary
    deterministic equilibrium), NOT_ESTABLISHED when no cycle is certified within the budget."""
    return value_iteration_cycle(game, max_iterations=VALUE_ITERATION_BUDGET).verdict


def _uniform_policy(game: StochasticGame) -> StationaryPolicy:
    return StationaryPolicy(game, [[[Fraction(1, k)] * k for k in game.n_actions(s)] for s in range(game.n_states)])


@theorem(Q_INSUFFICIENT_ID, strategy="stochastic_games_with_policies",
         citation=_CITATION + "; theory.md §6 (constructive route)",
         claim="Q does not determine the policy: for every stochastic game Γ and stationary policies π and π' "
               "(here π' uniform), the game Γ' with rewards R'_i(s,a) = Q^{π,Γ}_i(s,a) − γ Σ_s' T(s'|s,a) V'_i(s'), "
               "V'_i(s) = Σ_a π'(a|s) Q^{π,Γ}_i(s,a), differs from Γ only in its rewards and has "
               "Q^{π',Γ'} = Q^{π,Γ} and V^{π',Γ'} = V' exactly")
def check_q_insufficient(game: StochasticGame, policy: Any) -> Verdict:
    """Build Γ' with :func:`jalverify.nosde.prime_game` for π' uniform and evaluate π' in Γ' exactly (an
    independent linear solve), comparing every part of the claim; float games are taken at their exact binary
    values."""
    tid = Q_INSUFFICIENT_ID
    if not isinstance(policy, StationaryPolicy):
        return proven(tid, "not an independent stationary policy (vacuous)", {})
    if not game.field.exact:
        game = game.to_field(EXACT, allow_float=True)
        policy = StationaryPolicy(game, [[d.tolist() for d in per] for per in policy.distributions], allow_float=True)
    target = _uniform_policy(game)
    values = evaluate_policy(game, policy)
    prime = prime_game(game, policy, target, values=values)
    for what, a, b in (("players", game.players, prime.players), ("states", game.states, prime.states),
                       ("actions", game.actions, prime.actions), ("gamma", game.gamma, prime.gamma),
                       ("terminal", game.terminal, prime.terminal)):
        if a != b:
            return refuted(tid, f"Γ' differs from Γ in its {what}: {a} vs {b}", {"field": what})
    for s in range(game.n_states):
        if not bool(np.all(game.transitions[s] == prime.transitions[s])):
            return refuted(tid, f"Γ' differs from Γ in the transitions of state {game.states[s]!r}",
                           {"field": "transitions", "state": game.states[s]})
    target_prime = StationaryPolicy(prime, [list(per) for per in target.distributions])
    prime_values = evaluate_policy(prime, target_prime)
    q_check = q_equal_verdict(game, values, prime_values)
    if q_check.refuted:
        return refuted(tid, q_check.message, q_check.witness)
    expected_v = state_values_from_q(game, target, values.Q)
    for i in range(game.n_players):
        for s in range(game.n_states):
            if prime_values.V[i, s] != expected_v[i, s]:
                return refuted(tid, f"V^(π',Γ') of player {game.players[i]!r} in state {game.states[s]!r} is "
                                    f"{prime_values.V[i, s]}, not π'·Q = {expected_v[i, s]}",
                               {"player": game.players[i], "state": game.states[s],
                                "v_prime": num(prime_values.V[i, s]), "expected": num(expected_v[i, s])})
    same = "π' = π, so Γ' = Γ" if target == policy else "π' ≠ π"
    return proven(tid, f"Γ' (rewards changed only) gives π' the same Q as π in Γ, exactly ({same})",
                  {"V": [nums(row) for row in values.V.tolist()],
                   "V_prime": [nums(row) for row in prime_values.V.tolist()]})
