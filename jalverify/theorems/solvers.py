r"""Claims about the solvers themselves (``solvers.*``): soundness, completeness, exact-versus-float agreement.

* **Soundness**: every profile a Nash solver returns has exact maximal regret 0 (the exact Nash test;
  McKelvey, McLennan & Turocy, Gambit, ``max_regret``).  Checked here independently of the solvers' own
  certificates, with :func:`jalverify.games.profiles.max_regret`.
* **Completeness** on nondegenerate bimatrix games, where the equilibria are finitely many and all extreme
  (von Stengel 2002, Handbook of Game Theory vol. 3, ch. 45, §§2–3; Avis et al. 2010): support
  enumeration, vertex enumeration and the union of the Lemke–Howson paths from all labels must agree (the
  Lemke–Howson equilibria are a subset).
* **Exact vs float**: HiGHS's float answer agrees with the exact one within the float tolerance.  A float
  check can give at most WITHIN_TOLERANCE (agreement within tolerance) or REFUTED with the exact value as witness.

Every check takes an optional ``solver`` so third-party or deliberately broken solvers can be checked with the
same code (``tests/quality``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret
from jalverify.theorems._common import exact_game, matrix, num, nums, profile_text, proven, refuted, within_tolerance
from jalverify.theorems.registry import theorem
from jalverify.verdicts import Verdict

__all__ = [
    "NashSolver",
    "check_exact_float_agreement",
    "check_nash_completeness",
    "check_nash_soundness",
    "default_nash_solvers",
    "profile_key",
]

#: A solver under test: returns profiles, or per-player probability sequences (floats are read exactly).
NashSolver = Callable[[NormalFormGame], Iterable[Any]]
_NASH = ("jalverify.solvers.nash",)
_TOLERANCE = 1e-7


def profile_key(profile: Any) -> tuple[tuple[Fraction, ...], ...]:
    """Exact identity of a profile (a MixedProfile or per-player sequences; probabilities as Fractions)."""
    dists = profile.distributions if isinstance(profile, MixedProfile) else profile
    return tuple(tuple(Fraction(p) for p in np.asarray(d).tolist()) for d in dists)


def default_nash_solvers() -> dict[str, NashSolver]:
    """The library's exact two-player Nash methods, by name."""
    from jalverify.solvers.nash import (
        lemke_howson_solve,
        pure_nash_solve,
        support_enumeration_solve,
        vertex_enumeration_solve,
    )

    return {
        "vertex_enumeration": lambda g: vertex_enumeration_solve(g, field="exact", components=False).equilibria,
        "support_enumeration": lambda g: support_enumeration_solve(g, field="exact").equilibria,
        "support_enumeration_all": lambda g: support_enumeration_solve(g, supports="all", field="exact").equilibria,
        "lemke_howson": lambda g: lemke_howson_solve(g, field="exact").equilibria,
        "pure": lambda g: pure_nash_solve(g, field="exact").equilibria,
    }


def _game_witness(game: NormalFormGame) -> dict[str, Any]:
    return {f"R{k}": matrix(np.asarray(game.payoffs[k])) for k in range(game.n_players)}


@theorem("solvers.nash_soundness", strategy="general_games", requires=_NASH,
         citation="Nash (1951); exact regret test as Gambit's max_regret (McKelvey, McLennan & Turocy)",
         claim="every profile returned by a Nash solver is a Nash equilibrium: its maximal regret is exactly 0")
def check_nash_soundness(game: NormalFormGame, solver: NashSolver | None = None) -> Verdict:
    tid = "solvers.nash_soundness"
    g = exact_game(game)
    solvers = {"given solver": solver} if solver is not None else default_nash_solvers()
    count = 0
    for name, solve in solvers.items():
        for profile in solve(g):
            count += 1
            dists = profile.distributions if isinstance(profile, MixedProfile) else profile
            exact = [[Fraction(p) for p in np.asarray(d).tolist()] for d in dists]
            bad = [i for i, d in enumerate(exact) if any(p < 0 for p in d) or sum(d) != 1]
            if len(exact) != g.n_players or any(len(d) != k for d, k in zip(exact, g.n_actions)) or bad:
                return refuted(tid, f"{name} returned {profile_text(g, exact)}, which is not a mixed profile "
                                    f"(player {bad[0] if bad else '?'}'s probabilities are negative or do not sum to "
                                    "exactly 1)",
                               {**_game_witness(g), "solver": name, "profile": [nums(d) for d in exact],
                                "sums": [num(sum(d)) for d in exact]})
            exact_profile = MixedProfile(g, exact)
            regret = max_regret(g, exact_profile)
            if regret != 0:
                return refuted(tid, f"{name} returned {profile_text(g, exact_profile.distributions)} with "
                                    f"exact regret {regret}",
                               {**_game_witness(g), "solver": name,
                                "profile": [nums(d.tolist()) for d in exact_profile.distributions],
                                "regret": num(regret)})
    return proven(tid, f"{count} returned profiles from {len(solvers)} solvers, all with exact regret 0",
                     {"profiles": count})


@theorem("solvers.nash_completeness", strategy="nondegenerate_games", requires=_NASH,
         citation="von Stengel (2002), Handbook of Game Theory 3, ch. 45, §§2–3 (nondegenerate games: finitely "
                  "many equilibria; support and vertex enumeration find all; Lemke–Howson finds some)",
         claim="on a nondegenerate bimatrix game support enumeration and vertex enumeration find the same equilibria, "
               "and every Lemke–Howson equilibrium is among them")
def check_nash_completeness(game: NormalFormGame, solver: NashSolver | None = None) -> Verdict:
    """With ``solver`` given, its equilibria are compared with vertex enumeration (the reference)."""
    tid = "solvers.nash_completeness"
    g = exact_game(game)
    solvers = default_nash_solvers()
    reference = {profile_key(p) for p in solvers["vertex_enumeration"](g)}
    complete_methods = {"given solver": solver} if solver is not None else {"support_enumeration": solvers["support_enumeration"]}
    for name, solve in complete_methods.items():
        found = {profile_key(p) for p in solve(g)}
        if found != reference:
            missing = sorted(reference - found)
            extra = sorted(found - reference)
            return refuted(tid, f"{name} found {len(found)} equilibria, vertex enumeration {len(reference)}",
                           {**_game_witness(g), "solver": name,
                            "missing": [[nums(d) for d in k] for k in missing],
                            "extra": [[nums(d) for d in k] for k in extra]})
    if solver is None:
        lh = {profile_key(p) for p in solvers["lemke_howson"](g)}
        if not lh or not lh <= reference:
            return refuted(tid, "Lemke–Howson returned an equilibrium vertex enumeration did not find, or none",
                           {**_game_witness(g), "extra": [[nums(d) for d in k] for k in sorted(lh - reference)]})
    return proven(tid, f"{len(reference)} equilibria agree across methods", {"equilibria": len(reference)})


@theorem("solvers.exact_float_agreement", strategy="bimatrix_games",
         requires=("jalverify.solvers.minimax", "jalverify.solvers.correlated"),
         citation="design.md ('a float check can at most give within-tolerance or REFUTED with an exact "
                  "witness')",
         claim="the float (HiGHS) minimax value of R0 and uCE welfare agree with the exact ones within 1e-7")
def check_exact_float_agreement(game: NormalFormGame) -> Verdict:
    from jalverify.solvers.correlated import correlated_solve
    from jalverify.solvers.minimax import minimax_value

    tid = "solvers.exact_float_agreement"
    g = exact_game(game)
    A = np.asarray(g.payoffs[0])
    exact_v, _, _ = minimax_value(A)
    float_v, _, _ = minimax_value(np.array([[float(v) for v in row] for row in A]), field="float")
    exact_u = correlated_solve(g, objective="utilitarian").objective_value
    float_u = correlated_solve(g.to_field("float"), objective="utilitarian", field="float").objective_value
    pairs = {"minimax value": (exact_v, float_v), "uCE welfare": (Fraction(exact_u), float_u)}
    worst = Fraction(0)
    for label, (exact, approx) in pairs.items():
        error = abs(Fraction(float(approx)) - exact)
        worst = max(worst, error)
        if error > Fraction(_TOLERANCE):
            return refuted(tid, f"{label}: float {approx!r} differs from exact {exact} by {float(error):.3g}",
                           {**_game_witness(g), "quantity": label, "exact": num(exact), "float": float(approx),
                            "exact_error": num(error)})
    return within_tolerance(tid, f"float answers agree with the exact ones within {_TOLERANCE:g} (worst "
                                 f"{float(worst):.3g})",
                            {k: {"exact": num(e), "float": float(f)} for k, (e, f) in pairs.items()},
                            tolerance=_TOLERANCE, worst=float(worst))
