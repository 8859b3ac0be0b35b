"""Issue 18's search reproductions, each a one-file corpus searched as a user would:
``gloss --corpus DIR search QUERY --json``, every span checked against ``gloss show``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Gloss
from tui.core.search.forms import MAX_FORMS


def _corpus(tmp_path: Path, text: str, name: str = "a") -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _matched(gloss: Gloss, folder: Path, query: str) -> list[str]:
    """The words each span of each hit covers, as ``body[start:end]`` of ``gloss show``."""
    result = gloss("--corpus", str(folder), "search", query, "--json")
    assert result.code == 0, result.err
    words: list[str] = []
    for hit in json.loads(result.out):
        shown = gloss("--corpus", str(folder), "show", hit["id"], "--json")
        body = json.loads(shown.out)["body"]
        assert hit["spans"], (query, hit["id"])
        words.extend(body[start:end] for start, end in hit["spans"])
    return words


WILDCARDS = (
    "Community leaders began negotiations. The communities want to negotiate. "
    "Two attacks and the talks failed. Bombs fell. Chips are down.\n"
)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("communit*", ["Community", "communities"]),
        ("negotiat*", ["negotiations", "negotiate"]),
        ("attack?", ["attacks"]),
        ("talk?", ["talks"]),
        ("bomb?", ["Bombs"]),
        ("chip?", ["Chips"]),
        ("negotiation?", ["negotiations"]),
        ("talk*", ["talks"]),
    ],
)
def test_wildcards_match_words_as_written(
    gloss: Gloss, tmp_path: Path, query: str, words: list[str]
) -> None:
    assert _matched(gloss, _corpus(tmp_path, WILDCARDS), query) == words


def test_a_wildcard_spans_only_the_forms_that_fit(gloss: Gloss, tmp_path: Path) -> None:
    """ "attack" has the stem of "attacks", but ``attack?`` wants one more letter."""
    folder = _corpus(tmp_path, "One attack.\n", "one")
    _corpus(tmp_path, "Two attacks, then an attack.\n", "two")
    assert _matched(gloss, folder, "attack?") == ["attacks"]


def test_fuzzy_terms_compare_words_as_written(gloss: Gloss, tmp_path: Path) -> None:
    folder = _corpus(tmp_path, "The government met. It was over by noon.\n")
    assert _matched(gloss, folder, "goverment~") == ["government"]
    assert _matched(gloss, folder, "govrment~2") == ["government"]
    assert _matched(gloss, folder, "ovr~") == ["over"]


def test_fuzzy_names_still_work(gloss: Gloss, tmp_path: Path) -> None:
    folder = _corpus(tmp_path, "Putin met Xi Jinping in Moscow; Putin's aides waited.\n")
    assert _matched(gloss, folder, "Putn~") == ["Putin", "Putin"]
    assert _matched(gloss, folder, "Jinpin~") == ["Jinping"]
    assert _matched(gloss, folder, "Mosow~1") == ["Moscow"]


def test_a_misspelt_word_suggests_the_word_as_written(gloss: Gloss, tmp_path: Path) -> None:
    folder = _corpus(tmp_path, "The government met. It was over by noon.\n")
    result = gloss("--corpus", str(folder), "search", "goverment")
    assert result.code == 0 and result.out == ""
    assert "did you mean: government" in result.err


def test_a_wildcard_for_too_many_words_is_refused(gloss: Gloss, tmp_path: Path) -> None:
    words = " ".join(f"a{n:04x}z" for n in range(MAX_FORMS + 1))
    folder = _corpus(tmp_path, f"Many words\n\n{words}\n")
    result = gloss("--corpus", str(folder), "search", "a*")
    assert result.code == 2
    assert f"'a*' matches more than {MAX_FORMS} different words" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert _matched(gloss, folder, "a00ff*") == ["a00ffz"]


def test_a_wildcard_on_cjk_is_refused(gloss: Gloss, tmp_path: Path) -> None:
    folder = _corpus(tmp_path, "西方制裁推动了。\n")
    result = gloss("--corpus", str(folder), "search", "制*")
    assert result.code == 2 and "type Chinese, Japanese or Korean as written" in result.err


CHINESE = (
    "中华人民共和国主席习近平与俄罗斯总统普京举行会谈。习近平说，西方制裁推动了中俄合作。\n"
    "Xi Jinping 习近平 met Putin 普京 to discuss sanctions 制裁\n"
)


@pytest.mark.parametrize(
    ("query", "count"),
    [("习近平", 3), ("普京", 2), ("制裁", 2), ("俄", 2), ("中俄合作", 1), ("西方制裁推动了", 1)],
)
def test_chinese_words_are_found_everywhere_they_are_written(
    gloss: Gloss, tmp_path: Path, query: str, count: int
) -> None:
    assert _matched(gloss, _corpus(tmp_path, CHINESE), query) == [query] * count


def test_a_mixed_english_and_chinese_line(gloss: Gloss, tmp_path: Path) -> None:
    folder = _corpus(tmp_path, CHINESE)
    assert _matched(gloss, folder, '"Xi Jinping 习近平"') == ["Xi Jinping 习近平"]
    assert _matched(gloss, folder, '"普京 to discuss"') == ["普京 to discuss"]
    assert _matched(gloss, folder, "Putin 普京") == ["普京", "Putin", "普京"]
    assert _matched(gloss, folder, "sanctions") == ["sanctions"]
    result = gloss("--corpus", str(folder), "search", "梁振英", "--json")
    assert (result.code, json.loads(result.out)) == (0, [])


def test_japanese_and_korean_words_are_found(gloss: Gloss, tmp_path: Path) -> None:
    text = (
        "制裁の影響は大きい。ウラジーミル・プーチン大統領は２０２４年に訪中した。\n"
        "대한민국 정부는 러시아에 대한 제재를 발표했다. 제재는 계속된다.\n"
    )
    folder = _corpus(tmp_path, text)
    assert _matched(gloss, folder, "制裁") == ["制裁"]
    assert _matched(gloss, folder, "プーチン") == ["プーチン"]
    assert _matched(gloss, folder, "影響") == ["影響"]
    assert _matched(gloss, folder, "2024") == ["２０２４"]  # full-width digits fold
    assert _matched(gloss, folder, "제재") == ["제재", "제재"]  # with and without 를/는
    assert _matched(gloss, folder, "러시아") == ["러시아"]


def test_chinese_words_are_counted_by_character(gloss: Gloss, tmp_path: Path) -> None:
    prose = "中华人民共和国主席习近平与俄罗斯总统普京举行会谈。" * 30  # 24 characters, one mark
    folder = _corpus(tmp_path, f"{prose}\n")
    listed = json.loads(gloss("--corpus", str(folder), "list", "--json").out)
    assert listed[0]["words"] == 24 * 30


ABBREVIATIONS = (
    "The U.S. and the U.K. met at the U.N. on Monday. US officials said the us-led plan.\n"
)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("us", ["U.S", "US", "us"]),
        ("U.S.", ["U.S", "US", "us"]),
        ("uk", ["U.K"]),
        ("U.K", ["U.K"]),
        ("un", ["U.N"]),
        ('"the U.S"', ["The U.S", "the us"]),
    ],
)
def test_dotted_abbreviations_are_one_word(
    gloss: Gloss, tmp_path: Path, query: str, words: list[str]
) -> None:
    assert _matched(gloss, _corpus(tmp_path, ABBREVIATIONS), query) == words


def test_a_word_that_is_its_own_stem_is_found_as_written(gloss: Gloss, tmp_path: Path) -> None:
    """ "attack" is its own stem: the index finds it through the stem's postings, less the
    articles whose only word of that stem is another one ("attacks")."""
    folder = _corpus(tmp_path, "One attack.\n", "one")
    _corpus(tmp_path, "Two attacks.\n", "two")
    _corpus(tmp_path, "An attack, then attacks.\n", "three")
    result = json.loads(gloss("--corpus", str(folder), "search", "attac?", "--json").out)
    assert sorted(hit["id"] for hit in result) == ["one", "three"]
    assert _matched(gloss, folder, "attac?") == ["attack", "attack"]
    assert _matched(gloss, folder, "atack~") == ["attack", "attack"]
    assert sorted(_matched(gloss, folder, "attack*")) == ["attack", "attack", "attacks", "attacks"]
