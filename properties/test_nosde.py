"""Property suite for NoSDE games (Zinkevich, Greenwald & Littman 2005; Albrecht et al. 2024, p.126; theory.md §6).

Games come from :func:`jalverify.strategies.nosde.nosde_games` (turn-based two-state keep/send games whose best
responses cycle by construction); every claim is decided exactly.  Run: ``pytest properties/test_nosde.py``
(``--hypothesis-profile=thorough`` for a long run).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.nosde import (
    build_reward_pair,
    check_stationary_equilibrium,
    find_stationary_deterministic_equilibrium,
    turn_based_stationary_equilibria,
    value_iteration_cycle,
)
from jalverify.nosde.value_iteration_cycle import CycleStatus
from jalverify.strategies import case_strategy
from jalverify.strategies.nosde import nosde_games
from jalverify.strategies.stochastic import stochastic_games, turn_based_games
from jalverify.theorems.nosde import (
    VALUE_ITERATION_BUDGET,
    check_no_stationary_deterministic_equilibrium,
    check_one_shot_matches_best_response,
    check_q_determines_policy,
    check_q_insufficient,
    check_reward_pair_exists,
    check_stationary_equilibrium_closed_form,
    check_unique_stationary_equilibrium,
    check_value_iteration_cycles,
    closed_form_equilibrium,
)
from jalverify.verdicts import Status


@given(nosde_games())
def test_nosde_no_stationary_deterministic_equilibrium(game):
    """The detector confirms the construction: every deterministic profile has an exact profitable deviation."""
    result = find_stationary_deterministic_equilibrium(game)
    assert result.is_nosde, result.verdict.message
    assert result.complete_certificate
    assert all(d.deviation.gain > 0 for d in result.deviations)
    verdict = check_no_stationary_deterministic_equilibrium(game)
    assert verdict.status is Status.PROVEN and verdict.theorem == "nosde.no_stationary_deterministic_equilibrium"
    assert len(verdict.witness["deviations"]) == result.n_profiles == 4


@given(nosde_games())
def test_nosde_unique_stationary_equilibrium(game):
    """The family's stationary equilibrium is unique, fully mixed, and certified by the one-shot check."""
    result = turn_based_stationary_equilibria(game)
    assert result.uniqueness.status is Status.PROVEN, result.uniqueness.message
    (eq,) = result.equilibria
    assert all(p > 0 for p in eq.distributions[0][0]) and all(p > 0 for p in eq.distributions[1][1])
    assert result.checks[0].max_gain == 0
    verdict = check_unique_stationary_equilibrium(game)
    assert verdict.status is Status.PROVEN, verdict.message
    # differential: the enumeration's equilibrium is the closed form of the movers' indifference conditions
    _, closed = closed_form_equilibrium(game)
    assert closed == eq


@given(nosde_games())
def test_nosde_stationary_equilibrium(game):
    """The closed-form fully mixed policy passes the one-shot check and exact best responses (NashConv = 0), and
    shifting either mover's probability by any amount makes some one-shot deviation profitable (it is the only
    fully mixed equilibrium)."""
    verdict = check_stationary_equilibrium_closed_form(game)
    assert verdict.status is Status.PROVEN and "vacuous" not in verdict.message, verdict.message
    _, policy = closed_form_equilibrium(game)
    for s in range(2):
        (m,) = game.movers(s)
        d = policy.distributions[s][m].tolist()
        shifted = [d[0] / 2, 1 - d[0] / 2]
        assert not check_stationary_equilibrium(game, policy.with_player(
            m, [shifted if t == s else policy.distributions[t][m] for t in range(2)])).is_equilibrium


@given(case_strategy("nosde_games_with_seeds"))
def test_nosde_reward_pair_exists(case):
    """Γ' built by the constructive route passes every claim of the theorem exactly: Γ' NoSDE, π' its unique
    equilibrium, π' ≠ π, equal Q for every agent, different V for some agent (and Γ's hypotheses)."""
    game, seed = case
    pair = build_reward_pair(game, seed=seed)
    assert pair.proven, [str(v) for v in pair.verdicts if not v.proven]
    assert check_reward_pair_exists(game, seed).status is Status.PROVEN


@given(nosde_games())
def test_nosde_value_iteration_cycles(game):
    """Greedy value iteration never settles on a NoSDE game: a cycle of period ≥ 2 is certified exactly."""
    result = value_iteration_cycle(game, max_iterations=VALUE_ITERATION_BUDGET)
    assert result.status is CycleStatus.CERTIFIED, result.verdict.message
    assert result.period >= 2 and result.verdict.status is Status.PROVEN
    assert check_value_iteration_cycles(game) == result.verdict
    # the certified block is not a constant policy written several times
    assert len(set(result.cycle)) >= 2


@given(case_strategy("stochastic_games_with_policies"))
def test_nosde_q_insufficient(case):
    """The Q-preserving reward change gives the uniform policy exactly the same Q in Γ' on every generated
    stochastic game and policy."""
    verdict = check_q_insufficient(*case)
    assert verdict.status is Status.PROVEN, verdict.message


@settings(max_examples=15)
@given(turn_based_games(zero_sum=st.booleans(), states=st.integers(1, 2), actions=st.integers(1, 2)))
def test_nosde_enumeration_agrees_with_detection(game):
    """Differential: the support enumeration's deterministic equilibria exist iff the detector finds an SDE, and
    every enumerated equilibrium passes the exact one-shot check."""
    detection = find_stationary_deterministic_equilibrium(game)
    enumeration = turn_based_stationary_equilibria(game)
    deterministic = [e for e in enumeration.equilibria if e.is_deterministic()]
    assert detection.is_nosde == (not deterministic)
    if not detection.is_nosde:
        assert any(e == detection.equilibria[0] for e in deterministic)
    assert all(c.is_equilibrium for c in enumeration.checks)


@given(case_strategy("stochastic_games_with_policies"))
def test_nosde_one_shot_matches_best_response(case):
    """Differential: the one-shot deviation check agrees with exact policy-iteration best responses."""
    verdict = check_one_shot_matches_best_response(*case)
    assert verdict.status is Status.PROVEN, verdict.message


@settings(max_examples=20)
@given(stochastic_games(players=st.integers(1, 3), states=st.integers(1, 3), actions=st.integers(1, 2)))
def test_nosde_pruned_detection_agrees_with_exhaustive(game):
    """Differential: best-response pruning changes nothing: same answer, same certificate profiles."""
    pruned = find_stationary_deterministic_equilibrium(game, prune=True)
    full = find_stationary_deterministic_equilibrium(game, prune=False)
    assert pruned.status is full.status
    if pruned.is_nosde:
        assert [d.choice for d in pruned.deviations] == [d.choice for d in full.deviations]
    else:
        assert check_stationary_equilibrium(game, pruned.equilibria[0]).is_equilibrium


@settings(max_examples=10)
@given(nosde_games())
def test_nosde_q_determines_policy(game):
    """Expected refutation: every generated keep/send NoSDE game (unique, fully mixed equilibrium) refutes "Q
    determines the policy", with Γ' whose equilibrium differs and whose Q is exactly equal."""
    verdict = check_q_determines_policy(game)
    assert verdict.status is Status.REFUTED, verdict.message
    assert verdict.witness["policy_prime"] != verdict.witness["policy_gamma"]
