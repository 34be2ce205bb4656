"""Start-up stays at the floor of a Typer CLI: what ``--help`` and ``list`` may import.

Each check runs in a subprocess, because other tests in this process have imported
everything already. Nothing here is timed; ``benchmarks/startup.py`` prints the times.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import interviewer
from interviewer.cli import app
from interviewer.cli.app import COMMANDS, load_command

# Slow to import and never needed to print help or list sessions.
HEAVY = (
    "litellm",
    "openai",
    "httpx",
    "xllamacpp",
    "pydantic",
    "interviewer.formats.rounds",
    "interviewer.formats.transcript",
    "interviewer.catalog.library",
    "interviewer.config.settings",
    "interviewer.store.transcripts",
    "interviewer.interview.runner",
    "interviewer.models.base",
    "importlib.metadata",
)


def imported_after(args: list[str], folder: Path, config: str = "") -> set[str]:
    code = (
        "import sys; from typer.testing import CliRunner; from interviewer.cli import app; "
        f"r = CliRunner().invoke(app, {args!r}); "
        "assert r.exit_code == 0, r.output; print('\\n'.join(sys.modules))"
    )
    (folder / "config.toml").write_text(config)  # a named config file must exist
    env = {
        "INTERVIEWER_TRANSCRIPTS_DIR": str(folder),
        "INTERVIEWER_CONFIG": str(folder / "config.toml"),
        "PYTHONPATH": str(Path(interviewer.__file__).parents[1]),  # this checkout's code
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    loaded = set(done.stdout.split())
    return {name for name in HEAVY if name in loaded}


def test_help_imports_no_command_module_model_library_or_pydantic(tmp_path):
    assert imported_after(["--help"], tmp_path) == set()


def test_list_imports_no_model_library_or_pydantic(tmp_path):
    """Typer 0.29 builds a pydantic adapter for every option of the command it runs, which
    nearly doubled ``list``'s start-up; pyproject keeps it below 0.29, and this holds it."""
    assert imported_after(["list"], tmp_path) == set()


def test_help_lists_every_command_under_its_panel():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for entry in COMMANDS:
        line = next(line for line in result.stdout.splitlines() if f"│ {entry.name} " in line)
        assert entry.help in line


@pytest.mark.parametrize("width", [80, 200])
def test_a_commands_help_wraps_at_the_terminals_width_not_the_docstrings(width):
    """At 80 columns the docstring's own line breaks used to leave ragged half-lines
    ("leaves room for" alone on a line); each paragraph now wraps once, at the width."""
    result = CliRunner().invoke(app, ["practice", "--help"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("The interviewer opens"))
    paragraph = lines[start : lines.index("", start)]
    assert " ".join(paragraph).endswith("Ctrl-C saves it too.")
    assert all(len(line) > width // 2 for line in paragraph[:-1])  # no ragged half-lines


@pytest.mark.parametrize("entry", COMMANDS, ids=[e.name for e in COMMANDS])
def test_no_word_of_a_commands_help_is_cut_at_80_columns(entry):
    """Rich cuts a word longer than its column with "…": at 80 columns wide metavars
    (<junior|senior|staff>, <float range>) left the help column so narrow that an install
    command read "requirements-voice.lo…" and an example model "anthropic/claude-3-5-haik…"."""
    result = CliRunner().invoke(app, [entry.name, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "…" not in result.stdout


@pytest.mark.parametrize("entry", COMMANDS, ids=[e.name for e in COMMANDS])
def test_the_command_table_says_what_each_command_says_of_itself(entry):
    """The table that --help prints without importing the commands is the commands' own help."""
    command = load_command(entry)
    assert command.name == entry.name
    assert (command.help or "").strip().splitlines()[0] == entry.help


def test_every_command_module_command_is_in_the_table():
    """A command added to a module but not to the table would never be reachable."""
    modules = {entry.module for entry in COMMANDS}
    names = set()
    for module in modules:
        commands = __import__(f"interviewer.cli.{module}", fromlist=["commands"]).commands
        names |= set(typer.main.get_group(commands).commands)
    assert names == {entry.name for entry in COMMANDS}


def test_a_typo_still_suggests_a_lazy_command():
    result = CliRunner().invoke(app, ["lst"])
    assert result.exit_code == 2
    assert "Did you mean 'list'?" in result.output


def test_version_is_read_when_asked(tmp_path):
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("interviewer ")


def test_progress_reads_the_index_without_transcript_models(tmp_path):
    """progress draws from the index: no transcript is parsed, no pydantic model built."""
    assert imported_after(["progress"], tmp_path) == set()


@pytest.mark.parametrize("command", [["show"], ["export", "--format", "md"]])
def test_show_and_export_read_verified_bytes_without_pydantic(tmp_path, command):
    """The first read of a session goes through pydantic and notes its bytes; the next
    read of the same bytes builds light records (``store.verified``): no pydantic, no model
    library, and only the store and the views' own modules."""
    from builders import rich_session
    from interviewer.store.transcripts import Store

    t = rich_session(graded=False)  # a person's grades need the round's rubric
    Store(tmp_path).save(t)
    assert "pydantic" in imported_after([*command, t.id], tmp_path)  # verified, and noted
    light = {"pydantic", "interviewer.formats.transcript", "interviewer.catalog.library"}
    assert imported_after([*command, t.id], tmp_path) & light == set()


def test_rounds_show_of_a_round_seen_before_imports_no_pydantic(tmp_path):
    """What ``rounds show`` prints is cached under the round file's bytes
    (``catalog.listing.detail``): only the first showing reads it through pydantic."""
    assert "pydantic" in imported_after(["rounds", "show", "coding"], tmp_path)
    assert imported_after(["rounds", "show", "coding"], tmp_path) == set()


LIGHT_HELP = ["practice", "resume", "score", "loop", "doctor", "delivery", "grade", "grades",
              "rounds", "personas", "check", "list", "show", "export", "progress", "delete", "rehearse", "calibrate", "next", "drill", "plan"]  # fmt: skip


@pytest.mark.parametrize("name", LIGHT_HELP)
def test_a_commands_help_imports_no_model_library_or_pydantic(tmp_path, name):
    """Each of these command modules imports its machinery inside the command, so its
    ``--help`` costs what the bare Typer app's does (1.8-2.4x before)."""
    assert imported_after([name, "--help"], tmp_path) == set()


def test_doctor_checks_a_config_file_through_pydantic_only_until_it_passed(tmp_path):
    """``doctor`` with no model and no config file imports no pydantic (the settings are
    plain data); a config file is checked by pydantic the first time it is read as it is,
    and not again (``config.accepted``)."""
    checking = {"pydantic", "importlib.metadata"}  # pydantic looks up its plug-ins
    assert imported_after(["doctor"], tmp_path) & checking == set()
    written = 'level = "staff"\npersona = "bar-raiser"\n'
    assert checking <= imported_after(["doctor"], tmp_path, config=written)
    assert imported_after(["doctor"], tmp_path, config=written) & checking == set()
