"""`gloss list/show/init/info` and the CLI's conventions: exit codes, one-line errors."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, Gloss
from tui.cli.commands import corpus as corpus_commands
from tui.cli.common import cell_width

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_list_json_has_the_documented_fields(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("list", "--json")
    assert result.code == 0, result.err
    items = json.loads(result.out)
    assert [item["id"] for item in items] == SEED_IDS
    for item in items:
        assert {"id", "title", "source", "date", "words", "path"} <= set(item)
        assert Path(item["path"]).is_file()
    assert items[0]["date"] == "2024-04-26" and items[3]["date"] is None


def test_list_sort_orders(gloss: Gloss, project_dir: Path) -> None:
    by_date = [i["id"][:3] for i in json.loads(gloss("list", "--sort", "date", "--json").out)]
    assert by_date == ["000", "001", "002", "003", "004"]  # newest first, undated last
    by_words = [i["words"] for i in json.loads(gloss("list", "--sort", "words", "--json").out)]
    assert by_words == sorted(by_words, reverse=True)
    by_source = [i["source"] for i in json.loads(gloss("list", "--sort", "source", "--json").out)]
    assert by_source == [
        "Business International News",
        "ICARO Media Group",
        "Valerio Fabbri's Blog",
        None,
        None,
    ]
    titles = [i["title"] for i in json.loads(gloss("list", "--sort", "title", "--json").out)]
    assert titles == sorted(titles, key=str.casefold)


def test_list_table_fits_the_terminal(
    gloss: Gloss, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    lines = gloss("list").out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "DATE", "SOURCE", "WORDS"]
    assert len(lines) == 6 and all(len(line) <= 70 for line in lines)
    assert "…" in lines[1] and "\x1b" not in "".join(lines)


def test_show_json_body_and_boilerplate(gloss: Gloss, project_dir: Path) -> None:
    data = json.loads(gloss("show", "003_5a4e13669b936add", "--json").out)
    assert {"id", "title", "source", "date", "path", "body", "boilerplate"} <= set(data)
    body = data["body"]
    assert [body[s:e] for s, e in data["boilerplate"]] == ["Share.", "Exit mobile version"]


def test_show_text(gloss: Gloss, project_dir: Path) -> None:
    out = gloss("show", "002_02e842533f2f6168").out
    assert out.splitlines()[:2] == [
        "Undercurrents in Russia-China Bonhomie",
        "2021-12-17 · Valerio Fabbri's Blog",
    ]


def test_show_neutralises_escape_sequences(gloss: Gloss, project_dir: Path) -> None:
    (project_dir / "seeds" / "evil.txt").write_text(
        "Title\x1b]0;pwned\x07 here. Body \x1b[31mred.\n"
    )
    result = gloss("show", "evil")
    assert "\x1b" not in result.out and "\x07" not in result.out and "␛[31mred" in result.out


def test_show_and_the_reader_make_bidi_and_zero_width_visible(
    gloss: Gloss, project_dir: Path
) -> None:
    """Issue 17 #16; offsets still hold: the JSON body is the text as it is."""
    from tui.display import display_text

    text = "Escapes\n\nA \u202eevil\u202c quote and width\u200bspace.\n"
    (project_dir / "seeds" / "escapes.txt").write_text(text, encoding="utf-8")
    shown = gloss("show", "escapes").out
    assert "⇆evil⇆ quote and width⍽space." in shown
    assert not {"\u202e", "\u202c", "\u200b"} & set(shown)
    body = json.loads(gloss("show", "escapes", "--json").out)["body"]
    assert "\u202eevil\u202c" in body
    pane = display_text(body)
    assert len(pane) == len(body) and pane.index("⇆evil⇆") == body.index("\u202eevil")


def test_unknown_id_is_one_line_exit_2(gloss: Gloss, project_dir: Path) -> None:
    result = gloss("show", "nope")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "'nope'" in result.err


def test_broken_file_is_named_and_the_rest_is_listed(gloss: Gloss, project_dir: Path) -> None:
    (project_dir / "seeds" / "broken.txt").write_text("+++\ntitle = \n+++\nbody")
    result = gloss("list", "--json")
    assert result.code == 2
    assert len(json.loads(result.out)) == 5
    assert "broken.txt:2: bad front matter" in result.err and result.err.count("\n") == 1


def test_corpus_option_before_or_after_the_command(
    gloss: Gloss, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Alpha article text.")
    for args in (
        ["--corpus", str(tmp_path), "list", "--json"],
        ["list", "--json", "--corpus", str(tmp_path)],
    ):
        assert [i["id"] for i in json.loads(gloss(*args).out)] == ["a"]
    monkeypatch.setenv("GLOSS_CORPUS", str(SEEDS))
    assert len(json.loads(gloss("list", "--json").out)) == 5


def test_no_project_explains_how_to_point_gloss_at_a_folder(
    gloss: Gloss, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = gloss("list")
    assert result.code == 2 and result.err.count("\n") == 1 and "gloss init" in result.err


def test_missing_corpus_folder(gloss: Gloss, tmp_path: Path) -> None:
    result = gloss("--corpus", str(tmp_path / "gone"), "list")
    assert result.code == 2 and "gone: corpus folder not found" in result.err


def test_init_then_list(gloss: Gloss, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_text("An article about ports.")
    assert gloss("init", str(tmp_path)).code == 0
    monkeypatch.chdir(tmp_path)
    assert [i["id"] for i in json.loads(gloss("list", "--json").out)] == ["a"]
    info = json.loads(gloss("info", "--json").out)
    assert info["annotations"] == str((tmp_path / "annotations").resolve())
    again = gloss("init", str(tmp_path))
    assert again.code == 2 and "already exists" in again.err


def test_ctrl_c_exits_130_quietly(
    gloss: Gloss, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(corpus_commands, "cmd_list", interrupted)
    result = gloss("list")
    assert (result.code, result.out, result.err) == (130, "", "")


def test_every_command_has_help(gloss: Gloss) -> None:
    from tui.cli import build_parser

    (subcommands,) = (
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    commands = subcommands.choices
    assert {"list", "show", "init", "info"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([name, "-h"])
        assert done.value.code == 0


def run_module(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSS_")}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_python_dash_m_tui_and_version() -> None:
    from tui import __version__

    assert run_module("--version").stdout.strip() == f"gloss {__version__}"


def test_pipe_gets_no_escape_sequences_and_the_repo_opens_seeds() -> None:
    result = run_module("list")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert len(result.stdout.splitlines()) == 6


def test_table_columns_align_with_wide_characters(
    gloss: Gloss, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    (tmp_path / "cjk.txt").write_text("中国与俄罗斯的关系在2024年继续深化。北京和莫斯科。\n")
    (tmp_path / "latin.txt").write_text("Moscow and Beijing deepen ties. More.\n")
    from tui.cli.common import cell_width

    lines = gloss("--corpus", str(tmp_path), "list").out.splitlines()
    assert len({cell_width(line) for line in lines[1:]}) == 1  # WORDS column ends in one place
    monkeypatch.setenv("COLUMNS", "40")  # cutting counts columns too
    for line in gloss("--corpus", str(tmp_path), "list").out.splitlines():
        assert cell_width(line) <= 40, line


@pytest.mark.parametrize(
    "spelling",
    [
        ("init", "{dir}", "--corpus", "articles", "--annotations", "notes"),
        ("--corpus", "articles", "--annotations", "notes", "init", "{dir}"),
        ("init", "{dir}", "--corpus-dir", "articles", "--store-dir", "notes"),  # old names
    ],
)
def test_init_has_one_pair_of_folder_options(
    gloss: Gloss, tmp_path: Path, spelling: tuple[str, ...]
) -> None:
    """Issue 17 #19: --corpus DIR and --corpus-dir PATH, --annotations and --store-dir."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("An article.")
    args = [part.format(dir=tmp_path) for part in spelling]
    assert gloss(*args).code == 0
    written = tomllib.loads((tmp_path / "gloss.toml").read_text())
    assert written == {"corpus": "articles", "annotations": "notes"}


def test_init_help_shows_one_pair(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    with pytest.raises(SystemExit):
        main(["init", "--help"])
    shown = capsys.readouterr().out
    assert "--corpus PATH" in shown and "--annotations PATH" in shown
    assert "--corpus-dir" not in shown and "--store-dir" not in shown
    assert "relative to DIR" in shown


def test_list_into_a_pipe_shows_full_titles_or_fits_columns(
    gloss: Gloss, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 #26: piped, TITLE was cut to 7 characters, and a tab printed as it is."""
    title = "Tabs\tAre Shown In A Very Long Title That Goes On Well Past One Hundred Columns Wide"
    (project_dir / "seeds" / "tabs.md").write_text(f'+++\ntitle = "{title}"\n+++\nBody.\n')
    monkeypatch.delenv("COLUMNS", raising=False)
    full = gloss("list").out.splitlines()
    assert any(title.replace("\t", "⇥") in line for line in full)
    assert "\t" not in "".join(full)
    widths = {len(line) for line in full}
    assert max(widths) > 100
    monkeypatch.setenv("COLUMNS", "80")
    fitted = gloss("list").out.splitlines()
    assert all(cell_width(line) <= 80 for line in fitted)
    assert any("Tabs⇥Are" in line and "…" in line for line in fitted)
