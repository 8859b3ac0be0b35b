"""`kill -9` at every step of a write leaves the op log and the files agreeing (issue 17 F1, F2).

A child process runs a real `gloss undo` / `redo` / `annotate` and SIGKILLs itself just
before or just after its k-th file replace or unlink inside the store (k = 1, 2, ... up to
every step the command takes). The next opening of the store must show either the whole
change or none of it, with the op log saying the same, leave no temp file behind after
the next write, and every later undo and redo must work and give what an uninterrupted
run gives.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tui.core.annotations.oplog import read_oplog
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus

REPO = Path(__file__).resolve().parents[3]
A, B = "000_1b8bce5c4f6c6391", "001_6f77d67fd69055e2"

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    store = os.path.realpath(sys.argv[1])
    kill_at = int(sys.argv[2])
    steps = 0

    def step():
        global steps
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def hooked(real):
        def call(path, *args, **kwargs):
            inside = os.path.realpath(os.fsdecode(path)).startswith(store + os.sep)
            if inside:
                step()
            result = real(path, *args, **kwargs)
            if inside:
                step()
            return result
        return call

    os.replace = hooked(os.replace)
    os.unlink = hooked(os.unlink)
    from tui.cli import main

    code = main(sys.argv[3:])
    print(f"steps={steps}")
    sys.exit(code)
    """
)

# The history every trial starts from, then what each action of the walk does.
ACTIONS = ["undo"] * 6 + ["redo"] * 6


def _history(store: AnnotationStore, corpus: Corpus) -> None:
    a, b = corpus.get(A), corpus.get(B)

    def span(article: Any, quote: str) -> tuple[int, int]:
        at = article.body.index(quote)
        return at, at + len(quote)

    one = store.add(a, *span(a, "348 Chinese counterparts"), tags=["actor/china"], note="one")
    two = store.add(b, *span(b, b.body.split()[3]), tags=["actor/russia"])
    store.add(a, *span(a, "ExpoElectronica"), tags=["frame/trade"])
    store.edit(one.id, note="one, edited")
    store.rename_tag("actor", "party")
    store.delete(two.id)


def _state(root: Path, corpus: Corpus) -> tuple[Any, ...]:
    """Everything undo must restore, read by a fresh store, plus the op log's two stacks."""
    store = AnnotationStore(root, articles=corpus.articles.get)
    scan = store.scan()
    assert not scan.problems
    files = {
        article: sorted((x.id, x.exact, x.tags, x.note, x.modified) for x in items)
        for article, items in scan.annotations.items()
    }
    book = {name: info.to_record() for name, info in store.codebook().tags.items()}
    log = read_oplog(store.oplog_path)
    return files, book, [o.id for o in log.done], [o.id for o in log.undone]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REPO / "seeds")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    root = tmp_path_factory.mktemp("base") / "store"
    _history(AnnotationStore(root, articles=corpus.articles.get, author="ana"), corpus)
    return root


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, base: Path, corpus: Corpus
) -> list[tuple[Any, ...]]:
    """The state before the walk and after each of its actions, run without a kill."""
    root = tmp_path_factory.mktemp("reference") / "store"
    shutil.copytree(base, root)
    store = AnnotationStore(root, articles=corpus.articles.get)
    states = [_state(root, corpus)]
    for action in ACTIONS:
        getattr(store, action)()
        states.append(_state(root, corpus))
    return states


def _child(root: Path, kill_at: int, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(root),
            str(kill_at),
            "--corpus",
            str(REPO / "seeds"),
            "--annotations",
            str(root),
            *command,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _steps(root: Path, *command: str) -> int:
    run = _child(root, 0, *command)
    assert run.returncode == 0, run.stderr
    return int(run.stdout.rsplit("steps=", 1)[1])


def _temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*.tmp")]


def _prepare(base: Path, tmp: Path, corpus: Corpus, done: int) -> Path:
    """A copy of the base store with the first ``done`` actions of the walk made."""
    root = tmp / "store"
    shutil.copytree(base, root)
    store = AnnotationStore(root, articles=corpus.articles.get)
    for action in ACTIONS[:done]:
        getattr(store, action)()
    return root


def _check_walk(root: Path, corpus: Corpus, reference: list[Any], at: int) -> None:
    """After a kill during action ``at``: all or nothing, then the rest of the walk works."""
    AnnotationStore(root, articles=corpus.articles.get).recover()  # as the next open does
    assert not (root / ".gloss-pending.json").exists()
    state = _state(root, corpus)
    assert state in (reference[at], reference[at + 1]), "half a change is visible"
    position = at + 1 if state == reference[at + 1] else at
    store = AnnotationStore(root, articles=corpus.articles.get)
    for index in range(position, len(ACTIONS)):
        getattr(store, ACTIONS[index])()  # "was changed since" here was the bug
        assert _state(root, corpus) == reference[index + 1]
        assert not _temp_files(root), "a killed writer's temp file survived the next write"


# Action indexes into ACTIONS: undo of the delete (re-creates a file), undo of the tag
# rename (two files and the codebook), redo of the rename, redo of the delete (removes a file).
@pytest.mark.parametrize(
    "at", [0, 1, 10, 11], ids=["undo-delete", "undo-rename", "redo-rename", "redo-delete"]
)
def test_kill_at_every_step_of_undo_and_redo(
    tmp_path: Path, base: Path, corpus: Corpus, reference: list[Any], at: int
) -> None:
    probe = _prepare(base, tmp_path / "probe", corpus, at)
    steps = _steps(probe, ACTIONS[at])
    assert steps >= 6  # intent, log and at least one file, each before and after
    for kill_at in range(1, steps + 1):
        trial = tmp_path / f"kill{kill_at}"
        root = _prepare(base, trial, corpus, at)
        run = _child(root, kill_at, ACTIONS[at])
        assert run.returncode == -signal.SIGKILL, (kill_at, run.stderr)
        _check_walk(root, corpus, reference, at)


def test_kill_during_the_recovery_too(
    tmp_path: Path, base: Path, corpus: Corpus, reference: list[Any]
) -> None:
    """A second kill while the next process finishes the first one's change."""
    at = 1  # undo of the rename: the most files
    probe = _prepare(base, tmp_path / "probe", corpus, at)
    steps = _steps(probe, "undo")
    for kill_at in (steps // 2, steps - 3):
        trial = tmp_path / f"kill{kill_at}"
        root = _prepare(base, trial, corpus, at)
        assert _child(root, kill_at, "undo").returncode == -signal.SIGKILL
        assert (root / ".gloss-pending.json").exists()
        shutil.copytree(root, trial / "probe")
        count = _steps(trial / "probe", "annotations")  # opening the store finishes the change
        assert count >= 2
        for second in range(1, count + 1):
            again = trial / f"again{second}"
            shutil.copytree(root, again)
            assert _child(again, second, "annotations").returncode == -signal.SIGKILL
            _check_walk(again, corpus, reference, at)


def test_kill_at_every_step_of_a_new_annotation(tmp_path: Path, base: Path, corpus: Corpus) -> None:
    """An ordinary change is write-ahead too: killed, it is all there (and undoable) or absent."""
    quote = ("--quote", "ExpoElectronica", "--occurrence", "2")
    command = ("annotate", A, *quote, "--tag", "crash/test")
    steps = _steps(_prepare(base, tmp_path / "probe", corpus, 0), *command)
    before = _state(base, corpus)
    for kill_at in range(1, steps + 1):
        root = _prepare(base, tmp_path / f"kill{kill_at}", corpus, 0)
        assert _child(root, kill_at, *command).returncode == -signal.SIGKILL
        store = AnnotationStore(root, articles=corpus.articles.get)
        store.recover()
        files, _, done, undone = _state(root, corpus)
        made = [x for x in files.get(A, []) if x[2] == ("crash/test",)]
        if len(done) == len(before[2]):
            assert not made and files == before[0]
            continue
        assert len(made) == 1 and done[:-1] == before[2] and undone == []
        assert [c.key for c in read_oplog(store.oplog_path).done[-1].changes] == [made[0][0]]
        store.undo()
        assert _state(root, corpus)[0] == before[0]
        store.redo()
        assert [x for x in _state(root, corpus)[0][A] if x[2] == ("crash/test",)] == made
        assert not _temp_files(root)
