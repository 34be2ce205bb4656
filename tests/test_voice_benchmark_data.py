"""The spoken answers ``benchmarks/voice_truth.py`` measures against are what they claim.

The benchmark's figures are only as good as its truth: each answer's written words, the
words espeak-ng is given, its pauses, and whether it announces a structure (the trap of a
bare "first" included). Nothing here is timed or spoken.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewer.formats.delivery import Word, first_structure, tokens

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


@pytest.fixture
def truth(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import voice_truth

    return voice_truth


def test_marks_become_the_written_words_the_spoken_words_and_the_pauses(truth):
    answer = truth.parse({"id": "x", "structure": False,
                          "text": "We cut {p99|p ninety nine} latency. [2.5] Then {A/B|A B} tests."})  # fmt: skip
    assert answer.truth == "We cut p99 latency. Then A/B tests."
    assert answer.pieces == ["We cut p ninety nine latency.", 2.5, "Then A B tests."]
    assert answer.terms == ["p99", "A/B"]
    assert answer.long_pauses == 1


def test_each_shipped_answer_announces_a_structure_exactly_when_it_says(truth):
    answers = [truth.parse(item) for item in json.loads(truth.DATA.read_text())["answers"]]
    assert len(answers) == 8 and len({a.id for a in answers}) == 8
    for answer in answers:
        words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(answer.truth.split())]
        assert (first_structure(words) is not None) == answer.structure, answer.id
        assert answer.terms and answer.long_pauses >= 1, answer.id
    assert {"p99", "A/B test", "NDCG@10", "XGBoost", "KV cache", "LoRA", "AUC"} <= {
        t for a in answers for t in a.terms
    }
    assert any("first" in tokens(a.truth) and not a.structure for a in answers)  # the trap


def test_word_error_rate_counts_edits_over_the_true_words(truth):
    assert truth.wer("the p99 latency is low", "the p 99 latency is low") == (2, 5)
    assert truth.wer("a b c", "a b c") == (0, 3)
