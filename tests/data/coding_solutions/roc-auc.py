"""Reference solution for the coding opening roc-auc."""

from __future__ import annotations


def roc_auc(y_true: list[int], y_score: list[float]) -> float:
    """P(score of a random positive > score of a random negative), ties counting half.

    Mann-Whitney form: sort once, give each group of tied scores the average of its
    1-based ranks, and AUC = (sum of positive ranks - P (P + 1) / 2) / (P * N).
    Cost: O(n log n) time, O(n) memory.
    """
    if len(y_true) != len(y_score):
        raise ValueError("y_true and y_score must have the same length")
    if not y_true:
        raise ValueError("roc_auc needs at least one row")
    if any(label not in (0, 1) for label in y_true):
        raise ValueError("labels must be 0 or 1")
    n_pos = sum(y_true)
    n_neg = len(y_true) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("roc_auc needs both classes present")

    order = sorted(range(len(y_score)), key=lambda i: y_score[i])
    # Twice the rank sum keeps everything an integer: a tied group spanning ranks
    # start+1 .. end has average rank (start + 1 + end) / 2.
    twice_rank_sum = 0
    start = 0
    while start < len(order):
        end = start
        while end < len(order) and y_score[order[end]] == y_score[order[start]]:
            end += 1
        positives_in_group = sum(y_true[i] for i in order[start:end])
        twice_rank_sum += positives_in_group * (start + 1 + end)
        start = end
    twice_u = twice_rank_sum - n_pos * (n_pos + 1)
    return twice_u / (2 * n_pos * n_neg)
