"""Gold v1, still shipped beside v2 (the default, tests/test_gold_v2.py): what it was built
to hold, and in step with the script that writes it."""

from __future__ import annotations

import importlib.util
from collections import Counter, defaultdict

from interviewer.grading.calibration.gold import DEGENERATE, load_gold, shipped_path

V1 = shipped_path().with_name("gold-v1.jsonl")


def test_the_shipped_file_is_what_its_script_writes():
    path = V1
    spec = importlib.util.spec_from_file_location(
        "build_gold_v1", path.with_name("build_gold_v1.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert path.read_text(encoding="utf-8") == module.render()


def test_the_shipped_set_covers_what_calibration_needs():
    gold = load_gold(V1)
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


def test_every_round_the_shipped_set_names_is_a_real_round():
    from interviewer.catalog.library import Catalog

    catalog = Catalog()
    for round_id in sorted({i.round for i in load_gold(V1).items}):
        assert catalog.round(round_id).item.dimensions


def test_the_reference_judge_agrees_perfectly_on_the_shipped_set(respx_mock, tmp_path):
    """A scripted judge that returns each item's own reference grade: kappa 1 on gold v1."""
    from interviewer.catalog.library import Catalog
    from interviewer.grading.calibration.report import summarise
    from interviewer.grading.calibration.run import Calibration
    from interviewer.models import ModelSpec, make_model
    from schema_server import SchemaJudge
    from scripted_judges import choose, key
    from wire import BASE

    gold = load_gold(V1)
    grades = {key([t.text for t in i.turns if t.role == "candidate"]): i.grade for i in gold.items}
    SchemaJudge(respx_mock, choose(lambda answers: grades[key(answers)]))
    spec = ModelSpec("reference-judge", api_base=BASE, max_retries=0)
    rounds = {r: Catalog().round(r).item for r in {i.round for i in gold.items}}
    results = Calibration(
        gold, rounds, lambda: make_model(spec), tmp_path / "r.jsonl", jobs=4
    ).run()
    report = summarise(gold, results, spec.info())
    assert report["kappa"]["value"] == 1.0 and report["graded_items"] == 45
    assert report["degenerate_floor"]["value"] == 1.0
    # Lift is beyond the reference's own change: a judge that lowers a wrong claim by as
    # much as the reference does shows none.
    assert report["lift"]["wrong-claims"]["mean"]["value"] == 0.0
    assert report["verdict"]["result"] == "pass"
