"""Practice that teaches: what to practise next, a plan up to the interview, re-drills.

- ``history``: each held session as the teaching loop reads it (date, round, scenario,
  dimension scores), from the index; ``standing``: each dimension's state from it (weak,
  recovered, steady) and when it is next due, which is where spacing over days lives.
- ``choose``: the next session (round, scenario, dimensions, and why) and a re-drill's
  dimension, scenario and area; ``planner``: a day-by-day plan up to the interview date,
  stored atomically, and the plan beside what was done.
- ``paths``: where the plan is kept (light: ``progress`` looks for it).
- ``feedback``: what a strong answer covered, matched to the candidate's own sentences with
  no judge (unscored), and an attempt beside its re-attempt.

Pure where it decides: histories and rounds in, choices out, so each rule is tested over
generated histories. The command line runs what they choose.

May import: errors, formats, catalog, store, grading.
"""
