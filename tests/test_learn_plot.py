"""``jalverify learn --plot`` draws what ``jalverify experiment`` draws: max |Q − Q*| against the exact reference
and the NashConv of the learned policy over the run (log scale), and NashConv alone on a game without a reference.

The SVG is written with ``svg.fonttype = "none"`` so its titles and axis labels are text the test can read.
"""

from __future__ import annotations

import re

import matplotlib
import pytest

from jalverify.cli import main


@pytest.fixture()
def text_svg():
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        yield


def _panels(svg: str) -> set[str]:
    return set(re.findall(r'id="(axes_\d+)"', svg))


def test_plot_has_the_error_against_q_star_and_the_nash_conv(tmp_path, text_svg, capsys):
    path = tmp_path / "run.svg"
    code = main(["learn", "catalog:matching_pennies", "--algorithm", "minimax-q", "--steps", "600", "--gamma", "1/2",
                 "--seed", "3", "--plot", str(path)])
    assert code == 0
    svg = path.read_text(encoding="utf-8")
    assert _panels(svg) == {"axes_1", "axes_2"}
    assert "max |Q − Q*|" in svg and "NashConv at μ" in svg
    assert "minimax-q on matching_pennies, seed 3" in svg
    assert "stage" in capsys.readouterr().out  # the text result is still printed


def test_plot_without_a_reference_draws_the_nash_conv_only(tmp_path, text_svg):
    path = tmp_path / "run.svg"
    code = main(["learn", "catalog:chicken", "--algorithm", "iql", "--steps", "400", "--gamma", "1/2",
                 "--plot", str(path)])
    assert code == 0
    svg = path.read_text(encoding="utf-8")
    assert _panels(svg) == {"axes_1"}
    assert "NashConv at μ" in svg and "max |Q − Q*|" not in svg
