"""Generation speed of jalverify.strategies: random exact 3×3 games per second (target ≥ 500/s).

Run: ``python bench/bench_strategies.py [N]``.  Hypothesis generates N examples inside one ``@given`` test
(generate phase only, no database), so the number includes Hypothesis' own per-example overhead.
"""

from __future__ import annotations

import sys
import time

from hypothesis import HealthCheck, Phase, given, settings

from jalverify.strategies import normal_form_games, stochastic_games, zero_sum_games


def rate(strategy, n: int) -> float:
    count = 0

    @settings(max_examples=n, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(game) -> None:
        nonlocal count
        count += 1

    start = time.perf_counter()
    run()
    return count / (time.perf_counter() - start)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    cases = [
        ("exact 3x3 bimatrix", normal_form_games(players=2, actions=3)),
        ("float 3x3 bimatrix", normal_form_games(players=2, actions=3, field="float")),
        ("exact 3x3 zero-sum", zero_sum_games(actions=3)),
        ("exact stochastic (1-3 states)", stochastic_games()),
    ]
    for label, strategy in cases:
        print(f"{label:32s} {rate(strategy, n):8.0f} games/s  (n={n})")


if __name__ == "__main__":
    main()
