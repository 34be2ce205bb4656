"""The command line: one thin function per command, grouped by what the commands do.

``app`` knows every command by name (``app.COMMANDS``); each command's module is imported
only when that command runs, so start-up stays at the floor of a Typer CLI. The top
floor: ``interviewer.cli:main`` is the entry point, and nothing imports this package.

May import: every package.
"""

from interviewer.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
