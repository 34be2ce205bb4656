"""The interview: what happens next, the words asked for, one round run, whole loops.

- ``session``: the state machine (phase, area, move, probe, budget, clock), pure;
  ``moves`` its values (step, answer, clock); ``listening`` what it hears in an answer
  (keywords, the probes that fit, quotes).
- ``answer_kinds``: how an answer reads (hedged, a question back, code, don't-know...).
- ``conversation``: the interviewer's messages; ``trim``: fitted to the model's window;
  ``reply_guard``: one interviewer message stays one message, and ``leaks`` what it
  must never hold (hidden notes, echoes, the candidate's side, refusals).
- ``start``: an interview begun or reopened; ``runner``: one round run (session, model,
  terminal, store), then scored; ``loops`` and ``loop_runner``: a whole loop, its debrief.

May import: errors, formats, catalog, coding, store, terminal, models, grading.
"""
