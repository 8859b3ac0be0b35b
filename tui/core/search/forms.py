"""Wildcards and fuzzy terms on words as written, not on their stems.

The index keeps stems (``negotiations`` and ``negotiate`` are both ``negoti``), so a
pattern matched against stems finds the wrong words: ``negotiat*`` misses "negotiations",
``goverment~`` finds "over" (the stem of "goverment" is ``gover``).

So each text field has a ``<name>_forms`` twin (no positions) of the words, folded but
not stemmed, that its stem cannot stand for: a word that is not its own stem
("attacks", "negotiations"), and a word that is its own stem ("attack") only in an
article that also has another word of that stem (:class:`~tui.core.search.analysis.
WordForms`). That is 56 % of the words an article holds, not all of them. A word the
twin leaves out is found through the stems: an article has "attack" as written if its
``attack`` postings hold it and the twin holds no other word of that stem for it, or the
twin holds "attack" itself.

A pattern is matched against both term lists (:class:`WordPattern`, at most
:data:`MAX_FORMS` words), and an article matches when it holds one of those words
(:class:`Forms`): scored as the words' stems are (BM25, like any word), found only where
a word as written fits the pattern, and highlighted only there.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import matching
from whoosh import query as wq

from tui.core.search.analysis import CJK_CHAR, is_cjk, stem
from tui.core.search.query import QueryError
from tui.core.search.schema import FORMS_SUFFIX, WORD_FIELDS

MAX_FORMS = 1024
"""Different words one wildcard or fuzzy term may stand for in one field (Lucene's default
limit of clauses per query): beyond it a query such as ``a*`` is refused, not run slowly."""
STEM_KEEPS = 2
"""Porter stemming keeps all but at most the last two letters of a stem as the word wrote
them ("mobility" -> ``mobil``... "possibly" -> ``possibl``; a test checks it): the words of
a stem are found among the words that start with the rest."""
_GLOB = frozenset("*?[")


class _Leaf(wq.Query):  # type: ignore[misc]
    """A query leaf equal to another of its kind with the same :meth:`_key`."""

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __str__(self) -> str:
        return str(self.__unicode__())

    def is_leaf(self) -> bool:
        return True

    def has_terms(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())


class WordPattern(_Leaf):
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

    def _key(self) -> tuple[object, ...]:
        return (self.fieldname, self.text, self.maxdist, self.prefixlength, self.boost)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.written!r}, boost={self.boost})"

    def __unicode__(self) -> str:
        return f"{self.fieldname}:{self.written}"

    @property
    def written(self) -> str:
        """The term as a query writes it: ``negotiat*``, ``goverment~1``."""
        return f"{self.text}~{self.maxdist}" if self.maxdist else self.text

    def expand(self, reader: Any) -> Forms:
        """The words as written that fit, in every segment of ``reader``, as a query.

        Raises :class:`QueryError` past :data:`MAX_FORMS` words, before reading the rest.
        """
        field, twin = self.fieldname, self.fieldname + FORMS_SUFFIX
        written: set[str] = set()  # words the twin holds
        own: set[str] = set()  # stems that fit as words ("attack" for attack*)
        leaves = [leaf for leaf, _ in reader.leaf_readers() if field in leaf.schema]
        for leaf in leaves:
            for found, terms in ((written, self._fitting(leaf, twin)), (own, self._stems(leaf))):
                for term in terms:
                    found.add(term)
                    if len(written | own) > MAX_FORMS:
                        raise QueryError(self._too_many())
        # A stem that fits stands for its articles' own-stem words. Where some other word
        # of that stem does not fit, only articles with no such word (in the twin) count.
        others = {
            term: tuple(sorted(_words_of(leaves, twin, term) - written - {term}))
            for term in own
            if not self._keeps_all(term)
        }
        return Forms(
            self.fieldname,
            tuple(sorted(written)),
            tuple(sorted(own)),
            tuple(sorted((term, found) for term, found in others.items() if found)),
            boost=self.boost,
        )

    def _fitting(self, reader: Any, field: str) -> Iterator[str]:
        if self.maxdist:
            yield from reader.terms_within(field, self.text, self.maxdist, self.prefixlength)
            return
        prefix = self.text[: self._literal()]
        fits = re.compile(fnmatch.translate(self.text)).match
        terms = reader.expand_prefix(field, prefix) if prefix else reader.lexicon(field)
        for term in terms:
            form = term.decode("utf-8")
            if fits(form):
                yield form

    def _stems(self, reader: Any) -> Iterator[str]:
        """Stems of the field that fit as words (CJK pairs are never words here)."""
        return (term for term in self._fitting(reader, self.fieldname) if not is_cjk(term))

    def _literal(self) -> int:
        return next((i for i, char in enumerate(self.text) if char in _GLOB), len(self.text))

    def _keeps_all(self, term: str) -> bool:
        """Whether every word of stem ``term`` fits for sure: ``p*`` and a stem that starts
        with ``p`` even without the letters stemming may have changed."""
        literal = self._literal()
        return (
            not self.maxdist
            and self.text[literal:] == "*"
            and len(term) - STEM_KEEPS >= literal
            and term.startswith(self.text[:literal])
        )

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

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return self.expand(searcher.reader()).matcher(searcher, context)


def _words_of(leaves: list[Any], twin: str, term: str) -> set[str]:
    """The words the twin holds whose stem is ``term``."""
    start = term[: max(1, len(term) - STEM_KEEPS)]
    return {
        word
        for leaf in leaves
        for word in (found.decode("utf-8") for found in leaf.expand_prefix(twin, start))
        if stem(word) == term
    }


class Forms(_Leaf):
    """The articles whose field holds one of ``forms`` (words as written), scored by the
    forms' stems in that field: ``And(Or(stems), Written(...))``.

    ``written``: the words that fit in the twin field; ``own``: the stems that fit as words;
    ``others``: for such a stem, its other words in the twin that do not fit (an article
    with one of those and no word that fits is not a match).
    """

    def __init__(
        self,
        fieldname: str,
        written: tuple[str, ...],
        own: tuple[str, ...],
        others: tuple[tuple[str, tuple[str, ...]], ...] = (),
        boost: float = 1.0,
    ) -> None:
        self.fieldname = fieldname
        self.written = written
        self.own = own
        self.others = others
        self.boost = boost
        self.forms = tuple(sorted({*written, *own}))
        """Every word as written that fits: what spans show."""
        self.query = _matching(self)

    def _key(self) -> tuple[object, ...]:
        return (self.fieldname, self.written, self.own, self.others, self.boost)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.forms!r}, boost={self.boost})"

    def __unicode__(self) -> str:
        return f"{self.fieldname}:({' OR '.join(self.forms)})"

    def estimate_size(self, ixreader: Any) -> int:
        return int(self.query.estimate_size(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return self.query.matcher(searcher, context)


def _matching(forms: Forms) -> wq.Query:
    if not forms.forms:
        return wq.NullQuery
    stems = sorted({*map(stem, forms.written), *forms.own})
    terms = [wq.Term(forms.fieldname, term, boost=forms.boost) for term in stems]
    # One child alone: an Or of one would drop its boost, as Whoosh's does.
    scored = terms[0] if len(terms) == 1 else wq.Or(terms)
    return wq.And([scored, Written(forms)])


class Written(_Leaf):
    """The articles holding one of a :class:`Forms`' words as written; every score is 0.

    Worked out from the postings of one segment at a time, as plain sets: a word that is
    its own stem needs "in these postings, but not in those".
    """

    def __init__(self, forms: Forms) -> None:
        self.forms = forms

    def _key(self) -> tuple[object, ...]:
        return (self.forms,)

    def __unicode__(self) -> str:
        return f"written:{self.forms}"

    def docnums(self, reader: Any) -> set[int]:
        forms = self.forms
        field, twin = forms.fieldname, forms.fieldname + FORMS_SUFFIX
        found = _docs(reader, twin, forms.written)
        limited = dict(forms.others)
        for term in forms.own:
            stemmed = _docs(reader, field, [term])
            if term in limited:
                stemmed -= _docs(reader, twin, limited[term])
            found |= stemmed
        return found

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ids = sorted(self.docnums(searcher.reader()))
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(ids, weights=[0.0] * len(ids))


def _docs(reader: Any, field: str, terms: Iterable[str]) -> set[int]:
    found: set[int] = set()
    for term in terms:
        if (field, term) in reader:
            found.update(reader.postings(field, term).all_ids())
    return found


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
                f"'{written}': wildcards and ~ are for alphabetic words; "
                "type Chinese, Japanese or Korean as written (e.g. 制裁)"
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
