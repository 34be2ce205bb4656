"""Every saved session, read in full: for the few commands that must look inside each one.

``list`` and ``progress`` read the index instead; what the index does not hold (a person's
grades, say) is found by reading the transcripts themselves, one at a time, so a folder of
thousands is never held in memory at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from interviewer.errors import FileFormatError
from interviewer.formats.transcript import Transcript
from interviewer.store.transcripts import Store


def every_transcript(store: Store, warn: Callable[[str], None]) -> Iterator[Transcript]:
    """Each readable transcript in the store (rescued copies included), in id order. A
    damaged or foreign file is named in a warning and skipped, as ``list`` skips it."""
    for transcript_id in store.ids():
        try:
            yield store.read(transcript_id)
        except FileFormatError as exc:
            warn(f"skipped {exc}")
