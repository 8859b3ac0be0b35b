"""`gloss kwic`, `gloss annotate --search`, `gloss stats`, `gloss memo` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tests.conftest import Gloss
from tui.core.annotations.model import with_ancestors

ART = "000_1b8bce5c4f6c6391"


def run_json(gloss, *args: str):  # type: ignore[no-untyped-def]
    result = gloss(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def listing(gloss: Gloss) -> list[dict[str, object]]:
    return run_json(gloss, "annotations")  # type: ignore[no-any-return]


# -- kwic -----------------------------------------------------------------------------------


def test_kwic_lines_are_the_search_spans(project_dir: Path, gloss: Gloss) -> None:
    lines = run_json(gloss, "kwic", "sanctions", "--limit", "1000")
    hits = run_json(gloss, "search", "sanctions", "--sort", "title", "--limit", "100")
    assert [(x["article"], [x["start"], x["end"]]) for x in lines] == [
        (hit["id"], span) for hit in hits for span in hit["spans"]
    ]
    body = run_json(gloss, "show", lines[0]["article"])["body"]
    first = lines[0]
    assert body[first["start"] : first["end"]] == first["keyword"]
    assert body[: first["start"]].endswith(first["left"])


def test_kwic_text_is_aligned_to_the_width(project_dir: Path, gloss: Gloss) -> None:
    result = gloss("kwic", "sanctions", "--width", "100", "--limit", "5")
    assert result.code == 0, result.err
    rows = result.out.splitlines()
    assert len(rows) == 5
    assert {cell_len(row) for row in rows} == {100}
    starts = {cell_len(row[: row.lower().index("sanction", 40)]) for row in rows}
    assert len(starts) == 1  # every keyword in one column


def test_kwic_errors_and_no_match(project_dir: Path, gloss: Gloss) -> None:
    bad = gloss("kwic", '"unclosed')
    assert bad.code == 2 and bad.err.startswith("gloss: error: query '\"unclosed'")
    none = gloss("kwic", "xylophonezzz", "--json")
    assert (none.code, json.loads(none.out)) == (0, []) and "no matches" in none.err
    sort = gloss("kwic", "china", "--sort", "words")
    assert sort.code == 2 and "unknown KWIC sort 'words'" in sort.err


# -- batch coding ---------------------------------------------------------------------------


def test_batch_dry_run_writes_nothing(project_dir: Path, gloss: Gloss) -> None:
    matches = len(run_json(gloss, "kwic", "sanctions", "--limit", "1000"))
    plan = run_json(gloss, "annotate", "--search", "sanctions", "--tag", "econ", "--dry-run")
    assert (plan["matches"], plan["made"], plan["skipped"]) == (matches, 0, 0)
    assert len(plan["annotations"]) == matches and plan["annotations"][0]["tags"] == ["econ"]
    assert not list((project_dir / "annotations").glob("*.toml"))
    text = gloss("annotate", "--search", "sanctions", "--tag", "econ", "--dry-run")
    assert text.out.startswith(f"would make {matches} annotations tagged econ")


def test_batch_makes_one_annotation_per_match_and_one_undo_step(
    project_dir: Path,
    gloss: Gloss,
) -> None:
    lines = run_json(gloss, "kwic", "sanctions", "--limit", "1000")
    result = gloss("annotate", "--search", "sanctions", "--tag", "econ/sanctions", "--note", "auto")
    assert result.code == 0, result.err
    assert result.out.startswith(f"made {len(lines)} annotations tagged econ/sanctions")
    items = listing(gloss)
    assert sorted((i["article"], i["start"], i["end"]) for i in items) == sorted(
        (x["article"], x["start"], x["end"]) for x in lines
    )
    assert all(i["tags"] == ["econ/sanctions"] and i["note"] == "auto" for i in items)
    again = run_json(gloss, "annotate", "--search", "sanctions", "--tag", "econ/sanctions")
    assert (again["made"], again["skipped"]) == (0, len(lines))
    undo = gloss("undo")
    assert undo.code == 0 and "tag" in undo.out and "sanctions" in undo.out
    assert listing(gloss) == []
    gloss("redo")
    assert len(listing(gloss)) == len(lines)


def test_batch_skips_matches_already_tagged(project_dir: Path, gloss: Gloss) -> None:
    lines = run_json(gloss, "kwic", "sanctions", "--limit", "1000")
    first, second, third = lines[0], lines[1], lines[2]
    # The first match inside a longer passage tagged below econ; the second exactly,
    # but with another tag; the third tagged econ on exactly its span.
    start = max(0, first["start"] - 10)
    gloss("annotate", first["article"], "--start", str(start), "--end", str(first["end"] + 5),
          "--tag", "econ/sanctions")  # fmt: skip
    gloss("annotate", second["article"], "--start", str(second["start"]),
          "--end", str(second["end"]), "--tag", "other")  # fmt: skip
    gloss("annotate", third["article"], "--start", str(third["start"]),
          "--end", str(third["end"]), "--tag", "econ")  # fmt: skip
    plan = run_json(gloss, "annotate", "--search", "sanctions", "--tag", "econ")
    skipped = {(s["article"], s["start"]) for s in plan["skipped_spans"]}
    assert skipped == {(first["article"], first["start"]), (third["article"], third["start"])}
    assert plan["made"] == len(lines) - 2
    # Two tags: a match gets only the one it lacks.
    both = run_json(gloss, "annotate", "--search", "sanctions", "--tag", "econ", "--tag", "x")
    assert both["skipped"] == 0 and all(a["tags"] == ["x"] for a in both["annotations"])


def test_batch_usage_errors(project_dir: Path, gloss: Gloss) -> None:
    for args in (
        ("annotate", "--search", "sanctions"),
        ("annotate", ART, "--search", "sanctions", "--tag", "x"),
        ("annotate", "--search", "sanctions", "--tag", "x", "--quote", "China"),
        ("annotate", ART, "--quote", "348 Chinese counterparts", "--dry-run"),
        ("annotate", "--tag", "x"),
        ("annotate", "--search", "sanctions", "--tag", "two words"),
    ):
        result = gloss(*args)
        assert result.code == 2 and result.err.count("\n") == 1, (args, result.err)
    assert not list((project_dir / "annotations").glob("*.toml"))


# -- stats ----------------------------------------------------------------------------------


def test_stats_text_csv_json_and_query_filter(project_dir: Path, gloss: Gloss) -> None:
    gloss("annotate", "--search", "sanctions", "--tag", "econ/sanctions")
    gloss("annotate", "--search", "Putin", "--tag", "actor/russia")
    text = gloss("stats")
    assert text.code == 0 and "econ/sanctions" in text.out and "Co-occurrence" in text.out
    data = run_json(gloss, "stats")
    assert data["chosen"] == ["actor", "econ"]
    rows = list(csv.DictReader(io.StringIO(gloss("stats", "--csv").out)))
    assert {r["name"]: int(r["annotations"]) for r in rows if r["table"] == "tag"} == {
        t["tag"]: t["annotations"] for t in data["tags"]
    }
    filtered = run_json(gloss, "stats", "--query", "semiconductors")
    matching = {hit["id"] for hit in run_json(gloss, "search", "semiconductors")}
    counted = {i["article"] for i in listing(gloss) if i["article"] in matching}
    assert filtered["articles"] == len(counted) < data["articles"]
    assert gloss("stats", "--query", "(").code == 2


def _expected(items: list[dict[str, object]], chosen: list[str]) -> dict[str, object]:
    """The stats worked out plainly from `gloss annotations --json`."""
    tags: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    articles: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for tag in with_ancestors(item["tags"]):  # type: ignore[arg-type]
            tags[tag][0] += 1
            articles[tag].add(str(item["article"]))
    for tag in tags:
        tags[tag][1] = len(articles[tag])

    def has(item: dict[str, object], tag: str) -> bool:
        return any(t == tag or t.startswith(tag + "/") for t in item["tags"])  # type: ignore[attr-defined]

    pairs = {}
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            group = [x for x in items if has(x, a) or has(x, b)]
            parent = list(range(len(group)))

            def root(n: int, parent: list[int] = parent) -> int:
                while parent[n] != n:
                    n = parent[n]
                return n

            for x in range(len(group)):
                for y in range(x + 1, len(group)):
                    p, q = group[x], group[y]
                    if (
                        p["article"] == q["article"]
                        and p["start"] < q["end"]  # type: ignore[operator]
                        and q["start"] < p["end"]  # type: ignore[operator]
                    ):
                        parent[root(x)] = root(y)
            runs: dict[int, list[dict[str, object]]] = defaultdict(list)
            for x, item in enumerate(group):
                runs[root(x)].append(item)
            passages = sum(
                1
                for run in runs.values()
                if any(has(r, a) for r in run) and any(has(r, b) for r in run)
            )
            both = {str(x["article"]) for x in items if has(x, a)} & {
                str(x["article"]) for x in items if has(x, b)
            }
            pairs[(a, b)] = (passages, len(both))
    authors: dict[str, int] = defaultdict(int)
    for item in items:
        authors[str(item["author"])] += 1
    return {"tags": dict(tags), "pairs": pairs, "authors": dict(authors)}


TAGS = ["a", "a/x", "a/y", "b", "b/z", "c"]
PASSAGES = st.lists(
    st.tuples(
        st.sampled_from(["000_1b8bce5c4f6c6391", "002_02e842533f2f6168", "004_bb928d6639fb2ab5"]),
        # Coarse offsets, so passages often touch (end == start) or overlap by a little.
        st.integers(min_value=0, max_value=30).map(lambda n: n * 10),
        st.integers(min_value=1, max_value=6).map(lambda n: n * 10 - n % 2),
        st.lists(st.sampled_from(TAGS), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(PASSAGES)
def test_stats_counts_equal_counts_from_the_annotation_listing(
    project_dir: Path,
    gloss: Gloss,
    passages: list[tuple[str, int, int, list[str]]],
) -> None:
    for path in (project_dir / "annotations").glob("*.toml"):
        path.unlink()
    for article, start, length, tags in passages:
        args = ["annotate", article, "--start", str(start), "--end", str(start + length)]
        assert gloss(*args, *(x for t in tags for x in ("--tag", t))).code == 0
    items = listing(gloss)
    stats = run_json(gloss, "stats", "--tag", "a", "--tag", "b", "--tag", "c")
    expected = _expected(items, ["a", "b", "c"])
    assert {t["tag"]: [t["annotations"], t["articles"]] for t in stats["tags"]} == expected["tags"]
    cells = {
        (c["first"], c["second"]): (c["passages"], c["articles"])
        for c in stats["cooccurrence"]
        if c["first"] != c["second"]
    }
    assert cells == expected["pairs"]
    assert {a["name"]: a["annotations"] for a in stats["authors"]} == expected["authors"]
    assert stats["annotations"] == len(items)
    assert sum(sum(s) for s in stats["timeline"]["series"].values()) == sum(
        expected["tags"][t][0] for t in ("a", "b", "c") if t in expected["tags"]
    )


# -- memo and the report --------------------------------------------------------------------


def test_memo_print_set_from_stdin_clear_and_undo(
    project_dir: Path,
    gloss: Gloss,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = gloss("memo", ART)
    assert (empty.code, empty.out) == (0, "") and "has no memo" in empty.err
    monkeypatch.setattr("sys.stdin", io.StringIO("From stdin.\nSecond line.\n"))
    assert gloss("memo", ART, "--set", "-").out.startswith(f"set the memo of {ART}")
    assert gloss("memo", ART).out == "From stdin.\nSecond line.\n"
    assert run_json(gloss, "memo", ART) == {"article": ART, "memo": "From stdin.\nSecond line."}
    hits = run_json(gloss, "search", "memo:stdin")
    assert [h["id"] for h in hits] == [ART]
    assert gloss("memo", ART, "--set", "").out.startswith("cleared the memo")
    assert not (project_dir / "annotations" / f"{ART}.toml").exists()
    gloss("undo")
    assert gloss("memo", ART).out == "From stdin.\nSecond line.\n"
    unknown = gloss("memo", "nope")
    assert unknown.code == 2 and "unknown article id 'nope'" in unknown.err


def test_markdown_report_with_codebook_and_stats(project_dir: Path, gloss: Gloss) -> None:
    gloss("annotate", "--search", "sanctions", "--tag", "econ/sanctions")
    gloss("annotate", "--search", "Putin", "--tag", "actor/russia")
    gloss("tag", "describe", "econ/sanctions", "Measures | penalties against a state")
    gloss("memo", ART, "--set", "A memo for the report.")
    plain = gloss("export", "--format", "md").out
    assert "## Codebook" in plain and "- `econ/sanctions`: Measures | penalties" in plain
    assert "A memo for the report." in plain and "## Statistics" not in plain
    report = gloss("export", "--format", "md", "--with-stats").out
    stats = run_json(gloss, "stats")
    assert report.index("## Codebook") < report.index("## Statistics")
    for heading in ("### Tag frequencies", "### Co-occurrence", "### Timeline", "### By coder"):
        assert heading in report
    row = next(t for t in stats["tags"] if t["tag"] == "econ/sanctions")
    assert f"| `econ/sanctions` | {row['annotations']} | {row['articles']} |" in report
    cell = next(c for c in stats["cooccurrence"] if c["first"] != c["second"])
    assert f"{cell['passages']} / {cell['articles']}" in report
    assert gloss("export", "--format", "csv", "--with-stats").code == 2
