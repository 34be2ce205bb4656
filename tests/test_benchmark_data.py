"""The sessions the scale benchmarks generate are sessions the CLI reads as scored.

``list_speed.generate`` makes the 10,000 and 50,000 sessions that ``review_scale.py`` and
``list_speed.py`` time; if they drifted from the transcript format (they once called the
judge's prompt builder with an old signature and could not run at all), the figures in
the README would be measured over nothing, or over an error path. Nothing here is timed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def test_generated_sessions_are_listed_scored_and_tracked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from list_speed import generate

    folder = tmp_path / "transcripts"
    generate(folder, 6, all_scored=True)
    config = tmp_path / "config.toml"
    config.write_text("")
    env = {"INTERVIEWER_CONFIG": str(config), "COLUMNS": "160"}

    listed = CliRunner().invoke(app, ["list", "--json", "--transcripts-dir", str(folder)], env=env)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert len(rows) == 6
    assert all(row["score_status"] == "scored" and row["overall"] for row in rows)

    tracked = CliRunner().invoke(app, ["progress", "--transcripts-dir", str(folder)], env=env)
    assert tracked.exit_code == 0, tracked.output
    assert "Progress over 6 scored sessions" in tracked.output
