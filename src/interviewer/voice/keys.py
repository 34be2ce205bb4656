"""One key, read without Enter: what stops a push-to-talk recording.

On a POSIX terminal, stdin goes into cbreak mode for the recording (Ctrl-C still raises
KeyboardInterrupt) and is restored however the recording ends; on Windows, msvcrt. When
stdin is not a terminal (a script, a pipe) no key is read: silence or the time limit ends
the recording.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class Keys:
    """Polls for a key press; ``pressed()`` never blocks."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def pressed(self) -> str | None:
        if not self.enabled:
            return None
        if sys.platform == "win32":
            import msvcrt

            return msvcrt.getwch() if msvcrt.kbhit() else None
        import select

        ready, _, _ = select.select([sys.stdin], [], [], 0)
        return sys.stdin.read(1) if ready else None


@contextmanager
def single_keys() -> Iterator[Keys]:
    """Read single keys for the duration of the block, then restore the terminal."""
    try:
        interactive = sys.stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive or sys.platform == "win32":
        yield Keys(interactive)
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield Keys(True)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
