"""interviewer doctor, end to end through the CLI, against a server played by respx."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from interviewer.catalog.library import Catalog
from interviewer.cli import app
from interviewer.cli.app import out
from interviewer.doctor.scoring import REHEARSAL_ROUND
from interviewer.grading.schema import reply_schema
from schema_server import schema_reply
from wire import BASE, completion, sse

ARGS = ["doctor", "--model", "test-model", "--api-base", BASE]
SCHEMA_REFUSED = {"error": {"message": "response_format type json_schema is not supported"}}


class Server:
    """An OpenAI-compatible server; each behaviour can be switched to a failure."""

    def __init__(self, respx_mock: Any) -> None:
        self.models = ["test-model"]
        self.refuses_schema = False
        self.judge_text = '{"ready": true}'
        self.scoring_text: Any = schema_reply(3, "I led the investigation")
        self.scorings = 0
        self.formats: list[str | None] = []
        respx_mock.get(f"{BASE}/models").mock(side_effect=self.listing)
        respx_mock.post(f"{BASE}/chat/completions").mock(side_effect=self.chat)

    def listing(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"object": "list", "data": [{"id": m} for m in self.models]}
        )

    def chat(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get("stream"):
            headers = {"content-type": "text/event-stream"}
            return httpx.Response(200, content=sse("ready"), headers=headers)
        kind = (body.get("response_format") or {}).get("type")
        if "transcript to grade" in json.dumps(body["messages"]):  # the scoring rehearsal
            if kind == "json_schema" and self.refuses_schema:
                return httpx.Response(400, json=SCHEMA_REFUSED)
            self.scorings += 1
            reply = self.scoring_text
            text = reply(with_schema(body)) if callable(reply) else reply
            return httpx.Response(200, json=completion(text))
        self.formats.append(kind)
        if kind == "json_schema" and self.refuses_schema:
            return httpx.Response(400, json=SCHEMA_REFUSED)
        return httpx.Response(200, json=completion(self.judge_text))


def with_schema(body: dict[str, Any]) -> dict[str, Any]:
    """The request as ``schema_reply`` reads it, also when the schema was only in the prompt
    (json_object mode): the rehearsal always grades the round's first scenario."""
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return body
    round_ = Catalog().round(REHEARSAL_ROUND).item
    schema = reply_schema(round_, round_.openings[0])
    return {**body, "response_format": {"json_schema": {"schema": schema}}}


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide console, so no table cell wraps mid-phrase."""
    monkeypatch.setattr(out, "_width", 250)


@pytest.fixture
def server(respx_mock: Any) -> Server:
    return Server(respx_mock)


def run(*extra: str) -> Any:
    return CliRunner().invoke(app, [*ARGS, *extra])


def test_a_healthy_server_passes_every_check(server: Server) -> None:
    result = run()

    assert result.exit_code == 0, result.output
    out = result.stdout
    for check in ("server", "model", "streaming", "first token", "structured"):
        assert check in out
    assert "json_schema" in out and "FAILED" not in out and "Ready to practise." in out
    assert server.formats == ["json_schema"]


def test_a_server_that_rejects_json_schema_is_reported_in_json_object_mode(
    server: Server,
) -> None:
    server.refuses_schema = True

    result = run()

    assert result.exit_code == 0, result.output
    assert "json_object" in result.stdout and "rejected json_schema" in result.stdout
    assert server.formats == ["json_schema", "json_object"]


def test_an_unreachable_server_fails_with_its_fix(respx_mock: Any) -> None:
    respx_mock.get(f"{BASE}/models").mock(side_effect=httpx.ConnectError("refused"))

    result = run()

    assert result.exit_code == 1
    assert result.stdout.count("start the server") == 1  # under the table, not in a 5th cell
    assert "could not reach" in result.stdout and "start the server" in result.stdout
    assert "skipped" in result.stdout
    assert "check(s) that practice needs failed" in result.stderr
    assert "Traceback" not in result.output


def test_an_unlisted_model_is_a_warning_that_names_the_served_ones(server: Server) -> None:
    server.models = ["llama3.1:latest", "qwen2.5:7b"]

    result = run()

    assert result.exit_code == 0, result.output
    assert "warning" in result.stdout and "llama3.1:latest" in result.stdout


def test_json_that_does_not_validate_fails_the_judge(server: Server) -> None:
    server.judge_text = "Sure! I am ready."

    result = run()

    assert result.exit_code == 1
    assert "not the JSON asked for" in result.stdout and "--judge-model" in result.stdout


def test_the_report_has_four_cells_a_row_and_shows_details_as_data() -> None:
    from interviewer.cli.doctor import report
    from interviewer.doctor.check import Check

    check = Check("server", "fail", "[bold]no[/] such model", fix="start the server")
    table = report([("interviewer\n[red]m[/]", check)])

    assert len(table.columns) == 4
    with out.capture() as captured:
        out.print(table)
    assert "[bold]no[/] such model" in captured.get() and "[red]m[/]" in captured.get()
    assert "start the server" not in captured.get()


def test_a_separate_judge_is_checked_for_json_only(server: Server, respx_mock: Any) -> None:
    streamed: list[str] = []
    listing = server.chat

    def chat(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get("stream"):
            streamed.append(body["model"])
        return listing(request)

    respx_mock.post(f"{BASE}/chat/completions").mock(side_effect=chat)
    result = run("--judge-model", "judge-model")

    assert result.exit_code == 0, result.output
    assert streamed == ["test-model"]  # the interviewer streams; the judge is never asked to
    assert "interviewer" in result.stdout and "judge" in result.stdout
    assert "judge-model" in result.stdout  # unlisted: a warning, not a failure


def test_doctor_tries_a_scoring_the_size_of_a_real_one(server: Server) -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert server.scorings == 1 and "full-size scoring took" in result.stdout

    server.scoring_text = "I would rate this candidate highly."  # never a valid scorecard
    result = run()
    assert result.exit_code == 1
    assert "full-size scoring failed" in result.stdout and "Ready to practise" not in result.stdout


def test_a_longer_timeout_the_user_set_holds_for_the_doctor_too() -> None:
    """A timed-out check advises raising timeout_s: that must lengthen the doctor's own
    wait, which is otherwise shorter than a session's."""
    from interviewer.doctor.models import CHECK_TIMEOUT_S, checked_spec
    from interviewer.models import ModelSpec

    assert checked_spec(ModelSpec("m")).timeout_s == CHECK_TIMEOUT_S  # the default, shortened
    assert checked_spec(ModelSpec("m", timeout_s=300)).timeout_s == 300
    assert checked_spec(ModelSpec("m", timeout_s=20)).timeout_s == 20
    assert checked_spec(ModelSpec("m", timeout_s=300)).max_retries == 0


def test_with_no_model_at_all_the_doctor_says_so_and_how_to_get_one() -> None:
    """The scripted round's own notice sends a newcomer here; the doctor used to stop with
    "'scripted' is not a model", advising a judge for a check they never asked for."""
    result = CliRunner().invoke(app, ["doctor", "--model", "scripted"])

    assert result.exit_code == 0, result.output  # practice runs: scripted
    assert "nothing can score them" in result.stdout and "is not a model" not in result.output
    assert "export OPENAI_API_KEY" in result.stdout and "Ollama 11434" in result.stdout
    assert "Ready for scripted rounds only" in result.stdout
    assert "calibrate" not in result.stdout  # a scripted judge has nothing to calibrate


def test_a_separate_judges_fixes_name_the_judges_options(respx_mock: Any) -> None:
    respx_mock.get(f"{BASE}/models").mock(side_effect=httpx.ConnectError("refused"))

    result = CliRunner().invoke(
        app, ["doctor", "--model", "scripted", "--judge-model", "m", "--judge-api-base", BASE]
    )

    assert result.exit_code == 1
    assert "the round's own lines are said" in result.stdout
    assert "check --judge-api-base" in result.stdout and "check --api-base" not in result.stdout


def test_a_failing_interviewer_fails_the_doctor_even_with_no_judge(respx_mock: Any) -> None:
    respx_mock.get(f"{BASE}/models").mock(side_effect=httpx.ConnectError("refused"))

    result = CliRunner().invoke(app, [*ARGS, "--judge-model", "scripted"])

    assert result.exit_code == 1
    assert "check(s) that practice needs failed" in result.stderr
    assert "Ready" not in result.stdout


def test_a_long_model_name_is_folded_not_cut_at_80_columns(
    respx_mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(out, "_width", 80)
    respx_mock.get(f"{BASE}/models").mock(side_effect=httpx.ConnectError("refused"))
    name = "qwen2.5-coder-14b-instruct-q4_k_m-long-name"

    result = CliRunner().invoke(app, ["doctor", "--model", name, "--api-base", BASE])

    assert result.exit_code == 1
    assert "…" not in result.stdout
    table = [line.split("│")[1].strip() for line in result.stdout.splitlines() if "│" in line]
    assert name in "".join(table)  # folded over lines, every character kept


def calibrated_on(
    n: int, kappa: float, verdict: str | None = "pass", failing: list[str] | None = None
) -> None:
    """A calibration run of ``n`` graded items saved for the doctor's judge."""
    from interviewer.formats.transcript import ModelInfo
    from interviewer.grading.calibration.record import LastResult, save_last

    judge = ModelInfo(model="test-model", api_base=BASE)
    save_last(
        LastResult(
            judge=judge, gold="gold v2", kappa=kappa, n=n, verdict=verdict,
            failing=failing or [], measured_at="now",
        )
    )  # fmt: skip


def test_a_five_item_calibration_is_not_cited_as_the_judges_calibration(server: Server) -> None:
    """A ``calibrate --limit 5`` look (kappa 0.00, n=5) was cited as the judge's calibration
    under "Ready to practise."; it says too little to be one, and the doctor says so."""
    calibrated_on(5, 0.0, verdict=None)

    result = run()

    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "this judge:" not in said
    assert (
        "Judge test-model: not calibrated: its latest calibration run graded only 5 items "
        "(kappa 0.00 on gold v2), too few to tell a good judge from chance (at least 30 are "
        "needed); measure it on the whole gold set with: interviewer calibrate --judge-model "
        f"test-model --judge-api-base {BASE}"
    ) in said
    assert said.endswith(
        "Ready to practise. The judge is not calibrated: read its scores as rough until a "
        "calibration run (above) has measured it."
    )


@pytest.mark.parametrize(
    ("n", "cited"),
    [
        pytest.param(29, False, id="one-short"),
        pytest.param(30, True, id="the-minimum"),
        pytest.param(100, True, id="the-shipped-gold-set"),
    ],
)
def test_the_judge_is_cited_from_a_run_of_at_least_the_minimum(
    server: Server, n: int, cited: bool
) -> None:
    from interviewer.grading.calibration.record import MIN_ITEMS

    assert MIN_ITEMS == 30
    calibrated_on(n, 0.71)

    said = " ".join(run().stdout.split())

    assert (
        f"Judge test-model: this judge: passed calibration on gold v2 (kappa 0.71, n={n})" in said
    ) is cited
    assert said.endswith("Ready to practise.") is cited


def test_the_doctor_cites_a_failed_verdict_with_what_failed(server: Server) -> None:
    """Not only kappa: a judge that obeys injections keeps kappa 1.00 and fails."""
    calibrated_on(100, 1.0, verdict="fail", failing=["injection lift high 2.85 > 0.50", "a", "b"])

    said = " ".join(run().stdout.split())

    assert (
        "Judge test-model: this judge: FAILED calibration on gold v2 (kappa 1.00, n=100): "
        "injection lift high 2.85 > 0.50; a; and 1 more"
    ) in said
    assert said.endswith(
        "Ready to practise. The judge failed its calibration: read its scores as rough, or "
        "calibrate another judge (above)."
    )


def test_a_calibration_from_before_verdicts_is_not_cited(server: Server) -> None:
    """A kappa alone, saved before calibrate gave verdicts (gold v1's 0.74 for a judge that
    only counted words), is no verdict to cite."""
    calibrated_on(45, 0.74, verdict=None)

    said = " ".join(run().stdout.split())

    assert "this judge:" not in said
    assert (
        "Judge test-model: not calibrated: its latest calibration (kappa 0.74 on gold v2, "
        "n=45) has no verdict, as runs before verdicts did not; measure it again with: "
        f"interviewer calibrate --judge-model test-model --judge-api-base {BASE}"
    ) in said
    assert said.endswith("has measured it.")
