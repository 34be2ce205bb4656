"""The candidate's terminal: reading answers, streaming replies, outside text made safe.

- ``console``: the ``Terminal`` (answers, slash commands, streamed replies) and consoles.
- ``line_editor``: the answer editor (prompt_toolkit); ``stream_wrap``: replies wrapped
  between words as they stream; ``alarm``: the "still waiting" notice.
- ``safe_text``: escapes and markup removed from outside text; ``interrupts``: SIGTERM
  and SIGHUP stop an interview as Ctrl-C does.

May import: errors, formats.
"""
