"""A tag key the reader already uses is refused (issue 17 #8): it would never fire."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import Gloss


def test_a_tag_key_that_is_a_reader_command_is_refused(project_dir: Path, gloss: Gloss) -> None:
    refused = gloss("tag", "describe", "actor/russia", "Russia", "--key", "n")
    assert refused.code == 2
    assert "key 'n' for tag 'actor/russia' is the reader's Next (reader.next_match)" in refused.err
    assert not (project_dir / "annotations" / "tags.toml").exists()  # nothing written
    assert gloss("tag", "describe", "actor/russia", "Russia", "--key", "?").code == 2
    assert gloss("tag", "describe", "actor/russia", "Russia", "--key", "x").code == 0


def test_remapped_reader_keys_are_the_ones_refused(project_dir: Path, gloss: Gloss) -> None:
    folder = Path(os.environ["GLOSS_CONFIG"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text('[keys]\n"reader.next_match" = "j"\n', encoding="utf-8")
    assert gloss("tag", "describe", "actor/russia", "Russia", "--key", "n").code == 0
    refused = gloss("tag", "describe", "actor/china", "China", "--key", "j")
    assert refused.code == 2 and "reader.next_match" in refused.err
