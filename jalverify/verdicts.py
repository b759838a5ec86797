"""Verdicts: what a check of a claim showed, in five words that mean one thing everywhere.

A check of a claim ends in exactly one of five states (after CrossHair / icontract, extended with the
distinction between exact proof and numerical evidence that verified-computation tools make):

* ``PROVEN`` ("proven exactly"): the claim holds on the input, shown in exact rational (or exact algebraic)
  arithmetic;
* ``WITHIN_TOLERANCE`` ("holds within tolerance"): numerical evidence only; the claim holds up to a stated
  tolerance, and the measured worst case is reported beside it.  Never reads as a proof;
* ``NOT_ESTABLISHED`` ("not established"): neither shown nor refuted; the message says why (a budget ran out,
  the claim does not apply to the input, a reference does not exist);
* ``REFUTED`` ("refuted"): the claim fails, with a witness that is exact (numerical refutations say so in
  their message and are never labelled exact);
* ``ERROR`` ("error"): jalverify itself failed while checking (a bug, a solver failure); nothing is claimed.

A float computation can never yield ``PROVEN``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jalverify.errors import InternalError

__all__ = ["STATUS_COLOURS", "VERDICT_MEANINGS", "Status", "Verdict"]


class Status(enum.Enum):
    """Outcome of checking one claim on one input (the value is the word used in JSON)."""

    PROVEN = "proven"
    WITHIN_TOLERANCE = "within_tolerance"
    NOT_ESTABLISHED = "not_established"
    REFUTED = "refuted"
    ERROR = "error"

    @property
    def words(self) -> str:
        """The words a person reads in text output ("proven exactly", "holds within tolerance", ...)."""
        return _WORDS[self]


_WORDS: dict[Status, str] = {
    Status.PROVEN: "proven exactly",
    Status.WITHIN_TOLERANCE: "holds within tolerance",
    Status.NOT_ESTABLISHED: "not established",
    Status.REFUTED: "refuted",
    Status.ERROR: "error",
}

#: One sentence per verdict word; the README, ``--help`` and the JSON schemas use these.
VERDICT_MEANINGS: dict[str, str] = {
    Status.PROVEN.value: "the claim holds, shown in exact rational or algebraic arithmetic (certified)",
    Status.WITHIN_TOLERANCE.value: "numerical evidence: the claim holds up to the stated tolerance; the measured "
                                   "worst case is reported; not a proof",
    Status.NOT_ESTABLISHED.value: "neither shown nor refuted (a budget ran out, or no reference exists); the "
                                  "message says why",
    Status.REFUTED.value: "the claim fails; the witness is exact unless the message says it is numerical",
    Status.ERROR.value: "jalverify itself failed while checking (a bug or a solver failure); nothing is claimed",
}


@dataclass(frozen=True)
class Verdict:
    """The result of checking a claim.

    Parameters
    ----------
    theorem : str
        Dotted theorem id, e.g. ``"minimax.value_unique"``.
    status : Status
        One of the five verdicts (see the module docstring).
    message : str
        One sentence a person can read: what was shown, or what failed and by how much.
    witness : Mapping[str, Any]
        The values involved (exact numbers as ``p/q`` strings where serialised).
    tolerance : float or None
        The float tolerance used; required when ``status`` is ``WITHIN_TOLERANCE``.
    worst : float or None
        The measured worst case (e.g. the largest regret) of a ``WITHIN_TOLERANCE`` verdict, or what a
        ``NOT_ESTABLISHED`` verdict measured (e.g. a learner's final gap to Q*): summaries cite the case with the
        largest ``worst``, not the first one.
    """

    theorem: str
    status: Status
    message: str
    witness: Mapping[str, Any] = field(default_factory=dict)
    tolerance: float | None = None
    worst: float | None = None

    def __post_init__(self) -> None:
        """Raises :class:`~jalverify.errors.InternalError` for a within-tolerance verdict without its tolerance
        (a bug in the check that built it, never the user's input)."""
        if self.status is Status.WITHIN_TOLERANCE and self.tolerance is None:
            raise InternalError(f"Verdict({self.theorem!r}): status={self.status.value!r} with tolerance=None; a "
                                f"within-tolerance verdict must state its tolerance")

    @property
    def proven(self) -> bool:
        return self.status is Status.PROVEN

    @property
    def refuted(self) -> bool:
        return self.status is Status.REFUTED

    def __str__(self) -> str:
        return f"[{self.status.words}] {self.theorem}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The verdict as plain JSON-ready data: the status value and words, their meaning, the message,
        tolerance, worst case and the witness (exact numbers as ``"p/q"`` strings, arrays as lists)."""
        return {"theorem": self.theorem, "status": self.status.value, "words": self.status.words,
                "meaning": VERDICT_MEANINGS[self.status.value], "message": self.message,
                "tolerance": self.tolerance, "worst": self.worst, "witness": _plain(dict(self.witness))}

    def _repr_html_(self) -> str:
        """The verdict in a notebook: its words (their meaning on hover), the claim's id, the message, tolerance
        and worst case, and the witness in a collapsed table."""
        import html
        import json

        e = html.escape
        colour = STATUS_COLOURS[self.status]
        numbers = "".join(f" <span>({label} {value:.3g})</span>" for label, value in
                          (("tolerance", self.tolerance), ("worst", self.worst)) if value is not None)
        rows = "".join(f"<tr><th style=\"text-align:left;padding-right:1em\">{e(str(key))}</th><td><code>"
                       f"{e(json.dumps(value, ensure_ascii=False))}</code></td></tr>"
                       for key, value in _plain(dict(self.witness)).items())
        witness = f"<details><summary>witness</summary><table>{rows}</table></details>" if rows else ""
        return (f'<div class="jalverify-verdict"><strong style="color:{colour}" '
                f'title="{e(VERDICT_MEANINGS[self.status.value])}">{e(self.status.words)}</strong> '
                f"<code>{e(self.theorem)}</code>: {e(self.message)}{numbers}{witness}</div>")


#: Text colours of the verdict words in HTML (green proven, teal within tolerance, grey not established, red
#: refuted, dark orange error).
STATUS_COLOURS = {Status.PROVEN: "#1a7f37", Status.WITHIN_TOLERANCE: "#0b7285", Status.NOT_ESTABLISHED: "#6e7781",
                  Status.REFUTED: "#cf222e", Status.ERROR: "#bc4c00"}


def _plain(value: Any) -> Any:
    """JSON-ready data: Fractions as ``"p/q"``, numpy arrays and tuples as lists, numpy scalars as Python ones,
    mappings with string keys; anything else as it is (a witness is built from these)."""
    from fractions import Fraction

    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return _plain(tolist())
    if isinstance(value, enum.Enum):
        return value.value
    return value
