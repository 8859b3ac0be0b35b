"""Reading and writing files safely: the store's TOML, the op log, exports and caches.

Writing is atomic (temp file in the same folder, fsync, rename) so a reader or a crash never sees
half a file. Many files written together (:class:`AtomicBatch`) are synced several at a time
and each folder once, after all their renames, rather than one fsync after another. An
operating-system error (no such folder, a file where a folder should be, permission denied)
is a one-line :class:`PathError` naming the file or folder, never an ``OSError`` and never
the name of an internal temp file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tui.core.errors import PathError, StoreFileError


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in words (the file name is the caller's to give)."""
    if exc.errno == errno.EISDIR:
        return "it is a folder, not a file"
    return exc.strerror or str(exc)


def blocking_file(path: Path) -> Path | None:
    """The nearest of ``path`` and its parents that exists but is not a folder, if any."""
    for candidate in (path, *path.parents):
        try:
            info = candidate.stat()
        except OSError:
            continue
        return None if stat.S_ISDIR(info.st_mode) else candidate
    return None


def read_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist."""
    data = read_bytes(path)
    return None if data is None else utf8_text(data, path)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreFileError(path, f"cannot read: {os_reason(exc)}") from None


def utf8_text(data: bytes, path: Path) -> str:
    """``data`` (read from ``path``) as text; the line of the first bad byte if not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StoreFileError(path, "not UTF-8 text", line) from None


def write_atomic(
    path: Path, text: str | bytes, make_parents: bool = False, durable: bool = True
) -> None:
    """Replace ``path`` with ``text`` all at once (same-folder temp file, fsync, rename).

    The folder must exist unless ``make_parents`` (the store's sub-folders); an export
    never creates folders. A cache, which can be rebuilt, skips the fsyncs (``durable``).
    Failures raise :class:`PathError` naming ``path`` (or the folder at fault) and why,
    e.g. "out: it is a folder, not a file".
    """
    _check_target(path, make_parents)
    temp = _write_temp(path, text, durable)
    _rename(temp, path)
    if durable:
        _fsync_folder(path.parent)


SYNC_THREADS = 8
"""Temp files an :class:`AtomicBatch` writes and syncs at once: concurrent fsyncs share
the file system's journal commits (628 files: about twice as fast as one by one here)."""


class AtomicBatch:
    """Many atomic writes and removals made durable together, for a write-ahead caller.

    :meth:`write` and :meth:`remove` only check and record; :meth:`commit` writes every
    temp file and syncs it (several at once), then renames them over their targets (and
    unlinks the removed ones) in the order given, then syncs each folder once, and the
    parent of a folder made here, so a new folder's entry lasts too. One fsync per folder
    instead of one per file is what makes a batch of hundreds of files fast.

    Each file is still replaced atomically; a power cut before ``commit`` returns may
    undo any of the renames (never half of one), so a caller that needs all or nothing
    keeps its own record of the change (the store's intent) until then. A failure before
    the renames changes nothing (the temp files are deleted).
    """

    def __init__(self) -> None:
        self._steps: list[tuple[Path, bytes | None]] = []
        self._folders: dict[Path, None] = {}

    def write(self, path: Path, text: str | bytes, make_parents: bool = False) -> None:
        made = _missing_folders(path.parent) if make_parents else []
        _check_target(path, make_parents)
        self._steps.append((path, text.encode("utf-8") if isinstance(text, str) else text))
        self._folders[path.parent] = None
        for folder in made:
            self._folders[folder.parent] = None

    def remove(self, path: Path) -> None:
        self._steps.append((path, None))
        self._folders[path.parent] = None

    def commit(self, done: Callable[[Path], object] = lambda _path: None) -> None:
        """Make every change, calling ``done(path)`` as each target is replaced or removed."""
        temps = _write_temps([(path, data) for path, data in self._steps if data is not None])
        try:
            for path, data in self._steps:
                if data is None:
                    _unlink(path)
                else:
                    _rename(temps.pop(path), path)
                done(path)
        finally:
            for temp in temps.values():  # written but not renamed: a failure stopped it
                with contextlib.suppress(OSError):
                    os.unlink(temp)
        for folder in self._folders:
            _fsync_folder(folder)


def _write_temps(writes: list[tuple[Path, bytes]]) -> dict[Path, str]:
    """Each target's synced temp file, written several at a time; none left on failure."""
    if len(writes) <= 1:
        return {path: _write_temp(path, data, durable=True) for path, data in writes}
    temps: dict[Path, str] = {}
    with ThreadPoolExecutor(min(SYNC_THREADS, len(writes))) as pool:
        jobs = [(path, pool.submit(_write_temp, path, data, True)) for path, data in writes]
        try:
            for path, job in jobs:
                temps[path] = job.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            for _, job in jobs:
                if job.done() and not job.cancelled() and job.exception() is None:
                    with contextlib.suppress(OSError):
                        os.unlink(job.result())
            raise
    return temps


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, nearest first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing


def _write_temp(path: Path, text: str | bytes, durable: bool) -> str:
    """A temp file beside ``path`` holding ``text`` (synced if ``durable``); its name."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise PathError(path, f"cannot write: {os_reason(exc)}") from None
    with _no_temp_left(temp, path):
        # mkstemp makes the file private (0600); keep the mode a shared store expects.
        os.chmod(temp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
    return temp


def _rename(temp: str, path: Path) -> None:
    with _no_temp_left(temp, path):
        os.replace(temp, path)


@contextlib.contextmanager
def _no_temp_left(temp: str, path: Path) -> Iterator[None]:
    """On any failure the temp file goes, and an OSError is a PathError naming ``path``."""
    try:
        yield
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise PathError(path, f"cannot write: {os_reason(exc)}") from None
        raise


TEMP_SUFFIX = ".tmp"
"""``write_atomic``'s temp files are ``.<name>.<random>.tmp`` beside their target."""


def is_temp_name(name: str) -> bool:
    """Whether a file name is one of ``write_atomic``'s temp files (never a real file)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX) and name.count(".") >= 3


def remove_stale_temps(folder: Path, older_than_ns: int) -> int:
    """Delete temp files a killed writer left in ``folder``; how many. Never raises.

    Only for a folder whose writers all hold one lock, called by its holder: a temp
    file older than the moment the lock was taken belongs to nobody alive.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and (
                entry.stat(follow_symlinks=False).st_mtime_ns < older_than_ns
            ):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _check_target(path: Path, make_parents: bool) -> None:
    """Refuse a folder, a missing folder (unless made here) or a file in place of a folder."""
    if not path.name or path.name in (".", ".."):
        raise PathError(path, "it is a folder, not a file: give a file name")
    try:
        if stat.S_ISDIR(path.stat().st_mode):
            raise PathError(path, "it is a folder, not a file: give a file name")
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise PathError(path, f"cannot write: {os_reason(exc)}") from None
    folder = path.parent
    blocker = blocking_file(folder)
    if blocker is not None:
        raise PathError(path, f"cannot write: {blocker} is not a folder")
    if make_parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PathError(folder, f"cannot create the folder: {os_reason(exc)}") from None
    elif not folder.is_dir():
        raise PathError(path, f"cannot write: folder {folder} does not exist")


def _mode_for(path: Path) -> int:
    """The existing file's permissions, else what a plain ``open`` would give (umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return shared_mode()


def shared_mode() -> int:
    """Read-write for whoever the umask allows: analysts sharing a folder share its files."""
    return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    """Read once: setting it to read it is process-wide, so not something to do per write."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def remove(path: Path) -> None:
    _unlink(path)
    _fsync_folder(path.parent)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise PathError(path, f"cannot remove: {os_reason(exc)}") from None


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; not every platform lets a folder be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
