"""Fixtures every test layer shares: isolated user dirs, seed corpora, a CLI runner."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.postgres import REQUIRE, Cluster, NoServer, start_cluster
from tui.cli import main

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


_SESSION_HOME = Path(tempfile.mkdtemp(prefix="gloss-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    """Module-level code and module-scoped fixtures run before ``isolated_dirs``: they get
    a home of their own for the run too, never the real user's cache (a catalogue left
    there by another version of Gloss once failed a run)."""
    for name in ("CACHE", "CONFIG", "DATA"):
        os.environ[f"GLOSS_{name}"] = str(_SESSION_HOME / name.lower())


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads or writes the real user's cache, config or data, nor a real project."""
    home = tmp_path_factory.mktemp("home")
    for name in ("CACHE", "CONFIG", "DATA"):
        monkeypatch.setenv(f"GLOSS_{name}", str(home / name.lower()))
    for name in ("GLOSS_CORPUS", "GLOSS_ANNOTATIONS", "GLOSS_SEARCH", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


def _seed_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(SEEDS.rglob("*")):
        digest.update(path.name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


@pytest.fixture(autouse=True, scope="session")
def seeds_stay_untouched() -> Iterator[None]:
    """The bundled corpus is the demo and every test's fixture: no test may change it."""
    before = _seed_digest()
    yield
    assert _seed_digest() == before, "a test changed seeds/: copy the seeds before editing"


@pytest.fixture
def seeds_dir() -> Path:
    """The bundled corpus, read-only by convention: copy it before changing anything."""
    return SEEDS


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable project: a copy of the seeds, a gloss.toml, an empty store; cwd is set to it."""
    root = tmp_path / "project"
    shutil.copytree(SEEDS, root / "seeds")
    (root / "annotations").mkdir()
    (root / "gloss.toml").write_text('corpus = "seeds"\nannotations = "annotations"\n')
    monkeypatch.chdir(root)
    return root


@dataclass
class CliResult:
    code: int
    out: str
    err: str


Gloss = Callable[..., CliResult]
"""The ``gloss`` fixture: arguments in, exit status and output out."""


@pytest.fixture
def gloss(capsys: pytest.CaptureFixture[str]) -> Gloss:
    """Run the `gloss` command in-process: ``gloss("list", "--json")``."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A real PostgreSQL server for this test session (one per xdist worker)."""
    try:
        cluster = start_cluster()
    except NoServer as exc:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but no PostgreSQL server could be started: {exc}")
        pytest.skip(f"no PostgreSQL server could be started: {exc}")
    yield cluster
    cluster.stop()


_schemas = itertools.count()


@pytest.fixture
def pg_url(postgres_cluster: Cluster) -> str:
    """A search URL on the session's server, with a schema no other test uses."""
    return postgres_cluster.url(schema=f"t{os.getpid()}_{next(_schemas)}")
