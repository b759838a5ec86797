"""Hypothesis strategies for jalverify's objects (the only library package that imports Hypothesis).

Plural-noun factories, composable in your own tests::

    from hypothesis import given
    from jalverify.strategies import zero_sum_games, mixed_profiles

    @given(zero_sum_games(actions=3))
    def test_something(game): ...

Games are generated shape first, then small integer payoffs mapped into the field, so failures shrink toward
1×1 and 2×2 games with small numbers.  Importing this package registers type strategies, so
``st.from_type(NormalFormGame)`` and ``st.from_type(StochasticGame)`` work.
"""

from hypothesis import strategies as st

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.strategies.cases import CASES, case_strategy, register_case
from jalverify.strategies.distributions import correlated_profiles, distributions, mixed_profiles, stationary_policies
from jalverify.strategies.hypothesis_profiles import (
    PROFILES,
    VERIFY_EXAMPLES,
    load_profile,
    profile_settings,
    register_profiles,
)
from jalverify.strategies.normal_form import (
    bimatrix_games,
    common_payoff_games,
    degenerate_games,
    is_nondegenerate_bimatrix,
    nondegenerate_games,
    normal_form_games,
    symmetric_games,
    zero_sum_games,
)
from jalverify.strategies.nosde import nosde_games
from jalverify.strategies.saddle_games import zero_sum_saddle_stochastic_games
from jalverify.strategies.search import SearchOutcome, search_refutation
from jalverify.strategies.stochastic import stochastic_games, turn_based_games, zero_sum_stochastic_games

__all__ = [
    "CASES",
    "PROFILES",
    "VERIFY_EXAMPLES",
    "SearchOutcome",
    "bimatrix_games",
    "case_strategy",
    "common_payoff_games",
    "correlated_profiles",
    "degenerate_games",
    "distributions",
    "is_nondegenerate_bimatrix",
    "load_profile",
    "mixed_profiles",
    "nondegenerate_games",
    "normal_form_games",
    "nosde_games",
    "profile_settings",
    "register_case",
    "register_profiles",
    "search_refutation",
    "stationary_policies",
    "stochastic_games",
    "symmetric_games",
    "turn_based_games",
    "zero_sum_games",
    "zero_sum_saddle_stochastic_games",
    "zero_sum_stochastic_games",
]

st.register_type_strategy(NormalFormGame, normal_form_games())
st.register_type_strategy(StochasticGame, stochastic_games())
