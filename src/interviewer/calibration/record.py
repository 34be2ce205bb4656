"""Each judge's last calibration, kept so ``doctor`` and the scorecard can cite it.

One small JSON file per judge (model and server) in ``calibration/`` beside the config
file: ``interviewer calibrate`` overwrites it, and a missing or unreadable file simply
means "not calibrated yet".
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pydantic import ValidationError

from interviewer.config import config_path
from interviewer.formats import ModelInfo, Record


class LastResult(Record):
    """What the citation needs: the judge, the gold set, the primary figure and its n."""

    judge: ModelInfo
    gold: str
    kappa: float | None
    n: int
    report: str | None = None
    measured_at: str


def results_dir() -> Path:
    return config_path().parent / "calibration"


def judge_key(info: ModelInfo) -> str:
    """A file name for a judge: readable, and distinct for the same model on two servers."""
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", info.model).strip("-")[:60] or "judge"
    digest = hashlib.sha256(f"{info.model}|{info.api_base or ''}".encode()).hexdigest()[:8]
    return f"{label}-{digest}"


def save_last(result: LastResult, folder: Path | None = None) -> Path:
    folder = folder or results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{judge_key(result.judge)}.json"
    path.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def load_last(info: ModelInfo, folder: Path | None = None) -> LastResult | None:
    path = (folder or results_dir()) / f"{judge_key(info)}.json"
    try:
        return LastResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None


def citation(info: ModelInfo, folder: Path | None = None) -> str | None:
    """'this judge: kappa 0.71 on gold v1 (n=45)', or None when it was never calibrated."""
    last = load_last(info, folder)
    if last is None:
        return None
    kappa = "n/a" if last.kappa is None else f"{last.kappa:.2f}"
    return f"this judge: kappa {kappa} on {last.gold} (n={last.n})"
