r"""Learning traces: the raw material for the convergence criteria (book §5.2, pp.92–94).

A :class:`Trace` holds, for one learning run:

* **snapshots** every ``record_every`` steps (and at the end): the step number, every agent's joint-action Q
  per state (shape ``(T, n, *k_s)``), the learner's current greedy joint policy per state (shape
  ``(T, *k_s)``; for a correlated solution the joint distribution, otherwise the product of the agents'
  distributions), the visit counts per (state, joint action) (shape ``(T, *k_s)``) and, when a reference Q*
  is known, the error ``max_{j,s,a} |Q_j(s,a) − Q*_j(s,a)|``;
* the **step log**: state, flat joint action index and rewards of every step;
* the **episode log**: the step at which each episode ended and its discounted return per agent;
* an optional **audit** (e.g. the Nash-Q condition audit) as named arrays.

:meth:`Trace.save` writes one compressed ``.npz`` file whose entry ``header`` is a small JSON document (game
shape, algorithm, parameters, seed); :func:`load_trace` reads it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from jalverify.errors import InvalidFile

__all__ = ["TRACE_FORMAT", "Trace", "TraceRecorder", "json_default", "load_trace"]

TRACE_FORMAT = "jalverify-trace/1"


@dataclass
class Trace:
    """A recorded learning run (see the module docstring for every field's shape)."""

    header: dict[str, Any]
    snapshot_steps: np.ndarray
    q: list[np.ndarray]
    policies: list[np.ndarray]
    visits: list[np.ndarray]
    error: np.ndarray | None
    step_states: np.ndarray
    step_actions: np.ndarray
    step_rewards: np.ndarray
    episode_end_steps: np.ndarray
    episode_returns: np.ndarray
    audit: dict[str, np.ndarray] = field(default_factory=dict)

    # --- derived views ----------------------------------------------------------------------------
    @property
    def n_snapshots(self) -> int:
        return int(self.snapshot_steps.shape[0])

    @property
    def n_states(self) -> int:
        return len(self.policies)

    @property
    def shapes(self) -> tuple[tuple[int, ...], ...]:
        """Joint action shape ``k_s`` of every state."""
        return tuple(tuple(p.shape[1:]) for p in self.policies)

    @property
    def n_steps(self) -> int:
        return int(self.step_states.shape[0])

    def marginals(self, state: int) -> list[np.ndarray]:
        """Per-agent marginals of the recorded joint policies at ``state``: list of ``(T, k_i)`` arrays."""
        p = self.policies[state]
        n = p.ndim - 1
        return [p.sum(axis=tuple(1 + j for j in range(n) if j != i)) for i in range(n)]

    def empirical_counts(self, state: int) -> np.ndarray:
        """Cumulative counts of played joint actions at ``state`` at every snapshot, shape ``(T, *k_s)``."""
        k = self.shapes[state]
        J = int(np.prod(k))
        out = np.zeros((self.n_snapshots, J), dtype=np.int64)
        mask = self.step_states == state
        steps_here = np.nonzero(mask)[0]
        acts = self.step_actions[mask]
        for t, upto in enumerate(self.snapshot_steps):
            sel = steps_here < upto
            out[t] = np.bincount(acts[sel], minlength=J)
        return out.reshape((self.n_snapshots,) + k)

    def empirical_distributions(self, state: int) -> np.ndarray:
        """Empirical distribution of played joint actions at ``state`` per snapshot (uniform where unseen,
        book §5.2), shape ``(T, *k_s)``."""
        c = self.empirical_counts(state).astype(np.float64)
        k = self.shapes[state]
        axes = tuple(range(1, 1 + len(k)))
        tot = c.sum(axis=axes, keepdims=True)
        uniform = np.full_like(c, 1.0 / max(1, int(np.prod(k))))
        return np.where(tot > 0, c / np.where(tot > 0, tot, 1.0), uniform)

    def averaged_policies(self, state: int) -> np.ndarray:
        """Running average ``π̄^z = (1/z) Σ_{e ≤ z} π^e`` of the recorded policies at ``state``."""
        p = self.policies[state]
        z = np.arange(1, p.shape[0] + 1, dtype=np.float64).reshape((-1,) + (1,) * (p.ndim - 1))
        return np.cumsum(p, axis=0) / z

    # --- persistence ------------------------------------------------------------------------------
    def save(self, path: str | Path | BinaryIO) -> Path | BinaryIO:
        """Write the trace as one compressed ``.npz`` file with an embedded JSON header (``path`` may also be an
        open binary file, e.g. :class:`io.BytesIO`)."""
        arrays: dict[str, np.ndarray] = {
            "header": np.array(json.dumps({"format": TRACE_FORMAT, **self.header}, default=json_default)),
            "snapshot_steps": self.snapshot_steps,
            "step_states": self.step_states,
            "step_actions": self.step_actions,
            "step_rewards": self.step_rewards,
            "episode_end_steps": self.episode_end_steps,
            "episode_returns": self.episode_returns,
        }
        if self.error is not None:
            arrays["error"] = self.error
        for s in range(self.n_states):
            arrays[f"q_{s}"] = self.q[s]
            arrays[f"policy_{s}"] = self.policies[s]
            arrays[f"visits_{s}"] = self.visits[s]
        for name, arr in self.audit.items():
            arrays[f"audit_{name}"] = arr
        if not isinstance(path, (str, Path)):
            np.savez_compressed(path, **arrays)
            return path
        target = Path(path)
        with target.open("wb") as fh:
            np.savez_compressed(fh, **arrays)
        return target


def json_default(obj: Any) -> Any:
    """``default=`` for :func:`json.dump`: numpy integers, floats and arrays as plain JSON, anything else as str."""
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def load_trace(path: str | Path) -> Trace:
    """Read a trace written by :meth:`Trace.save`.

    Raises
    ------
    InvalidFile
        The file is not a jalverify trace, or entries are missing (the message names the entry).
    """
    path = Path(path)
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise InvalidFile(f"load_trace(): {path}: not a readable .npz file ({exc})") from exc
    with data:
        if "header" not in data:
            raise InvalidFile(f"load_trace(): {path}: no 'header' entry; not a jalverify trace")
        try:
            header = json.loads(str(data["header"]))
        except json.JSONDecodeError as exc:
            raise InvalidFile(f"load_trace(): {path}: header is not JSON ({exc})") from exc
        if header.get("format") != TRACE_FORMAT:
            raise InvalidFile(f"load_trace(): {path}: format {header.get('format')!r}, expected {TRACE_FORMAT!r}")
        n_states = int(header["n_states"])

        def need(name: str) -> np.ndarray:
            if name not in data:
                raise InvalidFile(f"load_trace(): {path}: entry {name!r} missing")
            return data[name]

        audit = {k[len("audit_"):]: data[k] for k in data.files if k.startswith("audit_")}
        return Trace(
            header=header,
            snapshot_steps=need("snapshot_steps"),
            q=[need(f"q_{s}") for s in range(n_states)],
            policies=[need(f"policy_{s}") for s in range(n_states)],
            visits=[need(f"visits_{s}") for s in range(n_states)],
            error=data["error"] if "error" in data else None,
            step_states=need("step_states"),
            step_actions=need("step_actions"),
            step_rewards=need("step_rewards"),
            episode_end_steps=need("episode_end_steps"),
            episode_returns=need("episode_returns"),
            audit=audit,
        )


class TraceRecorder:
    """Accumulates a trace during learning (preallocated step log; snapshots appended)."""

    def __init__(self, header: dict[str, Any], shapes: tuple[tuple[int, ...], ...], n_agents: int, steps: int,
                 reference_q: list[np.ndarray] | None = None) -> None:
        self.header = dict(header)
        self.header.setdefault("n_states", len(shapes))
        self.shapes = shapes
        self.n_agents = n_agents
        self.reference_q = reference_q
        self.snapshot_steps: list[int] = []
        self.q: list[list[np.ndarray]] = [[] for _ in shapes]
        self.policies: list[list[np.ndarray]] = [[] for _ in shapes]
        self.visits: list[list[np.ndarray]] = [[] for _ in shapes]
        self.error: list[float] = []
        self.step_states = np.empty(steps, dtype=np.int32)
        self.step_actions = np.empty(steps, dtype=np.int32)
        self.step_rewards = np.empty((steps, n_agents), dtype=np.float64)
        self.n = 0
        self.episode_end_steps: list[int] = []
        self.episode_returns: list[np.ndarray] = []

    def log_step(self, state: int, flat_action: int, rewards: np.ndarray) -> None:
        k = self.n
        self.step_states[k] = state
        self.step_actions[k] = flat_action
        self.step_rewards[k] = rewards
        self.n = k + 1

    def log_episode(self, end_step: int, discounted_return: np.ndarray) -> None:
        self.episode_end_steps.append(end_step)
        self.episode_returns.append(np.array(discounted_return, dtype=np.float64))

    def snapshot(self, step: int, q: list[np.ndarray], policies: list[np.ndarray], visits: list[np.ndarray]) -> None:
        self.snapshot_steps.append(step)
        for s in range(len(self.shapes)):
            self.q[s].append(np.array(q[s], dtype=np.float64))
            self.policies[s].append(np.array(policies[s], dtype=np.float64))
            self.visits[s].append(np.array(visits[s], dtype=np.int64))
        if self.reference_q is not None:
            self.error.append(max(float(np.max(np.abs(q[s] - self.reference_q[s]))) for s in range(len(self.shapes))))

    def finish(self, audit: dict[str, np.ndarray] | None = None) -> Trace:
        n = self.n
        return Trace(
            header=self.header,
            snapshot_steps=np.asarray(self.snapshot_steps, dtype=np.int64),
            q=[np.stack(x) for x in self.q],
            policies=[np.stack(x) for x in self.policies],
            visits=[np.stack(x) for x in self.visits],
            error=np.asarray(self.error, dtype=np.float64) if self.reference_q is not None else None,
            step_states=self.step_states[:n].copy(),
            step_actions=self.step_actions[:n].copy(),
            step_rewards=self.step_rewards[:n].copy(),
            episode_end_steps=np.asarray(self.episode_end_steps, dtype=np.int64),
            episode_returns=(np.stack(self.episode_returns) if self.episode_returns
                             else np.zeros((0, self.n_agents), dtype=np.float64)),
            audit=dict(audit or {}),
        )
