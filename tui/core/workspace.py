"""One project's open state (corpus, and later annotation store and search index).

The CLI and the app both go through a Workspace so each is loaded once and in one way.
Feature modules add their own cached property here (``store``, ``index``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tui.core.corpus import Corpus, load_corpus
from tui.core.models import Article
from tui.core.project import Project

if TYPE_CHECKING:
    from tui.core.index import SearchIndex
    from tui.core.store import AnnotationStore


class Workspace:
    def __init__(self, project: Project) -> None:
        self.project = project

    @cached_property
    def corpus(self) -> Corpus:
        # The store may sit inside the corpus folder; its files are not articles.
        return load_corpus(self.project.corpus, exclude=[self.project.annotations])

    @cached_property
    def store(self) -> AnnotationStore:
        """The project's annotation store; writes re-anchor against the current corpus."""
        from tui.core.store import AnnotationStore  # rapidfuzz and filelock only when used

        return AnnotationStore(self.project.annotations, articles=self._article)

    @cached_property
    def index(self) -> SearchIndex:
        """The corpus's search index (in the user cache); ``refresh`` it, then ``search``."""
        from tui.core.index import SearchIndex  # Whoosh only when searching

        return SearchIndex.for_project(self.project, store=lambda: self.store)

    def _article(self, article_id: str) -> Article | None:
        return self.corpus.articles.get(article_id)

    def reload_corpus(self) -> Corpus:
        """Forget the cached corpus (files changed on disk) and read it again."""
        self.__dict__.pop("corpus", None)
        return self.corpus
