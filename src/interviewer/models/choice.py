"""Which models to talk to: flags, then what a session recorded, then environment and
config, then what the machine offers.

The interviewer model comes from ``--model``, ``INTERVIEWER_MODEL`` or the config file.
Failing those, from what this machine offers, in this order: the first model of a
server named by ``--api-base``; a provider key in the environment; a local server answering
on its usual port (Ollama 11434, llama.cpp 8080, LM Studio 1234, vLLM 8000; probed on
127.0.0.1 only, with a short timeout). With none of those, a scripted round: no model, the
interviewer says the round's own lines, and the transcript waits for a judge. The bundled
135M model runs only when asked for (``--model local``): it proves the plumbing, but it
cannot hold an interview, so it is no newcomer's first screen. The user is told which was
chosen and why. The judge defaults to the interviewer's model and server.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from interviewer.config.settings import Settings, default_hosted_model
from interviewer.errors import ConfigError
from interviewer.models import local
from interviewer.models.base import LOCAL, SCRIPTED, ModelSpec
from interviewer.models.retry_policy import without_credentials

if TYPE_CHECKING:
    from interviewer.formats.transcript import ModelInfo

SCRIPTED_REASON = (
    "no key, server or model was found, so the interviewer says the round's own lines; for "
    "a real interviewer, set a key with export OPENAI_API_KEY=..., start a local server or "
    "pass --model; 'interviewer doctor' checks a set-up"
)
"""Shown after "Scripted round", so it says why once and never repeats the name."""
LOCAL_SERVERS: tuple[tuple[str, int], ...] = (
    ("Ollama", 11434),
    ("llama.cpp", 8080),
    ("LM Studio", 1234),
    ("vLLM", 8000),
)
"""Local servers worth asking, on their usual ports, in order of preference."""
PROBE_TIMEOUT_S = 0.3
"""A local server answers /v1/models in milliseconds; a port that holds on longer is
something else, and must not delay the start."""
NAMED_SERVER_TIMEOUT_S = 5.0
"""A server named by --api-base may be remote: it gets longer to list its models."""


@dataclass(frozen=True)
class Recorded:
    """The models a saved session ran with (a transcript's, or a loop's)."""

    interviewer: ModelInfo | None
    judge: ModelInfo | None


@dataclass(frozen=True)
class Choice:
    interviewer: ModelSpec
    judge: ModelSpec
    reason: str  # how the interviewer model was chosen, shown to the user
    notice: str | None = None  # what the user should know about that model's limits
    judge_reason: str = "the interviewer's model"  # how the judge was chosen


def choose(settings: Settings, recorded: Recorded | None = None) -> Choice:
    """Which model interviews and which judges, and why: the one answer in the code.

    Each role is settled by the first of: a flag; what the saved session recorded (a
    model together with its server, so a hosted model stays hosted); the environment or
    the config file; what this machine offers (the interviewer), or the interviewer's
    model (the judge). ``resume --api-base NEW`` moves a judge that shared the
    interviewer's server along with it.

    Each model gets only the key meant for it: ``api_key`` (``INTERVIEWER_API_KEY``)
    belongs to the server named by ``api_base`` and ``judge_api_key`` to the judge's
    server; a hosted provider never receives either, so litellm sends it the provider's
    own variable (``OPENAI_API_KEY``, ...). A judge on the interviewer's server shares
    its key when it has none of its own.
    """
    key = settings.api_key.get_secret_value() if settings.api_key else None
    spec, reason = _interviewer(settings, recorded, key)
    spec = replace(spec, api_key=_only_for(spec.api_base, key))
    if spec.is_local() and spec.api_base:
        raise ConfigError(
            f"model '{spec.model}' runs on this machine (we start its server) and takes no --api-base",
            hint="drop --api-base, or name the server's own model with --model",
        )
    judge, judge_reason = _judge(settings, recorded, spec)
    notice = local.BUNDLED_NOTICE if LOCAL in (spec.model, judge.model) else None
    spec = replace(spec, timeout_s=settings.timeout_s)
    judge = replace(judge, timeout_s=settings.timeout_s)
    return Choice(spec, judge, reason, notice, judge_reason)


def _interviewer(
    settings: Settings, recorded: Recorded | None, key: str | None
) -> tuple[ModelSpec, str]:
    was = recorded.interviewer if recorded else None
    flagged = settings.flagged
    if was is not None and "model" not in flagged:
        base = settings.api_base if "api_base" in flagged else was.api_base
        return ModelSpec(was.model, api_base=base, api_key=key), "as the session recorded"
    if settings.model:
        base = settings.api_base
        if was is not None and "api_base" not in flagged:
            base = was.api_base  # --model alone on resume: the session's server still
        return ModelSpec(settings.model, api_base=base, api_key=key), settings.source("model")
    return _offered(settings, key)


def _judge(
    settings: Settings, recorded: Recorded | None, interviewer: ModelSpec
) -> tuple[ModelSpec, str]:
    was = recorded.judge if recorded else None
    flagged = settings.flagged
    if "judge_model" in flagged or was is None:
        model = settings.judge_model or interviewer.model
        base = settings.judge_api_base or interviewer.api_base
        why = settings.source("judge_model") if settings.judge_model else "the interviewer's model"
    else:
        model, base, why = was.model, was.api_base, "as the session recorded"
        old = recorded.interviewer if recorded else None
        if base is not None and old is not None and base == old.api_base:
            base = interviewer.api_base  # it shared the interviewer's server: it moves too
    if "judge_api_base" in flagged:
        base = settings.judge_api_base
    if base and base.lower() == "none":  # a hosted judge beside a local interviewer
        base = None
    if model == SCRIPTED or ModelSpec(model).is_local():
        base = None
    key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else None
    if key is None and base is not None and base == interviewer.api_base:
        key = interviewer.api_key
    return ModelSpec(model, api_base=base, api_key=_only_for(base, key)), why


def _only_for(api_base: str | None, key: str | None) -> str | None:
    """A configured key goes only to a server the user named, never to a hosted provider."""
    return key if api_base is not None else None


def _offered(settings: Settings, key: str | None) -> tuple[ModelSpec, str]:
    """The model this machine offers, and why it was chosen; else the getting-started error."""
    if settings.api_base:  # named on purpose: it wins over a key that happens to be set
        served = first_model(settings.api_base, timeout_s=NAMED_SERVER_TIMEOUT_S)
        if served is None:
            shown = without_credentials(settings.api_base)
            raise ConfigError(
                f"the server at {shown} is unreachable or lists no models",
                hint="start the server, check --api-base (it usually ends in /v1), "
                "or name its model with --model",
            )
        spec = ModelSpec(served, api_base=settings.api_base, api_key=key)
        return spec, "the first model the server lists; pick another with --model"
    hosted = default_hosted_model()
    if hosted is not None:
        model, variable = hosted
        return ModelSpec(model), f"chosen because {variable} is set; pick another with --model"
    found = find_local_server()
    if found is not None:
        name, base, served = found
        reason = f"{name} answers at {base}; pick another with --model"
        return ModelSpec(served, api_base=base, api_key=key), reason
    return ModelSpec(SCRIPTED), SCRIPTED_REASON


def find_local_server() -> tuple[str, str, str] | None:
    """The first local server that answers with a model: (its name, api_base, model)."""
    for name, port in LOCAL_SERVERS:
        if not listening(port):  # a refused connect costs microseconds; importing httpx doesn't
            continue
        base = f"http://127.0.0.1:{port}/v1"
        served = first_model(base)
        if served is not None:
            return name, base, served
    return None


def listening(port: int) -> bool:
    """Whether anything accepts connections on 127.0.0.1:port."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=PROBE_TIMEOUT_S):
            return True
    except OSError:
        return False


def first_model(api_base: str, *, timeout_s: float = PROBE_TIMEOUT_S) -> str | None:
    """The first model an OpenAI-compatible server lists at ``/models``; None when it does
    not answer quickly, is not such a server, or serves no model (Ollama before a pull)."""
    import httpx

    from interviewer.models.openai_compat import model_ids

    try:
        # trust_env=False: a loopback probe must never go through the user's proxy.
        # verify=False for plain http: no certificate store is loaded, which is most of
        # what a client costs to create (a https:// base is still verified).
        verify = api_base.lower().startswith("https://")
        with httpx.Client(trust_env=False, timeout=timeout_s, verify=verify) as client:
            response = client.get(f"{api_base.rstrip('/')}/models")
    except httpx.HTTPError:
        return None
    return next(iter(model_ids(response) or []), None)
