"""The judge's transcript fitted to its context window, and what to do when scoring fails.

``for_judge`` compacts a transcript that does not fit: the interviewer's words are
shortened first, the candidate's never. The window itself is found in ``models.window``.
"""

from __future__ import annotations

from interviewer.errors import ModelError
from interviewer.formats.transcript import Transcript
from interviewer.models.base import ChatModel
from interviewer.models.window import SETTING, estimate, window_for

SHORTENED = " […shortened to fit the judge's context window]"


KEEP_OF_INTERVIEWER = 240  # characters of an interviewer turn the judge keeps when compacting


def for_judge(transcript: Transcript, model: ChatModel, system: str) -> Transcript:
    """The transcript as the judge can read it whole: unchanged when it fits; otherwise a
    copy with the interviewer's turns shortened, oldest first (session notes next). The
    candidate's words are never cut: if even then the estimate exceeds the whole window,
    scoring stops here with advice that works, instead of a request the server would
    refuse; nearer the limit the request is sent and the server decides."""
    window = window_for(model)
    cost = estimate(system) + sum(estimate(t.text) + 12 for t in transcript.turns) + 40
    if window is None or cost <= window.budget:
        return transcript
    copy = transcript.model_copy(deep=True)
    for role in ("interviewer", "system"):
        for turn in copy.turns:
            if cost <= window.budget:
                return copy
            if turn.role.value == role and len(turn.text) > KEEP_OF_INTERVIEWER:
                short = turn.text[:KEEP_OF_INTERVIEWER].rstrip() + SHORTENED
                cost -= estimate(turn.text) - estimate(short)
                turn.text = short
    if cost <= window.tokens:  # over the budget only: the estimate is rough, let it try
        return copy
    raise ModelError(
        f"this transcript needs about {cost:,} tokens even with the interviewer's turns "
        f"shortened, more than the judge's context window ({window.tokens:,} tokens, from "
        f"{window.source})",
        hint="score it with a judge that has a larger context: "
        f"interviewer score {transcript.id} --judge-model MODEL",
    )


def cut_short(model: ChatModel) -> str:
    """Why a reply that stopped at the token cap (finish_reason ``length``) failed."""
    return (
        f"the judge's reply was cut off at its length limit ({model.info.model}); asking "
        "again would be cut off the same way"
    )


def rescore_advice(reason: str, transcript_id: str) -> str:
    """How to score again after a failure: the same command, unless the failure was the
    context window or the reply limit, which a retry would meet again."""
    if "context window" in reason or "length limit" in reason:
        return (
            f"score it with a judge that has a larger context or reply limit: interviewer "
            f"score {transcript_id} --judge-model MODEL (or set {SETTING} if it is not known)"
        )
    return f"score it later with: interviewer score {transcript_id}"
