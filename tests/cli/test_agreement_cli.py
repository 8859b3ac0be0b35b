"""`gloss agreement` as a user runs it: a table, JSON, the help, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Gloss

ART, OTHER = "000_1b8bce5c4f6c6391", "002_02e842533f2f6168"


@pytest.fixture
def coded(project_dir: Path, gloss: Gloss, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOSS_CONFIG", str(project_dir / "cfg"))
    for author, spans in (("ana", [(100, 200), (400, 450)]), ("ben", [(100, 180), (420, 450)])):
        (project_dir / "cfg").mkdir(exist_ok=True)
        (project_dir / "cfg" / "config.toml").write_text(f'author = "{author}"\n')
        for start, end in spans:
            tag = "actor/china" if start < 300 else "economy"
            result = gloss("annotate", ART, "--start", str(start), "--end", str(end), "--tag", tag)
            assert result.code == 0, result.err


def test_agreement_table(coded: None, gloss: Gloss) -> None:
    result = gloss("agreement")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "coders: ana, ben"
    assert lines[1].split() == ["TAG", "ARTICLES", "CHARS", "ALPHA", "KAPPA", "AGREE"]
    assert [line.split()[0] for line in lines[2:]] == ["actor", "actor/china", "economy"]


def test_agreement_json_and_filters(coded: None, gloss: Gloss) -> None:
    result = gloss(
        "agreement", "--json", "--tag", "economy", "--coders", "ana,ben", "--article", ART
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["coders"] == ["ana", "ben"] and data["orphans_ignored"] == 0
    (row,) = data["tags"]
    assert row["tag"] == "economy" and row["articles"] == 1
    assert 0 < row["alpha"] < 1 and 0 < row["kappa"] < 1
    assert row["percent_agreement"] == pytest.approx(1 - 20 / row["characters"], abs=1e-4)


def test_agreement_help_explains_each_measure(
    gloss: Gloss, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        gloss("agreement", "--help")
    text = capsys.readouterr().out
    assert "Krippendorff's alpha" in text and "Cohen's kappa" in text
    assert "percent agreement" in text and "chance" in text


def test_agreement_errors_are_one_line(coded: None, gloss: Gloss) -> None:
    result = gloss("agreement", "--coders", "ana")
    assert result.code == 2
    assert result.err == (
        "gloss: error: agreement needs at least two coders; found 1: ana "
        "(the 'author' of each annotation)\n"
    )
    result = gloss("agreement", "--article", "nope")
    assert result.code == 2 and "unknown article id 'nope'" in result.err
    result = gloss("agreement", "--article", OTHER, "--json")
    assert result.code == 0 and json.loads(result.out)["tags"] == []
