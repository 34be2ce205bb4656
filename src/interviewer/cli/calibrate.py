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
from interviewer.errors import EXIT_INTERRUPTED, EXIT_MODEL, EXIT_USAGE
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
            help="Grade only the first N items (a quick look).",
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

    Grades every transcript of a gold set and reports quadratic weighted kappa (primary),
    Spearman, agreement, leniency, the confusion matrix, ordering within a scenario,
    test-retest spread, manipulation lift, degenerate answers at the floor, and the share
    of verified quotes and failed replies, each with a 95% bootstrap interval. Results are
    saved as they arrive: an interrupted run continues where it stopped.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.grading.calibration.gold import load_gold
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
    )
    gold_set = load_gold(gold)
    if limit is not None:
        gold_set = gold_set.model_copy(update={"items": _first(gold_set.items, limit)})
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
        results = _run_with_progress(run, path, spec.model)
    report = summarise(gold_set, results, info, seed=seed, samples=judge_samples)
    out.print(report_table(report))
    folder = out_dir or path.parent.parent / "reports"
    _write_reports(report, folder, info, gold_set.name, limited=limit is not None)


def _first(items: list[Any], limit: int) -> list[Any]:
    """The first ``limit`` items, with the base items their variants point at."""
    chosen = items[:limit]
    ids = {i.id for i in chosen}
    bases = {i.base_id for i in chosen if i.base_id and i.base_id not in ids}
    return [i for i in items if i.id in ids or i.id in bases]


def _run_with_progress(run: Any, path: Path, model: str) -> list[Any]:
    from interviewer.grading.calibration.run import read_results

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
            results: list[Any] = run.run(on_result=arrived)
        except KeyboardInterrupt:
            progress.stop()
            kept = len(read_results(path))
            err.print(
                f"Interrupted: {kept} results are saved in {path}; run the same command to "
                "continue where it stopped.",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
    if results and all(r.status == "error" for r in results):
        reason = next((r.reason for r in results if r.reason), "no reason given")
        fail(f"every request to the judge failed: {reason}", EXIT_MODEL)
    return results


def report_table(report: dict[str, Any]) -> Table:
    from interviewer.grading.calibration.report import headline, rows

    table = Table(title=headline(report), title_justify="left", header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("n", justify="right")
    for label, value, ci, n in rows(report):
        table.add_row(label, value, ci, n)
    matrix = Table(title="reference (rows) by judged grade", title_justify="left")
    matrix.add_column("")
    for label in ["1", "2", "3", "4", "5", "n/a"]:
        matrix.add_column(label, justify="right")
    for grade, row in enumerate(report["confusion"], start=1):
        matrix.add_row(str(grade), *[str(v) for v in row])
    grid = Table.grid(padding=(1, 0))
    grid.add_row(table)
    grid.add_row(matrix)
    if report["errors"]:
        grid.add_row(Text(f"{report['errors']} request(s) failed; rerun to retry them.", "yellow"))
    return grid


def _write_reports(
    report: dict[str, Any], folder: Path, info: Any, gold_name: str, *, limited: bool = False
) -> None:
    from interviewer.grading.calibration.record import MIN_ITEMS, LastResult, judge_key, save_last
    from interviewer.review.calibration import report_html

    stem = f"{judge_key(info)}-{gold_name.replace(' ', '-')}"
    json_path, html_path = folder / f"{stem}.json", folder / f"{stem}.html"
    write_atomic(json_path, json.dumps(report, indent=2) + "\n")
    write_atomic(html_path, report_html(report))
    complete = report["items"] == report["of_items"] and not report["errors"]
    if complete:
        save_last(
            LastResult(
                judge=info,
                gold=gold_name,
                kappa=report["kappa"]["value"],
                n=report["graded_items"],
                report=str(html_path),
                measured_at=report["measured_at"],
            )
        )
    out.print(Text(f"Report: {html_path}\nData:   {json_path}", style="dim"))
    if not complete:
        out.print(Text("Not saved as this judge's calibration: the run is partial.", "yellow"))
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
