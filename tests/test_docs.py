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


def test_no_file_we_ship_holds_a_merge_conflict_marker():
    """A merge resolved in haste once left ``<<<<<<<`` lines in the README."""
    marker = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
    kinds = ("*.md", "*.py", "*.toml", "*.txt", "*.lock", "*.jsonl")
    folders = ("docs", "src", "prompts", "rubrics", "personas", "loops", "tests", "benchmarks")
    files = [p for k in kinds for p in ROOT.glob(k)]
    files += [p for f in folders for k in kinds for p in (ROOT / f).rglob(k)]
    assert files
    stuck = [str(p.relative_to(ROOT)) for p in files if marker.search(p.read_text("utf-8"))]
    assert stuck == []
