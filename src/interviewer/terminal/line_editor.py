"""The answer editor on a terminal: prompt_toolkit, as aider and IPython use.

A plain ``input()`` on a terminal is cut at 4,095 bytes per line by the kernel's line
discipline, loses a half-typed answer on Ctrl-C, and sends at the first blank line, so
paragraphs need tricks. Here an answer has any length, pasted text arrives whole
(bracketed paste), Enter starts a new line, and the answer is sent explicitly:

- Alt-Enter, or Esc then Enter (what every terminal can type), sends the answer;
- Enter on a line that is only a slash command (``/end``, ``/help``) sends the command;
- Ctrl-C stops the interview and keeps what was typed; Ctrl-D on an empty answer ends input;
- Up and Down at the edges of the answer recall earlier answers of this session.

The toolbar at the bottom says so while the candidate types, in under 80 columns. Long
lines wrap between words, as prose does (prompt_toolkit alone wraps at the last column,
mid-word). Imported only when stdin and stdout are a terminal; scripts and pipes keep the
plain line reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.layout.utils import explode_text_fragments
from prompt_toolkit.utils import get_cwidth

from interviewer.terminal.interrupts import hold

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession

TOOLBAR = " Alt-Enter or Esc Enter: send · Enter: new line · Ctrl-C: save, stop · /help "


def wrap_points(line: str, width: int) -> list[tuple[int, int]]:
    """Where to pad ``line`` so that rows of ``width`` columns break between words: each
    (index, spaces) puts that many spaces before the character at index, which moves a
    word that would straddle the edge (or be followed by a space that would start the
    next row) to the next row. A word wider than a row is still broken."""
    pads: list[tuple[int, int]] = []
    x = 0  # the column the next character lands in, on its row
    word = (0, 0)  # the latest word's first index, and its column (0: nothing to move)
    for i, char in enumerate(line):
        wide = get_cwidth(char)
        if i and not char.isspace() and line[i - 1].isspace():
            word = (i, x)
        if x + wide > width and word[1] > 0:
            pads.append((word[0], width - word[1]))
            x, word = x - word[1], (word[0], 0)
        if x + wide > width:  # a word wider than a row: broken where the row ends
            x, word = 0, (i, 0)
        x += wide
    return pads


class WordWrap(Processor):
    """A prompt_toolkit processor that pads each line at ``wrap_points``; the padding is
    shown only, never part of the answer, and the cursor steps over it."""

    def __init__(self, indent: int) -> None:
        self.indent = indent  # the prompt's width, which every row starts with

    def apply_transformation(self, ti: TransformationInput) -> Transformation:
        chars = explode_text_fragments(ti.fragments)
        text = "".join(fragment[1] for fragment in chars)
        pads = wrap_points(text, max(ti.width - self.indent, 1))
        if not pads:
            return Transformation(ti.fragments)
        out = list(chars)
        for index, spaces in reversed(pads):
            out[index:index] = [("", " ")] * spaces

        def to_display(i: int) -> int:
            return i + sum(spaces for index, spaces in pads if index <= i)

        def to_source(j: int) -> int:
            shift = 0
            for index, spaces in pads:
                if j < index + shift:
                    break
                if j < index + shift + spaces:
                    return index  # inside the padding: the word after it
                shift += spaces
            return j - shift

        return Transformation(out, to_display, to_source)


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
        self._wrap = WordWrap(indent=0)

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
            input_processors=[self._wrap],
        )

    def read(self, prompt: str, draft: str = "") -> str:
        """One answer or command, starting from ``draft`` (an answer a stop left unsent);
        EOFError on Ctrl-D, ``Interrupted`` on Ctrl-C."""
        if self._session is None:
            self._session = self._build()
        self._wrap.indent = get_cwidth(prompt.rsplit("\n", 1)[-1])  # every row starts so
        try:
            return self._session.prompt(prompt, default=draft)
        except Interrupted:
            raise
        except KeyboardInterrupt as stop:  # SIGTERM or SIGHUP while typing: keep the text
            raise Interrupted(self._session.default_buffer.text) from stop
