"""How a track (``research-scientist``, ``ml-engineer``) weighs a round: its own bar,
weights and follow-ups, read from a round file's ``tracks`` table.

Apart from ``rounds`` so that a round's own shape reads on one page; ``Round.for_track``
applies what is here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from interviewer.formats.base import Slug, Strict, Text

TrackWeight = Annotated[float, Field(gt=0, le=5)]
FollowupShift = Annotated[int, Field(ge=-3, le=3)]


class TrackEmphasis(Strict):
    """How one track runs this round: what it weighs, how deep each area goes, the bar.

    The anchors never change with the track (a 4 is a 4); what changes is how much each
    dimension counts toward the overall and the hire signal, how many follow-ups an area
    gets, and the line that tells the interviewer and the judge what this track looks for.
    """

    bar: Text = Field(
        description="what this track looks for in this round, told to the interviewer and the judge"
    )
    weights: dict[Slug, TrackWeight] = Field(
        default_factory=dict,
        description="dimension id: its weight on this track, in place of the round's",
    )
    followups: dict[Slug, FollowupShift] = Field(
        default_factory=dict,
        description="area id: follow-ups added on this track (taken away when negative)",
    )


def track_words(track: str) -> str:
    """``research-scientist`` as a prompt says it: ``research scientist``."""
    return track.replace("-", " ")
