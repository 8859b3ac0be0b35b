"""Turning a text file's bytes into text: UTF-8 first, else a forced or a detected encoding.

Detection is charset-normalizer's candidates plus the Western, Central European and
Cyrillic code pages, each decoded and scored here on whether its words could be words:
in a short French text decoded as cp1250, "Genève" becomes "Genčve" and "à" becomes "ŕ",
letters no single language uses together, while cp1252 gives French throughout. The
detector alone picked cp1250 for such texts (a tie it broke by order), which made accented
words unsearchable.
"""

from __future__ import annotations

import codecs
import re
import string
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from tui.core.errors import CorpusError

_BOM = "\ufeff"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_PREFERRED = (
    "cp1252",  # what "latin-1" means on the web (WHATWG): a superset of its printable part
    "latin_1",  # only where cp1252 fails (its five undefined bytes)
    "iso8859_15",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1257",
)
"""Always tried, and on a tie the earlier wins: Western text is the common case. The
detector's own candidates come next, in its order (it tells Japanese from Chinese, which
score alike here), then the multi-byte encodings it may have missed."""
_MULTIBYTE = ("gb18030", "big5", "shift_jis", "euc_jp", "euc_kr")
_UNUSUAL = 0.9
"""A code page only the detector proposes (mac-latin2, cp775, ...) must fit clearly better:
short text fits many of them by chance ("café Mädchen" reads as Czech in mac-latin2)."""
_SAMPLE_CHARS = 20_000
_FLOOR = 0.1
_MAX_ODD = 0.3
"""Below this score, or with more odd characters than this, nothing decodes into text
(random bytes: a third of their high bytes are controls or rare symbols in any code
page): the file is reported, not guessed. A language whose letters are not listed here
scores low but has no odd characters, so it is still read."""

# Letters beyond a-z that each language writes, with a weight for how often a corpus holds
# it (a tie between French and Slovak letters goes to French).
_LATIN_LANGUAGES: tuple[tuple[str, float], ...] = (
    ("àâæçéèêëîïôœùûüÿ", 1.0),  # French
    ("äöüß", 1.0),  # German
    ("áéíñóúü", 1.0),  # Spanish
    ("àáâãçéêíóôõú", 1.0),  # Portuguese
    ("àèéìíîòóùú", 1.0),  # Italian
    ("áéèëïóöüíú", 0.9),  # Dutch
    ("àçéèíïòóúü", 0.8),  # Catalan
    ("åäöé", 0.9),  # Swedish, Finnish
    ("æøåé", 0.9),  # Danish, Norwegian
    ("áðéíóúýþæö", 0.5),  # Icelandic
    ("áčďéěíňóřšťúůýž", 1.0),  # Czech
    ("áäčďéíĺľňóôŕšťúýž", 0.9),  # Slovak
    ("ąćęłńóśźż", 1.0),  # Polish
    ("áéíóöőúüű", 0.9),  # Hungarian
    ("čćđšž", 0.9),  # Croatian, Slovene, Bosnian
    ("ăâîșțşţ", 0.9),  # Romanian
    ("çğıöşüâîû", 1.0),  # Turkish
    ("āčēģīķļņšūž", 0.8),  # Latvian
    ("ąčęėįšųūž", 0.8),  # Lithuanian
    ("äöõüšž", 0.8),  # Estonian
)
_LATIN_SETS = tuple(
    (frozenset(extra) | frozenset(string.ascii_lowercase), w) for extra, w in _LATIN_LANGUAGES
)
_SCRIPT_RANGES: tuple[tuple[str, float], ...] = (
    (r"[\u0400-\u04ff]+", 1.0),  # Cyrillic
    (r"[\u0370-\u03ff\u1f00-\u1fff]+", 1.0),  # Greek
    (r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+", 1.0),  # CJK
    (r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+", 1.0),  # Hangul
    (r"[\u0600-\u06ff]+", 1.0),  # Arabic
    (r"[\u0590-\u05ff]+", 1.0),  # Hebrew
    (r"[\u0e00-\u0e7f]+", 1.0),  # Thai
)


_WORD = re.compile(r"[^\W\d_]+")
_INSIDE_WORD_OK = frozenset("’‘·\u00ad\u2010\u2011")
_COMMON_SYMBOLS = frozenset("«»‹›‘’‚“”„–—…•·°€£¥§©®™\u00a0¿¡×÷†‡‰¢½¼¾±²³¹")


@cache
def _scripts() -> tuple[tuple[re.Pattern[str], float], ...]:
    """Compiled on first use: the CJK class alone takes milliseconds to compile, and most
    runs (UTF-8 text, every search) never guess an encoding."""
    return tuple((re.compile(pattern), weight) for pattern, weight in _SCRIPT_RANGES)


def decode(data: bytes, path: Path, encoding: str | None = None) -> str:
    """UTF-8 first (BOM stripped); else ``encoding`` when one is forced; else the best guess."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if encoding is not None:
            text = _decode_as(data, path, encoding)
        elif data.startswith(_UTF16_BOMS):
            text = _decode_as(data, path, "utf-16")
        elif b"\x00" in data:
            raise CorpusError(f"{path}: cannot decode: binary data, not text") from None
        else:
            text = detect(data, path)
    return text.removeprefix(_BOM)


def _decode_as(data: bytes, path: Path, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: cannot decode as {encoding}: byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start} does not fit (set another 'encoding' in gloss.toml, or remove it)"
        ) from None


def detect(data: bytes, path: Path) -> str:
    """The decoding whose words look most like words of one language (see the module doc)."""
    from charset_normalizer import from_bytes  # rarely needed, slow to import

    detected = [match.encoding for match in from_bytes(data)]
    best: tuple[float, int, str] | None = None
    for rank, name in enumerate(_candidates(detected)):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = plausibility(text[:_SAMPLE_CHARS])
        if name not in _usual() and len(text) == len(data):  # an unusual single-byte code page
            score *= _UNUSUAL
        if best is None or (score, -rank) > (best[0], -best[1]):
            best = (score, rank, text)
    if best is None or best[0] < _FLOOR or odd_share(best[2][:_SAMPLE_CHARS])[1] > _MAX_ODD:
        raise CorpusError(f"{path}: cannot decode: not UTF-8 and no text encoding fits")
    return best[2]


@cache
def _usual() -> frozenset[str]:
    """Looked up once, when a file needs detection: each lookup imports a codec module."""
    return frozenset(codecs.lookup(name).name for name in (*_PREFERRED, *_MULTIBYTE, "cp932"))


def _candidates(detected: Iterable[str]) -> list[str]:
    names: list[str] = []
    for name in (*_PREFERRED, *detected, *_MULTIBYTE):
        canonical = codecs.lookup(name).name
        if canonical not in names:
            names.append(canonical)
    return names


def plausibility(text: str) -> float:
    """How much ``text`` reads as language: 1.0 when every word with a letter beyond a-z
    is a word some language writes, with a regular case; less for odd symbols and controls."""
    beyond, penalty = odd_share(text)
    if not beyond:
        return 1.0
    words = [w for w in _WORD.findall(text) if not w.isascii() and w.isalpha()]
    if not words:  # "5 ½ ± ¼": symbols only, nothing to judge them by
        return 1.0 - penalty / 2
    return _language_fit(words) - penalty


def odd_share(text: str) -> tuple[int, float]:
    """How many characters are beyond ASCII, and the share of them that no text would
    write there: controls, rare symbols, a symbol inside a word ("S½ur")."""
    odd = beyond = 0
    last = len(text) - 1
    for index, char in enumerate(text):
        if char <= "\x7f":
            continue
        beyond += 1
        if char.isalpha() or unicodedata.combining(char):
            continue
        if not _common_symbol(char):
            odd += 1
        elif (
            char not in _INSIDE_WORD_OK
            and not _cjk_punctuation(char)
            and 0 < index < last
            and text[index - 1].isalpha()
            and text[index + 1].isalpha()
        ):
            odd += 1  # ISO-8859-15 "Sœur" read as cp1252
    return beyond, odd / beyond if beyond else 0.0


def _common_symbol(char: str) -> bool:
    """Punctuation that text writes: quotes and dashes, and CJK's own full stops and commas."""
    return char in _COMMON_SYMBOLS or _cjk_punctuation(char)


def _cjk_punctuation(char: str) -> bool:
    return "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uff65"


def _language_fit(words: list[str]) -> float:
    """The mean, over words, of the weight of the likeliest language that writes the word
    (0 for a word no language writes: "pøíliš" is Czech read as cp1252)."""
    total = 0.0
    for word in words:
        if not _regular_case(word):
            continue
        letters = set(word.replace("İ", "i").lower())
        best = max((weight for alphabet, weight in _LATIN_SETS if letters <= alphabet), default=0.0)
        if best < 1.0:
            for pattern, weight in _scripts():
                if pattern.fullmatch(word):
                    best = max(best, weight)
        total += best
    return total / len(words)


def _regular_case(word: str) -> bool:
    """lower, UPPER, Title, or a script without case; "рТЙЧЕФ" (KOI8-R read as cp1251) is not."""
    return word.islower() or word.isupper() or word.istitle() or word.lower() == word.upper()
