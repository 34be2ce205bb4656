"""A file that fails validation, said in one line: the file, the field, what is wrong, the fix.

Every format is a pydantic model; a ``ValidationError`` from any of them (a round, a
persona, a loop, the config file, a gold set) becomes lines a person can act on. A typo
nested in a table is answered with that table's fields, not the top level's.
"""

from __future__ import annotations

from pathlib import Path
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError


def fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The fields a file may hold at ``loc`` (``("budget",)``, ``("dimensions", 0,
    "anchors")``), by the names the file uses: a typo nested in a table is answered with
    that table's fields, not the top level's."""
    shape: object = model
    for part in loc:
        shape = _inner(shape, part)
    if not (isinstance(shape, type) and issubclass(shape, BaseModel)):
        return []
    return [field.alias or name for name, field in shape.model_fields.items()]


def _inner(shape: object, part: int | str) -> object:
    """What sits at ``part`` of ``shape``: a model's field, a list's item, a table's value."""
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        for name, field in shape.model_fields.items():
            if part in (name, field.alias):
                return _unwrap(field.annotation)
        return None
    origin, args = get_origin(shape), get_args(shape)
    if origin in (list, tuple) and args:
        return _unwrap(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[1])
    return None


def _unwrap(shape: object) -> object:
    """``Opening | None`` or ``Annotated[...]`` to the model or container inside."""
    while get_origin(shape) is Annotated:
        shape = get_args(shape)[0]
    if get_origin(shape) in (Union, UnionType):
        inner = [arg for arg in get_args(shape) if arg is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else shape
    return shape


def problem_lines(path: Path | str, exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """Every validation problem as one line: the file, the field, what is wrong, the fix."""
    lines = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"]) or "(top level)"
        if error["type"] == "missing":
            fix = f"add '{error['loc'][-1]}'"
        elif error["type"] == "extra_forbidden":
            allowed = ", ".join(fields_at(model, error["loc"][:-1])) or "none"
            fix = f"remove it or correct the spelling (allowed: {allowed})"
        else:
            fix = "correct the value"
        lines.append(f"{path}: {loc}: {error['msg']} ({fix})")
    return lines


def describe_validation_error(
    path: Path | str, exc: ValidationError, model: type[BaseModel]
) -> str:
    """One line for the first problem, and how to see the others."""
    lines = problem_lines(path, exc, model)
    more = (
        f"; {len(lines) - 1} more problem(s): run 'interviewer check {path}'"
        if len(lines) > 1
        else ""
    )
    return lines[0] + more
