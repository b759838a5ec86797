"""Helpers shared by the built-in adapters: lazy library import with a clear error, and conversions."""

from __future__ import annotations

import importlib
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import MissingExtra

__all__ = ["require", "float_matrices", "exact_matrices", "as_lists"]


def require(module: str, extra: str, where: str) -> Any:
    """Import ``module`` or raise :class:`MissingExtra` naming ``pip install "jalverify[extra]"``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(module.split(".")[0], extra, where) from exc


def float_matrices(game: Any) -> tuple[np.ndarray, ...]:
    """Each player's payoff array as float64 (the exact binary value nearest to each rational)."""
    payoffs = np.asarray(game.payoffs, dtype=object)
    return tuple(np.vectorize(float, otypes=[np.float64])(payoffs[i]) for i in range(payoffs.shape[0]))


def exact_matrices(game: Any) -> tuple[np.ndarray, ...]:
    """Each player's payoff array as an object array of Fractions."""
    payoffs = np.asarray(game.payoffs, dtype=object)
    return tuple(np.vectorize(Fraction, otypes=[object])(payoffs[i]) for i in range(payoffs.shape[0]))


def as_lists(profile: Any) -> list[list[Any]]:
    """A profile (tuple of arrays) as plain nested lists (floats stay floats, Fractions stay Fractions)."""
    return [[v.item() if isinstance(v, np.generic) else v for v in np.asarray(d, dtype=object).tolist()] for d in profile]
