"""Text fit to save and to show: no lone surrogate, whatever arrived.

A model's stream, a provider's error or a hand-edited transcript can carry half of a
UTF-16 pair; no UTF-8 file or terminal can take one. Here, beside the formats, because
the store, the model clients and the gold sets all make their text fit before keeping it.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: half of a UTF-16 pair, which no UTF-8 text can hold. A JSON ``\\ud800``
escape (a model's stream, a hand-edited transcript) decodes to one, and then every write
of it (the terminal, a file, the next request) fails."""


def scalar(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, so it can be shown and saved."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def scalars(data: object) -> object:
    """JSON data (dicts, lists, strings) with ``scalar`` applied to every string in it,
    keys too. Iterative: data nested as deeply as ``json.loads`` allows is walked, not
    recursed into."""
    if isinstance(data, str):
        return scalar(data)
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key in [k for k in item if isinstance(k, str) and _SURROGATE.search(k)]:
                item[scalar(key)] = item.pop(key)
            pairs = list(item.items())
        elif isinstance(item, list):
            pairs = list(enumerate(item))
        else:
            continue
        for key, value in pairs:
            if isinstance(value, str):
                item[key] = scalar(value)
            else:
                pending.append(value)
    return data
