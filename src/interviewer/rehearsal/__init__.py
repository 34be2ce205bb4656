"""Rehearsing the interviewer: simulated candidates, real sessions, measured conversations.

``calibrate`` measures the judge; this measures the interviewer. Simulated candidates
(``candidates``, from ``calibration/candidates.toml``) answer real sessions (``run``) at
a set pace; each session's transcript is measured (``measures``): dimensions reached,
areas asked again, probes chosen from the answer or asking for what was just said,
twists followed up, hidden text shown, replies that speak for the candidate, answers
misrouted; ``report`` pools them with intervals and a verdict.

May import: errors, formats, config, catalog, coding, store, terminal, models, grading, interview.
"""
