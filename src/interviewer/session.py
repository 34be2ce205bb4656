"""The interview as a state machine: phases, follow-up budgets, the clock. Pure; no I/O.

Code, not the model, owns the shape of the interview. Before every interviewer message
the session decides the next ``Step`` (which phase, which topic, what the interviewer
should do) from what the transcript already records; the model only writes the words.
Because the state is derived from the recorded turns, a resumed transcript continues
exactly where it stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from interviewer.formats import Phase, Role, Round, Topic, Transcript, Turn


class AnswerKind(StrEnum):
    substantive = "substantive"
    empty = "empty"
    dont_know = "dont-know"
    gibberish = "gibberish"
    no_more_questions = "no-more-questions"


_DONT_KNOW = re.compile(
    r"^\W*(i\s*(really\s+)?(do\s*n[o']?t|dunno|have\s+no\s+idea)|no\s+idea|not\s+sure|idk|pass|"
    r"i'?m\s+not\s+sure|skip)\b",
    re.IGNORECASE,
)
_NO_MORE = re.compile(
    r"^\W*(no|nope|none|nothing|not really|that'?s (all|it)|i'?m good|no more|no,? thanks?|"
    r"no questions?)\b[\w\s,.!']{0,40}$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_VOWEL_WORD = re.compile(r"[A-Za-z]*[aeiouyAEIOUY][A-Za-z]*")

MAX_CANDIDATE_QUESTIONS = 3


def classify_answer(text: str) -> AnswerKind:
    """A coarse reading of an answer, so the interviewer can react as a good one would."""
    stripped = text.strip()
    if not stripped:
        return AnswerKind.empty
    if _DONT_KNOW.match(stripped) and len(stripped) < 80:
        return AnswerKind.dont_know
    if _NO_MORE.match(stripped) and len(stripped) < 60:
        return AnswerKind.no_more_questions
    words = _WORD.findall(stripped)
    if "```" in stripped or any(ch in stripped for ch in "=(){}[]"):
        return AnswerKind.substantive  # code or maths is never gibberish
    if not words:
        return AnswerKind.gibberish
    plausible = sum(1 for w in words if _VOWEL_WORD.fullmatch(w) and len(w) < 20)
    if len(words) >= 2 and plausible / len(words) < 0.5:
        return AnswerKind.gibberish
    if len(words) == 1 and len(stripped) > 12 and not _VOWEL_WORD.fullmatch(words[0]):
        return AnswerKind.gibberish
    return AnswerKind.substantive


@dataclass(frozen=True)
class Step:
    """What the interviewer does next, and the instruction the model writes it from."""

    phase: Phase
    topic: Topic | None
    directive: str
    final: bool = False


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


def elapsed(turns: list[Turn], now: datetime | None = None) -> timedelta:
    """Interview time: the sum of each turn's span plus the gaps between consecutive turns,
    except gaps over 30 minutes (a break or an interruption before a resume)."""
    if not turns:
        return timedelta(0)
    total = timedelta(0)
    previous_end: datetime | None = None
    for turn in turns:
        if previous_end is not None:
            gap = turn.started_at - previous_end
            if timedelta(0) < gap < timedelta(minutes=30):
                total += gap
        total += turn.ended_at - turn.started_at
        previous_end = turn.ended_at
    if now is not None and previous_end is not None:
        gap = now - previous_end
        if timedelta(0) < gap < timedelta(minutes=30):
            total += gap
    return total


class Session:
    """Decides the next step of one interview from the transcript so far."""

    def __init__(self, round_: Round, transcript: Transcript) -> None:
        self.round = round_
        self.transcript = transcript
        self.topics = round_.topics[: round_.budget.topics_per_session]

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

    def topic_index(self) -> int:
        """Index of the current topic in ``self.topics`` (0 before any question)."""
        ids = [t.id for t in self.topics]
        current = 0
        for turn in self._interviewer_turns():
            if turn.topic in ids:
                current = ids.index(turn.topic)
        return current

    def _followups_used(self, topic_id: str) -> int:
        used = 0
        for turn in reversed(self._interviewer_turns()):
            if turn.topic != topic_id or turn.phase is not Phase.followup:
                break
            used += 1
        return used

    def _last_answer(self) -> AnswerKind:
        turns = self.transcript.turns
        if turns and turns[-1].role is Role.candidate:
            return classify_answer(turns[-1].text)
        return AnswerKind.empty

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

    def next_step(self, now: datetime) -> Step:
        interviewer = self._interviewer_turns()
        if not interviewer:
            return self._opening()
        answer = self._last_answer()
        if interviewer[-1].phase in (Phase.wrap_up, Phase.candidate_questions):
            return self._candidate_questions(answer, now)
        if self._time_is_up(now):
            return self._wrap_up()
        return self._main(answer)

    # ------------------------------------------------------------------ phases

    def _opening(self) -> Step:
        topic = self.topics[0]
        brings = self.round.candidate_brings
        if brings == "paper":
            task = (
                "Ask the candidate which paper they will walk you through and why they chose it; "
                f"then ask them to start with this: {topic.question}"
            )
        elif brings == "project":
            task = f"Ask the candidate to introduce the project they will present, then: {topic.question}"
        elif brings == "questions":
            task = "Briefly set the scene from the scenario, then invite the candidate's first question."
        else:
            task = f"Present the scenario in your own words, then ask: {topic.question}"
        return Step(
            Phase.opening,
            topic,
            "Open the interview. Greet the candidate as your persona would, say in one sentence "
            f"what this round covers and roughly how long it takes. {task} "
            "Ask one question only.",
        )

    def _main(self, answer: AnswerKind) -> Step:
        if self.round.candidate_brings == "questions":
            return self._candidate_led(answer)
        index = self.topic_index()
        topic = self.topics[index]
        used = self._followups_used(topic.id)
        budget = self.round.budget.followups_per_topic
        if used < budget:
            return Step(
                Phase.followup, topic, self._followup_directive(topic, answer, used, budget)
            )
        if index + 1 < len(self.topics):
            nxt = self.topics[index + 1]
            return Step(
                Phase.question,
                nxt,
                f"{_acknowledge(answer)} Move on to the next area. Ask, in your own words: "
                f"{nxt.question}",
            )
        return self._wrap_up()

    def _candidate_led(self, answer: AnswerKind) -> Step:
        """Rounds where the candidate asks: answer each question; invite a new area when they
        run dry; wrap up when every area has been offered."""
        index = self.topic_index()
        if answer in (AnswerKind.no_more_questions, AnswerKind.empty, AnswerKind.dont_know):
            if index + 1 < len(self.topics):
                nxt = self.topics[index + 1]
                return Step(
                    Phase.question,
                    nxt,
                    "The candidate has no question right now. Invite them into another area, "
                    f"in your own words, and note that you prompted it: {nxt.question}",
                )
            return self._closing()  # they have been asking all along: no separate Q&A
        return Step(
            Phase.followup,
            self.topics[index],
            "Answer the candidate's question in two to five sentences, as the person described in "
            "the scenario would, revealing a fact only when the question reaches it; a vague "
            "question gets a vague answer. Then let them go on. Do not ask them questions of your "
            "own, except, rarely, a natural 'what makes you ask?'.",
        )

    def _followup_directive(self, topic: Topic, answer: AnswerKind, used: int, budget: int) -> str:
        left = budget - used
        if answer is AnswerKind.empty:
            return (
                "The candidate sent an empty answer. Check they are still with you and restate the "
                "question more concretely, perhaps narrowing it."
            )
        if answer is AnswerKind.dont_know:
            return (
                "The candidate said they do not know. Do not give the answer. Offer a small, "
                "concrete foothold (a simpler case or a nudge toward what to consider) and let "
                "them try again, or say it is fine to reason out loud."
            )
        if answer is AnswerKind.gibberish:
            return (
                "The candidate's message does not read as an answer (it may be a typo or stray "
                "paste). Say so politely and ask them to try again."
            )
        probes = "; ".join(topic.probes)
        return (
            f"Follow up on what the candidate just said ({left} follow-up(s) left on this area). "
            "Pick the weakest, vaguest or most interesting specific point in their last answer and "
            "probe it: ask for the reasoning, a number, a tradeoff or a failure case. If the answer "
            "was off-topic, steer back to the question. Probes you may adapt, only if they fit what "
            f"they said: {probes}"
        )

    def _wrap_up(self) -> Step:
        return Step(
            Phase.wrap_up,
            None,
            "Time is nearly up, or every area is covered. Wrap up: thank the candidate briefly (no verdict, no score, no feedback on "
            "their performance) and ask what questions they have for you.",
        )

    def _closing(self) -> Step:
        return Step(
            Phase.closing,
            None,
            "Answer the candidate's last message if it was a question, in two or three "
            "sentences; then close the interview warmly and briefly. Say a scorecard follows. "
            "Ask nothing more.",
            final=True,
        )

    def _candidate_questions(self, answer: AnswerKind, now: datetime) -> Step:
        asked = sum(1 for t in self._interviewer_turns() if t.phase is Phase.candidate_questions)
        done = answer in (AnswerKind.no_more_questions, AnswerKind.empty)
        clock = self.clock(now)
        over = clock.elapsed >= clock.budget
        if done or over or asked >= MAX_CANDIDATE_QUESTIONS:
            return self._closing()
        return Step(
            Phase.candidate_questions,
            None,
            "Answer the candidate's question candidly and concisely, as someone in your role at a "
            "plausible company would, without inventing confidential specifics; then ask whether "
            "they have another question.",
        )


def _acknowledge(answer: AnswerKind) -> str:
    if answer in (AnswerKind.dont_know, AnswerKind.empty, AnswerKind.gibberish):
        return "The candidate could not answer that; acknowledge it neutrally without giving the answer."
    return "Acknowledge their last answer in a few words at most, without praising or grading it."
