"""The README's generated tables match the code (``python scripts/readme.py`` rewrites them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_tables", ROOT / "scripts" / "readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_tables_are_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert generator().render(readme) == readme, "README.md is stale: python scripts/readme.py"


def test_every_interview_command_and_setting_is_in_the_readme() -> None:
    from interviewer.config.file import env_name
    from interviewer.config.schema import FileConfig
    from interviewer.terminal.console import COMMANDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{command.value}` |" in readme for command in COMMANDS)
    assert all(f"`{env_name(key)}`" in readme for key in FileConfig.model_fields)


def test_a_stale_table_is_caught() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = readme.replace("| `/pause` |", "| `/stop` |")
    assert generator().render(stale) == readme
