"""Typed exceptions of jalverify.

Every error raised by the library derives from :class:`JalverifyError`, so callers can catch the whole family
with one clause; the subclasses also derive from the matching built-in (``ValueError``, ``RuntimeError``) so
that generic handlers keep working.  Messages follow one rule: name the call site, the field and the offending
value, e.g. ``StochasticGame(): transition row for state 's1', joint action (0, 1) sums to 9/10, expected 1``.
"""

from __future__ import annotations

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REFUTED",
    "BadInput",
    "BudgetExceeded",
    "CertificateError",
    "GameTooLarge",
    "IllegalAction",
    "InternalError",
    "InvalidFile",
    "InvalidGame",
    "InvalidNumber",
    "InvalidOption",
    "InvalidPolicy",
    "InvalidProfile",
    "JalverifyError",
    "MissingExtra",
    "SolverError",
    "UnknownName",
    "UnsupportedGame",
    "exit_code",
]

#: Exit codes of the ``jalverify`` command, one meaning each (documented in the README).
EXIT_OK = 0  # the job ran and nothing that should hold was refuted
EXIT_REFUTED = 1  # a claim that should hold was refuted, or a validated target violated its promise
EXIT_BAD_INPUT = 2  # the user's input (a flag, a file, a value) is invalid; one line names it; nothing written
EXIT_INTERNAL = 3  # jalverify itself failed (a bug or a solver failure); never reported as bad input
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, the shell convention)


class JalverifyError(Exception):
    """Base class of every error raised by jalverify."""


class BadInput(JalverifyError, ValueError):
    """Base class of the errors that blame the caller's input (a flag, a file, a value); exit code 2."""


class IllegalAction(BadInput):
    """An environment (:mod:`jalverify.envs`) was asked to do something the game does not allow: an action masked
    in the current state, outside the agent's action space or not an integer; an action missing for a live agent or
    given for an agent that is not live; a step before ``reset()`` or after the episode ended.  The message names the
    agent, the state and the action."""


class InvalidNumber(BadInput):
    """A number could not be read into the requested field (NaN, inf, a float in the exact field, junk)."""


class InvalidGame(BadInput):
    """A game's data violate its definition (shapes, probabilities, discount, names)."""


class InvalidProfile(BadInput):
    """A strategy profile does not fit its game or is not a probability distribution."""


class InvalidPolicy(InvalidProfile):
    """A stationary policy does not fit its stochastic game."""


class InvalidFile(BadInput):
    """A game, policy or report file is malformed; the message names the file and the JSON path."""


class InvalidOption(BadInput):
    """An option (a command-line flag or its keyword) has a value, or a combination with other options, that cannot
    mean anything; the message names the flag and the value (``--scheduler 'localhost:8786' is not tcp://HOST:PORT``)."""


class MissingExtra(BadInput):
    """A feature needs an optional dependency that is not installed; the message names the extra to install
    (``pip install 'jalverify[distributed]'``)."""


class UnknownName(BadInput, KeyError):
    """A player, action or state name does not exist in the game."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class GameTooLarge(BadInput):
    """The game is too large for the chosen method; the message states the size and the limit."""


class UnsupportedGame(BadInput):
    """The method does not apply to this kind of game (e.g. minimax on a general-sum game)."""


class SolverError(JalverifyError, RuntimeError):
    """A solver failed in a way that is not a property of the game (numerical trouble, backend error)."""


class CertificateError(SolverError):
    """An answer could not be certified exactly; no exact claim is made."""


class BudgetExceeded(JalverifyError, RuntimeError):
    """A stated budget (time, iterations, size) ran out before an answer was established.

    Callers that judge a claim turn it into a "not established" verdict that names the budget; it is neither bad
    input nor a bug.
    """


class InternalError(JalverifyError, RuntimeError):
    """jalverify itself failed: an invariant of its own code broke.  A bug to report, never the user's fault."""


def exit_code(error: BaseException) -> int:
    """The exit code of the ``jalverify`` command for an error that ended it.

    Bad input (invalid numbers, games, profiles, files, names, sizes over a stated bound, methods that do not
    apply) is :data:`EXIT_BAD_INPUT`; Ctrl-C is :data:`EXIT_INTERRUPTED`; everything else, including solver and
    certificate failures, exhausted budgets that nobody judged, and any exception that is not a
    :class:`JalverifyError`, is jalverify's own failure, :data:`EXIT_INTERNAL`.
    """
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, BadInput):
        return EXIT_BAD_INPUT
    return EXIT_INTERNAL
