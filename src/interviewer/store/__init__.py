"""The saved sessions: transcript files, atomic saves, checkpoints, locks, the index.

- ``transcript_file``: one file: atomic write, parse, version migrations.
- ``transcripts``: the ``Store``: save, read, rescue, id prefixes.
- ``checkpoints``: a running session's turns kept as they come: the ``journal`` line at
  once, the whole transcript fsynced on a background thread.
- ``session_lock``: one writer per session; ``index``: the list and progress rows, kept
  fresh by mtime; ``rescue``: where a transcript goes when its folder cannot be written.
- ``every``: every saved session read in full, for what the index does not hold.
- ``verified``: a session read again without pydantic once its very bytes verified.

Below the judge, the models and the interview, which all keep what they make here.

May import: errors, formats.
"""
