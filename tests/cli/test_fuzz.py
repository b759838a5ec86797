"""Fuzz of the ``jalverify`` entry point, in-process (issue 10, section 5): Hypothesis-generated malformed game
files (mutated catalog games: deleted keys, wrong types, random bytes, truncation), malformed ``.nfg`` and policy
files, and random argument lists for show, convert, solve, classify, evaluate and nosde.

Every run must end with an exit code in {0, 1, 2}, print no traceback, and write nothing when it fails.  The
quick profile runs a few dozen examples per test; ``--hypothesis-profile=thorough`` runs thousands.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalverify.cli import main
from jalverify.games.catalog import path as catalog_path
from jalverify.strategies.hypothesis_profiles import PROFILES

# small games only: the fuzz must not start long jobs
SMALL = ("prisoners_dilemma", "matching_pennies", "chicken", "stag_hunt", "battle_of_the_sexes",
         "rock_paper_scissors", "degenerate_3x2", "three_player_matching_pennies", "nosde")
DOCS = {name: json.loads(Path(catalog_path(name)).read_text(encoding="utf-8")) for name in SMALL}
NFG = ('NFG 1 R "pd" { "row" "column" }\n{ { "c" "d" } { "c" "d" } }\n""\n'
       '{ { "" 3, 3 } { "" 5, 0 } { "" 0, 5 } { "" 1, 1 } }\n1 2 3 4\n')
POLICY = '{"s1": [["1/2", "1/2"], [1]], "s2": [[1], ["1/3", "2/3"]]}'


def _examples(quick: int) -> int:
    """``quick`` examples in the quick profile, 100 times as many (thousands in all) in the thorough one, however
    it was chosen (``--hypothesis-profile=thorough`` or ``HYPOTHESIS_PROFILE=thorough``: both are loaded into
    Hypothesis' default settings before this module is collected)."""
    from jalverify.strategies.hypothesis_profiles import PROFILES

    return quick * 100 if settings.default.max_examples >= PROFILES["thorough"] else quick


def _fuzz_settings(quick: int) -> settings:
    return settings(max_examples=_examples(quick), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.just(10**400),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8),
                    st.sampled_from(["1/0", "1e999999", "NaN", "-3/4", "0.1", "", "9" * 5000]))
JUNK = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                         inner, max_size=3),
                    max_leaves=8)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for k, v in enumerate(value):
            out += _paths(v, prefix + (k,))
    return out


@st.composite
def mutated_game(draw: Any) -> bytes:
    doc = json.loads(json.dumps(DOCS[draw(st.sampled_from(SMALL))]))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        where = draw(st.sampled_from(paths))
        parent = doc
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["delete", "replace", "duplicate"]))
        if action == "delete":
            del parent[where[-1]]
        elif action == "replace":
            parent[where[-1]] = draw(JUNK)
        elif isinstance(parent, list):
            parent.append(parent[where[-1]])
        else:
            parent[str(where[-1]) + "_"] = parent[where[-1]]
    text = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return _byte_mutation(draw, text)


def _byte_mutation(draw: Any, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["none", "truncate", "bytes", "insert"]))
    if kind == "truncate" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "bytes" and data:
        k = draw(st.integers(0, len(data) - 1))
        return data[:k] + draw(st.binary(min_size=1, max_size=4)) + data[k + 1:]
    if kind == "insert":
        k = draw(st.integers(0, len(data)))
        return data[:k] + draw(st.sampled_from([b"[", b"{", b",", b"\xff", b'"', b"1e400", b"NaN"])) + data[k:]
    return data


@st.composite
def mutated_text(draw: Any, text: str) -> bytes:
    return _byte_mutation(draw, text.encode())


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _check(capfd: Any, folder: Path, argv: list[str], *, may_write: bool = True) -> None:
    before = _snapshot(folder)
    with contextlib.chdir(folder):  # a relative output name (`convert catalog:nosde catalog:chicken`) lands here
        code = main(argv)
    out, err = capfd.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "Traceback" not in out, (argv, err)
    if code == 2:
        assert err.count("\n") == 1, (argv, err)
    if code != 0 or not may_write:
        assert _snapshot(folder) == before, (argv, err)


COMMANDS = [["show"], ["show", "--format", "json", "--with-game"], ["solve", "--concept", "nash"],
            ["solve", "--concept", "ce"], ["solve", "--concept", "minimax", "--float"], ["classify"],
            ["convert", "{out}"], ["nosde"]]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_malformed_game_files(tmp_path_factory, capfd, command):
    @_fuzz_settings(8)
    @given(data=mutated_game())
    def run(data: bytes) -> None:
        folder = tmp_path_factory.mktemp("fuzz")
        game = folder / "game.json"
        game.write_bytes(data)
        argv = [command[0], str(game)] + [a.replace("{out}", str(folder / "out.nfg")) for a in command[1:]]
        _check(capfd, folder, argv)

    run()


def test_malformed_nfg_and_policy_files(tmp_path_factory, capfd):
    @_fuzz_settings(20)
    @given(nfg=mutated_text(NFG), policy=mutated_text(POLICY))
    def run(nfg: bytes, policy: bytes) -> None:
        folder = tmp_path_factory.mktemp("fuzz")
        (folder / "g.nfg").write_bytes(nfg)
        (folder / "p.json").write_bytes(policy)
        _check(capfd, folder, ["solve", str(folder / "g.nfg"), "--concept", "pure-nash"])
        _check(capfd, folder, ["evaluate", "catalog:nosde", "--policy", str(folder / "p.json")])

    run()


FLAG_VALUES = st.sampled_from(["-1", "0", "1", "3", "x", "1e9", "", "--", "nan", "catalog:zzz", "catalog:chicken",
                               "catalog:nosde", "json", "text", "ce", "nash", "payoff"])
FLAGS = {
    "solve": ["--concept", "--objective", "--tie-break", "--all", "--max-supports", "--exact", "--float", "--format"],
    "show": ["--format", "--with-game"],
    "classify": ["--format"],
    "evaluate": ["--policy", "--exact", "--float", "--format"],
    "nosde": ["--format", "--max-profiles", "--max-support-profiles", "--cycle", "--pair", "--target", "--seed",
              "--out", "--reports-dir"],
    "convert": ["--nfg-version", "--format"],
}
SMALL_SPECS = ["catalog:chicken", "catalog:matching_pennies", "catalog:nosde", "catalog:zzz", "{out}", "", "-"]


@st.composite
def argument_lists(draw: Any) -> list[str]:
    cmd = draw(st.sampled_from(sorted(FLAGS)))
    argv = [cmd] + draw(st.lists(st.sampled_from(SMALL_SPECS), max_size=2))
    for _ in range(draw(st.integers(0, 4))):
        flag = draw(st.sampled_from(FLAGS[cmd] + ["--bogus"]))
        argv.append(flag)
        if draw(st.booleans()):
            argv.append(draw(FLAG_VALUES))
    return argv


def test_random_argument_lists(tmp_path_factory, capfd):
    @_fuzz_settings(40)
    @given(argv=argument_lists())
    def run(argv: list[str]) -> None:
        folder = tmp_path_factory.mktemp("fuzz")
        args = [a.replace("{out}", str(folder / "out.json")) for a in argv]
        _check(capfd, folder, args)

    run()


def test_thorough_profile_runs_thousands():
    per_test = [8] * len(COMMANDS) + [20 * 2, 40]
    assert sum(q * 100 for q in per_test) >= 1000 and PROFILES["thorough"] >= 1000
