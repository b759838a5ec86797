r"""All extreme Nash equilibria of a bimatrix game by exact vertex enumeration, correct on degenerate games.

Algorithm (von Stengel 2002, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3,
ch. 45, §2.4 and §2.7; Avis, Rosenberg, Savani & von Stengel 2010, Economic Theory 42, §3 for lrsnash).
Shift the payoffs so that ``A' > 0`` and ``B' > 0`` (this does not change best responses) and form the
best-response polytopes

.. math::
    P = \{x \in \mathbb R^m : x \ge 0,\ B'^\top x \le \mathbf 1\},\qquad
    Q = \{y \in \mathbb R^n : A' y \le \mathbf 1,\ y \ge 0\}.

A point of ``P`` has label ``i`` if ``x_i = 0`` and label ``m + j`` if ``(B'^\top x)_j = 1``; a point of ``Q``
has label ``i`` if ``(A'y)_i = 1`` and label ``m + j`` if ``y_j = 0``.  A pair ``(x, y) ≠ (0, 0)`` is
completely labelled iff ``(x / 1^\top x, y / 1^\top y)`` is a Nash equilibrium; the *extreme* equilibria are
the completely labelled pairs of vertices, and every equilibrium is a convex combination inside a maximal
Nash subset of them (Avis et al. 2010, §2).  In a degenerate game a vertex lies on more than ``m`` (resp.
``n``) facets; that is harmless here because

1. vertices are enumerated as *points*: a depth-first search over the lexicographically feasible bases of
   ``P`` and ``Q`` (the bases of the symbolically perturbed, simple polytopes
   :math:`B'^\top x \le \mathbf 1 + (ε, ε^2, …)`, whose graph is connected and every vertex of the
   unperturbed polytope is the limit of one of theirs), with exact integer pivoting; each vertex is
   identified by its full label set (all tight constraints, degenerate ones included);
2. every vertex ``x`` of ``P`` is paired with every vertex ``y`` of ``Q`` whose label set contains the labels
   ``x`` lacks, so no equilibrium pair is lost to a choice of basis.  By default (``polytopes="one"``, the
   lrsnash scheme of Avis et al. 2010, §3) those ``y`` are the vertices of the face of ``Q`` cut out by the
   missing labels: for a vertex with exactly ``m`` labels a square exact solve, for a degenerate one an exact
   enumeration of the face's vertices.  ``polytopes="both"`` enumerates ``Q`` as well and pairs the label
   sets with one vectorised bit-mask test; the two agree (a property test).

By default (``kernel="auto"``, games with at least :data:`COMPILED_MIN_ACTIONS` actions in all and no time
limit) both polytopes are enumerated by the compiled kernel :mod:`._vertex_kernel` (the same search in exact
int64 integer pivoting, falling back to Python integers when an entry outgrows 62 bits) and the label sets are
paired with per-label bit sets; the per-vertex work stays in compiled code and Fractions are built only for the
equilibria found.

Every returned profile is certified by an exact regret computation (regret exactly 0).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from jalverify.errors import InvalidGame, SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import Field, field_named
from jalverify.solvers.nash._bimatrix import positive_integer_matrices, require_two_players, target_game
from jalverify.solvers.nash._integer_tableau import IntegerTableau
from jalverify.solvers.nash.result import NashResult, NashStatus, certify_profiles

__all__ = [
    "PolytopeVertex",
    "best_response_polytope_vertices",
    "completely_labelled_pairs",
    "polytope_vertices",
    "vertex_enumeration_solve",
]

#: Seconds between two progress lines of a long enumeration.
PROGRESS_SECONDS = 2.0

METHOD = "vertex_enumeration"

#: ``kernel="auto"`` uses the compiled kernel when ``m + n`` is at least this (smaller games are solved in
#: milliseconds in Python, and a process that solves only small games need not load numba).
COMPILED_MIN_ACTIONS = 10

#: The compiled kernel keeps label masks in int64: at most this many actions in all.
COMPILED_MAX_ACTIONS = 62


@dataclass(frozen=True)
class PolytopeVertex:
    """A vertex of ``{z >= 0 : C z <= 1}``.

    Attributes
    ----------
    numerators : tuple of int
        ``z = numerators / denominator``.
    denominator : int
    tight : int
        Bit mask of the tight constraints: bit ``k < nz`` for ``z_k = 0``, bit ``nz + r`` for row ``r`` of
        ``C z <= 1`` holding with equality.
    """

    numerators: tuple[int, ...]
    denominator: int
    tight: int

    @property
    def is_origin(self) -> bool:
        return not any(self.numerators)

    def normalised(self) -> list[Fraction]:
        """``z / sum(z)`` as exact Fractions (a mixed strategy); not defined at the origin."""
        total = sum(self.numerators)
        return [Fraction(v, total) for v in self.numerators]


def polytope_vertices(C: list[list[int]]) -> list[PolytopeVertex]:
    """All vertices of ``{z >= 0 : C z <= 1}`` for a positive integer matrix ``C``, each once.

    Depth-first search over lexicographically feasible bases from the origin; every basis has exactly ``nz``
    neighbours (one per entering nonbasic variable, the leaving one fixed by the lexicographic ratio test).
    """
    return vertex_search(C, None)[0]


def vertex_search(C: list[list[int]], deadline: float | None,
                  progress: Callable[[str], None] | None = None) -> tuple[list[PolytopeVertex], bool]:
    """:func:`polytope_vertices` stopping at ``time.monotonic() >= deadline``: ``(vertices found, finished)``.
    ``progress`` receives a line about every :data:`PROGRESS_SECONDS` (vertices and bases so far)."""
    start = IntegerTableau.initial(C)
    nvars = start.nz + start.nrows
    seen_bases = {start.basis_mask()}
    stack = [start]
    vertices: dict[int, PolytopeVertex] = {}
    steps = 0
    next_report = time.monotonic() + PROGRESS_SECONDS
    while stack:
        steps += 1
        if steps % 64 == 0:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return list(vertices.values()), False
            if progress is not None and now >= next_report:
                progress(f"vertices of the best-response polytope: {len(vertices)} found, {len(seen_bases)} bases "
                         f"visited, {len(stack)} to explore")
                next_report = now + PROGRESS_SECONDS
        tab = stack.pop()
        tight = tab.tight_variables_mask()
        if tight not in vertices:
            vertices[tight] = PolytopeVertex(tuple(tab.z_values()), tab.det, tight)
        bmask = tab.basis_mask()
        for entering in range(nvars):
            if bmask >> entering & 1:
                continue
            row = tab.lex_min_ratio_row(entering)
            leaving = tab.basis[row]
            neighbour = bmask ^ (1 << leaving) ^ (1 << entering)
            if neighbour in seen_bases:
                continue
            seen_bases.add(neighbour)
            stack.append(tab.pivot(row, entering))
    return list(vertices.values()), True


def best_response_polytope_vertices(game: NormalFormGame) -> tuple[list[PolytopeVertex], list[PolytopeVertex],
                                                                    list[int], list[int]]:
    """Vertices of ``P`` and ``Q`` with their label masks (labels ``0..m-1`` rows, ``m..m+n-1`` columns).

    Returns
    -------
    (P_vertices, Q_vertices, P_labels, Q_labels)
    """
    require_two_players(game, "best_response_polytope_vertices()")
    A, B = positive_integer_matrices(game)
    m, n = len(A), len(A[0])
    BT = [[B[i][j] for i in range(m)] for j in range(n)]
    p_vertices = polytope_vertices(BT)  # variables x_0..x_{m-1}, slacks of columns: labels coincide with indices
    q_vertices = polytope_vertices(A)   # variables y_0..y_{n-1}, slacks of rows 0..m-1
    p_labels = [v.tight for v in p_vertices]
    low_n = (1 << n) - 1
    # Q: bit j (< n) is y_j = 0 -> label m + j; bit n + i is row i tight -> label i
    q_labels = [((v.tight & low_n) << m) | (v.tight >> n) for v in q_vertices]
    return p_vertices, q_vertices, p_labels, q_labels


def completely_labelled_pairs(p_labels: list[int], q_labels: list[int], n_labels: int) -> list[tuple[int, int]]:
    """Index pairs ``(k, l)`` with ``p_labels[k] | q_labels[l]`` covering all ``n_labels`` labels."""
    full = (1 << n_labels) - 1
    if not p_labels or not q_labels:
        return []
    if n_labels <= 62:
        px = np.fromiter(p_labels, dtype=np.int64, count=len(p_labels))
        qy = np.fromiter(q_labels, dtype=np.int64, count=len(q_labels))
        # a column vertex must carry every label the row vertex lacks: (~px & full) & ~qy == 0
        need = ~px & full
        out: list[tuple[int, int]] = []
        block = max(1, 1_000_000 // len(q_labels))  # bounded memory
        not_qy = ~qy
        for start in range(0, len(p_labels), block):
            hits = np.argwhere((need[start:start + block, None] & not_qy[None, :]) == 0)
            out.extend((int(a) + start, int(b)) for a, b in hits)
        return out
    return [(k, l) for k, a in enumerate(p_labels) for l, b in enumerate(q_labels) if a | b == full]


def vertex_enumeration_solve(game: NormalFormGame, *, field: Field | str | None = None,
                             components: bool = True, polytopes: str = "one",
                             time_limit: float | None = None,
                             progress: Callable[[str], None] | None = None,
                             kernel: str = "auto") -> NashResult:
    """All extreme Nash equilibria of a two-player game, exactly, degenerate games included.

    Parameters
    ----------
    game : NormalFormGame
        Two players.  Exact payoffs, or float payoffs (then computed on their exact binary values).
    field : Field or {"exact", "float"}, optional
        Field of the returned profiles; default the game's field.  Float output is checked with the float
        field's tolerance.
    components : bool
        Also compute the maximal Nash subsets and connected components (:mod:`.components`).
    polytopes : {"one", "both"}
        ``"both"``: enumerate the vertices of ``P`` and ``Q`` and pair them by labels.  ``"one"`` (default,
        about twice as fast): enumerate ``P`` only; for a vertex ``x`` with exactly ``m`` labels the face of
        ``Q`` carrying the missing labels is cut out by a square system (``(A'y)_i = 1`` on ``supp(x)``,
        ``y_j = 0`` off ``BR(x)``), solved exactly; when that system is not square or is singular (degenerate
        games), the face's vertices are enumerated exactly (rref over constraint subsets) up to a work budget
        (:data:`FACE_WORK_BUDGET`), after which the vertices of ``Q`` are enumerated once and filtered by
        labels.  Both settings give the same set (a property test).
    time_limit : float, optional
        Seconds; when exceeded the search stops and the equilibria found so far are returned (each
        certified) with ``status=TIME_LIMIT``, ``complete=False`` and no components.  Needs
        ``polytopes="one"``.
    progress : callable, optional
        Receives a line of progress about every :data:`PROGRESS_SECONDS` (``polytopes="one"``).
    kernel : {"auto", "compiled", "python"}
        ``"compiled"``: enumerate both polytopes with the numba kernel (:mod:`._vertex_kernel`) and pair them
        by labels (``polytopes`` is then irrelevant; no ``time_limit`` or ``progress``); if an entry outgrows
        int64 the enumeration is repeated in Python integers (said in the notes).  ``"python"``: the pure
        Python search.  ``"auto"`` (default): compiled when there is no ``time_limit`` or ``progress``,
        ``m + n >= COMPILED_MIN_ACTIONS`` and ``m + n <= COMPILED_MAX_ACTIONS``.  All give the same set
        (differential tests).

    Returns
    -------
    NashResult
        ``status=COMPLETE``, ``complete=True`` (or ``TIME_LIMIT``); ``certificates`` are exact zeros in the
        exact field.

    Raises
    ------
    UnsupportedGame
        Not a two-player game.
    InvalidNumber
        An exact answer asked for a float game.
    SolverError
        A candidate failed the exact regret check (a bug; never returned silently).
    """
    require_two_players(game, "vertex_enumeration_solve()")
    fld = field_named(field) if field is not None else game.field
    out_game = target_game(game, fld, "vertex_enumeration_solve()")
    if polytopes not in ("one", "both"):
        raise InvalidGame(f"vertex_enumeration_solve(): polytopes must be 'one' or 'both', got {polytopes!r}")
    if time_limit is not None and polytopes != "one":
        raise InvalidGame("vertex_enumeration_solve(): time_limit needs polytopes='one'")
    if kernel not in ("auto", "compiled", "python"):
        raise InvalidGame(f"vertex_enumeration_solve(): kernel must be 'auto', 'compiled' or 'python', got {kernel!r}")
    m, n = game.n_actions
    if kernel == "compiled":
        if time_limit is not None or progress is not None:
            raise InvalidGame("vertex_enumeration_solve(): kernel='compiled' takes no time_limit or progress")
        if m + n > COMPILED_MAX_ACTIONS:
            raise InvalidGame(f"vertex_enumeration_solve(): kernel='compiled' handles at most "
                              f"{COMPILED_MAX_ACTIONS} actions in all, got {m + n}")
    use_compiled = kernel == "compiled" or (
        kernel == "auto" and time_limit is None and progress is None
        and COMPILED_MIN_ACTIONS <= m + n <= COMPILED_MAX_ACTIONS)
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    finished = True
    if use_compiled:
        strategy_pairs, note = _pairs_compiled(game)
    elif polytopes == "both":
        strategy_pairs, note = _pairs_from_both_polytopes(game)
    else:
        strategy_pairs, note, finished = _pairs_from_row_polytope(game, deadline, progress)
    profiles = []
    index_pairs = []
    row_arrays: dict[int, np.ndarray] = {}  # each distinct strategy converted once (exact: Fraction arrays,
    col_arrays: dict[int, np.ndarray] = {}  # which the exact field takes without per-entry parsing)
    for (kx, x), (ky, y) in strategy_pairs:
        if kx not in row_arrays:
            row_arrays[kx] = _in_field(x, fld)
        if ky not in col_arrays:
            col_arrays[ky] = _in_field(y, fld)
        profiles.append(MixedProfile(out_game, [row_arrays[kx], col_arrays[ky]]))
        index_pairs.append((kx, ky))
    equilibria, certificates = certify_profiles(out_game, profiles, method="vertex_enumeration_solve", field=fld)
    comps = None
    if components and finished:
        from jalverify.solvers.nash.components import components_from_pairs

        comps = components_from_pairs(equilibria, index_pairs)
    return NashResult(
        equilibria=equilibria,
        game=game,
        method=METHOD,
        field=fld,
        status=NashStatus.COMPLETE if finished else NashStatus.TIME_LIMIT,
        complete=finished,
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        components=comps,
        notes=(note,) if finished else (f"stopped by time_limit={time_limit} s; {note}",),
    )


def _in_field(values: list[Fraction], fld: Field) -> np.ndarray:
    if fld.exact:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array([float(v) for v in values], dtype=np.float64)


def _pairs_from_both_polytopes(game: NormalFormGame) -> tuple[list, str]:
    """Extreme equilibria as ``((x id, x), (y id, y))`` from the vertices of both polytopes."""
    m, n = game.n_actions
    p_vertices, q_vertices, p_labels, q_labels = best_response_polytope_vertices(game)
    p_keep = [k for k, v in enumerate(p_vertices) if not v.is_origin]
    q_keep = [k for k, v in enumerate(q_vertices) if not v.is_origin]
    pairs = completely_labelled_pairs([p_labels[k] for k in p_keep], [q_labels[k] for k in q_keep], m + n)
    pairs.sort()
    xs: dict[int, list[Fraction]] = {}
    ys: dict[int, list[Fraction]] = {}
    out = []
    for a, b in pairs:
        ka, kb = p_keep[a], q_keep[b]
        if ka not in xs:
            xs[ka] = p_vertices[ka].normalised()
        if kb not in ys:
            ys[kb] = q_vertices[kb].normalised()
        out.append(((ka, xs[ka]), (kb, ys[kb])))
    return out, f"{len(p_vertices)} vertices of P and {len(q_vertices)} of Q enumerated exactly"


def _pairs_compiled(game: NormalFormGame) -> tuple[list, str]:
    """Extreme equilibria as ``((x id, x), (y id, y))``: both polytopes enumerated by the compiled kernel,
    paired by labels; Python integers when the kernel reports an int64 overflow."""
    from jalverify.solvers.nash import _vertex_kernel

    A, B = positive_integer_matrices(game)
    m, n = len(A), len(A[0])
    BT = [[B[i][j] for i in range(m)] for j in range(n)]
    p_num, p_tight, p_note = _compiled_vertices(BT)
    q_num, q_tight, q_note = _compiled_vertices(A)
    p_keep = np.flatnonzero(p_num.any(axis=1))  # the origin is no strategy
    q_keep = np.flatnonzero(q_num.any(axis=1))
    p_labels = p_tight[p_keep]
    # Q: bit j (< n) is y_j = 0 -> label m + j; bit n + i is row i tight -> label i
    q_t = q_tight[q_keep]
    q_labels = ((q_t & ((1 << n) - 1)) << m) | (q_t >> n)
    pairs = [] if not len(p_keep) or not len(q_keep) else [
        (int(p_keep[a]), int(q_keep[b])) for a, b in _vertex_kernel.complementary_pairs(p_labels, q_labels, m + n)]
    xs = {ka: _normalised(p_num[ka].tolist()) for ka in sorted({ka for ka, _ in pairs})}
    ys = {kb: _normalised(q_num[kb].tolist()) for kb in sorted({kb for _, kb in pairs})}
    # order by the strategies' values (as the Python path does), comparing each distinct strategy once
    x_rank = {k: r for r, k in enumerate(sorted(xs, key=xs.__getitem__))}
    y_rank = {k: r for r, k in enumerate(sorted(ys, key=ys.__getitem__))}
    keyed = sorted((x_rank[ka], y_rank[kb], ka, kb) for ka, kb in pairs)
    out = [((ka, xs[ka]), (kb, ys[kb])) for _, _, ka, kb in keyed]
    return out, (f"{len(p_num)} vertices of P ({p_note}) and {len(q_num)} of Q ({q_note}) enumerated exactly, "
                 "paired by labels")


def _normalised(numerators: list[int]) -> list[Fraction]:
    total = sum(numerators)
    return [Fraction(v, total) for v in numerators]


def _compiled_vertices(C: list[list[int]]) -> tuple[np.ndarray, np.ndarray, str]:
    """Vertices of ``{z >= 0 : C z <= 1}`` as ``(numerators, tight masks, how)``, vertex ``k`` being
    proportional to ``numerators[k]`` (the common denominator is not needed for a strategy): the compiled
    kernel (int64 arrays), or the Python search when an entry does not fit in int64 (numerators then an object
    array of Python integers)."""
    from jalverify.solvers.nash import _vertex_kernel

    if max(max(row) for row in C) < 2 ** 62:
        status, num, _, tight, n_bases = _vertex_kernel.enumerate_vertices(np.array(C, dtype=np.int64))
        if status == _vertex_kernel.INEXACT:
            raise SolverError("vertex_enumeration_solve(): internal error, an integer pivot of the compiled "
                              "kernel was not an exact division")
        if status == _vertex_kernel.OK:
            return num, tight, f"compiled int64 kernel, {n_bases} bases"
    vertices = polytope_vertices(C)
    num = np.empty((len(vertices), len(C[0])), dtype=object)
    for k, v in enumerate(vertices):
        num[k, :] = v.numerators
    return num, np.array([v.tight for v in vertices], dtype=np.int64), "Python integers: entries beyond int64"


def _pairs_from_row_polytope(game: NormalFormGame, deadline: float | None = None,
                             progress: Callable[[str], None] | None = None) -> tuple[list, str, bool]:
    """Extreme equilibria from the vertices of ``P`` and, per vertex, the face of ``Q`` with the missing
    labels (a square exact solve, or a label filter over the vertices of ``Q`` when that is degenerate)."""
    require_two_players(game, "vertex_enumeration_solve()")
    A, B = positive_integer_matrices(game)
    m, n = len(A), len(A[0])
    BT = [[B[i][j] for i in range(m)] for j in range(n)]
    p_vertices, finished = vertex_search(BT, deadline, progress)
    next_report = time.monotonic() + PROGRESS_SECONDS
    full = (1 << (m + n)) - 1
    A_q = [[flint.fmpq(v) for v in row] for row in A]
    q_cache: list | None = None
    y_ids: dict[tuple, int] = {}
    out = []
    solved = 0
    faces = 0
    face_work = 0
    for kx, vertex in enumerate(p_vertices):
        if vertex.is_origin:
            continue
        if kx % 16 == 0:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                finished = False
                break
            if progress is not None and now >= next_report:
                progress(f"pairing: vertex {kx} of {len(p_vertices)}, {len(out)} equilibria so far")
                next_report = now + PROGRESS_SECONDS
        labels = vertex.tight
        missing = full & ~labels
        rows_tight = [i for i in range(m) if missing >> i & 1]              # supp(x): rows that must be tight
        free = [j for j in range(n) if not missing >> (m + j) & 1]         # BR(x): columns that may be > 0
        candidates: list[list[Fraction]] | None = None
        if len(rows_tight) == len(free):
            k = len(free)
            mat = flint.fmpq_mat(k, k, [A_q[i][j] for i in rows_tight for j in free])
            try:
                sol = mat.solve(flint.fmpq_mat(k, 1, [1] * k))
            except ZeroDivisionError:  # singular: the face may be larger than a point
                sol = None
            if sol is not None:
                solved += 1
                y = [flint.fmpq(0)] * n
                for pos, j in enumerate(free):
                    y[j] = sol[pos, 0]
                candidates = []
                if _in_q(A_q, y, free):
                    candidates.append(_normalise(y))
        if candidates is None and q_cache is None and face_work < FACE_WORK_BUDGET:
            candidates, work = _face_vertices(A_q, rows_tight, free, FACE_SUBSETS_LIMIT)
            face_work += work
            if candidates is not None:
                faces += 1
        if candidates is None:
            if q_cache is None:
                q_cache, q_finished = _labelled_q_vertices(game, deadline)
                finished = finished and q_finished
            candidates = [y for y, y_labels in q_cache if y_labels & missing == missing]
        if candidates:
            x = vertex.normalised()
            for y in candidates:
                ky = y_ids.setdefault(tuple(y), len(y_ids))
                out.append(((kx, x), (ky, y)))
    out.sort(key=lambda pair: (pair[0][1], pair[1][1]))
    fallback = "" if q_cache is None else f"; {len(q_cache)} vertices of Q enumerated for large degenerate faces"
    return out, (f"{len(p_vertices)} vertices of P enumerated exactly; faces of Q: {solved} single points solved, "
                 f"{faces} degenerate faces enumerated{fallback}"), finished


#: Largest number of constraint subsets tried when enumerating one degenerate face of Q directly; above it the
#: vertices of Q are enumerated once and filtered by labels.
FACE_SUBSETS_LIMIT = 2000

#: Total number of subset solves spent on degenerate faces before switching to enumerating the vertices of Q
#: (in very degenerate games that is cheaper than many small face enumerations).
FACE_WORK_BUDGET = 150


def _in_q(A_q: list, y: list, free: list[int]) -> bool:
    """Whether ``y >= 0`` and ``A'y <= 1`` exactly."""
    if any(v < 0 for v in y):
        return False
    zero = flint.fmpq(0)
    return all(sum((row[j] * y[j] for j in free), zero) <= 1 for row in A_q)


def _normalise(y: list) -> list[Fraction]:
    total = sum(y, flint.fmpq(0))
    return [Fraction(int(q.p), int(q.q)) for q in (v / total for v in y)]


def _face_vertices(A_q: list, rows_tight: list[int], free: list[int], limit: int
                   ) -> tuple[list[list[Fraction]] | None, int]:
    """Vertices of the face ``{y ∈ Q : (A'y)_i = 1 (i ∈ rows_tight), y_j = 0 (j ∉ free)}`` of ``Q``, normalised.

    A point of the face is a vertex iff its tight constraints have rank ``|free|``; so every vertex solves the
    equalities plus ``d = |free| - rank`` further constraints taken as equalities (``y_j = 0`` for ``j`` in
    ``free`` or ``(A'y)_i = 1`` for other rows).  All such subsets are tried with exact rref.  Returns
    ``(vertices, number of solves)``; vertices are ``None`` when there are more than ``limit`` subsets (the
    caller then filters the vertices of ``Q``).
    """
    m, n = len(A_q), len(A_q[0])
    k = len(free)
    if k == 0:
        return [], 0
    eq_rows = [[A_q[i][j] for j in free] + [flint.fmpq(1)] for i in rows_tight]
    rank = 0
    if eq_rows:
        rank = flint.fmpq_mat(len(eq_rows), k + 1, [v for row in eq_rows for v in row]).rref()[1]
    if rank > k:
        return [], 1  # the equalities are inconsistent: the face is empty
    extra: list[list] = []
    for pos in range(k):
        unit = [flint.fmpq(0)] * (k + 1)
        unit[pos] = flint.fmpq(1)
        extra.append(unit)  # y_free[pos] = 0
    tight = set(rows_tight)
    extra.extend([A_q[i][j] for j in free] + [flint.fmpq(1)] for i in range(m) if i not in tight)
    d = k - rank
    subsets = math.comb(len(extra), d)
    if subsets > limit:
        return None, 0
    found: dict[tuple, list[Fraction]] = {}
    for subset in itertools.combinations(range(len(extra)), d):
        rows = eq_rows + [extra[t] for t in subset]
        R, rk = flint.fmpq_mat(len(rows), k + 1, [v for row in rows for v in row]).rref()
        if rk != k or any(R[p, p] != 1 for p in range(k)):
            continue  # no unique solution (under-determined or inconsistent)
        y = [flint.fmpq(0)] * n
        for pos, j in enumerate(free):
            y[j] = R[pos, k]
        if not any(y) or not _in_q(A_q, y, free):
            continue
        yn = _normalise(y)
        found.setdefault(tuple(yn), yn)
    return list(found.values()), subsets


def _labelled_q_vertices(game: NormalFormGame, deadline: float | None) -> tuple[list[tuple[list[Fraction], int]], bool]:
    """Non-zero vertices of ``Q`` (normalised) with their label masks, and whether the search finished."""
    A, _ = positive_integer_matrices(game)
    m, n = len(A), len(A[0])
    q_vertices, finished = vertex_search(A, deadline)
    low_n = (1 << n) - 1
    out = []
    for v in q_vertices:
        if not v.is_origin:
            out.append((v.normalised(), ((v.tight & low_n) << m) | (v.tight >> n)))
    return out, finished
