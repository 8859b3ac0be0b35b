"""`gloss export -o`: the target is a file in an existing folder, or a one-line error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import Gloss

ART = "000_1b8bce5c4f6c6391"


@pytest.fixture
def annotated(project_dir: Path, gloss: Gloss) -> None:
    assert gloss("annotate", ART, "--quote", "348 Chinese counterparts").code == 0


def test_export_into_a_missing_folder_fails_and_creates_nothing(
    annotated: None, project_dir: Path, gloss: Gloss
) -> None:
    target = project_dir / "nonexistent" / "deeper" / "x.md"
    result = gloss("export", "--format", "md", "-o", str(target))
    assert result.code == 2 and result.out == ""
    assert result.err == (
        f"gloss: error: {target}: cannot write: folder {target.parent} does not exist\n"
    )
    assert not (project_dir / "nonexistent").exists()


@pytest.mark.parametrize("name", ["../", ".", "out", "out/"])
def test_export_to_a_folder_says_it_is_a_folder(
    annotated: None, project_dir: Path, gloss: Gloss, name: str
) -> None:
    (project_dir / "out").mkdir()
    before = sorted(os.listdir(project_dir))
    result = gloss("export", "--format", "csv", "-o", name)
    assert result.code == 2 and result.out == ""
    assert result.err == (
        f"gloss: error: {Path(name)}: it is a folder, not a file: give a file name\n"
    )
    assert sorted(os.listdir(project_dir)) == before
    assert os.listdir(project_dir / "out") == []


def test_export_under_a_file_names_the_file(
    annotated: None, project_dir: Path, gloss: Gloss
) -> None:
    blocker = project_dir / "afile"
    blocker.write_text("keep")
    result = gloss("export", "-o", str(blocker / "x.md"))
    assert result.code == 2
    assert (
        result.err == f"gloss: error: {blocker / 'x.md'}: cannot write: {blocker} is not a folder\n"
    )
    assert blocker.read_text() == "keep"


def test_export_replaces_a_file(annotated: None, project_dir: Path, gloss: Gloss) -> None:
    target = project_dir / "report.md"
    target.write_text("old")
    result = gloss("export", "-o", "report.md")
    assert result.code == 0, result.err
    assert "348 Chinese counterparts" in target.read_text(encoding="utf-8")


def test_an_unknown_tag_filter_is_named_on_stderr(gloss: Gloss, project_dir: Path) -> None:
    """Issue 17 #18: `--tag nosuchtag` gave `_No annotations._` with no hint."""
    assert gloss("annotate", ART, "--start", "0", "--end", "10", "--tag", "actor/china").code == 0
    book = project_dir / "annotations" / "tags.toml"
    exported = gloss("export", "--tag", "nosuchtag")
    assert (exported.code, exported.out) == (0, "# Annotations\n\n_No annotations._\n")
    assert exported.err == f"gloss: tag 'nosuchtag' is not in the codebook ({book})\n"
    listed = gloss("annotations", "--tag", "actro")
    assert (listed.code, listed.out) == (0, "no annotations\n")
    assert listed.err == (
        f"gloss: tag 'actro' is not in the codebook ({book}); did you mean 'actor'?\n"
    )
    for known in ("actor", "actor/china"):  # a parent or the tag itself: no warning
        assert gloss("export", "--tag", known).err == ""
    both = gloss("annotations", "--json", "--tag", "actor", "--tag", "nope")
    assert both.code == 0 and len(json.loads(both.out)) == 1 and "'nope'" in both.err
