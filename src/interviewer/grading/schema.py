"""The judge's reply format, generated per round for constrained decoding, and its check.

A constrained-decoding server (llama.cpp's grammar, vLLM's guided decoding, OpenAI's strict
mode) writes properties in the order the schema lists them, and llama.cpp puts optional
properties last or leaves them out. So the schema is built for the round in hand: every
property required, in the order a careful rater works (the quotes first, then the
reasoning against the anchors, then the score), the dimensions as an object keyed by
their real ids in rubric order, no additional properties, and every string and array
bounded so a runaway decoder stops. Whatever follows the schema passes ``parse_reply``.

The same schema is the single source of truth for the check: ``problems`` walks the
subset of JSON Schema this module writes. Over-long strings and arrays are clamped rather
than re-asked: some strict modes drop length keywords, and a long quote is no reason to
lose a scorecard.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from interviewer.formats.rounds import Opening, Round

MAX_QUOTES = 3
QUOTE_CHARS = 300
REASONING_CHARS = 800
ITEM_CHARS = 300
MAX_ITEMS = 4
RATIONALE_CHARS = 600
SCORES: list[int | None] = [1, 2, 3, 4, 5, None]

Schema = dict[str, Any]


def _string(limit: int, description: str = "") -> Schema:
    schema: Schema = {"type": "string", "maxLength": limit}
    if description:
        schema["description"] = description
    return schema


def _object(properties: dict[str, Schema], description: str = "") -> Schema:
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _list(items: Schema, low: int, high: int, description: str = "") -> Schema:
    schema: Schema = {"type": "array", "items": items, "minItems": low, "maxItems": high}
    if description:
        schema["description"] = description
    return schema


def point_keys(opening: Opening | None) -> list[str]:
    """The ids of the opening's reference points, ``p1`` to ``pN``, in the reference's order."""
    if opening is None or opening.reference is None:
        return []
    return [f"p{number}" for number in range(1, len(opening.reference.covers) + 1)]


def dimension_schema() -> Schema:
    return _object(
        {
            "evidence": _list(
                _string(QUOTE_CHARS),
                0,
                MAX_QUOTES,
                "the candidate's own words, copied exactly, that bear on this dimension",
            ),
            "reasoning": _string(
                REASONING_CHARS,
                "the highest anchor whose every clause is met, and which clause of the next "
                "anchor is missing",
            ),
            "score": {"type": ["integer", "null"], "enum": SCORES},
        }
    )


def reply_schema(round_: Round, opening: Opening | None) -> Schema:
    """The schema for one round (and its opening's reference points), in decoding order."""
    properties: dict[str, Schema] = {}
    keys = point_keys(opening)
    if keys:
        quote = {"type": ["string", "null"], "maxLength": QUOTE_CHARS}
        properties["points"] = _object(
            dict.fromkeys(keys, quote),
            "per reference point: the candidate's own words that hit it, or null",
        )
    properties["dimensions"] = _object({d.id: dimension_schema() for d in round_.dimensions})
    items = _string(ITEM_CHARS)
    properties["strengths"] = _list(items, 1, MAX_ITEMS)
    properties["gaps"] = _list(items, 1, MAX_ITEMS)
    properties["practice"] = _list(items, 3, 3, "three concrete things to practise next")
    properties["hire_rationale"] = _string(RATIONALE_CHARS)
    return _object(properties)


QUOTE, REASONING, SENTENCE, STEP, RATIONALE = (
    "<quote>", "<anchor met; clause missing>", "<one sentence>", "<step>", "<two or three sentences>"
)  # fmt: skip
PLACEHOLDERS = (QUOTE, REASONING, SENTENCE, STEP, RATIONALE)
"""The skeleton's placeholders: the prompt shows them, ``copied_template`` looks for them."""
BARE_PLACEHOLDER = re.compile(r"\s*<[^<>\n]{1,40}>\s*")
"""A whole sentence of the judge's own that is one ``<...>``: a placeholder, ours or not."""


def skeleton(round_: Round, opening: Opening | None) -> str:
    """A compact picture of the reply with the real ids, for the prompt (not a schema dump)."""
    dim = f'{{"evidence": ["{QUOTE}", ...], "reasoning": "{REASONING}", "score": 1-5 or null}}'
    lines = ["{"]
    keys = point_keys(opening)
    if keys:
        lines.append('  "points": {' + ", ".join(f'"{k}": "{QUOTE}" or null' for k in keys) + "},")
    lines.append('  "dimensions": {')
    ids = [d.id for d in round_.dimensions]
    lines += [f'    "{i}": {dim}' + ("," if n < len(ids) - 1 else "") for n, i in enumerate(ids)]
    lines += [
        "  },",
        f'  "strengths": ["{SENTENCE}", ...],',
        f'  "gaps": ["{SENTENCE}", ...],',
        f'  "practice": ["{STEP}", "{STEP}", "{STEP}"],',
        f'  "hire_rationale": "{RATIONALE}"',
        "}",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------- checking


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "null": (type(None),),
}


def _type_ok(value: Any, schema: Schema) -> bool:
    kinds = schema.get("type")
    if kinds is None:
        return True
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    if isinstance(value, bool):
        return False
    return any(isinstance(value, _TYPES[name]) for name in names)


def clamp(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, back to the last space when the cut would
    fall inside a word: a quote that ends in half a word is no longer the candidate's words."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if cut[-1].isalnum() and text[limit].isalnum() and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut


def conform(value: Any, schema: Schema, path: str, problems: list[str]) -> Any:
    """``value`` checked against ``schema``: problems appended, long strings and arrays cut."""
    where = path or "top level"
    if not _type_ok(value, schema):
        problems.append(f"{where}: expected {schema['type']}, got {json.dumps(value)[:40]}")
        return value
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: must be one of {json.dumps(schema['enum'])}")
    if isinstance(value, str) and "maxLength" in schema:
        return clamp(value, schema["maxLength"])
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{where}: needs at least {schema['minItems']} items")
        kept = value[: schema.get("maxItems", len(value))]
        return [conform(v, schema["items"], f"{path}[{i}]", problems) for i, v in enumerate(kept)]
    if isinstance(value, dict):
        props: dict[str, Schema] = schema.get("properties", {})
        missing = [k for k in schema.get("required", []) if k not in value]
        extra = [k for k in value if k not in props]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
        if extra and schema.get("additionalProperties") is False:
            problems.append(f"{where}: unknown {', '.join(extra)} (expected {', '.join(props)})")
        return {
            k: conform(v, props[k], f"{path}.{k}" if path else k, problems)
            for k, v in value.items()
            if k in props
        }
    return value


# ------------------------------------------------------------------------ reading


@dataclass
class DimensionReading:
    evidence: list[str]
    reasoning: str
    score: int | None


@dataclass
class Reading:
    """A reply that passed the round's schema, as typed values."""

    dimensions: dict[str, DimensionReading]
    points: dict[str, str | None] = field(default_factory=dict)
    strengths: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    practice: list[str] = field(default_factory=list)
    hire_rationale: str = ""


def extract_json(text: str) -> str:
    """The JSON object in a reply, tolerating code fences and chatter around it."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.DOTALL)
    if fenced:
        return fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text


class TemplateCopied(ValueError):
    """A reply that fits the schema but copies the prompt's skeleton instead of grading."""

    def __init__(self, places: list[tuple[str, str]]) -> None:
        first: dict[str, list[str]] = {}
        for where, placeholder in places:
            first.setdefault(placeholder, []).append(where)
        self.summary = "; ".join(
            f'"{placeholder}" in {wheres[0]}'
            + (f" and {len(wheres) - 1} more" if len(wheres) > 1 else "")
            for placeholder, wheres in first.items()
        )
        super().__init__(
            f"the reply copies the template's placeholders instead of grading: {self.summary}"
        )


def _judge_strings(reading: Reading) -> list[tuple[str, str, bool]]:
    """(where, text, written by the judge rather than quoted) for every string of a reply."""
    found: list[tuple[str, str, bool]] = [
        (f"points.{key}", quote, False) for key, quote in reading.points.items() if quote
    ]
    for dim_id, dim in reading.dimensions.items():
        found += [(f"dimensions.{dim_id}.evidence", q, False) for q in dim.evidence]
        found.append((f"dimensions.{dim_id}.reasoning", dim.reasoning, True))
    for name in ("strengths", "gaps", "practice"):
        found += [(f"{name}[{i}]", item, True) for i, item in enumerate(getattr(reading, name))]
    found.append(("hire_rationale", reading.hire_rationale, True))
    return found


def copied_template(reading: Reading) -> list[tuple[str, str]]:
    """Where a reply repeats the skeleton's placeholders, and which: one of ours anywhere,
    or a sentence of the judge's own that is a bare ``<...>``. A small model that echoes
    the template returns valid JSON with every score the same; its "strengths" must never
    reach the candidate."""
    places = []
    for where, text, own in _judge_strings(reading):
        ours = next((p for p in PLACEHOLDERS if p in text), None)
        if ours or (own and BARE_PLACEHOLDER.fullmatch(text)):
            places.append((where, ours or text.strip()))
    return places


def parse_reply(text: str, schema: Schema) -> Reading:
    """Validate the judge's reply; raise ValueError with a message fit to re-ask with
    (``TemplateCopied`` when it is the prompt's skeleton filled with its own placeholders)."""
    try:
        data = json.loads(extract_json(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc.msg} at position {exc.pos})") from None
    problems: list[str] = []
    clean = conform(data, schema, "", problems)
    if problems:
        shown = "; ".join(problems[:8])
        more = f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""
        raise ValueError(f"the JSON does not match the schema: {shown}{more}")
    reading = Reading(
        dimensions={k: DimensionReading(**v) for k, v in clean["dimensions"].items()},
        points=clean.get("points", {}),
        strengths=clean["strengths"],
        gaps=clean["gaps"],
        practice=clean["practice"],
        hire_rationale=clean["hire_rationale"],
    )
    copied = copied_template(reading)
    if copied:
        raise TemplateCopied(copied)
    return reading
