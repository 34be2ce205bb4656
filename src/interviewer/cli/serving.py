"""Starting the models a command talks to: the bundled GGUF's server, and the client
libraries imported ahead while files are read. Light to import (``doctor`` with no model
starts nothing), so it is not part of ``flow``, which brings the whole interview."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from interviewer.cli.app import err
from interviewer.models import Choice, ModelSpec, local, preload


def start_preload(choice: Choice) -> None:
    """Import what the chosen models need in the background while we load files and greet.

    Only hosted models need litellm (5-7 s to import); a custom or local server needs
    only httpx, and importing litellm beside it would only steal a core from the start.
    """
    for spec in {choice.interviewer, choice.judge}:
        threading.Thread(target=preload, args=(spec,), name="preload", daemon=True).start()


@contextmanager
def serving(
    choice: Choice, *, roles: tuple[str, ...] = ("interviewer", "judge")
) -> Iterator[Choice]:
    """Start the local models that ``roles`` of the choice name (one server per
    GGUF file), yield the choice with their api_base filled in, and stop them after."""
    with ExitStack() as stack:
        bases: dict[Path, str] = {}

        def live(spec: ModelSpec) -> ModelSpec:
            if not spec.is_local():
                return spec
            path, cap = local.gguf_path(spec.model), local.reply_cap(spec.model)
            if path not in bases:
                with err.status(f"Starting the local model {path.name} on 127.0.0.1…"):
                    bases[path] = stack.enter_context(local.serve(path, max_tokens=cap))
            return replace(spec, api_base=bases[path])

        interviewer, judge = choice.interviewer, choice.judge
        if "interviewer" in roles:
            interviewer = live(interviewer)
        if "judge" in roles:
            judge = live(judge)
        yield replace(choice, interviewer=interviewer, judge=judge)
