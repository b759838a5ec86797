r"""Gambit's strategic game format ``.nfg`` (payoff and outcome versions), read and written exactly.

Format (Gambit documentation, "The strategic game (.nfg) file format, payoff version" and "..., outcome
version"; https://gambitproject.readthedocs.io/en/latest/formats.html):

* prologue ``NFG 1 R "title" { "Player 1" "Player 2" }``;
* payoff version: the number of strategies of each player ``{ 3 2 }``, an optional comment string, then the
  payoffs of every contingency, each contingency listing one payoff per player;
* outcome version: the strategy labels of each player ``{ { "1" "2" "3" } { "1" "2" } }``, an optional comment
  string, the list of outcomes ``{ { "label" 1, 1 } { "" 0, 2 } ... }``, then one outcome index per
  contingency (1-based; 0 is the null outcome, all payoffs 0).

Contingencies are listed with the **first player's strategy varying fastest** (the reverse of numpy's C order).
Whitespace is not significant, commas separate numbers, and ``\"`` escapes a quote inside a label.  Numbers may
be integers, ``p/q`` rationals or decimals (``.80`` is exactly 4/5); they are read exactly.

Our model needs non-empty, distinct names: an empty player label becomes ``Player k`` and an empty strategy
label becomes its 1-based position ``"k"`` (Gambit's own default labels); duplicate labels are an error.  The
payoff version carries no strategy labels, so its strategies are named ``"1"``, ``"2"``, ... on reading; write
the outcome version (the default) to keep action names.  The title becomes the game's ``name``.  Not kept on
reading (our game model has no place for them): the optional comment, outcome labels, and which contingencies
share an outcome; :func:`dump_nfg` writes one unlabelled outcome per contingency.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidFile, InvalidGame, InvalidNumber
from jalverify.files import write_text_atomically
from jalverify.games.formats.json_format import read_text_file
from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import EXACT, Field, field_named, parse_number

__all__ = ["load_nfg", "parse_nfg", "dump_nfg", "save_nfg", "gambit_order"]


#: Payoff arrays up to this many entries are allocated before the file is read to the end (which then names the
#: first missing number); larger ones only when the file holds enough tokens for them.
_MAX_UNCHECKED = 100_000


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "string", "{", "}"
    text: str
    line: int
    column: int


def _tokens(text: str, label: str) -> list[_Token]:
    out: list[_Token] = []
    i, line, col = 0, 1, 1
    n = len(text)

    def advance(ch: str) -> None:
        nonlocal line, col
        if ch == "\n":
            line, col = line + 1, 1
        else:
            col += 1

    while i < n:
        ch = text[i]
        if ch.isspace() or ch == ",":
            advance(ch)
            i += 1
            continue
        if ch in "{}":
            out.append(_Token(ch, ch, line, col))
            advance(ch)
            i += 1
            continue
        if ch == '"':
            start_line, start_col = line, col
            advance(ch)
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise InvalidFile(f"{label}: line {start_line}, column {start_col}: unterminated string")
                ch = text[i]
                if ch == "\\" and i + 1 < n:
                    buf.append(text[i + 1])
                    advance(ch)
                    advance(text[i + 1])
                    i += 2
                    continue
                advance(ch)
                i += 1
                if ch == '"':
                    break
                buf.append(ch)
            out.append(_Token("string", "".join(buf), start_line, start_col))
            continue
        start_line, start_col = line, col
        j = i
        while j < n and not (text[j].isspace() or text[j] in '{},"'):
            advance(text[j])
            j += 1
        out.append(_Token("word", text[i:j], start_line, start_col))
        i = j
    return out


class _Parser:
    def __init__(self, tokens: list[_Token], label: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.label = label

    def fail(self, message: str, token: _Token | None = None) -> InvalidFile:
        tok = token if token is not None else self.peek()
        where = "end of file" if tok is None else f"line {tok.line}, column {tok.column}"
        return InvalidFile(f"{self.label}: {where}: {message}")

    def peek(self, ahead: int = 0) -> _Token | None:
        k = self.pos + ahead
        return self.tokens[k] if k < len(self.tokens) else None

    def next(self, expected: str) -> _Token:
        tok = self.peek()
        if tok is None:
            raise self.fail(f"unexpected end of file, expected {expected}")
        self.pos += 1
        return tok

    def expect(self, kind: str, expected: str, text: str | None = None) -> _Token:
        tok = self.next(expected)
        if tok.kind != kind or (text is not None and tok.text != text):
            raise self.fail(f"expected {expected}, got {tok.text!r}", tok)
        return tok

    def number(self, expected: str) -> Fraction:
        tok = self.expect("word", expected)
        try:
            return parse_number(tok.text, where="number")
        except InvalidNumber as exc:
            raise self.fail(f"expected {expected}, got {tok.text!r}", tok) from exc

    def integer(self, expected: str, minimum: int) -> int:
        tok = self.expect("word", expected)
        text = tok.text
        if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < minimum:
            shown = text if len(text) <= 40 else f"{text[:20]}... ({len(text)} characters)"
            raise self.fail(f"expected {expected} (an integer >= {minimum}), got {shown!r}", tok)
        return int(text)

    def remaining(self) -> int:
        return len(self.tokens) - self.pos

    def strings(self, what: str, one: str) -> list[_Token]:
        self.expect("{", f"'{{' opening the list of {what}")
        out: list[_Token] = []
        while True:
            tok = self.next(f"a quoted {one} label or '}}'")
            if tok.kind == "}":
                return out
            if tok.kind != "string":
                raise self.fail(f"expected a quoted {one} label or '}}', got {tok.text!r}", tok)
            out.append(tok)


def gambit_order(counts: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Joint actions (index tuples) in Gambit's contingency order: the first player's strategy varies fastest."""
    for rev in itertools.product(*(range(k) for k in reversed(counts))):
        yield tuple(reversed(rev))


def _labels(raw: list[_Token], default: Any, kind: str, parser: _Parser, where: str) -> list[str]:
    out = [tok.text if tok.text else default(k) for k, tok in enumerate(raw)]
    seen: set[str] = set()
    for tok, name in zip(raw, out):
        if name in seen:
            raise parser.fail(f"duplicate {kind} label {name!r} in {where}", tok)
        seen.add(name)
    return out


def parse_nfg(text: str, *, source: str = "<text>", field: Field | str = EXACT) -> NormalFormGame:
    """Read a game from ``.nfg`` text (payoff or outcome version); ``source`` labels error messages.

    Raises
    ------
    InvalidFile
        Syntax errors (with line and column), wrong counts of payoffs or outcome indices, bad numbers.
    """
    p = _Parser(_tokens(text, source), source)
    p.expect("word", "'NFG'", "NFG")
    p.expect("word", "version '1'", "1")
    flag = p.expect("word", "'R' (or the obsolete 'D')")
    if flag.text not in ("R", "D"):
        raise p.fail(f"expected 'R' (or the obsolete 'D'), got {flag.text!r}", flag)
    title = p.expect("string", "the quoted game title").text
    players = _labels(p.strings("players", "player"), lambda k: f"Player {k + 1}", "player", p, "the player list")
    n = len(players)
    if n < 1:
        raise p.fail("a game needs at least one player")
    brace = p.expect("{", "'{' opening the strategy counts or labels")
    nxt = p.peek()
    outcome_version = nxt is not None and nxt.kind == "{"
    p.pos -= 1  # re-read the brace
    actions: list[list[str]]
    if outcome_version:
        p.expect("{", "'{'")
        actions = []
        for i in range(n):
            raw = p.strings("strategies", "strategy")
            if not raw:
                raise p.fail(f"player {players[i]!r} has no strategies")
            actions.append(_labels(raw, lambda k: str(k + 1), "strategy", p, f"the strategies of {players[i]!r}"))
        p.expect("}", f"'}}' closing the strategy lists ({n} players)")
    else:
        p.expect("{", "'{'")
        counts_list = [p.integer(f"the number of strategies of player {players[i]!r}", 1) for i in range(n)]
        p.expect("}", f"'}}' closing the strategy counts ({n} players)")
        _check_size(p, tuple(counts_list), n, outcome_version=False)
        actions = [[str(k + 1) for k in range(c)] for c in counts_list]
    del brace
    counts = tuple(len(a) for a in actions)
    if p.peek() is not None and p.peek().kind == "string":  # type: ignore[union-attr]
        p.next("comment")
    _check_size(p, counts, n, outcome_version)
    payoffs = EXACT.zeros((n,) + counts)
    order = list(gambit_order(counts))
    if outcome_version:
        p.expect("{", "'{' opening the outcome list")
        outcomes: list[list[Fraction]] = []
        while True:
            tok = p.next("an outcome '{ \"label\" payoffs }' or '}'")
            if tok.kind == "}":
                break
            if tok.kind != "{":
                raise p.fail(f"expected an outcome '{{ \"label\" payoffs }}' or '}}', got {tok.text!r}", tok)
            p.expect("string", "the quoted outcome label")
            values = [p.number(f"the payoff of player {players[i]!r} in outcome {len(outcomes) + 1}") for i in range(n)]
            p.expect("}", f"'}}' closing outcome {len(outcomes) + 1} (exactly {n} payoffs)")
            outcomes.append(values)
        for joint in order:
            tok = p.peek()
            index = p.integer(f"the outcome index of contingency {_one_based(joint)}", 0)
            if index > len(outcomes):
                raise p.fail(f"outcome index {index} out of range 0..{len(outcomes)}", tok)
            for i in range(n):
                payoffs[(i,) + joint] = outcomes[index - 1][i] if index else Fraction(0)
    else:
        for joint in order:
            for i in range(n):
                payoffs[(i,) + joint] = p.number(f"the payoff of player {players[i]!r} at contingency {_one_based(joint)}")
    extra = p.peek()
    if extra is not None:
        raise p.fail(f"unexpected text after the last {'outcome index' if outcome_version else 'payoff'}: {extra.text!r}", extra)
    try:
        game = NormalFormGame(payoffs, players, actions, field=EXACT, name=title or None)
    except InvalidGame as exc:
        raise InvalidFile(f"{source}: {exc}") from exc
    fld = field_named(field)
    return game if fld == game.field else game.to_field(fld)


def _check_size(p: _Parser, counts: tuple[int, ...], n: int, outcome_version: bool) -> None:
    """Before allocating: a large game's file must hold a token for every contingency's payoffs or outcome."""
    contingencies = 1
    for c in counts:
        contingencies *= c
    needed = contingencies if outcome_version else n * contingencies
    if needed > p.remaining() and needed > _MAX_UNCHECKED:
        what = "outcome indices" if outcome_version else "payoffs"
        raise p.fail(f"the strategy counts {list(counts)} need {needed} {what}, but only {p.remaining()} "
                     f"tokens follow")


def _one_based(joint: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(a + 1 for a in joint)


def load_nfg(path: str | os.PathLike, *, field: Field | str = EXACT) -> NormalFormGame:
    """Read a game from a ``.nfg`` file (see :func:`parse_nfg`)."""
    return parse_nfg(read_text_file(path, str(path)), source=str(path), field=field)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        return str(int(f)) if f == int(f) and abs(f) < 2**53 else repr(f)
    return str(parse_number(x))


def dump_nfg(game: NormalFormGame, *, version: str = "outcome", comment: str = "") -> str:
    """Write ``game`` as ``.nfg`` text.

    Parameters
    ----------
    version : {"outcome", "payoff"}
        The outcome version (default) keeps strategy labels; the payoff version has only strategy counts.
        Each contingency gets its own outcome, numbered in Gambit's contingency order.
    comment : str
        The optional comment line.
    """
    if version not in ("outcome", "payoff"):
        raise InvalidFile(f"dump_nfg(): version must be 'outcome' or 'payoff', got {version!r}")
    n = game.n_players
    head = f"NFG 1 R {_quote(game.name or '')} {{ {' '.join(_quote(p) for p in game.players)} }}"
    lines = [head, ""]
    order = list(gambit_order(game.n_actions))
    P = game.payoffs
    if version == "payoff":
        lines.append("{ " + " ".join(str(k) for k in game.n_actions) + " }")
        lines.append(_quote(comment))
        lines.append("")
        lines.append(" ".join(_num(P[(i,) + joint]) for joint in order for i in range(n)))
    else:
        lines.append("{")
        for acts in game.actions:
            lines.append("{ " + " ".join(_quote(a) for a in acts) + " }")
        lines.append("}")
        lines.append(_quote(comment))
        lines.append("")
        lines.append("{")
        for joint in order:
            lines.append('{ "" ' + ", ".join(_num(P[(i,) + joint]) for i in range(n)) + " }")
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(order))))
    return "\n".join(lines) + "\n"


def save_nfg(game: NormalFormGame, path: str | os.PathLike, *, version: str = "outcome", comment: str = "") -> None:
    """Write ``game`` to ``path`` as ``.nfg`` (see :func:`dump_nfg`)."""
    write_text_atomically(path, dump_nfg(game, version=version, comment=comment))
