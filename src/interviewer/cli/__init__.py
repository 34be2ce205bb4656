"""The command line: one thin function per command, grouped by what the commands do.

Importing the submodules registers their commands on ``app``.
"""

from interviewer.cli import practice, loop, review, browse, doctor, calibrate  # noqa: F401, I001  (help lists commands in this order)
from interviewer.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
