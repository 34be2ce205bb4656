"""Whatever a model writes, the candidate sees one clean interviewer message."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from interviewer.catalog.library import data_root, read_prompt, read_steps
from interviewer.interview.leaks import Detector, Hidden, find_leaks
from interviewer.interview.reply_guard import MAX_CHARS, ReplyGuard


def run(
    text: str, step: int = 7, names=("Daniel Okafor", "Daniel")
) -> tuple[str, str, str | None, bool]:
    shown: list[str] = []
    guard = ReplyGuard(names, shown.append)
    stopped = False
    for i in range(0, len(text), step):
        if guard.feed(text[i : i + step]):
            stopped = True
            break
    return guard.finish(), "".join(shown), guard.cut, stopped


def test_a_clean_reply_passes_whole():
    kept, shown, cut, stopped = run("Thanks. What would you measure first, and why?")
    assert kept == shown.strip() == "Thanks. What would you measure first, and why?"
    assert cut is None and not stopped


def test_writing_the_candidates_side_stops_generation_there():
    text = "What is the label? Candidate: Chargebacks. Interviewer: And the delay?"
    kept, shown, cut, stopped = run(text)
    assert kept == shown.strip() == "What is the label?"
    assert stopped and cut.startswith("wrote another speaker's turn")
    assert "Candidate: Chargebacks." in cut


def test_the_small_models_loop_is_one_question():
    """What the bundled 135M model wrote: both sides, one line repeated to the token cap."""
    text = (
        "So, how does that improve recall?\nThe interviewist: So, how does that improve recall?\n"
        * 20
    )
    kept, shown, cut, stopped = run(text)
    assert kept == "So, how does that improve recall?"
    assert shown.count("improve recall") == 1 and stopped and cut is not None


def test_a_repeated_sentence_is_cut():
    kept, _, cut, stopped = run("Tell me about the split. " * 10)
    assert kept == "Tell me about the split." and cut.startswith("repeated itself") and stopped


def test_the_models_own_label_at_the_start_is_dropped_not_fatal():
    kept, shown, cut, _ = run("Daniel Okafor: Okay. What is the baseline?")
    assert kept == "Okay. What is the baseline?" and "Daniel" not in shown and cut is None


@pytest.mark.parametrize("label", ["You:", "**Candidate:**", "Me:", "User:", "Daniel:", "A:"])
def test_any_speaker_label_after_the_start_stops(label):
    kept, _, cut, _ = run(f"Fair enough. What next?\n{label} I would retrain.")
    assert kept == "Fair enough. What next?" and cut is not None


def test_the_length_cap_holds_without_a_token_limit():
    sentences = " ".join(f"Point number {i} is about something else entirely." for i in range(200))
    kept, _, cut, stopped = run(sentences)
    assert len(kept) <= MAX_CHARS and cut.startswith("longer than the cap") and stopped


def test_a_colon_inside_a_sentence_is_not_a_label():
    kept, _, cut, _ = run("One thing first: what is the decision? Note: take your time.")
    assert kept == "One thing first: what is the decision? Note: take your time." and cut is None


def test_a_long_sentence_is_shown_as_it_streams_not_held_to_its_end():
    shown: list[str] = []
    guard = ReplyGuard(["Maya"], shown.append)
    guard.feed("Let us start with the objective of the system, ")
    assert shown and shown[0].startswith("Let us start")  # before the sentence ends
    guard.feed("and what it optimises?")
    assert guard.finish() == "Let us start with the objective of the system, and what it optimises?"
    assert "".join(shown) == guard.text


def test_a_sentence_that_may_be_a_repeat_is_held_until_it_ends():
    shown: list[str] = []
    guard = ReplyGuard(["Maya"], shown.append)
    first = "How would you measure the quality of these recommendations offline?"
    guard.feed(first + " ")
    assert guard.feed(first[:50]) is False
    assert "".join(shown).count("How would you measure") == 1
    assert guard.feed(first[50:] + " ") is True  # the repeat completes: cut, never shown
    assert "".join(shown).count("How would you measure") == 1 and guard.text == first


# ------------------------------------------------ what small models leak (issue 19, item 3)

NONCE = "504d8343"
DATA = tomllib.loads((Path(__file__).parent / "data" / "bad_replies.toml").read_text())
HIDDEN = Hidden(
    NONCE,
    (
        DATA["hidden"]["directive"],
        f"[session {NONCE}: phase followup; area: labels; move probe]",
        read_prompt("interviewer.md"),
    ),
    tuple(DATA["hidden"]["probes"]),
)


def guarded(
    text: str, step: int, hidden: Hidden | Detector = HIDDEN
) -> tuple[str, str, ReplyGuard]:
    shown: list[str] = []
    guard = ReplyGuard(("Daniel Okafor", "Daniel"), shown.append, hidden=hidden)
    for i in range(0, len(text), step):
        if guard.feed(text[i : i + step]):
            break
    return guard.finish(), "".join(shown), guard


@pytest.mark.parametrize(
    "reply", [pytest.param(r, id=f"{r['kinds'][0]}-{i}") for i, r in enumerate(DATA["reply"])]
)
def test_what_the_small_model_wrote_never_reaches_the_screen(reply: dict[str, Any]) -> None:
    text = reply["text"].replace("$nonce", NONCE)
    assert set(reply["kinds"]) <= set(find_leaks(text, HIDDEN))
    kept, shown, guard = guarded(text, len(text))  # judged whole: the guard's decision
    assert kept == reply["kept"] and shown.strip() == kept
    assert set(guard.leaks) & set(reply["kinds"])  # the guard saw what it holds
    for step in (1, 3, 7):  # streamed as tokens: whatever is shown is clean
        kept, shown, guard = guarded(text, step)
        assert shown.strip() == kept and find_leaks(kept, HIDDEN) == []
        assert NONCE not in shown and "[sess" not in shown.lower()
        assert guard.cut is not None and NONCE not in guard.cut


@pytest.mark.parametrize(
    "reply",
    [
        "I'd like you to walk me through your features.",
        "What would you measure first? Take your time.",
        "I'll hold my questions until the end. Go ahead, whenever you are ready.",
        "Thanks. How long does the label take to arrive, and what do you train on until then?",
    ],
)
def test_clean_interviewer_replies_are_not_cut(reply: str) -> None:
    for step in (1, 3, len(reply)):
        kept, shown, guard = guarded(reply, step)
        assert kept == shown.strip() == reply and guard.cut is None and not guard.leaks


def shipped_lines() -> list[tuple[str, str]]:
    """Every line the project ships for an interviewer to say: each move's scripted line,
    and each round's start, questions, probes, twists, extensions and facts."""
    lines = [
        (f"steps:{move}", text)
        for move, step in read_steps().moves.items()
        for text in (step.say, step.say_unknown)
        if text
    ]
    for path in sorted((data_root() / "rubrics").glob("*.toml")):
        data = tomllib.loads(path.read_text())
        lines += [(path.stem, v) for v in data.get("moves", {}).values() if isinstance(v, str)]
        for topic in data.get("topics", []):
            lines.append((path.stem, topic["question"]))
            lines += [(path.stem, p["ask"]) for p in topic.get("probes", [])]
        for opening in data.get("openings", []):
            lines += [(path.stem, f["answer"]) for f in opening.get("facts", [])]
            if opening.get("twist"):
                lines.append((path.stem, opening["twist"]["say"]))
            if isinstance(opening.get("extension"), str):
                lines.append((path.stem, opening["extension"]))
    return lines


def every_hidden_text() -> tuple[str, ...]:
    """Every directive, the system prompt's template, every persona's manner and every
    round's notes for the interviewer: far more hidden text than any one turn holds."""
    texts = [step.directive for step in read_steps().moves.values()]
    texts.append(read_prompt("interviewer.md"))
    for path in sorted((data_root() / "prompts" / "personas").glob("*.toml")):
        persona = tomllib.loads(path.read_text())
        texts += [persona["style"], persona["followup_style"]]
    for path in sorted((data_root() / "rubrics").glob("*.toml")):
        data = tomllib.loads(path.read_text())
        texts += [data.get("interviewer_notes", ""), data.get("tests", "")]
        texts += list(data.get("level_expectations", {}).values())
    return tuple(texts)


def test_no_line_the_project_ships_is_flagged_or_cut() -> None:
    """False positives cost a candidate a question: none of the shipped lines may be one."""
    detector = Detector(Hidden(NONCE, every_hidden_text()))
    lines = shipped_lines()
    assert len(lines) > 1000  # the corpus is really read
    flagged = [(where, text) for where, text in lines if find_leaks(text, detector)]
    assert flagged == []
    for where, text in lines:
        kept, _, guard = guarded(text, 3, detector)
        assert kept == text.strip() and guard.cut is None, (where, guard.cut)
