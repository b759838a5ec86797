"""A verdict as data (``to_dict``) and in a notebook (``_repr_html_``)."""

from __future__ import annotations

import json
from fractions import Fraction
from html.parser import HTMLParser

import numpy as np
import pytest

from jalverify.verdicts import VERDICT_MEANINGS, Status, Verdict


def _verdict(status: Status) -> Verdict:
    return Verdict("nash.soundness", status, "gain 1/2 > 0 at <row> & co",
                   {"gain": Fraction(1, 2), "profile": np.array([Fraction(1, 3), Fraction(2, 3)], dtype=object),
                    "joint": (0, 1), "value": np.float64(0.25)},
                   tolerance=1e-9 if status is Status.WITHIN_TOLERANCE else None)


@pytest.mark.parametrize("status", list(Status))
def test_to_dict_is_plain_json_with_exact_strings(status: Status) -> None:
    data = _verdict(status).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["status"] == status.value and data["words"] == status.words
    assert data["meaning"] == VERDICT_MEANINGS[status.value]
    assert data["witness"] == {"gain": "1/2", "profile": ["1/3", "2/3"], "joint": [0, 1], "value": 0.25}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.titles: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.titles += [v or "" for k, v in attrs if k == "title"]

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize("status", list(Status))
def test_html_shows_the_words_their_meaning_and_the_witness_escaped(status: Status) -> None:
    page = _verdict(status)._repr_html_()
    assert "<row>" not in page
    parsed = _Text()
    parsed.feed(page)
    assert parsed.text.startswith(status.words + " nash.soundness: gain 1/2 > 0 at <row> & co")
    assert parsed.titles == [VERDICT_MEANINGS[status.value]]
    assert '"1/2"' in parsed.text and '["1/3", "2/3"]' in parsed.text
    assert "Fraction(" not in parsed.text and "array(" not in parsed.text
    assert parsed.tags.count("details") == 1 and "script" not in parsed.tags
