"""`gloss init --git`: the .gitattributes line, once, and the git config line to run."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Gloss


def test_init_git_on_an_existing_project_adds_the_line_once(
    project_dir: Path, gloss: Gloss
) -> None:
    (project_dir / ".gitattributes").write_text("*.png binary")
    result = gloss("init", ".", "--git")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "wrote .gitattributes"
    assert lines[-1].startswith("git config merge.gloss.driver ")
    assert lines[-1].endswith(" merge-driver %O %A %B %P'")
    assert (project_dir / ".gitattributes").read_text() == (
        "*.png binary\nannotations/**/*.toml merge=gloss\n"
    )
    again = gloss("init", ".", "--git")
    assert again.out.splitlines()[0] == "already set in .gitattributes"
    assert (project_dir / ".gitattributes").read_text().count("merge=gloss") == 1


def test_init_git_needs_the_store_inside_the_project(tmp_path: Path, gloss: Gloss) -> None:
    (tmp_path / "p").mkdir()
    result = gloss("init", str(tmp_path / "p"), "--store-dir", "../elsewhere", "--git")
    assert result.code == 2
    assert "the annotation store must be a folder inside" in result.err
    assert result.err.count("\n") == 1
    assert list((tmp_path / "p").iterdir()) == []  # refused before writing gloss.toml
