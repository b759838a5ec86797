"""Campaign specifications: the grid of a learning experiment, read from a TOML file and checked in full.

A campaign names games × algorithms × seeds and one step budget (issue 12)::

    name = "minimax-q-two-state"
    games = ["catalog:matching_pennies", "games/two_state.json"]   # catalog names, .json or .nfg files
    algorithms = ["minimax-q", "foe-q", "iql"]                      # jalverify.learners.by_name.ALGORITHMS
    seeds = { start = 0, count = 16 }
    steps = 200000
    checkpoints = 50                 # evenly spaced, plus the end
    gamma = "9/10"                   # normal-form games played repeatedly; a stochastic game keeps its own
    epsilon = "1/20"                 # the tolerance of the convergence notions
    window = 10                      # final checkpoints the notions are judged on (default: a fifth, at most 10)
    [learner]                        # as the options of `jalverify learn`
    schedule = "rm:0.7"
    explore = "1"

Every value is checked when the file is read, and bad input is one :class:`~jalverify.errors.InvalidFile` naming
the key (``learner.schedule``), the value and what is allowed; nothing runs on a half-read campaign.  A run is
identified by :class:`RunKey` (game reference, algorithm, seed and every parameter that changes its numbers);
its :meth:`RunKey.digest` is what a resumed campaign uses to skip finished runs, so it does not depend on the order
of the keys in the file.  TOML is read with :mod:`tomllib` (Python ≥ 3.11, TOML 1.0.0).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile, InvalidNumber

__all__ = ["CampaignSpec", "GameSource", "LearnerOptions", "RunKey", "learner_objects", "load_campaign", "parse_campaign"]

#: Limits that keep a campaign file from asking for more than a campaign can mean (bad input beyond them).
MAX_GAMES = 1000
MAX_SEEDS = 100_000
MAX_STEPS = 10**10
MAX_CHECKPOINTS = 10_000

_TOP_KEYS = ("name", "games", "algorithms", "seeds", "steps", "checkpoints", "window", "gamma", "epsilon", "learner")
_REQUIRED = ("name", "games", "algorithms", "seeds", "steps")


@dataclass(frozen=True)
class LearnerOptions:
    """Options passed to every learner of the campaign, named as the options of ``jalverify learn``."""

    schedule: str = "rm:0.7"
    explore: str = "1"
    episode_length: int = 10
    start: str = "uniform"
    selection: str = "first"
    require: str | None = None
    reward_scaling: bool = False


@dataclass(frozen=True)
class GameSource:
    """A campaign's game: as the campaign names it, where it is read from, and what its content is.

    Attributes
    ----------
    reference : str
        As written in the campaign file (``catalog:soccer``, ``games/two_state.json``): how runs are grouped and
        shown.
    location : str
        What the runs read: the catalog reference, or the file's absolute path.
    content : str
        ``"catalog"`` for a catalog game (fixed by its name), else the SHA-256 of the file's bytes: a run is
        resumed only while its game file is unchanged, whatever folder the campaign is run from.
    """

    reference: str
    location: str
    content: str


@dataclass(frozen=True)
class RunKey:
    """Everything that determines one run's numbers: the same key gives the same run on any executor.

    The game enters :meth:`digest` by its reference and content, not by its location, so the same campaign run from
    another folder (or on another machine) resumes the same runs.
    """

    game: str
    game_content: str
    algorithm: str
    seed: int
    steps: int
    checkpoints: int
    window: int
    gamma: str | None
    epsilon: str
    learner: LearnerOptions
    game_location: str = ""

    def digest(self) -> str:
        """A stable 16-hex-digit name of the run (SHA-256 of its canonical JSON, without the game's location)."""
        identity = {k: v for k, v in asdict(self).items() if k != "game_location"}
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CampaignSpec:
    """A checked campaign: its grid and shared parameters."""

    name: str
    games: tuple[str, ...]
    game_sources: tuple[GameSource, ...]
    algorithms: tuple[str, ...]
    seeds: tuple[int, ...]
    steps: int
    checkpoints: int
    window: int
    gamma: Fraction | None
    epsilon: Fraction
    learner: LearnerOptions = field(default_factory=LearnerOptions)

    def runs(self) -> list[RunKey]:
        """Every run of the grid, games × algorithms × seeds, in that order."""
        gamma = None if self.gamma is None else str(self.gamma)
        return [RunKey(game.reference, game.content, algorithm, seed, self.steps, self.checkpoints, self.window, gamma,
                       str(self.epsilon), self.learner, game.location)
                for game in self.game_sources for algorithm in self.algorithms for seed in self.seeds]


def _bad(where: str, message: str) -> InvalidFile:
    return InvalidFile(f"{where}: {message}")


def _int_in(where: str, key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(where, f"{key} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise _bad(where, f"{key} must be between {low} and {high}, got {value}")
    return value


def _fraction(where: str, key: str, value: Any) -> Fraction:
    from jalverify.numbers import parse_number

    if isinstance(value, float):
        raise _bad(where, f"{key} must be exact: write it as a string such as \"9/10\" or \"0.9\", got {value!r}")
    try:
        return parse_number(value, where=f"{where} {key}")
    except InvalidNumber as exc:
        raise _bad(where, f"{key}: {exc}") from None


def _strings(where: str, key: str, value: Any, *, limit: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _bad(where, f"{key} must be a non-empty list of non-empty strings, got {value!r}")
    if len(value) > limit:
        raise _bad(where, f"{key} has {len(value)} entries; at most {limit}")
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        raise _bad(where, f"{key} lists {duplicates[0]!r} twice")
    return tuple(value)


def _game_source(where: str, reference: str, base: Path | None) -> GameSource:
    """A catalog game by its name; a file resolved against the campaign's folder (it must exist), with the hash of
    its bytes."""
    if reference.startswith("catalog:"):
        from jalverify.games import catalog

        if reference[len("catalog:"):] not in catalog.names():
            raise _bad(where, f"games: unknown catalog game {reference!r}; catalog: {', '.join(catalog.names())}")
        return GameSource(reference, reference, "catalog")
    path = Path(reference)
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.is_file():
        raise _bad(where, f"games: no such file {reference!r} (looked at {path})")
    try:
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise _bad(where, f"games: cannot read {reference!r} ({exc.strerror or exc})") from None
    return GameSource(reference, str(path.resolve()), content)


_SELECTIONS = ("first", "utilitarian", "egalitarian")
_REQUIRE = ("global_optimum", "saddle_point")


def _learner(where: str, table: Any, algorithms: tuple[str, ...]) -> LearnerOptions:
    """The ``[learner]`` table, every value checked as ``jalverify learn`` checks its flag; an option that applies
    to none of the campaign's algorithms is refused (it would be silently ignored)."""
    from jalverify.learners.by_name import CE_SELECTIONS

    if not isinstance(table, Mapping):
        raise _bad(where, f"[learner] must be a table, got {table!r}")
    known = {f: type(getattr(LearnerOptions(), f)) for f in LearnerOptions.__dataclass_fields__}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in known:
            raise _bad(where, f"unknown key learner.{key}; known: {', '.join(sorted(known))}")
        if name == "episode_length":
            values[name] = _int_in(where, "learner.episode_length", value, 1, MAX_STEPS)
        elif name == "reward_scaling":
            if not isinstance(value, bool):
                raise _bad(where, f"learner.reward_scaling must be true or false, got {value!r}")
            values[name] = value
        elif not isinstance(value, str):
            raise _bad(where, f"learner.{key} must be a string (as on the jalverify learn command line), got {value!r}")
        else:
            values[name] = value
    options = LearnerOptions(**values)
    try:
        learner_objects(options)
    except InvalidNumber as exc:
        raise _bad(where, str(exc)) from None
    for key, allowed in (("selection", _SELECTIONS), ("require", _REQUIRE)):
        if key in values and values[key] not in allowed:
            raise _bad(where, f"learner.{key} must be one of {', '.join(allowed)}, got {values[key]!r}")
        if key in values and "nash-q" not in algorithms:
            raise _bad(where, f"learner.{key} applies to nash-q only, and the campaign does not run it")
    if "reward_scaling" in values and not any(a in CE_SELECTIONS for a in algorithms):
        raise _bad(where, "learner.reward_scaling applies to the CE-Q learners only, and the campaign runs none")
    return options


def learner_objects(options: LearnerOptions) -> tuple[Any, Any]:
    """``(schedule, exploration)`` of ``options``, as ``jalverify learn`` builds them from ``--schedule`` and
    ``--explore``.

    Raises
    ------
    InvalidNumber
        Naming ``learner.schedule`` or ``learner.explore`` and the value.
    """
    import math

    from jalverify.errors import JalverifyError
    from jalverify.learners.schedules import EpsilonGreedy, step_schedule_named

    try:
        schedule = step_schedule_named(options.schedule)
    except JalverifyError as exc:
        raise InvalidNumber(f"learner.schedule {options.schedule!r}: {exc}") from None
    try:
        explore = float(options.explore)
    except ValueError:
        explore = math.nan
    if not (0.0 <= explore <= 1.0):
        raise InvalidNumber(f"learner.explore must be a number in [0, 1], got {options.explore!r}")
    return schedule, EpsilonGreedy(explore)


def parse_campaign(document: Mapping[str, Any], *, where: str = "campaign", base: Path | None = None) -> CampaignSpec:
    """Check a campaign read from TOML (a mapping) and return it.

    Parameters
    ----------
    document : mapping
        The parsed TOML document.
    where : str
        Named in every error (the file's path).
    base : Path, optional
        The folder relative game files are resolved against (the campaign file's folder).

    Raises
    ------
    InvalidFile
        Any key unknown, missing or out of range; the message names the key and the value.
    """
    from jalverify.learners.by_name import ALGORITHMS

    unknown = [k for k in document if k not in _TOP_KEYS]
    if unknown:
        raise _bad(where, f"unknown key {unknown[0]!r}; keys are {', '.join(_TOP_KEYS)}")
    missing = [k for k in _REQUIRED if k not in document]
    if missing:
        raise _bad(where, f"missing key {missing[0]!r} (required: {', '.join(_REQUIRED)})")
    name = document["name"]
    if not isinstance(name, str) or not name.strip():
        raise _bad(where, f"name must be a non-empty string, got {name!r}")
    sources = tuple(_game_source(where, g, base) for g in _strings(where, "games", document["games"], limit=MAX_GAMES))
    algorithms = _strings(where, "algorithms", document["algorithms"], limit=len(ALGORITHMS))
    for algorithm in algorithms:
        if algorithm not in ALGORITHMS:
            raise _bad(where, f"algorithms: unknown learner {algorithm!r}; learners are {', '.join(ALGORITHMS)}")
    seeds_table = document["seeds"]
    if not isinstance(seeds_table, Mapping) or set(seeds_table) != {"start", "count"}:
        raise _bad(where, f"seeds must be a table {{ start = S, count = N }}, got {seeds_table!r}")
    start = _int_in(where, "seeds.start", seeds_table["start"], 0, 2**32 - 1)
    count = _int_in(where, "seeds.count", seeds_table["count"], 1, MAX_SEEDS)
    if start + count > 2**32:
        raise _bad(where, f"seeds run past 2**32 - 1 (start {start}, count {count})")
    steps = _int_in(where, "steps", document["steps"], 1, MAX_STEPS)
    checkpoints = _int_in(where, "checkpoints", document.get("checkpoints", min(50, steps)), 1,
                          min(MAX_CHECKPOINTS, steps))
    window = _int_in(where, "window", document.get("window", max(1, min(10, checkpoints // 5))), 1, checkpoints + 1)
    gamma = None
    if "gamma" in document:
        gamma = _fraction(where, "gamma", document["gamma"])
        if not 0 <= gamma < 1:
            raise _bad(where, f"gamma must be in [0, 1), got {gamma}")
    epsilon = _fraction(where, "epsilon", document.get("epsilon", "1/20"))
    if not epsilon > 0:
        raise _bad(where, f"epsilon must be positive, got {epsilon}")
    learner = _learner(where, document.get("learner", {}), algorithms)
    return CampaignSpec(name.strip(), tuple(g.reference for g in sources), sources, algorithms, tuple(range(start, start + count)), steps, checkpoints, window,
                        gamma, epsilon, learner)


def load_campaign(path: str | Path) -> CampaignSpec:
    """Read and check the campaign file ``path`` (UTF-8 TOML).

    Raises
    ------
    InvalidFile
        Unreadable file, not UTF-8, not TOML (with the line and column), or a bad value (see
        :func:`parse_campaign`).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFile(f"{path}: cannot read the campaign file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidFile(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidFile(f"{path}: not a TOML file: {exc}") from None
    return parse_campaign(document, where=str(path), base=path.parent)
