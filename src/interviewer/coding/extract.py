"""Finding the candidate's code in an answer: fenced Python blocks, or bare code that clearly is.

``extract_code`` gives the code ``check.run_check`` runs, or None where an answer holds none.
"""

from __future__ import annotations

import ast
import re
import textwrap

PYTHON_FENCE_LANGUAGES = {"", "python", "py", "python3", "py3"}

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^`]*$")


def extract_code(answer: str, entry_point: str | None = None) -> str | None:
    """The Python code in a candidate's answer, or None when there is none to run.

    Fenced blocks tagged ``python`` (or ``py``) or untagged are joined in order; blocks in
    other languages (a shell session, sample output) are skipped, and a fence left open runs
    to the end. Without any fence, the text counts as code only when it clearly is: from its
    first ``def``/``import``/``class`` line to the end it parses as Python and defines a
    function (``entry_point`` itself, when given). Prose, and code followed by prose, give
    None rather than a guess.
    """
    blocks = _fenced_blocks(answer)
    if blocks is not None:
        joined = "\n\n".join(block for block in blocks if block.strip())
        return joined.strip("\n") + "\n" if joined.strip() else None
    lines = answer.splitlines()
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"(def|async def|class|import|from|@)\b", line)
        ),
        None,
    )
    if start is None:
        return None
    candidate = "\n".join(lines[start:]).strip("\n") + "\n"
    return candidate if _defines_function(candidate, entry_point) else None


def _fenced_blocks(answer: str) -> list[str] | None:
    """The Python fenced blocks, dedented; None when the answer has no fence at all."""
    blocks: list[str] = []
    seen_fence = False
    lines = answer.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i])
        if opening is None:
            i += 1
            continue
        seen_fence = True
        fence, language = opening.group(1), opening.group(2).lower()
        body: list[str] = []
        i += 1
        while i < len(lines) and not _closes(lines[i], fence):
            body.append(lines[i])
            i += 1
        i += 1  # past the closing fence
        if language in PYTHON_FENCE_LANGUAGES:
            blocks.append(textwrap.dedent("\n".join(body)))
    return blocks if seen_fence else None


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _defines_function(code: str, entry_point: str | None) -> bool:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (entry_point is None or node.name == entry_point)
        for node in ast.walk(tree)
    )
