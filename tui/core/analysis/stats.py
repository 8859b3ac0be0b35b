"""Counts over coded annotations: tag frequencies, co-occurrence, timeline, sources, coders.

Every count works on a :class:`~tui.core.annotations.selection.Selection` (so ``--tag``
means what it means everywhere) and rolls tags up their tree: an annotation tagged
``actor/china`` counts once for ``actor/china`` and once for ``actor``, and one tagged
both ``actor`` and ``actor/china`` still counts once for ``actor``
(:func:`~tui.core.annotations.model.with_ancestors`).

The definitions, which ``gloss stats`` and the insights screen share:

- **annotations / articles** of a tag: annotations carrying it or a tag below it, and
  the articles holding at least one of those.
- **co-occurrence** of two chosen tags A and B: *articles*, how many articles hold an
  annotation with A and one with B (the same one counts); *passages*, how many passages
  carry both, where a passage is a run of annotations tagged A or B that overlap each
  other (share a character) in one article, so one annotation tagged A and B is a
  passage, and so are an A annotation and a B one that overlap. Orphaned annotations
  have no place: they count for articles, never for passages. ``passages(a, b)`` lists
  them (the review screen opens one).
- **timeline**: annotations per chosen tag per month of the article's date (every month
  from the first to the last, then ``undated``).
- **sources / authors**: annotations and articles per article source and per coder
  (the annotation's author), with annotations per chosen tag.

Chosen tags (co-occurrence, timeline, per-source columns): the ``--tag`` values when two
or more are given; with one, the tags directly below it (or it alone, if it has none);
with none, the top-level tags in use.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from tui.core.annotations.codebook import Codebook
from tui.core.annotations.model import Anchored, tag_matches, with_ancestors
from tui.core.annotations.selection import Selection

UNDATED = "undated"
UNKNOWN = ""
"""The group of articles without a source (or annotations without an author)."""
CSV_COLUMNS = ("table", "name", "other", "annotations", "articles")


@dataclass(frozen=True, slots=True)
class TagRow:
    tag: str
    annotations: int
    articles: int
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "annotations": self.annotations,
            "articles": self.articles,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class Passage:
    """Overlapping annotations in one article: ``start``-``end`` spans all of them."""

    article: str
    start: int
    end: int
    annotations: tuple[Anchored, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "annotations": [a.id for a in self.annotations],
        }


@dataclass(frozen=True, slots=True)
class Cell:
    first: str
    second: str
    passages: int
    articles: int

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "passages": self.passages,
            "articles": self.articles,
        }


@dataclass
class Cooccurrence:
    """The matrix of chosen tags: ``cell(a, b)`` (symmetric) and its ``passages(a, b)``.

    On the diagonal, ``cell(a, a)`` is the tag's own annotations and articles.
    """

    tags: tuple[str, ...]
    _cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    _passages: dict[tuple[str, str], list[Passage]] = field(default_factory=dict)

    def cell(self, first: str, second: str) -> Cell:
        return self._cells[_pair(self.tags, first, second)]

    def passages(self, first: str, second: str) -> list[Passage]:
        """The passages counted in ``cell(first, second)``, by article then position."""
        if first == second:
            raise ValueError("passages of a tag with itself: list its annotations instead")
        return list(self._passages[_pair(self.tags, first, second)])

    def cells(self) -> list[Cell]:
        """Every cell of the upper triangle, diagonal included, row by row."""
        return [self._cells[(a, b)] for i, a in enumerate(self.tags) for b in self.tags[i:]]


@dataclass(frozen=True, slots=True)
class Timeline:
    tags: tuple[str, ...]
    months: tuple[str, ...]
    counts: dict[tuple[str, str], int]

    def count(self, tag: str, month: str) -> int:
        return self.counts.get((tag, month), 0)

    def series(self, tag: str) -> list[int]:
        """The tag's count for each of ``months`` (what a chart plots)."""
        return [self.count(tag, month) for month in self.months]


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One source (or coder): ``name`` is ``""`` for none."""

    name: str
    annotations: int
    articles: int
    tags: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name or None,
            "annotations": self.annotations,
            "articles": self.articles,
            "tags": self.tags,
        }


@dataclass
class Stats:
    annotations: int
    articles: int
    chosen: tuple[str, ...]
    tags: list[TagRow]
    cooccurrence: Cooccurrence
    timeline: Timeline
    sources: list[GroupRow]
    authors: list[GroupRow]

    def tag(self, name: str) -> TagRow | None:
        return next((row for row in self.tags if row.tag == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "annotations": self.annotations,
            "articles": self.articles,
            "chosen": list(self.chosen),
            "tags": [row.to_json() for row in self.tags],
            "cooccurrence": [cell.to_json() for cell in self.cooccurrence.cells()],
            "timeline": {
                "months": list(self.timeline.months),
                "series": {tag: self.timeline.series(tag) for tag in self.timeline.tags},
            },
            "sources": [row.to_json() for row in self.sources],
            "authors": [row.to_json() for row in self.authors],
        }

    def to_csv(self) -> str:
        """Every table in one long CSV: ``table,name,other,annotations,articles``.

        Rows: ``tag`` (name = tag), ``cooccurrence`` (name, other = the two tags;
        annotations = passages), ``timeline`` (other = month), ``source`` and ``author``
        (other empty for the totals, else a chosen tag with its annotations).
        """
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in self.tags:
            writer.writerow(["tag", row.tag, "", row.annotations, row.articles])
        for cell in self.cooccurrence.cells():
            writer.writerow(["cooccurrence", cell.first, cell.second, cell.passages, cell.articles])
        for tag in self.timeline.tags:
            for month in self.timeline.months:
                writer.writerow(["timeline", tag, month, self.timeline.count(tag, month), ""])
        for table, rows in (("source", self.sources), ("author", self.authors)):
            for group in rows:
                writer.writerow([table, group.name, "", group.annotations, group.articles])
                for tag, count in group.tags.items():
                    writer.writerow([table, group.name, tag, count, ""])
        return out.getvalue()


class ArticleMatcher(Protocol):
    """What a ``--query`` filter needs of the search index (``SearchIndex.matching``)."""

    def matching(self, query: str, among: Iterable[str]) -> set[str]: ...


def compute_matching(
    selection: Selection,
    tags: Sequence[str],
    codebook: Codebook | None,
    query: str | None = None,
    index: ArticleMatcher | None = None,
) -> Stats:
    """The stats of ``selection``, only its articles matching ``query`` when one is given
    (``gloss stats --query`` and the insights screen count the same way)."""
    if query and index is not None:
        selection = selection.only(index.matching(query, selection.article_ids()))
    return compute(selection, tags, codebook)


def chosen_tags(given: Sequence[str], used: Iterable[str]) -> tuple[str, ...]:
    """The tags to compare (see the module docstring): as given, else in tree order."""
    if len(given) >= 2:
        return tuple(dict.fromkeys(given))
    names = with_ancestors(used)
    if len(given) == 1:
        parent = given[0]
        depth = parent.count("/") + 1
        children = sorted(n for n in names if tag_matches(parent, n) and n.count("/") == depth)
        return tuple(children) or (parent,)
    return tuple(sorted(n for n in names if "/" not in n))


def compute(
    selection: Selection, tags: Sequence[str] = (), codebook: Codebook | None = None
) -> Stats:
    """The stats of ``selection``; ``tags`` as given with ``--tag`` (they pick the chosen
    tags; filtering is the selection's)."""
    items = selection.items
    # Few distinct tag sets recur across many annotations: roll each up once.
    known: dict[tuple[str, ...], frozenset[str]] = {}
    rolled: list[frozenset[str]] = []
    for item in items:
        found = known.get(item.tags)
        if found is None:
            found = known[item.tags] = frozenset(with_ancestors(item.tags))
        rolled.append(found)
    chosen = chosen_tags(tags, {t for names in known for t in names})
    annotations: Counter[str] = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    for item, names in zip(items, rolled, strict=True):
        annotations.update(names)
        for name in names:
            articles[name].add(item.article)
    book = codebook or Codebook()
    rows = [
        TagRow(name, annotations[name], len(articles[name]), _description(book, name))
        for name in sorted(annotations)
    ]
    carrying = {tag: [tag in names for names in rolled] for tag in chosen}
    return Stats(
        annotations=len(items),
        articles=len({item.article for item in items}),
        chosen=chosen,
        tags=rows,
        cooccurrence=_cooccurrence(items, chosen, carrying, annotations, articles),
        timeline=_timeline(selection, chosen, carrying),
        sources=_groups(selection, chosen, carrying, by_source=True),
        authors=_groups(selection, chosen, carrying, by_source=False),
    )


def _description(book: Codebook, name: str) -> str:
    info = book.get(name)
    return info.description if info else ""


def _pair(tags: Sequence[str], first: str, second: str) -> tuple[str, str]:
    if first not in tags or second not in tags:
        missing = first if first not in tags else second
        raise KeyError(f"tag '{missing}' is not among the chosen tags ({', '.join(tags)})")
    return (first, second) if tags.index(first) <= tags.index(second) else (second, first)


def _cooccurrence(
    items: Sequence[Anchored],
    chosen: tuple[str, ...],
    carrying: dict[str, list[bool]],
    annotations: Counter[str],
    articles: dict[str, set[str]],
) -> Cooccurrence:
    result = Cooccurrence(chosen)
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_article[item.article].append(index)
    for i, first in enumerate(chosen):
        result._cells[(first, first)] = Cell(first, first, annotations[first], len(articles[first]))
        for second in chosen[i + 1 :]:
            both = articles[first] & articles[second]
            found: list[Passage] = []
            for article in sorted(both):
                found.extend(
                    _passages(
                        article, items, by_article[article], carrying[first], carrying[second]
                    )
                )
            result._cells[(first, second)] = Cell(first, second, len(found), len(both))
            result._passages[(first, second)] = found
    return result


def _passages(
    article: str,
    items: Sequence[Anchored],
    indexes: Sequence[int],
    first: Sequence[bool],
    second: Sequence[bool],
) -> list[Passage]:
    """Runs of overlapping annotations tagged ``first`` or ``second`` holding both."""
    placed: list[tuple[int, int, int]] = []
    for i in indexes:
        start, end = items[i].start, items[i].end
        if (first[i] or second[i]) and start is not None and end is not None:
            placed.append((start, end, i))
    placed.sort()
    found: list[Passage] = []
    run: list[int] = []
    run_start = run_end = 0
    has_first = has_second = False
    for start, end, index in placed:
        if run and start < run_end:
            run.append(index)
            run_end = max(run_end, end)
            has_first = has_first or first[index]
            has_second = has_second or second[index]
            continue
        if has_first and has_second:
            found.append(Passage(article, run_start, run_end, tuple(items[i] for i in run)))
        run, run_start, run_end = [index], start, end
        has_first, has_second = first[index], second[index]
    if has_first and has_second:
        found.append(Passage(article, run_start, run_end, tuple(items[i] for i in run)))
    return found


def _month(selection: Selection, article: str) -> str:
    found = selection.articles.get(article)
    return found.date.strftime("%Y-%m") if found is not None and found.date else UNDATED


def _timeline(
    selection: Selection, chosen: tuple[str, ...], carrying: dict[str, list[bool]]
) -> Timeline:
    by_article = {a: _month(selection, a) for a in {item.article for item in selection.items}}
    months = [by_article[item.article] for item in selection.items]
    counts: Counter[tuple[str, str]] = Counter()
    for tag in chosen:
        counts.update((tag, month) for month, hit in zip(months, carrying[tag], strict=True) if hit)
    dated = sorted({m for m in months if m != UNDATED})
    axis = _every_month(dated[0], dated[-1]) if dated else []
    if UNDATED in months:
        axis.append(UNDATED)
    return Timeline(chosen, tuple(axis), dict(counts))


def _every_month(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    end = (int(last[:4]), int(last[5:]))
    axis: list[str] = []
    while (year, month) <= end:
        axis.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return axis


def _groups(
    selection: Selection,
    chosen: tuple[str, ...],
    carrying: dict[str, list[bool]],
    by_source: bool,
) -> list[GroupRow]:
    if by_source:
        sources = {
            a: (found.source or UNKNOWN) if (found := selection.articles.get(a)) else UNKNOWN
            for a in {item.article for item in selection.items}
        }
        names = [sources[item.article] for item in selection.items]
    else:
        names = [item.annotation.author or UNKNOWN for item in selection.items]
    annotations: Counter[str] = Counter(names)
    articles: dict[str, set[str]] = defaultdict(set)
    for name, item in zip(names, selection.items, strict=True):
        articles[name].add(item.article)
    per_tag: dict[str, Counter[str]] = {
        tag: Counter(n for n, hit in zip(names, carrying[tag], strict=True) if hit)
        for tag in chosen
    }
    order = sorted(annotations, key=lambda n: (-annotations[n], n == UNKNOWN, n.casefold()))
    return [
        GroupRow(
            name,
            annotations[name],
            len(articles[name]),
            {tag: per_tag[tag][name] for tag in chosen},
        )
        for name in order
    ]
