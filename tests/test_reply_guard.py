"""Whatever a model writes, the candidate sees one clean interviewer message."""

from __future__ import annotations

import pytest

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
