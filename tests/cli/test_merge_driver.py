"""The merge driver under real `git merge` runs, set up as `gloss init --git` says."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Gloss
from tui.core.annotations.articlefile import parse_annotations, parse_article_file
from tui.core.annotations.codebook import parse_codebook
from tui.core.annotations.store import AnnotationStore
from tui.core.annotations.tomlfile import parse
from tui.core.corpus.load import Corpus, load_corpus

ART = "000_1b8bce5c4f6c6391"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo.parent),
    }
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class Repo:
    """A project in git with the driver enabled, and a store per author to write with."""

    def __init__(self, root: Path, seeds: Path, gloss: Gloss) -> None:
        self.root = root
        shutil.copytree(seeds, root / "seeds")
        (root / "annotations").mkdir()
        (root / "annotations" / ".gitignore").write_text(".gloss-oplog.json\n.gloss.lock\n.*.tmp\n")
        git(root, "init", "-q", "-b", "main")
        result = gloss("init", str(root), "--corpus-dir", "seeds", "--git")
        assert result.code == 0, result.err
        config = result.out.strip().splitlines()[-1]
        assert config.startswith("git config merge.gloss.driver ")
        # The printed line, run as a user would paste it.
        subprocess.run(
            shlex.split(config), cwd=root, check=True, env={**os.environ, "HOME": str(root.parent)}
        )
        self.corpus: Corpus = load_corpus(root / "seeds")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "project")

    def store(self, author: str = "ana") -> AnnotationStore:
        return AnnotationStore(
            self.root / "annotations", articles=self.corpus.articles.get, author=author
        )

    def commit(self, message: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)

    def branch(self, name: str) -> None:
        git(self.root, "checkout", "-q", "-b", name)

    def checkout(self, name: str) -> None:
        git(self.root, "checkout", "-q", name)

    def merge(self, name: str) -> subprocess.CompletedProcess[str]:
        return git(self.root, "merge", "--no-edit", name, check=False)

    def annotations(self, article: str = ART):  # type: ignore[no-untyped-def]
        path = self.root / "annotations" / f"{article}.toml"
        return parse_annotations(path.read_text("utf-8"), path, article)


@pytest.fixture
def repo(tmp_path: Path, seeds_dir: Path, gloss: Gloss, monkeypatch: pytest.MonkeyPatch) -> Repo:
    # git runs the driver as a separate process: make sure it finds this Gloss.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return Repo(tmp_path / "project", seeds_dir, gloss)


def test_init_git_writes_the_attributes_line(repo: Repo) -> None:
    assert (repo.root / ".gitattributes").read_text() == "annotations/**/*.toml merge=gloss\n"
    check = git(
        repo.root,
        "check-attr",
        "merge",
        "annotations/x.toml",
        "annotations/a/b.toml",
        "annotations/tags.toml",
    )
    assert check.stdout.count(": merge: gloss") == 3
    assert (
        git(repo.root, "config", "merge.gloss.driver")
        .stdout.strip()
        .endswith("merge-driver %O %A %B %P")
    )


def base_with(repo: Repo) -> tuple[str, str]:
    article = repo.corpus.get(ART)
    a = repo.store().add(article, 100, 140, tags=["actor/china"], note="base note")
    b = repo.store().add(article, 300, 340, tags=["economy"])
    repo.commit("base")
    return a.id, b.id


def test_additions_on_both_branches_are_kept(repo: Repo) -> None:
    base_with(repo)
    article = repo.corpus.get(ART)
    repo.branch("ben")
    ben = repo.store("ben").add(article, 500, 520, tags=["actor/russia"])
    repo.commit("ben adds")
    repo.checkout("main")
    ana = repo.store("ana").add(article, 600, 620, tags=["tech"])
    repo.commit("ana adds")
    result = repo.merge("ben")
    assert result.returncode == 0, result.stdout + result.stderr
    ids = {a.id for a in repo.annotations()}
    assert {ben.id, ana.id} <= ids and len(ids) == 4
    assert "<<<<<<<" not in (repo.root / "annotations" / f"{ART}.toml").read_text()


def test_an_edit_on_one_branch_wins_beside_an_addition_on_the_other(repo: Repo) -> None:
    first, _ = base_with(repo)
    article = repo.corpus.get(ART)
    repo.branch("ben")
    repo.store("ben").edit(first, note="ben's better note")
    repo.commit("ben edits")
    repo.checkout("main")
    repo.store("ana").add(article, 600, 620, tags=["tech"])
    repo.commit("ana adds")
    assert repo.merge("ben").returncode == 0
    notes = {a.id: a.note for a in repo.annotations()}
    assert notes[first] == "ben's better note" and len(notes) == 3


def test_the_same_note_edited_on_both_branches_keeps_both(repo: Repo) -> None:
    first, _ = base_with(repo)
    repo.branch("ben")
    repo.store("ben").edit(first, note="ben says")
    repo.commit("ben edits")
    repo.checkout("main")
    repo.store("ana").edit(first, note="ana says")
    repo.commit("ana edits")
    result = repo.merge("ben")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 annotation changed differently on both sides: both kept" in result.stderr
    found = {a.note: a for a in repo.annotations()}
    assert found["ana says"].id == first and "conflict" not in found["ana says"].tags
    assert found["ben says"].id != first and found["ben says"].tags == ("actor/china", "conflict")


def test_deleted_on_one_branch_and_edited_on_the_other_keeps_the_edit(repo: Repo) -> None:
    first, second = base_with(repo)
    repo.branch("ben")
    repo.store("ben").edit(first, add_tags=["important"])
    repo.commit("ben edits")
    repo.checkout("main")
    repo.store("ana").delete(first)
    repo.commit("ana deletes")
    assert repo.merge("ben").returncode == 0
    kept = repo.annotations()
    assert [(a.id, a.tags) for a in kept] == [
        (first, ("actor/china", "important")),
        (second, ("economy",)),
    ]


def test_the_codebook_merges_by_tag(repo: Repo) -> None:
    base_with(repo)
    repo.branch("ben")
    repo.store("ben").set_tag("economy", description="Trade and money")
    repo.commit("ben describes")
    repo.checkout("main")
    repo.store("ana").set_tag("actor/china", description="The Chinese state", colour="#ff0000")
    repo.commit("ana describes")
    result = repo.merge("ben")
    assert result.returncode == 0, result.stdout + result.stderr
    path = repo.root / "annotations" / "tags.toml"
    text = path.read_text("utf-8")
    book = parse_codebook(text, parse(text, path), path)
    assert book.tags["economy"].description == "Trade and money"
    assert (book.tags["actor/china"].description, book.tags["actor/china"].colour) == (
        "The Chinese state",
        "#ff0000",
    )


def test_a_broken_file_fails_the_merge_and_is_left_as_it_was(repo: Repo) -> None:
    base_with(repo)
    path = repo.root / "annotations" / f"{ART}.toml"
    repo.branch("ben")
    path.write_text(path.read_text() + "\n[[annotation]\nbroken = \n")
    repo.commit("ben breaks the file")
    repo.checkout("main")
    repo.store("ana").add(repo.corpus.get(ART), 600, 620, tags=["tech"])
    repo.commit("ana adds")
    ours = path.read_bytes()
    result = repo.merge("ben")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("gloss: error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"gloss: error: annotations/{ART}.toml:")
    assert "not valid TOML" in errors[0] and "(their version, " in errors[0]
    assert f"CONFLICT (content): Merge conflict in annotations/{ART}.toml" in result.stdout
    assert path.read_bytes() == ours  # git leaves ours in place: nothing half-written


def memo_of(repo: Repo, article: str = ART) -> str:
    path = repo.root / "annotations" / f"{article}.toml"
    return parse_article_file(path.read_text("utf-8"), path, article).memo


def test_a_memo_set_on_one_branch_joins_an_annotation_added_on_the_other(repo: Repo) -> None:
    base_with(repo)
    repo.branch("ben")
    repo.store("ben").set_memo(ART, "Ben: check the trade figures.")
    repo.commit("ben writes a memo")
    repo.checkout("main")
    added = repo.store("ana").add(repo.corpus.get(ART), 600, 620, tags=["tech"])
    repo.commit("ana adds")
    result = repo.merge("ben")
    assert result.returncode == 0, result.stdout + result.stderr
    assert memo_of(repo) == "Ben: check the trade figures."
    assert added.id in {a.id for a in repo.annotations()}
    assert repo.store().memo(ART) == "Ben: check the trade figures."  # the store reads it


def memo_branches(repo: Repo, base: str, ben: str, ana: str) -> subprocess.CompletedProcess[str]:
    """The article's memo ``base`` on main, changed to ``ben`` on a branch and to ``ana``
    on main; then the branch merged into main."""
    base_with(repo)
    repo.store().set_memo(ART, base)
    repo.commit("memo")
    repo.branch("ben")
    repo.store("ben").set_memo(ART, ben)
    repo.commit("ben's memo")
    repo.checkout("main")
    repo.store("ana").set_memo(ART, ana)
    repo.commit("ana's memo")
    result = repo.merge("ben")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_memo_edited_on_both_branches_keeps_both_texts(repo: Repo) -> None:
    result = memo_branches(
        repo,
        "Shared memo.",
        "Shared memo.\nBen: sanctions angle.",
        "Shared memo.\nAna: energy angle.",
    )
    assert memo_of(repo) == (
        "Shared memo.\nAna: energy angle.\n\n"
        "(conflict: the other side wrote:) Shared memo.\nBen: sanctions angle."
    )
    assert "the memo changed differently on both sides: both kept" in result.stderr
    assert len(repo.annotations()) == 2


def test_a_memo_cleared_on_one_branch_and_edited_on_the_other_keeps_the_edit(
    repo: Repo,
) -> None:
    memo_branches(repo, "First thoughts.", "First thoughts, revised.", "")
    assert memo_of(repo) == "First thoughts, revised."
