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
from interviewer.cli.flow import JUDGE_EXAMPLE, serving, start_preload
from interviewer.cli.options import (
    JudgeApiBaseOpt,
    JudgeOpt,
    JudgeSamplesOpt,
    UserDirOpt,
)
from interviewer.config.settings import load_settings
from interviewer.errors import EXIT_CHECKS_FAILED, EXIT_INTERRUPTED, EXIT_MODEL, EXIT_USAGE
from interviewer.store.transcripts import write_atomic

commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
def calibrate(
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
    """
    from interviewer.catalog.library import Catalog
    from interviewer.grading.calibration.gold import load_gold, sample
    from interviewer.grading.calibration.report import summarise
    from interviewer.grading.calibration.run import Calibration, results_path
    from interviewer.models import make_model
    from interviewer.models.choice import choose

    # Only the judge is called: a judge named on the command line stands in for the
    # interviewer too, so no interviewer model needs configuring.
    settings = load_settings(
        model=judge_model,
        api_base=judge_api_base if judge_model else None,
        judge_model=judge_model,
        judge_api_base=judge_api_base,
        user_dir=user_dir,
        timeout_s=timeout_s,
    )
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
