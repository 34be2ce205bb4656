"""Checks that the configured models can do what an interview needs, each with its fix.

The interviewer must stream; the judge must return JSON (in the strictest mode the
server accepts: json_schema, json_object, or the prompt alone with validation). Before
those, the server must answer and know the model. Each check is one small real call,
made once without retries, so a broken set-up is reported in seconds, not after the
backoff an interview would sit through.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from interviewer.catalog.documents import Reference
from interviewer.config.settings import DEFAULT_TIMEOUT_S
from interviewer.doctor.check import Check
from interviewer.doctor.scoring import scoring_check
from interviewer.errors import ModelError, UserError
from interviewer.models.base import LOCAL, ChatModel, ModelSpec
from interviewer.models.window import SETTING, estimate, window_for

PING = [
    {"role": "system", "content": "You are a health check. Answer in as few words as you can."},
    {"role": "user", "content": "Reply with the single word: ready"},
]
JSON_PING = [
    {"role": "system", "content": 'Reply with only this JSON object: {"ready": true}'},
    {"role": "user", "content": "Are you ready? Reply in JSON."},
]
JSON_SCHEMA = {
    "type": "object",
    "properties": {"ready": {"type": "boolean"}},
    "required": ["ready"],
}
MODES = {
    "json_schema_strict": "JSON schema enforced by the server, strict mode",
    "json_schema": "JSON schema enforced by the server",
    "json_object": "JSON mode (the server rejected json_schema); replies are validated",
    "prompt": "no JSON mode (the server rejected both); the prompt asks and replies are validated",
}
SLOW_FIRST_TOKEN_MS = 5000.0
CHECK_TIMEOUT_S = 60.0
"""The doctor's wait per check while timeout_s is at its default or below."""
PROMPT_TOKENS = 2500  # the interviewer's system prompt with a round, before any file
ROOM_FOR_TALK = 0.6  # files past this share of the window leave too little for the talk


def checked_spec(spec: ModelSpec) -> ModelSpec:
    """The spec as the doctor calls it: one attempt, and a shorter wait, unless the user
    set a longer one than the default: a check that timed out advises raising timeout_s,
    and that advice must work for the doctor too (a busy machine's local model took 42 s
    for a 14-token JSON reply here)."""
    wait = spec.timeout_s
    if wait <= DEFAULT_TIMEOUT_S:
        wait = min(wait, CHECK_TIMEOUT_S)
    return replace(spec, max_retries=0, timeout_s=wait)


def diagnose(
    spec: ModelSpec,
    model: ChatModel,
    *,
    streams: bool,
    judges: bool,
    listed: Callable[[ModelSpec, str], list[str]],
) -> list[Check]:
    """Every check for one model; ``streams``/``judges`` say which roles it plays, and so
    which checks the practice needs, and which options a fix names (a judge of its own is
    set with --judge-model and --judge-api-base). ``listed`` returns the models a server
    lists, given the option that named the server."""
    flags = JUDGE_FLAGS if judges and not streams else MODEL_FLAGS
    checks = [*server_checks(spec, listed, flags)]
    if any(c.failed for c in checks):
        return [*checks, Check("streaming", "skip", "server unreachable", required=streams)]
    if streams or not judges:
        checks += streaming_checks(model, required=streams)
    if judges:
        checks.append(structured_check(model))
        if spec.model == LOCAL:  # its notice already says it cannot judge meaningfully
            why = "the bundled model is for trying the tool, not for scoring"
            checks.append(Check("scoring", "skip", why, required=False))
        elif not checks[-1].failed:
            checks.append(scoring_check(model))
    return checks


MODEL_FLAGS = ("--model", "--api-base")
JUDGE_FLAGS = ("--judge-model", "--judge-api-base")


def server_checks(
    spec: ModelSpec,
    listed: Callable[[ModelSpec, str], list[str]],
    flags: tuple[str, str] = MODEL_FLAGS,
) -> list[Check]:
    """Reachable, and the model known. Hosted providers are reached by the calls below.
    ``flags``: the options that name this model and its server, for the fixes."""
    if spec.is_local():
        return [Check("server", "ok", f"started here, at {spec.address()}")]
    if spec.api_base is None or not spec.is_custom_server():
        return [Check("server", "ok", "reached through litellm by the calls below")]
    try:
        models = listed(spec, flags[1])
    except UserError as exc:
        return [Check("server", "fail", exc.message, exc.hint)]
    reach = Check("server", "ok", f"{spec.address()} answers")
    wanted = spec.wire_model()
    if any(m == wanted or m.startswith(f"{wanted}:") for m in models):
        return [reach, Check("model", "ok", f"'{wanted}' is served")]
    served = ", ".join(models[:8]) or "none"
    fix = f"pick a served model with {flags[0]} (served: {served})"
    if not models:
        fix = "load or pull a model into the server (e.g. ollama pull llama3.1)"
    detail = f"'{wanted}' is not in the server's list"
    return [reach, Check("model", "warn", detail, fix, required=False)]


def streaming_checks(model: ChatModel, *, required: bool) -> list[Check]:
    """A streamed reply arrives in pieces; how long until the first one."""
    pieces: list[str] = []
    try:
        reply = model.stream(PING, temperature=0.0, on_text=pieces.append, max_tokens=16)
    except ModelError as exc:
        return [Check("streaming", "fail", exc.message, exc.hint, required)]
    if not reply.text.strip():
        fix = "check the model is a chat model, and that the server streams"
        return [Check("streaming", "fail", "the stream carried no text", fix, required)]
    first = reply.latency_ms or 0.0
    said = reply.text.strip().splitlines()[0][:40]
    stream = Check("streaming", "ok", f"{len(pieces)} pieces: {said!r}", required=required)
    if first > SLOW_FIRST_TOKEN_MS:
        fix = "expect a slow interviewer; a smaller model or a GPU would help"
        return [stream, Check("first token", "warn", f"{first:,.0f} ms", fix, required=False)]
    return [stream, Check("first token", "ok", f"{first:,.0f} ms", required=False)]


def structured_check(model: ChatModel) -> Check:
    """The judge's JSON: which mode the server accepted, and whether the reply parsed."""
    try:
        reply = model.structured(JSON_PING, JSON_SCHEMA, name="health_check", temperature=0.0)
    except ModelError as exc:
        return Check("structured", "fail", exc.message, exc.hint)
    mode = reply.mode or "prompt"
    try:
        parsed = json.loads(reply.text)
        valid = isinstance(parsed, dict) and isinstance(parsed.get("ready"), bool)
    except ValueError:
        valid = False
    if not valid:
        detail = f"{mode}: the reply was not the JSON asked for ({reply.text.strip()[:40]!r})"
        if reply.finish_reason == "length":
            detail += ", cut off at the token limit"
        fix = "use a stronger judge model with --judge-model (scoring re-asks, but may fail)"
        return Check("structured", "fail", detail, fix)
    return Check("structured", "ok", f"{mode}: {MODES[mode]}")


def context_check(model: ChatModel, documents: list[Reference]) -> Check:
    """The context window, where it came from, and whether the files given fit in it."""
    window = window_for(model)
    if window is None:
        return Check(
            "context window",
            "warn",
            "unknown: long rounds are sent whole and may overflow",
            f"set {SETTING} (or context_window in the config) to the model's "
            "context size in tokens",
            required=False,
        )
    detail = f"{window.tokens:,} tokens (from {window.source})"
    if window.warning:
        return Check("context window", "warn", detail, window.warning, required=False)
    for doc in documents:
        need = PROMPT_TOKENS + estimate(doc.text)
        if need > window.budget * ROOM_FOR_TALK:
            verdict = "does not fit" if need > window.budget else "leaves little room"
            return Check(
                "context window",
                "warn",
                f"{detail}; your {doc.kind} {doc.name} (~{need - PROMPT_TOKENS:,} tokens) "
                f"{verdict} in it",
                "use a model with a larger context, or pass a shorter version of the file",
                required=False,
            )
    fits = f"; your {', '.join(d.kind for d in documents)} fit" if documents else ""
    return Check("context window", "ok", detail + fits, required=False)
