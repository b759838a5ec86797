"""Every registered theorem has a property test named after its id, a case strategy, and a citation."""

import ast
from pathlib import Path

from jalverify.strategies import CASES
from jalverify.theorems import THEOREMS, load_all

HERE = Path(__file__).parent


def _test_names() -> set[str]:
    names = set()
    for path in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


def test_every_builtin_theorem_has_a_property_test_and_a_case_strategy():
    load_all()
    names = _test_names()
    families = ("minimax", "nash_q", "correlated", "solvers", "bellman", "convergence_relations", "nosde")
    builtin = [t for t in THEOREMS.values() if t.check.__module__ in {f"jalverify.theorems.{f}" for f in families}]
    assert len(builtin) >= 35
    missing = [t.id for t in builtin if t.test_name not in names]
    assert not missing, f"theorems without a property test: {missing}"
    for t in THEOREMS.values():
        assert t.strategy in CASES, f"{t.id}: unknown case strategy {t.strategy!r}"
        assert t.citation and t.claim
        if t.expected == "refuted-as-expected":
            assert t.known_counterexample is not None or t.id.startswith(("learners.", "nosde.")), t.id


def test_no_theorem_treats_a_jalverify_module_as_optional():
    """Our own modules are imported at registration; only third-party modules may be optional requirements."""
    load_all()
    own = {t.id: t.requires for t in THEOREMS.values()
           if any(m == "jalverify" or m.startswith("jalverify.") for m in t.requires)}
    assert not own, own
