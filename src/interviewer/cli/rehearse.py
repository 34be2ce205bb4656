"""The rehearse command: measure an interviewer with simulated candidates, resumably, with a report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from interviewer.cli.app import err, fail, out
from interviewer.cli.flow import flag_settings, serving, start_preload
from interviewer.cli.options import ApiBaseOpt, LevelOpt, ModelOpt, UserDirOpt
from interviewer.errors import EXIT_CHECKS_FAILED, EXIT_INTERRUPTED, EXIT_MODEL, EXIT_USAGE
from interviewer.store.transcripts import write_atomic

commands = typer.Typer(rich_markup_mode="rich")


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


@commands.command()
def rehearse(
    ctx: typer.Context,
    model: ModelOpt = None,
    api_base: ApiBaseOpt = None,
    rounds: Annotated[
        str | None,
        typer.Option(
            "--rounds",
            "-r",
            help="Rounds to run, comma-separated (default: every round).",
            show_default=False,
        ),
    ] = None,
    candidates: Annotated[
        str | None,
        typer.Option(
            "--candidates",
            "-c",
            help="Simulated candidates, comma-separated: strong, weak, terse, "
            "shorthand, hedged, dont-know, clarifying, skip-words, code, derivation, off-topic, "
            "long, curious, vague-asker (default: all).",
            show_default=False,
        ),
    ] = None,
    candidates_file: Annotated[
        Path | None,
        typer.Option(
            "--cast",
            help="Your own simulated candidates: a TOML file shaped like the shipped set.",
            show_default=False,
        ),
    ] = None,
    every_opening: Annotated[
        bool,
        typer.Option(
            "--every-opening",
            help="Run each candidate on every scenario of each "
            "round, not one each (slower; checks every scenario).",
        ),
    ] = False,
    level: LevelOpt = None,
    track: Annotated[
        str | None,
        typer.Option(
            "--track", help="Run the rounds as this track weighs them.", show_default=False
        ),
    ] = None,
    pace: Annotated[
        float,
        typer.Option(
            "--pace",
            metavar="SCALE",
            help="Scale every candidate's time per answer, 0.1 to 10 (2 = twice as slow; the "
            "strong candidate takes 150 s an answer at 1).",
        ),
    ] = 1.0,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=32, metavar="N", help="Sessions at once, 1 to 32.")] = 4,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            metavar="N",
            help="Run at most N sessions (a quick look; no verdict below 20).",
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Discard this interviewer's earlier results first.")
    ] = False,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the scenario turn and intervals.")
    ] = 0,
    user_dir: UserDirOpt = None,
) -> None:
    """Measure an interviewer with simulated candidates: does it listen, keep time and stay clean?

    What [bold]calibrate[/] does for the judge, this does for the interviewer. Simulated candidates (strong, weak, terse, shorthand, hedged, "I don't know",
    clarifying questions, metrics that start with "skip" or "pass", code, derivations,
    off-topic, long) go through real sessions of every round at a set pace, with the
    interviewer you name (a hosted model, a local server, [bold]local[/] or
    [bold]scripted[/]). Each session is measured from its transcript and screen:
    dimensions asked before the wrap-up, covered areas asked again, probes chosen from the
    answer or asking for what was just said, twists followed up, footholds after "I don't
    know", hidden text shown, replies that speak as the candidate, answer their own
    question, narrate or refuse, answers misrouted, first-word latency. Shows a verdict
    with each figure's bar and 95% interval, per round and overall; results are saved as
    they arrive, and an interrupted run continues where it stopped. Exits with 1 when the
    verdict is fail.
    """
    from interviewer.catalog.library import Catalog
    from interviewer.formats.levels import DEFAULT_LEVEL
    from interviewer.grading.calibration.record import results_dir
    from interviewer.models import make_model
    from interviewer.models.choice import choose
    from interviewer.rehearsal.candidates import load_candidates
    from interviewer.rehearsal.report import summarise
    from interviewer.rehearsal.run import Rehearsal, plan_jobs, run_key

    if not 0.1 <= pace <= 10:
        fail(
            f"--pace {pace}: give a scale from 0.1 to 10 (1 is each candidate's own pace)",
            EXIT_USAGE,
        )
    settings = flag_settings(ctx.params, model=model, api_base=api_base)
    catalog = Catalog(settings.user_dir)
    names = _names(rounds) or [e.item.id for e in catalog.rounds()]
    chosen_rounds = [catalog.round(n).item.for_track(track) for n in names]
    candidate_set, candidates_sha = load_candidates(candidates_file)
    specs = candidate_set.named(_names(candidates))
    plan = plan_jobs(chosen_rounds, specs, every_opening=every_opening, seed=seed)
    if not plan:
        fail(
            "no simulated candidate fits these rounds; drop --candidates or add rounds", EXIT_USAGE
        )
    plan = plan[:limit] if limit else plan
    level_ = level or DEFAULT_LEVEL
    choice = choose(settings)
    start_preload(choice)
    with serving(choice, roles=("interviewer",)) as live:
        spec = live.interviewer
        info = spec.info()
        run_settings = f"{level_.value}|{track}|{pace}|{seed}|{every_opening}"
        key = run_key(info, candidates_sha, chosen_rounds, run_settings)
        folder = results_dir() / "rehearsals" / f"{_slug(info.model)}-{key}"
        if fresh and (folder / "results.jsonl").exists():
            (folder / "results.jsonl").unlink()
        make = None if spec.is_scripted() else (lambda: make_model(spec))
        run = Rehearsal(
            catalog, candidate_set, plan, make, info, folder,
            level=level_, track=track, pace_scale=pace, jobs=jobs,
        )  # fmt: skip
        results, stopped = _run_with_progress(run, spec.model)
    report = summarise(
        results, info.model, planned=len(plan), seed=seed, stopped=stopped,
        settings={"level": level_.value, "track": track, "pace": pace, "jobs": jobs,
                  "every_opening": every_opening, "transcripts": str(folder / "transcripts")},
    )  # fmt: skip
    _show(report, as_json)
    _write_reports(report, out_dir or folder, as_json)
    _exit(report, results, stopped, folder)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in name)[:40]


def _run_with_progress(run: Any, model: str) -> tuple[list[Any], bool]:
    """Every result on file, and whether Ctrl-C cut the run short."""
    from interviewer.rehearsal.run import latest, read_results

    todo = run.pending(read_results(run.path))
    total = len(run.plan)
    if len(todo) < total:
        err.print(Text(f"Resuming: {total - len(todo)} of {total} sessions already in {run.path}",
                       style="dim"))  # fmt: skip
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[dim]{task.fields[failed]} failed"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(
            f"Rehearsing {model}", total=total, completed=total - len(todo), failed=0
        )
        failed = 0

        def arrived(result: Any) -> None:
            nonlocal failed
            failed += result.status != "done"
            progress.update(task, advance=1, failed=failed)

        try:
            return [r for r in run.run(on_result=arrived) if r.key in _keys(run)], False
        except KeyboardInterrupt:
            progress.stop()
            return [r for r in latest(read_results(run.path)) if r.key in _keys(run)], True


def _keys(run: Any) -> set[str]:
    return {job.key for job in run.plan}


def _show(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report))
        return
    from interviewer.rehearsal.report import headline, interval, said, share

    result = report["verdict"]["result"]
    style = {"pass": "bold green", "fail": "bold red"}.get(result, "bold yellow")
    out.print(Text(f"Verdict: {headline(report)}", style=style))
    for check in report["verdict"]["checks"]:
        mark = ("✓", "green") if check["passed"] else ("✗", "red")
        out.print(Text.assemble("  ", mark, " ", said(check)), soft_wrap=True)
    table = Table(
        title="per round: sessions, every dimension asked, covered areas asked again, probes "
        "from the answer, twists followed up, hidden text shown, answers misread",
        title_justify="left",
        header_style="bold",
    )
    table.add_column("round", overflow="fold")
    for name in ("n", "dims", "again", "probed", "twist", "hidden", "misread"):
        table.add_column(name, justify="right")
    cols = ("dimensions", "asked_again", "from_answer", "twist", "hidden", "misrouted")
    for name, figs in report["rounds"].items():
        values = [share(figs["figures"][c]["value"]) for c in cols]
        table.add_row(name, str(figs["sessions"]), *values)
    out.print(table)
    latency = report["first_word_ms"]
    if latency["n"]:
        out.print(
            Text(
                f"First word: median {latency['median']:.0f} ms, 90th percentile "
                f"{latency['p90']:.0f} ms over {latency['n']} replies.",
                style="dim",
            )
        )
    guarded = report["figures"]["guarded"]
    out.print(Text(f"The guard cut or replaced {share(guarded['value'])} of replies "
                   f"({interval(guarded)}).", style="dim"))  # fmt: skip
    for line in report["misroutes"][:5]:
        out.print(Text(f"misrouted: {line}", style="dim"), markup=False, highlight=False)


def _write_reports(report: dict[str, Any], folder: Path, as_json: bool) -> None:
    from interviewer.cli.rehearse_html import report_html

    folder.mkdir(parents=True, exist_ok=True)
    partial = "" if report["verdict"]["result"] != "none" else "-partial"
    json_path, html_path = folder / f"report{partial}.json", folder / f"report{partial}.html"
    write_atomic(json_path, json.dumps(report, indent=2) + "\n")
    write_atomic(html_path, report_html(report))
    target = err if as_json else out
    target.print(Text(f"Report: {html_path}\nData:   {json_path}\nTranscripts: "
                      f"{report['settings']['transcripts']}", style="dim"))  # fmt: skip


def _exit(report: dict[str, Any], results: list[Any], stopped: bool, folder: Path) -> None:
    if stopped:
        err.print(
            f"Interrupted: {len(results)} sessions are saved in {folder}; run the same "
            "command to continue where it stopped.",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if results and all(r.status == "error" for r in results):
        reason = next((r.reason for r in results if r.reason), "no reason given")
        fail(f"every session failed: {reason}", EXIT_MODEL)
    if report["verdict"]["result"] == "fail":
        raise typer.Exit(EXIT_CHECKS_FAILED)
