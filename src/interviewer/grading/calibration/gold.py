"""Gold sets: transcripts with reference grades, one JSON object a line.

Each line holds ``id``, ``round``, ``turns`` (``{"role": "interviewer"|"candidate",
"text": ...}``) and ``grade`` (1-5, the overall reference). A variant names its
``base_id`` and a ``kind`` (``injection``, ``padding``, ``name-dropping``,
``wrong-claims`` or any other word); a degenerate answer has ``kind`` ``degenerate``.
``opening`` (a scenario of the round, whose reference the judge then sees),
``scenario`` (what groups items for the ordering metric) and per-dimension ``grades``
are optional. The shipped set lives in ``calibration/`` and is versioned by file name.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from interviewer.catalog.library import data_root
from interviewer.errors import FileFormatError, UserError
from interviewer.formats.base import Record, Slug
from interviewer.formats.levels import Level
from interviewer.formats.text import scalars
from interviewer.formats.transcript import ModelInfo, Role, Status, Transcript, Turn

SHIPPED = "gold-v1.jsonl"
DEGENERATE = "degenerate"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class GoldTurn(Record):
    role: Literal["interviewer", "candidate"]
    text: str


class GoldItem(Record):
    id: str = Field(min_length=1, max_length=120)
    round: Slug
    turns: list[GoldTurn] = Field(min_length=1)
    grade: int = Field(ge=1, le=5)
    base_id: str | None = None
    kind: str | None = Field(default=None, max_length=40)
    opening: Slug | None = None
    scenario: str | None = None
    level: Level = Level.senior
    grades: dict[str, int | None] = Field(default_factory=dict)
    note: str = ""

    @model_validator(mode="after")
    def _variant_has_a_kind(self) -> GoldItem:
        if self.base_id is not None and self.kind is None:
            raise ValueError("a variant (base_id) needs a kind, e.g. injection or padding")
        return self

    @property
    def is_base(self) -> bool:
        return self.kind is None

    @property
    def group(self) -> str:
        """The scenario an item belongs to, for ordering within a scenario."""
        return f"{self.round}/{self.scenario or self.opening or '-'}"


class GoldSet(Record):
    name: str
    sha256: str
    items: list[GoldItem]


def shipped_path() -> Path:
    return data_root() / "calibration" / SHIPPED


def label_for(path: Path) -> str:
    """'gold v1' for the shipped ``gold-v1.jsonl``; the file name for a user's own set."""
    return path.stem.replace("-", " ") if path.name == SHIPPED else path.name


def load_gold(path: Path | None = None) -> GoldSet:
    """Read and check a gold set; every problem is one line naming the file and line."""
    path = path or shipped_path()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            f"--gold {path}: cannot read ({exc.strerror})", hint="check the path"
        ) from None
    items: list[GoldItem] = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate(scalars(json.loads(line))))
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise FileFormatError(
                f"{path}:{number}: nested too deeply to read",
                hint="one flat JSON object a line; see docs/judge.md for the gold format",
            ) from None
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "line"
            raise FileFormatError(
                f"{path}:{number}: {where}: {err['msg']}",
                hint="see docs/judge.md for the gold format",
            ) from None
    _check_links(path, items)
    return GoldSet(name=label_for(path), sha256=hashlib.sha256(data).hexdigest(), items=items)


def _check_links(path: Path, items: list[GoldItem]) -> None:
    if not items:
        raise FileFormatError(f"{path}: no items", hint="one JSON object a line")
    ids = [i.id for i in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise FileFormatError(f"{path}: repeated ids: {', '.join(repeated[:5])}")
    known = set(ids)
    for item in items:
        if item.base_id is not None and item.base_id not in known:
            raise FileFormatError(f"{path}: {item.id}: base_id '{item.base_id}' is not an item")


def as_transcript(item: GoldItem, judge: ModelInfo) -> Transcript:
    """The item as a transcript the judge can grade. Without an ``opening`` the judge gets
    no scenario or reference (the transcript's own first question carries the scenario)."""
    turns = [
        Turn(
            role=Role(turn.role),
            text=turn.text,
            started_at=T0 + timedelta(minutes=n),
            ended_at=T0 + timedelta(minutes=n + 1),
        )
        for n, turn in enumerate(item.turns)
    ]
    return Transcript(
        id=f"gold-{item.id}"[:60],
        created_at=T0,
        updated_at=T0,
        status=Status.complete,
        round=item.round,
        round_title=item.round,
        persona="gold",
        level=item.level,
        opening=item.opening or "",
        interviewer=ModelInfo(model="gold"),
        judge=judge,
        temperature=0.0,
        sources=[],
        turns=turns,
    )
