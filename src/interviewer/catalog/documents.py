"""The candidate's own files (a paper, a job description, a CV) read as text.

Plain text and Markdown are read as they are; PDFs through pypdf. The text goes only to
the chosen models, inside the system prompt; the transcript records the file's name and
hash, never its content.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from interviewer.catalog.fences import fence
from interviewer.errors import UserError
from interviewer.formats.transcript import SourceFile

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
    a section of its own to the prompt around it. A paper comes with its outline first
    (title, abstract, section headings), so even a small model that cannot hold the whole
    text in mind knows which paper the round is about and what its parts are called."""
    if not references:
        return NO_REFERENCE
    blocks = []
    for ref in references:
        shape = outline(ref.text) if ref.kind == "paper" else None
        if shape:
            blocks.append(fence("file", nonce, shape, kind="paper outline", name=ref.name))
        blocks.append(fence("file", nonce, ref.text, kind=ref.kind, name=ref.name))
    return "\n\n".join(blocks)


_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2})?\.?|[IVX]{1,4}\.)\s+"
_HEADING = re.compile(rf"^(?:#{{1,3}}\s+(?:{_NUMBER})?|{_NUMBER})([A-Z][^.!?]{{2,70}})$")
_ABSTRACT = re.compile(r"^\W*abstract\W*(.*)$", re.IGNORECASE)
MAX_ABSTRACT = 1500


def paper_title(text: str) -> str | None:
    """The paper's title as its first line reads (a Markdown heading's marks dropped), or
    None when that line does not look like one (too long, a sentence, a page header)."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if 3 <= len(line) <= 160 and not line.endswith((".", ":", ";", ",")):
            return line
        return None
    return None


def outline(text: str) -> str | None:
    """A paper's title, abstract and section headings, as far as its text shows them."""
    lines = [line.strip() for line in text.splitlines()]
    parts: list[str] = []
    title = paper_title(text)
    if title:
        parts.append(f"Title: {title}")
    abstract = _abstract(lines)
    if abstract:
        parts.append(f"Abstract: {abstract}")
    found = (m.group(0).lstrip("# ") for m in map(_HEADING.match, lines) if m)
    headings = [h for h in dict.fromkeys(found) if h != title and h.lower() != "abstract"]
    if headings:
        parts.append("Sections: " + "; ".join(headings[:30]))
    return "\n".join(parts) if len(parts) > (1 if title else 0) else None


_THE_PAPER = re.compile(r"\b([Tt]he|[Tt]his) paper\b(?!['’]s|,? “)")


def name_the_paper(line: str, title: str) -> str:
    """A scripted line that says "the paper" names it once: "what does the paper leave
    undocumented" becomes "what does the paper (“Title”) leave undocumented". Possessives
    ("the paper's") are left as they are, since no naming of them reads well."""
    return _THE_PAPER.sub(lambda m: f"{m.group(0)} (“{title}”)", line, count=1)


def _abstract(lines: list[str]) -> str | None:
    """The paragraph after a line that starts with "Abstract", up to a blank line or a
    heading (PDF text often has no blank lines: then up to ``MAX_ABSTRACT``)."""
    for i, line in enumerate(lines):
        match = _ABSTRACT.match(line)
        if match is None:
            continue
        words = [match.group(1)] if match.group(1) else []
        for nxt in lines[i + 1 :]:
            if (not nxt and words) or _HEADING.match(nxt):
                break
            words.append(nxt)
        abstract = " ".join(w for w in words if w).strip()
        return abstract[:MAX_ABSTRACT] or None
    return None


def _pdf_text(path: Path) -> str:
    """The PDF's text, page by page, stopping once there is more than the models see.

    A hostile or broken PDF (a page tree that loops, a compressed stream that inflates to
    gigabytes, objects nested past Python's recursion limit) is reported as unreadable:
    pypdf's own limits stop the inflation, and every failure it can raise is caught here.
    """
    from pypdf import PdfReader

    # pypdf logs what it finds wrong ("EOF marker not found", object names from the file);
    # with no handler, Python printed that raw on the terminal beside our own error.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    parts: list[str] = []
    try:
        reader = PdfReader(str(path))
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_CHARS:
                break
    except (RecursionError, MemoryError):
        raise UserError(
            f"{path}: cannot read this PDF (its structure loops or is nested too deeply)",
            hint="pass a text export of it",
        ) from None
    except Exception as exc:  # pypdf raises many kinds for damaged files; all mean the same
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise UserError(
            f"{path}: cannot read this PDF ({reason})", hint="pass a text export of it"
        ) from None
    return "\n".join(parts)


def read_document(kind: str, path: Path) -> tuple[Reference, SourceFile, bool]:
    """The file as a reference for the models, its record for the transcript, and whether
    it was cut to ``MAX_CHARS``."""
    if path.is_dir():
        raise UserError(f"--{kind} {path}: is a folder, not a file", hint="name the file in it")
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
