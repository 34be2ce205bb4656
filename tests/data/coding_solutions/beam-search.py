"""Reference solution for the coding opening beam-search."""

from __future__ import annotations

import heapq
from collections.abc import Callable

Hypothesis = tuple[tuple[int, ...], float]


def _rank(hypothesis: Hypothesis) -> tuple[float, tuple[int, ...]]:
    """Best first: higher log-probability, then the smaller token sequence on a tie."""
    tokens, score = hypothesis
    return -score, tokens


def beam_search(
    step_fn: Callable[[tuple[int, ...]], list[float]],
    bos: int,
    eos: int,
    beam_width: int,
    max_len: int,
) -> list[tuple[tuple[int, ...], float]]:
    """Beam search over total log-probability (a sum, so long sequences do not underflow).

    Each step expands every live hypothesis with every token and keeps the beam_width
    best candidates; those that end in eos are finished, the rest stay live. max_len
    counts tokens after bos. Since log-probabilities are at most 0, a live hypothesis
    only gets worse, so the search stops once beam_width hypotheses have finished and
    no live one beats the worst of them. Returns up to beam_width finished hypotheses
    best first, or the best unfinished ones if none finished.
    Cost: O(max_len * beam_width * V * log beam_width) time plus beam_width * max_len
    calls of step_fn; O(beam_width * max_len) memory for the hypotheses.
    """
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, got {beam_width}")
    live: list[Hypothesis] = [((bos,), 0.0)]
    finished: list[Hypothesis] = []
    for _ in range(max_len):
        candidates = (
            ((*tokens, token), score + log_prob)
            for tokens, score in live
            for token, log_prob in enumerate(step_fn(tokens))
        )
        best = heapq.nsmallest(beam_width, candidates, key=_rank)
        finished = sorted(finished + [h for h in best if h[0][-1] == eos], key=_rank)
        finished = finished[:beam_width]
        live = [h for h in best if h[0][-1] != eos]
        if not live:
            break
        if len(finished) == beam_width and live[0][1] <= finished[-1][1]:
            break
    return finished if finished else sorted(live, key=_rank)[:beam_width]
