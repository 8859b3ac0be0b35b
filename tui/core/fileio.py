"""Reading and writing files safely: the store's TOML, the op log, exports and caches.

Writing is atomic (temp file in the same folder, fsync, rename) so a reader or a crash never sees
half a file. An operating-system error (no such folder, a file where a folder should be,
permission denied) is a one-line :class:`PathError` naming the file or folder, never an
``OSError`` and never the name of an internal temp file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import tempfile
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
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreFileError(path, f"cannot read: {os_reason(exc)}") from None
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
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise PathError(path, f"cannot write: {os_reason(exc)}") from None
    try:
        # mkstemp makes the file private (0600); keep the mode a shared store expects.
        os.chmod(temp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise PathError(path, f"cannot write: {os_reason(exc)}") from None
        raise
    if durable:
        _fsync_folder(path.parent)


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
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise PathError(path, f"cannot remove: {os_reason(exc)}") from None
    _fsync_folder(path.parent)


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
