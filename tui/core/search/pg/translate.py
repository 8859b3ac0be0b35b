"""A parsed query (Whoosh's tree, :func:`tui.core.search.query.parse_query`) as SQL.

Most of a query becomes one ``tsquery`` on the ``doc`` column (see :mod:`.fields`), so
PostgreSQL evaluates the whole boolean tree inside one GIN index and never reads a row's
word list (the planner cannot know that reading one costs a hundred times more than
testing a date):

- a word is its field's lexeme (``'china'`` in the body, ``'t|china'`` in the title); a
  bare word, Whoosh's OR over title, body, boilerplate, source and author, is the OR of
  those five; wildcard, prefix and fuzzy terms fit words as written, as with Whoosh
  (:mod:`tui.core.search.forms`): they are expanded over ``vocabulary`` (trigram-indexed)
  into those words, each its field's ``w=negotiations`` lexeme; ranges expand to terms;
- a two-word phrase is one pair lexeme (``'econom ti'``); ``tag:``/``annotated:`` are
  tagged tokens; AND, OR, NOT and parentheses are tsquery's ``&``, ``|``, ``!``.

What a tsquery cannot say is SQL beside it: longer or looser phrases are the words'
lexemes (and pairs) in ``doc``, then a check of positions in the field's positional
column (``"a b"~3`` is "b 1, 2 or 3 words after a", one ``<N>`` chain per spacing) or in
the chunks of long articles; ``date:`` is the date column (beside a tsquery, by its
index only when the range holds few articles: :data:`DATED_ROWS`); a NOT over such parts is an
anti-join (``id NOT IN (...)``) PostgreSQL hashes. Values are always bound parameters,
never spliced into the SQL text. What the ranking and the spans need is collected on the
way (:class:`Translation`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from whoosh import query as wq

from tui.core.search.analysis import stem
from tui.core.search.forms import MAX_FORMS, WordPattern
from tui.core.search.pg.fields import CODES, FORM_TAGS, KEYWORD_FIELDS, TAGS, TEXT_FIELDS, quote
from tui.core.search.query import BODY_FIELDS, QueryError

MAX_CHAINS = 1024
"""Spacings a loose phrase may expand to (``slop`` ** (words - 1))."""
MAX_EXPANSION = 10_000
"""Terms a range (``title:[a TO c]``) may stand for."""
RANK_TERMS = 64
"""Words of the query the ranking looks at (a wildcard's many words: the commonest)."""
RANK_WEIGHTS = "{0.0667, 0.5, 0.3333, 1.0}"
"""The ranking's weights for D (boilerplate), C (source, author), B (body), A (title):
Whoosh's field boosts (0.2, 1.5, 1, 3) over 3."""
DATED_ROWS = 1_000
"""Articles a date range may hold and still lead a search beside a tsquery. Led by the
date index, every article in the range has its ``doc`` read and decompressed (about 20
microseconds each, where a GIN lookup of the commonest word takes 20 milliseconds); the
planner costs that test as nothing, so a year of a 100k corpus ANDed with a common word
took 200 ms that way, and 70 ms led by the word."""
_WEIGHT = {"title": "A", "body": "B", "source": "C", "author": "C", "boiler": "D"}
_POSITIONS = {name: f"{name}_tsv" for name in TEXT_FIELDS} | {"body": "body_tsv"}


class Vocabulary(Protocol):
    """The database's words of one field (a code of :data:`~.fields.CODES`: lowercase for
    its terms, uppercase for its words as written), for terms that stand for several."""

    def fuzzy(self, field: str, text: str, maxdist: int, prefix: int) -> list[str]: ...

    def like(self, field: str, pattern: str) -> list[str]: ...

    def between(
        self, field: str, start: str | None, end: str | None, startexcl: bool, endexcl: bool
    ) -> list[str]: ...

    def prefixed(self, field: str, prefix: str) -> list[str]: ...


@dataclass
class Translation:
    """A query as SQL: ``where`` (with ``params``, over alias ``a``), the ``rank`` tsquery
    (None: nothing to rank by), and what spans need: body ``terms``, and the body words as
    ``written`` that its wildcards and fuzzy terms stand for."""

    where: str
    params: list[Any]
    rank: str | None
    terms: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)


@dataclass
class _Lexemes:
    """A part of the query that is a tsquery on ``doc``."""

    text: str


@dataclass
class _Sql:
    """A part of the query that is an SQL condition on the row ``{a}``, and its params."""

    text: str
    params: list[Any]
    dates: tuple[dt.date | None, dt.date | None] | None = None
    """A date range's first and last day (None: unbounded): beside a tsquery it may be
    written so that no index serves it, and the tsquery leads (:data:`DATED_ROWS`)."""


_Part = _Lexemes | _Sql
_FALSE = _Sql("FALSE", [])


class Translator:
    """Translates one query (see the module docstring). ``split``: whether some long
    article keeps its word pairs only in its chunks (then two-word body phrases look
    there too)."""

    def __init__(
        self,
        schema: str,
        vocabulary: Vocabulary,
        split: bool = False,
        dated: Callable[[dt.date | None, dt.date | None], int] | None = None,
    ) -> None:
        self.schema = schema
        self.vocabulary = vocabulary
        self.split = split
        self.dated = dated
        """Articles dated from the first to the last day (None: unbounded), counted up to
        just over :data:`DATED_ROWS`; None: date ranges always use their index."""
        self._aliases = itertools.count()
        self._rank: dict[str, set[str]] = {}
        self._terms: set[str] = set()
        self._written: set[str] = set()

    def translate(self, node: wq.Query) -> Translation:
        part = self._node(node, positive=True)
        if isinstance(node, wq.Not) and isinstance(part, _Lexemes):
            part = self._not_in(self._node(node.query, positive=False))  # no full index scan
        where, params = self._sql(part, "a")
        return Translation(where, params, self._rank_query(), self._terms, self._written)

    def _sql(self, part: _Part, alias: str) -> tuple[str, list[Any]]:
        if isinstance(part, _Lexemes):
            return f"{alias}.doc @@ %s::tsquery", [part.text]
        return part.text.replace("{a}", alias), list(part.params)

    # -- nodes -------------------------------------------------------------------------

    def _node(self, node: wq.Query, positive: bool) -> _Part:
        kind = type(node)
        if isinstance(node, wq.Not):
            inner = self._node(node.query, positive=False)
            if isinstance(inner, _Lexemes):
                return _Lexemes(f"!{inner.text}")
            return self._not_in(inner)
        if kind is wq.And or kind is wq.Or:
            if kind is wq.Or and getattr(node, "minmatch", False):
                raise QueryError("the PostgreSQL search cannot match 'at least N' of OR terms")
            return self._join(
                [self._node(sub, positive) for sub in node.subqueries], kind is wq.And
            )
        if isinstance(node, wq.AndNot):
            left = self._node(node.a, positive)
            return self._join([left, self._node(wq.Not(node.b), positive)], both=True)
        if isinstance(node, wq.AndMaybe):  # the optional side only changes scores (and spans)
            if positive:
                self._node(node.b, positive)
            return self._node(node.a, positive)
        if isinstance(node, wq.WrappingQuery):
            return self._node(node.child, positive)
        if isinstance(node, type(wq.NullQuery)):
            return _FALSE
        if isinstance(node, wq.Every):
            return self._every(node.fieldname)
        if isinstance(node, wq.Phrase):
            return self._phrase(node, positive)
        if isinstance(node, wq.NumericRange):
            return self._range(node)
        if isinstance(node, WordPattern):
            return self._pattern(node, positive)
        if isinstance(node, wq.Term | wq.Prefix | wq.Wildcard | wq.FuzzyTerm | wq.TermRange):
            return self._term(node, positive)
        raise QueryError(f"the PostgreSQL search cannot run this part of the query: {node}")

    def _join(self, parts: list[_Part], both: bool) -> _Part:
        """AND (``both``) or OR of parts: the tsquery ones as one tsquery."""
        if not parts:
            return _FALSE
        lexemes = [part.text for part in parts if isinstance(part, _Lexemes)]
        others = [part for part in parts if isinstance(part, _Sql)]
        joined = _Lexemes("(" + (" & " if both else " | ").join(lexemes) + ")")
        if not others:
            return joined
        led = both and bool(lexemes)
        pieces = ([self._sql(joined, "{a}")] if lexemes else []) + [
            (self._beside_words(part) if led else part.text, part.params) for part in others
        ]
        glue = " AND " if both else " OR "
        return _Sql(
            "(" + glue.join(text for text, _ in pieces) + ")",
            [param for _, params in pieces for param in params],
        )

    def _beside_words(self, part: _Sql) -> str:
        """``part`` ANDed with a tsquery: a date range holding many articles written
        ``({a}.date + 0)``, which no index serves, so the tsquery's GIN index leads (the
        range's articles are counted only here, where it matters)."""
        if part.dates is None or self.dated is None or self.dated(*part.dates) <= DATED_ROWS:
            return part.text
        return part.text.replace("{a}.date", "({a}.date + 0)")

    def _not_in(self, part: _Part) -> _Sql:
        """``NOT x`` as an anti-join PostgreSQL hashes (x found by its index, once)."""
        inner = f"n{next(self._aliases)}"
        where, params = self._sql(part, inner)
        table = f"{self.schema}.articles {inner}"
        return _Sql(f"{{a}}.id NOT IN (SELECT {inner}.id FROM {table} WHERE {where})", params)

    def _every(self, fieldname: str | None) -> _Part:
        """Whoosh's ``Every``: articles with anything in the field (``*``: every article)."""
        if fieldname is None:
            return _Sql("TRUE", [])
        if fieldname == "body":
            return _Sql("{a}.body_words > 0", [])
        if fieldname in _POSITIONS:
            return _Sql(f"length({{a}}.{_POSITIONS[fieldname]}) > 0", [])
        if fieldname in KEYWORD_FIELDS:
            return _Sql(f"cardinality({{a}}.{KEYWORD_FIELDS[fieldname]}) > 0", [])
        if fieldname == "date":
            return _Sql("{a}.date IS NOT NULL", [])
        return _FALSE

    # -- words -------------------------------------------------------------------------

    def _term(self, node: Any, positive: bool) -> _Part:
        name = node.fieldname
        if name not in TAGS:
            raise QueryError(f"the PostgreSQL search has no field '{name}'")
        tag = TAGS[name]
        if isinstance(node, wq.Term):
            words = [node.text]
        elif isinstance(node, wq.Prefix):  # on tags (a text field's is a WordPattern)
            if not node.text:
                return self._every(name)
            return _Lexemes(quote(tag + node.text) + ":*")
        elif name in KEYWORD_FIELDS:
            return self._keyword_pattern(node, KEYWORD_FIELDS[name])
        elif isinstance(node, wq.TermRange):
            words = self.vocabulary.between(
                CODES[name], node.start, node.end, node.startexcl, node.endexcl
            )
            if len(words) > MAX_EXPANSION:
                raise QueryError(
                    f"'{node}' stands for more than {MAX_EXPANSION:,} words: narrow the range"
                )
        else:
            raise QueryError(f"the PostgreSQL search cannot run this part of the query: {node}")
        if not words:
            return _FALSE
        if positive:
            for word in words:
                self._ranked(name, word)
            if name in BODY_FIELDS:
                self._terms.update(words)
        return _Lexemes("(" + " | ".join(quote(tag + word) for word in words) + ")")

    def _pattern(self, node: WordPattern, positive: bool) -> _Part:
        """A wildcard or fuzzy term: the field's words as written that fit it (at most
        Whoosh's :data:`~tui.core.search.forms.MAX_FORMS`, refused past that as there)."""
        name = node.fieldname
        code = CODES[name].upper()
        if node.maxdist:
            forms = self.vocabulary.fuzzy(code, node.text, node.maxdist, node.prefixlength)
        else:
            pattern = like_pattern(node.text)
            if pattern is None:  # a [class]: the literal prefix's words, then the glob
                import fnmatch

                glob = re.compile(fnmatch.translate(node.text))
                literal = re.split(r"[*?\[]", node.text, maxsplit=1)[0]
                forms = [w for w in self.vocabulary.prefixed(code, literal) if glob.match(w)]
            else:
                forms = self.vocabulary.like(code, pattern)
        if len(forms) > MAX_FORMS:
            raise QueryError(node._too_many())
        if not forms:
            return _FALSE
        if positive:
            for form in forms:
                self._ranked(name, stem(form))
            if name in BODY_FIELDS:
                self._written.update(forms)
        return _Lexemes("(" + " | ".join(quote(FORM_TAGS[name] + form) for form in forms) + ")")

    def _keyword_pattern(self, node: Any, column: str) -> _Sql:
        """A wildcard, fuzzy or range term on tags: token by token (they are few)."""
        tokens = f"SELECT 1 FROM unnest({{a}}.{column}) t WHERE"
        if isinstance(node, wq.Wildcard):
            pattern = like_pattern(node.text)
            if pattern is None:
                regex = "^" + _posix(node.text) + "$"
                return _Sql(f'EXISTS ({tokens} t COLLATE "C" ~ %s)', [regex])
            return _Sql(f'EXISTS ({tokens} t COLLATE "C" LIKE %s)', [pattern])
        if isinstance(node, wq.FuzzyTerm):
            distance, prefix = int(node.maxdist), int(node.prefixlength)
            return _Sql(
                f"EXISTS ({tokens} starts_with(t, %s) AND levenshtein_less_equal(t, %s, %s) <= %s)",
                [node.text[:prefix], node.text, distance, distance],
            )
        conditions, params = ["TRUE"], []
        if node.start is not None:
            conditions.append('t COLLATE "C" ' + (">" if node.startexcl else ">=") + " %s")
            params.append(node.start)
        if node.end is not None:
            conditions.append('t COLLATE "C" ' + ("<" if node.endexcl else "<=") + " %s")
            params.append(node.end)
        return _Sql(f"EXISTS ({tokens} {' AND '.join(conditions)})", params)

    # -- phrases -----------------------------------------------------------------------

    def _phrase(self, node: wq.Phrase, positive: bool) -> _Part:
        name = node.fieldname
        if name not in _POSITIONS:
            raise QueryError(f"phrase search: the '{name}' field has no positions")
        words = list(node.words)
        if not words:
            return _FALSE
        if positive:
            for word in words:
                self._ranked(name, word)
        tag = TAGS[name]
        if len(words) == 1:
            return _Lexemes(quote(tag + words[0]))
        slop = max(1, int(node.slop))
        chunks = f"{self.schema}.body_chunks"
        adjacent = [f"{first} {second}" for first, second in itertools.pairwise(words)]
        if slop == 1 and len(words) == 2:
            pair = _Lexemes(quote(tag + adjacent[0]))
            if name != "body" or not self.split:
                return pair
            return self._join(  # a split article's pairs are in its chunks only
                [
                    pair,
                    _Sql(
                        f"{{a}}.id = ANY(ARRAY(SELECT c.id FROM {chunks} c "
                        "WHERE c.body_pairs @@ %s::tsquery))",
                        [quote(adjacent[0])],
                    ),
                ],
                both=False,
            )
        # The words (and, for an exact phrase, its pairs) in the index first; positions
        # are then read for those articles only.
        needed = [quote(tag + word) for word in words]
        if slop == 1 and not (name == "body" and self.split):
            needed += [quote(tag + pair) for pair in adjacent]
        chains = chain_query(words, slop)
        found = "{a}.doc @@ %s::tsquery AND "
        if name != "body":
            return _Sql(
                f"({found}{{a}}.{_POSITIONS[name]} @@ %s::tsquery)", [" & ".join(needed), chains]
            )
        return _Sql(
            f"({found}((NOT {{a}}.long AND {{a}}.body_tsv @@ %s::tsquery) OR {{a}}.id = ANY(ARRAY("
            f"SELECT c.id FROM {chunks} c WHERE c.body_tsv @@ %s::tsquery))))",
            [" & ".join(needed), chains, chains],
        )

    # -- dates -------------------------------------------------------------------------

    def _range(self, node: wq.NumericRange) -> _Sql:
        """A date range: Whoosh compares the midnight of each date with the bounds."""
        if node.fieldname != "date":
            raise QueryError(f"the PostgreSQL search has no numeric field '{node.fieldname}'")
        from whoosh.util.times import long_to_datetime

        conditions, params = [], []
        first: dt.date | None = None
        last: dt.date | None = None
        if node.start is not None:
            low = long_to_datetime(node.start)
            first = low.date() + dt.timedelta(days=0 if low.time() == dt.time() else 1)
            if node.startexcl and low.time() == dt.time():
                first += dt.timedelta(days=1)
            conditions.append("{a}.date >= %s")
            params.append(first)
        if node.end is not None:
            high = long_to_datetime(node.end)
            last = high.date()
            if node.endexcl and high.time() == dt.time():
                last -= dt.timedelta(days=1)
            conditions.append("{a}.date <= %s")
            params.append(last)
        if not conditions:
            return _Sql("{a}.date IS NOT NULL", [])
        return _Sql("(" + " AND ".join(conditions) + ")", params, (first, last))

    # -- ranking -----------------------------------------------------------------------

    def _ranked(self, name: str, word: str) -> None:
        weight = _WEIGHT.get(name)
        if weight is not None:
            self._rank.setdefault(word, set()).add(weight)

    def _rank_query(self) -> str | None:
        items = []
        for word, weights in self._rank.items():
            labels = "" if len(weights) == 4 else "".join(sorted(weights))
            items.append(quote(word) + (f":{labels}" if labels else ""))
        return " | ".join(items[:RANK_TERMS]) or None


def chain_query(words: list[str], slop: int) -> str:
    """``"a b c"~slop`` as tsquery: one ``a <i> b <j> c`` chain per spacing (i, j up to
    ``slop``). PostgreSQL's ``<N>`` is "exactly N after"; an OR of spacings *inside* a
    chain does not mean "any of them" in PostgreSQL 15, so every chain is written out."""
    count = slop ** (len(words) - 1)
    if count > MAX_CHAINS:
        raise QueryError(
            f'phrase "{" ".join(words)}"~{slop} is too loose for the PostgreSQL search '
            f"({count:,} spacings; at most {MAX_CHAINS:,}): use a smaller ~N or fewer words"
        )
    quoted = [quote(word) for word in words]
    chains = []
    for spacing in itertools.product(range(1, slop + 1), repeat=len(words) - 1):
        parts = [quoted[0]]
        for gap, word in zip(spacing, quoted[1:], strict=True):
            parts.append("<->" if gap == 1 else f"<{gap}>")
            parts.append(word)
        chains.append(" ".join(parts))
    return " | ".join(f"({chain})" for chain in chains) if len(chains) > 1 else chains[0]


def like_pattern(glob: str) -> str | None:
    """A ``*``/``?`` glob as a LIKE pattern (None if it has a ``[class]``)."""
    if "[" in glob:
        return None
    escaped = glob.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def _posix(glob: str) -> str:
    """A glob as a PostgreSQL regular expression (``*``, ``?``, ``[...]``)."""
    out = []
    inside = False
    for char in glob:
        if inside:
            out.append(char)
            inside = char != "]"
        elif char == "[":
            out.append(char)
            inside = True
        elif char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append(re.escape(char))
    return "".join(out)
