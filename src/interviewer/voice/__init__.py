"""Practising out loud: recording, transcription, speech, the terminal that listens.

Everything slow (faster-whisper, sounddevice, numpy, litellm) is imported inside the
functions that use it, so ``interviewer`` starts as fast with voice as without it. The
figures of a spoken answer are ``formats.delivery``: the store and review read them too.
Only the command line and the doctor import this package.

May import: errors, formats, config, terminal, models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewer.models.base import ModelSpec
    from interviewer.voice.transcriber import Transcriber


def make_transcriber(spec: ModelSpec) -> Transcriber:
    """The transcriber a spec names: in-process for ``local``, else a server or provider.

    The factory sits in the package, as ``models.make_model`` does, so that neither
    transcriber module imports the other."""
    from interviewer.voice.transcriber import LOCAL_STT, LocalWhisper

    if spec.model == LOCAL_STT or spec.model.startswith(f"{LOCAL_STT}:"):
        return LocalWhisper(spec.model)
    from interviewer.voice.remote import RemoteTranscriber

    return RemoteTranscriber(spec)
