"""A text's words and its runs of ``NGRAM`` of them, made to be matched as a reply streams
in (``leaks.Detector``): each text's are cached, as every request of a session shows the
model the same system prompt, scenario and earlier answers, and a streamed sentence's
state is carried from piece to piece, so each of its words is read once. Pure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

NGRAM = 8
"""Consecutive words of a hidden text that make an echo: rare by chance, short enough that
a model copying its directive is caught within the sentence that copies it."""

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


@functools.lru_cache(maxsize=512)
def grams(text: str, n: int = NGRAM) -> frozenset[tuple[str, ...]]:
    """An allowed text's runs of ``n`` words. Cached: every request of a session builds
    its ``Detector`` from the same scenario, step lines and earlier answers, and splitting
    texts afresh each turn cost 4-5 ms a turn, more than the rest of our own time."""
    w = words(text)
    return frozenset(tuple(w[i : i + n]) for i in range(len(w) - n + 1))


@functools.lru_cache(maxsize=512)
def vocabulary(text: str) -> frozenset[str]:
    return frozenset(words(text))


@functools.lru_cache(maxsize=512)
def index(text: str) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """A hidden text's words, and where each of its runs of ``NGRAM`` words starts, by the
    run's first word: what a reply's words are matched against as they arrive. Positions,
    not the runs themselves: a tenth of the cost to build, and the directive and the note
    are new on every turn (the system prompt once a session)."""
    w = tuple(words(text))
    table: dict[str, list[int]] = {}
    for i in range(len(w) - NGRAM + 1):
        table.setdefault(w[i], []).append(i)
    return w, {first: tuple(at) for first, at in table.items()}


Word = tuple[int, int, str]  # where a word starts and ends in the lowered text, the word
Live = tuple[int, tuple[str, ...], Sequence[int]]
"""A matcher's state: the reply's word the runs start at, a hidden text's words, and where
in them each run the reply's words since then still follow starts."""


@dataclass
class Scan:
    """What one growing text's words have shown so far, carried from call to call.

    A stream's sentence is judged on every piece that arrives (is it an echo yet, how much
    of its end to hold back); read from scratch each time, its words were split and every
    hidden run starting at each of its last words compared again, the most of our own time
    per turn. Carried, each word is read once: ``live`` holds the hidden runs the text's
    last words begin, as a matcher's states, in the order they start.
    """

    text: str = ""
    low: str = ""
    words: list[Word] = field(default_factory=list)  # settled: more text cannot change them
    live: list[Live] = field(default_factory=list)
    echo: int | None = None  # where the first echo among the settled words starts
    open: list[Word] = field(default_factory=list)  # the last word, if more may change it
