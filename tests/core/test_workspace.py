"""The workspace keeps the open corpus true to the folder without re-reading it all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.core.recording import record_reads
from tui.core.errors import UnknownArticleError
from tui.core.project import resolve_project
from tui.core.workspace import Workspace

ID = "003_5a4e13669b936add"


def touch_later(path: Path, text: str) -> None:
    """Rewrite a file and move its mtime on, as an editor or a re-fetch would."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def workspace(project_dir: Path) -> Workspace:
    return Workspace(resolve_project(cwd=project_dir))


def test_article_is_reread_when_its_file_changes(workspace: Workspace) -> None:
    first = workspace.article(ID)
    assert workspace.article(ID) is first  # unchanged: no re-read
    touch_later(first.path, first.body.replace("The White House", "The administration"))
    fresh = workspace.article(ID)
    assert "The administration believes" in fresh.body and fresh.sha256 != first.sha256
    assert workspace.corpus.get(ID) is fresh


def test_reload_reads_only_what_changed(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = workspace.corpus
    version = before.version
    folder = workspace.project.corpus
    touch_later(folder / f"{ID}.txt", "Rewritten article text.\n")
    (folder / "new.txt").write_text("A new article.\n")
    (folder / "000_1b8bce5c4f6c6391.txt").unlink()
    reads = record_reads(monkeypatch, "tui.core.corpus.parse")
    after = workspace.reload_corpus()
    assert sorted(reads) == [ID, "new"]
    assert after.get(ID).body == "Rewritten article text.\n"
    assert "000_1b8bce5c4f6c6391" not in after.articles
    assert after.get("004_bb928d6639fb2ab5") is before.get("004_bb928d6639fb2ab5")
    # One corpus, kept up to date in place: its version says that it changed.
    assert workspace.corpus is after and after.version > version


def test_deleted_article_is_unknown(workspace: Workspace) -> None:
    path = workspace.article(ID).path
    path.unlink()
    with pytest.raises(UnknownArticleError):
        workspace.article(ID)


def test_the_corpus_as_last_seen_is_the_catalogue_until_the_folder_is_looked_at(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app paints these rows first; the look at the folder then brings the change."""
    assert Workspace(resolve_project(cwd=project_dir)).corpus_as_last_seen() is None  # new
    Workspace(resolve_project(cwd=project_dir)).corpus.catalogue.close()  # a first start
    path = project_dir / "seeds" / f"{ID}.txt"
    touch_later(path, "Zebras of Tallinn\n\nA new text.\n")
    workspace = Workspace(resolve_project(cwd=project_dir))
    reads = record_reads(monkeypatch, "tui.core.corpus.parse")
    seen = workspace.corpus_as_last_seen()
    assert seen is not None and len(seen) == 5 and reads == []
    assert seen.info(ID).title != "Zebras of Tallinn"  # as it was: nothing looked at yet
    version = seen.version
    assert workspace.corpus is seen and reads == [ID]
    assert seen.info(ID).title == "Zebras of Tallinn" and seen.version > version
    assert workspace.corpus_as_last_seen() is seen
