"""The command line: one thin function per command, grouped by what the commands do.

Importing the submodules registers their commands on ``app``.
"""

from interviewer.cli import browse, doctor, loop, practice, review  # noqa: F401
from interviewer.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
