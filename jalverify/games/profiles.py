r"""Mixed and correlated strategy profiles, expected payoffs, regrets, and CE / CCE gains.

* A **mixed profile** σ gives each player ``i`` a distribution ``σ_i`` over ``A_i``; players randomise
  independently.
* A **correlated profile** ``x`` is one distribution over joint actions ``A``.

Definitions (Albrecht, Christianos & Schäfer 2024, §4.3–4.6, Eqs. 4.20–4.24):

* expected payoff :math:`U_i(σ) = Σ_a \prod_j σ_j(a_j) R_i(a)`;
* regret of player ``i`` for deviation ``a'_i``: :math:`U_i(a'_i, σ_{-i}) - U_i(σ)`; σ is a Nash equilibrium
  iff every regret is ≤ 0, i.e. ``max_regret(σ) <= 0``;
* CE gain of player ``i`` for recommendation ``a'_i`` and deviation ``a''_i``:
  :math:`Σ_{a: a_i = a'_i} x_a [R_i(a''_i, a_{-i}) - R_i(a)]`; ``x`` is a correlated equilibrium iff every
  CE gain is ≤ 0;
* CCE gain of player ``i`` for deviation ``a''_i``: :math:`Σ_a x_a [R_i(a''_i, a_{-i}) - R_i(a)]`.

(Gains are the negated left-hand sides of the book's constraints, so "≤ 0" is the equilibrium test for all
three.)  In the exact field every quantity is an exact :class:`~fractions.Fraction`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidProfile
from jalverify.games.normal_form import NormalFormGame, freeze
from jalverify.numbers import Field, FloatField, Number, RationalField

__all__ = [
    "CorrelatedProfile",
    "MixedProfile",
    "cce_gains",
    "ce_gains",
    "check_distribution",
    "deviation_payoffs",
    "expected_payoffs",
    "is_coarse_correlated_equilibrium",
    "is_correlated_equilibrium",
    "is_nash",
    "max_cce_gain",
    "max_ce_gain",
    "max_regret",
    "regrets",
]


def check_distribution(field: Field, values: Any, length: int | tuple[int, ...], where: str,
                       *, allow_float: bool = False) -> np.ndarray:
    """Read ``values`` as a probability distribution in ``field`` and validate it.

    The shape must be ``length``; entries must be ≥ 0 and sum to exactly 1 (exact field) or to 1 within
    ``field.atol`` (float field).  Nothing is normalised.

    The checks run in one step for the two built-in fields: a vectorised comparison ``p < -atol`` in float64
    (the float field), and the signs of the numerators and one integer sum over the lcm of the denominators
    (the exact field, entries all :class:`~fractions.Fraction`).  Any other field or entry type is checked
    entry by entry with the field's own ``lt`` / ``total`` / ``eq``; the answers and messages are the same.

    Raises
    ------
    InvalidProfile
        Wrong shape, a negative entry, or a sum different from 1 (the message gives the sum).
    """
    shape = (length,) if isinstance(length, int) else tuple(length)
    arr = field.array(values, where=where, allow_float=allow_float)
    if arr.shape != shape:
        raise InvalidProfile(f"{where}: expected {shape[0] if len(shape) == 1 else shape} probabilities, got shape {arr.shape}")
    flat = arr.reshape(-1)
    if type(field) is FloatField and arr.dtype == np.float64:
        _check_float_distribution(field.atol, flat, shape, where)
        return freeze(arr)
    if type(field) is RationalField:
        entries = flat.tolist()
        if all(type(p) is Fraction for p in entries):
            _check_fraction_distribution(entries, shape, where)
            return freeze(arr)
    for k, p in enumerate(flat):
        if field.lt(p, field.zero):
            raise _negative(where, shape, k, p)
    total = field.total(flat.tolist())
    if not field.eq(total, field.one):
        raise InvalidProfile(f"{where}: probabilities sum to {total}, expected 1")
    return freeze(arr)


def _negative(where: str, shape: tuple[int, ...], k: int, p: Any) -> InvalidProfile:
    idx = np.unravel_index(k, shape)
    at = tuple(int(i) for i in idx) if len(shape) > 1 else int(idx[0])
    return InvalidProfile(f"{where}: probability at {at} is negative: {p}")


def _check_float_distribution(atol: float, flat: np.ndarray, shape: tuple[int, ...], where: str) -> None:
    """The float field's checks on finite float64 entries: ``p < 0 - atol`` for every entry at once (the first
    offender is reported), then the sum of the entries in order from ``0.0`` (Python's ``sum``, as
    :meth:`Field.total`), which must be within ``atol`` of 1."""
    negative = flat < 0.0 - atol
    if negative.any():
        k = int(np.argmax(negative))
        raise _negative(where, shape, k, flat[k])
    total = sum(flat.tolist(), 0.0)
    if not abs(total - 1.0) <= atol:
        raise InvalidProfile(f"{where}: probabilities sum to {total}, expected 1")


def _check_fraction_distribution(entries: list[Fraction], shape: tuple[int, ...], where: str) -> None:
    """The exact field's checks on Fractions in integers: ``p < 0`` iff its numerator is (a Fraction's
    denominator is positive), and ``Σ p = S / L`` with ``L`` the lcm of the denominators and
    ``S = Σ p.numerator · (L / p.denominator)``, which is 1 iff ``S == L``."""
    for k, p in enumerate(entries):
        if p.numerator < 0:
            raise _negative(where, shape, k, p)
    scale = math.lcm(*(p.denominator for p in entries)) if entries else 1
    total = sum(p.numerator * (scale // p.denominator) for p in entries)
    if total != scale:
        raise InvalidProfile(f"{where}: probabilities sum to {Fraction(total, scale)}, expected 1")


class MixedProfile:
    """One probability distribution per player (independent randomisation).

    Parameters
    ----------
    game : NormalFormGame
    distributions : sequence of array-like
        ``distributions[i]`` has ``game.n_actions[i]`` entries, non-negative, summing to 1.
    """

    __slots__ = ("distributions", "game")

    def __init__(self, game: NormalFormGame, distributions: Sequence[Any], *, allow_float: bool = False) -> None:
        if len(distributions) != game.n_players:
            raise InvalidProfile(f"MixedProfile(): {len(distributions)} distributions for {game.n_players} players")
        self.game = game
        self.distributions: tuple[np.ndarray, ...] = tuple(
            check_distribution(game.field, d, game.n_actions[i], f"MixedProfile() player {game.players[i]!r}",
                               allow_float=allow_float)
            for i, d in enumerate(distributions)
        )

    @classmethod
    def pure(cls, game: NormalFormGame, joint: Sequence[int | str]) -> MixedProfile:
        """The pure profile playing ``joint`` with probability 1."""
        idx = game.joint_index(joint)
        dists = []
        for i, a in enumerate(idx):
            d = game.field.zeros(game.n_actions[i])
            d[a] = game.field.one
            dists.append(d)
        return cls(game, dists)

    def supports(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the actions each player plays with positive probability (beyond tolerance)."""
        fld = self.game.field
        return tuple(tuple(j for j, p in enumerate(d) if fld.lt(fld.zero, p)) for d in self.distributions)

    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.supports())

    def joint_distribution(self) -> np.ndarray:
        """The product distribution over joint actions, shape ``game.n_actions``."""
        out = self.distributions[0]
        for d in self.distributions[1:]:
            out = np.multiply.outer(out, d)
        return out

    def to_correlated(self) -> CorrelatedProfile:
        return CorrelatedProfile(self.game, self.joint_distribution())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MixedProfile):
            return NotImplemented
        return self.game is other.game and all(
            a.shape == b.shape and bool(np.all(a == b)) for a, b in zip(self.distributions, other.distributions)
        )

    def __hash__(self) -> int:
        return hash(tuple(tuple(d.tolist()) for d in self.distributions))

    def __repr__(self) -> str:
        parts = ", ".join("[" + ", ".join(str(p) for p in d) + "]" for d in self.distributions)
        return f"MixedProfile({parts})"


class CorrelatedProfile:
    """One probability distribution over joint actions, shape ``game.n_actions``."""

    __slots__ = ("distribution", "game")

    def __init__(self, game: NormalFormGame, distribution: Any, *, allow_float: bool = False) -> None:
        self.game = game
        self.distribution: np.ndarray = check_distribution(
            game.field, distribution, game.n_actions, "CorrelatedProfile()", allow_float=allow_float
        )

    def marginals(self) -> tuple[np.ndarray, ...]:
        """Each player's marginal distribution."""
        n = self.game.n_players
        return tuple(self.distribution.sum(axis=tuple(j for j in range(n) if j != i)) for i in range(n))

    def __repr__(self) -> str:
        return f"CorrelatedProfile({self.distribution.tolist()})"


Profile = MixedProfile | CorrelatedProfile


def _joint(profile: Profile) -> np.ndarray:
    if isinstance(profile, MixedProfile):
        return profile.joint_distribution()
    if isinstance(profile, CorrelatedProfile):
        return profile.distribution
    raise InvalidProfile(f"expected a MixedProfile or CorrelatedProfile, got {type(profile).__name__}")


def _check_game(game: NormalFormGame, profile: Profile) -> None:
    if profile.game is not game and profile.game != game:
        raise InvalidProfile("the profile belongs to a different game")


def expected_payoffs(game: NormalFormGame, profile: Profile) -> np.ndarray:
    """``U_i(σ)`` for every player, as an array of length ``n_players``."""
    _check_game(game, profile)
    x = _joint(profile)
    n = game.n_players
    axes = tuple(range(n))
    return np.array([np.tensordot(game.payoffs[i], x, axes=(axes, axes)).item() if n else 0 for i in range(n)],
                    dtype=game.field.dtype)


def _contract_others(tensor: np.ndarray, dists: Sequence[np.ndarray], keep: int) -> np.ndarray:
    """Contract ``tensor`` (axes = players) with every player's distribution except ``keep``."""
    out = tensor
    # contract from the last axis down so axis numbers stay valid
    for j in reversed(range(len(dists))):
        if j == keep:
            continue
        out = np.tensordot(out, dists[j], axes=([j], [0]))
    return out


def deviation_payoffs(game: NormalFormGame, profile: MixedProfile, player: int | str) -> np.ndarray:
    """``U_i(a_i, σ_{-i})`` for every action ``a_i`` of ``player``."""
    _check_game(game, profile)
    i = game.player_index(player)
    return _contract_others(game.payoffs[i], profile.distributions, i)


def regrets(game: NormalFormGame, profile: MixedProfile) -> tuple[np.ndarray, ...]:
    """Per player, per pure deviation ``a'_i``: ``U_i(a'_i, σ_{-i}) - U_i(σ)``."""
    _check_game(game, profile)
    out = []
    for i in range(game.n_players):
        dev = _contract_others(game.payoffs[i], profile.distributions, i)
        value = np.dot(dev, profile.distributions[i])
        out.append(dev - value)
    return tuple(out)


def max_regret(game: NormalFormGame, profile: MixedProfile) -> Number:
    """The largest gain any player can obtain by a unilateral pure deviation (≥ 0); 0 exactly at a Nash
    equilibrium in the exact field (the exact Nash test, as in Gambit's ``max_regret``)."""
    return max(max(r.tolist()) for r in regrets(game, profile))


def is_nash(game: NormalFormGame, profile: MixedProfile) -> bool:
    """Whether ``profile`` is a Nash equilibrium: exact in the exact field, within ``atol`` in the float field."""
    return game.field.le(max_regret(game, profile), game.field.zero)


def ce_gains(game: NormalFormGame, profile: CorrelatedProfile) -> tuple[np.ndarray, ...]:
    """Per player ``i`` a matrix ``G[a'_i, a''_i] = Σ_{a: a_i=a'_i} x_a [R_i(a''_i, a_{-i}) - R_i(a)]``."""
    _check_game(game, profile)
    x = profile.distribution
    n = game.n_players
    out = []
    for i in range(n):
        R = np.moveaxis(game.payoffs[i], i, 0).reshape(game.n_actions[i], -1)  # [a_i, a_{-i}]
        X = np.moveaxis(x, i, 0).reshape(game.n_actions[i], -1)
        # payoff to following: Σ_{a_-i} x[a', a_-i] R[a', a_-i]; deviating to a'': Σ_{a_-i} x[a', a_-i] R[a'', a_-i]
        follow = (X * R).sum(axis=1)
        deviate = X.dot(R.T)  # [a', a'']
        out.append(deviate - follow[:, None])
    return tuple(out)


def cce_gains(game: NormalFormGame, profile: CorrelatedProfile) -> tuple[np.ndarray, ...]:
    """Per player ``i`` a vector ``g[a''_i] = Σ_a x_a [R_i(a''_i, a_{-i}) - R_i(a)]``."""
    return tuple(g.sum(axis=0) for g in ce_gains(game, profile))


def max_ce_gain(game: NormalFormGame, profile: CorrelatedProfile) -> Number:
    return max(max(g.reshape(-1).tolist()) for g in ce_gains(game, profile))


def max_cce_gain(game: NormalFormGame, profile: CorrelatedProfile) -> Number:
    return max(max(g.tolist()) for g in cce_gains(game, profile))


def is_correlated_equilibrium(game: NormalFormGame, profile: CorrelatedProfile) -> bool:
    return game.field.le(max_ce_gain(game, profile), game.field.zero)


def is_coarse_correlated_equilibrium(game: NormalFormGame, profile: CorrelatedProfile) -> bool:
    return game.field.le(max_cce_gain(game, profile), game.field.zero)
