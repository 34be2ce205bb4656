"""Every stored format as a pydantic model, versioned, with the pure figures drawn from it.

- ``base``: what every format shares (unknown fields are errors); ``levels``: the levels.
- ``rounds``: a round (``rubrics/``); ``tracks``: how a track weighs one; ``voices``: the
  words of each move and the personas (``prompts/``); ``loops``: loops (``loops/``).
- ``transcript``: turns and scorecards (the saved sessions); ``readings``: their enums,
  the candidate's clock and derived views, free of pydantic; ``light``: a model's shape,
  and records built to it without pydantic (``show`` of bytes verified before).
- ``delivery``: pace, fillers and pauses of a spoken answer, from its timed words.
- ``human``: a person's grades of a session, and a line of a grades file.
- ``problems``: a file that fails validation, in one line; ``text``: text fit to save.

The ground floor: everything else reads these, so they read nothing of ours. Importing
this package imports none of its modules (``levels``, ``readings`` and ``light`` stay
free of pydantic).

May import: nothing.
"""
