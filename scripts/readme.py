"""Rewrite the README's generated tables from the code, or check that they are current.

    python scripts/readme.py          # rewrite README.md in place
    python scripts/readme.py --check  # exit 1 and say which table is stale

The package's layout is drawn the same way, from the packages' docstrings. A table lives between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``; the text
between the markers is replaced, everything else is left alone. As simonw/llm does with
cog, a test runs ``--check`` so the README cannot drift from the code.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
PACKAGE = README.parent / "src" / "interviewer"
RULE = re.compile(r"^May import: (.+)\.$", re.MULTILINE)


def commands_table() -> str:
    """What the candidate can type during an interview: ``terminal.console.COMMANDS``."""
    from interviewer.terminal.console import COMMANDS

    rows = [f"| `{command.value}` | {text} |" for command, text in COMMANDS.items()]
    return "\n".join(["| command | does |", "|---|---|", *rows])


def settings_table() -> str:
    """Every key the config file takes, its environment variable and its default."""
    from interviewer.config.file import CONFIG_KEYS, env_name
    from interviewer.config.settings import shown_defaults

    defaults = shown_defaults()
    rows = [f"| `{key}` | `{env_name(key)}` | {defaults.get(key, '—')} |" for key in CONFIG_KEYS]
    return "\n".join(["| setting | environment | default |", "|---|---|---|", *rows])


def layout_tree() -> str:
    """The package's rooms from the top floor down, each with its job, what it may import
    and its modules, read from the rooms' own docstrings: the rule tests/test_layout.py
    holds the code to, so the drawing cannot drift from the house."""
    rooms = {
        path.stem if path.suffix else path.name: path
        for path in sorted(PACKAGE.iterdir())
        if (path / "__init__.py").is_file() or (path.suffix == ".py" and path.stem != "__main__")
        if path.name != "__init__.py"
    }
    docs = {name: _docstring(path) for name, path in rooms.items()}
    allowed = {name: _may_import(doc, set(rooms) - {name}) for name, doc in docs.items()}
    floors: dict[str, int] = {}

    def floor(name: str) -> int:
        if name not in floors:
            floors[name] = 1 + max((floor(below) for below in allowed[name]), default=0)
        return floors[name]

    lines = ["src/interviewer/       from the top floor down: a room imports only rooms below it"]
    for name in sorted(rooms, key=lambda n: (-floor(n), n)):
        path = rooms[name]
        label = f"{name}/" if path.is_dir() else path.name
        job = docs[name].strip().splitlines()[0].replace("``", "")
        may = RULE.search(docs[name])
        said = may.group(1) if may else "?"
        text = [f"{job} Floor {floor(name)}; may import {said}."]
        if path.is_dir():
            text.append(", ".join(_modules(path)))
        body = [line for part in text for line in textwrap.wrap(part, 76)]
        lines.append(f"  {label:<14}{body[0]}")
        lines += [f"  {'':<14}{line}" for line in body[1:]]
    return "```\n" + "\n".join(lines) + "\n```"


def _docstring(path: Path) -> str:
    source = path / "__init__.py" if path.is_dir() else path
    return ast.get_docstring(ast.parse(source.read_text(encoding="utf-8"))) or ""


def _may_import(doc: str, others: set[str]) -> set[str]:
    said = RULE.search(doc)
    if said is None or said.group(1) == "nothing":
        return set()
    if said.group(1) == "every package":
        return others
    return {word.strip() for word in said.group(1).split(",")} & others


def _modules(folder: Path, prefix: str = "") -> list[str]:
    """The modules of a package, a package inside it as ``name/ (its modules)``."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".py" and path.stem != "__init__":
            found.append(f"{prefix}{path.name}")
        elif (path / "__init__.py").is_file():
            found.append(f"{path.name}/ ({', '.join(_modules(path))})")
    return found


TABLES: dict[str, Callable[[], str]] = {
    "commands": commands_table,
    "settings": settings_table,
    "layout": layout_tree,
}


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
