r"""The Γ, Γ' construction: two NoSDE games with equal Q-functions at their unique equilibria, different values.

Theorem (Zinkevich, Greenwald & Littman 2005, NIPS 18, Thm. 1; Albrecht, Christianos & Schäfer 2024, p.126,
Eq. 6.12; theory.md §6).  For any NoSDE game Γ with a unique stationary equilibrium π there is a NoSDE game Γ'
differing from Γ only in its rewards, with its own unique stationary equilibrium π' ≠ π, such that
:math:`Q_i^{π,Γ} = Q_i^{π',Γ'}` for every agent ``i`` and :math:`V_i^{π,Γ} ≠ V_i^{π',Γ'}` for some ``i``.  So
action probabilities cannot in general be computed from Q alone: the limitation of JAL-GT (seed note 000).

Construction (theory.md §6): keep :math:`Q = Q^{π,Γ}`, pick a target π', set
:math:`V'_i(s) = Σ_a π'(a \mid s) Q_i(s, a)` and

.. math::  R'_i(s, a) = Q_i(s, a) - γ Σ_{s'} T(s' \mid s, a) V'_i(s').

Then :math:`V'` solves the evaluation equations of π' in Γ', so :math:`V^{π',Γ'} = V'` and
:math:`Q^{π',Γ'} = Q`.  With Q fixed, the equilibrium conditions at a state depend only on Q and on the supports
(in a turn-based game): π' must mix over actions that tie in the mover's Q, which is why
:func:`choose_target` keeps π's supports and draws other probabilities on them.  Nothing else is assumed:
:func:`verify_reward_pair` checks every claim exactly (NoSDE by enumeration, uniqueness by support
enumeration, Q and V by exact policy evaluation) and reports each as a :class:`~jalverify.verdicts.Verdict`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidPolicy, UnknownName, UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.games.tables import number_text, state_joint_text, stationary_policy_text, vector_text
from jalverify.nosde.detection import SDEDetection, choice_text, find_stationary_deterministic_equilibrium
from jalverify.nosde.equilibrium_check import check_stationary_equilibrium
from jalverify.nosde.turn_based_equilibria import TurnBasedEquilibria, turn_based_stationary_equilibria
from jalverify.numbers import format_number
from jalverify.solvers.evaluation import PolicyValues, evaluate_policy, state_values_from_q
from jalverify.verdicts import Status, Verdict

__all__ = [
    "CLAIMS",
    "THEOREM_ID",
    "RewardPair",
    "build_reward_pair",
    "choose_target",
    "policy_as_dict",
    "prime_game",
    "q_equal_verdict",
    "verify_reward_pair",
]

THEOREM_ID = "nosde.q_insufficient"

#: Claim ids checked by :func:`verify_reward_pair`, in order (the first two are the theorem's hypotheses).
CLAIMS: tuple[str, ...] = (
    f"{THEOREM_ID}.hypothesis_nosde",
    f"{THEOREM_ID}.hypothesis_unique",
    f"{THEOREM_ID}.rewards_only",
    f"{THEOREM_ID}.prime_nosde",
    f"{THEOREM_ID}.prime_unique",
    f"{THEOREM_ID}.policies_differ",
    f"{THEOREM_ID}.q_equal",
    f"{THEOREM_ID}.v_differs",
)


@dataclass(frozen=True)
class RewardPair:
    """Γ with its equilibrium π, Γ' with its target π', the exact values of both, and one verdict per claim.

    Attributes
    ----------
    game, policy : StochasticGame, StationaryPolicy
        Γ and π.
    prime, target : StochasticGame, StationaryPolicy
        Γ' and π' (a policy of Γ').
    values, prime_values : PolicyValues
        :math:`V^{π,Γ}, Q^{π,Γ}` and :math:`V^{π',Γ'}, Q^{π',Γ'}`, exact.
    verdicts : tuple of Verdict
        One per id in :data:`CLAIMS`, in that order.
    """

    game: StochasticGame
    policy: StationaryPolicy
    prime: StochasticGame
    target: StationaryPolicy
    values: PolicyValues
    prime_values: PolicyValues
    verdicts: tuple[Verdict, ...]

    @property
    def proven(self) -> bool:
        """Every claim (hypotheses included) proven exactly."""
        return all(v.status is Status.PROVEN for v in self.verdicts)

    @property
    def refuted(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.status is Status.REFUTED)

    def verdict(self, claim: str) -> Verdict:
        """The verdict of one claim (full id, or the last component such as ``"q_equal"``)."""
        for v in self.verdicts:
            if v.theorem == claim or v.theorem.rsplit(".", 1)[-1] == claim:
                return v
        raise UnknownName(f"RewardPair.verdict(): no claim {claim!r}; claims are {', '.join(CLAIMS)}")


def policy_as_dict(policy: StationaryPolicy) -> dict[str, dict[str, dict[str, str | float]]]:
    """``{state: {player: {action: probability}}}`` with exact ``p/q`` strings."""
    game = policy.game
    return {
        game.states[s]: {
            game.players[i]: {game.actions[s][i][a]: format_number(p) for a, p in enumerate(d.tolist())}
            for i, d in enumerate(per)
        }
        for s, per in enumerate(policy.distributions)
    }


def prime_game(game: StochasticGame, policy: StationaryPolicy, target: StationaryPolicy, *,
               values: PolicyValues | None = None, name: str | None = None) -> StochasticGame:
    """Γ': Γ with rewards :math:`R'_i(s,a) = Q^{π,Γ}_i(s,a) - γ Σ_{s'} T(s'|s,a) V'_i(s')`, :math:`V' = π' · Q`.

    Parameters
    ----------
    game : StochasticGame
        Γ (exact field).
    policy : StationaryPolicy
        π, a policy of Γ (normally its unique equilibrium).
    target : StationaryPolicy
        π', a policy of Γ (same states and actions).
    values : PolicyValues, optional
        Precomputed ``evaluate_policy(game, policy)``.
    name : str, optional
        Name of Γ' (default: Γ's name with a prime).
    """
    if not game.field.exact:
        raise UnsupportedGame(f"prime_game(): needs an exact game, got field {game.field.name!r}")
    for label, p in (("policy", policy), ("target", target)):
        if p.game is not game and p.game != game:
            raise InvalidPolicy(f"prime_game(): the {label} belongs to another game ({p.game.name or 'unnamed'}), "
                                f"not to {game.name or 'the unnamed game'}")
    pv = values if values is not None else evaluate_policy(game, policy)
    Q = pv.Q
    Vp = state_values_from_q(game, target, Q)
    gamma = game.gamma
    S, n = game.n_states, game.n_players
    rewards = []
    for s in range(S):
        T = game.transitions[s]
        R = np.empty(Q[s].shape, dtype=object)
        for joint in game.joint_actions(s):
            nxt = [(t, T[joint + (t,)]) for t in range(S) if T[joint + (t,)] != 0]
            for i in range(n):
                R[(i,) + joint] = Q[s][(i,) + joint] - gamma * sum((p * Vp[i, t] for t, p in nxt), Fraction(0))
        rewards.append(R)
    label = name if name is not None else (f"{game.name}'" if game.name else "prime")
    return game.with_rewards(rewards, name=label)


def choose_target(policy: StationaryPolicy, *, seed: int = 0, max_weight: int = 9) -> StationaryPolicy:
    """A target π' with π's supports and other probabilities, drawn reproducibly from ``seed``.

    Wherever a player mixes under π, new probabilities on the same support are drawn as integer weights in
    ``1..max_weight`` divided by their sum; pure choices are kept.  Redrawn until π' ≠ π.

    Raises
    ------
    UnsupportedGame
        π is deterministic (then no target with the same supports differs from it).
    """
    game = policy.game
    fld = game.field
    mixing = [(s, i) for s, per in enumerate(policy.distributions) for i, d in enumerate(per)
              if sum(1 for p in d.tolist() if fld.lt(fld.zero, p)) > 1]
    if not mixing:
        raise UnsupportedGame("choose_target(): the policy is deterministic; the Γ' construction needs a policy "
                              "that mixes somewhere (a NoSDE game's equilibrium does)")
    rng = random.Random(seed)
    for _ in range(1000):
        rows = [list(per) for per in policy.distributions]
        for s, i in mixing:
            d = policy.distributions[s][i].tolist()
            support = [a for a, p in enumerate(d) if fld.lt(fld.zero, p)]
            weights = {a: rng.randint(1, max_weight) for a in support}
            total = sum(weights.values())
            rows[s][i] = [Fraction(weights[a], total) if a in weights else Fraction(0) for a in range(len(d))]
        target = StationaryPolicy(game, rows)
        if target != policy:
            return target
    raise UnsupportedGame(f"choose_target(): could not draw a target different from the policy with seed {seed}")


def _rewards_only(game: StochasticGame, prime: StochasticGame) -> Verdict:
    cid = f"{THEOREM_ID}.rewards_only"
    diffs = []
    if game.players != prime.players:
        diffs.append(("players", vector_text(game.players), vector_text(prime.players)))
    if game.states != prime.states:
        diffs.append(("states", vector_text(game.states), vector_text(prime.states)))
    if game.actions != prime.actions:
        diffs.append(("actions", "differ", "differ"))
    if game.gamma != prime.gamma:
        diffs.append(("gamma", format_number(game.gamma), format_number(prime.gamma)))
    if game.terminal != prime.terminal:
        diffs.append(("terminal", vector_text(game.terminal), vector_text(prime.terminal)))
    if not diffs:
        for s in range(game.n_states):
            if game.transitions[s].shape != prime.transitions[s].shape or not bool(np.all(game.transitions[s] == prime.transitions[s])):
                diffs.append(("transitions", game.states[s], game.states[s]))
                break
    if diffs:
        what, a, b = diffs[0]
        return Verdict(cid, Status.REFUTED, f"Γ' differs from Γ in {what} ({a} vs {b}), not only in rewards",
                       {"field": what, "gamma": str(a), "prime": str(b)})
    return Verdict(cid, Status.PROVEN, "Γ' has the same players, states, actions, transitions and discount as Γ")


def _nosde_verdict(cid: str, label: str, detection: SDEDetection) -> Verdict:
    if detection.is_nosde:
        return Verdict(cid, Status.PROVEN,
                       f"{label} has no stationary deterministic equilibrium (all {detection.n_profiles} profiles "
                       f"have an exact profitable deviation)", {"n_profiles": detection.n_profiles})
    eq = detection.equilibria[0]
    choice = tuple(tuple(int(np.flatnonzero(np.asarray(d != 0))[0]) for d in per) for per in eq.distributions)
    found = "; ".join(f"{detection.game.states[s]} {state_joint_text(detection.game, s, per)}"
                      for s, per in enumerate(choice))
    return Verdict(cid, Status.REFUTED, f"{label} has a stationary deterministic equilibrium {found}",
                   {"equilibrium": choice_text(detection.game, choice)})


def _unique_verdict(cid: str, label: str, policy: StationaryPolicy, equilibria: TurnBasedEquilibria) -> Verdict:
    pol = policy_as_dict(policy)
    game = equilibria.game
    own = check_stationary_equilibrium(game, policy if policy.game is game else
                                       StationaryPolicy(game, [list(per) for per in policy.distributions]))
    if not own.is_equilibrium:
        return Verdict(cid, Status.REFUTED, f"{label}: the policy is not a stationary equilibrium: {own.witness}",
                       {"policy": pol, "deviation": own.witness.as_dict()})
    others = [e for e in equilibria.equilibria if e != policy]
    if others:
        return Verdict(cid, Status.REFUTED, f"{label}: another stationary equilibrium exists: "
                       f"{stationary_policy_text(game, others[0].distributions)}",
                       {"policy": pol, "other": policy_as_dict(others[0])})
    if equilibria.open_cases:
        return Verdict(cid, Status.NOT_ESTABLISHED, f"{label}: uniqueness not decided ({equilibria.uniqueness.message})",
                       {"policy": pol})
    return Verdict(cid, Status.PROVEN, f"{label}: the policy is the unique stationary equilibrium (complete "
                   f"enumeration of {equilibria.n_support_profiles} support profiles)", {"policy": pol})


def verify_reward_pair(game: StochasticGame, policy: StationaryPolicy, prime: StochasticGame,
                       target: StationaryPolicy, *, max_profiles: int | None = None) -> RewardPair:
    """Check every claim of the theorem exactly for (Γ, π) and (Γ', π').

    Parameters
    ----------
    game, policy : Γ and π (a policy of Γ).
    prime, target : Γ' and π'.  ``target`` may be a policy of Γ or of Γ' (same states and actions).
    max_profiles : int, optional
        Limit passed to the NoSDE detector.

    Returns
    -------
    RewardPair
        With one verdict per claim in :data:`CLAIMS`; a failed claim is REFUTED with an exact witness.

    Raises
    ------
    UnsupportedGame
        A game is not turn-based or not exact (uniqueness needs the turn-based enumeration).
    """
    kw: dict[str, Any] = {} if max_profiles is None else {"max_profiles": max_profiles}
    if target.game is not prime:
        target = StationaryPolicy(prime, [list(per) for per in target.distributions])
    values = evaluate_policy(game, policy)
    prime_values = evaluate_policy(prime, target)
    verdicts = [
        _nosde_verdict(CLAIMS[0], "Γ", find_stationary_deterministic_equilibrium(game, **kw)),
        _unique_verdict(CLAIMS[1], "Γ", policy, turn_based_stationary_equilibria(game)),
        _rewards_only(game, prime),
        _nosde_verdict(CLAIMS[3], "Γ'", find_stationary_deterministic_equilibrium(prime, **kw)),
        _unique_verdict(CLAIMS[4], "Γ'", target, turn_based_stationary_equilibria(prime)),
    ]
    same = all(bool(np.all(a == b)) for pa, pb in zip(policy.distributions, target.distributions) for a, b in zip(pa, pb))
    if same:
        verdicts.append(Verdict(CLAIMS[5], Status.REFUTED, "π' = π", {"policy": policy_as_dict(policy)}))
    else:
        s, i = next((s, i) for s, (pa, pb) in enumerate(zip(policy.distributions, target.distributions))
                    for i, (a, b) in enumerate(zip(pa, pb)) if not bool(np.all(a == b)))
        verdicts.append(Verdict(CLAIMS[5], Status.PROVEN,
                                f"π' ≠ π: player {game.players[i]} in state {game.states[s]} plays "
                                f"{vector_text(target.distributions[s][i], game.actions[s][i])} instead of "
                                f"{vector_text(policy.distributions[s][i], game.actions[s][i])}",
                                {"state": game.states[s], "player": game.players[i]}))
    verdicts.append(q_equal_verdict(game, values, prime_values))
    verdicts.append(_v_differs(game, values, prime_values))
    return RewardPair(game, policy, prime, target, values, prime_values, tuple(verdicts))


def q_equal_verdict(game: StochasticGame, values: PolicyValues, prime_values: PolicyValues) -> Verdict:
    """``Q_i^{π,Γ} = Q_i^{π',Γ'}`` entry by entry, exactly; refuted at the first entry that differs."""
    cid = f"{THEOREM_ID}.q_equal"
    for s in range(game.n_states):
        for joint in game.joint_actions(s):
            for i in range(game.n_players):
                a, b = values.Q[s][(i,) + joint], prime_values.Q[s][(i,) + joint]
                if a != b:
                    acts = [game.actions[s][j][k] for j, k in enumerate(joint)]
                    return Verdict(cid, Status.REFUTED,
                                   f"Q differs for player {game.players[i]} in state {game.states[s]} at joint "
                                   f"action {state_joint_text(game, s, joint)}: {number_text(a)} in Γ, "
                                   f"{number_text(b)} in Γ'",
                                   {"player": game.players[i], "state": game.states[s], "joint_action": acts,
                                    "q_gamma": format_number(a), "q_prime": format_number(b)})
    return Verdict(cid, Status.PROVEN, "Q_i^{π,Γ} = Q_i^{π',Γ'} exactly for every player, state and joint action")


def _v_differs(game: StochasticGame, values: PolicyValues, prime_values: PolicyValues) -> Verdict:
    cid = f"{THEOREM_ID}.v_differs"
    for i in range(game.n_players):
        for s in range(game.n_states):
            a, b = values.V[i, s], prime_values.V[i, s]
            if a != b:
                return Verdict(cid, Status.PROVEN,
                               f"V differs for player {game.players[i]} in state {game.states[s]}: "
                               f"{number_text(a)} in Γ, {number_text(b)} in Γ'",
                               {"player": game.players[i], "state": game.states[s],
                                "v_gamma": format_number(a), "v_prime": format_number(b)})
    return Verdict(cid, Status.REFUTED, "V_i^{π,Γ} = V_i^{π',Γ'} for every player and state",
                   {"V": [[format_number(x) for x in row] for row in values.V.tolist()]})


def build_reward_pair(game: StochasticGame, target: StationaryPolicy | None = None, *, seed: int = 0,
                      equilibria: TurnBasedEquilibria | None = None) -> RewardPair:
    """Build Γ' from a NoSDE game Γ and a target π' (or one drawn from ``seed``) and verify every claim.

    Parameters
    ----------
    game : StochasticGame
        Γ: turn-based, exact, NoSDE with a unique stationary equilibrium (the theorem's hypotheses; checked).
    target : StationaryPolicy, optional
        π', a policy of Γ.  Default: :func:`choose_target` on π with ``seed``.
    seed : int
    equilibria : TurnBasedEquilibria, optional
        Precomputed ``turn_based_stationary_equilibria(game)``.

    Raises
    ------
    UnsupportedGame
        Γ does not have a unique stationary equilibrium (proven), so π is not defined; the message says why.
    """
    eqs = equilibria if equilibria is not None else turn_based_stationary_equilibria(game)
    if not eqs.unique:
        raise UnsupportedGame(f"build_reward_pair(): the theorem needs a game with a unique stationary equilibrium; "
                              f"{eqs.uniqueness.message}")
    policy = eqs.equilibria[0]
    tgt = target if target is not None else choose_target(policy, seed=seed)
    values = evaluate_policy(game, policy)
    prime = prime_game(game, policy, tgt, values=values)
    return verify_reward_pair(game, policy, prime, tgt)
