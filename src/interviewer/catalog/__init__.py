"""What a session is made of: rounds, personas, loops and prompts, and the candidate's files.

- ``library``: finding, loading and checking rounds, personas, loops and prompts (shipped,
  and the user's own), and the scenario's text as the candidate is shown it; ``files``:
  where they are; ``listing``: the rows ``rounds`` and ``personas`` list, cached;
  ``checked``: the files ``check`` found clean as they are; ``validated``: the cache both
  keep, by each file's bytes and the code that validates them.
- ``plan``: which areas a scenario runs, and whether every dimension can be reached.
- ``documents``: the candidate's own files as text; ``fences``: nonce-tagged blocks, so
  text from outside reaches a model as data.

May import: errors, formats.
"""
