"""The calibrate command: measure a judge against a gold set, resumably, with a report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from interviewer.cli.app import err, fail, out
from interviewer.cli.flow import JUDGE_EXAMPLE, flag_settings, serving, start_preload
from interviewer.cli.options import (
    DirOpt,
    JudgeApiBaseOpt,
    JudgeOpt,
    JudgeSamplesOpt,
    UserDirOpt,
)
from interviewer.config.settings import Settings
from interviewer.errors import (
    EXIT_CHECKS_FAILED,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_USAGE,
    UserError,
)
from interviewer.store.transcripts import write_atomic

commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
def calibrate(
    ctx: typer.Context,
    judge_model: JudgeOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help="Your own gold set (JSON Lines; see docs/judge.md). Default: the shipped one.",
            show_default=False,
        ),
    ] = None,
    repeats: Annotated[
        int, typer.Option("--repeats", min=1, max=10, help="Grade each item this many times.")
    ] = 1,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=32, help="Requests in flight at once.")
    ] = 4,
    judge_samples: JudgeSamplesOpt = 1,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help="Grade about N items, spread over every round and kind (a quick look; "
            "no verdict below 30 graded items).",
            show_default=False,
        ),
    ] = None,
    timeout_s: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=1,
            max=3600,
            help="Seconds each request to the judge may take before it is retried "
            "(default: timeout_s, 120). A small local model on a CPU may need 600.",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the JSON and HTML reports (default: beside the results).",
            show_default=False,
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Discard this judge's earlier results and start over.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap intervals.")] = 0,
    human: Annotated[
        bool,
        typer.Option(
            "--human",
            help="Against your own graded sessions ('interviewer grade ID'), not a gold set: "
            "how far the judge agrees with each person who graded them.",
        ),
    ] = False,
    grader: Annotated[
        str | None,
        typer.Option(
            "--grader", "-g", help="With --human: only this person's grades.", show_default=False
        ),
    ] = None,
    transcripts_dir: DirOpt = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Measure how far a judge model can be trusted, against reference grades.

    Shows first a verdict, pass or fail, with the thresholds it applied and each failing
    figure marked; then quadratic weighted kappa (primary), Spearman, agreement, leniency,
    the confusion matrix, ordering within a scenario, test-retest spread, manipulation
    lift, degenerate answers at the floor, nulls and failed replies (each counted apart),
    each with a 95% bootstrap interval, and agreement per round. Results are saved as they
    arrive: an interrupted run writes a partial report and continues where it stopped when
    run again. Exits with 1 when the verdict is fail.

    With --human, the judge grades your sessions that a person graded, and the agreement
    with that person is shown instead: kappa, exact agreement and per dimension, with n.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.grading.calibration.gold import load_gold, sample
    from interviewer.grading.calibration.report import summarise
    from interviewer.grading.calibration.run import Calibration, results_path
    from interviewer.models import make_model
    from interviewer.models.choice import choose

    # Only the judge is called: a judge named on the command line stands in for the
    # interviewer too, so no interviewer model needs configuring.
    settings = flag_settings(
        ctx.params, model=judge_model, api_base=judge_api_base if judge_model else None
    )
    if grader is not None and not human:
        fail("--grader goes with --human: interviewer calibrate --human --grader NAME", EXIT_USAGE)
    if human:
        unused = [
            name
            for name, given in (
                ("--gold", gold is not None), ("--limit", limit is not None),
                ("--repeats", repeats != 1), ("--out", out_dir is not None), ("--fresh", fresh),
            )
            if given
        ]  # fmt: skip
        if unused:
            fail(f"{', '.join(unused)}: for a gold set, not for --human", EXIT_USAGE)
        _calibrate_human(settings, grader, judge_samples, jobs, seed)
        return
    gold_set = load_gold(gold)
    if limit is not None:
        gold_set = gold_set.model_copy(update={"items": sample(gold_set.items, limit)})
    catalog = Catalog(settings.user_dir)
    rounds = {r: catalog.round(r).item for r in sorted({i.round for i in gold_set.items})}
    choice = choose(settings)
    if choice.judge.is_scripted():  # nothing found to grade with: say so before any work
        fail(
            f"calibrate needs a judge model, and none was found; name one: interviewer "
            f"calibrate --judge-model MODEL ({JUDGE_EXAMPLE})",
            EXIT_USAGE,
        )
    start_preload(choice)
    with serving(choice, roles=("judge",)) as live:
        spec = live.judge
        info = spec.info()
        path = results_path(info, gold_set, judge_samples)
        if fresh and path.exists():
            path.unlink()
        run = Calibration(
            gold_set, rounds, lambda: make_model(spec), path,
            repeats=repeats, samples=judge_samples, jobs=jobs,
        )  # fmt: skip
        results, stopped = _run_with_progress(run, path, spec.model)
    report = summarise(
        gold_set, results, info, seed=seed, samples=judge_samples, limited=limit is not None,
        stopped=stopped,
    )  # fmt: skip
    out.print(verdict_block(report))
    out.print(report_table(report))
    folder = out_dir or path.parent.parent / "reports"
    _write_reports(report, folder, info, gold_set.name, limited=limit is not None)
    if stopped:
        err.print(
            f"Interrupted: {len(results)} results are saved in {path}; run the same command "
            "to continue where it stopped.",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if results and all(r.status == "error" for r in results):
        reason = next((r.reason for r in results if r.reason), "no reason given")
        fail(f"every request to the judge failed: {reason}", EXIT_MODEL)
    if report["verdict"]["result"] == "fail":
        raise typer.Exit(EXIT_CHECKS_FAILED)


def _calibrate_human(
    settings: Settings,
    grader: str | None,
    samples: int,
    jobs: int,
    seed: int,
) -> None:
    """The judge against the person who graded the user's sessions."""
    import threading

    from interviewer.catalog.library import Catalog
    from interviewer.cli.app import warn
    from interviewer.formats.transcript import Scorecard, Transcript
    from interviewer.grading.calibration import human as agree
    from interviewer.grading.human import human_graded
    from interviewer.grading.judge import grade
    from interviewer.interview.start import reopen
    from interviewer.models import make_model
    from interviewer.models.choice import choose
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
    choice = choose(settings)
    if choice.judge.is_scripted():
        fail(
            f"calibrate needs a judge model, and none was found; name one: interviewer "
            f"calibrate --human --judge-model MODEL ({JUDGE_EXAMPLE})",
            EXIT_USAGE,
        )
    catalog = Catalog(settings.user_dir)
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
    start_preload(choice)
    with serving(choice, roles=("judge",)) as live:
        spec = live.judge
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

        sessions = len({t.id for t, _ in usable})
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            console=err, transient=False,
        ) as progress:  # fmt: skip
            task = progress.add_task(f"Grading with {spec.model}", total=sessions)
            judged = agree.judge_graded(
                usable, score, jobs=jobs, on_done=lambda: progress.advance(task)
            )
    for name in agree.graders(judged):
        figures = agree.agreement(judged, name, seed=seed)
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
    if all(j.judge is None for j in judged):
        reason = next((j.reason for j in judged if j.reason), "no reason given")
        fail(f"every request to the judge failed: {reason}", EXIT_MODEL)


def _run_with_progress(run: Any, path: Path, model: str) -> tuple[list[Any], str | None]:
    """Every result on file, and "interrupted" when Ctrl-C cut the run short (what arrived
    is on file either way, for a partial report)."""
    from interviewer.grading.calibration.run import latest, read_results

    done_before = read_results(path)
    todo = run.pending(done_before)
    total = len(run.gold.items) * run.repeats
    if len(todo) < total:
        err.print(
            Text(f"Resuming: {total - len(todo)} of {total} results already in {path}", style="dim")
        )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[dim]{task.fields[failed]} failed"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(
            f"Grading with {model}", total=total, completed=total - len(todo), failed=0
        )
        failed = 0

        def arrived(result: Any) -> None:
            nonlocal failed
            failed += result.status != "scored"
            progress.update(task, advance=1, failed=failed)

        try:
            return run.run(on_result=arrived), None
        except KeyboardInterrupt:
            progress.stop()
            return latest(read_results(path)), "interrupted"


def verdict_block(report: dict[str, Any]) -> Table:
    """The verdict first, then each check with its threshold, failing ones marked."""
    from interviewer.grading.calibration.verdict import headline, said

    result = report["verdict"]["result"]
    style = {"pass": "bold green", "fail": "bold red"}.get(result, "bold yellow")
    grid = Table.grid(padding=(0, 1))
    grid.add_row(Text(f"Verdict: {headline(report)}", style=style))
    for check in report["verdict"]["checks"]:
        mark = ("✓", "green") if check["passed"] else ("✗", "red")
        grid.add_row(Text.assemble("  ", mark, " ", said(check)))
    return grid


def report_table(report: dict[str, Any]) -> Table:
    from interviewer.grading.calibration.report import headline, round_rows, rows

    table = Table(title=headline(report), title_justify="left", header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("n", justify="right")
    table.add_column("")
    for label, value, ci, n, mark in rows(report):
        style = "red" if mark == "✗" else None
        table.add_row(
            label, value, ci, n, Text(mark, style="red" if mark == "✗" else "green"), style=style
        )
    per_round = Table(title="per round, graded transcripts", title_justify="left")
    per_round.add_column("round", overflow="fold")
    for name in ("items", "kappa", "95% interval", "exact", "leniency", "null", "failed"):
        per_round.add_column(name, justify="right")
    for row in round_rows(report):
        per_round.add_row(*row)
    matrix = Table(title="reference (rows) by judged grade", title_justify="left")
    matrix.add_column("")
    for label in ["1", "2", "3", "4", "5", "n/a"]:
        matrix.add_column(label, justify="right")
    for grade, row in enumerate(report["confusion"], start=1):
        matrix.add_row(str(grade), *[str(v) for v in row])
    grid = Table.grid(padding=(1, 0))
    grid.add_row(table)
    if len(report["rounds"]) > 1:
        grid.add_row(per_round)
    grid.add_row(matrix)
    notes = []
    if report["without_reference"]:
        notes.append(
            f"{report['without_reference']} item(s) name no opening: the judge graded them "
            "without a scenario or reference, unlike real scoring."
        )
    if report["errors"]:
        notes.append(f"{report['errors']} request(s) failed; rerun to retry them.")
    timed_out = report.get("timed_out", 0)
    if timed_out:
        notes.append(
            f"{timed_out} request(s) timed out: give a slow judge longer with --timeout 600 "
            "(and fewer requests at once, --jobs 1)."
        )
    notes.append("Per dimension, and lifts by wording and position: in the HTML and JSON report.")
    for note in notes:
        grid.add_row(Text(note, "yellow" if "failed" in note or "opening" in note else "dim"))
    return grid


def _write_reports(
    report: dict[str, Any], folder: Path, info: Any, gold_name: str, *, limited: bool = False
) -> None:
    from interviewer.grading.calibration.record import MIN_ITEMS, LastResult, judge_key, save_last
    from interviewer.grading.calibration.verdict import no_verdict_because, short
    from interviewer.review.calibration import report_html

    complete = not report["stopped"] and report["items"] == report["of_items"]
    complete = complete and not report["errors"]
    # A partial report never overwrites the last complete one, which the record points at.
    stem = f"{judge_key(info)}-{gold_name.replace(' ', '-')}{'' if complete else '-partial'}"
    json_path, html_path = folder / f"{stem}.json", folder / f"{stem}.html"
    write_atomic(json_path, json.dumps(report, indent=2) + "\n")
    write_atomic(html_path, report_html(report))
    verdict = report["verdict"]
    if complete:
        save_last(
            LastResult(
                judge=info,
                gold=gold_name,
                kappa=report["kappa"]["value"],
                n=report["graded_items"],
                verdict=None if verdict["result"] == "none" else verdict["result"],
                failing=[short(c) for c in verdict["checks"] if not c["passed"]],
                report=str(html_path),
                measured_at=report["measured_at"],
            )
        )
    out.print(Text(f"Report: {html_path}\nData:   {json_path}", style="dim"))
    if not complete:
        out.print(
            Text(f"Not saved as this judge's calibration: {no_verdict_because(report)}.", "yellow"),
            soft_wrap=False,
        )
    elif report["graded_items"] < MIN_ITEMS:
        fix = (
            "run it without --limit for one"
            if limited
            else f"a gold set needs at least {MIN_ITEMS} graded items (the shipped one has)"
        )
        out.print(
            Text(
                f"Too small to count as this judge's calibration: {report['graded_items']} "
                f"graded items, fewer than {MIN_ITEMS}; {fix}.",
                "yellow",
            ),
            soft_wrap=False,
        )
