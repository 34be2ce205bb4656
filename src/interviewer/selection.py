"""Which models to talk to: flags, then environment and config, then what the machine offers.

The interviewer model comes from ``--model``, ``INTERVIEWER_MODEL`` or the config file;
failing those, from the first provider key found in the environment. The judge defaults
to the interviewer's model and server. With nothing to go on, one message lists the ways
to get going.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.config import Settings, default_hosted_model
from interviewer.errors import ConfigError
from interviewer.model import ModelSpec

GETTING_STARTED = (
    "no model configured. Three ways to get going: "
    "(1) a hosted model: export OPENAI_API_KEY=... (or ANTHROPIC_API_KEY, GEMINI_API_KEY) "
    "and optionally --model; "
    "(2) a local server: --model llama3.1 --api-base http://127.0.0.1:11434/v1 (Ollama, "
    "llama.cpp, vLLM, LM Studio); "
    "(3) set 'model' in the config file ({path})"
)


@dataclass(frozen=True)
class Choice:
    interviewer: ModelSpec
    judge: ModelSpec
    reason: str  # how the interviewer model was chosen, shown to the user


def choose(settings: Settings) -> Choice:
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.model:
        spec = ModelSpec(settings.model, api_base=settings.api_base, api_key=key)
        reason = "as configured"
    else:
        hosted = default_hosted_model()
        if hosted is None:
            raise ConfigError(GETTING_STARTED.format(path=settings.config_path))
        model, variable = hosted
        spec = ModelSpec(model, api_base=settings.api_base, api_key=key)
        reason = f"chosen because {variable} is set; pick another with --model"
    judge_key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else key
    judge_base = settings.judge_api_base or spec.api_base
    if judge_base and judge_base.lower() == "none":  # a hosted judge beside a local interviewer
        judge_base = None
    judge = ModelSpec(settings.judge_model or spec.model, api_base=judge_base, api_key=judge_key)
    return Choice(spec, judge, reason)
