"""config.toml settings: each unusable one is dropped with its reason, the rest applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import ConfigError, parse_settings, read_config, set_top_level

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


def test_set_top_level_replaces_one_line_and_keeps_the_rest(tmp_path: Path) -> None:
    """Issue 17 #17: a theme chosen in the app is kept; the user's lines stay as written."""
    path = tmp_path / "config.toml"
    set_top_level("theme", "nord", path)  # no file yet: created
    assert read_config(path) == {"theme": "nord"}
    text = '# mine\nauthor = "ana"\ntheme = "old"  # was\n\n[keys]\nfilter = "g"\n'
    path.write_text(text, encoding="utf-8")
    set_top_level("theme", 'text"ual-light', path)
    after = path.read_text(encoding="utf-8")
    assert after == text.replace('theme = "old"  # was', 'theme = "text\\"ual-light"')
    assert read_config(path)["theme"] == 'text"ual-light'
    path.write_text('[keys]\nfilter = "g"\n', encoding="utf-8")
    set_top_level("theme", "nord", path)  # added at the top, not inside [keys]
    assert read_config(path) == {"theme": "nord", "keys": {"filter": "g"}}


@pytest.mark.parametrize(
    "text",
    [
        'theme = "a\n',  # not valid TOML
        'theme = """one\ntwo"""\n',  # not a one-line setting
        '[keys]\nfilter = "g"\n[keys]\n',  # a duplicate table
    ],
)
def test_set_top_level_never_rewrites_a_config_it_cannot_edit(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(text.encode())
    with pytest.raises(ConfigError, match=r"config\.toml"):
        set_top_level("theme", "nord", path)
    assert path.read_bytes() == text.encode()
