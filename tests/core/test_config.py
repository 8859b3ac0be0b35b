"""config.toml settings: each unusable one is dropped with its reason, the rest applies."""

from __future__ import annotations

from pathlib import Path

from tui.core.config import parse_settings

PATH = Path("/home/ana/.config/gloss/config.toml")
THEMES = ("textual-dark", "textual-light")
IDS = ("filter", "quit", "reader.next_match")


def settings(config: dict[str, object]):  # type: ignore[no-untyped-def]
    return parse_settings(config, PATH, THEMES, lambda: IDS)


def test_a_bad_theme_keeps_the_keys() -> None:
    """Issue 17 item 6: a bad theme made the whole [keys] table be ignored."""
    got = settings({"theme": "no-such-theme", "keys": {"filter": "g"}})
    assert got.keymap == {"filter": "g"} and got.theme is None
    assert got.problems == (
        f"unknown theme 'no-such-theme' in {PATH}: use one of textual-dark, textual-light",
    )


def test_each_unknown_or_unusable_key_is_named_and_only_it_dropped() -> None:
    got = settings(
        {
            "theme": "textual-light",
            "keys": {"filter": "g", "nonsense": "z", "quit": 3, "also-bad": "y"},
        }
    )
    assert got.theme == "textual-light" and got.keymap == {"filter": "g"}
    assert got.problems == (
        f"unknown command id 'nonsense' in [keys] of {PATH}",
        f'[keys] quit in {PATH} must be a key name, e.g. quit = "ctrl+g"',
        f"unknown command id 'also-bad' in [keys] of {PATH}",
    )


def test_keys_that_are_not_a_table_keep_the_theme() -> None:
    got = settings({"theme": "textual-light", "keys": "g"})
    assert (got.theme, got.keymap) == ("textual-light", {})
    assert got.problems == (f'[keys] in {PATH} must map command ids to keys, e.g. quit = "ctrl+q"',)
    assert settings({"theme": 7}).problems[0].startswith("unknown theme 7 (not a string) in")


def test_command_ids_are_only_gathered_when_there_are_keys() -> None:
    def boom() -> tuple[str, ...]:
        raise AssertionError("imports every screen: only for a [keys] table")

    assert parse_settings({"theme": "textual-dark"}, PATH, THEMES, boom).problems == ()
