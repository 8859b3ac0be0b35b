"""Inter-coder agreement: checked against published worked examples and the edge cases."""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pytest

from tui.core.analysis.agreement import (
    AgreementError,
    agreement_table,
    by_coder,
    cohen_kappa,
)
from tui.core.annotations.selection import Selection, select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus


class Project:
    def __init__(self, root: Path, bodies: dict[str, str]) -> None:
        (root / "corpus").mkdir(parents=True)
        for ident, body in bodies.items():
            (root / "corpus" / f"{ident}.txt").write_text(body, encoding="utf-8")
        self.corpus: Corpus = load_corpus(root / "corpus")
        self.store_root = root / "store"

    def code(self, coder: str, article: str, start: int, end: int, *tags: str) -> None:
        store = AnnotationStore(self.store_root, articles=self.corpus.articles.get, author=coder)
        store.add(self.corpus.get(article), start, end, tags=tags or ("t",))

    def selection(self) -> Selection:
        return select(AnnotationStore(self.store_root), self.corpus)


def units(project: Project, coder: str, article: str, ones: list[int]) -> None:
    """Code single characters as 1 (each its own annotation, as a coder marking units)."""
    for at in ones:
        project.code(coder, article, at, at + 1)


def test_the_package_reproduces_krippendorffs_own_example() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C:
    4 observers, 12 units, missing values; nominal alpha = 0.743 (interval 0.849)."""
    nan = np.nan
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    assert round(krippendorff.alpha(data, level_of_measurement="nominal"), 3) == 0.743
    assert round(krippendorff.alpha(data, level_of_measurement="interval"), 3) == 0.849


def test_binary_example_a_at_character_level(tmp_path: Path) -> None:
    """Krippendorff (2011) example A, binary data, two observers, ten units:
    A = 0 1 0 0 0 0 0 0 1 0, B = 1 1 1 0 0 1 0 0 0 0; alpha = 1 - 19 * 4 / (14 * 6) = 0.095.
    Here each unit is one character of a ten-character article."""
    project = Project(tmp_path, {"a": "abcdefghij"})
    units(project, "A", "a", [1, 8])
    units(project, "B", "a", [0, 1, 2, 5])
    (row,) = agreement_table(project.selection()).rows
    assert (row.tag, row.articles, row.units) == ("t", 1, 10)
    assert row.alpha is not None
    assert row.alpha == pytest.approx(1 - 19 * 4 / (14 * 6)) and round(row.alpha, 3) == 0.095
    assert row.percent == pytest.approx(0.6)
    # p_o = 0.6, p_e = 0.2 * 0.4 + 0.8 * 0.6 = 0.56: kappa = 0.04 / 0.44
    assert row.kappa == pytest.approx(0.04 / 0.44)


def test_cohens_kappa_on_the_textbook_example() -> None:
    """The usual worked example (e.g. Wikipedia, "Cohen's kappa"): 50 proposals, both yes
    20, A yes B no 5, A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4."""
    assert cohen_kappa(both=20, first_only=5, second_only=10, neither=15) == pytest.approx(0.4)


def test_the_textbook_kappa_through_annotations(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 50})
    project.code("A", "a", 0, 25)  # 20 both + 5 A only
    project.code("B", "a", 0, 20)
    project.code("B", "a", 25, 35)  # 10 B only; 15 neither
    (row,) = agreement_table(project.selection()).rows
    assert row.kappa == pytest.approx(0.4) and row.percent == pytest.approx(0.7)


def test_perfect_agreement_is_one(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 40, "b": "y" * 30})
    for coder in ("A", "B", "C"):
        project.code(coder, "a", 5, 15)
        project.code(coder, "b", 0, 3)
    report = agreement_table(project.selection(), among=["A", "B"])
    (row,) = report.rows
    assert (row.alpha, row.kappa, row.percent, row.articles, row.units) == (1.0, 1.0, 1.0, 2, 70)
    (three,) = agreement_table(project.selection()).rows
    assert (three.alpha, three.kappa, three.percent) == (1.0, None, 1.0)


def test_disjoint_coding_is_below_chance(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "abcdefghij"})
    project.code("A", "a", 0, 5)
    project.code("B", "a", 5, 10)
    (row,) = agreement_table(project.selection()).rows
    # Every unit disagrees: o01 = o10 = 10, n0 = n1 = 10: alpha = 1 - 19 * 10 / 100.
    assert row.alpha == pytest.approx(-0.9)
    assert row.kappa == pytest.approx(-1.0) and row.percent == 0.0


def test_a_coder_who_did_not_code_an_article_is_missing_not_zero(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "abcdef", "b": "ghijkl"})
    project.code("A", "a", 0, 3)
    project.code("B", "a", 0, 2)
    project.code("A", "b", 2, 4)
    project.code("C", "b", 2, 5)
    project.code("B", "b", 0, 1, "other")  # B coded b, but not with t
    (row, _other) = agreement_table(project.selection(), tags=["t", "other"]).rows
    nan = np.nan
    units: list[list[float]] = [
        [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0],
        [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [nan] * 6 + [0, 0, 1, 1, 1, 0],
    ]
    expected = krippendorff.alpha(units, level_of_measurement="nominal")
    assert row.alpha == pytest.approx(expected) and row.articles == 2 and row.kappa is None
    # "a" has A and B (agree on 5 of 6); "b" has A, B, C (agree on 3 of 6).
    assert row.percent == pytest.approx(8 / 12)


def test_an_article_coded_by_one_coder_only_is_left_out(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "abcdef", "b": "ghijkl"})
    project.code("A", "a", 0, 3)
    project.code("B", "a", 0, 3)
    project.code("A", "b", 0, 6)
    (row,) = agreement_table(project.selection()).rows
    assert (row.articles, row.units, row.alpha) == (1, 6, 1.0)


def test_a_tag_counts_its_subtree_and_default_rows_include_parents(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 20})
    project.code("A", "a", 0, 10, "actor/china")
    project.code("B", "a", 0, 10, "actor/russia")
    rows = {r.tag: r for r in agreement_table(project.selection()).rows}
    assert sorted(rows) == ["actor", "actor/china", "actor/russia"]
    assert rows["actor"].alpha == 1.0
    assert rows["actor/china"].percent == pytest.approx(0.5)


def test_an_unused_tag_is_undefined_not_perfect(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 20})
    project.code("A", "a", 0, 10)
    project.code("B", "a", 0, 10)
    (row,) = agreement_table(project.selection(), tags=["nobody"]).rows
    assert (row.alpha, row.kappa, row.percent) == (None, None, 1.0)
    assert row.to_json()["alpha"] is None


def test_fewer_than_two_coders_or_an_unknown_one_is_an_error(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 20})
    project.code("A", "a", 0, 10)
    with pytest.raises(AgreementError, match="at least two coders; found 1: A"):
        agreement_table(project.selection())
    project.code("B", "a", 0, 10)
    with pytest.raises(AgreementError, match="no annotations by 'Zoe'; coders are: A, B"):
        agreement_table(project.selection(), among=["A", "Zoe"])


def test_only_the_chosen_articles_count(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 10, "b": "y" * 10})
    for article in ("a", "b"):
        project.code("A", article, 0, 5)
    project.code("B", "a", 0, 5)
    project.code("B", "b", 5, 10)
    (row,) = agreement_table(project.selection(), articles=["a"]).rows
    assert (row.articles, row.alpha) == (1, 1.0)


def test_by_coder_groups_one_articles_annotations(tmp_path: Path) -> None:
    project = Project(tmp_path, {"a": "x" * 20})
    project.code("B", "a", 5, 8)
    project.code("A", "a", 9, 12)
    project.code("A", "a", 0, 3)
    groups = by_coder(project.selection().items)
    assert list(groups) == ["A", "B"]
    assert [(i.start, i.end) for i in groups["A"]] == [(0, 3), (9, 12)]
    assert [(i.start, i.end) for i in groups["B"]] == [(5, 8)]
