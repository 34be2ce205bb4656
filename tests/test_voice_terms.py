"""ML terms written as an ML interviewer writes them, from the spellings Whisper produces;
ordinary words that merely contain the letters are left alone."""

from __future__ import annotations

import pytest

from interviewer.voice.terms import HOTWORDS, normalise


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        pytest.param("the P 99 latency", "the p99 latency", id="p-space-99"),
        pytest.param("P-95 and p.50", "p95 and p50", id="p-hyphen-dot"),
        pytest.param("we ran an a b test", "we ran an A/B test", id="a-b-test"),
        pytest.param("two A-B tests and AB testing", "two A/B tests and A/B testing", id="ab"),
        pytest.param("NDCG at 10 and ndcg@5", "NDCG@10 and NDCG@5", id="ndcg-at-k"),
        pytest.param("we measured N D C G on it", "we measured NDCG on it", id="n-d-c-g"),
        pytest.param(
            "an A U C of 0.8 and the R O C curve", "an AUC of 0.8 and the ROC curve", id="auc-roc"
        ),
        pytest.param("X G boost and x-g-boosted trees", "XGBoost and XGBoost trees", id="xgb"),
        pytest.param("the K V cache and the k-v-cache", "the KV cache and the KV cache", id="kv"),
        pytest.param("Laura adapters, a q lora run", "LoRA adapters, a QLoRA run", id="lora"),
        pytest.param("F 1 score, B M 25 and M R R", "F1 score, BM25 and MRR", id="letters"),
        pytest.param("an L L M on one G P U", "an LLM on one GPU", id="llm-gpu"),
    ],
)
def test_terms_are_written_as_an_interviewer_writes_them(heard, written):
    assert normalise(heard) == written


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("about the abstract, a bit of a backlog", id="a-b-inside-words"),
        pytest.param("step 3 of the pipeline, up 99 percent", id="p-inside-words"),
        pytest.param("a b c d", id="letters-without-test"),
        pytest.param("the drag and the garage", id="rag-inside-words"),
        pytest.param("PPG and ECG signals", id="ecg-is-a-word-too"),
    ],
)
def test_ordinary_words_are_left_alone(text):
    assert normalise(text) == text


def test_the_terms_biased_are_written_as_the_normaliser_writes_them():
    """One spelling per term: what Whisper is biased towards is what the transcript keeps."""
    for term in ("p99", "A/B test", "NDCG@10", "XGBoost", "KV cache", "LoRA", "AUC"):
        assert term in HOTWORDS
        assert normalise(term) == term
