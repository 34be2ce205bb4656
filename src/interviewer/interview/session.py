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

from datetime import datetime, timedelta
from string import Template

from interviewer.catalog.plan import CANDIDATE_QUESTIONS as MAX_CANDIDATE_QUESTIONS
from interviewer.catalog.plan import asks_left, followup_budget, plan_topics, share_now
from interviewer.formats.rounds import Fact, Opening, Round, Steps, Topic
from interviewer.formats.transcript import Phase, Role, Transcript, Turn, elapsed
from interviewer.interview.answer_kinds import AnswerKind, classify, classify_reply_to_offer
from interviewer.interview.listening import choose_probes, fits, match_facts, mentions, quote_about
from interviewer.interview.moves import Answer, Clock, Speaker, Step

__all__ = ["Answer", "Clock", "Session", "Speaker", "Step", "mentions"]

FOLLOWUP_MOVES = frozenset(
    {"probe", "probe-hedged", "probe-code", "probe-fallback", "dont-know", "empty", "garbled"}
)
"""Moves that spend an area's follow-up budget (a clarifying answer, the twist and its one
follow-up, ``twist-followup``, do not: those are kept whatever the clock)."""
OPENING_MOVES = frozenset({"opening", "opening-led", "overview", "clarify"})
CODE_CHECK_WORDS = {"passed": "probe-code", "failed": "probe-code", "not-run": "probe-code-not-run"}
"""The words of a probe on code, by what the check did (none ran: ``probe-code-unchecked``)."""


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
        self._clocked: tuple[tuple[int, int, datetime], Clock] | None = None

    # ----------------------------------------------------------------- reading

    def clock(self, now: datetime) -> Clock:
        """Remembered for the last ``now`` and turns: a step reads it several times (the
        session's checks, the request, the reply guard), 40 µs each over 20 turns."""
        turns = self.transcript.turns
        key = (id(turns), len(turns), now)
        if self._clocked is None or self._clocked[0] != key:
            budget = self.round.budget
            clock = Clock(
                elapsed=elapsed(turns, now),
                budget=timedelta(minutes=budget.minutes),
                candidate_turns=len(self.transcript.candidate_turns()),
                max_candidate_turns=budget.max_candidate_turns,
            )
            self._clocked = (key, clock)
        return self._clocked[1]

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
                    verdict = after[-1].kind if after[-1].kind == "not-run" else None
                    verdict = verdict or ("passed" if after[-1].kind == "passed" else "failed")
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
            return self._candidate_led(now)
        return self._main(self.last_answer(), now)

    def _main(self, answer: Answer, now: datetime) -> Step:
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
        allowed = used < budget and self._clock_allows(index, used, now)
        # "I don't know" always gets a foothold, once past the budget; twice running, move on.
        if answer.kind is AnswerKind.dont_know and (allowed or moves[-1] != "dont-know"):
            return self._dont_know(topic)
        if allowed:
            return self._followup(topic, answer, budget - used)
        twist = self.opening.twist
        if twist and twist.after == topic.id and "twist" not in moves:
            return self._step("twist", Phase.followup, topic, twist=twist.say)
        last = index + 1 == len(self.topics)
        # The twist's follow-up is kept whatever the clock, unless the areas left would not fit.
        if (
            twist
            and twist.after == topic.id
            and "twist-followup" not in moves
            and (last or self._spare(index, now) >= 0)
        ):
            return self._step("twist-followup", Phase.followup, topic, twist=twist.say)
        return self._wrap_up() if last else self._next_topic(self.topics[index + 1])

    def _clock_allows(self, index: int, used: int, now: datetime) -> bool:
        """Whether a follow-up on the current area still leaves every later area its
        question (and the twist, its follow-up, the extension) before the wrap-up, at the
        candidate's pace; a short clock cuts follow-ups evenly across the areas left."""
        level = self.transcript.level
        needs = [followup_budget(self.round, t, level) for t in self.topics[index:]]
        return share_now(self._spare(index, now), used, needs)

    def _spare(self, index: int, now: datetime) -> int:
        """Questions left before the wrap-up beyond those no clock cuts (below 0: even
        those would not all fit)."""
        clock = self.clock(now)
        # A clarifying exchange is part of the question it follows: the pace is per question.
        asked = clock.candidate_turns - self._moves().count("clarify")
        spare = asks_left(self.round.budget, clock.elapsed, clock.candidate_turns, asked)
        return spare - self._fixed_left(index)

    def _fixed_left(self, index: int) -> int:
        """The questions still to come that no clock cuts: later areas', the twist and its
        follow-up, the extension, the rest of a held overview."""
        moves = self._moves()
        left = len(self.topics) - index - 1
        twist = self.opening.twist
        ahead = [t.id for t in self.topics[index:]]
        if twist and twist.after in ahead:
            left += ("twist" not in moves) + ("twist-followup" not in moves)
        left += bool(self.opening.extension) and "extension" not in moves
        if self._overview_pending(moves):
            assert self.round.moves.overview is not None
            left += self.round.moves.overview.turns - len(self.transcript.candidate_turns())
        return left

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

    def _area_answers(self, topic_id: str) -> list[str]:
        """The candidate's answers since this area's first question."""
        turns = self.transcript.turns
        start = next((i for i, t in enumerate(turns) if t.topic == topic_id), len(turns))
        return [t.text for t in turns[start:] if t.role is Role.candidate]

    def _followup(self, topic: Topic, answer: Answer, left: int) -> Step:
        if answer.kind in (AnswerKind.empty, AnswerKind.garbled):
            return self._step(answer.kind.value, Phase.followup, topic, question=topic.question)
        said = " ".join(self._area_answers(topic.id))
        used = self._probes_used(topic.id)
        probes = choose_probes(topic.probes, answer.text, said, used)[:2]
        move = {AnswerKind.code: "probe-code", AnswerKind.hedged: "probe-hedged"}.get(
            answer.kind, "probe"
        )
        if move == "probe" and not (probes and fits(probes[0], answer.text)):
            move = "probe-fallback"  # nothing authored fits: their own words, or a fresh probe
        words = move
        if move == "probe-code":
            words = CODE_CHECK_WORDS.get(answer.check or "", "probe-code-unchecked")
        offered = tuple(p.ask for p in probes)
        return self._step(move, Phase.followup, topic, probes=offered, left=str(left), words=words)

    def _dont_know(self, topic: Topic) -> Step:
        """A foothold from the area: its first probe not yet asked that does not refer back
        to what was not said (the area's question narrowed, when none is left)."""
        said = " ".join(self._area_answers(topic.id))
        probes = choose_probes(topic.probes, "", said, self._probes_used(topic.id))[:1]
        foothold = probes[0].ask if probes else topic.question
        return self._step(
            "dont-know",
            Phase.followup,
            topic,
            probes=tuple(p.ask for p in probes),
            foothold=foothold,
        )

    def _next_topic(self, topic: Topic) -> Step:
        earlier = [t.text for t in self.transcript.candidate_turns()]
        quote = quote_about(earlier, topic.keywords)
        if quote is None:
            return self._step("question", Phase.question, topic, question=topic.question)
        probes = choose_probes(topic.probes, quote, " ".join(earlier), set())[:2]
        return self._step(
            "build-on", Phase.question, topic, probes=tuple(p.ask for p in probes), quote=quote
        )

    def _clarify(self, topic: Topic, answer: Answer) -> Step:
        facts = match_facts(self.opening.facts, answer.text)
        return self._step("clarify", Phase.followup, topic, facts=facts)

    def _candidate_led(self, now: datetime) -> Step:
        """Rounds where the candidate asks: answer each question from the facts it reaches;
        invite a new area when they run dry, or with the answer when the clock leaves this
        area no more questions; close once every area has been offered."""
        index = self.topic_index()
        answer = self.last_answer(offered=True)
        more = index + 1 < len(self.topics)
        if answer.kind in (AnswerKind.no_more_questions, AnswerKind.empty):
            if more:
                nxt = self.topics[index + 1]
                return self._step("invite", Phase.question, nxt, question=nxt.question)
            return self._closing()  # they have been asking all along: no separate Q&A
        facts = match_facts(self.opening.facts, answer.text)
        if more and not self._clock_allows(index, self._asked_on(self.topics[index].id), now):
            nxt = self.topics[index + 1]
            return self._step(
                "answer-invite", Phase.question, nxt, facts=facts, question=nxt.question
            )
        return self._step("answer-question", Phase.followup, self.topics[index], facts=facts)

    def _asked_on(self, topic_id: str) -> int:
        """Questions the candidate has had answered on this area so far."""
        interviewer = self._interviewer_turns()
        return sum(1 for t in interviewer if t.topic == topic_id and t.move == "answer-question")

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
        words: str = "",
        **values: str,
    ) -> Step:
        """The step with its words filled in from ``prompts/steps.toml`` (from the entry
        ``words`` where one move has several, such as a probe on code by its check)."""
        text = self.steps.moves[words or move]
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
        if not probes and text.say_unknown and "$probe" in text.say:
            say_template = text.say_unknown  # no authored probe fits: the generic line
        directive = Template(text.directive).substitute(fields)
        say = Template(say_template).substitute(fields)
        return Step(phase, topic, move, directive, say.strip(), probes)
