"""Reading past sessions back: every way a transcript, a scorecard or progress is shown.

- ``wording``: the section titles, the empty value and how a score or signal reads,
  shared by every format below.
- ``markdown``, ``views`` (rich), ``html`` (with ``charts``): the formats.
- ``listing``: filtering and describing saved sessions; ``progress``: trends over them.
"""
