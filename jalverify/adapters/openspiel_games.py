r"""OpenSpiel games from and to jalverify games: normal-form games both ways, stochastic games exported.

OpenSpiel (Lanctot et al. 2019, arXiv:1908.09453; https://github.com/google-deepmind/open_spiel) is imported
only when a function here is called; without it they raise :class:`~jalverify.errors.MissingExtra` naming
``pip install 'jalverify[openspiel]'``.

Normal-form games
-----------------
:func:`to_openspiel` builds ``pyspiel.create_matrix_game`` (two players) or ``pyspiel.create_tensor_game`` (any
number of players) with the game's action names; OpenSpiel has no player names, so they are not kept.
:func:`from_openspiel` reads back any OpenSpiel game that ends after one simultaneous move: the ``matrix_*``
games, tensor games, ``blotto``, a ``load_game`` string with parameters, a game object.  Payoffs come from
``get_utilities(joint action)`` for OpenSpiel's ``NormalFormGame`` classes and from the terminal state's
``returns()`` otherwise; action names from ``action_to_string`` (two actions of one player with the same string
get their OpenSpiel action ids appended, so names stay distinct); players are named ``p0, p1, ...``.
:func:`openspiel_python_source` writes a Python file that rebuilds the game with ``pyspiel``: OpenSpiel has no
file format of its own for matrix games, and ``create_matrix_game`` / ``create_tensor_game`` exist only as calls.

Numbers.  OpenSpiel stores payoffs as IEEE-754 doubles.

* Reading (:class:`PayoffReading`): by default each double ``x`` becomes ``Fraction(x)``, its exact binary value
  (``0.1`` becomes ``3602879701896397/36028797018963968``): exact, nothing rounded, nothing guessed.  With
  ``reading="short-decimal"`` each double is read as the decimal Python's ``repr`` prints (the shortest string
  that parses back to ``x``), and only when every payoff's has at most 15 significant digits: a decimal of at most
  15 significant digits (``DBL_DIG``, C11 §5.2.4.2.2) is the only one of that length that rounds to its double,
  so ``0.1`` is read as ``1/10``; a payoff such as ``0.3333333333333333`` (16 digits) makes the reading fail
  with :class:`~jalverify.errors.InvalidNumber` rather than guess.
* Writing: a payoff ``p`` becomes the double ``float(p)`` (correctly rounded).  A payoff that is not exactly a
  double (``1/3``) makes the conversion fail unless ``allow_rounding=True``; the largest ``|float(p) - p|`` is
  reported (``max_rounding_error``, an exact fraction) either way.

Stochastic games
----------------
:func:`export_stochastic_game` registers a :class:`~jalverify.games.stochastic.StochasticGame` with
``pyspiel.register_game`` as an OpenSpiel Python game (the conventions of OpenSpiel's own
``python/games/iterated_prisoners_dilemma.py``: simultaneous moves, explicit chance nodes, rewards per step), so
that OpenSpiel's algorithms run on it.  One step of the exported game from a non-terminal state ``s``:

1. a decision node.  If in every state at most one (exported) player has more than one action (a turn-based game,
   e.g. the NoSDE games), it is a player node of that player (of the first player where nobody has a choice)
   and the game is ``SEQUENTIAL``; otherwise every decision node is a simultaneous node and the game is
   ``SIMULTANEOUS``.  Legal actions are ``0 .. |A_i(s)|-1`` (OpenSpiel action ids are positions in the
   jalverify action list of that state; ``action_to_string`` gives the jalverify name).
2. a chance node for the transition: the next state ``s'`` with probability ``T(s'|s, a)`` (outcome id ``s'``).
   Players given a fixed stationary policy (``fixed_players``) are not OpenSpiel players: their actions ``b``
   are drawn at this node too, outcome id ``index(b)·|S| + s'`` with probability ``π(b|s)·T(s'|s, a, b)``.
   OpenSpiel's single-agent algorithms then compute best responses to that policy.
3. per the ``discounting`` game parameter (OpenSpiel games have no discount factor):

   * ``"stop"`` (default): a chance node stops the game with probability ``1 - γ`` (Shapley 1953, "Stochastic
     games", PNAS 39:1095, defines the game with such stop probabilities); the step pays ``R_i(s, a, s')``.  The
     expected return is the γ-discounted return, truncated at the horizon: ``E Σ_{t<H} γ^t R_t``.
   * ``"stop_terminal_payoff"``: the same stop node, but the step pays ``R_i(s, a, s') / (1 - γ)`` if the game
     stops there and 0 if it goes on.  The expected return is the same for every policy (the game stops after
     step ``t`` with probability ``γ^t (1 - γ)``), and every payoff is paid at a terminal state whose string
     names it, which is what OpenSpiel's ``value_iteration`` needs: it reads ``player_return`` at terminal states
     only and keys states by ``str(state)``.
   * ``"none"``: no stop node; each step pays ``R_i(s, a, s')`` undiscounted.  Discounting is the learner's
     business (OpenSpiel's tabular learners take a ``discount_factor``).

   A step into a terminal state of the jalverify game ends the OpenSpiel game at once and pays ``R_i(s, a, s')``
   in every mode (no stop node: both branches would end there; the expectation is unchanged).

The game ends at a terminal state, when the stop node says so, or after ``horizon`` steps (a game parameter,
default 1000; OpenSpiel's ``max_game_length``).  ``rewards()`` holds the step's payment after the step's last
node and 0 elsewhere, ``returns()`` their sum.  Each decision node's ``str`` is ``"state <name>"`` without the
step number, as OpenSpiel's own ``markov_soccer`` and ``oshi_zumo`` (games with a horizon) print their states, so
``value_iteration(game, -1, threshold, cyclic_game=True)`` solves the untruncated game; truncation at ``H``
changes an expected return by at most ``γ^H · max|R| / (1 - γ)``.  Observations (string and tensor) are the
current state: its name, and a one-hot vector over the states.  The game is perfect-information.

Probabilities, rewards and ``γ`` become doubles; as for normal-form games the export fails if one is not exactly a
double unless ``allow_rounding=True``, and ``max_rounding_error`` states the largest change.
"""

from __future__ import annotations

import enum
import importlib
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import (
    GameTooLarge,
    InvalidNumber,
    InvalidOption,
    MissingExtra,
    UnknownName,
    UnsupportedGame,
)
from jalverify.games.formats.reading import LoadedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame

__all__ = [
    "DISCOUNTING",
    "ExportedStochasticGame",
    "OpenSpielExport",
    "OpenSpielNormalForm",
    "OpenSpielPythonFile",
    "PayoffReading",
    "export_stochastic_game",
    "from_openspiel",
    "openspiel_python_source",
    "read_openspiel_spec",
    "to_openspiel",
]

INSTALL_HINT = "pip install 'jalverify[openspiel]'"
CITATION = "OpenSpiel (Lanctot et al. 2019, arXiv:1908.09453), https://github.com/google-deepmind/open_spiel"
SCHEME = "openspiel:"

#: Most payoff entries (players × joint actions) read from or written to OpenSpiel in one game.
MAX_ENTRIES = 1_000_000

#: The significant digits of a decimal that is recovered exactly from its double (``DBL_DIG``).
SHORT_DECIMAL_DIGITS = 15

#: The ``discounting`` game parameter's values (module docstring).
DISCOUNTING = ("stop", "stop_terminal_payoff", "none")

DEFAULT_HORIZON = 1000

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _pyspiel(where: str) -> Any:
    try:
        return importlib.import_module("pyspiel")
    except ImportError as exc:
        raise MissingExtra(f"{where}: needs OpenSpiel (the module 'pyspiel'), which is not installed; install it "
                           f"with: {INSTALL_HINT}") from exc


# --- numbers ------------------------------------------------------------------------------------------------------

class PayoffReading(enum.Enum):
    """How OpenSpiel's doubles are read into exact numbers (module docstring)."""

    EXACT_BINARY = "exact-binary"
    SHORT_DECIMAL = "short-decimal"

    @property
    def description(self) -> str:
        if self is PayoffReading.EXACT_BINARY:
            return "payoffs read as the exact binary values of OpenSpiel's doubles"
        return (f"payoffs read as short decimals (every double is the nearest one to a decimal of at most "
                f"{SHORT_DECIMAL_DIGITS} significant digits, read as that decimal)")


def _reading(value: PayoffReading | str) -> PayoffReading:
    if isinstance(value, PayoffReading):
        return value
    try:
        return PayoffReading(value)
    except ValueError:
        raise InvalidOption(f"from_openspiel(): reading {value!r} is not one of "
                            f"{[r.value for r in PayoffReading]}") from None


def _significant_digits(text: str) -> int:
    """Significant digits of a decimal literal such as ``-0.0012``, ``100.0`` or ``1e-05``."""
    mantissa = text.lstrip("+-").lower().split("e")[0].replace(".", "")
    return max(len(mantissa.strip("0")), 1)


def _read_double(x: float, reading: PayoffReading, where: str) -> Fraction:
    if not math.isfinite(x):
        raise InvalidNumber(f"{where} is {x!r}, not a finite number")
    if reading is PayoffReading.EXACT_BINARY:
        return Fraction(x)
    text = repr(x)
    digits = _significant_digits(text)
    if digits > SHORT_DECIMAL_DIGITS:
        raise InvalidNumber(f"{where} is the double {text}, whose shortest decimal has {digits} significant digits "
                            f"(more than {SHORT_DECIMAL_DIGITS}): it is not a short decimal; read the exact binary "
                            "values instead (the default reading)")
    return Fraction(text)


class _Rounding:
    """Numbers converted to doubles, with the largest exact error and the first inexact one."""

    def __init__(self) -> None:
        self.max_error = Fraction(0)
        self.count = 0
        self.first: str | None = None

    def double(self, value: Any, label: Any) -> float:
        exact = Fraction(value)
        try:
            x = float(exact)
        except OverflowError:
            raise InvalidNumber(f"{label() if callable(label) else label} = {exact} is too large for a double") from None
        error = abs(Fraction(x) - exact)
        if error:
            self.count += 1
            if self.first is None:
                self.first = f"{label() if callable(label) else label} = {exact}"
            self.max_error = max(self.max_error, error)
        return x

    def check(self, allow_rounding: bool, where: str, what: str) -> None:
        if self.count and not allow_rounding:
            raise InvalidNumber(
                f"{where}: {self.first} is not exactly a double (OpenSpiel stores {what} as doubles); "
                f"{self.count} number(s) would be rounded to the nearest double, the largest rounding error is "
                f"{self.max_error} (about {float(self.max_error):.3g}); allow rounding to convert anyway "
                "(allow_rounding=True, or jalverify convert --allow-rounding)")


def _check_size(entries: int, where: str) -> None:
    if entries > MAX_ENTRIES:
        raise GameTooLarge(f"{where}: {entries} payoff entries, more than the limit {MAX_ENTRIES}")


# --- OpenSpiel -> jalverify -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenSpielNormalForm:
    """A normal-form game read from OpenSpiel.

    Attributes
    ----------
    game : NormalFormGame
        Exact field; players ``p0, p1, ...``; OpenSpiel's action names; named by OpenSpiel's short name.
    source : str
        The OpenSpiel game string (``str(game)``, e.g. ``"matrix_rps()"``).
    reading : PayoffReading
        How the doubles were read (module docstring).
    """

    game: NormalFormGame
    source: str
    reading: PayoffReading

    @property
    def notes(self) -> str:
        return f"Read from the OpenSpiel game {self.source}; {self.reading.description}."


def _load_game(pyspiel: Any, spec: str, where: str) -> Any:
    """``pyspiel.load_game(spec)`` with typed errors; ``python_*`` games are registered by importing
    ``open_spiel.python.games`` first."""
    base = spec.split("(", 1)[0].strip()
    if not base:
        raise InvalidOption(f"{where}: no OpenSpiel game named in {spec!r} (write e.g. openspiel:matrix_rps)")
    if base not in pyspiel.registered_names() and base.startswith("python_"):
        importlib.import_module("open_spiel.python.games")
    if base not in pyspiel.registered_names():
        raise UnknownName(f"{where}: OpenSpiel has no game named {base!r} (pyspiel.registered_names() lists them)")
    try:
        return pyspiel.load_game(spec)
    except (pyspiel.SpielError, IndexError, KeyError, ValueError) as exc:
        raise InvalidOption(f"{where}: pyspiel.load_game({spec!r}) failed: {str(exc).splitlines()[0]}") from exc


def _action_names(state: Any, player: int, actions: Sequence[int]) -> list[str]:
    names = [state.action_to_string(player, a) or f"action {a}" for a in actions]
    repeated = {n for n in names if names.count(n) > 1}
    return [f"{n} ({a})" if n in repeated else n for n, a in zip(names, actions)]


def from_openspiel(source: Any, *, reading: PayoffReading | str = PayoffReading.EXACT_BINARY) -> OpenSpielNormalForm:
    """Read an OpenSpiel normal-form game (a ``load_game`` string or a game object) exactly.

    Parameters
    ----------
    source : str or pyspiel.Game
        ``"matrix_rps"``, ``"blotto(coins=4,fields=2)"``, the game made by ``create_matrix_game`` ...
    reading : PayoffReading or {"exact-binary", "short-decimal"}
        How doubles become exact numbers (module docstring); default the exact binary values.

    Raises
    ------
    MissingExtra
        pyspiel is not installed.
    UnknownName, InvalidOption
        No such OpenSpiel game, or ``load_game`` refused the string.
    UnsupportedGame
        The game does not end after one simultaneous move (a chance node first, or more moves).
    InvalidNumber
        A payoff is not finite, or (short-decimal reading) not a short decimal.
    GameTooLarge
        More than :data:`MAX_ENTRIES` payoffs.
    """
    where = "from_openspiel()"
    pyspiel = _pyspiel(where)
    how = _reading(reading)
    game = _load_game(pyspiel, source, where) if isinstance(source, str) else source
    label = str(game)
    n = game.num_players()
    state = game.new_initial_state()
    if state.is_chance_node() or state.is_terminal():
        raise UnsupportedGame(f"{where}: {label} is not a normal-form game: its initial state is "
                              f"{'a chance node' if state.is_chance_node() else 'terminal'}")
    if not state.is_simultaneous_node() and not (n == 1 and state.current_player() == 0):
        raise UnsupportedGame(f"{where}: {label} is not a normal-form game: player {state.current_player()} moves "
                              "alone first (a sequential game)")
    legal = [list(state.legal_actions(p)) for p in range(n)]
    counts = tuple(len(a) for a in legal)
    _check_size(n * math.prod(counts), where)
    names = [_action_names(state, p, legal[p]) for p in range(n)]
    payoffs = np.empty((n, *counts), dtype=object)
    direct = isinstance(game, pyspiel.NormalFormGame)
    for index in itertools.product(*(range(k) for k in counts)):
        joint = [legal[p][i] for p, i in enumerate(index)]
        if direct:
            values = list(game.get_utilities(joint))
        else:
            child = state.clone()
            if state.is_simultaneous_node():
                child.apply_actions(joint)
            else:
                child.apply_action(joint[0])
            if not child.is_terminal():
                raise UnsupportedGame(f"{where}: {label} is not a normal-form game: it goes on after the joint "
                                      f"action ({', '.join(names[p][i] for p, i in enumerate(index))})")
            values = list(child.returns())
        for p in range(n):
            payoffs[(p, *index)] = _read_double(
                float(values[p]), how,
                f"{where}: the payoff of player {p} at ({', '.join(names[q][i] for q, i in enumerate(index))})")
    jal = NormalFormGame(payoffs, None, names, name=game.get_type().short_name)
    return OpenSpielNormalForm(jal, label, how)


def read_openspiel_spec(spec: str) -> LoadedGame:
    """The ``openspiel:<game string>`` reader behind :func:`jalverify.games.formats.reading.read_game`: the
    game read with the default (exact binary) reading."""
    if not spec.startswith(SCHEME):
        raise InvalidOption(f"read_openspiel_spec(): {spec!r} does not start with {SCHEME!r}")
    out = from_openspiel(spec[len(SCHEME):].strip())
    return LoadedGame(out.game, spec, f"{CITATION}; game {out.source}", out.notes)


# --- jalverify -> OpenSpiel (normal form) ------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenSpielExport:
    """A normal-form game built in OpenSpiel.

    Attributes
    ----------
    game : pyspiel.MatrixGame or pyspiel.TensorGame
    kind : {"matrix", "tensor"}
    max_rounding_error : Fraction
        Largest ``|float(p) - p|`` over the payoffs (0 when every payoff is a double).
    rounded : int
        How many payoffs were not doubles.
    """

    game: Any
    kind: str
    max_rounding_error: Fraction
    rounded: int


@dataclass(frozen=True)
class _Doubles:
    short_name: str
    long_name: str
    actions: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray  # float64, shape (n, *k)
    rounding: _Rounding


def _short_name(name: str | None) -> str:
    text = re.sub(r"[^A-Za-z0-9_]", "_", name or "game")
    return text if text[:1].isalpha() or text[:1] == "_" else f"g_{text}"


def _doubles(game: NormalFormGame, allow_rounding: bool, where: str) -> _Doubles:
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGame(f"{where}: {type(game).__name__} is not a normal-form game (stochastic games: "
                              "export_stochastic_game)")
    _check_size(game.n_players * game.n_joint_actions, where)
    rounding = _Rounding()
    values = np.empty(game.payoffs.shape, dtype=np.float64)
    for i in range(game.n_players):
        for joint in game.joint_actions():
            values[(i, *joint)] = rounding.double(
                game.payoffs[(i, *joint)],
                lambda i=i, joint=joint: (f"the payoff of {game.players[i]} at "
                                          f"({', '.join(game.actions[p][a] for p, a in enumerate(joint))})"))
    rounding.check(allow_rounding, where, "payoffs")
    short = _short_name(game.name)
    return _Doubles(short, f"{game.name or 'game'} (from jalverify)", game.actions, values, rounding)


def to_openspiel(game: NormalFormGame, *, allow_rounding: bool = False) -> OpenSpielExport:
    """``pyspiel.create_matrix_game`` (two players) or ``pyspiel.create_tensor_game`` (otherwise) for ``game``.

    Raises
    ------
    MissingExtra
    InvalidNumber
        A payoff is not exactly a double and ``allow_rounding`` is false (the message gives the largest error).
    UnsupportedGame
        Not a normal-form game.
    """
    where = "to_openspiel()"
    pyspiel = _pyspiel(where)
    d = _doubles(game, allow_rounding, where)
    if game.n_players == 2:
        built = pyspiel.create_matrix_game(d.short_name, d.long_name, list(d.actions[0]), list(d.actions[1]),
                                           d.payoffs[0].tolist(), d.payoffs[1].tolist())
        kind = "matrix"
    else:
        built = pyspiel.create_tensor_game(d.short_name, d.long_name, [list(a) for a in d.actions],
                                           [d.payoffs[i].reshape(-1).tolist() for i in range(game.n_players)])
        kind = "tensor"
    return OpenSpielExport(built, kind, d.rounding.max_error, d.rounding.count)


@dataclass(frozen=True)
class OpenSpielPythonFile:
    """The text of a Python file that builds a game with ``pyspiel`` (``game = pyspiel.create_...``)."""

    text: str
    kind: str
    max_rounding_error: Fraction
    rounded: int

    @property
    def rounding_note(self) -> str:
        if not self.rounded:
            return "every payoff is exactly a double"
        return (f"{self.rounded} payoff(s) rounded to the nearest double, largest rounding error "
                f"{self.max_rounding_error} (about {float(self.max_rounding_error):.3g})")


def _py_list(values: Any, indent: str) -> str:
    """A nested list of floats / strings as Python source, one innermost row per line."""
    if isinstance(values, list) and values and isinstance(values[0], list):
        inner = ",\n".join(indent + "    " + _py_list(v, indent + "    ").lstrip() for v in values)
        return "[\n" + inner + ",\n" + indent + "]"
    return "[" + ", ".join(repr(float(v)) if isinstance(v, float) else repr(v) for v in values) + "]"


def openspiel_python_source(game: NormalFormGame, *, allow_rounding: bool = False, source: str = "",
                            file_name: str = "game.py") -> OpenSpielPythonFile:
    """The text of a Python file that rebuilds ``game`` in OpenSpiel (module docstring; doubles written with
    ``repr``, which reads back to the same double).  ``source`` (where the game came from) and ``file_name``
    appear in the file's docstring.

    Raises
    ------
    InvalidNumber
        A payoff is not exactly a double and ``allow_rounding`` is false.
    UnsupportedGame
        Not a normal-form game.
    """
    where = "openspiel_python_source()"
    d = _doubles(game, allow_rounding, where)
    kind = "matrix" if game.n_players == 2 else "tensor"
    note = OpenSpielPythonFile("", kind, d.rounding.max_error, d.rounding.count).rounding_note
    origin = f" from {source}" if source else ""
    header = [
        f'"""OpenSpiel {kind} game {d.short_name!r}, written by jalverify{origin}.',
        "",
        f"Payoffs: {note}.  Player names are not kept (OpenSpiel has none); action names are.",
        "",
        "Load it in Python (``game`` is a pyspiel game):",
        "",
        "    import runpy",
        f'    game = runpy.run_path({file_name!r})["game"]',
        "",
        "and read it back with jalverify.adapters.openspiel_games.from_openspiel(game).",
        '"""',
        "",
        "import pyspiel",
        "",
    ]
    if kind == "matrix":
        body = [
            f"ROW_ACTIONS = {_py_list(list(d.actions[0]), '')}",
            f"COLUMN_ACTIONS = {_py_list(list(d.actions[1]), '')}",
            f"ROW_PAYOFFS = {_py_list(d.payoffs[0].tolist(), '')}",
            f"COLUMN_PAYOFFS = {_py_list(d.payoffs[1].tolist(), '')}",
            "",
            "game = pyspiel.create_matrix_game(",
            f"    {d.short_name!r},",
            f"    {d.long_name!r},",
            "    ROW_ACTIONS, COLUMN_ACTIONS, ROW_PAYOFFS, COLUMN_PAYOFFS,",
            ")",
        ]
    else:
        shape = "×".join(str(k) for k in game.n_actions)
        body = [
            f"ACTIONS = {_py_list([list(a) for a in d.actions], '')}",
            f"# one row per player: its payoffs over the {shape} joint actions, last player's action varying fastest",
            f"PAYOFFS = {_py_list([d.payoffs[i].reshape(-1).tolist() for i in range(game.n_players)], '')}",
            "",
            "game = pyspiel.create_tensor_game(",
            f"    {d.short_name!r},",
            f"    {d.long_name!r},",
            "    ACTIONS, PAYOFFS,",
            ")",
        ]
    footer = ["", 'if __name__ == "__main__":', "    print(game)", ""]
    return OpenSpielPythonFile("\n".join(header + body + footer), kind, d.rounding.max_error, d.rounding.count)


# --- jalverify -> OpenSpiel (stochastic games) ------------------------------------------------------------------

@dataclass(frozen=True)
class _Move:
    """The chance node after one decision: outcomes, their probabilities and what each pays."""

    outcomes: tuple[tuple[int, float], ...]  # (outcome id, probability), ids ascending
    next_state: dict[int, int]
    rewards: dict[int, tuple[float, ...]]  # R_i(s, a, s') per exported player
    lump: dict[int, tuple[float, ...]]  # R_i(s, a, s') / (1 - γ)
    label: dict[int, str]


@dataclass
class _Model:
    """Everything the exported game needs, as doubles (built once, shared by every state: a class attribute, so
    OpenSpiel's state clones do not copy it)."""

    states: tuple[str, ...]
    terminal: tuple[bool, ...]
    open_players: tuple[int, ...]
    actions: tuple[tuple[tuple[str, ...], ...], ...]  # per state, per exported player
    mover: tuple[int, ...]  # sequential games: the exported player who moves in each state
    sequential: bool
    moves: dict[tuple[int, tuple[int, ...]], _Move]
    initial: tuple[tuple[int, float], ...]
    gamma: float
    stop: tuple[tuple[int, float], ...]  # (0 continue, γ), (1 stop, 1-γ); zero-probability outcomes left out
    reward_range: tuple[float, float]
    lump_range: tuple[float, float]
    max_chance_outcomes: int
    num_distinct_actions: int
    zero_sum: bool
    common_payoff: bool
    n: int = field(init=False)

    def __post_init__(self) -> None:
        self.n = len(self.open_players)


def _fixed_distribution(policy: StationaryPolicy, s: int, fixed: Sequence[int]) -> list[tuple[int, tuple[int, ...], Fraction]]:
    """``(index, fixed joint action, probability)`` over the fixed players' joint actions with positive probability."""
    game = policy.game
    k = game.n_actions(s)
    out = []
    for index, b in enumerate(itertools.product(*(range(k[i]) for i in fixed))):
        p = Fraction(1)
        for i, a in zip(fixed, b):
            p *= Fraction(policy.distributions[s][i][a])
        if p:
            out.append((index, b, p))
    return out


def _build_model(game: StochasticGame, open_players: tuple[int, ...], fixed: tuple[int, ...],
                 policy: StationaryPolicy | None, initial: Mapping[int, Fraction], rounding: _Rounding) -> _Model:
    S = game.n_states
    gamma = Fraction(game.gamma)
    moves: dict[tuple[int, tuple[int, ...]], _Move] = {}
    rewards_seen: list[float] = []
    lumps_seen: list[float] = []
    zero_sum = len(open_players) == 2
    common = True
    max_fixed = 1
    acts: list[tuple[tuple[str, ...], ...]] = []
    movers: list[int] = []
    sequential = True
    for s in range(S):
        k = game.n_actions(s)
        acts.append(tuple(game.actions[s][i] for i in open_players))
        choosing = [j for j, i in enumerate(open_players) if k[i] > 1]
        if len(choosing) > 1:
            sequential = False
        movers.append(choosing[0] if choosing else 0)
        if game.terminal[s]:
            continue
        fixed_dist = _fixed_distribution(policy, s, fixed) if policy is not None else [(0, (), Fraction(1))]
        max_fixed = max(max_fixed, math.prod(k[i] for i in fixed))
        T, R = game.transitions[s], game.rewards[s]
        for own in itertools.product(*(range(k[i]) for i in open_players)):
            outcomes: list[tuple[int, float]] = []
            nxt: dict[int, int] = {}
            rew: dict[int, tuple[float, ...]] = {}
            lump: dict[int, tuple[float, ...]] = {}
            label: dict[int, str] = {}
            for b_index, b, pb in fixed_dist:
                full = [0] * game.n_players
                for i, a in zip(open_players, own):
                    full[i] = a
                for i, a in zip(fixed, b):
                    full[i] = a
                joint = tuple(full)
                row = T[joint].tolist()
                for t, p in enumerate(row):
                    if not p:
                        continue
                    oid = b_index * S + t
                    def where(s: int = s, joint: tuple[int, ...] = joint, t: int = t) -> str:
                        named = ", ".join(game.actions[s][i][a] for i, a in enumerate(joint))
                        return f"state {game.states[s]!r}, joint action ({named}) -> {game.states[t]!r}"

                    outcomes.append((oid, rounding.double(pb * Fraction(p), lambda w=where: f"the probability of {w()}")))
                    nxt[oid] = t
                    exact = [Fraction(R[(i, *joint, t)]) for i in open_players]
                    rew[oid] = tuple(rounding.double(r, lambda i=i, w=where: f"the reward of {game.players[i]} at {w()}")
                                     for i, r in zip(open_players, exact))
                    lump[oid] = tuple(
                        rounding.double(r / (1 - gamma),
                                        lambda i=i, w=where: f"the reward / (1 - gamma) of {game.players[i]} at {w()}")
                        for i, r in zip(open_players, exact))
                    rewards_seen.extend(rew[oid])
                    lumps_seen.extend(lump[oid])
                    zero_sum = zero_sum and exact[0] == -exact[1]
                    common = common and all(r == exact[0] for r in exact)
                    fixed_part = ", ".join(f"{game.players[i]} {game.actions[s][i][a]}" for i, a in zip(fixed, b))
                    label[oid] = (f"{fixed_part}; " if fixed_part else "") + f"next state {game.states[t]}"
            moves[(s, own)] = _Move(tuple(sorted(outcomes)), nxt, rew, lump, label)
    start = tuple(sorted((s, rounding.double(p, f"the initial probability of state {game.states[s]!r}"))
                         for s, p in initial.items() if p))
    stop = tuple(x for x in ((0, rounding.double(gamma, "gamma")), (1, rounding.double(1 - gamma, "1 - gamma")))
                 if x[1])
    n_distinct = max([len(a) for per in acts for a in per] + [1])
    return _Model(
        states=game.states, terminal=game.terminal, open_players=open_players, actions=tuple(acts),
        mover=tuple(movers), sequential=sequential or len(open_players) == 1, moves=moves, initial=start,
        gamma=float(gamma), stop=stop,
        reward_range=(min(rewards_seen + [0.0]), max(rewards_seen + [0.0])),
        lump_range=(min(lumps_seen + [0.0]), max(lumps_seen + [0.0])),
        max_chance_outcomes=max(S * max_fixed, 2), num_distinct_actions=n_distinct,
        zero_sum=zero_sum, common_payoff=common and len(open_players) > 1,
    )


def _read_initial(game: StochasticGame, initial: Any, where: str) -> dict[int, Fraction]:
    if initial is None:
        if game.initial is None:
            raise UnsupportedGame(f"{where}: game {game.name or '(unnamed)'!r} has no initial distribution; "
                                  f"name the start state (initial=..., one of {list(game.states)})")
        return {s: Fraction(p) for s, p in enumerate(game.initial.tolist())}
    if isinstance(initial, (str, int)):
        return {game.state_index(initial): Fraction(1)}
    if isinstance(initial, Mapping):
        out = {game.state_index(s): Fraction(p) for s, p in initial.items()}
        if any(p < 0 for p in out.values()) or sum(out.values()) != 1:
            raise InvalidOption(f"{where}: initial distribution {dict(initial)!r} is not a probability distribution")
        return out
    raise InvalidOption(f"{where}: initial must be a state name, a state index or a mapping state -> probability, "
                        f"got {type(initial).__name__}")


@dataclass(frozen=True)
class ExportedStochasticGame:
    """A stochastic game registered in OpenSpiel by :func:`export_stochastic_game`.

    Attributes
    ----------
    name : str
        The registered short name: ``pyspiel.load_game(name)`` or ``load_game(f"{name}(horizon=50)")``.
    players : tuple of str
        The jalverify names of OpenSpiel players 0, 1, ...
    fixed_players : tuple of str
        Players whose fixed stationary policy is drawn at the chance nodes.
    states : tuple of str
    sequential : bool
        Player nodes (a turn-based game) rather than simultaneous nodes.
    max_rounding_error : Fraction
        Largest change of a probability, reward or γ made by converting it to a double.
    """

    name: str
    players: tuple[str, ...]
    fixed_players: tuple[str, ...]
    states: tuple[str, ...]
    sequential: bool
    max_rounding_error: Fraction

    def game_string(self, *, horizon: int = DEFAULT_HORIZON, discounting: str = "stop") -> str:
        """The ``pyspiel.load_game`` string with these parameters."""
        return f"{self.name}(discounting={discounting},horizon={int(horizon)})"

    def load(self, *, horizon: int = DEFAULT_HORIZON, discounting: str = "stop") -> Any:
        """``pyspiel.load_game`` of the registered game with these parameters."""
        pyspiel = _pyspiel("ExportedStochasticGame.load()")
        return pyspiel.load_game(self.name, {"horizon": int(horizon), "discounting": discounting})

    def state_key(self, state: int | str) -> str:
        """``str()`` of the decision node of ``state`` (the key of OpenSpiel's ``value_iteration`` results)."""
        s = state if isinstance(state, int) else self.states.index(state)
        return f"state {self.states[s]}"


#: Names registered by this module (registering one again replaces it, as OpenSpiel does).
_REGISTERED: dict[str, ExportedStochasticGame] = {}


def _game_classes(pyspiel: Any, model: _Model, name: str, long_name: str) -> Any:
    """The ``pyspiel.Game`` subclass of an exported game (OpenSpiel's Python game API)."""
    G = pyspiel.GameType
    if model.n == 1 or not (model.zero_sum or model.common_payoff):
        utility = G.Utility.GENERAL_SUM
    else:
        utility = G.Utility.ZERO_SUM if model.zero_sum else G.Utility.IDENTICAL
    game_type = pyspiel.GameType(
        short_name=name, long_name=long_name,
        dynamics=G.Dynamics.SEQUENTIAL if model.sequential else G.Dynamics.SIMULTANEOUS,
        chance_mode=G.ChanceMode.EXPLICIT_STOCHASTIC, information=G.Information.PERFECT_INFORMATION,
        utility=utility, reward_model=G.RewardModel.REWARDS,
        max_num_players=model.n, min_num_players=model.n,
        provides_information_state_string=False, provides_information_state_tensor=False,
        provides_observation_string=True, provides_observation_tensor=True,
        provides_factored_observation_string=False,
        parameter_specification={"horizon": DEFAULT_HORIZON, "discounting": "stop"})
    S = len(model.states)
    CHANCE, SIMULTANEOUS, TERMINAL = pyspiel.PlayerId.CHANCE, pyspiel.PlayerId.SIMULTANEOUS, pyspiel.PlayerId.TERMINAL

    class Observer:
        """The current state: its name (``string_from``) and a one-hot vector over the states (``tensor``)."""

        def __init__(self, iig_obs_type: Any, params: Any) -> None:
            if params:
                raise InvalidOption(f"{name}: observation parameters are not supported, got {params!r}")
            self.tensor = np.zeros(S, np.float32)
            self.dict = {"state": self.tensor}

        def set_from(self, state: Any, player: int) -> None:
            self.tensor.fill(0)
            self.tensor[state.jal_state] = 1

        def string_from(self, state: Any, player: int) -> str:
            return model.states[state.jal_state]

    class State(pyspiel.State):
        """One node of the exported game (module docstring: decision, transition chance, stop chance)."""

        def __init__(self, game: Any, horizon: int, discounting: str) -> None:
            super().__init__(game)
            self._horizon = horizon
            self._discounting = discounting
            self.jal_state = model.initial[0][0]
            self._phase = "start" if len(model.initial) > 1 else "decide"
            self._own: tuple[int, ...] = ()
            self._outcome = -1
            self._step = 0
            self._end = ""
            self._rewards = np.zeros(model.n)
            self._returns = np.zeros(model.n)
            if self._phase == "decide" and model.terminal[self.jal_state]:
                self._finish("terminal state", None)

        # --- helpers
        def _finish(self, reason: str, pay: tuple[float, ...] | None) -> None:
            self._phase = "over"
            self._end = reason
            self._pay(pay)

        def _pay(self, pay: tuple[float, ...] | None) -> None:
            self._rewards = np.zeros(model.n) if pay is None else np.asarray(pay, dtype=np.float64)
            self._returns = self._returns + self._rewards

        def _move(self) -> _Move:
            return model.moves[(self.jal_state, self._own)]

        def _decided(self, own: tuple[int, ...]) -> None:
            if (self.jal_state, own) not in model.moves:
                raise InvalidOption(f"{name}: joint action {list(own)} is not legal in state "
                                    f"{model.states[self.jal_state]!r}")
            self._own = own
            self._phase = "transition"
            self._pay(None)

        def _next(self, t: int, pay: tuple[float, ...] | None) -> None:
            self.jal_state = t
            if self._step >= self._horizon:
                self._finish("horizon", pay)
            else:
                self._phase = "decide"
                self._pay(pay)

        # --- OpenSpiel API
        def current_player(self) -> int:
            if self._phase == "over":
                return TERMINAL
            if self._phase != "decide":
                return CHANCE
            return model.mover[self.jal_state] if model.sequential else SIMULTANEOUS

        def _legal_actions(self, player: int) -> list[int]:
            if self._phase != "decide":
                return []
            return list(range(len(model.actions[self.jal_state][player])))

        def chance_outcomes(self) -> list[tuple[int, float]]:
            if self._phase == "start":
                return list(model.initial)
            if self._phase == "transition":
                return list(self._move().outcomes)
            if self._phase == "stop":
                return list(model.stop)
            return []

        def _apply_actions(self, actions: Sequence[int]) -> None:
            self._decided(tuple(int(a) for a in actions))

        def _apply_action(self, action: int) -> None:
            if self._phase == "decide":
                own = [0] * model.n
                own[model.mover[self.jal_state]] = int(action)
                self._decided(tuple(own))
            elif self._phase == "start":
                self.jal_state = int(action)
                self._phase = "decide"
                if model.terminal[self.jal_state]:
                    self._finish("terminal state", None)
            elif self._phase == "transition":
                self._outcome = int(action)
                self._step += 1
                move = self._move()
                t = move.next_state[self._outcome]
                if model.terminal[t]:
                    self.jal_state = t
                    self._finish("terminal state", move.rewards[self._outcome])
                elif self._discounting == "none":
                    self._next(t, move.rewards[self._outcome])
                else:
                    self._phase = "stop"
                    self._pay(None)
            elif self._phase == "stop":
                move = self._move()
                stopped = int(action) == 1
                per_step = self._discounting == "stop"
                if stopped:
                    pay = move.rewards[self._outcome] if per_step else move.lump[self._outcome]
                    self._finish("stopped", pay)
                else:
                    self._next(move.next_state[self._outcome], move.rewards[self._outcome] if per_step else None)
            else:
                raise InvalidOption(f"{name}: no action can be applied to a terminal state")

        def _action_to_string(self, player: int, action: int) -> str:
            s = self.jal_state
            if player == CHANCE:
                if self._phase == "start":
                    return f"start in {model.states[action]}"
                if self._phase == "stop":
                    return "stop" if action == 1 else "continue"
                if self._phase == "transition":
                    return self._move().label.get(action, f"outcome {action}")
                return f"outcome {action}"
            names = model.actions[s][player] if 0 <= player < model.n else ()
            return names[action] if 0 <= action < len(names) else f"action {action}"

        def is_terminal(self) -> bool:
            return self._phase == "over"

        def rewards(self) -> list[float]:
            return self._rewards.tolist()

        def returns(self) -> list[float]:
            return self._returns.tolist()

        def __str__(self) -> str:
            here = f"state {model.states[self.jal_state]}"
            if self._phase == "decide":
                return here
            if self._phase == "start":
                return "start"
            if self._phase == "over":
                return f"{here} | end: {self._end} | returns ({', '.join(repr(r) for r in self._returns.tolist())})"
            joint = ", ".join(model.actions[self.jal_state][j][a] for j, a in enumerate(self._own))
            if self._phase == "transition":
                return f"{here} | joint ({joint}) | transition"
            return f"{here} | joint ({joint}) | {self._move().label[self._outcome]} | stop?"

    class Game(pyspiel.Game):
        """An exported jalverify stochastic game (module docstring)."""

        def __init__(self, params: Mapping[str, Any] | None = None) -> None:
            params = dict(params or {})
            horizon = int(params.get("horizon", DEFAULT_HORIZON))
            discounting = str(params.get("discounting", "stop"))
            if horizon < 1:
                raise InvalidOption(f"{name}: horizon must be at least 1, got {horizon}")
            if discounting not in DISCOUNTING:
                raise InvalidOption(f"{name}: discounting {discounting!r} is not one of {list(DISCOUNTING)}")
            if discounting == "stop_terminal_payoff":
                lo, hi = model.lump_range
            else:
                lo, hi = min(0.0, horizon * model.reward_range[0]), max(0.0, horizon * model.reward_range[1])
            info = pyspiel.GameInfo(
                num_distinct_actions=model.num_distinct_actions, max_chance_outcomes=model.max_chance_outcomes,
                num_players=model.n, min_utility=min(lo, 0.0), max_utility=max(hi, 0.0),
                utility_sum=0.0 if utility == G.Utility.ZERO_SUM else None, max_game_length=horizon)
            super().__init__(game_type, info, {"horizon": horizon, "discounting": discounting})
            self._horizon = horizon
            self._discounting = discounting

        def new_initial_state(self) -> Any:
            return State(self, self._horizon, self._discounting)

        def make_py_observer(self, iig_obs_type: Any = None, params: Any = None) -> Any:
            return Observer(iig_obs_type, params)

    return game_type, Game


def export_stochastic_game(game: StochasticGame, *, name: str | None = None, initial: Any = None,
                           policy: StationaryPolicy | None = None, fixed_players: Sequence[int | str] = (),
                           allow_rounding: bool = False) -> ExportedStochasticGame:
    """Register ``game`` as an OpenSpiel Python game (module docstring) and describe it.

    Parameters
    ----------
    game : StochasticGame
    name : str, optional
        The OpenSpiel short name (letters, digits, ``_``); default ``jalverify_<game name>``.  A name this module
        registered before is replaced; an OpenSpiel game's name is refused.
    initial : state name, state index or mapping state -> probability, optional
        Where the game starts; default the game's initial distribution (required when the game has none).
    policy, fixed_players : StationaryPolicy, sequence of players
        Players who play ``policy`` and are drawn at the chance nodes instead of being OpenSpiel players.
    allow_rounding : bool
        Accept probabilities, rewards and γ that are not exactly doubles (rounded to the nearest one).

    Raises
    ------
    MissingExtra, UnsupportedGame, InvalidOption, InvalidNumber, UnknownName
    """
    where = "export_stochastic_game()"
    pyspiel = _pyspiel(where)
    if not isinstance(game, StochasticGame):
        raise UnsupportedGame(f"{where}: {type(game).__name__} is not a stochastic game (normal-form games: "
                              "to_openspiel)")
    fixed = tuple(sorted({_player_index(game, p, where) for p in fixed_players}))
    if fixed and policy is None:
        raise InvalidOption(f"{where}: fixed_players {list(fixed_players)} need the policy they play (policy=...)")
    if policy is not None and not fixed:
        raise InvalidOption(f"{where}: a policy was given but no fixed_players to play it")
    if policy is not None and policy.game is not game and policy.game != game:
        raise InvalidOption(f"{where}: the policy is for another game")
    open_players = tuple(i for i in range(game.n_players) if i not in fixed)
    if not open_players:
        raise InvalidOption(f"{where}: every player is fixed; OpenSpiel needs at least one player")
    short = name if name is not None else _short_name(f"jalverify_{game.name or 'game'}")
    if not _NAME.match(short):
        raise InvalidOption(f"{where}: name {short!r} is not an OpenSpiel short name (letters, digits and _)")
    if short in pyspiel.registered_names() and short not in _REGISTERED:
        raise InvalidOption(f"{where}: {short!r} is already an OpenSpiel game; choose another name")
    rounding = _Rounding()
    model = _build_model(game, open_players, fixed, policy, _read_initial(game, initial, where), rounding)
    rounding.check(allow_rounding, where, "probabilities and rewards")
    game_type, game_class = _game_classes(pyspiel, model, short, f"{game.name or 'game'} (from jalverify)")
    pyspiel.register_game(game_type, game_class)
    out = ExportedStochasticGame(short, tuple(game.players[i] for i in open_players),
                                 tuple(game.players[i] for i in fixed), game.states, model.sequential,
                                 rounding.max_error)
    _REGISTERED[short] = out
    return out


def _player_index(game: StochasticGame, player: int | str, where: str) -> int:
    if isinstance(player, str):
        if player not in game.players:
            raise UnknownName(f"{where}: no player {player!r}; players are {list(game.players)}")
        return game.players.index(player)
    if not 0 <= int(player) < game.n_players:
        raise UnknownName(f"{where}: player index {player} out of range 0..{game.n_players - 1}")
    return int(player)
