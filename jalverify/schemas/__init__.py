"""JSON Schemas (draft 2020-12) of every ``jalverify ... --format json`` output.

One file ``<name>.schema.json`` per output shape, shipped in the wheel as package data:

======================== ==========================================================================
name                     output of
======================== ==========================================================================
``show``                 ``jalverify show FILE --format json [--with-game]``
``convert``              ``jalverify convert IN OUT --format json``
``solve``                ``jalverify solve FILE --concept minimax|ce|cce|nash|pure-nash --format json``
                         (normal-form games; ``--concept minimax`` on stochastic games too)
``classify``             ``jalverify classify FILE --format json``
``evaluate``             ``jalverify evaluate FILE --policy POLICY.json --format json``
``learn``                ``jalverify learn FILE --algorithm A --format json``
``experiment``           ``jalverify experiment SPEC --format json`` (and the campaign's ``summary.json``)
``nosde``                ``jalverify nosde FILE --format json [--cycle]``
``nosde_pair``           ``jalverify nosde FILE --pair --out PRIME.json --format json``
``verify``               ``jalverify verify --format json``
``verify_list``          ``jalverify verify --list --format json``
``replay``               ``jalverify replay REPORT... --format json``
``validate``             ``jalverify validate TARGET --format json``
``validate_list``        ``jalverify validate --list --format json``
``validate_replay``      ``jalverify validate TARGET --replay REPORT --format json``
``validate_all_builtin`` ``jalverify validate --all-builtin --format json``
======================== ==========================================================================

Exact numbers appear as strings matching ``^-?[0-9]+(/[0-9]+)?$``; verdicts as one of ``proven``,
``within_tolerance``, ``not_established``, ``refuted``, ``error`` (:class:`jalverify.verdicts.Status`).
Validating a document needs a JSON Schema library (``jsonschema``, in the ``dev`` extra); reading the
schemas does not.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jalverify.errors import UnknownName

__all__ = ["SCHEMA_NAMES", "schema"]

#: Names of the shipped schemas, one per output shape (see the module docstring).
SCHEMA_NAMES: tuple[str, ...] = (
    "show", "convert", "solve", "classify", "evaluate", "learn", "experiment", "nosde", "nosde_pair", "verify", "verify_list",
    "replay", "validate", "validate_list", "validate_replay", "validate_all_builtin",
)


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the output ``name`` (one of :data:`SCHEMA_NAMES`), as a fresh dict.

    Raises
    ------
    UnknownName
        ``name`` is not one of :data:`SCHEMA_NAMES`.
    """
    if name not in SCHEMA_NAMES:
        raise UnknownName(f"no JSON schema named {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
