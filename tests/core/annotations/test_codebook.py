"""The codebook file: validation with lines, colours handed out, renames that merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.annotations.codebook import PALETTE, Codebook, TagInfo, parse_codebook, rename_entries
from tui.core.annotations.tomlfile import parse
from tui.core.config import ConfigError, author_name
from tui.core.errors import StoreFileError

PATH = Path("store/tags.toml")


def load(text: str) -> Codebook:
    return parse_codebook(text, parse(text, PATH), PATH)


def test_round_trip_and_sorted_output() -> None:
    book = Codebook().with_tags(["zeta", "actor/china"])
    info = TagInfo("actor/china", 'Chinese "state" actors\nand firms', "#112233", "c")
    book = book.with_info(info)
    text = book.dumps()
    assert text.index('[tags."actor/china"]') < text.index("[tags.zeta]")
    assert load(text) == book


def test_new_tags_get_palette_colours_in_turn() -> None:
    book = Codebook().with_tags(["a", "b", "a"])
    assert [book.tags[n].colour for n in ("a", "b")] == list(PALETTE[:2])
    assert book.with_tags(["a"]) is book


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('schema = 1\n[tags."a"]\ncolour = "red"\n', r":2: tag 'a': colour must look like"),
        ('schema = 1\n[tags.a]\nkey = "ab"\n', r":2: tag 'a': key must be one character"),
        (
            'schema = 1\n[tags.a]\nkey = "x"\n[tags.b]\nkey = "x"\n',
            r":4: tags 'a' and 'b' share key",
        ),
        ('schema = 1\n[tags."a b"]\n', r":2: invalid tag"),
        ("schema = 1\n[tags.a]\ndescription = 3\n", r":2: tag 'a': 'description' must be a string"),
        ("schema = 9\n", r":1: schema 9"),
        ('schema = 1\ntags = "x"\n', r"'tags' must be a table"),
    ],
)
def test_invalid_codebook_names_the_line(text: str, message: str) -> None:
    with pytest.raises(StoreFileError, match=message):
        load(text)


def test_rename_moves_subtree_and_keeps_existing_target() -> None:
    book = Codebook(
        {
            "actor": TagInfo("actor", "people"),
            "actor/china": TagInfo("actor/china", "old", "#000000"),
            "actors": TagInfo("actors"),
            "state/china": TagInfo("state/china", "", "#ffffff"),
        }
    )
    renamed = rename_entries(book, "actor", "state")
    assert renamed.names() == ["actors", "state", "state/china"]
    assert renamed.tags["state/china"] == TagInfo("state/china", "old", "#ffffff")
    assert renamed.tags["state"].description == "people"


def test_author_from_config_else_login(isolated_dirs: Path) -> None:
    config = isolated_dirs / "config" / "config.toml"
    assert author_name(config)  # the login name when there is no config
    config.parent.mkdir(parents=True)
    config.write_text('author = "Ana Analyst"\n', encoding="utf-8")
    assert author_name(config) == "Ana Analyst"
    config.write_text("author = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config.toml: not valid TOML"):
        author_name(config)
    config.write_text("author = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'author' must be a non-empty string"):
        author_name(config)
