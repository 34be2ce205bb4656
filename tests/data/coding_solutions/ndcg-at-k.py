"""Reference solution for the coding opening ndcg-at-k."""

from __future__ import annotations

import heapq
import math


def _dcg(relevances: list[float]) -> float:
    """Sum of (2 ** rel - 1) / log2(position + 1), positions starting at 1."""
    return sum(
        (2.0**rel - 1.0) / math.log2(position + 1) for position, rel in enumerate(relevances, 1)
    )


def ndcg_at_k(ranked_ids: list[str], gains: dict[str, float], k: int) -> float:
    """NDCG@k of one query's ranking against graded relevance.

    Unjudged documents have gain 0. The ideal ranking is built from every judged
    document, retrieved or not. When no document has positive gain the ideal DCG is 0
    and no ranking can do better or worse, so this returns 0.0 (the query carries no
    signal; a caller averaging over queries may prefer to skip such queries instead).
    Cost: O(k + m log k) time for m judged documents, O(k) extra memory.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    dcg = _dcg([gains.get(doc, 0.0) for doc in ranked_ids[:k]])
    ideal = _dcg(heapq.nlargest(k, gains.values()))
    return dcg / ideal if ideal > 0 else 0.0
