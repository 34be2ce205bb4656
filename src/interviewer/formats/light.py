"""Records pydantic validated before, read again without pydantic: a model's shape, and
objects built to it.

``show`` and ``export`` of a saved session spent most of their time on pydantic itself
(its import and the transcript's models, 90 ms of a 215 ms command on a 2-core machine)
to read a file pydantic had already accepted the last time it was shown. So the work is
split in two:

- ``shape_of`` (pydantic, once per version of the code) writes down, for every model a
  record holds, how each field's JSON becomes its Python value: as it is, a date and
  time, an enum, a nested record, a list or a mapping of them;
- ``build`` (no pydantic) turns the JSON of a record that pydantic validated, and that
  equals pydantic's own dump of it, into objects with the same attribute names, values
  and methods. The methods come from the model's pydantic-free mixin (``readings``);
  ``shape_of`` refuses a model that grows a method anywhere else, so a light record can
  never lack one its model has.

What "validated before" means, and where the shape is kept, is the store's business
(``store.verified``). Nothing here validates: ``build`` trusts its input.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import sys
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

Shape = dict[str, Any]
"""``{"root": name, "models": {name: {"mixin": "module:Class" or None, "fields": {field:
kind}}}}``; a kind is ``"value"``, ``"datetime"``, ``"enum:module:Class"``, or
``"model:Name"``, ``"list:Name"``, ``"dict:Name"`` for records, lists and mappings of them."""

PLAIN = (str, int, float, bool, type(None))


def cache_dir() -> Path:
    """Where what validation gave is kept, to be rebuilt when missing (``$XDG_CACHE_HOME``,
    else ``~/.cache``): never a record of anyone's. Both caches keyed by ``source_digest``
    live here (``store.verified``'s notes, ``catalog.validated``'s entries)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "interviewer"


def write_whole(path: Path, text: str) -> None:
    """Write a cache file at once (a reader sees all of it or none), its folder made if
    missing; raises ``OSError``. Unlike a transcript's save, no fsync: it is rebuilt when
    lost."""
    import tempfile  # here: the commands that only read a cache never pay its import

    try:
        fd, staged = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, staged = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(staged, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        raise


def prune_oldest(folder: Path, kept: int, spare: Callable[[str], bool] = lambda _: False) -> None:
    """Past a quarter more than ``kept`` files in a cache ``folder``, remove the oldest
    written down to ``kept`` (``spare``: names never counted nor removed); best effort.
    A cache of what validation gave gains an entry with every edited or newly read file,
    and nothing else ever removes one. Called after each addition (the slow path, which
    has just validated something), it lists the folder then, but removes files only once
    a quarter over: in batches, not one at every addition."""
    try:
        entries = [entry for entry in os.scandir(folder) if not spare(entry.name)]
    except OSError:
        return
    if len(entries) <= kept + kept // 4:
        return
    dated = []
    for entry in entries:
        with contextlib.suppress(OSError):
            dated.append((entry.stat().st_mtime_ns, entry.path))
    for _, stale in sorted(dated)[: len(dated) - kept]:
        with contextlib.suppress(OSError):
            os.unlink(stale)


def source_digest(*also: Path) -> bytes:
    """The SHA-256 of the formats' source, of ``also`` (the code that reads them) and of
    the installed validator (``VALIDATOR``): what a cache of what validation gave is keyed
    by, so that any change to that code, or an upgrade of pydantic, is a change to every
    entry (``store.verified``, ``catalog.validated``)."""
    files = [*sorted(Path(__file__).resolve().parent.glob("*.py")), *also]
    return hashlib.sha256(b"".join(p.read_bytes() for p in files) + _installed()).digest()


VALIDATOR = ("pydantic", "pydantic_core")


def _installed() -> bytes:
    """Where each package of ``VALIDATOR`` is found on ``sys.path`` (as ``import`` would
    find it, without importing it), and the size and time of its ``__init__.py``: an
    install or upgrade rewrites it."""
    stamps = []
    for name in VALIDATOR:
        for entry in sys.path:
            init = Path(entry or ".", name, "__init__.py")
            try:
                stat = init.stat()
            except OSError:
                continue
            stamps.append(f"{init}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
            break
    return "".join(stamps).encode()


def shape_of(model: type) -> Shape:
    """The shape of ``model`` and of every model inside it. Raises ``TypeError`` for a
    field no kind fits, or a method outside the model's mixin."""
    models: dict[str, Any] = {}
    _walk(model, models)
    return {"root": model.__name__, "models": models}


def _walk(model: type, models: dict[str, Any]) -> None:
    if model.__name__ in models:
        return
    fields: dict[str, str] = {}
    models[model.__name__] = {"mixin": _mixin(model), "fields": fields}
    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        kind, inner = _kind(field.annotation)
        fields[name] = kind
        if inner is not None:
            _walk(inner, models)


def _mixin(model: type) -> str | None:
    """The model's pydantic-free base (its methods), after checking it has no others."""
    from pydantic import BaseModel

    mixins = [b for b in model.__bases__ if not issubclass(b, BaseModel) and b is not object]
    if len(mixins) > 1:
        raise TypeError(f"{model.__name__}: one reading mixin at most, not {mixins}")
    own = [
        n
        for n, v in vars(model).items()
        if not n.startswith("_") and (callable(v) or isinstance(v, property | classmethod))
    ]
    if own:
        raise TypeError(f"{model.__name__}.{own[0]}: move it to the model's mixin in readings")
    return f"{mixins[0].__module__}:{mixins[0].__qualname__}" if mixins else None


def _kind(annotation: Any) -> tuple[str, type | None]:
    """A field's kind, and the model inside it to walk, if any."""
    from pydantic import AwareDatetime, BaseModel, NaiveDatetime

    hint = _bare(annotation)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in PLAIN or origin is typing.Literal or hint is Any:
        return "value", None
    if hint in (datetime, AwareDatetime, NaiveDatetime):  # pydantic's are markers, not subclasses
        return "datetime", None
    if isinstance(hint, type) and issubclass(hint, Enum):
        return f"enum:{hint.__module__}:{hint.__qualname__}", None
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return f"model:{hint.__name__}", hint
    if origin in (list, dict):
        item, _ = _kind(args[-1])
        if item == "value":
            return "value", None
        if item.startswith("model:"):
            inner = _bare(args[-1])
            return f"{origin.__name__}:{inner.__name__}", inner
    raise TypeError(f"no light kind for the annotation {annotation!r}")


def _bare(hint: Any) -> Any:
    """The annotation without ``Annotated`` and without ``None`` (a kind passes None on)."""
    while typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if all(_bare(a) in PLAIN for a in rest):
            return str  # a union of plain values stays as it is
        if len(rest) == 1:
            return _bare(rest[0])
    return hint


def build(shape: Shape, data: dict[str, Any]) -> Any:
    """The record ``data`` holds, built to ``shape``: trusted, never checked."""
    return _Builder(shape).record(shape["root"], data)


class _Builder:
    def __init__(self, shape: Shape) -> None:
        self.models = shape["models"]
        self.classes = {
            name: _light_class(name, spec["mixin"]) for name, spec in self.models.items()
        }

    def record(self, name: str, data: dict[str, Any]) -> Any:
        made = self.classes[name]()
        for field, kind in self.models[name]["fields"].items():
            value = data[field]
            if value is not None and kind != "value":
                value = self.value(kind, value)
            setattr(made, field, value)
        return made

    def value(self, kind: str, value: Any) -> Any:
        what, _, name = kind.partition(":")
        if what == "datetime":
            return datetime.fromisoformat(value)
        if what == "enum":
            return _enum(name)(value)
        if what == "model":
            return self.record(name, value)
        if what == "list":
            return [self.record(name, item) for item in value]
        return {key: self.record(name, item) for key, item in value.items()}  # dict


@cache
def _light_class(name: str, mixin: str | None) -> type:
    """A plain class named as the model, with its mixin's methods, holding any fields."""
    bases = (_import(mixin),) if mixin else ()
    return type(name, (*bases, LightRecord), {"__module__": __name__})


class LightRecord:
    """A record read without pydantic; its fields are set by ``build``."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(light, {len(vars(self))} fields)"


@cache
def _enum(name: str) -> type[Enum]:
    found: type[Enum] = _import(name)
    return found


def _import(name: str) -> Any:
    """A class a shape names: only ever one of the formats' own (a shape is read from the
    cache folder, and must not make this import anything else)."""
    module, _, qualname = name.partition(":")
    if not module.startswith("interviewer.formats."):
        raise ImportError(f"a light record's class comes from the formats, not {module}")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found
