"""Which annotations a command works on: filters shared by list, check and export.

``--tag T`` means the tag and its whole subtree everywhere; annotations are re-anchored
against the current corpus (an article that is gone leaves its annotations ``missing``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

from tui.core.annotations.anchoring import anchor_all, missing
from tui.core.annotations.codebook import Codebook
from tui.core.annotations.model import (
    Anchored,
    Annotation,
    State,
    has_tag,
    tag_matches,
    with_ancestors,
)
from tui.core.annotations.store import AnnotationStore, StoreScan
from tui.core.corpus.load import Corpus
from tui.core.errors import GlossError, StoreFileError, UnknownArticleError
from tui.core.models import Article


@dataclass
class Selection:
    """Anchored annotations by article id then position, and the files that could not be read.

    ``memos`` are the memos exported with their articles: those of the selected
    articles, and with no tag or state filter also those of articles with only a memo
    (their articles are in ``articles`` too). ``codebook`` describes the tags, for a
    report (the caller sets it: reading it is not needed to list annotations).
    """

    items: list[Anchored] = field(default_factory=list)
    articles: dict[str, Article] = field(default_factory=dict)
    problems: dict[str, StoreFileError] = field(default_factory=dict)
    memos: dict[str, str] = field(default_factory=dict)
    codebook: Codebook = field(default_factory=Codebook)
    unknown_tags: list[str] = field(default_factory=list)
    """``--tag`` filters no codebook entry and no annotation has (a typo, most likely)."""

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

    def article_ids(self) -> list[str]:
        """Every article the selection holds (an annotation or a memo), in id order."""
        return sorted({item.article for item in self.items} | set(self.memos))

    def only(self, articles: Collection[str]) -> Selection:
        """The part of the selection in ``articles`` (e.g. those matching a query)."""
        keep = set(articles)
        return replace(
            self,
            items=[item for item in self.items if item.article in keep],
            articles={k: v for k, v in self.articles.items() if k in keep},
            memos={k: v for k, v in self.memos.items() if k in keep},
        )


def matches(annotation: Annotation, tags: Sequence[str]) -> bool:
    """No tag filter, or any of the tags (each with its subtree)."""
    return not tags or any(has_tag(annotation.tags, t) for t in tags)


def _unknown(store: AnnotationStore, scan: StoreScan, tags: Sequence[str]) -> list[str]:
    if not tags:
        return []
    try:
        names = set(store.codebook().names())
    except GlossError:
        return []  # a broken codebook is reported by whoever reads it
    names.update(t for a in scan for t in a.tags)
    return [t for t in tags if not any(tag_matches(t, name) for name in names)]


def unknown_tag_message(tag: str, store: AnnotationStore) -> str:
    """``tag 'x' is not in the codebook``, with the closest tag when there is one."""
    import difflib

    try:
        names = store.codebook().names()
    except GlossError:
        names = []
    close = difflib.get_close_matches(tag, with_ancestors(names), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"tag {tag!r} is not in the codebook ({store.codebook_path}){hint}"


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
        memo = store.memo(article)
        memos = {article: memo} if memo else {}
    else:
        scan = store.scan()
        memos = scan.memos
    result = Selection(problems=dict(scan.problems), unknown_tags=_unknown(store, scan, tags))
    for article_id, stored in scan.annotations.items():
        chosen = [a for a in stored if matches(a, tags)]
        if not chosen:
            continue
        found = corpus.articles.get(article_id)
        if found is None:
            placed = [missing(a) for a in chosen]
        else:
            result.articles[article_id] = found
            placed = anchor_all(chosen, found.body, found.sha256)
            placed.sort(key=lambda p: (p.start is None, p.start or 0, p.end or 0, p.id))
        result.items.extend(p for p in placed if not wanted or p.state in wanted)
    selected = {item.article for item in result.items}
    unfiltered = not tags and not wanted
    result.memos = {k: v for k, v in memos.items() if k in selected or unfiltered}
    for article_id in result.memos:
        found = corpus.articles.get(article_id)
        if found is not None:
            result.articles.setdefault(article_id, found)
    return result
