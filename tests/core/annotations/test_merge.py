"""Three-way merge of annotation files and the codebook, by id and field."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.annotations.articlefile import (
    ArticleFile,
    dumps_annotations,
    parse_annotations,
    parse_article_file,
)
from tui.core.annotations.codebook import Codebook, TagInfo
from tui.core.annotations.merge import (
    CONFLICT_TAG,
    MergeError,
    Side,
    merge_annotations,
    merge_codebooks,
    merge_files,
    merge_memos,
)
from tui.core.annotations.model import Annotation, normalise_memo

ART = "art"


def ann(
    ident: str, start: int = 0, tags: tuple[str, ...] = ("a",), note: str = "", **kw: str
) -> Annotation:
    exact = kw.pop("exact", "x" * 5)
    return Annotation(
        id=ident,
        article=ART,
        start=start,
        end=start + len(exact),
        exact=exact,
        prefix="",
        suffix="",
        body_sha256="",
        tags=tags,
        note=note,
        author=kw.pop("author", "ana"),
        created="2026-01-01T00:00:00Z",
        modified=kw.pop("modified", "2026-01-01T00:00:00Z"),
    )


A, B, C = ann("aaaa000001", 0), ann("bbbb000002", 10), ann("cccc000003", 20)


def ids(items: list[Annotation]) -> list[str]:
    return [a.id for a in items]


def test_additions_on_both_sides_are_kept() -> None:
    d, e = ann("dddd000004", 30), ann("eeee000005", 40)
    merged, conflicts = merge_annotations([A], [A, d], [A, e])
    assert ids(merged) == [A.id, d.id, e.id] and conflicts == 0


def test_a_change_on_one_side_wins() -> None:
    edited = A.with_changes(note="ours")
    merged, _ = merge_annotations([A, B], [edited, B], [A, B])
    assert merged == [edited, B]
    merged, _ = merge_annotations([A, B], [A, B], [edited, B])
    assert merged == [edited, B]


def test_changes_to_different_fields_combine() -> None:
    ours = replace(A, note="ours", modified="2026-01-02T00:00:00Z")
    theirs = replace(A, start=3, end=8, modified="2026-01-03T00:00:00Z")
    merged, conflicts = merge_annotations([A], [ours], [theirs])
    assert conflicts == 0
    assert (merged[0].note, merged[0].start, merged[0].modified) == ("ours", 3, theirs.modified)


def test_tags_added_and_removed_on_either_side_combine() -> None:
    base = replace(A, tags=("a", "b"))
    ours = replace(base, tags=("a", "b", "c"))
    theirs = replace(base, tags=("b", "d"))
    merged, conflicts = merge_annotations([base], [ours], [theirs])
    assert merged[0].tags == ("b", "c", "d") and conflicts == 0


def test_the_same_field_changed_differently_keeps_both() -> None:
    ours, theirs = replace(A, note="ours"), replace(A, note="theirs")
    merged, conflicts = merge_annotations([A, B], [ours, B], [theirs, B])
    assert conflicts == 1 and len(merged) == 3
    kept = {a.note: a for a in merged if a.id != B.id}
    assert kept["ours"] == ours
    copy = kept["theirs"]
    assert copy.id != A.id and copy.tags == (*A.tags, CONFLICT_TAG)
    assert replace(copy, id=A.id, tags=A.tags) == theirs
    again, _ = merge_annotations([A, B], [ours, B], [theirs, B])
    assert again == merged  # the copy's id is derived: a re-run gives the same file


def test_added_on_both_sides_with_one_id_but_different_content_keeps_both() -> None:
    ours, theirs = replace(A, note="one"), replace(A, note="two")
    merged, conflicts = merge_annotations([], [ours], [theirs])
    assert conflicts == 1 and sorted(a.note for a in merged) == ["one", "two"]


def test_delete_against_edit_keeps_the_edit() -> None:
    edited = A.with_changes(note="kept")
    assert merge_annotations([A, B], [B], [edited, B])[0] == [edited, B]
    assert merge_annotations([A, B], [edited, B], [B])[0] == [edited, B]


def test_delete_against_nothing_deletes() -> None:
    assert merge_annotations([A, B], [B], [A, B])[0] == [B]
    assert merge_annotations([A, B], [A, B], [A])[0] == [A]
    assert merge_annotations([A, B], [B], [B])[0] == [B]


# -- the property ----------------------------------------------------------------------

notes = st.sampled_from(["", "n1", "n2", "n3"])
tagsets = st.lists(st.sampled_from(["a", "b", "c/d"]), max_size=3, unique=True).map(tuple)


@st.composite
def edits(draw: st.DrawFn, base: list[Annotation]) -> list[Annotation]:
    """One branch: each base annotation kept, deleted or changed; some added."""
    side = []
    for a in base:
        action = draw(st.sampled_from(["keep", "delete", "note", "tags", "move"]))
        if action == "keep":
            side.append(a)
        elif action == "note":
            side.append(replace(a, note=draw(notes)))
        elif action == "tags":
            side.append(replace(a, tags=draw(tagsets)))
        elif action == "move":
            side.append(replace(a, start=a.start + 1, end=a.end + 1))
    for index in range(draw(st.integers(0, 2))):
        ident = draw(st.sampled_from(["n", "m"])) + f"{index:09d}"
        side.append(ann(ident, draw(st.integers(0, 50)), draw(tagsets), draw(notes)))
    return side


@st.composite
def three(draw: st.DrawFn) -> tuple[list[Annotation], list[Annotation], list[Annotation]]:
    count = draw(st.integers(0, 5))
    base = [ann(f"{i:010d}", i * 7, draw(tagsets), draw(notes)) for i in range(count)]
    return base, draw(edits(base)), draw(edits(base))


def content(a: Annotation) -> tuple[object, ...]:
    return (a.start, a.end, a.exact, a.tags, a.note, a.author)


def without_conflict(a: Annotation) -> Annotation:
    return replace(a, tags=tuple(t for t in a.tags if t != CONFLICT_TAG))


def changes_applied(side: Annotation, base: Annotation | None, result: Annotation) -> bool:
    """Every field this side changed from the base has this side's value in ``result``."""
    fields = ("start", "end", "exact", "note", "author")
    changed = [f for f in fields if base is None or getattr(side, f) != getattr(base, f)]
    added = set(side.tags) - set(base.tags if base else ())
    return all(getattr(result, f) == getattr(side, f) for f in changed) and added <= set(
        result.tags
    )


memos = st.sampled_from(["", "m1", "m2", "line one\nline two"])


def assert_annotations_kept(
    base: list[Annotation],
    ours: list[Annotation],
    theirs: list[Annotation],
    merged: list[Annotation],
    conflicts: int,
) -> None:
    by_id = {a.id: a for a in merged}
    assert len(by_id) == len(merged)  # ids stay unique
    old = {a.id: a for a in base}
    known = {a.id for a in [*base, *ours, *theirs]}
    copies = [a for a in merged if a.id not in known]
    assert conflicts == len(copies)
    for side, other in ((ours, theirs), (theirs, ours)):
        there = {a.id: a for a in other}
        for a in side:
            if there.get(a.id) == a or (a.id not in there and a.id not in old):
                # On this side, and unchanged (or never there) on the other: kept as is.
                assert by_id.get(a.id) == a
            elif a.id not in there and old.get(a.id) != a:
                # Changed here, deleted there: the change is kept.
                assert by_id.get(a.id) == a
            elif a.id in there and old.get(a.id) not in (a, there[a.id]):
                # Changed on both sides: this side's changes are in the merged one, or
                # this side's whole version is kept as a conflict copy.
                assert changes_applied(a, old.get(a.id), by_id[a.id]) or any(
                    without_conflict(c) == replace(a, id=c.id) for c in copies
                )
    # Nothing is invented: a copy is their version, tagged.
    for copy in copies:
        assert CONFLICT_TAG in copy.tags
        assert any(without_conflict(copy) == replace(t, id=copy.id) for t in theirs)


def assert_memo_kept(base: str, ours: str, theirs: str, merged: str) -> None:
    """A memo a side changed (and did not clear) is in the result; an untouched side
    never undoes the other's change; only a clearing empties it."""
    for mine, other in ((ours, theirs), (theirs, ours)):
        if mine != base and mine:
            assert mine in merged
        if other == base:
            assert merged == mine
    if not merged:
        assert {ours, theirs} <= {base, ""}


@settings(max_examples=300, deadline=None)
@given(three(), memos, memos, memos)
def test_merging_files_never_loses_an_annotation_or_a_memo(
    sides: tuple[list[Annotation], list[Annotation], list[Annotation]],
    base_memo: str,
    our_memo: str,
    their_memo: str,
) -> None:
    base, ours, theirs = sides
    result = merge_files(
        side(base, "base", base_memo),
        side(ours, "our", our_memo),
        side(theirs, "their", their_memo),
        "annotations/art.toml",
    )
    merged = parse_article_file(result.text, Path("x"), ART)
    assert_annotations_kept(base, ours, theirs, list(merged.annotations), result.conflicts)
    assert_memo_kept(base_memo, our_memo, their_memo, merged.memo)
    # The same merge in memory (what the file is written from) gives the same annotations.
    assert merge_annotations(base, ours, theirs)[0] == list(merged.annotations)


# -- the codebook ----------------------------------------------------------------------


def book(*infos: TagInfo) -> Codebook:
    return Codebook({i.name: i for i in infos})


def test_codebook_merges_per_tag_and_field() -> None:
    base = book(TagInfo("a", "old", "#111111"), TagInfo("gone", "x", "#222222"))
    ours = book(TagInfo("a", "ours", "#111111"), TagInfo("mine", "", "#333333"))
    theirs = book(TagInfo("a", "old", "#444444"), TagInfo("gone", "x", "#222222"), TagInfo("new"))
    merged, notes = merge_codebooks(base, ours, theirs)
    assert merged.tags == {
        "a": TagInfo("a", "ours", "#444444"),
        "mine": TagInfo("mine", "", "#333333"),
        "new": TagInfo("new"),
    }
    assert notes == []


def test_codebook_conflicts_keep_both_descriptions_and_our_colour() -> None:
    base = book(TagInfo("a", "old", "#111111"))
    ours = book(TagInfo("a", "ours", "#aaaaaa"))
    theirs = book(TagInfo("a", "theirs", "#bbbbbb"))
    merged, notes = merge_codebooks(base, ours, theirs)
    info = merged.tags["a"]
    assert info.colour == "#aaaaaa"
    assert "ours" in info.description and "theirs" in info.description
    assert notes == [
        "tag 'a': description changed on both sides: both kept",
        "tag 'a': colour changed on both sides: kept ours ('#aaaaaa')",
    ]


def test_a_key_given_to_two_tags_stays_where_ours_put_it() -> None:
    base = book(TagInfo("a"), TagInfo("b"))
    ours = book(TagInfo("a", key="k"), TagInfo("b"))
    theirs = book(TagInfo("a"), TagInfo("b", key="k"))
    merged, notes = merge_codebooks(base, ours, theirs)
    assert (merged.tags["a"].key, merged.tags["b"].key) == ("k", "")
    assert notes == ["tag 'b': key 'k' is also tag 'a''s: removed here"]


# -- files -----------------------------------------------------------------------------


def side(items: list[Annotation], label: str = "our", memo: str = "") -> Side:
    return Side(dumps_annotations(ART, items, memo), f".merge_file_{label}", label)


def test_files_merge_and_read_back() -> None:
    d = ann("dddd000004", 30, note="line one\nline two")
    merged = merge_files(side([A]), side([A, d]), side([A, B]), "annotations/art.toml")
    assert parse_annotations(merged.text, Path("x"), ART) == (A, B, d)
    assert merged.text.startswith("# Gloss annotations of article art\n")


def test_an_empty_base_is_no_annotations() -> None:
    merged = merge_files(Side("", "b", "base"), side([A]), side([B]), "annotations/art.toml")
    assert parse_annotations(merged.text, Path("x"), ART) == (A, B)


def test_a_broken_side_is_one_line_naming_the_file() -> None:
    broken = Side("schema = 1\n[[annotation]\n", ".merge_file_XyZ", "their")
    with pytest.raises(MergeError) as caught:
        merge_files(side([A]), side([A]), broken, "annotations/art.toml")
    message = str(caught.value)
    assert message.startswith("annotations/art.toml:2: not valid TOML")
    assert message.endswith(
        "(their version, .merge_file_XyZ); nothing written, merge this file by hand"
    )
    assert "\n" not in message


def test_a_key_this_gloss_does_not_know_is_refused_not_dropped() -> None:
    future = Side('colour = "keep me"\n' + side([A]).text, "f", "their")
    with pytest.raises(MergeError, match="holds 'colour', which this Gloss cannot merge"):
        merge_files(side([A]), side([A]), future, "annotations/art.toml")


# -- memos -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "expected"),
    [
        ("m", "m", "m", "m"),
        ("m", "ours", "m", "ours"),  # changed on one side: that side's
        ("m", "m", "theirs", "theirs"),
        ("", "", "new", "new"),  # added on one side
        ("", "same", "same", "same"),  # the same change on both
        ("m", "", "m", ""),  # cleared on one side, untouched on the other: cleared
        ("m", "m", "", ""),
        ("m", "", "edited", "edited"),  # cleared against edited: the edit
        ("m", "edited", "", "edited"),
        ("m", "", "", ""),
    ],
)
def test_memo_merges_as_one_text(base: str, ours: str, theirs: str, expected: str) -> None:
    assert merge_memos(base, ours, theirs) == (expected, False)


def test_memo_changed_differently_on_both_sides_keeps_ours_then_theirs_marked() -> None:
    merged, conflict = merge_memos("base", "ours\nline two", "theirs")
    assert conflict
    assert merged == "ours\nline two\n\n(conflict: the other side wrote:) theirs"
    assert merged == normalise_memo(merged)  # stored as is: the store would not change it


def test_files_with_memos_merge_memo_and_annotations() -> None:
    base = side([A], "base", "base memo")
    ours = side([A, B], "our", "base memo")
    theirs = side([A], "their", "their memo")
    merged = merge_files(base, ours, theirs, "annotations/art.toml")
    found = parse_article_file(merged.text, Path("x"), ART)
    assert found == ArticleFile((A, B), "their memo")
    assert merged.notes == []


def test_a_memo_only_file_merges_and_a_conflict_is_said() -> None:
    base = side([], "base", "")
    merged = merge_files(base, side([], "our", "ana"), side([], "their", "ben"), "a/art.toml")
    found = parse_article_file(merged.text, Path("x"), ART)
    assert found.annotations == () and "ana" in found.memo and "ben" in found.memo
    assert merged.notes == [
        "a/art.toml: the memo changed differently on both sides: both kept, theirs after "
        "'(conflict: the other side wrote:)' (gloss memo art)"
    ]


def test_codebook_files_merge_by_name() -> None:
    base = Side(book(TagInfo("a", "x", "#111111")).dumps(), "b", "base")
    ours = Side(book(TagInfo("a", "x", "#111111"), TagInfo("b")).dumps(), "o", "our")
    theirs = Side(book(TagInfo("a", "y", "#111111")).dumps(), "t", "their")
    merged = merge_files(base, ours, theirs, "annotations/tags.toml")
    assert '[tags.a]\ndescription = "y"' in merged.text and "[tags.b]" in merged.text
    # Without the path, the content tells which kind of file it is.
    assert merge_files(base, ours, theirs).text == merged.text
