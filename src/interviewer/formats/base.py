"""What every format shares: unknown fields are errors, and the light types they are made of.

Every model forbids unknown fields, so a typo in a user's rubric is an error that names
the field instead of a setting that silently does nothing (``problems`` says it in one line).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Record(BaseModel):
    """Base for everything read from disk or from a model: unknown fields are errors, so a
    typo surfaces instead of a setting that silently does nothing."""

    model_config = ConfigDict(extra="forbid")


class Strict(Record):
    """Base for the hand-written files (rounds, personas, loops): strings are also stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
