"""Capabilities, protocols, the target registry and the missing-extra error."""

from __future__ import annotations

import pytest

from jalverify.adapters.protocols import (
    Capabilities,
    Concept,
    InvalidTarget,
    JointActionLearner,
    MissingExtra,
    NashSolver,
    TargetKind,
    kind_of,
)
from jalverify.adapters.registry import BUILTIN_ADAPTERS, ENTRY_POINT_GROUP, available_targets, load_target, resolve_reference


def test_capabilities_validate_their_fields() -> None:
    with pytest.raises(InvalidTarget, match="tolerance"):
        Capabilities(tolerance=-1.0)
    with pytest.raises(InvalidTarget, match="players"):
        Capabilities(players=0)
    with pytest.raises(InvalidTarget, match="kind"):
        Capabilities(kind="solver")  # type: ignore[arg-type]


def test_exact_target_has_zero_tolerance_and_minimax_implies_zero_sum() -> None:
    assert Capabilities(exact=True, tolerance=1e-3).effective_tolerance == 0.0
    assert Capabilities(concept=Concept.MINIMAX).zero_sum_only


def test_accepts_checks_the_declared_domain() -> None:
    caps = Capabilities(players=2, zero_sum_only=True, max_actions=3)
    assert caps.accepts(2, (3, 2), zero_sum=True)
    assert not caps.accepts(3, (2, 2, 2), zero_sum=True)
    assert not caps.accepts(2, (2, 2), zero_sum=False)
    assert not caps.accepts(2, (4, 2), zero_sum=True)
    assert Capabilities(players="n").accepts(4, (2, 2, 2, 2), zero_sum=False)


def test_protocols_are_structural() -> None:
    class Solver:
        capabilities = Capabilities()

        def solve(self, game):  # noqa: ANN001, ANN201
            return []

    assert isinstance(Solver(), NashSolver)
    assert not isinstance(Solver(), JointActionLearner)
    assert kind_of(Solver()) is TargetKind.SOLVER
    with pytest.raises(InvalidTarget, match="capabilities"):
        kind_of(object())


def test_missing_extra_names_the_install_command() -> None:
    err = MissingExtra("nashpy", "nashpy", "nashpy.support_enumeration")
    assert 'pip install "jalverify[nashpy]"' in str(err)
    assert isinstance(err, ImportError)


def test_registry_resolves_builtins_and_references() -> None:
    assert resolve_reference("nashpy.support_enumeration") == BUILTIN_ADAPTERS["nashpy.support_enumeration"]
    assert resolve_reference("pkg.mod:Obj") == "pkg.mod:Obj"
    with pytest.raises(InvalidTarget, match="known names"):
        resolve_reference("no-such-adapter")
    assert set(BUILTIN_ADAPTERS) <= set(available_targets())
    assert ENTRY_POINT_GROUP == "jalverify.adapters"


def test_every_builtin_adapter_loads_without_its_library() -> None:
    # loading never imports the third-party library: capabilities are declared statically
    for name in BUILTIN_ADAPTERS:
        target = load_target(name)
        assert isinstance(target.capabilities, Capabilities)
        assert target.capabilities.source, name


def test_load_target_rejects_objects_without_capabilities() -> None:
    with pytest.raises(InvalidTarget, match="capabilities"):
        load_target("fractions:Fraction")
    with pytest.raises(InvalidTarget, match="no attribute"):
        load_target("fractions:NoSuchThing")


def test_a_missing_library_raises_missing_extra() -> None:
    from jalverify.adapters._common import require

    with pytest.raises(MissingExtra, match=r'pip install "jalverify\[gambit\]"'):
        require("no_such_library_xyz", "gambit", "gambit.enummixed_exact")


def test_entry_point_group_registers_user_adapters(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from jalverify.adapters import registry

    ep = metadata.EntryPoint(name="my.solver", value="jalverify.adapters.own:Minimax", group=ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_entry_points", lambda: {ep.name: ep})
    assert available_targets()["my.solver"] == "jalverify.adapters.own:Minimax"
    assert load_target("my.solver").capabilities.concept is Concept.MINIMAX
