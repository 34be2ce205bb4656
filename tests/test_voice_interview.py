"""Spoken answers in a whole interview: recorded, reviewed, sent, never lost."""

from __future__ import annotations

import json

from builders import behavioral_interview
from fakes import FakeModel
from interviewer.catalog.library import Catalog
from interviewer.formats.transcript import Role
from interviewer.interview.runner import Outcome, Runner
from interviewer.interview.start import reopen
from interviewer.store.transcripts import Store
from interviewer.voice.recorder import FileRecorder
from interviewer.voice.speaker import Speaker
from voicekit import ScriptedTranscriber, SpokenLog, shown, spoken, voice_terminal


def interview():
    return behavioral_interview()


def saved_answers(store, transcript_id):
    data = json.loads(store.path(transcript_id).read_text())
    return [t for t in data["turns"] if t["role"] == "candidate"]


def test_a_spoken_answer_is_sent_with_its_delivery_and_typing_still_works(isolated):
    store = Store(isolated / "transcripts")
    iv = interview()
    folder = store.path(iv.transcript.id).with_suffix(".audio")
    answer = spoken(isolated / "a.wav", "First, um, I led the project.")
    stt = ScriptedTranscriber(["First, um, you know, I led the project. Second, I shipped it."])
    log = SpokenLog()
    speaker = Speaker(log)
    # Enter records; Enter sends what was heard; /delivery shows it; a typed answer; pause.
    lines = ["", "", "/delivery", "I typed this one.", "", "/pause"]
    terminal = voice_terminal(
        iv.transcript, folder, FileRecorder([answer]), stt, lines, speaker=speaker
    )
    runner = Runner(iv, FakeModel(["Tell me about a project. What was hard?", "Q2?", "Q3?"]),
                    terminal, store)  # fmt: skip
    assert runner.run() is Outcome.paused
    terminal.voice.saved()
    speaker.wait(5)
    spoken_answer, typed = saved_answers(store, iv.transcript.id)
    assert spoken_answer["text"] == "First, um, you know, I led the project. Second, I shipped it."
    delivery = spoken_answer["delivery"]
    assert delivery["fillers"] == {"um": 1, "you know": 1}
    assert delivery["first_structure_seconds"] == 0.0
    assert delivery["talk_seconds"] > 1
    assert typed["text"] == "I typed this one." and typed.get("delivery") is None
    assert "Heard: First, um, you know, I led the project. Second," in shown(terminal)
    assert "fillers: um ×1, you know ×1" in shown(terminal)  # /delivery
    assert "When: um 0:00 · you know 0:00" in shown(terminal)  # and when each was said
    assert log.said[:2] == ["Tell me about a project.", "What was hard?"]  # sentence by sentence
    assert not folder.exists()  # the text is saved, so the audio is gone


def test_edit_fixes_the_transcript_and_redo_records_again(isolated, monkeypatch, tmp_path):
    editor = tmp_path / "fix.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/and ECG/NDCG/' \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    store = Store(isolated / "transcripts")
    iv = interview()
    folder = store.path(iv.transcript.id).with_suffix(".audio")
    wav = spoken(isolated / "a.wav", "We track the metric.")
    stt = ScriptedTranscriber(["Wrong words.", "We track and ECG."])
    lines = ["", "/redo", "/edit", "", "/pause"]
    terminal = voice_terminal(iv.transcript, folder, FileRecorder([wav, wav]), stt, lines,
                              keep_audio=True)  # fmt: skip
    assert Runner(iv, FakeModel(["Q1?", "Q2?"]), terminal, store).run() is Outcome.paused
    terminal.voice.saved()
    (answer,) = saved_answers(store, iv.transcript.id)
    assert answer["text"] == "We track NDCG."
    assert answer["delivery"]["audio"] == f"{folder.name}/answer-1.wav"
    assert (folder / "answer-1.wav").is_file()  # --keep-audio keeps it for good


def test_ctrl_c_mid_recording_keeps_the_audio_and_resume_offers_it(isolated):
    store = Store(isolated / "transcripts")
    iv = interview()
    folder = store.path(iv.transcript.id).with_suffix(".audio")
    wav = spoken(isolated / "a.wav", "I would start with a baseline and then iterate on it.")
    recorder = FileRecorder([wav], interrupt_after=1.0)
    terminal = voice_terminal(iv.transcript, folder, recorder, ScriptedTranscriber([]), [""])
    assert Runner(iv, FakeModel(["Q1?"]), terminal, store).run() is Outcome.interrupted
    terminal.voice.saved()
    kept = folder / "answer-1.wav"
    assert kept.is_file() and kept.stat().st_size > 16_000  # about a second of audio

    transcript = store.load(iv.transcript.id)
    again = reopen(Catalog(), transcript, print)
    stt = ScriptedTranscriber(["I would start with a baseline."])
    terminal = voice_terminal(transcript, folder, FileRecorder([]), stt, ["", "/pause"])
    assert Runner(again, FakeModel(["Q2?"]), terminal, store).run() is Outcome.paused
    terminal.voice.saved()
    assert stt.heard == [kept]
    assert "Found your recorded answer" in shown(terminal)
    (answer,) = saved_answers(store, iv.transcript.id)
    assert answer["text"] == "I would start with a baseline."
    assert not kept.exists()


def test_a_failed_transcription_keeps_the_recording_and_typing_still_works(isolated):
    class Broken(ScriptedTranscriber):
        def transcribe(self, audio, prompt):
            from interviewer.errors import ModelError

            raise ModelError("could not reach http://127.0.0.1:9/v1 for model 'whisper'")

    store = Store(isolated / "transcripts")
    iv = interview()
    folder = store.path(iv.transcript.id).with_suffix(".audio")
    wav = spoken(isolated / "a.wav", "Hello there.")
    lines = ["", "Typed instead.", "", "/pause"]
    terminal = voice_terminal(iv.transcript, folder, FileRecorder([wav]), Broken([]), lines)
    assert Runner(iv, FakeModel(["Q1?", "Q2?"]), terminal, store).run() is Outcome.paused
    out = shown(terminal)
    assert "could not reach http://127.0.0.1:9/v1" in out
    assert "Your recording is kept" in out
    (answer,) = saved_answers(store, iv.transcript.id)
    assert answer["text"] == "Typed instead."


def one_recording(isolated, said, lines):
    """An interview whose one recorded answer says ``said``, then ``lines`` typed."""
    store = Store(isolated / "transcripts")
    iv = interview()
    folder = store.path(iv.transcript.id).with_suffix(".audio")
    wav = spoken(isolated / "a.wav", said)
    terminal = voice_terminal(
        iv.transcript, folder, FileRecorder([wav]), ScriptedTranscriber([said]), lines
    )
    return store, iv, folder, terminal


def test_end_of_input_after_a_recording_saves_what_was_heard(isolated):
    store, iv, _, terminal = one_recording(isolated, "Hello there.", [""])
    assert Runner(iv, FakeModel(["Q1?"]), terminal, store).run() is Outcome.interrupted
    (answer,) = saved_answers(store, iv.transcript.id)
    assert answer["text"] == "Hello there."
    assert [t.role for t in store.load(iv.transcript.id).turns][-1] is Role.candidate


def test_end_while_reviewing_a_recording_sends_it_and_leaves_no_audio(isolated):
    """What was heard reached the screen, and no resume follows /end: it is the answer."""
    said = "I would measure retention first."
    store, iv, folder, terminal = one_recording(isolated, said, ["", "/end"])
    assert Runner(iv, FakeModel(["Q1?", "Thanks, that's all."]), terminal, store).run() is (
        Outcome.complete
    )
    terminal.voice.saved()
    (answer,) = saved_answers(store, iv.transcript.id)
    assert answer["text"] == said
    assert answer["delivery"]["talk_seconds"] > 0
    assert not folder.exists()  # no recording left behind a finished session


class Unsure:
    """Hears ML terms as Whisper tiny.en writes them, one word with little confidence."""

    name = "unsure"

    def warm_up(self) -> None: ...

    def transcribe(self, audio, prompt):
        from interviewer.formats.delivery import Word
        from interviewer.voice.transcriber import Transcription

        said = [("We", 0.9), ("cut", 0.9), ("P", 0.8), ("99", 0.8), ("with", 0.9), ("Laura,", 0.1)]
        words = [Word(w, i * 0.5, i * 0.5 + 0.4, p) for i, (w, p) in enumerate(said)]
        return Transcription("We cut P 99 with Laura, then ran an a b test.", words)


def test_terms_are_written_as_an_interviewer_would_and_unsure_words_are_named(isolated):
    """What the candidate sees and sends says "p99", "LoRA", "A/B"; the word the
    transcriber was unsure of is named before sending and kept for the judge."""
    store = Store(isolated / "transcripts")
    iv = interview()
    folder = store.path(iv.transcript.id).with_suffix(".audio")
    answer = spoken(isolated / "a.wav", "We cut p ninety nine with LoRA.")
    terminal = voice_terminal(iv.transcript, folder, FileRecorder([answer]), Unsure(),
                              ["", "", "/pause"])  # fmt: skip
    Runner(iv, FakeModel(["Q1?", "Q2?"]), terminal, store).run()
    (sent,) = saved_answers(store, iv.transcript.id)
    assert sent["text"] == "We cut p99 with LoRA, then ran an A/B test."
    assert sent["delivery"]["unsure"] == ["LoRA"]
    assert 'Not sure I heard "LoRA" right: /edit fixes them before you send.' in shown(terminal)
