"""A loop: a track's whole set of rounds (``loops/*.toml``), each with its persona and
weight, and the failure mode the debrief checks for across their scores.

Read by ``catalog``; run by ``interview.loops``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from interviewer.formats.base import Slug, Strict, Text


class LoopRound(Strict):
    round: Slug
    persona: Slug | None = Field(default=None, description="who interviews this round")
    weight: float = Field(default=1.0, gt=0, le=5)
    signature: bool = False


class Loop(Strict):
    version: Literal[1] = 1
    id: Slug
    title: Text
    track: Slug = Field(description="the track the loop is for; any name, e.g. ml-engineer")
    summary: Text
    rounds: list[LoopRound] = Field(min_length=1)
    top_failure_mode: Text
    failure_mode_check: Text = Field(description="what the debrief checks for explicitly")
    failure_mode_dimensions: list[
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]
    ] = Field(
        min_length=1,
        description="'round/dimension' scores the debrief reads for the failure mode",
    )

    @field_validator("rounds")
    @classmethod
    def _one_signature(cls, rounds: list[LoopRound]) -> list[LoopRound]:
        if sum(r.signature for r in rounds) > 1:
            raise ValueError("at most one round may be the signature round")
        return rounds

    @model_validator(mode="after")
    def _failure_dimensions_in_loop(self) -> Loop:
        names = {r.round for r in self.rounds}
        stray = [ref for ref in self.failure_mode_dimensions if ref.split("/")[0] not in names]
        if stray:
            raise ValueError(
                f"failure_mode_dimensions name rounds not in the loop: {', '.join(stray)}"
            )
        return self
