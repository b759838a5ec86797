r"""Normal-form games.

A normal-form game has players :math:`N = \{0, \dots, n-1\}`, finite action sets :math:`A_i` and a payoff
:math:`R_i(a)` for every player :math:`i` and joint action :math:`a \in A = \times_i A_i`
(Albrecht, Christianos & Schäfer 2024, §3.1).  Payoffs are stored as one array of shape
``(n_players, |A_0|, ..., |A_{n-1}|)`` in a :class:`~jalverify.numbers.Field`; the array is read-only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame, InvalidNumber, UnknownName
from jalverify.numbers import EXACT, Field, Number, field_named

__all__ = ["NormalFormGame", "default_player_names", "default_action_names"]


def default_player_names(n: int) -> tuple[str, ...]:
    return tuple(f"p{i}" for i in range(n))


def default_action_names(counts: Sequence[int]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f"a{j}" for j in range(k)) for k in counts)


def check_names(kind: str, names: Sequence[Any], where: str) -> tuple[str, ...]:
    """Validate a list of names: strings, non-empty, no duplicates."""
    out = []
    for k, name in enumerate(names):
        if not isinstance(name, str) or not name:
            raise InvalidGame(f"{where}: {kind} name #{k} must be a non-empty string, got {name!r}")
        out.append(name)
    seen: set[str] = set()
    for name in out:
        if name in seen:
            raise InvalidGame(f"{where}: duplicate {kind} name {name!r}")
        seen.add(name)
    return tuple(out)


def freeze(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class NormalFormGame:
    """An immutable n-player normal-form game.

    Parameters
    ----------
    payoffs : array-like
        Shape ``(n_players, |A_0|, ..., |A_{n-1}|)``, or a sequence of one array per player each of shape
        ``(|A_0|, ..., |A_{n-1}|)``.  Entries are read into ``field`` (ints, ``"p/q"``, decimals; floats only in
        the float field or with ``allow_float=True``).
    players : sequence of str, optional
        Player names; default ``p0, p1, ...``.
    actions : sequence of sequences of str, optional
        Action names per player; default ``a0, a1, ...``.
    field : Field or {"exact", "float"}
        Number field; default exact.
    name : str, optional
        A label (catalog games carry their name).
    allow_float : bool
        In the exact field, accept binary floats (converted exactly).

    Raises
    ------
    InvalidGame
        Shape mismatches, fewer than one player, a player without actions, bad or duplicate names.
    InvalidNumber
        NaN/inf payoffs, floats in the exact field, unreadable numbers; the message gives the index.
    """

    __slots__ = ("_payoffs", "_players", "_actions", "_field", "_name")

    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        *,
        field: Field | str = EXACT,
        name: str | None = None,
        allow_float: bool = False,
    ) -> None:
        fld = field_named(field)
        where = "NormalFormGame()"
        if isinstance(payoffs, np.ndarray):
            raw = payoffs
        else:
            per_player = list(payoffs) if isinstance(payoffs, (list, tuple)) else None
            if per_player is None:
                raise InvalidGame(f"{where}: payoffs must be an array or a list of per-player arrays, got {type(payoffs).__name__}")
            shapes = [np.shape(p) for p in per_player]
            if len(set(shapes)) > 1:
                raise InvalidGame(f"{where}: per-player payoff arrays have different shapes {shapes}")
            try:
                raw = np.asarray(per_player, dtype=object)
            except ValueError as exc:
                raise InvalidGame(f"{where}: payoffs are ragged (rows of different lengths): {exc}") from exc
        if raw.ndim < 2:
            raise InvalidGame(
                f"{where}: payoffs must have shape (n_players, |A_0|, ..., |A_n-1|), got shape {raw.shape}"
            )
        n = raw.shape[0]
        if raw.ndim != n + 1:
            raise InvalidGame(
                f"{where}: {n} players need payoff arrays with {n} action axes, got shape {raw.shape[1:]} "
                f"(expected shape (n_players, |A_0|, ..., |A_{n - 1}|))"
            )
        counts = raw.shape[1:]
        for i, k in enumerate(counts):
            if k < 1:
                raise InvalidGame(f"{where}: player {i} has no actions (shape {raw.shape})")
        self._players = check_names("player", players, where) if players is not None else default_player_names(n)
        if len(self._players) != n:
            raise InvalidGame(f"{where}: {len(self._players)} player names for {n} players: {list(self._players)}")
        if actions is None:
            self._actions = default_action_names(counts)
        else:
            if len(actions) != n:
                raise InvalidGame(f"{where}: action names given for {len(actions)} players, the game has {n}")
            acts = []
            for i, names in enumerate(actions):
                names_t = check_names("action", names, f"{where} player {self._players[i]!r}")
                if len(names_t) != counts[i]:
                    raise InvalidGame(
                        f"{where}: player {self._players[i]!r} has {len(names_t)} action names but the payoff "
                        f"array has {counts[i]} actions on axis {i}"
                    )
                acts.append(names_t)
            self._actions = tuple(acts)
        if isinstance(raw, np.ndarray) and raw.dtype != object and fld.exact:
            if raw.dtype.kind == "f" and not allow_float:
                bad = raw.reshape(-1)[0]
                raise InvalidNumber(
                    f"{where}: float payoffs refused in the exact field (first entry {bad!r}); "
                    "pass integers, strings or Fractions, or allow_float=True"
                )
        self._payoffs = freeze(fld.array(raw, where=f"{where} payoffs", allow_float=allow_float))
        self._field = fld
        self._name = name

    # --- constructors -----------------------------------------------------------------------------
    @classmethod
    def zero_sum(cls, A: Any, *, players: Sequence[str] | None = None, actions: Sequence[Sequence[str]] | None = None,
                 field: Field | str = EXACT, name: str | None = None, allow_float: bool = False) -> NormalFormGame:
        """The two-player zero-sum game with row payoffs ``A`` and column payoffs ``-A``."""
        fld = field_named(field)
        a = fld.array(A, where="NormalFormGame.zero_sum() A", allow_float=allow_float)
        if a.ndim != 2:
            raise InvalidGame(f"NormalFormGame.zero_sum(): A must be a matrix, got shape {a.shape}")
        return cls(np.stack([a, -a]), players, actions, field=fld, name=name)

    @classmethod
    def bimatrix(cls, A: Any, B: Any, *, players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None, field: Field | str = EXACT,
                 name: str | None = None, allow_float: bool = False) -> NormalFormGame:
        """The two-player game with row payoffs ``A`` and column payoffs ``B`` (same shape)."""
        fld = field_named(field)
        a = fld.array(A, where="NormalFormGame.bimatrix() A", allow_float=allow_float)
        b = fld.array(B, where="NormalFormGame.bimatrix() B", allow_float=allow_float)
        if a.ndim != 2 or a.shape != b.shape:
            raise InvalidGame(f"NormalFormGame.bimatrix(): A and B must be matrices of one shape, got {a.shape} and {b.shape}")
        return cls(np.stack([a, b]), players, actions, field=fld, name=name)

    # --- accessors --------------------------------------------------------------------------------
    @property
    def payoffs(self) -> np.ndarray:
        """Read-only array of shape ``(n_players, *n_actions)``."""
        return self._payoffs

    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        return self._actions

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
    def n_actions(self) -> tuple[int, ...]:
        return tuple(self._payoffs.shape[1:])

    @property
    def n_joint_actions(self) -> int:
        return int(np.prod(self.n_actions))

    def payoff(self, player: int | str, joint: Sequence[int | str]) -> Number:
        """Payoff of ``player`` at the joint action ``joint`` (indices or names)."""
        i = self.player_index(player)
        idx = self.joint_index(joint)
        return self._payoffs[(i, *idx)]

    def player_index(self, player: int | str) -> int:
        if isinstance(player, str):
            try:
                return self._players.index(player)
            except ValueError:
                raise UnknownName(f"unknown player {player!r}; players are {list(self._players)}") from None
        if not 0 <= int(player) < self.n_players:
            raise UnknownName(f"player index {player!r} out of range 0..{self.n_players - 1}")
        return int(player)

    def action_index(self, player: int | str, action: int | str) -> int:
        i = self.player_index(player)
        if isinstance(action, str):
            try:
                return self._actions[i].index(action)
            except ValueError:
                raise UnknownName(
                    f"unknown action {action!r} of player {self._players[i]!r}; actions are {list(self._actions[i])}"
                ) from None
        if not 0 <= int(action) < self.n_actions[i]:
            raise UnknownName(f"action index {action!r} of player {self._players[i]!r} out of range 0..{self.n_actions[i] - 1}")
        return int(action)

    def joint_index(self, joint: Sequence[int | str]) -> tuple[int, ...]:
        if len(joint) != self.n_players:
            raise UnknownName(f"joint action {tuple(joint)!r} has {len(joint)} components, the game has {self.n_players} players")
        return tuple(self.action_index(i, a) for i, a in enumerate(joint))

    def joint_actions(self) -> Iterator[tuple[int, ...]]:
        """All joint actions as index tuples, in C (row-major) order."""
        return itertools.product(*(range(k) for k in self.n_actions))

    # --- predicates -------------------------------------------------------------------------------
    def is_constant_sum(self) -> bool:
        """Whether ``Σ_i R_i(a)`` is the same for every joint action (within the field's tolerance)."""
        totals = self._payoffs.sum(axis=0).reshape(-1)
        first = totals[0]
        return all(self._field.eq(t, first) for t in totals)

    def is_zero_sum(self) -> bool:
        """Whether ``Σ_i R_i(a) = 0`` for every joint action."""
        totals = self._payoffs.sum(axis=0).reshape(-1)
        return all(self._field.is_zero(t) for t in totals)

    def is_common_payoff(self) -> bool:
        """Whether every player receives the same payoff at every joint action."""
        p = self._payoffs
        return all(self._field.eq(x, y) for i in range(1, self.n_players) for x, y in zip(p[0].reshape(-1), p[i].reshape(-1)))

    def is_symmetric(self) -> bool:
        """Whether the game is symmetric: all players have the same number of actions and, for every permutation
        ``σ`` of players, ``R_{σ(i)}(a ∘ σ^{-1}) = R_i(a)``.  For two players this is ``B = Aᵀ``.

        It suffices to check the adjacent transpositions, which generate the symmetric group.
        """
        counts = self.n_actions
        if len(set(counts)) != 1:
            return False
        n = self.n_players
        p = self._payoffs
        for k in range(n - 1):
            perm_axes = list(range(n))
            perm_axes[k], perm_axes[k + 1] = perm_axes[k + 1], perm_axes[k]
            for i in range(n):
                j = k + 1 if i == k else k if i == k + 1 else i
                # R_j(a with a_k, a_{k+1} swapped) == R_i(a)
                swapped = np.transpose(p[j], perm_axes)
                if not all(self._field.eq(x, y) for x, y in zip(swapped.reshape(-1), p[i].reshape(-1))):
                    return False
        return True

    # --- transformations --------------------------------------------------------------------------
    def restrict(self, supports: Sequence[Sequence[int | str]]) -> NormalFormGame:
        """The subgame in which player ``i`` may only play the actions in ``supports[i]`` (kept in given order)."""
        if len(supports) != self.n_players:
            raise InvalidGame(f"NormalFormGame.restrict(): {len(supports)} supports for {self.n_players} players")
        idx = []
        for i, support in enumerate(supports):
            sel = [self.action_index(i, a) for a in support]
            if not sel:
                raise InvalidGame(f"NormalFormGame.restrict(): empty support for player {self._players[i]!r}")
            if len(set(sel)) != len(sel):
                raise InvalidGame(f"NormalFormGame.restrict(): repeated action in support {list(support)!r} of player {self._players[i]!r}")
            idx.append(sel)
        sub = self._payoffs[np.ix_(range(self.n_players), *idx)]
        actions = [tuple(self._actions[i][j] for j in sel) for i, sel in enumerate(idx)]
        return NormalFormGame(sub.copy(), self._players, actions, field=self._field, name=self._name)

    def to_field(self, field: Field | str, *, allow_float: bool = False) -> NormalFormGame:
        """The same game in another field.  Float → exact needs ``allow_float=True`` (exact binary values)."""
        fld = field_named(field)
        if fld == self._field:
            return self
        if fld.exact and not allow_float:
            raise InvalidNumber("NormalFormGame.to_field(): converting float payoffs to the exact field needs allow_float=True")
        if fld.exact:
            data = np.vectorize(lambda x: Fraction(float(x)), otypes=[object])(self._payoffs)
        else:
            data = fld.array(self._payoffs, where="payoffs")  # refuses values float64 cannot hold, naming them
        return NormalFormGame(data, self._players, self._actions, field=fld, name=self._name)

    def with_names(self, players: Sequence[str] | None = None, actions: Sequence[Sequence[str]] | None = None,
                   name: str | None = None) -> NormalFormGame:
        return NormalFormGame(self._payoffs.copy(), players or self._players, actions or self._actions,
                              field=self._field, name=name if name is not None else self._name)

    # --- dunder -----------------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self._players == other._players
            and self._actions == other._actions
            and self._field == other._field
            and self._payoffs.shape == other._payoffs.shape
            and bool(np.all(self._payoffs == other._payoffs))
        )

    def __hash__(self) -> int:
        return hash((self._players, self._actions, tuple(self._payoffs.reshape(-1).tolist())))

    def __repr__(self) -> str:
        shape = "×".join(str(k) for k in self.n_actions)
        label = f" {self._name!r}" if self._name else ""
        return f"<NormalFormGame{label} {self.n_players} players {shape} {self._field.name}>"

    def _repr_html_(self) -> str:
        """The payoff tables in a notebook (:func:`jalverify.games.tables.payoff_table_html`)."""
        from jalverify.games.tables import payoff_table_html

        return payoff_table_html(self)

    def to_latex(self) -> str:
        """The payoff tables as booktabs LaTeX, exact payoffs as fractions
        (:func:`jalverify.games.tables.payoff_table_latex`)."""
        from jalverify.games.tables import payoff_table_latex

        return payoff_table_latex(self)
