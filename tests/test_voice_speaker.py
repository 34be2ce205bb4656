"""The interviewer's voice: sentence by sentence, off the main thread, never in the way."""

from __future__ import annotations

import sys
import threading

import pytest

from interviewer.voice.speaker import Sentences, Speaker, SystemEngine, speakable


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        pytest.param(["Hello there. How are", " you today? Fine"], ["Hello there.", "How are you today?"], id="across-chunks"),
        pytest.param(["Dr. Smith is here. Next."], ["Dr. Smith is here."], id="short-abbreviation-kept"),
        pytest.param(["Look at this:\n```\nx = 1. y = 2.\n```\nDone. "], ["Look at this:\n```\nx = 1. y = 2.\n```\nDone."], id="code-block-whole"),
        pytest.param(["Right!  So, tell me more. "], ["Right!  So, tell me more."], id="no-cut-below-minimum"),
    ],
)  # fmt: skip
def test_sentences_end_as_soon_as_they_are_complete(chunks, expected):
    cut = Sentences()
    found = [s for chunk in chunks for s in cut.feed(chunk)]
    assert found == expected


def test_markup_and_code_are_not_read_aloud():
    assert speakable("**Great.** See `model.fit()`:\n```python\nx=1\n```") == (
        "Great. See model.fit() : (code on screen)"
    )


class Blocking:
    """An engine that cannot finish until the test lets it."""

    name = "blocking"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.started.set()
        self.release.wait(10)
        self.said.append(text)

    def stop(self) -> None:
        self.release.set()


def test_streaming_is_never_held_up_by_speech():
    engine = Blocking()
    speaker = Speaker(engine)
    speaker.feed("The first sentence is spoken now. ")
    assert engine.started.wait(10)  # speaking began before the reply ended
    speaker.feed("The second one waits its turn. ")
    speaker.end()  # returned while the engine is still on sentence one
    assert engine.said == []
    engine.release.set()
    assert speaker.wait(10)
    assert engine.said == ["The first sentence is spoken now.", "The second one waits its turn."]
    speaker.close()


def test_recording_cuts_the_interviewer_off():
    engine = Blocking()
    speaker = Speaker(engine)
    speaker.feed("This is a long question. It has many sentences. ")
    assert engine.started.wait(10)
    speaker.cancel()  # the candidate pressed Enter to answer
    assert speaker.wait(10)
    assert engine.said == ["This is a long question."]  # the rest was dropped
    speaker.close()


def test_the_system_engine_reads_text_on_stdin_never_as_an_option(tmp_path, monkeypatch):
    heard = tmp_path / "heard.txt"
    monkeypatch.setattr(
        "interviewer.voice.speaker.system_command",
        lambda: ([sys.executable, "-c", f"import sys; open({str(heard)!r}, 'w').write(sys.stdin.read())"], "test"),
    )  # fmt: skip
    SystemEngine().say("--help me; $(rm -rf /)")
    assert heard.read_text() == "--help me; $(rm -rf /)"


def test_no_speech_engine_is_a_one_line_error_with_the_fix(monkeypatch):
    from interviewer.errors import ConfigError

    monkeypatch.setattr("interviewer.voice.speaker.system_command", lambda: None)
    monkeypatch.setattr("sys.platform", "linux")
    with pytest.raises(ConfigError, match="sudo apt-get install espeak-ng"):
        SystemEngine()


def test_a_failing_engine_is_reported_once_and_the_interview_goes_on():
    from interviewer.errors import UserError

    class Broken:
        name = "broken"

        def say(self, text: str) -> None:
            raise UserError("espeak-ng failed: no audio device")

        def stop(self) -> None: ...

    speaker = Speaker(Broken())
    speaker.feed("One sentence here. Two sentences here. ")
    assert speaker.wait(10)
    assert speaker.failure == "espeak-ng failed: no audio device"
    speaker.close()
