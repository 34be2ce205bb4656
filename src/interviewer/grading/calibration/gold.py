"""Gold sets: transcripts with reference grades, one JSON object a line.

Each line holds ``id``, ``round``, ``turns`` (``{"role": "interviewer"|"candidate",
"text": ...}``) and ``grade`` (1-5, the overall reference). A variant names its
``base_id`` and a ``kind`` (``injection``, ``padding``, ``name-dropping``, ``politeness``,
``jargon``, ``wrong-claims`` or any other word); a degenerate answer has ``kind``
``degenerate``. Optional: ``opening`` (a scenario of the round: the judge is then sent its
text and reference, as in real scoring), ``scenario`` (what groups items for the ordering
metric), per-dimension ``grades`` (null: never probed nor volunteered), ``points`` (the
opening's reference points the candidate's words establish, ``p1``...) and, on a variant,
``manipulation`` (which wording was inserted where). The shipped set lives in
``calibration/`` and is versioned by file name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from interviewer.catalog.library import data_root
from interviewer.errors import FileFormatError, UserError
from interviewer.formats.base import Record, Slug
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Round
from interviewer.formats.text import scalars
from interviewer.formats.transcript import ModelInfo, Role, Status, Transcript, Turn
from interviewer.grading.schema import point_keys

SHIPPED = "gold-v2.jsonl"
DEGENERATE = "degenerate"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
POINT = r"^p[1-9][0-9]*$"


class GoldTurn(Record):
    role: Literal["interviewer", "candidate"]
    text: str


class Manipulation(Record):
    """Where a variant's inserted text sits, so lifts can be read by wording and position."""

    family: str = Field(min_length=1, max_length=40)
    wording: str = Field(min_length=1, max_length=60)
    answer: int = Field(ge=1, description="which candidate answer, from 1")
    of: int = Field(ge=1, description="of how many candidate answers")
    position: Literal["start", "middle", "end"]

    @model_validator(mode="after")
    def _answer_within(self) -> Manipulation:
        if self.answer > self.of:
            raise ValueError(f"answer {self.answer} of {self.of}: there is no such answer")
        return self

    @property
    def where(self) -> str:
        """The answer as first, middle or last, for reading lifts by place."""
        return "first" if self.answer == 1 else "last" if self.answer == self.of else "middle"


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
    grades: dict[str, Annotated[int, Field(ge=1, le=5)] | None] = Field(default_factory=dict)
    points: list[Annotated[str, StringConstraints(pattern=POINT)]] | None = None
    manipulation: Manipulation | None = None
    note: str = ""

    @model_validator(mode="after")
    def _variant_has_a_kind(self) -> GoldItem:
        if self.base_id is not None and self.kind is None:
            raise ValueError("a variant (base_id) needs a kind, e.g. injection or padding")
        if self.manipulation is not None:
            if self.base_id is None:
                raise ValueError("manipulation: only a variant (with a base_id) has one")
            if self.manipulation.family != self.kind:
                raise ValueError(
                    f"manipulation: family '{self.manipulation.family}' is not the item's "
                    f"kind '{self.kind}'"
                )
            answers = sum(t.role == "candidate" for t in self.turns)
            if self.manipulation.of != answers:
                raise ValueError(
                    f"manipulation: of {self.manipulation.of}, but the transcript has "
                    f"{answers} candidate answers"
                )
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
    """'gold v2' for a shipped ``gold-v2.jsonl`` (any version in ``calibration/``); the file
    name for a user's own set."""
    shipped = shipped_path().parent
    if (
        re.fullmatch(r"gold-v[0-9]+\.jsonl", path.name)
        and path.parent.resolve() == shipped.resolve()
    ):
        return path.stem.replace("-", " ")
    return path.name


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


def check_against(gold: GoldSet, rounds: dict[str, Round]) -> None:
    """What the loader cannot see alone, checked against the rounds the items name: the
    ``opening`` is a scenario of the round (else the judge would silently grade without its
    scenario and reference), every ``points`` key is one of that opening's reference points,
    and every ``grades`` key is a dimension of the round."""
    for item in gold.items:
        round_ = rounds[item.round]
        where = f"{gold.name}: {item.id}"
        opening = round_.opening(item.opening) if item.opening else None
        if item.opening and opening is None:
            raise FileFormatError(
                f"{where}: opening '{item.opening}' is not a scenario of round {item.round}",
                hint=f"interviewer rounds show {item.round} lists its scenarios",
            )
        keys = point_keys(opening)
        for point in item.points or []:
            if point not in keys:
                known = f"{keys[0]} to {keys[-1]}" if keys else "none"
                raise FileFormatError(
                    f"{where}: points: '{point}' is not a reference point of "
                    f"{item.opening or 'an item without an opening'} (it has {known})"
                )
        dimensions = {d.id for d in round_.dimensions}
        unknown = sorted(set(item.grades) - dimensions)
        if unknown:
            raise FileFormatError(
                f"{where}: grades: {', '.join(unknown)} is not a dimension of {item.round}"
            )


def sample(items: list[GoldItem], limit: int) -> list[GoldItem]:
    """About ``limit`` items spread over every round and kind, for ``--limit``.

    The items are dealt out round by round, and within a round kind by kind (graded
    transcripts spread over their grades), so even ten items touch ten rounds and a mix of
    kinds; the first lines of a file would be one round's grade 1s. A variant brings its
    base along, since its lift is measured against it. Deterministic, in file order."""
    rounds: dict[str, dict[str, list[GoldItem]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        rounds[item.round][item.kind or ""].append(item)
    dealt: list[list[GoldItem]] = []
    for number, kinds in enumerate(rounds.values()):
        names = list(kinds)
        names = names[number % len(names) :] + names[: number % len(names)]
        queues = [_by_grade(kinds[k]) if k == "" else list(kinds[k]) for k in names]
        dealt.append(_interleave(queues))
    chosen: set[str] = set()
    for item in _interleave(dealt):
        if len(chosen) >= limit:
            break
        chosen.add(item.id)
        if item.base_id is not None:
            chosen.add(item.base_id)
    return [i for i in items if i.id in chosen]


def _by_grade(items: list[GoldItem]) -> list[GoldItem]:
    """Graded items with the grades taking turns: 1, 2, 3, 4, 5, 1, 2, ..."""
    grades: dict[int, list[GoldItem]] = defaultdict(list)
    for item in items:
        grades[item.grade].append(item)
    return _interleave([grades[g] for g in sorted(grades)])


def _interleave(queues: list[list[GoldItem]]) -> list[GoldItem]:
    """One from each list in turn until all are empty."""
    out: list[GoldItem] = []
    for depth in range(max((len(q) for q in queues), default=0)):
        out += [q[depth] for q in queues if depth < len(q)]
    return out


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
