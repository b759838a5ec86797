r"""Compiled (numba) vertex enumeration of ``{z >= 0 : C z <= 1}`` in exact int64 integer pivoting, and the
label matching of two vertex lists.  Imported only by the hot path of :mod:`.vertex_enumeration`.

The search is the one of :func:`.vertex_enumeration.vertex_search` (a depth-first search over the
lexicographically feasible bases of the symbolically perturbed polytope, von Stengel 2002, Handbook of Game
Theory vol. 3, ch. 45, §2.5–2.7; Avis, Rosenberg, Savani & von Stengel 2010, Economic Theory 42, §3), with the
same integer dictionary as :class:`._integer_tableau.IntegerTableau` (Edmonds 1967 fraction-free pivoting:
every entry ``(T_ij p - T_ic T_rj) / det`` is an exact quotient).

Exactness in int64.  Every tableau entry is stored as an int64; products of two entries can exceed 64 bits,
so each quotient is obtained in two steps: a float estimate ``r0`` with a rigorous error bound ``E``, then the
exact correction from the wrapped (mod :math:`2^{64}`) integer arithmetic:
``(v p - f w) - r0 det ≡ (r - r0) det (mod 2^64)``, which is the true value when ``(E + 1) det < 2^62``; the
division of that by ``det`` must then be exact (checked).  Signs of ``a b - c d`` (ratio tests) are read off
the float difference when it exceeds its error bound and otherwise from the wrapped integer difference, which
is exact when the bound is below :math:`2^{62}`.  Whenever a bound is too large to decide exactly the kernel
stops with status :data:`OVERFLOW`, and the caller repeats the enumeration with Python integers; nothing is
ever rounded.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["INEXACT", "OK", "OVERFLOW", "complementary_pairs", "enumerate_vertices"]

#: Kernel status: finished exactly.
OK = 0
#: Kernel status: an entry or a product could not be decided in int64; repeat with Python integers.
OVERFLOW = 1
#: Kernel status: an integer-pivoting quotient was not exact (impossible for a correct tableau; a bug).
INEXACT = 2

_LIMIT = 2.0 ** 62
_SMALL = 2 ** 31  # operands below this: products and their differences are exact in int64
_REL = 2.0 ** -50  # generous bound on the relative rounding error of a float product of two converted int64s


@numba.njit(cache=True)
def _slot(keys, key):
    """Slot of ``key`` (>= 0) in the open-addressing table ``keys`` (size a power of two, -1 = empty): its
    slot when present, else the empty slot where it would go."""
    mask = keys.shape[0] - 1
    h = (key * np.int64(-7046029254386353131)) >> np.int64(20)  # wrapped multiplicative hash
    i = h & mask
    while keys[i] != -1 and keys[i] != key:
        i = (i + 1) & mask
    return i


@numba.njit(cache=True)
def _grown(keys, values):
    """The table re-hashed into twice the size."""
    new_keys = np.full(2 * keys.shape[0], -1, dtype=np.int64)
    new_values = np.empty(2 * keys.shape[0], dtype=np.int64)
    for i in range(keys.shape[0]):
        if keys[i] != -1:
            j = _slot(new_keys, keys[i])
            new_keys[j] = keys[i]
            new_values[j] = values[i]
    return new_keys, new_values


@numba.njit(cache=True)
def _sign_diff(a: np.int64, b: np.int64, c: np.int64, d: np.int64) -> int:
    """Exact sign of ``a b - c d`` (-1, 0, 1), or 2 when it cannot be decided in int64."""
    fa = float(a) * float(b)
    fc = float(c) * float(d)
    x = fa - fc
    err = (abs(fa) + abs(fc)) * _REL + 1.0
    if x > err:
        return 1
    if x < -err:
        return -1
    if err >= _LIMIT / 2:
        return 2
    t = a * b - c * d  # |true value| <= |x| + err < 2^63: the wrapped result is exact
    if t > 0:
        return 1
    if t < 0:
        return -1
    return 0


@numba.njit(cache=True)
def _exact_quotient(num: np.int64, r0: np.int64, det: np.int64, inv: float) -> tuple[np.int64, int]:
    """``num / det`` given an estimate ``r0`` within ``2^50`` of it, where ``num`` is known modulo ``2^64``
    and ``|num - r0 det| < 2^62``: one exact correction step (no integer division), then the check that the
    division is exact."""
    diff = num - r0 * det  # the true value, by the bound
    if diff != 0:
        d1 = np.int64(round(float(diff) * inv))
        r0 += d1
        diff -= d1 * det
        if diff != 0:
            return np.int64(0), 2
    return r0, 0


@numba.njit(cache=True)
def _quotient(v: np.int64, p: np.int64, f: np.int64, w: np.int64, det: np.int64, inv: float,
              small: bool) -> tuple[np.int64, int]:
    """``(v p - f w) / det`` exactly, with a status (OK, OVERFLOW, INEXACT); ``inv = 1 / det`` as a float;
    ``small``: all four operands and ``det`` are below ``2^31``, so ``v p - f w`` is exact in int64."""
    if small:
        num = v * p - f * w
        rf = float(num) * inv
        if abs(rf) >= _LIMIT:  # the quotient itself may not fit
            return np.int64(0), 1
        return _exact_quotient(num, np.int64(round(rf)), det, inv)
    fvp = float(v) * float(p)
    ffw = float(f) * float(w)
    fdet = float(det)
    rf = (fvp - ffw) * inv
    bound = (abs(fvp) + abs(ffw)) * _REL / fdet + 2.0
    if abs(rf) + bound >= _LIMIT or (bound + 1.0) * fdet >= _LIMIT or bound >= 2.0 ** 50:
        return np.int64(0), 1
    return _exact_quotient(v * p - f * w, np.int64(round(rf)), det, inv)


@numba.njit(cache=True)
def _sign(a: np.int64, b: np.int64, c: np.int64, d: np.int64, small: bool) -> int:
    """:func:`_sign_diff`, directly in int64 when every operand is below ``2^31`` (``small``)."""
    if small:
        t = a * b - c * d
        return 1 if t > 0 else (-1 if t < 0 else 0)
    return _sign_diff(a, b, c, d)


@numba.njit(cache=True)
def _lex_min_ratio_row(T, col, small, slack_at, ties):
    """Row chosen by the lexicographic minimum-ratio test for tableau column ``col`` (>= 1), or ``-1`` when
    no entry is positive, ``-2`` on overflow, ``-3`` when the rows are not lexicographically distinct.
    ``small``: every entry and ``det`` are below ``2^31`` in absolute value; ``slack_at[k]``: the tableau
    column of slack ``k`` when it is nonbasic, else ``-(its row) - 1``; ``ties``: a work array of length
    ``rows``.  Ties in the ratio ``rhs / a`` are broken by the slack columns (``det B^{-1}``) in order."""
    nrows = T.shape[0]
    nties = 0
    for r in range(nrows):
        a = T[r, col]
        if a <= 0:
            continue
        if nties == 0:
            ties[0] = r
            nties = 1
            continue
        b = ties[0]
        s = _sign(T[r, 0], T[b, col], T[b, 0], a, small)
        if s == 2:
            return -2
        if s < 0:
            ties[0] = r
            nties = 1
        elif s == 0:
            ties[nties] = r
            nties += 1
    if nties == 0:
        return -1
    if nties == 1:
        return ties[0]
    for k in range(nrows):
        pos = slack_at[k]
        if pos < 0:
            # slack k is basic in row -pos-1: its column is det there and 0 elsewhere, so that row has the
            # larger ratio and leaves the tie; the other tied rows stay tied
            b = -pos - 1
            keep = 0
            for t in range(nties):
                if ties[t] != b:
                    ties[keep] = ties[t]
                    keep += 1
            nties = keep
            if nties == 1:
                return ties[0]
            continue
        keep = 1
        for t in range(1, nties):
            r = ties[t]
            b = ties[0]
            s = _sign(T[r, pos], T[b, col], T[b, pos], T[r, col], small)
            if s == 2:
                return -2
            if s < 0:
                ties[0] = r
                keep = 1
            elif s == 0:
                ties[keep] = r
                keep += 1
        nties = keep
        if nties == 1:
            return ties[0]
    return -3


@numba.njit(cache=True)
def _pivot(T, basis, cobasis, det, row, c, out_T, out_basis, out_cobasis, small):
    """Pivot nonbasic column ``c`` (cobasis position) into ``row``; writes the new dictionary to ``out_*``.
    ``small``: every entry and ``det`` are below ``2^31``, so ``v p - f w`` is exact in int64.
    Returns ``(new det, status)``."""
    nrows, ncols = T.shape
    col = c + 1
    p = T[row, col]
    inv = 1.0 / float(det)
    for i in range(nrows):
        if i == row:
            for j in range(ncols):
                out_T[i, j] = T[i, j]
            out_T[i, col] = det
            continue
        f = T[i, col]
        for j in range(ncols):
            if j == col:
                continue
            if f == 0 and p == det:
                out_T[i, j] = T[i, j]
                continue
            q, status = _quotient(T[i, j], p, f, T[row, j], det, inv, small)
            if status != 0:
                return p, status
            out_T[i, j] = q
        out_T[i, col] = -f
    for r in range(nrows):
        out_basis[r] = basis[r]
    for k in range(cobasis.shape[0]):
        out_cobasis[k] = cobasis[k]
    out_cobasis[c] = basis[row]
    out_basis[row] = cobasis[c]
    return p, 0


@numba.njit(cache=True)
def enumerate_vertices(C):
    """All vertices of ``{z >= 0 : C z <= 1}`` for a positive int64 matrix ``C`` (``nz + rows <= 62``).

    Returns
    -------
    (status, numerators, denominators, tight, n_bases)
        ``status`` is :data:`OK`, :data:`OVERFLOW` or :data:`INEXACT`; vertex ``k`` is
        ``numerators[k] / denominators[k]`` and ``tight[k]`` is the bit mask of its tight constraints (bit
        ``j < nz`` for ``z_j = 0``, bit ``nz + r`` for row ``r``), as in :class:`.vertex_enumeration.PolytopeVertex`.
    """
    nrows, nz = C.shape
    ncols = nz + 1
    cap = 256
    stT = np.empty((cap, nrows, ncols), dtype=np.int64)
    stB = np.empty((cap, nrows), dtype=np.int64)
    stC = np.empty((cap, nz), dtype=np.int64)
    stD = np.empty(cap, dtype=np.int64)
    vcap = 256
    vnum = np.zeros((vcap, nz), dtype=np.int64)
    vden = np.zeros(vcap, dtype=np.int64)
    vtight = np.zeros(vcap, dtype=np.int64)
    nv = 0
    for r in range(nrows):
        stT[0, r, 0] = 1
        for j in range(nz):
            stT[0, r, j + 1] = C[r, j]
        stB[0, r] = nz + r
    for j in range(nz):
        stC[0, j] = j
    stD[0] = 1
    top = 1
    base_keys = np.full(1024, -1, dtype=np.int64)  # hash set of the basis masks met
    base_values = np.empty(1024, dtype=np.int64)
    vert_keys = np.full(1024, -1, dtype=np.int64)  # hash map tight mask -> vertex number
    vert_values = np.empty(1024, dtype=np.int64)
    mask0 = np.int64(0)
    for r in range(nrows):
        mask0 |= np.int64(1) << stB[0, r]
    base_keys[_slot(base_keys, mask0)] = mask0
    n_bases = 1
    T = np.empty((nrows, ncols), dtype=np.int64)
    basis = np.empty(nrows, dtype=np.int64)
    cobasis = np.empty(nz, dtype=np.int64)
    ties = np.empty(nrows, dtype=np.int64)
    slack_at = np.empty(nrows, dtype=np.int64)
    while top > 0:
        top -= 1
        T[:, :] = stT[top]
        basis[:] = stB[top]
        cobasis[:] = stC[top]
        det = stD[top]
        biggest = abs(det)
        for r in range(nrows):
            for j in range(ncols):
                biggest = max(biggest, abs(T[r, j]))
        small = biggest < _SMALL
        tight = np.int64(0)
        bmask = np.int64(0)
        for c in range(nz):
            tight |= np.int64(1) << cobasis[c]
            if cobasis[c] >= nz:
                slack_at[cobasis[c] - nz] = c + 1
        for r in range(nrows):
            bmask |= np.int64(1) << basis[r]
            if basis[r] >= nz:
                slack_at[basis[r] - nz] = -r - 1
            if T[r, 0] == 0:
                tight |= np.int64(1) << basis[r]
        slot = _slot(vert_keys, tight)
        if vert_keys[slot] == -1:
            vert_keys[slot] = tight
            vert_values[slot] = nv
            if 2 * (nv + 1) > vert_keys.shape[0]:
                vert_keys, vert_values = _grown(vert_keys, vert_values)
            if nv == vcap:
                vcap *= 2
                nn = np.zeros((vcap, nz), dtype=np.int64)
                nn[:nv] = vnum[:nv]
                vnum = nn
                nd = np.zeros(vcap, dtype=np.int64)
                nd[:nv] = vden[:nv]
                vden = nd
                nt = np.zeros(vcap, dtype=np.int64)
                nt[:nv] = vtight[:nv]
                vtight = nt
            for r in range(nrows):
                if basis[r] < nz:
                    vnum[nv, basis[r]] = T[r, 0]
            vden[nv] = det
            vtight[nv] = tight
            nv += 1
        for c in range(nz):
            entering = cobasis[c]
            row = _lex_min_ratio_row(T, c + 1, small, slack_at, ties)
            if row == -2:
                return OVERFLOW, vnum[:nv], vden[:nv], vtight[:nv], n_bases
            if row < 0:
                return INEXACT, vnum[:nv], vden[:nv], vtight[:nv], n_bases
            neighbour = bmask ^ (np.int64(1) << basis[row]) ^ (np.int64(1) << entering)
            slot = _slot(base_keys, neighbour)
            if base_keys[slot] != -1:
                continue
            base_keys[slot] = neighbour
            n_bases += 1
            if 2 * n_bases > base_keys.shape[0]:
                base_keys, base_values = _grown(base_keys, base_values)
            if top == cap:
                cap *= 2
                a = np.empty((cap, nrows, ncols), dtype=np.int64)
                a[:top] = stT[:top]
                stT = a
                b = np.empty((cap, nrows), dtype=np.int64)
                b[:top] = stB[:top]
                stB = b
                cc = np.empty((cap, nz), dtype=np.int64)
                cc[:top] = stC[:top]
                stC = cc
                d = np.empty(cap, dtype=np.int64)
                d[:top] = stD[:top]
                stD = d
            newdet, status = _pivot(T, basis, cobasis, det, row, c, stT[top], stB[top], stC[top], small)
            if status != 0:
                return status, vnum[:nv], vden[:nv], vtight[:nv], n_bases
            stD[top] = newdet
            top += 1
    return OK, vnum[:nv], vden[:nv], vtight[:nv], n_bases


@numba.njit(cache=True)
def complementary_pairs(p_labels, q_labels, n_labels):
    """Index pairs ``(k, l)`` with ``p_labels[k] | q_labels[l]`` covering labels ``0..n_labels-1``.

    For each label a bit set over the ``q_labels`` carrying it; the partners of ``p_labels[k]`` are the
    intersection of the bit sets of the labels it lacks (word-parallel ``&``).
    """
    nq = q_labels.shape[0]
    words = (nq + 63) // 64
    has = np.zeros((n_labels, words), dtype=np.uint64)
    for l in range(nq):
        lab = q_labels[l]
        for b in range(n_labels):
            if (lab >> b) & 1:
                has[b, l // 64] |= np.uint64(1) << np.uint64(l % 64)
    full = (np.int64(1) << n_labels) - 1
    out = np.empty((16, 2), dtype=np.int64)
    count = 0
    need_list = np.empty(n_labels, dtype=np.int64)
    for k in range(p_labels.shape[0]):
        need = full & ~p_labels[k]
        nn = 0
        for b in range(n_labels):
            if (need >> b) & 1:
                need_list[nn] = b
                nn += 1
        for w in range(words):
            acc = ~np.uint64(0)
            if w == words - 1 and nq % 64 != 0:
                acc = (np.uint64(1) << np.uint64(nq % 64)) - np.uint64(1)
            for t in range(nn):
                acc &= has[need_list[t], w]
                if acc == 0:
                    break
            while acc != 0:
                low = acc & (~acc + np.uint64(1))
                bit = 0
                x = low
                while x > np.uint64(1):
                    x >>= np.uint64(1)
                    bit += 1
                acc ^= low
                if count == out.shape[0]:
                    grown = np.empty((2 * count, 2), dtype=np.int64)
                    grown[:count] = out[:count]
                    out = grown
                out[count, 0] = k
                out[count, 1] = w * 64 + bit
                count += 1
    return out[:count]
