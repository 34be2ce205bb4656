"""Each judge's last calibration, kept so ``doctor`` and the scorecard can cite it.

One small JSON file per judge (model and server) in ``calibration/`` beside the config
file: ``interviewer calibrate`` overwrites it, and a missing or unreadable file simply
means "not calibrated yet". What is cited is the run's verdict (pass or fail, with the
checks that failed), never a bare kappa. A run of fewer than ``MIN_ITEMS`` graded items (a
``--limit`` quick look) is kept, but carries no verdict and is not cited: it says too
little; nor is a result saved before calibrations had verdicts.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from interviewer.config.file import config_path
from interviewer.formats.base import Record
from interviewer.formats.transcript import ModelInfo

MIN_ITEMS = 30
"""The fewest graded items whose kappa is cited as a judge's calibration (``doctor``, the
scorecard). Below it, chance decides too much: a judge that guesses grades at random
reaches kappa 0.40 on 21% of 5-item runs, 4% of 20-item runs, 1.3% at 30 and 0.25% at
45, and a judge one grade off on half the items gets a 95% interval 0.55 wide at 5 items,
0.13 at 30 (simulated with ``metrics``). Thirty is six answers per grade; the shipped
gold set's 100 graded items pass, a ``calibrate --limit 20`` look does not."""


class LastResult(Record):
    """What the citation needs: the judge, the gold set, the verdict with the checks that
    failed, the primary figure and its n."""

    judge: ModelInfo
    gold: str
    kappa: float | None
    n: int
    verdict: Literal["pass", "fail"] | None = None
    """None: no verdict (a run too small to carry one, or saved before verdicts existed)."""
    failing: list[str] = Field(default_factory=list)
    """The checks that failed, each short: 'kappa low 0.42 < 0.60'."""
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


def large_enough(last: LastResult) -> bool:
    """Whether a run graded enough items (``MIN_ITEMS``) to be cited as a calibration."""
    return last.n >= MIN_ITEMS


def citable(last: LastResult | None) -> bool:
    """A verdict from a run large enough to carry one."""
    return last is not None and last.verdict is not None and large_enough(last)


def citation(info: ModelInfo, folder: Path | None = None) -> str | None:
    """'this judge: passed calibration on gold v2 (kappa 0.81, n=100)', or 'failed ...:
    kappa low 0.42 < 0.60', or None when there is no verdict to cite (never calibrated, a
    run too small, or one saved before verdicts): a five-item look is no calibration."""
    last = load_last(info, folder)
    return _cited(last) if last is not None and citable(last) else None


FAILING_SHOWN = 2
"""Failed checks named in a citation; the rest are counted ("and 3 more")."""


def _cited(last: LastResult) -> str:
    said = f"({_figure(last)}, n={last.n})"
    if last.verdict == "pass":
        return f"this judge: passed calibration on {last.gold} {said}"
    named = "; ".join(last.failing[:FAILING_SHOWN])
    more = len(last.failing) - FAILING_SHOWN
    named += f"; and {more} more" if more > 0 else ""
    return f"this judge: FAILED calibration on {last.gold} {said}: {named}"


def _figure(last: LastResult) -> str:
    return f"kappa {'n/a' if last.kappa is None else f'{last.kappa:.2f}'}"


def calibrate_command(info: ModelInfo) -> str:
    """The command that calibrates this judge on the whole shipped gold set."""
    words = ["interviewer", "calibrate", "--judge-model", info.model]
    if info.api_base:
        words += ["--judge-api-base", info.api_base]
    return shlex.join(words)


def standing(info: ModelInfo, folder: Path | None = None) -> str:
    """How far this judge is measured, in a sentence for ``doctor``: its calibration, or
    that there is none, or that its latest run was too small to be one, and the command
    that makes a proper one."""
    last = load_last(info, folder)
    if last is None:
        return f"not calibrated yet; measure it with: {calibrate_command(info)}"
    if not large_enough(last):
        return (
            f"not calibrated: its latest calibration run graded only {last.n} item"
            f"{'' if last.n == 1 else 's'} ({_figure(last)} on {last.gold}), too few to tell "
            f"a good judge from chance (at least {MIN_ITEMS} are needed); measure it on the "
            f"whole gold set with: {calibrate_command(info)}"
        )
    if last.verdict is None:
        return (
            f"not calibrated: its latest calibration ({_figure(last)} on {last.gold}, "
            f"n={last.n}) has no verdict, as runs before verdicts did not; measure it "
            f"again with: {calibrate_command(info)}"
        )
    return _cited(last)
