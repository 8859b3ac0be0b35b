"""A throwaway PostgreSQL cluster for the tests: a real server, never a mock.

``initdb`` in a temporary folder, ``pg_ctl start`` on a free loopback port (and a socket
in that folder), stopped and deleted at the end of the session. PostgreSQL refuses to
run as root: under root the cluster belongs to the ``postgres`` system user (which the
OS package creates) and its commands run through ``runuser``. Each pytest-xdist worker
starts its own cluster (about two seconds), so workers never share a database.

When no server can be started the tests that need one are skipped with the reason, and
fail instead when ``GLOSS_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "gloss"
DATABASE = "gloss"
REQUIRE = "GLOSS_REQUIRE_POSTGRES"


class NoServer(Exception):
    """Why no PostgreSQL server could be started here."""


def _binaries() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if not versions:
        raise NoServer("PostgreSQL is not installed (no initdb; apt-get install postgresql)")
    return Path(versions[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int
    owner: str | None
    """The system user that runs it when the tests run as root."""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, schema: str | None = None, database: str = DATABASE) -> str:
        tail = f"?schema={schema}" if schema else ""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}{tail}"

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def psql(self, sql: str, database: str = DATABASE) -> str:
        done = self.run(
            "psql", "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", str(self.port),
            "-U", USER, "-d", database, "-c", sql,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout.strip()

    def stop(self, keep: bool = False) -> None:
        """Stop the server; delete its folder unless ``keep`` (a benchmark's work folder)."""
        mode = "fast" if keep else "immediate"  # a kept cluster shuts down cleanly
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "120", "stop")
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(settings: str = "", folder: Path | None = None) -> Cluster:
    """Start a cluster (see the module docstring), or raise :class:`NoServer`;
    ``settings``: more ``-c name=value`` server settings (the benchmark's memory);
    ``folder``: where it lives instead of a temporary folder, its databases reused when
    a previous run left them there (the benchmark's ``--work``)."""
    binaries = _binaries()
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        try:
            account = pwd.getpwnam(owner)
        except KeyError:
            raise NoServer(
                "running as root and there is no 'postgres' user to run the server as "
                "(PostgreSQL refuses root): install the postgresql package"
            ) from None
        if shutil.which("runuser") is None:
            raise NoServer("running as root and runuser is not installed")
    kept = folder is not None
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="gloss-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        os.chown(folder, account.pw_uid, account.pw_gid)
    cluster = Cluster(binaries, folder, _free_port(), owner)
    reused = (cluster.data / "PG_VERSION").exists()
    try:
        for locale in ("C.UTF-8", "C"):
            if reused:
                break
            made = cluster.run(
                "initdb", "-D", str(cluster.data), "-A", "trust", "-U", USER, "-E", "UTF8",
                f"--locale={locale}", "--no-sync", "--no-instructions",
            )  # fmt: skip
            if made.returncode == 0:
                break
            shutil.rmtree(cluster.data, ignore_errors=True)
        else:
            raise NoServer(f"initdb failed: {made.stderr.strip()[-300:]}")
        options = (
            f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB "
            f"-c max_connections=50 {settings}"
        )
        started = cluster.run(
            "pg_ctl", "-D", str(cluster.data), "-l", str(folder / "log"), "-w", "-t", "60",
            "-o", options, "start",
        )  # fmt: skip
        if started.returncode:
            log = (folder / "log").read_text(errors="replace")[-500:]
            raise NoServer(f"the server did not start: {started.stderr.strip()} {log}")
        if not reused:
            cluster.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
            cluster.psql("CREATE EXTENSION pg_trgm; CREATE EXTENSION fuzzystrmatch")
    except BaseException:
        cluster.stop(keep=kept)
        raise
    return cluster
