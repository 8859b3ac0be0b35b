"""Finding the corpus and store: flags, then environment, then gloss.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.errors import ProjectError
from tui.core.paths import data_dir
from tui.core.project import init_project, resolve_project


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "gloss.toml").write_text('corpus = "articles"\nannotations = "notes"\n')
    (tmp_path / "deep" / "er").mkdir(parents=True)
    return tmp_path


def test_project_file_found_from_a_subfolder(tree: Path) -> None:
    project = resolve_project(cwd=tree / "deep" / "er", env={})
    assert project.corpus == (tree / "articles").resolve()
    assert project.annotations == (tree / "notes").resolve()
    assert project.config_file == tree / "gloss.toml"


def test_environment_beats_the_project_file(tree: Path) -> None:
    env = {"GLOSS_CORPUS": str(tree / "other"), "GLOSS_ANNOTATIONS": str(tree / "a2")}
    project = resolve_project(cwd=tree, env=env)
    assert (project.corpus, project.annotations) == (tree / "other", tree / "a2")


def test_arguments_beat_the_environment(tree: Path) -> None:
    env = {"GLOSS_CORPUS": str(tree / "articles")}
    project = resolve_project(corpus=tree / "other", cwd=tree, env=env)
    assert project.corpus == tree / "other"
    assert project.annotations == (tree / "notes").resolve()  # still from gloss.toml


def test_outside_any_project_the_error_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ProjectError) as error:
        resolve_project(cwd=tmp_path, env={})
    assert "gloss init" in str(error.value) and "--corpus" in str(error.value)


def test_a_corpus_without_project_keeps_annotations_out_of_it(tmp_path: Path) -> None:
    project = resolve_project(corpus=tmp_path, cwd=tmp_path, env={})
    assert project.annotations.is_relative_to(data_dir())
    assert not project.annotations.is_relative_to(tmp_path)


def test_missing_corpus_folder_is_named(tree: Path) -> None:
    with pytest.raises(ProjectError, match="nope: corpus folder not found"):
        resolve_project(corpus=Path("nope"), cwd=tree, env={})


def test_broken_project_file_is_reported_and_untouched(tmp_path: Path) -> None:
    config = tmp_path / "gloss.toml"
    config.write_text("corpus = [oops\n")
    before = config.read_bytes()
    with pytest.raises(ProjectError, match="gloss.toml: not valid TOML"):
        resolve_project(cwd=tmp_path, env={})
    assert config.read_bytes() == before


def test_init_writes_a_project_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    written = init_project(tmp_path)
    project = resolve_project(cwd=tmp_path, env={})
    assert written == tmp_path / "gloss.toml"
    assert project.corpus == tmp_path.resolve()
    assert project.annotations == (tmp_path / "annotations").resolve()
    with pytest.raises(ProjectError, match="already exists"):
        init_project(tmp_path)


def test_init_checks_the_folders(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="folder not found"):
        init_project(tmp_path / "missing")
    with pytest.raises(ProjectError, match="corpus folder not found"):
        init_project(tmp_path, corpus="articles")
