"""Learners by name: every name builds its algorithm, and an unknown name is a typed error."""

from __future__ import annotations

import pytest

from jalverify import learners as L
from jalverify.errors import UnknownName
from jalverify.games.catalog import load
from jalverify.learners.by_name import ALGORITHMS, CE_SELECTIONS, make_learner
from jalverify.learners.schedules import EpsilonGreedy, step_schedule_named
from jalverify.validation.corpus import zero_sum_stochastic_corpus

GAME = zero_sum_stochastic_corpus()[0]
OPTIONS = {"schedule": step_schedule_named("rm:0.7"), "exploration": EpsilonGreedy(1.0), "seed": 3, "steps": 100}


@pytest.mark.parametrize("name", ALGORITHMS)
def test_every_name_builds_the_same_learner_as_its_constructor(name):
    learner = make_learner(GAME, name, **OPTIONS)
    common = {k: OPTIONS[k] for k in ("schedule", "exploration", "seed")}
    direct = {"minimax-q": lambda: L.minimax_q(GAME, **common), "friend-q": lambda: L.friend_q(GAME, **common),
              "foe-q": lambda: L.foe_q(GAME, **common), "iql": lambda: L.independent_q(GAME, **common),
              "nash-q": lambda: L.nash_q(GAME, **common)}
    if name in CE_SELECTIONS:
        expected = L.ce_q(GAME, CE_SELECTIONS[name], **common)
    else:
        expected = direct[name]()
    assert type(learner) is type(expected)
    assert learner.describe() == expected.describe()


def test_an_unknown_name_is_a_typed_error():
    with pytest.raises(UnknownName, match="'sarsa'.*minimax-q"):
        make_learner(load("matching_pennies"), "sarsa", **OPTIONS)
