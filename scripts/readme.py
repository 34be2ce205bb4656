"""Rewrite the README's generated tables from the code, or check that they are current.

    python scripts/readme.py          # rewrite README.md in place
    python scripts/readme.py --check  # exit 1 and say which table is stale

A table lives between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``; the text
between the markers is replaced, everything else is left alone. As simonw/llm does with
cog, a test runs ``--check`` so the README cannot drift from the code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def commands_table() -> str:
    """What the candidate can type during an interview: ``terminal.COMMANDS``."""
    from interviewer.terminal.console import COMMANDS

    rows = [f"| `{command.value}` | {text} |" for command, text in COMMANDS.items()]
    return "\n".join(["| command | does |", "|---|---|", *rows])


def settings_table() -> str:
    """Every key the config file takes, its environment variable and its default."""
    from interviewer.config.settings import ENV_PREFIX, FileConfig, shown_defaults

    defaults = shown_defaults()
    rows = [
        f"| `{key}` | `{ENV_PREFIX}{key.upper()}` | {defaults.get(key, '—')} |"
        for key in FileConfig.model_fields
    ]
    return "\n".join(["| setting | environment | default |", "|---|---|---|", *rows])


TABLES: dict[str, Callable[[], str]] = {"commands": commands_table, "settings": settings_table}


def render(text: str) -> str:
    """``text`` with every generated table rewritten."""
    for name, make in TABLES.items():
        pattern = re.compile(
            rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)", flags=re.DOTALL
        )
        if not pattern.search(text):
            raise SystemExit(f"README.md has no '<!-- generated: {name} -->' section")
        text = pattern.sub(rf"\g<1>{_literal(make())}\n\g<2>", text)
    return text


def _literal(text: str) -> str:
    """``text`` safe as a replacement template (backslashes doubled)."""
    return text.replace("\\", "\\\\")


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md is stale: run 'python scripts/readme.py'", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
