"""Practising out loud: recording, transcription, speech and delivery figures (issue 13).

Everything slow (faster-whisper, sounddevice, numpy, litellm) is imported inside the
functions that use it, so ``interviewer`` starts as fast with voice as without it.
"""
