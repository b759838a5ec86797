"""Validation messages for people and target versions in reports (issue 11 §5).

* Messages show exact numbers readably (a long fraction also as a decimal) and are never cut inside a word or a
  number in the table, a progress line or the all-builtin summary; the JSON output keeps them whole.
* Reports and JSON output record which code the target runs: the library a built-in adapter wraps (with its
  requirements' installed versions), or a local file and the SHA-256 of its contents.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from importlib import metadata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.adapters.protocols import Capabilities, Concept
from jalverify.games.normal_form import NormalFormGame
from jalverify.validation.checks import judge_minimax_answer, judge_nash_profile
from jalverify.validation.findings import (
    CheckOutcome,
    Finding,
    ValidationResult,
    clip_message,
    target_versions,
)
from jalverify.verdicts import Status, Verdict

EXACT_CAPS = Capabilities(exact=True, tolerance=0.0, finds_all=True)
MINIMAX_CAPS = Capabilities(exact=True, tolerance=0.0, concept=Concept.MINIMAX)
PENNIES = NormalFormGame.zero_sum([[1, -1], [-1, 1]])
LONG = Fraction(12345678901234567890123, 99999999999999999999)


def _words() -> st.SearchStrategy[str]:
    word = st.one_of(st.fractions(max_denominator=10**25).map(str), st.text("abcxyz(),:≈", min_size=1, max_size=12))
    return st.lists(word, min_size=1, max_size=40).map(" ".join)


# --- messages -------------------------------------------------------------------------------------------------
def test_a_refuted_minimax_value_shows_the_exact_fraction_and_its_decimal() -> None:
    verdicts = judge_minimax_answer(PENNIES, (LONG, [Fraction(1, 2)] * 2, [Fraction(1, 2)] * 2), MINIMAX_CAPS,
                                    Fraction(0))
    value = verdicts[0]
    assert value.status is Status.REFUTED
    assert "returned value 4115226300411522630041/33333333333333333333 (≈123.457) vs exact minimax value 0" \
        in value.message
    assert "violation 4115226300411522630041/33333333333333333333 (≈123.457) exceeds" in value.message
    assert value.witness["returned_value"] == str(LONG)  # the witness stays exact


def test_a_nash_gain_is_shown_exactly_and_a_short_one_as_it_is() -> None:
    eps = Fraction(1, 10**12)
    verdict, _ = judge_nash_profile(PENNIES, [[Fraction(1, 2) + eps, Fraction(1, 2) - eps], [Fraction(1, 2)] * 2],
                                    EXACT_CAPS, "t")
    assert verdict.status is Status.REFUTED
    assert "gains 1/500000000000 (≈2e-12) by deviating" in verdict.message
    verdict, _ = judge_nash_profile(PENNIES, [[1, 0], [1, 0]], EXACT_CAPS, "t")
    assert "player 1 gains 2 by deviating to action 1" in verdict.message and "≈" not in verdict.message


def test_a_vector_that_is_not_a_distribution_is_shown_without_python_quotes() -> None:
    verdict, _ = judge_nash_profile(PENNIES, [[Fraction(1, 2), Fraction(3, 5)], [Fraction(1, 2)] * 2], EXACT_CAPS, "t")
    assert verdict.status is Status.REFUTED
    assert "player 0's vector [1/2, 3/5] is not a probability distribution (off by 1/10" in verdict.message
    assert "'" not in verdict.message.split("vector", 1)[1]


@given(_words(), st.integers(min_value=8, max_value=140))
def test_clip_message_cuts_only_between_words(text: str, width: int) -> None:
    words = text.split()
    clipped = clip_message(text, width)
    if len(" ".join(words)) <= width:
        assert clipped == " ".join(words)
        return
    if len(words) == 1:
        assert clipped == words[0]  # one word longer than the width is kept whole: nothing to cut between
        return
    assert clipped.endswith(" …")
    kept = clipped[: -len(" …")].split()
    assert 1 <= len(kept) < len(words) and kept == words[: len(kept)]  # whole words, a prefix
    assert len(clipped) <= width or len(kept) == 1  # only a first word longer than the width overflows


def _outcome(message: str) -> CheckOutcome:
    return CheckOutcome(check="validate.minimax.value", status=Status.REFUTED, examples=3, seconds=0.5,
                        message=message, finding=None)


def test_summary_line_and_table_never_cut_a_number() -> None:
    numbers = [str(LONG + k) for k in range(12)]
    message = "values " + ", ".join(numbers) + " differ"
    outcome = _outcome(message)
    line = outcome.summary_line()
    head = line.index("values ")  # the message column
    shown = line[head:]
    assert len(shown) <= 110 and shown.endswith(" …")
    tokens = shown[: -len(" …")].split()
    assert tokens[0] == "values" and len(tokens) > 2
    assert all(token.rstrip(",") in numbers for token in tokens[1:])  # whole numbers only
    result = ValidationResult(target="jalverify.minimax", capabilities=MINIMAX_CAPS, outcomes=(outcome,))
    rows = result.table().splitlines()[3:]
    assert len(rows) == 3 and rows[-1].endswith(" …")
    assert all(row[:head].strip() == "" for row in rows[1:])  # continuation lines under the message column
    wrapped = " ".join(row[head:] for row in rows)[: -len(" …")].split()
    assert wrapped[0] == "values" and all(token.rstrip(",") in numbers for token in wrapped[1:])
    assert len(wrapped) > len(tokens)  # the table shows more of the message than one line
    assert result.to_dict()["checks"][0]["message"] == message  # JSON keeps it whole


def test_table_wraps_a_message_that_fits_in_three_lines_completely() -> None:
    message = "row strategy earns " + " ".join(str(LONG + k) for k in range(4)) + " against column 1"
    result = ValidationResult(target="jalverify.minimax", capabilities=MINIMAX_CAPS, outcomes=(_outcome(message),))
    rows = result.table().splitlines()[3:]
    head = len(_outcome(message).summary_line()) - len(clip_message(message))
    assert " ".join(row[head:] for row in rows) == message
    assert all(len(row) <= head + 110 for row in rows)


def test_the_all_builtin_summary_cuts_messages_between_words(tmp_path) -> None:
    from jalverify.cli.commands.validate import write_summary

    numbers = [str(LONG + k) for k in range(8)]
    message = "gains " + " | ".join(numbers)
    rows = [{"target": "jalverify.minimax", "library": "jalverify", "status": "refuted", "capabilities": None,
             "checks": [{"check": "validate.minimax.value", "verdict": "refuted", "examples": 1, "seconds": 0.1,
                         "message": message, "finding": None, "findings": []}]}]
    write_summary(rows, str(tmp_path), profile="quick", seed=1, meta={"versions": {}, "date": "2024-01-01"})
    row = next(line for line in (tmp_path / "summary.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `jalverify.minimax` | validate.minimax.value"))
    cell = row.split(" | ")[2]
    assert cell.startswith("refuted: gains ") and cell.endswith(" …")
    for token in cell[len("refuted: gains "):-2].split():
        assert token in numbers or token == "\\|"
    assert json.loads((tmp_path / "summary.json").read_text())["targets"][0]["checks"][0]["message"] == message


# --- versions of the target -----------------------------------------------------------------------------------
def _finding(target: str) -> Finding:
    verdict = Verdict("validate.minimax.value", Status.REFUTED, "returned value 1 vs exact minimax value 0",
                      {"returned_value": "1", "minimax_value": "0"})
    return Finding(check="validate.minimax.value", verdict=verdict, case=(PENNIES,), target=target,
                   capabilities=MINIMAX_CAPS, seed=7, source="corpus game pennies")


def test_a_target_in_a_file_is_recorded_with_the_sha256_of_its_contents(tmp_path) -> None:
    source = tmp_path / "my_solver.py"
    source.write_text("class Solver:\n    pass\n", encoding="utf-8")
    reference = f"{source}:Solver"
    versions = target_versions(reference)
    assert versions == {"kind": "local file", "file": str(source.resolve()),
                        "sha256": hashlib.sha256(source.read_bytes()).hexdigest()}
    generation = _finding(reference).report_document(str(tmp_path / "reports"))["generation"]
    assert generation["target_versions"] == versions
    assert generation["versions"]["jalverify"]  # the run's own versions are still recorded
    source.write_text("class Solver:\n    x = 1\n", encoding="utf-8")
    assert target_versions(reference)["sha256"] != versions["sha256"]  # a changed file is told apart


def test_a_missing_file_is_an_error_not_a_silent_gap(tmp_path) -> None:
    from jalverify.adapters.protocols import InvalidTarget

    with pytest.raises(InvalidTarget, match="SHA-256"):
        target_versions(f"{tmp_path / 'gone.py'}:Solver")


def test_a_builtin_adapter_records_the_library_it_wraps_and_its_requirements() -> None:
    pytest.importorskip("nashpy")
    versions = target_versions("nashpy.support_enumeration")
    assert versions["kind"] == "built-in adapter"
    assert versions["adapter"] == "jalverify.adapters.nashpy_adapter:SupportEnumeration"
    (dist,) = versions["distributions"]
    assert dist["name"] == "nashpy" and dist["version"] == metadata.version("nashpy")
    assert dist["requires"]["numpy"] == metadata.version("numpy")
    assert not any("sphinx" in name for name in dist["requires"])  # extras (docs) are left out
    result = ValidationResult(target="nashpy.support_enumeration", capabilities=EXACT_CAPS, outcomes=())
    assert result.to_dict()["target_versions"] == versions
    generation = _finding("nashpy.support_enumeration").report_document()["generation"]
    assert generation["target_versions"] == versions


def test_a_module_reference_names_its_distribution_or_its_file() -> None:
    installed = target_versions("jalverify.adapters.own:Minimax")
    assert installed["kind"] == "installed package"
    assert [d["name"] for d in installed["distributions"]] == ["jalverify"]
    local = target_versions("tests.validation.broken_solvers:Anything")
    assert local["kind"] == "module outside any installed distribution"
    assert local["file"].endswith("broken_solvers.py")
    with open(local["file"], "rb") as fh:
        assert local["sha256"] == hashlib.sha256(fh.read()).hexdigest()


def test_the_markdown_report_shows_provenance_as_nested_bullets_not_python_reprs(tmp_path) -> None:
    from jalverify.reports.store import render_markdown

    report = _finding("nashpy.support_enumeration").report_document(str(tmp_path))
    text = render_markdown(report)
    provenance = text.split("## Provenance", 1)[1].split("## Replay", 1)[0]
    assert "{" not in provenance and "[" not in provenance and "'" not in provenance
    assert "- target_versions:" in provenance and "  - kind:" in provenance
    assert "nashpy" in provenance and metadata.version("nashpy") in provenance
