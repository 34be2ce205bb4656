"""Finding and loading rounds, personas and loops from the package and the user's folder.

Built-in files ship inside the wheel under ``interviewer/_data``; in a source checkout
they are read from the repository's top-level ``rubrics/``, ``prompts/`` and ``loops/``.
A user's folder (``--user-dir`` or ``user_dir`` in the config) may add files of its own
in ``rubrics/``, ``personas/`` and ``loops/``; a user file with a built-in's id replaces it.
Every file is validated on load, and a broken one is reported in one line naming the
file, the field and the fix.
"""

from __future__ import annotations

import difflib
import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import UnionType
from typing import Annotated, Generic, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from interviewer.errors import FileFormatError, NotFoundError
from interviewer.formats import Loop, Persona, Round, Steps

M = TypeVar("M", bound=BaseModel)

KINDS: dict[str, tuple[type[BaseModel], str, str]] = {
    # kind: (model, built-in folder, user folder)
    "round": (Round, "rubrics", "rubrics"),
    "persona": (Persona, "prompts/personas", "personas"),
    "loop": (Loop, "loops", "loops"),
}


@cache
def data_root() -> Path:
    """Where the built-in rubrics, prompts and loops live."""
    packaged = Path(str(resources.files("interviewer"))) / "_data"
    if packaged.is_dir():
        return packaged
    # Source checkout or editable install: src/interviewer/catalog/library.py -> repository root.
    return Path(__file__).resolve().parents[3]


def prompt_path(name: str) -> Path:
    return data_root() / "prompts" / name


def read_prompt(name: str) -> str:
    """A prompt template from ``prompts/``; templates are data, never strings in code."""
    path = prompt_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileFormatError(
            f"{path}: cannot read prompt template ({exc.strerror})",
            hint="reinstall interviewer",
        ) from None


STEPS_FILE = "steps.toml"


@cache
def read_steps() -> Steps:
    """The words of every move (``prompts/steps.toml``), validated once per process."""
    path = prompt_path(STEPS_FILE)
    try:
        data = tomllib.loads(read_prompt(STEPS_FILE))
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(f"{path}: not valid TOML: {exc}", hint="fix the syntax") from None
    try:
        return Steps.model_validate({"moves": data})
    except ValidationError as exc:
        raise FileFormatError(describe_validation_error(path, exc, Steps)) from None


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def kind_of(path: Path, data: dict[str, object]) -> str | None:
    """Which kind of file this is, by its folder or, failing that, by its fields."""
    folder = path.parent.name
    for kind, (_, builtin_sub, user_sub) in KINDS.items():
        if folder in (builtin_sub.rsplit("/", 1)[-1], user_sub):
            return kind
    if "dimensions" in data or "topics" in data:
        return "round"
    if "greeting" in data or "style" in data:
        return "persona"
    if "track" in data or "rounds" in data:
        return "loop"
    return None


def check_file(path: Path, catalog: Catalog) -> list[str]:
    """Every problem in one user file, including references to rounds that do not exist."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [f"{path}: not valid TOML: {exc} (fix the syntax)"]
    except RecursionError:
        return [f"{path}: not valid TOML: nested too deeply (fix the syntax)"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot read: {exc}"]
    kind = kind_of(path, data)
    if kind is None:
        return [
            f"{path}: cannot tell whether this is a round, persona or loop (put it in a rubrics/, personas/ or loops/ folder)"
        ]
    model = KINDS[kind][0]
    try:
        item = model.model_validate(data)
    except ValidationError as exc:
        return problem_lines(path, exc, model)
    problems = []
    item_id = getattr(item, "id", path.stem)
    if item_id != path.stem:
        problems.append(
            f"{path}: id: '{item_id}' does not match the file name (rename the file or the id)"
        )
    if isinstance(item, Loop):
        problems += _loop_references(path, item, catalog)
    if isinstance(item, Round):
        from interviewer.catalog.plan import coverage_problems

        problems += [f"{path}: {problem}" for problem in coverage_problems(item)]
    return problems


def _loop_references(path: Path, loop: Loop, catalog: Catalog) -> list[str]:
    known = catalog.paths("round")
    problems = [
        f"{path}: rounds: no round named '{r.round}' (known: {', '.join(sorted(known))})"
        for r in loop.rounds
        if r.round not in known
    ]
    for ref in loop.failure_mode_dimensions:
        round_id, dimension = ref.split("/")
        if round_id not in known:
            continue
        try:
            round_ = catalog.round(round_id).item
        except FileFormatError as exc:
            problems.append(str(exc))
            continue
        if round_.dimension(dimension) is None:
            ids = ", ".join(d.id for d in round_.dimensions)
            problems.append(
                f"{path}: failure_mode_dimensions: '{round_id}' has no dimension '{dimension}' (use one of: {ids})"
            )
    return problems


def load_file(path: Path, model: type[M]) -> M:
    """Read and validate one TOML file as ``model``, or raise a one-line FileFormatError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(f"{path}: not valid TOML: {exc}", hint="fix the syntax") from None
    except RecursionError:
        raise FileFormatError(
            f"{path}: not valid TOML: nested too deeply", hint="fix the syntax"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"{path}: cannot read: {exc}") from None
    try:
        item = model.model_validate(data)
    except ValidationError as exc:
        raise FileFormatError(describe_validation_error(path, exc, model)) from None
    item_id = getattr(item, "id", None)
    if item_id is not None and item_id != path.stem:
        raise FileFormatError(
            f"{path}: id: '{item_id}' does not match the file name",
            hint=f'rename the file to {item_id}.toml or set id = "{path.stem}"',
        )
    return item


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A loaded file with where it came from, so transcripts can record its hash."""

    item: M
    path: Path
    builtin: bool

    @property
    def sha256(self) -> str:
        return sha256_file(self.path)


def known_names(typed: str, known: list[str]) -> str:
    """The hint for a name that is not there: the nearest one, if any is near, then all."""
    close = difflib.get_close_matches(typed, known, n=1)
    listed = ", ".join(known) or "none"
    return f"did you mean '{close[0]}'? known: {listed}" if close else f"known: {listed}"


class Catalog:
    """The rounds, personas and loops visible to this run."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir

    def _folders(self, kind: str) -> list[tuple[Path, bool]]:
        _, builtin_sub, user_sub = KINDS[kind]
        folders = [(data_root() / builtin_sub, True)]
        if self.user_dir is not None:
            folders.append((self.user_dir / user_sub, False))
        return folders

    def paths(self, kind: str) -> dict[str, tuple[Path, bool]]:
        """Every file of a kind by id (its file name); user files shadow built-ins."""
        found: dict[str, tuple[Path, bool]] = {}
        for folder, builtin in self._folders(kind):
            if folder.is_dir():
                for path in sorted(folder.glob("*.toml")):
                    found[path.stem] = (path, builtin)
        return found

    def _get(self, kind: str, name: str, model: type[M]) -> Entry[M]:
        paths = self.paths(kind)
        if name not in paths:
            raise NotFoundError(f"no {kind} named '{name}'", hint=known_names(name, sorted(paths)))
        path, builtin = paths[name]
        return Entry(load_file(path, model), path, builtin)

    def round(self, name: str) -> Entry[Round]:
        return self._get("round", name, Round)

    def persona(self, name: str) -> Entry[Persona]:
        return self._get("persona", name, Persona)

    def loop(self, name: str) -> Entry[Loop]:
        return self._get("loop", name, Loop)

    def rounds(self) -> list[Entry[Round]]:
        return [self.round(name) for name in self.paths("round")]

    def personas(self) -> list[Entry[Persona]]:
        return [self.persona(name) for name in self.paths("persona")]

    def loops(self) -> list[Entry[Loop]]:
        return [self.loop(name) for name in self.paths("loop")]


DEFAULT_PERSONA = "warm-scientist"
