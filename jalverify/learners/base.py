r"""The learning loop shared by the tabular learners.

:class:`TabularLearner` runs ``steps`` interactions with a :class:`~jalverify.learners.simulator.Simulator`:
choose a joint action, sample the transition, apply the learner's update, log the step, and take a snapshot
every ``record_every`` steps into a :class:`~jalverify.learners.traces.Trace`.  Subclasses define the update
(:mod:`jalverify.learners.jal_gt` for JAL-GT, :mod:`jalverify.learners.independent_q` for the baseline).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro, StepSchedule
from jalverify.learners.simulator import Simulator, Transition, game_arrays
from jalverify.learners.traces import Trace, TraceRecorder

__all__ = ["ProgressCallback", "TabularLearner"]

ProgressCallback = Callable[[int, int], None]


class TabularLearner:
    """Common state of a tabular multi-agent learner.

    Parameters
    ----------
    game : StochasticGame
    schedule : StepSchedule
        Step size per visit count (counted per state and joint action, or per state and own action for
        independent learners).
    exploration : EpsilonGreedy
    seed : int
        Seed of the learner's own generator (action sampling and exploration); the simulator has its own.
    """

    algorithm = "tabular"

    def __init__(self, game: StochasticGame, *, schedule: StepSchedule | None = None,
                 exploration: EpsilonGreedy | None = None, seed: int = 0) -> None:
        self.game = game
        self.arrays = game_arrays(game)
        self.schedule = schedule if schedule is not None else RobbinsMonro()
        self.exploration = exploration if exploration is not None else EpsilonGreedy(0.1)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.n_agents = game.n_players
        self.shapes = self.arrays.shapes
        self.gamma = self.arrays.gamma
        self.counts = [np.zeros(k, dtype=np.int64) for k in self.shapes]
        self.steps_done = 0

    # --- to be provided by subclasses -------------------------------------------------------------
    def act(self, state: int, step: int) -> tuple[int, ...]:
        raise NotImplementedError

    def update(self, transition: Transition) -> None:
        raise NotImplementedError

    def q_tables(self) -> list[np.ndarray]:
        """Joint-action Q per state, arrays of shape ``(n, *k_s)``."""
        raise NotImplementedError

    def policies(self) -> list[np.ndarray]:
        """Current greedy joint policy per state (distribution over joint actions, shape ``k_s``)."""
        raise NotImplementedError

    def policy_parts(self) -> list[Any]:
        """The current greedy policy per state: a tuple of per-agent distributions when the agents randomise
        independently, else one joint distribution (shape ``k_s``).  Default: the joint distributions of
        :meth:`policies` (read as correlated); learners with independent play override it."""
        return [np.asarray(p) for p in self.policies()]

    def describe(self) -> dict[str, Any]:
        return {"algorithm": self.algorithm, "schedule": self.schedule.describe(),
                "exploration": self.exploration.describe(), "seed": self.seed}

    def audit_arrays(self) -> dict[str, np.ndarray]:
        return {}

    # --- the loop ---------------------------------------------------------------------------------
    def start_trace(self, steps: int, sim: Simulator, record_every: int | None,
                    reference_q: list[np.ndarray] | None, header: dict[str, Any] | None) -> tuple[TraceRecorder, int]:
        """Check ``steps`` and ``record_every``, and open the trace of a :meth:`learn` run: its header (the learner's
        description, the game, the simulator's start and episode length, ``header``) and the snapshot at step 0 of
        a fresh learner.  Shared by every loop that records the same trace (the compiled Minimax-Q loop too).

        Returns
        -------
        (TraceRecorder, int)
            The recorder and the snapshot interval.
        """
        if steps < 0:
            raise InvalidNumber(f"{type(self).__name__}.learn(): steps must be >= 0, got {steps!r}")
        every = record_every if record_every is not None else max(1, steps // 100)
        if every < 1:
            raise InvalidNumber(f"{type(self).__name__}.learn(): record_every must be >= 1, got {every!r}")
        g = self.game
        head = {
            **self.describe(),
            "game": g.name, "players": list(g.players), "states": list(g.states),
            "actions": [[list(a) for a in acts] for acts in g.actions], "gamma": float(g.gamma),
            "n_states": g.n_states, "steps": steps, "record_every": every,
            "start": sim.start_distribution.tolist(), "episode_length": sim.episode_length,
            **(header or {}),
        }
        rec = TraceRecorder(head, self.shapes, self.n_agents, steps, reference_q)
        if self.steps_done == 0 and steps > 0:
            rec.snapshot(0, self.q_tables(), self.policies(), self.counts)
        return rec, every

    def learn(self, steps: int, simulator: Simulator | None = None, *, record_every: int | None = None,
              reference_q: list[np.ndarray] | None = None, progress: ProgressCallback | None = None,
              header: dict[str, Any] | None = None) -> Trace:
        """Run ``steps`` interactions and return the trace.

        Parameters
        ----------
        steps : int
        simulator : Simulator, optional
            Default: ``Simulator(game, seed=self.seed + 1, start="initial")``.
        record_every : int, optional
            Snapshot interval (default: ``max(1, steps // 100)``); a snapshot is also taken after the last step.
        reference_q : list of arrays, optional
            A known Q* (float, per state ``(n, *k_s)``); the trace then records the max-norm error.
        progress : callable, optional
            Called as ``progress(done, steps)`` about 100 times.
        """
        sim = simulator if simulator is not None else Simulator(self.game, self.seed + 1)
        rec, every = self.start_trace(steps, sim, record_every, reference_q, header)
        ret = np.zeros(self.n_agents)
        disc = 1.0
        tick = max(1, steps // 100)
        shapes = self.shapes
        gamma = self.gamma
        for k in range(steps):
            s = sim.state
            a = self.act(s, self.steps_done)
            tr = sim.step(a)
            self.update(tr)
            self.steps_done += 1
            rec.log_step(s, int(np.ravel_multi_index(a, shapes[s])), tr.rewards)
            ret += disc * tr.rewards
            disc *= gamma
            if tr.episode_end:
                rec.log_episode(k + 1, ret)
                ret = np.zeros(self.n_agents)
                disc = 1.0
            if (k + 1) % every == 0 or k + 1 == steps:
                rec.snapshot(k + 1, self.q_tables(), self.policies(), self.counts)
            if progress is not None and ((k + 1) % tick == 0 or k + 1 == steps):
                progress(k + 1, steps)
        return rec.finish(self.audit_arrays())
