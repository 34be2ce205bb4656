"""A long, resumable run of model calls shown as one progress bar (calibrate, rehearse)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from interviewer.cli.app import err

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
