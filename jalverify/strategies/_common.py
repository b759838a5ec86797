"""Helpers shared by the strategy modules: values-or-strategies, integer payoff arrays, probability weights."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from jalverify.numbers import Field, field_named

__all__ = ["as_strategy", "draw_value", "fixed_lists", "payoff_strategy", "draw_integer_array", "draw_weights", "to_field_array", "normalise_weights",
           "DEFAULT_PAYOFFS"]

#: Default payoff entries: small integers, shrinking toward 0.
DEFAULT_PAYOFFS: SearchStrategy[int] = st.integers(-9, 9)


def as_strategy(value: Any) -> SearchStrategy[Any]:
    """A strategy passes through; any other value becomes ``st.just(value)``."""
    if isinstance(value, SearchStrategy):
        return value
    return st.just(value)


_RANGE_CACHE: dict[tuple[int, int], SearchStrategy[int]] = {}


def payoff_strategy(payoffs: Any) -> SearchStrategy[Any]:
    """``payoffs`` may be a strategy of entries, or a ``(low, high)`` pair of integers."""
    if isinstance(payoffs, SearchStrategy):
        return payoffs
    if isinstance(payoffs, tuple) and len(payoffs) == 2 and all(isinstance(v, int) for v in payoffs):
        key = (payoffs[0], payoffs[1])
        if key not in _RANGE_CACHE:
            _RANGE_CACHE[key] = st.integers(payoffs[0], payoffs[1])
        return _RANGE_CACHE[key]
    return st.just(payoffs)


_LIST_CACHE: dict[tuple[int, int], tuple[SearchStrategy[Any], SearchStrategy[list[Any]]]] = {}


def fixed_lists(elements: SearchStrategy[Any], size: int) -> SearchStrategy[list[Any]]:
    """``st.lists(elements, min_size=size, max_size=size)``, cached (building strategies has a cost)."""
    key = (id(elements), size)
    hit = _LIST_CACHE.get(key)
    if hit is not None and hit[0] is elements:
        return hit[1]
    strategy = st.lists(elements, min_size=size, max_size=size)
    if len(_LIST_CACHE) > 4096:
        _LIST_CACHE.clear()
    _LIST_CACHE[key] = (elements, strategy)
    return strategy


def draw_value(draw: Any, value: Any) -> Any:
    """Draw from ``value`` if it is a strategy; return it unchanged otherwise (no draw, no overhead)."""
    if isinstance(value, SearchStrategy):
        return draw(value)
    return value


def draw_integer_array(draw: Any, elements: SearchStrategy[Any], shape: Sequence[int]) -> np.ndarray:
    """Draw ``prod(shape)`` entries in one list draw (fast; shrinks entry by entry) and reshape."""
    size = int(np.prod(shape)) if len(shape) else 1
    values = draw(fixed_lists(elements, size))
    if all(type(v) is int for v in values):
        return np.array(values, dtype=np.int64).reshape(tuple(shape))
    out = np.empty(size, dtype=object)
    for k, v in enumerate(values):
        out[k] = v
    return out.reshape(tuple(shape))


def to_field_array(values: np.ndarray, field: Field | str) -> np.ndarray:
    """Map an integer (or exact) array into ``field``: ``Fraction`` objects or ``float64``."""
    fld = field_named(field)
    return fld.array(values, where="strategies", allow_float=True)


def draw_weights(draw: Any, size: int, *, max_weight: int = 4) -> list[int]:
    """Draw ``size`` non-negative integer weights with at least one positive, by construction.

    Shrinks toward ``[1, 0, ..., 0]`` (a point mass on the first outcome).
    """
    weights = draw(fixed_lists(payoff_strategy((0, max_weight)), size))
    bump = draw(payoff_strategy((0, size - 1))) if size > 1 else 0
    weights[bump] += 1
    return weights


def normalise_weights(weights: Sequence[int], field: Field) -> list[Any]:
    """Divide integer weights by their sum, exactly (Fractions) or in floats."""
    total = sum(weights)
    if field.exact:
        return [Fraction(w, total) for w in weights]
    return [w / total for w in weights]
