""":class:`PostgresIndex`: the search backend the CLI and the app use when ``gloss.toml``
names a PostgreSQL server (``search = "postgresql://..."``).

It answers the same calls as the Whoosh :class:`~tui.core.search.index.SearchIndex`
(``refresh``, ``search``, ``matching``, ``similar``) with the same results: the query is
parsed by Gloss's parser (same errors), translated to SQL (:mod:`.translate`), and each
hit of the page asked for gets its spans and snippet from its body, read on demand from
the local corpus exactly as with Whoosh (``body[start:end]`` is the match). Hit totals
are exact (``count(*)``).

Only ``gloss index`` writes (``refresh(publish=True)``): the database is shared, and the
app or a search of one analyst must not overwrite the rows another's run loaded. A plain
``refresh`` brings the local catalogue up to date and touches no server, so the app
starts even when the server is down; the first search then says why it cannot run,
in one line naming the host, within the timeouts of :mod:`.connect`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import GlossError, UnknownArticleError
from tui.core.search.analysis import stem
from tui.core.search.backend import LocalCorpus
from tui.core.search.forms import MAX_FORMS
from tui.core.search.hits import Hit, RefreshReport, SearchCancelled, SearchResult
from tui.core.search.pg.connect import (
    SEARCH_TIMEOUT,
    SearchDatabaseError,
    Target,
    connect,
    failure,
)
from tui.core.search.pg.fields import CODES, FORM_TAGS, quote
from tui.core.search.pg.schema import FORMAT
from tui.core.search.pg.translate import (
    DATED_ROWS,
    MAX_EXPANSION,
    RANK_WEIGHTS,
    Translation,
    Translator,
)

if TYPE_CHECKING:
    import psycopg
    from whoosh import query as wq

    from tui.core.annotations.store import AnnotationStore
    from tui.core.corpus.load import Corpus
    from tui.core.project import Project

SORTS = ("score", "date", "title")
IDLE_CONNECTIONS = 2
SESSION = "-c jit=off -c work_mem=64MB -c enable_seqscan=off"
"""JIT compiling a search's plan costs more than running it; 64 MB keeps the bitmaps of
a million matches exact (a lossy bitmap re-reads every row's word list); and the planner
does not know that testing ``doc`` on a row reads (and decompresses) kilobytes, so a seq
scan is only its last resort (a NOT over positions, which needs every row anyway)."""
RANK = f"ts_rank('{RANK_WEIGHTS}', a.rank_tsv, %s::tsquery)"
"""Ranking: PostgreSQL's ts_rank over the small ranking vector with Whoosh's field boosts
as weights, each further occurrence of a word counting less (BM25-like saturation)."""
CHECK_EVERY = 30.0
"""Seconds a connection trusts the tables' format before checking it again."""
_ORDER = {
    "score": "{m}.score DESC, {m}.words NULLS LAST, {m}.id",
    "date": "{m}.date IS NULL, {m}.date DESC, {m}.title_key, {m}.id",
    "title": "{m}.title_key, {m}.id",
}
"""Each sort's order over the matches ``{m}`` (ties broken as Whoosh's searches do)."""
_KEYS = {"score": ("words",), "date": ("date", "title_key"), "title": ("title_key",)}
"""The columns besides ``id`` (and ``score``) each sort orders the matches by."""
Cancelled = Callable[[], bool]
StoreFactory = Callable[[], "AnnotationStore"]


class PostgresIndex(LocalCorpus):
    """The search tables of one corpus on a PostgreSQL server (see the module docstring)."""

    def __init__(
        self,
        url: str,
        corpus_root: Path,
        exclude: Sequence[Path] = (),
        annotations: Path | None = None,
        store: StoreFactory | None = None,
        corpus: Corpus | None = None,
        options: ReadOptions = DEFAULT_OPTIONS,
        timeout: float = SEARCH_TIMEOUT,
    ) -> None:
        super().__init__(corpus_root, exclude, corpus, options)
        self.target = Target.parse(url)
        self.annotations = annotations
        self.timeout = timeout
        self._store_factory = store
        self._lock = threading.Lock()
        self._idle: list[psycopg.Connection[Any]] = []
        self._checked: dict[int, float] = {}
        self._articles = 0
        self._split = False
        """Whether some long article keeps its word pairs in its chunks only."""
        self._partitioned = False
        """Whether ``articles`` is partitioned by year: then a date range beside words
        always names the date column as it is, which is what prunes the other years'
        partitions (and in a year's partition a range of the whole year is no reason for
        the planner to start from the date index)."""

    @classmethod
    def for_project(
        cls,
        project: Project,
        store: StoreFactory | None = None,
        corpus: Corpus | None = None,
    ) -> PostgresIndex:
        assert project.search is not None
        return cls(
            project.search,
            project.corpus,
            exclude=[project.annotations],
            annotations=project.annotations,
            store=store,
            corpus=corpus,
            options=project.read_options,
        )

    @property
    def location(self) -> str:
        """Where the index is, for ``gloss info`` and ``gloss index --json`` (no password)."""
        return self.target.url

    # -- freshness ---------------------------------------------------------------------

    def refresh(
        self,
        corpus: Corpus | None = None,
        rebuild: bool = False,
        progress: Callable[[int, int], None] | None = None,
        publish: bool = False,
    ) -> RefreshReport:
        """Bring the local catalogue up to date; with ``publish`` (``gloss index``) also load
        what changed into the database, waiting for another writer if one is at work."""
        started = time.perf_counter()
        corpus = self._refreshed(corpus)
        if not publish:
            return RefreshReport(
                unchanged=len(corpus),
                seconds=time.perf_counter() - started,
                problems={key: str(problem) for key, problem in corpus.problems.items()},
            )
        from tui.core.search.notes import open_store
        from tui.core.search.pg.sync import publish as load

        waited: list[float] = []
        report = load(
            self.target,
            corpus,
            open_store(self.annotations, self._store_factory),
            rebuild=rebuild,
            progress=progress,
            waiting=lambda: waited.append(time.perf_counter()),
        )
        self._checked.clear()
        notices = report.notices
        if waited:
            notices += (
                f"waited {time.perf_counter() - waited[0]:.0f} s for another gloss index "
                f"writing to {self.target.where}",
            )
        from dataclasses import replace

        return replace(report, notices=notices, seconds=time.perf_counter() - started)

    # -- connections -------------------------------------------------------------------

    @contextmanager
    def _connection(self, doing: str) -> Iterator[psycopg.Connection[Any]]:
        """A checked connection (kept for the next call); database errors as one line."""
        import psycopg

        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = connect(self.target, self.timeout, "gloss", SESSION)
        healthy = False
        try:
            self._check(conn)
            yield conn
            healthy = True
        except psycopg.Error as exc:
            raise failure(self.target, exc, doing) from None
        finally:
            keep = healthy and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
            with self._lock:
                if keep and len(self._idle) < IDLE_CONNECTIONS:
                    self._idle.append(conn)
                    conn = None
            if conn is not None:
                self._checked.pop(id(conn), None)
                conn.close()

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """The tables exist and this Gloss made them (checked every :data:`CHECK_EVERY` s)."""
        import psycopg

        now = time.monotonic()
        if now - self._checked.get(id(conn), -math.inf) < CHECK_EVERY:
            return
        s = self.target.schema
        where = self.target.where
        try:
            meta = dict(conn.execute(f"SELECT key, value FROM {s}.meta").fetchall())
        except psycopg.errors.UndefinedTable:
            raise SearchDatabaseError(
                f"search database at {where} has no Gloss index (schema {s!r}) yet: "
                "run `gloss index` to load the corpus into it"
            ) from None
        if meta.get("format") != FORMAT:
            raise SearchDatabaseError(
                f"search database at {where} was made by another version of Gloss "
                f"(format {meta.get('format')}, this one writes {FORMAT}): run `gloss index` "
                "with this version to rebuild it"
            )
        if "indexed_at" not in meta:
            raise SearchDatabaseError(
                f"search database at {where}: the first `gloss index` has not finished yet; "
                "run it (again) to complete the load"
            )
        self._articles = int(meta.get("articles", "0"))
        self._split = meta.get("split", "0") != "0"
        self._partitioned = bool(meta.get("partition"))
        self._checked[id(conn)] = now

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # -- searching ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 50,
        sort: str = "score",
        cancelled: Cancelled | None = None,
        offset: int = 0,
    ) -> SearchResult:
        """The hits ranked ``offset`` to ``limit - 1`` (as ``SearchIndex.search``)."""
        from tui.core.search.query import QueryError, parse_query

        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}': use one of {', '.join(SORTS)}")
        if limit < 1:
            raise QueryError(f"limit must be at least 1, not {limit}")
        if not 0 <= offset <= limit:
            raise QueryError(f"offset must be between 0 and the limit, not {offset}")
        parsed = parse_query(query)
        check = _checker(cancelled, query)
        with self._connection(f"cannot search for {query!r}") as conn:
            check()
            plan = self._translate(conn, parsed)
            check()
            rows, total = self._page(conn, plan, sort, limit - offset, offset)
            check()
            suggestion = None
            if not total:
                suggestion = self._suggest(conn, query)
        hits = self._hits(rows, parsed, plan.terms, check, plan.written)
        return SearchResult(query=query, hits=hits, total=total, suggestion=suggestion)

    def matching(
        self, query: str, among: Iterable[str], cancelled: Cancelled | None = None
    ) -> set[str]:
        """Which of the articles ``among`` match ``query`` (no spans, no snippets)."""
        from tui.core.search.query import parse_query

        parsed = parse_query(query)
        wanted = list(among)
        if not wanted:
            return set()
        _checker(cancelled, query)()
        with self._connection(f"cannot search for {query!r}") as conn:
            plan = self._translate(conn, parsed)
            rows = conn.execute(
                f"SELECT a.id FROM {self.target.schema}.articles a "
                f"WHERE a.id = ANY(%s) AND {plan.where}",
                [wanted, *plan.params],
            ).fetchall()
        return {row[0] for row in rows}

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """Articles sharing the most distinctive body words of ``article_id`` (by
        tf-idf over the vocabulary's document frequencies), never the article itself."""
        from tui.core.search.pg.fields import positions
        from tui.core.search.run import SIMILAR_TERMS
        from tui.core.search.schema import blank

        article = self.corpus.get(article_id)
        found = positions(blank(article.body, list(article.boilerplate), keep=False)).found
        s = self.target.schema
        name = f"similar:{article_id}"
        with self._connection(f"cannot find articles like {article_id!r}") as conn:
            known = conn.execute(f"SELECT 1 FROM {s}.articles WHERE id = %s", (article_id,))
            if known.fetchone() is None:
                raise UnknownArticleError(
                    f"unknown article id '{article_id}' in the search database at "
                    f"{self.target.where} (run `gloss index`)"
                )
            frequency = _Vocabulary(conn, s).frequency(CODES["body"], list(found))
            total = max(self._articles, 1)
            weights = {
                term: len(places) * math.log((1 + total) / frequency[term])
                for term, places in found.items()
                if frequency.get(term)
            }
            keys = sorted(weights, key=lambda term: (-weights[term], term))[:SIMILAR_TERMS]
            if not keys:
                return SearchResult(query=name, hits=(), total=0)
            terms = " | ".join(quote(term) for term in keys)
            plan = Translation("a.doc @@ %s::tsquery AND a.id <> %s", [terms, article_id], terms)
            rows, total = self._page(conn, plan, "score", limit, 0)
        hits = self._hits(rows, None, set(keys), _checker(None, name))
        return SearchResult(query=name, hits=hits, total=total)

    # -- helpers -----------------------------------------------------------------------

    def _translate(self, conn: psycopg.Connection[Any], parsed: wq.Query) -> Translation:
        s = self.target.schema

        def dated(first: dt.date | None, last: dt.date | None) -> int:
            bounds = [(">=", first), ("<=", last)]
            where = " AND ".join(f"date {op} %s" for op, day in bounds if day is not None)
            found = conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {s}.articles WHERE {where} "
                f"LIMIT {DATED_ROWS + 1}) d",
                [day for _, day in bounds if day is not None],
            ).fetchone()
            return int(found[0]) if found else 0

        counted = None if self._partitioned else dated
        return Translator(s, _Vocabulary(conn, s), self._split, counted).translate(parsed)

    def _page(
        self, conn: psycopg.Connection[Any], plan: Translation, sort: str, count: int, offset: int
    ) -> tuple[list[tuple[Any, ...]], int]:
        """One page of matches (id, title, source, date, author, score) and the total from
        one pass over the matching rows: counting and ranking them apart read every
        matching row twice, and reading rows is most of a search's time. The matches keep
        only what the sort needs (in date or title order only the page's rows are
        ranked), the page's other columns are looked up by id."""
        s = self.target.schema
        if count <= 0:
            return [], self._total(conn, plan)
        by_score = sort == "score"
        rank = "0::real"
        rank_params: list[Any] = []
        if plan.rank is not None:
            rank = RANK
            rank_params = [plan.rank]
        keys = ", ".join(f"a.{name}" for name in ("id", *_KEYS[sort]))
        keys += f", {rank} AS score" if by_score else ""
        order = _ORDER[sort]
        sql = (
            f"WITH m AS MATERIALIZED (SELECT {keys} FROM {s}.articles a WHERE {plan.where}), "
            f"p AS (SELECT * FROM m ORDER BY {order.format(m='m')} LIMIT %s OFFSET %s) "
            f"SELECT a.id, a.title, a.source, a.date, a.author, "
            f"{'p.score' if by_score else rank} AS score, (SELECT count(*) FROM m) "
            f"FROM p JOIN {s}.articles a ON a.id = p.id ORDER BY {order.format(m='p')}"
        )
        params = [*(rank_params if by_score else ()), *plan.params, count, offset]
        rows = conn.execute(sql, [*params, *(() if by_score else rank_params)]).fetchall()
        if not rows:
            return [], 0 if offset == 0 else self._total(conn, plan)
        return [row[:-1] for row in rows], int(rows[0][-1])

    def _total(self, conn: psycopg.Connection[Any], plan: Translation) -> int:
        s = self.target.schema
        found = conn.execute(
            f"SELECT count(*) FROM {s}.articles a WHERE {plan.where}", plan.params
        ).fetchone()
        return int(found[0]) if found else 0

    def _hits(
        self,
        rows: list[tuple[Any, ...]],
        parsed: wq.Query | None,
        wanted: set[str],
        check: Callable[[], None],
        written: set[str] | None = None,
    ) -> tuple[Hit, ...]:
        """Hits with spans and snippets from the local bodies (the database's metadata and
        no snippet for an article this machine's corpus does not have)."""
        from tui.core.search.query import phrases
        from tui.core.search.run import make_hit

        corpus = self.corpus
        plan = phrases(parsed) if parsed is not None else []
        infos = corpus.catalogue.infos([row[0] for row in rows])
        hits: list[Hit] = []
        for key, title, source, date, author, score in rows:
            check()
            info = infos.get(key)
            if info is not None:
                hits.append(make_hit(corpus, info, float(score), wanted, plan, written or ()))
            else:
                hits.append(Hit(key, title, source, date, float(score), "", (), (), author))
        return tuple(hits)

    def _suggest(self, conn: psycopg.Connection[Any], text: str) -> str | None:
        """ "Did you mean", as with Whoosh: a body or title term nowhere; the nearest body
        word as written (fewest edits, then the most articles with its stem), as the
        first article holding it writes it."""
        from tui.core.search.run import suggest_words, written_in

        s = self.target.schema
        vocabulary = _Vocabulary(conn, s)
        body, title = CODES["body"], CODES["title"]

        def known(term: str) -> bool:
            return bool(vocabulary.frequency(body, [term]) or vocabulary.frequency(title, [term]))

        def closest(folded: str, edits: int) -> str | None:
            near = vocabulary.within(body.upper(), folded, edits, 1)
            if len(near) > MAX_FORMS:
                return None  # too many words that close: no useful hint either
            stems = vocabulary.frequency(body, sorted({stem(word) for word, _, _ in near}))
            near.sort(key=lambda item: (item[1], -stems.get(stem(item[0]), 0), item[0]))
            for form, _, _ in near:
                row = conn.execute(
                    f"SELECT id FROM {s}.articles WHERE doc @@ %s::tsquery ORDER BY id LIMIT 1",
                    (quote(FORM_TAGS["body"] + form),),
                ).fetchone()
                if row is None:
                    continue
                try:
                    found = written_in(self.corpus.get(row[0]).body, form)
                except GlossError:
                    continue
                if found is not None:
                    return found
            return None

        return suggest_words(text, known, closest)


def _checker(cancelled: Cancelled | None, text: str) -> Callable[[], None]:
    def check() -> None:
        if cancelled is not None and cancelled():
            raise SearchCancelled(text)

    return check


_PLAIN = re.compile(r"[a-z0-9]+")


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one plain word (two spaces before it, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_floor(word: str, maxdist: int) -> float | None:
    """The least pg_trgm similarity any word within ``maxdist`` edits of ``word`` has
    (None when there is no useful bound): each edit changes at most 3 of its trigrams,
    so at least ``|T| - 3d`` stay, of at most ``|T| + len + d + 1 - common`` in all."""
    if not _PLAIN.fullmatch(word):
        return None
    own = len(trigrams(word))
    common = own - 3 * maxdist
    if common < 1:
        return None
    return common / (own + len(word) + maxdist + 1 - common) * 0.999


class _Vocabulary:
    """:class:`~.translate.Vocabulary` over the ``vocabulary`` table (commonest first)."""

    def __init__(self, conn: psycopg.Connection[Any], schema: str) -> None:
        self.conn = conn
        self.table = f"{schema}.vocabulary"
        self.cap = max(MAX_EXPANSION, MAX_FORMS) + 1

    def _words(self, field: str, where: str, params: Sequence[Any]) -> list[str]:
        rows = self.conn.execute(
            f"SELECT word FROM {self.table} WHERE field = %s AND {where} "
            f"ORDER BY df DESC, word LIMIT {self.cap}",
            [field, *params],
        ).fetchall()
        return [row[0] for row in rows]

    def fuzzy(self, field: str, text: str, maxdist: int, prefix: int) -> list[str]:
        return [word for word, _, _ in self.within(field, text, maxdist, prefix)]

    def within(
        self, field: str, text: str, maxdist: int, prefix: int
    ) -> list[tuple[str, int, int]]:
        """``(word, distance, articles)`` of the field's words within ``maxdist`` edits
        (Levenshtein, as Whoosh's automaton counts them) that share ``text``'s first
        ``prefix`` letters, nearest first: candidates from the trigram index when the
        bound allows, else a scan of the field's words, checked by fuzzystrmatch."""
        start = text[:prefix]
        exact = (
            "field = %s AND length(word) BETWEEN %s AND %s AND starts_with(word, %s) "
            "AND levenshtein_less_equal(word, %s, %s) <= %s"
        )
        params: list[Any] = [
            field, len(text) - maxdist, len(text) + maxdist, start, text, maxdist, maxdist,
        ]  # fmt: skip
        ranges, range_params = _prefix_range(start)
        floor = trigram_floor(text, maxdist)
        select = f"SELECT word, levenshtein(word, %s) AS d, df FROM {self.table} WHERE"
        if floor is None:
            sql = f"{select} {ranges} {exact}"
            all_params = [text, *range_params, *params]
        else:
            self.conn.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)", (str(floor),)
            )
            sql = (
                f"{select} plain AND word %% %s AND {exact} UNION ALL "
                f"{select} NOT plain AND {ranges} {exact}"
            )
            all_params = [text, text, *params, text, *range_params, *params]
        rows = self.conn.execute(
            f"SELECT word, d, df FROM ({sql}) w ORDER BY d, df DESC, word LIMIT {self.cap}",
            all_params,
        ).fetchall()
        return [(row[0], int(row[1]), int(row[2])) for row in rows]

    def frequency(self, field: str, words: Sequence[str]) -> dict[str, int]:
        rows = self.conn.execute(
            f"SELECT word, df FROM {self.table} WHERE field = %s AND word = ANY(%s)",
            (field, list(words)),
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def like(self, field: str, pattern: str) -> list[str]:
        return self._words(field, "word LIKE %s", (pattern,))

    def between(
        self, field: str, start: str | None, end: str | None, startexcl: bool, endexcl: bool
    ) -> list[str]:
        conditions, params = ["TRUE"], []
        if start is not None:
            conditions.append("word > %s" if startexcl else "word >= %s")
            params.append(start)
        if end is not None:
            conditions.append("word < %s" if endexcl else "word <= %s")
            params.append(end)
        return self._words(field, " AND ".join(conditions), params)

    def prefixed(self, field: str, prefix: str) -> list[str]:
        ranges, params = _prefix_range(prefix)
        return self._words(field, f"{ranges} starts_with(word, %s)", [*params, prefix])


def _prefix_range(prefix: str) -> tuple[str, list[str]]:
    """A range the vocabulary's primary key (bytewise order) can scan for ``prefix``."""
    if not prefix:
        return "", []
    following = ord(prefix[-1]) + 1
    if following > 0x10FFFF:
        return "word >= %s AND", [prefix]
    if 0xD800 <= following < 0xE000:  # surrogates are not characters: skip them
        following = 0xE000
    return "word >= %s AND word < %s AND", [prefix, prefix[:-1] + chr(following)]
