"""Helpers shared by the strategy modules: values-or-strategies, integer payoff arrays, probability weights."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from jalverify.numbers import Field, field_named

__all__ = ["DEFAULT_PAYOFFS", "as_strategy", "draw_integer_array", "draw_value", "draw_weight_blocks", "draw_weights",
           "fixed_lists", "normalise_weights", "payoff_strategy", "to_field_array"]



def as_strategy(value: Any) -> SearchStrategy[Any]:
    """A strategy passes through; any other value becomes ``st.just(value)``."""
    if isinstance(value, SearchStrategy):
        return value
    return st.just(value)


_RANGE_CACHE: dict[tuple[int, int], SearchStrategy[int]] = {}
#: ``id(strategy) -> (low, high, values ranked by distance from the shrink target)`` for integer ranges made here.
_RANGES: dict[int, tuple[int, int, list[int]]] = {}


def _ranked_values(low: int, high: int) -> list[int]:
    """``low..high`` ordered as Hypothesis orders integers for shrinking: the value closest to 0 first, then
    alternately above and below it (0, 1, -1, 2, -2, ...)."""
    target = min(max(0, low), high)
    out = [target]
    step = 1
    while len(out) < high - low + 1:
        for v in (target + step, target - step):
            if low <= v <= high:
                out.append(v)
        step += 1
    return out


def payoff_strategy(payoffs: Any) -> SearchStrategy[Any]:
    """``payoffs`` may be a strategy of entries, or a ``(low, high)`` pair of integers."""
    if isinstance(payoffs, SearchStrategy):
        return payoffs
    if isinstance(payoffs, tuple) and len(payoffs) == 2 and all(isinstance(v, int) for v in payoffs):
        key = (payoffs[0], payoffs[1])
        if key not in _RANGE_CACHE:
            strategy = st.integers(payoffs[0], payoffs[1])
            _RANGE_CACHE[key] = strategy
            if payoffs[1] - payoffs[0] < 65536:
                _RANGES[id(strategy)] = (payoffs[0], payoffs[1], _ranked_values(payoffs[0], payoffs[1]))
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


_BINARY_CACHE: dict[int, SearchStrategy[bytes]] = {}
_BOUNDS_CACHE: dict[tuple[int, int], tuple[int, int, list[int]]] = {}


def _integer_range_of(elements: Any) -> tuple[int, int, list[int]] | None:
    """``(low, high, ranked)`` when ``elements`` is Hypothesis' ``integers(low, high)`` (bounded, < 65536 values).

    Hypothesis hands composite arguments over unwrapped (a lazy ``integers(...)`` becomes the underlying
    strategy), so the bounds are read from the strategy (``start`` / ``end``); anything else returns ``None`` and
    is drawn as a list.
    """
    inner = getattr(elements, "wrapped_strategy", elements)
    if type(inner).__name__ != "IntegersStrategy":
        return None
    low, high = getattr(inner, "start", None), getattr(inner, "end", None)
    if not isinstance(low, int) or not isinstance(high, int) or high - low >= 65536:
        return None
    key = (low, high)
    if key not in _BOUNDS_CACHE:
        _BOUNDS_CACHE[key] = (low, high, _ranked_values(low, high))
    return _BOUNDS_CACHE[key]


def _fixed_binary(size: int) -> SearchStrategy[bytes]:
    if size not in _BINARY_CACHE:
        _BINARY_CACHE[size] = st.binary(min_size=size, max_size=size)
    return _BINARY_CACHE[size]


def draw_integer_array(draw: Any, elements: SearchStrategy[Any], shape: Sequence[int]) -> np.ndarray:
    """Draw ``prod(shape)`` entries in one draw and reshape.

    For an integer range made by :func:`payoff_strategy` the entries come from one fixed-size byte string
    (about 2.5× faster than a list of integers): each entry reads one byte (two for ranges wider than 256) and
    picks ``ranked[b mod size]`` where ``ranked`` lists the range as 0, 1, -1, 2, -2, ...  Hypothesis shrinks each
    byte toward 0, so each entry still shrinks independently toward 0 (toward the end of the range closest to 0
    for one-signed ranges).  Any other strategy is drawn as a list of its values.
    """
    size = int(np.prod(shape)) if len(shape) else 1
    known = _RANGES.get(id(elements)) or _integer_range_of(elements)
    if known is not None:
        low, high, ranked = known
        width = high - low + 1
        if width <= 256:
            raw = draw(_fixed_binary(size))
            values = [ranked[b % width] for b in raw]
        else:
            raw = draw(_fixed_binary(2 * size))
            values = [ranked[(raw[2 * k] << 8 | raw[2 * k + 1]) % width] for k in range(size)]
        return np.array(values, dtype=np.int64).reshape(tuple(shape))
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
    weights = draw_integer_array(draw, payoff_strategy((0, max_weight)), (size,)).tolist()
    bump = draw(payoff_strategy((0, size - 1))) if size > 1 else 0
    weights[bump] += 1
    return weights


def draw_weight_blocks(draw: Any, sizes: Sequence[int], *, max_weight: int = 4) -> list[list[int]]:
    """Draw one weight vector per entry of ``sizes``, each as :func:`draw_weights` makes it (entries in
    ``0..max_weight``, one of them raised by 1), with two draws in all instead of two per vector.

    All the entries come from one fixed-size byte string and the raised positions from another (each byte read
    as in :func:`draw_integer_array`), so every entry and every raised position still shrinks independently
    toward 0: each vector toward ``[1, 0, ..., 0]``.  A game with many transition rows or a policy with many
    states is drawn in a few byte strings rather than dozens of small draws (Hypothesis' cost is per draw).
    """
    if not 0 <= max_weight < 256:
        from jalverify.errors import InvalidNumber

        raise InvalidNumber(f"draw_weight_blocks(): max_weight must be in 0..255, got {max_weight}")
    if any(size < 1 for size in sizes):
        from jalverify.errors import InvalidNumber

        raise InvalidNumber(f"draw_weight_blocks(): every size must be at least 1, got {list(sizes)}")
    if not sizes:
        return []
    width = max_weight + 1
    raw = draw(_fixed_binary(sum(sizes)))
    raised = draw(_fixed_binary(len(sizes)))
    out: list[list[int]] = []
    start = 0
    for k, size in enumerate(sizes):
        weights = [b % width for b in raw[start:start + size]]
        weights[raised[k] % size] += 1
        out.append(weights)
        start += size
    return out


def normalise_weights(weights: Sequence[int], field: Field) -> list[Any]:
    """Divide integer weights by their sum, exactly (Fractions) or in floats."""
    total = sum(weights)
    if field.exact:
        return [Fraction(w, total) for w in weights]
    return [w / total for w in weights]


#: Default payoff entries: small integers in [-9, 9], shrinking toward 0.
DEFAULT_PAYOFFS: SearchStrategy[int] = payoff_strategy((-9, 9))
