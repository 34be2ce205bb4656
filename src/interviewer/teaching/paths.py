"""Where the teaching loop keeps its plan: apart, so ``progress`` can look for a plan
without importing what reads one (pydantic, the rounds)."""

from __future__ import annotations

from pathlib import Path

PLAN_FILE = Path("plan") / "plan.json"
"""Under the transcripts folder: a folder of its own, so no glob for transcripts meets it."""
