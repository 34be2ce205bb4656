"""Reference solution for the coding opening bpe-merge-step."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise


def _merge(word: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    """word with each occurrence of pair, scanned left to right without overlaps, joined."""
    merged: list[str] = []
    i = 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            merged.append(word[i] + word[i + 1])
            i += 2
        else:
            merged.append(word[i])
            i += 1
    return tuple(merged)


def bpe_merge_step(
    word_counts: dict[tuple[str, ...], int],
) -> tuple[tuple[str, str] | None, dict[tuple[str, ...], int]]:
    """One BPE training step: the most frequent adjacent pair, and the corpus with it merged.

    Pairs are counted per position, weighted by the word's count; ties go to the smallest
    (left, right) tuple. Words that become identical after merging add their counts.
    With no pair at all, returns None and a copy. The input is never modified.
    Cost: O(total symbols) time, O(distinct pairs + distinct words) memory.
    """
    pair_counts: Counter[tuple[str, str]] = Counter()
    for word, count in word_counts.items():
        for pair in pairwise(word):
            pair_counts[pair] += count
    if not pair_counts:
        return None, dict(word_counts)

    best = min(pair_counts, key=lambda pair: (-pair_counts[pair], pair))
    merged: dict[tuple[str, ...], int] = {}
    for word, count in word_counts.items():
        new_word = _merge(word, best)
        merged[new_word] = merged.get(new_word, 0) + count
    return best, merged
