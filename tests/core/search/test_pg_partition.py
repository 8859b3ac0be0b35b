"""``?partition=year``: ``articles`` as a table partitioned by yearly date ranges gives the
same hits (ids, order, scores, spans, totals) as the plain table, on the parity corpus
and its queries, and keeps giving them as articles change year, are added and deleted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.search.pg_corpus import LONG_ID, Compared, build
from tests.core.search.test_pg_parity import QUERIES
from tests.postgres import Cluster
from tui.core.search.pg.backend import PostgresIndex
from tui.core.search.pg.connect import SearchDatabaseError, Target

Engines = tuple[Compared, PostgresIndex, PostgresIndex, Cluster]


def _index(compared: Compared, url: str) -> PostgresIndex:
    store = compared.store
    return PostgresIndex(
        url,
        compared.root,
        exclude=[compared.annotations],
        annotations=compared.annotations,
        store=lambda: store,
        corpus=compared.corpus,
    )


@pytest.fixture(scope="module")
def engines(
    tmp_path_factory: pytest.TempPathFactory, postgres_cluster: Cluster
) -> Iterator[Engines]:
    folder = tmp_path_factory.mktemp("partition")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GLOSS_CACHE", str(folder / "cache"))
        compared = build(folder)
        plain = _index(compared, postgres_cluster.url(schema="unpartitioned"))
        yearly = _index(compared, postgres_cluster.url(schema="yearly") + "&partition=year")
        for index in (plain, yearly):
            report = index.refresh(publish=True)
            assert not report.notices, report.notices
        yield compared, plain, yearly, postgres_cluster
        plain.close()
        yearly.close()


def _years(cluster: Cluster) -> dict[str, int]:
    """Rows per partition of ``yearly.articles``."""
    found = cluster.psql(
        "SELECT c.relname, (SELECT count(*) FROM yearly.articles a WHERE a.tableoid = c.oid) "
        "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'yearly.articles'::regclass ORDER BY 1"
    )
    return {name: int(n) for name, n in (line.split("|") for line in found.splitlines())}


def _same(plain: PostgresIndex, yearly: PostgresIndex, query: str, sort: str = "score") -> int:
    one = plain.search(query, limit=100_000, sort=sort)
    other = yearly.search(query, limit=100_000, sort=sort)
    assert (one.total, one.hits, one.suggestion) == (other.total, other.hits, other.suggestion), (
        query
    )
    return one.total


def test_the_table_is_partitioned_by_year(engines: Engines) -> None:
    compared, _, _, cluster = engines
    assert (
        cluster.psql("SELECT relkind FROM pg_class WHERE oid = 'yearly.articles'::regclass") == "p"
    )
    assert cluster.psql("SELECT count(*) FROM ONLY yearly.articles") == "0"
    partitions = _years(cluster)
    dated = {info.date.year for info in compared.corpus.articles.values() if info.date}
    assert {f"articles_y{year}" for year in dated} | {"articles_undated"} == set(partitions)
    undated = sum(1 for info in compared.corpus.articles.values() if info.date is None)
    assert undated and partitions["articles_undated"] == undated
    assert sum(partitions.values()) == len(compared.corpus.articles)
    columns = (
        "SELECT DISTINCT concat_ws(' ', attname, attstorage::text, attcompression::text) "
        "FROM pg_attribute WHERE attname IN ('doc', 'rank_tsv') AND attrelid IN "
    )
    partitioned = cluster.psql(  # every partition's columns stored as the plain table's
        f"{columns} (SELECT inhrelid FROM pg_inherits "
        "WHERE inhparent = 'yearly.articles'::regclass)"
    )
    plain = cluster.psql(f"{columns} ('unpartitioned.articles'::regclass)")
    assert sorted(partitioned.splitlines()) == sorted(plain.splitlines())
    assert " l" in plain  # lz4 on this server: the comparison means something


def test_partitioned_and_plain_tables_give_the_same_hits(engines: Engines) -> None:
    _, plain, yearly, _ = engines
    found = [_same(plain, yearly, query) for query in QUERIES]
    assert sum(found) > 1000  # the queries do find things
    for query in ("china", "date:[2022-01-01 TO 2022-12-31]", "NOT date:[2015 TO 2030]"):
        for sort in ("date", "title"):
            _same(plain, yearly, query, sort)
    assert plain.similar("synth/batch000/article00003").hits == (
        yearly.similar("synth/batch000/article00003").hits
    )


def test_an_article_moving_year_moves_partition(engines: Engines) -> None:
    compared, plain, yearly, cluster = engines
    before = _years(cluster)
    assert "articles_y1999" not in before and "articles_y2012" not in before
    moved = compared.root / "synth" / "batch000" / "article00005.txt"
    lines = moved.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "17/06/1999\n"  # the synthetic header's date line
    moved.write_text("".join(lines), encoding="utf-8")
    gone = compared.root / "synth" / "batch000" / "article00006.txt"
    gone.unlink()
    added = compared.root / "synth" / "added.txt"
    source = compared.root / "synth" / "batch000" / "article00007.txt"
    copied = source.read_text("utf-8").splitlines(keepends=True)
    copied[3] = "02/03/2012\n"
    added.write_text("".join(copied) + "\nA zebra treaty was signed.\n", "utf-8")
    long = next(compared.root.glob(f"{LONG_ID}.*"))  # its chunks are rewritten too
    long.write_text(long.read_text("utf-8") + "\nThe zebra treaty was long.\n", "utf-8")
    for index in (plain, yearly):
        report = index.refresh(publish=True)
        assert (report.added, report.updated, report.deleted) == (1, 2, 1)
    partitions = _years(cluster)
    assert partitions["articles_y1999"] == 1 and partitions["articles_y2012"] == 1
    assert sum(partitions.values()) == len(compared.corpus.articles)
    assert _same(plain, yearly, "date:1999") == 1
    assert _same(plain, yearly, "zebra treaty date:2012") == 1
    assert _same(plain, yearly, '"zebra treaty was long"') == 1
    for query in QUERIES[:40]:
        _same(plain, yearly, query)


def test_an_unknown_partition_is_refused_naming_it() -> None:
    with pytest.raises(SearchDatabaseError, match="partition='month'"):
        Target.parse("postgresql://u@h/db?partition=month")
    assert Target.parse("postgresql://u@h/db?partition=year&schema=x").partition == "year"
    assert "partition" not in Target.parse("postgresql://u@h/db?partition=year").conninfo


@pytest.mark.parametrize("rows", [1_000_000, -1])
def test_a_date_range_beside_words_reads_only_its_years_partitions(
    engines: Engines, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However many articles the range holds (``DATED_ROWS``: past it, a plain table's
    words lead), on a partitioned table the range names the date column as it is, so
    PostgreSQL prunes the other years."""
    from tui.core.search.pg import translate
    from tui.core.search.query import parse_query

    _, _, yearly, cluster = engines
    assert {"articles_y2021", "articles_y2022"} <= set(_years(cluster))
    monkeypatch.setattr(translate, "DATED_ROWS", rows)
    with yearly._connection("explaining") as conn:
        plan = yearly._translate(conn, parse_query("china date:2021"))
        shown = conn.execute(
            f"EXPLAIN SELECT a.id FROM yearly.articles a WHERE {plan.where}", plan.params
        ).fetchall()
    scanned = " ".join(line for (line,) in shown)
    assert "articles_y2021" in scanned
    assert "articles_y2022" not in scanned
    assert "+ 0" not in plan.where
