"""``calibrate --human``: the judge against the people who graded the user's own sessions.

The judge grades each session a person graded, as real scoring grades it (the round as the
session ran it, its files), and the agreement with each person is shown: kappa, exact
agreement and per dimension, with n.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from interviewer.cli.app import err, fail, out, warn
from interviewer.cli.serving import serving, start_preload
from interviewer.config.settings import Settings
from interviewer.errors import EXIT_MODEL, EXIT_USAGE, UserError

if TYPE_CHECKING:
    from collections.abc import Callable

    from interviewer.catalog.library import Catalog
    from interviewer.formats.human import HumanGrade
    from interviewer.formats.transcript import Scorecard, Transcript
    from interviewer.grading.calibration.human import Judged
    from interviewer.models.base import ModelSpec
    from interviewer.models.choice import Choice

Graded = list[tuple["Transcript", "HumanGrade"]]
"""Sessions with a person's grades of each, one pair per session and grader."""


def graded_sessions(settings: Settings, grader: str | None) -> Graded:
    """Each saved session a person graded (only ``grader``'s, when named), with the grades;
    none is a usage error, said before any judge is looked for."""
    from interviewer.grading.human import human_graded
    from interviewer.store.every import every_transcript
    from interviewer.store.transcripts import Store

    store = Store(settings.transcripts_dir)
    pairs = list(human_graded(every_transcript(store, warn), grader))
    if not pairs:
        by = f" by {grader}" if grader else ""
        fail(
            f"no sessions graded{by} in {store.folder}; grade some first: interviewer grade ID",
            EXIT_USAGE,
        )
    return pairs


def against_people(
    settings: Settings, choice: Choice, pairs: Graded, samples: int, jobs: int, seed: int
) -> None:
    """Grade ``pairs``' sessions with the chosen judge and show its agreement with each
    person who graded them; every request failing is an error."""
    from interviewer.catalog.library import Catalog
    from interviewer.grading.calibration import human as agree

    catalog = Catalog(settings.user_dir)
    usable = _readable(catalog, pairs)
    start_preload(choice)
    with serving(choice, roles=("judge",)) as live:
        judged = _judge_all(catalog, live.judge, usable, samples=samples, jobs=jobs)
    for name in agree.graders(judged):
        _show_agreement(agree.agreement(judged, name, seed=seed), name)
    if all(j.judge is None for j in judged):
        reason = next((j.reason for j in judged if j.reason), "no reason given")
        fail(f"every request to the judge failed: {reason}", EXIT_MODEL)


def _readable(catalog: Catalog, pairs: Graded) -> Graded:
    """The graded sessions whose round can be read (the judge needs it); each left out is
    a warning naming it, and none left an error."""
    usable = []
    for t, graded in pairs:
        try:
            catalog.round(t.round)
        except UserError as exc:
            warn(f"session {t.id} left out: {exc.message}")
            continue
        usable.append((t, graded))
    if not usable:
        fail("no graded session's round can be read; name your rounds with --user-dir", EXIT_USAGE)
    return usable


def _judge_all(
    catalog: Catalog, spec: ModelSpec, usable: Graded, *, samples: int, jobs: int
) -> list[Judged]:
    """The judge's grades of each session, ``jobs`` at a time, with a progress bar."""
    from interviewer.grading.calibration import human as agree

    score = _scorer(catalog, spec, samples)
    sessions = len({t.id for t, _ in usable})
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=err, transient=False,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"Grading with {spec.model}", total=sessions)
        return agree.judge_graded(usable, score, jobs=jobs, on_done=lambda: progress.advance(task))


def _scorer(catalog: Catalog, spec: ModelSpec, samples: int) -> Callable[[Transcript], Scorecard]:
    """Grade one session as real scoring does, with one model client per worker thread."""
    from interviewer.grading.judge import grade
    from interviewer.interview.start import reopen
    from interviewer.models import make_model

    local = threading.local()

    def score(t: Transcript) -> Scorecard:
        # Judged as real scoring judges it: the round as the session ran it, its files.
        model = getattr(local, "model", None) or make_model(spec)
        local.model = model
        interview = reopen(catalog, t, warn)
        return grade(
            model, interview.round.item, interview.transcript, interview.references,
            samples=samples,
        )  # fmt: skip

    return score


def _show_agreement(figures: dict[str, Any], name: str) -> None:
    """One person's agreement with the judge: a sentence, then per dimension."""
    from interviewer.grading.calibration import human as agree

    out.print(Text(agree.sentence(figures), style="bold"), markup=False, highlight=False)
    table = Table(title=f"per dimension, against {name}", title_justify="left")
    for column in ("dimension", "n", "kappa", "exact", "leniency"):
        table.add_column(column, justify="left" if column == "dimension" else "right")
    for row in agree.dimension_rows(figures):
        table.add_row(*row)
    if figures["dimensions"]:
        out.print(table)
    counted = agree.apart(figures)
    if counted:
        out.print(Text(counted, style="dim"), markup=False, highlight=False)
