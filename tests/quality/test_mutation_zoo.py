"""The mutation zoo (``tests/quality/zoo.py``) is refuted by ``jalverify validate``, the correct targets are not.

* every planted-bug target is refuted by ``validate(..., profile="quick", seed=<its seed>)`` with one of the claims
  of its row in ``MUTANTS``, on a game no larger than the smallest one that shows the bug;
* jalverify's own adapters and the independent textbook implementations (``tests/quality/textbook.py``) raise no
  false alarm on a quick run;
* each mutant really is wrong, independently of ``validate()``: on a hand-picked small game its answer is checked
  with :mod:`jalverify.games.profiles` (regrets, CE / CCE gains), the exact minimax value, the exact policy
  evaluation or the exact ``Q*``.

The runs restrict ``validate`` to the checks that should report the bug (``checks=``) and stop at the first
finding (``max_findings=1``) to keep CI fast; the complete runs of the learners are marked slow.  Detection rates
over many seeds are measured by ``bench/bench_mutation.py``, not here.
"""

from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile, cce_gains, ce_gains, max_regret, regrets
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.solvers.evaluation import evaluate_policy
from jalverify.solvers.minimax import minimax_solve
from jalverify.validation import validate
from jalverify.validation.reference import all_extreme_equilibria, zero_sum_q_star

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"jalverify_quality_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


zoo = _load("zoo")
textbook = _load("textbook")

#: The fixed seed of each mutant's validation run (0 unless noted).
SEEDS: dict[str, int] = {name: 0 for name in zoo.MUTANTS}

LEARNERS = sorted(name for name, m in zoo.MUTANTS.items() if m.kind.startswith("learner"))

#: Known gaps of shrinking: a mutant whose witness at the fixed seed is larger than the smallest game that shows
#: the bug (``MUTANTS[name].smallest``) would be listed here with a looser bound and the reason.  None today:
#: every witness is of the smallest shape (corpus witnesses are provisional and stochastic cases are shrunk).
SHRINK_GAPS: dict[str, tuple[tuple[int, ...], str]] = {}


def _reference(name: str, module: str = "zoo") -> str:
    return f"{(HERE / f'{module}.py').relative_to(ROOT)}:{name}"


def _findings(result: Any) -> list[tuple[str, Any]]:
    return [(o.check, f) for o in result.outcomes for f in (o.findings or ((o.finding,) if o.finding else ()))]


def _fits(size: tuple[int, ...], smallest: tuple[int, ...]) -> bool:
    return len(size) == len(smallest) and all(a <= b for a, b in zip(size, smallest))


def _assert_refuted_small(name: str, result: Any) -> None:
    mutant = zoo.MUTANTS[name]
    matching = [(c, f) for c, f in _findings(result) if f.verdict.theorem in mutant.claims or c in mutant.claims]
    assert matching, f"{name}: no finding with a claim of {sorted(mutant.claims)}:\n{result.table()}"
    sizes = [zoo.witness_size(f.case) for _, f in matching]
    bound = SHRINK_GAPS[name][0] if name in SHRINK_GAPS else mutant.smallest
    assert any(_fits(s, bound) for s in sizes), \
        f"{name}: witnesses {sizes} are larger than {bound} (the smallest game that shows the bug: {mutant.smallest})"


@pytest.mark.parametrize("name", sorted(set(zoo.MUTANTS) - set(LEARNERS)))
def test_mutant_is_refuted_on_a_smallest_game(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = validate(_reference(name), profile="quick", seed=SEEDS[name], report_dir=None,
                      checks=sorted(zoo.MUTANTS[name].claims), strict_checks=False, max_findings=1)
    _assert_refuted_small(name, result)


@pytest.mark.parametrize("name", LEARNERS)
def test_learner_mutant_backup_is_refuted_on_a_smallest_game(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = validate(_reference(name), profile="quick", seed=SEEDS[name], report_dir=None,
                      checks=["validate.learner.backup_fixed_point"], max_findings=1)
    _assert_refuted_small(name, result)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(zoo.MUTANTS))
def test_mutant_is_refuted_by_a_complete_quick_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = validate(_reference(name), profile="quick", seed=SEEDS[name], report_dir=None)
    assert not result.errored, result.table()
    _assert_refuted_small(name, result)


CORRECT = ["jalverify.nash_vertex_enumeration", "jalverify.minimax", "jalverify.stage_correlated",
           "jalverify.policy_evaluation"] + [_reference(name, "textbook") for name in sorted(textbook.TEXTBOOK)
                                             if name != "TextbookMinimaxQ"]
CORRECT_LEARNERS = ["jalverify.minimax_q", _reference("TextbookMinimaxQ", "textbook")]


def _assert_no_alarm(result: Any) -> None:
    assert not result.refuted, result.assertion_message()
    assert not result.errored, result.table()
    assert result.outcomes and all(o.examples > 0 for o in result.outcomes), result.table()


@pytest.mark.parametrize("reference", CORRECT)
def test_correct_target_raises_no_false_alarm(reference, monkeypatch):
    monkeypatch.chdir(ROOT)
    _assert_no_alarm(validate(reference, profile="quick", seed=0, report_dir=None))


@pytest.mark.parametrize("reference", CORRECT_LEARNERS)
def test_correct_learner_backup_raises_no_false_alarm(reference, monkeypatch):
    monkeypatch.chdir(ROOT)
    _assert_no_alarm(validate(reference, profile="quick", seed=0, report_dir=None,
                              checks=["validate.learner.backup_fixed_point"]))


@pytest.mark.slow
@pytest.mark.parametrize("reference", CORRECT_LEARNERS)
def test_correct_learner_raises_no_false_alarm_on_a_complete_run(reference, monkeypatch):
    monkeypatch.chdir(ROOT)
    _assert_no_alarm(validate(reference, profile="quick", seed=0, report_dir=None))


# --- each mutant is wrong, independently of validate() ----------------------------------------------------------
def _bimatrix(A: list[list[int]], B: list[list[int]]) -> NormalFormGame:
    return NormalFormGame.bimatrix(A, B)


def _exact(x: Any) -> np.ndarray:
    arr = np.asarray(x, dtype=object)
    out = np.vectorize(lambda v: Fraction(v), otypes=[object])(arr)
    return out / sum(out.reshape(-1).tolist(), Fraction(0))


def _profile(game: NormalFormGame, raw: Any) -> MixedProfile:
    return MixedProfile(game, [list(_exact(d)) for d in raw])


def _missing_equilibria(game: NormalFormGame, answer: list[Any]) -> list[MixedProfile]:
    """Extreme equilibria (exact reference) farther than 1e-6 from every returned profile."""
    found = [_profile(game, raw) for raw in answer]
    return [eq for eq in all_extreme_equilibria(game)
            if not any(max(abs(Fraction(a) - Fraction(b)) for d, e in zip(eq.distributions, f.distributions)
                           for a, b in zip(d.tolist(), e.tolist())) <= Fraction(1, 10**6) for f in found)]


def _stage_gain(payoffs: list[Any], answer: Any, gains: Any) -> Fraction:
    game = NormalFormGame(np.asarray(payoffs, dtype=object))
    profile = CorrelatedProfile(game, _exact(answer.distribution))
    return max(max(g.reshape(-1).tolist()) for g in gains(game, profile))


def _float(payoffs: list[Any]) -> np.ndarray:
    return np.asarray(payoffs, dtype=float)


def _one_state(rewards: list[Any], gamma: Fraction, n_actions: tuple[int, ...]) -> StochasticGame:
    """A one-state game that loops on itself with the given ``R_i(a)`` (shape ``(n, *k)``)."""
    n = len(n_actions)
    actions = [[[f"a{j}" for j in range(k)] for k in n_actions]]
    T = np.ones(n_actions + (1,), dtype=object)
    return StochasticGame([f"p{i}" for i in range(n)], ["s0"], actions, [T], [rewards], gamma)


def _chain(rewards_s0: list[Any], n: int, gamma: Fraction, terminal: bool = False) -> StochasticGame:
    """Two states, one action each: ``s0`` moves to ``s1`` with rewards ``R_i`` and ``s1`` loops with reward 0
    (or is terminal)."""
    one = [["a0"] for _ in range(n)]
    T0 = np.zeros((1,) * n + (2,), dtype=object)
    T0[(0,) * n + (1,)] = 1
    T1 = np.zeros((1,) * n + (2,), dtype=object)
    T1[(0,) * n + (1,)] = 1
    R0 = np.asarray(rewards_s0, dtype=object).reshape((n,) + (1,) * n)
    R1 = np.zeros((n,) + (1,) * n, dtype=object)
    return StochasticGame([f"p{i}" for i in range(n)], ["s0", "s1"], [one, None if terminal else one],
                          [T0, None if terminal else T1], [R0, None if terminal else R1], gamma,
                          terminal=[False, terminal])


def _evaluation_gap(name: str, game: StochasticGame) -> Fraction:
    policy = StationaryPolicy.deterministic(game, [[0] * game.n_players for _ in range(game.n_states)])
    exact = evaluate_policy(game, policy, field="exact").V
    answer = getattr(zoo, name)().evaluate(game, policy)
    return max(abs(Fraction(float(answer.V[i][s])) - Fraction(exact[i][s]))
               for i in range(game.n_players) for s in range(game.n_states))


def _backup_gap(name: str, game: StochasticGame) -> Fraction:
    q_star = zero_sum_q_star(game).Q
    learner = getattr(zoo, name)()
    learner.reset(game, 0)
    out = learner.backup(game, [np.vectorize(float, otypes=[float])(np.asarray(q, dtype=object)) for q in q_star])
    return max(abs(Fraction(float(v)) - Fraction(e)) for s in range(game.n_states)
               for v, e in zip(np.asarray(out[s]).reshape(-1).tolist(), np.asarray(q_star[s]).reshape(-1).tolist()))


def _wrong_lemke_howson() -> None:
    game = _bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]])  # coordination: two pure equilibria and a mixed one
    assert _missing_equilibria(game, zoo.LemkeHowsonOneLabel().solve(game))


def _wrong_no_tolerance() -> None:
    game = _bimatrix([[3, 1], [1, 8]], [[-4, 6], [3, -9]])  # unique equilibrium, mixed
    assert _missing_equilibria(game, zoo.SupportEnumerationNoTolerance().solve(game))


def _wrong_transposed_column() -> None:
    game = _bimatrix([[3, -1], [-1, 1]], [[-1, 2], [1, -2]])  # no pure equilibrium, B not symmetric
    answer = zoo.SupportEnumerationTransposedColumn().solve(game)
    assert not answer or max_regret(game, _profile(game, answer[0])) > Fraction(1, 10**6)


def _wrong_argmax_ties() -> None:
    game = _bimatrix([[0], [0]], [[0], [0]])  # both joint actions are pure equilibria
    answer = zoo.PureNashArgmaxTies().solve(game)
    assert max_regret(game, MixedProfile.pure(game, (1, 0))) == 0
    assert [[0, 1], [1]] not in answer


def _wrong_two_players_checked() -> None:
    game = NormalFormGame(np.array([[[[0, 0]]], [[[0, 0]]], [[[0, 1]]]], dtype=object))  # 1×1×2, player 2 prefers 1
    answer = zoo.PureNashTwoPlayersChecked().solve(game)
    assert any(max_regret(game, _profile(game, raw)) > 0 for raw in answer)


def _minimax_violation(name: str, A: list[list[int]]) -> Fraction:
    """The largest of |value − v*|, the row strategy's shortfall and the column strategy's excess (exact)."""
    game = NormalFormGame.zero_sum(A)
    v_star = minimax_solve(game).value
    answer = getattr(zoo, name)().solve(game)
    x, y = _exact(answer.row_strategy), _exact(answer.column_strategy)
    M = np.asarray(A, dtype=object)
    shortfall = v_star - min((x @ M).tolist())
    excess = max((M @ y).tolist()) - v_star
    return max(abs(Fraction(float(answer.value)) - v_star), shortfall, excess)


def _wrong_minimax(name: str, A: list[list[int]]) -> Any:
    def check() -> None:
        assert _minimax_violation(name, A) > Fraction(1, 10**6)
    return check


def _wrong_rows_summed() -> None:
    P = [[[5, 0]], [[0, 1]]]  # 1×2: welfare wants column 0, the column player wants column 1
    assert _stage_gain(P, zoo.CERowsSummed().solve(_float(P)), ce_gains) > Fraction(1, 10**6)


def _wrong_third_player() -> None:
    P = [[[[5, 0]]], [[[0, 0]]], [[[0, 1]]]]  # 1×1×2: welfare wants player 2's action 0, player 2 wants 1
    assert _stage_gain(P, zoo.CEThirdPlayerIgnored().solve(_float(P)), ce_gains) > Fraction(1, 10**6)


def _wrong_cce_as_ce() -> None:
    P = [[[-2, 1], [2, -1], [0, 3]], [[2, 3], [-1, 1], [3, 1]]]  # 3×2
    assert _stage_gain(P, zoo.CCEReturnedAsCE().solve(_float(P)), ce_gains) > Fraction(1, 10**6)


def _wrong_deviation_axis() -> None:
    P = [[[-2, -1], [3, -1]], [[-2, 2], [-2, -1]]]  # 2×2: the column player's deviations read the wrong axis
    assert _stage_gain(P, zoo.CCEDeviationAxisWrong().solve(_float(P)), cce_gains) > Fraction(1, 10**6)
    with pytest.raises(IndexError):  # 1×2: the column player's deviation 1 indexes an axis of length 1
        zoo.CCEDeviationAxisWrong().solve(_float([[[0, 0]], [[0, 1]]]))


def _wrong_uniform_fallback_stage() -> None:
    A = [[2, -1], [-1, 1]]  # no pure equilibrium; the mixed one is (2/5, 3/5) for both
    P = [A, [[-v for v in row] for row in A]]
    answer = zoo.StageNashPureUniformFallback().solve(_float(P))
    game = NormalFormGame(np.asarray(P, dtype=object))
    marginals = CorrelatedProfile(game, _exact(answer.distribution)).marginals()
    regret = max(max(r.tolist()) for r in regrets(game, MixedProfile(game, [list(m) for m in marginals])))
    assert regret > Fraction(1, 10**6)


def _wrong_shift() -> None:
    answer = zoo.StageMinimaxShiftNotUndone().solve(_float([[[0]], [[0]]]))  # value of the 1×1 game [0] is 0
    assert abs(Fraction(float(answer.values[0]))) > Fraction(1, 10**6)


SANITY = {
    "LemkeHowsonOneLabel": _wrong_lemke_howson,
    "SupportEnumerationNoTolerance": _wrong_no_tolerance,
    "SupportEnumerationTransposedColumn": _wrong_transposed_column,
    "PureNashArgmaxTies": _wrong_argmax_ties,
    "PureNashTwoPlayersChecked": _wrong_two_players_checked,
    "MinimaxColumnMaxInsteadOfMin": _wrong_minimax("MinimaxColumnMaxInsteadOfMin", [[0, 1]]),
    "MinimaxUniformFallback": _wrong_minimax("MinimaxUniformFallback", [[-1, -2]]),
    "MinimaxPureSecurity": _wrong_minimax("MinimaxPureSecurity", [[1, -1], [-1, 1]]),
    "CERowsSummed": _wrong_rows_summed,
    "CEThirdPlayerIgnored": _wrong_third_player,
    "CCEReturnedAsCE": _wrong_cce_as_ce,
    "CCEDeviationAxisWrong": _wrong_deviation_axis,
    "StageNashPureUniformFallback": _wrong_uniform_fallback_stage,
    "StageMinimaxShiftNotUndone": _wrong_shift,
    "EvaluatorHardCodedDiscount":
        lambda: _assert_big(_evaluation_gap("EvaluatorHardCodedDiscount", _one_state([[1]], Fraction(1, 2), (1,)))),
    "EvaluatorOffByOneStep":
        lambda: _assert_big(_evaluation_gap("EvaluatorOffByOneStep", _chain([1], 1, Fraction(1, 2)))),
    "EvaluatorIgnoresTransitions":
        lambda: _assert_big(_evaluation_gap("EvaluatorIgnoresTransitions", _chain([1], 1, Fraction(1, 2)))),
    "EvaluatorPlayerZeroRewards":
        lambda: _assert_big(_evaluation_gap("EvaluatorPlayerZeroRewards",
                                            _one_state([[[1]], [[-1]]], Fraction(1, 2), (1, 1)))),
    "SampledJointActionBackup":
        lambda: _assert_big(_backup_gap("SampledJointActionBackup",
                                        _one_state([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], Fraction(1, 2), (2, 2)))),
    "MinimaxQDiscountTwice":
        lambda: _assert_big(_backup_gap("MinimaxQDiscountTwice", _one_state([[[1]], [[-1]]], Fraction(1, 2), (1, 1)))),
    "MinimaxQTerminalBootstrapped":
        lambda: _assert_big(_backup_gap("MinimaxQTerminalBootstrapped", _chain([1, -1], 2, Fraction(1, 2), True))),
    "MinimaxQMaxInsteadOfMin":
        lambda: _assert_big(_backup_gap("MinimaxQMaxInsteadOfMin",
                                        _one_state([[[1, 2], [0, 3]], [[-1, -2], [0, -3]]], Fraction(1, 2), (2, 2)))),
    "MinimaxQPlayerOneGetsPlayerZeroReward":
        lambda: _assert_big(_backup_gap("MinimaxQPlayerOneGetsPlayerZeroReward",
                                        _one_state([[[1]], [[-1]]], Fraction(1, 2), (1, 1)))),
}


def _assert_big(gap: Fraction) -> None:
    assert gap > Fraction(1, 10**6), f"the answer is within {float(gap):.3g} of the exact one"


def test_every_mutant_has_a_sanity_check():
    assert set(SANITY) == set(zoo.MUTANTS)


@pytest.mark.parametrize("name", sorted(SANITY))
def test_mutant_is_wrong_on_a_hand_picked_game(name):
    SANITY[name]()


@pytest.mark.parametrize("name", ["TextbookSupportEnumeration", "TextbookMinimax", "TextbookCorrelatedEquilibrium",
                                  "TextbookPolicyEvaluation", "TextbookMinimaxQ"])
def test_textbook_target_is_right_on_the_same_games(name):
    """The control: the textbook implementations answer the sanity games right (so the sanity games do not
    accuse every float implementation)."""
    tb = getattr(textbook, name)()
    if name == "TextbookSupportEnumeration":
        for game in (_bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]]), _bimatrix([[3, 1], [1, 8]], [[-4, 6], [3, -9]])):
            assert not _missing_equilibria(game, tb.solve(game))
    elif name == "TextbookMinimax":
        for A in ([[0, 1]], [[-1, -2]], [[1, -1], [-1, 1]]):
            game = NormalFormGame.zero_sum(A)
            answer = tb.solve(game)
            assert abs(Fraction(float(answer.value)) - minimax_solve(game).value) <= Fraction(1, 10**9)
    elif name == "TextbookCorrelatedEquilibrium":
        for P in ([[[5, 0]], [[0, 1]]], [[[[5, 0]]], [[[0, 0]]], [[[0, 1]]]],
                  [[[-2, 1], [2, -1], [0, 3]], [[2, 3], [-1, 1], [3, 1]]]):
            assert _stage_gain(P, tb.solve(_float(P)), ce_gains) <= Fraction(1, 10**9)
    elif name == "TextbookPolicyEvaluation":
        for game in (_one_state([[1]], Fraction(1, 2), (1,)), _chain([1], 1, Fraction(1, 2)),
                     _one_state([[[1]], [[-1]]], Fraction(1, 2), (1, 1))):
            policy = StationaryPolicy.deterministic(game, [[0] * game.n_players for _ in range(game.n_states)])
            exact = evaluate_policy(game, policy, field="exact").V
            got = tb.evaluate(game, policy).V
            assert all(abs(Fraction(float(got[i][s])) - Fraction(exact[i][s])) <= Fraction(1, 10**9)
                       for i in range(game.n_players) for s in range(game.n_states))
    else:
        for game in (_one_state([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], Fraction(1, 2), (2, 2)),
                     _one_state([[[1]], [[-1]]], Fraction(1, 2), (1, 1)), _chain([1, -1], 2, Fraction(1, 2), True),
                     _one_state([[[1, 2], [0, 3]], [[-1, -2], [0, -3]]], Fraction(1, 2), (2, 2))):
            q_star = zero_sum_q_star(game).Q
            out = tb.backup(game, [np.vectorize(float, otypes=[float])(np.asarray(q, dtype=object)) for q in q_star])
            assert all(abs(Fraction(float(v)) - Fraction(e)) <= Fraction(1, 10**9) for s in range(game.n_states)
                       for v, e in zip(np.asarray(out[s]).reshape(-1).tolist(),
                                       np.asarray(q_star[s]).reshape(-1).tolist()))
