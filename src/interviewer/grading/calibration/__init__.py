"""Measuring a judge against a gold set: ``interviewer calibrate``.

``gold`` reads gold sets (the shipped, versioned one in ``calibration/`` or a user's JSON
Lines), ``metrics`` holds agreement statistics in plain Python, ``run`` grades the items
concurrently and resumably, ``report`` sums a run up for the terminal and JSON (the page
is ``review.calibration``), and ``record`` keeps each judge's last result so ``doctor``
and the scorecard can cite it. Importing this package imports none of them.
"""
