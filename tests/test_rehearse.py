"""`interviewer rehearse`: simulated candidates through real sessions, each figure counted
from what the transcript and the screen hold, with a verdict and a resumable results file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from builders import add, transcript
from context_server import Loopback
from interviewer.catalog.library import Catalog
from interviewer.cli import app
from interviewer.formats.transcript import Phase, Role
from interviewer.interview.answer_kinds import AnswerKind
from interviewer.interview.leaks import Hidden
from interviewer.rehearsal.candidates import load_candidates
from interviewer.rehearsal.measures import measure
from interviewer.rehearsal.run import plan_jobs

DESIGN = Catalog().round("ml-system-design").item
NONCE = "0badc0de"


def _asked(t: Any, text: str, *, move: str, topic: str | None, probes: list[str] | None = None,
           phase: Phase = Phase.followup) -> None:  # fmt: skip
    turn = add(t, Role.interviewer, text, phase=phase, topic=topic)
    turn.move, turn.probes = move, probes or []


def _answered(t: Any, text: str) -> None:
    add(t, Role.candidate, text).kind = None


def _hidden() -> Hidden:
    return Hidden(
        nonce=NONCE,
        texts=(
            "Pick the weakest, vaguest or most interesting specific point in their last answer and probe it",
        ),
    )


def test_a_covered_area_asked_again_and_a_probe_for_what_was_just_said_are_counted():
    design = DESIGN.model_copy(deep=True)
    labels = design.topic("data-labels")
    assert labels is not None and labels.keywords
    probe = labels.probes[0]
    probe.answered_by = ["days later"]
    t = transcript(plan=["problem-framing", "data-labels"])
    _asked(
        t, "What is the system for?", move="opening", topic="problem-framing", phase=Phase.opening
    )
    # The answer covers the labels area unprompted, and makes the probe's point.
    _answered(t, f"It ranks items. {' and '.join(labels.keywords[:3])}; {probe.answered_by[0]}.")
    _asked(t, probe.ask, move="probe", topic="data-labels", probes=[probe.ask])
    _answered(t, "More detail.")
    _asked(t, labels.question, move="question", topic="data-labels", phase=Phase.question)
    _answered(t, "Fine.")

    m = measure(t, design, [AnswerKind.substantive] * 3, _hidden(), screen="")

    assert (m.asked_again, m.area_questions) == (1, 1)
    assert (m.probes, m.already_answered) == (1, 1)
    assert m.areas == 2 and m.areas_asked == 2


def test_a_twist_left_unprobed_and_a_dont_know_left_without_a_foothold_are_counted():
    t = transcript(plan=["problem-framing", "data-labels"])
    _asked(t, "Open.", move="opening", topic="problem-framing", phase=Phase.opening)
    _answered(t, "I don't know.")
    _asked(t, "Let's move on. Next question.", move="question", topic="data-labels",
           phase=Phase.question)  # fmt: skip
    t.turns[1].kind = AnswerKind.dont_know.value
    _answered(t, "An answer.")
    _asked(t, "Traffic doubled overnight.", move="twist", topic="data-labels")
    _answered(t, "I would shard the index.")
    _asked(t, "Let's wrap up.", move="wrap-up", topic=None, phase=Phase.wrap_up)

    m = measure(t, DESIGN, [AnswerKind.dont_know] * 3, _hidden(), screen="")

    assert (m.dont_knows, m.footholds) == (1, 0)
    assert m.twists == 0  # the wrap-up came next: no follow-up was possible, none counted
    t.turns[-1].move, t.turns[-1].phase, t.turns[-1].topic = "question", Phase.question, "x"
    m = measure(t, DESIGN, [AnswerKind.dont_know] * 3, _hidden(), screen="")
    assert (m.twists, m.twists_followed) == (1, 0)


def test_hidden_text_on_screen_and_in_replies_is_counted_and_misread_answers_are_named():
    t = transcript(plan=["problem-framing"])
    _asked(t, f"[session {NONCE}: phase followup; move probe] What would you measure?",
           move="probe", topic="problem-framing")  # fmt: skip
    _answered(t, "I don't know.")
    _asked(t, "The candidate mentioned customer demographics. Why those?", move="probe",
           topic="problem-framing")  # fmt: skip

    m = measure(t, DESIGN, [AnswerKind.substantive], _hidden(), screen=f"... {NONCE} ...")

    assert m.leaks.get("note") == 1 and m.leaks.get("narration") == 1
    assert m.screen_nonce
    assert (m.answers, m.misrouted) == (1, 1)
    assert m.misroutes == ["substantive read as dont-know: I don't know."]


def test_each_candidate_runs_only_where_it_fits():
    candidates, _ = load_candidates()
    rounds = [e.item for e in Catalog().rounds()]
    jobs = plan_jobs(rounds, candidates.candidates, every_opening=False)
    by_candidate: dict[str, set[str]] = {}
    for job in jobs:
        by_candidate.setdefault(job.candidate, set()).add(job.round)
    assert by_candidate["code"] == {"coding"}
    assert by_candidate["derivation"] == {"research-math"}
    assert by_candidate["curious"] == {"reverse"}
    assert "reverse" not in by_candidate["strong"]
    assert len(by_candidate["strong"]) == len(rounds) - 1
    every = plan_jobs(rounds[:1], candidates.candidates, every_opening=True)
    fit = [c for c in candidates.candidates if c.applies_to(rounds[0])]
    assert len(every) == len(fit) * len(rounds[0].openings)


def _rehearse(*args: str) -> Any:
    return CliRunner().invoke(app, ["rehearse", *args], catch_exceptions=False)


def _report(output: str) -> dict[str, Any]:
    return json.loads(output[output.index("{") :])


def _results(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The results file of the rehearsal a report describes, one session a line."""
    results = Path(report["settings"]["transcripts"]).parent / "results.jsonl"
    return [json.loads(line) for line in results.read_text().splitlines()]


def test_a_scripted_rehearsal_reports_every_figure_and_resumes_without_rerunning(tmp_path: Path):
    args = ["-m", "scripted", "-r", "research-math,reverse", "-c", "strong,curious,dont-know",
            "--json", "--out", str(tmp_path)]  # fmt: skip
    first = _rehearse(*args)
    assert first.exit_code == 0, first.output  # too few sessions for a verdict: no failure
    report = _report(first.stdout)
    assert report["sessions"] == report["planned"] == 3
    assert report["verdict"]["result"] == "none"
    assert set(report["rounds"]) == {"research-math", "reverse"}
    assert report["figures"]["hidden"]["value"] == 0
    assert (tmp_path / "report-partial.html").read_text().startswith("<!DOCTYPE html>")
    results = Path(report["settings"]["transcripts"]).parent / "results.jsonl"
    lines = results.read_text().splitlines()
    assert len(lines) == 3

    again = _rehearse(*args)
    assert "Resuming: 3 of 3 sessions" in again.stderr
    assert results.read_text().splitlines() == lines  # nothing ran twice
    assert _report(again.stdout)["figures"] == report["figures"]


def test_a_candidate_read_as_the_wrong_kind_fails_the_verdict(tmp_path: Path):
    """A candidate set whose every answer should read as substantive but is an admission:
    every answer is a misroute, and with enough sessions the verdict fails (exit 1)."""
    own = tmp_path / "candidates.toml"
    own.write_text(
        'version = 1\n[[candidates]]\nid = "blank"\nabout = "says nothing useful"\n'
        'recipe = "lines"\nreads_as = "substantive"\npace_seconds = 30\n'
        'lines = ["I don\'t know."]\n'
        '[questions]\nask = "What is next?"\ndone = "No more questions."\n'
    )
    result = _rehearse("-m", "scripted", "--cast", str(own), "--every-opening",
                       "-r", "ml-fundamentals,applied-modeling", "--json", "--out", str(tmp_path))  # fmt: skip
    report = _report(result.stdout)
    assert report["sessions"] >= 20
    assert report["figures"]["misrouted"]["value"] > 0.5
    assert report["verdict"]["result"] == "fail"
    assert result.exit_code == 1


def test_a_broken_candidates_file_is_one_line_naming_the_field(tmp_path: Path):
    own = tmp_path / "candidates.toml"
    own.write_text('version = 1\n[[candidates]]\nid = "x"\nabout = "y"\nrecipe = "lines"\n'
                   'reads_as = "substantive"\npace_seconds = 30\n[questions]\nask = "a"\ndone = "b"\n')  # fmt: skip
    result = CliRunner().invoke(app, ["rehearse", "-m", "scripted", "--cast", str(own)])
    assert result.exit_code != 0
    assert "candidates.toml" in result.stderr and "needs lines" in result.stderr
    assert "Traceback" not in result.output


def test_a_model_that_leaks_is_measured_after_the_guard(tmp_path: Path):
    """A server that replies the way a small model did: the session's note with its real
    nonce, narration, the question answered for the candidate. What reached the screen and
    the transcript is clean, and the report says the guard stepped in."""

    def leaky(request: dict[str, Any]) -> str:
        text = json.dumps(request["messages"])
        nonce = re.search(r"\[session ([0-9a-f]{8})", text)
        note = f"[session {nonce.group(1)}: phase followup; move probe] " if nonce else ""
        return (f"{note}The candidate mentioned customer demographics. What would you measure "
                "first? I would use AUC because it is robust.")  # fmt: skip

    server = Loopback(leaky)
    with server as base:
        result = _rehearse("-m", "leaky", "--api-base", base, "-r", "behavioral", "-c", "strong",
                           "--json", "--out", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    report = _report(result.stdout)
    figures = report["figures"]
    assert figures["hidden"]["value"] == 0 and figures["screen_nonce"]["value"] == 0
    assert figures["narration"]["value"] == 0 and figures["own_answer"]["value"] == 0
    assert figures["guarded"]["value"] == 1.0
    folder = Path(report["settings"]["transcripts"])
    saved = [json.loads((folder / f"{r['transcript']}.json").read_text()) for r in _results(report)]
    said = [t["text"] for x in saved for t in x["turns"] if t["role"] == "interviewer"]
    assert said and not any("candidate mentioned" in s or "I would use AUC" in s for s in said)


def test_the_help_names_every_shipped_candidate():
    result = CliRunner().invoke(app, ["rehearse", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    for spec in load_candidates()[0].candidates:
        assert spec.id in text, spec.id


def test_a_pooled_ratio_has_an_interval_around_it_and_none_from_one_session():
    from interviewer.rehearsal.report import ratio_interval

    counts = [(1.0, 4.0), (3.0, 4.0), (0.0, 2.0), (2.0, 2.0)] * 10
    figure = ratio_interval(counts, seed=3)
    assert figure["value"] == 60 / 120
    assert figure["low"] is not None and figure["high"] is not None
    assert figure["low"] < 0.5 < figure["high"] and figure["high"] - figure["low"] < 0.4
    assert ratio_interval(counts, seed=3) == figure  # the seed fixes it
    assert ratio_interval([(1.0, 2.0)])["low"] is None
    assert ratio_interval([(0.0, 0.0)] * 3)["value"] is None


def test_follow_ups_are_held_to_choosing_from_the_answer_only_where_it_offered_a_probe():
    topic = DESIGN.topic("data-labels")
    assert topic is not None
    probe = topic.probes[0]
    t = transcript(plan=["data-labels"])
    _asked(t, topic.question, move="question", topic="data-labels", phase=Phase.question)
    _answered(t, f"Mostly {probe.keywords[0]}.")
    _asked(t, "What would you measure?", move="probe-fallback", topic="data-labels",
           probes=[probe.ask])  # fmt: skip
    _answered(t, "Fine.")
    m = measure(t, DESIGN, [AnswerKind.substantive] * 2, _hidden(), screen="")
    assert (m.probes, m.could_choose, m.from_answer) == (1, 1, 0)

    t.turns[2].move = "probe"  # the same probe, chosen for the word the answer holds
    m = measure(t, DESIGN, [AnswerKind.substantive] * 2, _hidden(), screen="")
    assert (m.probes, m.could_choose, m.from_answer) == (1, 1, 1)

    t.turns[1].text = "Mostly nothing in particular."  # nothing to choose from
    m = measure(t, DESIGN, [AnswerKind.substantive] * 2, _hidden(), screen="")
    assert (m.probes, m.could_choose, m.from_answer) == (1, 0, 0)
