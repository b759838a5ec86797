r"""Compiled (numba) learning loop of Minimax-Q (:mod:`jalverify.learners.minimax_q`), float field only.

Only :class:`jalverify.learners.minimax_q.MinimaxQLearner` imports this module (lazily), so ``import jalverify``
never imports numba.  :func:`run_steps` performs, step for step, what the Python loop does with
:meth:`JointActionLearner.act`, :meth:`Simulator.step` and :meth:`JointActionLearner.update` (Littman 1994;
Albrecht, Christianos & Schäfer 2024, Algorithm 7), drawing the **same random numbers from the same numpy
generators in the same order** (numba draws from a :class:`numpy.random.Generator` through its bit generator,
so both generators' states advance exactly as in Python):

* act at ``s``: make sure ``s`` has a stage solution; one ``random()`` per agent to sample its action from its
  cumulative strategy (``searchsorted(…, side="right")``, clipped to the last action); the ε-greedy mask
  (``ε = 0``: nobody explores, ``ε = 1``: everybody, otherwise one ``random()`` per agent); one
  ``integers(0, k_i)`` per exploring agent;
* simulator step: one ``random()`` of the simulator's generator searched in the cumulative transition row
  (stored sparsely: only the positions where the dense cumulative row increases, which are exactly the
  positions ``searchsorted`` can return); the episode ends at a terminal state or the length cap, and a new
  episode starts with one ``random()`` searched in the start distribution;
* update: target ``c·r_j + γ·Value_j(Γ_{s'})`` (0 at terminal ``s'``), visit count, Robbins–Monro or constant
  step, the Q update of both agents, and the stage solution of ``s`` is dropped.

Stage solutions are cached per state (``valid``) and recomputed only for a state whose Q changed, by
:func:`jalverify.solvers._compiled_kernel_minimax.maximin_small` with the state's last kernel as hint.  When
that solver declines, :func:`run_steps` returns the state to the caller, which solves it with the numpy path
(ending in HiGHS) and calls again; a step interrupted in its update is kept in ``pending`` and finished first.
"""

from __future__ import annotations

import numba
import numpy as np

from jalverify.solvers._compiled_kernel_minimax import maximin_small

__all__ = ["run_steps", "solve_state"]

# indices into the int64 array ``sim_state``
SIM_STATE, SIM_EPISODE_STEP, SIM_EPISODES = 0, 1, 2
# indices into the int64 array ``pending``
P_PHASE, P_STATE, P_A0, P_A1, P_NEXT, P_END = 0, 1, 2, 3, 4, 5


@numba.njit(cache=True)
def _search_right(c: np.ndarray, lo: int, hi: int, u: float) -> int:  # pragma: no cover - compiled
    """First index ``i`` in ``[lo, hi)`` with ``c[i] > u`` (``hi`` when none): ``searchsorted(side="right")``."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if c[mid] > u:
            hi = mid
        else:
            lo = mid + 1
    return lo


@numba.njit(cache=True)
def solve_state(s: int, Q: np.ndarray, shape_m: np.ndarray, shape_n: np.ndarray, valid: np.ndarray,
                values: np.ndarray, X: np.ndarray, Y: np.ndarray, XC: np.ndarray, YC: np.ndarray,
                zero_sum: np.ndarray, hint_r: np.ndarray, hint_rows: np.ndarray, hint_cols: np.ndarray,
                touched: np.ndarray, tol_factor: float, max_actions: int, work: np.ndarray, work_k: np.ndarray,
                work_bt: np.ndarray) -> bool:  # pragma: no cover
    """The stage solution of ``s`` (Minimax-Q's concept, :class:`MinimaxConcept`) into the cache; ``False``
    (cache unchanged) when the compiled solver declines.  ``work`` (4 × max(M, N)), ``work_k`` (4 × K) and
    ``work_bt`` (N × M) are scratch arrays."""
    m = shape_m[s]
    n = shape_n[s]
    A = Q[s, 0]
    B = Q[s, 1]
    zs = True
    for i in range(m):
        for j in range(n):
            if B[i, j] != -A[i, j]:
                zs = False
    x = work[0]
    y = work[1]
    kr0 = work_k[0]
    kc0 = work_k[1]
    st0, v0, r0 = maximin_small(A, m, n, hint_r[s, 0], hint_rows[s, 0], hint_cols[s, 0], tol_factor, max_actions,
                                x, y, kr0, kc0)
    if st0 == 0:
        return False
    r1 = 0
    kr1 = work_k[2]
    kc1 = work_k[3]
    if zs:
        v1 = -v0
    else:
        BT = work_bt
        for i in range(m):
            for j in range(n):
                BT[j, i] = B[i, j]
        x1 = work[2]
        y1 = work[3]
        st1, v1, r1 = maximin_small(BT, n, m, hint_r[s, 1], hint_rows[s, 1], hint_cols[s, 1], tol_factor,
                                    max_actions, x1, y1, kr1, kc1)
        if st1 == 0:
            return False
        for j in range(n):
            y[j] = x1[j]
    acc = 0.0
    for i in range(m):
        X[s, i] = x[i]
        acc += x[i]
        XC[s, i] = acc
    XC[s, m - 1] = 1.0
    acc = 0.0
    for j in range(n):
        Y[s, j] = y[j]
        acc += y[j]
        YC[s, j] = acc
    YC[s, n - 1] = 1.0
    values[s, 0] = v0
    values[s, 1] = v1
    zero_sum[s] = 1 if zs else 0
    hint_r[s, 0] = r0
    for t in range(r0):
        hint_rows[s, 0, t] = kr0[t]
        hint_cols[s, 0, t] = kc0[t]
    hint_r[s, 1] = r1
    for t in range(r1):
        hint_rows[s, 1, t] = kr1[t]
        hint_cols[s, 1, t] = kc1[t]
    valid[s] = 1
    touched[s] = 1
    return True


@numba.njit(cache=True)
def run_steps(n_steps: int, step0: int, k0: int,
              # the game (from the simulator's arrays)
              shape_m: np.ndarray, shape_n: np.ndarray, terminal: np.ndarray, row_base: np.ndarray,
              row_ptr: np.ndarray, nxt_state: np.ndarray, nxt_cum: np.ndarray, nxt_r0: np.ndarray,
              nxt_r1: np.ndarray, start_cum: np.ndarray, episode_length: int,
              # backup, schedule and exploration
              gamma: float, reward_scale: float, rm_schedule: bool, omega: float, scale: float, offset: float,
              alpha_const: float, epsilon: float, decay: float, eps_min: float,
              # the learner
              Q: np.ndarray, counts: np.ndarray, valid: np.ndarray, values: np.ndarray, X: np.ndarray,
              Y: np.ndarray, XC: np.ndarray, YC: np.ndarray, zero_sum: np.ndarray, hint_r: np.ndarray,
              hint_rows: np.ndarray, hint_cols: np.ndarray, touched: np.ndarray, solves: np.ndarray,
              compiled_stage: bool, tol_factor: float, max_actions: int, rng: np.random.Generator,
              sim_rng: np.random.Generator, sim_state: np.ndarray, pending: np.ndarray, pending_r: np.ndarray,
              # the trace (when log)
              log: bool, log_states: np.ndarray, log_actions: np.ndarray, log_rewards: np.ndarray, ret: np.ndarray,
              disc: np.ndarray, ep_steps: np.ndarray, ep_returns: np.ndarray, ep_count: np.ndarray
              ) -> tuple[int, int]:  # pragma: no cover - compiled
    """Run up to ``n_steps`` steps; returns ``(steps done, state)`` where ``state ≥ 0`` is a state whose stage
    game the compiled solver declined (solve it into the cache and call again; ``pending`` keeps an interrupted
    step) and ``−1`` means all steps ran.  ``step0`` is the learner's step count (for ε decay), ``k0`` the
    index of the first step within the current ``learn()`` call (for the episode log)."""
    work = np.empty((4, max(X.shape[1], Y.shape[1])))
    work_k = np.empty((4, hint_rows.shape[2]), dtype=np.int64)
    work_bt = np.empty((Y.shape[1], X.shape[1]))
    i = 0
    while i < n_steps:
        if pending[P_PHASE] == 0:
            s = sim_state[SIM_STATE]
            if valid[s] == 0:
                if not (compiled_stage and solve_state(s, Q, shape_m, shape_n, valid, values, X, Y, XC, YC,
                                                       zero_sum, hint_r, hint_rows, hint_cols, touched,
                                                       tol_factor, max_actions, work, work_k, work_bt)):
                    return i, s
                solves[0] += 1
            m = shape_m[s]
            n = shape_n[s]
            # act: sample each agent's action from its stage strategy, then ε-greedy exploration
            a0 = _search_right(XC[s], 0, m, rng.random())
            a0 = min(a0, m - 1)
            a1 = _search_right(YC[s], 0, n, rng.random())
            a1 = min(a1, n - 1)
            step = step0 + i
            eps = epsilon if decay == 1.0 else max(eps_min, epsilon * decay ** float(step))
            if eps == 0.0:
                e0 = False
                e1 = False
            elif eps == 1.0:
                e0 = True
                e1 = True
            else:
                e0 = rng.random() < eps
                e1 = rng.random() < eps
            if e0:
                a0 = rng.integers(0, m)
            if e1:
                a1 = rng.integers(0, n)
            # the simulator's step
            row = row_base[s] + a0 * n + a1
            p = _search_right(nxt_cum, row_ptr[row], row_ptr[row + 1], sim_rng.random())
            nxt = nxt_state[p]
            pending_r[0] = nxt_r0[p]
            pending_r[1] = nxt_r1[p]
            sim_state[SIM_EPISODE_STEP] += 1
            end = terminal[nxt] != 0 or (episode_length > 0 and sim_state[SIM_EPISODE_STEP] >= episode_length)
            if end:
                sim_state[SIM_STATE] = _search_right(start_cum, 0, start_cum.size, sim_rng.random())
                sim_state[SIM_EPISODE_STEP] = 0
                sim_state[SIM_EPISODES] += 1
            else:
                sim_state[SIM_STATE] = nxt
            pending[P_STATE] = s
            pending[P_A0] = a0
            pending[P_A1] = a1
            pending[P_NEXT] = nxt
            pending[P_END] = 1 if end else 0
            pending[P_PHASE] = 1
        # the update of the step in ``pending``
        s = pending[P_STATE]
        a0 = pending[P_A0]
        a1 = pending[P_A1]
        nxt = pending[P_NEXT]
        if terminal[nxt] != 0:
            v0 = 0.0
            v1 = 0.0
        else:
            if valid[nxt] == 0:
                if not (compiled_stage and solve_state(nxt, Q, shape_m, shape_n, valid, values, X, Y, XC, YC,
                                                       zero_sum, hint_r, hint_rows, hint_cols, touched,
                                                       tol_factor, max_actions, work, work_k, work_bt)):
                    return i, nxt
                solves[0] += 1
            v0 = values[nxt, 0]
            v1 = values[nxt, 1]
        r0 = pending_r[0]
        r1 = pending_r[1]
        t0 = reward_scale * r0 + gamma * v0
        t1 = reward_scale * r1 + gamma * v1
        c = counts[s, a0, a1] + 1
        counts[s, a0, a1] = c
        if rm_schedule:
            alpha = scale / (float(c) + offset) ** omega
        else:
            alpha = alpha_const
        q0 = Q[s, 0, a0, a1]
        Q[s, 0, a0, a1] = q0 + alpha * (t0 - q0)
        q1 = Q[s, 1, a0, a1]
        Q[s, 1, a0, a1] = q1 + alpha * (t1 - q1)
        valid[s] = 0
        touched[s] = 1
        pending[P_PHASE] = 0
        if log:
            log_states[i] = s
            log_actions[i] = a0 * shape_n[s] + a1
            log_rewards[i, 0] = r0
            log_rewards[i, 1] = r1
            d = disc[0]
            ret[0] += d * r0
            ret[1] += d * r1
            disc[0] = d * gamma
            if pending[P_END] != 0:
                e = ep_count[0]
                ep_steps[e] = k0 + i + 1
                ep_returns[e, 0] = ret[0]
                ep_returns[e, 1] = ret[1]
                ep_count[0] = e + 1
                ret[0] = 0.0
                ret[1] = 0.0
                disc[0] = 1.0
        i += 1
    return n_steps, -1
