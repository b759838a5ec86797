"""The Γ, Γ' construction on the book's game: every claim of the theorem checked exactly."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from jalverify.errors import UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy
from jalverify.nosde import CLAIMS, build_reward_pair, choose_target, prime_game, verify_reward_pair
from jalverify.nosde.turn_based_equilibria import turn_based_stationary_equilibria
from jalverify.verdicts import Status


def equilibrium(game):
    return StationaryPolicy(game, [[[F(1, 3), F(2, 3)], [1]], [[1], [F(7, 12), F(5, 12)]]])


def halves(game):
    return StationaryPolicy(game, [[[F(1, 2), F(1, 2)], [1]], [[1], [F(1, 2), F(1, 2)]]])


def test_book_pair_with_half_half_target_all_claims_confirmed(book_game):
    r"""Target π' = (1/2, 1/2) in both states.  With Q = Q^{π,Γ} (agent 1: s1 (4, 4), s2 (7, 3); agent 2:
    s1 (4, 6), s2 (4, 4)): V'_1 = (4, 5), V'_2 = (5, 4), and R'_i(s,a) = Q_i(s,a) - 3/4 V'_i(next):
    agent 1: s1 keep 4 - 3 = 1, send 4 - 15/4 = 1/4, s2 keep 7 - 15/4 = 13/4, send 3 - 3 = 0;
    agent 2: s1 keep 4 - 15/4 = 1/4, send 6 - 3 = 3, s2 keep 4 - 3 = 1, send 4 - 15/4 = 1/4."""
    pair = build_reward_pair(book_game, halves(book_game))
    assert [v.theorem for v in pair.verdicts] == list(CLAIMS)
    assert pair.proven, [str(v) for v in pair.verdicts if not v.proven]
    r = [pair.prime.expected_rewards(s) for s in range(2)]
    assert [r[0][0, a, 0] for a in range(2)] == [1, F(1, 4)]
    assert [r[1][0, 0, a] for a in range(2)] == [F(13, 4), 0]
    assert [r[0][1, a, 0] for a in range(2)] == [F(1, 4), 3]
    assert [r[1][1, 0, a] for a in range(2)] == [1, F(1, 4)]
    assert [list(row) for row in pair.values.V] == [[4, F(16, 3)], [F(16, 3), 4]]
    assert [list(row) for row in pair.prime_values.V] == [[4, 5], [5, 4]]
    for s in range(2):
        assert (pair.values.Q[s] == pair.prime_values.Q[s]).all()
    assert pair.verdict("v_differs").witness == {"player": "agent 1", "state": "s2", "v_gamma": "16/3", "v_prime": "5"}


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_book_pair_from_seed_all_claims_confirmed(book_game, seed):
    pair = build_reward_pair(book_game, seed=seed)
    assert pair.proven, [str(v) for v in pair.verdicts if not v.proven]
    assert pair.target.game is pair.prime and pair.target != equilibrium(book_game)


def test_target_equal_to_pi_is_refuted(book_game):
    pi = equilibrium(book_game)
    prime = prime_game(book_game, pi, pi)
    pair = verify_reward_pair(book_game, pi, prime, pi)
    assert pair.verdict("policies_differ").status is Status.REFUTED
    assert pair.verdict("v_differs").status is Status.REFUTED
    assert pair.verdict("q_equal").status is Status.PROVEN
    assert prime == book_game.with_rewards([book_game.expected_rewards(s) for s in range(2)], name=prime.name)


def test_deterministic_target_gives_an_sde_and_is_refuted(book_game):
    """A deterministic π' on the tied actions is an equilibrium of Γ', so Γ' is not NoSDE (REFUTED, witness)."""
    pi = equilibrium(book_game)
    target = StationaryPolicy.deterministic(book_game, [[0, 0], [0, 0]])
    pair = verify_reward_pair(book_game, pi, prime_game(book_game, pi, target), target)
    nosde = pair.verdict("prime_nosde")
    assert nosde.status is Status.REFUTED
    assert nosde.witness["equilibrium"] == {"s1": ["keep", "none"], "s2": ["none", "keep"]}
    assert pair.verdict("q_equal").status is Status.PROVEN


def test_choose_target_keeps_supports_and_differs(book_game):
    pi = equilibrium(book_game)
    for seed in range(5):
        t = choose_target(pi, seed=seed)
        assert t != pi
        assert all(p > 0 for p in t.distributions[0][0]) and all(p > 0 for p in t.distributions[1][1])
    with pytest.raises(UnsupportedGame, match="deterministic"):
        choose_target(StationaryPolicy.deterministic(book_game, [[0, 0], [0, 0]]))


def test_game_without_unique_equilibrium_is_refused(keep_send):
    zero = {(s, a): (0, 0) for s in ("s1", "s2") for a in ("keep", "send")}
    with pytest.raises(UnsupportedGame, match="unique stationary equilibrium"):
        build_reward_pair(keep_send(zero))


def test_prime_game_equilibria_recomputed_independently(book_game):
    pair = build_reward_pair(book_game, halves(book_game))
    (eq,) = turn_based_stationary_equilibria(pair.prime).equilibria
    assert list(eq.distributions[0][0]) == [F(1, 2), F(1, 2)]
    assert list(eq.distributions[1][1]) == [F(1, 2), F(1, 2)]


def test_target_off_the_tied_support_is_not_an_equilibrium_of_prime(book_game, keep_send):
    """Γ' built from a policy π that is *not* Γ's equilibrium: the target need not be an equilibrium of Γ' when
    the mover's Q is not tied; the uniqueness claim is REFUTED with the exact deviation."""
    pi = StationaryPolicy(book_game, [[[F(1, 2), F(1, 2)], [1]], [[1], [F(1, 2), F(1, 2)]]])
    target = StationaryPolicy(book_game, [[[F(1, 4), F(3, 4)], [1]], [[1], [F(1, 2), F(1, 2)]]])
    pair = verify_reward_pair(book_game, pi, prime_game(book_game, pi, target), target)
    assert pair.verdict("q_equal").status is Status.PROVEN  # by construction, for any π and π'
    assert pair.verdict("hypothesis_unique").status is Status.REFUTED
    verdict = pair.verdict("prime_unique")
    assert verdict.status is Status.REFUTED and "deviation" in verdict.witness
