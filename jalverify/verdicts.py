"""Three-state verdicts for theorem checks.

A check of a claim on one input ends in exactly one of three states (after CrossHair / icontract):

* ``CONFIRMED``: the claim holds, shown in exact rational arithmetic;
* ``UNKNOWN``: no exact proof; e.g. it holds only within a stated floating-point tolerance, or a budget ran out;
* ``REFUTED``: the claim fails, with a witness that is exact.

A float computation can never yield ``CONFIRMED``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Status", "Verdict"]


class Status(enum.Enum):
    """Outcome of checking one claim on one input."""

    CONFIRMED = "confirmed"
    UNKNOWN = "unknown"
    REFUTED = "refuted"


@dataclass(frozen=True)
class Verdict:
    """The result of checking a claim.

    Parameters
    ----------
    theorem : str
        Dotted theorem id, e.g. ``"minimax.value_unique"``.
    status : Status
        Confirmed exactly, unknown (e.g. within tolerance), or refuted.
    message : str
        One sentence a person can read: what was shown, or what failed and by how much.
    witness : Mapping[str, Any]
        The values involved (exact numbers as ``p/q`` strings where serialised).
    tolerance : float or None
        The float tolerance used when ``status`` is ``UNKNOWN`` because of floating point.
    """

    theorem: str
    status: Status
    message: str
    witness: Mapping[str, Any] = field(default_factory=dict)
    tolerance: float | None = None

    @property
    def confirmed(self) -> bool:
        return self.status is Status.CONFIRMED

    @property
    def refuted(self) -> bool:
        return self.status is Status.REFUTED

    def __str__(self) -> str:
        return f"[{self.status.value}] {self.theorem}: {self.message}"
