"""The calibrate command: measure a judge against a gold set, resumably, with a report.

Against a person's own grades (``--human``) the run is in ``calibrate_human``; what a gold
set's run shows and writes is in ``calibrate_report``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interviewer.cli.app import fail
from interviewer.cli.options import (
    DirOpt,
    JudgeApiBaseOpt,
    JudgeOpt,
    JudgeSamplesOpt,
    UserDirOpt,
)
from interviewer.errors import EXIT_USAGE

if TYPE_CHECKING:  # the command imports its machinery when it runs: --help stays light
    from interviewer.config.settings import Settings
    from interviewer.formats.rounds import Round
    from interviewer.grading.calibration.gold import GoldSet
    from interviewer.models.choice import Choice

commands = typer.Typer(rich_markup_mode="rich")

# The command's own options, named here so that its signature reads as a list of them.
GoldOpt = Annotated[
    Path | None,
    typer.Option(
        "--gold",
        help="Your own gold set (JSON Lines; see docs/judge.md). Default: the shipped one.",
        show_default=False,
    ),
]
RepeatsOpt = Annotated[
    int, typer.Option("--repeats", min=1, max=10, help="Grade each item this many times.")
]
JobsOpt = Annotated[
    int, typer.Option("--jobs", "-j", min=1, max=32, help="Requests in flight at once.")
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        help="Grade about N items, spread over every round and kind (a quick look; "
        "no verdict below 30 graded items).",
        show_default=False,
    ),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=1,
        max=3600,
        help="Seconds each request to the judge may take before it is retried "
        "(default: timeout_s, 120). A small local model on a CPU may need 600.",
        show_default=False,
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Folder for the JSON and HTML reports (default: beside the results).",
        show_default=False,
    ),
]
FreshOpt = Annotated[
    bool, typer.Option("--fresh", help="Discard this judge's earlier results and start over.")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the bootstrap intervals.")]
HumanOpt = Annotated[
    bool,
    typer.Option(
        "--human",
        help="Against your own graded sessions ('interviewer grade ID'), not a gold set: "
        "how far the judge agrees with each person who graded them.",
    ),
]
GraderOpt = Annotated[
    str | None,
    typer.Option(
        "--grader", "-g", help="With --human: only this person's grades.", show_default=False
    ),
]


@commands.command()
def calibrate(
    ctx: typer.Context,
    judge_model: JudgeOpt = None,
    judge_api_base: JudgeApiBaseOpt = None,
    gold: GoldOpt = None,
    repeats: RepeatsOpt = 1,
    jobs: JobsOpt = 4,
    judge_samples: JudgeSamplesOpt = 1,
    limit: LimitOpt = None,
    timeout_s: TimeoutOpt = None,
    out_dir: OutOpt = None,
    fresh: FreshOpt = False,
    seed: SeedOpt = 0,
    human: HumanOpt = False,
    grader: GraderOpt = None,
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
    from interviewer.cli.options import flag_settings

    # Only the judge is called: named here, it stands in for the interviewer model too.
    base = judge_api_base if judge_model else None
    settings = flag_settings(ctx.params, model=judge_model, api_base=base)
    if grader is not None and not human:
        fail("--grader goes with --human: interviewer calibrate --human --grader NAME", EXIT_USAGE)
    if human:
        _refuse_gold_flags(gold=gold, limit=limit, repeats=repeats, out_dir=out_dir, fresh=fresh)
        _against_people(settings, grader, judge_samples, jobs, seed)
        return
    gold_set = _gold_set(gold, limit)
    rounds = _rounds_of(settings, gold_set)
    choice = _judge_choice(settings, "")
    _against_gold(
        choice, gold_set, rounds, out_dir=out_dir, repeats=repeats, samples=judge_samples,
        jobs=jobs, fresh=fresh, seed=seed, limited=limit is not None,
    )  # fmt: skip


def _against_people(
    settings: Settings, grader: str | None, samples: int, jobs: int, seed: int
) -> None:
    from interviewer.cli import calibrate_human

    graded = calibrate_human.graded_sessions(settings, grader)  # none: said before the judge
    choice = _judge_choice(settings, "--human ")
    calibrate_human.against_people(settings, choice, graded, samples, jobs, seed)


def _refuse_gold_flags(
    *, gold: Path | None, limit: int | None, repeats: int, out_dir: Path | None, fresh: bool
) -> None:
    """A gold set's options given with --human would be silently ignored: refuse them."""
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


def _gold_set(gold: Path | None, limit: int | None) -> GoldSet:
    """The gold set to grade: the user's or the shipped one, sampled to about ``limit``."""
    from interviewer.grading.calibration.gold import load_gold, sample

    gold_set = load_gold(gold)
    if limit is not None:
        gold_set = gold_set.model_copy(update={"items": sample(gold_set.items, limit)})
    return gold_set


def _rounds_of(settings: Settings, gold_set: GoldSet) -> dict[str, Round]:
    """The rounds the gold set's items name, each read once (one missing is an error)."""
    from interviewer.catalog.library import Catalog

    catalog = Catalog(settings.user_dir)
    return {r: catalog.round(r).item for r in sorted({i.round for i in gold_set.items})}


def _judge_choice(settings: Settings, how: str) -> Choice:
    """The models the settings choose, refused before any work when no judge was found
    (a scripted judge grades nothing). ``how``: the flags the fix repeats (``--human ``)."""
    from interviewer.cli.flow import JUDGE_EXAMPLE
    from interviewer.models.choice import choose

    choice = choose(settings)
    if choice.judge.is_scripted():
        fail(
            f"calibrate needs a judge model, and none was found; name one: interviewer "
            f"calibrate {how}--judge-model MODEL ({JUDGE_EXAMPLE})",
            EXIT_USAGE,
        )
    return choice


def _against_gold(
    choice: Choice, gold_set: GoldSet, rounds: dict[str, Round], *, out_dir: Path | None,
    repeats: int, samples: int, jobs: int, fresh: bool, seed: int, limited: bool,
) -> None:  # fmt: skip
    """Grade the gold set (resuming what is on file), show and write the report, and exit
    as it ends: interrupted, every request failed, or the verdict failed."""
    from interviewer.cli import calibrate_report
    from interviewer.cli.run_bar import end_run
    from interviewer.cli.serving import serving, start_preload
    from interviewer.grading.calibration.report import summarise
    from interviewer.grading.calibration.run import Calibration, results_path
    from interviewer.models import make_model

    start_preload(choice)
    with serving(choice, roles=("judge",)) as live:
        spec = live.judge
        info = spec.info()
        path = results_path(info, gold_set, samples)
        if fresh and path.exists():
            path.unlink()
        run = Calibration(
            gold_set, rounds, lambda: make_model(spec), path,
            repeats=repeats, samples=samples, jobs=jobs,
        )  # fmt: skip
        results, stopped = _run_with_progress(run, path, spec.model)
    report = summarise(
        gold_set, results, info, seed=seed, samples=samples, limited=limited, stopped=stopped
    )
    calibrate_report.show(report)
    folder = out_dir or path.parent.parent / "reports"
    calibrate_report.write_reports(report, folder, info, gold_set.name, limited=limited)
    end_run(
        results, stopped=bool(stopped), noun="results", where=str(path),
        calls="request to the judge", failed=report["verdict"]["result"] == "fail",
    )  # fmt: skip


def _run_with_progress(run: Any, path: Path, model: str) -> tuple[list[Any], str | None]:
    """Every result on file, and "interrupted" when Ctrl-C cut the run short."""
    from interviewer.cli.run_bar import run_with_bar
    from interviewer.grading.calibration.run import latest, read_results

    results, stopped = run_with_bar(
        f"Grading with {model}",
        total=len(run.gold.items) * run.repeats,
        pending=len(run.pending(read_results(path))),
        where=str(path),
        noun="results",
        run=lambda arrived: run.run(on_result=arrived),
        failed=lambda result: result.status != "scored",
        saved=lambda: latest(read_results(path)),
    )
    return results, "interrupted" if stopped else None
