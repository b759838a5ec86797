"""Convergence criteria on learning traces (book §5.2; seed note 001; theory.md §7): six notions, each a
check that returns a :class:`ConvergenceReport` (established / not established / contradicted + evidence)."""

from jalverify.convergence.distances import block_distance, distance_to_hull, distance_to_members
from jalverify.convergence.notions import (
    check_all,
    check_average_return,
    check_averaged_policy,
    check_empirical_distribution,
    check_expected_return,
    check_policy,
    check_solution_set,
    expected_return_series,
    policy_as_joints,
)
from jalverify.convergence.report import ConvergenceReport, ConvergenceStatus, judge_series
from jalverify.convergence.solution_sets import correlated_set, minimax_set, nash_set

__all__ = [
    "ConvergenceReport",
    "ConvergenceStatus",
    "block_distance",
    "check_all",
    "check_average_return",
    "check_averaged_policy",
    "check_empirical_distribution",
    "check_expected_return",
    "check_policy",
    "check_solution_set",
    "correlated_set",
    "distance_to_hull",
    "distance_to_members",
    "expected_return_series",
    "judge_series",
    "minimax_set",
    "nash_set",
    "policy_as_joints",
]
