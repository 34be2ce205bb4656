"""Grading a transcript: the judge's request, its reply, the checks on it, its calibration.

- ``judge``: the structured call, validation, quote verification, the weighted mean;
  ``samples``: several samples of one grading made one scorecard (median, spread).
- ``prompt``: the grading prompt and the answers in nonce blocks; ``schema``: the reply's
  schema, generated per round; ``quotes``: finding the judge's quotes in the answers;
  ``evidence``: whether a quote found there may back a score or a reference point.
- ``compact``: the transcript fitted to the judge's context window.
- ``calibration/``: a judge measured against gold sets.
- ``human``: a person's grades: what to grade, each grader's latest, merging, and the
  (transcript, grade) pairs a judge is measured against.

May import: errors, formats, config, catalog, models.
"""
