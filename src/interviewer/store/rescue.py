"""Where a transcript goes when its folder cannot be written: one rescue folder per
transcripts folder, in the system's temporary folder.

``store.transcripts.Store`` writes there; the reading commands look there. A module of its
own, light, so ``list`` can look without importing pydantic.
"""

from __future__ import annotations

from pathlib import Path


def rescue_folder_for(transcripts: Path) -> Path:
    """The rescue folder of the transcripts folder ``transcripts``."""
    import hashlib
    import tempfile

    digest = hashlib.sha256(str(transcripts.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"interviewer-rescue-{digest}"
