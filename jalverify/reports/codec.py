"""Exact JSON encoding of a theorem check's arguments (a *case*), so a report can be replayed.

Games use the ``jalverify.game/1`` document (:func:`jalverify.games.formats.dump_game`), profiles and policies
their ``jalverify.profile/1`` / ``jalverify.policy/1`` documents together with their game; numbers are exact
``"p/q"`` strings.  Every encoded value is a small tagged object ``{"type": ..., ...}`` so decoding is
unambiguous.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidFile
from jalverify.games.formats import dump_game, dump_policy, dump_profile, game_from_dict, policy_from_dict, profile_from_dict
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame

__all__ = ["encode_value", "decode_value", "encode_case", "decode_case"]


def _array_out(a: np.ndarray) -> Any:
    if a.ndim == 0:
        return _scalar_out(a.item())
    return [_array_out(x) if isinstance(x, np.ndarray) else _scalar_out(x) for x in a]


def _scalar_out(x: Any) -> Any:
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    raise InvalidFile(f"encode_value(): cannot encode array entry {x!r} ({type(x).__name__})")


def encode_value(value: Any) -> Any:
    """Encode one argument as tagged JSON data (exact)."""
    if isinstance(value, NormalFormGame) or isinstance(value, StochasticGame):
        return {"type": "game", "game": dump_game(value)}
    if isinstance(value, (MixedProfile, CorrelatedProfile)):
        return {"type": "profile", "game": dump_game(value.game), "profile": dump_profile(value)}
    if isinstance(value, (StationaryPolicy, CorrelatedStationaryPolicy)):
        return {"type": "policy", "game": dump_game(value.game), "policy": dump_policy(value)}
    if isinstance(value, (bool, np.bool_)):
        return {"type": "bool", "value": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"type": "int", "value": int(value)}
    if isinstance(value, Fraction):
        return {"type": "fraction", "value": str(value)}
    if isinstance(value, (float, np.floating)):
        return {"type": "float", "value": repr(float(value))}
    if isinstance(value, str):
        return {"type": "str", "value": value}
    if value is None:
        return {"type": "none"}
    if isinstance(value, np.ndarray):
        kind = "exact" if value.dtype == object else "float" if value.dtype.kind == "f" else "int"
        return {"type": "array", "dtype": kind, "shape": list(value.shape), "values": _array_out(value)}
    if isinstance(value, tuple):
        return {"type": "tuple", "items": [encode_value(v) for v in value]}
    if isinstance(value, list):
        return {"type": "list", "items": [encode_value(v) for v in value]}
    if isinstance(value, Mapping):
        return {"type": "dict", "items": {str(k): encode_value(v) for k, v in value.items()}}
    raise InvalidFile(f"encode_value(): cannot encode a {type(value).__name__} in a report")


def _array_in(values: Any, kind: str) -> Any:
    if isinstance(values, list):
        return [_array_in(v, kind) for v in values]
    if kind == "exact":
        return Fraction(values)
    if kind == "float":
        return float(values)
    if kind == "int":
        return int(values)
    raise InvalidFile(f"decode_value(): unknown array dtype {kind!r}")


def decode_value(data: Any, where: str = "case") -> Any:
    """Inverse of :func:`encode_value`."""
    if not isinstance(data, Mapping) or "type" not in data:
        raise InvalidFile(f"{where}: expected a tagged value {{'type': ...}}, got {data!r}")
    kind = data["type"]
    if kind == "game":
        return game_from_dict(data["game"], source=where)
    if kind == "profile":
        game = game_from_dict(data["game"], source=where)
        return profile_from_dict(data["profile"], game, source=where)
    if kind == "policy":
        game = game_from_dict(data["game"], source=where)
        return policy_from_dict(data["policy"], game, source=where)
    if kind == "bool":
        return bool(data["value"])
    if kind == "int":
        return int(data["value"])
    if kind == "fraction":
        return Fraction(data["value"])
    if kind == "float":
        return float(data["value"])
    if kind == "str":
        return str(data["value"])
    if kind == "none":
        return None
    if kind == "array":
        dtype = data["dtype"]
        shape = tuple(data["shape"])
        values = _array_in(data["values"], dtype)
        if dtype == "exact":
            out = np.empty(shape, dtype=object)
            flat = out.reshape(-1)
            for k, v in enumerate(np.asarray(values, dtype=object).reshape(-1)):
                flat[k] = v
            return out
        return np.asarray(values, dtype=np.float64 if dtype == "float" else np.int64).reshape(shape)
    if kind == "tuple":
        return tuple(decode_value(v, f"{where}[{k}]") for k, v in enumerate(data["items"]))
    if kind == "list":
        return [decode_value(v, f"{where}[{k}]") for k, v in enumerate(data["items"])]
    if kind == "dict":
        return {k: decode_value(v, f"{where}.{k}") for k, v in data["items"].items()}
    raise InvalidFile(f"{where}: unknown value type {kind!r}")


def encode_case(arguments: Sequence[Any]) -> list[Any]:
    """Encode the argument tuple of a check."""
    return [encode_value(a) for a in arguments]


def decode_case(data: Sequence[Any], where: str = "case") -> tuple[Any, ...]:
    """Decode an encoded argument list back to the argument tuple."""
    if not isinstance(data, list):
        raise InvalidFile(f"{where}: expected a list of encoded arguments, got {type(data).__name__}")
    return tuple(decode_value(v, f"{where}[{k}]") for k, v in enumerate(data))
