"""How long the CLI takes to start, against the floor of a bare Typer CLI.

The floor is ``--help`` of a bare Typer app (written to a temporary file) with as many
commands as ours, each with a docstring and an option, in the same rich help panels:
what any Typer CLI of this size pays. Against it, as subprocesses the way a user runs
them, every command that calls no model: ``--help``, ``list`` (an empty folder),
``rounds``, ``rounds show``, ``personas``, ``show ID`` and ``export ID`` (one short
session), ``check FILE`` (a shipped round, as it passed before), ``rounds`` again with a
cache that 600 edits of round files have filled (1,800 entries of files as they once
were), ``doctor`` with no model to find (it still probes the usual local ports and starts
the code sandbox once), with no config file and with one it read before, and ``CMD
--help`` of every command. Runs are interleaved (floor, ours, floor, ours, ...) so a busy
machine slows both alike; each line is the median and its ratio to the floor's median.
Goals (issue 24): ``--help`` at most 1.1x, ``list`` 1.2x, every other command here 1.3x.

A second floor is printed beside it: the same bare app running a command that reads one
small JSON file through a two-field pydantic model, which is what any Typer CLI that
validates its input at the boundary pays before its own work (pydantic's import and its
first model). The lines marked "first read" run a command on a file no cache knows as it
is (a round, a session or a config file never read, or just edited, or read first after
an upgrade: ``check --no-cache``, and the others with ``XDG_CACHE_HOME`` where nothing can
be kept), so the file is parsed and validated: they are printed against both floors, with
no goal, as that work grows with the file (``rounds`` validates 843 KB of round files).

Bytecode caching is switched on for the subprocesses (``PYTHONDONTWRITEBYTECODE`` is
dropped and a warm-up run writes the caches), as it is for anyone who installed the
package: without it every run compiles every module from source.

Usage: ``python benchmarks/startup.py [--runs 7] [--only LABEL ...]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"interviewer --help": 1.1, "interviewer list": 1.2}
GOAL_OTHERS = 1.3
VALIDATING = ("check", "doctor", "rounds show")
"""Commands whose work starts with validating input through pydantic (see the docstring)."""
FIRST_READ = "first read"
"""A file read for the first time as it is (no cache holds what validating it gave): the
command's floor plus reading and validating the file, work in proportion to the file."""
PANELS = ("Interview", "Review", "Rounds and files", "Set-up")


def bare_app(commands: int) -> str:
    """A Typer app with ``commands`` commands, as plain as Typer apps come."""
    lines = ["import typer", "", "app = typer.Typer(rich_markup_mode='rich')", ""]
    for n in range(commands):
        panel = PANELS[n % len(PANELS)]
        lines += [
            f"@app.command(rich_help_panel={panel!r})",
            f"def command{n}(name: str = typer.Option('x', help='A name.')) -> None:",
            f"    '''Command number {n}: one line of help, as ours have.'''",
            "",
        ]
    lines += [
        "@app.command(rich_help_panel='Set-up')",
        "def validate(path: str) -> None:",
        '    """Read one file through a pydantic model, as a CLI that checks its input does."""',
        "    from pydantic import BaseModel",
        "    from rich.console import Console",
        "    class Record(BaseModel):",
        "        name: str",
        "        size: int",
        "    Console().print(Record.model_validate_json(open(path).read()).name)",
        "",
        "if __name__ == '__main__':",
        "    app()",
        "",
    ]
    return "\n".join(lines)


def one_session(folder: Path) -> str:
    """A short complete session in ``folder``, written as ``practice`` writes one."""
    from datetime import UTC, datetime, timedelta

    from interviewer.formats.levels import Level
    from interviewer.formats.transcript import ModelInfo, Role, Status, Transcript, Turn

    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    said = [(Role.interviewer, "How would you rank a feed?"), (Role.candidate, "Two towers.")]
    turns = [
        Turn(role=role, text=text, started_at=start + timedelta(minutes=i),
             ended_at=start + timedelta(minutes=i, seconds=40))
        for i, (role, text) in enumerate(said * 3)
    ]  # fmt: skip
    t = Transcript(
        id="abcd1234", created_at=start, updated_at=start, status=Status.complete,
        round="ml-system-design", round_title="ML system design", persona="warm-scientist",
        level=Level.senior, opening="feed-ranking", interviewer=ModelInfo(model="stub"),
        judge=ModelInfo(model="stub"), temperature=0.7, sources=[], turns=turns,
    )  # fmt: skip
    (folder / f"{t.id}.json").write_text(t.model_dump_json(indent=2), encoding="utf-8")
    return t.id


def command_count() -> int:
    """How many commands the CLI has: from its table, or (an older checkout, for a
    before-and-after) from the commands registered on the app at import."""
    try:
        from interviewer.cli.app import COMMANDS

        return len(COMMANDS)
    except ImportError:
        from interviewer.cli import app

        return len(app.registered_commands) + len(app.registered_groups)


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", nargs="+", help="time only the commands whose label holds one")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        empty, one = Path(tmp, "empty"), Path(tmp, "one")
        empty.mkdir()
        one.mkdir()
        Path(tmp, "none.toml").write_text("")  # a named config file must exist
        env = {**os.environ, "INTERVIEWER_CONFIG": os.path.join(tmp, "none.toml"),
               "COLUMNS": "100", "XDG_CACHE_HOME": os.path.join(tmp, "cache")}  # fmt: skip
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module's docstring
        count = command_count()
        bare = Path(tmp, "bare_app.py")
        bare.write_text(bare_app(count), encoding="utf-8")
        session = one_session(one)
        floor_cmd = [py, str(bare), "--help"]
        Path(tmp, "record.json").write_text('{"name": "x", "size": 1}')
        pydantic_cmd = [py, str(bare), "validate", str(Path(tmp, "record.json"))]
        cases = commands_to_time(py, session, empty, one, Path(tmp))
        if args.only:
            cases = {k: v for k, v in cases.items() if any(o in k for o in args.only)}
        warm = [(floor_cmd, empty, {}), (pydantic_cmd, empty, {}), *cases.values()]
        for command, folder, extra in warm:  # bytecode, disk cache
            timed(command, {**env, **extra, "INTERVIEWER_TRANSCRIPTS_DIR": str(folder)})
        floors: list[float] = []
        with_pydantic: list[float] = []
        ours: dict[str, list[float]] = {label: [] for label in cases}
        for _ in range(args.runs):
            with_pydantic.append(timed(pydantic_cmd, env))
            for label, (command, folder, extra) in cases.items():
                run_env = {**env, **extra, "INTERVIEWER_TRANSCRIPTS_DIR": str(folder)}
                floors.append(timed(floor_cmd, run_env))
                ours[label].append(timed(command, run_env))
        floor, validating = statistics.median(floors), statistics.median(with_pydantic)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
              f"{os.getloadavg()[0]:.1f}; medians of {args.runs} interleaved runs")  # fmt: skip
        print(f"{f'bare Typer app --help, {count} commands':<38} {floor * 1000:7.0f} ms   1.00x")
        print(f"{'the same app reading one pydantic model':<38} {validating * 1000:7.0f} ms   "
              f"{validating / floor:.2f}x (the floor of a command that validates its input)")  # fmt: skip
        for label, times in ours.items():
            took = statistics.median(times)
            print(f"{label:<38} {took * 1000:7.0f} ms   " + judged(label, took, floor, validating))
        print(f"load now {os.getloadavg()[0]:.1f}")


def judged(label: str, took: float, floor: float, validating: float) -> str:
    """A command's ratio to the floor against its goal; a first read (a file no cache
    knows, so validated) against the floor of a command that validates its input."""
    if FIRST_READ in label:  # the file's own reading and validating: no goal
        return f"{took / floor:.2f}x; {took / validating:.2f}x that floor (measured, no goal)"
    goal = GOALS.get(label, GOAL_OTHERS)
    line = f"{took / floor:.2f}x (goal <= {goal}x)" + ("" if took / floor <= goal else "  !")
    if any(name in label for name in VALIDATING) and "--help" not in label:
        line += f"; {took / validating:.2f}x that floor"
    return line


def long_history(cache: Path) -> dict[str, str] | None:
    """A cache folder that 600 edits of round files have filled (1,800 entries of rounds
    as they once were, a third of them ``rounds show``'s 15 KB ones): the settings that
    point a command at it. None for a checkout older than that cache."""
    old = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    code = (
        "from interviewer.catalog import validated\n"
        "for n in range(1800):\n"
        "    validated.put(f'detail:old:{n}', {'x': 'y' * (15000 if n % 3 == 0 else 300)})"
    )
    made = subprocess.run([sys.executable, "-c", code], env=old, capture_output=True)
    return {"XDG_CACHE_HOME": str(cache)} if made.returncode == 0 else None


def commands_to_time(
    py: str, session: str, empty: Path, one: Path, tmp: Path
) -> dict[str, tuple[list[str], Path, dict[str, str]]]:
    """Every command that calls no model, and every command's ``--help``, by label."""
    me = [py, "-m", "interviewer"]
    shipped = Path(__file__).resolve().parents[1] / "rubrics" / "ml-system-design.toml"
    history = long_history(tmp / "history")
    config = tmp / "config.toml"  # a few settings, no model: checked once by pydantic
    config.write_text('level = "staff"\npersona = "bar-raiser"\ntranscripts_dir = "~/x"\n')
    cases = {
        "interviewer --help": ([*me, "--help"], empty, {}),
        "interviewer list": ([*me, "list"], empty, {}),
        "interviewer rounds": ([*me, "rounds"], empty, {}),
        "interviewer rounds show": ([*me, "rounds", "show", "ml-system-design"], empty, {}),
        "interviewer personas": ([*me, "personas"], empty, {}),
        "interviewer show": ([*me, "show", session], one, {}),
        "interviewer export": ([*me, "export", session, "-o", str(tmp / "x.md")], one, {}),
        "interviewer check": ([*me, "check", str(shipped)], empty, {}),
        "interviewer check, first read": ([*me, "check", "--no-cache", str(shipped)], empty, {}),
        "interviewer doctor (no model)": ([*me, "doctor"], empty, {}),
        "interviewer doctor, config file": (
            [*me, "doctor"],
            empty,
            {"INTERVIEWER_CONFIG": str(config)},
        ),
    }
    cold = {"XDG_CACHE_HOME": os.devnull}  # no cache can be read or written: every read a first
    cases["interviewer rounds, first read"] = ([*me, "rounds"], empty, cold)
    cases["interviewer rounds show, first read"] = (
        [*me, "rounds", "show", "ml-system-design"], empty, cold)  # fmt: skip
    cases["interviewer show, first read"] = ([*me, "show", session], one, cold)
    cases["interviewer doctor, config, first read"] = (
        [*me, "doctor"], empty, {**cold, "INTERVIEWER_CONFIG": str(config)})  # fmt: skip
    if history is not None:
        cases["interviewer rounds, long cache history"] = ([*me, "rounds"], empty, history)
    try:
        from interviewer.cli.app import COMMANDS

        names = [entry.name for entry in COMMANDS]
    except ImportError:
        names = []
    for name in names:
        cases[f"interviewer {name} --help"] = ([*me, name, "--help"], empty, {})
    return cases


if __name__ == "__main__":
    main()
