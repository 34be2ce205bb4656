"""Reading past sessions back: every way a transcript, a scorecard or progress is shown.

- ``wording``: the section titles, the empty value and how a score or signal reads,
  shared by every format below.
- ``markdown``, ``views`` (rich), ``html`` (with ``charts``): the formats; ``calibration``:
  a judge's calibration report as a page.
- ``listing``: filtering and describing saved sessions; ``progress``: trends over them.
- ``human``: a dimension as a person grades it, and their grades beside the judge's.

May import: errors, formats, catalog, store, terminal, grading, interview.
"""
