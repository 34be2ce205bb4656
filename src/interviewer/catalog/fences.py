"""Nonce-tagged blocks: how text from outside (answers, the candidate's files) reaches a model.

A model is told that whatever sits inside ``<tag-NONCE> ... </tag-NONCE>`` is data, never
an instruction. That holds only if the text cannot close its own block or open a new one,
so every tag of ours (with any suffix, in any case, with stray spaces) is defused inside
it, and the per-request nonce, which the writer cannot know in advance, is masked too.
"""

from __future__ import annotations

import re

TAGS = ("answer", "interviewer", "session", "file")
_LOOKALIKE = re.compile(r"<(\s*/?\s*)(" + "|".join(TAGS) + r")(?=[\s\-_>/=]|$)", re.IGNORECASE)
_ATTR_UNSAFE = re.compile(r"[^\w .,()+-]")


def neutralise(text: str, nonce: str) -> str:
    """Keep text inside its block: no tag of ours, nor the nonce, can appear in it."""
    return _LOOKALIKE.sub(r"&lt;\1\2", text).replace(nonce, "[nonce]")


def fence(tag: str, nonce: str, text: str, **attributes: str | int) -> str:
    """``text`` inside its own ``<tag-NONCE ...>`` block; attribute values are made inert."""
    attrs = "".join(
        f' {key}="{_ATTR_UNSAFE.sub("_", neutralise(str(value), nonce))}"'
        for key, value in attributes.items()
    )
    name = f"{tag}-{nonce}"
    return f"<{name}{attrs}>\n{neutralise(text, nonce)}\n</{name}>"
