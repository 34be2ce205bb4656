"""The interviewer's voice: streamed text spoken sentence by sentence, off the main thread.

``Speaker.feed`` takes the reply's chunks as they stream; each finished sentence goes on
a queue that a background thread speaks, so the first sentence is heard while the rest
is still arriving and the stream is never held up by the audio. Engines:

- the operating system's own (default): espeak-ng (or espeak) on Linux, ``say`` on
  macOS, SAPI through PowerShell on Windows. The text goes in on stdin, never as an
  argument, so a reply cannot be read as an option.
- ``Server``: an OpenAI-compatible ``/audio/speech`` server or a hosted provider
  (``voice.remote``), played through sounddevice.

A failure to speak never stops the interview: the first one is kept for the terminal
to report, and the text stays on the screen.
"""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Protocol

from interviewer.errors import ConfigError, UserError

if TYPE_CHECKING:
    from interviewer.voice.remote import HostedAudio, ServerAudio

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n\s*\n")
_MARKUP = re.compile(r"[*_`#>|]+")
MIN_SENTENCE = 12  # characters: "Dr. Smith" should not be cut at "Dr."
WPM = 170


class Engine(Protocol):
    name: str

    def say(self, text: str) -> None:
        """Speak ``text``, returning when it has been spoken (or stopped)."""

    def stop(self) -> None:
        """Cut off what is being spoken now."""


def speakable(text: str) -> str:
    """What an engine should read: no Markdown symbols, no code fences, one line."""
    text = re.sub(r"```.*?(```|$)", " (code on screen) ", text, flags=re.DOTALL)
    return " ".join(_MARKUP.sub(" ", text).split())


class Sentences:
    """Cuts a stream of chunks into sentences as soon as each one ends."""

    def __init__(self) -> None:
        self.buffer = ""

    def feed(self, chunk: str) -> list[str]:
        self.buffer += chunk
        done: list[str] = []
        start = 0
        for match in _SENTENCE_END.finditer(self.buffer):
            if self.buffer[: match.end()].count("```") % 2:
                continue  # inside a code block: it is spoken whole, once closed
            if match.end() - start >= MIN_SENTENCE:
                done.append(self.buffer[start : match.end()].strip())
                start = match.end()
        self.buffer = self.buffer[start:]
        return [s for s in done if s]

    def flush(self) -> list[str]:
        rest, self.buffer = self.buffer.strip(), ""
        return [rest] if rest else []


def system_command() -> tuple[list[str], str] | None:
    """The OS engine's command (reading text on stdin) and its name, if there is one."""
    if sys.platform == "darwin":
        return (["say", "-f", "-"], "say") if shutil.which("say") else None
    if sys.platform == "win32":
        script = (
            "Add-Type -AssemblyName System.Speech; "
            "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
            "$s.Speak([Console]::In.ReadToEnd())"
        )
        shell = shutil.which("powershell") or shutil.which("pwsh")
        return ([shell, "-NoProfile", "-Command", script], "Windows SAPI") if shell else None
    for name in ("espeak-ng", "espeak"):
        if shutil.which(name):
            return [name, "-s", str(WPM)], name
    return None


SYSTEM_FIX = {
    "linux": "install espeak-ng: sudo apt-get install espeak-ng (Debian, Ubuntu)",
    "darwin": "the 'say' command ships with macOS; check your PATH",
    "win32": "Windows PowerShell is needed for the system voice",
}


class SystemEngine:
    """The operating system's speech engine, one process per sentence."""

    def __init__(self) -> None:
        found = system_command()
        if found is None:
            fix = SYSTEM_FIX.get(sys.platform, SYSTEM_FIX["linux"])
            raise ConfigError("no speech engine found for --voice", hint=fix)
        self.command, self.name = found
        self._process: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._process = process
        _, error = process.communicate(text.encode("utf-8"))
        self._process = None
        if process.returncode > 0:  # a negative code is our own stop()
            detail = error.decode("utf-8", "replace").strip().splitlines()
            raise UserError(f"{self.name} failed: {detail[0] if detail else process.returncode}")

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()


class ServerEngine:
    """Speech from an OpenAI-compatible server or a hosted provider, played here."""

    def __init__(self, client: ServerAudio | HostedAudio, voice: str | None) -> None:
        self.client = client
        self.voice = voice
        self.name = client.spec.model

    def say(self, text: str) -> None:
        from interviewer.voice.audio import play_wav

        play_wav(self.client.speak(text, self.voice))

    def stop(self) -> None:
        from interviewer.voice.audio import stop_playback

        stop_playback()


class Speaker:
    """Speaks streamed text sentence by sentence on a background thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sentences = Sentences()
        self.failure: str | None = None
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._work, name="speaker", daemon=True)
        self._thread.start()

    def feed(self, chunk: str) -> None:
        for sentence in self.sentences.feed(chunk):
            self._say(sentence)

    def end(self) -> None:
        """The reply is complete: speak what is left of it."""
        for sentence in self.sentences.flush():
            self._say(sentence)

    def _say(self, sentence: str) -> None:
        text = speakable(sentence)
        if text:
            self._idle.clear()
            self._queue.put(text)

    def cancel(self) -> None:
        """Stop speaking now and drop what is queued (the candidate wants to answer)."""
        self.sentences.buffer = ""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self.engine.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until everything queued has been spoken; False if ``timeout`` ran out."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        self.cancel()
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _work(self) -> None:
        while True:
            text = self._queue.get()
            if text is None:
                return
            try:
                self.engine.say(text)
            except Exception as exc:  # a voice that fails must not end the interview
                self.failure = self.failure or str(exc)
            finally:
                if self._queue.empty():
                    self._idle.set()
