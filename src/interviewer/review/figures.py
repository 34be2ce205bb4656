"""How a figure is written in every review view and export: an averaged score, a count.

One place, so ``list``, ``show``, ``progress``, the Markdown file and the HTML pages never
disagree: an overall of 5 read "5.0" in ``show`` and "5.00" in ``list``. Free of pydantic
and rich, so the fast commands (``list``, ``progress``) can use it too.
"""

from __future__ import annotations

EMPTY = "—"
"""What every renderer shows where a value is absent (no overall, no evidence, no score)."""

SCORE_FORM = ".2f"
"""An averaged score (an overall, a recent average) to two decimals: overalls are kept to
two (a weighted mean), and one decimal would show 3.67 and 3.74 as one score."""


def score(value: float | None) -> str:
    """An averaged score as shown everywhere ("3.67", "5.00"), or the empty value."""
    return EMPTY if value is None else format(value, SCORE_FORM)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with its noun agreeing: "1 scored session", "2 scored sessions"."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
