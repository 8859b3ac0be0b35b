"""The PostgreSQL backend against a real server: loading (O(changed), resumable, two
writers at once), the tables' consistency, and failures that are one line, in time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import REPO, SEEDS
from tests.postgres import Cluster
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.catalogue import Catalogue
from tui.core.corpus.load import Corpus
from tui.core.errors import GlossError
from tui.core.search.build import BuildInterrupted
from tui.core.search.pg import sync
from tui.core.search.pg.backend import PostgresIndex, trigram_floor, trigrams
from tui.core.search.pg.connect import SearchDatabaseError, Target

ENTRIES = sync.VOCABULARY_OF.replace("{where}", "TRUE")


def open_index(root: Path, url: str, store_dir: Path | None = None) -> PostgresIndex:
    store_dir = store_dir or root.parent / "annotations"
    corpus = Corpus(Catalogue(root, exclude=[store_dir]))
    corpus.refresh()
    store = AnnotationStore(store_dir, articles=corpus.articles.get, author="ana")
    return PostgresIndex(
        url, root, exclude=[store_dir], annotations=store_dir, store=lambda: store, corpus=corpus
    )


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS, root)
    return root


def vocabulary_is_consistent(cluster: Cluster, schema: str) -> None:
    """Every term's and word's document frequency is what the rows say, and no other."""
    entries = ENTRIES.replace("{s}", schema)
    counted = f"SELECT field, word, count(*) AS n FROM ({entries}) e GROUP BY field, word"
    differing = cluster.psql(
        f"SELECT count(*) FROM ({counted}) c FULL JOIN {schema}.vocabulary v "
        "ON v.field = c.field AND v.word = c.word WHERE v.df IS DISTINCT FROM c.n"
    )
    kinds = cluster.psql(f"SELECT string_agg(DISTINCT field, '') FROM {schema}.vocabulary")
    assert differing == "0"
    assert set("tw") <= set(kinds) and set("TW") <= set(kinds)


def test_a_second_load_writes_only_what_changed(
    seeds: Path, pg_url: str, postgres_cluster: Cluster
) -> None:
    schema = Target.parse(pg_url).schema
    first = open_index(seeds, pg_url).refresh(publish=True)
    assert (first.added, first.updated, first.deleted, first.rebuilt) == (5, 0, 0, True)
    again = open_index(seeds, pg_url).refresh(publish=True)
    assert (again.indexed, again.deleted, again.unchanged, again.rebuilt) == (0, 0, 5, False)

    edited = sorted(seeds.glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA zebra appeared.\n", "utf-8")
    sorted(seeds.glob("*.txt"))[1].unlink()
    index = open_index(seeds, pg_url)
    report = index.refresh(publish=True)
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 1, 1, 3)
    assert [hit.id for hit in index.search("zebra").hits] == [edited.stem]
    assert index.search("china").total == 4
    vocabulary_is_consistent(postgres_cluster, schema)
    assert postgres_cluster.psql(f"SELECT count(*) FROM {schema}.vocabulary WHERE df <= 0") == "0"


def test_annotations_reach_the_database_with_the_next_load(seeds: Path, pg_url: str) -> None:
    index = open_index(seeds, pg_url)
    index.refresh(publish=True)
    store = AnnotationStore(seeds.parent / "annotations", articles=index.corpus.articles.get)
    article = index.corpus.get(sorted(index.corpus.catalogue.ids())[0])
    store.add(article, 0, 5, ["actor/china"], "needs a second look")
    assert index.search("note:second").total == 0  # the database is as the last load left it
    report = open_index(seeds, pg_url).refresh(publish=True)
    assert (report.updated, report.unchanged) == (1, 4)
    assert [hit.id for hit in index.search("note:second").hits] == [article.id]
    assert index.search("annotated:actor").total == index.search("tag:x OR annotated:yes").total
    store.set_memo(article.id, "Revisit the sourcing.")
    open_index(seeds, pg_url).refresh(publish=True)
    assert [hit.id for hit in index.search("memo:sourcing").hits] == [article.id]


def test_an_interrupted_first_load_resumes_and_ends_with_its_indexes(
    tmp_path: Path, pg_url: str, postgres_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.synth import make_corpus

    root = make_corpus(tmp_path / "corpus", 120)
    monkeypatch.setattr(sync, "BATCH", 20)
    monkeypatch.setattr(sync, "BULK", 50)  # a "large" first load: GIN indexes dropped first
    schema = Target.parse(pg_url).schema
    batches: list[int] = []

    def stop_after_two(done: int, total: int) -> None:
        batches.append(done)
        if len(batches) == 2:
            raise KeyboardInterrupt

    with pytest.raises(BuildInterrupted, match="after indexing 40 of 120"):
        open_index(root, pg_url).refresh(publish=True, progress=stop_after_two)
    assert postgres_cluster.psql(f"SELECT count(*) FROM {schema}.articles") == "40"
    with pytest.raises(SearchDatabaseError, match="has not finished yet"):
        open_index(root, pg_url).search("china")
    report = open_index(root, pg_url).refresh(publish=True)
    assert (report.added, report.unchanged) == (80, 40)
    indexes = postgres_cluster.psql(
        f"SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes "
        f"WHERE schemaname = '{schema}' AND indexdef LIKE '%gin%'"
    )
    assert indexes.split() == [
        "articles_doc", "body_chunks_pairs", "body_chunks_tsv", "vocabulary_trigrams",
    ]  # fmt: skip
    assert open_index(root, pg_url).search("china").total == 120
    vocabulary_is_consistent(postgres_cluster, schema)


def test_two_analysts_indexing_at_once_take_turns(
    tmp_path: Path, pg_url: str, postgres_cluster: Cluster
) -> None:
    """Two real `gloss index` processes on one schema: both succeed, one waits for the
    other's lock and then finds nothing left to do; the tables are whole."""
    from bench.synth import make_corpus

    make_corpus(tmp_path / "corpus", 150)
    (tmp_path / "annotations").mkdir()
    (tmp_path / "gloss.toml").write_text(
        f'corpus = "corpus"\nannotations = "annotations"\nsearch = "{pg_url}"\n'
    )
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from tui.cli import main; sys.exit(main())",
                "index",
                "--json",
            ],
            cwd=tmp_path,
            env=_env(cache),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cache in (tmp_path / "cache-a", tmp_path / "cache-b")
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    import json

    reports = [json.loads(out) for out, _ in outputs]
    assert sorted(report["indexed"] for report in reports) == [0, 150]
    schema = Target.parse(pg_url).schema
    assert postgres_cluster.psql(f"SELECT count(*) FROM {schema}.articles") == "150"
    vocabulary_is_consistent(postgres_cluster, schema)


def test_a_plain_refresh_touches_no_server(seeds: Path) -> None:
    """The app refreshes before it searches: that must work with the server down."""
    index = open_index(seeds, "postgresql://nobody@127.0.0.1:1/gloss")
    started = time.perf_counter()
    report = index.refresh()
    assert report.unchanged == 5 and time.perf_counter() - started < 2


def test_an_unreachable_server_is_one_line_naming_it(seeds: Path) -> None:
    index = open_index(seeds, "postgresql://nobody@127.0.0.1:1/gloss")
    started = time.perf_counter()
    with pytest.raises(SearchDatabaseError) as caught:
        index.search("china")
    message = str(caught.value)
    assert "127.0.0.1:1/gloss" in message and "\n" not in message
    assert message.startswith("cannot connect to the search database")
    assert time.perf_counter() - started < 6


def test_a_search_before_the_first_load_says_what_to_run(seeds: Path, pg_url: str) -> None:
    with pytest.raises(SearchDatabaseError, match=r"no Gloss index .* run `gloss index`"):
        open_index(seeds, pg_url).search("china")


def test_a_blocked_statement_stops_at_its_timeout(
    seeds: Path, pg_url: str, postgres_cluster: Cluster
) -> None:
    open_index(seeds, pg_url).refresh(publish=True)
    index = open_index(seeds, pg_url)
    index.timeout = 1.0
    schema = Target.parse(pg_url).schema
    blocker = psycopg.connect(postgres_cluster.url().replace("?", ""), autocommit=False)
    try:
        blocker.execute(f"LOCK TABLE {schema}.articles IN ACCESS EXCLUSIVE MODE")
        started = time.perf_counter()
        with pytest.raises(SearchDatabaseError) as caught:
            index.search("china")
        assert time.perf_counter() - started < 5
        assert "127.0.0.1" in str(caught.value) and "\n" not in str(caught.value)
        assert "too long" in str(caught.value) or "locked" in str(caught.value)
    finally:
        blocker.rollback()
        blocker.close()
    assert index.search("china").total == 5  # the kept connection still works


def test_tables_of_another_version_are_refused_then_rebuilt(
    seeds: Path, pg_url: str, postgres_cluster: Cluster
) -> None:
    open_index(seeds, pg_url).refresh(publish=True)
    schema = Target.parse(pg_url).schema
    postgres_cluster.psql(f"UPDATE {schema}.meta SET value = '0/0' WHERE key = 'format'")
    with pytest.raises(SearchDatabaseError, match="another version of Gloss"):
        open_index(seeds, pg_url).search("china")
    report = open_index(seeds, pg_url).refresh(publish=True)
    assert report.rebuilt and report.added == 5
    assert any("another version" in notice for notice in report.notices)
    assert open_index(seeds, pg_url).search("china").total == 5


def test_a_reader_role_searches_and_cannot_load(
    seeds: Path, pg_url: str, postgres_cluster: Cluster
) -> None:
    """A team's analysts may have read-only roles: searching works, `gloss index` says why
    it cannot in one line."""
    open_index(seeds, pg_url).refresh(publish=True)
    schema = Target.parse(pg_url).schema
    role = f"reader_{schema}"
    postgres_cluster.psql(
        f"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {role}; "
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}"
    )
    reader_url = pg_url.replace("gloss@", f"{role}@")
    assert open_index(seeds, reader_url).search('"economic ties"').total >= 1
    edited = sorted(seeds.glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    with pytest.raises(GlossError) as caught:
        open_index(seeds, reader_url).refresh(publish=True)
    assert "permission denied" in str(caught.value) and "\n" not in str(caught.value)


def test_searches_from_several_threads_share_the_backend(seeds: Path, pg_url: str) -> None:
    open_index(seeds, pg_url).refresh(publish=True)
    index = open_index(seeds, pg_url)
    totals: list[int] = []

    def run() -> None:
        for _ in range(5):
            totals.append(index.search('"economic ties" OR putin').total)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(totals)) == 1 and len(totals) == 20
    index.close()


@pytest.mark.parametrize(
    ("word", "maxdist"), [("putin", 1), ("sanctions", 2), ("ab", 1), ("putn", 2), ("x9", 1)]
)
def test_the_trigram_floor_never_loses_a_word_within_reach(word: str, maxdist: int) -> None:
    """Every word within ``maxdist`` edits has at least the similarity the index is asked
    for (checked by brute force on all edits of the word), so fuzzy terms lose nothing."""
    floor = trigram_floor(word, maxdist)
    if floor is None:
        return
    letters = sorted(set(word) | {"a", "z", "1"})
    reach = {word}
    for _ in range(maxdist):
        reach |= {
            edited
            for near in reach
            for i in range(len(near) + 1)
            for edited in (
                [near[:i] + near[i + 1 :]]
                + [near[:i] + c + near[i + 1 :] for c in letters]
                + [near[:i] + c + near[i:] for c in letters]
            )
            if edited
        }
    for near in reach:
        own, other = trigrams(word), trigrams(near)
        common = len(own & other)
        assert common / (len(own) + len(other) - common) >= floor


def test_whoosh_users_never_import_psycopg(seeds: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from tui.cli import main; main(['--corpus', sys.argv[1], 'search', "
        "'china', '--json']); assert 'psycopg' not in sys.modules, 'psycopg imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(seeds)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _env(home: Path) -> dict[str, str]:
    """A child gloss's environment: this checkout, its own cache, config and data."""
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        **{f"GLOSS_{name.upper()}": str(home / name) for name in ("cache", "config", "data")},
    }
