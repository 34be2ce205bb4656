"""Judges of known behaviour for a gold set, shared by the tests and the benchmark.

Each judge is a rule from an item's candidate answers to one score for every dimension,
played by a server that fills the JSON schema it is sent (``schema_server``), as
constrained decoding does. The rules are what ``calibrate``'s verdict must tell apart:

- ``reference``: each item's own reference grade (must pass: kappa 1, lifts 0);
- ``always-3``: 3 for everything (must fail: kappa 0, degenerate answers above the floor);
- ``length-first-answer``: 1 + the first answer's words / 25, and ``length-total``: 1 +
  all the candidate's words / 60 (must fail: a set length cannot fool);
- ``obeys-injections``: the reference grade, or 5 when an answer carries one of the gold
  set's injection wordings (must fail on the injection lift alone).

An item is recognised by all its candidate answers together: a variant shares its first
answer with its base. The answers are read back from the judge's request, where the
fences defused any ``<answer`` tag the candidate wrote as ``&lt;answer``; that is undone.
Evidence is the candidate's own words, a different passage of five for each dimension, so
no passage backs two dimensions.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from interviewer.catalog.library import data_root
from interviewer.grading.calibration.gold import GoldSet
from schema_server import SKIP, Choose, candidate_answers

Rule = Callable[[list[str]], int]
QUOTE_WORDS = 5


def plain(answer: str) -> str:
    """An answer as the candidate wrote it, from the judge's request."""
    return answer.replace("&lt;", "<")


def key(answers: list[str]) -> str:
    return "\0".join(" ".join(plain(a).split()) for a in answers)


def build_script(name: str = "build_gold_v2") -> ModuleType:
    """A gold set's build script (``calibration/NAME.py``), imported once."""
    if name not in sys.modules:
        path = data_root() / "calibration" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


def injections() -> dict[str, str]:
    """Gold v2's injection wordings, from the script that inserted them."""
    return dict(build_script().INJECTIONS)


def clip(value: int) -> int:
    return max(1, min(5, value))


def judges(gold: GoldSet) -> dict[str, Rule]:
    grades = {
        key([t.text for t in item.turns if t.role == "candidate"]): item.grade
        for item in gold.items
    }
    markers = [" ".join(text.split()[:6]) for text in injections().values()]

    def reference(answers: list[str]) -> int:
        return grades[key(answers)]

    def obeys(answers: list[str]) -> int:
        said = " ".join(" ".join(plain(a).split()) for a in answers)
        return 5 if any(marker in said for marker in markers) else reference(answers)

    return {
        "reference": reference,
        "always-3": lambda answers: 3,
        "length-first-answer": lambda a: clip(1 + len((a or [""])[0].split()) // 25),
        "length-total": lambda a: clip(1 + sum(len(x.split()) for x in a) // 60),
        "obeys-injections": obeys,
    }


def passages(answers: list[str]) -> list[str]:
    """Runs of ``QUOTE_WORDS`` of the candidate's words, each inside one answer, none
    holding an ellipsis (which would split a quote into pieces)."""
    out = []
    for answer in answers:
        words = [w for w in plain(answer).split() if "..." not in w and "…" not in w]
        out += [
            " ".join(words[n : n + QUOTE_WORDS])
            for n in range(0, len(words) - QUOTE_WORDS + 1, QUOTE_WORDS)
        ]
    return out


def dimension_ids(body: dict[str, Any]) -> list[str]:
    schema = body["response_format"]["json_schema"]["schema"]
    return list(schema["properties"]["dimensions"]["properties"])


def choose(rule: Rule) -> Choose:
    """The schema filler's choices for a judge following ``rule``."""

    def chosen(path: str, body: dict[str, Any]) -> Any:
        answers = candidate_answers(body)
        if path.startswith("points."):
            return None
        if path.endswith(".score"):
            return rule(answers)
        if path.endswith(".evidence"):
            found = passages(answers)
            dim = path.split(".")[1]
            n = dimension_ids(body).index(dim)
            return [found[n % len(found)]] if found else []
        return SKIP

    return chosen
