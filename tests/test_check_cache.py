"""``check`` does not validate again a file that passed as it is now (issue 24: ``check``
took 1.6x a bare Typer app's ``--help``, most of it pydantic), and never lets a note hide a
problem: an edited, renamed or broken file, or a loop whose rounds changed, is checked
again; ``--no-cache`` checks everything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import interviewer
from interviewer.catalog.library import data_root
from interviewer.cli import app
from rounds import write_round

LOOP = """version = 1
id = "my-loop"
title = "Mine"
track = "ml-engineer"
summary = "x"
top_failure_mode = "x"
failure_mode_check = "x"
failure_mode_dimensions = ["mini-design/framing"]

[[rounds]]
round = "mini-design"
"""


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout


def test_an_unchanged_file_is_checked_again_without_pydantic(tmp_path: Path) -> None:
    """The second check of the same shipped round says the same and imports no pydantic;
    --no-cache validates it again."""
    code = (
        "import sys; from interviewer.cli import main; sys.argv = ['interviewer', 'check', "
        "*sys.argv[1:]]\ntry: main()\nexcept SystemExit as e: assert not e.code, e.code\n"
        "print('pydantic' in sys.modules)"
    )
    shipped = str(data_root() / "rubrics" / "behavioral.toml")
    (tmp_path / "config.toml").write_text("")
    env = {**os.environ, "INTERVIEWER_CONFIG": str(tmp_path / "config.toml"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(interviewer.__file__).parents[1])}  # fmt: skip

    def run(*flags: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", code, shipped, *flags], env=env,
                              capture_output=True, text=True, check=True)  # fmt: skip
        return done.stdout.splitlines()

    first = run()
    assert first[-1] == "True" and "All 1 file(s) are valid." in first
    again = run()
    assert again == [*first[:-1], "False"]  # the same report, pydantic never imported
    assert run("--no-cache") == first


def test_a_file_broken_after_it_passed_is_reported_on_every_run(tmp_path: Path) -> None:
    folder = write_round(tmp_path / "mine")
    path = folder / "rubrics" / "mini-design.toml"
    assert check(str(path)) == (0, f"✓ {path}\n\nAll 1 file(s) are valid.\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"minutes" = 45', '"minutes" = 999'), encoding="utf-8")
    for _ in range(2):
        code, out = check(str(path))
        assert code == 1 and "budget.minutes: Input should be less than or equal to 180" in out
    path.write_text(text, encoding="utf-8")  # mended: the note of these bytes holds again
    assert check(str(path))[0] == 0


def test_a_file_renamed_after_it_passed_is_checked_again(tmp_path: Path) -> None:
    """Its id must match its name: the same bytes under another name are another file."""
    folder = write_round(tmp_path / "mine")
    path = folder / "rubrics" / "mini-design.toml"
    assert check(str(path))[0] == 0
    moved = path.rename(path.with_name("other.toml"))
    code, out = check(str(moved))
    assert code == 1 and "id: 'mini-design' does not match the file name" in out


def test_a_loop_is_checked_again_when_the_rounds_beside_it_change(tmp_path: Path) -> None:
    folder = write_round(tmp_path / "mine")
    (folder / "loops").mkdir()
    loop = folder / "loops" / "my-loop.toml"
    loop.write_text(LOOP, encoding="utf-8")
    assert check(str(loop))[0] == 0
    round_file = folder / "rubrics" / "mini-design.toml"
    renamed = round_file.read_text(encoding="utf-8").replace('"framing"', '"scoping"')
    round_file.write_text(renamed, encoding="utf-8")  # the dimension the loop names is gone
    code, out = check(str(loop))
    assert code == 1 and "'mini-design' has no dimension 'framing'" in out
    round_file.unlink()
    code, out = check(str(loop))
    assert code == 1 and "rounds: no round named 'mini-design'" in out


def test_a_file_name_is_printed_as_it_is_never_as_markup(tmp_path: Path) -> None:
    folder = write_round(tmp_path / "[bold]mine[/bold]")
    path = folder / "rubrics" / "mini-design.toml"
    code, out = check(str(path))
    assert code == 0 and f"✓ {path}" in out


def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # the cache folder's parent is a file: every write fails
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    folder = write_round(tmp_path / "mine")
    for _ in range(2):
        assert check(str(folder / "rubrics"))[0] == 0
