"""Inter-coder agreement: how far coders (the annotations' ``author``) agree, per tag.

The unit is the character. For a tag T and an article, each coder who coded the
article (made any annotation in it) gives every character of its body the value 1 if
one of their annotations tagged T (or a tag below it) covers it, else 0; a coder who
did not code the article gives no value (missing). An article counts once at least two
of the chosen coders coded it. Over those characters:

- **Krippendorff's alpha** (nominal), computed by the ``krippendorff`` package: 1 minus
  observed over expected disagreement. 1 is perfect agreement, 0 what chance gives,
  below 0 systematic disagreement; any number of coders, missing values allowed. It is
  undefined (None) when every character has the same value (nobody used the tag, or
  everyone coded everything);
- **Cohen's kappa**, two coders only, on the articles both coded: (p_o - p_e) / (1 - p_e)
  with p_e from each coder's own share of 1s (undefined when p_e is 1);
- **percent agreement**: the share of characters on which all coders who coded the
  article agree.

Orphaned annotations (no place in the current text) are left out and counted.
``agreement_table`` is the whole table; ``by_coder`` groups one article's annotations by
coder, for a side-by-side view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.core.annotations.model import Anchored, has_tag, with_ancestors
from tui.core.annotations.selection import Selection
from tui.core.errors import GlossError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class AgreementError(GlossError):
    """Agreement cannot be computed as asked (fewer than two coders, an unknown one)."""


@dataclass(frozen=True, slots=True)
class TagAgreement:
    """One row of the table: one tag (with its subtree) across the compared articles."""

    tag: str
    articles: int
    """Articles coded by at least two of the coders."""
    units: int
    """Characters compared (those articles' body lengths)."""
    alpha: float | None
    kappa: float | None
    percent: float | None
    """Share (0..1) of characters all coders present agree on."""

    def to_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "articles": self.articles,
            "characters": self.units,
            "alpha": _rounded(self.alpha),
            "kappa": _rounded(self.kappa),
            "percent_agreement": _rounded(self.percent),
        }


@dataclass
class AgreementReport:
    coders: tuple[str, ...]
    rows: list[TagAgreement] = field(default_factory=list)
    orphans: int = 0
    """Annotations of these coders left out: orphaned, they have no characters."""

    def to_json(self) -> dict[str, Any]:
        return {
            "coders": list(self.coders),
            "tags": [row.to_json() for row in self.rows],
            "orphans_ignored": self.orphans,
        }


def coders(selection: Selection) -> list[str]:
    """Every author in the selection, sorted (annotations without one are not a coder)."""
    return sorted({item.annotation.author for item in selection.items if item.annotation.author})


def by_coder(items: Iterable[Anchored]) -> dict[str, list[Anchored]]:
    """One article's annotations grouped by coder (``""`` for none), each in text order."""
    groups: dict[str, list[Anchored]] = {}
    for item in items:
        groups.setdefault(item.annotation.author, []).append(item)
    for group in groups.values():
        group.sort(key=lambda i: (i.start is None, i.start or 0, i.end or 0, i.id))
    return dict(sorted(groups.items()))


def agreement_table(
    selection: Selection,
    tags: Sequence[str] = (),
    among: Sequence[str] = (),
    articles: Sequence[str] = (),
) -> AgreementReport:
    """Agreement per tag among ``among`` (default: every coder) on ``articles`` (default: all).

    ``tags`` default to every tag those coders used, with their ancestors.
    """
    known = coders(selection)
    chosen = tuple(dict.fromkeys(among)) if among else tuple(known)
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise AgreementError(
            f"no annotations by {', '.join(repr(c) for c in unknown)}; coders are: "
            f"{', '.join(known) or 'none'}"
        )
    if len(chosen) < 2:
        raise AgreementError(
            f"agreement needs at least two coders; found {len(chosen)}"
            f"{': ' + chosen[0] if chosen else ''} (the 'author' of each annotation)"
        )
    wanted = set(articles)
    items = [
        i
        for i in selection.items
        if i.annotation.author in chosen and (not wanted or i.article in wanted)
    ]
    report = AgreementReport(chosen, orphans=sum(1 for i in items if i.start is None))
    names = list(dict.fromkeys(tags)) or sorted(with_ancestors(t for i in items for t in i.tags))
    groups = _articles(items, selection)
    for tag in names:
        report.rows.append(_row(tag, chosen, groups))
    return report


@dataclass(frozen=True, slots=True)
class _Article:
    length: int
    coded: dict[str, list[Anchored]]
    """The chosen coders who coded it, with their placed annotations."""


def _articles(items: list[Anchored], selection: Selection) -> list[_Article]:
    found: dict[str, dict[str, list[Anchored]]] = {}
    for item in items:
        found.setdefault(item.article, {}).setdefault(item.annotation.author, []).append(item)
    result = []
    for article_id, coded in sorted(found.items()):
        body = selection.body(article_id)
        if body is not None and len(coded) >= 2:
            result.append(_Article(len(body), coded))
    return result


def _row(tag: str, chosen: tuple[str, ...], groups: list[_Article]) -> TagAgreement:
    import numpy as np

    counts: list[npt.NDArray[np.int64]] = []
    pairs: list[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]] = []
    agree = 0
    for article in groups:
        masks = {c: _mask(article, c, tag) for c in chosen if c in article.coded}
        ones = np.sum(list(masks.values()), axis=0, dtype=np.int64)
        present = len(masks)
        counts.append(np.stack([present - ones, ones], axis=1))
        agree += int(np.count_nonzero((ones == 0) | (ones == present)))
        if len(chosen) == 2 and len(masks) == 2:
            pairs.append((masks[chosen[0]], masks[chosen[1]]))
    units = sum(a.length for a in groups)
    if not units:
        return TagAgreement(tag, len(groups), 0, None, None, None)
    value_counts = np.concatenate(counts)
    return TagAgreement(
        tag,
        len(groups),
        units,
        _alpha(value_counts),
        _kappa(pairs) if len(chosen) == 2 else None,
        agree / units,
    )


def _mask(article: _Article, coder: str, tag: str) -> npt.NDArray[np.bool_]:
    import numpy as np

    covered = np.zeros(article.length, dtype=bool)
    for item in article.coded[coder]:
        if item.start is not None and item.end is not None and has_tag(item.tags, tag):
            covered[item.start : item.end] = True
    return covered


def _alpha(value_counts: npt.NDArray[np.int64]) -> float | None:
    """Nominal alpha from per-character counts of 0s and 1s; None when only one value occurs."""
    totals = value_counts.sum(axis=0)
    if (totals > 0).sum() < 2:
        return None
    import krippendorff

    return float(
        krippendorff.alpha(
            value_counts=value_counts, value_domain=[0, 1], level_of_measurement="nominal"
        )
    )


def _kappa(pairs: list[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]) -> float | None:
    """Cohen's kappa on the characters both coders coded."""
    import numpy as np

    if not pairs:
        return None
    first = np.concatenate([a for a, _ in pairs])
    second = np.concatenate([b for _, b in pairs])
    return cohen_kappa(
        both=int(np.count_nonzero(first & second)),
        first_only=int(np.count_nonzero(first & ~second)),
        second_only=int(np.count_nonzero(~first & second)),
        neither=int(np.count_nonzero(~first & ~second)),
    )


def cohen_kappa(both: int, first_only: int, second_only: int, neither: int) -> float | None:
    """Cohen's kappa of a 2x2 table (yes/yes, yes/no, no/yes, no/no); None if undefined.

    Two lines of arithmetic, so written here rather than pulling in scikit-learn.
    """
    total = both + first_only + second_only + neither
    if not total:
        return None
    observed = (both + neither) / total
    first_yes = (both + first_only) / total
    second_yes = (both + second_only) / total
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def formatted(row: TagAgreement) -> list[str]:
    """One row as ``gloss agreement`` and the insights screen print it ("-": undefined)."""

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    return [
        row.tag,
        str(row.articles),
        str(row.units),
        number(row.alpha),
        number(row.kappa),
        "-" if row.percent is None else f"{100 * row.percent:.1f}%",
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
