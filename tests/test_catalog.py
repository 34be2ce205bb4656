"""Rounds, personas and loops load and validate; a broken file gets one line naming the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.catalog.library import Catalog, data_root, load_file
from interviewer.errors import FileFormatError, NotFoundError
from interviewer.formats.loops import Loop
from interviewer.formats.rounds import Round
from interviewer.formats.voices import Persona

BUILTIN_ROUNDS = ("paper-deep-dive", "ml-system-design", "behavioral")


def test_every_shipped_file_validates():
    catalog = Catalog()
    rounds = {e.item.id for e in catalog.rounds()}
    assert set(BUILTIN_ROUNDS) <= rounds
    personas = catalog.personas()
    assert len(personas) >= 2
    assert len({p.item.style for p in personas}) == len(personas)  # styles really differ
    for loop in catalog.loops():
        for entry in loop.item.rounds:
            assert entry.round in rounds, f"loop {loop.item.id} names unknown round {entry.round}"


@pytest.mark.parametrize("round_id", BUILTIN_ROUNDS)
def test_core_rounds_have_a_bank_and_anchored_dimensions(round_id):
    r = Catalog().round(round_id).item
    assert len(r.openings) >= 3
    for dim in r.dimensions:
        assert len(set(dim.anchors.by_score().values())) == 5  # five distinct anchors


def _copy_round(tmp: Path, edit) -> Path:
    text = (data_root() / "rubrics" / "behavioral.toml").read_text()
    folder = tmp / "mine" / "rubrics"
    folder.mkdir(parents=True)
    path = folder / "behavioral-custom.toml"
    path.write_text(edit(text.replace('id = "behavioral"', 'id = "behavioral-custom"', 1)))
    return path


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            lambda s: s.replace("[budget]", "[budget]\nminuets = 3", 1),
            "budget.minuets: Extra inputs are not permitted (remove it or correct the "
            "spelling (allowed: minutes, max_candidate_turns, followups_per_topic, "
            "topics_per_session, wrap_up_at))",
            id="typo-field",  # a nested table's own fields, not "the documented fields"
        ),
        pytest.param(
            lambda s: s.replace("\n3 = ", "\n3 = 'x'\nsix = ", 1),
            "anchors.six: Extra inputs are not permitted (remove it or correct the "
            "spelling (allowed: 1, 2, 3, 4, 5))",
            id="typo-in-a-list-item",
        ),
        pytest.param(
            lambda s: s.replace("minutes = ", "minutes = -", 1),
            "budget.minutes: Input should be greater than or equal to 5",
            id="bad-value",
        ),
        pytest.param(lambda s: s + "\n[[[oops", "not valid TOML", id="bad-toml"),
        pytest.param(
            lambda s: s.replace('id = "behavioral-custom"', 'id = "other"', 1),
            "does not match the file name",
            id="id-mismatch",
        ),
    ],
)
def test_broken_user_round_is_one_line_naming_file_and_field(isolated, edit, expected):
    path = _copy_round(isolated, edit)
    catalog = Catalog(isolated / "mine")
    with pytest.raises(FileFormatError) as info:
        catalog.round("behavioral-custom")
    message = str(info.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_missing_anchor_names_the_field(isolated):
    path = _copy_round(isolated, lambda s: s.replace("\n3 = ", "\nthree_typo = ", 1))
    with pytest.raises(FileFormatError) as info:
        load_file(path, Round)
    assert "anchors" in str(info.value)


def test_broken_persona(isolated):
    folder = isolated / "mine" / "personas"
    folder.mkdir(parents=True)
    (folder / "grumpy.toml").write_text('version = 1\nid = "grumpy"\nname = "Grump"\n')
    with pytest.raises(FileFormatError) as info:
        Catalog(isolated / "mine").persona("grumpy")
    assert "grumpy.toml: title: Field required (add 'title')" in str(info.value)


def test_user_files_add_and_shadow(isolated):
    folder = isolated / "mine" / "personas"
    folder.mkdir(parents=True)
    source = (data_root() / "prompts" / "personas" / "bar-raiser.toml").read_text()
    (folder / "bar-raiser.toml").write_text(
        source.replace("temperature = ", "temperature = 0.1 #", 1)
    )
    entry = Catalog(isolated / "mine").persona("bar-raiser")
    assert not entry.builtin and entry.item.temperature == 0.1


def test_unknown_round_lists_known_ones():
    with pytest.raises(NotFoundError) as info:
        Catalog().round("ml-sytem-design")
    assert "ml-system-design" in str(info.value)


@pytest.mark.parametrize(
    ("kind", "typed", "meant"),
    [("round", "ml-sytem-design", "ml-system-design"), ("persona", "barraiser", "bar-raiser"),
     ("loop", "ml-enginer", "ml-engineer")],
)  # fmt: skip
def test_a_misspelt_name_is_answered_with_the_nearest_one(kind, typed, meant):
    with pytest.raises(NotFoundError) as info:
        getattr(Catalog(), kind)(typed)
    assert info.value.hint is not None and info.value.hint.startswith(f"did you mean '{meant}'?")


def test_a_misspelt_opening_is_answered_with_the_nearest_one():
    from interviewer.errors import UserError
    from interviewer.formats.levels import Level
    from interviewer.formats.transcript import ModelInfo
    from interviewer.interview.start import begin

    info = ModelInfo(model="scripted")
    with pytest.raises(UserError) as raised:
        begin(Catalog(), round_name="ml-system-design", persona_name="warm-scientist",
              level=Level.senior, interviewer=info, judge=info, files={},
              opening_id="payment-fraud")  # fmt: skip
    assert raised.value.hint is not None
    assert raised.value.hint.startswith("did you mean 'payments-fraud'?")


def test_a_name_near_nothing_gets_no_guess():
    with pytest.raises(NotFoundError) as info:
        Catalog().round("zzz")
    assert info.value.hint is not None and "did you mean" not in info.value.hint


def test_models_forbid_unknown_fields():
    for model in (Round, Persona, Loop):
        assert model.model_config.get("extra") == "forbid"
