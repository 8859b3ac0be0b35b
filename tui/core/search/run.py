"""Running a parsed query on a Whoosh searcher and turning its top hits into :class:`Hit`\\ s.

Split from :mod:`tui.core.search.index` (which owns freshness and the files) so this part
only reads: one searcher in, plain dataclasses out.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from tui.core.models import Span
from tui.core.ordering import sort_items
from tui.core.search.analysis import WORD_PATTERN, fold, is_cjk, stem
from tui.core.search.forms import Forms, WordPattern, Written, expand_patterns
from tui.core.search.hits import Hit, SearchCancelled, SearchResult
from tui.core.search.query import BODY_FIELDS, QueryError, phrases, positive_leaves
from tui.core.search.ranking import Ranking, RankingMemo, rank
from tui.core.search.spans import find_spans, make_snippet

SIMILAR_TERMS = 12
"""Key terms of an article that `similar` looks for in the others."""
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"})


def run_search(
    searcher: Searcher,
    text: str,
    parsed: wq.Query,
    limit: int,
    sort: str,
    cancelled: Callable[[], bool] | None,
    offset: int = 0,
    memo: RankingMemo | None = None,
) -> SearchResult:
    """Hits ranked ``offset`` to ``limit - 1`` with spans and snippets; a suggestion when
    nothing matches. ``memo`` keeps relevance rankings of this searcher for the next page.
    """
    check = _checker(cancelled, text)
    # Wildcards and fuzzy terms become the words as written they stand for, once for the
    # whole index (a bound on their number holds for the index, not for each segment).
    expanded = expand_patterns(parsed, searcher.reader())
    ranking = _ranking(searcher, parsed, expanded, check, memo)
    if sort == "score":
        page = ranking.page(offset, limit)
    else:
        # Reading the date or title of every match costs ~40 ms at 10k: once per query.
        ordered = memo.get((parsed, sort)) if memo is not None else None
        if ordered is None:
            ordered = _in_order(searcher, ranking, sort)
            if memo is not None:
                memo.put((parsed, sort), ordered)
        page = ordered.page(offset, limit)
    wanted, written = _expanded_terms(expanded, searcher)
    plan = phrases(expanded)
    hits: list[Hit] = []
    for score, docnum in page:
        check()
        hits.append(_hit(searcher.stored_fields(docnum), score, wanted, plan, written))
    total = len(ranking)
    suggestion = None if total else suggest(searcher, text)
    return SearchResult(query=text, hits=tuple(hits), total=total, suggestion=suggestion)


def _checker(cancelled: Callable[[], bool] | None, text: str) -> Callable[[], None]:
    def check() -> None:
        if cancelled is not None and cancelled():
            raise SearchCancelled(text)

    return check


def _ranking(
    searcher: Searcher,
    parsed: wq.Query,
    expanded: wq.Query,
    check: Callable[[], None],
    memo: RankingMemo | None,
) -> Ranking:
    """The ranking of ``expanded`` (``parsed`` with its patterns expanded), from the memo
    when this searcher made it already (kept under ``parsed``)."""
    ranking = memo.get(parsed) if memo is not None else None
    if ranking is None:
        ranking = rank(searcher, expanded, check)
        if memo is not None:
            memo.put(parsed, ranking)
    return ranking


def run_matching(
    searcher: Searcher,
    parsed: wq.Query,
    among: Iterable[str],
    cancelled: Callable[[], bool] | None,
    memo: RankingMemo | None,
    text: str = "",
) -> set[str]:
    """The article ids of ``among`` that ``parsed`` matches (unknown ids do not)."""
    expanded = expand_patterns(parsed, searcher.reader())
    matched = set(_ranking(searcher, parsed, expanded, _checker(cancelled, text), memo).docnums)
    found: set[str] = set()
    for article_id in among:
        docnum = searcher.document_number(id=article_id)
        if docnum is not None and docnum in matched:
            found.add(article_id)
    return found


def _in_order(searcher: Searcher, ranking: Ranking, sort: str) -> Ranking:
    """The matches in date or title order: :func:`sort_items`, as `gloss list` orders
    articles (ties in index order)."""
    reader = searcher.reader()
    titles = reader.column_reader("title_key")
    dates = reader.column_reader("recency")
    scores = dict(zip(ranking.docnums, ranking.scores, strict=True))
    rows = [_Row(docnum, dates[docnum] or None, titles[docnum]) for docnum in sorted(scores)]
    chosen = sort_items(rows, "date" if sort == "date" else "title")
    docnums = [row.docnum for row in chosen]
    return Ranking(array("q", docnums), array("d", map(scores.__getitem__, docnums)))


@dataclass(frozen=True, slots=True)
class _Row:
    """What :func:`sort_items` reads of an article, from the index's columns."""

    docnum: int
    date: int | None  # the day's ordinal: 0 in the column is undated
    title: str


def _expanded_terms(parsed: wq.Query, searcher: Searcher) -> tuple[set[str], set[str]]:
    """Body terms of the query's words (phrases apart), and the words as written that its
    wildcards and fuzzy terms stand for."""
    found: set[str] = set()
    written: set[str] = set()
    reader = searcher.reader()
    for leaf in positive_leaves(parsed):
        if isinstance(leaf, wq.Phrase) or leaf.field() not in BODY_FIELDS:
            continue
        if isinstance(leaf, Forms):
            written.update(leaf.forms)
            continue
        for _, term in leaf.expanded_terms(reader, phrases=False):
            found.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return found, written


def _hit(
    stored: dict[str, Any],
    score: float,
    wanted: set[str],
    plan: list[tuple[tuple[str, ...], int]],
    written: Collection[str] = (),
) -> Hit:
    text: str = stored.get("text", "")
    boilerplate: list[Span] = [(s, e) for s, e in stored.get("boilerplate", [])]
    # The terms the hit lacks simply have no occurrence, so no per-hit term list is needed
    # (asking Whoosh for one would make it visit every match).
    spans = find_spans(text, wanted, plan, boilerplate, written)
    snippet, snippet_spans = make_snippet(text, spans, boilerplate)
    date = stored.get("date")
    return Hit(
        id=stored["id"],
        title=stored.get("title", stored["id"]),
        source=stored.get("source"),
        date=date.date() if isinstance(date, dt.datetime) else None,
        score=score,
        snippet=snippet,
        snippet_spans=snippet_spans,
        spans=spans,
        author=stored.get("author"),
    )


def run_similar(searcher: Searcher, article_id: str, limit: int) -> SearchResult | None:
    """Articles sharing the most distinctive body terms of ``article_id`` (None: unknown id)."""
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return None
    stored = searcher.stored_fields(docnum)
    from tui.core.search.schema import blank

    boilerplate: list[Span] = [(s, e) for s, e in stored.get("boilerplate", [])]
    prose = blank(stored.get("text", ""), boilerplate, keep=False)
    keys = searcher.key_terms_from_text("body", prose, numterms=SIMILAR_TERMS)
    if not keys:
        return SearchResult(query=f"similar:{article_id}", hits=(), total=0)
    parsed = wq.Or([wq.Term("body", word, boost=weight) for word, weight in keys])
    results = searcher.search(parsed, limit=limit, mask={docnum}, optimize=False)
    wanted = {word for word, _ in keys}
    hits = tuple(_hit(found.fields(), found.score, wanted, []) for found in results)
    return SearchResult(query=f"similar:{article_id}", hits=hits, total=len(results))


def suggest(searcher: Searcher, text: str) -> str | None:
    """``text`` with each word the corpus never uses replaced by the closest word it does.

    Closeness is counted on words as written (as ``word~`` finds them), not on stems:
    the stem of "goverment" is ``gover``, one letter from "over".
    """
    reader = searcher.reader()
    pieces: list[str] = []
    last = 0
    changed = False
    for start, end, word in _plain_words(text):
        term = stem(word)
        if reader.doc_frequency("body", term) or reader.doc_frequency("title", term):
            continue
        if len(word) < 3:
            continue  # any short word is one letter from another: no useful hint
        # Two letters off is a typo in a long word but another word altogether in a short one.
        written = _closest(searcher, fold(word), 1 if len(word) < 6 else 2)
        if written is None:
            continue
        pieces.append(text[last:start])
        pieces.append(written.upper() if word.isupper() and len(word) > 1 else written)
        last = end
        changed = True
    if not changed:
        return None
    pieces.append(text[last:])
    return "".join(pieces)


def _closest(searcher: Searcher, folded: str, edits: int) -> str | None:
    """The body's word as written nearest ``folded`` (fewest edits, then most articles),
    lowercased, or None when none is within ``edits``."""
    from rapidfuzz.distance import Levenshtein

    reader = searcher.reader()
    try:
        near = WordPattern("body", folded, maxdist=edits, prefixlength=1).expand(reader)
    except QueryError:
        return None  # too many words that close: no useful hint either
    ranked = sorted(
        near.forms,
        key=lambda form: (
            Levenshtein.distance(form, folded),
            -reader.doc_frequency("body", stem(form)),
            form,
        ),
    )
    for form in ranked:
        alone = Forms(
            "body",
            (form,) if form in near.written else (),
            (form,) if form in near.own else (),
            tuple(item for item in near.others if item[0] == form),
        )
        for docnum in sorted(Written(alone).docnums(reader))[:1]:
            body = searcher.stored_fields(docnum).get("text", "")
            for found in WORD_PATTERN.finditer(body):
                if fold(found.group()) == form:
                    return found.group().lower()
    return None


def _plain_words(text: str) -> Iterable[tuple[int, int, str]]:
    """Words of the query that are text to look for: not operators, field names, dates or
    CJK (whose characters are found wherever they are written, so never misspelt)."""
    for found in WORD_PATTERN.finditer(text):
        word, start, end = found.group(), found.start(), found.end()
        after = text[end : end + 1]
        before = text[:start]
        if word in _OPERATORS or after in (":", "*", "?", "~") or word.isdigit() or is_cjk(word):
            continue
        if re.search(r"(?:date|tag|tags|annotated):[^\s]*$", before):
            continue
        if before.endswith(("*", "?")):
            continue
        yield start, end, word
