"""ML terms, heard and written as an ML interviewer writes them.

Whisper tiny.en writes "p99" as "P 99" or "P-99", "A/B" as "A-B" or "a b", "NDCG@10" as
"NDCG at 10" (or "and ECG", which no rule may rewrite: ECG is a word too): a transcript
the judge then reads as a candidate who cannot name the metric. Two fixes, both here so that the list of terms is kept in one place:

- ``HOTWORDS``: the terms faster-whisper is biased towards (its ``hotwords`` option puts
  them before every 30 s window, where ``initial_prompt`` reaches only the first);
- ``normalise``: the spellings Whisper does produce, rewritten. Each rule is a pattern
  over the transcript's words, matched case-insensitively on word boundaries, so "ab"
  inside "about" or "lower" is never touched.
"""

from __future__ import annotations

import re

HOTWORDS = (
    "p99, p95, p50, A/B test, AUC, ROC, NDCG@10, MRR, F1, XGBoost, LightGBM, KV cache, "
    "LoRA, QLoRA, RAG, LLM, BM25, embeddings, GPU, CTR, precision, recall, PyTorch, "
    "transformer, fine-tuning, RLHF, DPO, quantization, latency, throughput, dropout, "
    "overfitting, regularization, gradient descent"
)
"""Terms a machine-learning interview turns on, in the spelling the transcript should use."""

_DIGITS = r"(\d{1,3})"
_SEP = r"[\s\-.]*"  # Whisper's ways of splitting a token: spaces, hyphens, stray dots
RULES: tuple[tuple[str, str], ...] = (
    (rf"\bp{_SEP}{_DIGITS}\b", r"p\1"),  # P 99, P-99, p. 99 -> p99
    (r"\bpercentile\s+(\d{1,3})\b", r"p\1"),  # "percentile 99" -> p99
    (rf"\ba{_SEP}/?{_SEP}b(?=\s+test|\s+tests|\s+testing|\s+experiment)", "A/B"),
    (r"\ba/b\b", "A/B"),
    (rf"\bndcg{_SEP}(?:at|@){_SEP}(\d+)\b", r"NDCG@\1"),
    (rf"\bn{_SEP}d{_SEP}c{_SEP}g\b", "NDCG"),
    (rf"\ba{_SEP}u{_SEP}c\b", "AUC"),
    (rf"\br{_SEP}o{_SEP}c\b", "ROC"),
    (rf"\bx{_SEP}g{_SEP}boost(ed)?\b", r"XGBoost"),
    (rf"\blight{_SEP}gbm\b", "LightGBM"),
    (rf"\bk{_SEP}v{_SEP}(?=cache)", "KV "),
    (r"\b(?:laura|lora|lo-ra)\b", "LoRA"),
    (rf"\bq{_SEP}lora\b", "QLoRA"),
    (rf"\bf{_SEP}1\b|\bf{_SEP}one\b", "F1"),
    (rf"\bbm{_SEP}25\b|\bb{_SEP}m{_SEP}25\b", "BM25"),
    (rf"\bm{_SEP}r{_SEP}r\b", "MRR"),
    (rf"\bc{_SEP}t{_SEP}r\b", "CTR"),
    (rf"\bl{_SEP}l{_SEP}m(s?)\b", r"LLM\1"),
    (rf"\br{_SEP}a{_SEP}g\b", "RAG"),
    (rf"\bg{_SEP}p{_SEP}u(s?)\b", r"GPU\1"),
    (r"\bpie\s*torch\b|\bpytorch\b", "PyTorch"),
)
"""(pattern, replacement) in order; the patterns are case-insensitive."""
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), to) for pattern, to in RULES)


def normalise(text: str) -> str:
    """The transcript with ML terms written as an interviewer writes them: "P 99" -> "p99",
    "a b test" -> "A/B test", "NDCG at 10" -> "NDCG@10", "x g boost" -> "XGBoost"."""
    for pattern, to in _COMPILED:
        text = pattern.sub(to, text)
    return text
