r"""Documents for NoSDE results: JSON data and a Markdown page showing Γ and Γ' side by side.

Pure builders (no file writing; :mod:`jalverify.cli.commands.nosde` stores them through
:mod:`jalverify.reports`).  The Markdown page of a :class:`~jalverify.nosde.reward_pair.RewardPair` shows the two
games' rewards, their unique stationary equilibria, the equal Q tables and the differing V tables, following
the theorem of Zinkevich, Greenwald & Littman (2005, NIPS 18) as stated in Albrecht, Christianos & Schäfer
(2024), p.126 and theory.md §6.
"""

from __future__ import annotations

from typing import Any

from jalverify.games.formats import dump_game, dump_policy
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.nosde.detection import SDEDetection, choice_text
from jalverify.nosde.reward_pair import RewardPair, policy_as_dict
from jalverify.nosde.turn_based_equilibria import TurnBasedEquilibria
from jalverify.nosde.value_iteration_cycle import ValueIterationCycle
from jalverify.numbers import format_number
from jalverify.verdicts import Verdict

__all__ = ["q_rows_witness", "verdict_document", "detection_document", "equilibria_document", "cycle_document", "pair_document",
           "q_rows", "v_rows", "pair_markdown", "policy_text"]


def verdict_document(v: Verdict) -> dict[str, Any]:
    return {"theorem": v.theorem, "status": v.status.value, "message": v.message, "witness": dict(v.witness)}


def detection_document(d: SDEDetection) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "nosde": d.is_nosde,
        "status": d.status.value,
        "n_profiles": d.n_profiles,
        "n_checked": d.n_checked,
        "n_pruned": d.n_pruned,
        "verdict": verdict_document(d.verdict),
        "deviations": [{"profile": choice_text(d.game, p.choice), **p.deviation.as_dict()} for p in d.deviations],
    }
    if d.equilibria:
        doc["equilibrium"] = policy_as_dict(d.equilibria[0])
    return doc


def equilibria_document(e: TurnBasedEquilibria) -> dict[str, Any]:
    game = e.game
    return {
        "complete": e.complete,
        "unique": e.unique,
        "n_support_profiles": e.n_support_profiles,
        "uniqueness": verdict_document(e.uniqueness),
        "equilibria": [
            {"policy": policy_as_dict(p),
             "V": {game.players[i]: {game.states[s]: format_number(c.values.V[i, s]) for s in range(game.n_states)}
                   for i in range(game.n_players)}}
            for p, c in zip(e.equilibria, e.checks)
        ],
        "open_cases": [{"supports": [list(b) for b in c.supports], "kind": c.kind, "detail": c.detail}
                       for c in e.open_cases],
    }


def cycle_document(c: ValueIterationCycle) -> dict[str, Any]:
    return {
        "status": c.status.value,
        "period": c.period,
        "entered": c.entered,
        "iterations": c.iterations,
        "cycle": [choice_text(c.game, x) for x in c.cycle],
        "margin": format_number(c.margin),
        "distance": format_number(c.distance),
        "verdict": verdict_document(c.verdict),
    }


def _joint_label(game: StochasticGame, s: int, joint: tuple[int, ...]) -> str:
    movers = game.movers(s)
    if len(movers) == 1:
        return game.actions[s][movers[0]][joint[movers[0]]]
    return "(" + ", ".join(game.actions[s][i][a] for i, a in enumerate(joint)) + ")"


def q_rows(pair: RewardPair) -> list[dict[str, Any]]:
    """One row per (state, joint action, player): Q in Γ and in Γ', and the rewards of both games."""
    game, prime = pair.game, pair.prime
    rows = []
    for s in range(game.n_states):
        r, rp = game.expected_rewards(s), prime.expected_rewards(s)
        for joint in game.joint_actions(s):
            T = game.transitions[s][joint].tolist()
            nxt = [(game.states[t], p) for t, p in enumerate(T) if p != 0]
            next_text = nxt[0][0] if len(nxt) == 1 else ", ".join(f"{t} {p}" for t, p in nxt)
            for i in range(game.n_players):
                rows.append({
                    "state": game.states[s], "action": _joint_label(game, s, joint), "next": next_text,
                    "player": game.players[i],
                    "reward_gamma": format_number(r[(i,) + joint]), "reward_prime": format_number(rp[(i,) + joint]),
                    "q_gamma": format_number(pair.values.Q[s][(i,) + joint]),
                    "q_prime": format_number(pair.prime_values.Q[s][(i,) + joint]),
                })
    return rows


def v_rows(pair: RewardPair) -> list[dict[str, Any]]:
    game = pair.game
    return [{"state": game.states[s], "player": game.players[i], "v_gamma": format_number(pair.values.V[i, s]),
             "v_prime": format_number(pair.prime_values.V[i, s])}
            for s in range(game.n_states) for i in range(game.n_players)]


def q_rows_witness(pair: RewardPair) -> dict[str, Any]:
    """A compact exact witness of a verified pair: both policies, Γ' rewards, the equal Q and the two V tables."""
    return {
        "policy_gamma": policy_as_dict(pair.policy),
        "policy_prime": policy_as_dict(pair.target),
        "q_equal": [{k: r[k] for k in ("state", "action", "player", "q_gamma")} for r in q_rows(pair)],
        "next": {f"{r['state']}/{r['action']}": r["next"] for r in q_rows(pair)},
        "rewards_prime": [{k: r[k] for k in ("state", "action", "player", "reward_gamma", "reward_prime")}
                          for r in q_rows(pair)],
        "v": v_rows(pair),
    }


def pair_document(pair: RewardPair) -> dict[str, Any]:
    """Both games (``jalverify.game/1``), both policies (``jalverify.policy/1``), Q and V tables, verdicts."""
    return {
        "gamma_game": dump_game(pair.game),
        "prime_game": dump_game(pair.prime),
        "policy": dump_policy(pair.policy),
        "target": dump_policy(pair.target),
        "q": q_rows(pair),
        "v": v_rows(pair),
        "verdicts": [verdict_document(v) for v in pair.verdicts],
        "proven": pair.proven,
    }


def policy_text(policy: StationaryPolicy) -> str:
    """``s1: agent 1 keep 1/3, send 2/3; s2: ...`` (only players with several actions are shown)."""
    game = policy.game
    parts = []
    for s in range(game.n_states):
        shown = []
        for i, d in enumerate(policy.distributions[s]):
            if len(d) > 1:
                shown.append(f"{game.players[i]} " + ", ".join(
                    f"{game.actions[s][i][a]} {p}" for a, p in enumerate(d.tolist())))
        parts.append(f"{game.states[s]}: " + ("; ".join(shown) if shown else "(no choice)"))
    return "; ".join(parts)


def pair_markdown(pair: RewardPair, *, title: str | None = None, replay: str | None = None) -> str:
    """The side-by-side page: rewards, equilibria, equal Q, different V, and every verdict."""
    game = pair.game
    lines = [
        f"# {title or 'NoSDE: equal Q-functions, different equilibria and values'}",
        "",
        "**Theorem** (Zinkevich, Greenwald & Littman 2005, NIPS 18; Albrecht, Christianos & Schäfer 2024, p.126, "
        "Eq. 6.12). For any NoSDE game Γ with a unique stationary equilibrium π there is a NoSDE game Γ' differing "
        "only in its rewards, with its own unique stationary equilibrium π' ≠ π, such that Q_i^{π,Γ} = Q_i^{π',Γ'} "
        "for all i and V_i^{π,Γ} ≠ V_i^{π',Γ'} for some i. So JAL-GT cannot read the equilibrium's action "
        "probabilities off Q alone.",
        "",
        f"Γ = `{game.name or 'game'}`, Γ' = `{pair.prime.name or 'prime'}`; γ = {game.gamma}; players "
        f"{', '.join(game.players)}; states {', '.join(game.states)}. Transitions are the same in both games. "
        "All numbers are exact rationals.",
        "",
        "## Unique stationary equilibria",
        "",
        "| game | equilibrium |",
        "|---|---|",
        f"| Γ | π = {policy_text(pair.policy)} |",
        f"| Γ' | π' = {policy_text(pair.target)} |",
        "",
        "## The two games (same transitions, different rewards) and their Q-functions (equal)",
        "",
        "| state | action | next state | player | R in Γ | R' in Γ' | Q^{π,Γ} | Q^{π',Γ'} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in q_rows(pair):
        lines.append(f"| {row['state']} | {row['action']} | {row['next']} | {row['player']} | {row['reward_gamma']} | "
                     f"{row['reward_prime']} | {row['q_gamma']} | {row['q_prime']} |")
    lines += ["", "## State values (different)", "", "| state | player | V^{π,Γ} | V^{π',Γ'} | equal? |",
              "|---|---|---|---|---|"]
    for row in v_rows(pair):
        lines.append(f"| {row['state']} | {row['player']} | {row['v_gamma']} | {row['v_prime']} | "
                     f"{'yes' if row['v_gamma'] == row['v_prime'] else '**no**'} |")
    lines += ["", "## Every claim, checked exactly", "", "| claim | verdict | finding |", "|---|---|---|"]
    for v in pair.verdicts:
        lines.append(f"| `{v.theorem}` | {v.status.value} | {v.message} |")
    lines += ["", "How: NoSDE by enumerating every deterministic stationary joint policy and exhibiting an exact "
              "profitable one-shot deviation; uniqueness by complete support enumeration (exact sympy solve, every "
              "candidate verified by the one-shot deviation check); Q and V by exact policy evaluation "
              "(python-flint, certified Bellman residual 0)."]
    if replay:
        lines += ["", f"Replay: `{replay}`"]
    return "\n".join(lines) + "\n"
