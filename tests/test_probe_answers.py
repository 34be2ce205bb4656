"""A probe's answered_by words never cancel the probe exactly when it fits.

answered_by says the last answer already made the probe's point, so the probe is not asked;
keywords say the probe fits the answer. An answered_by entry that is one of the probe's own
keywords, sits inside one, or is one with an ending added ('labels' for 'label') would be
found in every answer that merely names the topic, and the probe would never be asked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewer.catalog.library import data_root, load_file
from interviewer.formats.rounds import Round
from interviewer.interview.session import mentions

RUBRICS = sorted((data_root() / "rubrics").glob("*.toml"))
ENDINGS = "(?:s|es|d|ed|ing)"


def test_every_shipped_rubric_is_covered() -> None:
    assert len(RUBRICS) >= 10  # the glob found the shipped folder, not an empty one


def _cancels(answered: str, keyword: str) -> bool:
    """Whether an answer naming only ``keyword`` would also count as answering."""
    a, k = answered.lower(), keyword.lower()
    inflected = re.fullmatch(re.escape(k) + ENDINGS, a) or re.fullmatch(re.escape(a) + ENDINGS, k)
    return a == k or mentions(keyword, answered) or inflected is not None


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_answered_by_never_overlaps_the_probes_own_keywords(path: Path) -> None:
    rubric = load_file(path, Round)
    clashes = [
        f"{topic.id}: {probe.ask[:50]!r}: {answered!r} vs keyword {keyword!r}"
        for topic in rubric.topics
        for probe in topic.probes
        for answered in probe.answered_by
        for keyword in probe.keywords
        if _cancels(answered, keyword)
    ]
    assert clashes == []


@pytest.mark.parametrize(
    ("answered", "keyword", "cancels"),
    [
        pytest.param("label", "label", True, id="same-word"),
        pytest.param("Label", "label", True, id="same-word-any-case"),
        pytest.param("delay", "label delay", True, id="inside-a-keyword"),
        pytest.param("labels", "label", True, id="keyword-with-an-ending"),
        pytest.param("label", "labels", True, id="keyword-less-its-ending"),
        pytest.param("label delay of", "label", False, id="longer-phrase-with-the-point"),
        pytest.param("days later", "delay", False, id="unrelated"),
    ],
)
def test_overlap_rule_cases(answered: str, keyword: str, cancels: bool) -> None:
    assert _cancels(answered, keyword) is cancels
