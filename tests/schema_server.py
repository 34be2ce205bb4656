"""A judge at the HTTP wire that fills whatever JSON schema it is sent, as constrained
decoding does: properties in schema order, required ones first, each value the minimal
valid one unless the test's ``choose`` says otherwise for that path.

``choose(path, request)`` gets a dotted path (``dimensions.data.score``) and the request
body, and returns a value for that path or ``SKIP`` to let the filler decide.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from wire import BASE, completion

SKIP = object()
Choose = Callable[[str, dict[str, Any]], Any]


def fill(schema: dict[str, Any], path: str, choose: Choose, body: dict[str, Any]) -> Any:
    chosen = choose(path, body)
    if chosen is not SKIP:
        return chosen
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        props: dict[str, Any] = schema.get("properties", {})
        required = schema.get("required", [])
        order = [k for k in props if k in required] + [k for k in props if k not in required]
        return {k: fill(props[k], f"{path}.{k}" if path else k, choose, body) for k in order}
    if kind == "array":
        return [
            fill(schema["items"], f"{path}[{i}]", choose, body)
            for i in range(schema.get("minItems", 0))
        ]
    if kind == "string":
        return "x" * schema.get("minLength", 0)
    if kind == "integer":
        return schema.get("minimum", 0)
    if kind == "null":
        return None
    raise AssertionError(f"the filler meets a schema it does not know at {path}: {schema}")


def nothing(path: str, body: dict[str, Any]) -> Any:
    return SKIP


def candidate_answers(body: dict[str, Any]) -> list[str]:
    """The candidate's turns as the judge was sent them (inside their answer blocks)."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    parts = user.split("<answer-")[1:]
    return [p.split(">", 1)[1].rsplit("</answer-", 1)[0].strip() for p in parts]


class SchemaJudge:
    """Answers every non-streamed chat request by filling the request's json_schema."""

    def __init__(self, respx_mock: Any, choose: Choose = nothing, base: str = BASE) -> None:
        self.choose = choose
        self.requests: list[dict[str, Any]] = []
        self.route = respx_mock.post(f"{base}/chat/completions").mock(side_effect=self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        schema = body["response_format"]["json_schema"]["schema"]
        return httpx.Response(200, json=completion(json.dumps(fill(schema, "", self.choose, body))))


PRACTICE = ["Quantify impact in every story.", "Name your own actions.", "Close with the lesson."]


def schema_reply(
    score: int | None = 3, quote: str | None = None
) -> Callable[[dict[str, Any]], str]:
    """A judge reply written from the request's own schema: the first dimension scored
    ``score`` on ``quote``, every other one null; for scripted providers' queues."""

    def make(body: dict[str, Any]) -> str:
        schema = body["response_format"]["json_schema"]["schema"]
        first = next(iter(schema["properties"]["dimensions"]["properties"]))
        fixed = {
            f"dimensions.{first}.score": score,
            f"dimensions.{first}.evidence": [quote] if quote else [],
            "strengths": ["Clear situation."],
            "gaps": ["No metric."],
            "practice": PRACTICE,
            "hire_rationale": "Too little evidence of impact.",
        }

        def choose(path: str, request: dict[str, Any]) -> Any:
            if path in fixed:
                return fixed[path]
            if path.endswith(".score"):
                return None
            if path.endswith(".reasoning"):
                return (
                    "Some ownership shown."
                    if path.startswith(f"dimensions.{first}")
                    else "Not reached."
                )
            return SKIP

        return json.dumps(fill(schema, "", choose, body))

    return make
