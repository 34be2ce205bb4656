"""Which models to talk to: flags, then environment and config, then what the machine offers.

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
from typing import Any

from interviewer import local
from interviewer.config import Settings, default_hosted_model
from interviewer.errors import ConfigError
from interviewer.model import LOCAL, SCRIPTED, ModelSpec
from interviewer.retry_policy import without_credentials

SCRIPTED_REASON = (
    "no key, server or model found, so a scripted round: the round's own lines, no model; "
    "for a real interviewer set a key (export OPENAI_API_KEY=...), start a local server, "
    "or pass --model; 'interviewer doctor' checks a set-up"
)
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
class Choice:
    interviewer: ModelSpec
    judge: ModelSpec
    reason: str  # how the interviewer model was chosen, shown to the user
    notice: str | None = None  # what the user should know about that model's limits


def choose(settings: Settings) -> Choice:
    """The interviewer and judge models, each with only the key meant for it.

    ``api_key`` (``INTERVIEWER_API_KEY``) belongs to the server named by ``api_base`` and
    ``judge_api_key`` to the judge's server: a hosted provider never receives either, so
    litellm sends it the provider's own variable (``OPENAI_API_KEY``, ...). A judge on the
    interviewer's server shares its key when it has none of its own.
    """
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.model:
        spec = ModelSpec(
            settings.model, api_base=settings.api_base, api_key=_only_for(settings.api_base, key)
        )
        reason = "as configured"
    else:
        spec, reason = _offered(settings, key)
    if spec.is_local() and settings.api_base:
        raise ConfigError(
            f"model '{spec.model}' runs in-process and takes no --api-base",
            hint="drop --api-base, or name the server's own model with --model",
        )
    judge_base = settings.judge_api_base or spec.api_base
    if judge_base and judge_base.lower() == "none":  # a hosted judge beside a local interviewer
        judge_base = None
    judge_model = settings.judge_model or spec.model
    if judge_model == SCRIPTED:
        judge_base = None
    if ModelSpec(judge_model).is_local():
        judge_base = None
    judge_key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else None
    if judge_key is None and judge_base is not None and judge_base == spec.api_base:
        judge_key = spec.api_key
    judge = ModelSpec(judge_model, api_base=judge_base, api_key=_only_for(judge_base, judge_key))
    notice = local.BUNDLED_NOTICE if LOCAL in (spec.model, judge.model) else None
    spec = replace(spec, timeout_s=settings.timeout_s)
    judge = replace(judge, timeout_s=settings.timeout_s)
    return Choice(spec, judge, reason, notice)


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

    try:
        # trust_env=False: a loopback probe must never go through the user's proxy.
        # verify=False for plain http: no certificate store is loaded, which is most of
        # what a client costs to create (a https:// base is still verified).
        verify = api_base.lower().startswith("https://")
        with httpx.Client(trust_env=False, timeout=timeout_s, verify=verify) as client:
            response = client.get(f"{api_base.rstrip('/')}/models")
        body: Any = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        return None
    ids = [str(m["id"]) for m in data if isinstance(m, dict) and m.get("id")]
    return ids[0] if ids else None
