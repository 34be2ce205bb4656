"""Commands that show what is there: rounds, personas, loops, and checks of user files.

``rounds`` and ``personas`` list from ``catalog.listing``'s rows (no pydantic once the
files have been seen as they are), so this module imports the catalog and the formats
only inside the commands that need whole rounds: ``--help`` and the listings stay light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from interviewer.catalog import listing
from interviewer.catalog.validated import Row
from interviewer.cli.app import fail, out
from interviewer.cli.options import UserDirOpt
from interviewer.config.file import user_dir as user_folder
from interviewer.errors import EXIT_CHECKS_FAILED, EXIT_USAGE

if TYPE_CHECKING:
    from interviewer.catalog.checked import CleanNotes

commands = typer.Typer(rich_markup_mode="rich")
rounds_app = typer.Typer(
    help="List rounds and loops, or show one round's rubric.", invoke_without_command=True
)
commands.add_typer(rounds_app, name="rounds")


@rounds_app.callback()
def rounds(ctx: typer.Context, user_dir: UserDirOpt = None) -> None:
    """List the rounds and loops you can practise, one line each."""
    if ctx.invoked_subcommand is not None:
        return
    folder = user_folder(user_dir)
    table = Table(title="Rounds", title_justify="left", show_edge=False)
    table.add_column("round", style="bold cyan", no_wrap=True)
    table.add_column("min", justify="right")
    table.add_column("what it tests")
    for row, builtin in listing.rows("round", folder):
        mark = "" if builtin else " (yours)"
        table.add_row(Text(row["id"] + mark), str(row["minutes"]), Text(row["summary"]))
    out.print(table)
    loops = listing.rows("loop", folder)
    if loops:
        table = Table(title="\nLoops", title_justify="left", show_edge=False)
        table.add_column("loop", style="bold cyan", no_wrap=True)
        table.add_column("rounds")
        for row, _ in loops:
            names = ", ".join(
                name + ("*" if signature else "") for name, signature in row["rounds"]
            )
            table.add_row(Text(row["id"]), Text(names))
        out.print(table)
        out.print("[dim]* the track's signature round, weighted most in the debrief[/]")
    out.print(
        "\n[dim]Practise one: interviewer practice ROUND · details: interviewer rounds show ROUND[/]"
    )


@commands.command()
def personas(user_dir: UserDirOpt = None) -> None:
    """List the interviewer personas."""
    table = Table(show_edge=False)
    table.add_column("persona", style="bold cyan", no_wrap=True)
    table.add_column("who")
    table.add_column("style")
    for p, _ in listing.rows("persona", user_folder(user_dir)):
        table.add_row(Text(p["id"]), Text(f"{p['name']}, {p['title']}"), Text(p["summary"]))
    out.print(table)
    out.print("\n[dim]Choose one with: interviewer practice ROUND --persona NAME[/]")


@rounds_app.command("show")
def rounds_show(
    name: Annotated[str, typer.Argument(help="Round id, e.g. ml-system-design.")],
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            "-t",
            help="Show the round as this track runs it: its weights, follow-ups and bar.",
            show_default=False,
        ),
    ] = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Show a round's budget, areas, scenarios, dimensions and anchored levels."""
    path = listing.round_path(name, user_folder(user_dir))
    r = listing.detail(path, track)  # read through pydantic once, then from the cache
    budget = f" ({r['id']}) · {r['minutes']} min · up to {r['answers']} answers"
    out.print(Text.assemble((r["title"], "bold"), budget))
    out.print(Text(r["tests"]))
    _show_track(r, track)
    out.print(_areas(r))
    out.print(_scenarios(r))
    for dim in r["dimensions"]:
        out.print(Text(dim["description"]))
        out.print(_anchors(dim))


# Ids are folded onto a next line, never cut with "…": they are what one types.


def _areas(r: Row) -> Table:
    """Each area: its question and the dimensions it probes."""
    areas = Table(title="\nAreas", title_justify="left")
    areas.add_column("area", style="bold", overflow="fold")
    areas.add_column("question")
    areas.add_column("probes dimensions", overflow="fold")
    for topic_id, question, dimensions in r["areas"]:
        areas.add_row(topic_id, Text(question), ", ".join(dimensions))
    return areas


def _scenarios(r: Row) -> Table:
    """Each scenario by the id ``--opening`` takes, with its areas in order and any twist."""
    scenarios = Table(title="Scenarios (--opening ID)", title_justify="left")
    scenarios.add_column("id", style="bold", no_wrap=True)  # whole, for --opening ID
    scenarios.add_column("title")
    scenarios.add_column("areas, in order", overflow="fold")
    for opening_id, title, topics, twist_after in r["scenarios"]:
        twist = f" (twist after {twist_after})" if twist_after else ""
        scenarios.add_row(opening_id, Text(title), ", ".join(topics) + twist)
    return scenarios


def _anchors(dim: Row) -> Table:
    """What each score looks like on one dimension, and how the bar moves with the level."""
    table = Table(
        title=f"\n{dim['name']} (weight {dim['weight']:g})", title_justify="left", show_header=False
    )
    table.add_column("score", style="bold", justify="center")
    table.add_column("looks like")
    for score, text in dim["anchors"]:
        table.add_row(str(score), Text(text))
    junior, senior, staff = dim["levels"]
    table.add_row("level", Text(f"junior: {junior}\nsenior: {senior}\nstaff: {staff}"))
    return table


def _show_track(r: Row, track: str | None) -> None:
    """What the track changes in this round, or which tracks change it."""
    names = ", ".join(r["tracks"]) or "none"
    if track is None or r["bar"] is None:
        if track is not None:
            out.print(
                Text(f"\nThe {track} track changes nothing in this round; tracks that do: {names}.")
            )
        elif r["tracks"]:
            out.print(Text(f"\nTracks that change this round: {names} (see --track TRACK)."))
        return
    out.print(Text.assemble("\n", (f"On the {track} track: ", "bold"), r["bar"]))
    changes = Table(show_edge=False, title_justify="left")
    changes.add_column("what", style="bold", overflow="fold")
    changes.add_column("round", justify="right")
    changes.add_column(track, justify="right")
    for what, before, after in r["changes"]:
        changes.add_row(what, before, after)
    if changes.row_count:
        out.print(changes)
        out.print(
            "[dim]Follow-ups at senior level; one fewer at junior, one more at staff. The "
            "anchors are the same on every track; the bar above is added to each level's.[/]"
        )


@commands.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...", help="Rubric, persona or loop files, or folders of them."
        ),
    ],
    user_dir: UserDirOpt = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Validate every file again, even those that passed as they are now.",
        ),
    ] = False,
) -> None:
    """Validate your own rounds, personas and loops; name every problem with its fix.

    Loops are checked against the rounds they name: the built-in ones, plus those in
    --user-dir (or, for a file inside a rubrics/, personas/ or loops/ folder, its neighbours).
    A file that passed before, byte for byte (and, for a loop, with the same rounds beside
    it), is not validated again: see --no-cache.
    """
    from interviewer.catalog.checked import CleanNotes

    files = _files(paths)
    folder = user_folder(user_dir)
    notes = CleanNotes()
    problems = 0
    for file in files:
        root = folder or (
            file.parent.parent if file.parent.name in ("rubrics", "personas", "loops") else None
        )
        found = _check_one(file, root, None if no_cache else notes)
        problems += len(found)
        if found:
            for line in found:
                out.print(f"[red]✗[/] {escape(line)}", highlight=False)
        else:
            out.print(f"[green]✓[/] {escape(str(file))}", highlight=False)
    if problems:
        out.print(f"\n{problems} problem(s) in {len(files)} file(s).")
        raise typer.Exit(EXIT_CHECKS_FAILED)
    out.print(f"\nAll {len(files)} file(s) are valid.")


def _files(paths: list[Path]) -> list[Path]:
    """The files ``check`` was given, a folder's ``.toml`` files in order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.toml"))
        elif path.is_file():
            files.append(path)
        else:
            fail(f"{path}: no such file or folder", EXIT_USAGE)
    if not files:
        fail(f"no .toml files found in {', '.join(map(str, paths))}", EXIT_USAGE)
    return files


def _check_one(file: Path, root: Path | None, notes: CleanNotes | None) -> list[str]:
    """The problems of one file: none, without pydantic, when it passed before as it is."""
    try:
        raw: bytes | None = file.read_bytes()
    except OSError:
        raw = None  # check_file reads it again, and names the error
    if raw is not None and notes is not None and notes.passed(file, raw, root):
        return []
    from interviewer.catalog.library import Catalog, check_file

    found = check_file(file, Catalog(root), raw)
    if raw is not None and notes is not None and found.kind and not found.problems:
        notes.note(file, raw, found.kind, root)
    return found.problems
