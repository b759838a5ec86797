"""A running episode of a :class:`~jalverify.envs.model.GameModel`: the seeded generator, the current state and
the step count, and the end-of-episode rule shared by both environments of :mod:`jalverify.envs`.

End of an episode after a step into ``s'`` at step count ``t``:

* **terminated** when ``s'`` is a terminal state of the game, or the game is a normal-form game played once
  (no horizon);
* **truncated** when it is not terminated and ``t`` reached the horizon.

At most one of the two is true.  Seeding follows Gymnasium/PettingZoo: ``reset(seed=k)`` replaces the generator by
``numpy.random.default_rng(k)``; ``reset()`` continues the current generator (the one made from the
environment's ``seed`` argument at construction, or by the last seeded reset).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np

from jalverify.envs.model import GameModel
from jalverify.envs.record import PlayRecord
from jalverify.errors import IllegalAction, InvalidOption

__all__ = ["RENDER_MODES", "Episode", "check_render_mode", "check_seed", "env_metadata"]

#: Render modes of the environments (besides ``None``): ``"ansi"`` returns one line naming the state.
RENDER_MODES = ("ansi",)


def check_seed(seed: Any, where: str) -> int | None:
    """``seed`` as accepted by :func:`numpy.random.default_rng` here: ``None`` or a non-negative integer."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (Integral, np.integer)) or int(seed) < 0:
        raise InvalidOption(f"{where}: seed must be a non-negative integer or None, got {seed!r}")
    return int(seed)


def check_render_mode(render_mode: Any, where: str) -> str | None:
    if render_mode is not None and render_mode not in RENDER_MODES:
        raise InvalidOption(f"{where}: render_mode must be None or one of {list(RENDER_MODES)}, got {render_mode!r}")
    return render_mode


def env_metadata(model: GameModel, *, parallelizable: bool) -> dict[str, Any]:
    """The ``metadata`` dict of an environment of ``model``'s game (keys documented in :mod:`jalverify.envs`)."""
    return {
        "name": f"jalverify/{model.game.name or 'game'}",
        "render_modes": list(RENDER_MODES),
        "is_parallelizable": parallelizable,
        "gamma": model.gamma_text,
        "horizon": model.horizon,
        "one_shot": model.one_shot,
    }


def play_record(model: GameModel, wanted: bool, where: str) -> PlayRecord | None:
    """A fresh :class:`PlayRecord` for ``model`` when ``wanted`` (the ``record_play`` option, which must be a bool)."""
    if not isinstance(wanted, bool):
        raise InvalidOption(f"{where}: record_play must be True or False, got {wanted!r}")
    return PlayRecord(model.counts) if wanted else None


class Episode:
    """The current episode: generator, state index, steps taken, whether it is running.

    Parameters
    ----------
    model : GameModel
    seed : int or None
        Seed of the generator (``None``: fresh entropy from the operating system).
    record : PlayRecord, optional
        Where every step's state and joint action is recorded (``record_play=True`` of the environments).
    """

    def __init__(self, model: GameModel, seed: int | None, record: PlayRecord | None = None) -> None:
        self.model = model
        self.record = record
        self.rng = np.random.default_rng(check_seed(seed, model.where))
        self.state = -1
        self.steps = 0
        self.running = False
        self.started = False

    def reset(self, seed: Any = None) -> int:
        """Start an episode (reseeding first when ``seed`` is given); returns the start state."""
        checked = check_seed(seed, f"{self.model.where} reset()")
        if checked is not None:
            self.rng = np.random.default_rng(checked)
        self.state = self.model.sample_start(self.rng)
        if self.record is not None:
            self.record.start_episode()
        self.steps = 0
        self.running = True
        self.started = True
        return self.state

    def require_running(self) -> None:
        if not self.started:
            raise IllegalAction(f"{self.model.where}: step() before reset(); call reset() first")
        if not self.running:
            raise IllegalAction(f"{self.model.where}: the episode is over (state {self.model.states[self.state]!r} "
                                f"after {self.steps} steps); call reset() to start another")

    def advance(self, joint: Sequence[int]) -> tuple[list[float], bool, bool]:
        """Play the (checked) joint action: ``(rewards, terminated, truncated)``; the state moves on."""
        m = self.model
        if self.record is not None:
            self.record.add(self.state, joint)
        nxt, rewards = m.sample(self.rng, self.state, joint)
        self.state = nxt
        self.steps += 1
        terminated = m.terminal[nxt] or m.one_shot
        truncated = not terminated and m.horizon is not None and self.steps >= m.horizon
        self.running = not (terminated or truncated)
        return rewards, terminated, truncated

    def render_text(self) -> str:
        m = self.model
        if not self.started:
            return "no episode yet (call reset())"
        end = "" if self.running else ", episode over"
        return f"state {m.states[self.state]} (step {self.steps}{end})"
