r"""Best responses and exploitability (NashConv) for stationary joint policies of stochastic games.

With the other agents' stationary policy fixed, agent ``i`` faces a Markov decision process over the states
with its own actions :math:`A_i(s)`; its optimal reply is found by **policy iteration** (Howard 1960,
*Dynamic Programming and Markov Processes*; Puterman 1994, §6.4): evaluate the current deterministic reply
exactly (:func:`jalverify.solvers.evaluation.evaluate_policy`), switch every state to an action with a
*strictly* larger one-step value (keep the current action on ties, so the iteration cannot cycle), stop when
no state improves.  Each step strictly improves the values, so it ends after finitely many steps with an
optimal deterministic stationary reply :math:`V^*_i`, certified by the Bellman optimality equation
:math:`V^*_i(s) = \max_b Q^*_i(s, b)` holding exactly (residual 0) in the exact field.

**Correlated stationary policies** (one distribution over joint actions per state): the deviator's reply is a
*coarse* deviation to a stationary policy.  In every state ``s`` it either follows the recommendation (the
joint action is drawn from :math:`π(\cdot \mid s)`; option :data:`FOLLOW_RECOMMENDATION`) or ignores it and
plays its own action ``b``, in which case the others' joint action is drawn from the marginal of
:math:`π(\cdot \mid s)` over :math:`A_{-i}(s)` (they do not see that the deviator left).  This is the
stochastic-game analogue of the CCE deviation (Albrecht et al. 2024, Eq. 4.24); the deviator's problem is again
an MDP, and since following everywhere is one of its policies, the gains are ≥ 0.

**Exploitability**: the gain of agent ``i`` at state ``s`` is :math:`V^*_i(s) - V^π_i(s) \ge 0`;
``NashConv(π) = Σ_i \max_s [V^*_i(s) - V^π_i(s)]`` (Lanctot et al. 2017, NeurIPS, "NashConv", with the maximum
over start states; the value at the game's initial distribution is reported as well when it has one).  A
stationary profile is a Nash equilibrium from every start state iff NashConv is 0 (one-shot deviation
principle, theory.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from jalverify.errors import CertificateError, InvalidNumber, UnknownName
from jalverify.games.normal_form import freeze
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame
from jalverify.numbers import Field, Number, field_named
from jalverify.solvers.display import (
    brief_number,
    game_label,
    json_number,
    number_text,
    one_line,
    result_html,
    status_html,
    table_html,
)
from jalverify.solvers.evaluation import Policy, PolicyValues, _check_policy, evaluate_policy
from jalverify.verdicts import Status

__all__ = [
    "FOLLOW_RECOMMENDATION",
    "BestResponseStatus",
    "BestResponse",
    "Exploitability",
    "best_response",
    "deviation_q_values",
    "exploitability",
    "nash_conv",
]


#: ``BestResponse.choice[s]`` value meaning "follow the correlated recommendation" (correlated policies only).
FOLLOW_RECOMMENDATION = -1


class BestResponseStatus(Enum):
    """OPTIMAL: policy iteration stopped with no improving state; ITERATION_LIMIT: it was cut off."""

    OPTIMAL = "optimal"
    ITERATION_LIMIT = "iteration_limit"


@dataclass(frozen=True, eq=False)
class BestResponse:
    r"""An agent's optimal deterministic stationary reply to the others' fixed policy.

    Attributes
    ----------
    player : int
    policy : StationaryPolicy or CorrelatedStationaryPolicy
        The joint policy with the agent's part replaced by its deterministic reply (for a correlated input:
        the coarse deviation described in the module docstring).
    choice : tuple of int
        The reply's action index per state (:data:`FOLLOW_RECOMMENDATION` where a deviator from a correlated
        policy follows its recommendation).
    values : ndarray, shape (n_states,)
        :math:`V^*_i(s)`.
    baseline : ndarray, shape (n_states,)
        :math:`V^π_i(s)` of the given policy.
    gains : ndarray, shape (n_states,)
        :math:`V^*_i(s) - V^π_i(s)` (≥ 0; exactly so in the exact field).
    q_values : tuple of ndarray
        :math:`Q^*_i(s, b)` per state over the agent's own actions (for a correlated policy one more entry
        at the end: the value of following the recommendation).
    optimality_residual : ndarray, shape (n_states,)
        :math:`\max_b Q^*_i(s, b) - V^*_i(s)`; the certificate (exactly 0 in the exact field).
    iterations : int
        Policy-iteration steps (evaluations after the given policy's).
    status : BestResponseStatus
    field : Field
    certified : bool
        Exact field, OPTIMAL, and the optimality residual exactly 0.
    method : str
    """

    player: int
    policy: Policy
    choice: tuple[int, ...]
    values: np.ndarray
    baseline: np.ndarray
    gains: np.ndarray
    q_values: tuple[np.ndarray, ...]
    optimality_residual: np.ndarray
    iterations: int
    status: BestResponseStatus
    field: Field
    certified: bool
    method: str

    @property
    def max_gain(self) -> Number:
        return max(self.gains.tolist())

    # display (issue 13)
    @property
    def game(self) -> StochasticGame:
        """The game (the one the policy is over)."""
        return self.policy.game

    def _choice_names(self) -> dict[str, str]:
        g = self.game
        return {s: ("follow the recommendation" if c == FOLLOW_RECOMMENDATION else g.actions[k][self.player][c])
                for k, (s, c) in enumerate(zip(g.states, self.choice))}

    def _verdict(self) -> tuple[Status, str]:
        if self.certified:
            return Status.PROVEN, "the reply's optimality residual is exactly 0 in every state (exact arithmetic)"
        if self.status is BestResponseStatus.OPTIMAL:
            return Status.WITHIN_TOLERANCE, "no improving state within the float tolerance"
        return Status.NOT_ESTABLISHED, "policy iteration was cut off by its iteration limit"

    def __repr__(self) -> str:
        return one_line("BestResponse", f"game={game_label(self.game)}", f"player={self.game.players[self.player]!r}",
                        f"max gain {brief_number(self.max_gain)}", f"status={self.status.value}", self.field.name,
                        "certified" if self.certified else "not certified")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the reply by state (action names), V*, V^π and the gain per state (exact ``"p/q"``)."""
        g = self.game

        def by_state(values: np.ndarray) -> dict[str, Any]:
            return {s: json_number(v) for s, v in zip(g.states, values.tolist())}

        return {"player": g.players[self.player], "choice": self._choice_names(), "values": by_state(self.values),
                "baseline": by_state(self.baseline), "gains": by_state(self.gains),
                "max_gain": json_number(self.max_gain), "iterations": self.iterations, "status": self.status.value,
                "field": self.field.name, "certified": self.certified, "method": self.method}

    def _table(self) -> str:
        g = self.game
        names = self._choice_names()
        rows = [[s, names[s], number_text(v), number_text(b), number_text(d)]
                for s, v, b, d in zip(g.states, self.values.tolist(), self.baseline.tolist(), self.gains.tolist())]
        return table_html(["state", "best reply", "V*", "V^π", "gain"], rows,
                          caption=f"best response of {g.players[self.player]}")

    def _repr_html_(self) -> str:
        """Per state the reply, its value, the policy's value and the gain; the certificate in verdict words."""
        return result_html("best-response", f"Best response of {self.game.players[self.player]}",
                           [self._table(), status_html(*self._verdict())],
                           facts={"method": self.method, "field": self.field.name, "status": self.status.value,
                                  "iterations": str(self.iterations)})


@dataclass(frozen=True, eq=False)
class Exploitability:
    r"""Per-agent gains of best responses to a stationary joint policy.

    Attributes
    ----------
    gains : ndarray, shape (n_players, n_states)
        :math:`V^*_i(s) - V^π_i(s)`.
    per_agent : tuple
        :math:`\max_s` of each agent's gains.
    nash_conv : number
        :math:`Σ_i \max_s` gain.
    nash_conv_initial : number or None
        :math:`Σ_i Σ_s μ(s)` gain for the game's initial distribution μ (None when the game has none).
    best_responses : tuple of BestResponse
    field : Field
    certified : bool
        Every best response certified (exact field).
    """

    gains: np.ndarray
    per_agent: tuple[Number, ...]
    nash_conv: Number
    nash_conv_initial: Number | None
    best_responses: tuple[BestResponse, ...]
    field: Field
    certified: bool

    # display (issue 13)
    def __repr__(self) -> str:
        g = self.best_responses[0].game
        return one_line("Exploitability", f"game={game_label(g)}", f"NashConv {brief_number(self.nash_conv)}",
                        self.field.name, "certified" if self.certified else "not certified")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: NashConv (and at μ), each agent's largest gain and gains per state, every best response."""
        g = self.best_responses[0].game
        return {"nash_conv": json_number(self.nash_conv),
                "nash_conv_initial": None if self.nash_conv_initial is None else json_number(self.nash_conv_initial),
                "per_agent": {p: json_number(v) for p, v in zip(g.players, self.per_agent)},
                "gains": {p: {s: json_number(v) for s, v in zip(g.states, row)}
                          for p, row in zip(g.players, self.gains.tolist())},
                "field": self.field.name, "certified": self.certified,
                "best_responses": [br.to_dict() for br in self.best_responses]}

    def _repr_html_(self) -> str:
        """NashConv, each agent's gain per state, every best response, and the certificate in verdict words."""
        g = self.best_responses[0].game
        rows = [[p] + [number_text(v) for v in row] + [number_text(m)]
                for p, row, m in zip(g.players, self.gains.tolist(), self.per_agent)]
        parts = [table_html(["player"] + list(g.states) + ["max over states"], rows, caption="gains V* − V^π")]
        parts += [br._table() for br in self.best_responses]
        if self.certified:
            parts.append(status_html(Status.PROVEN, "every best response is certified in exact arithmetic"))
        else:
            worst = [br._verdict()[0] for br in self.best_responses]
            status = Status.NOT_ESTABLISHED if Status.NOT_ESTABLISHED in worst else Status.WITHIN_TOLERANCE
            parts.append(status_html(status, "float evaluation; not a proof" if status is Status.WITHIN_TOLERANCE
                                     else "some best response was cut off by its iteration limit"))
        facts = {"NashConv": number_text(self.nash_conv), "field": self.field.name}
        if self.nash_conv_initial is not None:
            facts["NashConv at μ"] = number_text(self.nash_conv_initial)
        return result_html("exploitability", f"Exploitability in {g.name or 'stochastic game'}", parts, facts=facts)


def _player_index(game: StochasticGame, player: int | str) -> int:
    if isinstance(player, str):
        if player not in game.players:
            raise UnknownName(f"best_response(): unknown player {player!r}; players are {list(game.players)}")
        return game.players.index(player)
    if isinstance(player, bool) or not 0 <= int(player) < game.n_players:
        raise UnknownName(f"best_response(): player index {player!r} out of range 0..{game.n_players - 1}")
    return int(player)


def _others_weights(policy: Policy, s: int, player: int) -> np.ndarray:
    """Distribution of the others' joint action at ``s``, shaped like ``k_s`` with axis ``player`` of size 1."""
    joint = policy.joint_distribution(s)
    return joint.sum(axis=player, keepdims=True)


def deviation_q_values(game: StochasticGame, policy: Policy, player: int | str, Q: tuple[np.ndarray, ...]
                       ) -> tuple[np.ndarray, ...]:
    r""":math:`Q_i(s, b) = Σ_{a_{-i}} σ_{-i}(a_{-i} \mid s)\, Q_i(s, (b, a_{-i}))` for every own action ``b``.

    ``σ_{-i}`` is the others' part of ``policy`` (their product distribution, or the marginal of a correlated
    recommendation); ``Q`` holds joint-action values (shape ``(n, *k_s)`` per state).
    """
    i = _player_index(game, player)
    out = []
    for s in range(game.n_states):
        w = _others_weights(policy, s, i)
        prod = Q[s][i] * w
        axes = tuple(ax for ax in range(prod.ndim) if ax != i)
        out.append(prod.sum(axis=axes) if axes else prod)
    return tuple(out)


def _option_values(game: StochasticGame, policy: Policy, player: int, Q: tuple[np.ndarray, ...]) -> list[list[Any]]:
    """Per state, the values of the deviator's options: own actions, then (correlated policy) following."""
    q_dev = deviation_q_values(game, policy, player, Q)
    if isinstance(policy, StationaryPolicy):
        return [q.tolist() for q in q_dev]
    out = []
    for s, q in enumerate(q_dev):
        follow = (policy.joint_distribution(s) * Q[s][player]).sum()
        out.append(q.tolist() + [follow])
    return out


def _option_to_choice(game: StochasticGame, player: int, s: int, k: int) -> int:
    return FOLLOW_RECOMMENDATION if k == game.n_actions(s)[player] else k


def _deviation_policy(game: StochasticGame, policy: Policy, player: int, choice: list[int]) -> Policy:
    fld = game.field
    if isinstance(policy, StationaryPolicy):
        dists = []
        for s, b in enumerate(choice):
            d = fld.zeros(game.n_actions(s)[player])
            d[b] = fld.one
            dists.append(d)
        return policy.with_player(player, dists)
    joints = []
    for s, b in enumerate(choice):
        if b == FOLLOW_RECOMMENDATION:
            joints.append(policy.joint_distribution(s))
            continue
        others = _others_weights(policy, s, player)
        onehot_shape = [1] * len(game.n_actions(s))
        onehot_shape[player] = game.n_actions(s)[player]
        e = fld.zeros(tuple(onehot_shape))
        idx = [0] * len(onehot_shape)
        idx[player] = b
        e[tuple(idx)] = fld.one
        joints.append(others * e)
    return CorrelatedStationaryPolicy(game, joints)


def _argmax_keep(values: list[Any], current: int, fld: Field) -> int:
    """The current index unless some action is strictly better (beyond ``fld.atol``); then the first maximiser."""
    top = max(values)
    if not fld.lt(values[current], top):
        return current
    return next(b for b, v in enumerate(values) if not fld.lt(v, top))


def best_response(game: StochasticGame, policy: Policy, player: int | str, *, field: Field | str | None = None,
                  max_iterations: int = 10_000, baseline: PolicyValues | None = None) -> BestResponse:
    r"""Optimal deterministic stationary reply of ``player`` to the others' part of ``policy``.

    Policy iteration (Howard 1960) with exact evaluations in the exact field; see the module docstring.

    Parameters
    ----------
    game : StochasticGame
    policy : StationaryPolicy or CorrelatedStationaryPolicy
    player : int or str
    field : Field or str, optional
        Defaults to the game's field.  In the float field, an action replaces the current one only if it is
        better by more than ``field.atol``.
    max_iterations : int
        Cut-off; reaching it gives status ITERATION_LIMIT (and no certificate).
    baseline : PolicyValues, optional
        A precomputed evaluation of ``policy`` (saves one solve).

    Returns
    -------
    BestResponse

    Raises
    ------
    InvalidPolicy
        The policy is not a stationary policy of ``game``.
    CertificateError
        Exact field, policy iteration stopped, yet the Bellman optimality residual is not 0 (a bug).
    """
    where = "best_response()"
    _check_policy(game, policy, where)
    i = _player_index(game, player)
    if max_iterations < 1:
        raise InvalidNumber(f"{where}: max_iterations must be at least 1, got {max_iterations!r}")
    fld = game.field if field is None else field_named(field)
    if fld.exact != game.field.exact:
        game_f = game.to_field(fld, allow_float=True)
        policy = _policy_to_game(policy, game_f)
        game = game_f
    base = baseline if baseline is not None and baseline.field == fld else evaluate_policy(game, policy, field=fld)
    options = _option_values(game, policy, i, base.Q)
    correlated = not isinstance(policy, StationaryPolicy)
    start = [len(o) - 1 if correlated else 0 for o in options]  # correlated: prefer following on ties
    opt = [_argmax_keep(o, c, fld) for o, c in zip(options, start)]
    status = BestResponseStatus.ITERATION_LIMIT
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        choice = [_option_to_choice(game, i, s, k) for s, k in enumerate(opt)]
        dev = _deviation_policy(game, policy, i, choice)
        ev = evaluate_policy(game, dev, field=fld)
        options = _option_values(game, policy, i, ev.Q)
        new = [_argmax_keep(o, c, fld) for o, c in zip(options, opt)]
        if new == opt:
            status = BestResponseStatus.OPTIMAL
            break
        opt = new
    values = ev.V[i]
    residual = fld.zeros(game.n_states)
    for s, o in enumerate(options):
        residual[s] = max(o) - values[s]
    certified = False
    if fld.exact and status is BestResponseStatus.OPTIMAL:
        bad = [s for s in range(game.n_states) if residual[s] != 0]
        if bad:
            s = bad[0]
            raise CertificateError(f"{where}: Bellman optimality residual {residual[s]} at state {game.states[s]!r} "
                                   f"for player {game.players[i]!r} after policy iteration stopped")
        certified = True
    gains = np.asarray(values - base.V[i], dtype=object if fld.exact else np.float64)
    return BestResponse(
        player=i, policy=dev, choice=tuple(choice), values=freeze(np.array(values)), baseline=freeze(np.array(base.V[i])),
        gains=freeze(gains), q_values=tuple(freeze(np.array(o, dtype=object if fld.exact else np.float64)) for o in options), optimality_residual=freeze(residual),
        iterations=iterations, status=status, field=fld, certified=certified,
        method="policy iteration (Howard 1960) with " + ev.method,
    )


def _policy_to_game(policy: Policy, game: StochasticGame) -> Policy:
    if isinstance(policy, StationaryPolicy):
        return StationaryPolicy(game, [list(per) for per in policy.distributions], allow_float=True)
    return CorrelatedStationaryPolicy(game, list(policy.distributions), allow_float=True)


def exploitability(game: StochasticGame, policy: Policy, *, field: Field | str | None = None,
                   max_iterations: int = 10_000) -> Exploitability:
    """Best responses of every agent to ``policy`` and the resulting gains and NashConv (module docstring)."""
    where = "exploitability()"
    _check_policy(game, policy, where)
    fld = game.field if field is None else field_named(field)
    if fld.exact != game.field.exact:
        game_f = game.to_field(fld, allow_float=True)
        policy = _policy_to_game(policy, game_f)
        game = game_f
    base = evaluate_policy(game, policy, field=fld)
    brs = tuple(best_response(game, policy, i, field=fld, max_iterations=max_iterations, baseline=base)
                for i in range(game.n_players))
    gains = np.empty((game.n_players, game.n_states), dtype=object if fld.exact else np.float64)
    for i, br in enumerate(brs):
        gains[i] = br.gains
    per_agent = tuple(max(g.tolist()) for g in gains)
    nc = sum(per_agent, fld.zero)
    nc_init = None
    if game.initial is not None:
        mu = game.initial
        nc_init = sum((sum((mu[s] * gains[i, s] for s in range(game.n_states)), fld.zero)
                       for i in range(game.n_players)), fld.zero)
    return Exploitability(freeze(gains), per_agent, nc, nc_init, brs, fld,
                          all(br.certified for br in brs))


def nash_conv(game: StochasticGame, policy: Policy, *, field: Field | str | None = None) -> Number:
    r"""NashConv :math:`Σ_i \max_s [V^*_i(s) - V^π_i(s)]` (exact in the exact field; 0 iff π is a Nash
    equilibrium from every start state)."""
    return exploitability(game, policy, field=field).nash_conv

