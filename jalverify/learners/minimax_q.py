r"""Minimax-Q (Littman 1994, ICML; convergence Littman & Szepesvári 1996; book p.121, theory.md §3).

The JAL-GT stage concept for two-player zero-sum games: at state ``s`` agent 0 solves the stage LP
(book Eqs. 4.12–4.15)

.. math::  \max_{x ∈ Δ(A_0)} \min_{a_1} Σ_{a_0} x(a_0)\, Q_0(s, a_0, a_1),

and the backup uses :math:`\mathrm{Value}_0(Γ_s) = \mathrm{val}(Q_0(s))`, :math:`\mathrm{Value}_1 = −\mathrm{val}`.
If every state and joint action is tried infinitely often and the step sizes are Robbins–Monro per (s, joint a),
Q converges with probability 1 to the unique minimax :math:`Q^*` (Littman & Szepesvári 1996).  Only the values
are unique: the maximiser ``x`` need not be, and the policy read from Q need not converge.

When Q is not zero-sum (``Q_1 ≠ −Q_0``), each agent uses its own maximin value: agent 1 solves the LP on
``Q_1(s)ᵀ`` (Littman 1994 describes the algorithm per agent).  A state where one agent has a single action is
solved without an LP (the value is a max or a min, exactly), and so are stage games with a pure saddle point
and, in the float field, 2×2 games (closed form) and games with up to
:data:`~jalverify.solvers.kernel_enumeration.MAX_ACTIONS` actions per player (Shapley–Snow kernels, accepted
within a stated duality gap, :func:`~jalverify.solvers.kernel_enumeration.kernel_minimax_solve`; HiGHS when no
kernel passes); see :func:`maximin`.  In the learning loop the kernel accepted at a state is tried first the next
time that state is solved (its Q changed in one entry, so the kernel usually still holds).

:func:`minimax_q` returns a :class:`MinimaxQLearner`, whose :meth:`~MinimaxQLearner.learn` and
:meth:`~MinimaxQLearner.advance` run the same loop compiled with numba
(:mod:`jalverify.learners._minimax_q_kernel`, stage games by
:mod:`jalverify.solvers._compiled_kernel_minimax`) under the conditions listed there: the same random draws,
the same stage solutions within float round-off (numpy/HiGHS for any stage game the compiled solver declines),
the same trace.  About 100 times the Python loop's speed on Littman's soccer (``bench/bench_soccer.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber, UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.base import ProgressCallback
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.schedules import ConstantStep, EpsilonGreedy, RobbinsMonro
from jalverify.learners.simulator import Simulator
from jalverify.learners.stage import StageSolution
from jalverify.learners.traces import Trace
from jalverify.numbers import FLOAT, Field
from jalverify.solvers.kernel_enumeration import MAX_ACTIONS, kernel_minimax_solve

__all__ = ["MinimaxConcept", "MinimaxQLearner", "maximin", "maximin_with_kernel", "minimax_q"]

Kernel = tuple[tuple[int, ...], tuple[int, ...]]
"""A Shapley–Snow kernel: its rows and its columns."""


def _indicator(k: int, index: int, field: Field) -> np.ndarray:
    d = field.zeros(k)
    d[index] = field.one
    return d


def maximin(A: np.ndarray, field: Field) -> tuple[Any, np.ndarray, np.ndarray]:
    """``(value, x, y)`` of the matrix game ``A`` (row player maximises): ``x`` a maximin row strategy, ``y`` a
    minimax column strategy.

    Shortcuts, each exact in its field: one-row and one-column matrices (a min or a max; ties to the first
    index); a **pure saddle point** (``max_i min_j A = min_j max_i A``: the pure maximin row and minimax column
    are optimal, von Neumann); in the float field a 2×2 game without saddle point by the closed form
    ``v = (ad − bc)/(a + d − b − c)`` (both strategies fully mixed); in the float field, matrices with at most
    :data:`~jalverify.solvers.kernel_enumeration.MAX_ACTIONS` rows and columns by Shapley–Snow kernel
    enumeration (duality gap at most its default tolerance, ``1e-11 · max(1, max|A|)``).  Otherwise
    :func:`jalverify.solvers.minimax.minimax_value` (HiGHS in the float field, a certified exact LP in the exact
    field).
    """
    value, x, y, _ = maximin_with_kernel(A, field)
    return value, x, y


def maximin_with_kernel(A: np.ndarray, field: Field, hint: Kernel | None = None
                        ) -> tuple[Any, np.ndarray, np.ndarray, Kernel | None]:
    """:func:`maximin` that also returns the Shapley–Snow kernel it accepted (``None`` when the answer came from
    another path) and tries ``hint`` (a kernel of an earlier, nearby matrix) first."""
    m, k = A.shape
    if field.exact:
        rows = [min(A[r, c] for c in range(k)) for r in range(m)]
        cols = [max(A[r, c] for r in range(m)) for c in range(k)]
        i = max(range(m), key=lambda r: (rows[r], -r))
        j = min(range(k), key=lambda c: (cols[c], c))
        lower, upper = rows[i], cols[j]
    else:
        rmin = A.min(axis=1)
        cmax = A.max(axis=0)
        i = int(np.argmax(rmin))
        j = int(np.argmin(cmax))
        lower, upper = rmin[i], cmax[j]
    if m == 1 or k == 1 or lower == upper:
        return A[i, j], _indicator(m, i, field), _indicator(k, j, field), None
    if not field.exact and m == 2 and k == 2:
        a, b, c, d = float(A[0, 0]), float(A[0, 1]), float(A[1, 0]), float(A[1, 1])
        den = a + d - b - c
        if den != 0.0:
            p = (d - c) / den
            q = (d - b) / den
            if 0.0 < p < 1.0 and 0.0 < q < 1.0:
                return (a * d - b * c) / den, np.array([p, 1.0 - p]), np.array([q, 1.0 - q]), None
    if not field.exact and m <= MAX_ACTIONS and k <= MAX_ACTIONS:
        sol = kernel_minimax_solve(A, hint=hint)
        if sol.solved:
            return sol.value, sol.x, sol.y, (sol.rows, sol.cols)
        # no kernel passed the gap test: HiGHS below decides (another correct solver, not a guess)
    from jalverify.solvers.minimax import minimax_value

    value, x, y = minimax_value(A, field=field)
    return value, np.asarray(x, dtype=field.dtype), np.asarray(y, dtype=field.dtype), None


class MinimaxConcept:
    """Stage concept of Minimax-Q (two agents).

    ``solve(q, field, previous=...)`` accepts the earlier solution of the same state (``warm_start``): its
    kernels are tried first; the answer is checked the same way and does not depend on the hint beyond ties.
    """

    name = "minimax"
    warm_start = True

    def solve(self, q: np.ndarray, field: Field, previous: StageSolution | None = None) -> StageSolution:
        hints = previous.info.get("kernels", (None, None)) if previous is not None and not field.exact else (None, None)
        return self.solve_hinted(q, field, hints)

    def solve_hinted(self, q: np.ndarray, field: Field, hints: tuple[Kernel | None, Kernel | None]) -> StageSolution:
        """:meth:`solve` with the kernels to try first given directly (agent 0's on ``Q_0``, agent 1's on
        ``Q_1ᵀ``); hints are ignored in the exact field."""
        if q.shape[0] != 2:
            raise UnsupportedGame(f"MinimaxConcept.solve(): Minimax-Q needs 2 agents, the stage game has {q.shape[0]}")
        A, B = q[0], q[1]
        if field.exact:
            zero_sum = all(b == -a for a, b in zip(A.reshape(-1).tolist(), B.reshape(-1).tolist()))
            hints = (None, None)
        else:
            zero_sum = bool(np.array_equal(B, -A))
        v0, x, y, kernel0 = maximin_with_kernel(A, field, hints[0])
        kernel1 = None
        if zero_sum:
            v1 = -v0
        else:
            v1, y, _, kernel1 = maximin_with_kernel(np.ascontiguousarray(B.T), field, hints[1])
        joint = np.multiply.outer(x, y)
        values = np.array([v0, v1], dtype=field.dtype)
        return StageSolution(joint, values, (x, y), {"zero_sum": zero_sum, "kernels": (kernel0, kernel1)})

    def describe(self) -> dict[str, Any]:
        return {"concept": self.name}


class MinimaxQLearner(JointActionLearner):
    """Minimax-Q: :class:`JointActionLearner` with :class:`MinimaxConcept`, plus a compiled learning loop.

    :meth:`learn` and :meth:`advance` run the steps in :func:`jalverify.learners._minimax_q_kernel.run_steps`
    (numba) when all of these hold — otherwise, and with ``compiled=False``, the Python loop of
    :class:`JointActionLearner` runs (:attr:`engine` says which ran, :attr:`engine_reason` why not compiled):

    * the schedule is a :class:`RobbinsMonro` or :class:`ConstantStep` and the exploration an
      :class:`EpsilonGreedy` (exactly these classes: their formulas are compiled);
    * no stage audit is attached, and the concept is :class:`MinimaxConcept` itself;
    * the simulator is a :class:`Simulator` of a game with this learner's action shapes.

    The compiled loop is the same algorithm with the same semantics (see the kernel module): the same random
    numbers from the same generators in the same order, the same stage solutions cached per state and
    recomputed only for the state whose Q changed (with its last kernel as hint), the same trace (step log,
    episode log, snapshots at the same steps; snapshots are taken in Python from the same learner state).
    Stage games are solved by :func:`jalverify.solvers._compiled_kernel_minimax.maximin_small` (the float
    path of :func:`maximin_with_kernel`, within the same duality-gap tolerance); a stage game it declines is
    solved by :meth:`MinimaxConcept.solve_hinted` (numpy kernels, then HiGHS).  Pure saddle points and 2×2
    closed forms are bit-identical to the Python loop; kernel values agree within float round-off, and within
    the stated gap tolerance where a degenerate stage game has several optimal kernels and the two solvers pick
    different ones.  With ε = 1 (actions independent of Q) the whole trajectory — states, actions, rewards,
    episodes, visit counts — is identical and Q agrees to that precision; with ε < 1 such a difference in a
    mixed strategy can, rarely, move a sampled action across a cumulative boundary, after which the runs
    diverge (both remain Minimax-Q runs of the same seed).

    ``self.q[s]`` and ``self.counts[s]`` are views into one array per quantity, shared with the compiled loop.
    """

    algorithm = "minimax-q"

    def __init__(self, game: StochasticGame, *, compiled: bool = True, **kwargs: Any) -> None:
        super().__init__(game, MinimaxConcept(), algorithm="minimax-q", **kwargs)
        self.compiled = bool(compiled)
        self.engine = "none"
        self.engine_reason = ""
        self._compiled_stage = True  # tests set False: every stage game then goes to the numpy path
        S = self.arrays.n_states
        self._m = np.array([k[0] for k in self.shapes], dtype=np.int64)
        self._n = np.array([k[1] for k in self.shapes], dtype=np.int64)
        M, N = int(self._m.max()), int(self._n.max())
        self._Q = np.zeros((S, 2, M, N))
        self._C = np.zeros((S, M, N), dtype=np.int64)
        for s in range(S):
            self._Q[s, :, : self._m[s], : self._n[s]] = self.q[s]
        self._link_views()
        self._valid = np.zeros(S, dtype=np.uint8)
        self._values = np.zeros((S, 2))
        self._X = np.zeros((S, M))
        self._Y = np.zeros((S, N))
        self._XC = np.zeros((S, M))
        self._YC = np.zeros((S, N))
        self._zero_sum = np.zeros(S, dtype=np.uint8)
        K = max(M, N)
        self._hint_r = np.zeros((S, 2), dtype=np.int64)
        self._hint_rows = np.zeros((S, 2, K), dtype=np.int64)
        self._hint_cols = np.zeros((S, 2, K), dtype=np.int64)
        self._touched = np.zeros(S, dtype=np.uint8)
        # the Python solution (and stale hint solution) the cache arrays hold
        self._mirror: list[StageSolution | None] = [None] * S
        self._stale_mirror: list[StageSolution | None] = [None] * S
        self._pending = np.zeros(6, dtype=np.int64)
        self._pending_r = np.zeros(2)
        self._model: tuple[Simulator, tuple[Any, ...]] | None = None

    def _link_views(self) -> None:
        for s in range(self.arrays.n_states):
            m, n = int(self._m[s]), int(self._n[s])
            self.q[s] = self._Q[s, :, :m, :n]
            self.counts[s] = self._C[s, :m, :n]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_model"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # pickling copies the views one by one: re-create them over the shared arrays
        self.__dict__.update(state)
        for s in range(self.arrays.n_states):
            m, n = int(self._m[s]), int(self._n[s])
            self._Q[s, :, :m, :n] = self.q[s]
            self._C[s, :m, :n] = self.counts[s]
        self._link_views()

    # --- which loop -------------------------------------------------------------------------------
    def _why_not_compiled(self, sim: Simulator) -> str:
        if not self.compiled:
            return "compiled=False"
        if type(self.concept) is not MinimaxConcept:
            return f"concept {type(self.concept).__name__} is not MinimaxConcept"
        if self.audit is not None:
            return "a stage audit is attached"
        if type(self.schedule) not in (RobbinsMonro, ConstantStep):
            return f"schedule {type(self.schedule).__name__} is not RobbinsMonro or ConstantStep"
        if type(self.exploration) is not EpsilonGreedy:
            return f"exploration {type(self.exploration).__name__} is not EpsilonGreedy"
        if type(sim) is not Simulator:
            return f"simulator {type(sim).__name__} is not Simulator"
        if sim.arrays.shapes != self.shapes or sim.arrays.n_players != 2:
            return "the simulator's game has other action shapes than the learner's"
        return ""

    def _game_model(self, sim: Simulator) -> tuple[Any, ...]:
        """The simulator's transitions and rewards in the compiled loop's sparse form (cached per simulator)."""
        if self._model is not None and self._model[0] is sim:
            return self._model[1]
        ar = sim.arrays
        S = ar.n_states
        base = np.zeros(S + 1, dtype=np.int64)
        ptr_parts, idx_parts, cum_parts, r0_parts, r1_parts = [np.zeros(1, dtype=np.int64)], [], [], [], []
        total = 0
        for s in range(S):
            c = ar.cumulative[s]  # (J, S'), last column 1.0
            J = c.shape[0]
            base[s + 1] = base[s] + J
            # searchsorted(side="right") can only return positions where the cumulative row increases
            rises = np.empty(c.shape, dtype=bool)
            rises[:, 0] = c[:, 0] > 0.0
            rises[:, 1:] = c[:, 1:] > c[:, :-1]
            rows, cols = np.nonzero(rises)
            ptr_parts.append(total + np.cumsum(rises.sum(axis=1)))
            total += rows.size
            idx_parts.append(cols.astype(np.int64))
            cum_parts.append(c[rows, cols])
            R = ar.rewards[s].reshape(2, J, S)
            r0_parts.append(R[0][rows, cols])
            r1_parts.append(R[1][rows, cols])
        start = np.cumsum(sim.start_distribution)
        start[-1] = 1.0
        model = (np.ascontiguousarray(base[:-1]), np.concatenate(ptr_parts).astype(np.int64),
                 np.concatenate(idx_parts), np.concatenate(cum_parts), np.concatenate(r0_parts),
                 np.concatenate(r1_parts), start, np.array(ar.terminal, dtype=np.uint8))
        self._model = (sim, model)
        return model

    # --- keeping the Python cache and the compiled cache in step -----------------------------------
    def _load_solution(self, s: int, sol: StageSolution) -> None:
        m, n = int(self._m[s]), int(self._n[s])
        x, y = sol.marginals  # type: ignore[misc]
        self._X[s, :m] = x
        self._Y[s, :n] = y
        cx, cy = self._samplers[s]
        self._XC[s, :m] = cx
        self._YC[s, :n] = cy
        self._values[s] = sol.values
        self._zero_sum[s] = 1 if sol.info["zero_sum"] else 0
        self._load_hints(s, sol)
        self._valid[s] = 1

    def _load_hints(self, s: int, sol: StageSolution | None) -> None:
        kernels = sol.info["kernels"] if sol is not None else (None, None)
        for agent, kernel in enumerate(kernels):
            if kernel is None:
                self._hint_r[s, agent] = 0
            else:
                r = len(kernel[0])
                self._hint_r[s, agent] = r
                self._hint_rows[s, agent, :r] = kernel[0]
                self._hint_cols[s, agent, :r] = kernel[1]

    def _cached_solution(self, s: int) -> StageSolution:
        m, n = int(self._m[s]), int(self._n[s])
        x = self._X[s, :m].copy()
        y = self._Y[s, :n].copy()
        kernels = tuple(None if self._hint_r[s, a] == 0 else
                        (tuple(int(i) for i in self._hint_rows[s, a, : self._hint_r[s, a]]),
                         tuple(int(j) for j in self._hint_cols[s, a, : self._hint_r[s, a]])) for a in range(2))
        return StageSolution(np.multiply.outer(x, y), self._values[s].copy(), (x, y),
                             {"zero_sum": bool(self._zero_sum[s]), "kernels": kernels})

    def _sync_in(self) -> None:
        """Python → compiled: states whose Python solution changed since the last compiled run."""
        sols, stales, mirror, stale_mirror = self._solutions, self._stale, self._mirror, self._stale_mirror
        for s in range(self.arrays.n_states):
            sol, stale = sols[s], stales[s]
            if sol is mirror[s] and stale is stale_mirror[s]:
                continue
            if sol is None:
                self._valid[s] = 0
                self._load_hints(s, stale)
            else:
                self._load_solution(s, sol)
            mirror[s] = sol
            stale_mirror[s] = stale

    def _sync_out(self) -> None:
        """Compiled → Python: states whose solution the compiled run computed or dropped."""
        for s in np.flatnonzero(self._touched).tolist():
            self._touched[s] = 0
            sol = self._cached_solution(s)
            if self._valid[s]:
                self._solutions[s] = sol
                self._samplers[s] = [self._XC[s, : self._m[s]].copy(), self._YC[s, : self._n[s]].copy()]
                self._mirror[s] = sol
            else:
                self._solutions[s] = None
                self._stale[s] = sol
                self._mirror[s] = None
                self._stale_mirror[s] = sol

    def _solve_in_python(self, s: int) -> None:
        """A stage game the compiled solver declined: :meth:`MinimaxConcept.solve_hinted` into both caches."""
        hints = self._cached_solution(s).info["kernels"]
        sol = self.concept.solve_hinted(self.q[s], FLOAT, hints)  # type: ignore[attr-defined]
        self.stage_solves += 1
        self._solutions[s] = sol
        self._samplers[s] = [self._cumulative(m) for m in sol.marginals]  # type: ignore[union-attr]
        self._load_solution(s, sol)
        self._mirror[s] = sol

    @staticmethod
    def _cumulative(p: np.ndarray) -> np.ndarray:
        c = np.cumsum(np.asarray(p, dtype=np.float64))
        c[-1] = 1.0
        return c

    def _run_compiled(self, steps: int, sim: Simulator, k0: int, log: tuple[Any, ...] | None) -> int:
        """``steps`` steps in the compiled loop; returns the number of episodes logged (0 without ``log``)."""
        from jalverify.learners import _minimax_q_kernel as kern
        from jalverify.solvers.kernel_enumeration import DEFAULT_TOLERANCE, MAX_ACTIONS

        (base, ptr, nxt, cum, r0, r1, start, terminal) = self._game_model(sim)
        ep_len = 0 if sim.episode_length is None else int(sim.episode_length)  # 0: no cap
        self._sync_in()
        sched, expl = self.schedule, self.exploration
        rm = type(sched) is RobbinsMonro
        sim_state = np.array([sim.state, sim.episode_step, sim.episodes], dtype=np.int64)
        solves = np.zeros(1, dtype=np.int64)
        if log is None:
            empty_i = np.zeros(0, dtype=np.int32)
            log = (empty_i, empty_i, np.zeros((0, 2)), np.zeros(2), np.ones(1), np.zeros(0, dtype=np.int64),
                   np.zeros((0, 2)), np.zeros(1, dtype=np.int64))
            logging = False
        else:
            logging = True
        done = 0
        try:
            while done < steps:
                cut = done if logging else 0
                ran, need = kern.run_steps(
                    steps - done, self.steps_done, k0 + done,
                    self._m, self._n, terminal, base, ptr, nxt, cum, r0, r1, start, ep_len,
                    self.gamma, self.reward_scale, rm, float(sched.omega) if rm else 1.0,  # type: ignore[attr-defined]
                    float(sched.scale) if rm else 1.0, float(sched.offset) if rm else 0.0,  # type: ignore[attr-defined]
                    0.0 if rm else float(sched.alpha),  # type: ignore[attr-defined]
                    float(expl.epsilon), float(expl.decay), float(expl.minimum),
                    self._Q, self._C, self._valid, self._values, self._X, self._Y, self._XC, self._YC,
                    self._zero_sum, self._hint_r, self._hint_rows, self._hint_cols, self._touched, solves,
                    self._compiled_stage, DEFAULT_TOLERANCE, MAX_ACTIONS, self.rng, sim.rng, sim_state,
                    self._pending, self._pending_r,
                    logging, log[0][cut:], log[1][cut:], log[2][cut:], *log[3:])
                done += ran
                self.steps_done += ran
                if need >= 0:
                    self._solve_in_python(need)
        finally:
            sim.state, sim.episode_step, sim.episodes = (int(v) for v in sim_state)
            self.stage_solves += int(solves[0])
            self._sync_out()
        self.engine = "compiled"
        return int(log[-1][0]) if logging else 0

    # --- the loops --------------------------------------------------------------------------------
    def advance(self, steps: int, simulator: Simulator) -> None:
        """Run ``steps`` interactions without recording a trace (what :meth:`learn` does, minus the trace):
        for long runs that only read ``q``, ``counts`` and ``stage_solves`` now and then."""
        if steps < 0:
            raise InvalidNumber(f"MinimaxQLearner.advance(): steps must be >= 0, got {steps!r}")
        self.engine_reason = self._why_not_compiled(simulator)
        if self.engine_reason:
            for _ in range(steps):
                tr = simulator.step(self.act(simulator.state, self.steps_done))
                self.update(tr)
                self.steps_done += 1
            self.engine = "python"
            return
        self._run_compiled(steps, simulator, 0, None)

    def learn(self, steps: int, simulator: Simulator | None = None, *, record_every: int | None = None,
              reference_q: list[np.ndarray] | None = None, progress: ProgressCallback | None = None,
              header: dict[str, Any] | None = None) -> Trace:
        """:meth:`TabularLearner.learn` (same parameters, same trace), in the compiled loop when possible."""
        sim = simulator if simulator is not None else Simulator(self.game, self.seed + 1)
        self.engine_reason = self._why_not_compiled(sim)
        if self.engine_reason:
            self.engine = "python"
            return super().learn(steps, sim, record_every=record_every, reference_q=reference_q, progress=progress,
                                 header=header)
        rec, every = self.start_trace(steps, sim, record_every, reference_q, header)
        tick = max(1, steps // 100)
        ret = np.zeros(self.n_agents)
        disc = np.ones(1)
        k = 0
        while k < steps:
            stop = min(steps, (k // every + 1) * every)
            if progress is not None:
                stop = min(stop, (k // tick + 1) * tick)
            chunk = stop - k
            ep_steps = np.zeros(chunk, dtype=np.int64)
            ep_returns = np.zeros((chunk, 2))
            ep_count = np.zeros(1, dtype=np.int64)
            log = (rec.step_states[k:stop], rec.step_actions[k:stop], rec.step_rewards[k:stop], ret, disc,
                   ep_steps, ep_returns, ep_count)
            episodes = self._run_compiled(chunk, sim, k, log)
            rec.n = stop
            rec.episode_end_steps.extend(ep_steps[:episodes].tolist())
            rec.episode_returns.extend(list(ep_returns[:episodes].copy()))
            k = stop
            if k % every == 0 or k == steps:
                rec.snapshot(k, self.q_tables(), self.policies(), self.counts)
            if progress is not None and (k % tick == 0 or k == steps):
                progress(k, steps)
        return rec.finish(self.audit_arrays())


def minimax_q(game: StochasticGame, **kwargs: Any) -> MinimaxQLearner:
    """A Minimax-Q learner on a two-player game (keyword arguments go to :class:`MinimaxQLearner` and
    :class:`JointActionLearner`).

    Raises
    ------
    UnsupportedGame
        The game does not have two players.
    """
    if game.n_players != 2:
        raise UnsupportedGame(f"minimax_q(): Minimax-Q needs a two-player game, {game.name or 'the game'} has "
                              f"{game.n_players}")
    return MinimaxQLearner(game, **kwargs)
