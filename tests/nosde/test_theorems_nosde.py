"""Registry entries ``nosde.*``: the book's game refutes "Q determines the policy"; the one-shot check agrees
with exact best responses."""

from __future__ import annotations

from fractions import Fraction as F

from jalverify.games.stochastic import StationaryPolicy
from jalverify.theorems.nosde import book_nosde_case, check_one_shot_matches_best_response, check_q_determines_policy
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, load_all
from jalverify.verdicts import Status


def test_registered():
    registry = load_all()
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
