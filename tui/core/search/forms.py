"""Wildcards and fuzzy terms on words as written, not on their stems.

The index keeps stems (``negotiations`` and ``negotiate`` are both ``negoti``), so a
pattern matched against stems finds the wrong words: ``negotiat*`` misses "negotiations",
``goverment~`` finds "over" (the stem of "goverment" is ``gover``). Each text field has a
``<name>_forms`` twin holding its words folded but not stemmed, without positions
(:class:`~tui.core.search.analysis.WordForms`). A pattern is matched against that term
list (:class:`WordPattern`, bounded by :data:`MAX_FORMS`), and an article matches when it
holds one of those words (:class:`Forms`): scored as the words' stems are (BM25, like any
word), found only where a word as written fits the pattern, and highlighted only there.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import query as wq

from tui.core.search.analysis import CJK_CHAR, stem
from tui.core.search.query import QueryError
from tui.core.search.schema import FORMS_SUFFIX, WORD_FIELDS

MAX_FORMS = 1024
"""Different words one wildcard or fuzzy term may stand for in one field (Lucene's default
limit of clauses per query): beyond it a query such as ``a*`` is refused, not run slowly."""
_GLOB = frozenset("*?[")


class WordPattern(wq.Query):  # type: ignore[misc]
    """A wildcard (``text`` holds ``*``, ``?``) or fuzzy term (``maxdist`` > 0) on one text
    field, matched against the words as written. ``expand`` turns it into :class:`Forms`."""

    def __init__(
        self,
        fieldname: str,
        text: str,
        maxdist: int = 0,
        prefixlength: int = 0,
        boost: float = 1.0,
    ) -> None:
        self.fieldname = fieldname
        self.text = text
        self.maxdist = maxdist
        self.prefixlength = prefixlength
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.fieldname, self.text, self.maxdist, self.prefixlength, self.boost)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.written!r}, boost={self.boost})"

    def __unicode__(self) -> str:
        return f"{self.fieldname}:{self.written}"

    __str__ = __unicode__

    @property
    def written(self) -> str:
        """The term as a query writes it: ``negotiat*``, ``goverment~1``."""
        return f"{self.text}~{self.maxdist}" if self.maxdist else self.text

    def is_leaf(self) -> bool:
        return True

    def has_terms(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def forms(self, reader: Any) -> tuple[str, ...]:
        """The field's words as written that fit, across every segment of ``reader``.

        Raises :class:`QueryError` past :data:`MAX_FORMS`, before reading the rest.
        """
        field = self.fieldname + FORMS_SUFFIX
        found: set[str] = set()
        for leaf, _ in reader.leaf_readers():
            if field not in leaf.schema:
                continue
            for form in self._candidates(leaf, field):
                found.add(form)
                if len(found) > MAX_FORMS:
                    raise QueryError(self._too_many())
        return tuple(sorted(found))

    def _candidates(self, reader: Any, field: str) -> Iterator[str]:
        if self.maxdist:
            yield from reader.terms_within(field, self.text, self.maxdist, self.prefixlength)
            return
        literal = next((i for i, char in enumerate(self.text) if char in _GLOB), len(self.text))
        prefix = self.text[:literal]
        fits = re.compile(fnmatch.translate(self.text)).match
        terms = reader.expand_prefix(field, prefix) if prefix else reader.lexicon(field)
        for term in terms:
            form = term.decode("utf-8")
            if fits(form):
                yield form

    def _too_many(self) -> str:
        if self.maxdist:
            return (
                f"'{self.written}' is close to more than {MAX_FORMS} different words; "
                "use a longer word or ~1"
            )
        return (
            f"'{self.written}' matches more than {MAX_FORMS} different words; "
            "put more letters before the * or ?"
        )

    def expand(self, reader: Any) -> Forms:
        return Forms(self.fieldname, self.forms(reader), boost=self.boost)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return self.expand(searcher.reader()).matcher(searcher, context)


class Forms(wq.Query):  # type: ignore[misc]
    """The articles whose field holds one of ``forms`` (words as written), scored by the
    forms' stems in that field: ``And(Or(stems), Or(forms) with no weight)``."""

    def __init__(self, fieldname: str, forms: tuple[str, ...], boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.forms = forms
        self.boost = boost
        self.query = _matching(fieldname, forms, boost)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.fieldname, self.forms, self.boost)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.forms!r}, boost={self.boost})"

    def __unicode__(self) -> str:
        return f"{self.fieldname}:({' OR '.join(self.forms)})"

    __str__ = __unicode__

    def is_leaf(self) -> bool:
        return True

    def has_terms(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return int(self.query.estimate_size(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return self.query.matcher(searcher, context)


def _matching(fieldname: str, forms: tuple[str, ...], boost: float) -> wq.Query:
    if not forms:
        return wq.NullQuery
    stems = sorted({stem(form) for form in forms})
    scored = _any([wq.Term(fieldname, term, boost=boost) for term in stems])
    field = fieldname + FORMS_SUFFIX
    written = _any([wq.Term(field, form, boost=0.0) for form in forms])
    return wq.And([scored, written])


def _any(terms: list[wq.Term]) -> wq.Query:
    # One child alone: an Or of one would drop its boost, as Whoosh's does.
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def word_patterns(parsed: wq.Query) -> wq.Query:
    """``parsed`` with Whoosh's wildcard, prefix and fuzzy terms on text fields as
    :class:`WordPattern` s. Raises :class:`QueryError` for one on CJK text."""

    def swap(node: Any) -> Any:
        kind = type(node)
        if kind not in (wq.Wildcard, wq.Prefix, wq.FuzzyTerm) or node.fieldname not in WORD_FIELDS:
            return node
        text = node.text + "*" if kind is wq.Prefix else node.text
        if CJK_CHAR.search(text):
            written = f"{text}~" if kind is wq.FuzzyTerm else text
            raise QueryError(
                f"'{written}': wildcards and ~ work on words of alphabetic scripts; search "
                "Chinese, Japanese or Korean text by its characters as written (e.g. 制裁)"
            )
        if kind is wq.FuzzyTerm:
            return WordPattern(
                node.fieldname, text, int(node.maxdist), int(node.prefixlength), node.boost
            )
        return WordPattern(node.fieldname, text, boost=node.boost)

    return parsed.accept(swap)


def expand_patterns(parsed: wq.Query, reader: Any) -> wq.Query:
    """``parsed`` with each :class:`WordPattern` expanded over the whole index at once, so
    the :data:`MAX_FORMS` bound holds for the index, not for each segment."""

    def swap(node: Any) -> Any:
        return node.expand(reader) if type(node) is WordPattern else node

    return parsed.accept(swap)


def forms_of(leaves: Iterable[wq.Query], fields: Iterable[str]) -> set[str]:
    """The words as written that the :class:`Forms` among ``leaves`` on ``fields`` stand for."""
    wanted = set(fields)
    return {
        form
        for leaf in leaves
        if type(leaf) is Forms and leaf.fieldname in wanted
        for form in leaf.forms
    }
