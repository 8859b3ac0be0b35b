"""The annotation file format: any annotation survives a TOML round trip, errors name lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.annotations.articlefile import dumps_annotations, parse_annotations
from tui.core.annotations.model import Annotation
from tui.core.errors import StoreFileError

PATH = Path("store/art.toml")
TEXT = st.text(st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ['"""', "'''", 'a\n"""\nb', "\\", "\\n", "tab\there", "\r\n", "trailing\\", "'", '"', "\n\n"]
)
TAG = st.from_regex(r"[a-z0-9_\u00e0-\u00ff]{1,8}(/[a-z0-9_]{1,8}){0,2}", fullmatch=True)
STAMP = st.sampled_from(["2026-11-23T17:41:16Z", "2025-01-02T03:04:05+00:00", ""])


@st.composite
def annotation_records(draw: st.DrawFn) -> Annotation:
    exact = draw(st.text(st.characters(codec="utf-8"), min_size=1, max_size=40))
    start = draw(st.integers(0, 10**6))
    return Annotation(
        id=draw(st.from_regex(r"[0-9a-f]{10}", fullmatch=True)),
        article="art",
        start=start,
        end=start + len(exact),
        exact=exact,
        prefix=draw(TEXT),
        suffix=draw(TEXT),
        body_sha256=draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
        tags=tuple(dict.fromkeys(draw(st.lists(TAG, max_size=4)))),
        note=draw(TEXT | st.text()),
        author=draw(TEXT),
        created=draw(STAMP),
        modified=draw(STAMP),
    )


@settings(deadline=None, max_examples=80)
@given(st.lists(annotation_records(), max_size=4, unique_by=lambda a: a.id))
def test_any_annotation_round_trips(items: list[Annotation]) -> None:
    text = dumps_annotations("art", items)
    assert parse_annotations(text, PATH, "art") == tuple(
        sorted(items, key=lambda a: (a.start, a.end, a.id))
    )


def test_one_change_is_one_small_diff() -> None:
    a = Annotation("a1", "art", 0, 3, "abc", "", "def", "0" * 64, ("x",), "line one\nline two")
    b = Annotation("b2", "art", 10, 13, "xyz", "p", "s", "0" * 64, ("y",), "")
    before = dumps_annotations("art", [a, b]).splitlines()
    after = dumps_annotations("art", [a, dataclasses.replace(b, note="new")])
    changed = [pair for pair in zip(before, after.splitlines(), strict=True) if pair[0] != pair[1]]
    assert changed == [('note = ""', 'note = "new"')]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema = 2\n", r":1: 'schema' is 2"),
        ("[[annotation]]\n", r":1: 'schema' is None"),
        ('schema = 1\nannotation = "x"\n', r"'annotation' must be an array"),
        (
            'schema = 1\n\n[[annotation]]\nid = "a"\nstart = 0\nend = 2\nexact = "abc"\n',
            r":3: annotation 'a': 'end' - 'start' is 2 but 'exact' has 3",
        ),
        (
            'schema = 1\n[[annotation]]\nid = "a"\nstart = 0\nend = 1\nexact = "a"\n'
            '[[annotation]]\nid = "a"\nstart = 1\nend = 2\nexact = "b"\n',
            r":7: annotation id 'a' appears twice",
        ),
        (
            'schema = 1\n[[annotation]]\nid = "a"\nstart = 0\nend = 1\nexact = "a"\n'
            'tags = ["a b"]\n',
            r":2: annotation 'a': invalid tag",
        ),
        (
            'schema = 1\n[[annotation]]\nid = "a"\nstart = 0\nend = 1\nexact = "a"\n'
            'created = "soon"\n',
            r":2: annotation 'a': 'created' must be an ISO 8601",
        ),
        (
            'schema = 1\n[[annotation]]\nid = "a"\nstart = true\nend = 1\nexact = "a"\n',
            r":2: annotation 'a': 'start' must be a whole number",
        ),
        ("schema = 1\nx = [\n", r":3: not valid TOML"),
    ],
)
def test_validation_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(StoreFileError, match=message) as info:
        parse_annotations(text, PATH, "art")
    assert str(info.value).startswith(str(PATH))
    assert "\n" not in str(info.value)


def test_hand_written_minimal_annotation_is_accepted() -> None:
    text = 'schema = 1\n[[annotation]]\nid = "mine"\nstart = 4\nend = 9\nexact = "quick"\n'
    (a,) = parse_annotations(text, PATH, "art")
    assert (a.id, a.start, a.end, a.exact, a.tags, a.note) == ("mine", 4, 9, "quick", (), "")


@pytest.mark.parametrize(
    "ident",
    ["\x1b[31mred", "../../etc/passwd", "a/b", "..", "", "tab\there", "\u202eevil", "x" * 65],
)
def test_ids_are_letters_digits_dash_underscore(ident: str) -> None:
    """Issue 17 F3: an id holding an escape sequence or a path is refused with its line."""
    text = (
        'schema = 1\n\n[[annotation]]\nid = "ok-1"\nstart = 0\nend = 1\nexact = "a"\n'
        f'\n[[annotation]]\nid = {json.dumps(ident)}\nstart = 1\nend = 2\nexact = "b"\n'
    )
    with pytest.raises(StoreFileError) as info:
        parse_annotations(text, PATH, "art")
    message = str(info.value)
    assert message.startswith(f"{PATH}:9: annotation 2: 'id' must be letters, digits")
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message


def test_an_op_log_with_a_path_for_an_id_is_broken(tmp_path: Path) -> None:
    from tui.core.annotations.oplog import read_oplog

    change = {"kind": "annotation", "key": "../x", "article": "art", "before": None}
    op = {"id": "1", "time": "", "summary": "add", "changes": [{**change, "after": None}]}
    path = tmp_path / ".gloss-oplog.json"
    path.write_text(json.dumps({"schema": 1, "done": [op], "undone": []}))
    with pytest.raises(StoreFileError, match="invalid annotation id '../x'"):
        read_oplog(path)


@pytest.mark.parametrize("article", ["../outside", "a/../../b", "/abs", "a//b", "./a"])
def test_an_article_id_never_leads_out_of_the_store(tmp_path: Path, article: str) -> None:
    from tui.core.annotations.model import AnnotationError
    from tui.core.annotations.store import AnnotationStore

    with pytest.raises(AnnotationError, match="is not a path inside the corpus"):
        AnnotationStore(tmp_path / "store").path_for(article)
