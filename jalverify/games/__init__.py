"""Games: normal-form and stochastic games, profiles and policies, regrets, the catalog and file formats."""

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import (
    CorrelatedProfile,
    MixedProfile,
    cce_gains,
    ce_gains,
    deviation_payoffs,
    expected_payoffs,
    is_coarse_correlated_equilibrium,
    is_correlated_equilibrium,
    is_nash,
    max_cce_gain,
    max_ce_gain,
    max_regret,
    regrets,
)
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame, stage_game

__all__ = [
    "NormalFormGame",
    "MixedProfile",
    "CorrelatedProfile",
    "StochasticGame",
    "StationaryPolicy",
    "CorrelatedStationaryPolicy",
    "stage_game",
    "expected_payoffs",
    "deviation_payoffs",
    "regrets",
    "max_regret",
    "is_nash",
    "ce_gains",
    "cce_gains",
    "max_ce_gain",
    "max_cce_gain",
    "is_correlated_equilibrium",
    "is_coarse_correlated_equilibrium",
]
