"""The one-line rows that ``rounds`` and ``personas`` list, and what ``rounds show`` prints
of a round, without pydantic on a warm run.

Listing the rounds parsed every round file's TOML (90 ms for the shipped 800 KB) and built
every pydantic model (another 90 ms), to print three fields of each: ``rounds`` took 2.3x
the ``--help`` of a bare Typer app. So the rows are kept in a cache, each under a hash of
its file's bytes and of the code that validates it (``validated``): a file is read
through pydantic (``library.load_file``, the only parser) the first time it is seen as it
is now, and its row is taken from the validated model (``row_of``); after that, only its
bytes are hashed. A broken file is never cached, so it is reported on every run as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from interviewer.catalog import validated
from interviewer.catalog.files import data_root as data_root
from interviewer.catalog.files import paths
from interviewer.catalog.validated import Row


def row_of(kind: str, item: Any) -> Row:
    """The row a validated round, persona or loop is listed with: the one place it is made."""
    if kind == "round":
        return {"id": item.id, "minutes": item.budget.minutes, "summary": item.summary}
    if kind == "persona":
        return {"id": item.id, "name": item.name, "title": item.title, "summary": item.summary}
    return {"id": item.id, "rounds": [[r.round, r.signature] for r in item.rounds]}


def scenarios_of(item: Any) -> Row:
    """A validated round's scenarios as ``show`` frames them: each opening's title and, per
    level, the text the candidate is shown (``library.scenario_text``, the one place)."""
    from interviewer.catalog.library import scenario_text
    from interviewer.formats.levels import Level

    return {
        o.id: {"title": o.title, "text": {lv.value: scenario_text(o, lv) for lv in Level}}
        for o in item.openings
    }


def scenarios(path: Path) -> Row:
    """The scenarios of the round file at ``path`` (``scenarios_of``), cached as the rows
    are: ``show`` and ``export`` frame a session's scenario without reading the round."""
    return _of_round(path, "scenarios", scenarios_of)


def detail_of(item: Any, track: str | None) -> Row:
    """What ``rounds show`` prints of a validated round as ``track`` runs it (``for_track``,
    the one place): its budget, what the track changes, areas, scenarios, dimensions and
    their anchors. Plain JSON, so a round seen before is shown without pydantic."""
    from interviewer.catalog.plan import followup_budget
    from interviewer.formats.levels import Level

    ran = item.for_track(track)
    emphasis = item.tracks.get(track) if track else None
    changes = []
    if emphasis is not None:
        for old, new in zip(item.dimensions, ran.dimensions, strict=True):
            if new.weight != old.weight:
                changes.append([f"weight of {old.id}", f"{old.weight:g}", f"{new.weight:g}"])
        for old_topic, new_topic in zip(item.topics, ran.topics, strict=True):
            if new_topic.followups != old_topic.followups:
                before = followup_budget(item, old_topic, Level.senior)
                after = followup_budget(ran, new_topic, Level.senior)
                changes.append([f"follow-ups on {old_topic.id}", str(before), str(after)])
    return {
        "id": ran.id,
        "title": ran.title,
        "minutes": ran.budget.minutes,
        "answers": ran.budget.max_candidate_turns,
        "tests": ran.tests,
        "tracks": list(item.tracks),
        "bar": emphasis.bar if emphasis is not None else None,
        "changes": changes,
        "areas": [[t.id, t.question, t.dimensions] for t in ran.topics],
        "scenarios": [
            [o.id, o.title, o.topics, o.twist.after if o.twist else None] for o in ran.openings
        ],
        "dimensions": [
            {
                "name": d.name,
                "weight": d.weight,
                "description": d.description,
                "anchors": list(d.anchors.by_score().items()),
                "levels": [d.levels.junior, d.levels.senior, d.levels.staff],
            }
            for d in ran.dimensions
        ],
    }


def detail(path: Path, track: str | None) -> Row:
    """``detail_of`` the round file at ``path``, cached as the rows are."""
    return _of_round(path, f"detail:{track or ''}", lambda item: detail_of(item, track))


def _of_round(path: Path, what: str, make: Callable[[Any], Row]) -> Row:
    """``make`` of the round file at ``path`` once validated, cached under ``what`` and
    the file's digest: the round is read through pydantic only when seen as it is now."""
    return validated.kept(what, path, lambda: make(_loaded("round", path)))


def round_path(name: str, user_dir: Path | None) -> Path:
    """The file of the round ``name`` (the user's own before a built-in one). For a name
    there is no file for, the catalog raises its error: no such round, and those there are."""
    path, _ = paths("round", user_dir).get(name, (None, False))
    if path is None:
        from interviewer.catalog.library import Catalog

        Catalog(user_dir).round(name)  # raises
        raise AssertionError(f"the catalog found round {name!r}, which has no file")
    return path


def rows(kind: str, user_dir: Path | None) -> list[tuple[Row, bool]]:
    """Each file's row and whether it is built in, in the order ``Catalog`` lists them."""
    return [
        (validated.kept(kind, path, partial(_validated_row, kind, path)), builtin)
        for path, builtin in paths(kind, user_dir).values()
    ]


def _validated_row(kind: str, path: Path) -> Row:
    """The row of a file not seen as it is now."""
    return row_of(kind, _loaded(kind, path))


def _loaded(kind: str, path: Path) -> Any:
    """A file of ``kind`` not seen as it is now: read and checked by the one parser."""
    from interviewer.catalog.library import KINDS, load_file

    return load_file(path, KINDS[kind][0])
