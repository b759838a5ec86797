r"""Policy evaluation in stochastic games: :math:`V^π` and :math:`Q^π` per agent, exact or float.

For a stationary joint policy π (independent per-player distributions, or one distribution over joint
actions for a correlated stationary policy) the state values solve the linear system (Albrecht, Christianos &
Schäfer 2024, §2.5 and Eq. 6.9; theory.md §1)

.. math::

    (I - γ M^π) V_i = r^π_i, \qquad
    M^π(s, s') = Σ_a π(a \mid s)\, T(s' \mid s, a), \qquad
    r^π_i(s) = Σ_a π(a \mid s) Σ_{s'} T(s' \mid s, a)\, R_i(s, a, s'),

and the joint-action values are :math:`Q^π_i(s, a) = Σ_{s'} T(s' \mid s, a)[R_i(s, a, s') + γ V^π_i(s')]`.
For γ < 1 the matrix :math:`I - γ M^π` is strictly diagonally dominant, so the solution is unique; with
rational data it is rational.

* **Exact path**: the system is assembled sparsely (only the non-zero transition entries are visited) into a
  python-flint ``fmpq_mat`` and solved exactly (flint's Dixon p-adic solver for large systems).  The answer is
  then *certified*: with the common denominator ``D`` of the solution, every row of the system is re-checked
  in integer arithmetic, so the Bellman residual is proven to be exactly 0 (otherwise
  :class:`~jalverify.errors.CertificateError`).
* **Float path**: dense ``numpy.linalg.solve`` for small systems, ``scipy.sparse.linalg.spsolve`` for large
  sparse ones; the residual is measured and reported (a float answer is "within tolerance", never proven).

The sparse structure of a game (non-zero transitions, expected rewards) is compiled once per game object and
kept in a small identity cache, so repeated evaluations of the same game (policy iteration, best responses)
do not rescan the dense transition arrays.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from fractions import Fraction
from math import gcd, lcm
from typing import Any, Union

import numpy as np

from jalverify.errors import CertificateError, InvalidGame, InvalidPolicy
from jalverify.games.normal_form import freeze
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame
from jalverify.games.tables import MAX_HTML_STATES
from jalverify.numbers import EXACT, Field, Number, field_named
from jalverify.solvers.display import (
    brief_number,
    game_label,
    json_number,
    number_text,
    one_line,
    plural,
    result_html,
    state_policy_html,
    state_values_html,
    status_html,
    table_html,
)
from jalverify.verdicts import Status

__all__ = [
    "PolicyValues",
    "Policy",
    "evaluate_policy",
    "q_from_values",
    "state_values_from_q",
    "policy_matrix",
    "DENSE_FLOAT_LIMIT",
]

Policy = Union[StationaryPolicy, CorrelatedStationaryPolicy]

#: Float systems with at most this many states are solved densely with numpy; larger ones with scipy sparse LU.
DENSE_FLOAT_LIMIT = 1500


# --------------------------------------------------------------------------------------------------------
# Sparse model of a game, compiled once per game object
# --------------------------------------------------------------------------------------------------------
def _fraction(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)  # floats converted exactly (binary value)


class _SparseModel:
    """Non-zero transitions and expected rewards of a game, flattened over joint actions.

    Attributes (per state ``s``; joint actions flattened in C order)
    ----------------------------------------------------------------
    offsets : array of int, length S + 1
        Joint actions of state ``s`` have global row indices ``offsets[s] .. offsets[s+1]-1``.
    row, col : int arrays, one entry per non-zero transition
        Global joint-action row and next state.
    owner : int array
        State of each global row.
    """

    def __init__(self, game: StochasticGame) -> None:
        self.game = game
        S, n = game.n_states, game.n_players
        self.n_states, self.n_players = S, n
        counts = [game.n_joint_actions(s) for s in range(S)]
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        rows, cols, probs, rewards = [], [], [], []
        for s in range(S):
            K = counts[s]
            T = game.transitions[s].reshape(K, S)
            nz = np.flatnonzero(T)
            a, t = np.divmod(nz, S)
            rows.append(a + self.offsets[s])
            cols.append(t)
            probs.append(T.reshape(-1)[nz])
            R = game.rewards[s].reshape(n, K, S)
            rewards.append(R[:, a, t])
        self.row = np.concatenate(rows).astype(np.int64)
        self.col = np.concatenate(cols).astype(np.int64)
        self.owner = np.repeat(np.arange(S, dtype=np.int64), counts)
        self.shapes = [game.n_actions(s) for s in range(S)]
        groups: dict[tuple[int, ...], list[int]] = {}
        for s in range(S):
            groups.setdefault(game.n_actions(s), []).append(s)
        #: states grouped by their action counts: shape -> (state indices, flat positions (G, K))
        self.groups = {
            k: (np.asarray(idx, dtype=np.int64),
                self.offsets[np.asarray(idx, dtype=np.int64)][:, None] + np.arange(int(np.prod(k)), dtype=np.int64))
            for k, idx in groups.items()
        }
        self._probs_raw = np.concatenate(probs)
        self._rewards_raw = np.concatenate(rewards, axis=1)  # (n, nnz): R_i(s, a, s') at the non-zeros
        self._exact: tuple[list[Fraction], np.ndarray] | None = None
        self._float: tuple[np.ndarray, np.ndarray] | None = None
        self._exact_rows: list[tuple[int, list[tuple[int, int]]]] | None = None
        self._flint: tuple[list[Any], list[list[Any]]] | None = None

    @property
    def n_rows(self) -> int:
        return int(self.offsets[-1])

    def exact(self) -> tuple[list[Fraction], np.ndarray]:
        """Transition probabilities (Fractions, per non-zero) and expected rewards r_i(row), object (n, rows)."""
        if self._exact is None:
            probs = [_fraction(p) for p in self._probs_raw.tolist()]
            n, rows = self.n_players, self.n_rows
            r = [[Fraction(0)] * rows for _ in range(n)]
            raw = self._rewards_raw
            for k, (row, p) in enumerate(zip(self.row.tolist(), probs)):
                for i in range(n):
                    x = raw[i, k]
                    if x:
                        r[i][row] += p * _fraction(x)
            arr = np.empty((n, rows), dtype=object)
            for i in range(n):
                arr[i, :] = r[i]
            self._exact = (probs, arr)
        return self._exact

    def flint(self) -> tuple[list[Any], list[list[Any]]]:
        """Transition probabilities and expected rewards as flint ``fmpq`` (C arithmetic for assembly)."""
        if self._flint is None:
            from flint import fmpq

            probs, r = self.exact()
            pq = [fmpq(p.numerator, p.denominator) for p in probs]
            rq = [[fmpq(x.numerator, x.denominator) for x in r[i].tolist()] for i in range(self.n_players)]
            self._flint = (pq, rq)
        return self._flint

    def exact_rows(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """Per joint-action row: common denominator L of its transition row and (next state, L·T) integer pairs."""
        if self._exact_rows is None:
            probs, _ = self.exact()
            per: list[list[tuple[int, Fraction]]] = [[] for _ in range(self.n_rows)]
            for row, col, p in zip(self.row.tolist(), self.col.tolist(), probs):
                per[row].append((col, p))
            out = []
            for entries in per:
                L = 1
                for _, p in entries:
                    L = lcm(L, p.denominator)
                out.append((L, [(t, p.numerator * (L // p.denominator)) for t, p in entries]))
            self._exact_rows = out
        return self._exact_rows

    def floats(self) -> tuple[np.ndarray, np.ndarray]:
        """Transition probabilities (float64, per non-zero) and expected rewards, float64 (n, rows)."""
        if self._float is None:
            p = np.asarray(self._probs_raw, dtype=np.float64)
            R = np.asarray(self._rewards_raw, dtype=np.float64)
            r = np.zeros((self.n_players, self.n_rows))
            for i in range(self.n_players):
                r[i] = np.bincount(self.row, weights=p * R[i], minlength=self.n_rows)
            self._float = (p, r)
        return self._float


_MODEL_CACHE: OrderedDict[int, tuple[StochasticGame, _SparseModel]] = OrderedDict()
_MODEL_CACHE_SIZE = 8


def _model(game: StochasticGame) -> _SparseModel:
    """The compiled sparse model of ``game`` (identity cache; games are immutable)."""
    key = id(game)
    hit = _MODEL_CACHE.get(key)
    if hit is not None and hit[0] is game:
        _MODEL_CACHE.move_to_end(key)
        return hit[1]
    model = _SparseModel(game)
    _MODEL_CACHE[key] = (game, model)
    while len(_MODEL_CACHE) > _MODEL_CACHE_SIZE:
        _MODEL_CACHE.popitem(last=False)
    return model


# --------------------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PolicyValues:
    r"""Values of a stationary joint policy.

    Attributes
    ----------
    game : StochasticGame
    policy : StationaryPolicy or CorrelatedStationaryPolicy
    V : ndarray, shape (n_players, n_states)
        :math:`V^π_i(s)`, field elements (Fractions in the exact field).
    Q : tuple of ndarray
        ``Q[s]`` has shape ``(n_players, *k_s)``: :math:`Q^π_i(s, a)`.
    field : Field
    method : str
        How the system was solved.
    certified : bool
        True when the Bellman residual was proven exactly 0 (exact path).
    residual : number
        Largest absolute residual of :math:`(I - γ M^π) V - r^π` found when solving (exactly 0 when certified).
    """

    game: StochasticGame
    policy: Any
    V: np.ndarray
    Q: tuple[np.ndarray, ...]
    field: Field
    method: str
    certified: bool
    residual: Number = dataclass_field(default=0)

    # display (issue 13)
    def __repr__(self) -> str:
        kind = "certified (exact residual 0)" if self.certified else f"residual {brief_number(self.residual)}"
        return one_line("PolicyValues", f"game={game_label(self.game)}", plural(self.game.n_states, "state"),
                        f"method={self.method}", self.field.name, kind)

    def to_dict(self) -> dict[str, Any]:
        """The values as JSON-ready data, as ``jalverify evaluate --format json`` prints them
        (``evaluate.schema.json``): V^π by player and state, Q^π by state and joint action, exact ``"p/q"``."""
        game = self.game
        doc: dict[str, Any] = {
            "game": game.name,
            "field": self.field.name,
            "method": self.method,
            "certified": self.certified,
            "gamma": json_number(game.gamma),
            "values": {p: {s: json_number(self.V[i, j]) for j, s in enumerate(game.states)}
                       for i, p in enumerate(game.players)},
            "q_values": {},
        }
        if game.initial is not None:
            mu = game.initial
            doc["expected_return"] = {
                p: json_number(sum((mu[j] * self.V[i, j] for j in range(game.n_states)), self.field.zero))
                for i, p in enumerate(game.players)
            }
        if not self.certified:
            doc["residual"] = float(self.residual)
        for j, sname in enumerate(game.states):
            doc["q_values"][sname] = [
                {"joint": [game.actions[j][i][a] for i, a in enumerate(joint)],
                 "values": {p: json_number(self.Q[j][(i,) + joint]) for i, p in enumerate(game.players)}}
                for joint in np.ndindex(*game.n_actions(j))]
        return doc

    def _repr_html_(self) -> str:
        """V^π per state and player, Q^π per state and joint action (exact fractions), the policy, and the
        certificate in verdict words."""
        game = self.game
        parts = [state_values_html(game.states, game.players, self.V, caption="V^π(s)")]
        if isinstance(self.policy, StationaryPolicy):
            parts.append(state_policy_html(game, self.policy.distributions, caption="policy π"))
        for j, sname in enumerate(game.states[:MAX_HTML_STATES]):
            rows = [["(" + ", ".join(game.actions[j][i][a] for i, a in enumerate(joint)) + ")"]
                    + [number_text(self.Q[j][(i,) + joint]) for i in range(game.n_players)]
                    for joint in np.ndindex(*game.n_actions(j))]
            parts.append(table_html(["joint action"] + [f"Q({p})" for p in game.players], rows,
                                    caption=f"Q^π at state {sname}"))
        if game.n_states > MAX_HTML_STATES:
            parts.append(f"<div>… Q tables of {game.n_states - MAX_HTML_STATES} more states not shown</div>")
        if self.certified:
            parts.append(status_html(Status.PROVEN, "the Bellman residual of V^π is exactly 0 (exact arithmetic)"))
        else:
            parts.append(status_html(Status.WITHIN_TOLERANCE, f"float solve; largest residual "
                                     f"{number_text(self.residual)}"))
        title = game.name or "stochastic game"
        return result_html("policy-values", f"Values of a stationary policy in {title}", parts,
                           facts={"method": self.method, "field": self.field.name,
                                  "γ": number_text(game.gamma)})

    def bellman_residual(self) -> np.ndarray:
        r"""Recompute :math:`r^π + γ M^π V - V` in the result's field, shape ``(n_players, n_states)``.

        In the exact field every entry is exactly 0 for a certified result.  (Independent of the solver: it
        is computed from the game's dense arrays.)
        """
        return _bellman_residual(self.game, self.policy, self.V, self.field)

    def q_residual(self) -> tuple[np.ndarray, ...]:
        r""":math:`Q - q(V)` per state where :math:`q(V)_i(s,a) = Σ_{s'} T(s'|s,a)[R_i(s,a,s') + γ V_i(s')]`."""
        Qv = q_from_values(self.game, self.V, field=self.field)
        return tuple(a - b for a, b in zip(self.Q, Qv))

    def value(self, player: int, state: int | str) -> Number:
        return self.V[player, self.game.state_index(state)]


# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------
def _check_policy(game: StochasticGame, policy: Any, where: str) -> None:
    if not isinstance(policy, (StationaryPolicy, CorrelatedStationaryPolicy)):
        raise InvalidPolicy(f"{where}: expected a StationaryPolicy or CorrelatedStationaryPolicy, got {type(policy).__name__}")
    if policy.game is not game and policy.game != game:
        raise InvalidPolicy(f"{where}: the policy belongs to another game ({policy.game!r}), not {game!r}")


def _flat_policy(model: _SparseModel, policy: Policy, exact: bool) -> np.ndarray:
    """π(a|s) over all joint-action rows (object array of Fractions, or float64), vectorised per action shape."""
    dtype = object if exact else np.float64
    flat = np.empty(model.n_rows, dtype=dtype)
    stationary = isinstance(policy, StationaryPolicy)
    for k, (idx, pos) in model.groups.items():
        states = idx.tolist()
        if stationary:
            joint = None
            for i in range(len(k)):
                d = np.array([policy.distributions[s][i] for s in states], dtype=dtype).reshape(len(states), k[i])
                joint = d if joint is None else (joint[..., None] * d.reshape((len(states),) + (1,) * (joint.ndim - 1) + (k[i],)))
            block = joint.reshape(len(states), -1)
        else:
            block = np.array([policy.distributions[s] for s in states], dtype=dtype).reshape(len(states), -1)
        flat[pos] = block
    if exact and any(not isinstance(x, Fraction) for x in flat.tolist()):
        flat = np.array([_fraction(x) for x in flat.tolist()], dtype=object)
    return flat


def _flat_policy_exact(game: StochasticGame, policy: Policy) -> list[Fraction]:
    return _flat_policy(_model(game), policy, True).tolist()


def _flat_policy_float(game: StochasticGame, policy: Policy) -> np.ndarray:
    return _flat_policy(_model(game), policy, False)


def _field_for(game: StochasticGame, field: Field | str | None) -> Field:
    return game.field if field is None else field_named(field)


def policy_matrix(game: StochasticGame, policy: Policy, *, field: Field | str | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Dense :math:`M^π` (shape ``(S, S)``) and :math:`r^π` (shape ``(n, S)``) in ``field`` (for small games)."""
    _check_policy(game, policy, "policy_matrix()")
    fld = _field_for(game, field)
    model = _model(game)
    S, n = game.n_states, game.n_players
    if fld.exact:
        probs, r = model.exact()
        pi = _flat_policy_exact(game, policy)
        M = EXACT.zeros((S, S))
        for row, col, p in zip(model.row.tolist(), model.col.tolist(), probs):
            if pi[row]:
                M[model.owner[row], col] += pi[row] * p
        rp = EXACT.zeros((n, S))
        for row in range(model.n_rows):
            if pi[row]:
                for i in range(n):
                    rp[i, model.owner[row]] += pi[row] * r[i, row]
        return M, rp
    p, r = model.floats()
    pi = _flat_policy_float(game, policy)
    M = np.zeros((S, S))
    np.add.at(M, (model.owner[model.row], model.col), pi[model.row] * p)
    rp = np.zeros((n, S))
    for i in range(n):
        rp[i] = np.bincount(model.owner, weights=pi * r[i], minlength=S)
    return M, rp


def _bellman_residual(game: StochasticGame, policy: Policy, V: np.ndarray, fld: Field) -> np.ndarray:
    M, rp = policy_matrix(game, policy, field=fld)
    gamma = _fraction(game.gamma) if fld.exact else float(game.gamma)
    out = fld.zeros(rp.shape)
    for i in range(game.n_players):
        out[i] = rp[i] + gamma * M.dot(V[i]) - V[i]
    return out


# --------------------------------------------------------------------------------------------------------
# Q from V and V from Q
# --------------------------------------------------------------------------------------------------------
def _check_values(game: StochasticGame, V: Any, fld: Field, where: str) -> np.ndarray:
    arr = np.asarray(V, dtype=object if fld.exact else np.float64)
    expected = (game.n_players, game.n_states)
    if arr.shape != expected:
        raise InvalidGame(f"{where}: values have shape {arr.shape}, expected {expected} (players × states)")
    if fld.exact:
        arr = np.vectorize(_fraction, otypes=[object])(arr) if arr.size else arr
    return arr


def q_from_values(game: StochasticGame, V: Any, *, field: Field | str | None = None) -> tuple[np.ndarray, ...]:
    r"""One-step look-ahead :math:`Q_i(s, a) = Σ_{s'} T(s' \mid s, a)[R_i(s, a, s') + γ V_i(s')]`.

    Parameters
    ----------
    game : StochasticGame
    V : array-like, shape (n_players, n_states)
    field : Field or str, optional
        Defaults to the game's field.

    Returns
    -------
    tuple of ndarray
        ``Q[s]`` of shape ``(n_players, *k_s)`` (Albrecht et al. 2024, Eq. 6.9).
    """
    fld = _field_for(game, field)
    Varr = _check_values(game, V, fld, "q_from_values()")
    model = _model(game)
    n = game.n_players
    if fld.exact:
        probs, r = model.exact()
        gamma = _fraction(game.gamma)
        acc = [[Fraction(0)] * model.n_rows for _ in range(n)]
        Vl = Varr.tolist()
        for row, col, p in zip(model.row.tolist(), model.col.tolist(), probs):
            for i in range(n):
                v = Vl[i][col]
                if v:
                    acc[i][row] += p * v
        flat = np.empty((n, model.n_rows), dtype=object)
        for i in range(n):
            flat[i, :] = [ri + gamma * a for ri, a in zip(r[i].tolist(), acc[i])]
    else:
        p, r = model.floats()
        Vf = np.asarray(Varr, dtype=np.float64)
        flat = np.empty((n, model.n_rows))
        for i in range(n):
            flat[i] = r[i] + float(game.gamma) * np.bincount(model.row, weights=p * Vf[i, model.col], minlength=model.n_rows)
    return _split_q(game, model, flat)


def _split_q(game: StochasticGame, model: _SparseModel, flat: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per-state read-only views ``(n, *k_s)`` of the flat ``(n, rows)`` array (which nobody else holds)."""
    n = game.n_players
    flat.flags.writeable = False
    offsets = model.offsets.tolist()
    shapes = model.shapes
    return tuple(flat[:, offsets[s]:offsets[s + 1]].reshape((n,) + shapes[s]) for s in range(game.n_states))


def state_values_from_q(game: StochasticGame, policy: Policy, Q: Any, *, field: Field | str | None = None) -> np.ndarray:
    r""":math:`V_i(s) = Σ_a π(a \mid s) Q_i(s, a)`, shape ``(n_players, n_states)``.

    Raises
    ------
    InvalidGame
        ``Q`` has the wrong number of states or a state's array has the wrong shape.
    InvalidPolicy
        The policy belongs to another game.
    """
    where = "state_values_from_q()"
    _check_policy(game, policy, where)
    fld = _field_for(game, field)
    if len(Q) != game.n_states:
        raise InvalidGame(f"{where}: Q given for {len(Q)} states, the game has {game.n_states}")
    n = game.n_players
    out = fld.zeros((n, game.n_states))
    for s in range(game.n_states):
        q = np.asarray(Q[s], dtype=object if fld.exact else np.float64)
        expected = (n,) + game.n_actions(s)
        if q.shape != expected:
            raise InvalidGame(f"{where}: Q for state {game.states[s]!r} has shape {q.shape}, expected {expected}")
        pi = policy.joint_distribution(s)
        if fld.exact:
            pi_l = [_fraction(x) for x in pi.reshape(-1).tolist()]
            for i in range(n):
                out[i, s] = sum((p * _fraction(x) for p, x in zip(pi_l, q[i].reshape(-1).tolist()) if p), Fraction(0))
        else:
            w = np.asarray(pi, dtype=np.float64).reshape(-1)
            for i in range(n):
                out[i, s] = float(w @ q[i].reshape(-1))
    return out


# --------------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------------
def evaluate_policy(game: StochasticGame, policy: Policy, *, field: Field | str | None = None) -> PolicyValues:
    r"""Evaluate a stationary (or correlated stationary) joint policy: :math:`V^π` and :math:`Q^π` per agent.

    Solves :math:`(I - γ M^π) V_i = r^π_i` (Albrecht et al. 2024, §2.5, Eq. 6.9; theory.md §1) for all
    agents at once, then :math:`Q^π_i(s,a) = Σ_{s'} T(s'|s,a)[R_i(s,a,s') + γ V^π_i(s')]`.

    Parameters
    ----------
    game : StochasticGame
    policy : StationaryPolicy or CorrelatedStationaryPolicy
        Must belong to ``game``.
    field : Field or {"exact", "float"}, optional
        Defaults to the game's field.  An exact evaluation of a float game uses the exact binary values of its
        floats.

    Returns
    -------
    PolicyValues
        Exact results are certified: the residual of the linear system is checked exactly in integer
        arithmetic and is 0.

    Raises
    ------
    InvalidPolicy
        The policy is not a stationary policy of this game.
    CertificateError
        The exact residual check failed (a solver bug; no exact claim is made).
    """
    where = "evaluate_policy()"
    _check_policy(game, policy, where)
    fld = _field_for(game, field)
    model = _model(game)
    if fld.exact:
        V, Q, method = _solve_exact(game, model, _flat_policy_exact(game, policy), where)
        return PolicyValues(game, policy, freeze(V), Q, EXACT, method, True, Fraction(0))
    Vf, method, res = _solve_float(game, model, _flat_policy_float(game, policy))
    Q = q_from_values(game, Vf, field=fld)
    return PolicyValues(game, policy, freeze(Vf), Q, fld, method, False, res)


def _assemble_exact(game: StochasticGame, model: _SparseModel, pi: list[Fraction]
                    ) -> tuple[list[dict[int, Any]], list[list[Any]], Any, Any]:
    """Sparse rows of :math:`I - γ M^π` and :math:`r^π` (flint ``fmpq``), and the same as ``fmpq_mat`` A, B."""
    Arows, rp = _assemble_rows(game, model, pi)
    A, B = _flint_system(Arows, rp, list(range(game.n_states)))
    return Arows, rp, A, B


def _assemble_rows(game: StochasticGame, model: _SparseModel, pi: list[Fraction]
                   ) -> tuple[list[dict[int, Any]], list[list[Any]]]:
    """Sparse rows ``{t: coefficient}`` of :math:`I - γ M^π` and :math:`r^π` per player, as flint ``fmpq``."""
    from flint import fmpq

    S, n = game.n_states, game.n_players
    probs, r = model.flint()
    g = _fraction(game.gamma)
    gamma = fmpq(g.numerator, g.denominator)
    zero, one = fmpq(0), fmpq(1)
    owner = model.owner.tolist()
    piq = [fmpq(w.numerator, w.denominator) if w else zero for w in pi]
    Arows: list[dict[int, Any]] = [dict() for _ in range(S)]
    for row, col, p in zip(model.row.tolist(), model.col.tolist(), probs):
        w = piq[row]
        if w:
            d = Arows[owner[row]]
            d[col] = d.get(col, zero) - gamma * w * p
    rp = [[zero] * S for _ in range(n)]
    for i in range(n):
        ri = r[i]
        rpi = rp[i]
        for row, w in enumerate(piq):
            if w:
                x = ri[row]
                if x:
                    rpi[owner[row]] += w * x
    for s, d in enumerate(Arows):
        d[s] = d.get(s, zero) + one
    return Arows, rp


def _flint_system(Arows: list[dict[int, Any]], rhs: list[list[Any]], states: list[int]) -> tuple[Any, Any]:
    """The square block of the rows/columns ``states`` as ``fmpq_mat`` A and the matching right-hand sides B.

    ``rhs[i][s]`` is player ``i``'s right-hand side of row ``s``; columns outside ``states`` are ignored (the
    caller has moved them to the right-hand side).
    """
    from flint import fmpq_mat

    m, n = len(states), len(rhs)
    local = {s: k for k, s in enumerate(states)}
    A = fmpq_mat(m, m)
    for k, s in enumerate(states):
        for t, x in Arows[s].items():
            j = local.get(t)
            if j is not None and x:
                A[k, j] = x
    B = fmpq_mat(m, n)
    for i in range(n):
        for k, s in enumerate(states):
            x = rhs[i][s]
            if x:
                B[k, i] = x
    return A, B


def _components_sinks_first(Arows: list[dict[int, Any]]) -> list[list[int]]:
    """Strongly connected components of the graph s → t (coefficient ≠ 0), ordered so that every component
    comes after all components it reaches (sinks first): V on a component depends only on V downstream."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    S = len(Arows)
    rows = [s for s, d in enumerate(Arows) for t, x in d.items() if t != s and x]
    cols = [t for s, d in enumerate(Arows) for t, x in d.items() if t != s and x]
    graph = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(S, S))
    count, labels = connected_components(graph, directed=True, connection="strong")
    members: list[list[int]] = [[] for _ in range(count)]
    for s, c in enumerate(labels.tolist()):
        members[c].append(s)
    if count == 1:
        return members
    succ: list[set[int]] = [set() for _ in range(count)]
    for s, t in zip(rows, cols):
        a, b = int(labels[s]), int(labels[t])
        if a != b:
            succ[a].add(b)
    pred: list[list[int]] = [[] for _ in range(count)]
    remaining = [len(x) for x in succ]
    for a, bs in enumerate(succ):
        for b in bs:
            pred[b].append(a)
    order = [c for c in range(count) if remaining[c] == 0]
    k = 0
    while k < len(order):
        for a in pred[order[k]]:
            remaining[a] -= 1
            if remaining[a] == 0:
                order.append(a)
        k += 1
    return [members[c] for c in order]


def _coprime_fraction(p: int, q: int) -> Fraction:
    """A Fraction from a numerator and a positive denominator already known to be coprime (no gcd).

    Used only on the canonical output of flint's ``fmpq`` (which is always reduced, with q > 0): Python's
    own gcd is quadratic and dominates at thousands of digits.
    """
    f = object.__new__(Fraction)
    f._numerator = p  # type: ignore[attr-defined]
    f._denominator = q  # type: ignore[attr-defined]
    return f


def _to_fraction(x: Any) -> Fraction:
    """flint fmpq → Fraction without renormalising."""
    return _coprime_fraction(int(x.numerator), int(x.denominator))


def _certify_exact(game: StochasticGame, Arows: list[dict[int, Any]], rp: list[list[Any]],
                   Y: list[list[int]], D: int, where: str) -> None:
    """Check every row of (I - γM) V = r exactly, in integers, for V = Y / D; raise CertificateError if not."""
    n = game.n_players
    for s, d in enumerate(Arows):
        items = [(t, int(x.numerator), int(x.denominator)) for t, x in d.items() if x]
        rhs = [(int(rp[i][s].numerator), int(rp[i][s].denominator)) for i in range(n)]
        L = lcm(*[q for _, _, q in items], *[q for _, q in rhs])
        coeffs = [(t, p * (L // q)) for t, p, q in items]
        for i in range(n):
            lhs = 0
            for t, c in coeffs:
                lhs += Y[t][i] * c
            bp, bq = rhs[i]
            if lhs != D * (bp * (L // bq)):
                raise CertificateError(
                    f"{where}: exact Bellman residual for player {game.players[i]!r} at state {game.states[s]!r} is "
                    f"not 0 after the flint solve; no exact answer is reported"
                )


def _smooth_part(D: int, g: int) -> int:
    """The largest divisor of ``D`` whose prime factors all divide ``g``."""
    part, rest = 1, D
    while True:
        c = gcd(rest, g)
        if c == 1:
            return part
        part *= c
        rest //= c


def _q_exact_common(game: StochasticGame, model: _SparseModel, Y: list[list[int]], D: int) -> np.ndarray:
    """Q over all joint-action rows, object (n, rows), from V = Y / D.

    Every entry is ``num / (D·c)`` with a small integer ``c``; reducing it needs ``gcd(num, D·c)``.  A gcd of
    two numbers with thousands of digits per entry would dominate, so the gcds with ``D`` are batched
    (Bernstein's batch-gcd idea): with ``g = gcd(Π num mod D, D)``, every prime shared by some ``num`` and
    ``D`` divides ``g``, hence ``gcd(num, D·c) = gcd(num, D_g·c)`` where ``D_g`` is the ``g``-smooth part of
    ``D`` — usually a small number, so each reduction is one cheap remainder.
    """
    from flint import fmpz

    n = game.n_players
    rows = model.exact_rows()
    _, r = model.exact()
    gamma = _fraction(game.gamma)
    gn, gd = gamma.numerator, gamma.denominator
    entries_out: list[list[tuple[int, int]]] = []
    for i in range(n):
        ri = r[i].tolist()
        Yi = [y[i] for y in Y]
        out = []
        for row, (L, entries) in enumerate(rows):
            acc = 0
            for t, u in entries:
                acc += Yi[t] * u
            x = ri[row]
            xn, xd = x.numerator, x.denominator
            out.append((D * (xn * gd * L) + acc * (xd * gn), L * xd * gd))  # Q = num / (D · c)
        entries_out.append(out)
    Dz = fmpz(D)
    P = fmpz(1)
    for out in entries_out:
        for num, _ in out:
            if num:
                P = (P * (fmpz(num) % Dz)) % Dz
    g = int(Dz.gcd(P))
    Dg = 1 if g == 1 else _smooth_part(D, g)
    flat = np.empty((n, model.n_rows), dtype=object)
    zero = Fraction(0)
    for i, out in enumerate(entries_out):
        vals = []
        for num, c in out:
            if not num:
                vals.append(zero)
                continue
            m = Dg * c
            h = gcd(num % m, m) if m.bit_length() < 4096 else int(fmpz(num).gcd(fmpz(m)))
            vals.append(_coprime_fraction(num, D * c) if h == 1 else _coprime_fraction(num // h, (D * c) // h))
        flat[i, :] = vals
    return flat


def _solve_exact(game: StochasticGame, model: _SparseModel, pi: list[Fraction], where: str
                 ) -> tuple[np.ndarray, tuple[np.ndarray, ...], str]:
    S, n = game.n_states, game.n_players
    Arows, rp = _assemble_rows(game, model, pi)
    blocks = _components_sinks_first(Arows)
    if len(blocks) == 1:
        A, B = _flint_system(Arows, rp, list(range(S)))
        X = A.solve(B)
        Yz, Dz = X.numer_denom()
        D = int(Dz)
        Y = [[int(v) for v in row] for row in Yz.tolist()]  # S rows × n integers: V = Y / D
        V = np.empty((n, S), dtype=object)
        for i in range(n):
            V[i, :] = [_to_fraction(X[s, i]) for s in range(S)]
        method = "exact rational solve (python-flint fmpq_mat), certified in integers"
    else:
        V, Y, D = _solve_blocks(game, Arows, rp, blocks)
        method = (f"exact rational solve by {len(blocks)} strongly connected blocks (python-flint), "
                  "certified in integers")
    _certify_exact(game, Arows, rp, Y, D, where)
    Q = _split_q(game, model, _q_exact_common(game, model, Y, D))
    return V, Q, method


def _solve_blocks(game: StochasticGame, Arows: list[dict[int, Any]], rp: list[list[Any]], blocks: list[list[int]]
                  ) -> tuple[np.ndarray, list[list[int]], int]:
    """Block back-substitution over the strongly connected components (sinks first).

    Returns V (object array of Fractions), and the common-denominator form ``V = Y / D`` used by the
    certificate and by Q.
    """
    S, n = game.n_states, game.n_players
    Vq: list[list[Any]] = [[None] * S for _ in range(n)]
    for block in blocks:
        inside = set(block)
        rhs = [[None] * S for _ in range(n)]
        for i in range(n):
            Vi = Vq[i]
            for s in block:
                x = rp[i][s]
                for t, c in Arows[s].items():
                    if t not in inside and c:
                        x = x - c * Vi[t]
                rhs[i][s] = x
        if len(block) == 1:
            s = block[0]
            a = Arows[s][s]
            for i in range(n):
                Vq[i][s] = rhs[i][s] / a
        else:
            A, B = _flint_system(Arows, rhs, block)
            X = A.solve(B)
            for k, s in enumerate(block):
                for i in range(n):
                    Vq[i][s] = X[k, i]
    D = 1
    for i in range(n):
        for v in Vq[i]:
            D = lcm(D, int(v.denominator))
    Y = [[int(Vq[i][s].numerator) * (D // int(Vq[i][s].denominator)) for i in range(n)] for s in range(S)]
    V = np.empty((n, S), dtype=object)
    for i in range(n):
        V[i, :] = [_to_fraction(v) for v in Vq[i]]
    return V, Y, D


def _solve_float(game: StochasticGame, model: _SparseModel, pi: np.ndarray) -> tuple[np.ndarray, str, float]:
    S, n = game.n_states, game.n_players
    p, r = model.floats()
    gamma = float(game.gamma)
    w = pi[model.row] * p
    rows = model.owner[model.row]
    rp = np.empty((S, n))
    for i in range(n):
        rp[:, i] = np.bincount(model.owner, weights=pi * r[i], minlength=S)
    if S <= DENSE_FLOAT_LIMIT:
        A = np.zeros((S, S))
        np.add.at(A, (rows, model.col), -gamma * w)
        A[np.diag_indices(S)] += 1.0
        X = np.linalg.solve(A, rp)
        res = float(np.max(np.abs(A @ X - rp))) if X.size else 0.0
        method = "float dense solve (numpy.linalg.solve)"
    else:
        import scipy.sparse as sp
        import scipy.sparse.linalg as spla

        A = sp.csc_matrix((-gamma * w, (rows, model.col)), shape=(S, S)) + sp.identity(S, format="csc")
        X = spla.spsolve(A, rp)
        X = np.asarray(X).reshape(S, n)
        res = float(np.max(np.abs(A @ X - rp)))
        method = "float sparse LU (scipy.sparse.linalg.spsolve)"
    return np.ascontiguousarray(X.T), method, res
