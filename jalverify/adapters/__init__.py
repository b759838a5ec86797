"""Third-party code behind typed protocols with declared capabilities, and the built-in adapters.

Built-in adapters live one library per module (``nashpy_adapter``, ``gambit_adapter``, ``quantecon_adapter``,
``openspiel_adapter``, ``own``) and import their library only when called.
"""

from jalverify.adapters.protocols import (
    Capabilities,
    Concept,
    EvaluationAnswer,
    InvalidTarget,
    JointActionLearner,
    MinimaxAnswer,
    MinimaxSolver,
    MissingExtra,
    NashSolver,
    PolicyEvaluator,
    StageAnswer,
    StageSolver,
    TargetKind,
    kind_of,
)
from jalverify.adapters.registry import BUILTIN_ADAPTERS, ENTRY_POINT_GROUP, available_targets, load_target

__all__ = [
    "Capabilities",
    "Concept",
    "TargetKind",
    "NashSolver",
    "MinimaxSolver",
    "StageSolver",
    "PolicyEvaluator",
    "JointActionLearner",
    "MinimaxAnswer",
    "StageAnswer",
    "EvaluationAnswer",
    "MissingExtra",
    "InvalidTarget",
    "kind_of",
    "BUILTIN_ADAPTERS",
    "ENTRY_POINT_GROUP",
    "available_targets",
    "load_target",
]
