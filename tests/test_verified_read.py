"""``show`` and ``export`` read a session pydantic verified before without pydantic, and
see exactly what pydantic would have given them; any other bytes go through pydantic."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import rich_session
from interviewer.cli import app
from interviewer.formats.base import Record
from interviewer.formats.light import LightRecord, build, shape_of
from interviewer.formats.transcript import Role, Status, Transcript
from interviewer.store.transcript_file import to_json
from interviewer.store.transcripts import Store

runner = CliRunner()


@pytest.fixture
def saved(transcripts_dir: Path) -> Transcript:
    t = rich_session()
    Store(transcripts_dir).save(t)
    return t


def verified_dir(isolated: Path) -> Path:
    return isolated / "cache" / "interviewer" / "verified"


def same(light: Any, model: Any) -> None:
    """Field by field, the light record holds what the model holds, of the same types."""
    if isinstance(model, Record):
        assert type(light).__name__ == type(model).__name__
        for name in type(model).model_fields:
            same(getattr(light, name), getattr(model, name))
    elif isinstance(model, list):
        assert isinstance(light, list) and len(light) == len(model)
        for a, b in zip(light, model, strict=True):
            same(a, b)
    elif isinstance(model, dict):
        assert isinstance(light, dict) and light.keys() == model.keys()
        for key in model:
            same(light[key], model[key])
    else:
        assert light == model and type(light) is type(model), (light, model)


def test_a_light_record_holds_every_field_and_method_of_its_model():
    t = rich_session()
    light = build(shape_of(Transcript), t.model_dump(mode="json"))
    same(light, t)
    assert isinstance(light, LightRecord)
    assert light.duration() == t.duration() and light.scorecard.overall == t.scorecard.overall
    assert [x.text for x in light.candidate_turns()] == [x.text for x in t.candidate_turns()]
    assert light.scorecard.dimensions[0].unstable and not light.scorecard.dimensions[1].unstable
    assert light.human_grades[0].values() == t.human_grades[0].values()
    assert light.turns[0].role is Role.interviewer  # the very enum: `is` comparisons hold


def test_the_second_read_of_the_same_bytes_is_light_and_shows_the_same(saved, isolated):
    store = Store(isolated / "transcripts")
    first = store.load_to_show(saved.id, verified_dir(isolated))
    assert isinstance(first, Transcript)  # read through pydantic, and noted
    second = store.load_to_show(saved.id, verified_dir(isolated))
    assert isinstance(second, LightRecord)
    same(second, first)
    outputs = []
    for _ in range(2):  # the first run verifies again (cache emptied), the second is light
        if len(outputs) == 0:
            for note in verified_dir(isolated).iterdir():
                note.unlink()
        runs = [
            runner.invoke(app, ["show", saved.id], env={"COLUMNS": "120"}),
            runner.invoke(app, ["show", saved.id, "--all-scores"], env={"COLUMNS": "120"}),
            runner.invoke(app, ["export", saved.id, "--format", "md"]),
            runner.invoke(app, ["export", saved.id, "--format", "html"]),
        ]
        assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
        outputs.append([r.stdout for r in runs])
    assert outputs[0] == outputs[1]
    assert "[bold]not markup[/]" in outputs[1][0]  # still data, not rich markup
    assert "Ana (mentor)" in outputs[1][0] and "recall@k first" in outputs[1][2]


def test_changed_bytes_are_read_by_pydantic_and_a_broken_field_is_named(saved, isolated):
    path = isolated / "transcripts" / f"{saved.id}.json"
    assert runner.invoke(app, ["show", saved.id]).exit_code == 0  # verified and noted
    path.write_text(path.read_text().replace('"temperature": 0.7', '"temperature": "hot"'))
    result = runner.invoke(app, ["show", saved.id])
    assert result.exit_code != 0
    assert "temperature" in result.output and "Traceback" not in result.output


def test_a_compact_checkpoint_is_verified_too(transcripts_dir, isolated):
    t = rich_session()
    t.status = Status.in_progress
    transcripts_dir.mkdir(parents=True)
    (transcripts_dir / f"{t.id}.json").write_text(to_json(t), encoding="utf-8")  # as per turn
    store = Store(transcripts_dir)
    store.load_to_show(t.id, verified_dir(isolated))
    assert isinstance(store.load_to_show(t.id, verified_dir(isolated)), LightRecord)


def test_a_file_our_writer_did_not_write_is_never_read_light(transcripts_dir, isolated):
    """Another layout, or a field left to its default, is valid but not verified bytes."""
    t = rich_session()
    transcripts_dir.mkdir(parents=True)
    data = t.model_dump(mode="json")
    (transcripts_dir / f"{t.id}.json").write_text(json.dumps(data, indent=4), encoding="utf-8")
    store = Store(transcripts_dir)
    for _ in range(2):
        assert isinstance(store.load_to_show(t.id, verified_dir(isolated)), Transcript)


@pytest.mark.parametrize(
    "models",
    [
        {"Transcript": {}},  # damaged
        {"Transcript": {"mixin": "collections:UserList", "fields": {}}},  # a class elsewhere
    ],
)
def test_a_damaged_shape_note_is_read_through_pydantic(saved, isolated, models):
    store = Store(isolated / "transcripts")
    store.load_to_show(saved.id, verified_dir(isolated))
    for shape in verified_dir(isolated).glob("shape-*.json"):
        shape.write_text(json.dumps({"root": "Transcript", "models": models}))
    assert isinstance(store.load_to_show(saved.id, verified_dir(isolated)), Transcript)


def test_a_model_method_outside_its_mixin_is_refused():
    """Else a light record would lack it, and ``show`` would fail only on the light path."""

    class Counted(Record):
        n: int

        def twice(self) -> int:
            return 2 * self.n

    with pytest.raises(TypeError, match="twice"):
        shape_of(Counted)


def test_a_file_past_the_light_limit_is_always_read_through_pydantic(saved, isolated, monkeypatch):
    """Checking a big file's bytes costs more than pydantic saves (a pasted 50 MB answer)."""
    from interviewer.store import verified

    monkeypatch.setattr(verified, "LIGHT_LIMIT", 1024)  # the rich session is a few KB
    store = Store(isolated / "transcripts")
    for _ in range(2):
        assert isinstance(store.load_to_show(saved.id, verified_dir(isolated)), Transcript)
    assert not verified_dir(isolated).exists()


def test_an_upgrade_of_pydantic_is_a_change_to_every_cached_entry(tmp_path, monkeypatch):
    """What pydantic accepted is kept by the digest of our code and of the pydantic that
    accepted it: another release (its files rewritten) validates everything again."""
    import sys

    from interviewer.formats.light import VALIDATOR, source_digest

    for name in VALIDATOR:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("VERSION = '2.0'\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    before = source_digest()
    assert source_digest() == before
    (tmp_path / "pydantic" / "__init__.py").write_text("VERSION = '2.10'\n")
    assert source_digest() != before


def test_the_notes_keep_the_newest_and_an_older_codes_shape_goes(saved, isolated, monkeypatch):
    """One note is left per verified state of a file, so the oldest go past ``KEPT`` (a
    quarter over, down to it); the shape the current code reads by is never among them,
    and the shape of an earlier version of the code goes when the new one is written."""
    from interviewer.store import verified

    monkeypatch.setattr(verified, "KEPT", 8)
    notes = verified_dir(isolated)
    notes.mkdir(parents=True)
    (notes / "shape-0123456789abcdef.json").write_text("{}")  # an earlier version's
    for n in range(10):  # ten notes written long ago, oldest first
        (notes / f"old{n:02d}").touch()
        os.utime(notes / f"old{n:02d}", ns=(n * 10**9, n * 10**9))
    store = Store(isolated / "transcripts")
    assert isinstance(store.load_to_show(saved.id, notes), Transcript)  # verified and noted
    left = sorted(p.name for p in notes.iterdir())
    shapes = [name for name in left if name.startswith("shape-")]
    assert len(shapes) == 1 and shapes[0] != "shape-0123456789abcdef.json"
    kept = [name for name in left if not name.startswith("shape-")]
    assert len(kept) == 8 and "old00" not in kept and "old09" in kept  # the newest stay
    assert isinstance(store.load_to_show(saved.id, notes), LightRecord)  # its own note held
