"""The target levels, in a module of their own so options can name them without pydantic.

The CLI's ``--level`` options import it from here, so declaring a command's options does
not build every file format's pydantic model.
"""

from enum import StrEnum


class Level(StrEnum):
    junior = "junior"
    senior = "senior"
    staff = "staff"


DEFAULT_LEVEL = Level.senior
"""The bar a session holds the candidate to when no flag, variable or file names one."""
