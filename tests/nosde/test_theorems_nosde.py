"""Registry entries ``nosde.*``: every verdict id the nosde modules define is registered; the book's game refutes
"Q determines the policy" and gives the known answers of the other claims; the one-shot check agrees with exact
best responses."""

from __future__ import annotations

import ast
from fractions import Fraction as F
from pathlib import Path

import pytest

import jalverify
from jalverify.errors import UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.nosde import CLAIMS
from jalverify.theorems.nosde import (
    book_nosde_case,
    check_no_stationary_deterministic_equilibrium,
    check_one_shot_matches_best_response,
    check_q_determines_policy,
    check_q_insufficient,
    check_stationary_equilibrium_closed_form,
    check_unique_stationary_equilibrium,
    check_value_iteration_cycles,
    closed_form_equilibrium,
    keep_send_structure,
)
from jalverify.theorems.registry import HOLDS, REFUTED_AS_EXPECTED, load_all
from jalverify.verdicts import Status

PACKAGE = Path(jalverify.__file__).parent

#: The verdict ids the nosde modules define (they were defined but not registered before; see issue 10 §7).
NOSDE_IDS = (
    "nosde.no_stationary_deterministic_equilibrium",
    "nosde.unique_stationary_equilibrium",
    "nosde.stationary_equilibrium",
    "nosde.value_iteration_cycles",
    "nosde.q_insufficient",
)


def _id_constants() -> dict[str, str]:
    """Module-level ``*_ID = "family.name"`` constants under jalverify/, as ``{"path:NAME": id}``."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id.endswith("_ID") and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str) and "." in node.value.value):
                found[f"{path.relative_to(PACKAGE)}:{node.targets[0].id}"] = node.value.value
    return found


def _verdict_literals(path: Path) -> set[str]:
    """String literals passed as the theorem id (first argument or ``theorem=``) of ``Verdict(...)`` calls."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Verdict":
            args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "theorem"]
            out |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return out


def test_every_theorem_id_constant_is_registered():
    """Every ``*_ID`` constant names a registered theorem, or a validation claim registered in ``CHECK_IDS``."""
    from jalverify.validation.checks import CHECK_IDS

    registry = load_all()
    constants = _id_constants()
    assert set(NOSDE_IDS) <= set(constants.values()), constants
    missing = {where: tid for where, tid in constants.items() if tid not in registry and tid not in CHECK_IDS}
    assert not missing, f"theorem ids defined but not registered: {missing}"


def test_every_verdict_id_of_the_nosde_modules_is_registered_or_a_sub_claim_of_one():
    registry = load_all()
    literals = set()
    for path in [*(PACKAGE / "nosde").glob("*.py"), PACKAGE / "theorems" / "nosde.py"]:
        literals |= _verdict_literals(path)
    unregistered = sorted(t for t in literals if t not in registry)
    assert not unregistered, unregistered
    # the sub-claims checked by verify_reward_pair are parts of the registered theorem nosde.q_insufficient
    assert all(c.rsplit(".", 1)[0] in registry for c in CLAIMS)


def test_new_ids_are_registered_with_a_claim_a_strategy_and_a_citation():
    registry = load_all()
    for tid in NOSDE_IDS:
        t = registry[tid]
        assert t.expected == HOLDS and t.claim and t.citation and t.strategy, tid
        assert t.requires == (), tid


def test_registered():
    registry = load_all()
    assert {t for t in registry if t.startswith("nosde.")} == {*NOSDE_IDS, "nosde.q_determines_policy",
                                                                "nosde.one_shot_matches_best_response",
                                                                "nosde.reward_pair_exists"}
    assert registry["nosde.q_determines_policy"].expected == REFUTED_AS_EXPECTED
    assert registry["nosde.one_shot_matches_best_response"].expected == "holds"


def test_book_game_refutes_q_determines_policy():
    verdict = check_q_determines_policy(*book_nosde_case())
    assert verdict.status is Status.REFUTED
    w = verdict.witness
    assert w["policy_gamma"]["s1"]["agent1"] == {"keep": "1/3", "send": "2/3"}
    assert w["policy_prime"]["s1"]["agent1"] != w["policy_gamma"]["s1"]["agent1"]
    assert {r["state"] + r["player"]: (r["v_gamma"], r["v_prime"]) for r in w["v"]}["s1agent2"] == ("16/3", "5")


def test_vacuous_on_a_game_with_an_sde(keep_send):
    game = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    verdict = check_q_determines_policy(game)
    assert verdict.status is Status.PROVEN and "vacuous" in verdict.message


def test_one_shot_matches_best_response_on_the_book_game(book_game):
    eq = StationaryPolicy(book_game, [[[F(1, 3), F(2, 3)], [1]], [[1], [F(7, 12), F(5, 12)]]])
    assert check_one_shot_matches_best_response(book_game, eq).witness == {"nash_conv": "0"}
    for choice in ([[0, 0], [0, 0]], [[1, 0], [0, 1]]):
        verdict = check_one_shot_matches_best_response(book_game, StationaryPolicy.deterministic(book_game, choice))
        assert verdict.status is Status.PROVEN and verdict.witness["nash_conv"] != "0"


def test_book_game_known_answers_of_the_new_claims(book_game):
    # the book's equilibrium: agent 1 keeps with 1/3 in s1, agent 2 keeps with 7/12 in s2 (the values 4 and 16/3)
    derivation, policy = closed_form_equilibrium(book_game)
    assert policy.distributions[0][0].tolist() == [F(1, 3), F(2, 3)]
    assert policy.distributions[1][1].tolist() == [F(7, 12), F(5, 12)]
    assert derivation["s2"]["V_mover"] == {"s1": "4", "s2": "16/3"}
    for check in (check_no_stationary_deterministic_equilibrium, check_unique_stationary_equilibrium,
                  check_stationary_equilibrium_closed_form, check_value_iteration_cycles):
        verdict = check(book_game)
        assert verdict.status is Status.PROVEN, verdict
    verdict = check_unique_stationary_equilibrium(book_game)
    assert verdict.witness["equilibrium"] == {"s1": {"keep": "1/3", "send": "2/3"}, "s2": {"keep": "7/12", "send": "5/12"}}
    assert check_value_iteration_cycles(book_game).witness["period"] >= 2
    assert len(check_no_stationary_deterministic_equilibrium(book_game).witness["deviations"]) == 4


def test_q_insufficient_on_the_book_equilibrium(book_game):
    eq = StationaryPolicy(book_game, [[[F(1, 3), F(2, 3)], [1]], [[1], [F(7, 12), F(5, 12)]]])
    verdict = check_q_insufficient(book_game, eq)
    assert verdict.status is Status.PROVEN, verdict
    # the uniform π' has other values than π: V_agent1(s1) = 4 under π
    assert verdict.witness["V"][0][0] == "4" and verdict.witness["V_prime"] != verdict.witness["V"]


def test_a_game_with_an_sde_refutes_no_sde_and_is_vacuous_for_the_closed_form(keep_send):
    game = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    verdict = check_no_stationary_deterministic_equilibrium(game)
    assert verdict.status is Status.REFUTED and verdict.witness["equilibrium"]["s1"] == ["keep", "none"]
    closed = check_stationary_equilibrium_closed_form(game)
    assert closed.status is Status.PROVEN and "vacuous" in closed.message


def test_keep_send_structure_names_what_differs(book_game):
    assert keep_send_structure(book_game) == ((0, 0, 1), (1, 0, 1))
    with pytest.raises(UnsupportedGame, match=r"keep_send_structure\(\): .*1 players and 1 states"):
        keep_send_structure(StochasticGame(["p"], ["s"], [[("a", "b")]], [{("a",): {"s": 1}, ("b",): {"s": 1}}],
                                           [[[1, 0]]], "1/2"))
