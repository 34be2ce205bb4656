"""The candidate's own files (a paper, a job description, a CV) read as text.

Plain text and Markdown are read as they are; PDFs through pypdf. The text goes only to
the chosen models, inside the system prompt; the transcript records the file's name and
hash, never its content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from interviewer.errors import UserError
from interviewer.fences import fence
from interviewer.formats import SourceFile

# About 15k tokens: enough for a paper's body, small enough for modest local contexts.
MAX_CHARS = 60_000
NO_REFERENCE = "None."


@dataclass(frozen=True)
class Reference:
    """A file the candidate supplied (paper, job description, CV), already as text."""

    kind: str
    name: str
    text: str


def render_references(references: list[Reference], nonce: str) -> str:
    """The candidate's files, each in its own nonce-tagged ``file`` block, so a CV cannot add
    a section of its own to the prompt around it."""
    if not references:
        return NO_REFERENCE
    return "\n\n".join(
        fence("file", nonce, ref.text, kind=ref.kind, name=ref.name) for ref in references
    )


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise UserError(
            f"{path}: cannot read this PDF ({exc})", hint="pass a text export of it"
        ) from None


def read_document(kind: str, path: Path) -> tuple[Reference, SourceFile, bool]:
    """The file as a reference for the models, its record for the transcript, and whether
    it was cut to ``MAX_CHARS``."""
    if not path.is_file():
        raise UserError(f"--{kind} {path}: no such file", hint="check the path")
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF"):
        text = _pdf_text(path)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(
                f"--{kind} {path}: not UTF-8 text or a PDF", hint="convert it to .txt, .md or .pdf"
            ) from None
    text = text.strip()
    if not text:
        raise UserError(
            f"--{kind} {path}: no text could be read from it", hint="pass a text version"
        )
    cut = len(text) > MAX_CHARS
    reference = Reference(kind=kind, name=path.name, text=text[:MAX_CHARS])
    source = SourceFile(
        kind=kind, name=path.name, sha256=hashlib.sha256(data).hexdigest(), path=str(path.resolve())
    )
    return reference, source, cut
