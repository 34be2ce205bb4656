"""The doctor: each part of a set-up checked with a small real use, each failure with its fix.

- ``check``: one line of the report; ``models``: server, model, streaming, structured
  replies and the context window; ``scoring``: a full-size rehearsal of the judge;
  ``voice``: the microphone, transcription and speech out.

May import: errors, formats, config, catalog, models, grading, interview, voice.
"""
