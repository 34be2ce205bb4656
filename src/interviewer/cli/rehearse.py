"""The rehearse command: measure an interviewer with simulated candidates, resumably, with a report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from interviewer.cli.app import err, fail, out
from interviewer.cli.options import ApiBaseOpt, LevelOpt, ModelOpt, TrackOpt, UserDirOpt
from interviewer.errors import EXIT_USAGE

if TYPE_CHECKING:  # annotations only: the command imports its machinery when it runs,
    # so that its --help costs what the bare Typer app's does
    from interviewer.catalog.library import Catalog
    from interviewer.config.settings import Settings
    from interviewer.formats.levels import Level
    from interviewer.formats.rounds import Round
    from interviewer.models.interface import ModelSpec
    from interviewer.rehearsal.candidates import CandidateSet
    from interviewer.rehearsal.run import Job, Rehearsal

commands = typer.Typer(rich_markup_mode="rich")

RoundsOpt = Annotated[
    str | None,
    typer.Option(
        "--rounds", "-r", help="Rounds to run, comma-separated (default: every round).",
        show_default=False,
    ),
]  # fmt: skip
CandidatesOpt = Annotated[
    str | None,
    typer.Option(
        "--candidates", "-c", show_default=False,
        help="Simulated candidates, comma-separated: strong, weak, terse, shorthand, hedged, "
        "dont-know, clarifying, skip-words, code, derivation, off-topic, long, curious, "
        "vague-asker (default: all).",
    ),
]  # fmt: skip
CastOpt = Annotated[
    Path | None,
    typer.Option(
        "--cast", show_default=False,
        help="Your own simulated candidates: a TOML file shaped like the shipped set.",
    ),
]  # fmt: skip
EveryOpeningOpt = Annotated[
    bool,
    typer.Option(
        "--every-opening",
        help="Run each candidate on every scenario of each round, not one each (slower; "
        "checks every scenario).",
    ),
]
PaceOpt = Annotated[
    float,
    typer.Option(
        "--pace", metavar="SCALE",
        help="Scale every candidate's time per answer, 0.1 to 10 (2 = twice as slow; the "
        "strong candidate takes 150 s an answer at 1).",
    ),
]  # fmt: skip
JobsOpt = Annotated[
    int, typer.Option("--jobs", "-j", min=1, max=32, metavar="N", help="Sessions at once, 1 to 32.")
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit", min=1, metavar="N", show_default=False,
        help="Run about N sessions, spread over the rounds (a quick look; no verdict below 20).",
    ),
]  # fmt: skip
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", show_default=False,
        help="Folder for the JSON and HTML reports (default: beside the results).",
    ),
]  # fmt: skip
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]
FreshOpt = Annotated[
    bool, typer.Option("--fresh", help="Discard this interviewer's earlier results first.")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the scenario turn and intervals.")]


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


@commands.command()
def rehearse(
    ctx: typer.Context,
    model: ModelOpt = None,
    api_base: ApiBaseOpt = None,
    rounds: RoundsOpt = None,
    candidates: CandidatesOpt = None,
    cast: CastOpt = None,
    every_opening: EveryOpeningOpt = False,
    level: LevelOpt = None,
    track: TrackOpt = None,
    pace: PaceOpt = 1.0,
    jobs: JobsOpt = 4,
    limit: LimitOpt = None,
    out_dir: OutOpt = None,
    as_json: JsonOpt = False,
    fresh: FreshOpt = False,
    seed: SeedOpt = 0,
    user_dir: UserDirOpt = None,
) -> None:
    """Measure an interviewer with simulated candidates: does it listen, keep time and stay clean?

    What [bold]calibrate[/] does for the judge, this does for the interviewer. Simulated
    candidates (strong, weak, terse, shorthand, hedged, "I don't know", clarifying
    questions, metrics that start with "skip" or "pass", code, derivations, off-topic,
    long) go through real sessions of every round at a set pace, with the interviewer you
    name (a hosted model, a local server, [bold]local[/] or [bold]scripted[/]). Each
    session is measured from its transcript and screen: dimensions asked before the
    wrap-up, covered areas asked again, probes chosen from the answer or asking for what
    was just said, twists followed up, footholds after "I don't know", hidden text shown,
    replies that speak as the candidate, answer their own question, narrate or refuse,
    answers misrouted, first-word latency. Shows a verdict with each figure's bar and 95%
    interval, per round and overall; results are saved as they arrive, and an interrupted
    run continues where it stopped. Exits with 1 when the verdict is fail.
    """
    if not 0.1 <= pace <= 10:
        fail(f"--pace {pace}: give a scale from 0.1 to 10 (1 is each one's own pace)", EXIT_USAGE)
    from interviewer.cli.options import flag_settings
    from interviewer.formats.levels import DEFAULT_LEVEL

    settings = flag_settings(ctx.params, model=model, api_base=api_base)
    asked = Asked(level or DEFAULT_LEVEL, track, pace, jobs, seed, every_opening, fresh, as_json)
    _rehearse(settings, asked, _names(rounds), _names(candidates), cast, limit, out_dir)


@dataclass(frozen=True)
class Asked:
    """How the rehearsal runs, as the options asked."""

    level: Level
    track: str | None
    pace: float
    jobs: int
    seed: int
    every_opening: bool
    fresh: bool
    as_json: bool

    def key(self) -> str:
        """The settings that change the figures (a change is a new rehearsal)."""
        return f"{self.level.value}|{self.track}|{self.pace}|{self.seed}|{self.every_opening}"


def _rehearse(
    settings: Settings,
    asked: Asked,
    round_names: list[str],
    candidate_names: list[str],
    cast: Path | None,
    limit: int | None,
    out_dir: Path | None,
) -> None:
    from interviewer.catalog.library import Catalog
    from interviewer.cli.run_bar import end_run
    from interviewer.cli.serving import serving, start_preload
    from interviewer.models.choice import choose
    from interviewer.rehearsal.candidates import load_candidates
    from interviewer.rehearsal.report import summarise
    from interviewer.rehearsal.run import LoadedOnce, plan_jobs, spread

    catalog = LoadedOnce(Catalog(settings.user_dir))  # each round read once, sessions too
    names = round_names or [e.item.id for e in catalog.rounds()]
    rounds = [catalog.round(n).item.for_track(asked.track) for n in names]
    cast_set, cast_sha = load_candidates(cast)
    specs = cast_set.named(candidate_names)
    plan = plan_jobs(rounds, specs, every_opening=asked.every_opening, seed=asked.seed)
    if not plan:
        fail("no simulated candidate fits these rounds; name others with --candidates", EXIT_USAGE)
    plan = spread(plan, limit) if limit else plan
    choice = choose(settings)
    start_preload(choice)
    with serving(choice, roles=("interviewer",)) as live:
        run = _rehearsal(live.interviewer, catalog, cast_set, cast_sha, rounds, plan, asked)
        results, stopped = _run_with_progress(run, live.interviewer.model)
    folder = run.folder
    report = summarise(
        results, run.info.model, planned=len(plan), seed=asked.seed, stopped=stopped,
        settings={"level": asked.level.value, "track": asked.track, "pace": asked.pace,
                  "jobs": asked.jobs, "every_opening": asked.every_opening,
                  "transcripts": str(folder / "transcripts")},
    )  # fmt: skip
    _show(report, asked.as_json)
    _write_reports(report, out_dir or folder, asked.as_json)
    end_run(
        results, stopped=stopped, noun="sessions", where=str(folder), calls="session",
        failed=report["verdict"]["result"] == "fail",
    )  # fmt: skip


def _rehearsal(
    spec: ModelSpec,
    catalog: Catalog,
    cast: CandidateSet,
    cast_sha: str,
    rounds: list[Round],
    plan: list[Job],
    asked: Asked,
) -> Rehearsal:
    """The rehearsal, its results in a folder named for the interviewer and all that
    changes the figures, so a rerun resumes and a changed one starts afresh."""
    from interviewer.grading.calibration.record import results_dir
    from interviewer.models import make_model
    from interviewer.rehearsal.run import Rehearsal, run_key

    info = spec.info()
    key = run_key(info, cast_sha, rounds, asked.key())
    folder = results_dir() / "rehearsals" / f"{_slug(info.model)}-{key}"
    if asked.fresh and (folder / "results.jsonl").exists():
        (folder / "results.jsonl").unlink()
    make = None if spec.is_scripted() else (lambda: make_model(spec))
    return Rehearsal(
        catalog, cast, plan, make, info, folder,
        level=asked.level, track=asked.track, pace_scale=asked.pace, jobs=asked.jobs,
    )  # fmt: skip


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in name)[:40]


def _run_with_progress(run: Any, model: str) -> tuple[list[Any], bool]:
    """Every result of this rehearsal on file, and whether Ctrl-C cut the run short."""
    from interviewer.cli.run_bar import run_with_bar
    from interviewer.rehearsal.run import latest, read_results

    keys = _keys(run)
    results, stopped = run_with_bar(
        f"Rehearsing {model}",
        total=len(run.plan),
        pending=len(run.pending(read_results(run.path))),
        where=str(run.path),
        noun="sessions",
        run=lambda arrived: run.run(on_result=arrived),
        failed=lambda result: result.status != "done",
        saved=lambda: latest(read_results(run.path)),
    )
    return [r for r in results if r.key in keys], stopped


def _keys(run: Any) -> set[str]:
    return {job.key for job in run.plan}


def _show(report: dict[str, Any], as_json: bool) -> None:
    from rich.table import Table

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
    from interviewer.store.transcripts import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    partial = "" if report["verdict"]["result"] != "none" else "-partial"
    json_path, html_path = folder / f"report{partial}.json", folder / f"report{partial}.html"
    write_atomic(json_path, json.dumps(report, indent=2) + "\n")
    write_atomic(html_path, report_html(report))
    target = err if as_json else out
    target.print(Text(f"Report: {html_path}\nData:   {json_path}\nTranscripts: "
                      f"{report['settings']['transcripts']}", style="dim"))  # fmt: skip
