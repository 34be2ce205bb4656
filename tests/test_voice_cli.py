"""``--voice`` through the command line: settings, clear errors, typing still works."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from interviewer.cli import app
from voicekit import needs_audio
from wire import BASE, Provider

MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]


@needs_audio  # playback is checked first
def test_a_missing_transcription_model_is_one_line_with_the_fix(isolated):
    result = CliRunner().invoke(
        app, ["practice", "behavioral", "--voice", "--stt-model", "local:/nowhere", *MODEL_ARGS]
    )
    assert result.exit_code == 2
    assert "--stt-model local:/nowhere: no model.bin in /nowhere" in result.stderr
    assert "Traceback" not in result.output


@needs_audio
def test_voice_from_the_config_file_and_typing_still_works(isolated, respx_mock):
    (isolated / "config.toml").write_text(
        f'voice = true\nstt_model = "whisper"\nstt_api_base = "{BASE}"\ntts_model = "none"\n'
        'filler_words = ["right"]\n'
    )
    provider = Provider(respx_mock)
    provider.interviewer = ["Hi. Tell me about a project you led.", "What was hard?"]
    result = CliRunner().invoke(
        app, ["practice", "behavioral", *MODEL_ARGS], input="I led the ranking rewrite.\n\n/pause\n"
    )
    assert result.exit_code == 0, result.output
    assert "Voice: press Enter on an empty line to answer aloud" in result.stdout
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    turns = json.loads(path.read_text())["turns"]
    assert [t["text"] for t in turns if t["role"] == "candidate"] == ["I led the ranking rewrite."]


def test_a_bad_voice_setting_names_the_setting(isolated):
    (isolated / "config.toml").write_text("silence_seconds = -1\n")
    result = CliRunner().invoke(app, ["practice", "behavioral", *MODEL_ARGS])
    assert result.exit_code == 2
    assert "silence_seconds" in result.stderr and "config.toml" in result.stderr


def test_the_voice_libraries_stay_off_the_start_up_path():
    code = (
        "import sys, interviewer.cli, interviewer.review.progress, interviewer.review.markdown; "
        "print(sorted(m for m in ('faster_whisper', 'sounddevice', 'numpy', 'ctranslate2') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@needs_audio
def test_resume_offers_an_answer_recorded_before_the_stop(isolated, respx_mock):
    import httpx

    from interviewer.voice.audio import write_wav

    provider = Provider(respx_mock)
    provider.interviewer = ["Tell me about a project you led.", "What was hard?"]
    first = CliRunner().invoke(app, ["practice", "behavioral", *MODEL_ARGS], input="/pause\n")
    assert first.exit_code == 0, first.output
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    write_wav(path.with_suffix(".audio") / "answer-1.wav", b"\0\0" * 16_000)  # Ctrl-C'd answer
    respx_mock.post(f"{BASE}/audio/transcriptions").mock(
        return_value=httpx.Response(200, json={"text": "Um, I led the ranking rewrite."})
    )
    (isolated / "config.toml").write_text(
        f'stt_model = "whisper"\nstt_api_base = "{BASE}"\ntts_model = "none"\n'
    )
    second = CliRunner().invoke(app, ["resume", path.stem], input="\n/pause\n")
    assert second.exit_code == 0, second.output
    assert "An answer you recorded is waiting: resuming with --voice." in second.stdout
    assert "Heard: Um, I led the ranking rewrite." in second.stdout
    turns = json.loads(path.read_text())["turns"]
    (answer,) = [t for t in turns if t["role"] == "candidate"]
    assert answer["text"] == "Um, I led the ranking rewrite."
    assert answer["delivery"]["fillers"] == {"um": 1}
    assert not path.with_suffix(".audio").exists()  # saved, so the recording is gone


# ------------------------------------------------------- interviewer delivery FILE.wav


def test_delivery_of_a_missing_or_unreadable_file_is_one_line(isolated, tmp_path):
    missing = CliRunner().invoke(app, ["delivery", str(tmp_path / "nope.wav")])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == (
        f"error: {tmp_path / 'nope.wav'}: no such file (give the path of a WAV recording)"
    )
    notes = tmp_path / "notes.wav"
    notes.write_text("not audio at all")
    unreadable = CliRunner().invoke(app, ["delivery", str(notes)])
    assert unreadable.exit_code == 2
    assert f"{notes}: not a WAV file this can read" in unreadable.stderr
    assert "ffmpeg -i" in unreadable.stderr and len(unreadable.stderr.strip().splitlines()) == 1


def test_delivery_shows_the_transcript_and_each_figure_with_its_aim(isolated, tmp_path, respx_mock):
    """Through a transcription server, so the words and their timings are known."""
    import httpx

    from interviewer.voice.audio import write_wav

    answer = tmp_path / "answer.wav"
    write_wav(answer, b"\0\0" * 16_000 * 12)  # 12 s
    said = "There are two things. Um, the P 99 latency. [pause] Second, an a b test."
    timed = [w for w in said.split() if w != "[pause]"]
    starts = [0.5 + i * 0.4 for i in range(9)] + [6.5 + i * 0.4 for i in range(5)]  # 2.5 s pause
    words = [{"word": w, "start": s, "end": s + 0.3} for w, s in zip(timed, starts, strict=True)]
    respx_mock.post(f"{BASE}/audio/transcriptions").mock(
        return_value=httpx.Response(
            200, json={"text": said.replace(" [pause]", ""), "words": words}
        )
    )
    result = CliRunner().invoke(
        app, ["delivery", str(answer), "--stt-model", "whisper", "--stt-api-base", BASE],
        env={"COLUMNS": "300"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "There are two things. Um, the p99 latency. Second, an A/B test."
    assert lines[2] == (
        "Delivery: 12 s spoken (aim 30–180 s) · 14 words · 106 words/min (aim 120–160) · "
        "fillers: um ×1 (5.0/min; aim 0–3/min) · 1 pause(s) over 2 s (aim 0–2) · "
        "structure announced at 0.5 s (aim: by 20 s)"
    )
    assert lines[3] == "When: um 0:02 · pause 2.5 s 0:04"  # 14 words in 7.9 s: 106 a minute
