"""The README's set-up commands are the ones CI and users actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(python3 -m venv .+)\n```", section)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second():
    install_and_run, install_and_test = setup_commands()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci == install_and_test
    assert install_and_run.endswith("interviewer practice ml-system-design")


def test_every_lock_file_the_commands_name_exists():
    for command in setup_commands():
        for name in re.findall(r"-r (\S+)", command):
            assert (ROOT / name).is_file(), name
