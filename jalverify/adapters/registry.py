"""Finding validation targets: built-in adapters, the ``jalverify.adapters`` entry-point group, and references.

A target reference is one of

* a built-in adapter name such as ``"nashpy.support_enumeration"`` (see :data:`BUILTIN_ADAPTERS`);
* the name of an entry point in the group ``jalverify.adapters`` (how a package registers its own adapters)::

      [project.entry-points."jalverify.adapters"]
      mysolver = "mypkg.jalverify_adapter:MySolver"

* ``"package.module:object"`` (``object`` may be a dotted attribute path);
* ``"path/to/file.py:object"`` (loaded from the file; handy for tests and scripts).

When the object found is a class it is instantiated without arguments; anything else is used as it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from importlib import metadata
from typing import Any

from jalverify.adapters.protocols import Capabilities, InvalidTarget

__all__ = ["BUILTIN_ADAPTERS", "ENTRY_POINT_GROUP", "load_target", "resolve_reference", "available_targets"]

ENTRY_POINT_GROUP = "jalverify.adapters"

#: Built-in adapters: name → ``module:object``.  The library each needs is imported only when it is called.
BUILTIN_ADAPTERS: dict[str, str] = {
    "nashpy.support_enumeration": "jalverify.adapters.nashpy_adapter:SupportEnumeration",
    "nashpy.vertex_enumeration": "jalverify.adapters.nashpy_adapter:VertexEnumeration",
    "nashpy.lemke_howson": "jalverify.adapters.nashpy_adapter:LemkeHowsonAllLabels",
    "nashpy.linear_program": "jalverify.adapters.nashpy_adapter:ZeroSumLinearProgram",
    "gambit.enummixed_exact": "jalverify.adapters.gambit_adapter:EnumMixedExact",
    "gambit.enummixed_float": "jalverify.adapters.gambit_adapter:EnumMixedFloat",
    "gambit.lcp_exact": "jalverify.adapters.gambit_adapter:LcpExact",
    "gambit.lcp_float": "jalverify.adapters.gambit_adapter:LcpFloat",
    "gambit.lp_exact": "jalverify.adapters.gambit_adapter:LpExact",
    "gambit.lp_float": "jalverify.adapters.gambit_adapter:LpFloat",
    "gambit.enumpure": "jalverify.adapters.gambit_adapter:EnumPure",
    "quantecon.support_enumeration": "jalverify.adapters.quantecon_adapter:SupportEnumeration",
    "quantecon.vertex_enumeration": "jalverify.adapters.quantecon_adapter:VertexEnumeration",
    "quantecon.lemke_howson": "jalverify.adapters.quantecon_adapter:LemkeHowson",
    "quantecon.pure_nash_brute": "jalverify.adapters.quantecon_adapter:PureNashBrute",
    "openspiel.lp_zero_sum": "jalverify.adapters.openspiel_adapter:ZeroSumLinearProgram",
    "openspiel.matrix_nash_lcp": "jalverify.adapters.openspiel_adapter:MatrixNashLemkeHowson",
    "openspiel.qlearner_nash": "jalverify.adapters.openspiel_adapter:QLearnerNash",
    "openspiel.qlearner_ce": "jalverify.adapters.openspiel_adapter:QLearnerCorrelated",
    "openspiel.qlearner_cce": "jalverify.adapters.openspiel_adapter:QLearnerCoarseCorrelated",
    "openspiel.stage_nash": "jalverify.adapters.openspiel_adapter:StageNash",
    "openspiel.stage_ce": "jalverify.adapters.openspiel_adapter:StageCorrelated",
    "openspiel.stage_cce": "jalverify.adapters.openspiel_adapter:StageCoarseCorrelated",
    # policy learners trained on the PettingZoo environment: also need the pettingzoo extra (warm_up() raises
    # MissingExtra naming it, so validation stops at loading the target)
    "openspiel.env_qlearner_nash": "jalverify.adapters.openspiel_policy_learners:MultiagentQLearnerEnv",
    "openspiel.wolf_phc": "jalverify.adapters.openspiel_policy_learners:WoLFPHCEnv",
    "jalverify.nash_vertex_enumeration": "jalverify.adapters.own:NashVertexEnumeration",
    "jalverify.nash_vertex_enumeration_float": "jalverify.adapters.own:NashVertexEnumerationFloat",
    "jalverify.minimax": "jalverify.adapters.own:Minimax",
    "jalverify.stage_correlated": "jalverify.adapters.own:StageCorrelatedWelfare",
    "jalverify.policy_evaluation": "jalverify.adapters.own:PolicyEvaluationExact",
    "jalverify.minimax_q": "jalverify.adapters.own:MinimaxQLearner",
}

#: Which library (and extra) each built-in family needs.
LIBRARY_OF_FAMILY: dict[str, tuple[str, str]] = {
    "nashpy": ("nashpy", "nashpy"),
    "gambit": ("pygambit", "gambit"),
    "quantecon": ("quantecon", "quantecon"),
    "openspiel": ("open_spiel", "openspiel"),
    "jalverify": ("jalverify", ""),
}


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def available_targets() -> dict[str, str]:
    """Every named target: built-ins and registered entry points (name → ``module:object``)."""
    out = dict(BUILTIN_ADAPTERS)
    for name, ep in _entry_points().items():
        out.setdefault(name, ep.value)
    return out


def resolve_reference(reference: str) -> str:
    """Turn a built-in or entry-point name into ``module:object``; other references pass through."""
    if not isinstance(reference, str) or not reference.strip():
        raise InvalidTarget(f"resolve_reference(): expected a target reference string, got {reference!r}")
    ref = reference.strip()
    if ref in BUILTIN_ADAPTERS:
        return BUILTIN_ADAPTERS[ref]
    eps = _entry_points()
    if ref in eps:
        return eps[ref].value
    if ":" not in ref:
        known = ", ".join(sorted(available_targets()))
        raise InvalidTarget(
            f"resolve_reference(): {ref!r} is neither 'module:object', 'file.py:object', nor a known adapter name; "
            f"known names: {known}"
        )
    return ref


def _import_object(reference: str) -> Any:
    module_part, _, attr_path = reference.rpartition(":")
    if not module_part or not attr_path:
        raise InvalidTarget(f"load_target(): reference {reference!r} must look like 'module:object'")
    if module_part.endswith(".py") or os.sep in module_part:
        path = os.path.abspath(module_part)
        if not os.path.isfile(path):
            raise InvalidTarget(f"load_target(): file {module_part!r} of reference {reference!r} does not exist")
        name = "_jalverify_target_" + os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise InvalidTarget(f"load_target(): cannot load {path!r} as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(module_part)
        except ModuleNotFoundError as exc:
            raise InvalidTarget(f"load_target(): cannot import module {module_part!r} of reference {reference!r}: {exc}") from exc
    obj: Any = module
    for part in attr_path.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise InvalidTarget(f"load_target(): {module_part!r} has no attribute {attr_path!r}") from None
    return obj


def load_target(reference: str) -> Any:
    """Load the target named by ``reference`` (see the module docstring) and check it declares capabilities.

    Raises
    ------
    InvalidTarget
        Unknown name, import failure, or an object without a :class:`Capabilities` ``capabilities`` attribute.
    MissingExtra
        A built-in adapter whose library is not installed (raised when the adapter is used, not loaded).
    """
    obj = _import_object(resolve_reference(reference))
    if isinstance(obj, type):
        obj = obj()
    caps = getattr(obj, "capabilities", None)
    if not isinstance(caps, Capabilities):
        raise InvalidTarget(
            f"load_target(): {reference!r} gives {obj!r}, which has no 'capabilities' attribute of type "
            "jalverify.adapters.Capabilities"
        )
    return obj
