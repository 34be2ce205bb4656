"""The scenario a saved session opened with, for ``show``, the Markdown file and the page.

The interviewer's first line says "The scenario is above", so a review without it reads
as a reply to nothing. A transcript records its scenario by id (``opening``) and its round
file by hash, not the text, so the text is looked up in the round file and framed as the
candidate saw it (``catalog.library.scenario_text``: the prompt and the level's line). When
the round file has changed since the session, the text shown is today's and says so;
when the round or the scenario is gone, the views say that instead of showing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewer.errors import UserError

if TYPE_CHECKING:
    from pathlib import Path

    from interviewer.catalog.library import Catalog
    from interviewer.formats.transcript import Transcript

CHANGED = "The round file has changed since this session: this is the scenario as it reads today."


@dataclass(frozen=True)
class Scenario:
    """What the views show: the scenario's title and text, or why there is no text."""

    title: str
    text: str | None
    note: str | None = None


def scenario_of(t: Transcript, catalog: Catalog) -> Scenario:
    """The scenario of ``t`` from its round file, as the candidate was shown it."""
    return scenario_for(t, catalog.user_dir)


def scenario_for(t: Transcript, user_dir: Path | None) -> Scenario:
    """``scenario_of`` with the user's folder (``None``: the built-in rounds only), from
    ``listing.scenarios``: a round file already seen as it is now is not parsed again, and
    ``show`` and ``export`` import no round model."""
    from interviewer.catalog import listing
    from interviewer.catalog.files import sha256_file

    try:
        path = listing.round_path(t.round, user_dir)
        found = listing.scenarios(path)
    except UserError as exc:  # no such round here any more, or a broken round file
        return Scenario(t.opening, None, f"Not shown: {exc.message}.")
    opening = found.get(t.opening)
    if opening is None:
        return Scenario(t.opening, None, f"Not shown: round '{t.round}' no longer has it.")
    recorded = next((s.sha256 for s in t.sources if s.kind == "round"), None)
    changed = recorded is not None and recorded != sha256_file(path)
    text = opening["text"][t.level.value]
    return Scenario(opening["title"], text, CHANGED if changed else None)
