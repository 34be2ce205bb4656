"""The shipped gold set: what the issue asks of it, and in step with the script that writes it."""

from __future__ import annotations

import importlib.util
from collections import Counter, defaultdict

from interviewer.calibration.gold import DEGENERATE, load_gold, shipped_path


def test_the_shipped_file_is_what_its_script_writes():
    path = shipped_path()
    spec = importlib.util.spec_from_file_location(
        "build_gold_v1", path.with_name("build_gold_v1.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert path.read_text(encoding="utf-8") == module.render()


def test_the_shipped_set_covers_what_calibration_needs():
    gold = load_gold()
    assert gold.name == "gold v1"
    rounds = {i.round for i in gold.items}
    assert len(rounds) >= 3
    grades: dict[tuple[str, str], set[int]] = defaultdict(set)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in gold.items:
        key = (item.round, item.scenario or "")
        if item.is_base:
            grades[key].add(item.grade)
        elif item.kind != DEGENERATE:
            kinds[key].add(str(item.kind))
    for round_id in rounds:
        scenarios = [k for k in grades if k[0] == round_id]
        assert len(scenarios) >= 3, round_id
    assert all(g == {1, 2, 3, 4, 5} for g in grades.values())
    assert all(
        k == {"injection", "padding", "name-dropping", "wrong-claims"} for k in kinds.values()
    )
    degenerate = Counter(i.note for i in gold.items if i.kind == DEGENERATE)
    assert set(degenerate) == {"empty", "dont-know", "gibberish", "off-topic", "questions-back"}
    assert all(n == len(rounds) for n in degenerate.values())
