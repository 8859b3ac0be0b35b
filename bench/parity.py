"""Parity check: the same article sets as SQLite FTS5 for word, phrase, boolean, field,
date and prefix queries on one synthetic corpus, and where they differ on purpose, why.

Run by hand (about a minute at 2,000 articles)::

    .venv/bin/python -m bench.parity                  # 2,000 synthetic articles
    .venv/bin/python -m bench.parity --articles 500   # quicker

The corpus is :mod:`bench.synth`'s (the seeds' sentences, with a title, source and date)
plus three short articles in Chinese, Japanese and Korean and with dotted abbreviations.
Each article's title, source, author, date and body as Gloss reads them go into FTS5
tables: ``stemmed`` (``porter unicode61 remove_diacritics 2``, like Gloss's words),
``plain`` (``unicode61``, unstemmed, for prefixes: Gloss's wildcards match words as
written) and CJK text is compared with a substring scan (``instr``), which is what a
CJK query means in Gloss. A row is ``ok`` when the sets agree where they should, or
differ where the table says they must.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synth import make_corpus  # noqa: E402
from tui.core.corpus.load import Corpus, load_corpus  # noqa: E402
from tui.core.search.index import SearchIndex  # noqa: E402

EXTRA = {
    "extra/zh": (
        "中俄合作\n\n新华社\n\n中华人民共和国主席习近平与俄罗斯总统普京举行会谈。"
        "习近平说，西方制裁推动了中俄合作。\nXi Jinping 习近平 met Putin 普京 to discuss "
        "sanctions 制裁\n"
    ),
    "extra/ja-ko": (
        "制裁の影響\n\n制裁の影響は大きい。プーチン大統領は習近平国家主席と会談した。\n"
        "대한민국 정부는 러시아에 대한 제재를 발표했다.\n"
    ),
    "extra/abbreviations": (
        "Allies meet\n\nThe U.S. and the U.K. met at the U.N. on Monday; US officials "
        "said the plan would hold.\n"
    ),
}


@dataclass(frozen=True)
class Case:
    kind: str
    gloss: str
    fts: str  # a MATCH expression, a WHERE clause after "where:", or a substring after "cjk:"
    table: str = "stemmed"
    differs: str = ""  # why the two must differ; empty: they must agree


CASES = [
    Case("word", "china", "china"),
    Case("word", "semiconductors", "semiconductors"),
    Case("word", "Sanctioned", "sanctioned"),
    Case("word", "expoelectronica", "expoelectronica"),
    Case("word", "harbin", "harbin"),
    Case("phrase", '"economic ties"', '"economic ties"'),
    Case("phrase", '"chinese companies"', '"chinese companies"'),
    Case("phrase", '"western sanctions"', '"western sanctions"'),
    Case("boolean", "china russia", "china AND russia"),
    Case("boolean", "taiwan OR japan", "taiwan OR japan"),
    Case("boolean", "china NOT taiwan", "china NOT taiwan"),
    Case(
        "boolean",
        "(sanctions OR semiconductors) AND putin",
        "(sanctions OR semiconductors) AND putin",
    ),
    Case("boolean", "china NOT (taiwan OR japan)", "china NOT (taiwan OR japan)"),
    Case("field", "title:putin", "title:putin"),
    Case("field", "source:icaro", "source:icaro"),
    Case("field", "title:china russia", "title:china AND russia"),
    Case("date", "putin date:2022", "where:body MATCH 'putin' AND date LIKE '2022%'"),
    Case(
        "date",
        "china date:[2020-01-01 TO 2021-12-31]",
        "where:body MATCH 'china' AND date BETWEEN '2020-01-01' AND '2021-12-31'",
    ),
    Case("date", "date:>2024-06-01", "where:date > '2024-06-01'"),
    Case("prefix", "semicond*", "semicond*", table="plain"),
    Case("prefix", "sanction*", "sanction*", table="plain"),
    Case("prefix", "econom*", "econom*", table="plain"),
    Case("prefix", "tech*", "tech*", table="plain"),
    Case(
        "prefix",
        "sanctions*",
        "sanctions*",
        differs="FTS5 prefixes on the stemmed table match stems: 'sanctions*' is 'sanction*'",
    ),
    Case("cjk", "习近平", "cjk:习近平"),
    Case("cjk", "制裁", "cjk:制裁"),
    Case("cjk", "俄", "cjk:俄"),
    Case(
        "cjk",
        "制裁",
        "制裁",
        differs="FTS5's unicode61 makes a CJK run one token: a word inside a clause is missed",
    ),
    Case(
        "abbreviation",
        "us",
        "us",
        differs="FTS5 splits 'U.S.' into 'u' and 's'; Gloss folds it into 'us'",
    ),
]


def build_fts(corpus: Corpus) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    columns = "id UNINDEXED, title, body, source, author, date UNINDEXED"
    db.execute(
        f"CREATE VIRTUAL TABLE stemmed USING fts5({columns}, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE plain USING fts5({columns}, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    rows = [
        (
            article.id,
            article.title,
            article.body,
            article.source or "",
            article.author or "",
            article.date.isoformat() if article.date else "",
        )
        for article in corpus
    ]
    for table in ("stemmed", "plain"):
        db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)", rows)
    return db


def fts_ids(db: sqlite3.Connection, case: Case) -> set[str]:
    if case.fts.startswith("cjk:"):
        needle = case.fts[4:]
        sql = (
            "SELECT id FROM plain WHERE instr(title, ?) OR instr(body, ?) "
            "OR instr(source, ?) OR instr(author, ?)"
        )
        return {row[0] for row in db.execute(sql, (needle,) * 4)}
    if case.fts.startswith("where:"):
        where = case.fts[6:].replace("body MATCH", f"{case.table} MATCH")
        return {row[0] for row in db.execute(f"SELECT id FROM {case.table} WHERE {where}")}
    sql = f"SELECT id FROM {case.table} WHERE {case.table} MATCH ?"
    return {row[0] for row in db.execute(sql, (case.fts,))}


def gloss_ids(index: SearchIndex, query: str) -> set[str]:
    result = index.search(query, limit=100_000)
    assert len(result.hits) == result.total
    return {hit.id for hit in result.hits}


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gloss-parity-") as folder:
        root = make_corpus(Path(folder) / "corpus", options.articles)
        for key, text in EXTRA.items():
            path = root / f"{key}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        corpus = load_corpus(root)
        started = time.perf_counter()
        index = SearchIndex(root, folder=Path(folder) / "index")
        index.refresh(corpus)
        built = time.perf_counter() - started
        db = build_fts(corpus)
        rows = []
        failed = 0
        for case in CASES:
            ours, theirs = gloss_ids(index, case.gloss), fts_ids(db, case)
            same = ours == theirs
            good = same != bool(case.differs)
            failed += not good
            if same:
                detail = ""
            else:
                detail = f"only Gloss {len(ours - theirs)}, only FTS5 {len(theirs - ours)}"
                if case.differs:
                    detail += f": {case.differs}"
            rows.append(
                [
                    case.kind,
                    case.gloss,
                    case.fts,
                    str(len(ours)),
                    str(len(theirs)),
                    "ok" if good else "MISMATCH",
                    detail,
                ]
            )
    headers = ["kind", "gloss query", "fts5", "gloss", "fts5", "", "detail"]
    widths = [max(_width(row[i]) for row in [headers, *rows]) for i in range(len(headers) - 1)]
    print(
        f"{len(corpus)} articles, Gloss index built in {built:.1f} s; "
        f"SQLite {sqlite3.sqlite_version}"
    )
    for row in [headers, *rows]:
        cells = [
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=False)
        ]
        print("  ".join([*cells, row[-1]]).rstrip())
    print(f"{len(CASES) - failed} of {len(CASES)} as expected")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
