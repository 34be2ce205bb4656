"""Delivery figures, hand-computed on answers with known word timings."""

from __future__ import annotations

import pytest

from interviewer.formats.delivery import Word, count_fillers, describe, measure, timeline

# "So first, um ... we rank by NDCG, you know, ... second, sort of A/B test."
TIMED = [
    Word("So", 0.0, 0.3),
    Word("first,", 0.5, 0.9),
    Word("um", 1.0, 1.2),
    Word("we", 3.8, 4.0),  # a 2.6 s pause before it
    Word("rank", 4.0, 4.4),
    Word("by", 4.4, 4.5),
    Word("NDCG,", 4.5, 5.2),
    Word("you", 5.3, 5.4),
    Word("know,", 5.4, 5.6),
    Word("second,", 8.6, 8.8),  # a 3.0 s pause before it
    Word("sort", 8.9, 9.1),
    Word("of", 9.1, 9.2),
    Word("A/B", 9.3, 10.0),  # two tokens: a, b
    Word("test.", 10.0, 10.5),
]
TEXT = " ".join(w.text for w in TIMED)


def test_figures_match_the_hand_computed_ones():
    d = measure(TEXT, TIMED, talk_seconds=12.0, transcriber="test")
    assert d.words == 15
    assert d.words_per_minute == pytest.approx(15 / 10.5 * 60, abs=0.05)  # 85.7
    assert d.fillers == {"sort of": 1, "um": 1, "you know": 1}
    assert d.long_pauses == 2  # 2.6 s and 3.0 s; the limit is 2 s
    assert d.longest_pause_seconds == 3.0
    assert d.first_structure_seconds == 0.5  # "first", said at 0.5 s, and a "second" later
    assert d.talk_seconds == 12.0
    assert [(m.what, m.at, m.seconds) for m in d.moments] == [
        ("um", 1.0, None),
        ("pause", 1.2, 2.6),
        ("you know", 5.3, None),
        ("pause", 5.6, 3.0),
        ("sort of", 8.9, None),
    ]
    assert (
        timeline(d)
        == "um 0:01 · pause 2.6 s 0:01 · you know 0:05 · pause 3.0 s 0:05 · sort of 0:08"
    )


def timed(text: str) -> list[Word]:
    return [Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(text.split())]


@pytest.mark.parametrize(
    ("text", "at"),
    [
        pytest.param("I would clean the data first and then train", None, id="bare-first"),
        pytest.param("First of all the data matters", None, id="first-without-second"),
        pytest.param("So first, clean it. Second, train it.", 0.5, id="first-then-second"),
        pytest.param("Well firstly this and secondly that", 0.5, id="firstly-secondly"),
        pytest.param("OK so there are three things here", 1.0, id="there-are-three"),
        pytest.param("Hmm. Let me start with the data", 0.5, id="let-me-start-with"),
        pytest.param("We start the job at night", None, id="start-is-not-an-announcement"),
    ],
)
def test_structure_needs_an_announcement_not_a_bare_first(text, at):
    assert (
        measure(text, timed(text), talk_seconds=5.0, transcriber="t").first_structure_seconds == at
    )


def test_the_words_the_transcriber_was_unsure_of_are_named_once():
    said = [("We", 0.99), ("use", 0.25), ("laura,", 0.11), ("and", 0.95), ("Laura", 0.15),
            ("adapters.", 0.05)]  # fmt: skip
    words = [Word(w, i * 0.4, i * 0.4 + 0.3, p) for i, (w, p) in enumerate(said)]
    d = measure("We use LoRA, and LoRA adapters.", words, talk_seconds=2.0, transcriber="t")
    assert d.unsure == ["laura", "Laura", "adapters"]  # "use", at 0.25, is sure enough


def test_the_pause_limit_and_the_users_fillers_apply():
    d = measure(TEXT, TIMED, talk_seconds=12.0, transcriber="t", extra_fillers=["so"],
                pause_limit=2.8)  # fmt: skip
    assert d.fillers["so"] == 1
    assert d.long_pauses == 1


def test_without_word_timings_only_what_the_text_shows_is_reported():
    d = measure("Um, you know, it works.", [], talk_seconds=4.0, transcriber="server")
    assert d.fillers == {"um": 1, "you know": 1}
    assert d.words == 5
    assert (d.words_per_minute, d.long_pauses, d.first_structure_seconds) == (None, None, None)
    assert "words/min" not in describe(d)


def test_too_short_an_answer_has_no_pace():
    words = [Word("Yes.", 0.2, 0.6)]
    assert measure("Yes.", words, talk_seconds=1.0, transcriber="t").words_per_minute is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("you know, it's sort of fine", {"sort of": 1, "you know": 1}, id="multi-word"),
        pytest.param(
            "Basically, literally basically", {"basically": 2, "literally": 1}, id="single"
        ),
        pytest.param("what kind of model, like BERT", {}, id="meant-words-not-fillers"),
        pytest.param("Um... uh, UM", {"um": 2, "uh": 1}, id="case-and-punctuation"),
        pytest.param("I mean I mean", {"i mean": 2}, id="repeated"),
        pytest.param("the umbrella", {}, id="whole-words-only"),
    ],
)
def test_fillers(text, expected):
    assert count_fillers(text) == expected


def test_describe_reads_as_one_line():
    line = describe(measure(TEXT, TIMED, talk_seconds=12.0, transcriber="t"))
    assert line == (
        "12 s spoken (aim 30–180 s) · 15 words · 86 words/min (aim 120–160) · "
        "fillers: sort of ×1, um ×1, you know ×1 (15.0/min; aim 0–3/min) · "
        "2 pause(s) over 2 s (aim 0–2) · structure announced at 0.5 s (aim: by 20 s)"
    )
