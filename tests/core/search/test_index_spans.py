"""Span exactness as a property: any word or phrase of any seed, in any case, maps back to
itself in the body `gloss show` prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.corpus.load import Corpus, load_corpus
from tui.core.search.analysis import WORD_PATTERN, stem
from tui.core.search.index import SearchIndex

REPO = Path(__file__).resolve().parents[3]
CORPUS: Corpus = load_corpus(REPO / "seeds")
OPERATORS = {"and", "or", "not", "to"}
WORDS = sorted(
    {
        (article.id, match.start(), match.end())
        for article in CORPUS.articles.values()
        for match in WORD_PATTERN.finditer(article.body)
        if match.group().lower() not in OPERATORS
    }
)
CASES = [str.lower, str.upper, str.title, str.swapcase, lambda word: word]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    built = SearchIndex(REPO / "seeds", folder=tmp_path_factory.mktemp("spans-index"))
    built.refresh()
    return built


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(place=st.sampled_from(WORDS), case=st.sampled_from(CASES))
def test_every_span_is_the_word_as_written(
    index: SearchIndex, place: tuple[str, int, int], case: object
) -> None:
    article_id, start, end = place
    written = CORPUS.get(article_id).body[start:end]
    query = case(written)  # type: ignore[operator]
    result = index.search(query, limit=10)
    hits = {hit.id: hit for hit in result.hits}
    assert article_id in hits
    for hit in result.hits:
        body = CORPUS.get(hit.id).body
        assert hit.spans, hit.id
        assert all(stem(body[s:e]) == stem(written) for s, e in hit.spans)
        assert all(stem(hit.snippet[a:b]) == stem(written) for a, b in hit.snippet_spans)
    assert (start, end) in hits[article_id].spans


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(place=st.sampled_from(WORDS[:-1]), case=st.sampled_from(CASES))
def test_a_phrase_span_runs_from_its_first_word_to_its_last(
    index: SearchIndex, place: tuple[str, int, int], case: object
) -> None:
    article_id, start, _ = place
    body = CORPUS.get(article_id).body
    words = list(WORD_PATTERN.finditer(body, start))[:2]
    if len(words) < 2 or any(w.group().lower() in OPERATORS for w in words):
        return
    if any(len(w.group()) > 40 for w in words):
        return
    furniture = CORPUS.get(article_id).boilerplate
    inside = [any(s <= w.start() < e for s, e in furniture) for w in words]
    if inside[0] != inside[1]:
        return  # article text and boilerplate are separate fields: no phrase across them
    phrase = f'"{case(words[0].group())} {case(words[1].group())}"'  # type: ignore[operator]
    hits = {hit.id: hit for hit in index.search(phrase, limit=10).hits}
    assert article_id in hits
    span = (words[0].start(), words[1].end())
    assert span in hits[article_id].spans or any(
        s <= span[0] and span[1] <= e for s, e in hits[article_id].spans
    )


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("aZé_9½٣.'-  \n\t\u2028\u00a0\u1680")) | st.characters(),
        max_size=60,
    )
)
def test_the_distinct_words_of_a_text_are_its_tokens(text: str) -> None:
    from tui.core.search.spans import _distinct_words

    assert _distinct_words(text) == set(WORD_PATTERN.findall(text))
