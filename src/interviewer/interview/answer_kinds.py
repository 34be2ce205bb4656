"""How an answer reads: substantive, hedged, a question back, code, don't-know, empty, garbled.

The session reacts to the kind of answer as a good interviewer would: a hedged answer is
an answer (probe what was offered), a question back gets an answer from the scenario's
facts, code gets a follow-up on the code, "I don't know" gets a foothold, nothing gets a
restatement. Getting this wrong sends real answers down the wrong path, so the rules err
towards "substantive": only an answer with no content beyond the admission is a
don't-know, and ML shorthand (CTR, NDCG, p99, A/B, L2) is never garbled.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum


class AnswerKind(StrEnum):
    substantive = "substantive"
    hedged = "hedged"
    question = "question"
    code = "code"
    dont_know = "dont-know"
    empty = "empty"
    garbled = "garbled"
    no_more_questions = "no-more-questions"


ADMISSION = re.compile(
    r"\b(i\s+(really\s+)?(do\s*n[o']?t|don'?t|dunno|cannot|can'?t)\s+(know|remember|recall|say|tell)|"
    r"i\s+have\s+no\s+(idea|clue)|no\s+(idea|clue)|(i'?m|i\s+am)?\s*not\s+(sure|certain)|idk|"
    r"(i'?m|i\s+am)\s+(unsure|blanking|stuck)|no\s+clue|i\s+give\s+up|"
    # "pass" and "skip" only on their own: pass@k, pass rate and skip-gram are answers.
    r"(pass|skip)(\s+(on\s+)?(this|that|it)(\s+one)?|\s+for\s+now)?(?=\s*([.,;:!)]|$))|"
    r"not\s+familiar(\s+with\s+(it|that|this))?|never\s+heard\s+of\s+(it|that|this))\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"^\W*(i\s+think|i\s+guess|maybe|perhaps|probably|possibly|i'?d\s+guess|my\s+guess|"
    r"i\s+believe|i\s+suspect|not\s+(sure|certain)|i'?m\s+not\s+(sure|certain)|"
    r"if\s+i\s+(remember|recall)|i\s+may\s+be\s+wrong)\b",
    re.IGNORECASE,
)
NO_MORE = re.compile(
    r"^\W*(no|nope|none|nothing|not really|that'?s (all|it)|i'?m good|no more|no,? thanks?|"
    r"no questions?|all good|i think that'?s (all|it))\b[\w\s,.!']{0,40}$",
    re.IGNORECASE,
)
NOTHING_MORE = re.compile(
    r"\b(nothing (else )?(comes )?to mind|that'?s (all|it)( from me)?|no (more |other |further )?"
    r"questions?|i'?m all set|all good)\b",
    re.IGNORECASE,
)
FILLER = {
    "i", "im", "i'm", "um", "uh", "hmm", "well", "so", "sorry", "honestly", "really", "but",
    "and", "the", "a", "to", "it", "that", "this", "about", "on", "of", "here", "now", "yet",
    "any", "anything", "one", "question", "answer", "sure", "know", "just", "at", "all",
    "off", "top", "my", "head", "bit", "actually", "ok", "okay", "quite", "exactly", "thing",
}  # fmt: skip
MATH_LINE = re.compile(
    r"\\[a-zA-Z]+|=>|⇒|->|→|∂|∇|∑|Σ|∫|≈|≤|≥|\^|\bd/d\w|\bd\w+/d\w+|^\s*=|=.*=",
)
"""A line of a derivation, not of code: LaTeX, implication arrows, d/dx, powers with ^, a
line that continues an equation ("= ..."), or a chain a = b = c."""
JUXTAPOSED = re.compile(
    r"=[^=]*?(?<![\w.])(?!(?:and|or|not|in|is|if|else|for|lambda|await|return)\b)[A-Za-z_]\w*"
    r"\s+(?!(?:and|or|not|in|is|if|else|for)\b)[A-Za-z_(]"
)
"""Terms written side by side after an "=" ("w x + b", "-log p"): maths, never Python."""
PYTHON_LINE = re.compile(r"^\s*(def |class |import |from \w+ import|return\b|for |while |if )")
CODE_LINE = re.compile(
    r"^\s*(def |class |import |from \w+ import|return\b|for .+:\s*$|while .+:\s*$|if .+:\s*$|"
    r"[A-Za-z_][\w.\[\], ]*\s*[+\-*/]?=\s*\S)",
    re.MULTILINE,
)
QUESTION_START = re.compile(
    r"^\W*(what|how|is|are|was|were|do|does|did|can|could|should|would|will|which|when|where|"
    r"who|why|may|might|am|any|have|has)\b",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’/\-]*")
SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+[.!?]*")
"""A sentence; the point of a decimal (0.93) does not end one."""
VOWELS = set("aeiouyAEIOUY")
CONSONANT_RUN = re.compile(r"[^aeiouy\W\d]{5,}")


@functools.lru_cache(maxsize=16)
def classify(text: str) -> AnswerKind:
    """A coarse reading of one answer, so the next step fits it. Cached: the same answer
    is read when it is recorded and again when the next step is chosen."""
    stripped = text.strip()
    if not stripped:
        return AnswerKind.empty
    if looks_like_code(stripped):
        return AnswerKind.code
    if is_garbled(stripped):
        return AnswerKind.garbled
    if is_admission(stripped):
        return AnswerKind.dont_know
    if is_question(stripped):
        return AnswerKind.question
    if HEDGE.match(stripped):
        return AnswerKind.hedged
    return AnswerKind.substantive


def classify_reply_to_offer(text: str) -> AnswerKind:
    """The same reading where the candidate was asked for *their* questions: "no, thanks"
    means they have none, and anything else counts as a question to answer."""
    stripped = text.strip()
    if not stripped or (NO_MORE.match(stripped) and len(stripped) < 60):
        return AnswerKind.no_more_questions
    kind = classify(stripped)
    if kind is not AnswerKind.question and NOTHING_MORE.search(stripped) and len(stripped) < 80:
        return AnswerKind.no_more_questions
    return AnswerKind.no_more_questions if kind is AnswerKind.dont_know else kind


def looks_like_code(text: str) -> bool:
    """Code, fenced or typed as lines; a derivation typed line by line ("dL/dz = p - y",
    "=> ...", \\frac) is maths, even inside a fence, unless a line is plainly Python."""
    lines = [line for line in text.splitlines() if line.strip() and line.strip()[:3] != "```"]
    maths = sum(1 for line in lines if is_maths(line))
    if lines and maths / len(lines) >= 0.5 and not any(PYTHON_LINE.match(x) for x in lines):
        return False
    if "```" in text or re.search(r"^\s*def \w+\s*\(", text, re.MULTILINE):
        return True
    code_lines = sum(1 for line in lines if CODE_LINE.match(line) and not is_maths(line))
    return len(lines) >= 3 and code_lines / len(lines) >= 0.6


def is_maths(line: str) -> bool:
    """One line of a derivation rather than of code."""
    if PYTHON_LINE.match(line):
        return False
    return MATH_LINE.search(line) is not None or JUXTAPOSED.search(line) is not None


def is_admission(text: str) -> bool:
    """True when the answer admits not knowing and offers nothing else."""
    if not ADMISSION.search(text) or len(text) > 160:
        return False
    rest = ADMISSION.sub(" ", text)
    content = [t.lower().strip("'’") for t in TOKEN.findall(rest)]
    content = [t for t in content if t not in FILLER and len(t) > 1]
    return len(content) < 3


def is_question(text: str) -> bool:
    """A question back: every sentence of it asks something (an answer that ends with a
    question is still an answer)."""
    sentences = [s.strip() for s in SENTENCE.findall(text) if s.strip()]
    if not sentences or not text.rstrip().endswith("?"):
        return False
    return all(s.endswith("?") or QUESTION_START.match(s) for s in sentences)


def plausible_word(token: str) -> bool:
    """A real word, an acronym (NDCG), or shorthand with digits (p99, L2, k8s)."""
    core = token.strip("'’-/")
    if not core:
        return True
    if any(ch.isdigit() for ch in core) or "/" in core:
        return True
    if core.isupper() and len(core) <= 8:
        return True
    if len(core) <= 3:
        return True
    lower = core.lower()
    if not VOWELS & set(lower):
        return False
    if CONSONANT_RUN.search(lower):
        return False
    return not (len(lower) >= 6 and len(set(lower)) <= 2)


def is_garbled(text: str) -> bool:
    """Keyboard mash or a stray paste: mostly tokens no reader would take for words."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return not re.search(r"[\d=+\-*/^()]", text)  # maths and numbers are answers
    plausible = sum(1 for t in tokens if plausible_word(t))
    return plausible / len(tokens) < 0.5
