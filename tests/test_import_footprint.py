"""``import jalverify`` stays light: the heavy optional or compiled dependencies are imported where they are used.

numba compiles kernels (seconds on a cold cache), HiGHS, cvxpy and sympy are solver back ends, matplotlib is for
plots: none of them may be paid for by a program that only imports the package (issue 15: ``python -c "import
jalverify"`` within 0.3 s).  Checked in a fresh interpreter, since this test process has imported them already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Modules that ``import jalverify`` must not import.
HEAVY = ("numba", "highspy", "cvxpy", "sympy", "matplotlib")


def _modules_after(statement: str) -> dict[str, bool]:
    code = f"import json, sys\n{statement}\nprint(json.dumps({{m: m in sys.modules for m in {list(HEAVY)!r}}}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("statement", ["import jalverify", "import jalverify.games, jalverify.numbers, jalverify.verdicts"])
def test_importing_jalverify_imports_no_heavy_dependency(statement):
    loaded = _modules_after(statement)
    assert sorted(loaded) == sorted(HEAVY)
    assert [m for m, present in loaded.items() if present] == []


def test_the_probe_sees_a_heavy_module_when_one_is_imported():
    # the probe itself can fail: importing one of the modules directly shows up in its answer
    loaded = _modules_after("import jalverify, sympy")
    assert loaded["sympy"] is True
    assert loaded["numba"] is False
