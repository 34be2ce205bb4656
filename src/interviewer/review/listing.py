"""Which saved sessions ``interviewer list`` shows: filters over the index's summary rows.

Pure functions over ``index.Summary``, so filtering thousands of sessions costs no file
reads beyond the index, and the rules can be tested without a terminal; and the table
they are shown in. Nothing here needs pydantic, so ``list`` starts fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from interviewer.review.figures import score
from interviewer.store.index import Summary


class StatusFilter(StrEnum):
    """What ``--status`` accepts: a session's state or its scoring's."""

    complete = "complete"
    interrupted = "interrupted"
    in_progress = "in-progress"
    unscored = "unscored"
    scored = "scored"
    failed = "failed"


# formats.Status's values (a test keeps them equal), named here so listing needs no pydantic
SESSION_STATUSES = frozenset({"complete", "interrupted", "in-progress"})
SCORE_STATUSES = frozenset(s.value for s in StatusFilter) - SESSION_STATUSES


@dataclass(frozen=True)
class Filters:
    """What to keep. Session statuses are OR-ed with each other, and so are scoring
    statuses; the two groups are AND-ed, so ``--status complete --status unscored`` reads
    as it sounds: complete sessions that have no scorecard yet."""

    round: str | None = None
    level: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    statuses: frozenset[str] = frozenset()
    min_score: float | None = None
    max_score: float | None = None

    def keeps(self, row: Summary) -> bool:
        return (
            (self.round is None or row.round == self.round)
            and (self.level is None or row.level == self.level)
            and (self.since is None or row.created_at >= self.since)
            and (self.until is None or row.created_at < self.until)
            and self._status_ok(row)
            and self._score_ok(row)
        )

    def _status_ok(self, row: Summary) -> bool:
        session = self.statuses & SESSION_STATUSES
        scoring = self.statuses & SCORE_STATUSES
        return (not session or row.status in session) and (
            not scoring or row.score_status in scoring
        )

    def _score_ok(self, row: Summary) -> bool:
        if self.min_score is None and self.max_score is None:
            return True
        if row.overall is None:
            return False  # a score bound asks about scores; unscored sessions have none
        low = self.min_score if self.min_score is not None else float("-inf")
        high = self.max_score if self.max_score is not None else float("inf")
        return low <= row.overall <= high


def select(rows: Iterable[Summary], filters: Filters) -> list[Summary]:
    if filters == Filters():
        return list(rows)  # no filter: no call per row (50,000 of them, at the limit)
    return [row for row in rows if filters.keeps(row)]


def parse_when(text: str, *, end: bool = False) -> datetime:
    """A date (``2026-11-01``) or an ISO date-time, read as UTC when it names no zone.

    A bare date as the upper bound means the whole of that day, so ``--until 2026-11-01``
    includes sessions from that afternoon. Raises ``ValueError`` with a usable message.
    """
    raw = text.strip()
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"'{text}' is not a date like 2026-11-01 or 2026-11-01T14:30") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if end and len(raw) == 10:  # a bare YYYY-MM-DD
        when += timedelta(days=1)
    return when


def duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h{minutes % 60:02d}m"


def status_label(row: Summary) -> str:
    """The session's state and, where it matters, its scoring's: what to do next shows."""
    if row.score_status == "failed":
        return f"{row.status}, scoring failed"
    if row.score_status == "unscored" and row.status == "complete":
        return "complete, unscored"
    return row.status


def row_json(row: Summary, folder: Path) -> dict[str, Any]:
    """One row for ``--json``: the summary without the index's bookkeeping, plus the path."""
    data: dict[str, Any] = {"id": row.id, "created_at": _zulu(row.created_at)}
    data.update((name, getattr(row, name)) for name in JSON_FIELDS)
    data["path"] = str(folder / f"{row.id}.json")
    return data


# What ``list --json`` shows of a row: all but the index's bookkeeping.
JSON_FIELDS = tuple(
    name
    for name in Summary._fields
    if name not in ("id", "created", "size", "mtime_ns", "round_title")
)


def _zulu(when: datetime) -> str:
    """UTC as "Z", as the transcripts write it."""
    text = when.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


STATUS_STYLE = {"complete": "green", "interrupted": "yellow", "in-progress": "cyan"}
WIDE = 120


def sessions_table(rows: list[Summary], width: int = 200) -> Table:
    """The sessions, one row each. Below ``WIDE`` columns the persona and models columns
    are left out (``show`` has them), so what matters never wraps into ellipses. Columns
    are set apart by spaces, not rules (as ``docker ps`` and ``kubectl get`` do): a rule
    and its padding took three columns a boundary, and at 80 columns the longest round's
    row ran one over, cutting "complete" to "comple…"."""
    wide = width >= WIDE
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("started (UTC)" if wide else "UTC", no_wrap=True)
    table.add_column("round", no_wrap=True)
    table.add_column("level", no_wrap=True)
    if wide:
        table.add_column("persona")
        table.add_column("models")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("overall" if wide else "score", justify="right", no_wrap=True)
    table.add_column("status")
    stamp = "%Y-%m-%d %H:%M" if wide else "%m-%d %H:%M"
    for row in rows:
        models = row.interviewer
        if row.judge and row.judge != row.interviewer:
            models += f" / {row.judge}"
        label = status_label(row)
        style = "red" if row.score_status == "failed" else STATUS_STYLE.get(row.status, "")
        cells: list[str | Text] = [row.id, f"{row.created_at:{stamp}}", Text(row.round), row.level]
        if wide:
            cells += [Text(row.persona), Text(models)]
        cells += [duration(row.duration_s), score(row.overall), Text(label, style=style)]
        table.add_row(*cells)
    return table
