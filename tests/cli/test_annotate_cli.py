"""The annotation commands as a user runs them: good input, bad input, broken files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import Gloss

ART = "000_1b8bce5c4f6c6391"
QUOTE = "348 Chinese counterparts"


@pytest.fixture
def annotated(project_dir: Path, gloss: Gloss) -> dict[str, str]:
    """Two annotations on ART: ids by name."""
    first = gloss(
        "annotate", ART, "--quote", QUOTE, "--tag", "actor/china", "--note", "two\nlines", "--json"
    )
    second = gloss("annotate", ART, "--start", "0", "--end", "20", "--tag", "headline", "--json")
    assert first.code == second.code == 0, first.err + second.err
    return {"first": json.loads(first.out)["id"], "second": json.loads(second.out)["id"]}


def listing(gloss: Gloss, *args: str) -> list[dict[str, object]]:
    result = gloss("annotations", "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_annotate_by_quote_prints_the_annotation(project_dir: Path, gloss: Gloss) -> None:
    result = gloss("annotate", ART, "--quote", QUOTE, "--tag", "actor/china")
    assert result.code == 0, result.err
    assert QUOTE in result.out and "actor/china" in result.out and "exact" in result.out
    assert (project_dir / "annotations" / f"{ART}.toml").is_file()


def test_annotate_errors_are_one_line_exit_2(project_dir: Path, gloss: Gloss) -> None:
    missing = gloss("annotate", ART, "--quote", "no such words here")
    assert (missing.code, missing.out) == (2, "")
    assert missing.err.count("\n") == 1 and "0 matches" in missing.err
    several = gloss("annotate", ART, "--quote", "Russia")
    assert several.code == 2 and "found 24 times" in several.err and "--occurrence" in several.err
    assert gloss("annotate", ART, "--quote", "Russia", "--occurrence", "25").code == 2
    assert gloss("annotate", ART, "--start", "5", "--end", "5").code == 2
    assert gloss("annotate", ART).code == 2
    assert gloss("annotate", "nope", "--quote", "x").err.startswith(
        "gloss: error: unknown article id 'nope'"
    )
    bad_tag = gloss("annotate", ART, "--quote", QUOTE, "--tag", "two words")
    assert bad_tag.code == 2 and "invalid tag" in bad_tag.err
    assert not list((project_dir / "annotations").glob("*.toml"))


def test_occurrence_picks_the_nth_match(project_dir: Path, gloss: Gloss) -> None:
    result = gloss("annotate", ART, "--quote", "Russia", "--occurrence", "3", "--json")
    item = json.loads(result.out)
    body = json.loads(gloss("show", ART, "--json").out)["body"]
    starts = [i for i in range(len(body)) if body.startswith("Russia", i)]
    assert item["start"] == starts[2] and item["exact"] == "Russia"


def test_listing_fields_and_filters(annotated: dict[str, str], gloss: Gloss) -> None:
    items = listing(gloss)
    assert [i["id"] for i in items] == [annotated["second"], annotated["first"]]
    for item in items:
        assert {
            "id",
            "article",
            "start",
            "end",
            "exact",
            "tags",
            "note",
            "state",
            "created",
        } <= set(item)
        assert item["state"] == "exact"
    assert [i["id"] for i in listing(gloss, "--tag", "actor")] == [annotated["first"]]
    assert listing(gloss, "--tag", "act") == []
    assert listing(gloss, "--state", "orphaned") == []
    assert len(listing(gloss, "--article", ART)) == 2
    table = gloss("annotations")
    assert table.code == 0 and table.out.splitlines()[0].split()[:3] == ["ID", "ARTICLE", "STATE"]
    assert gloss("annotations", "--article", "nope").code == 2


def test_edit_delete_undo_redo(annotated: dict[str, str], gloss: Gloss) -> None:
    ident = annotated["first"]
    edited = gloss(
        "edit", ident[:5], "--tag", "place", "--untag", "actor", "--note", "new note", "--json"
    )
    assert edited.code == 0, edited.err
    assert json.loads(edited.out)["tags"] == ["place"]
    assert gloss("edit", ident).code == 2
    assert gloss("delete", ident).code == 0
    assert [i["id"] for i in listing(gloss)] == [annotated["second"]]
    assert "undid: delete" in gloss("undo").out
    assert "undid: edit" in gloss("undo").out
    restored = {i["id"]: i for i in listing(gloss)}[ident]
    assert (restored["tags"], restored["note"]) == (["actor/china"], "two\nlines")
    assert "redid: edit" in gloss("redo").out
    assert {i["id"]: i for i in listing(gloss)}[ident]["note"] == "new note"
    missing = gloss("delete", "ffffffffff")
    assert missing.code == 2 and "no annotation with id 'ffffffffff'" in missing.err


def test_undo_with_empty_log_is_an_error(project_dir: Path, gloss: Gloss) -> None:
    result = gloss("undo")
    assert result.code == 2 and "nothing to undo" in result.err


def test_tags_rename_and_describe(annotated: dict[str, str], gloss: Gloss) -> None:
    tags = json.loads(gloss("tags", "--json").out)
    assert {t["name"]: t["count"] for t in tags} == {"actor/china": 1, "headline": 1}
    assert gloss("tag", "describe", "actor/china", "Chinese state actors", "--key", "c").code == 0
    assert gloss("tag", "rename", "actor", "state").out.startswith(
        "renamed actor to state on 1 annotation"
    )
    tags = {t["name"]: t for t in json.loads(gloss("tags", "--json").out)}
    assert tags["state/china"]["description"] == "Chinese state actors"
    assert tags["state/china"]["key"] == "c" and "actor/china" not in tags
    assert listing(gloss, "--tag", "state")[0]["tags"] == ["state/china"]
    assert gloss("tag", "rename", "nothing", "x").code == 2
    assert gloss("tag", "describe", "x", "y", "--colour", "red").code == 2


def test_exports(annotated: dict[str, str], gloss: Gloss, tmp_path: Path) -> None:
    md = gloss("export", "--format", "md", "--tag", "actor")
    assert md.code == 0 and f"> {QUOTE}" in md.out and "headline" not in md.out
    rows = list(csv.DictReader(io.StringIO(gloss("export", "--format", "csv").out)))
    assert len(rows) == 2
    data = json.loads(gloss("export", "--format", "json", "--article", ART).out)
    assert len(data) == 2
    target = tmp_path / "out" / "w3c.jsonld"
    target.parent.mkdir()  # an export never creates folders
    result = gloss("export", "--format", "w3c", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 2
    with pytest.raises(SystemExit):
        gloss("export", "--format", "pdf")


def test_check_states_fix_and_exit_codes(
    annotated: dict[str, str], project_dir: Path, gloss: Gloss
) -> None:
    assert gloss("check").code == 0
    source = project_dir / "seeds" / f"{ART}.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text("Editor's note: corrected.\n\n" + text, encoding="utf-8")
    moved = gloss("check", "--json")
    assert moved.code == 0
    assert json.loads(moved.out)["states"]["moved"] == 2
    store_file = project_dir / "annotations" / f"{ART}.toml"
    before = store_file.read_bytes()
    fixed = gloss("check", "--fix")
    assert fixed.code == 0 and "saved new offsets of 2" in fixed.out
    assert store_file.read_bytes() != before
    assert json.loads(gloss("check", "--json").out)["states"]["exact"] == 2
    source.write_text(
        source.read_text(encoding="utf-8").replace(QUOTE, "many delegates"), encoding="utf-8"
    )
    review = gloss("check")
    assert review.code == 1 and f"needs review: {annotated['first']}" in review.out
    assert listing(gloss, "--state", "orphaned")[0]["start"] is None


BROKEN = b'schema = 1\n\n[[annotation]]\nid = "x"\nstart = 1\n'


def test_broken_file_is_named_and_never_touched(
    annotated: dict[str, str], project_dir: Path, gloss: Gloss
) -> None:
    other = "002_02e842533f2f6168"
    broken = project_dir / "annotations" / f"{ART}.toml"
    broken.write_bytes(BROKEN)
    runs = [
        ("annotations",),
        ("annotations", "--json"),
        ("annotations", "--article", ART),
        ("check",),
        ("check", "--fix"),
        ("tags",),
        ("export", "--format", "w3c"),
        ("annotate", ART, "--quote", QUOTE),
        ("edit", annotated["first"], "--note", "x"),
        ("delete", annotated["first"]),
        ("undo",),
        ("tag", "rename", "headline", "title"),
    ]
    for args in runs:
        result = gloss(*args)
        assert result.code == 2, args
        assert f"{broken}:3:" in result.err or str(broken) in result.err, (args, result.err)
        assert "Traceback" not in result.err
        assert broken.read_bytes() == BROKEN, args
    # Other articles keep working.
    assert gloss("annotate", other, "--start", "0", "--end", "10").code == 0
    listed = gloss("annotations", "--json")
    assert listed.code == 2 and [i["article"] for i in json.loads(listed.out)] == [other]
    assert broken.read_bytes() == BROKEN


def test_reattach_an_orphan_and_accept_a_fuzzy_match(
    annotated: dict[str, str], project_dir: Path, gloss: Gloss
) -> None:
    source = project_dir / "seeds" / f"{ART}.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace(QUOTE, "348 Chinese counterpart"),
        encoding="utf-8",
    )
    ident = annotated["first"]
    assert listing(gloss, "--state", "fuzzy")[0]["text"] == "348 Chinese counterpart"
    accepted = json.loads(gloss("reattach", ident, "--json").out)
    assert (accepted["state"], accepted["exact"]) == ("exact", "348 Chinese counterpart")
    source.write_text(
        source.read_text(encoding="utf-8").replace("348 Chinese counterpart", "many"),
        encoding="utf-8",
    )
    orphaned = gloss("reattach", ident)
    assert orphaned.code == 2 and "orphaned" in orphaned.err
    moved = json.loads(
        gloss("reattach", ident, "--quote", "ExpoElectronica", "--occurrence", "2", "--json").out
    )
    assert (moved["state"], moved["exact"]) == ("exact", "ExpoElectronica")
    assert moved["note"] == "two\nlines" and moved["tags"] == ["actor/china"]
    assert "undid: re-attach" in gloss("undo").out


STORE_COMMANDS = [
    ("annotate", ART, "--quote", QUOTE),
    ("annotations",),
    ("annotations", "--article", ART),
    ("edit", "abcdef", "--tag", "x"),
    ("delete", "abcdef"),
    ("reattach", "abcdef"),
    ("undo",),
    ("redo",),
    ("tags",),
    ("tag", "rename", "a", "b"),
    ("tag", "describe", "a", "text"),
    ("check",),
    ("export", "--format", "md"),
]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_store_that_is_a_file_is_one_line_exit_2(
    project_dir: Path, gloss: Gloss, command: tuple[str, ...]
) -> None:
    store = project_dir / "afile"
    store.write_text("not a store\n")
    result = gloss("--annotations", str(store), *command)
    assert result.code == 2
    assert result.err == f"gloss: error: {store}: annotation store is not a folder\n"
    assert store.read_text() == "not a store\n"

    under = store / "sub"
    result = gloss("--annotations", str(under), *command)
    assert result.code == 2
    assert result.err.startswith(f"gloss: error: {under}: ")
    assert result.err.endswith(f"{store} is not a folder\n") and result.err.count("\n") == 1


WRITE_COMMANDS = [c for c in STORE_COMMANDS if c[0] in ("annotate", "undo", "redo", "tag")]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_store_that_cannot_be_created_is_one_line_exit_2(
    project_dir: Path, gloss: Gloss, command: tuple[str, ...]
) -> None:
    result = gloss("--annotations", "/proc/gloss-nope", *command)
    assert result.code == 2
    assert result.err.startswith(
        "gloss: error: /proc/gloss-nope: cannot create the annotation store: "
    )
    assert result.err.count("\n") == 1
    result = gloss("--annotations", "/proc/self", *command)
    assert result.code == 2
    assert result.err.startswith("gloss: error: /proc/")  # /proc/self resolved
    assert "/.gloss.lock: cannot lock the annotation store: " in result.err
    assert result.err.count("\n") == 1


def test_check_refuses_an_id_with_an_escape_or_a_path(
    annotated: dict[str, str], project_dir: Path, gloss: Gloss
) -> None:
    """Issue 17 F3: such an id passed `gloss check` (exit 0)."""
    store_file = project_dir / "annotations" / f"{ART}.toml"
    for bad in ("\\u001b[2J", "../../evil"):
        good = annotated["first"]
        text = store_file.read_text(encoding="utf-8").replace(f'"{good}"', f'"{bad}"')
        store_file.write_text(text, encoding="utf-8")
        before = store_file.read_bytes()
        result = gloss("check")
        assert result.code == 2
        (line,) = [x for x in result.err.splitlines() if "error:" in x]
        assert f"{store_file}:" in line and "'id' must be letters, digits" in line
        assert "\x1b" not in result.err + result.out
        assert store_file.read_bytes() == before
        store_file.write_text(text.replace(f'"{bad}"', f'"{good}"'), encoding="utf-8")


def test_an_article_deleted_from_disk_is_missing_not_orphaned(
    annotated: dict[str, str], project_dir: Path, gloss: Gloss
) -> None:
    """Issue 17 #11: check said plain "orphaned" for an article moved out of the corpus."""
    (project_dir / "seeds" / f"{ART}.txt").rename(project_dir / f"{ART}.txt")
    check = gloss("check")
    assert check.code == 1
    assert f"needs review: {annotated['first']}  {ART}  article missing  “" in check.out
    assert "restore it" in check.out and "re-attach an orphan" not in check.out
    assert json.loads(gloss("check", "--json").out)["states"]["missing"] == 2
    assert {i["state"] for i in listing(gloss, "--state", "missing")} == {"missing"}
    assert listing(gloss, "--state", "orphaned") == []
    table = gloss("annotations")
    assert table.code == 0 and "missing" in table.out
    exported = gloss("export", "--format", "csv", "--state", "missing").out
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [r["state"] for r in rows] == ["missing", "missing"]


def test_state_choices_are_the_models_states() -> None:
    from tui.cli.commands.annotations import STATE_CHOICES
    from tui.core.annotations.model import STATES

    assert STATE_CHOICES == STATES


def test_edit_in_a_broken_file_says_cannot_save(
    annotated: dict[str, str], project_dir: Path, gloss: Gloss
) -> None:
    store_file = project_dir / "annotations" / f"{ART}.toml"
    with store_file.open("a", encoding="utf-8") as handle:
        handle.write('[[annotation]\nid = "broken')
    before = store_file.read_bytes()
    result = gloss("edit", annotated["first"], "--note", "x")
    assert result.code == 2 and store_file.read_bytes() == before
    line = before.decode().count("\n")
    assert result.err == (
        f"gloss: error: cannot save: {store_file} is not valid TOML (line {line}): "
        "fix it and retry\n"
    )


def test_tags_are_listed_in_natural_order(project_dir: Path, gloss: Gloss) -> None:
    """Issue 17 #29: t0, t1, t10, t11, t2 (code-point order)."""
    for n in (10, 2, 0, 11, 1):
        assert (
            gloss("annotate", ART, "--start", str(n), "--end", str(n + 5), "--tag", f"t{n}").code
            == 0
        )
    listed = [row["name"] for row in json.loads(gloss("tags", "--json").out)]
    assert listed == ["t0", "t1", "t2", "t10", "t11"]
    table = gloss("tags").out.splitlines()[1:]
    assert [line.split()[0] for line in table] == listed
    book = (project_dir / "annotations" / "tags.toml").read_text()
    assert book.index("[tags.t10]") < book.index("[tags.t2]")  # the file's order stays diff-stable
