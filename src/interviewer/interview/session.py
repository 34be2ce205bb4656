"""The interview as a state machine: plan, moves, follow-up budgets, the clock. Pure; no I/O.

Code, not the model, owns the shape of the interview. Before every interviewer message
the session decides the next ``Step`` from what the transcript records: which phase and
area, which move (a probe, an answer to a clarifying question, the round's twist, the
fallback framing question, an extension once code works...), the probes that fit the
answer in hand, and the words for it from ``prompts/steps.toml``. A model writes its
message from the step's directive; a scripted round says the step's line as it stands.
Because the state is derived from the recorded turns, a resumed transcript continues
exactly where it stopped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from string import Template

from interviewer.catalog.plan import CANDIDATE_QUESTIONS as MAX_CANDIDATE_QUESTIONS
from interviewer.catalog.plan import followup_budget, plan_topics
from interviewer.formats.rounds import Fact, Opening, Probe, Round, Steps, Topic
from interviewer.formats.transcript import Phase, Role, Transcript, Turn, elapsed
from interviewer.interview.answer_kinds import AnswerKind, classify, classify_reply_to_offer

FOLLOWUP_MOVES = frozenset(
    {"probe", "probe-hedged", "probe-code", "probe-fallback", "dont-know", "empty", "garbled"}
)
"""Moves that spend an area's follow-up budget (a clarifying answer or a twist does not)."""
OPENING_MOVES = frozenset({"opening", "opening-led", "overview", "clarify"})
MAX_QUOTE = 200


@dataclass(frozen=True)
class Step:
    """What the interviewer does next: the directive a model writes from, the scripted line."""

    phase: Phase
    topic: Topic | None
    move: str
    directive: str
    say: str
    probes: tuple[str, ...] = ()
    final: bool = False


@dataclass(frozen=True)
class Speaker:
    """Who the interviewer is in this session, and how they greet."""

    name: str
    title: str
    greeting: str


@dataclass(frozen=True)
class Answer:
    """The candidate's latest answer, as the session reads it."""

    text: str
    kind: AnswerKind
    code_passed: bool | None = None  # the code check's verdict, when one ran on it


@dataclass(frozen=True)
class Clock:
    elapsed: timedelta
    budget: timedelta
    candidate_turns: int
    max_candidate_turns: int

    @property
    def remaining(self) -> timedelta:
        return max(self.budget - self.elapsed, timedelta(0))

    def describe(self) -> str:
        minutes, seconds = divmod(int(self.elapsed.total_seconds()), 60)
        left = int(self.remaining.total_seconds()) // 60
        return (
            f"{minutes}:{seconds:02d} elapsed of {int(self.budget.total_seconds()) // 60} min "
            f"({left} min left); answer {self.candidate_turns} of at most {self.max_candidate_turns}"
        )


def mentions(text: str, keyword: str) -> bool:
    """Whole words, any case, common endings allowed: 'auc' is in 'AUC of 0.8' but not in
    'because'; 'metric' is in 'metrics', 'retrain' in 'retraining'.

    Most keywords a turn checks are absent, and a plain substring test says so without
    compiling a pattern (0.3 ms each, a few dozen per interview) or running one.
    """
    keyword, text = keyword.lower(), text.lower()
    return keyword in text and _word_pattern(keyword).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _word_pattern(keyword: str) -> re.Pattern[str]:
    """Compiled once per keyword: a turn checks dozens, and ``re``'s own cache of 512
    patterns churns across a round's probes, facts and framing words."""
    return re.compile(rf"(?<!\w){re.escape(keyword)}(?:s|es|d|ed|ing)?(?!\w)")


def rank_probes(probes: list[Probe], text: str, used: set[str]) -> list[Probe]:
    """Unused probes, those whose keywords the answer mentions first (most hits first)."""
    fresh = [p for p in probes if p.ask not in used]
    hits = {p.ask: sum(mentions(text, k) for k in p.keywords) for p in fresh}
    return sorted(fresh, key=lambda p: -hits[p.ask])


def match_facts(facts: list[Fact], text: str) -> list[Fact]:
    """The facts a question reaches, best first (at most two)."""
    scored = [(sum(mentions(text, k) for k in f.keywords), i, f) for i, f in enumerate(facts)]
    return [f for hits, _, f in sorted(scored, key=lambda s: (-s[0], s[1])) if hits][:2]


def quote_about(answers: list[str], keywords: list[str]) -> str | None:
    """A sentence of the candidate's in which they already covered an area: two of its
    keywords in one answer (one, when the area names fewer than three)."""
    need = 2 if len(keywords) >= 3 else 1
    for answer in answers:
        hits = [k for k in keywords if mentions(answer, k)]
        if len(hits) >= need:
            for sentence in re.split(r"(?<=[.!?])\s+|\n+", answer):
                if any(mentions(sentence, k) for k in hits):
                    sentence = " ".join(sentence.split())
                    return sentence if len(sentence) <= MAX_QUOTE else sentence[:MAX_QUOTE] + "…"
    return None


class Session:
    """Decides the next step of one interview from the transcript so far."""

    def __init__(
        self,
        round_: Round,
        opening: Opening,
        transcript: Transcript,
        steps: Steps,
        speaker: Speaker,
    ) -> None:
        self.round = round_
        self.opening = opening
        self.transcript = transcript
        self.steps = steps
        self.speaker = speaker
        plan = transcript.plan or plan_topics(round_, opening)
        self.topics = [t for t in (round_.topic(tid) for tid in plan) if t is not None]

    # ----------------------------------------------------------------- reading

    def clock(self, now: datetime) -> Clock:
        budget = self.round.budget
        return Clock(
            elapsed=elapsed(self.transcript.turns, now),
            budget=timedelta(minutes=budget.minutes),
            candidate_turns=len(self.transcript.candidate_turns()),
            max_candidate_turns=budget.max_candidate_turns,
        )

    def _interviewer_turns(self) -> list[Turn]:
        return [t for t in self.transcript.turns if t.role is Role.interviewer]

    def _moves(self) -> list[str]:
        return [t.move or "" for t in self._interviewer_turns()]

    def topic_index(self) -> int:
        """Index of the current area in the plan (0 before any question)."""
        ids = [t.id for t in self.topics]
        current = 0
        for turn in self._interviewer_turns():
            if turn.topic in ids:
                current = ids.index(turn.topic)
        return current

    def probed_dimensions(self) -> list[str]:
        """The dimensions whose areas the interviewer has reached, in rubric order."""
        asked = {t.topic for t in self._interviewer_turns() if t.topic}
        dims = {d for t in self.topics if t.id in asked for d in t.dimensions}
        return [d.id for d in self.round.dimensions if d.id in dims]

    def _followups_used(self, topic_id: str) -> int:
        used = 0
        for turn in reversed(self._interviewer_turns()):
            if turn.topic != topic_id or turn.phase is not Phase.followup:
                break
            if turn.move is None or turn.move in FOLLOWUP_MOVES:
                used += 1
        return used

    def _probes_used(self, topic_id: str) -> set[str]:
        return {p for t in self._interviewer_turns() if t.topic == topic_id for p in t.probes}

    def last_answer(self, *, offered: bool = False) -> Answer:
        """The latest candidate answer; a code check recorded after it marks it as code."""
        turns = self.transcript.turns
        for index in range(len(turns) - 1, -1, -1):
            turn = turns[index]
            if turn.role is Role.interviewer:
                break
            if turn.role is Role.candidate:
                after = [t for t in turns[index + 1 :] if t.role is Role.system and t.kind]
                if after:  # a check that was not run (no sandbox) passed nothing, failed nothing
                    verdict = None if after[-1].kind == "not-run" else after[-1].kind == "passed"
                    return Answer(turn.text, AnswerKind.code, verdict)
                read = classify_reply_to_offer if offered else classify
                return Answer(turn.text, read(turn.text))
        return Answer("", AnswerKind.empty)

    def _time_is_up(self, now: datetime) -> bool:
        clock = self.clock(now)
        budget = self.round.budget
        late = clock.elapsed >= clock.budget * budget.wrap_up_at
        # Leave room for the wrap-up and the candidate's questions within the turn cap.
        out_of_turns = clock.candidate_turns >= budget.max_candidate_turns - MAX_CANDIDATE_QUESTIONS
        return late or out_of_turns

    def is_finished(self) -> bool:
        interviewer = self._interviewer_turns()
        return bool(interviewer) and interviewer[-1].phase is Phase.closing

    # ---------------------------------------------------------------- deciding

    def next_step(self, now: datetime) -> Step:
        interviewer = self._interviewer_turns()
        if not interviewer:
            return self._opening()
        if interviewer[-1].phase in (Phase.wrap_up, Phase.candidate_questions):
            return self._candidate_questions(now)
        if self._time_is_up(now):
            # A round of the candidate's questions has no separate time for them: it closes.
            led = self.round.candidate_brings == "questions"
            return self._closing() if led else self._wrap_up()
        if self.round.candidate_brings == "questions":
            return self._candidate_led()
        return self._main(self.last_answer())

    def _main(self, answer: Answer) -> Step:
        index = self.topic_index()
        topic = self.topics[index]
        moves = self._moves()
        if answer.kind is AnswerKind.question:
            return self._clarify(topic, answer)
        if self._overview_pending(moves):
            return self._step("overview", Phase.followup, topic)
        if self._framing_due(moves, answer):
            framing = self.round.moves.framing
            assert framing is not None
            return self._step("framing", Phase.followup, topic, ask=framing.ask)
        if self.opening.extension and answer.code_passed and "extension" not in moves:
            return self._step("extension", Phase.followup, topic, extension=self.opening.extension)
        used = self._followups_used(topic.id)
        budget = followup_budget(self.round, topic, self.transcript.level)
        if used < budget:
            return self._followup(topic, answer, budget - used)
        twist = self.opening.twist
        if twist and twist.after == topic.id and "twist" not in moves:
            return self._step("twist", Phase.followup, topic, twist=twist.say)
        if index + 1 < len(self.topics):
            return self._next_topic(self.topics[index + 1])
        return self._wrap_up()

    def _overview_pending(self, moves: list[str]) -> bool:
        overview = self.round.moves.overview
        if overview is None or any(m not in OPENING_MOVES for m in moves):
            return False
        return len(self.transcript.candidate_turns()) < overview.turns

    def _framing_due(self, moves: list[str], answer: Answer) -> bool:
        framing = self.round.moves.framing
        if framing is None or "framing" in moves or any(m not in OPENING_MOVES for m in moves):
            return False
        if answer.kind not in (AnswerKind.substantive, AnswerKind.hedged):
            return False
        jumped = any(mentions(answer.text, w) for w in framing.model_words)
        framed = any(mentions(answer.text, w) for w in framing.framing_words)
        return jumped and not framed

    def _followup(self, topic: Topic, answer: Answer, left: int) -> Step:
        if answer.kind in (AnswerKind.dont_know, AnswerKind.empty, AnswerKind.garbled):
            return self._step(answer.kind.value, Phase.followup, topic, question=topic.question)
        probes = rank_probes(topic.probes, answer.text, self._probes_used(topic.id))[:2]
        if not probes:
            return self._step("probe-fallback", Phase.followup, topic, left=str(left))
        move = {AnswerKind.code: "probe-code", AnswerKind.hedged: "probe-hedged"}.get(
            answer.kind, "probe"
        )
        return self._step(
            move,
            Phase.followup,
            topic,
            probes=tuple(p.ask for p in probes),
            left=str(left),
        )

    def _next_topic(self, topic: Topic) -> Step:
        earlier = [t.text for t in self.transcript.candidate_turns()]
        quote = quote_about(earlier, topic.keywords) if topic.keywords else None
        if quote is not None:
            probes = rank_probes(topic.probes, quote, set())[:2]
            return self._step(
                "build-on", Phase.question, topic, probes=tuple(p.ask for p in probes), quote=quote
            )
        return self._step("question", Phase.question, topic, question=topic.question)

    def _clarify(self, topic: Topic, answer: Answer) -> Step:
        facts = match_facts(self.opening.facts, answer.text)
        return self._step("clarify", Phase.followup, topic, facts=facts)

    def _candidate_led(self) -> Step:
        """Rounds where the candidate asks: answer each question from the facts it reaches;
        invite a new area when they run dry; close once every area has been offered."""
        index = self.topic_index()
        answer = self.last_answer(offered=True)
        if answer.kind in (AnswerKind.no_more_questions, AnswerKind.empty):
            if index + 1 < len(self.topics):
                nxt = self.topics[index + 1]
                return self._step("invite", Phase.question, nxt, question=nxt.question)
            return self._closing()  # they have been asking all along: no separate Q&A
        facts = match_facts(self.opening.facts, answer.text)
        return self._step("answer-question", Phase.followup, self.topics[index], facts=facts)

    def _opening(self) -> Step:
        topic = self.topics[0]
        if self.round.candidate_brings == "questions":
            return self._step("opening-led", Phase.opening, topic)
        ask = self.round.moves.start or topic.question
        return self._step("opening", Phase.opening, topic, ask=ask)

    def _wrap_up(self) -> Step:
        return self._step("wrap-up", Phase.wrap_up, None)

    def _closing(self) -> Step:
        step = self._step("closing", Phase.closing, None)
        return Step(step.phase, None, step.move, step.directive, step.say, final=True)

    def _candidate_questions(self, now: datetime) -> Step:
        asked = sum(1 for t in self._interviewer_turns() if t.phase is Phase.candidate_questions)
        answer = self.last_answer(offered=True)
        done = answer.kind in (AnswerKind.no_more_questions, AnswerKind.empty)
        clock = self.clock(now)
        if done or clock.elapsed >= clock.budget or asked >= MAX_CANDIDATE_QUESTIONS:
            return self._closing()
        return self._step("candidate-questions", Phase.candidate_questions, None)

    # ------------------------------------------------------------------ words

    def _step(
        self,
        move: str,
        phase: Phase,
        topic: Topic | None,
        *,
        probes: tuple[str, ...] = (),
        facts: list[Fact] | None = None,
        **values: str,
    ) -> Step:
        """The step with its words filled in from ``prompts/steps.toml``."""
        text = self.steps.moves[move]
        fields = {
            "greeting": self.speaker.greeting,
            "name": self.speaker.name,
            "title": self.speaker.title,
            "round_title": self.round.title,
            "minutes": str(self.round.budget.minutes),
            "probes": " | ".join(probes),
            "probe": probes[0] if probes else "",
            **values,
        }
        say_template = text.say
        if facts is not None:
            fields["facts"] = " ".join(f"({f.about}) {f.answer}" for f in facts) or "none fits."
            fields["facts_said"] = " ".join(f.answer for f in facts)
            if not facts and text.say_unknown:
                say_template = text.say_unknown
        directive = Template(text.directive).substitute(fields)
        say = Template(say_template).substitute(fields)
        return Step(phase, topic, move, directive, say.strip(), probes)
