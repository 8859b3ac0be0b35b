"""The corpus loader: ids, decoding, front matter, metadata of the seeds, problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.core.recording import record_file_reads
from tui.core.corpus.load import load_corpus
from tui.core.errors import CorpusError, UnknownArticleError
from tui.core.text import normalise

SEED_METADATA = {
    "000_1b8bce5c4f6c6391": (
        "China's Growing Presence at ExpoElectronica Highlights "
        "Deepening Economic Ties with Russia",
        "ICARO Media Group",
        dt.date(2024, 4, 26),
    ),
    "001_6f77d67fd69055e2": (
        "Russian President Vladimir Putin is set to convene with Chinese leaders in Beijing this…",
        "Business International News",
        dt.date(2023, 10, 16),
    ),
    "002_02e842533f2f6168": (
        "Undercurrents in Russia-China Bonhomie",
        "Valerio Fabbri's Blog",
        dt.date(2021, 12, 17),
    ),
    "003_5a4e13669b936add": (
        "China has significantly increased its sales of technology and machinery to Russia, which…",
        None,
        None,
    ),
    "004_bb928d6639fb2ab5": (
        "President Vladimir V. Putin attended a trade fair in a northeastern Chinese city on…",
        None,
        None,
    ),
}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("article_id", sorted(SEED_METADATA))
def test_seed_metadata(seeds_dir: Path, article_id: str) -> None:
    article = load_corpus(seeds_dir).get(article_id)
    title, source, date = SEED_METADATA[article_id]
    assert (article.title, article.source, article.date) == (title, source, date)


def test_inferred_titles_respect_the_length_limit(seeds_dir: Path) -> None:
    for article in load_corpus(seeds_dir).articles.values():
        assert len(article.title) <= 90
        if article.title.endswith("…"):
            # Cut at a word boundary: the text before the ellipsis is a prefix of words.
            stem = article.title[:-1]
            at = article.body.index(stem)
            assert article.body[at + len(stem)] in " ,"


def test_seed_bodies_are_the_files_verbatim(seeds_dir: Path) -> None:
    """Seeds have no front matter: nothing is dropped, so offsets point into the file text."""
    for article in load_corpus(seeds_dir).articles.values():
        assert article.body == normalise(article.path.read_text(encoding="utf-8"))
        assert article.words > 100


def test_seed_boilerplate_is_marked_not_removed(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    marked = {
        article.id: [article.body[s:e].strip() for s, e in article.boilerplate]
        for article in corpus.articles.values()
    }
    assert "Related" in marked["000_1b8bce5c4f6c6391"]
    assert marked["001_6f77d67fd69055e2"][:6] == [
        "20 Nov, 2024",
        "18 Nov, 2024",
        "14 Nov, 2024",
        "12 Nov, 2024",
        "11 Nov, 2024",
        "07 Nov, 2024",
    ]
    assert marked["001_6f77d67fd69055e2"][-1].startswith("© 2024 Business International News")
    seed2 = marked["002_02e842533f2f6168"]
    for line in [
        "Print",
        "fgpsymhxwaiwqqo.jpg",
        "Source: tamilguardian.com",
        "Share this article",
        "Poll conducted",
        "33 (31%)",
        "For students",
    ]:
        assert line in seed2
    assert marked["003_5a4e13669b936add"] == ["Share.", "Exit mobile version"]
    assert marked["004_bb928d6639fb2ab5"] == ["olivia wang Contributed to the report."]
    # The first paragraph of every seed is article text, never boilerplate.
    for article in corpus.articles.values():
        first_long = next(line for line in article.body.split("\n") if len(line) > 200)
        start = article.body.index(first_long)
        assert all(not (s <= start < e) for s, e in article.boilerplate)


def test_ids_are_relative_paths_without_extension(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Alpha text here.")
    write(tmp_path / "sub" / "deeper" / "b.md", "Beta text here.")
    write(tmp_path / "notes.csv", "not an article")
    write(tmp_path / "a.meta.toml", 'title = "a sidecar, not an article"')
    write(tmp_path / "~$report.docx", "a Word lock file")
    write(tmp_path / ".hidden.txt", "hidden")
    write(tmp_path / ".git" / "c.txt", "hidden folder")
    assert sorted(load_corpus(tmp_path).articles) == ["a", "sub/deeper/b"]


def test_two_files_with_one_id_are_an_error_naming_both(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "x.txt", "one")
    write(tmp_path / "sub" / "x.md", "two")
    write(tmp_path / "fine.txt", "A fine article.")
    corpus = load_corpus(tmp_path)
    assert list(corpus.articles) == ["fine"]  # the rest of the corpus still works
    with pytest.raises(CorpusError) as error:
        corpus.get("sub/x")
    message = str(error.value)
    assert "'sub/x'" in message and "sub/x.md and sub/x.txt" in message and "\n" not in message


def test_control_characters_in_metadata_are_made_visible(tmp_path: Path) -> None:
    """Titles are shown in headers and tables: they must never drive the terminal."""
    write(
        tmp_path / "a.md",
        '+++\ntitle = "Osc \\u001b]2;PWNED\\u0007 tail"\ntags = ["x\\u001b"]\n+++\nBody.',
    )
    write(tmp_path / "b.txt", "Hello \x1b[31mRED\x1b[0m bell\x07 here. More.")
    corpus = load_corpus(tmp_path)
    assert corpus.get("a").title == "Osc ␛]2;PWNED␇ tail" and corpus.get("a").tags == ("x␛",)
    assert corpus.get("b").title == "Hello ␛[31mRED␛[0m bell␇ here"
    assert corpus.get("b").body.startswith("Hello \x1b[31m")  # the body is untouched


def test_short_latin1_text_is_read_as_western(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Café naïve résumé text here.\r\nSecond line.\r\n".encode("latin-1"))
    assert load_corpus(tmp_path).get("a").body == "Café naïve résumé text here.\nSecond line.\n"


def test_crlf_latin1_file_with_front_matter_in_a_subfolder(tmp_path: Path) -> None:
    text = (
        '+++\r\ntitle = "Café crème"\r\nsource = "Le Monde"\r\ndate = 2022-03-04\r\n'
        'author = "Zoé"\r\ntags = ["france", "food"]\r\n+++\r\n\r\n'
        "Le café était très bon à Paris.\r\nDeuxième ligne, naïve.\r\n"
    )
    write(tmp_path / "sub" / "latin.txt", text.encode("latin-1"))
    article = load_corpus(tmp_path).get("sub/latin")
    assert article.title == "Café crème"
    assert (article.source, article.date, article.author) == (
        "Le Monde",
        dt.date(2022, 3, 4),
        "Zoé",
    )
    assert article.tags == ("france", "food")
    assert article.body == "Le café était très bon à Paris.\nDeuxième ligne, naïve.\n"
    assert "\r" not in article.body and article.front_matter


def test_front_matter_fills_only_the_fields_it_has(tmp_path: Path) -> None:
    write(tmp_path / "a.md", '+++\ntags = "osint"\n+++\nRussia and China signed a deal. More text.')
    article = load_corpus(tmp_path).get("a")
    assert article.tags == ("osint",)
    assert article.title == "Russia and China signed a deal"


@pytest.mark.parametrize(
    ("front", "where"),
    [
        ('title = "unclosed\n', ":2:"),
        ("date = 12\n", "'date'"),
        ("tags = [1, 2]\n", "'tags'"),
    ],
)
def test_bad_front_matter_names_the_file(tmp_path: Path, front: str, where: str) -> None:
    write(tmp_path / "good.txt", "Fine text.")
    write(tmp_path / "bad.txt", f"+++\n{front}+++\nBody.")
    corpus = load_corpus(tmp_path)
    assert list(corpus.articles) == ["good"]
    with pytest.raises(CorpusError) as error:
        corpus.get("bad")
    assert str(tmp_path / "bad.txt") in str(error.value) and where in str(error.value)


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", "+++\ntitle = 'x'\nBody without end")
    with pytest.raises(CorpusError, match="no closing"):
        load_corpus(tmp_path).get("bad")


def test_cyrillic_and_cjk_text(tmp_path: Path) -> None:
    write(tmp_path / "ru.txt", "Москва и Пекин подписали соглашение. Это важно.\n")
    write(tmp_path / "zh.txt", "中国与俄罗斯的关系。北京和莫斯科。\n")
    corpus = load_corpus(tmp_path)
    ru, zh = corpus.get("ru"), corpus.get("zh")
    assert ru.title == "Москва и Пекин подписали соглашение"
    assert ru.words == 7
    assert zh.body == "中国与俄罗斯的关系。北京和莫斯科。\n"
    assert zh.title == "中国与俄罗斯的关系"


def test_utf8_bom_is_stripped_and_text_is_nfc(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "\ufeffCafe\u0301 society.\n".encode())
    article = load_corpus(tmp_path).get("a")
    assert article.body == "Café society.\n"
    assert len(article.body) == 14


def test_empty_file_loads_with_unknowns(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", b"")
    article = load_corpus(tmp_path).get("empty")
    assert (article.body, article.words, article.date, article.source) == ("", 0, None, None)
    assert article.title == "empty"


def test_binary_file_is_a_problem_and_others_still_load(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", "Readable text.")
    write(tmp_path / "blob.txt", b"\x00\xff\xfe\x00binary\x00")
    corpus = load_corpus(tmp_path)
    assert list(corpus.articles) == ["ok"]
    assert "blob.txt" in str(corpus.problems["blob"]) and "decode" in str(corpus.problems["blob"])
    with pytest.raises(UnknownArticleError, match="'missing'"):
        corpus.get("missing")


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


def test_annotation_store_inside_the_corpus_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Article.")
    write(tmp_path / "annotations" / "README.md", "About the store.")
    assert [a.id for a in load_corpus(tmp_path, exclude=[tmp_path / "annotations"])] == ["a"]


def test_every_file_is_read_exactly_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(30):
        write(tmp_path / f"d{n % 3}" / f"{n}.txt", f"Article number {n}. Text.")
    reads = record_file_reads(monkeypatch)
    assert len(load_corpus(tmp_path)) == 30
    assert len(reads) == 30 == len(set(reads))


def test_a_title_taken_from_the_file_name_is_neutralised(tmp_path: Path) -> None:
    """An empty file is titled by its id: an escape sequence in the name is not sent on."""
    (tmp_path / "a\x1b[31mred.txt").write_text("", encoding="utf-8")
    (article,) = load_corpus(tmp_path).articles.values()
    assert "\x1b" in article.id and "\x1b" not in article.title
