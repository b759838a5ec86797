"""jalverify: check the theory of joint-action learning in multi-agent reinforcement learning by computation.

The package is layered (each layer imports only layers below it)::

    errors, verdicts  →  numbers  →  games  →  solvers  →  learners  →  theorems / strategies
    →  reports / adapters  →  cli, pytest plugin

This module re-exports the most used names and nothing more.
"""

from jalverify.errors import (
    CertificateError,
    GameTooLarge,
    InvalidFile,
    InvalidGame,
    InvalidNumber,
    InvalidPolicy,
    InvalidProfile,
    JalverifyError,
    SolverError,
    UnknownName,
    UnsupportedGame,
)
from jalverify.games import (
    CorrelatedProfile,
    CorrelatedStationaryPolicy,
    MixedProfile,
    NormalFormGame,
    StationaryPolicy,
    StochasticGame,
    stage_game,
)
from jalverify.numbers import EXACT, FLOAT, FloatField, RationalField, parse_number
from jalverify.verdicts import Status, Verdict

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "CertificateError",
    "GameTooLarge",
    "InvalidFile",
    "InvalidGame",
    "InvalidNumber",
    "InvalidPolicy",
    "InvalidProfile",
    "JalverifyError",
    "SolverError",
    "UnknownName",
    "UnsupportedGame",
    "CorrelatedProfile",
    "CorrelatedStationaryPolicy",
    "MixedProfile",
    "NormalFormGame",
    "StationaryPolicy",
    "StochasticGame",
    "stage_game",
    "EXACT",
    "FLOAT",
    "FloatField",
    "RationalField",
    "parse_number",
    "Status",
    "Verdict",
]


def __getattr__(name: str) -> object:
    """Lazy access to the validation entry points (``jalverify.check_solver``, ``jalverify.check_learner``), so
    importing jalverify does not import the validation machinery (or Hypothesis)."""
    if name in ("check_solver", "check_learner"):
        from jalverify import validation

        return getattr(validation, name)
    raise AttributeError(f"module 'jalverify' has no attribute {name!r}")
