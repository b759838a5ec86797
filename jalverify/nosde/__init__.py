"""NoSDE games (theorems layer): stationary equilibrium check, NoSDE detection, exact stationary equilibria of
turn-based games, the Γ, Γ' construction of Zinkevich, Greenwald & Littman (2005), and value-iteration cycling.

One algorithm per module:

* :mod:`~jalverify.nosde.equilibrium_check`: exact one-shot deviation check with witness;
* :mod:`~jalverify.nosde.detection`: does a stationary deterministic equilibrium exist (enumeration, pruning);
* :mod:`~jalverify.nosde.turn_based_equilibria`: all stationary equilibria of small turn-based games;
* :mod:`~jalverify.nosde.reward_pair`: Γ' from Γ with equal Q and different V, every claim verified;
* :mod:`~jalverify.nosde.value_iteration_cycle`: greedy value iteration and its certified policy cycle;
* :mod:`~jalverify.nosde.report`: the counterexample report (JSON + Markdown) of a Γ, Γ' pair.
"""

from jalverify.nosde.detection import (
    DEFAULT_MAX_PROFILES,
    ProfileDeviation,
    SDEDetection,
    SDEStatus,
    count_deterministic_profiles,
    find_stationary_deterministic_equilibrium,
)
from jalverify.nosde.equilibrium_check import (
    Deviation,
    StationaryEquilibriumCheck,
    check_stationary_equilibrium,
    stationary_equilibrium_verdict,
)
from jalverify.nosde.reward_pair import (
    CLAIMS,
    RewardPair,
    build_reward_pair,
    choose_target,
    policy_as_dict,
    prime_game,
    verify_reward_pair,
)
from jalverify.nosde.report import pair_document, pair_markdown, q_rows_witness
from jalverify.nosde.value_iteration_cycle import CycleStatus, ValueIterationCycle, value_iteration_cycle
from jalverify.nosde.turn_based_equilibria import (
    DEFAULT_MAX_SUPPORT_PROFILES,
    OpenCase,
    TurnBasedEquilibria,
    count_support_profiles,
    turn_based_stationary_equilibria,
)

__all__ = [
    "Deviation",
    "StationaryEquilibriumCheck",
    "check_stationary_equilibrium",
    "stationary_equilibrium_verdict",
    "DEFAULT_MAX_PROFILES",
    "SDEStatus",
    "ProfileDeviation",
    "SDEDetection",
    "count_deterministic_profiles",
    "find_stationary_deterministic_equilibrium",
    "DEFAULT_MAX_SUPPORT_PROFILES",
    "OpenCase",
    "TurnBasedEquilibria",
    "count_support_profiles",
    "turn_based_stationary_equilibria",
    "CLAIMS",
    "RewardPair",
    "prime_game",
    "choose_target",
    "build_reward_pair",
    "verify_reward_pair",
    "policy_as_dict",
    "pair_document",
    "pair_markdown",
    "q_rows_witness",
    "CycleStatus",
    "ValueIterationCycle",
    "value_iteration_cycle",
]
