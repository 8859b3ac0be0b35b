"""Where the PostgreSQL backend answers differently from Whoosh, on purpose or by a limit
of PostgreSQL: each difference the README's "Running for a team" lists is shown here,
so a change to either engine that removes (or widens) one fails a test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.postgres import Cluster
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.catalogue import Catalogue
from tui.core.corpus.load import Corpus
from tui.core.search.index import SearchIndex
from tui.core.search.pg.backend import PostgresIndex
from tui.core.search.pg.fields import positions
from tui.core.search.query import QueryError


class Pair:
    """Whoosh and PostgreSQL over one copy of the seeds and one store."""

    def __init__(self, folder: Path, url: str) -> None:
        self.root = folder / "seeds"
        shutil.copytree(SEEDS, self.root)
        self.annotations = folder / "annotations"
        self.corpus = Corpus(Catalogue(self.root, exclude=[self.annotations]))
        self.corpus.refresh()
        self.store = AnnotationStore(self.annotations, articles=self.corpus.articles.get)
        kwargs = {
            "exclude": [self.annotations],
            "annotations": self.annotations,
            "store": lambda: self.store,
            "corpus": self.corpus,
        }
        self.whoosh = SearchIndex(self.root, folder=folder / "whoosh", **kwargs)  # type: ignore[arg-type]
        self.pg = PostgresIndex(url, self.root, **kwargs)  # type: ignore[arg-type]
        self.whoosh.refresh()
        self.pg.refresh(publish=True)

    def first(self) -> str:
        return sorted(self.corpus.catalogue.ids())[0]


@pytest.fixture
def pair(tmp_path: Path, pg_url: str) -> Pair:
    return Pair(tmp_path, pg_url)


def test_annotation_fields_are_as_of_the_last_gloss_index(pair: Pair) -> None:
    """Whoosh re-reads the store before a note: search; the shared database holds what
    the last `gloss index` loaded (the team's store, not one analyst's unpushed notes)."""
    article = pair.corpus.get(pair.first())
    pair.store.add(article, 0, 5, ["actor"], "flagged for review")
    assert pair.whoosh.search("note:flagged").total == 1
    assert pair.pg.search("note:flagged").total == 0
    pair.pg.refresh(publish=True)
    assert pair.pg.search("note:flagged").total == 1


def test_a_very_loose_phrase_is_refused(pair: Pair) -> None:
    """PostgreSQL's ``<N>`` means exactly N words apart, so ``~slop`` becomes one chain per
    spacing; past 1,024 chains the query is refused rather than run for minutes."""
    query = '"china russia trade ties grew"~8'  # 8 ** 4 = 4,096 spacings
    pair.whoosh.search(query)
    with pytest.raises(QueryError, match="too loose for the PostgreSQL search"):
        pair.pg.search(query)
    assert (
        pair.pg.search('"china russia trade"~8').total
        == pair.whoosh.search('"china russia trade"~8').total
    )  # 64 spacings: fine


def test_long_phrases_past_a_notes_16383rd_word_are_not_found(pair: Pair) -> None:
    """A tsvector keeps positions up to 16,383. Bodies longer than that are stored in
    chunks (so their phrases are found, see the parity tests); notes, memos and
    boilerplate are not: a phrase of three words or more (or a loose one) past that far
    into a note is missed. Two-word phrases are word pairs, which need no positions."""
    article = pair.corpus.get(pair.first())
    note = "word " * 17_000 + "distant phrase here"
    pair.store.add(article, 0, 5, [], note)
    pair.pg.refresh(publish=True)
    for query in ('note:"distant phrase here"', 'note:"distant here"~2'):
        assert pair.whoosh.search(query).total == 1
        assert pair.pg.search(query).total == 0
    assert pair.pg.search('note:"distant phrase"').total == 1
    assert pair.pg.search("note:distant AND note:here").total == 1  # the words are there


def test_gloss_words_are_not_postgresql_english_words(
    pair: Pair, postgres_cluster: Cluster
) -> None:
    """Why the tables hold Gloss's own stems: PostgreSQL's ``english`` configuration drops
    stop words ("the", "will") and stems with Snowball, not Porter, so the same query
    would find other articles and spans would not be the words that matched."""
    text = "The US will tie economic ties; the generously generous relations"
    english = postgres_cluster.psql(f"SELECT to_tsvector('english', '{text}')")
    ours = positions(text).found
    assert "'will'" not in english and "'the'" not in english  # stop words dropped
    assert {"will", "the"} <= set(ours)  # Gloss searches them
    assert "'tie':4,6" in english  # Snowball: tie and ties are one word
    assert "ti" in ours and "tie" in ours  # Porter (Whoosh): "ties" is 'ti', "tie" 'tie'
    assert pair.pg.search("the").total == pair.whoosh.search("the").total == 5
    assert pair.pg.search("ties").total == pair.whoosh.search("ties").total


def test_scores_are_postgresql_s_own(pair: Pair) -> None:
    """Hit sets agree; scores do not (Whoosh BM25F, PostgreSQL ts_rank_cd over a small
    ranking vector). A title match still ranks first on both."""
    query = "expoelectronica"
    whoosh, pg = pair.whoosh.search(query), pair.pg.search(query)
    assert {hit.id for hit in whoosh.hits} == {hit.id for hit in pg.hits}
    assert whoosh.hits[0].id == pg.hits[0].id
    assert whoosh.hits[0].score != pytest.approx(pg.hits[0].score)


def test_similar_articles_by_tf_idf(pair: Pair) -> None:
    """`gloss similar` picks key words by tf-idf over the vocabulary (Whoosh: its own
    Bo1 model), so the lists may differ; never the article itself, always with spans."""
    key = pair.first()
    found = pair.pg.similar(key, limit=4)
    assert found.hits and key not in {hit.id for hit in found.hits}
    assert all(hit.spans for hit in found.hits)
    assert found.total <= 4 or found.total == len(pair.corpus) - 1


def test_did_you_mean_comes_from_the_vocabulary(pair: Pair) -> None:
    for typo in ("sanctons", "semiconductros"):
        whoosh, pg = pair.whoosh.search(typo), pair.pg.search(typo)
        assert whoosh.total == pg.total == 0
        assert pg.suggestion is not None and pg.suggestion == whoosh.suggestion
