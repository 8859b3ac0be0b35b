"""A loaded corpus: every article of one folder, and the files that could not be read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.corpus.folder import scan_folder
from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.corpus.parse import read_article
from tui.core.errors import CorpusError, GlossError, UnknownArticleError
from tui.core.models import Article


@dataclass
class Corpus:
    """The articles of one folder, with the files that could not be read (by id)."""

    root: Path
    articles: dict[str, Article]
    problems: dict[str, GlossError] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles.values())

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article:
        try:
            return self.articles[article_id]
        except KeyError:
            if article_id in self.problems:
                raise self.problems[article_id] from None
            raise UnknownArticleError(f"unknown article id '{article_id}' in {self.root}") from None


def load_corpus(
    root: Path,
    exclude: Iterable[Path] = (),
    previous: Corpus | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> Corpus:
    """Load every article; a file that cannot be read is kept as a problem, not fatal.

    With ``previous`` (an earlier load of the same folder, read with the same
    ``options``), articles whose file, size and time are unchanged are reused rather than
    read again.
    """
    scanned = scan_folder(root, exclude)
    known = previous.articles if previous is not None else {}
    articles: dict[str, Article] = {}
    problems: dict[str, GlossError] = dict(scanned.problems)
    for src in scanned.sources:
        old = known.get(src.id)
        if old is not None and (old.path, old.size, old.mtime_ns) == (
            src.path,
            src.size,
            src.mtime_ns,
        ):
            articles[src.id] = old
            continue
        try:
            articles[src.id] = read_article(src, options)
        except CorpusError as exc:
            problems[src.id] = exc
    return Corpus(root=root.resolve(), articles=articles, problems=problems)
