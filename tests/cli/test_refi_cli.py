"""`gloss export --format qdpx|qdc` and `gloss import qdpx`, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Gloss
from tests.core.refi.refi_schemas import validate_codebook, validate_qdpx, zip_fixture

ART = "000_1b8bce5c4f6c6391"
OTHER = "003_5a4e13669b936add"


def test_export_qdpx_then_import_it(project_dir: Path, gloss: Gloss, tmp_path: Path) -> None:
    assert (
        gloss(
            "annotate",
            ART,
            "--quote",
            "348 Chinese counterparts",
            "--tag",
            "actor/china",
            "--note",
            "n",
        ).code
        == 0
    )
    assert gloss("memo", ART, "--set", "Read the\n\nwhole thing.").code == 0
    assert gloss("memo", OTHER, "--set", "Memo only.").code == 0
    result = gloss("export", "--format", "qdpx", "-o", "p.qdpx")
    assert result.code == 0, result.err
    assert result.err == "gloss: wrote 1 annotations to p.qdpx\n"
    validate_qdpx((project_dir / "p.qdpx").read_bytes())
    result = gloss("import", "qdpx", "p.qdpx", "--into", str(tmp_path / "back"))
    assert result.code == 0, result.err
    assert (
        result.out.startswith("imported 5 articles, 1 annotations by 1 coder (")
        and f", 2 memos and 1 tags into {tmp_path / 'back'}\n" in result.out
    )
    assert result.err == ""
    back = (
        "--corpus",
        str(tmp_path / "back" / "corpus"),
        "--annotations",
        str(tmp_path / "back" / "annotations"),
    )
    listed = gloss(*back, "annotations", "--json")
    assert '"exact": "348 Chinese counterparts"' in listed.out
    assert gloss(*back, "memo", ART).out == "Read the\n\nwhole thing.\n"
    assert gloss(*back, "memo", OTHER).out == "Memo only.\n"


def test_export_qdpx_of_one_article_carries_its_memo_only(project_dir: Path, gloss) -> None:  # type: ignore[no-untyped-def]
    assert gloss("memo", ART, "--set", "mine").code == 0
    assert gloss("memo", OTHER, "--set", "not this one").code == 0
    result = gloss("export", "--format", "qdpx", "--article", ART, "-o", "one.qdpx")
    assert result.code == 0, result.err
    project = validate_qdpx((project_dir / "one.qdpx").read_bytes()).read("project.qde")
    assert b"<PlainTextContent>mine</PlainTextContent>" in project
    assert b"not this one" not in project


def test_export_qdc(project_dir: Path, gloss: Gloss) -> None:
    assert gloss("tag", "describe", "actor/china", "Chinese state").code == 0
    result = gloss("export", "--format", "qdc", "-o", "codes.qdc")
    assert result.code == 0 and result.err == "gloss: wrote the codebook to codes.qdc\n"
    validate_codebook((project_dir / "codes.qdc").read_text("utf-8"))


def test_export_qdc_with_no_tags_is_an_error(project_dir: Path, gloss: Gloss) -> None:
    result = gloss("export", "--format", "qdc")
    assert result.code == 2
    assert result.err == (
        "gloss: error: no tags to export: the codebook is empty and nothing is tagged\n"
    )


def test_import_lists_what_it_did_not_carry(
    tmp_path: Path, gloss: Gloss, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    zip_fixture(tmp_path / "study.qdpx")
    result = gloss("import", "qdpx", "study.qdpx")
    assert result.code == 0, result.err
    assert (
        "imported 3 articles, 8 annotations by 2 coders (Ana Analyst, Ben Coder), 2 memos "
        "and 5 tags into study\n"
    ) in result.out
    assert (tmp_path / "study" / "gloss.toml").is_file()
    lines = result.err.splitlines()
    assert "gloss: code 'economic ties' became tag 'economic_ties'" in lines
    assert "gloss: not carried: audio source 'talk.m4a' (Gloss reads text only)" in lines
    assert sum(line.startswith("gloss: not carried: ") for line in lines) == 8
    monkeypatch.chdir(tmp_path / "study")
    memo = gloss("memo", "Interview 1")
    assert memo.out == "Ana's first interview\n\nMemo: the interview was short.\n"


def test_import_into_a_busy_folder_is_one_line(
    tmp_path: Path, gloss: Gloss, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    zip_fixture(tmp_path / "study.qdpx")
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "x").write_text("x")
    result = gloss("import", "qdpx", "study.qdpx")
    assert result.code == 2
    assert result.err == "gloss: error: study: folder is not empty: import into a new folder\n"
