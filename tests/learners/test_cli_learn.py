import json

import numpy as np
import pytest

from jalverify.cli import main
from jalverify.learners import load_trace


def test_learn_minimax_q_json_trace_plot(tmp_path, capsys):
    trace_path = tmp_path / "run.npz"
    plot_path = tmp_path / "err.png"
    code = main(["learn", "catalog:matching_pennies", "--algorithm", "minimax-q", "--steps", "1500", "--gamma",
                 "1/2", "--format", "json", "--trace", str(trace_path), "--plot", str(plot_path)])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["q_star_exact"] is True and out["error"] < 0.05
    assert np.allclose(out["q_star"]["stage"][0], [[1, -1], [-1, 1]])
    assert {r["notion"] for r in out["convergence"]} == {"policy", "empirical_distribution", "averaged_policy",
                                                         "expected_return", "average_return"}
    assert all(r["status"] in ("established", "not_established", "contradicted") for r in out["convergence"])
    assert load_trace(trace_path).n_steps == 1500
    assert plot_path.stat().st_size > 1000


@pytest.mark.parametrize("algorithm", ["friend-q", "foe-q", "iql", "ce-q-e"])
def test_learn_other_algorithms_text(algorithm, capsys):
    code = main(["learn", "catalog:chicken", "--algorithm", algorithm, "--steps", "200", "--gamma", "1/2"])
    assert code == 0
    text = capsys.readouterr().out
    assert "convergence checks" in text and "no reference Q*" in text


def test_learn_rejects_bad_input(capsys):
    assert main(["learn", "catalog:chicken", "--algorithm", "minimax-q", "--steps", "0"]) == 2
    assert main(["learn", "catalog:chicken", "--algorithm", "iql", "--schedule", "adam"]) == 2
