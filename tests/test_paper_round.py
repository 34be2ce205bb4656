"""The paper round asks about the paper it was given (issue 19, item 4): the paper's
outline reaches the interviewer in its own nonce-tagged block, and the scripted lines
that say "the paper" name it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.catalog.documents import name_the_paper, outline, paper_title
from interviewer.cli import app
from wire import BASE, Provider

TITLE = "Sparse Routing for Mixture-of-Experts Language Models"
PAPER = f"""# {TITLE}

Ada Lovelace, Alan Turing

## Abstract
We route each token to two of 64 experts and train with a load-balancing loss.
Quality matches a dense model at a third of the compute.

## 1 Introduction
Dense models spend the same compute on every token.

## 3 Method
The router is a softmax over experts.

## 5 Ablations
Without the balancing loss, experts collapse.
"""


def test_the_outline_holds_title_abstract_and_sections() -> None:
    shape = outline(PAPER)
    assert shape is not None
    assert f"Title: {TITLE}" in shape
    assert "Abstract: We route each token to two of 64 experts" in shape
    assert "Sections: 1 Introduction; 3 Method; 5 Ablations" in shape


def test_pdf_text_without_blank_lines_still_gives_an_outline() -> None:
    text = f"{TITLE}\nAbstract We route each token.\nIt is cheap.\n1 Introduction\nDense models."
    assert outline(text) == (
        f"Title: {TITLE}\nAbstract: We route each token. It is cheap.\nSections: 1 Introduction"
    )


@pytest.mark.parametrize(
    ("line", "named"),
    [
        (
            "What experiments does the paper run?",
            f"What experiments does the paper (“{TITLE}”) run?",
        ),
        (
            "What problem does this paper address?",
            f"What problem does this paper (“{TITLE}”) address?",
        ),
        ("How much of the paper's claim holds?", "How much of the paper's claim holds?"),
        ("How would you extend this work?", "How would you extend this work?"),
    ],
)
def test_a_scripted_line_names_the_paper_once(line: str, named: str) -> None:
    assert name_the_paper(line, TITLE) == named


def test_a_first_line_that_is_a_sentence_is_no_title() -> None:
    assert paper_title("We study routing in sparse models.\nMore text.") is None


def test_the_interviewer_is_given_the_papers_outline(respx_mock, isolated: Path) -> None:
    (isolated / "paper.md").write_text(PAPER)
    provider = Provider(respx_mock)
    provider.interviewer = [f"Welcome. Go ahead with {TITLE} whenever you are ready."]
    args = ["practice", "paper-deep-dive", "--model", "m", "--api-base", BASE]
    result = CliRunner().invoke(app, [*args, "--paper", "paper.md"], input="/pause\n")
    assert result.exit_code == 0, result.output
    system = provider.streamed[0]["messages"][0]["content"]
    (block,) = re.findall(
        r'<file-(\w+) kind="paper outline"[^>]*>\n(.*?)\n</file-\1>', system, re.S
    )
    assert f"Title: {TITLE}" in block[1] and "5 Ablations" in block[1]
    assert "ask about this paper by its title" in system


def test_the_scripted_paper_round_names_the_paper(isolated: Path) -> None:
    (isolated / "paper.md").write_text(PAPER)
    args = ["practice", "paper-deep-dive", "--opening", "own-area", "--paper", "paper.md"]
    result = CliRunner().invoke(app, args, input="/pause\n")
    assert result.exit_code == 0, result.output
    assert TITLE in " ".join(result.stdout.split())  # the opening's line, wrapped or not
