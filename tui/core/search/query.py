"""The search query language: Whoosh's parser, made strict where leniency would mislead.

Whoosh quietly closes an open bracket, reads an unknown ``field:`` as words and turns
a bad date into "match nothing". Each of those silently changes what the user asked,
so :func:`parse_query` checks the text first and raises :class:`QueryError` (one line,
naming the problem) instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh import qparser, query
from whoosh.fields import DATETIME, Schema
from whoosh.qparser.common import QueryParserError
from whoosh.util.times import adatetime, datetime_to_long, fix, is_void

from tui.core.errors import GlossError
from tui.core.text import neutralise_controls

FIELDS = ("title", "source", "author", "tag", "date", "note", "memo", "annotated", "body")
"""Field names a query may use (``tag`` is the index's ``tags``)."""
DEFAULT_FIELDS = ("title", "body", "boiler", "source", "author")
"""Where a bare word is looked for."""
FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "boiler": 0.2, "source": 1.5, "author": 1.5}
"""Boilerplate (share buttons, credits, copyright lines) counts a fifth of the body."""
BODY_FIELDS = frozenset({"body", "boiler"})
"""Fields whose matches are character spans in the article body."""

_FIELD_RE = re.compile(r"(?<![\w.\\])([A-Za-z_]\w*):(?=\S)")
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_ALIASES = {"tag": "tags"}


class QueryError(GlossError):
    """A query that cannot be understood as written."""


class EmptyQueryError(QueryError):
    """Nothing to search for (the UI shows every article instead)."""


class QueryDate(DATETIME):  # type: ignore[misc]
    """The index's date field as the parser sees it: strict ISO dates, real exclusive ranges.

    Only used for parsing; the index stores a plain ``DATETIME``, so old indexes need
    no code of ours to open.
    """

    def _parse_datestring(self, qstring: str) -> adatetime:
        text = qstring.strip()
        found = _DATE_RE.fullmatch(text)
        if found is None:
            raise QueryParserError(f"invalid date '{text}': write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in found.groups())
        try:
            if month is not None:
                dt.date(year or 1, month, day or 1)  # range-checks month and day
            at = fix(adatetime(year, month, day))
        except ValueError as exc:
            raise QueryParserError(f"invalid date '{text}': {exc}") from None
        if is_void(at):
            raise QueryParserError(f"invalid date '{text}'")
        return at

    def parse_range(
        self,
        fieldname: str,
        start: str | None,
        end: str | None,
        startexcl: bool,
        endexcl: bool,
        boost: float = 1.0,
    ) -> query.Query:
        if start is None and end is None:
            return query.Every(fieldname, boost=boost)
        low = high = None
        tick = dt.timedelta(microseconds=1)
        if start is not None:
            at = self._parse_datestring(start)
            low = datetime_to_long(at.ceil() + tick if startexcl else at.floor())
        if end is not None:
            at = self._parse_datestring(end)
            high = datetime_to_long(at.floor() - tick if endexcl else at.ceil())
        return query.NumericRange(fieldname, low, high, boost=boost)


MAX_QUERY_CHARS = 2000
"""Longer queries are refused at once: parsing a million characters took 10 s to fail."""


def check_syntax(text: str) -> str:
    """The query with known field names lowercased; a :class:`QueryError` if it is unclear."""
    if len(text) > MAX_QUERY_CHARS:
        start = neutralise_controls(" ".join(text[:40].split()))
        raise QueryError(
            f"query '{start}…' is {len(text):,} characters long: "
            f"at most {MAX_QUERY_CHARS:,} are allowed"
        )
    if not text.strip():
        raise EmptyQueryError("empty query: type words to search for")
    opened: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    quote_at: int | None = None
    for index, char in enumerate(text):
        if quote_at is not None:
            if char == '"':
                quote_at = None
        elif char == '"':
            quote_at = index
        elif char in "([{":
            opened.append((char, index))
        elif char in ")]}":
            # A range may be written [a TO b} or {a TO b]: either closer ends either opener.
            want = pairs[char]
            if not opened or (opened[-1][0] != want and {opened[-1][0], want} != {"[", "{"}):
                raise QueryError(f"unbalanced '{char}' at column {index + 1} of the query")
            opened.pop()
    if quote_at is not None:
        raise QueryError(f'unbalanced quote: the " at column {quote_at + 1} is never closed')
    if opened:
        char, index = opened[-1]
        raise QueryError(f"unbalanced '{char}' at column {index + 1}: it is never closed")
    _check_operators(text)
    return _check_fields(text)


def _tokens(text: str) -> list[tuple[str, int]]:
    """Words, quoted phrases (with any ``~N``), parentheses; ranges stay inside their word."""
    found: list[tuple[str, int]] = []
    current = ""
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace() or char in "()":
            if current:
                found.append((current, start))
                current = ""
            if char in "()":
                found.append((char, index))
            index += 1
            continue
        if not current:
            start = index
        closer = {'"': '"', "[": "]", "{": "}"}.get(char)
        if closer is not None:
            end = text.find(closer, index + 1)
            if closer != '"':
                end = min(
                    x for x in (text.find("]", index + 1), text.find("}", index + 1)) if x >= 0
                )
            current += text[index : end + 1]
            index = end + 1
            continue
        current += char
        index += 1
    if current:
        found.append((current, start))
    return found


MAX_EDITS = 2
"""Fuzzy terms allow at most this many edits: beyond it, every short word matches."""
_FIELD_EXAMPLES = {"date": "2024", "tag": "actor", "annotated": "yes", "source": "reuters"}


def _check_operators(text: str) -> None:
    """AND/OR need a term on both sides, NOT one after it, ``field:`` a value."""
    tokens = _tokens(text)
    binary = {"AND", "OR", "ANDNOT", "ANDMAYBE"}
    for position, (token, column) in enumerate(tokens):
        before = tokens[position - 1][0] if position > 0 else None
        after = tokens[position + 1][0] if position + 1 < len(tokens) else None
        where = f"at column {column + 1}"
        if token in binary:
            if before is None or before in binary | {"NOT", "("}:
                raise QueryError(f"{token} {where} has nothing before it to join")
            if after is None or after in binary | {")"}:
                raise QueryError(f"{token} {where} has nothing after it to join")
        elif token == "NOT" and (after is None or after in binary | {")"}):
            raise QueryError(f"NOT {where} has nothing after it to exclude")
        elif re.fullmatch(r"[A-Za-z_]\w*:", token):
            example = _FIELD_EXAMPLES.get(token[:-1].lower(), "putin")
            raise QueryError(f"'{token}' {where} has no value: write e.g. {token}{example}")
        else:
            _check_tilde(token, where)


def _check_tilde(token: str, where: str) -> None:
    """``word~``, ``word~2`` and ``"a phrase"~3`` only: Whoosh reads other forms as words."""
    tail = token[token.rfind('"') + 1 :] if token.startswith('"') else token
    if "~" not in tail:
        return
    if token.startswith('"'):
        if not re.fullmatch(r"~\d+", tail):
            phrase = token[: len(token) - len(tail)]
            raise QueryError(f"'{token}' {where}: a phrase takes ~ and a number, e.g. {phrase}~3")
        return
    found = re.fullmatch(r"[^~]+~(\d*)(?:/\d+)?", tail)
    if found is None:
        raise QueryError(f"'{token}' {where}: write ~ right after a word, then 1 or 2, e.g. Putn~2")
    if found.group(1) and int(found.group(1)) > MAX_EDITS:
        raise QueryError(
            f"'{token}' {where}: fuzzy matching allows at most {MAX_EDITS} different letters"
        )


def _check_fields(text: str) -> str:
    """Lowercase ``Title:`` to ``title:``; refuse fields Gloss does not have."""
    pieces: list[str] = []
    last = 0
    for start, end, name in _unquoted_fields(text):
        lowered = name.lower()
        if lowered not in FIELDS and lowered != "tags":
            raise QueryError(
                f"unknown field '{name}:'; fields are {', '.join(FIELDS)} "
                f'(to search for the text, put it in quotes: "{name}:...")'
            )
        pieces.append(text[last:start])
        pieces.append(lowered)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _unquoted_fields(text: str) -> Iterator[tuple[int, int, str]]:
    inside = False
    position = 0
    for part in re.split(r'(")', text):
        if part == '"':
            inside = not inside
        elif not inside:
            for found in _FIELD_RE.finditer(part):
                yield position + found.start(1), position + found.end(1), found.group(1)
        position += len(part)


@lru_cache(maxsize=1)
def make_parser() -> qparser.QueryParser:
    """Whoosh's parser over :data:`DEFAULT_FIELDS`, AND between words, with our plugins.

    Single quotes are not syntax (``China's`` is a word), ``~`` makes fuzzy terms and
    proximity phrases, ``>``/``<`` make open date ranges.
    """
    from tui.core.search.schema import build_schema

    schema = build_schema()
    parse_schema = Schema(**{name: schema[name] for name in schema.names()})
    parse_schema._fields["date"] = QueryDate(stored=True)
    parser = qparser.MultifieldParser(
        list(DEFAULT_FIELDS), parse_schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup
    )
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(
        qparser.FieldAliasPlugin({field: [alias] for alias, field in _ALIASES.items()})
    )
    return parser


def parse_query(text: str) -> query.Query:
    """The Whoosh query for ``text``; :class:`QueryError` naming the problem if it has one."""
    checked = check_syntax(text)
    try:
        parsed = make_parser().parse(checked)
    except Exception as exc:  # Whoosh raises plain exceptions for bad ranges
        raise QueryError(f"cannot understand the query: {exc}") from None
    for node in _walk(parsed):
        error = getattr(node, "error", None)
        if error:
            message = str(error)
            if "query" not in message:
                message = f"cannot understand the query: {message}"
            raise QueryError(message)
    if isinstance(parsed, type(query.NullQuery)):
        raise EmptyQueryError(f"nothing to search for in the query {text.strip()!r}")
    from tui.core.search.forms import word_patterns
    from tui.core.search.phrase import speed_up

    return speed_up(word_patterns(parsed))


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if not node.is_leaf():
        for child in node.children():
            yield from _walk(child)


def positive_leaves(node: query.Query) -> Iterator[query.Query]:
    """The query's leaves that must or may match, leaving out everything under a NOT."""
    if isinstance(node, query.Not):
        return
    if isinstance(node, query.AndNot):
        yield from positive_leaves(node.a)
    elif node.is_leaf() or isinstance(node, query.Phrase):
        yield node
    else:
        for child in node.children():
            yield from positive_leaves(child)


def phrases(node: query.Query) -> list[tuple[tuple[str, ...], int]]:
    """The ``(words, slop)`` of each positive phrase on the body, for finding its spans."""
    found: list[tuple[tuple[str, ...], int]] = []
    for leaf in positive_leaves(node):
        if isinstance(leaf, query.Phrase) and leaf.fieldname in BODY_FIELDS and leaf.words:
            item = (tuple(leaf.words), max(1, int(leaf.slop)))
            if item not in found:
                found.append(item)
    return found
