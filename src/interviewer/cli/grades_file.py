"""The grades file of ``grades export`` and ``grades import``: JSON Lines, one line per
session and grader, each line checked (its fields, its session, the round's dimensions)
before anything is imported. Apart from ``grades`` so that module stays one screenful of
commands; imported by them only when they run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import ValidationError

from interviewer.catalog.library import Catalog
from interviewer.errors import FileFormatError
from interviewer.formats.human import GradeRecord, HumanGrade
from interviewer.formats.problems import problem_lines
from interviewer.formats.transcript import Transcript
from interviewer.grading.human import Rubric, rubric_of
from interviewer.store.transcripts import Store


def emit(lines: list[GradeRecord]) -> int:
    """Write the lines on stdout, one JSON object each; how many were written."""
    for line in lines:
        sys.stdout.write(line.model_dump_json() + "\n")
    return len(lines)


def read_grades(file: Path, store: Store, catalog: Catalog) -> dict[str, list[HumanGrade]]:
    """Every grading in the file by session, each line checked; the first bad line is a
    ``FileFormatError`` that names the file and the line."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise FileFormatError(f"{file}: cannot read ({reason or exc})") from None
    ids = set(store.ids())
    sessions: dict[str, Transcript] = {}
    rubrics: dict[str, Rubric] = {}
    found: dict[str, list[HumanGrade]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{file}:{number}"
        record = parse_line(where, line)
        if record.session not in ids:
            raise FileFormatError(
                f"{where}: no session '{record.session}' in {store.folder}",
                hint="import into the folder the grades were exported from (--transcripts-dir)",
            )
        if record.session not in sessions:
            sessions[record.session] = store.read(record.session)
        t = sessions[record.session]
        if record.round != t.round:
            raise FileFormatError(
                f"{where}: round: session {t.id} is a {t.round} session, not {record.round}",
                hint="correct the session or the round",
            )
        if t.id not in rubrics:
            rubrics[t.id] = rubric_of(t, catalog)
        known = rubrics[t.id].ids()
        for dim in record.scores:
            if dim not in known:
                raise FileFormatError(
                    f"{where}: scores.{dim}: no such dimension in round {t.round}",
                    hint=f"its dimensions: {', '.join(known)}",
                )
        found.setdefault(t.id, []).append(record.grade())
    return found


def parse_line(where: str, line: str) -> GradeRecord:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise FileFormatError(f"{where}: not a grade (nested too deeply to read)") from None
    if not isinstance(data, dict):
        raise FileFormatError(f"{where}: not a grade (a JSON object is expected)")
    try:
        return GradeRecord.model_validate(data)
    except ValidationError as exc:
        raise FileFormatError(problem_lines(where, exc, GradeRecord)[0]) from None
