"""`gloss check`: parse every store file, re-anchor every annotation, optionally save offsets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tui.core.annotations.model import STATES, Anchored
from tui.core.annotations.oplog import read_oplog
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus
from tui.core.errors import GlossError


@dataclass
class CheckReport:
    files: int = 0
    items: list[Anchored] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)
    problems: list[GlossError] = field(default_factory=list)
    fixed: int = 0

    @property
    def states(self) -> dict[str, int]:
        counts = Counter(item.state for item in self.items)
        return {state: counts.get(state, 0) for state in STATES}

    @property
    def review(self) -> list[Anchored]:
        return [item for item in self.items if item.needs_review]

    def lines(self) -> list[str]:
        states = ", ".join(f"{state} {count}" for state, count in self.states.items())
        out = [f"{_count(len(self.items), 'annotation')} in {_count(self.files, 'file')}: {states}"]
        if self.fixed:
            out.append(f"saved new offsets of {_count(self.fixed, 'moved annotation')}")
        for item in self.review:
            quote = " ".join(item.exact.split())
            quote = quote if len(quote) <= 60 else quote[:59] + "…"
            state = "article missing" if item.state == "missing" else item.state
            out.append(f"needs review: {item.id}  {item.article}  {state}  “{quote}”")
        found = {item.state for item in self.review}
        if found & {"fuzzy", "orphaned"}:
            out.append(
                "accept a fuzzy match with 'gloss reattach ID'; re-attach an orphan with "
                "'gloss reattach ID --quote TEXT'"
            )
        if "missing" in found:
            out.append(
                "article missing: its file is no longer in the corpus; restore it (the "
                "annotations come back) or remove them with 'gloss delete ID'"
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "annotations": len(self.items),
            "states": self.states,
            "fixed": self.fixed,
            "review": [item.to_json(self.bodies.get(item.article)) for item in self.review],
            "broken": [str(p) for p in self.problems],
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def check_store(store: AnnotationStore, corpus: Corpus, fix: bool = False) -> CheckReport:
    """Read everything; with ``fix``, save moved offsets (only in files that parse)."""
    scan = store.scan()
    report = CheckReport(files=len(scan.annotations) + len(scan.problems))
    report.problems.extend(scan.problems.values())
    for path_check in (store.codebook, lambda: read_oplog(store.oplog_path)):
        try:
            path_check()
        except GlossError as exc:
            report.problems.append(exc)
    for article_id, stored in scan.annotations.items():
        placed = store.anchored_for(article_id, stored)
        article = corpus.articles.get(article_id)
        if article is not None:
            report.bodies[article_id] = article.body
        if fix and article is not None and any(p.changed and p.state == "moved" for p in placed):
            report.fixed += sum(1 for p in placed if p.changed and p.state == "moved")
            placed = store.fix(article)
        report.items.extend(placed)
    return report
