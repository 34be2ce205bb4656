"""Grading: the judge's request, its reply's schema, quote checks, and the judge's calibration."""
