"""Text from outside (model replies, answers, provider errors, files) is shown as text.

No terminal escape reaches the terminal, no markup from outside is interpreted, and the
Markdown rendering shows outside text without letting it add structure of its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.terminal.safe_text import clean, markdown_text
from wire import BASE, Provider

MODEL_ARGS = ["--model", "test-model", "--api-base", BASE]
ESCAPES = "\x1b]0;pwned title\x07\x1b[2J\x1b]52;c;aGFjaw==\x07\x9b31m"
INJECTED = "# Not a heading\n| a | b |\n|---|---|\n<script>alert(1)</script>\n```\n[x](http://evil)"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("plain\ttext\nnext", "plain\ttext\nnext", id="tabs-newlines-kept"),
        pytest.param("a\x1b]0;title\x07b", "ab", id="osc-title"),
        pytest.param("a\x1b]52;c;aGk=\x1b\\b", "ab", id="osc52-clipboard"),
        pytest.param("a\x1b[2J\x1b[Hb", "ab", id="csi-clear"),
        pytest.param("a\x1b", "a", id="cut-sequence"),
        pytest.param("a\rb\x08c\x85d", "abcd", id="c0-c1"),
        pytest.param("a\u202eb", "ab", id="bidi-override"),
    ],
)
def test_clean_strips_control_sequences_and_keeps_text(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_escapes_in_the_stream_and_in_show_never_reach_the_terminal(
    respx_mock: Any, isolated: Path
) -> None:
    provider = Provider(respx_mock)
    provider.interviewer = [f"Tell me{ESCAPES} more.", "Next?"]
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["practice", "behavioral", *MODEL_ARGS, "--no-score"],
        input=f"my answer{ESCAPES}\n\n/pause\n",
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert "Tell me more." in result.stdout
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    shown = runner.invoke(app, ["show", path.stem], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "\x1b" not in shown.output and "my answer" in shown.output
    exported = runner.invoke(app, ["export", path.stem, "--format", "md"])
    assert "\x1b" not in exported.output


@pytest.mark.parametrize("text", ["[/]", "[link=http://evil.example]click[/link]", "[bold]x"])
def test_provider_error_text_is_printed_as_text(respx_mock: Any, isolated: Path, text: str) -> None:
    respx_mock.post(f"{BASE}/chat/completions").mock(
        return_value=httpx.Response(400, json={"error": {"message": f"bad {text} request"}})
    )
    result = CliRunner().invoke(app, ["practice", "behavioral", *MODEL_ARGS], input="")
    assert result.exit_code == 3, result.output
    assert f"bad {text} request" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_markdown_shows_outside_text_without_adding_structure(
    respx_mock: Any, isolated: Path
) -> None:
    provider = Provider(respx_mock)
    provider.interviewer = [INJECTED.replace("\n", " \n"), "Next?"]
    runner = CliRunner()
    runner.invoke(
        app, ["practice", "behavioral", *MODEL_ARGS, "--no-score"], input=f"{INJECTED}\n\n/pause\n"
    )
    (path,) = [p for p in (isolated / "transcripts").glob("*.json") if p.name != "index.json"]
    exported = runner.invoke(app, ["export", path.stem, "--format", "md"]).stdout
    lines = exported.splitlines()
    assert next(line for line in lines if line.startswith("#")).startswith("# Behavioral")
    assert not any(
        line.lstrip("> ").startswith(("#", "|", "```"))
        for line in lines[1:]
        if line not in ("## Scenario", "## Conversation", "## Scorecard")
    )
    assert "<script>" not in exported and "[x](http" not in exported
    assert json.loads(path.read_text())["turns"][1]["text"].startswith("# Not a heading")


def test_markdown_text_escapes_what_would_be_structure() -> None:
    assert markdown_text("# h") == "\\# h"
    assert markdown_text("a | b") == "a \\| b"
    assert markdown_text("<b>") == "&lt;b&gt;"
    assert markdown_text("---") == "\\---"


@pytest.mark.parametrize("times", [1, 4000], ids=["long lines", "short lines"])
def test_markdown_text_escapes_a_marker_at_any_lines_start(times: int) -> None:
    """A list or heading marker (a sign, or a number and its dot or bracket) at the start
    of any line, after its indent too, renders as itself; one inside a line, or a number
    with neither, is left alone. Short lines take another path (``_line_starts``)."""
    lines = ["a line of the answer", "- a", "+ b", "= c", "12. d", "3) e", "   - f", "  7. g",
             "42 is fine", "a - b", "x"]  # fmt: skip
    want = ["a line of the answer", "\\- a", "\\+ b", "\\= c", "\\12. d", "\\3) e", "   \\- f",
            "  \\7. g", "42 is fine", "a - b", "x"]  # fmt: skip
    text = "\n".join(lines * times if times == 1 else (lines[1:] * times))
    expected = "\n".join(want * times if times == 1 else (want[1:] * times))
    assert markdown_text(text) == expected
