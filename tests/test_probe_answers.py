"""A probe's answered_by words never cancel the probe exactly when it fits.

answered_by says the last answer already made the probe's point, so the probe is not asked;
keywords say the probe fits the answer. An answered_by entry that is one of the probe's own
keywords, sits inside one, or is one with an ending added ('labels' for 'label') would be
found in every answer that merely names the topic, and the probe would never be asked.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

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


# The rubrics whose answered_by words one content pass wrote: every entry is read from the
# raw TOML (before the format strips it), so a padded or oversized phrase is named here.
MINE = ("ml-system-design", "applied-modeling", "behavioral", "coding", "reverse")


def _raw_probes(stem: str) -> list[dict[str, Any]]:
    with (data_root() / "rubrics" / f"{stem}.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    return [probe for topic in raw["topics"] for probe in topic["probes"]]


def _bad_phrases(probes: list[dict[str, Any]]) -> list[str]:
    """answered_by entries that are not 2 to 40 characters as written, or repeat in a probe."""
    bad = []
    for probe in probes:
        phrases = probe.get("answered_by", [])
        bad += [
            f"{p!r} ({len(p)} chars)" for p in phrases if p != p.strip() or not 2 <= len(p) <= 40
        ]
        bad += [f"{p!r} twice" for p in sorted({p for p in phrases if phrases.count(p) > 1})]
    return bad


@pytest.mark.parametrize("stem", MINE)
def test_answered_by_phrases_are_2_to_40_characters(stem: str) -> None:
    probes = _raw_probes(stem)
    assert any(probe.get("answered_by") for probe in probes)  # the rubric has them at all
    assert _bad_phrases(probes) == []


def test_a_padded_long_or_repeated_phrase_is_named() -> None:
    probe = {"answered_by": [" days later", "x", "a" * 41, "weeks later", "weeks later"]}
    assert _bad_phrases([probe]) == [
        "' days later' (11 chars)",
        "'x' (1 chars)",
        f"{'a' * 41!r} (41 chars)",
        "'weeks later' twice",
    ]


def _cancelled_by_keywords(probes: list[dict[str, Any]]) -> list[str]:
    """answered_by phrases found in an answer that names the probe's keywords and no more."""
    return [
        f"{probe['ask'][:50]!r}: {answered!r}"
        for probe in probes
        for answered in probe.get("answered_by", [])
        if mentions("I would look at " + ", then ".join(probe["keywords"]) + ".", answered)
    ]


@pytest.mark.parametrize("stem", MINE)
def test_an_answer_of_only_the_probes_keywords_leaves_it_to_ask(stem: str) -> None:
    """A candidate who names every word that makes the probe fit, and nothing more, has not
    made its point: none of its answered_by phrases may be found in such an answer."""
    assert _cancelled_by_keywords(_raw_probes(stem)) == []


def test_a_phrase_found_among_the_keywords_is_named() -> None:
    probe = {
        "ask": "How long?",
        "keywords": ["label delay", "late"],
        "answered_by": ["delay", "days later"],
    }
    assert _cancelled_by_keywords([probe]) == ["'How long?': 'delay'"]


@pytest.mark.parametrize("stem", MINE)
def test_restating_the_scenario_never_counts_as_answering(stem: str) -> None:
    """A candidate often repeats the scenario's prompt ('it must not overflow or produce NaN'):
    no answered_by phrase may be found in any opening's prompt, or restating it would cancel
    the probe."""
    with (data_root() / "rubrics" / f"{stem}.toml").open("rb") as handle:
        prompts = [opening["prompt"] for opening in tomllib.load(handle)["openings"]]
    restated = [
        f"{answered!r} in {prompt[:40]!r}"
        for probe in _raw_probes(stem)
        for answered in probe.get("answered_by", [])
        for prompt in prompts
        if mentions(prompt, answered)
    ]
    assert restated == []


# Words found in almost any answer: a probe or topic keyed on one "fits" whatever was said,
# so the probe chosen is not the one the answer calls for (issue 19).
GENERIC_WORDS = """
    would could should can will may might must we they them their it its i my our you your
    he she this that these those there here the a an and or but so if then than also very
    really just only even still too like because about into with without from for after
    before until later next new any all some many much more most other thing things way
    one two first time now today current get got make made use used need want good better
    work works project goal model team score fix call function built launch zero
    == o(n
"""
GENERIC = frozenset(GENERIC_WORDS.split())


def _keywords(path: Path) -> list[tuple[str, str]]:
    """(where, keyword) for every topic keyword and every probe keyword in a rubric."""
    rubric = load_file(path, Round)
    found = [(f"topic {t.id}", k) for t in rubric.topics for k in t.keywords]
    return found + [
        (f"{t.id}: {p.ask[:40]!r}", k) for t in rubric.topics for p in t.probes for k in p.keywords
    ]


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_no_keyword_is_a_generic_word(path: Path) -> None:
    assert [f"{where}: {k!r}" for where, k in _keywords(path) if k.lower() in GENERIC] == []


def _as_written(keyword: str) -> str:
    """The keyword as a candidate writes it: an open bracket closed around a symbol, so
    'O(n' reads 'O(n)' and 'E[' reads 'E[x]'."""
    closers = {"(": ")", "[": "]", "{": "}"}
    unclosed = [c for c in keyword if c in closers]
    unclosed = unclosed[sum(keyword.count(closers[c]) for c in set(unclosed)) :]
    filler = "x" if keyword and keyword[-1] in closers else ""
    return keyword + filler + "".join(closers[c] for c in reversed(unclosed))


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_every_keyword_matches_itself_in_a_sentence(path: Path) -> None:
    never = [
        f"{where}: {k!r}"
        for where, k in _keywords(path)
        if not mentions(f"Then I would say {_as_written(k)} and stop.", k)
    ]
    assert never == []


@pytest.mark.parametrize(
    ("keyword", "written", "matches"),
    [
        pytest.param("auc", "auc", True, id="plain-word"),
        pytest.param("o(n", "o(n)", True, id="bracket-closed"),
        pytest.param("e[", "e[x]", False, id="bracket-needs-its-content"),
    ],
)
def test_keywords_are_written_as_a_candidate_would(
    keyword: str, written: str, matches: bool
) -> None:
    assert _as_written(keyword) == written
    assert mentions(f"Then I would say {written} and stop.", keyword) is matches


def _redundant(keywords: list[str]) -> list[str]:
    """Keywords that another in the same list already matches ('labels' beside 'label'):
    mentions allows the endings, so the longer one only adds weight to one word."""
    low = [k.lower() for k in keywords]
    return [b for b in low for a in low if a != b and re.fullmatch(re.escape(a) + ENDINGS, b)]


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_no_keyword_repeats_another_with_an_ending(path: Path) -> None:
    rubric = load_file(path, Round)
    lists = [(f"topic {t.id}", t.keywords) for t in rubric.topics] + [
        (f"{t.id}: {p.ask[:40]!r}", p.keywords) for t in rubric.topics for p in t.probes
    ]
    assert [f"{where}: {k!r}" for where, keywords in lists for k in _redundant(keywords)] == []


def test_a_keyword_with_an_allowed_ending_is_named() -> None:
    assert _redundant(["label", "labels", "labelling", "metric", "kpis"]) == ["labels"]
