"""Which microphone: ``--mic`` as a device index or part of its name, resolved up front.

sounddevice takes either for ``device=``, but its own errors come at the first recording
and name neither our setting nor the devices there are. So the choice is resolved here to
one index, against ``sounddevice.query_devices()``, before the interview starts: a name
that matches no input device or several, or a device that cannot record, is one line that
names the setting and lists the input devices it could have meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from interviewer.config.settings import Settings
from interviewer.errors import ConfigError

NO_INPUT_FIX = (
    "plug in a microphone (on Linux: arecord -l lists them), or leave the setting unset "
    "and type your answers"
)


@dataclass(frozen=True)
class Device:
    """One PortAudio device, as ``query_devices()`` describes it."""

    index: int
    name: str
    inputs: int
    default: bool = False

    def label(self) -> str:
        return f'{self.index} "{self.name}"'


def list_devices(sd: ModuleType) -> list[Device]:
    """Every device PortAudio knows, the system's default input marked."""
    try:
        found: Sequence[dict[str, Any]] = sd.query_devices()
    except sd.PortAudioError:
        return []
    default = default_input(sd)
    return [
        Device(
            index=int(info["index"]),
            name=" ".join(str(info["name"]).split()),  # one line, whatever the driver says
            inputs=int(info["max_input_channels"]),
            default=int(info["index"]) == default,
        )
        for info in found
    ]


def default_input(sd: ModuleType) -> int | None:
    """The default input's index; None where there is none (sounddevice raises then)."""
    try:
        info: dict[str, Any] = sd.query_devices(kind="input")
    except (sd.PortAudioError, ValueError):
        return None
    return int(info["index"])


def inputs(devices: Sequence[Device]) -> list[Device]:
    return [device for device in devices if device.inputs > 0]


def resolve(choice: str, devices: Sequence[Device], setting: str = "--mic") -> Device:
    """The one input device ``choice`` means: an index, or a case-insensitive part of a
    name (a name matched whole wins over names that merely contain it)."""
    recorders = inputs(devices)
    listing = ", ".join(device.label() for device in recorders)
    pick = f"use one of the input devices, by index or name: {listing}"
    given = choice.strip()
    if not recorders:
        raise ConfigError(
            f"{setting} {given!r}: this machine has no input device", hint=NO_INPUT_FIX
        )
    if given.isdigit():
        matches = [device for device in devices if device.index == int(given)]
        if not matches:
            raise ConfigError(f"{setting} {given}: there is no device {given}", hint=pick)
    else:
        matches = [device for device in devices if given.lower() in device.name.lower()]
        if not matches:
            raise ConfigError(f"{setting} {given!r}: no device's name contains it", hint=pick)
        if len(inputs(matches)) > 1:
            whole = [device for device in inputs(matches) if device.name.lower() == given.lower()]
            if len(whole) == 1:
                return whole[0]
            which = ", ".join(device.label() for device in inputs(matches))
            raise ConfigError(
                f"{setting} {given!r} matches {len(inputs(matches))} input devices: {which}",
                hint="give the index, or more of the name",
            )
    usable = inputs(matches)
    if not usable:
        raise ConfigError(
            f"{setting} {given!r}: {matches[0].label()} has no input channels", hint=pick
        )
    return usable[0]


def mic_setting(settings: Settings) -> str:
    """Where ``mic`` came from, as the user would fix it: --mic, INTERVIEWER_MIC, or mic
    in the config file."""
    return settings.source("mic").removeprefix("from ")


def chosen_mic(settings: Settings, sd: ModuleType) -> Device | None:
    """The input device the settings name, checked; None for the system's default."""
    if settings.mic is None or not settings.mic.strip():
        return None
    return resolve(settings.mic, list_devices(sd), mic_setting(settings))
