"""Rehearsing the interviewer: simulated candidates through real sessions, measured as they end.

Each session is a real ``Runner`` run (the session, the model or the round's own lines,
the reply guard, the code check, the store) with a simulated candidate at the keyboard
and a simulated clock that moves at the candidate's pace, so the interviewer's time
budget bites as it would with a person typing. Results are appended to a JSON Lines file
as they arrive: an interrupted rehearsal resumes where it stopped, and a rerun with the
same interviewer, candidates, files and settings skips what is done.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Literal

from rich.console import Console

from interviewer.catalog.library import Catalog, Entry, prompt_path, read_steps, sha256_file
from interviewer.config.file import DEFAULT_PERSONA
from interviewer.errors import ModelError, UserError
from interviewer.formats.base import Record
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Opening, Persona, Round
from interviewer.formats.transcript import ModelInfo, Transcript
from interviewer.grading.calibration.pool import PerThread, append_line, in_parallel, read_lines
from interviewer.interview.leaks import Hidden
from interviewer.interview.runner import Runner
from interviewer.interview.start import begin
from interviewer.models.base import ChatModel
from interviewer.rehearsal.candidates import Candidate, CandidateSet, CandidateSpec
from interviewer.rehearsal.measures import VERSION, Measures, measure
from interviewer.store.transcripts import Store

READING_SECONDS = 15
"""Time a candidate spends reading each question before answering."""


class SessionResult(Record):
    """One rehearsed session: what it measured, or why it could not run."""

    key: str
    round: str
    opening: str
    candidate: str
    status: Literal["done", "error"]
    reason: str | None = None
    transcript: str | None = None
    measures: Measures | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Job:
    round: str
    opening: str
    candidate: str

    @property
    def key(self) -> str:
        return f"{self.round}/{self.opening}/{self.candidate}"


def plan_jobs(
    rounds: list[Round], candidates: list[CandidateSpec], *, every_opening: bool, seed: int = 0
) -> list[Job]:
    """Every round with every candidate that fits it: on each of the round's scenarios, or
    (by default) on one scenario per candidate, turning through the round's scenarios so
    that the candidates together meet as many of them as they can."""
    jobs = []
    for round_ in rounds:
        fit = [c for c in candidates if c.applies_to(round_)]
        openings = round_.openings
        for n, spec in enumerate(fit):
            chosen = openings if every_opening else [openings[(n + seed) % len(openings)]]
            jobs += [Job(round_.id, o.id, spec.id) for o in chosen]
    return jobs


def spread(jobs: list[Job], limit: int) -> list[Job]:
    """About ``limit`` jobs taken in turn from each round, so a quick look sees every round."""
    by_round: dict[str, list[Job]] = {}
    for job in jobs:
        by_round.setdefault(job.round, []).append(job)
    queues = list(by_round.values())
    taken: list[Job] = []
    while len(taken) < limit and any(queues):
        for queue_ in queues:
            if queue_ and len(taken) < limit:
                taken.append(queue_.pop(0))
    return taken


@dataclass
class SimClock:
    """The session's clock: it moves only when the candidate reads and answers."""

    at: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@dataclass
class Keyboard:
    """Types the simulated candidate's answers into the terminal, a line at a time.

    The terminal reads plainly (an empty line sends), as it does when answers are piped,
    so the answer goes through the same reading, recording and saving as a typed one.
    Past ``limit`` answers it types ``/end``: a session that never closes is a finding,
    not a hang."""

    candidate: Candidate
    clock: SimClock
    pace_scale: float
    limit: int
    _lines: list[str] = field(default_factory=list)
    _answers: int = 0

    def read_line(self, prompt: str) -> str:
        del prompt
        if not self._lines:
            if self._answers >= self.limit:
                return "/end"
            self._answers += 1
            answer = self.candidate.answer()
            self.clock.advance(READING_SECONDS + self.candidate.spec.pace_seconds * self.pace_scale)
            self._lines = [line for line in answer.text.splitlines() if line.strip()] + [""]
        return self._lines.pop(0)


def hidden(
    round_: Round,
    opening: Opening,
    transcript: Transcript,
    nonce: str,
    system: str,
    greeting: str,
) -> Hidden:
    """What the interviewer is given but must never say (its system prompt, every
    directive, the round's notes, the judge's reference), and what it may say word for
    word though a hidden text holds it (its scripted lines and probes, the scenario, the
    candidate's own answers)."""
    steps = read_steps()
    texts = [system, *(s.directive for s in steps.moves.values()), round_.interviewer_notes]
    if opening.reference is not None:
        texts += [*opening.reference.covers, *opening.reference.uncover, opening.reference.worked]
    fields = {
        "round_title": round_.title,
        "minutes": str(round_.budget.minutes),
        "greeting": greeting,
    }
    says = [Template(s.say).safe_substitute(fields) for s in steps.moves.values()]
    allowed = [*says, opening.prompt, greeting, round_.moves.start]
    allowed += [round_.moves.framing.ask] if round_.moves.framing else []
    allowed += [p.ask for t in round_.topics for p in t.probes] + [
        t.question for t in round_.topics
    ]
    allowed += [f.answer for f in opening.facts] + [t.text for t in transcript.candidate_turns()]
    return Hidden(
        nonce=nonce,
        texts=tuple(t for t in texts if t.strip()),
        allowed=tuple(a for a in allowed if a.strip()),
    )


class LoadedOnce(Catalog):
    """The catalog with each round and persona read once: a rehearsal begins hundreds of
    sessions, and parsing a round file each time was a fifth of a scripted session's time.
    The entries are shared read-only; a session never changes its round. The command plans
    with it too, so the rounds it reads to plan are the ones the sessions use (each read
    three times before, a tenth of a second a time, the second and third with every worker
    waiting on the interpreter lock)."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog.user_dir)
        self._rounds: dict[str, Entry[Round]] = {}
        self._personas: dict[str, Entry[Persona]] = {}
        self._lock = threading.Lock()

    def round(self, name: str) -> Entry[Round]:
        with self._lock:
            if name not in self._rounds:
                self._rounds[name] = super().round(name)
            return self._rounds[name]

    def persona(self, name: str) -> Entry[Persona]:
        with self._lock:
            if name not in self._personas:
                self._personas[name] = super().persona(name)
            return self._personas[name]


def run_key(info: ModelInfo, candidates_sha: str, rounds: Iterable[Round], settings: str) -> str:
    """Results are reused only for the same interviewer, candidates, prompts, rounds,
    settings (level, track, pace) and way of measuring."""
    prompts = [sha256_file(prompt_path(n)) for n in ("interviewer.md", "steps.toml")]
    parts = [info.model, str(info.api_base), candidates_sha, *prompts, settings, str(VERSION)]
    parts += [r.model_dump_json() for r in rounds]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def read_results(path: Path) -> list[SessionResult]:
    """What an earlier run left (a line torn by a kill is skipped)."""
    return read_lines(path, SessionResult)


def latest(results: list[SessionResult]) -> list[SessionResult]:
    """The last result of each session: an errored one is replaced by its retry."""
    return list({r.key: r for r in results}.values())


class Rehearsal:
    """Runs every pending session, ``jobs`` at a time, appending each result."""

    def __init__(
        self,
        catalog: Catalog,
        candidates: CandidateSet,
        plan: list[Job],
        make: Callable[[], ChatModel] | None,
        info: ModelInfo,
        folder: Path,
        *,
        level: Level,
        track: str | None = None,
        pace_scale: float = 1.0,
        jobs: int = 4,
        persona: str = DEFAULT_PERSONA,
    ) -> None:
        once = catalog if isinstance(catalog, LoadedOnce) else LoadedOnce(catalog)
        self.catalog, self.candidates, self.plan = once, candidates, plan
        self.make, self.info, self.folder = make, info, folder
        self.level, self.track, self.pace_scale = level, track, pace_scale
        self.jobs, self.persona = max(1, jobs), persona
        self.path = folder / "results.jsonl"
        self._lock = threading.Lock()
        self._models = None if make is None else PerThread(make)

    def pending(self, done: list[SessionResult]) -> list[Job]:
        finished = {r.key for r in done if r.status == "done"}
        return [job for job in self.plan if job.key not in finished]

    def one(self, job: Job) -> SessionResult:
        """Run one session to its end and measure it."""
        started = time.perf_counter()
        base = {"key": job.key, "round": job.round, "opening": job.opening}
        spec = next(c for c in self.candidates.candidates if c.id == job.candidate)
        clock = SimClock()
        interview = begin(
            self.catalog, round_name=job.round, persona_name=self.persona, level=self.level,
            interviewer=self.info, judge=self.info, files={}, opening_id=job.opening,
            track=self.track, warn=lambda _: None, now=clock.now,
        )  # fmt: skip
        round_ = interview.round.item
        opening = round_.opening(job.opening)
        assert opening is not None  # begin checked it
        candidate = Candidate(
            spec, self.candidates.questions, round_, opening, interview.transcript
        )
        keyboard = Keyboard(
            candidate, clock, self.pace_scale, 2 * round_.budget.max_candidate_turns
        )
        screen = io.StringIO()
        console = Console(file=screen, width=100, color_system=None, soft_wrap=True)
        from interviewer.terminal.console import Terminal

        terminal = Terminal(console, read_line=keyboard.read_line, editor=False)
        model = None if self._models is None else self._models.get()  # None: scripted
        runner = Runner(interview, model, terminal, Store(self.folder / "transcripts"), clock.now)
        try:
            runner.run()
        except (ModelError, UserError) as exc:
            return SessionResult(
                **base, candidate=spec.id, status="error", reason=str(exc),
                transcript=runner.transcript.id, seconds=round(time.perf_counter() - started, 3),
            )  # fmt: skip
        seen = hidden(
            round_, opening, runner.transcript, runner.nonce, runner.system, runner.speaker.greeting
        )
        measures = measure(runner.transcript, round_, candidate.expected, seen, screen.getvalue())
        return SessionResult(
            **base, candidate=spec.id, status="done", transcript=runner.transcript.id,
            measures=measures, seconds=round(time.perf_counter() - started, 3),
        )  # fmt: skip

    def _append(self, result: SessionResult) -> None:
        append_line(self.path, result, self._lock)

    def run(self, on_result: Callable[[SessionResult], None] | None = None) -> list[SessionResult]:
        """Run what is pending; return every result on file. Ctrl-C returns at once: what
        arrived is on file, and a session cut short is simply run again next time."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for result in in_parallel(self.pending(read_results(self.path)), self.one, self.jobs):
            self._append(result)
            if on_result:
                on_result(result)
        return latest(read_results(self.path))
