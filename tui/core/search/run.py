"""Running a parsed query on a Whoosh searcher and turning a page of hits into :class:`Hit`\\ s.

Split from :mod:`tui.core.search.index` (which owns freshness and the files) so this part
only reads: one searcher and the corpus in, plain dataclasses out. The index stores only
each article's id: a hit's title, date and source come from the catalogue, its spans and
snippet from its body, read for the hits of the page only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from tui.core.errors import GlossError
from tui.core.models import Article, ArticleInfo
from tui.core.search.analysis import WORD_PATTERN, fold, is_cjk, stem
from tui.core.search.forms import Forms, WordPattern, Written, expand_patterns
from tui.core.search.hits import Hit, SearchCancelled, SearchResult
from tui.core.search.query import BODY_FIELDS, QueryError, phrases, positive_leaves
from tui.core.search.ranking import Ranking, RankingMemo, rank
from tui.core.search.spans import find_spans, make_snippet

if TYPE_CHECKING:
    from tui.core.corpus.load import Corpus

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
    corpus: Corpus | None = None,
) -> SearchResult:
    """Hits ranked ``offset`` to ``limit - 1`` with spans and snippets; a suggestion when
    nothing matches. ``memo`` keeps relevance rankings of this searcher for the next page.
    """
    assert corpus is not None, "hits are built from the corpus"
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
    ids = [searcher.stored_fields(docnum)["id"] for _, docnum in page]
    infos = corpus.catalogue.infos(ids)
    hits: list[Hit] = []
    for (score, _), key in zip(page, ids, strict=True):
        check()
        info = infos.get(key)
        if info is not None:
            hits.append(make_hit(corpus, info, score, wanted, plan, written))
    total = len(ranking)
    suggestion = None if total else suggest(searcher, text, corpus)
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
    matched = set(
        _ranking(searcher, parsed, expanded, _checker(cancelled, text), memo).docnums.tolist()
    )
    found: set[str] = set()
    for article_id in among:
        docnum = searcher.document_number(id=article_id)
        if docnum is not None and docnum in matched:
            found.add(article_id)
    return found


def _in_order(searcher: Searcher, ranking: Ranking, sort: str) -> Ranking:
    """The matches in date or title order, as :func:`~tui.core.ordering.sort_items` orders
    `gloss list` (dates newest first, undated last by title; titles A-Z case-folded; ties
    in index order)."""
    by_docnum = np.argsort(ranking.docnums, kind="stable")
    docnums, scores = ranking.docnums[by_docnum], ranking.scores[by_docnum]
    if sort == "date":
        dates = _column(searcher, "recency", ">i4", np.int64(0))[docnums]
        dated = dates != 0
        order = np.flatnonzero(dated)[np.argsort(-dates[dated], kind="stable")]
        undated = np.flatnonzero(~dated)
        if len(undated):
            titles = _titles(searcher, docnums[undated])
            order = np.concatenate([order, undated[_title_order(titles)]])
    else:
        order = _title_order(_titles(searcher, docnums))
    return Ranking(docnums[order], scores[order])


def _column(searcher: Searcher, name: str, dtype: str, default: Any) -> np.ndarray[Any, Any]:
    """A numeric column's value for every document of the searcher, segment after segment."""
    from tui.core.search.postings import column_array

    parts = []
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        if reader.has_column(name):
            column = reader.column_reader(name, translate=False)
            parts.append(column_array(column, count, dtype))
        else:
            parts.append(np.full(count, default))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _titles(searcher: Searcher, docnums: np.ndarray[Any, Any]) -> list[bytes]:
    """The case-folded titles (UTF-8, which sorts as the text does) of these documents,
    from the index's sortable title column, read a segment at a time."""
    keys: list[bytes] = []
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        column = reader.column_reader("title_key", translate=False) if count else None
        lengths = getattr(column, "_lengths", None)
        if column is None or lengths is None:  # another column type: one value at a time
            keys.extend(_as_bytes(column[d]) if column else b"" for d in range(count))
            continue
        offsets = column._offsets
        blob = column._dbfile.get(column._basepos, sum(lengths))
        keys.extend(
            blob[start : start + length] for start, length in zip(offsets, lengths, strict=True)
        )
    return [keys[docnum] for docnum in docnums.tolist()]


def _as_bytes(value: object) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _title_order(titles: list[bytes]) -> np.ndarray[Any, Any]:
    """Positions of ``titles`` in A-Z order, ties in the order given (a stable C sort)."""
    if not titles:
        return np.zeros(0, dtype=np.int64)
    return np.argsort(np.array(titles, dtype=object), kind="stable").astype(np.int64)


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


def make_hit(
    corpus: Corpus,
    info: ArticleInfo,
    score: float,
    wanted: set[str],
    plan: list[tuple[tuple[str, ...], int]],
    written: Collection[str] = (),
) -> Hit:
    """One hit: its body read now, for the spans and the snippet (none if it is gone)."""
    try:
        article = corpus.get(info.id)
    except GlossError:
        text, boilerplate = "", []
    else:
        text, boilerplate = article.body, list(article.boilerplate)
    # The terms the hit lacks simply have no occurrence, so no per-hit term list is needed.
    spans = find_spans(text, wanted, plan, boilerplate, written)
    snippet, snippet_spans = make_snippet(text, spans, boilerplate)
    return Hit(
        id=info.id,
        title=info.title,
        source=info.source,
        date=info.date,
        score=score,
        snippet=snippet,
        snippet_spans=snippet_spans,
        spans=spans,
        author=info.author,
    )


def run_similar(
    searcher: Searcher, article: Article, limit: int, corpus: Corpus
) -> SearchResult | None:
    """Articles sharing the most distinctive body terms of ``article`` (None: not indexed)."""
    docnum = searcher.document_number(id=article.id)
    if docnum is None:
        return None
    from tui.core.search.schema import blank

    prose = blank(article.body, list(article.boilerplate), keep=False)
    keys = searcher.key_terms_from_text("body", prose, numterms=SIMILAR_TERMS)
    if not keys:
        return SearchResult(query=f"similar:{article.id}", hits=(), total=0)
    parsed = wq.Or([wq.Term("body", word, boost=weight) for word, weight in keys])
    results = searcher.search(parsed, limit=limit, mask={docnum}, optimize=False)
    wanted = {word for word, _ in keys}
    found = [(hit.fields()["id"], hit.score) for hit in results]
    infos = corpus.catalogue.infos([key for key, _ in found])
    hits = tuple(
        make_hit(corpus, infos[key], score, wanted, []) for key, score in found if key in infos
    )
    return SearchResult(query=f"similar:{article.id}", hits=hits, total=len(results))


def suggest(searcher: Searcher, text: str, corpus: Corpus | None = None) -> str | None:
    """``text`` with each word the corpus never uses replaced by the closest word it does.

    Closeness is counted on words as written (as ``word~`` finds them), not on stems:
    the stem of "goverment" is ``gover``, one letter from "over".
    """
    reader = searcher.reader()

    def known(term: str) -> bool:
        return bool(reader.doc_frequency("body", term) or reader.doc_frequency("title", term))

    return suggest_words(
        text, known, lambda folded, edits: _closest(searcher, folded, edits, corpus)
    )


def suggest_words(
    text: str, known: Callable[[str], bool], closest: Callable[[str, int], str | None]
) -> str | None:
    """ "Did you mean", for any engine: ``text`` with each word whose stem is not ``known``
    replaced by ``closest(folded word, edits)``, the nearest word an article writes (1
    edit for a short word, 2 for a long one); None when nothing changed."""
    pieces: list[str] = []
    last = 0
    changed = False
    for start, end, word in _plain_words(text):
        if known(stem(word)):
            continue
        if len(word) < 3:
            continue  # any short word is one letter from another: no useful hint
        # Two letters off is a typo in a long word but another word altogether in a short one.
        written = closest(fold(word), 1 if len(word) < 6 else 2)
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


def _closest(searcher: Searcher, folded: str, edits: int, corpus: Corpus | None) -> str | None:
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
            if corpus is None:
                return form
            try:
                body = corpus.get(searcher.stored_fields(docnum)["id"]).body
            except GlossError:
                continue
            found = written_in(body, form)
            if found is not None:
                return found
    return None


def written_in(text: str, form: str) -> str | None:
    """How ``text`` writes a word whose folded form is ``form`` (lowercased), if it does."""
    for found in WORD_PATTERN.finditer(text):
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
