"""W3C Web Annotation export: an ``AnnotationCollection`` in JSON-LD.

Each item targets its article with a TextQuoteSelector and a TextPositionSelector (both
on the normalised body, so ``body[start:end] == exact``), the note as a commenting
TextualBody and each tag as a tagging TextualBody. An orphaned annotation has no place
in the current text: it keeps only its TextQuoteSelector rather than point at the wrong
passage.

For a PDF source a third, alternative selector names the page, as the W3C model does
for PDF: a FragmentSelector conforming to RFC 3778 (``page=3``) refined by the quote on
that page. Each selector alone identifies the same passage.

An article's memo is an annotation whose target is the whole article (its IRI),
motivation ``commenting``, placed before that article's annotations.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from tui import __version__
from tui.core.annotations.model import CONTEXT_CHARS, Anchored, utc_now
from tui.core.annotations.selection import Selection

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"
"""The PDF fragment identifier spec the W3C model names for FragmentSelector on PDFs."""


def annotation_iri(annotation_id: str) -> str:
    return f"urn:gloss:annotation:{quote(annotation_id, safe='')}"


def article_iri(article_id: str) -> str:
    return f"urn:gloss:article:{quote(article_id, safe='/')}"


def to_w3c(item: Anchored, body: str | None, page: int | None = None) -> dict[str, Any]:
    """One Web Annotation for an anchored annotation (``body`` is its article's current body;
    ``page``: the PDF page the quote starts on)."""
    a = item.annotation
    bodies: list[dict[str, Any]] = []
    if a.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": a.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    bodies.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags)
    motivation = "commenting" if a.note else "tagging" if a.tags else "highlighting"
    if body is not None and item.start is not None and item.end is not None:
        # Quote what is there now (for fuzzy matches, the edited text).
        exact = body[item.start : item.end]
        prefix = body[max(0, item.start - CONTEXT_CHARS) : item.start]
        suffix = body[item.end : item.end + CONTEXT_CHARS]
        selectors: list[dict[str, Any]] = [
            _quote_selector(exact, prefix, suffix),
            {"type": "TextPositionSelector", "start": item.start, "end": item.end},
        ]
        if page is not None:
            selectors.append(
                {
                    "type": "FragmentSelector",
                    "conformsTo": PDF_FRAGMENT,
                    "value": f"page={page}",
                    "refinedBy": _quote_selector(exact, prefix, suffix),
                }
            )
    else:
        selectors = [_quote_selector(a.exact, a.prefix, a.suffix)]
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_iri(a.id),
        "type": "Annotation",
        "motivation": motivation,
    }
    if bodies:
        result["body"] = bodies
    result["target"] = {
        "type": "SpecificResource",
        "source": article_iri(a.article),
        "selector": selectors,
    }
    if a.author:
        result["creator"] = {"type": "Person", "name": a.author}
    if a.created:
        result["created"] = a.created
    if a.modified:
        result["modified"] = a.modified
    return result


def memo_iri(article_id: str) -> str:
    return f"urn:gloss:memo:{quote(article_id, safe='/')}"


def memo_to_w3c(article_id: str, memo: str) -> dict[str, Any]:
    """A memo as a Web Annotation commenting on the whole article."""
    return {
        "@context": CONTEXT,
        "id": memo_iri(article_id),
        "type": "Annotation",
        "motivation": "commenting",
        "body": [
            {"type": "TextualBody", "value": memo, "format": "text/plain", "purpose": "commenting"}
        ],
        "target": article_iri(article_id),
    }


def _quote_selector(exact: str, prefix: str, suffix: str) -> dict[str, Any]:
    selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return selector


def collection(selection: Selection, label: str = "Gloss annotations") -> dict[str, Any]:
    """The whole selection as one AnnotationCollection with a single embedded page."""
    groups = selection.by_article()
    items: list[dict[str, Any]] = []
    for article_id in selection.article_ids():
        memo = selection.memos.get(article_id)
        if memo:
            items.append(memo_to_w3c(article_id, memo))
        body = selection.body(article_id)
        items.extend(
            to_w3c(item, body, selection.page(item)) for item in groups.get(article_id, [])
        )
    memos = [memo_iri(a) for a in selection.article_ids() if selection.memos.get(a)]
    ids = "\n".join([item.id for item in selection.items] + memos)
    digest = hashlib.sha256(ids.encode("utf-8")).hexdigest()[:16]
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:gloss:collection:{digest}",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "generator": {"type": "Software", "name": f"Gloss {__version__}"},
        "generated": utc_now(),
    }
    if items:
        result["first"] = {"type": "AnnotationPage", "startIndex": 0, "items": items}
    return result
