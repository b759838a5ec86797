r"""The versioned JSON game format ``jalverify.game/1`` and the policy / profile files.

Numbers are stored **exactly**: as JSON integers or as strings holding an integer, a fraction ``"p/q"`` or a
decimal (``"0.1"`` is exactly 1/10).  A JSON float literal (``0.1``) is refused with an error naming its JSON
path unless the caller passes ``allow_float=True``, in which case the literal's decimal text is read exactly
(``0.1`` → 1/10).  ``NaN`` and ``Infinity`` are always refused.  Duplicate keys and unknown keys are errors.

Normal-form games::

    {"format": "jalverify.game/1", "kind": "normal_form", "name": "...", "citation": "...", "notes": "...",
     "players": ["row", "column"], "actions": [["H", "T"], ["H", "T"]],
     "payoffs": [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]}

``payoffs[i]`` is player ``i``'s payoff array indexed by the players' actions in order (axis ``j`` = actions of
player ``j``).

Stochastic games::

    {"format": "jalverify.game/1", "kind": "stochastic", "players": [...], "gamma": "3/4",
     "initial": {"s1": "1"},
     "states": [{"name": "s1", "actions": [["keep", "send"], ["noop"]], "terminal": false,
                 "outcomes": [{"joint": ["keep", "noop"], "next": {"s1": "1"}, "rewards": [1, 0]}, ...]},
                {"name": "end", "terminal": true}]}

Every joint action of a non-terminal state has exactly one outcome; ``next`` maps next-state names to
probabilities summing to exactly 1 (states left out have probability 0); ``rewards`` is either one number per
player (:math:`R_i(s, a)`) or an object mapping next-state names to one number per player
(:math:`R_i(s, a, s')`; next states left out have reward 0).  A terminal state is absorbing with reward 0; it
takes no outcomes and, by default, one action ``"none"`` per player.

:func:`dump_game` writes the canonical form: integers as JSON ints, other rationals as ``"p/q"``, float-field
numbers as their shortest decimal text (so a float-field game read back with ``field="float"`` is bit-identical);
probabilities of 0 are left out of ``next``; rewards use the short per-player form whenever they do not depend on
the next state.  ``load_game(dump_game(g)) == g`` for every game and ``dump_game(load_game(x)) == x`` for every
canonical document ``x``.

Error messages name the file and the JSON path, e.g.
``game.json: $.states[1].outcomes[0].next: probabilities sum to 9/10, expected 1``.
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Union

import numpy as np

from jalverify.errors import InvalidFile, InvalidGame, InvalidNumber, InvalidProfile, JalverifyError
from jalverify.files import write_text_atomically
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile, check_distribution
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame
from jalverify.numbers import EXACT, MAX_DIGITS, Field, field_named, parse_number, short_number

__all__ = [
    "GAME_FORMAT",
    "POLICY_FORMAT",
    "PROFILE_FORMAT",
    "Game",
    "GameDocument",
    "read_json",
    "read_text_file",
    "MAX_JSON_DEPTH",
    "load_game",
    "load_game_document",
    "game_from_dict",
    "document_from_dict",
    "dump_game",
    "dumps_json",
    "save_game",
    "load_policy",
    "policy_from_dict",
    "dump_policy",
    "save_policy",
    "load_profile",
    "profile_from_dict",
    "dump_profile",
    "save_profile",
]

GAME_FORMAT = "jalverify.game/1"
POLICY_FORMAT = "jalverify.policy/1"
PROFILE_FORMAT = "jalverify.profile/1"

Game = Union[NormalFormGame, StochasticGame]
Source = Union[str, bytes, os.PathLike, Mapping, list]

_TOP_COMMON = ("format", "kind", "name", "citation", "notes", "players")
_TOP_KEYS = {
    "normal_form": _TOP_COMMON + ("actions", "payoffs"),
    "stochastic": _TOP_COMMON + ("gamma", "states", "initial"),
}
_STATE_KEYS = ("name", "actions", "terminal", "outcomes")
_OUTCOME_KEYS = ("joint", "next", "rewards")


@dataclass(frozen=True)
class GameDocument:
    """A game read from a file together with the file's metadata.

    Attributes
    ----------
    game : NormalFormGame or StochasticGame
    citation : str or None
        Where the game comes from (paper, book section).
    notes : str or None
        Free text: modelling choices, rules, known facts.
    """

    game: Game
    citation: str | None = None
    notes: str | None = None


# --- reading JSON text ----------------------------------------------------------------------------------------
class _JsonFloat(str):
    """The text of a JSON float literal, kept verbatim so it can be refused or read exactly."""


class _JsonNonFinite(str):
    """The text of a JSON ``NaN`` / ``Infinity`` literal."""


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _looks_like_text(source: str) -> bool:
    return source.lstrip().startswith(("{", "["))


#: Largest total size of a stochastic game's dense transition arrays (Σ_s |A(s)| · |S|); the soccer game has
#: about 1.4e7.
MAX_DENSE_ENTRIES = 50_000_000

#: Deepest nesting of JSON arrays and objects accepted (a game of ``n`` players nests ``n + 2`` levels).
MAX_JSON_DEPTH = 64

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _check_depth(text: str, label: str) -> None:
    """Refuse JSON nested deeper than :data:`MAX_JSON_DEPTH` before parsing it (the parser would recurse)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    steps = map(_DEPTH_STEP.get, _JSON_TOKENS.findall(text), itertools.repeat(0))
    if max(itertools.accumulate(steps), default=0) <= MAX_JSON_DEPTH:
        return
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        depth += _DEPTH_STEP.get(m.group(), 0)
        if depth > MAX_JSON_DEPTH:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            raise InvalidFile(f"{label}: line {line}, column {column}: JSON arrays/objects nested deeper than "
                              f"{MAX_JSON_DEPTH} levels (jalverify's limit for its files)")


def _decode(raw: bytes, label: str) -> str:
    """UTF-8 text of a file's bytes (a leading byte-order mark is dropped), or :class:`InvalidFile` naming the
    first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidFile(f"{label}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def read_text_file(path: str | os.PathLike, label: str | None = None) -> str:
    """The UTF-8 text of a file (a leading byte-order mark dropped).

    Raises
    ------
    InvalidFile
        The bytes are not UTF-8; the message names the file, the byte and its offset.
    OSError
        The file cannot be read (missing, a directory, permissions).
    """
    return _decode(Path(path).read_bytes(), str(path) if label is None else label)


def _parse_int(text: str) -> int:
    if len(text) <= 18:
        return int(text)
    digits = len(text.lstrip("-").lstrip("0"))
    if digits > MAX_DIGITS:
        raise _TooLong(digits)
    return parse_number(text).numerator  # Python's int() stops at 4300 digits


class _TooLong(Exception):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def read_json(source: Source) -> tuple[Any, str]:
    """Parse ``source`` (a path, JSON text, or already-parsed data) and return ``(data, label)``.

    Float literals come back as a ``str`` subclass holding their exact text (see the module docstring), so no
    binary rounding happens while reading.

    Raises
    ------
    InvalidFile
        Malformed JSON (with line and column), duplicate keys.
    OSError
        The file cannot be read.
    """
    if isinstance(source, (Mapping, list)):
        return source, "<data>"
    if isinstance(source, bytes):
        text, label = _decode(source, "<bytes>"), "<bytes>"
    elif isinstance(source, str) and _looks_like_text(source):
        text, label = source, "<text>"
    else:
        label = str(source)
        text = read_text_file(source, label)
    _check_depth(text, label)
    try:
        data = json.loads(
            text,
            parse_float=_JsonFloat,
            parse_int=_parse_int,
            parse_constant=_JsonNonFinite,
            object_pairs_hook=_pairs_without_duplicates,
        )
    except json.JSONDecodeError as exc:
        raise InvalidFile(f"{label}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except _DuplicateKey as exc:
        raise InvalidFile(f"{label}: duplicate key {short_number(exc.key)!r} in a JSON object") from None
    except _TooLong as exc:
        raise InvalidFile(f"{label}: an integer has {exc.digits} digits; numbers are limited to {MAX_DIGITS:,} "
                          f"digits") from None
    except RecursionError:  # pragma: no cover - _check_depth refuses deep nesting first
        raise InvalidFile(f"{label}: JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)") from None
    return data, label


# --- field-aware readers with JSON paths ----------------------------------------------------------------------
class _Reader:
    """Reads numbers, names and nested arrays, raising :class:`InvalidFile` that names the file and JSON path."""

    def __init__(self, label: str, allow_float: bool) -> None:
        self.label = label
        self.allow_float = allow_float

    def fail(self, path: str, message: str, cause: BaseException | None = None) -> InvalidFile:
        err = InvalidFile(f"{self.label}: {path}: {message}")
        if cause is not None:
            err.__cause__ = cause
        return err

    def number(self, value: Any, path: str) -> Fraction:
        if isinstance(value, _JsonNonFinite):
            raise self.fail(path, f"{value} is not a finite number")
        if isinstance(value, _JsonFloat):
            if not self.allow_float:
                raise self.fail(
                    path,
                    f"JSON float {value} refused in the exact format; write it as a string (\"{value}\" is read "
                    f"exactly as the decimal) or as \"p/q\", or load with allow_float=True",
                )
            try:
                return parse_number(str(value), where="value")
            except InvalidNumber as exc:
                raise self.fail(path, str(exc).removeprefix("value: ")) from exc
        if isinstance(value, (list, dict)) or value is None:
            raise self.fail(path, f"expected a number (int, \"p/q\" or decimal string), got {_show(value)}")
        try:
            return parse_number(value, allow_float=self.allow_float, where="value")
        except InvalidNumber as exc:
            detail = str(exc).removeprefix("value: ")
            raise self.fail(path, detail) from exc

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or isinstance(value, (_JsonFloat, _JsonNonFinite)) or not value:
            raise self.fail(path, f"expected a non-empty string, got {_show(value)}")
        return value

    def optional_string(self, data: Mapping, key: str, path: str) -> str | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if not isinstance(value, str) or isinstance(value, (_JsonFloat, _JsonNonFinite)):
            raise self.fail(member(path, key), f"expected a string, got {_show(value)}")
        return value

    def names(self, value: Any, path: str, kind: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of {kind} names, got {_show(value)}")
        out = tuple(self.string(v, f"{path}[{k}]") for k, v in enumerate(value))
        seen: set[str] = set()
        for k, name in enumerate(out):
            if name in seen:
                raise self.fail(f"{path}[{k}]", f"duplicate {kind} name {name!r}")
            seen.add(name)
        return out

    def obj(self, value: Any, path: str, allowed: Sequence[str], what: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a JSON object ({what}), got {_show(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(member(path, key), f"unknown key {key!r} in {what}; allowed keys are {list(allowed)}")
        return value

    def require(self, data: Mapping, key: str, path: str) -> Any:
        if key not in data:
            raise self.fail(path, f"missing required key {key!r}")
        return data[key]

    def nested(self, value: Any, shape: Sequence[int], path: str, labels: Sequence[str]) -> list:
        """Read a nested list of numbers of exactly ``shape``; ``labels[d]`` says what axis ``d`` indexes."""
        if not shape:
            return self.number(value, path)  # type: ignore[return-value]
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of {shape[0]} entries ({labels[0]}), got {_show(value)}")
        if len(value) != shape[0]:
            raise self.fail(path, f"expected {shape[0]} entries ({labels[0]}), got {len(value)}")
        return [self.nested(v, shape[1:], f"{path}[{k}]", labels[1:]) for k, v in enumerate(value)]

    def distribution(self, value: Any, shape: Sequence[int], path: str, labels: Sequence[str]) -> np.ndarray:
        raw = self.nested(value, shape, path, labels)
        try:
            return check_distribution(EXACT, raw, tuple(shape), path)
        except InvalidProfile as exc:
            raise InvalidFile(f"{self.label}: {exc}") from exc


def member(path: str, key: str) -> str:
    """JSON path of ``key`` inside the object at ``path``: ``$.a.b`` for identifier-like keys, ``$.a["b c"]`` else."""
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _show(value: Any) -> str:
    if isinstance(value, _JsonFloat):
        return f"float {value}"
    if isinstance(value, _JsonNonFinite):
        return str(value)
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return f"a list of length {len(value)}"
    return repr(value)


# --- games ----------------------------------------------------------------------------------------------------
def load_game(source: Source, *, field: Field | str = EXACT, allow_float: bool = False) -> Game:
    """Read a game from a ``jalverify.game/1`` file, JSON text or parsed data.

    Parameters
    ----------
    source : path, JSON text (starting with ``{``) or dict
    field : Field or {"exact", "float"}
        The field of the returned game; numbers are always read exactly first, then converted.
    allow_float : bool
        Accept JSON float literals (read exactly as their decimal text).

    Raises
    ------
    InvalidFile
        Any problem; the message names the file and the JSON path and wraps the underlying
        :class:`~jalverify.errors.InvalidGame` / :class:`~jalverify.errors.InvalidNumber`.
    """
    return load_game_document(source, field=field, allow_float=allow_float).game


def load_game_document(source: Source, *, field: Field | str = EXACT, allow_float: bool = False) -> GameDocument:
    """Like :func:`load_game` but also return the file's ``citation`` and ``notes``."""
    data, label = read_json(source)
    return document_from_dict(data, source=label, field=field, allow_float=allow_float)


def game_from_dict(data: Any, *, source: str = "<data>", field: Field | str = EXACT,
                   allow_float: bool = False) -> Game:
    """Build a game from parsed ``jalverify.game/1`` data; ``source`` labels error messages."""
    return document_from_dict(data, source=source, field=field, allow_float=allow_float).game


def document_from_dict(data: Any, *, source: str = "<data>", field: Field | str = EXACT,
                       allow_float: bool = False) -> GameDocument:
    """Build a :class:`GameDocument` from parsed ``jalverify.game/1`` data."""
    rd = _Reader(source, allow_float)
    if not isinstance(data, Mapping):
        raise rd.fail("$", f"expected a JSON object with \"format\": \"{GAME_FORMAT}\", got {_show(data)}")
    fmt = rd.require(data, "format", "$")
    if fmt != GAME_FORMAT:
        raise rd.fail("$.format", f"unsupported format {fmt!r}; this version reads {GAME_FORMAT!r}")
    kind = rd.require(data, "kind", "$")
    if not isinstance(kind, str) or kind not in _TOP_KEYS:
        raise rd.fail("$.kind", f"unknown kind {kind!r}; expected one of {sorted(_TOP_KEYS)}")
    rd.obj(data, "$", _TOP_KEYS[kind], f"a {kind} game")
    name = rd.optional_string(data, "name", "$")
    citation = rd.optional_string(data, "citation", "$")
    notes = rd.optional_string(data, "notes", "$")
    players = rd.names(rd.require(data, "players", "$"), "$.players", "player")
    if not players:
        raise rd.fail("$.players", "a game needs at least one player")
    game: Game
    if kind == "normal_form":
        game = _normal_form_from_dict(rd, data, players, name)
    else:
        game = _stochastic_from_dict(rd, data, players, name)
    fld = field_named(field)
    if fld != game.field:
        game = game.to_field(fld)
    return GameDocument(game=game, citation=citation, notes=notes)


def _normal_form_from_dict(rd: _Reader, data: Mapping, players: tuple[str, ...], name: str | None) -> NormalFormGame:
    n = len(players)
    actions_raw = rd.require(data, "actions", "$")
    if not isinstance(actions_raw, list) or len(actions_raw) != n:
        raise rd.fail("$.actions", f"expected one list of action names per player ({n}), got {_show(actions_raw)}")
    actions = tuple(rd.names(a, f"$.actions[{i}]", "action") for i, a in enumerate(actions_raw))
    for i, a in enumerate(actions):
        if not a:
            raise rd.fail(f"$.actions[{i}]", f"player {players[i]!r} has no actions")
    counts = tuple(len(a) for a in actions)
    labels = [f"one payoff array per player ({n})"] + [f"actions of player {p!r}" for p in players]
    payoffs = rd.nested(rd.require(data, "payoffs", "$"), (n,) + counts, "$.payoffs", labels)
    try:
        return NormalFormGame(payoffs, players, actions, field=EXACT, name=name)
    except (InvalidGame, InvalidNumber) as exc:
        raise rd.fail("$", str(exc)) from exc


def _stochastic_from_dict(rd: _Reader, data: Mapping, players: tuple[str, ...], name: str | None) -> StochasticGame:
    n = len(players)
    gamma = rd.number(rd.require(data, "gamma", "$"), "$.gamma")
    if not (0 <= gamma < 1):
        raise rd.fail("$.gamma", f"gamma must be in [0, 1), got {gamma}")
    states_raw = rd.require(data, "states", "$")
    if not isinstance(states_raw, list) or not states_raw:
        raise rd.fail("$.states", f"expected a non-empty list of states, got {_show(states_raw)}")
    # first pass: names, so that "next" may refer to later states
    names: list[str] = []
    for s, st in enumerate(states_raw):
        spath = f"$.states[{s}]"
        rd.obj(st, spath, _STATE_KEYS, "a state")
        sname = rd.string(rd.require(st, "name", spath), f"{spath}.name")
        if sname in names:
            raise rd.fail(f"{spath}.name", f"duplicate state name {sname!r}")
        names.append(sname)
    index = {sname: s for s, sname in enumerate(names)}
    S = len(names)
    dense = 0  # entries of the dense transition arrays, bounded before they are allocated
    actions: list[Any] = []
    transitions: list[Any] = []
    rewards: list[Any] = []
    terminal: list[bool] = []
    for s, st in enumerate(states_raw):
        spath = f"$.states[{s}]"
        term = st.get("terminal", False)
        if not isinstance(term, bool):
            raise rd.fail(f"{spath}.terminal", f"expected true or false, got {_show(term)}")
        terminal.append(term)
        if "actions" in st:
            acts_raw = st["actions"]
            if not isinstance(acts_raw, list) or len(acts_raw) != n:
                raise rd.fail(f"{spath}.actions", f"expected one list of action names per player ({n}), got {_show(acts_raw)}")
            acts = tuple(rd.names(a, f"{spath}.actions[{i}]", "action") for i, a in enumerate(acts_raw))
            for i, a in enumerate(acts):
                if not a:
                    raise rd.fail(f"{spath}.actions[{i}]", f"player {players[i]!r} has no actions in state {names[s]!r}")
        elif term:
            acts = tuple(("none",) for _ in range(n))
        else:
            raise rd.fail(spath, f"missing required key 'actions' (state {names[s]!r} is not terminal)")
        if term:
            if any(len(a) != 1 for a in acts):
                raise rd.fail(f"{spath}.actions", f"a terminal state gives every player exactly one action, got {[list(a) for a in acts]}")
            if st.get("outcomes"):
                raise rd.fail(f"{spath}.outcomes", "a terminal state takes no outcomes (it is absorbing with reward 0)")
            actions.append(acts)
            transitions.append(None)
            rewards.append(None)
            continue
        k = tuple(len(a) for a in acts)
        dense += int(np.prod(k, dtype=object)) * S
        if dense > MAX_DENSE_ENTRIES:
            raise rd.fail(f"{spath}.actions", f"the game is too large: its transition arrays (joint actions × "
                          f"{S} next states, summed over states) exceed {MAX_DENSE_ENTRIES:,} entries")
        T: dict[tuple[int, ...], dict[str, Fraction]] = {}
        short: dict[tuple[int, ...], list[Fraction]] = {}
        by_next: dict[tuple[int, ...], dict[int, list[Fraction]]] = {}
        outcomes = rd.require(st, "outcomes", spath)
        if not isinstance(outcomes, list):
            raise rd.fail(f"{spath}.outcomes", f"expected a list of outcomes, got {_show(outcomes)}")
        seen: dict[tuple[int, ...], int] = {}
        for o, out in enumerate(outcomes):
            opath = f"{spath}.outcomes[{o}]"
            rd.obj(out, opath, _OUTCOME_KEYS, "an outcome")
            joint = _read_joint(rd, rd.require(out, "joint", opath), acts, players, names[s], f"{opath}.joint")
            if joint in seen:
                raise rd.fail(f"{opath}.joint", f"joint action {list(_joint_names(joint, acts))} already has an outcome at {spath}.outcomes[{seen[joint]}]")
            seen[joint] = o
            nxt = rd.require(out, "next", opath)
            if not isinstance(nxt, Mapping) or not nxt:
                raise rd.fail(f"{opath}.next", f"expected an object mapping next states to probabilities, got {_show(nxt)}")
            total = Fraction(0)
            row: dict[str, Fraction] = {}
            for t_name, p_raw in nxt.items():
                if t_name not in index:
                    raise rd.fail(f"{opath}.next", f"unknown state {t_name!r}; states are {names}")
                p = rd.number(p_raw, member(f"{opath}.next", t_name))
                if p < 0:
                    raise rd.fail(member(f"{opath}.next", t_name), f"probability is negative: {p}")
                row[t_name] = p
                total += p
            T[joint] = row
            if total != 1:
                raise rd.fail(f"{opath}.next", f"probabilities sum to {total}, expected 1")
            rew = rd.require(out, "rewards", opath)
            if isinstance(rew, Mapping):
                by_next[joint] = {}
                for t_name, vec in rew.items():
                    if t_name not in index:
                        raise rd.fail(f"{opath}.rewards", f"unknown state {t_name!r}; states are {names}")
                    by_next[joint][index[t_name]] = rd.nested(vec, (n,), member(f"{opath}.rewards", t_name), [f"one reward per player ({n})"])
            else:
                short[joint] = rd.nested(rew, (n,), f"{opath}.rewards", [f"one reward per player ({n})"])
        missing = [j for j in np.ndindex(*k) if j not in seen]
        if missing:
            raise rd.fail(
                f"{spath}.outcomes",
                f"no outcome for joint action {list(_joint_names(missing[0], acts))} ({len(missing)} joint actions missing)",
            )
        actions.append(acts)
        transitions.append(T)
        rewards.append(_reward_array(n, k, S, short, by_next))
    initial = None
    if data.get("initial") is not None:
        init_raw = data["initial"]
        if not isinstance(init_raw, Mapping) or not init_raw:
            raise rd.fail("$.initial", f"expected an object mapping states to probabilities, got {_show(init_raw)}")
        vec = [Fraction(0)] * S
        for t_name, p_raw in init_raw.items():
            if t_name not in index:
                raise rd.fail("$.initial", f"unknown state {t_name!r}; states are {names}")
            vec[index[t_name]] = rd.number(p_raw, member("$.initial", t_name))
        try:
            initial = check_distribution(EXACT, vec, S, "$.initial")
        except InvalidProfile as exc:
            raise InvalidFile(f"{rd.label}: {exc}") from exc
    try:
        return StochasticGame(players, names, actions, transitions, rewards, gamma, terminal=terminal,
                              initial=initial, field=EXACT, name=name)
    except JalverifyError as exc:
        raise rd.fail("$", str(exc)) from exc


def _reward_array(n: int, k: tuple[int, ...], S: int, short: Mapping[tuple[int, ...], list[Fraction]],
                  by_next: Mapping[tuple[int, ...], Mapping[int, list[Fraction]]]) -> np.ndarray:
    """Rewards of one state: shape ``(n, *k)`` when no outcome depends on the next state, else ``(n, *k, S)``."""
    if not by_next:
        R = EXACT.zeros((n,) + k)
        for joint, values in short.items():
            for i in range(n):
                R[(i,) + joint] = values[i]
        return R
    R = EXACT.zeros((n,) + k + (S,))
    for joint, values in short.items():
        for i in range(n):
            R[(i,) + joint] = np.full(S, values[i], dtype=object)
    for joint, per_next in by_next.items():
        for t, values in per_next.items():
            for i in range(n):
                R[(i,) + joint + (t,)] = values[i]
    return R


def _read_joint(rd: _Reader, value: Any, acts: tuple[tuple[str, ...], ...], players: tuple[str, ...],
                state: str, path: str) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != len(acts):
        raise rd.fail(path, f"expected a list of {len(acts)} action names (one per player), got {_show(value)}")
    out = []
    for i, a in enumerate(value):
        if not isinstance(a, str) or a not in acts[i]:
            raise rd.fail(f"{path}[{i}]", f"unknown action {_show(a)} of player {players[i]!r} in state {state!r}; actions are {list(acts[i])}")
        out.append(acts[i].index(a))
    return tuple(out)


def _joint_names(joint: tuple[int, ...], acts: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return tuple(acts[i][a] for i, a in enumerate(joint))


# --- writing --------------------------------------------------------------------------------------------------
def _num_out(x: Any) -> int | str:
    """Canonical exact text of a field element: int when integral, ``"p/q"`` otherwise, shortest decimal for floats."""
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if f == int(f) and abs(f) < 2**53:
            return int(f)
        return repr(f)
    return _num_out(parse_number(x))


def _constant(values: list[Any]) -> bool:
    # list.count compares by identity first, then ==, in C: fast on the shared objects of R(s,a) repeated over s'
    return values.count(values[0]) == len(values)


def _a_zero(array: np.ndarray) -> Any:
    """One zero element of ``array`` (the exact field fills new arrays with one shared ``Fraction(0)``)."""
    for p in array.reshape(-1).tolist():
        if p == 0:
            return p
    return None


def _support(values: list[Any], zero: Any) -> list[int]:
    """Indices of the non-zero entries; entries that *are* the shared zero object are skipped without a comparison."""
    candidates = itertools.compress(range(len(values)), map(operator.is_not, values, itertools.repeat(zero)))
    return [t for t in candidates if values[t]]


def _nested_out(array: np.ndarray) -> Any:
    return _map_nested(np.asarray(array).tolist())


def _map_nested(value: Any) -> Any:
    if isinstance(value, list):
        return [_map_nested(v) for v in value]
    return _num_out(value)


def dump_game(game: Game, *, citation: str | None = None, notes: str | None = None) -> dict[str, Any]:
    """The canonical ``jalverify.game/1`` document of ``game`` (a dict ready for :func:`json.dumps`)."""
    doc: dict[str, Any] = {"format": GAME_FORMAT}
    if isinstance(game, NormalFormGame):
        doc["kind"] = "normal_form"
    elif isinstance(game, StochasticGame):
        doc["kind"] = "stochastic"
    else:
        raise InvalidGame(f"dump_game(): expected a NormalFormGame or StochasticGame, got {type(game).__name__}")
    if game.name is not None:
        doc["name"] = game.name
    if citation is not None:
        doc["citation"] = citation
    if notes is not None:
        doc["notes"] = notes
    doc["players"] = list(game.players)
    if isinstance(game, NormalFormGame):
        doc["actions"] = [list(a) for a in game.actions]
        doc["payoffs"] = _nested_out(game.payoffs)
        return doc
    doc["gamma"] = _num_out(game.gamma)
    if game.initial is not None:
        doc["initial"] = {game.states[t]: _num_out(p) for t, p in enumerate(game.initial) if p != 0}
    states = []
    for s, sname in enumerate(game.states):
        entry: dict[str, Any] = {"name": sname}
        acts = game.actions[s]
        if game.terminal[s]:
            if any(a != ("none",) for a in acts):
                entry["actions"] = [list(a) for a in acts]
            entry["terminal"] = True
            states.append(entry)
            continue
        entry["actions"] = [list(a) for a in acts]
        T = game.transitions[s]
        R = game.rewards[s]
        outcomes = []
        zero = _a_zero(T)
        for joint in np.ndindex(*game.n_actions(s)):
            row = T[joint]
            nxt = {game.states[t]: _num_out(row[t]) for t in _support(row.tolist(), zero)}
            r = R[(slice(None),) + joint]  # shape (n, S)
            if all(_constant(r[i].tolist()) for i in range(game.n_players)):
                rewards: Any = [_num_out(r[i][0]) for i in range(game.n_players)]
            else:
                keep = [t for t in range(game.n_states) if row[t] != 0 or any(r[i][t] != 0 for i in range(game.n_players))]
                rewards = {game.states[t]: [_num_out(r[i][t]) for i in range(game.n_players)] for t in keep}
            outcomes.append({"joint": list(_joint_names(joint, acts)), "next": nxt, "rewards": rewards})
        entry["outcomes"] = outcomes
        states.append(entry)
    doc["states"] = states
    return doc


def dumps_json(data: Any, *, width: int = 110) -> str:
    """Serialise ``data`` readably: containers that fit in ``width`` characters go on one line."""
    lines: list[str] = []
    _emit(data, 0, lines, "", width)
    return "\n".join(lines) + "\n"


def _emit(value: Any, indent: int, lines: list[str], prefix: str, width: int, suffix: str = "") -> None:
    pad = " " * indent
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, (list, dict)) or len(pad) + len(prefix) + len(flat) + len(suffix) <= width or not value:
        lines.append(f"{pad}{prefix}{flat}{suffix}")
        return
    if isinstance(value, dict):
        lines.append(f"{pad}{prefix}{{")
        items = list(value.items())
        for k, (key, sub) in enumerate(items):
            _emit(sub, indent + 2, lines, json.dumps(key, ensure_ascii=False) + ": ", width, "," if k < len(items) - 1 else "")
        lines.append(f"{pad}}}{suffix}")
    else:
        lines.append(f"{pad}{prefix}[")
        for k, sub in enumerate(value):
            _emit(sub, indent + 2, lines, "", width, "," if k < len(value) - 1 else "")
        lines.append(f"{pad}]{suffix}")


def save_game(game: Game, path: str | os.PathLike, *, citation: str | None = None, notes: str | None = None) -> None:
    """Write ``game`` to ``path`` in the canonical ``jalverify.game/1`` form (atomically)."""
    write_text_atomically(path, dumps_json(dump_game(game, citation=citation, notes=notes)))


# --- stationary policies --------------------------------------------------------------------------------------
Policy = Union[StationaryPolicy, CorrelatedStationaryPolicy]
Profile = Union[MixedProfile, CorrelatedProfile]


def _unwrap(rd: _Reader, data: Any, fmt: str, body_key: str, kinds: tuple[str, str]) -> tuple[Any, str, str]:
    """Return ``(body, kind, path)`` for a plain or wrapped policy/profile document."""
    if isinstance(data, Mapping) and isinstance(data.get("format"), str):  # a state may be called "format"
        rd.obj(data, "$", ("format", "kind", body_key, "name", "notes"), f"a {fmt} document")
        if data["format"] != fmt:
            raise rd.fail("$.format", f"unsupported format {data['format']!r}; expected {fmt!r}")
        kind = data.get("kind", kinds[0])
        if kind not in kinds:
            raise rd.fail("$.kind", f"unknown kind {kind!r}; expected one of {list(kinds)}")
        return rd.require(data, body_key, "$"), kind, f"$.{body_key}"
    return data, kinds[0], "$"


def load_policy(source: Source, game: StochasticGame) -> Policy:
    """Read a stationary policy of ``game`` from a file, JSON text or parsed data.

    Plain form ``{"s1": [["1/2", "1/2"], ["1"]], ...}`` (per state, one distribution per player over that player's
    actions there, in order), or the wrapper ``{"format": "jalverify.policy/1", "kind": "stationary" |
    "correlated", "policy": {...}}``; a correlated policy gives per state one nested array indexed by the
    players' actions.  Returns a :class:`StationaryPolicy` or :class:`CorrelatedStationaryPolicy` in the game's
    field.
    """
    data, label = read_json(source)
    return policy_from_dict(data, game, source=label)


def policy_from_dict(data: Any, game: StochasticGame, *, source: str = "<data>", allow_float: bool = False) -> Policy:
    """Build a policy from parsed policy-file data (see :func:`load_policy`)."""
    rd = _Reader(source, allow_float)
    body, kind, path = _unwrap(rd, data, POLICY_FORMAT, "policy", ("stationary", "correlated"))
    if not isinstance(body, Mapping):
        raise rd.fail(path, f"expected an object mapping state names to distributions, got {_show(body)}")
    for key in body:
        if key not in game.states:
            raise rd.fail(member(path, key), f"unknown state {key!r}; states are {list(game.states)}")
    per_state: list[Any] = []
    for s, sname in enumerate(game.states):
        spath = member(path, sname)
        if sname not in body:
            raise rd.fail(path, f"no distribution for state {sname!r}")
        k = game.n_actions(s)
        value = body[sname]
        if kind == "correlated":
            labels = [f"actions of player {p!r} in state {sname!r}" for p in game.players]
            per_state.append(rd.distribution(value, k, spath, labels))
        else:
            if not isinstance(value, list) or len(value) != game.n_players:
                raise rd.fail(spath, f"expected one distribution per player ({game.n_players}), got {_show(value)}")
            per_state.append([
                rd.distribution(d, (k[i],), f"{spath}[{i}]", [f"actions of player {game.players[i]!r} in state {sname!r}"])
                for i, d in enumerate(value)
            ])
    try:
        if kind == "correlated":
            dists = [_to_field(d, game.field) for d in per_state]
            return CorrelatedStationaryPolicy(game, dists)
        return StationaryPolicy(game, [[_to_field(d, game.field) for d in row] for row in per_state])
    except JalverifyError as exc:
        raise rd.fail(path, str(exc)) from exc


def _to_field(dist: np.ndarray, field: Field) -> np.ndarray:
    return dist if field.exact else dist.astype(np.float64)


def dump_policy(policy: Policy) -> dict[str, Any]:
    """The ``jalverify.policy/1`` document of a stationary or correlated stationary policy."""
    game = policy.game
    if isinstance(policy, StationaryPolicy):
        body = {game.states[s]: [_nested_out(d) for d in per] for s, per in enumerate(policy.distributions)}
        return {"format": POLICY_FORMAT, "kind": "stationary", "policy": body}
    if isinstance(policy, CorrelatedStationaryPolicy):
        body = {game.states[s]: _nested_out(d) for s, d in enumerate(policy.distributions)}
        return {"format": POLICY_FORMAT, "kind": "correlated", "policy": body}
    raise InvalidProfile(f"dump_policy(): expected a StationaryPolicy or CorrelatedStationaryPolicy, got {type(policy).__name__}")


def save_policy(policy: Policy, path: str | os.PathLike) -> None:
    """Write ``policy`` to ``path`` (atomically)."""
    write_text_atomically(path, dumps_json(dump_policy(policy)))


# --- profiles of normal-form games ----------------------------------------------------------------------------
def load_profile(source: Source, game: NormalFormGame) -> Profile:
    """Read a strategy profile of a normal-form game.

    Plain form ``[["1/2", "1/2"], ["1/3", "1/3", "1/3"]]`` (one distribution per player), or the wrapper
    ``{"format": "jalverify.profile/1", "kind": "mixed" | "correlated", "profile": ...}``; a correlated profile
    is one nested array indexed by the players' actions.
    """
    data, label = read_json(source)
    return profile_from_dict(data, game, source=label)


def profile_from_dict(data: Any, game: NormalFormGame, *, source: str = "<data>", allow_float: bool = False) -> Profile:
    """Build a profile from parsed profile-file data (see :func:`load_profile`)."""
    rd = _Reader(source, allow_float)
    body, kind, path = _unwrap(rd, data, PROFILE_FORMAT, "profile", ("mixed", "correlated"))
    try:
        if kind == "correlated":
            labels = [f"actions of player {p!r}" for p in game.players]
            return CorrelatedProfile(game, _to_field(rd.distribution(body, game.n_actions, path, labels), game.field))
        if not isinstance(body, list) or len(body) != game.n_players:
            raise rd.fail(path, f"expected one distribution per player ({game.n_players}), got {_show(body)}")
        dists = [
            _to_field(rd.distribution(d, (game.n_actions[i],), f"{path}[{i}]", [f"actions of player {game.players[i]!r}"]), game.field)
            for i, d in enumerate(body)
        ]
        return MixedProfile(game, dists)
    except InvalidProfile as exc:
        raise rd.fail(path, str(exc)) from exc


def dump_profile(profile: Profile) -> dict[str, Any]:
    """The ``jalverify.profile/1`` document of a mixed or correlated profile."""
    if isinstance(profile, MixedProfile):
        return {"format": PROFILE_FORMAT, "kind": "mixed", "profile": [_nested_out(d) for d in profile.distributions]}
    if isinstance(profile, CorrelatedProfile):
        return {"format": PROFILE_FORMAT, "kind": "correlated", "profile": _nested_out(profile.distribution)}
    raise InvalidProfile(f"dump_profile(): expected a MixedProfile or CorrelatedProfile, got {type(profile).__name__}")


def save_profile(profile: Profile, path: str | os.PathLike) -> None:
    """Write ``profile`` to ``path`` (atomically)."""
    write_text_atomically(path, dumps_json(dump_profile(profile)))
