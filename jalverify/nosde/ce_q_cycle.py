r"""The exact model-based CE-Q backup (value iteration with a stationary CE selection) and its certified cycle.

CE-Q (Greenwald & Hall 2003, ICML; theory.md §5) is JAL-GT with a correlated equilibrium (CE) as the stage
solution (Albrecht, Christianos & Schäfer 2024, Algorithm 7, p.120).  With a known model its backup applied at
every (state, joint action) is value iteration over joint-action values (book Algorithm 6; theory.md §2):

.. math::  x_k(s) = \mathrm{sel}(Γ_s(Q_k)), \qquad V_{k,j}(s) = Σ_a x_k(s)(a)\, Q_{k,j}(s, a), \qquad
           Q_{k+1,j}(s, a) = Σ_{s'} T(s' \mid s, a)\,[R_j(s, a, s') + γ V_{k,j}(s')],

where ``sel`` is a **stationary** selection among the CE of the stage game :math:`Γ_s(Q)` (payoffs
:math:`Q_j(s, ·)`): here the exact CE LP of :func:`jalverify.solvers.correlated.correlated_solve` with a welfare
objective and its deterministic tie-break (default utilitarian, lexicographic: independent of the LP solver).
For the libertarian objective agent ``j`` backs up its own optimum :math:`U_j(x^j)`.

Zinkevich, Greenwald & Littman (2005, NIPS 18) show that on NoSDE games every value-iteration-based JAL-GT
backup with a stationary selection cycles: its stage solutions cannot settle.  This module runs the backup in
rational arithmetic from :math:`Q_0 = 0` and **certifies** the cycle:

1. *Candidate.*  Once the last ``p`` stage solutions are pure (one joint action per state) and repeat the ``p``
   before them, the block :math:`σ_0, …, σ_{p-1}` is a candidate.
2. *Orbit.*  With :math:`T_σ V = r^σ + γ M^σ V` (a γ-contraction in max-norm), the periodic orbit
   :math:`W_0 = T_{σ_{p-1}} ∘ ⋯ ∘ T_{σ_0} W_0`, :math:`W_{j+1} = T_{σ_j} W_j` is solved exactly (the affine-map
   machinery of :mod:`jalverify.nosde.value_iteration_cycle`), and :math:`Q^{(j)} = B(W_j)` with
   :math:`B(V)(s,a) = Σ_{s'} T(s'|s,a)[R(s,a,s') + γ V(s')]`; then :math:`Q^{(j+1)} = B(Q^{(j)}|_{σ_j})`.
3. *Unique CE with a margin.*  At every :math:`Q^{(j)}` and state, iterated elimination of actions strictly
   dominated by a pure action leaves exactly :math:`σ_j(s)`; ``g`` is the smallest dominance gap used.  A CE puts
   no weight on an action eliminated this way (by induction over the elimination: conditional on the
   recommendation ``b``, the others play surviving actions, against which the dominating action ``c`` gains
   strictly, so a positive weight on ``b`` would violate the constraint "recommended ``b``, deviate to ``c``"),
   so the CE of :math:`Γ_s(Q^{(j)})` is unique and equals :math:`σ_j(s)` — and so is the CE of every ``Q`` with
   :math:`\|Q − Q^{(j)}\|_∞ < g/2` (each gap moves by less than ``g``).  Every selection rule, this one
   included, must then return :math:`σ_j`; the exact LP's answer at :math:`Q^{(j)}` is checked to agree (a
   disagreement is a solver bug and raises :class:`~jalverify.errors.CertificateError`).
4. *Entered.*  The current iterate lies within ``g/2`` of the orbit point of its phase.  Inside that ball the
   backup is :math:`Q ↦ B(Q|_{σ_j})`, a γ-contraction, so by induction every later iterate stays within
   ``g/2`` of its phase's orbit point and the distance shrinks by the factor γ per iteration: the stage
   solutions repeat the block for ever and :math:`Q_k − Q^{(k \bmod p)} → 0`.

A certified period ``p ≥ 2`` with two different orbit points (``amplitude`` > 0: the smallest max-norm
distance between consecutive orbit points) means the backup **does not converge**: its iterates approach ``p``
distinct points in turn.  A certified period 1 means it converges to the fixed point :math:`Q^{(0)}`.  Without a
certificate within the budget the status is NOT_ESTABLISHED, never "cycles".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import CertificateError, InternalError, InvalidNumber, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.nosde.detection import choice_text
from jalverify.nosde.value_iteration_cycle import CycleStatus, periodic_orbit
from jalverify.solvers.correlated import OBJECTIVES, TIE_BREAKS, correlated_solve
from jalverify.solvers.evaluation import q_from_values

__all__ = [
    "CE_Q_OBJECTIVES",
    "DEFAULT_MAX_ITERATIONS",
    "CEQCycle",
    "ce_q_backup_cycle",
    "dominance_margin",
]

#: Iteration budget of :func:`ce_q_backup_cycle` unless the caller changes it.
DEFAULT_MAX_ITERATIONS = 200

#: Selection objectives of CE-Q (Greenwald & Hall 2003); ``None`` (any CE) is not a CE-Q variant.
CE_Q_OBJECTIVES = tuple(o for o in OBJECTIVES if o is not None)

Choice = tuple[tuple[int, ...], ...]
QValues = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class CEQCycle:
    """Result of :func:`ce_q_backup_cycle`.

    Attributes
    ----------
    game : StochasticGame
    objective, tie_break : str
        The stationary CE selection that was iterated.
    status : CycleStatus
    cycle : tuple of Choice
        The certified block :math:`σ_0..σ_{p-1}` (``cycle[j][s][i]`` action indices); empty if not established.
    entered : int
        Iteration of the block's first stage solution :math:`σ_0` (the block was observed from there; every later
        repetition is proven).
    certified_at : int
        Iteration ``entered + p − 1`` whose iterate :math:`Q_k` lies within ``margin / 2`` of the orbit point
        :math:`Q^{(p-1)}` of its phase (``distance``).
    iterations : int
        Backups run (stage solutions computed).
    choices : tuple of (Choice or None)
        The stage solution of every iteration: its joint action per state, ``None`` when some state's solution
        was not a point mass.
    orbit : tuple of tuple of ndarray
        The exact orbit :math:`Q^{(0)}, …, Q^{(p-1)}`: per phase, per state, shape ``(n, *k_s)``.
    orbit_values : tuple of ndarray
        :math:`W_1, …, W_p` (``W_p = W_0``): the stage values :math:`Q^{(j)}|_{σ_j}` backed up in phase ``j``,
        shape ``(n, S)``.
    margins : tuple of Fraction
        Per phase, the smallest dominance gap at :math:`Q^{(j)}` (``None`` when no state has a choice).
    margin : Fraction or None
        Smallest of ``margins`` (``None``: no state with more than one joint action).
    distance : Fraction
        Max-norm distance of the certifying iterate from the orbit point of its phase (< ``margin / 2``).
    amplitude : Fraction
        Smallest max-norm distance between consecutive orbit points :math:`Q^{(j)}, Q^{(j+1)}` (0 for period 1).
    """

    game: StochasticGame
    objective: str
    tie_break: str
    status: CycleStatus
    cycle: tuple[Choice, ...]
    entered: int
    certified_at: int
    iterations: int
    choices: tuple[Choice | None, ...]
    orbit: tuple[QValues, ...]
    orbit_values: tuple[np.ndarray, ...]
    margins: tuple[Fraction | None, ...]
    margin: Fraction | None
    distance: Fraction
    amplitude: Fraction

    @property
    def period(self) -> int:
        """Length of the certified cycle (0 when not established)."""
        return len(self.cycle)

    @property
    def converges(self) -> bool | None:
        """``False`` for a certified cycle with distinct orbit points, ``True`` for a certified fixed point,
        ``None`` when nothing was certified."""
        if self.status is not CycleStatus.CERTIFIED:
            return None
        return self.amplitude == 0

    def cycle_text(self) -> list[dict[str, list[str]]]:
        """The certified block as ``{state: [action of each player]}`` per phase."""
        return [choice_text(self.game, c) for c in self.cycle]


@dataclass(frozen=True)
class _Stage:
    """The selected CE of every state: the backed-up values ``(n, S)`` and the joint action per state when every
    solution is a point mass."""

    values: np.ndarray
    choice: Choice | None


def _point_mass(x: np.ndarray) -> tuple[int, ...] | None:
    flat = x.reshape(-1).tolist()
    hits = [k for k, p in enumerate(flat) if p != 0]
    if len(hits) != 1:
        return None
    return tuple(int(i) for i in np.unravel_index(hits[0], x.shape))


def _select(game: StochasticGame, Q: QValues | list[np.ndarray], objective: str, tie_break: str) -> _Stage:
    """The exact CE LP's selection in every state of ``Q`` and the values it backs up (0 at terminal states)."""
    from jalverify.numbers import EXACT

    n, S = game.n_players, game.n_states
    V = np.empty((n, S), dtype=object)
    choice: list[tuple[int, ...]] | None = []
    for s in range(S):
        if game.terminal[s]:
            V[:, s] = Fraction(0)
            if choice is not None:
                choice.append((0,) * n)
            continue
        q = np.asarray(Q[s], dtype=object)
        stage = NormalFormGame(q, field=EXACT, name=f"stage game at {game.states[s]}")
        res = correlated_solve(stage, objective=objective, field=EXACT, tie_break=tie_break)
        if res.agent_distributions is not None:  # libertarian: one distribution per agent
            per_agent = [np.asarray(p.distribution, dtype=object) for p in res.agent_distributions]
            for j in range(n):
                V[j, s] = sum((a * b for a, b in zip(q[j].reshape(-1).tolist(), per_agent[j].reshape(-1).tolist())),
                              Fraction(0))
            marks = {_point_mass(x) for x in per_agent}
            mark = marks.pop() if len(marks) == 1 else None
        elif res.distribution is not None:
            x = np.asarray(res.distribution.distribution, dtype=object)
            flat_x = x.reshape(-1).tolist()
            for j in range(n):
                V[j, s] = sum((a * b for a, b in zip(q[j].reshape(-1).tolist(), flat_x)), Fraction(0))
            mark = _point_mass(x)
        else:
            raise InternalError(f"ce_q_backup_cycle(): correlated_solve ({objective}) returned no distribution at state "
                                f"{game.states[s]!r}")
        if mark is None:
            choice = None
        elif choice is not None:
            choice.append(mark)
    return _Stage(V, None if choice is None else tuple(choice))


def dominance_margin(q: np.ndarray, target: tuple[int, ...]) -> Fraction | None:
    """Smallest gap of an iterated elimination of pure-strictly-dominated actions that leaves exactly ``target``.

    Parameters
    ----------
    q : ndarray
        Stage payoffs, shape ``(n, *k)`` (exact).
    target : tuple of int
        The joint action that must survive alone.

    Returns
    -------
    Fraction or None
        ``None`` when the elimination (repeatedly: remove every action ``b`` of a player for which some surviving
        action ``c`` pays strictly more against every surviving joint action of the others) does not end at
        ``target`` alone; otherwise the smallest gap :math:`\\min_{a_{-i}} q_i(c, a_{-i}) − q_i(b, a_{-i})` used.
        A game in which every player has one action returns ``Fraction(0)`` only if ``target`` is that action
        (no gap is needed: there is nothing to choose).

    Notes
    -----
    Any correlated equilibrium gives zero probability to the eliminated actions (module docstring, step 3), so a
    positive result proves that ``target`` is the unique CE of every game within max-norm distance ``< gap / 2``.
    """
    n = q.shape[0]
    shape = q.shape[1:]
    alive = [list(range(k)) for k in shape]
    gaps: list[Fraction] = []
    changed = True
    while changed:
        changed = False
        for i in range(n):
            for b in list(alive[i]):
                best_gap: Fraction | None = None
                for c in alive[i]:
                    if c == b:
                        continue
                    gap: Fraction | None = None
                    others = [alive[j] if j != i else [0] for j in range(n)]
                    for rest in np.ndindex(*[len(o) for o in others]):
                        idx_c = tuple(c if j == i else others[j][rest[j]] for j in range(n))
                        idx_b = tuple(b if j == i else others[j][rest[j]] for j in range(n))
                        d = Fraction(q[(i,) + idx_c]) - Fraction(q[(i,) + idx_b])
                        gap = d if gap is None or d < gap else gap
                    if gap is not None and gap > 0 and (best_gap is None or gap > best_gap):
                        best_gap = gap
                if best_gap is not None:
                    alive[i].remove(b)
                    gaps.append(best_gap)
                    changed = True
    if any(len(a) != 1 for a in alive) or tuple(a[0] for a in alive) != tuple(target):
        return None
    if not gaps:
        return Fraction(0) if all(k == 1 for k in shape) else None
    return min(gaps)


def _max_distance(A: QValues | list[np.ndarray], B: QValues | list[np.ndarray]) -> Fraction:
    out = Fraction(0)
    for a, b in zip(A, B):
        for x, y in zip(np.asarray(a, dtype=object).reshape(-1).tolist(), np.asarray(b, dtype=object).reshape(-1).tolist()):
            d = abs(Fraction(x) - Fraction(y))
            out = max(out, d)
    return out


def _restrict(game: StochasticGame, Q: QValues, choice: Choice) -> np.ndarray:
    """:math:`Q|_σ`: the values ``(n, S)`` of the joint action ``choice[s]`` in every state."""
    V = np.empty((game.n_players, game.n_states), dtype=object)
    for s, joint in enumerate(choice):
        for j in range(game.n_players):
            V[j, s] = Fraction(0) if game.terminal[s] else Q[s][(j,) + tuple(joint)]
    return V


def _zero_q(game: StochasticGame) -> tuple[np.ndarray, ...]:
    out = []
    for s in range(game.n_states):
        arr = np.empty((game.n_players,) + game.n_actions(s), dtype=object)
        arr.fill(Fraction(0))
        out.append(arr)
    return tuple(out)


def ce_q_backup_cycle(game: StochasticGame, *, objective: str = "utilitarian", tie_break: str = "lexicographic",
                      max_iterations: int = DEFAULT_MAX_ITERATIONS, initial_q: Any = None) -> CEQCycle:
    """Iterate the exact CE-Q backup and certify its cycle (or fixed point); see the module docstring.

    Parameters
    ----------
    game : StochasticGame
        Exact field, any number of players, 0 < γ < 1.
    objective : {"utilitarian", "egalitarian", "republican", "libertarian"}
        The CE selection (Greenwald & Hall 2003).
    tie_break : {"basic", "lexicographic"}
        Which optimal CE the LP returns (:func:`~jalverify.solvers.correlated.correlated_solve`); the default
        does not depend on the LP solver.
    max_iterations : int
        Backups at most.
    initial_q : sequence of arrays, optional
        :math:`Q_0` per state, shape ``(n, *k_s)`` (default 0).

    Raises
    ------
    UnsupportedGame
        Not exact, or γ = 0 (the backup is constant after one step).
    InvalidNumber
        Unknown objective or tie-break, or a budget below 1.
    CertificateError
        The exact CE LP selects something else than the unique CE at an orbit point (a solver bug).
    """
    where = "ce_q_backup_cycle()"
    if not game.field.exact:
        raise UnsupportedGame(f"{where}: needs an exact game, got field {game.field.name!r}")
    if game.gamma == 0:
        raise UnsupportedGame(f"{where}: gamma is 0; the backup is constant after one step")
    if objective not in CE_Q_OBJECTIVES:
        raise InvalidNumber(f"{where}: unknown objective {objective!r}; objectives are {CE_Q_OBJECTIVES}")
    if tie_break not in TIE_BREAKS:
        raise InvalidNumber(f"{where}: unknown tie_break {tie_break!r}; tie-breaks are {TIE_BREAKS}")
    if max_iterations < 1:
        raise InvalidNumber(f"{where}: max_iterations must be >= 1, got {max_iterations!r}")
    if initial_q is None:
        Q: QValues = _zero_q(game)
    else:
        as_fraction = np.vectorize(Fraction, otypes=[object])
        Q = tuple(as_fraction(np.asarray(q, dtype=object)).reshape((game.n_players,) + game.n_actions(s))
                  for s, q in enumerate(initial_q))
    choices: list[Choice | None] = []
    for k in range(max_iterations):
        stage = _select(game, Q, objective, tie_break)
        choices.append(stage.choice)
        if stage.choice is not None:
            found = _certify(game, Q, choices, objective, tie_break, k)
            if found is not None:
                return found
        Q = q_from_values(game, stage.values)
    return CEQCycle(game, objective, tie_break, CycleStatus.NOT_ESTABLISHED, (), 0, 0, len(choices), tuple(choices),
                    (), (), (), None, Fraction(0), Fraction(0))


def _certify(game: StochasticGame, Q: QValues, choices: list[Choice | None], objective: str, tie_break: str,
             k: int) -> CEQCycle | None:
    """A certificate for the smallest repeating block ending at iteration ``k``, or ``None`` (keep iterating)."""
    for p in range(1, len(choices) // 2 + 1):
        last, before = choices[-p:], choices[-2 * p:-p]
        if last != before or any(c is None for c in last):
            continue
        block: tuple[Choice, ...] = tuple(c for c in last if c is not None)
        W = periodic_orbit(game, block)
        orbit = tuple(q_from_values(game, w) for w in W)
        margins: list[Fraction | None] = []
        ok = True
        for j, (Qj, sigma) in enumerate(zip(orbit, block)):
            phase: Fraction | None = None
            for s in range(game.n_states):
                if game.terminal[s]:
                    continue
                g = dominance_margin(np.asarray(Qj[s], dtype=object), sigma[s])
                if g is None:
                    ok = False
                    break
                if g > 0 and (phase is None or g < phase):
                    phase = g
            if not ok:
                break
            margins.append(phase)
        if not ok:
            continue  # no unique-CE certificate for this period: try a longer one
        positive = [m for m in margins if m is not None]
        margin = min(positive) if positive else None
        # the iterate Q (iteration k) is in the last phase of the block
        distance = _max_distance(Q, orbit[-1])
        if margin is not None and not distance < margin / 2:
            return None  # the smallest repeating block is not yet close enough: keep iterating
        for j, (Qj, sigma) in enumerate(zip(orbit, block)):
            selected = _select(game, Qj, objective, tie_break).choice
            if selected != sigma:
                raise CertificateError(
                    f"ce_q_backup_cycle(): at the orbit point of phase {j} the CE of every stage game is unique "
                    f"({choice_text(game, sigma)}, by iterated strict dominance) but the exact CE LP "
                    f"({objective}, {tie_break}) selected {selected if selected is None else choice_text(game, selected)}")
        values = tuple(_restrict(game, Qj, sigma) for Qj, sigma in zip(orbit, block))
        amplitude = (min(_max_distance(orbit[j], orbit[(j + 1) % p]) for j in range(p)) if p > 1 else Fraction(0))
        return CEQCycle(game, objective, tie_break, CycleStatus.CERTIFIED, block, k - p + 1, k, len(choices),
                        tuple(choices), orbit, values, tuple(margins), margin, distance, amplitude)
    return None
