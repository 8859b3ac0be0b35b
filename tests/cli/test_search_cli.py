"""`gloss index`, `gloss search`, `gloss similar` as a user and a script see them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Gloss

REPO = Path(__file__).resolve().parents[2]
ICARO = "000_1b8bce5c4f6c6391"
SALES = "003_5a4e13669b936add"
HARBIN = "004_bb928d6639fb2ab5"


def test_search_json_spans_point_into_the_shown_body(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("search", "semiconductors OR expoelectronica", "--json")
    assert result.code == 0, result.err
    hits = json.loads(result.out)
    assert {hit["id"] for hit in hits} == {ICARO, SALES, HARBIN}
    assert set(hits[0]) == {"id", "title", "source", "date", "score", "snippet", "spans"}
    for hit in hits:
        body = json.loads(gloss("show", hit["id"], "--json").out)["body"]
        words = {body[s:e].lower() for s, e in hit["spans"]}
        assert words and words <= {"semiconductor", "semiconductors", "expoelectronica"}
        assert [list(span) for span in sorted(hit["spans"])] == hit["spans"]


def test_search_in_a_pipe_is_plain_text(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("search", '"economic ties"')
    assert result.code == 0
    assert "\x1b" not in result.out and "**" not in result.out
    lines = result.out.splitlines()
    assert lines[0].startswith(" 1. China's Growing Presence")
    assert "2024-04-26 · ICARO Media Group · " + ICARO in lines[1]
    assert "economic ties" in lines[2].lower()
    assert len(lines) == 6


def test_sort_date_and_limit(gloss: Gloss, project_dir: Path) -> None:
    hits = json.loads(gloss("search", "china", "--sort", "date", "--json").out)
    dates = [hit["date"] for hit in hits]
    assert dates[:3] == ["2024-04-26", "2023-10-16", "2021-12-17"] and dates[3:] == [None, None]
    assert len(json.loads(gloss("search", "china", "--limit", "2", "--json").out)) == 2


def test_no_hits_is_success_with_a_suggestion(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("search", "semicondutors")
    assert (result.code, result.out) == (0, "")
    assert "did you mean: semiconductor" in result.err
    result = gloss("search", "semicondutors", "--json")
    assert json.loads(result.out) == []
    result = gloss("search", "zzqqxx")  # nothing close: still one line saying so
    assert (result.code, result.out) == (0, "")
    assert result.err == "gloss: no matches for 'zzqqxx'\n"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"economic ties', "unbalanced quote"),
        ("china (russia", "unbalanced '('"),
        ("date:2024-13-01", "invalid date '2024-13-01'"),
        ("colour:red", "unknown field 'colour:'"),
    ],
)
def test_bad_queries_exit_2_with_one_line(
    gloss: Gloss, project_dir: Path, query: str, message: str
) -> None:
    result = gloss("search", query)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("gloss: error: ") and message in result.err
    assert f"query {query!r}" in result.err  # which query, not only a column
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "china", "--limit", "0"], "gloss search: error: argument --limit"),
        (["search", "china", "--sort", "foo"], "gloss search: error: argument --sort"),
        (["search"], "gloss search: error: the following arguments are required: QUERY"),
        (["frobnicate"], "gloss: error: argument COMMAND: invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_are_one_line_too(
    gloss: Gloss,
    project_dir: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    with pytest.raises(SystemExit) as exited:
        gloss(*args)
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith(message) and err.count("\n") == 1 and "usage:" not in err


def test_index_reports_counts_and_rate(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("index")
    assert result.code == 0 and result.out.startswith("5 articles indexed in ")
    assert "docs/s" in result.out
    again = json.loads(gloss("index", "--json").out)
    assert (again["indexed"], again["unchanged"], again["articles"]) == (0, 5, 5)
    rebuilt = json.loads(gloss("index", "--rebuild", "--json").out)
    assert rebuilt["rebuilt"] is True and rebuilt["added"] == 5
    assert not any(project_dir.joinpath("seeds").glob(".*"))


def test_search_sees_edits_without_a_manual_index(gloss: Gloss, project_dir: Path) -> None:
    assert gloss("search", "okapi", "--json").out.strip() == "[]"
    (project_dir / "seeds" / "zoo.txt").write_text("Zoo news\n\nAn okapi was born.\n")
    assert [h["id"] for h in json.loads(gloss("search", "okapi", "--json").out)] == ["zoo"]
    (project_dir / "seeds" / "zoo.txt").unlink()
    assert gloss("search", "okapi", "--json").out.strip() == "[]"


def test_similar_excludes_the_article(gloss: Gloss, project_dir: Path) -> None:
    hits = json.loads(gloss("similar", HARBIN, "--json").out)
    assert HARBIN not in [hit["id"] for hit in hits] and len(hits) == 4
    missing = gloss("similar", "nope")
    assert missing.code == 2 and "unknown article id 'nope'" in missing.err


def test_search_help_documents_the_query_language(
    gloss: Gloss, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        gloss("search", "--help")
    text = capsys.readouterr().out
    for example in ('"economic ties"', "Putn~2", "date:[2024-01-01 TO 2024-12-31]", "annotated:"):
        assert example in text


def test_gloss_search_does_not_import_textual(project_dir: Path) -> None:
    code = (
        "import sys; from tui.cli import main; code = main(['search', 'putin', '--json']);"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', code)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.strip().splitlines()[-1] == "CLEAN 0", run.stderr


def test_a_huge_query_is_one_line_exit_2(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("search", "x" * 1_000_000)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("gloss: error: query 'xxxx")
    assert result.err.count("\n") == 1 and "1,000,000 characters long" in result.err


def test_index_and_list_count_the_same_articles(gloss: Gloss, project_dir: Path) -> None:
    """Issue 17 #28: `gloss index` said 355 in the index while `gloss list` said 353."""
    (project_dir / "seeds" / "bad1.txt").write_bytes(b"+++\ntitle = \n+++\nbody\n")
    (project_dir / "seeds" / "bad2.md").write_bytes(b"+++\nx = [\n+++\nbody\n")
    listed = gloss("list", "--json")
    articles = len(json.loads(listed.out))
    assert (listed.code, articles) == (2, 5)
    for _ in range(2):  # building it, then with nothing changed
        result = gloss("index")
        assert result.code == 2
        assert f"; {articles} in the index (" in result.out
        assert result.out.rstrip().endswith("; 2 files could not be read (above)")
        assert "bad1.txt" in result.err and "bad2.md" in result.err
        data = json.loads(gloss("index", "--json").out)
        assert (data["articles"], data["problems"]) == (articles, 2)
