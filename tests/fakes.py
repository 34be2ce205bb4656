"""A queue-of-replies fake model for the core's unit tests; it fails loudly when it runs dry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interviewer.formats.transcript import ModelInfo, Usage
from interviewer.models.base import ChatModel, Message, Reply


class FakeModel:
    def __init__(self, replies: list[str], name: str = "fake-model") -> None:
        self.replies = list(replies)
        self.calls: list[list[Message]] = []
        self.name = name
        self.schemas: list[dict[str, Any]] = []

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(model=self.name)

    def _next(self, messages: list[Message]) -> str:
        self.calls.append([dict(m) for m in messages])
        if not self.replies:
            raise AssertionError(f"FakeModel ran out of replies after {len(self.calls) - 1} calls")
        return self.replies.pop(0)

    def chat(
        self, messages: list[Message], *, temperature: float, max_tokens: int | None = None
    ) -> Reply:
        return Reply(
            self._next(messages), Usage(prompt_tokens=10, completion_tokens=5), 1.0, "stop"
        )

    def stream(
        self,
        messages: list[Message],
        *,
        temperature: float,
        on_text: Callable[[str], bool | None],
        max_tokens: int | None = None,
    ) -> Reply:
        text = self._next(messages)
        sent: list[str] = []
        for word in text.split(" "):
            sent.append(word)
            if on_text(word + " "):  # the caller asked to stop, as a real stream would
                return Reply(
                    " ".join(sent), Usage(prompt_tokens=10, completion_tokens=5), 1.0, "stopped"
                )
        return Reply(text, Usage(prompt_tokens=10, completion_tokens=5), 1.0, "stop")

    def structured(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        name: str,
        temperature: float,
        strict: bool = False,
    ) -> Reply:
        self.schemas.append(schema)
        return Reply(
            self._next(messages),
            Usage(prompt_tokens=100, completion_tokens=50),
            1.0,
            "stop",
            "json_schema",
        )


_CHECKED: type[ChatModel] = FakeModel  # mypy fails here if the fake drifts from ChatModel
