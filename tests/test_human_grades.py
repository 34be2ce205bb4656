"""A person's grades beside the judge's (issue 20, item 4): ``grade``, ``show``, the grades
file (``grades export`` and ``grades import``) and the pairs calibration reads."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from builders import T0, add, scorecard, transcript
from interviewer.catalog.library import Catalog
from interviewer.cli import app
from interviewer.formats.human import HumanGrade, HumanScore
from interviewer.formats.transcript import CURRENT_TRANSCRIPT_VERSION, Role, Status, Transcript
from interviewer.grading.human import human_graded, latest, merge
from interviewer.review.human import grades_compared
from interviewer.store.every import every_transcript
from interviewer.store.transcripts import Store

ROUND = "ml-system-design"
DIMENSIONS = (
    "problem-framing",
    "data-labels",
    "modeling-judgment",
    "production-constraints",
    "evaluation-monitoring",
    "risk-guardrails",
)
GRADED_AT = T0 + timedelta(days=1)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("interviewer.cli.grades.now", lambda: GRADED_AT)
    return CliRunner()


@pytest.fixture
def store(transcripts_dir: Path) -> Store:
    return Store(transcripts_dir)


def session(tid: str = "abcd1234", *, judged: bool = True) -> Transcript:
    t = transcript(id=tid, status=Status.complete)
    add(t, Role.interviewer, "What would you optimise for the marketplace?")
    add(t, Role.candidate, "Repeat purchases within 30 days, not clicks. [red]mine[/]")
    if judged:
        t.scorecards.append(scorecard({"problem-framing": 4, "data-labels": 2}))
    return t


@pytest.fixture
def saved(store: Store) -> Transcript:
    t = session()
    store.save(t)
    return t


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def on_disk(transcripts_dir: Path, tid: str = "abcd1234") -> dict:
    return json.loads((transcripts_dir / f"{tid}.json").read_text(encoding="utf-8"))


def grade(
    grader: str, scores: dict[str, int | None], at=GRADED_AT, note: str | None = None
) -> HumanGrade:
    return HumanGrade(
        grader=grader,
        at=at,
        scores={d: HumanScore(score=s, note=note) for d, s in scores.items()},
    )


# ------------------------------------------------------------------------- grade


def test_grade_with_scores_saves_the_persons_grades_in_the_transcript(
    runner, saved, transcripts_dir
):
    result = runner.invoke(
        app,
        [
            "grade",
            "abcd",
            "--grader",
            "Ana (mentor)",
            "--scores",
            "problem-framing=2, data-labels=n",
            "--note",
            "problem-framing=No counter-metric.",
        ],
    )
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        "Saved Ana (mentor)'s grades of session abcd1234 (2 dimensions). Beside the judge's:",
        "  interviewer show abcd1234",
    ]
    data = on_disk(transcripts_dir)
    assert data["version"] == CURRENT_TRANSCRIPT_VERSION  # 5 brought human_grades
    [kept] = data["human_grades"]
    assert kept["grader"] == "Ana (mentor)"
    assert kept["at"] == "2026-11-02T09:00:00Z"
    assert kept["scores"] == {
        "problem-framing": {"score": 2, "note": "No counter-metric."},
        "data-labels": {"score": None, "note": None},
    }
    assert kept["rubric_sha256"] == Catalog().round(ROUND).sha256  # the anchors that were read
    assert data["scorecards"] == json.loads(saved.model_dump_json())["scorecards"]  # untouched


def test_grading_again_keeps_every_grading(runner, saved, store, monkeypatch):
    for hours, scores in ((1, "problem-framing=2"), (2, "problem-framing=3")):
        monkeypatch.setattr("interviewer.cli.grades.now", lambda h=hours: T0 + timedelta(hours=h))
        assert runner.invoke(app, ["grade", "abcd", "--scores", scores]).exit_code == 0
    kept = store.load("abcd").human_grades
    assert [(g.grader, g.values()) for g in kept] == [
        ("you", {"problem-framing": 2}),
        ("you", {"problem-framing": 3}),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["zzz", "--scores", "problem-framing=3"],
            "error: no transcript matches 'zzz' in {dir} ('interviewer list' shows the saved "
            "sessions)",
            id="unknown-id",
        ),
        pytest.param(
            ["abcd", "--scores", "depth=3"],
            "error: --scores: no dimension 'depth' in round ml-system-design (its dimensions: "
            + ", ".join(DIMENSIONS)
            + ")",
            id="unknown-dimension",
        ),
        pytest.param(
            ["abcd", "--scores", "problem-framing=7"],
            "error: --scores: problem-framing=7: a score is 1 to 5, or n for not enough evidence",
            id="out-of-range",
        ),
        pytest.param(
            ["abcd", "--scores", "problem-framing=0"],
            "error: --scores: problem-framing=0: a score is 1 to 5, or n for not enough evidence",
            id="zero",
        ),
        pytest.param(
            ["abcd", "--scores", "problem-framing=3.5"],
            "error: --scores: problem-framing=3.5: a score is 1 to 5, or n for not enough evidence",
            id="not-whole",
        ),
        pytest.param(
            ["abcd", "--scores", "problem-framing"],
            "error: --scores: 'problem-framing' is not DIMENSION=SCORE (e.g. "
            "problem-framing=4,data-labels=4)",
            id="no-equals",
        ),
        pytest.param(
            ["abcd", "--scores", "problem-framing=3,problem-framing=4"],
            "error: --scores: problem-framing is given twice (give each dimension once)",
            id="twice",
        ),
        pytest.param(
            ["abcd", "--scores", " , "],
            "error: --scores: no score given (e.g. problem-framing=4,data-labels=4)",
            id="empty",
        ),
        pytest.param(
            ["abcd", "--scores", "problem-framing=3", "--note", "data-labels=why"],
            "error: --note: data-labels has no score in --scores (a note goes with one)",
            id="note-without-score",
        ),
        pytest.param(
            ["abcd", "--note", "data-labels=why"],
            "error: --note: a note goes with --scores (add --scores, or drop --note)",
            id="note-without-scores",
        ),
        pytest.param(
            ["abcd", "--grader", "  ", "--scores", "problem-framing=3"],
            "error: --grader: a name is needed (e.g. --grader 'Ana (mentor)')",
            id="no-grader",
        ),
    ],
)
def test_grade_names_the_field_and_the_fix_and_saves_nothing(
    runner, saved, transcripts_dir, args, message
):
    before = (transcripts_dir / "abcd1234.json").read_bytes()
    result = runner.invoke(app, ["grade", *args])
    assert result.exit_code == 2
    assert lines(result.stderr) == [message.format(dir=transcripts_dir)]
    assert (transcripts_dir / "abcd1234.json").read_bytes() == before


def test_a_session_without_answers_has_nothing_to_grade(runner, store):
    store.save(transcript(id="e0e00001"))
    result = runner.invoke(app, ["grade", "e0e0", "--scores", "problem-framing=3"])
    assert result.exit_code == 2
    assert lines(result.stderr) == [
        "error: session e0e00001 has no answers to grade yet (continue it with "
        "'interviewer resume e0e00001')"
    ]


# Dimension by dimension: 1 scored with a note, 2 skipped, 3 a typo then 5, 4 not enough
# evidence, 5 the answers shown again then 4, 6 scored 1 with no note.
WALK = "3\nClear metric.\ns\nx\n5\n\nn\n\na\n4\n\n1\n\n"


def test_grade_walks_each_dimension_with_its_anchors(runner, saved, store):
    result = runner.invoke(app, ["grade", "abcd", "-g", "me"], input=WALK)
    assert result.exit_code == 0, result.output
    shown = result.stdout
    anchors = Catalog().round(ROUND).item.dimensions[0].anchors.by_score()
    assert all(anchor.split()[0] in shown for anchor in anchors.values())
    assert "[1/6] Problem framing and metrics  problem-framing" in lines(shown)
    assert "[6/6] Guardrails, safety and harm  risk-guardrails" in lines(shown)
    assert "At senior: " in shown  # the bar at the session's level
    assert "Type 1 to 5, n, s or a." in shown  # after the typo
    assert shown.count("Repeat purchases within 30 days") == 2  # once more after "a"
    assert "[red]mine[/]" in shown  # the answer is data, not markup
    assert "4/5" not in shown  # the judge's scores are not shown while grading
    [kept] = store.load("abcd").human_grades
    assert kept.values() == {
        "problem-framing": 3,
        "modeling-judgment": 5,
        "production-constraints": None,
        "evaluation-monitoring": 4,
        "risk-guardrails": 1,
    }
    assert kept.scores["problem-framing"].note == "Clear metric."
    assert kept.scores["risk-guardrails"].note is None


def test_input_that_ends_before_the_last_dimension_saves_nothing(runner, saved, store):
    result = runner.invoke(app, ["grade", "abcd"], input="3\n\n")
    assert result.exit_code == 130
    assert lines(result.stderr)[-1] == (
        "error: grading stopped before the last dimension; nothing saved"
    )
    assert store.load("abcd").human_grades == []


def test_skipping_every_dimension_saves_nothing(runner, saved, store):
    result = runner.invoke(app, ["grade", "abcd"], input="s\n" * len(DIMENSIONS))
    assert result.exit_code == 1
    assert lines(result.stderr) == ["No dimension graded; nothing saved."]
    assert store.load("abcd").human_grades == []


def test_without_its_round_file_the_scorecards_dimensions_are_graded(runner, store):
    t = session()
    t.round = "gone-round"
    store.save(t)
    result = runner.invoke(app, ["grade", "abcd", "--scores", "data-labels=2"])
    assert result.exit_code == 0, result.output
    [warning] = lines(result.stderr)
    assert warning.startswith("warning: no round named 'gone-round'")
    assert warning.endswith(": grading the dimensions its scorecards name, without anchors")
    assert store.load("abcd").human_grades[0].rubric_sha256 is None


# -------------------------------------------------------------------------- show


def test_show_puts_each_graders_latest_beside_the_judge(runner, saved, store):
    saved.human_grades += [
        grade("Ana", {"problem-framing": 1}, at=T0, note="old"),
        grade("Ana", {"problem-framing": 2, "data-labels": None}, note="[red]no metric[/]"),
        grade("Bo", {"modeling-judgment": 4}),
    ]
    store.save(saved)
    result = runner.invoke(app, ["show", "abcd"])
    assert result.exit_code == 0, result.output
    shown = lines(result.stdout)
    table = shown[shown.index("Grades side by side") :]
    assert [row.split("┃")[2:5] for row in table[2:4]] == [
        ["   judge    ", "         Ana         ", "     Bo     "],
        [" fake-judge ", "     2026-11-02      ", " 2026-11-02 "],
    ]
    rows = [[cell.strip() for cell in row.split("│")[1:5]] for row in table if "│" in row]
    assert rows == [
        ["Problem framing and metrics", "4/5", "2/5", "—"],
        ["", "", "[red]no metric[/]", ""],  # a note is data, never markup
        ["Data and label understanding", "2/5", "not enough evidence", "—"],
        ["", "", "[red]no metric[/]", ""],
        ["Modeling judgment and baselines", "—", "—", "4/5"],
    ]
    assert "old" not in table[-1]


def test_a_person_two_points_from_the_judge_is_marked(saved):
    saved.human_grades.append(grade("Ana", {"problem-framing": 2, "data-labels": 3}))
    table = grades_compared(saved, Catalog())
    assert table is not None
    ana = list(table.columns[2].cells)
    assert [str(cell.style) for cell in ana] == ["bold red", ""]  # 4 vs 2; 2 vs 3
    Console(width=80, record=True).print(table)  # renders in a narrow window


def test_show_without_grades_has_no_grades_table(runner, saved):
    result = runner.invoke(app, ["show", "abcd"])
    assert "Grades side by side" not in result.stdout


# -------------------------------------------------------------- export and import


@pytest.fixture
def graded(store: Store) -> Store:
    first, second, third = session("aaaa1111"), session("bbbb2222"), session("cccc3333")
    first.human_grades += [
        grade("Ana", {"problem-framing": 1}, at=T0),
        grade("Ana", {"problem-framing": 2}, note="thin"),
        grade("Bo", {"data-labels": None}),
    ]
    second.human_grades.append(grade("Bo", {"risk-guardrails": 5}))
    for t in (first, second, third):
        store.save(t)
    return store


def test_export_writes_one_line_per_session_and_grader(runner, graded):
    result = runner.invoke(app, ["grades", "export"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["session"], r["grader"], r["scores"]) for r in records] == [
        ("aaaa1111", "Ana", {"problem-framing": {"score": 2, "note": "thin"}}),
        ("aaaa1111", "Bo", {"data-labels": {"score": None, "note": None}}),
        ("bbbb2222", "Bo", {"risk-guardrails": {"score": 5, "note": None}}),
    ]
    assert records[0] == {
        "version": 1,
        "session": "aaaa1111",
        "round": ROUND,
        "grader": "Ana",
        "at": "2026-11-02T09:00:00Z",
        "scores": {"problem-framing": {"score": 2, "note": "thin"}},
        "rubric_sha256": None,
    }


def test_export_names_sessions_and_a_grader(runner, graded):
    result = runner.invoke(app, ["grades", "export", "bbbb", "cccc", "aaaa", "--grader", "Bo"])
    assert result.exit_code == 0
    assert [json.loads(line)["session"] for line in result.stdout.splitlines()] == [
        "bbbb2222",
        "aaaa1111",
    ]
    assert lines(result.stderr) == ["warning: session cccc3333 has no grades by Bo"]


def test_import_after_export_is_idempotent_and_takes_edits(runner, graded, tmp_path):
    exported = runner.invoke(app, ["grades", "export"]).stdout
    file = tmp_path / "grades.jsonl"
    file.write_text(exported, encoding="utf-8")
    before = {tid: graded.read(tid).human_grades for tid in graded.ids()}
    again = runner.invoke(app, ["grades", "import", str(file)])
    assert again.exit_code == 0, again.output
    assert lines(again.stdout) == [
        f"Imported {file} into 2 sessions: 0 added, 0 updated, 3 already there."
    ]
    assert {tid: graded.read(tid).human_grades for tid in graded.ids()} == before

    coach = json.loads(exported.splitlines()[2])  # Bo on bbbb2222, edited by a coach
    coach["scores"]["risk-guardrails"] = {"score": 3, "note": "mitigations were generic"}
    fresh = {**coach, "session": "cccc3333", "grader": "Cy"}
    file.write_text("\n".join([json.dumps(coach), "", json.dumps(fresh)]) + "\n")
    first = runner.invoke(app, ["grades", "import", str(file)])
    assert first.exit_code == 0, first.output
    assert "into 2 sessions: 1 added, 1 updated, 0 already there." in first.stdout
    second = runner.invoke(app, ["grades", "import", str(file)])
    assert "into 2 sessions: 0 added, 0 updated, 2 already there." in second.stdout
    assert graded.read("bbbb2222").human_grades[0].values() == {"risk-guardrails": 3}
    assert [g.grader for g in graded.read("cccc3333").human_grades] == ["Cy"]


GOOD = {
    "version": 1,
    "session": "aaaa1111",
    "round": ROUND,
    "grader": "Cy",
    "at": "2026-11-03T10:00:00Z",
    "scores": {"problem-framing": {"score": 4, "note": None}},
}


def bad(**change: object) -> str:
    return json.dumps({**GOOD, **change})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            "{not json",
            "error: {file}:2: not JSON (Expecting property name enclosed in "
            "double quotes at column 2)",
            id="not-json",
        ),
        pytest.param(
            "[1, 2]", "error: {file}:2: not a grade (a JSON object is expected)", id="array"
        ),
        pytest.param(
            bad(colour="red"),
            "error: {file}:2: colour: Extra inputs are not permitted (remove it or correct the "
            "spelling (allowed: version, session, round, grader, at, scores, rubric_sha256))",
            id="unknown-field",
        ),
        pytest.param(
            bad(scores={"problem-framing": {"score": 6}}),
            "error: {file}:2: scores.problem-framing.score: Input should be less than or equal to 5 "
            "(correct the value)",
            id="out-of-range",
        ),
        pytest.param(
            bad(scores={"problem-framing": {"note": "forgot the score"}}),
            "error: {file}:2: scores.problem-framing.score: Field required (add 'score')",
            id="no-score",
        ),
        pytest.param(
            bad(at="2026-11-03T10:00:00"),
            "error: {file}:2: at: Input should have timezone info (correct the value)",
            id="naive-time",
        ),
        pytest.param(
            bad(version=2),
            "error: {file}:2: version: Input should be 1 (correct the value)",
            id="newer-version",
        ),
        pytest.param(
            bad(session="ffff0000"),
            "error: {file}:2: no session 'ffff0000' in {dir} (import into the folder the grades "
            "were exported from (--transcripts-dir))",
            id="unknown-session",
        ),
        pytest.param(
            bad(round="behavioral"),
            "error: {file}:2: round: session aaaa1111 is a ml-system-design session, not behavioral "
            "(correct the session or the round)",
            id="other-round",
        ),
        pytest.param(
            bad(scores={"depth": {"score": 3}}),
            "error: {file}:2: scores.depth: no such dimension in round ml-system-design (its "
            "dimensions: " + ", ".join(DIMENSIONS) + ")",
            id="unknown-dimension",
        ),
    ],
)
def test_import_names_the_file_and_line_of_a_bad_record_and_imports_nothing(
    runner, graded, tmp_path, transcripts_dir, line, message
):
    file = tmp_path / "grades.jsonl"
    file.write_text(json.dumps({**GOOD, "session": "bbbb2222"}) + "\n" + line + "\n")
    result = runner.invoke(app, ["grades", "import", str(file)])
    assert result.exit_code == 2
    assert lines(result.stderr) == [message.format(file=file, dir=transcripts_dir)]
    assert [g.grader for g in graded.read("bbbb2222").human_grades] == ["Bo"]  # line 1 too


def test_import_of_a_missing_file_says_so(runner, tmp_path):
    result = runner.invoke(app, ["grades", "import", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert lines(result.stderr) == [
        f"error: {tmp_path / 'nope.jsonl'}: cannot read (No such file or directory)"
    ]


# ---------------------------------------------------------- the pairs calibration reads


def test_human_graded_gives_each_graders_latest_per_session(graded):
    pairs = [(t.id, g.grader, g.values()) for t, g in human_graded(every_transcript(graded, print))]
    assert pairs == [
        ("aaaa1111", "Ana", {"problem-framing": 2}),
        ("aaaa1111", "Bo", {"data-labels": None}),
        ("bbbb2222", "Bo", {"risk-guardrails": 5}),
    ]
    only_bo = human_graded(every_transcript(graded, print), grader="Bo")
    assert [t.id for t, _ in only_bo] == ["aaaa1111", "bbbb2222"]


def test_every_transcript_skips_a_damaged_file_with_a_warning(graded, transcripts_dir):
    (transcripts_dir / "dddd4444.json").write_text("{")
    warnings: list[str] = []
    assert [t.id for t in every_transcript(graded, warnings.append)] == [
        "aaaa1111",
        "bbbb2222",
        "cccc3333",
    ]
    assert len(warnings) == 1 and "dddd4444.json" in warnings[0]


@pytest.mark.parametrize(
    ("given", "change", "kept"),
    [
        pytest.param(grade("Ana", {"data-labels": 2}), "unchanged", 1, id="same"),
        pytest.param(grade("Ana", {"data-labels": 3}), "updated", 1, id="edited"),
        pytest.param(grade("Bo", {"data-labels": 2}), "added", 2, id="other-grader"),
        pytest.param(grade("Ana", {"data-labels": 2}, at=T0), "added", 2, id="other-time"),
    ],
)
def test_merge_knows_a_grading_by_grader_and_time(given, change, kept):
    t = session()
    t.human_grades.append(grade("Ana", {"data-labels": 2}))
    assert merge(t, given) == change
    assert len(t.human_grades) == kept
    assert given in t.human_grades


def test_latest_takes_the_newest_whatever_the_order():
    newer, older = grade("Ana", {"data-labels": 4}), grade("Ana", {"data-labels": 1}, at=T0)
    assert latest([newer, older]) == [newer]


# ------------------------------------------------------------------- the transcript


def test_a_version_4_transcript_is_read_with_no_grades(store, transcripts_dir):
    data = json.loads(session().model_dump_json())
    data["version"] = 4
    del data["human_grades"]
    (transcripts_dir).mkdir(parents=True, exist_ok=True)
    (transcripts_dir / "abcd1234.json").write_text(json.dumps(data))
    loaded = store.load("abcd")
    assert (loaded.version, loaded.human_grades) == (CURRENT_TRANSCRIPT_VERSION, [])


def test_a_blank_note_is_no_note():
    assert HumanScore(score=3, note="  ").note is None
