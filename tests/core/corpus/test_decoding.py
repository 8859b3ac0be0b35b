"""Decoding text that is not UTF-8: short Western European texts in Latin-1 and cp1252
decode with the right accents (on many generated texts), other scripts still decode, and
gloss.toml can force an encoding."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.corpus.decoding import decode, plausibility
from tui.core.corpus.load import load_corpus
from tui.core.errors import CorpusError, ProjectError
from tui.core.project import resolve_project
from tui.core.workspace import Workspace

_TEXTS = {
    "fr": (
        "le café était fermé à Genève où la hausse des prix économie caractères accentués "
        "très bien l'été dernier nous sommes allés Noël approche préparent garçon crème "
        "s'il vous plaît société française débat âge retraite reçu sœur lettre fenêtre "
        "déjà naïve château forêt hôpital île où même ça coûte cher"
    ),
    "de": (
        "die Straße war nass über den Wolken schöne Grüße aus München das Mädchen hörte "
        "Vögel Fußgänger müssen warten Bundesregierung äußerte sich zur Lage größere "
        "Änderungen sind nötig er fährt täglich zur Arbeit Übersicht Käse Brötchen"
    ),
    "es": (
        "el niño comió una piña dónde está la estación economía española creció mañana "
        "habrá reunión en Málaga señor Muñoz llegó tarde según el informe situación "
        "mejoró qué día más bonito canción ganó el premio corazón árbol último"
    ),
}
WORDS = {language: text.split(" ") for language, text in _TEXTS.items()}
PUNCTUATION_1252 = ("« ", " »", " — ", " “", "” ", "’", " …", " €")


def sentences(rng: random.Random, language: str, western_1252: bool) -> str:
    words = WORDS[language]
    text = " ".join(rng.choice(words) for _ in range(rng.randint(2, 12)))
    text = text[0].upper() + text[1:] + rng.choice(".!?")
    if western_1252 and rng.random() < 0.6:
        mark = rng.choice(PUNCTUATION_1252)
        cut = rng.randint(0, len(text))
        text = text[:cut] + mark + text[cut:]
    return text


@pytest.mark.parametrize("encoding", ["latin_1", "cp1252", "iso8859_15"])
@pytest.mark.parametrize("language", sorted(WORDS))
def test_many_short_western_texts_decode_right(language: str, encoding: str) -> None:
    rng = random.Random(f"{language}-{encoding}")
    checked = 0
    for _ in range(250):
        text = sentences(rng, language, western_1252=encoding == "cp1252")
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        if data.isascii():
            continue
        assert decode(data, Path("x.txt")) == text, text
        checked += 1
    assert checked > 150


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS["fr"] + WORDS["de"] + WORDS["es"]), min_size=1, max_size=8),
    st.sampled_from(["latin_1", "cp1252"]),
)
def test_any_mix_of_western_words_decodes_right(words: list[str], encoding: str) -> None:
    text = " ".join(words)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # œ is not in Latin-1
        return
    if not data.isascii():
        assert decode(data, Path("x.txt")) == text


def test_the_reported_french_sample(tmp_path: Path) -> None:
    text = (
        "Économie: la hausse des prix à Genève\n"
        "Un texte en latin-1 avec des caractères accentués: é è ê à ç ù ô î.\n"
    )
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    assert load_corpus(tmp_path).get("latin1").body == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Příliš žluťoučký kůň úpěl ďábelské ódy. Vláda schválila nový zákon.", "cp1250"),
        ("Zażółć gęślą jaźń. Rząd przyjął ustawę o podatkach w Łodzi.", "cp1250"),
        ("Москва и Пекин подписали соглашение. Цены на нефть выросли.", "cp1251"),
        ("Москва и Пекин подписали соглашение. Цены на нефть выросли.", "koi8_r"),
        ("Türkiye'nin başkenti Ankara'dır. Hükümet yeni bir karar aldı, kışın.", "cp1254"),
        ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.", "cp1253"),
        ("中华人民共和国主席习近平与俄罗斯总统普京会谈。西方制裁推动了两国贸易。", "gb18030"),
        ("中華民國總統發表講話。兩岸關係持續緊張。", "big5"),
        ("日本政府は新しい経済対策を発表した。制裁の影響が広がっている。", "shift_jis"),
        ("대한민국 정부는 새로운 경제 정책을 발표했다. 제재의 영향이 커지고 있다.", "euc_kr"),
    ],
)
def test_other_scripts_still_decode(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), Path("x.txt")) == text


def test_symbols_alone_stay_western() -> None:
    assert decode("Price: 5 ½ ± 2 ¼".encode("cp1252"), Path("x")) == "Price: 5 ½ ± 2 ¼"


def test_utf16_with_a_bom() -> None:
    assert decode("Café crème".encode("utf-16"), Path("x")) == "Café crème"


def test_random_bytes_are_not_text() -> None:
    rng = random.Random(3)
    data = bytes(rng.randint(1, 255) for _ in range(2000))
    with pytest.raises(CorpusError, match="no text encoding fits"):
        decode(data, Path("x.bin.txt"))


def test_plausibility_prefers_one_language() -> None:
    assert plausibility("Genève à côté") > plausibility("Genčve ŕ côté")


def test_gloss_toml_forces_an_encoding(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    # cp1251 bytes that detection would read as Russian; the corpus says they are Greek.
    (tmp_path / "corpus" / "a.txt").write_bytes("Αθήνα".encode("cp1253"))
    (tmp_path / "corpus" / "b.txt").write_text("UTF-8 stays UTF-8: é\n", encoding="utf-8")
    (tmp_path / "gloss.toml").write_text('corpus = "corpus"\nencoding = "Windows-1253"\n')
    project = resolve_project(cwd=tmp_path, env={})
    assert project.read_options.encoding == "cp1253"
    corpus = Workspace(project).corpus
    assert corpus.get("a").body == "Αθήνα"
    assert corpus.get("b").body == "UTF-8 stays UTF-8: é\n"


def test_changing_the_encoding_re_reads_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_bytes("Ça coûte 5 €".encode("cp1252"))
    (tmp_path / "gloss.toml").write_text('corpus = "corpus"\n')
    first = Workspace(resolve_project(cwd=tmp_path, env={})).corpus.get("a").body
    assert first == "Ça coûte 5 €"
    (tmp_path / "gloss.toml").write_text('corpus = "corpus"\nencoding = "cp1250"\n')
    again = Workspace(resolve_project(cwd=tmp_path, env={})).corpus.get("a").body
    assert again == "Ça coűte 5 €"  # what cp1250 says these bytes are: not the cached text


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('encoding = "klingon"', "'encoding' must name a text encoding"),
        ("encoding = 1252", "'encoding' must name a text encoding"),
        ("max_document_mb = -1", "'max_document_mb' must be a positive number"),
        ('max_document_mb = "big"', "'max_document_mb' must be a positive number"),
    ],
)
def test_bad_reading_options_name_the_key(tmp_path: Path, line: str, words: str) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "gloss.toml").write_text(f'corpus = "corpus"\n{line}\n')
    with pytest.raises(ProjectError, match=words):
        resolve_project(cwd=tmp_path, env={})
