"""Which annotations a command works on: filters shared by list, check and export.

``--tag T`` means the tag and its whole subtree everywhere; annotations are re-anchored
against the current corpus (an article that is gone leaves its annotations orphaned).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tui.core.annotations.anchoring import anchor_all, orphan
from tui.core.annotations.model import Anchored, Annotation, State, has_tag
from tui.core.annotations.store import AnnotationStore, StoreScan
from tui.core.corpus.load import Corpus
from tui.core.errors import StoreFileError, UnknownArticleError
from tui.core.models import Article


@dataclass
class Selection:
    """Anchored annotations by article id then position, and the files that could not be read."""

    items: list[Anchored] = field(default_factory=list)
    articles: dict[str, Article] = field(default_factory=dict)
    problems: dict[str, StoreFileError] = field(default_factory=dict)

    def by_article(self) -> dict[str, list[Anchored]]:
        groups: dict[str, list[Anchored]] = {}
        for item in self.items:
            groups.setdefault(item.article, []).append(item)
        return groups

    def body(self, article_id: str) -> str | None:
        article = self.articles.get(article_id)
        return article.body if article else None

    def page(self, item: Anchored) -> int | None:
        """The page the annotation starts on, for paginated sources (PDF); else None."""
        article = self.articles.get(item.article)
        if article is None or item.start is None:
            return None
        return article.page_at(item.start)


def matches(annotation: Annotation, tags: Sequence[str]) -> bool:
    """No tag filter, or any of the tags (each with its subtree)."""
    return not tags or any(has_tag(annotation.tags, t) for t in tags)


def select(
    store: AnnotationStore,
    corpus: Corpus,
    article: str | None = None,
    tags: Sequence[str] = (),
    states: Iterable[State] = (),
) -> Selection:
    """Read, re-anchor and filter.

    With ``article``, only that file is read (and a broken one raises).
    """
    wanted = set(states)
    if article is not None:
        if article not in corpus.articles and not store.path_for(article).exists():
            raise UnknownArticleError(
                f"unknown article id '{article}': not in {corpus.root} "
                f"and no annotations in {store.root}"
            )
        scan = StoreScan()
        items = store.load(article)
        if items:
            scan.annotations[article] = items
    else:
        scan = store.scan()
    result = Selection(problems=dict(scan.problems))
    for article_id, stored in scan.annotations.items():
        chosen = [a for a in stored if matches(a, tags)]
        if not chosen:
            continue
        found = corpus.articles.get(article_id)
        if found is None:
            placed = [orphan(a) for a in chosen]
        else:
            result.articles[article_id] = found
            placed = anchor_all(chosen, found.body, found.sha256)
            placed.sort(key=lambda p: (p.start is None, p.start or 0, p.end or 0, p.id))
        result.items.extend(p for p in placed if not wanted or p.state in wanted)
    return result
