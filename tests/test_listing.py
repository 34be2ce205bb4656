"""``rounds`` and ``personas`` list from cached rows: the same rows the validated files
give, pydantic left out once the files are known, and a broken file still refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import interviewer
from interviewer.catalog import listing, validated
from interviewer.catalog.library import Catalog
from interviewer.cli import app

KINDS = ["round", "persona", "loop"]


@pytest.mark.parametrize("kind", KINDS)
def test_cached_rows_agree_with_the_validated_files(kind):
    """Every shipped file: the row read back from the cache is the row its model gives."""
    catalog = Catalog(None)
    entries = {"round": catalog.rounds, "persona": catalog.personas, "loop": catalog.loops}[kind]()
    expected = [(listing.row_of(kind, e.item), e.builtin) for e in entries]
    assert listing.rows(kind, None) == expected  # first run: validated, then cached
    assert len(list(validated.folder().glob("*.json"))) == len(expected)
    assert listing.rows(kind, None) == expected  # from the cache


def test_a_warm_listing_imports_no_pydantic(tmp_path: Path):
    code = (
        "import sys; from typer.testing import CliRunner; from interviewer.cli import app; "
        "r = CliRunner().invoke(app, ['rounds']); assert r.exit_code == 0, r.output; "
        "r = CliRunner().invoke(app, ['personas']); assert r.exit_code == 0, r.output; "
        "print('pydantic' in sys.modules, 'interviewer.formats.rounds' in sys.modules)"
    )
    (tmp_path / "config.toml").write_text("")
    env = {**os.environ, "INTERVIEWER_CONFIG": str(tmp_path / "config.toml"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(interviewer.__file__).parents[1])}  # fmt: skip
    run = [sys.executable, "-c", code]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True", "True"]  # the files read and validated once
    again = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert again.stdout.split() == ["False", "False"]


def test_an_edited_round_is_listed_as_it_now_is_and_a_broken_one_refused_every_time(tmp_path):
    mine = tmp_path / "mine"
    (mine / "rubrics").mkdir(parents=True)
    shipped = listing.data_root() / "rubrics" / "behavioral.toml"
    text = shipped.read_text(encoding="utf-8")
    summary = next(line for line in text.splitlines() if line.startswith("summary"))
    own = mine / "rubrics" / "behavioral.toml"
    own.write_text(text.replace(summary, 'summary = "My own take on it."'), encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["rounds", "--user-dir", str(mine)])
    assert shown.exit_code == 0, shown.output
    assert "behavioral (yours)" in shown.output and "My own take on it." in shown.output
    own.write_text(text.replace(summary, 'summary = "Edited since."'), encoding="utf-8")
    assert "Edited since." in runner.invoke(app, ["rounds", "--user-dir", str(mine)]).output
    own.write_text(text.replace(summary, "summary = 3"), encoding="utf-8")
    for _ in range(2):  # a broken file is never cached: refused again on the next run
        broken = runner.invoke(app, ["rounds", "--user-dir", str(mine)])
        assert broken.exit_code != 0
        assert "behavioral.toml" in broken.output and "summary" in broken.output


def test_an_unreadable_entry_is_derived_again():
    expected = listing.rows("loop", None)
    for entry in validated.folder().glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert listing.rows("loop", None) == expected
    assert all(e.read_text(encoding="utf-8").startswith('{"') for e in validated.folder().iterdir())


def test_cached_scenarios_agree_with_the_round_files():
    """Every shipped round, scenario and level: the text ``show`` frames from the cache is
    the text the candidate is shown (``scenario_text`` on the validated round)."""
    from interviewer.catalog.library import scenario_text
    from interviewer.formats.levels import Level

    for entry in Catalog(None).rounds():
        for _ in range(2):  # validated, then from the cache
            found = listing.scenarios(entry.path)
            assert set(found) == {o.id for o in entry.item.openings}
            for opening in entry.item.openings:
                assert found[opening.id]["title"] == opening.title
                for level in Level:
                    assert found[opening.id]["text"][level.value] == scenario_text(opening, level)


def test_the_cache_keeps_only_the_newest_entries(monkeypatch):
    """Every edit of a file adds an entry; the cache does not grow without end, and the
    entries pruned are derived again when asked for."""
    monkeypatch.setattr(validated, "KEPT", 4)
    rows = listing.rows("round", None)
    assert len(rows) > 5
    assert len(list(validated.folder().iterdir())) <= 5  # KEPT and a quarter more
    assert listing.rows("round", None) == rows


def test_a_long_history_of_edits_is_not_read_by_a_listing(monkeypatch):
    """Entries of files as they no longer are stay apart: a listing reads its own."""
    listing.rows("round", None)
    for n in range(50):  # entries of rounds as they once were
        validated.put(f"detail:old:{n}", {"x": "y" * 1000})
    read: list[str] = []
    real = validated.get
    monkeypatch.setattr(validated, "get", lambda key: read.append(key) or real(key))
    rows = listing.rows("round", None)
    assert len(read) == len(rows) and all(key.startswith("round:") for key in read)


def test_the_table_it_replaced_is_removed():
    validated.cache_dir().mkdir(parents=True, exist_ok=True)
    old = validated.cache_dir() / "listing.json"
    old.write_text("{}", encoding="utf-8")
    listing.rows("loop", None)
    assert not old.exists()
