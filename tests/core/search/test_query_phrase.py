"""The fast phrase matcher finds exactly what Whoosh's own ``Phrase`` finds, scored the same.

A generated corpus from a small vocabulary makes phrases common (the case the fast
path exists for), with several segments and deleted documents, as a long-lived index has.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Phrase

from tui.core.search import phrase as phrase_module
from tui.core.search.index import SearchIndex
from tui.core.search.phrase import FastPhrase
from tui.core.search.schema import build_schema

VOCABULARY = ["red", "fox", "big", "cat", "ran", "dog", "sun", "tea", "map", "box", "cup", "hat"]


def sentence(rng: random.Random, count: int) -> str:
    # A skewed choice so that some pairs are very common and others rare.
    words = rng.choices(VOCABULARY, weights=range(len(VOCABULARY), 0, -1), k=count)
    return " ".join(word.capitalize() if rng.random() < 0.1 else word for word in words)


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A Whoosh index of the Gloss schema in three segments, with deletions in two."""
    folder = tmp_path_factory.mktemp("phrase-index")
    rng = random.Random(4)
    index = whoosh_index.create_in(folder, build_schema())
    number = 0
    for batch in range(3):
        writer = index.writer()
        for _ in range(120):
            writer.add_document(
                id=f"a{number}",
                title=sentence(rng, rng.randint(2, 6)),
                body=sentence(rng, rng.randint(5, 150)),
                boiler="share this" if number % 3 else "",
            )
            number += 1
        if batch:
            for gone in rng.sample(range(number - 120), 25):
                writer.delete_by_term("id", f"a{gone}")
        writer.commit(merge=False)
    return index


PHRASES = [
    (["red", "fox"], 1),
    (["fox", "red"], 1),
    (["red", "red"], 1),
    (["red", "fox", "big"], 1),
    (["red", "fox", "big", "cat"], 1),
    (["red", "fox"], 2),
    (["red", "fox", "red"], 3),
    (["hat", "cup"], 4),
    (["cup", "hat", "box"], 2),
]


def matches(matcher: Any) -> list[tuple[int, float, float]]:
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.score(), matcher.weight()))
        matcher.next()
    return found


@pytest.mark.parametrize(("words", "slop"), PHRASES)
@pytest.mark.parametrize("field", ["body", "title"])
@pytest.mark.parametrize("boost", [1.0, 2.5])
def test_fast_phrases_match_and_score_as_whoosh(
    segmented: Any, words: list[str], slop: int, field: str, boost: float
) -> None:
    whoosh = Phrase(field, words, slop=slop, boost=boost)
    fast = FastPhrase(field, words, slop=slop, boost=boost)
    with segmented.searcher() as searcher:
        assert len(searcher.subsearchers) == 3
        assert any(sub.reader().has_deletions() for sub, _ in searcher.subsearchers)
        for sub, _ in searcher.subsearchers:
            expected = matches(whoosh.matcher(sub, sub.context()))
            assert matches(fast.matcher(sub, sub.context())) == expected  # scores to the bit
        slow = searcher.search(whoosh, limit=None)
        quick = searcher.search(fast, limit=None)
        assert [(hit.docnum, hit.score) for hit in quick] == [
            (hit.docnum, hit.score) for hit in slow
        ]
        assert len(quick) == len(slow) and (len(slow) > 0 or field == "title")


def test_the_fast_path_is_the_one_taken(segmented: Any) -> None:
    with segmented.searcher() as searcher:
        sub = next(sub for sub, _ in searcher.subsearchers if sub.reader().has_deletions())
        matcher = FastPhrase("body", ["red", "fox"]).matcher(sub, sub.context())
        assert isinstance(matcher, phrase_module._PhraseMatches)
        assert matcher.is_active() and matcher.spans()


def test_search_results_are_the_same_with_whooshs_phrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(9)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(150):
        date = f"20{10 + number % 15}-0{1 + number % 9}-1{number % 10}"
        paragraphs = "\n\n".join(sentence(rng, rng.randint(5, 60)) for _ in range(3))
        (corpus / f"a{number:03d}.txt").write_text(
            f'+++\ntitle = "{sentence(rng, 4).title()}"\ndate = {date}\n+++\n'
            f"{paragraphs}\n\nShare this article\n"
        )
    index = SearchIndex(corpus, folder=tmp_path / "index")
    index.refresh()
    for number in range(0, 150, 7):  # edits: deleted documents and a second segment
        path = corpus / f"a{number:03d}.txt"
        path.write_text(path.read_text() + f"\n{sentence(rng, 20)}\n")
    index.refresh()
    queries = [
        '"red fox"',
        '"Red fox big"',
        '"red fox"~3',
        '"red fox" OR "cup hat"',
        '"red fox" NOT "big cat"',
        'sun AND "fox red"',
        '"share this"',
    ]
    fast = {
        (query, sort): index.search(query, limit=30, sort=sort)
        for query in queries
        for sort in ("score", "date", "title")
    }
    monkeypatch.setattr(phrase_module, "speed_up", lambda parsed: parsed)
    for (query, sort), result in fast.items():
        whoosh = index.search(query, limit=30, sort=sort)
        assert result.total == whoosh.total > 0, query
        assert result.hits == whoosh.hits, (query, sort)
