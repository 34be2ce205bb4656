"""How the interviewer speaks, apart from what a round asks: the words of each move
(``prompts/steps.toml``) and the personas (``prompts/personas/``).

Read by ``catalog``; the session picks the move, these give it words.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from interviewer.formats.base import Record, Slug, Strict, Text


class StepText(Strict):
    """One move's words: the directive a model writes from, the line a scripted round says."""

    directive: Text
    say: Text
    say_unknown: str = ""


class Steps(Record):
    """``prompts/steps.toml``: the words of every move the session can make."""

    moves: dict[str, StepText]


class Persona(Strict):
    """An interviewer's voice. The round owns *what* is asked; the persona owns *how*."""

    version: Literal[1] = 1
    id: Slug
    name: Text = Field(description="how the interviewer introduces themself")
    title: Text = Field(description="their role, e.g. 'Principal ML scientist'")
    summary: Text = Field(description="one line for listings")
    style: Text = Field(description="the voice and manner, written as instructions")
    greeting: Text = Field(description="how they open, before the first question")
    followup_style: Text
    temperature: float = Field(default=0.7, ge=0, le=2)
