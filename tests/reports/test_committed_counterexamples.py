"""The counterexamples committed in ``counterexamples/`` still reproduce, and the index lists every one."""

from pathlib import Path

import pytest

from jalverify.reports import load_report, replay_report
from jalverify.reports.store import REPORT_FORMAT

ROOT = Path(__file__).resolve().parents[2] / "counterexamples"
FAST = ("minimax.", "nash_q.", "correlated.", "convergence.", "solvers.", "bellman.")


def _reports():
    import json

    out = []
    for path in sorted(ROOT.glob("*/*.json")):
        data = json.loads(path.read_text())
        if data.get("format") == REPORT_FORMAT:
            out.append(path)
    return out


REPORTS = _reports()


@pytest.mark.parametrize("path", [p for p in REPORTS if load_report(p)["theorem"].startswith(FAST)],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_counterexample_replays(path):
    result = replay_report(path)
    assert result.reproduced, result.verdict


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in REPORTS if not load_report(p)["theorem"].startswith(FAST)],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_learner_counterexample_replays(path):
    assert replay_report(path).reproduced


def test_every_refuted_as_expected_family_claim_is_documented():
    documented = {load_report(p)["theorem"] for p in REPORTS}
    for tid in ("minimax.exploits_weak_opponents", "nash_q.optimum_or_saddle_exists", "nash_q.at_most_one_kind",
                "correlated.cce_is_ce", "convergence.averaged_policy_implies_policy"):
        assert tid in documented


def test_index_lists_every_report():
    index = (ROOT / "README.md").read_text()
    for path in REPORTS:
        assert path.stem in index
