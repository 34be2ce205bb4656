"""A small round in the current format, built in code, for tests of the session's moves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from interviewer.formats.rounds import Round


def probe(ask: str, *keywords: str, when: str = "it fits") -> dict[str, Any]:
    return {"when": when, "ask": ask, "keywords": list(keywords)}


def anchors() -> dict[str, str]:
    return {str(n): f"Level {n} behaviour." for n in range(1, 6)}


def dimension(dim_id: str) -> dict[str, Any]:
    return {
        "id": dim_id,
        "name": dim_id.replace("-", " ").capitalize(),
        "description": f"What {dim_id} means.",
        "anchors": anchors(),
        "levels": {"junior": "j", "senior": "s", "staff": "st"},
    }


def design_round(**overrides: Any) -> Round:
    """A system-design-like round: a neutral start, a framing fallback, facts and a twist."""
    return Round.model_validate(design_data(**overrides))


def design_data(**overrides: Any) -> dict[str, Any]:
    """The same round as plain data, to change before validating or to write as a file."""
    data: dict[str, Any] = {
        "id": "mini-design",
        "title": "Mini design",
        "summary": "A small design round.",
        "tests": "Framing, data and evaluation.",
        "budget": {
            "minutes": 45,
            "max_candidate_turns": 30,
            "followups_per_topic": 1,
            "topics_per_session": 3,
        },
        "moves": {
            "start": "Take it from wherever you would start.",
            "framing": {
                "model_words": ["transformer", "xgboost", "neural"],
                "framing_words": ["objective", "metric", "decision"],
                "ask": "Before models: what decision does this system make?",
            },
        },
        "openings": [
            {
                "id": "fraud",
                "title": "Card fraud",
                "domain": "payments-fraud",
                "prompt": "Card payments at 5,000 per second. Design the fraud system.",
                "topics": ["framing", "data", "evaluation"],
                "facts": [
                    {
                        "about": "latency",
                        "keywords": ["latency", "milliseconds", "time budget"],
                        "answer": "Each decision must be made within 100 milliseconds.",
                    },
                    {
                        "about": "review capacity",
                        "keywords": ["review", "analysts", "manual"],
                        "answer": "Analysts can review 20,000 cases a day.",
                    },
                ],
                "twist": {
                    "after": "data",
                    "kind": "constraint",
                    "say": "The window just dropped to 40 milliseconds. What changes?",
                },
                "levels": {"staff": "It must also serve bank transfers next year."},
                "reference": {
                    "covers": ["Costs per error.", "Label delay.", "Time-based split."],
                },
            },
            {
                "id": "recs",
                "title": "Recommendations",
                "domain": "recommendations",
                "prompt": "A marketplace home page. Design recommendations.",
                "topics": ["framing", "data", "evaluation", "extra"],
            },
        ],
        "topics": [
            {
                "id": "framing",
                "question": "What decision does the system make?",
                "dimensions": ["framing"],
                "keywords": ["objective", "metric", "decision"],
                "probes": [
                    probe("How does that metric connect to the decision?", "metric", "auc"),
                    probe("What does each kind of error cost?", "cost", "loss", "error"),
                    probe("What does the product do today?", "today", "rule"),
                ],
            },
            {
                "id": "data",
                "question": "Where do the labels come from?",
                "dimensions": ["data"],
                "keywords": ["label", "chargeback", "leakage"],
                "probes": [
                    probe("How long does a label take to arrive?", "label", "chargeback"),
                    probe("Which examples never get a label?", "review", "bias"),
                    probe("How do you keep future information out of features?", "feature"),
                ],
            },
            {
                "id": "evaluation",
                "question": "How would you evaluate it offline and online?",
                "dimensions": ["evaluation"],
                "keywords": ["offline", "a/b", "split"],
                "probes": [
                    probe("How would you split the data in time?", "split", "offline"),
                    probe("What would block a launch?", "launch", "guardrail"),
                    probe("What if offline and online disagree?", "online", "a/b"),
                ],
            },
            {
                "id": "extra",
                "question": "Anything else?",
                "dimensions": ["framing"],
                "keywords": ["else", "more", "other"],
                "probes": [
                    probe("What else?", "else", "more"),
                    probe("Why?", "why", "because"),
                    probe("How?", "how", "way"),
                ],
            },
        ],
        "dimensions": [dimension("framing"), dimension("data"), dimension("evaluation")],
        "level_expectations": {"junior": "j", "senior": "s", "staff": "st"},
    }
    data.update(overrides)
    return data


def to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Just enough TOML for round files: scalars, inline lists, tables, arrays of tables."""
    lines, tables = [], []
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            tables.append(f"\n[{name}]\n" + to_toml(value, name))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            tables.extend(f"\n[[{name}]]\n" + to_toml(item, name) for item in value)
        else:
            lines.append(f'"{key}" = {json.dumps(value)}')
    return "\n".join(lines) + "".join(tables) + "\n"


def write_round(folder: Path, **overrides: Any) -> Path:
    """Write the round as a user file (``folder/rubrics/<id>.toml``); returns ``folder``."""
    data = design_data(**overrides)
    Round.model_validate(data)
    (folder / "rubrics").mkdir(parents=True, exist_ok=True)
    (folder / "rubrics" / f"{data['id']}.toml").write_text(to_toml(data), encoding="utf-8")
    return folder
