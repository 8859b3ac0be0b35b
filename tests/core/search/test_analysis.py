"""The tokenizer on real text: wildcards and fuzzy terms on words as written, CJK runs cut
into character pairs, dotted abbreviations as one word; each checked as a property on a
generated corpus against a scan of its bodies."""

from __future__ import annotations

import fnmatch
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein
from whoosh.formats import Positions

from tui.core.corpus.load import Corpus, load_corpus
from tui.core.search.analysis import (
    WORD_PATTERN,
    WordAnalyzer,
    WordForms,
    WordPositions,
    fold,
    is_cjk,
    query_tokens,
    stem,
    tokens,
)
from tui.core.search.index import SearchIndex
from tui.core.text import count_words

FAMILIES = [
    "community communities communal communicate communication communications commune",
    "negotiate negotiates negotiated negotiating negotiation negotiations negotiator",
    "attack attacks attacked attacking attacker",
    "talk talks talked talking talky",
    "govern governs governed government governments governor over oven",
    "bomb bombs bombed bombing bomber chip chips chipped",
    "sanction sanctions sanctioned sanctioning sanctity",
    "Putin Pution Putina Jinping Moscow Moskva",
]
VOCABULARY = sorted({word.lower() for family in FAMILIES for word in family.split()})
HAN = "中华人民共和国主席习近平俄罗斯总统普京西方制裁推动合作"
KANA = "のはにをプーチンカタ"
HANGUL = "제재를대한민국정부"
CJK_ALPHABET = HAN + KANA + HANGUL


def _cased(rng: random.Random, word: str) -> str:
    return rng.choice([word, word.title(), word.upper()])


def _write(folder: Path, texts: list[str]) -> Corpus:
    folder.mkdir()
    for number, text in enumerate(texts):
        (folder / f"a{number:03}.txt").write_text(text, encoding="utf-8")
    return load_corpus(folder)


def _indexed(
    factory: pytest.TempPathFactory, name: str, texts: list[str]
) -> tuple[Corpus, SearchIndex]:
    """A corpus of ``texts`` (``a000`` ...) and its built index."""
    folder = factory.mktemp(name) / "corpus"
    corpus = _write(folder, texts)
    index = SearchIndex(folder, folder=folder.parent / "index")
    index.refresh()
    return corpus, index


@pytest.fixture(scope="module")
def words_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, SearchIndex]:
    """60 articles of words from families that share Porter stems."""
    rng = random.Random(18)
    texts = []
    for _ in range(60):
        lines = [
            " ".join(_cased(rng, rng.choice(VOCABULARY)) for _ in range(rng.randint(3, 12))) + "."
            for _ in range(rng.randint(2, 6))
        ]
        texts.append("Title words\n\n" + "\n".join(lines) + "\n")
    return _indexed(tmp_path_factory, "words", texts)


def _check(corpus: Corpus, index: SearchIndex, query: str, fits: object) -> None:
    """The hits are exactly the articles with a word that fits; each such word is a span,
    and each span is such a word as written."""
    fit = fits  # a predicate on a folded word
    expected = {
        article.id: {
            (m.start(), m.end())
            for m in WORD_PATTERN.finditer(article.body)
            if fit(fold(m.group()))  # type: ignore[operator]
        }
        for article in corpus.articles.values()
    }
    expected = {key: spans for key, spans in expected.items() if spans}
    result = index.search(query, limit=100)
    assert result.total == len(expected), query
    for hit in result.hits:
        body = corpus.get(hit.id).body
        assert set(hit.spans) == expected[hit.id], (query, hit.id)
        assert all(fit(fold(body[s:e])) for s, e in hit.spans)  # type: ignore[operator]


_word = st.sampled_from(VOCABULARY)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=_word, cut=st.integers(min_value=3, max_value=12), kind=st.sampled_from("*?m"))
def test_every_wildcard_span_is_a_word_that_fits(
    words_corpus: tuple[Corpus, SearchIndex], word: str, cut: int, kind: str
) -> None:
    corpus, index = words_corpus
    if kind == "*":
        pattern = word[:cut] + "*"
    elif kind == "?":
        pattern = word[:cut] + "?" * max(0, len(word) - cut)
    else:  # a letter in the middle
        assume(len(word) > 3)
        middle = min(cut, len(word) - 2)
        pattern = word[:middle] + "?" + word[middle + 1 :]
    assume("*" in pattern or "?" in pattern)
    _check(corpus, index, pattern, lambda form: fnmatch.fnmatchcase(form, pattern))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=_word, data=st.data(), edits=st.sampled_from([1, 2]))
def test_every_fuzzy_span_is_within_the_edits_as_written(
    words_corpus: tuple[Corpus, SearchIndex], word: str, data: st.DataObject, edits: int
) -> None:
    corpus, index = words_corpus
    at = data.draw(st.integers(min_value=0, max_value=len(word) - 1))
    typo = word[:at] + word[at + 1 :]  # a letter dropped: one edit from the word
    assume(len(typo) >= 3)
    _check(
        corpus,
        index,
        f"{typo}~{edits}",
        lambda form: Levenshtein.distance(form, typo) <= edits,
    )


CJK_RUNS = st.text(alphabet=CJK_ALPHABET, min_size=1, max_size=14)
LATIN = st.sampled_from(["Xi", "Putin", "sanctions", "met", "2024", "U.S."])
PUNCTUATION = st.sampled_from(["，", "。", " ", "、", "\n", " - ", "・"])
CJK_TEXT = st.lists(st.one_of(CJK_RUNS, LATIN, PUNCTUATION), min_size=1, max_size=25).map("".join)


@pytest.fixture(scope="module")
def cjk_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, SearchIndex]:
    """40 articles mixing Chinese, Japanese and Korean runs with English words."""
    rng = random.Random(17)
    pieces = [*[None] * 6, "Xi", "Putin", "sanctions", "2024", "U.S.", "，", "。", " ", "\n"]
    texts = []
    for _ in range(40):
        parts = []
        for _ in range(rng.randint(5, 40)):
            piece = rng.choice(pieces)
            size = rng.randint(1, 12)
            parts.append(piece or "".join(rng.choice(CJK_ALPHABET) for _ in range(size)))
            parts.append(rng.choice(["", "", " ", "。"]))
        texts.append("Mixed\n\n" + "".join(parts) + "\n")
    return _indexed(tmp_path_factory, "cjk", texts)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), size=st.integers(min_value=1, max_value=5))
def test_every_cjk_occurrence_is_found(
    cjk_corpus: tuple[Corpus, SearchIndex], data: st.DataObject, size: int
) -> None:
    corpus, index = cjk_corpus
    article = data.draw(st.sampled_from(sorted(corpus.articles)))
    runs = [m.group() for m in re.finditer(f"[{CJK_ALPHABET}]+", corpus.get(article).body)]
    runs = [run for run in runs if len(run) >= size]
    assume(runs)
    run = data.draw(st.sampled_from(runs))
    at = data.draw(st.integers(min_value=0, max_value=len(run) - size))
    query = run[at : at + size]
    expected = {a.id for a in corpus.articles.values() if query in a.body}
    result = index.search(query, limit=100)
    assert {hit.id for hit in result.hits} == expected and result.total == len(expected)
    for hit in result.hits:
        body = corpus.get(hit.id).body
        assert all(body[s:e] == query for s, e in hit.spans)
        for found in re.finditer(re.escape(query), body):
            assert found.span() in hit.spans, (query, hit.id, found.span())


@settings(max_examples=300, deadline=None)
@given(text=CJK_TEXT | st.text(alphabet="aZé.U.S'’ 9９Ｕ習近平プーの제재\n", max_size=40))
def test_the_fast_posting_format_matches_the_analyzer_on_any_script(text: str) -> None:
    fast = sorted(WordPositions().word_values(text, None))
    slow = sorted(Positions().word_values(text, WordAnalyzer()))
    assert fast == slow
    forms = {form for form, *_ in WordForms().word_values(text, None)}
    words = {m.group() for m in WORD_PATTERN.finditer(text)}
    words = {word for word in words if len(word) <= 40 and not is_cjk(word)}
    for word in words:  # left out: a word that is its own stem, alone of its stem
        alone = {fold(other) for other in words if stem(other) == stem(word)} == {stem(word)}
        assert (fold(word) in forms) != alone, word


@settings(max_examples=300, deadline=None)
@given(text=CJK_TEXT)
def test_tokens_are_the_text_as_written(text: str) -> None:
    for _, term, start, end in tokens(text):
        written = text[start:end]
        assert term == written or term == stem(written)


def test_a_cjk_run_is_pairs_and_characters() -> None:
    assert [(p, t) for p, t, _, _ in tokens("习近平 met")] == [
        (0, "习近"),
        (0, "习"),
        (1, "近平"),
        (1, "近"),
        (2, "平"),
        (3, "met"),
    ]
    assert [t for t, _, _ in query_tokens("习近平")] == ["习近", "近平"]
    assert [t for t, _, _ in query_tokens("习近平 met")] == ["习近", "近平", "平", "met"]
    assert [t for t, _, _ in query_tokens("俄")] == ["俄"]
    assert [t for t, _, _ in query_tokens("Xi习近平")] == ["xi", "习近", "近平"]


def test_abbreviations_fold_to_one_word() -> None:
    assert fold("U.S") == fold("US") == fold("u.s") == fold("Ｕ.Ｓ") == "us"
    assert fold("U.S.A") == "usa" and fold("e.g") == "eg"
    assert fold("Ph.D") == "ph.d" and fold("3.5") == "3.5" and fold("A.1") == "a.1"
    assert stem("U.S") == stem("us") and fold("２０２４") == "2024"


@settings(max_examples=100, deadline=None)
@given(
    letters=st.lists(st.sampled_from("ABCEKNSU"), min_size=2, max_size=3),
    before=st.sampled_from(["The ", "(", "", "In 2024 the "]),
    after=st.sampled_from([". ", "-led ", "'s ", " and ", ", "]),
)
def test_an_abbreviation_matches_with_or_without_dots(
    tmp_path_factory: pytest.TempPathFactory, letters: list[str], before: str, after: str
) -> None:
    dotted = ".".join(letters) + "."
    plain = "".join(letters)
    text = f"{before}{dotted}{after}said {plain} officials; the {plain.lower()} plan.\n"
    corpus, index = _indexed(tmp_path_factory, "abbr", [f"Title\n\n{text}"])
    for query in (plain.lower(), dotted, ".".join(letters)):
        hits = index.search(query).hits
        body = corpus.get("a000").body
        written = [body[s:e] for s, e in hits[0].spans]
        assert written == [".".join(letters), plain, plain.lower()], query


def test_chinese_and_japanese_count_a_word_per_character() -> None:
    assert count_words("中华人民共和国主席习近平。") == 12
    assert count_words("制裁の影響") == 5
    assert count_words("대한민국 정부는 제재를 발표했다.") == 4  # Korean: by spaces
    assert count_words("Xi Jinping 习近平 met China's leaders") == 8
    article = "中俄关系在二〇二四年继续发展，双方签署了多项协议。" * 20
    assert count_words(article) == len(re.findall(r"[^，。]", article))


SUFFIXES = [
    "s",
    "es",
    "ies",
    "sses",
    "ed",
    "eed",
    "ing",
    "ly",
    "y",
    "e",
    "at",
    "bl",
    "iz",
    "er",
    "ers",
    "ation",
    "ational",
    "tional",
    "ization",
    "izer",
    "ator",
    "ability",
    "ibility",
    "bility",
    "biliti",
    "aliti",
    "iviti",
    "iveness",
    "fulness",
    "ousness",
    "alism",
    "ness",
    "ment",
    "ence",
    "ance",
    "enci",
    "anci",
    "abli",
    "alli",
    "entli",
    "eli",
    "ousli",
    "bli",
    "logi",
    "ism",
    "ist",
    "ity",
    "ive",
    "ize",
    "ous",
    "ent",
    "ant",
    "able",
    "ible",
    "al",
    "ic",
    "ical",
    "icate",
    "ative",
    "alize",
    "iciti",
    "ful",
    "ally",
    "ently",
    "ement",
    "ion",
    "sion",
    "tion",
]


@settings(max_examples=3000, deadline=None)
@given(
    root=st.text(alphabet="abcdefghiklmnoprstuvwy", min_size=1, max_size=9),
    suffixes=st.lists(st.sampled_from(SUFFIXES), max_size=3),
)
def test_stemming_keeps_a_words_start(root: str, suffixes: list[str]) -> None:
    """What :data:`~tui.core.search.forms.STEM_KEEPS` relies on to find a stem's words."""
    from tui.core.search.forms import STEM_KEEPS

    word = root + "".join(suffixes)
    term = stem(word)
    assert word.startswith(term[: max(1, len(term) - STEM_KEEPS)]), (word, term)
    assert fold(fold(word)) == fold(word)


@settings(max_examples=500, deadline=None)
@given(word=st.text(min_size=1, max_size=12))
def test_folding_twice_changes_nothing(word: str) -> None:
    assert fold(fold(word)) == fold(word)
