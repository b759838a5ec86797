"""Typed exceptions of jalverify.

Every error raised by the library derives from :class:`JalverifyError`, so callers can catch the whole family
with one clause; the subclasses also derive from the matching built-in (``ValueError``, ``RuntimeError``) so
that generic handlers keep working.  Messages follow one rule: name the call site, the field and the offending
value, e.g. ``StochasticGame(): transition row for state 's1', joint action (0, 1) sums to 9/10, expected 1``.
"""

from __future__ import annotations

__all__ = [
    "JalverifyError",
    "InvalidNumber",
    "InvalidGame",
    "InvalidProfile",
    "InvalidPolicy",
    "InvalidFile",
    "UnknownName",
    "GameTooLarge",
    "UnsupportedGame",
    "SolverError",
    "CertificateError",
]


class JalverifyError(Exception):
    """Base class of every error raised by jalverify."""


class InvalidNumber(JalverifyError, ValueError):
    """A number could not be read into the requested field (NaN, inf, a float in the exact field, junk)."""


class InvalidGame(JalverifyError, ValueError):
    """A game's data violate its definition (shapes, probabilities, discount, names)."""


class InvalidProfile(JalverifyError, ValueError):
    """A strategy profile does not fit its game or is not a probability distribution."""


class InvalidPolicy(InvalidProfile):
    """A stationary policy does not fit its stochastic game."""


class InvalidFile(JalverifyError, ValueError):
    """A game, policy or report file is malformed; the message names the file and the JSON path."""


class UnknownName(JalverifyError, KeyError):
    """A player, action or state name does not exist in the game."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class GameTooLarge(JalverifyError, ValueError):
    """The game is too large for the chosen method; the message states the size and the limit."""


class UnsupportedGame(JalverifyError, ValueError):
    """The method does not apply to this kind of game (e.g. minimax on a general-sum game)."""


class SolverError(JalverifyError, RuntimeError):
    """A solver failed in a way that is not a property of the game (numerical trouble, backend error)."""


class CertificateError(SolverError):
    """An answer could not be certified exactly; no exact claim is made."""
