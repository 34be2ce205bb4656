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
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from interviewer.catalog import files
from interviewer.catalog.files import FOLDERS
from interviewer.catalog.files import data_root as data_root
from interviewer.catalog.files import sha256_file as sha256_file
from interviewer.errors import FileFormatError, NotFoundError
from interviewer.formats.levels import Level
from interviewer.formats.loops import Loop
from interviewer.formats.problems import describe_validation_error, problem_lines
from interviewer.formats.rounds import Opening, Round
from interviewer.formats.voices import Persona, Steps

M = TypeVar("M", bound=BaseModel)

KINDS: dict[str, tuple[type[BaseModel], str, str]] = {
    # kind: (model, built-in folder, user folder)
    kind: (model, *FOLDERS[kind])
    for kind, model in (("round", Round), ("persona", Persona), ("loop", Loop))
}


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


@dataclass(frozen=True)
class FileCheck:
    """What ``check_file`` found: the file's kind (None when it cannot be told) and its
    problems, each one line naming the file, the field and the fix."""

    kind: str | None
    problems: list[str]


def check_file(path: Path, catalog: Catalog, raw: bytes | None = None) -> FileCheck:
    """Every problem in one user file (its bytes ``raw`` when the caller read them),
    including references to rounds that do not exist."""
    try:
        text = (path.read_bytes() if raw is None else raw).decode("utf-8")
        data = tomllib.loads(io.StringIO(text, newline=None).read())  # as read_text reads
    except tomllib.TOMLDecodeError as exc:
        return FileCheck(None, [f"{path}: not valid TOML: {exc} (fix the syntax)"])
    except RecursionError:
        return FileCheck(None, [f"{path}: not valid TOML: nested too deeply (fix the syntax)"])
    except (OSError, UnicodeDecodeError) as exc:
        return FileCheck(None, [f"{path}: cannot read: {exc}"])
    kind = kind_of(path, data)
    if kind is None:
        return FileCheck(None, [
            f"{path}: cannot tell whether this is a round, persona or loop (put it in a rubrics/, personas/ or loops/ folder)"
        ])  # fmt: skip
    return FileCheck(kind, _problems(path, data, kind, catalog))


def _problems(path: Path, data: dict[str, object], kind: str, catalog: Catalog) -> list[str]:
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

    def paths(self, kind: str) -> dict[str, tuple[Path, bool]]:
        """Every file of a kind by id (its file name); user files shadow built-ins."""
        return files.paths(kind, self.user_dir)

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


def scenario_text(opening: Opening, level: Level) -> str:
    """What the candidate is shown, verbatim from the round file, with the level's line."""
    extra = opening.levels.for_level(level)
    return f"{opening.prompt}\n\n{extra}" if extra else opening.prompt
