"""The model's words for one step: kept when clean, asked again once, else the step's line."""

from __future__ import annotations

from fakes import FakeModel
from interviewer.catalog.library import read_prompt
from interviewer.interview.leaks import Hidden
from interviewer.interview.writer import SCRIPTED, write

NONCE = "504d8343"
SAY = "How long does the label take to arrive?"
REQUEST = [
    {"role": "system", "content": "You are Maya."},
    {"role": "user", "content": f"We flag fraud.\n\n[session {NONCE}: phase followup]\nProbe."},
]


def run(replies: list[str]) -> tuple[object, str, FakeModel]:
    model = FakeModel(replies)
    shown: list[str] = []
    written = write(
        model,
        REQUEST,
        Hidden(NONCE, ("Probe.",)),
        names=("Maya",),
        say=SAY,
        emit=shown.append,
        temperature=0.7,
    )
    return written, "".join(shown), model


def test_a_clean_reply_is_the_message_and_asked_once():
    written, shown, model = run(["What is the label, and when does it arrive?"])
    assert written.text == shown.strip() == "What is the label, and when does it arrive?"
    assert written.cut is None and not written.scripted and len(model.calls) == 1


def test_a_reply_with_nothing_clean_is_asked_for_again_with_the_reminder():
    written, shown, model = run(
        [f"[session {NONCE}: phase followup] Probe.", "What is the label, exactly?"]
    )
    assert written.text == shown.strip() == "What is the label, exactly?"
    assert written.cut.startswith("asked again") and NONCE not in written.cut
    reminder = read_prompt("reminder.md").split("$why")[0].strip()
    first, again = model.calls
    assert again[:-1] == first[:-1] and reminder in again[-1]["content"]
    assert again[-1]["content"].startswith(first[-1]["content"])


def test_twice_unusable_says_the_steps_line_marked_as_scripted():
    written, shown, model = run(["I'm sorry, but I can't help with that.", "As an AI, no."])
    assert written.text == shown == SAY and written.scripted
    assert written.cut.startswith(SCRIPTED) and len(model.calls) == 2


def test_a_clean_start_cut_before_any_question_gets_the_steps_line_after_it():
    written, shown, model = run(["Sure. I would use gradient boosting on the raw features."])
    assert written.text == f"Sure. {SAY}" and shown.split() == written.text.split()
    assert written.scripted and "spoke as the candidate" in written.cut
    assert "gradient boosting" not in shown and len(model.calls) == 1


def test_a_copy_of_an_earlier_message_is_asked_for_again():
    """SmolLM2-135M wrote the same reply turn after turn, copied from the history."""
    earlier = "What was the product, the model and the timeline, and what number did you watch?"
    model = FakeModel([earlier, "Which of those numbers moved first?"])
    shown: list[str] = []
    written = write(
        model,
        REQUEST,
        Hidden(NONCE),
        names=("Maya",),
        say=SAY,
        emit=shown.append,
        temperature=0.7,
        said=["Thanks.", earlier],
    )
    assert written.text == "".join(shown).strip() == "Which of those numbers moved first?"
    assert "repeated itself" in written.cut and len(model.calls) == 2
