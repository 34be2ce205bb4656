"""A long, resumable run of model calls (calibrate, rehearse): one progress bar, one way to end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from interviewer.cli.app import err, fail
from interviewer.errors import EXIT_CHECKS_FAILED, EXIT_INTERRUPTED, EXIT_MODEL

R = TypeVar("R")


def run_with_bar(
    description: str,
    *,
    total: int,
    pending: int,
    where: str,
    noun: str,
    run: Callable[[Callable[[R], None]], list[R]],
    failed: Callable[[R], bool],
    saved: Callable[[], list[R]],
) -> tuple[list[R], bool]:
    """Every result on file, and whether Ctrl-C cut the run short (what arrived is on
    file either way, read back by ``saved``, for a partial report). ``run`` is called with
    the callback that counts each result as it arrives."""
    if pending < total:
        err.print(
            Text(f"Resuming: {total - pending} of {total} {noun} already in {where}", style="dim")
        )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[dim]{task.fields[failed]} failed"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(description, total=total, completed=total - pending, failed=0)
        count = 0

        def arrived(result: R) -> None:
            nonlocal count
            count += failed(result)
            progress.update(task, advance=1, failed=count)

        try:
            return run(arrived), False
        except KeyboardInterrupt:
            progress.stop()
            return saved(), True


def end_run(
    results: Sequence[Any], *, stopped: bool, noun: str, where: str, calls: str, failed: bool
) -> None:
    """Exit as the run ended. Interrupted: say how to go on (exit 130). Every result an
    error: say why, from the first reason given (``calls``: what failed, "request to the
    judge"). A failing verdict (``failed``): exit 1. Else return."""
    if stopped:
        err.print(
            f"Interrupted: {len(results)} {noun} are saved in {where}; run the same command "
            "to continue where it stopped.",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if results and all(r.status == "error" for r in results):
        reason = next((r.reason for r in results if r.reason), "no reason given")
        fail(f"every {calls} failed: {reason}", EXIT_MODEL)
    if failed:
        raise typer.Exit(EXIT_CHECKS_FAILED)
