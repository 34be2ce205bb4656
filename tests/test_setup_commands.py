"""The README's two set-up commands: what a newcomer copies is what CI runs, and both put
the hashed installer floor first, so the pip a fresh venv ships never reads the locks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ".venv/bin/pip install -q -r requirements-pip.lock"


def setup_commands() -> list[str]:
    """The commands in the README's "Set up" section, one per ```bash block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)]


def test_the_readme_has_exactly_two_set_up_commands_each_one_line() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert commands[0].endswith("interviewer practice ml-system-design")
    assert commands[1].endswith(".venv/bin/python -m pytest")


def test_ci_runs_the_readmes_test_command_word_for_word() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert setup_commands()[1] in ci


def test_both_commands_install_the_installer_floor_before_any_lock() -> None:
    for command in setup_commands():
        steps = command.split(" && ")
        assert steps[0] == "python3 -m venv .venv"
        assert steps[1] == FLOOR  # before any other lock is read
        assert all("requirements-pip.lock" not in step for step in steps[2:])


def test_the_floor_is_one_hashed_pip_release() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "requirements-pip.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    pin = re.fullmatch(r"pip==(\d+)\.(\d+)(?:\.\d+)? \\", lines[0])
    assert pin is not None and (int(pin[1]), int(pin[2])) >= (23, 3)  # reads extras with hashes
    assert all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}( \\)?", line) for line in lines[1:])
    assert len(lines) >= 2


def test_lint_and_types_run_before_the_tests() -> None:
    """A failing test must not hide a lint or type error: the static checks come first."""
    steps = setup_commands()[1].split(" && ")
    tests = steps.index(".venv/bin/python -m pytest")
    for check in (".venv/bin/ruff check", ".venv/bin/ruff format --check", ".venv/bin/mypy"):
        assert steps.index(check) < tests
