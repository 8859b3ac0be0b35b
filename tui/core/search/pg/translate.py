"""A parsed query (Whoosh's tree, :func:`tui.core.search.query.parse_query`) as SQL.

Each node becomes a boolean SQL expression over one ``articles`` row, written so that
PostgreSQL answers it from its GIN indexes rather than reading each row's body vector:

- a word is ``<field>_tsv @@ 'stem'``; a prefix ``'stem':*``; wildcard, fuzzy and range
  terms are first expanded over ``vocabulary`` (trigram-indexed) into the words they
  stand for, then matched like an OR of words;
- a two-word phrase on the body is one ``body_pairs`` lexeme (exact, no positions read);
  longer or looser ones are ``<N>`` chains (``"a b"~3`` is "b 1, 2 or 3 words after a",
  one chain per spacing), checked on positions, and in the chunks of long articles;
- ``NOT x`` is ``id NOT IN (SELECT id ... WHERE x)``, which PostgreSQL hashes, so a
  negated word is looked up in its index once, not tested on every row;
- ``tag:``/``annotated:`` are keyword arrays (``@>``), ``date:`` the date column;
- AND, OR and parentheses are SQL's.

Values are always bound parameters, never spliced into the SQL text. What the ranking
and the spans need is collected on the way (:class:`Translation`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from whoosh import query as wq

from tui.core.search.pg.fields import KEYWORD_FIELDS, TEXT_FIELDS, quote
from tui.core.search.query import BODY_FIELDS, QueryError

MAX_CHAINS = 1024
"""Spacings a loose phrase may expand to (``slop`` ** (words - 1))."""
MAX_EXPANSION = 10_000
"""Words a wildcard, fuzzy or range term may stand for."""
RANK_TERMS = 64
"""Words of the query the ranking looks at (a wildcard's many words: the commonest)."""
RANK_WEIGHTS = "{0.0667, 0.5, 0.3333, 1.0}"
"""ts_rank_cd's weights for D (boilerplate), C (source, author), B (body), A (title):
Whoosh's field boosts (0.2, 1.5, 1, 3) over 3."""
_WEIGHT = {"title": "A", "body": "B", "source": "C", "author": "C", "boiler": "D"}
_COLUMN = {name: f"{name}_tsv" for name in TEXT_FIELDS} | {"body": "body_tsv"}


class Vocabulary(Protocol):
    """The database's words, for terms that stand for several (all return stems)."""

    def fuzzy(self, text: str, maxdist: int, prefix: int) -> list[str]: ...

    def like(self, pattern: str) -> list[str]: ...

    def between(
        self, start: str | None, end: str | None, startexcl: bool, endexcl: bool
    ) -> list[str]: ...

    def prefixed(self, prefix: str) -> list[str]: ...


@dataclass
class Translation:
    """A query as SQL: ``where`` (with ``params``, over alias ``a``), the ``rank`` tsquery
    (None: nothing to rank by), and what spans need: body ``terms`` and body ``prefixes``
    (expanded over the vocabulary only when a page of hits is built)."""

    where: str
    params: list[Any]
    rank: str | None
    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


class Translator:
    """Translates one query (see the module docstring)."""

    def __init__(self, schema: str, vocabulary: Vocabulary) -> None:
        self.schema = schema
        self.vocabulary = vocabulary
        self._aliases = itertools.count()
        self._rank: dict[str, set[str]] = {}
        self._rank_prefixes: dict[str, set[str]] = {}
        self._terms: set[str] = set()
        self._prefixes: set[str] = set()

    def translate(self, node: wq.Query) -> Translation:
        params: list[Any] = []
        where = self._node(node, "a", params, positive=True)
        return Translation(where, params, self._rank_query(), self._terms, self._prefixes)

    # -- nodes -------------------------------------------------------------------------

    def _node(self, node: wq.Query, alias: str, params: list[Any], positive: bool) -> str:
        kind = type(node)
        if isinstance(node, wq.Not):
            return self._not(node.query, alias, params)
        if kind is wq.And or kind is wq.Or:
            subs = node.subqueries
            if not subs:
                return "FALSE"
            if getattr(node, "minmatch", 0) and kind is wq.Or:
                raise QueryError("the PostgreSQL search cannot match 'at least N' of OR terms")
            joiner = " AND " if kind is wq.And else " OR "
            return "(" + joiner.join(self._node(sub, alias, params, positive) for sub in subs) + ")"
        if isinstance(node, wq.AndNot):
            left = self._node(node.a, alias, params, positive)
            return f"({left} AND {self._not(node.b, alias, params)})"
        if isinstance(node, wq.AndMaybe):  # the optional side only changes scores (and spans)
            if positive:
                self._node(node.b, alias, [], positive)
            return self._node(node.a, alias, params, positive)
        if isinstance(node, wq.WrappingQuery):
            return self._node(node.child, alias, params, positive)
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return "FALSE"
        if isinstance(node, wq.Every):
            return self._every(node.fieldname, alias)
        if isinstance(node, wq.Phrase):
            return self._phrase(node, alias, params, positive)
        if isinstance(node, wq.NumericRange):
            return self._range(node, alias, params)
        if isinstance(node, wq.Term | wq.Prefix | wq.Wildcard | wq.FuzzyTerm | wq.TermRange):
            return self._term(node, alias, params, positive)
        raise QueryError(f"the PostgreSQL search cannot run this part of the query: {node}")

    def _not(self, node: wq.Query, alias: str, params: list[Any]) -> str:
        """``NOT x`` as an anti-join PostgreSQL hashes (x found by its indexes, once)."""
        inner = f"n{next(self._aliases)}"
        where = self._node(node, inner, params, positive=False)
        table = f"{self.schema}.articles {inner}"
        return f"{alias}.id NOT IN (SELECT {inner}.id FROM {table} WHERE {where})"

    def _every(self, fieldname: str | None, alias: str) -> str:
        """Whoosh's ``Every``: articles with anything in the field (``*``: every article)."""
        if fieldname is None:
            return "TRUE"
        if fieldname == "body":
            return f"{alias}.body_words > 0"
        if fieldname in _COLUMN:
            return f"length({alias}.{_COLUMN[fieldname]}) > 0"
        if fieldname in KEYWORD_FIELDS:
            return f"cardinality({alias}.{KEYWORD_FIELDS[fieldname]}) > 0"
        if fieldname == "date":
            return f"{alias}.date IS NOT NULL"
        return "FALSE"

    # -- words -------------------------------------------------------------------------

    def _term(self, node: Any, alias: str, params: list[Any], positive: bool) -> str:
        name = node.fieldname
        if name in KEYWORD_FIELDS:
            return self._keyword(node, f"{alias}.{KEYWORD_FIELDS[name]}", params)
        if name not in _COLUMN:
            raise QueryError(f"the PostgreSQL search has no field '{name}'")
        if isinstance(node, wq.Term):
            words = [node.text]
        elif isinstance(node, wq.Prefix):
            if not node.text:
                return self._every(name, alias)
            if positive:
                self._ranked(name, node.text, prefix=True)
                if name in BODY_FIELDS:
                    self._prefixes.add(node.text)
            params.append(quote(node.text) + ":*")
            return f"{alias}.{_COLUMN[name]} @@ %s::tsquery"
        else:
            words = self._expand(node)
        if not words:
            return "FALSE"
        if positive:
            for word in words:
                self._ranked(name, word)
            if name in BODY_FIELDS:
                self._terms.update(words)
        params.append(" | ".join(quote(word) for word in words))
        return f"{alias}.{_COLUMN[name]} @@ %s::tsquery"

    def _expand(self, node: Any) -> list[str]:
        """The words a wildcard, fuzzy or range term stands for."""
        if isinstance(node, wq.FuzzyTerm):
            words = self.vocabulary.fuzzy(node.text, int(node.maxdist), int(node.prefixlength))
        elif isinstance(node, wq.Wildcard):
            pattern = like_pattern(node.text)
            if pattern is None:  # a [class]: the literal prefix's words, then the glob
                glob = re.compile(_fnmatch(node.text))
                literal = re.split(r"[*?\[]", node.text, maxsplit=1)[0]
                words = [w for w in self.vocabulary.prefixed(literal) if glob.match(w)]
            else:
                words = self.vocabulary.like(pattern)
        else:
            words = self.vocabulary.between(node.start, node.end, node.startexcl, node.endexcl)
        if len(words) > MAX_EXPANSION:
            raise QueryError(
                f"'{node.text if hasattr(node, 'text') else node}' stands for "
                f"{len(words):,} words: narrow it (at most {MAX_EXPANSION:,})"
            )
        return words

    def _keyword(self, node: Any, column: str, params: list[Any]) -> str:
        """Tags and the annotated field: exact tokens by index, patterns token by token."""
        if isinstance(node, wq.Term):
            params.append([node.text])
            return f"{column} @> %s::text[]"
        if isinstance(node, wq.Prefix):
            params.append(node.text)
            return f"EXISTS (SELECT 1 FROM unnest({column}) t WHERE starts_with(t, %s))"
        if isinstance(node, wq.Wildcard):
            pattern = like_pattern(node.text)
            if pattern is None:
                params.append("^" + _posix(node.text) + "$")
                return f'EXISTS (SELECT 1 FROM unnest({column}) t WHERE t COLLATE "C" ~ %s)'
            params.append(pattern)
            return f'EXISTS (SELECT 1 FROM unnest({column}) t WHERE t COLLATE "C" LIKE %s)'
        if isinstance(node, wq.FuzzyTerm):
            distance, prefix = int(node.maxdist), int(node.prefixlength)
            params.extend([node.text[:prefix], node.text, distance, distance])
            return (
                f"EXISTS (SELECT 1 FROM unnest({column}) t WHERE starts_with(t, %s) "
                "AND levenshtein_less_equal(t, %s, %s) <= %s)"
            )
        conditions = []
        if node.start is not None:
            conditions.append('t COLLATE "C" ' + (">" if node.startexcl else ">=") + " %s")
            params.append(node.start)
        if node.end is not None:
            conditions.append('t COLLATE "C" ' + ("<" if node.endexcl else "<=") + " %s")
            params.append(node.end)
        where = " AND ".join(conditions) or "TRUE"
        return f"EXISTS (SELECT 1 FROM unnest({column}) t WHERE {where})"

    # -- phrases -----------------------------------------------------------------------

    def _phrase(self, node: wq.Phrase, alias: str, params: list[Any], positive: bool) -> str:
        name = node.fieldname
        if name not in _COLUMN:
            raise QueryError(f"phrase search: the '{name}' field has no positions")
        words = list(node.words)
        if not words:
            return "FALSE"
        if positive:
            for word in words:
                self._ranked(name, word)
        if len(words) == 1:
            params.append(quote(words[0]))
            return f"{alias}.{_COLUMN[name]} @@ %s::tsquery"
        slop = max(1, int(node.slop))
        chains = chain_query(words, slop)
        if name != "body":
            params.append(chains)
            return f"{alias}.{_COLUMN[name]} @@ %s::tsquery"
        chunks = f"{self.schema}.body_chunks"
        if slop == 1 and len(words) == 2:
            pair = quote(f"{words[0]} {words[1]}")
            params.extend([pair, pair])
            return (
                f"({alias}.body_pairs @@ %s::tsquery OR {alias}.id = ANY(ARRAY("
                f"SELECT c.id FROM {chunks} c WHERE c.body_pairs @@ %s::tsquery)))"
            )
        near = ""
        if slop == 1:  # every adjacent pair must be there: only those articles are checked
            params.append(" & ".join(quote(f"{a} {b}") for a, b in itertools.pairwise(words)))
            near = f"{alias}.body_pairs @@ %s::tsquery AND "
        params.extend([chains, chains])
        return (
            f"(({near}{alias}.body_tsv @@ %s::tsquery AND NOT {alias}.long) OR {alias}.id = "
            f"ANY(ARRAY(SELECT c.id FROM {chunks} c WHERE c.body_tsv @@ %s::tsquery)))"
        )

    # -- dates -------------------------------------------------------------------------

    def _range(self, node: wq.NumericRange, alias: str, params: list[Any]) -> str:
        """A date range: Whoosh compares the midnight of each date with the bounds."""
        if node.fieldname != "date":
            raise QueryError(f"the PostgreSQL search has no numeric field '{node.fieldname}'")
        from whoosh.util.times import long_to_datetime

        conditions = []
        if node.start is not None:
            low = long_to_datetime(node.start)
            first = low.date() + dt.timedelta(days=0 if low.time() == dt.time() else 1)
            if node.startexcl and low.time() == dt.time():
                first += dt.timedelta(days=1)
            conditions.append(f"{alias}.date >= %s")
            params.append(first)
        if node.end is not None:
            high = long_to_datetime(node.end)
            last = high.date()
            if node.endexcl and high.time() == dt.time():
                last -= dt.timedelta(days=1)
            conditions.append(f"{alias}.date <= %s")
            params.append(last)
        if not conditions:
            return f"{alias}.date IS NOT NULL"
        return "(" + " AND ".join(conditions) + ")"

    # -- ranking -----------------------------------------------------------------------

    def _ranked(self, name: str, word: str, prefix: bool = False) -> None:
        weight = _WEIGHT.get(name)
        if weight is None:
            return
        target = self._rank_prefixes if prefix else self._rank
        target.setdefault(word, set()).add(weight)

    def _rank_query(self) -> str | None:
        items = []
        for table, suffix in ((self._rank, ""), (self._rank_prefixes, "*")):
            for word, weights in table.items():
                labels = "" if len(weights) == 4 else "".join(sorted(weights))
                tail = f":{suffix}{labels}" if suffix or labels else ""
                items.append(quote(word) + tail)
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


def _fnmatch(glob: str) -> str:
    import fnmatch

    return fnmatch.translate(glob)


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
