"""The machine-readable output contract: every ``--format json`` output is ONE JSON document on stdout.

Each case runs the installed ``jalverify`` console script in a subprocess (in its own folder under a temporary
directory, where any files get written), and checks that

* the exit code is the documented one,
* ``json.loads`` accepts the WHOLE of stdout (no library banner, log or progress line there),
* the document validates against the schema shipped in :mod:`jalverify.schemas` (JSON Schema 2020-12),
* stderr holds no traceback,

plus a few facts about the answer (known values of catalog games).  The cases run concurrently (one worker per
core) on first use and are then checked one by one, so the whole table takes about as long as its slowest
commands; a case that depends on files another case writes (``validate --replay`` on a report written by
``validate``) runs after it, in its folder.

Also here: the API-level banner guard (a fresh interpreter calling a HiGHS-using solver prints only what it
prints), the schema files themselves (valid 2020-12 schemas, each exercised by some case), and the slow
``validate --all-builtin`` case.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from jalverify.errors import UnknownName
from jalverify.schemas import SCHEMA_NAMES, schema

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[2]
#: Seconds any one command may take before the case fails.
TIMEOUT = 300
#: Hang guard of the slow case (every built-in adapter, learners' training runs included); validate's own budgets
#: bound each check.
SLOW_TIMEOUT = 1200

#: A two-player zero-sum turn-based stochastic game, gamma 1/2 (tests/data/turn_based_zero_sum.json); by hand
#: V(a) = 2/5, V(b) = -6/5 for 'max'.
TURN_BASED = json.loads((Path(__file__).resolve().parents[1] / "data" / "turn_based_zero_sum.json").read_text(
    encoding="utf-8"))

#: The unique stationary equilibrium of catalog:nosde, as a jalverify.policy/1 shorthand.
NOSDE_POLICY = {"s1": [["1/3", "2/3"], ["1"]], "s2": [["1"], ["7/12", "5/12"]]}

#: A deliberately broken minimax solver (its value is off by one when the game has a negative payoff).
BROKEN_SOLVER = textwrap.dedent('''\
    import numpy as np

    from jalverify.adapters.own import Minimax
    from jalverify.adapters.protocols import MinimaxAnswer


    class MinimaxOffByOne:
        capabilities = Minimax.capabilities

        def solve(self, game):
            answer = Minimax().solve(game)
            bump = 1 if min(np.asarray(game.payoffs[0], dtype=object).reshape(-1).tolist()) < 0 else 0
            return MinimaxAnswer(answer.value + bump, answer.row_strategy, answer.column_strategy)
''')


def _validation_report(cwd: Path) -> str:
    found = sorted(p.relative_to(cwd).as_posix() for p in (cwd / "reports").rglob("*.json"))
    assert len(found) == 1, f"expected one validation report under {cwd / 'reports'}, found {found}"
    return found[0]


@dataclass(frozen=True)
class Case:
    """One command of the table."""

    id: str
    args: tuple[str, ...] | Callable[[Path], tuple[str, ...]]
    schema: str
    exit: int = 0
    #: files to create in the case's folder before it runs (name -> text), or folders to copy (name -> Path)
    files: dict[str, str | Path] = field(default_factory=dict)
    #: run after this case, in its folder (uses what it wrote)
    after: str | None = None
    #: facts about the parsed document (and the folder), beyond the schema
    check: Callable[[Any, Path], None] | None = None
    slow: bool = False


def _fact(condition: bool, message: str = "") -> None:
    assert condition, message


def _fractions(mapping: dict[str, str]) -> dict[str, Fraction]:
    return {k: Fraction(v) for k, v in mapping.items()}


CASES: tuple[Case, ...] = (
    # ---- show / convert
    Case("show-normal-form", ("show", "catalog:chicken", "--format", "json"), "show",
         check=lambda d, _: _fact(d["kind"] == "normal_form" and d["actions"] == [["straight", "swerve"]] * 2
                                  and d["predicates"]["symmetric"] is True)),
    Case("show-with-game", ("show", "catalog:stag_hunt", "--format", "json", "--with-game"), "show",
         check=lambda d, _: _fact(d["game"]["format"] == "jalverify.game/1")),
    Case("show-stochastic", ("show", "catalog:nosde", "--format", "json"), "show",
         check=lambda d, _: _fact(d["kind"] == "stochastic" and d["gamma"] == "3/4"
                                  and d["predicates"]["turn_based"] is True)),
    Case("convert-nfg", ("convert", "catalog:chicken", "chicken.nfg", "--format", "json"), "convert",
         check=lambda d, cwd: _fact(d == {"input": "catalog:chicken", "output": "chicken.nfg", "format": "nfg",
                                          "kind": "normal_form"} and (cwd / "chicken.nfg").is_file())),
    Case("convert-json", ("convert", "catalog:nosde", "nosde.json", "--format", "json"), "convert",
         check=lambda d, cwd: _fact(d["kind"] == "stochastic" and (cwd / "nosde.json").is_file())),
    Case("convert-openspiel", ("convert", "openspiel:matrix_rps", "rps.py", "--format", "json"), "convert",
         check=lambda d, cwd: _fact(d["format"] == "openspiel_python" and d["payoff_reading"] == "exact-binary"
                                    and d["max_rounding_error"] == "0" and (cwd / "rps.py").is_file())),
    # ---- solve: every concept, exact and float, normal-form and stochastic
    Case("solve-nash", ("solve", "catalog:chicken", "--concept", "nash", "--format", "json"), "solve",
         check=lambda d, _: _fact(d["field"] == "exact" and len(d["equilibria"]) == 1
                                  and d["equilibria"][0]["max_regret"] == "0")),
    Case("solve-nash-all", ("solve", "catalog:chicken", "--concept", "nash", "--all", "--format", "json"), "solve",
         check=lambda d, _: _fact(d["complete"] is True and len(d["equilibria"]) == 3 and len(d["components"]) == 3
                                  and {"straight": "1/3", "swerve": "2/3"} in
                                  [e["strategies"]["row"] for e in d["equilibria"]])),
    Case("solve-nash-float", ("solve", "catalog:chicken", "--concept", "nash", "--float", "--format", "json"),
         "solve", check=lambda d, _: _fact(d["field"] == "float" and d["tolerance"] > 0)),
    Case("solve-nash-3-players", ("solve", "catalog:three_player_matching_pennies", "--concept", "nash",
                                  "--format", "json"), "solve",
         check=lambda d, _: _fact(len(d["equilibria"][0]["strategies"]) == 3)),
    Case("solve-pure-nash", ("solve", "catalog:stag_hunt", "--concept", "pure-nash", "--format", "json"), "solve",
         check=lambda d, _: _fact(d["concept"] == "pure-nash" and len(d["equilibria"]) == 2)),
    Case("solve-minimax", ("solve", "catalog:matching_pennies", "--concept", "minimax", "--format", "json"),
         "solve", check=lambda d, _: _fact(set(d["values"].values()) == {"0"} and d["certificate"]["exact"] is True
                                           and d["certificate"]["row_guarantee"] == "0")),
    Case("solve-minimax-float", ("solve", "catalog:matching_pennies", "--concept", "minimax", "--float",
                                 "--format", "json"), "solve",
         check=lambda d, _: _fact(abs(d["values"]["row"]) < 1e-6)),
    Case("solve-ce", ("solve", "catalog:chicken", "--concept", "ce", "--format", "json"), "solve",
         check=lambda d, _: _fact(d["concept"] == "ce" and sum(Fraction(x["probability"]) for x in d["distribution"])
                                  == 1 and set(d["max_gains"]) == {"0"})),
    Case("solve-cce-republican", ("solve", "catalog:chicken", "--concept", "cce", "--objective", "republican",
                                  "--format", "json"), "solve",
         check=lambda d, _: _fact(d["concept"] == "cce" and "selected_player" in d)),
    Case("solve-ce-libertarian-float", ("solve", "catalog:chicken", "--concept", "ce", "--objective", "libertarian",
                                        "--float", "--format", "json"), "solve",
         check=lambda d, _: _fact(d["field"] == "float" and set(d["agent_distributions"]) == {"row", "column"})),
    Case("solve-stochastic-minimax", ("solve", "tb.json", "--concept", "minimax", "--format", "json"), "solve",
         files={"tb.json": json.dumps(TURN_BASED)},
         check=lambda d, _: _fact(d["kind"] == "stochastic" and d["values"]["max"] == {"a": "2/5", "b": "-6/5"})),
    Case("solve-stochastic-minimax-float", ("solve", "tb.json", "--concept", "minimax", "--float", "--format",
                                            "json"), "solve", files={"tb.json": json.dumps(TURN_BASED)},
         check=lambda d, _: _fact(abs(d["values"]["max"]["a"] - 0.4) <= d["error_bound"] + 1e-12)),
    # ---- classify / evaluate
    Case("classify-normal-form", ("classify", "catalog:stag_hunt", "--format", "json"), "classify",
         check=lambda d, _: _fact(d["complete"] is True and len(d["global_optima"]) == 1)),
    Case("classify-stochastic", ("classify", "catalog:nosde", "--format", "json"), "classify",
         check=lambda d, _: _fact(set(d["states"]) == {"state s1", "state s2"})),
    Case("evaluate-exact", ("evaluate", "catalog:nosde", "--policy", "policy.json", "--format", "json"), "evaluate",
         files={"policy.json": json.dumps(NOSDE_POLICY)},
         check=lambda d, _: _fact(d["certified"] is True and _fractions(d["values"]["agent1"])
                                  == {"s1": 4, "s2": Fraction(16, 3)})),
    Case("evaluate-float", ("evaluate", "catalog:nosde", "--policy", "policy.json", "--float", "--format", "json"),
         "evaluate", files={"policy.json": json.dumps(NOSDE_POLICY)},
         check=lambda d, _: _fact(abs(d["values"]["agent1"]["s2"] - 16 / 3) < 1e-9)),
    # ---- learn
    Case("learn-minimax-q", ("learn", "catalog:matching_pennies", "--algorithm", "minimax-q", "--gamma", "1/2",
                             "--steps", "2000", "--seed", "1", "--format", "json"), "learn",
         check=lambda d, _: _fact(d["parameters"]["seed"] == 1 and d["reference"]["exact"] is True
                                  and d["reference"]["v_star_at_start"] == ["0", "0"])),
    Case("learn-ce-q-no-reference", ("learn", "catalog:nosde", "--algorithm", "ce-q-u", "--steps", "300", "--seed",
                                     "2", "--format", "json"), "learn",
         check=lambda d, _: _fact(d["reference"]["kind"] is None and d["learned_policy"]["correlated"] is True
                                  and {c["status"] for c in d["convergence"]} == {"not_established"})),
    # ---- experiment
    Case("experiment", ("experiment", "campaign.toml", "--output", "out", "--no-plots", "--format", "json"),
         "experiment", files={"campaign.toml": 'name = "c"\ngames = ["catalog:matching_pennies"]\nalgorithms = '
                              '["minimax-q"]\nseeds = { start = 0, count = 2 }\nsteps = 300\ncheckpoints = 3\n'
                              'gamma = "1/2"\n'},
         check=lambda d, cwd: _fact(d["runs"]["computed"] == 2 and d["groups"][0]["reference"]["exact"] is True
                                    and (cwd / "out" / "summary.json").is_file())),
    # ---- nosde
    Case("nosde", ("nosde", "catalog:nosde", "--format", "json"), "nosde",
         check=lambda d, _: _fact(d["stationary_deterministic_equilibrium"]["nosde"] is True
                                  and d["stationary_equilibria"]["uniqueness"]["status"] == "proven")),
    Case("nosde-cycle", ("nosde", "catalog:nosde", "--cycle", "--format", "json"), "nosde",
         check=lambda d, _: _fact(d["value_iteration"]["verdict"]["status"] == "proven")),
    Case("nosde-pair", ("nosde", "catalog:nosde", "--pair", "--out", "prime.json", "--reports-dir", "rep", "--format",
                        "json"), "nosde_pair",
         check=lambda d, cwd: _fact(d["proven"] is True and d["out"] == "prime.json"
                                    and (cwd / "prime.json").is_file() and any((cwd / "rep").glob("*.json")))),
    # ---- verify / replay
    Case("verify", ("verify", "--theorem", "minimax.theorem", "--max-examples", "3", "--no-reports", "--format",
                    "json"), "verify",
         check=lambda d, _: _fact([(t["id"], t["verdict"], t["examples"], t["seed"]) for t in d["theorems"]]
                                  == [("minimax.theorem", "proven", 3, d["seed"])])),
    Case("verify-seeded", ("verify", "--theorem", "minimax.theorem", "--max-examples", "2", "--seed", "7",
                           "--no-reports", "--format", "json"), "verify",
         check=lambda d, _: _fact(d["seed"] == 7 and d["max_examples"] == 2)),
    Case("verify-refuted-as-expected-with-reports",
         ("verify", "--theorem", "minimax.exploits_weak_opponents", "--max-examples", "3", "--seed", "1",
          "--reports-dir", "reports", "--document", "--format", "json"), "verify",
         check=lambda d, cwd: _fact(d["ok"] is True and d["theorems"][0]["verdict"] == "refuted"
                                    and d["theorems"][0]["expected"] == "refuted-as-expected"
                                    and "documented" in d and any((cwd / "reports").rglob("*.json"))
                                    and all((cwd / p).is_file() for p in d["new_reports"]))),
    Case("verify-list", ("verify", "--list", "--theorem", "minimax.*", "--format", "json"), "verify_list",
         check=lambda d, _: _fact("minimax.theorem" in [t["id"] for t in d])),
    Case("replay", ("replay", "counterexamples/minimax.exploits_weak_opponents", "--format", "json"), "replay",
         files={"counterexamples/minimax.exploits_weak_opponents":
                ROOT / "counterexamples" / "minimax.exploits_weak_opponents"},
         check=lambda d, _: _fact(d["total"] >= 1 and d["reproduced"] == d["total"])),
    # ---- validate
    Case("validate", ("validate", "jalverify.minimax", "--max-examples", "3", "--reports-dir", "", "--format", "json"),
         "validate", check=lambda d, _: _fact([c["verdict"] for c in d["checks"]] == ["proven"])),
    Case("validate-refuted", ("validate", "broken.py:MinimaxOffByOne", "--seed", "1", "--max-examples", "15",
                              "--reports-dir", "reports", "--format", "json"), "validate", exit=1,
         files={"broken.py": BROKEN_SOLVER},
         check=lambda d, cwd: _fact(d["refuted"] == ["validate.minimax"]
                                    and (cwd / d["checks"][0]["finding"]["report"]).is_file())),
    Case("validate-list", ("validate", "--list", "--format", "json"), "validate_list",
         check=lambda d, _: _fact("jalverify.minimax" in [t["name"] for t in d])),
    Case("validate-replay", lambda cwd: ("validate", "broken.py:MinimaxOffByOne", "--replay", _validation_report(cwd),
                                         "--format", "json"), "validate_replay", exit=1, after="validate-refuted",
         check=lambda d, _: _fact(d["reproduced"] is True and d["passes"] is False and d["verdict"] == "refuted")),
    Case("replay-validation-report", ("replay", "reports", "--format", "json"), "replay", after="validate-refuted",
         check=lambda d, _: _fact(d["reports"][0]["target"] == "broken.py:MinimaxOffByOne"
                                  and d["reproduced"] == d["total"] == 1)),
    # ---- slow: every installed built-in adapter, one example per check
    Case("validate-all-builtin", ("validate", "--all-builtin", "--max-examples", "1", "--seed", "1", "--summary-dir",
                                  "summary", "--format", "json"), "validate_all_builtin", exit=-1, slow=True,
         check=lambda d, cwd: _fact(json.loads((cwd / "summary" / "summary.json").read_text()) == d)),
)

BY_ID = {case.id: case for case in CASES}


def _console_script() -> list[str]:
    # the script installed next to the interpreter running the tests first (a venv not on PATH), then PATH
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    script = shutil.which("jalverify", path=search)
    if script is None:  # no console script: the interpreter running the tests has jalverify importable
        return [sys.executable, "-m", "jalverify"]
    return [script]


def _prepare(case: Case, cwd: Path) -> None:
    cwd.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        target = cwd / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copytree(content, target, dirs_exist_ok=True)
        else:
            target.write_text(content, encoding="utf-8")


def _folder(base: Path, case: Case) -> Path:
    return base / (case.after or case.id)


def _run(case: Case, base: Path) -> subprocess.CompletedProcess[str]:
    cwd = _folder(base, case)
    _prepare(case, cwd)
    args = case.args(cwd) if callable(case.args) else case.args
    env = {k: v for k, v in os.environ.items() if k != "JALVERIFY_DEBUG"}
    return subprocess.run([*_console_script(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=SLOW_TIMEOUT if case.slow else TIMEOUT, env=env, check=False)


def _slower_first(case: Case) -> bool:
    """Sort key: the slower kinds of command start first, so that the workers finish together."""
    return callable(case.args) or case.args[0] not in ("learn", "nosde", "validate", "verify", "replay")


class _Runs:
    """Runs the selected cases concurrently on first use (dependencies first), then hands out their results."""

    def __init__(self, base: Path, selected: list[str]) -> None:
        self.base = base
        self.selected = selected
        self.results: dict[str, subprocess.CompletedProcess[str]] = {}

    def get(self, case_id: str) -> subprocess.CompletedProcess[str]:
        if case_id not in self.results:
            wanted = set(self.selected) | {case_id}
            wanted |= {BY_ID[c].after for c in wanted if BY_ID[c].after}
            first = [c for c in wanted if not BY_ID[c].after and c not in self.results]
            then = [c for c in wanted if BY_ID[c].after and c not in self.results]
            workers = max(2, os.cpu_count() or 2)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for wave in (first, then):
                    wave.sort(key=lambda c: _slower_first(BY_ID[c]))
                    for c, result in zip(wave, pool.map(lambda c: _run(BY_ID[c], self.base), wave)):
                        self.results[c] = result
        return self.results[case_id]


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> _Runs:
    selected = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if item.module is request.module and callspec is not None and "case" in callspec.params:
            case = callspec.params["case"]
            if not case.slow:
                selected.append(case.id)
    return _Runs(tmp_path_factory.mktemp("json_output"), selected)


def _param(case: Case) -> Any:
    return pytest.param(case, id=case.id, marks=[pytest.mark.slow] if case.slow else [])


def _check(case: Case, result: subprocess.CompletedProcess[str], cwd: Path) -> None:
    where = f"jalverify {' '.join(result.args[1:])!s} (in {cwd})"
    assert "Traceback" not in result.stderr, f"{where}: traceback on stderr:\n{result.stderr}"
    if case.exit >= 0:
        assert result.returncode == case.exit, (f"{where}: exit {result.returncode}, expected {case.exit}\n"
                                                f"stderr: {result.stderr[-2000:]}")
    else:  # a run over third-party libraries: no violation, a violation, or an error in some check
        assert result.returncode in (0, 1, 3), f"{where}: exit {result.returncode}\nstderr: {result.stderr[-2000:]}"
    try:
        document = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        pytest.fail(f"{where}: stdout is not one JSON document ({exc}); stdout starts with {result.stdout[:300]!r}")
    errors = sorted(jsonschema.Draft202012Validator(schema(case.schema)).iter_errors(document),
                    key=lambda e: list(e.absolute_path))
    assert not errors, (f"{where}: output does not match {case.schema}.schema.json: "
                        + "; ".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:5]))
    if case.check is not None:
        case.check(document, cwd)


@pytest.mark.parametrize("case", [_param(c) for c in CASES if not c.slow])
def test_json_output(case: Case, runs: _Runs) -> None:
    _check(case, runs.get(case.id), _folder(runs.base, case))


@pytest.mark.slow
@pytest.mark.parametrize("case", [_param(c) for c in CASES if c.slow])
def test_json_output_slow(case: Case, tmp_path: Path) -> None:
    _check(case, _run(case, tmp_path), _folder(tmp_path, case))


def test_api_call_prints_nothing_but_its_own_output() -> None:
    """A fresh interpreter that calls HiGHS through jalverify's API (its first Highs() prints a banner on
    descriptor 1 in highspy 1.16) writes exactly what the program prints, nothing else."""
    program = textwrap.dedent("""\
        import json
        from jalverify.games import catalog
        from jalverify.solvers.correlated import correlated_solve
        from jalverify.solvers.minimax import minimax_solve

        chicken = catalog.load("chicken")
        exact = correlated_solve(chicken, coarse=False, objective="utilitarian")
        approx = correlated_solve(chicken, coarse=True, objective="utilitarian", field="float")
        mp = minimax_solve(catalog.load("matching_pennies"), field="float")
        print(json.dumps({"ce": [str(v) for v in exact.payoffs], "cce": [round(float(v), 6) for v in approx.payoffs],
                          "mp": round(float(mp.values[0]), 6)}))
    """)
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=TIMEOUT,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    assert result.stdout == json.dumps(document) + "\n"
    # chicken's utilitarian CE: 1/2 on (swerve, swerve), 1/4 on each pure equilibrium, 21/4 each (and so the CCE)
    assert document == {"ce": ["21/4", "21/4"], "cce": [5.25, 5.25], "mp": 0.0}


def test_every_schema_is_valid_and_exercised() -> None:
    folder = Path(__import__("jalverify.schemas", fromlist=["__file__"]).__file__).parent
    shipped = sorted(p.name[: -len(".schema.json")] for p in folder.glob("*.schema.json"))
    assert shipped == sorted(SCHEMA_NAMES)
    for name in SCHEMA_NAMES:
        document = schema(name)
        jsonschema.Draft202012Validator.check_schema(document)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {case.schema for case in CASES} == set(SCHEMA_NAMES)
    assert len(BY_ID) == len(CASES)


def test_unknown_schema_name_is_refused() -> None:
    with pytest.raises(UnknownName, match="no JSON schema named 'nope'"):
        schema("nope")


def test_schemas_hold_verdicts_and_exact_numbers_strictly() -> None:
    """The schemas are strict where it matters: a verdict outside the five words, or an exact number that is
    not a fraction string, is rejected."""
    verify = jsonschema.Draft202012Validator(schema("verify"))
    row = {"id": "x", "expected": "holds", "verdict": "proven", "failed": False, "examples": 1, "seconds": 0.1,
           "seed": 1, "message": "", "tolerance": None, "worst": None, "report": None}
    good = {"format": "jalverify.verify/1", "profile": "quick", "max_examples": 1, "seed": 1, "seconds": 0.1,
            "ok": True, "theorems": [row], "new_reports": []}
    assert verify.is_valid(good)
    assert not verify.is_valid({**good, "theorems": [{**row, "verdict": "holds"}]})
    solve = jsonschema.Draft202012Validator(schema("solve"))
    doc = {"game": "g", "concept": "minimax", "field": "exact", "method": "lp", "status": "optimal",
           "values": {"a": "1/2", "b": "-1/2"}, "strategies": {"a": {"x": "1"}, "b": {"y": "1"}},
           "certificate": {"exact": True, "row_guarantee": "1/2", "column_cap": "1/2"}}
    assert solve.is_valid(doc)
    assert not solve.is_valid({**doc, "values": {"a": "0.5", "b": "-1/2"}})
    assert not solve.is_valid({**doc, "values": {"a": 0.5, "b": "-1/2"}})
