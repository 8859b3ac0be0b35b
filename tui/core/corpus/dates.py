"""Recognising the date lines news pages print, and reading them as ISO dates.

English dates in their usual shapes (``26/04/2024``, ``16 Oct, 2023``, ``December 17,
2021``, ISO ``2024-04-26``; numeric dates day first), and the written dates of French
(``12 mars 2024``, ``1er avril 2024``), German (``12. März 2024``), Spanish (``12 de
marzo de 2024``), Russian (``12 марта 2024 г.``), Chinese and Japanese
(``2024年5月16日``) and Korean (``2024년 5월 16일``), each with the weekday and time words
those languages put around a dateline.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateutil import parser as date_parser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Day first for numeric dates: the seeds and most non-US outlets write 26/04/2024.
_NUMERIC_DMY = r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b"
_ISO = r"\b\d{4}-\d{2}-\d{2}\b"
_DAY_MONTH_YEAR = rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b"
_MONTH_DAY_YEAR = rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
_MONTHS = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "decembre": 12, "déc": 12,
    # German (the names English shares are here too: "12. April 2024")
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mär": 3, "april": 4,
    "juni": 6, "juli": 7, "august": 8, "september": 9, "oktober": 10, "okt": 10,
    "november": 11, "dezember": 12, "dez": 12, "jan": 1, "feb": 2, "apr": 4, "aug": 8,
    "sep": 9, "sept": 9, "nov": 11,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # Russian: the genitive of a date, and the nominative
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
    "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}  # fmt: skip
_LOCAL_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
# "12 mars 2024", "1er avril 2024", "12. März 2024", "12 de marzo de 2024", "12 марта 2024".
_LOCAL_DMY = (
    rf"(?<!\w)(?P<lday>\d{{1,2}})(?:er|\.|º|°)?\s+(?:de\s+)?(?P<lmonth>{_LOCAL_MONTH})\.?"
    rf"\s+(?:de\s+|del\s+)?(?P<lyear>\d{{4}})(?!\d)"
)
# 2024年5月16日 (Chinese, Japanese) and 2024년 5월 16일 (Korean).
_CJK_YMD = (
    r"(?<!\d)(?P<cyear>\d{4})\s*[年년]\s*(?P<cmonth>\d{1,2})\s*[月월]\s*(?P<cday>\d{1,2})\s*[日일]"
)
DATE_RE = re.compile(
    rf"{_ISO}|{_NUMERIC_DMY}|{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_LOCAL_DMY}|{_CJK_YMD}",
    re.IGNORECASE,
)
_WEEKDAYS = (
    r"mon|tue|wed|thu|fri|sat|sun"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
    r"|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
)
_DATELINE_WORDS = (
    r"published|updated|posted|on|at|le|publié|mis\s+à\s+jour|à|am|um|uhr|veröffentlicht"
    r"|aktualisiert|stand|el|publicado|actualizado|a\s+las|опубликовано|обновлено|в|г|года"
)
# What may stand around a date on a dateline: a weekday, a time, "Published", "Updated",
# in each language above, and the weekday or time marks of CJK datelines.
_DATELINE_EXTRA = re.compile(
    rf"(?i)(?<!\w)(?:(?:{_WEEKDAYS})[^\W\d_]*|{_DATELINE_WORDS})\.?(?!\w)"
    r"|\b\d{1,2}[:h.]\d{2}(?::\d{2})?\s*(?:am|pm|utc|gmt|[a-z]{3,4})?\b"
    r"|[（(]?(?:星期|周|週)[一二三四五六日天][)）]?|\d{1,2}\s*[时時시]\s*(?:\d{1,2}\s*[分분])?"
    r"|[（(][月火水木金土日][)）]|[\s,:|·•-]+"
)


@lru_cache(maxsize=8192)  # datelines repeat across a corpus; dateutil is the slow part
def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None when there is none."""
    found = DATE_RE.search(text)
    if found is None:
        return None
    raw = found.group()
    try:
        if found.group("lmonth"):
            month = _MONTHS[found.group("lmonth").lower()]
            return dt.date(int(found.group("lyear")), month, int(found.group("lday")))
        if found.group("cyear"):
            year, month, day = (int(found.group(g)) for g in ("cyear", "cmonth", "cday"))
            return dt.date(year, month, day)
        if re.fullmatch(_ISO, raw):
            return dt.date.fromisoformat(raw)
        parsed: dt.datetime = date_parser.parse(raw, dayfirst=True, fuzzy=True)
        return parsed.date()
    except (ValueError, OverflowError):
        return None


def is_dateline(line: str) -> bool:
    """True when the line is a date and nothing more than a time or a "Published"."""
    found = DATE_RE.search(line)
    if found is None:
        return False
    rest = line[: found.start()] + " " + line[found.end() :]
    return _DATELINE_EXTRA.sub("", rest) == "" and parse_date(line) is not None


def split_dateline(line: str) -> tuple[str, dt.date] | None:
    """``("Le Monde —", 2024-03-12)`` for "Le Monde — 12 mars 2024": what stands before a
    date that ends the line (weekday and time words aside). None when there is no date,
    or words follow it."""
    found = DATE_RE.search(line)
    if found is None or _DATELINE_EXTRA.sub("", line[found.end() :]) != "":
        return None
    date = parse_date(line)
    return (line[: found.start()], date) if date is not None else None
