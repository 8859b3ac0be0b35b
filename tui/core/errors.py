"""Errors the CLI and the app report as one line, without a traceback."""

from __future__ import annotations


class GlossError(Exception):
    """An error caused by the user's input or files, with a message fit for one line."""


class ProjectError(GlossError):
    """No corpus could be found, or the project file is unusable."""


class CorpusError(GlossError):
    """A corpus folder or one of its files cannot be read."""


class UnknownArticleError(GlossError):
    """An article id that is not in the corpus."""
