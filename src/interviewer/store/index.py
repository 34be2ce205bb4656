"""The sessions index: what ``list`` and ``progress`` need from every transcript, in two files.

Parsing and validating thousands of transcripts costs seconds, so each full save records a
summary of the transcript in the transcripts folder:

- ``index.json``: one row per transcript for ``list`` (id, date, round, level, status,
  scores, ...), each row a JSON array under a field list, keyed by the file's size and
  modification time, so a changed file is noticed and re-read;
- ``index.scores`` (JSON): for each session that was ever scored, the dimension scores and
  practice advice of its latest successful scorecard, and for each spoken session, scored
  or not, its delivery, for ``progress``. Kept apart so
  ``list`` at 50,000 sessions does not parse every session's scores.

Neither file is needed: a missing, damaged or older index is rebuilt from the transcripts
(a version bump rebuilds every row). Nothing here imports pydantic unless a transcript
must be parsed, so ``list`` starts at the floor of the CLI.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from interviewer.store.journal import SUFFIX as JOURNAL

if TYPE_CHECKING:
    from interviewer.formats.transcript import Transcript

INDEX_NAME = "index.json"
SCORES_NAME = "index.scores"  # JSON; not named *.json, which globs for transcripts find
INDEX_FILES = (INDEX_NAME, SCORES_NAME)
INDEX_VERSION = 5  # 2: rows as arrays, scores apart; 3: spoken delivery; 4: opening, drill;
# 5: the delivery of unscored sessions too, and the time to structure

Warn = Callable[[str], None]
# (dimension id, dimension name, score or None when the judge could not score it)
DimensionScore = tuple[str, str, int | None]


class Summary(NamedTuple):
    """One row of ``list``: what a table of sessions needs, nothing more.

    A tuple, made straight from the index's JSON array (``Summary._make``): at 50,000
    sessions building dataclasses and parsing every date cost more than reading the file.
    ``created`` is the start in UTC as fixed-width ISO text, so rows sort by it as text;
    ``created_at`` parses it when a date is really needed.
    """

    id: str
    created: str  # UTC, microseconds always written: sorts as text
    round: str
    round_title: str
    level: str
    persona: str
    interviewer: str
    judge: str | None
    duration_s: float
    status: str
    score_status: str  # unscored | scored | failed
    overall: float | None
    hire_signal: str | None
    loop: str | None
    size: int  # of the session's files (``_session_files``): a change means re-read
    mtime_ns: int
    opening: str = ""  # the scenario: ``next`` never picks one seen recently
    drill: str | None = None  # the dimension a re-drill session drilled

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)


def stamp(when: datetime) -> str:
    """A date as the index keeps it: UTC, fixed width, so text order is time order."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Scores:
    """What ``progress`` needs of one session: its latest successful scorecard, in brief."""

    usable: bool  # False: every scoring failed, so progress leaves the session out
    dimensions: Sequence[DimensionScore]  # lists when read from the file, as it is
    practice: Sequence[str]
    mtime_ns: int  # the session files' (``Summary``), when these were read: a mismatch re-reads
    delivery: dict[str, Any] | None = None  # voice.delivery.Summary's fields, if spoken


@dataclass(frozen=True, slots=True)
class Entry:
    summary: Summary
    scores: Scores | None  # None: never scored


FIELDS = Summary._fields


def summarise(t: Transcript, size: int = 0, mtime_ns: int = 0) -> Entry:
    """The index's view of one transcript."""
    from interviewer.formats.delivery import summarize
    from interviewer.formats.transcript import usable_card

    card = t.scorecard
    summary = Summary(
        id=t.id,
        created=stamp(t.created_at),
        round=t.round,
        round_title=t.round_title,
        level=t.level.value,
        persona=t.persona,
        interviewer=t.interviewer.model,
        judge=card.judge.model if card else None,
        duration_s=t.duration().total_seconds(),
        status=t.status.value,
        score_status=card.status if card else "unscored",
        overall=card.overall if card else None,
        hire_signal=card.hire_signal.value if card and card.hire_signal else None,
        loop=t.loop,
        size=size,
        mtime_ns=mtime_ns,
        opening=t.opening,
        drill=t.drill.dimension if t.drill else None,
    )
    said = summarize([turn.delivery for turn in t.candidate_turns() if turn.delivery])
    delivery = asdict(said) if said is not None else None
    if card is None:  # kept only for a spoken session's delivery (``spoken``)
        return Entry(summary, Scores(False, (), (), mtime_ns, delivery) if delivery else None)
    usable = usable_card(t)
    if usable is None:
        return Entry(summary, Scores(False, (), (), mtime_ns, delivery))
    dims = tuple((d.dimension, d.name, d.score) for d in usable.dimensions)
    return Entry(summary, Scores(True, dims, tuple(usable.practice), mtime_ns, delivery))


# ---------------------------------------------------------------- the two files


def _load(path: Path) -> Any:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # missing or damaged: rebuilt from the transcripts
    return data if isinstance(data, dict) and data.get("version") == INDEX_VERSION else None


def read_summaries(folder: Path) -> dict[str, Summary]:
    data = _load(folder / INDEX_NAME)
    if data is None or data.get("fields") != list(FIELDS):
        return {}
    try:
        rows = list(map(Summary._make, data["rows"]))  # a wrong length is a TypeError
    except (TypeError, ValueError, KeyError):
        return {}
    return {row.id: row for row in rows}


def read_scores(folder: Path) -> dict[str, Scores]:
    data = _load(folder / SCORES_NAME)
    if data is None:
        return {}
    try:
        return {
            key: Scores(bool(usable), dims, practice, mtime, delivery)  # as read: no copies
            for key, (usable, dims, practice, mtime, delivery) in data["rows"].items()
        }
    except (TypeError, ValueError, KeyError, AttributeError):
        return {}


def write(folder: Path, summaries: dict[str, Summary], scores: dict[str, Scores]) -> None:
    """Both files, each atomically; a crash between them leaves scores that ``progress``
    sees are stale (their mtime differs) and re-reads."""
    from interviewer.store.transcript_file import write_atomic

    rows = list(summaries.values())  # tuples: written as JSON arrays
    index = {"version": INDEX_VERSION, "fields": FIELDS, "rows": rows}
    write_atomic(folder / INDEX_NAME, json.dumps(index, separators=(",", ":")))
    kept = {
        key: [s.usable, s.dimensions, s.practice, s.mtime_ns, s.delivery]
        for key, s in scores.items()
        if key in summaries
    }
    body = {"version": INDEX_VERSION, "rows": kept}
    write_atomic(folder / SCORES_NAME, json.dumps(body, separators=(",", ":")))


def update(folder: Path, entries: dict[str, Entry], remove: Iterable[str] = ()) -> None:
    """Put ``entries`` into the index and drop ``remove``; raises OSError."""
    summaries, scores = read_summaries(folder), read_scores(folder)
    for key, entry in entries.items():
        summaries[key] = entry.summary
        if entry.scores is None:
            scores.pop(key, None)
        else:
            scores[key] = entry.scores
    for key in remove:
        summaries.pop(key, None)
        scores.pop(key, None)
    write(folder, summaries, scores)


# ------------------------------------------------------------------- reading


def _session_files(folder: Path) -> Iterator[tuple[os.DirEntry[str], int, int]]:
    """Each transcript file in the folder, with the size and the newest mtime of the
    session's files: its own, with its journal's where it has one (a session running, or
    killed before it was saved whole), whose turns the transcript lacks."""
    files, journals = [], {}
    for entry in os.scandir(folder):
        if entry.name.endswith(".json") and entry.name not in INDEX_FILES:
            files.append(entry)
        elif entry.name.endswith(JOURNAL):
            journals[entry.name[: -len(JOURNAL)]] = entry
    for entry in files:
        stat = entry.stat()
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
        pending = journals.get(entry.name[:-5])
        if pending is not None:
            with contextlib.suppress(OSError):
                more = pending.stat()
                size, mtime_ns = size + more.st_size, max(mtime_ns, more.st_mtime_ns)
        yield entry, size, mtime_ns


def _reread(path: Path, size: int, mtime_ns: int, warn: Warn) -> Entry | None:
    """A transcript parsed again, with its journal's turns; a corrupt or foreign one is
    named and skipped."""
    from interviewer.errors import FileFormatError
    from interviewer.store.journal import fold
    from interviewer.store.transcript_file import parse

    try:
        transcript = parse(path, path.read_text(encoding="utf-8"))
    except FileFormatError as exc:  # its message starts with the path
        warn(f"skipped {exc}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        warn(f"skipped {path}: {exc}")
        return None
    fold(transcript, path.with_suffix(JOURNAL))
    return summarise(transcript, size, mtime_ns)


def summaries(folder: Path, warn: Warn) -> list[Summary]:
    """Every transcript's summary, newest first, from the index where it is current.

    Files that changed since they were indexed are parsed and re-indexed; a corrupt or
    foreign file is named through ``warn`` and skipped, and the others still list.
    """
    if not folder.is_dir():
        return []
    rows = read_summaries(folder)
    fresh: dict[str, Summary] = {}
    changed: dict[str, Entry] = {}
    for item, size, mtime_ns in _session_files(folder):
        key = item.name[:-5]
        row = rows.get(key)
        if row is not None and row.size == size and row.mtime_ns == mtime_ns:
            fresh[key] = row
            continue
        entry = _reread(Path(item.path), size, mtime_ns, warn)
        if entry is not None:
            fresh[key] = entry.summary
            changed[key] = entry
    if changed or set(rows) != set(fresh):
        scores = read_scores(folder)
        for key, entry in changed.items():
            scores.pop(key, None)
            if entry.scores is not None:
                scores[key] = entry.scores
        with contextlib.suppress(OSError):
            write(folder, fresh, scores)
    return sorted(fresh.values(), key=itemgetter(1), reverse=True)  # by ``created``


def scored(folder: Path, warn: Warn, round_id: str | None = None) -> list[tuple[Summary, Scores]]:
    """The sessions that were ever scored successfully, with their scores, from the index.

    A session whose scores are missing or older than its file (a crash between the two
    index files, or a transcript scored by an older interviewer) is read again.
    """
    found = _current(folder, warn, round_id, spoken_only=False)
    return [(row, got) for row, got in found if row.score_status != "unscored" and got.usable]


def spoken(
    folder: Path, warn: Warn, round_id: str | None = None
) -> list[tuple[Summary, dict[str, Any]]]:
    """Every session answered out loud, scored or not, with its delivery summary
    (``formats.delivery.Summary``'s fields): what ``progress`` trends."""
    found = _current(folder, warn, round_id, spoken_only=True)
    return [(row, got.delivery) for row, got in found if got.delivery]


def scored_and_spoken(
    folder: Path, warn: Warn, round_id: str | None = None
) -> tuple[list[tuple[Summary, Scores]], list[tuple[Summary, dict[str, Any]]]]:
    """``scored`` and ``spoken`` from one reading of the index: ``progress`` shows both,
    and reading it twice cost 0.3 s over 10,000 sessions. The spoken sessions' entries
    are a superset of the scored ones' (an unscored session has one only if spoken)."""
    with _out_of_the_collectors_way():
        found = _current(folder, warn, round_id, spoken_only=True)
    scored = [(row, got) for row, got in found if row.score_status != "unscored" and got.usable]
    return scored, [(row, got.delivery) for row, got in found if got.delivery]


@contextlib.contextmanager
def _out_of_the_collectors_way() -> Iterator[None]:
    """The cyclic garbage collector held off while both index files become rows, and
    what is then alive moved out of its reach (``gc.freeze``), for a command that reads
    them once and ends (``progress``). At 10,000 sessions the rows are some 150,000
    lists and tuples, none in a cycle, and the collector's passes over them, during the
    read and again while the report was built from them, took 0.07 s of 0.4 s."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _current(
    folder: Path, warn: Warn, round_id: str | None, *, spoken_only: bool
) -> list[tuple[Summary, Scores]]:
    """Each session's scores entry, read again where missing or stale. A session never
    scored has an entry only if it was spoken, so for ``spoken_only`` a missing entry of
    an unscored session means a typed one, and without it, one with nothing to show."""
    rows = summaries(folder, warn)
    scores = read_scores(folder)
    found: list[tuple[Summary, Scores]] = []
    repaired: dict[str, Entry] = {}
    for row in rows:
        if row.score_status == "unscored" and not spoken_only:
            continue
        if round_id is not None and row.round != round_id:
            continue
        got = scores.get(row.id)
        if got is None and row.score_status == "unscored":
            continue
        if got is None or got.mtime_ns != row.mtime_ns:
            entry = _reread(folder / f"{row.id}.json", row.size, row.mtime_ns, warn)
            if entry is None:
                continue
            repaired[row.id] = entry
            got = entry.scores
        if got is not None:
            found.append((row, got))
    if repaired:
        with contextlib.suppress(OSError):
            update(folder, repaired)
    return found
