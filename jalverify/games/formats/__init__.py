"""Game, policy and profile files: the JSON format ``jalverify.game/1`` and Gambit's ``.nfg``."""

from jalverify.games.formats.json_format import (
    GAME_FORMAT,
    POLICY_FORMAT,
    PROFILE_FORMAT,
    GameDocument,
    document_from_dict,
    dump_game,
    dump_policy,
    dump_profile,
    dumps_json,
    game_from_dict,
    load_game,
    load_game_document,
    load_policy,
    load_profile,
    policy_from_dict,
    profile_from_dict,
    save_game,
    save_policy,
    save_profile,
)
from jalverify.games.formats.nfg import dump_nfg, load_nfg, parse_nfg, save_nfg

__all__ = [
    "GAME_FORMAT",
    "POLICY_FORMAT",
    "PROFILE_FORMAT",
    "GameDocument",
    "load_game",
    "load_game_document",
    "game_from_dict",
    "document_from_dict",
    "dump_game",
    "dumps_json",
    "save_game",
    "load_policy",
    "policy_from_dict",
    "dump_policy",
    "save_policy",
    "load_profile",
    "profile_from_dict",
    "dump_profile",
    "save_profile",
    "load_nfg",
    "parse_nfg",
    "dump_nfg",
    "save_nfg",
    "schema",
]


def schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``jalverify.game/1``, shipped as ``schema/game.schema.json``."""
    import json
    from importlib.resources import files

    return json.loads(files("jalverify.games.formats").joinpath("schema/game.schema.json").read_text(encoding="utf-8"))
