"""Batch coding: one annotation per KWIC line, skipping matches already coded with the tags.

The skip rule: a match already carries tag T when an annotation placed on the article's
current body (exact, moved or fuzzy: an orphan has no place) *overlaps* it, sharing at
least one character, and carries T or a tag below it (``actor/china`` counts as
``actor``, as ``--tag actor`` means everywhere). Overlap rather than the exact span,
because a word inside a sentence already coded T is coded T: a second, nested
annotation would count the same passage twice in the stats. A match gets the tags it
does not carry yet, and one that carries them all is skipped. Annotations planned
earlier in the same batch count too, so a batch run twice makes nothing the second time.

:func:`plan_batch` only reads; :func:`apply_batch` writes the plan as one operation
(one ``gloss undo`` takes it all back). The review screen plans its marked lines the same
way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from tui.core.analysis.kwic import KwicLine
from tui.core.annotations.model import (
    Anchored,
    Annotation,
    AnnotationError,
    has_tag,
    normalise_tags,
)
from tui.core.annotations.store import AnnotationStore, NewAnnotation
from tui.core.errors import UnknownArticleError
from tui.core.models import Article

PlacedLookup = Callable[[str], Sequence[Anchored]]
"""An article's annotations on its current body (``store.anchored`` of the article)."""


@dataclass(frozen=True, slots=True)
class Planned:
    """A match to annotate, and the tags it does not carry yet."""

    line: KwicLine
    tags: tuple[str, ...]


@dataclass
class BatchPlan:
    tags: tuple[str, ...]
    note: str = ""
    todo: list[Planned] = field(default_factory=list)
    skipped: list[KwicLine] = field(default_factory=list)

    @property
    def matches(self) -> int:
        return len(self.todo) + len(self.skipped)


def covering_tags(line: KwicLine, placed: Sequence[Anchored]) -> tuple[str, ...]:
    """The tags of the annotations in ``placed`` that overlap the line's match (what the
    review screen shows beside a line), first-seen order."""
    found: dict[str, None] = {}
    for item in placed:
        start, end = item.start, item.end
        if start is not None and end is not None and start < line.end and line.start < end:
            found.update(dict.fromkeys(item.tags))
    return tuple(found)


def plan_batch(
    lines: Iterable[KwicLine], tags: Sequence[str], placed: PlacedLookup, note: str = ""
) -> BatchPlan:
    """What tagging ``lines`` with ``tags`` would do, by the skip rule above."""
    wanted = normalise_tags(tags)
    plan = BatchPlan(wanted, note)
    coded: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
    for line in lines:
        spans = coded.get(line.article)
        if spans is None:
            spans = coded[line.article] = [
                (p.start, p.end, p.tags)
                for p in placed(line.article)
                if p.start is not None and p.end is not None
            ]
        present = [t for s, e, t in spans if s < line.end and line.start < e]
        missing = tuple(tag for tag in wanted if not any(has_tag(t, tag) for t in present))
        if not missing:
            plan.skipped.append(line)
            continue
        plan.todo.append(Planned(line, missing))
        spans.append((line.start, line.end, missing))
    return plan


def apply_batch(
    store: AnnotationStore,
    plan: BatchPlan,
    article: Callable[[str], Article | None],
    summary: str = "",
) -> list[Annotation]:
    """Make the plan's annotations in one store operation (one undo step)."""
    items: list[NewAnnotation] = []
    for planned in plan.todo:
        line = planned.line
        found = article(line.article)
        if found is None:
            raise UnknownArticleError(f"unknown article id '{line.article}'")
        if found.body[line.start : line.end] != line.keyword:
            raise AnnotationError(
                f"article '{line.article}' changed since it was searched: search again"
            )
        items.append(NewAnnotation(found, line.start, line.end, planned.tags, plan.note))
    return store.add_many(items, summary=summary)
