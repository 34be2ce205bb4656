"""The errors a user can cause or fix, each with a one-line message and an exit code.

The CLI's single error boundary (``cli.main``) prints ``UserError`` messages as one line
on stderr and exits with ``exit_code``; anything else is a bug and gets a traceback
(without local variables, which may hold keys) only when ``INTERVIEWER_DEBUG=1``.
Every floor raises them, so this module stands on the ground beside ``formats``.

May import: nothing.
"""

from __future__ import annotations

EXIT_CHECKS_FAILED = 1
"""A check the user asked for found problems (``doctor``, ``check``, ``review --fail``...)."""
EXIT_USAGE = 2
"""Bad input or settings: the user can fix it."""
EXIT_MODEL = 3
"""A model call failed for good, or scoring failed."""
EXIT_DISK = 4
"""A transcript could not be written."""
EXIT_INTERRUPTED = 130
"""The interview was interrupted (Ctrl-C) or ended before it finished."""


class UserError(Exception):
    """A problem the user can fix: bad input, bad settings, an unreachable model."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class FileFormatError(UserError):
    """A rubric, persona, loop, config or transcript file that does not validate."""


class NotFoundError(UserError):
    """A round, persona, loop or transcript that does not exist."""


class ConfigError(UserError):
    """A setting that is missing or wrong."""


class ModelError(UserError):
    """A model call that failed for good (after any retries the error allows)."""

    exit_code = EXIT_MODEL

    def __init__(self, message: str, *, hint: str | None = None, retryable: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.retryable = retryable


class DiskError(UserError):
    """The transcript could not be written (full disk, permissions)."""

    exit_code = EXIT_DISK


class SessionLockedError(UserError):
    """The session is open in another terminal: two writers would lose answers."""


class SessionTakenOverError(SessionLockedError):
    """Another terminal took the session over (``--force``) after this one opened it: a
    write from here would overwrite what is saved there, so none is made."""
