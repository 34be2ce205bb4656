"""--job, --resume and --paper steer the models and are recorded by name and hash only."""

from __future__ import annotations

import hashlib
import json

from typer.testing import CliRunner

from interviewer.cli import app
from wire import BASE, Provider

JOB = "Staff ML engineer, Ads ranking. You will own CTR prediction serving at 2M QPS."
CV = "Led migration of a fraud model to streaming features; cut chargebacks 18%."


def test_job_and_cv_reach_the_interviewer_and_only_their_hashes_are_kept(respx_mock, isolated):
    provider = Provider(respx_mock)
    provider.interviewer = ["Let's design ads ranking."]
    (isolated / "job.md").write_text(JOB)
    (isolated / "cv.txt").write_text(CV)
    result = CliRunner().invoke(
        app,
        [
            "practice",
            "ml-system-design",
            "--model",
            "m",
            "--api-base",
            BASE,
            "--job",
            "job.md",
            "--resume",
            "cv.txt",
        ],
        input="/pause\n",
    )
    assert result.exit_code == 0, result.output
    system = provider.streamed[0]["messages"][0]["content"]
    assert JOB in system and CV in system
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    text = path.read_text()
    assert JOB not in text and CV not in text
    sources = {s["kind"]: s for s in json.loads(text)["sources"]}
    assert sources["job"]["name"] == "job.md"
    assert sources["job"]["sha256"] == hashlib.sha256(JOB.encode()).hexdigest()
    assert sources["resume"]["sha256"] == hashlib.sha256(CV.encode()).hexdigest()
    assert {"round", "persona", "prompt"} <= set(sources)


def test_a_pdf_paper_is_read_as_text(respx_mock, isolated):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 20 100 Td (Sparse mixture of experts routing) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    with open(isolated / "paper.pdf", "wb") as handle:
        writer.write(handle)
    provider = Provider(respx_mock)
    provider.interviewer = ["Which paper?"]
    result = CliRunner().invoke(
        app,
        ["practice", "paper-deep-dive", "--model", "m", "--api-base", BASE, "--paper", "paper.pdf"],
        input="/pause\n",
    )
    assert result.exit_code == 0, result.output
    assert "Sparse mixture of experts routing" in provider.streamed[0]["messages"][0]["content"]
