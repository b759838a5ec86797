r"""Stochastic (Markov) games, stationary policies and stage games.

A stochastic game (Shapley 1953; Albrecht, Christianos & Schäfer 2024, §3.3) has players
:math:`N = \{0..n-1\}`, finite states :math:`S`, per state ``s`` and player ``i`` an action set
:math:`A_i(s)` (a player with a single action in ``s`` does not move there, which is how turn-taking games are
written), a transition kernel :math:`T(s' \mid s, a)`, rewards :math:`R_i(s, a, s')` and a discount
:math:`γ ∈ [0, 1)`.  Terminal states are absorbing with reward 0: one action per player, a self-loop with
probability 1 and zero reward.

Storage, per state ``s`` with action counts ``k = (|A_0(s)|, ..., |A_{n-1}(s)|)``:

* ``transitions[s]``: array of shape ``(*k, |S|)``, each row a distribution over next states;
* ``rewards[s]``: array of shape ``(n, *k, |S|)`` holding :math:`R_i(s, a, s')`.

A **stationary policy** gives, for every state, one distribution per player (independent); a **correlated
stationary policy** gives, for every state, one distribution over joint actions.  The **stage game**
:math:`Γ_s(Q)` is the normal-form game with payoffs :math:`R_i(a) = Q_i(s, a)` (book Eq. 6.10).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame, InvalidPolicy, UnknownName
from jalverify.games.normal_form import NormalFormGame, check_names, freeze
from jalverify.games.profiles import check_distribution
from jalverify.numbers import EXACT, Field, Number, field_named

__all__ = ["CorrelatedStationaryPolicy", "StationaryPolicy", "StochasticGame", "repeated_game", "stage_game"]


class StochasticGame:
    """An immutable finite stochastic game.

    Parameters
    ----------
    players : sequence of str
        Player names (n ≥ 1).
    states : sequence of str
        State names.
    actions : sequence
        ``actions[s][i]`` is the tuple of action names of player ``i`` in state ``s``.  For a terminal state it
        may be ``None``: one dummy action ``"none"`` per player is used.
    transitions : sequence of array-like
        ``transitions[s]`` has shape ``(*k_s, |S|)``, or is a mapping ``{joint action tuple: {next state: p}}``.
        Ignored (may be ``None``) for terminal states.
    rewards : sequence of array-like
        ``rewards[s]`` has shape ``(n, *k_s)`` for :math:`R_i(s, a)` or ``(n, *k_s, |S|)`` for
        :math:`R_i(s, a, s')`.  Ignored (may be ``None``) for terminal states.
    gamma : number
        Discount factor in ``[0, 1)``.
    terminal : sequence of bool, optional
        Which states are terminal (absorbing, reward 0).
    initial : array-like or mapping, optional
        Initial state distribution.
    field : Field or {"exact", "float"}
    name : str, optional
    allow_float : bool
        Accept binary floats in the exact field (converted exactly).

    Raises
    ------
    InvalidGame
        Any violation of the definition; the message names the state, the joint action and the value, e.g.
        ``StochasticGame(): transition row for state 's1', joint action (0, 1) sums to 9/10, expected 1``.
    """

    __slots__ = ("_players", "_states", "_actions", "_transitions", "_rewards", "_gamma", "_terminal",
                 "_initial", "_field", "_name")

    def __init__(
        self,
        players: Sequence[str],
        states: Sequence[str],
        actions: Sequence[Sequence[Sequence[str]] | None],
        transitions: Sequence[Any],
        rewards: Sequence[Any],
        gamma: Any,
        *,
        terminal: Sequence[bool] | None = None,
        initial: Any = None,
        field: Field | str = EXACT,
        name: str | None = None,
        allow_float: bool = False,
    ) -> None:
        where = "StochasticGame()"
        fld = field_named(field)
        self._field = fld
        self._name = name
        self._players = check_names("player", players, where) if players else ()
        n = len(self._players)
        if n < 1:
            raise InvalidGame(f"{where}: a game needs at least one player, got {list(players)!r}")
        self._states = check_names("state", states, where)
        S = len(self._states)
        if S < 1:
            raise InvalidGame(f"{where}: a game needs at least one state")
        for label, seq in (("actions", actions), ("transitions", transitions), ("rewards", rewards)):
            if len(seq) != S:
                raise InvalidGame(f"{where}: {label} given for {len(seq)} states, the game has {S} states")
        term = tuple(bool(t) for t in terminal) if terminal is not None else (False,) * S
        if len(term) != S:
            raise InvalidGame(f"{where}: terminal flags given for {len(term)} states, the game has {S} states")
        self._terminal = term

        g = fld.convert(gamma, where=f"{where} gamma", allow_float=allow_float)
        if not (g >= 0 and g < 1):
            raise InvalidGame(f"{where}: gamma must be in [0, 1), got {g}")
        self._gamma = g

        acts: list[tuple[tuple[str, ...], ...]] = []
        trans: list[np.ndarray] = []
        rews: list[np.ndarray] = []
        for s, sname in enumerate(self._states):
            swhere = f"{where} state {sname!r}"
            if term[s]:
                acts_s = tuple(("none",) for _ in range(n)) if actions[s] is None else self._check_actions(actions[s], n, swhere)
                if any(len(a) != 1 for a in acts_s):
                    raise InvalidGame(f"{swhere}: a terminal state must give every player exactly one action, got {[list(a) for a in acts_s]}")
                T = fld.zeros((1,) * n + (S,))
                T[(0,) * n + (s,)] = fld.one
                R = fld.zeros((n,) + (1,) * n + (S,))
                for label, given in (("transitions", transitions[s]), ("rewards", rewards[s])):
                    if given is not None:
                        self._check_terminal_given(label, given, T if label == "transitions" else R, swhere, fld, allow_float)
                acts.append(acts_s)
                trans.append(freeze(T))
                rews.append(freeze(R))
                continue
            if actions[s] is None:
                raise InvalidGame(f"{swhere}: actions missing for a non-terminal state")
            acts_s = self._check_actions(actions[s], n, swhere)
            k = tuple(len(a) for a in acts_s)
            T = self._read_transitions(transitions[s], k, acts_s, swhere, fld, allow_float)
            R = self._read_rewards(rewards[s], n, k, S, swhere, fld, allow_float)
            acts.append(acts_s)
            trans.append(freeze(T))
            rews.append(freeze(R))
        self._actions = tuple(acts)
        self._transitions = tuple(trans)
        self._rewards = tuple(rews)
        self._initial = None if initial is None else self._read_initial(initial, fld, allow_float)

    # --- validation helpers -------------------------------------------------------------------------
    def _check_actions(self, acts: Sequence[Sequence[str]], n: int, where: str) -> tuple[tuple[str, ...], ...]:
        if len(acts) != n:
            raise InvalidGame(f"{where}: action sets given for {len(acts)} players, the game has {n}")
        out = []
        for i, a in enumerate(acts):
            names = check_names("action", a, f"{where} player {self._players[i]!r}")
            if not names:
                raise InvalidGame(f"{where}: player {self._players[i]!r} has no actions")
            out.append(names)
        return tuple(out)

    def _state_index_or_error(self, name: Any, where: str) -> int:
        if isinstance(name, str):
            if name not in self._states:
                raise UnknownName(f"{where}: unknown state {name!r}; states are {list(self._states)}")
            return self._states.index(name)
        raise UnknownName(f"{where}: next state must be a state name, got {name!r}")

    def _read_transitions(self, given: Any, k: tuple[int, ...], acts: tuple[tuple[str, ...], ...], where: str,
                          fld: Field, allow_float: bool) -> np.ndarray:
        S = len(self._states)
        # In the mapping form only the listed entries can be non-zero, so only they need checking below
        # (keeps construction linear in the number of listed transitions for games with many states).
        listed: dict[tuple[int, ...], list[int]] | None = None
        if isinstance(given, Mapping):
            T = fld.zeros(k + (S,))
            seen: dict[tuple[int, ...], list[int]] = {}
            for joint, row in given.items():
                idx = self._joint_from(joint, acts, where)
                if idx in seen:
                    raise InvalidGame(f"{where}: joint action {idx} listed twice")
                seen[idx] = []
                if not isinstance(row, Mapping):
                    raise InvalidGame(f"{where}: transitions for joint action {idx} must map next states to probabilities")
                for nxt, p in row.items():
                    t = self._state_index_or_error(nxt, where)
                    T[idx + (t,)] = fld.convert(p, where=f"{where} T(.|{idx}) next {nxt!r}", allow_float=allow_float)
                    seen[idx].append(t)
            listed = seen
            missing = [j for j in np.ndindex(*k) if j not in seen]
            if missing:
                raise InvalidGame(f"{where}: no transition given for joint action {missing[0]} ({len(missing)} missing)")
        else:
            T = fld.array(given, where=f"{where} transitions", allow_float=allow_float)
            if T.shape != k + (S,):
                raise InvalidGame(f"{where}: transitions have shape {T.shape}, expected {k + (S,)} (joint actions × next states)")
            if not fld.exact and bool(np.all(T >= 0.0)) and bool(np.all(np.abs(T.sum(axis=-1) - 1.0) <= fld.atol / 2)):
                return T  # float rows checked at once (clear margin); otherwise the loop below decides and names the row
        for idx in np.ndindex(*k):
            row = T[idx]
            cols = range(S) if listed is None else listed[idx]
            for t in cols:
                p = row[t]
                if fld.lt(p, fld.zero):
                    raise InvalidGame(f"{where}: transition probability to {self._states[t]!r} for joint action {idx} is negative: {p}")
            total = fld.total([row[t] for t in cols])
            if not fld.eq(total, fld.one):
                raise InvalidGame(f"{where}: transition row for joint action {idx} sums to {total}, expected 1")
        return T

    def _read_rewards(self, given: Any, n: int, k: tuple[int, ...], S: int, where: str, fld: Field,
                      allow_float: bool) -> np.ndarray:
        R = fld.array(given, where=f"{where} rewards", allow_float=allow_float)
        if R.shape == (n,) + k:
            R = np.repeat(R[..., None], S, axis=-1)
        elif R.shape != (n,) + k + (S,):
            raise InvalidGame(
                f"{where}: rewards have shape {R.shape}, expected {(n,) + k} for R(s,a) or {(n,) + k + (S,)} for R(s,a,s')"
            )
        return R

    def _check_terminal_given(self, label: str, given: Any, expected: np.ndarray, where: str, fld: Field,
                              allow_float: bool) -> None:
        if isinstance(given, Mapping):
            raise InvalidGame(f"{where}: terminal states take no {label}; they are absorbing with reward 0")
        arr = fld.array(given, where=f"{where} {label}", allow_float=allow_float)
        if label == "rewards" and arr.shape == expected.shape[:-1]:
            arr = np.repeat(arr[..., None], expected.shape[-1], axis=-1)
        if arr.shape != expected.shape or not bool(np.all(arr == expected)):
            raise InvalidGame(f"{where}: a terminal state is absorbing with reward 0; the given {label} differ")

    def _joint_from(self, joint: Any, acts: tuple[tuple[str, ...], ...], where: str) -> tuple[int, ...]:
        if isinstance(joint, str) or not isinstance(joint, Sequence):
            joint = (joint,)
        if len(joint) != len(acts):
            raise InvalidGame(f"{where}: joint action {tuple(joint)!r} has {len(joint)} components, expected {len(acts)}")
        out = []
        for i, a in enumerate(joint):
            if isinstance(a, str):
                if a not in acts[i]:
                    raise UnknownName(f"{where}: unknown action {a!r} of player {self._players[i]!r}; actions are {list(acts[i])}")
                out.append(acts[i].index(a))
            elif isinstance(a, (int, np.integer)) and not isinstance(a, bool) and 0 <= a < len(acts[i]):
                out.append(int(a))
            else:
                raise UnknownName(f"{where}: bad action {a!r} of player {self._players[i]!r}; actions are {list(acts[i])}")
        return tuple(out)

    def _read_initial(self, initial: Any, fld: Field, allow_float: bool) -> np.ndarray:
        S = len(self._states)
        if isinstance(initial, Mapping):
            vec = [fld.zero] * S
            for name, p in initial.items():
                vec[self._state_index_or_error(name, "StochasticGame() initial")] = p
            initial = vec
        return check_distribution(fld, initial, S, "StochasticGame() initial distribution", allow_float=allow_float)

    # --- accessors ----------------------------------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def states(self) -> tuple[str, ...]:
        return self._states

    @property
    def actions(self) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """``actions[s][i]``: action names of player ``i`` in state ``s``."""
        return self._actions

    @property
    def transitions(self) -> tuple[np.ndarray, ...]:
        """``transitions[s]``: read-only array of shape ``(*k_s, |S|)``."""
        return self._transitions

    @property
    def rewards(self) -> tuple[np.ndarray, ...]:
        """``rewards[s]``: read-only array of shape ``(n, *k_s, |S|)``, :math:`R_i(s, a, s')`."""
        return self._rewards

    @property
    def gamma(self) -> Number:
        return self._gamma

    @property
    def terminal(self) -> tuple[bool, ...]:
        return self._terminal

    @property
    def initial(self) -> np.ndarray | None:
        return self._initial

    @property
    def field(self) -> Field:
        return self._field

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def n_players(self) -> int:
        return len(self._players)

    @property
    def n_states(self) -> int:
        return len(self._states)

    def n_actions(self, state: int | str) -> tuple[int, ...]:
        s = self.state_index(state)
        return tuple(len(a) for a in self._actions[s])

    def n_joint_actions(self, state: int | str) -> int:
        return int(np.prod(self.n_actions(state)))

    def state_index(self, state: int | str) -> int:
        if isinstance(state, str):
            if state not in self._states:
                raise UnknownName(f"unknown state {state!r}; states are {list(self._states)}")
            return self._states.index(state)
        if not 0 <= int(state) < self.n_states:
            raise UnknownName(f"state index {state!r} out of range 0..{self.n_states - 1}")
        return int(state)

    def joint_actions(self, state: int | str) -> Iterator[tuple[int, ...]]:
        return np.ndindex(*self.n_actions(state))

    def expected_rewards(self, state: int | str) -> np.ndarray:
        """:math:`r_i(s, a) = Σ_{s'} T(s'|s,a) R_i(s,a,s')`, shape ``(n, *k_s)``."""
        s = self.state_index(state)
        R, T = self._rewards[s], self._transitions[s]
        if T.dtype != object:
            return (R * T[None, ...]).sum(axis=-1)
        # exact: sum over the successors only (a row of a large game has few; e.g. soccer: ≤ 2 of 760)
        out = np.empty(R.shape[:-1], dtype=object)
        for joint in np.ndindex(*T.shape[:-1]):
            row = T[joint].tolist()
            support = [t for t, p in enumerate(row) if p != 0]
            for i in range(R.shape[0]):
                rewards = R[(i, *joint)]
                out[(i, *joint)] = sum((rewards[t] * row[t] for t in support), Fraction(0))
        return out

    def movers(self, state: int | str) -> tuple[int, ...]:
        """Players with more than one action in ``state``."""
        return tuple(i for i, k in enumerate(self.n_actions(state)) if k > 1)

    def is_turn_based(self) -> bool:
        """At most one player has more than one action in every state."""
        return all(len(self.movers(s)) <= 1 for s in range(self.n_states))

    def is_zero_sum(self) -> bool:
        """Two players with ``R_0(s,a,s') + R_1(s,a,s') = 0`` everywhere."""
        if self.n_players != 2:
            return False
        for R in self._rewards:
            # rewards are mostly shared objects (R(s,a) repeated over s'); check each distinct pair once
            checked: set[tuple[int, int]] = set()
            for x, y in zip(R[0].reshape(-1).tolist(), R[1].reshape(-1).tolist()):
                key = (id(x), id(y))
                if key in checked:
                    continue
                if not self._field.is_zero(x + y):
                    return False
                checked.add(key)
        return True

    def to_field(self, field: Field | str, *, allow_float: bool = False) -> StochasticGame:
        """The same game in another field (float → exact needs ``allow_float=True``)."""
        fld = field_named(field)
        if fld == self._field:
            return self

        def conv(a: np.ndarray) -> Any:
            return fld.array(a, where="to_field()") if not fld.exact else a.tolist()

        return StochasticGame(
            self._players, self._states, self._actions, [conv(T) for T in self._transitions],
            [conv(R) for R in self._rewards], float(self._gamma) if not fld.exact else self._gamma,
            terminal=self._terminal, initial=None if self._initial is None else conv(self._initial),
            field=fld, name=self._name, allow_float=allow_float,
        )

    def with_rewards(self, rewards: Sequence[Any], *, name: str | None = None) -> StochasticGame:
        """The same game with other rewards (same shapes accepted as in the constructor)."""
        return StochasticGame(self._players, self._states, self._actions, list(self._transitions), rewards,
                              self._gamma, terminal=self._terminal, initial=self._initial, field=self._field,
                              name=name if name is not None else self._name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StochasticGame):
            return NotImplemented
        return (
            self._players == other._players and self._states == other._states and self._actions == other._actions
            and self._gamma == other._gamma and self._terminal == other._terminal and self._field == other._field
            and all(bool(np.all(a == b)) for a, b in zip(self._transitions, other._transitions))
            and all(bool(np.all(a == b)) for a, b in zip(self._rewards, other._rewards))
            and ((self._initial is None and other._initial is None)
                 or (self._initial is not None and other._initial is not None and bool(np.all(self._initial == other._initial))))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        label = f" {self._name!r}" if self._name else ""
        return f"<StochasticGame{label} {self.n_players} players {self.n_states} states gamma={self._gamma} {self._field.name}>"

    def _repr_html_(self) -> str:
        """The game in a notebook: per state its joint actions' expected rewards and next states
        (:func:`jalverify.games.tables.stochastic_game_html`)."""
        from jalverify.games.tables import stochastic_game_html

        return stochastic_game_html(self)


class StationaryPolicy:
    """For every state, one distribution per player over that player's actions there.

    Parameters
    ----------
    game : StochasticGame
    distributions : sequence or mapping
        ``distributions[s][i]`` (or ``distributions[state name][i]``) is player ``i``'s distribution in ``s``.
    """

    __slots__ = ("game", "distributions")

    def __init__(self, game: StochasticGame, distributions: Sequence[Sequence[Any]] | Mapping[str, Sequence[Any]],
                 *, allow_float: bool = False) -> None:
        if isinstance(distributions, Mapping):
            unknown = [k for k in distributions if k not in game.states]
            if unknown:
                raise InvalidPolicy(f"StationaryPolicy(): unknown state {unknown[0]!r}; states are {list(game.states)}")
            missing = [s for s in game.states if s not in distributions]
            if missing:
                raise InvalidPolicy(f"StationaryPolicy(): no distributions for state {missing[0]!r}")
            distributions = [distributions[s] for s in game.states]
        if len(distributions) != game.n_states:
            raise InvalidPolicy(f"StationaryPolicy(): distributions for {len(distributions)} states, the game has {game.n_states}")
        out = []
        for s, per_player in enumerate(distributions):
            if len(per_player) != game.n_players:
                raise InvalidPolicy(
                    f"StationaryPolicy(): state {game.states[s]!r} has {len(per_player)} distributions for {game.n_players} players"
                )
            k = game.n_actions(s)
            out.append(tuple(
                check_distribution(game.field, d, k[i], f"StationaryPolicy() state {game.states[s]!r} player {game.players[i]!r}",
                                   allow_float=allow_float)
                for i, d in enumerate(per_player)
            ))
        self.game = game
        self.distributions: tuple[tuple[np.ndarray, ...], ...] = tuple(out)

    @classmethod
    def deterministic(cls, game: StochasticGame, choice: Sequence[Sequence[int]]) -> StationaryPolicy:
        """``choice[s][i]`` is the index of the action player ``i`` plays in state ``s``."""
        fld = game.field
        dists = []
        for s, per in enumerate(choice):
            row = []
            for i, a in enumerate(per):
                d = fld.zeros(game.n_actions(s)[i])
                d[a] = fld.one
                row.append(d)
            dists.append(row)
        return cls(game, dists)

    def joint_distribution(self, state: int | str) -> np.ndarray:
        """Product distribution over the joint actions of ``state``, shape ``k_s``."""
        s = self.game.state_index(state)
        out = self.distributions[s][0]
        for d in self.distributions[s][1:]:
            out = np.multiply.outer(out, d)
        return out

    def with_player(self, player: int, distributions: Sequence[Any]) -> StationaryPolicy:
        """This policy with player ``player``'s distributions replaced (one per state)."""
        rows = [list(per) for per in self.distributions]
        for s, d in enumerate(distributions):
            rows[s][player] = d
        return StationaryPolicy(self.game, rows)

    def is_deterministic(self) -> bool:
        return all(sum(1 for p in d if p != 0) == 1 for per in self.distributions for d in per)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StationaryPolicy):
            return NotImplemented
        return all(bool(np.all(a == b)) for pa, pb in zip(self.distributions, other.distributions) for a, b in zip(pa, pb))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        body = "; ".join(
            f"{self.game.states[s]}: " + " ".join("[" + ", ".join(str(p) for p in d) + "]" for d in per)
            for s, per in enumerate(self.distributions)
        )
        return f"StationaryPolicy({body})"


class CorrelatedStationaryPolicy:
    """For every state, one distribution over joint actions (shape ``k_s``)."""

    __slots__ = ("game", "distributions")

    def __init__(self, game: StochasticGame, distributions: Sequence[Any] | Mapping[str, Any], *,
                 allow_float: bool = False) -> None:
        if isinstance(distributions, Mapping):
            missing = [s for s in game.states if s not in distributions]
            if missing:
                raise InvalidPolicy(f"CorrelatedStationaryPolicy(): no distribution for state {missing[0]!r}")
            distributions = [distributions[s] for s in game.states]
        if len(distributions) != game.n_states:
            raise InvalidPolicy(f"CorrelatedStationaryPolicy(): distributions for {len(distributions)} states, the game has {game.n_states}")
        self.game = game
        self.distributions: tuple[np.ndarray, ...] = tuple(
            check_distribution(game.field, d, game.n_actions(s), f"CorrelatedStationaryPolicy() state {game.states[s]!r}",
                               allow_float=allow_float)
            for s, d in enumerate(distributions)
        )

    @classmethod
    def from_stationary(cls, policy: StationaryPolicy) -> CorrelatedStationaryPolicy:
        return cls(policy.game, [policy.joint_distribution(s) for s in range(policy.game.n_states)])

    def joint_distribution(self, state: int | str) -> np.ndarray:
        return self.distributions[self.game.state_index(state)]


def stage_game(game: StochasticGame, state: int | str, Q: Any, *, name: str | None = None) -> NormalFormGame:
    """The stage game :math:`Γ_s` with payoffs :math:`R_j(a) = Q_j(s, a)` (book Eq. 6.10).

    Parameters
    ----------
    game : StochasticGame
    state : int or str
    Q : array-like
        Either the values of this state, shape ``(n, *k_s)``, or a sequence over all states of such arrays.
    """
    s = game.state_index(state)
    q = Q[s] if isinstance(Q, (list, tuple)) else Q
    arr = np.asarray(q, dtype=object if game.field.exact else np.float64)
    expected = (game.n_players,) + game.n_actions(s)
    if arr.shape != expected:
        raise InvalidGame(f"stage_game(): Q for state {game.states[s]!r} has shape {arr.shape}, expected {expected}")
    return NormalFormGame(arr.copy(), game.players, game.actions[s], field=game.field,
                          name=name or f"stage game at {game.states[s]}")


def repeated_game(game: NormalFormGame, gamma: Any) -> StochasticGame:
    """The normal-form ``game`` played repeatedly with discount ``gamma``: one state ``stage`` that every joint
    action returns to, rewards the stage payoffs (the usual way a matrix game is learned by a JAL-GT learner:
    Littman 1994, §4; Hu & Wellman 2003, §5).

    Parameters
    ----------
    game : NormalFormGame
    gamma : number
        In ``[0, 1)``, read in the game's field (``"9/10"``, ``Fraction(9, 10)``; ``0`` learns the stage payoffs
        only).

    Raises
    ------
    InvalidGame
        ``gamma`` is not a number in ``[0, 1)``.
    """
    fld = game.field
    g = fld.convert(gamma, where="gamma")
    if not (0 <= g < 1):
        raise InvalidGame(f"repeated_game(): the discount must be in [0, 1), got {gamma!r}")
    transitions = np.ones(game.n_actions + (1,), dtype=object if fld.exact else np.float64)
    return StochasticGame(list(game.players), ["stage"], [game.actions], [transitions], [np.asarray(game.payoffs)],
                          g, field=fld, initial=[fld.one], name=game.name)
