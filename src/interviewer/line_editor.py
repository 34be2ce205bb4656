"""The answer editor on a terminal: prompt_toolkit, as aider and IPython use.

A plain ``input()`` on a terminal is cut at 4,095 bytes per line by the kernel's line
discipline, loses a half-typed answer on Ctrl-C, and sends at the first blank line, so
paragraphs need tricks. Here an answer has any length, pasted text arrives whole
(bracketed paste), Enter starts a new line, and the answer is sent explicitly:

- Alt-Enter, or Esc then Enter (what every terminal can type), sends the answer;
- Enter on a line that is only a slash command (``/end``, ``/help``) sends the command;
- Ctrl-C stops the interview and keeps what was typed; Ctrl-D on an empty answer ends input;
- Up and Down at the edges of the answer recall earlier answers of this session.

The toolbar at the bottom says so while the candidate types. Imported only when stdin and
stdout are a terminal; scripts and pipes keep the plain line reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interviewer.interrupts import hold

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession

TOOLBAR = " Alt-Enter (or Esc Enter) sends · Enter: new line · Ctrl-C: save and stop · /help "


class Interrupted(KeyboardInterrupt):
    """Ctrl-C while typing, carrying what had been typed so it is kept, not dropped."""

    def __init__(self, text: str) -> None:
        super().__init__("interrupted while typing")
        self.text = text


class LineEditor:
    """One prompt_toolkit session for the whole interview (so history spans answers)."""

    def __init__(self, commands: set[str]) -> None:
        self.commands = commands
        self._session: PromptSession[str] | None = None

    def _build(self) -> PromptSession[str]:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import InMemoryHistory
        from prompt_toolkit.key_binding import KeyBindings

        bindings = KeyBindings()

        @bindings.add("escape", "enter")
        def _send(event: Any) -> None:
            hold()  # from here until it is recorded, a SIGTERM or SIGHUP waits
            event.current_buffer.validate_and_handle()

        @bindings.add("enter")
        def _enter(event: Any) -> None:
            buffer = event.current_buffer
            if buffer.text.strip().lower() in self.commands:
                hold()
                buffer.validate_and_handle()
            else:
                buffer.insert_text("\n")

        @bindings.add("c-c")
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=Interrupted(event.current_buffer.text))

        return PromptSession(
            multiline=True,
            key_bindings=bindings,
            history=InMemoryHistory(),
            bottom_toolbar=TOOLBAR,
            prompt_continuation=lambda width, line, soft: "... ".rjust(width),
            enable_history_search=False,
        )

    def read(self, prompt: str, draft: str = "") -> str:
        """One answer or command, starting from ``draft`` (an answer a stop left unsent);
        EOFError on Ctrl-D, ``Interrupted`` on Ctrl-C."""
        if self._session is None:
            self._session = self._build()
        try:
            return self._session.prompt(prompt, default=draft)
        except Interrupted:
            raise
        except KeyboardInterrupt as stop:  # SIGTERM or SIGHUP while typing: keep the text
            raise Interrupted(self._session.default_buffer.text) from stop
