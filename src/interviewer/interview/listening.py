"""What the candidate said, as the session hears it: keywords, the probes that fit, quotes.

Pure functions over text, so the session's choices can be tested one by one. The rules
are the ones a good interviewer follows: probe what was said, never ask for a point the
candidate just made (a probe's ``answered_by`` words), never refer back to something not
said ("that metric" when no metric was named), and when quoting the candidate, quote the
sentence in which they actually made the area's point.
"""

from __future__ import annotations

import functools
import re

from interviewer.formats.rounds import Fact, Probe

MAX_QUOTE = 200
REFERS_BACK = re.compile(r"\b(that|those|this|these|your)\s+([a-z][\w-]*)", re.IGNORECASE)
NOT_A_REFERENT = frozenset(
    {"a", "an", "the", "it", "is", "are", "was", "were", "have", "has", "just", "be", "you"}
)
"""Words after "that" that make it a conjunction or a pronoun on its own, not "that X"."""
SCENARIO = frozenset({"system", "decision", "problem", "product", "task", "role", "scenario"})
"""Nouns that "this" refers to in the scenario itself, which the candidate need not have said."""
SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def mentions(text: str, keyword: str) -> bool:
    """Whole words, any case, common endings allowed, a hyphen or a space alike: 'auc' is in
    'AUC of 0.8' but not in 'because'; 'metric' is in 'metrics', 'retrain' in 'retraining',
    'gradient boosted' in 'gradient-boosted'.

    Most keywords a turn checks are absent, and a plain substring test says so without
    compiling a pattern (0.3 ms each, a few dozen per interview) or running one.
    """
    keyword = keyword.lower().replace("-", " ")
    text = text.lower()
    if "-" in text:
        text = text.replace("-", " ")
    return keyword in text and _word_pattern(keyword).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _word_pattern(keyword: str) -> re.Pattern[str]:
    """Compiled once per keyword: a turn checks dozens, and ``re``'s own cache of 512
    patterns churns across a round's probes, facts and framing words."""
    words = r"\s+".join(re.escape(w) for w in keyword.split())
    return re.compile(rf"(?<!\w){words}(?:s|es|d|ed|ing)?(?!\w)")


def hits(text: str, keywords: list[str]) -> int:
    """How many of the keywords the text mentions."""
    return sum(mentions(text, k) for k in keywords)


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def presupposes(probe: Probe) -> bool:
    """The probe refers back to something the candidate must have said: "that metric",
    where its own condition (``when``) says it fits an answer that named a metric."""
    said = {_stem(w) for w in re.findall(r"[a-z][\w-]*", probe.when.lower())}
    for match in REFERS_BACK.finditer(probe.ask):
        pointer, noun = match.group(1).lower(), match.group(2).lower()
        if noun in NOT_A_REFERENT or (pointer == "this" and noun in SCENARIO):
            continue
        if _stem(noun) in said:
            return True
    return False


def choose_probes(probes: list[Probe], answer: str, said: str, used: set[str]) -> list[Probe]:
    """The probes that fit ``answer``, best first: unused, not already answered anywhere in
    ``said`` (the area's answers so far), those whose keywords the answer mentions first
    (most hits first, then file order). A probe nothing in the answer reaches is kept only
    if it does not refer back to what was not said."""
    fresh = [p for p in probes if p.ask not in used and not hits(said, p.answered_by)]
    scored = [(hits(answer, p.keywords), i, p) for i, p in enumerate(fresh)]
    kept = [s for s in scored if s[0] or not presupposes(s[2])]
    return [p for _, _, p in sorted(kept, key=lambda s: (-s[0], s[1]))]


def fits(probe: Probe, answer: str) -> bool:
    """Whether the answer reaches the probe (one of its keywords)."""
    return hits(answer, probe.keywords) > 0


def match_facts(facts: list[Fact], text: str) -> list[Fact]:
    """The facts a question reaches, best first (at most two)."""
    scored = [(hits(text, f.keywords), i, f) for i, f in enumerate(facts)]
    return [f for n, _, f in sorted(scored, key=lambda s: (-s[0], s[1])) if n][:2]


def covered(answers: list[str], keywords: list[str]) -> bool:
    """The candidate already covered an area: two of its keywords in one answer (one,
    when the area names fewer than three)."""
    need = 2 if len(keywords) >= 3 else 1
    return bool(keywords) and any(hits(a, keywords) >= need for a in answers)


def quote_about(answers: list[str], keywords: list[str]) -> str | None:
    """The candidate's own sentence in which they covered an area, or None if they did not.

    The sentence quoted is the one with the most of the area's keywords (earliest among
    equals), so "Earlier you said" quotes the point itself, not a sentence that happens to
    sit in the same answer."""
    if not covered(answers, keywords):
        return None
    best, best_hits = "", 0
    for answer in answers:
        for sentence in SENTENCES.split(answer):
            n = hits(sentence, keywords)
            if n > best_hits:
                best, best_hits = sentence, n
    if not best_hits:
        return None
    best = " ".join(best.split())
    return best if len(best) <= MAX_QUOTE else best[:MAX_QUOTE] + "…"
