"""The annotations that need a person's look, and accepting where a fuzzy one was found.

Fuzzy (the text changed, a close match was found), orphaned (the passage is gone) or
missing (the article is gone): the library marks their articles, the app's review queue
lists them, ``gloss reattach ID`` accepts a fuzzy match as the app's review queue does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.annotations.anchoring import anchor
from tui.core.annotations.model import NEEDS_REVIEW, Anchored, Annotation, AnnotationError

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore, StoreScan
    from tui.core.corpus.load import Corpus
    from tui.core.models import Article


def needing_review(
    store: AnnotationStore, corpus: Corpus, scan: StoreScan | None = None
) -> dict[str, list[Anchored]]:
    """Per article, its annotations that are fuzzy, orphaned or missing, by position.

    Only articles whose text changed since an annotation was made are read (their body
    from the catalogue's hash): an unchanged article's annotations are exact, so a large
    corpus with a few edited articles reads those few.
    """
    scan = scan if scan is not None else store.scan()
    infos = corpus.catalogue.infos(sorted(scan.annotations))
    found: dict[str, list[Anchored]] = {}
    for article_id, stored in scan.annotations.items():
        info = infos.get(article_id)
        if info is not None and all(a.body_sha256 == info.sha256 for a in stored):
            continue
        review = [p for p in store.anchored_for(article_id, stored) if p.state in NEEDS_REVIEW]
        if review:
            found[article_id] = review
    return found


def accept_match(store: AnnotationStore, article: Article, annotation: Annotation) -> Annotation:
    """Re-attach a fuzzy annotation where it was found: its quote becomes today's text.

    An orphan has no match to accept: the error says to give the new passage.
    """
    placed = anchor(annotation, article.body, article.sha256)
    if placed.state == "orphaned" or placed.start is None or placed.end is None:
        raise AnnotationError(
            f"annotation {annotation.id} is orphaned: give the new passage "
            "with --quote or --start/--end"
        )
    return store.reattach(annotation.id, article, placed.start, placed.end)


__all__ = ["accept_match", "needing_review"]
