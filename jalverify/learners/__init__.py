"""Tabular multi-agent learners: JAL-GT with pluggable stage concepts (Minimax-Q, Nash-Q, CE-Q, Friend-/Foe-Q),
independent Q-learning, fictitious play and regret matching on matrix games, difference rewards; step-size
schedules, a seeded simulator and learning traces."""

from jalverify.learners.base import TabularLearner
from jalverify.learners.ce_q import CorrelatedConcept, ce_q
from jalverify.learners.difference_rewards import alignment_violations, difference_reward_game, difference_rewards
from jalverify.learners.fictitious_play import fictitious_play
from jalverify.learners.friend_or_foe_q import FriendOrFoeConcept, foe_q, friend_q
from jalverify.learners.independent_q import IndependentQLearner, independent_q
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.minimax_q import MinimaxConcept, maximin, minimax_q
from jalverify.learners.nash_q import NashConcept, nash_q, select_equilibrium
from jalverify.learners.nash_q_audit import NashConditionAudit
from jalverify.learners.regret_matching import regret_matching
from jalverify.learners.schedules import ConstantStep, EpsilonGreedy, RobbinsMonro, step_schedule_named
from jalverify.learners.simulator import Simulator, Transition
from jalverify.learners.stage import StageConcept, StageSolution
from jalverify.learners.traces import Trace, load_trace

__all__ = [
    "ConstantStep",
    "CorrelatedConcept",
    "EpsilonGreedy",
    "FriendOrFoeConcept",
    "IndependentQLearner",
    "JointActionLearner",
    "MinimaxConcept",
    "NashConcept",
    "NashConditionAudit",
    "RobbinsMonro",
    "Simulator",
    "StageConcept",
    "StageSolution",
    "TabularLearner",
    "Trace",
    "Transition",
    "alignment_violations",
    "ce_q",
    "difference_reward_game",
    "difference_rewards",
    "fictitious_play",
    "foe_q",
    "friend_q",
    "independent_q",
    "load_trace",
    "maximin",
    "minimax_q",
    "nash_q",
    "regret_matching",
    "select_equilibrium",
    "step_schedule_named",
]
