"""``--voice`` through the command line: settings, clear errors, typing still works."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from interviewer.cli import app
from wire import BASE, Provider

MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]


def test_a_missing_transcription_model_is_one_line_with_the_fix(isolated):
    result = CliRunner().invoke(
        app, ["practice", "behavioral", "--voice", "--stt-model", "local:/nowhere", *MODEL_ARGS]
    )
    assert result.exit_code == 2
    assert "--stt-model local:/nowhere: no model.bin in /nowhere" in result.stderr
    assert "Traceback" not in result.output


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
        "import sys, interviewer.cli, interviewer.progress, interviewer.render; "
        "print(sorted(m for m in ('faster_whisper', 'sounddevice', 'numpy', 'ctranslate2') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
