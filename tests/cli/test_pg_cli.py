"""The CLI with a PostgreSQL search database: `gloss index` loads it, every search command
runs there, and a server that cannot be used is one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CliResult


@pytest.fixture
def team(project_dir: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The seeds project, its gloss.toml naming the test server."""
    config = project_dir / "gloss.toml"
    config.write_text(config.read_text() + f'search = "{pg_url}"\n')
    return pg_url


def one_line_error(result: CliResult) -> str:
    assert result.code == 2 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_index_then_search_there(gloss, team: str) -> None:  # type: ignore[no-untyped-def]
    first = one_line_error(gloss("search", "china"))
    assert "no Gloss index" in first and "gloss index" in first
    loaded = gloss("index")
    assert loaded.code == 0 and "5 articles indexed" in loaded.out
    report = json.loads(gloss("index", "--json").out)
    assert (report["indexed"], report["unchanged"], report["index"]) == (0, 5, team)

    hits = json.loads(gloss("search", '"economic ties"', "--json").out)
    assert hits
    for hit in hits:
        body = json.loads(gloss("show", hit["id"], "--json").out)["body"]
        assert all(body[s:e].lower() == "economic ties" for s, e in hit["spans"])
    dated = json.loads(gloss("search", "china", "--sort", "date", "--json").out)
    dates = [hit["date"] for hit in dated if hit["date"]]
    assert dates == sorted(dates, reverse=True)


def test_no_match_and_bad_queries_say_so_as_with_whoosh(gloss, team: str) -> None:  # type: ignore[no-untyped-def]
    gloss("index")
    empty = gloss("search", "sanctons", "--json")
    assert empty.code == 0 and json.loads(empty.out) == []
    assert "no matches for 'sanctons'; did you mean: sanctions" in empty.err
    bad = one_line_error(gloss("search", '"unbalanced'))
    assert "unbalanced quote" in bad


def test_kwic_and_stats_run_on_the_database(gloss, team: str) -> None:  # type: ignore[no-untyped-def]
    gloss("index")
    lines = json.loads(gloss("kwic", "sanctions", "--json").out)
    assert lines and all(line["keyword"].lower().startswith("sanction") for line in lines)
    stats = gloss("stats", "--query", "china", "--json")
    assert stats.code == 0, stats.err


def test_info_names_the_database_without_its_password(  # type: ignore[no-untyped-def]
    gloss, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOSS_SEARCH", "postgresql://ana:s3cret@db.example.org/team")
    info = json.loads(gloss("info", "--json").out)
    assert info["search"] == "postgresql://ana:***@db.example.org/team"
    monkeypatch.delenv("GLOSS_SEARCH")
    assert "embedded" in json.loads(gloss("info", "--json").out)["search"]


def test_an_unreachable_server_is_one_line(  # type: ignore[no-untyped-def]
    gloss, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOSS_SEARCH", "postgresql://ana@127.0.0.1:1/team")
    for command in (("search", "china"), ("index",), ("similar", "000_1b8bce5c4f6c6391")):
        line = one_line_error(gloss(*command))
        assert "127.0.0.1:1/team" in line, line


def test_a_search_setting_that_is_not_a_url_names_the_file(  # type: ignore[no-untyped-def]
    gloss, project_dir: Path
) -> None:
    config = project_dir / "gloss.toml"
    config.write_text(config.read_text() + 'search = "mysql://x"\n')
    line = one_line_error(gloss("list"))
    assert "gloss.toml" in line and "'search' must be a PostgreSQL URL" in line
