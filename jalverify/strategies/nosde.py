r"""Hypothesis strategies for NoSDE games: turn-based two-state games whose best responses cycle by construction.

The family generalises the book's game (Albrecht, Christianos & Schäfer 2024, p.126, Fig. 6.3; Zinkevich,
Greenwald & Littman 2005): agent 1 moves in ``s1``, agent 2 in ``s2``; ``keep`` stays, ``send`` moves to the
other state; rewards ``(x_1, x_2)`` are ``a`` for s1/keep, ``b`` for s1/send, ``c`` for s2/keep, ``d`` for
s2/send; discount γ.  Evaluating the four deterministic profiles by hand, the best responses cycle
(keep, keep) → (send, keep) → (send, send) → (keep, send) → (keep, keep) exactly when

.. math::

    a_1 < (1-γ) b_1 + γ c_1, \quad (1+γ) a_1 > b_1 + γ d_1, \quad
    (1+γ) c_2 < d_2 + γ b_2, \quad c_2 > (1-γ) d_2 + γ a_2,

so every deterministic profile has a profitable one-shot deviation (NoSDE), and the strict inequalities
also rule out equilibria where only one agent mixes, so the unique stationary equilibrium is fully mixed.
Games are built **by construction**, not by filtering: draw γ, ``b_1, d_1, a_2, d_2`` (small integers) and
offsets; choose ``c_1`` and ``b_2`` large enough that the intervals for ``a_1`` and ``c_2`` are non-empty; put
``a_1`` and ``c_2`` at a drawn fraction of their intervals; finally scale all rewards by a common denominator
(a positive scaling changes no equilibrium) so rewards are integers.  Action order per state may be swapped.
The NoSDE property is confirmed by the exact detector in the property suite, not assumed.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor, lcm
from typing import Any

from hypothesis import strategies as st

from jalverify.games.stochastic import StochasticGame
from jalverify.strategies.cases import register_case

__all__ = ["nosde_games", "NOSDE_GAMMAS"]

#: Discounts drawn by default (shrinks toward the first).
NOSDE_GAMMAS = st.sampled_from([Fraction(3, 4), Fraction(1, 2), Fraction(2, 3), Fraction(4, 5), Fraction(9, 10)])

_FRACTIONS = st.sampled_from([Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(3, 4)])


@st.composite
def nosde_games(draw: Any, gamma: Any = None, rewards: Any = None, swap_actions: bool = True) -> StochasticGame:
    """Random NoSDE games of the keep/send family (module docstring), exact, with integer rewards.

    Parameters
    ----------
    gamma : strategy of Fraction, optional
        Discount in (0, 1) (default :data:`NOSDE_GAMMAS`).
    rewards : strategy of int, optional
        The freely drawn rewards ``b_1, d_1, a_2, d_2`` (default integers in [-3, 3]).
    swap_actions : bool
        Also draw the order of ``keep``/``send`` in each state.
    """
    g = draw(gamma if gamma is not None else NOSDE_GAMMAS)
    free = rewards if rewards is not None else st.integers(-3, 3)
    b1, d1, a2, d2 = (Fraction(draw(free)) for _ in range(4))
    e1, e2 = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    t1, t2 = draw(_FRACTIONS), draw(_FRACTIONS)
    # agent 1: need (b1 + g d1)/(1 + g) < (1 - g) b1 + g c1
    c1 = Fraction(floor(((b1 + g * d1) / (1 + g) - (1 - g) * b1) / g) + e1)
    lo1, hi1 = (b1 + g * d1) / (1 + g), (1 - g) * b1 + g * c1
    a1 = lo1 + t1 * (hi1 - lo1)
    # agent 2: need (1 - g) d2 + g a2 < (d2 + g b2)/(1 + g)
    b2 = Fraction(floor(((1 + g) * ((1 - g) * d2 + g * a2) - d2) / g) + e2)
    lo2, hi2 = (1 - g) * d2 + g * a2, (d2 + g * b2) / (1 + g)
    c2 = lo2 + t2 * (hi2 - lo2)
    table = {("s1", "keep"): (a1, a2), ("s1", "send"): (b1, b2), ("s2", "keep"): (c1, c2), ("s2", "send"): (d1, d2)}
    scale = 1
    for pair in table.values():
        for x in pair:
            scale = lcm(scale, x.denominator)
    table = {k: (v[0] * scale, v[1] * scale) for k, v in table.items()}
    order = []
    for _ in range(2):
        swapped = draw(st.booleans()) if swap_actions else False
        order.append(("send", "keep") if swapped else ("keep", "send"))
    o1, o2 = order
    nxt = {"s1": {"keep": "s1", "send": "s2"}, "s2": {"keep": "s2", "send": "s1"}}
    rewards_s1 = [[[table["s1", a][i]] for a in o1] for i in range(2)]
    rewards_s2 = [[[table["s2", a][i] for a in o2]] for i in range(2)]
    return StochasticGame(
        ["agent 1", "agent 2"], ["s1", "s2"],
        [[o1, ("none",)], [("none",), o2]],
        [{(a, "none"): {nxt["s1"][a]: 1} for a in o1}, {("none", a): {nxt["s2"][a]: 1} for a in o2}],
        [rewards_s1, rewards_s2], g, name="generated keep/send NoSDE game",
    )


# Case strategies for the theorem registry (active once this module is imported, e.g. from
# ``jalverify.strategies``): one NoSDE game, or a game with a seed for the Γ' target.
register_case("nosde_games")(lambda: st.tuples(nosde_games()))
register_case("nosde_games_with_seeds")(lambda: st.tuples(nosde_games(), st.integers(0, 2**16)))
