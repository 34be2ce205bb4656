"""``--mic DEVICE``: an index or part of a name, resolved against the devices PortAudio
lists (a fake ``sounddevice.query_devices`` here: this machine has no sound device),
checked before the interview starts, and listed by ``doctor --voice``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config.settings import Flags, load_settings
from interviewer.errors import ConfigError
from interviewer.voice.devices import Device, resolve
from wire import BASE, Provider

MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]
SERVERS = ["--stt-model", "whisper", "--stt-api-base", BASE, "--tts-model", "none"]


def info(index: int, name: str, ins: int, outs: int) -> dict[str, Any]:
    """One entry as ``sounddevice.query_devices()`` gives it."""
    return {
        "name": name,
        "index": index,
        "hostapi": 0,
        "max_input_channels": ins,
        "max_output_channels": outs,
        "default_samplerate": 44100.0,
    }


LAPTOP = [
    info(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 2),
    info(1, "HDA Intel PCH: HDMI 0 (hw:0,3)", 0, 8),
    info(2, "USB Audio Device: - (hw:1,0)", 1, 0),
    info(3, "Jabra USB Headset", 1, 2),
    info(4, "default", 64, 64),
]
DEFAULT_INPUT = 4


@pytest.fixture
def laptop(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """sounddevice sees LAPTOP's devices, its default input being ``default``. Without the
    voice extra the tests that need it skip; resolving a choice needs no sounddevice."""
    sounddevice = pytest.importorskip("sounddevice")

    def query_devices(device: object = None, kind: str | None = None) -> object:
        if device is None and kind == "input":
            return LAPTOP[DEFAULT_INPUT]
        assert device is None and kind is None, "only the list and the default are asked for"
        return LAPTOP

    monkeypatch.setattr(sounddevice, "query_devices", query_devices)
    return LAPTOP


def devices(*entries: tuple[int, str, int]) -> list[Device]:
    return [Device(index, name, ins) for index, name, ins in entries]


FOUR = devices(
    (0, "Built-in Microphone", 2), (1, "HDMI", 0), (2, "USB Mic", 1), (3, "USB Mic 2", 1)
)


@pytest.mark.parametrize(
    ("choice", "index"),
    [("2", 2), ("built-in", 0), ("BUILT-IN MICROPHONE", 0), ("usb mic", 2), (" 3 ", 3)],
)
def test_an_index_or_part_of_a_name_picks_one_input_device(choice, index):
    assert resolve(choice, FOUR).index == index


def test_a_name_that_matches_several_inputs_lists_them():
    with pytest.raises(ConfigError) as caught:
        resolve("usb", FOUR)
    assert (
        caught.value.message
        == """--mic 'usb' matches 2 input devices: 2 "USB Mic", 3 "USB Mic 2\""""
    )
    assert caught.value.hint == "give the index, or more of the name"


def test_a_name_that_matches_nothing_lists_the_input_devices_only():
    with pytest.raises(ConfigError) as caught:
        resolve("jabra", FOUR)
    assert caught.value.message == "--mic 'jabra': no device's name contains it"
    assert caught.value.hint == (
        'use one of the input devices, by index or name: 0 "Built-in Microphone", '
        '2 "USB Mic", 3 "USB Mic 2"'
    )  # HDMI, which cannot record, is not offered


@pytest.mark.parametrize("choice", ["1", "hdmi"])
def test_a_device_that_cannot_record_is_refused(choice):
    with pytest.raises(ConfigError, match='"HDMI" has no input channels') as caught:
        resolve(choice, FOUR)
    assert '0 "Built-in Microphone"' in str(caught.value.hint)


def test_an_index_with_no_device_and_a_machine_with_no_input():
    with pytest.raises(ConfigError, match="there is no device 7"):
        resolve("7", FOUR)
    with pytest.raises(ConfigError, match="this machine has no input device"):
        resolve("usb", devices((1, "HDMI", 0)), "INTERVIEWER_MIC")


def test_mic_follows_flags_then_environment_then_the_config_file(isolated, monkeypatch):
    (isolated / "config.toml").write_text("mic = 3\n")  # an index may be written bare
    assert load_settings().mic == "3"
    monkeypatch.setenv("INTERVIEWER_MIC", "jabra")
    assert load_settings().mic == "jabra"
    assert load_settings(Flags(mic="usb audio")).mic == "usb audio"
    monkeypatch.delenv("INTERVIEWER_MIC")
    (isolated / "config.toml").write_text("")
    assert load_settings().mic is None  # the system's default input


def test_practice_refuses_a_mic_that_matches_nothing_before_the_interviewer_speaks(
    isolated, respx_mock, laptop
):
    provider = Provider(respx_mock)
    provider.interviewer = ["Hi. Tell me about a project you led."]
    result = CliRunner().invoke(
        app, ["practice", "behavioral", "--voice", "--mic", "blue yeti", *SERVERS, *MODEL_ARGS]
    )
    assert result.exit_code == 2, result.output
    line = " ".join(result.stderr.split())
    assert line.startswith("error: --mic 'blue yeti': no device's name contains it (use one of")
    assert '0 "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2 "USB Audio Device: - (hw:1,0)", ' in line
    assert "HDMI" not in line
    assert "Traceback" not in result.output
    assert provider.streamed == []  # not a word from the interviewer
    assert list(isolated.glob("transcripts/**/*.json")) == []  # and no empty session saved


def test_loop_names_the_environment_variable_when_that_set_the_mic(
    isolated, respx_mock, laptop, monkeypatch
):
    monkeypatch.setenv("INTERVIEWER_MIC", "usb")
    provider = Provider(respx_mock)
    result = CliRunner().invoke(app, ["loop", "ml-engineer", "--voice", *SERVERS, *MODEL_ARGS])
    assert result.exit_code == 2, result.output
    assert "error: INTERVIEWER_MIC 'usb' matches 2 input devices: 2 " in result.stderr
    assert "give the index, or more of the name" in result.stderr
    assert provider.streamed == []
    assert list(isolated.glob("transcripts/**/*.json")) == []  # no loop session begun


def test_resume_checks_the_mic_from_the_config_file(isolated, respx_mock, laptop):
    provider = Provider(respx_mock)
    provider.interviewer = ["Tell me about a project you led."]
    first = CliRunner().invoke(app, ["practice", "behavioral", *MODEL_ARGS], input="/pause\n")
    assert first.exit_code == 0, first.output
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    (isolated / "config.toml").write_text('mic = "1"\n')
    second = CliRunner().invoke(app, ["resume", path.stem, "--voice", *SERVERS])
    assert second.exit_code == 2, second.output
    config = isolated / "config.toml"
    assert f"mic in {config} '1': 1 \"HDA Intel PCH: HDMI 0 (hw:0,3)\" has no input" in " ".join(
        second.stderr.split()
    )
    assert len(provider.streamed) == 1  # the first session's opening only


def test_the_chosen_device_is_the_one_recorded_from(isolated, respx_mock, laptop, monkeypatch):
    import sounddevice

    opened: list[object] = []

    def stream(**kwargs: object) -> None:  # sounddevice.RawInputStream, refusing to open
        opened.append(kwargs["device"])
        raise sounddevice.PortAudioError("Device unavailable")

    monkeypatch.setattr(sounddevice, "RawInputStream", stream)
    provider = Provider(respx_mock)
    provider.interviewer = ["Tell me about a project you led.", "What was hard?"]
    args = ["practice", "behavioral", "--voice", "--mic", "JABRA", *SERVERS, *MODEL_ARGS]
    result = CliRunner().invoke(app, args, input="\nI led the ranking rewrite.\n\n/pause\n")
    assert result.exit_code == 0, result.output
    assert opened == [3]  # Jabra USB Headset's index, whatever case it was named in
    assert "no microphone could be opened" in " ".join(result.output.split())
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    turns = json.loads(Path(path).read_text())["turns"]
    assert [t["text"] for t in turns if t["role"] == "candidate"] == ["I led the ranking rewrite."]


def doctor(args: list[str]) -> Any:
    return CliRunner().invoke(app, ["doctor", "--voice", *SERVERS, *args], env={"COLUMNS": "200"})


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """sounddevice.rec hears a loud tone on whichever device it is given; wait is a no-op."""
    np = pytest.importorskip("numpy")
    sounddevice = pytest.importorskip("sounddevice")

    asked: list[object] = []

    def rec(frames: int, **kwargs: object) -> object:
        asked.append(kwargs.get("device"))
        return np.full((frames, 1), 8000, dtype=np.int16)

    monkeypatch.setattr(sounddevice, "rec", rec)
    monkeypatch.setattr(sounddevice, "wait", lambda: None)
    return asked


def test_doctor_lists_the_input_devices_and_checks_the_chosen_one(
    isolated, respx_mock, laptop, heard
):
    respx_mock.post(f"{BASE}/audio/transcriptions").respond(200, json={"text": "Hello."})
    result = doctor(["--mic", "jabra"])
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.strip("│ ").split()) for line in result.stdout.splitlines()]
    assert 'voice │ input devices │ ok │ 0 "HDA Intel PCH: ALC3246 Analog (hw:0,0)"' in lines
    assert '2 "USB Audio Device: - (hw:1,0)"' in lines
    assert '3 "Jabra USB Headset" (--mic)' in lines
    assert '4 "default" (default)' in lines
    assert not any("HDMI" in line for line in lines)  # it cannot record
    assert "microphone │ ok │ Jabra USB Headset: level 0.244" in lines
    assert heard == [3]


def test_doctor_without_mic_uses_the_default_input(isolated, respx_mock, laptop, heard):
    respx_mock.post(f"{BASE}/audio/transcriptions").respond(200, json={"text": "Hello."})
    result = doctor([])
    assert result.exit_code == 0, result.output
    assert "│ microphone │ ok │ default: level 0.244" in " ".join(result.stdout.split())
    assert heard == [None]  # PortAudio's own default, as practice records from


def test_doctor_fails_a_mic_that_matches_nothing_and_still_lists_the_devices(
    isolated, respx_mock, laptop, heard
):
    respx_mock.post(f"{BASE}/audio/transcriptions").respond(200, json={"text": "Hello."})
    result = doctor(["--mic", "yeti"])
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "│ microphone │ FAILED │ --mic 'yeti': no device's name contains it" in out
    assert '3 "Jabra USB Headset"' in out
    assert "microphone: use one of the input devices, by index or name: 0 " in out
    assert heard == []  # nothing was opened
    assert "Traceback" not in result.output
