"""A zoo of planted-bug validation targets: the mutation benchmark of ``jalverify validate`` (issue 11 §2).

Every class below is written the way a game-theory or MARL library writes the algorithm (numpy,
``scipy.optimize.linprog``, plain Python): a complete implementation with **one** realistic bug in it, the kind
that occurs in real code.  Each declares :class:`~jalverify.adapters.protocols.Capabilities` as the buggy library
would: it believes it is correct.  None of them looks at the game to decide whether to misbehave; every answer
comes out of the (buggy) algorithm.

:data:`MUTANTS` is the table the tests (``tests/quality/test_mutation_zoo.py``) and the benchmark
(``bench/bench_mutation.py``) read: per target, its kind, the bug class, the check or claim ids allowed to report
it, and the smallest game on which the bug can show (the size a shrunk witness should reach).

Loaded by reference ``tests/quality/zoo.py:<Name>`` in the validation worker process.  Only
:mod:`jalverify.adapters.protocols` is imported from jalverify: the mutants use none of its solvers.

Sources of the algorithms (the correct versions): Albrecht, Christianos & Schäfer 2024, *Multi-Agent
Reinforcement Learning* (CE/CCE LPs Eqs. 4.20–4.24, minimax LP Eqs. 4.12–4.15, policy evaluation Eq. 6.9,
JAL-GT Algorithm 7, minimax-Q); Nisan, Roughgarden, Tardos & Vazirani 2007, *Algorithmic Game Theory* ch. 3
(support enumeration, Lemke–Howson); Littman 1994 (minimax-Q).
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import linprog

from jalverify.adapters.protocols import Capabilities, Concept, EvaluationAnswer, MinimaxAnswer, StageAnswer, TargetKind

__all__ = ["MUTANTS", "Mutant", "witness_size"]


class Mutant(NamedTuple):
    """One row of the zoo's table.

    ``claims`` are the check ids (``CheckOutcome.check``) or claim ids (``Verdict.theorem``) that may report the
    bug; ``smallest`` is the size of the smallest game that shows it, in the format of :func:`witness_size`."""

    kind: str
    bug: str
    claims: frozenset[str]
    smallest: tuple[int, ...]


def witness_size(case: tuple[Any, ...]) -> tuple[int, ...]:
    """The size of a finding's game: ``(players, actions sorted decreasingly...)`` for a normal-form game,
    ``(players, states, largest action count)`` for a stochastic game."""
    game = case[0]
    if hasattr(game, "n_states"):
        return (game.n_players, game.n_states, max(max(game.n_actions(s)) for s in range(game.n_states)))
    return (game.n_players, *sorted(game.n_actions, reverse=True))


# --- capabilities shared by several mutants (as a library would declare them) ---------------------------------
_STAGE_FLOAT_LP = {"kind": TargetKind.STAGE_SOLVER, "players": "n", "exact": False, "tolerance": 1e-6}
_EVALUATOR = Capabilities(kind=TargetKind.EVALUATOR, players="n", exact=False, tolerance=1e-9)
_MINIMAX_Q = Capabilities(kind=TargetKind.LEARNER, concept=Concept.MINIMAX, players=2, zero_sum_only=True, exact=False,
                          tolerance=1e-6, has_backup=True, converges=True,
                          source="Littman 1994, minimax-Q; Littman & Szepesvári 1996")


# --- small correct helpers (the bugs live in the classes) ------------------------------------------------------
def _maximin(M: np.ndarray) -> tuple[np.ndarray, float]:
    """The row player's maximin mixed strategy and value of the matrix game ``M`` (row maximises), by the LP
    ``max v s.t. Mᵀx ≥ v·1, Σx = 1, x ≥ 0`` (book Eqs. 4.12–4.15) with ``v`` free; a pure saddle point and the
    2×2 closed form (von Neumann & Morgenstern 1944, §17.1) are answered without the LP."""
    m, n = M.shape
    i = int(np.argmax(M.min(axis=1)))
    if float(M[i].min()) == float(M.max(axis=0).min()):
        return np.eye(m)[i], float(M[i].min())
    if (m, n) == (2, 2):
        a, b, c, d = M[0, 0], M[0, 1], M[1, 0], M[1, 1]
        den = a - b - c + d
        p = (d - c) / den
        return np.array([p, 1.0 - p]), float((a * d - b * c) / den)
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-M.T, np.ones((n, 1))])
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)],
                  method="highs")
    if res.status != 0:
        raise RuntimeError(f"maximin LP failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return x / x.sum(), float(res.x[-1])


def _matrix_value(M: np.ndarray) -> float:
    """Value of the matrix game ``M`` (row maximises): a pure saddle point when there is one, else the LP."""
    lower = float(M.min(axis=1).max())
    upper = float(M.max(axis=0).min())
    if lower == upper:
        return lower
    return _maximin(M)[1]


def _expected(P: np.ndarray, x: np.ndarray) -> list[float]:
    return [float((P[i] * x).sum()) for i in range(P.shape[0])]


def _ce_rows(P: np.ndarray) -> list[np.ndarray]:
    """The CE incentive constraints (book Eq. 4.23): one row per player ``i``, recommended action ``r`` and
    deviation ``d ≠ r``: ``Σ_{a: a_i = r} x(a) (u_i(d, a_-i) − u_i(a)) ≤ 0``."""
    k = P.shape[1:]
    rows = []
    for i in range(len(k)):
        own = np.indices(k)[i]
        for r in range(k[i]):
            for d in range(k[i]):
                if d == r:
                    continue
                dev = np.broadcast_to(np.take(P[i], [d], axis=i), k)
                rows.append(np.where(own == r, dev - P[i], 0.0).ravel())
    return rows


def _welfare_lp(P: np.ndarray, rows: list[np.ndarray]) -> np.ndarray:
    """Maximise utilitarian welfare over distributions ``x`` subject to ``rows · x ≤ 0``."""
    k = P.shape[1:]
    size = int(np.prod(k))
    c = -P.sum(axis=0).ravel()
    A_ub = np.array(rows) if rows else None
    b_ub = np.zeros(len(rows)) if rows else None
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=np.ones((1, size)), b_eq=[1.0], bounds=[(0, None)] * size,
                  method="highs")
    if res.status != 0:
        raise RuntimeError(f"welfare LP failed: {res.message}")
    x = np.clip(res.x, 0.0, None)
    return (x / x.sum()).reshape(k)


# =============================================================================================================
# Nash solvers (kind solver)
# =============================================================================================================
class LemkeHowsonOneLabel:
    """Lemke–Howson from one label only, while declaring ``finds_all=True``.

    Bug class: *one path of a path-following method presented as the complete set.*  Lemke–Howson from label 0
    ends at one equilibrium; a library wrapper that reports it as "the equilibria" of the game (a ``finds_all``
    flag copied from the support-enumeration sibling) misses the rest.  Seen in bimatrix libraries that expose
    ``lemke_howson`` and ``support_enumeration`` behind one interface.  Smallest witness: a 2×2 coordination
    game (two pure equilibria and a mixed one; every Lemke–Howson path ends at a pure one).
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True,
                                exact=False, degenerate_supported=False, tolerance=1e-9,
                                source="Lemke & Howson 1964; AGT ch. 3.5")

    @staticmethod
    def _pivot(tableau: np.ndarray, basis: list[int], entering: int) -> int:
        column = tableau[:, entering]
        ratios = [(tableau[r, -1] / column[r], r) for r in range(tableau.shape[0]) if column[r] > 1e-12]
        if not ratios:
            raise RuntimeError("Lemke–Howson: unbounded pivot column")
        _, row = min(ratios)
        tableau[row] /= tableau[row, entering]
        for r in range(tableau.shape[0]):
            if r != row:
                tableau[r] -= tableau[r, entering] * tableau[row]
        leaving = basis[row]
        basis[row] = entering
        return leaving

    def solve(self, game: Any) -> list[list[list[float]]]:
        A = np.asarray(game.payoffs[0], dtype=float)
        B = np.asarray(game.payoffs[1], dtype=float)
        m, n = A.shape
        A = A - A.min() + 1.0
        B = B - B.min() + 1.0
        # labels 0..m-1: row actions, m..m+n-1: column actions; columns of both tableaux are indexed by label
        P = np.hstack([B.T, np.eye(n), np.ones((n, 1))])  # x-polytope: Bᵀx + s = 1 (s_j has label m+j)
        Q = np.hstack([np.eye(m), A, np.ones((m, 1))])  # y-polytope: r + Ay = 1 (r_i has label i)
        tableaux, bases = [P, Q], [list(range(m, m + n)), list(range(m))]
        start = 0  # the bug: one missing label, one path, one equilibrium; the rest are never visited
        entering, side = start, 0
        for _ in range(10_000):
            leaving = self._pivot(tableaux[side], bases[side], entering)
            if leaving == start:
                break
            entering, side = leaving, 1 - side
        else:
            raise RuntimeError("Lemke–Howson: no equilibrium after 10000 pivots (cycling)")
        x, y = np.zeros(m), np.zeros(n)
        for r, label in enumerate(bases[0]):
            if label < m:
                x[label] = P[r, -1]
        for r, label in enumerate(bases[1]):
            if label >= m:
                y[label - m] = Q[r, -1]
        return [[(x / x.sum()).tolist(), (y / y.sum()).tolist()]]


class SupportEnumerationNoTolerance:
    """Support enumeration whose best-response and sign tests are float ``>=`` with no tolerance, on payoffs
    normalised to ``[-1, 1]``.

    Bug class: *float ``>= 0`` with no tolerance.*  The indifference system is solved in floating point, so the
    payoffs of the support actions against the solution are equal only up to rounding; the test
    ``payoff[support] >= payoff.max()`` then rejects true equilibria (nashpy's ``obey_support`` /
    ``is_ne`` comparisons are of this form; dividing the payoffs by their largest magnitude "for stability"
    makes the rounding show on almost every mixed equilibrium).  Smallest witness: a 2×2 game with a mixed
    equilibrium.
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True,
                                exact=False, degenerate_supported=False, tolerance=1e-9,
                                source="AGT ch. 3.3 (support enumeration for nondegenerate games)")

    def solve(self, game: Any) -> list[list[list[float]]]:
        A = np.asarray(game.payoffs[0], dtype=float)
        B = np.asarray(game.payoffs[1], dtype=float)
        A = A / max(1.0, float(np.abs(A).max()))
        B = B / max(1.0, float(np.abs(B).max()))
        m, n = A.shape
        found = []
        for size in range(1, min(m, n) + 1):
            for I in itertools.combinations(range(m), size):
                for J in itertools.combinations(range(n), size):
                    rhs = np.zeros(size + 1)
                    rhs[-1] = 1.0
                    My = np.block([[A[np.ix_(I, J)], -np.ones((size, 1))], [np.ones((1, size)), np.zeros((1, 1))]])
                    Mx = np.block([[B[np.ix_(I, J)].T, -np.ones((size, 1))], [np.ones((1, size)), np.zeros((1, 1))]])
                    try:
                        ys = np.linalg.solve(My, rhs)[:size]
                        xs = np.linalg.solve(Mx, rhs)[:size]
                    except np.linalg.LinAlgError:
                        continue
                    if not (np.all(xs >= 0) and np.all(ys >= 0)):
                        continue
                    x, y = np.zeros(m), np.zeros(n)
                    x[list(I)], y[list(J)] = xs, ys
                    row_pay, col_pay = A @ y, x @ B
                    # the bug: exact float comparison; rounding makes a support payoff fall short of the maximum
                    if np.all(row_pay[list(I)] >= row_pay.max()) and np.all(col_pay[list(J)] >= col_pay.max()):
                        found.append([x.tolist(), y.tolist()])
        return found


class SupportEnumerationTransposedColumn:
    """Support enumeration (first equilibrium found) whose column-player indifference system uses ``B[I, J]``
    instead of ``B[I, J]ᵀ``.

    Bug class: *transposed payoff matrix for the column player.*  The row player's mix must make the column
    player indifferent over ``J``: ``Σ_i x_i B[i, j]`` equal for ``j ∈ J``, i.e. the system ``B[I, J]ᵀ x``.
    Written by analogy with the row player's ``A[I, J] y`` the transpose is forgotten; on square supports
    nothing fails loudly.  Pure equilibria are unaffected (1×1 supports), so the bug shows on games whose
    equilibria are all mixed.  Smallest witness: a 2×2 game without pure equilibrium and with ``B`` not
    symmetric.
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False,
                                exact=False, degenerate_supported=False, tolerance=1e-9,
                                source="AGT ch. 3.3 (support enumeration for nondegenerate games)")

    def solve(self, game: Any) -> list[list[list[float]]]:
        A = np.asarray(game.payoffs[0], dtype=float)
        B = np.asarray(game.payoffs[1], dtype=float)
        m, n = A.shape
        tol = 1e-12 * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
        for size in range(1, min(m, n) + 1):
            for I in itertools.combinations(range(m), size):
                for J in itertools.combinations(range(n), size):
                    rhs = np.zeros(size + 1)
                    rhs[-1] = 1.0
                    My = np.block([[A[np.ix_(I, J)], -np.ones((size, 1))], [np.ones((1, size)), np.zeros((1, 1))]])
                    Mx = np.block([[B[np.ix_(I, J)], -np.ones((size, 1))],  # the bug: B[I, J] needs a transpose
                                   [np.ones((1, size)), np.zeros((1, 1))]])
                    try:
                        ys = np.linalg.solve(My, rhs)[:size]
                        xs = np.linalg.solve(Mx, rhs)[:size]
                    except np.linalg.LinAlgError:
                        continue
                    if xs.min() < -tol or ys.min() < -tol:
                        continue
                    x, y = np.zeros(m), np.zeros(n)
                    x[list(I)], y[list(J)] = np.clip(xs, 0, None), np.clip(ys, 0, None)
                    row_pay, col_pay = A @ y, x @ B
                    if row_pay[list(I)].min() >= row_pay.max() - tol and col_pay[list(J)].min() >= col_pay.max() - tol:
                        return [[x.tolist(), y.tolist()]]
        return []


class PureNashArgmaxTies:
    """All pure Nash equilibria of an n-player game, each player's best response taken with ``np.argmax``.

    Bug class: *argmax ties broken wrong.*  ``argmax`` returns the first maximiser only, so a profile whose
    action ties for best with an earlier one is rejected: pure equilibria are missed whenever payoffs tie
    (small integer payoffs tie all the time).  Common in hand-written pure-equilibrium finders and in JAL-GT
    code that picks "the" best response.  Smallest witness: a 2×1 game with two equal payoffs in the column.
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.PURE_NASH, players="n", finds_all=True,
                                exact=True, tolerance=0.0, source="definition of pure Nash equilibrium")

    def solve(self, game: Any) -> list[list[list[int]]]:
        P = np.asarray(game.payoffs, dtype=float)
        k = P.shape[1:]
        out = []
        for joint in itertools.product(*(range(ki) for ki in k)):
            stable = True
            for i in range(len(k)):
                line = list(joint)
                line[i] = slice(None)
                if int(np.argmax(P[(i, *line)])) != joint[i]:  # the bug: ties go to the first maximiser only
                    stable = False
                    break
            if stable:
                out.append([[1 if a == joint[i] else 0 for a in range(k[i])] for i in range(len(k))])
        return out


class PureNashTwoPlayersChecked:
    """Pure Nash equilibria of n-player games with the bimatrix test ``A[a] = max of its column, B[a] = max of
    its row``, written with numpy reductions over axes 0 and 1.

    Bug class: *one player ignored.*  The test was written for bimatrix games; numpy's ``max(axis=...)`` runs on
    tensors of any dimension, so in a 3-player game it silently checks players 0 and 1 and never player 2.
    Smallest witness: a 3-player 1×1×2 game where player 2 prefers the other action.
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.PURE_NASH, players="n", finds_all=True,
                                exact=True, tolerance=0.0, source="definition of pure Nash equilibrium")

    def solve(self, game: Any) -> list[list[list[int]]]:
        P = np.asarray(game.payoffs, dtype=float)
        k = P.shape[1:]
        A, B = P[0], P[1]  # the bug: the remaining players' payoffs are never looked at
        row_best = A >= A.max(axis=0, keepdims=True)
        col_best = B >= B.max(axis=1, keepdims=True)
        out = []
        for joint in zip(*np.nonzero(row_best & col_best)):
            out.append([[1 if a == int(joint[i]) else 0 for a in range(k[i])] for i in range(len(k))])
        return out


# =============================================================================================================
# Minimax solvers (kind solver, concept minimax)
# =============================================================================================================
class MinimaxColumnMaxInsteadOfMin:
    """Zero-sum LP solver whose column strategy comes from the maximin LP of ``Aᵀ`` instead of ``−Aᵀ``.

    Bug class: *max instead of min.*  The column player minimises the row player's payoff; reusing the
    maximiser's LP for it without negating the matrix makes it maximise instead.  The value (from the row LP)
    and the row strategy are right.  Smallest witness: a 1×2 game with two different entries.
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=1e-7, source="book Eqs. 4.12–4.15")

    def solve(self, game: Any) -> MinimaxAnswer:
        A = np.asarray(game.payoffs[0], dtype=float)
        x, v = _maximin(A)
        y, _ = _maximin(A.T)  # the bug: the column player's payoff matrix is -Aᵀ
        return MinimaxAnswer(v, x.tolist(), y.tolist())


class MinimaxUniformFallback:
    """Zero-sum LP solver that leaves the value variable with ``linprog``'s default bounds ``(0, None)`` and
    returns uniform strategies when the LP reports failure.

    Bug class: *uniform fallback when nothing is found* (OpenSpiel's design notes name the pattern: a bare
    ``except`` that returns a uniform strategy).  With ``v ≥ 0`` the LP is infeasible whenever the game's value
    is negative; the fallback hides it.  Smallest witness: a 1×2 (or 2×1) game with negative entries where the
    uniform strategy is not optimal.
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=1e-7, source="book Eqs. 4.12–4.15")

    @staticmethod
    def _maximin_default_bounds(M: np.ndarray) -> tuple[np.ndarray, float] | None:
        m, n = M.shape
        c = np.zeros(m + 1)
        c[-1] = -1.0
        res = linprog(c, A_ub=np.hstack([-M.T, np.ones((n, 1))]), b_ub=np.zeros(n),
                      A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0], method="highs")
        if res.status != 0:  # the bug, part 1: default bounds make v >= 0
            return None
        return res.x[:m], float(res.x[-1])

    def solve(self, game: Any) -> MinimaxAnswer:
        A = np.asarray(game.payoffs[0], dtype=float)
        m, n = A.shape
        row = self._maximin_default_bounds(A)
        col = self._maximin_default_bounds(-A.T)
        if row is None or col is None:  # the bug, part 2: silent fallback
            x, y = np.full(m, 1.0 / m), np.full(n, 1.0 / n)
            return MinimaxAnswer(float(x @ A @ y), x.tolist(), y.tolist())
        return MinimaxAnswer(row[1], row[0].tolist(), col[0].tolist())


class MinimaxPureSecurity:
    """"Minimax" solver that returns the pure security strategies: ``max_i min_j A[i, j]`` and the row that
    attains it, and the column minimising the largest loss.

    Bug class: *pure instead of mixed* (the pure-strategy maximin of introductory texts used where the mixed
    value is required).  Right on games with a pure saddle point.  Smallest witness: a 2×2 game without a
    saddle point (matching pennies).
    """

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=True, tolerance=0.0, source="security levels (book §4.3)")

    def solve(self, game: Any) -> MinimaxAnswer:
        A = np.asarray(game.payoffs[0], dtype=object)
        m, n = A.shape
        i = max(range(m), key=lambda r: min(A[r].tolist()))
        j = min(range(n), key=lambda c: max(A[:, c].tolist()))
        return MinimaxAnswer(min(A[i].tolist()), [1 if r == i else 0 for r in range(m)],
                             [1 if c == j else 0 for c in range(n)])


# =============================================================================================================
# Stage solvers (kind stage-solver)
# =============================================================================================================
class CERowsSummed:
    """Welfare-maximising CE stage solver (LP) with the incentive rows of each agent summed into one.

    Bug class: *CE rows summed.*  The CE constraints are one inequality per (player, recommended action,
    deviation); adding them up per player (a "compact" formulation, or a loop that accumulates into one row)
    lets a profitable deviation after one recommendation be paid for by slack after another.  Smallest witness:
    a 2×2 game whose welfare-maximising distribution needs that slack.
    """

    capabilities = Capabilities(concept=Concept.CORRELATED, source="book Eqs. 4.20–4.24", **_STAGE_FLOAT_LP)

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        k = P.shape[1:]
        rows = []
        for i in range(len(k)):
            own = np.indices(k)[i]
            total = np.zeros(int(np.prod(k)))
            for r in range(k[i]):
                for d in range(k[i]):
                    if d != r:
                        dev = np.broadcast_to(np.take(P[i], [d], axis=i), k)
                        total += np.where(own == r, dev - P[i], 0.0).ravel()  # the bug: one row per agent
            rows.append(total)
        x = _welfare_lp(P, rows)
        return StageAnswer(x, _expected(P, x))


class CEThirdPlayerIgnored:
    """Welfare-maximising CE stage solver whose incentive constraints are built for the "row" and "column"
    players only (axes 0 and 1), declared for any number of players.

    Bug class: *one player ignored.*  A bimatrix CE LP generalised to n players by flattening the joint
    distribution, with the incentive constraints still written for two players; numpy's ``take(..., axis=0/1)``
    runs on tensors of any dimension, so nothing fails.  Smallest witness: a 3-player 1×1×2 game in which the
    welfare optimum hurts player 2.
    """

    capabilities = Capabilities(concept=Concept.CORRELATED, source="book Eqs. 4.20–4.24", **_STAGE_FLOAT_LP)

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        k = P.shape[1:]
        rows = []
        for i in (0, 1):  # the bug: "row player" and "column player"
            if i >= len(k):
                continue
            own = np.indices(k)[i]
            for r in range(k[i]):
                for d in range(k[i]):
                    if d != r:
                        dev = np.broadcast_to(np.take(P[i], [d], axis=i), k)
                        rows.append(np.where(own == r, dev - P[i], 0.0).ravel())
        x = _welfare_lp(P, rows)
        return StageAnswer(x, _expected(P, x))


class CCEReturnedAsCE:
    """A stage solver declared as CE whose LP has the *coarse* constraints (one per player and deviation).

    Bug class: *CCE returned as CE* (a shared LP builder with a ``coarse=True`` default, or the CCE formulation
    copied under the CE name).  With two actions per player the two sets coincide, so the bug needs a player
    with three actions.  Smallest witness: a 3×2 (or 2×3) game.
    """

    capabilities = Capabilities(concept=Concept.CORRELATED, source="book Eqs. 4.20–4.24", **_STAGE_FLOAT_LP)

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        k = P.shape[1:]
        rows = []
        for i in range(len(k)):
            for d in range(k[i]):
                dev = np.broadcast_to(np.take(P[i], [d], axis=i), k)
                rows.append((dev - P[i]).ravel())  # the bug: the coarse (unconditional) deviation
        x = _welfare_lp(P, rows)
        return StageAnswer(x, _expected(P, x))


class CCEDeviationAxisWrong:
    """Welfare-maximising CCE stage solver whose deviation payoffs ``u_i(d, a_-i)`` are taken along axis 0 for
    every player.

    Bug class: *transposed payoff matrix for the column player.*  ``np.take(P[i], d, axis=0)`` is right for the
    row player only; for the others it reads the row player's axis (the column player's payoffs transposed).
    On square games it quietly gives wrong constraints; on others it raises ``IndexError`` or reads the wrong
    entries.  Smallest witness: a 1×2 game (the column player's deviation indexes an axis of length 1).
    """

    capabilities = Capabilities(concept=Concept.COARSE_CORRELATED, source="book Eq. 4.24", **_STAGE_FLOAT_LP)

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        k = P.shape[1:]
        rows = []
        for i in range(len(k)):
            for d in range(k[i]):
                dev = np.broadcast_to(np.take(P[i], [d], axis=0), k)  # the bug: axis=i
                rows.append((dev - P[i]).ravel())
        x = _welfare_lp(P, rows)
        return StageAnswer(x, _expected(P, x))


class StageNashPureUniformFallback:
    """Nash stage solver (as in Nash-Q code): the first pure equilibrium found, else the uniform distribution.

    Bug class: *uniform fallback when nothing is found.*  Stage games without a pure equilibrium are common;
    the uniform joint distribution is an equilibrium only by accident (matching pennies).  Smallest witness: a
    2×2 game without pure equilibrium whose mixed equilibrium is not uniform.
    """

    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.NASH, players="n", exact=False,
                                tolerance=1e-9, source="Hu & Wellman 2003 (Nash-Q)")

    def solve(self, payoffs: Any) -> StageAnswer:
        P = np.asarray(payoffs, dtype=float)
        k = P.shape[1:]
        for joint in itertools.product(*(range(ki) for ki in k)):
            if all(P[(i, *joint)] >= P[(i, *joint[:i], slice(None), *joint[i + 1:])].max() for i in range(len(k))):
                x = np.zeros(k)
                x[joint] = 1.0
                return StageAnswer(x, _expected(P, x))
        x = np.full(k, 1.0 / np.prod(k))  # the bug: silent fallback
        return StageAnswer(x, _expected(P, x))


class StageMinimaxShiftNotUndone:
    """Minimax stage solver by the classic positive-matrix LP (shift the payoffs positive, ``min Σu s.t.
    A'ᵀu ≥ 1``, value ``1/Σu``), returning the value of the *shifted* game.

    Bug class: *normalisation forgotten.*  The shift ``c = 1 − min A`` that makes the LP valid must be
    subtracted from the value again; the strategies are right, the values are off by ``c``.  Smallest witness:
    a 1×1 game.
    """

    capabilities = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=1e-7, source="Luce & Raiffa 1957 (positive-matrix LP)")

    def solve(self, payoffs: Any) -> StageAnswer:
        A = np.asarray(payoffs, dtype=float)[0]
        m, n = A.shape
        shifted = A - A.min() + 1.0
        res_u = linprog(np.ones(m), A_ub=-shifted.T, b_ub=-np.ones(n), bounds=[(0, None)] * m, method="highs")
        res_w = linprog(-np.ones(n), A_ub=shifted, b_ub=np.ones(m), bounds=[(0, None)] * n, method="highs")
        if res_u.status != 0 or res_w.status != 0:
            raise RuntimeError(f"positive-matrix LP failed: {res_u.message}; {res_w.message}")
        value = 1.0 / res_u.x.sum()
        x, y = res_u.x * value, res_w.x * value
        x, y = x / x.sum(), y / y.sum()
        # the bug: value - (1 - A.min()) is the value of the original game
        return StageAnswer(np.outer(x, y), [value, -value])


# =============================================================================================================
# Policy evaluators (kind evaluator)
# =============================================================================================================
def _policy_matrices(game: Any, policy: Any) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Float ``M^π`` (S×S), ``r^π`` (n×S), and per state the float transitions and expected rewards."""
    S, n = game.n_states, game.n_players
    M = np.zeros((S, S))
    r = np.zeros((n, S))
    T_s, R_s = [], []
    for s in range(S):
        T = np.asarray(game.transitions[s], dtype=float)
        R = np.asarray(game.rewards[s], dtype=float)
        pi = np.asarray(policy.joint_distribution(s), dtype=float)
        exp_r = (R * T[None, ...]).sum(axis=-1)
        M[s] = np.tensordot(pi, T, axes=pi.ndim)
        r[:, s] = [float((pi * exp_r[i]).sum()) for i in range(n)]
        T_s.append(T)
        R_s.append(exp_r)
    return M, r, T_s, R_s


def _q_from_v(game: Any, V: np.ndarray, T_s: list[np.ndarray], R_s: list[np.ndarray], gamma: float) -> list[np.ndarray]:
    return [np.stack([R_s[s][i] + gamma * T_s[s] @ V[i] for i in range(game.n_players)]) for s in range(game.n_states)]


class EvaluatorHardCodedDiscount:
    """Policy evaluator with the discount as a constructor parameter (default 0.99) that ignores the game's γ.

    Bug class: *wrong discount.*  A hyper-parameter default shadows the environment's discount (seen in RL code
    where ``gamma=0.99`` is a default argument of the agent or evaluator).  Smallest witness: a 1-player,
    1-state, 1-action game with a non-zero reward.
    """

    capabilities = _EVALUATOR.with_(source="book Eq. 6.9")

    def __init__(self, gamma: float = 0.99) -> None:
        self.gamma = gamma

    def evaluate(self, game: Any, policy: Any) -> EvaluationAnswer:
        M, r, T_s, R_s = _policy_matrices(game, policy)
        g = self.gamma  # the bug: float(game.gamma)
        V = np.linalg.solve(np.eye(game.n_states) - g * M, r.T).T
        return EvaluationAnswer(V, _q_from_v(game, V, T_s, R_s, g))


class EvaluatorOffByOneStep:
    """Policy evaluator that solves ``(I − γM^π)V = M^π r^π``: the reward collected on *arriving* in a state.

    Bug class: *policy evaluation off by one step* (the ``R(s)`` vs ``R(s')`` convention mixed up: the first
    reward is the one of the next state).  Right on one-state games.  Smallest witness: a 1-player game with
    2 states, 1 action.
    """

    capabilities = _EVALUATOR.with_(source="book Eq. 6.9")

    def evaluate(self, game: Any, policy: Any) -> EvaluationAnswer:
        M, r, T_s, R_s = _policy_matrices(game, policy)
        g = float(game.gamma)
        V = np.linalg.solve(np.eye(game.n_states) - g * M, (M @ r.T)).T  # the bug: r^π, not M^π r^π
        return EvaluationAnswer(V, _q_from_v(game, V, T_s, R_s, g))


class EvaluatorIgnoresTransitions:
    """Policy evaluator that assumes the game stays where it is: ``V(s) = r^π(s)/(1 − γ)``.

    Bug class: *an evaluator ignoring transitions to other states* (a repeated-game / bandit evaluator reused
    for stochastic games).  Right on one-state games.  Smallest witness: a 1-player game with 2 states.
    """

    capabilities = _EVALUATOR.with_(source="book Eq. 6.9")

    def evaluate(self, game: Any, policy: Any) -> EvaluationAnswer:
        _M, r, T_s, R_s = _policy_matrices(game, policy)
        g = float(game.gamma)
        V = r / (1.0 - g)  # the bug: M^π taken as the identity
        return EvaluationAnswer(V, _q_from_v(game, V, T_s, R_s, g))


class EvaluatorPlayerZeroRewards:
    """Policy evaluator that evaluates every player with player 0's rewards.

    Bug class: *one player ignored* (code written for common-reward games, where ``rewards[0]`` is everyone's
    reward).  Smallest witness: a 2-player, 1-state, 1-action game with different rewards.
    """

    capabilities = _EVALUATOR.with_(source="book Eq. 6.9")

    def evaluate(self, game: Any, policy: Any) -> EvaluationAnswer:
        M, r, T_s, R_s = _policy_matrices(game, policy)
        g = float(game.gamma)
        r = np.repeat(r[:1], game.n_players, axis=0)  # the bug: the team reward
        R_s = [np.repeat(R[:1], game.n_players, axis=0) for R in R_s]
        V = np.linalg.solve(np.eye(game.n_states) - g * M, r.T).T
        return EvaluationAnswer(V, _q_from_v(game, V, T_s, R_s, g))


# =============================================================================================================
# Learners (kind learner, minimax-Q with an expected backup)
# =============================================================================================================
class _TabularMinimaxQ:
    """Driver glue shared by the learner mutants: tables, uniform exploration, decaying step sizes.

    Each subclass writes its own ``observe`` (the TD update) and ``backup`` (the expected operator), which is
    where the bugs live.  Q tables are ``Q[s]`` of shape ``(2, k0, k1)``; player 1's table is kept separately
    (as two-table minimax-Q code does).
    """

    capabilities = _MINIMAX_Q

    def reset(self, game: Any, seed: int) -> None:
        self.game = game
        self.gamma = float(game.gamma)
        self.rng = np.random.default_rng(seed)
        self.Q = [np.zeros((2, *game.n_actions(s))) for s in range(game.n_states)]
        self.visits = [np.zeros(game.n_actions(s)) for s in range(game.n_states)]

    def act(self, state: int) -> tuple[int, ...]:
        return tuple(int(self.rng.integers(k)) for k in self.game.n_actions(state))

    def q_values(self) -> list[np.ndarray]:
        return [q.copy() for q in self.Q]

    def _step_size(self, state: int, joint: tuple[int, ...]) -> float:
        self.visits[state][joint] += 1
        return float(self.visits[state][joint]) ** -0.7

    @staticmethod
    def _values(q: np.ndarray) -> tuple[float, float]:
        """Stage values of both players: row maximin of ``Q_0``, column maximin of ``Q_1``."""
        return _matrix_value(q[0]), _matrix_value(q[1].T)


class SampledJointActionBackup(_TabularMinimaxQ):
    """Minimax-Q whose backup bootstraps from ``Q(s', a')`` at one next joint action ``a'`` *sampled* from the
    stage equilibrium, while declaring an expected backup (``backup_sampled=False``).

    Bug class: *sampled joint action in the backup* (a SARSA-style target in a method whose operator is the
    expectation ``Σ_a' π(a') Q(s', a')``; the learning update is a stochastic approximation of the right
    operator, but the exposed ``backup`` is one sample).  Smallest witness: a 1-state 2×2 game whose stage
    equilibrium is mixed.
    """

    def __init__(self) -> None:
        self.rng = np.random.default_rng(12345)

    def _sampled_value(self, q: np.ndarray, player: int, strategies: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        x, y = strategies if strategies is not None else (_maximin(q[0])[0], _maximin(-q[0].T)[0])
        a = (int(self.rng.choice(len(x), p=x)), int(self.rng.choice(len(y), p=y)))
        return float(q[(player, *a)])

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        a = tuple(int(v) for v in joint_action)
        alpha = self._step_size(state, a)
        for i in range(2):
            boot = 0.0 if self.game.terminal[next_state] else self._sampled_value(self.Q[next_state], i)
            self.Q[state][(i, *a)] += alpha * (float(rewards[i]) + self.gamma * boot - self.Q[state][(i, *a)])

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        Q = [np.asarray(q, dtype=float) for q in Q]
        g = float(game.gamma)
        equilibria = [(_maximin(q[0])[0], _maximin(-q[0].T)[0]) for q in Q]
        out = []
        for s in range(game.n_states):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            new = np.zeros_like(Q[s])
            for i in range(2):
                V = np.array([0.0 if game.terminal[t] else self._sampled_value(Q[t], i, equilibria[t])
                              for t in range(game.n_states)])
                new[i] = (T * (R[i] + g * V)).sum(axis=-1)  # the bug: V is one sample, not the expectation
            out.append(new)
        return out


class MinimaxQDiscountTwice(_TabularMinimaxQ):
    """Minimax-Q whose stage-value helper already returns ``γ·V(s')`` and whose update multiplies by γ again.

    Bug class: *wrong discount* (γ applied twice: once in a helper "discounted next value", once in the TD
    target).  Smallest witness: a 1-state 1×1 game with a non-zero reward and γ > 0.
    """

    def _discounted_next_value(self, q: np.ndarray) -> tuple[float, float]:
        v0, v1 = self._values(q)
        return self.gamma * v0, self.gamma * v1

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        a = tuple(int(v) for v in joint_action)
        alpha = self._step_size(state, a)
        nxt = (0.0, 0.0) if self.game.terminal[next_state] else self._discounted_next_value(self.Q[next_state])
        for i in range(2):
            target = float(rewards[i]) + self.gamma * nxt[i]  # the bug: nxt is already discounted
            self.Q[state][(i, *a)] += alpha * (target - self.Q[state][(i, *a)])

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        self.gamma = float(game.gamma)
        Q = [np.asarray(q, dtype=float) for q in Q]
        nxt = [(0.0, 0.0) if game.terminal[t] else self._discounted_next_value(Q[t]) for t in range(game.n_states)]
        out = []
        for s in range(game.n_states):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            new = np.zeros_like(Q[s])
            for i in range(2):
                V = np.array([nxt[t][i] for t in range(game.n_states)])
                new[i] = (T * (R[i] + self.gamma * V)).sum(axis=-1)  # the bug: γ·γ·V
            out.append(new)
        return out


class MinimaxQTerminalBootstrapped(_TabularMinimaxQ):
    """Minimax-Q fed by an auto-resetting environment loop: on reaching a terminal state it bootstraps from the
    state the next episode starts in.

    Bug class: *terminal states bootstrapped* (the vectorised-environment auto-reset pitfall: ``next_obs`` after
    ``done`` is already the first observation of the next episode, and the target ``r + γ V(next_obs)`` is
    used without ``(1 − done)``).  The exposed expected backup does the same with the reset distribution (the
    initial distribution, else uniform over non-terminal states).  Shows only on games with a reachable
    terminal state and a start state of non-zero value.  Smallest witness: 2 states (one terminal), 1×1.
    """

    @staticmethod
    def _reset_distribution(game: Any) -> np.ndarray:
        if game.initial is not None:
            return np.asarray(game.initial, dtype=float)
        live = np.array([0.0 if t else 1.0 for t in game.terminal])
        return live / live.sum() if live.sum() > 0 else np.full(game.n_states, 1.0 / game.n_states)

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        a = tuple(int(v) for v in joint_action)
        alpha = self._step_size(state, a)
        boot_state = next_state
        if self.game.terminal[next_state]:  # the bug: the environment already reset; bootstrap from there
            boot_state = int(self.rng.choice(self.game.n_states, p=self._reset_distribution(self.game)))
        v = self._values(self.Q[boot_state])
        for i in range(2):
            self.Q[state][(i, *a)] += alpha * (float(rewards[i]) + self.gamma * v[i] - self.Q[state][(i, *a)])

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        Q = [np.asarray(q, dtype=float) for q in Q]
        g = float(game.gamma)
        values = np.array([self._values(Q[t]) for t in range(game.n_states)])  # shape (S, 2)
        reset = self._reset_distribution(game) @ values
        for t in range(game.n_states):
            if game.terminal[t]:
                values[t] = reset  # the bug: V(terminal) is the value of the next episode's start
        out = []
        for s in range(game.n_states):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            out.append(np.stack([(T * (R[i] + g * values[:, i])).sum(axis=-1) for i in range(2)]))
        return out


class MinimaxQMaxInsteadOfMin(_TabularMinimaxQ):
    """Minimax-Q whose stage value is ``max_o Σ_a π(a) Q(s', a, o)`` for the maximin policy ``π``: the
    opponent's best reply is taken as a max.

    Bug class: *max instead of min* (``np.max`` where ``np.min`` belongs after the LP; right when every column
    is a best reply to ``π``).  Smallest witness: a 1-state 2×2 game where some column is not a best reply to
    the maximin strategy.
    """

    @staticmethod
    def _value_against(q: np.ndarray) -> tuple[float, float]:
        x, _ = _maximin(q[0])
        y, _ = _maximin(q[1].T)
        return float(np.max(x @ q[0])), float(np.max(q[1] @ y))  # the bug: np.min

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        a = tuple(int(v) for v in joint_action)
        alpha = self._step_size(state, a)
        v = (0.0, 0.0) if self.game.terminal[next_state] else self._value_against(self.Q[next_state])
        for i in range(2):
            self.Q[state][(i, *a)] += alpha * (float(rewards[i]) + self.gamma * v[i] - self.Q[state][(i, *a)])

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        Q = [np.asarray(q, dtype=float) for q in Q]
        g = float(game.gamma)
        values = np.array([(0.0, 0.0) if game.terminal[t] else self._value_against(Q[t]) for t in range(game.n_states)])
        out = []
        for s in range(game.n_states):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            out.append(np.stack([(T * (R[i] + g * values[:, i])).sum(axis=-1) for i in range(2)]))
        return out


class MinimaxQPlayerOneGetsPlayerZeroReward(_TabularMinimaxQ):
    """Minimax-Q whose update of player 1's table uses player 0's reward.

    Bug class: *one player ignored* (``rewards[0]`` where ``rewards[i]`` belongs, a leftover of single-agent or
    common-reward code).  Smallest witness: a 1-state 1×1 game with a non-zero reward.
    """

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        a = tuple(int(v) for v in joint_action)
        alpha = self._step_size(state, a)
        v = (0.0, 0.0) if self.game.terminal[next_state] else self._values(self.Q[next_state])
        for i in range(2):
            reward = float(rewards[0])  # the bug: rewards[i]
            self.Q[state][(i, *a)] += alpha * (reward + self.gamma * v[i] - self.Q[state][(i, *a)])

    def backup(self, game: Any, Q: Any) -> list[np.ndarray]:
        Q = [np.asarray(q, dtype=float) for q in Q]
        g = float(game.gamma)
        values = np.array([(0.0, 0.0) if game.terminal[t] else self._values(Q[t]) for t in range(game.n_states)])
        out = []
        for s in range(game.n_states):
            T = np.asarray(game.transitions[s], dtype=float)
            R = np.asarray(game.rewards[s], dtype=float)
            out.append(np.stack([(T * (R[0] + g * values[:, i])).sum(axis=-1) for i in range(2)]))  # the bug: R[i]
        return out


# =============================================================================================================
# The table
# =============================================================================================================
_NASH_ALL = frozenset({"validate.nash.completeness.nondegenerate", "validate.nash.completeness.degenerate"})
_NASH_SOUND = frozenset({"validate.nash.soundness", "validate.nash.soundness.degenerate", "validate.nash.robustness",
                         "validate.nash.at_least_one"})
_MINIMAX = frozenset({"validate.minimax", "validate.minimax.value", "validate.minimax.row_strategy",
                      "validate.minimax.column_strategy"})
_STAGE = frozenset({"validate.stage", "validate.stage.equilibrium"})
_EVAL = frozenset({"validate.evaluator.values"})
_BACKUP = frozenset({"validate.learner.backup_fixed_point"})

#: name → (kind, bug class, check/claim ids that may report it, smallest witness size as in :func:`witness_size`)
MUTANTS: dict[str, Mutant] = {
    "LemkeHowsonOneLabel": Mutant("solver (Nash, all)", "Lemke–Howson from one label only, claiming all equilibria",
                                  _NASH_ALL, (2, 2, 2)),
    "SupportEnumerationNoTolerance": Mutant("solver (Nash, all)", "float >= with no tolerance",
                                            _NASH_ALL, (2, 2, 2)),
    "SupportEnumerationTransposedColumn": Mutant("solver (Nash, one)", "transposed payoff matrix for the column player",
                                                 _NASH_SOUND, (2, 2, 2)),
    "PureNashArgmaxTies": Mutant("solver (pure Nash, all)", "argmax ties broken wrong",
                                 frozenset({"validate.pure_nash.completeness",
                                            "validate.pure_nash.completeness.n_player"}), (2, 2, 1)),
    "PureNashTwoPlayersChecked": Mutant("solver (pure Nash, all, n players)", "one player ignored",
                                        frozenset({"validate.pure_nash.soundness",
                                                   "validate.pure_nash.completeness.n_player"}), (3, 2, 1, 1)),
    "MinimaxColumnMaxInsteadOfMin": Mutant("solver (minimax)", "max instead of min", _MINIMAX, (2, 2, 1)),
    "MinimaxUniformFallback": Mutant("solver (minimax)", "uniform fallback when nothing is found", _MINIMAX,
                                     (2, 2, 1)),
    "MinimaxPureSecurity": Mutant("solver (minimax)", "pure instead of mixed security strategy", _MINIMAX, (2, 2, 2)),
    "CERowsSummed": Mutant("stage-solver (ce, n players)", "CE incentive rows summed per agent", _STAGE, (2, 2, 1)),
    "CEThirdPlayerIgnored": Mutant("stage-solver (ce, n players)", "one player ignored", _STAGE, (3, 2, 1, 1)),
    "CCEReturnedAsCE": Mutant("stage-solver (ce, n players)", "CCE returned as CE", _STAGE, (2, 3, 2)),
    "CCEDeviationAxisWrong": Mutant("stage-solver (cce, n players)", "transposed payoff matrix for the column player",
                                    _STAGE | {"validate.target.raised"}, (2, 2, 1)),
    "StageNashPureUniformFallback": Mutant("stage-solver (nash, n players)", "uniform fallback when nothing is found",
                                           _STAGE, (2, 2, 2)),
    "StageMinimaxShiftNotUndone": Mutant("stage-solver (minimax)", "normalisation forgotten",
                                         _STAGE | _MINIMAX | {"validate.stage.values"}, (2, 1, 1)),
    "EvaluatorHardCodedDiscount": Mutant("evaluator", "wrong discount", _EVAL, (1, 1, 1)),
    "EvaluatorOffByOneStep": Mutant("evaluator", "policy evaluation off by one step", _EVAL, (1, 2, 1)),
    "EvaluatorIgnoresTransitions": Mutant("evaluator", "transitions to other states ignored", _EVAL, (1, 2, 1)),
    "EvaluatorPlayerZeroRewards": Mutant("evaluator", "one player ignored", _EVAL, (2, 1, 1)),
    "SampledJointActionBackup": Mutant("learner (backup)", "sampled joint action in the backup", _BACKUP, (2, 1, 2)),
    "MinimaxQDiscountTwice": Mutant("learner (backup)", "wrong discount", _BACKUP, (2, 1, 1)),
    "MinimaxQTerminalBootstrapped": Mutant("learner (backup)", "terminal states bootstrapped",
                                           _BACKUP | {"validate.learner.terminal_states"}, (2, 2, 1)),
    "MinimaxQMaxInsteadOfMin": Mutant("learner (backup)", "max instead of min", _BACKUP, (2, 1, 2)),
    "MinimaxQPlayerOneGetsPlayerZeroReward": Mutant("learner (backup)", "one player ignored", _BACKUP, (2, 1, 1)),
}
