"""Bad inputs a new user would try (issue 10, section 5): each ends with exit 2 and ONE line on stderr naming the
value and the flag or JSON path, no traceback, nothing written; exact answers where the data allow them (a payoff
of 10**400 is solved exactly, not refused); Ctrl-C exits 130 with one line.

The table runs in-process (``main(argv)`` with ``capfd``); a representative subset runs the installed console
script in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from jalverify.cli import main
from jalverify.games.catalog import path as catalog_path

PD = json.loads(Path(catalog_path("prisoners_dilemma")).read_text(encoding="utf-8"))
MP = json.loads(Path(catalog_path("matching_pennies")).read_text(encoding="utf-8"))
NOSDE = json.loads(Path(catalog_path("nosde")).read_text(encoding="utf-8"))


def _with(doc: dict, path: tuple, value) -> dict:
    out = json.loads(json.dumps(doc))
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _zero_sum_big() -> dict:
    doc = _with(MP, ("payoffs", 0, 0, 0), 10 ** 400)
    return _with(doc, ("payoffs", 1, 0, 0), -(10 ** 400))


# name -> bytes of the file ``in.<ext>`` written into the test's folder before the run
FILES: dict[str, tuple[str, bytes]] = {
    "empty": ("json", b""),
    "binary": ("json", bytes(range(256))),
    "latin1": ("json", json.dumps(_with(PD, ("name",), "caf\u00e9"), ensure_ascii=False).encode("latin-1")),
    "latin1_nfg": ("nfg", b'NFG 1 R "caf\xe9" { "a" "b" } { 1 1 }\n1 2\n'),
    "bom": ("json", b"\xef\xbb\xbf" + json.dumps(PD).encode()),
    "truncated": ("json", json.dumps(PD).encode()[:57]),
    "duplicate_key": ("json", json.dumps(PD).replace('"kind"', '"name": "x", "name"', 1).encode()),
    "nan": ("json", json.dumps(PD).replace("[[[3", "[[[NaN", 1).encode()),
    "float_1e400": ("json", json.dumps(PD).replace("[[[3", "[[[1e400", 1).encode()),
    "big_payoff": ("json", json.dumps(_with(PD, ("payoffs", 0, 0, 0), 10 ** 400)).encode()),
    "big_zero_sum": ("json", json.dumps(_zero_sum_big()).encode()),
    "tiny_payoff": ("json", json.dumps(_with(PD, ("payoffs", 0, 0, 0), "1/" + "7" * 400)).encode()),
    "huge_int": ("json", json.dumps(PD).replace("[[[3", "[[[" + "9" * 100_000, 1).encode()),
    "huge_exponent": ("json", json.dumps(_with(PD, ("payoffs", 0, 0, 0), "1e999999999")).encode()),
    "deep": ("json", b"[" * 10_000 + b"]" * 10_000),
    "wrong_shape": ("json", json.dumps(_with(PD, ("payoffs", 0, 0), [1, 2, 3])).encode()),
    "wrong_type": ("json", json.dumps(_with(PD, ("players",), "row")).encode()),
    "unknown_kind": ("json", json.dumps(_with(PD, ("kind",), "extensive")).encode()),
    "bad_gamma": ("json", json.dumps(_with(NOSDE, ("gamma",), "3/2")).encode()),
    "policy_bad": ("json", b'{"s1": [["1/2", "1/3"], [1]], "s2": [[1], ["1/2", "1/2"]]}'),
    "nfg_huge_counts": ("nfg", b'NFG 1 R "" { "a" "b" } { 100000000 100000000 } 1 2'),
    "nfg_unicode_digit": ("nfg", 'NFG 1 R "" { "a" } { \u00b2 } 1 2'.encode()),
    "stochastic": ("json", json.dumps(NOSDE).encode()),
}

# (id, argv with {in} / {tmp} placeholders, file key or None, expected exit code, substring of stderr)
CASES: list[tuple[str, list[str], str | None, int, str]] = [
    ("missing file", ["show", "{tmp}/missing.json"], None, 2, "No such file or directory"),
    ("directory", ["show", "{tmp}"], None, 2, "Is a directory"),
    ("empty file", ["show", "{in}"], "empty", 2, "malformed JSON at line 1, column 1"),
    ("binary file", ["show", "{in}"], "binary", 2, "not UTF-8 text (byte 0x80 at offset 128)"),
    ("latin-1 game", ["solve", "{in}", "--concept", "nash"], "latin1", 2, "not UTF-8 text (byte 0xe9"),
    ("latin-1 .nfg", ["show", "{in}"], "latin1_nfg", 2, "not UTF-8 text (byte 0xe9 at offset 12)"),
    ("truncated JSON", ["show", "{in}"], "truncated", 2, "malformed JSON"),
    ("duplicate key", ["show", "{in}"], "duplicate_key", 2, "duplicate key 'name'"),
    ("NaN payoff", ["show", "{in}"], "nan", 2, "$.payoffs[0][0][0]: NaN is not a finite number"),
    ("1e400 float literal", ["show", "{in}"], "float_1e400", 2, "$.payoffs[0][0][0]: JSON float 1e400 refused"),
    ("100000-digit integer", ["show", "{in}"], "huge_int", 2, "limited to 10,000 digits"),
    ("1e999999999 string", ["show", "{in}"], "huge_exponent", 2, "$.payoffs[0][0][0]: exponent 999999999"),
    ("10000-deep nesting", ["show", "{in}"], "deep", 2, "nested deeper than 64 levels"),
    ("wrong payoff shape", ["show", "{in}"], "wrong_shape", 2, "$.payoffs[0][0]: expected 2 entries"),
    ("wrong type", ["show", "{in}"], "wrong_type", 2, "$.players: expected a list of player names"),
    ("unknown kind", ["show", "{in}"], "unknown_kind", 2, "$.kind: unknown kind 'extensive'"),
    ("gamma 3/2", ["show", "{in}"], "bad_gamma", 2, "$.gamma: gamma must be in [0, 1), got 3/2"),
    ("nfg huge counts", ["show", "{in}"], "nfg_huge_counts", 2, "need 20000000000000000 payoffs"),
    ("nfg unicode digit", ["show", "{in}"], "nfg_unicode_digit", 2, "expected the number of strategies"),
    ("unknown catalog name", ["solve", "catalog:zzz", "--concept", "ce"], None, 2, "unknown game 'zzz'"),
    ("unknown concept", ["solve", "catalog:chicken", "--concept", "zz"], None, 2, "invalid choice: 'zz'"),
    ("unknown command", ["frobnicate"], None, 2, "invalid choice: 'frobnicate'"),
    ("no arguments", [], None, 2, "required: COMMAND"),
    ("--objective with nash", ["solve", "catalog:chicken", "--concept", "nash", "--objective", "egalitarian"],
     None, 2, "--objective applies to --concept ce / cce, not to --concept nash"),
    ("--all with ce", ["solve", "catalog:chicken", "--concept", "ce", "--all"], None, 2,
     "--all applies to --concept nash, not to --concept ce"),
    ("--tie-break with minimax", ["solve", "catalog:matching_pennies", "--concept", "minimax", "--tie-break",
                                  "lexicographic"], None, 2, "--tie-break applies to --concept ce / cce"),
    ("--max-supports 0", ["solve", "catalog:chicken", "--concept", "nash", "--all", "--max-supports", "0"], None, 2,
     "--max-supports must be an integer >= 1, got 0"),
    ("--max-supports non-numeric", ["solve", "catalog:chicken", "--concept", "nash", "--all", "--max-supports",
                                    "many"], None, 2, "argument --max-supports: invalid int value: 'many'"),
    ("--all above bound", ["solve", "catalog:shapley_3x3", "--concept", "nash", "--all", "--max-supports", "10"],
     None, 2, "49 support profiles, above the bound 10"),
    ("--exact and --float", ["solve", "catalog:chicken", "--concept", "ce", "--exact", "--float"], None, 2,
     "not allowed with argument"),
    ("minimax of general-sum", ["solve", "catalog:chicken", "--concept", "minimax"], None, 2, "not constant-sum"),
    ("nash on stochastic", ["solve", "{in}", "--concept", "nash"], "stochastic", 2, "not available for stochastic"),
    ("10**400 --float ce", ["solve", "{in}", "--concept", "ce", "--float"], "big_payoff", 2,
     "--float: $.payoffs[0][0][0]: 100000...0000 (about 401 digits) does not fit float64"),
    ("10**400 --float nash", ["solve", "{in}", "--concept", "nash", "--float"], "big_payoff", 2,
     "drop --float to compute exactly"),
    ("10**400 --float minimax", ["solve", "{in}", "--concept", "minimax", "--float"], "big_zero_sum", 2,
     "does not fit float64"),
    ("1/7..7 --float ce", ["solve", "{in}", "--concept", "ce", "--float"], "tiny_payoff", 2,
     "is not 0 but rounds to 0 in float64"),
    ("show --with-game text", ["show", "catalog:chicken", "--with-game"], None, 2,
     "--with-game applies to --format json"),
    ("convert --nfg-version json", ["convert", "catalog:chicken", "{tmp}/out.json", "--nfg-version", "payoff"],
     None, 2, "--nfg-version applies to .nfg output"),
    ("convert stochastic to nfg", ["convert", "catalog:nosde", "{tmp}/out.nfg"], None, 2, ".nfg format holds"),
    ("convert into missing folder", ["convert", "catalog:chicken", "{tmp}/no/such/dir/out.json"], None, 2,
     "No such file or directory"),
    ("evaluate normal-form", ["evaluate", "catalog:chicken", "--policy", "{in}"], "policy_bad", 2,
     "needs a stochastic game"),
    ("evaluate bad policy", ["evaluate", "catalog:nosde", "--policy", "{in}"], "policy_bad", 2,
     "$.s1[0]: probabilities sum to 5/6"),
    ("evaluate non-UTF-8 policy", ["evaluate", "catalog:nosde", "--policy", "{in}"], "latin1", 2, "not UTF-8"),
    ("nosde --out without --pair", ["nosde", "catalog:nosde", "--out", "{tmp}/p.json"], None, 2,
     "--out applies to --pair"),
    ("nosde --pair without --out", ["nosde", "catalog:nosde", "--pair"], None, 2, "--pair needs --out"),
    ("nosde --cycle with --pair", ["nosde", "catalog:nosde", "--pair", "--cycle", "--out", "{tmp}/p.json"], None, 2,
     "--cycle applies to the NoSDE analysis, not to --pair"),
    ("nosde --max-profiles -1", ["nosde", "catalog:nosde", "--max-profiles", "-1"], None, 2,
     "--max-profiles must be an integer >= 1, got -1"),
    ("nosde on normal-form", ["nosde", "catalog:chicken"], None, 2, "expected a stochastic game"),
]

# exact answers where the data do not fit float64 (issue: "the exact answer exists")
EXACT_OK: list[tuple[str, list[str], str, str]] = [
    ("10**400 ce exact", ["solve", "{in}", "--concept", "ce"], "big_payoff", "checked exactly"),
    ("10**400 nash exact", ["solve", "{in}", "--concept", "nash", "--all"], "big_payoff", "max regret 0"),
    ("10**400 minimax exact", ["solve", "{in}", "--concept", "minimax"], "big_zero_sum", "(checked exactly)"),
    ("10**400 classify", ["classify", "{in}"], "big_payoff", "saddle_point"),
    ("10**400 show", ["show", "{in}"], "big_payoff", "zero-sum: no"),
    ("BOM accepted", ["show", "{in}"], "bom", "prisoners_dilemma: normal-form game"),
]


def _argv(template: list[str], tmp: Path, key: str | None) -> list[str]:
    path = ""
    if key is not None:
        ext, data = FILES[key]
        path = str(tmp / f"in.{ext}")
        Path(path).write_bytes(data)
    return [a.replace("{in}", path).replace("{tmp}", str(tmp)) for a in template]


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(("argv", "key", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capfd, argv, key, code, message):
    args = _argv(argv, tmp_path, key)
    before = _snapshot(tmp_path)
    got = main(args)
    out, err = capfd.readouterr()
    assert got == code, err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert message in err, err
    assert "Traceback" not in err and "Traceback" not in out
    assert err.startswith("jalverify"), err
    assert _snapshot(tmp_path) == before  # nothing written


@pytest.mark.parametrize(("argv", "key", "expected"), [c[1:] for c in EXACT_OK], ids=[c[0] for c in EXACT_OK])
def test_data_beyond_float64_are_solved_exactly(tmp_path, capfd, argv, key, expected):
    got = main(_argv(argv, tmp_path, key))
    out, err = capfd.readouterr()
    assert got == 0, err
    assert expected in out and "Traceback" not in err


def test_the_table_covers_the_issue():
    assert len(CASES) + len(EXACT_OK) >= 30


def _console() -> list[str]:
    exe = shutil.which("jalverify", path=os.path.dirname(sys.executable)) or shutil.which("jalverify")
    return [exe] if exe else [sys.executable, "-m", "jalverify"]


SUBPROCESS_IDS = ["binary file", "latin-1 .nfg", "100000-digit integer", "10000-deep nesting",
                  "10**400 --float ce", "--objective with nash", "unknown concept", "convert into missing folder"]


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in SUBPROCESS_IDS], ids=lambda c: c[0])
def test_installed_console_script(tmp_path, case):
    _, argv, key, code, message = case
    args = _argv(argv, tmp_path, key)
    before = _snapshot(tmp_path)
    proc = subprocess.run(_console() + args, capture_output=True, text=True, timeout=120)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert _snapshot(tmp_path) == before


def test_internal_error_is_exit_3_and_says_bug(monkeypatch, capfd):
    import jalverify.cli.commands.classify as classify

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(classify, "run", broken)
    monkeypatch.delenv("JALVERIFY_DEBUG", raising=False)
    got = main(["classify", "catalog:chicken"])
    _, err = capfd.readouterr()
    assert got == 3
    assert err == ("jalverify classify: internal error (a bug in jalverify, please report it): "
                   "ZeroDivisionError: division by zero\n")


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    """Ctrl-C during a long job (a learning run of 10^8 steps on soccer): exit 130 and one line, no traceback.
    The signal is sent once the command has printed its first progress line, so it lands inside the job (not
    in the interpreter's start-up, which a loaded machine can stretch past any fixed delay)."""
    proc = subprocess.Popen(_console() + ["learn", "catalog:soccer", "--algorithm", "minimax-q", "--steps",
                                          "100000000", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    seen = []
    while True:
        line = proc.stderr.readline()
        assert line, f"the job ended before its first progress line: {seen}"
        seen.append(line)
        if line.startswith("learn: "):  # the command is running (its first progress line)
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.splitlines()[-1] == "jalverify learn: interrupted" and "Traceback" not in err
    assert out == "" and list(tmp_path.iterdir()) == []
