"""Re-anchoring: the cases existing annotators get wrong (../shared/ANCHORING.md)."""

from __future__ import annotations

from tui.core.annotations.anchoring import MIN_MARGIN, anchor, candidates
from tui.core.annotations.model import Annotation, quote_at
from tui.core.text import body_sha256


def make(body: str, start: int, end: int, ident: str = "a1") -> Annotation:
    exact, prefix, suffix = quote_at(body, start, end)
    return Annotation(ident, "art", start, end, exact, prefix, suffix, body_sha256(body))


def on(body: str, quote: str, occurrence: int = 1) -> Annotation:
    at = -1
    for _ in range(occurrence):
        at = body.index(quote, at + 1)
    return make(body, at, at + len(quote))


STORY = (
    "The minister met Robin Hale in Kazan on Monday to discuss the pipeline. "
    "Officials said the talks were cordial but produced no agreement on prices. "
    "Later that week, analysts noted that Robin had not attended the dinner held "
    "in honour of the delegation, which surprised several diplomats present."
)


def test_unchanged_body_is_exact() -> None:
    a = on(STORY, "talks were cordial")
    placed = anchor(a, STORY, body_sha256(STORY))
    assert (placed.state, placed.start, placed.end) == ("exact", a.start, a.end)


def test_insertion_before_moves_offsets() -> None:
    a = on(STORY, "talks were cordial")
    body = "BREAKING: " + STORY
    placed = anchor(a, body)
    assert placed.state == "moved"
    assert body[placed.start : placed.end] == "talks were cordial"
    assert placed.start == a.start + len("BREAKING: ")


def test_edited_word_does_not_jump_to_another_occurrence() -> None:
    """h#2798: "Robin" corrected to "Elisa" must not re-anchor to the other "Robin"."""
    a = on(STORY, "Robin", occurrence=1)
    body = STORY.replace("met Robin Hale", "met Elisa Hale")
    placed = anchor(a, body)
    assert placed.state == "orphaned"
    assert placed.start is None


def test_small_correction_inside_quote_is_fuzzy_on_the_edited_text() -> None:
    a = on(STORY, "produced no agreement on prices")
    body = STORY.replace("produced no agreement on prices", "produced no agreement on price")
    placed = anchor(a, body)
    assert placed.state == "fuzzy"
    assert body[placed.start : placed.end] == "produced no agreement on price"


def test_deleted_passage_is_orphaned() -> None:
    a = on(STORY, "Officials said the talks were cordial but produced no agreement on prices. ")
    body = STORY.replace(
        "Officials said the talks were cordial but produced no agreement on prices. ", ""
    )
    assert anchor(a, body).state == "orphaned"


def test_short_quote_in_foreign_context_is_not_attached() -> None:
    """h#4328: a short quote in a rewritten page matches something unrelated."""
    a = on(STORY, "in")
    body = "Completely different text about markets in Asia and trade in grain."
    assert anchor(a, body).state == "orphaned"


def test_two_near_identical_paragraphs_are_not_a_coin_toss() -> None:
    """client#7571: when the annotated paragraph is gone and two near copies remain, orphan."""
    para = "The committee approved the budget after a long debate on defence spending."
    body = f"Intro.\n\n{para}\n\nMiddle text here.\n\n{para}\n\nEnd."
    a = on(body, para, occurrence=1)
    # The annotated copy's surroundings are rewritten identically for both copies.
    edited = f"Preface.\n\n{para}\n\nPreface.\n\n{para}\n\nEnd."
    placed = anchor(a, edited)
    assert placed.state == "orphaned"
    found = sorted(candidates(a, edited), key=lambda c: -c.score)
    assert found[0].score - found[1].score < MIN_MARGIN


def test_repeated_quote_keeps_its_own_occurrence_after_edits_elsewhere() -> None:
    body = "Alpha said yes. Beta said yes. Gamma said yes. Delta said no."
    a = on(body, "said yes", occurrence=2)
    edited = "Omega said maybe. " + body
    placed = anchor(a, edited)
    assert placed.state == "moved"
    assert edited[placed.start - 5 : placed.start] == "Beta "  # type: ignore[operator]


def test_offsets_past_a_shortened_body_are_handled() -> None:
    a = on(STORY, "surprised several diplomats present.")
    assert anchor(a, "short").state == "orphaned"
    assert anchor(a, "").state == "orphaned"


def test_annotation_at_body_start_survives_a_new_headline() -> None:
    a = make(STORY, 0, len("The minister met Robin Hale"))
    body = "Kazan talks\n\n" + STORY
    placed = anchor(a, body)
    assert placed.state == "moved"
    assert body[placed.start : placed.end] == a.exact
