"""Errors the CLI and the app report as one line, without a traceback."""

from __future__ import annotations

from pathlib import Path


class GlossError(Exception):
    """An error caused by the user's input or files, with a message fit for one line."""


class ProjectError(GlossError):
    """No corpus could be found, or the project file is unusable."""


class CorpusError(GlossError):
    """A corpus folder or one of its files cannot be read."""


class UnknownArticleError(GlossError):
    """An article id that is not in the corpus."""


class StoreFileError(GlossError):
    """A store file that does not parse or fails validation; it is left untouched."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class PathError(GlossError):
    """A file or folder that cannot be used (missing folder, not a folder, no permission)."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")
