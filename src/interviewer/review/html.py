"""Self-contained HTML pages: one session with its scorecard, and progress over time.

A page is one file that opens anywhere, offline, years from now: the CSS is inline, the
charts are inline SVG (``charts``), and nothing refers to the network (no scripts, fonts,
images or style sheets by URL). Everything the user or a model wrote is passed through
``html.escape`` before it reaches the page, so a pasted ``<script>`` is shown, not run;
and ``page`` strips terminal escapes and control bytes from the whole page, so a pasted
log's ``ESC[31m`` or BEL never reaches a file someone may ``cat`` or a browser shows as a
box.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from html import escape
from itertools import chain
from typing import TYPE_CHECKING

from interviewer.formats.delivery import describe
from interviewer.formats.readings import Role
from interviewer.grading.quotes import highlight_spans
from interviewer.review.charts import NBSP, bar_chart, line_plot
from interviewer.review.figures import counted, score
from interviewer.review.progress import (
    DELIVERY_COLUMNS,
    DELIVERY_NAMES,
    DELIVERY_TREND,
    Report,
    delivery_cells,
)
from interviewer.review.scenario import Scenario
from interviewer.review.wording import (
    COLUMNS,
    DELIVERY,
    DRAFT,
    EMPTY,
    NO_ANSWER,
    NOT_SCORED,
    POINTS,
    delivery_summary,
    delivery_total,
    dimension_score,
    draft_note,
    evidence_quotes,
    judge_line,
    lists,
    points_lines,
    signal_text,
    speaker,
)
from interviewer.terminal.safe_text import clean, replace_each

if TYPE_CHECKING:
    from interviewer.formats.transcript import Scorecard, Transcript

CSS = """
:root { --ink:#1d2329; --muted:#5f6b76; --line:#dde2e7; --accent:#2c6fbb; --you:#f3f7fc; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); max-width: 920px; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line);
     padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 .15rem; font-size: .92rem; }
.turn { margin: .6rem 0; padding: .6rem .9rem; border-radius: 8px; border: 1px solid var(--line); }
.turn.candidate { background: var(--you); border-color: #cfdcec; }
.turn.system { background: #fafafa; font-size: .9rem; }
.turn.draft { border-style: dashed; border-color: #c9a400; background: #fffdf2; }
.scenario { margin: .6rem 0; padding: .6rem .9rem; border: 1px solid var(--line);
            border-left: 4px solid var(--accent); border-radius: 8px; }
.who { font-weight: 600; font-size: .85rem; color: var(--muted); margin-bottom: .2rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #fff1a8; text-decoration: underline; text-decoration-color: #c9a400;
       padding: 0 .1em; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; font-size: .93rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .55rem;
         border-bottom: 1px solid var(--line); }
th { background: #f5f7f9; }
td.score { white-space: nowrap; font-weight: 600; text-align: center; }
.flag { color: #9a5b00; display: block; margin-top: .25rem; }
.failed { color: #a61b1b; }
.summary { font-size: 1.05rem; margin: .75rem 0; }
svg.chart { width: 100%; height: auto; display: block; margin: .5rem 0 1rem; }
svg.chart.bars { max-width: 680px; }
svg.chart.confusion { max-width: 480px; }
svg .grid { stroke: #e4e8ec; stroke-width: 1; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .label { fill: var(--ink); font-size: 13px; }
svg .value { fill: var(--ink); font-size: 12px; font-weight: 600; }
svg .note { fill: var(--muted); font-size: 12px; font-style: italic; }
svg .title { fill: var(--ink); font-size: 13px; font-weight: 600; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .dot { fill: var(--accent); }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr));
         gap: .5rem 1rem; }
ul.points { list-style: none; padding-left: 0; }
ul.points li::before { content: "✗ "; color: var(--muted); }
ul.points li.hit::before { content: "✓ "; color: #1e8449; }
ul.points li.miss { color: var(--muted); }
.said { font-style: italic; }
.delivery { color: var(--muted); font-size: .85rem; margin-top: .35rem; }
td.figure, th.figure { text-align: right; white-space: nowrap; }
footer { color: var(--muted); font-size: .8rem; margin: 3rem 0 1rem; }
"""


def page(title: str, body: str) -> str:
    """The whole page (``page_parts``, joined)."""
    return "".join(page_parts(title, [body]))


def page_parts(title: str, body: Iterable[str]) -> Iterator[str]:
    """The page in pieces, each cleaned (``safe_text.clean``: escape sequences, C0 and C1
    controls, bidirectional overrides; newlines and tabs kept): one choke point, as
    ``SafeConsole`` is for the terminal, so no text from outside needs remembering. In
    pieces, so a page with a 50 MB answer is written without being held whole."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    yield clean(
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n"
    )
    for piece in body:
        yield clean(piece)
    yield f"\n<footer>Written by interviewer on {stamp}.</footer>\n</body></html>\n"


def _items(title: str, items: list[str]) -> str:
    if not items:
        return ""
    lis = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f"<h3>{escape(title)}</h3><ul>{lis}</ul>"


def marked(text: str, quotes: list[str]) -> str:
    """The text escaped, with the spans that evidence quotes came from in ``<mark>``."""
    return "".join(marked_parts(text, quotes))


def marked_parts(text: str, quotes: list[str]) -> Iterator[str]:
    """``marked`` in pieces of at most ``CHUNK`` characters of the text."""
    position = 0
    for start, end in highlight_spans(quotes, text):
        yield from escaped_parts(text, position, start)
        yield "<mark>"
        yield from escaped_parts(text, start, end)
        yield "</mark>"
        position = end
    yield from escaped_parts(text, position, len(text))


CHUNK = 1 << 16  # characters escaped at a time, to stay in cache (``long_text.CHUNK``)
LONG_CHUNK = 1 << 20


def escaped_parts(text: str, start: int, end: int) -> Iterator[str]:
    """``escape(text[start:end])``, a chunk at a time (an entity is never cut: each
    chunk is escaped whole). A megabyte's chunk (``LONG_CHUNK``) is cut again after a
    newline about every ``CHUNK``: a terminal escape, which ``page_parts`` removes from
    each piece, has no newline in it (but a rare title or clipboard string), so is not
    cut in two more often than it was."""
    for block in range(start, end, LONG_CHUNK):
        stop = min(end, block + LONG_CHUNK)
        at = block
        while at < stop:
            cut = text.rfind("\n", at, at + CHUNK) + 1 if at + CHUNK < stop else stop
            cut = cut if cut > at else stop  # no newline near: the rest of the block
            yield replace_each(text[at:cut], _ENTITIES)
            at = cut


_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))
"""What ``html.escape`` replaces, in its order (the ampersand first): ``replace_each``
makes only the replacements a chunk needs."""


def conversation_html(t: Transcript, quotes: list[str]) -> str:
    return "".join(conversation_parts(t, quotes))


def conversation_parts(t: Transcript, quotes: list[str]) -> Iterator[str]:
    """The conversation's HTML in pieces: a huge answer is escaped a chunk at a time."""
    for n, turn in enumerate(t.turns):
        spoken = (  # a spoken answer: how it was delivered, under it
            f'<div class="delivery">{escape(describe(turn.delivery))}</div>'
            if turn.delivery is not None
            else ""
        )
        yield (
            f'{"" if n == 0 else chr(10)}<div class="turn {turn.role.value}"><div class="who">'
            f'{escape(speaker(turn.role))}</div><div class="text">'
        )
        if not turn.text:
            yield f"<em>{NO_ANSWER}</em>"
        elif turn.role is Role.candidate:
            yield from marked_parts(turn.text, quotes)
        else:
            yield from escaped_parts(turn.text, 0, len(turn.text))
        yield f"</div>{spoken}</div>"
    if t.draft:  # after the last turn, marked: it is not part of the conversation
        yield (
            f'{chr(10) if t.turns else ""}<div class="turn draft"><div class="who">'
            f'{escape(DRAFT)}</div><div class="text">{escape(t.draft)}</div>'
            f'<div class="delivery">{escape(draft_note(t))}</div></div>'
        )
    if not t.turns and not t.draft:
        yield "<p>No turns yet.</p>"


def scorecard_html(card: Scorecard | None, session_id: str) -> str:
    if card is None:
        command = f"interviewer score {escape(session_id)}"
        return f"<p>{NOT_SCORED} Score it with <code>{command}</code>.</p>"
    when = f"{card.scored_at:%Y-%m-%d %H:%M} UTC"
    if card.status == "failed":
        return (
            f'<p class="failed">Scoring failed ({escape(card.judge.model)}, {when}): '
            f"{escape(card.failure_reason or 'no reason recorded')}</p>"
        )
    overall = score(card.overall)
    signal = signal_text(card)
    rows = []
    for dim in card.dimensions:
        evidence = "<br>".join(escape(q) for q in evidence_quotes(dim)) or EMPTY
        flags = "".join(f'<span class="flag">⚠ {escape(f)}</span>' for f in dim.flags)
        rows.append(
            f"<tr><td>{escape(dim.name)}</td><td class='score'>{escape(dimension_score(dim))}</td>"
            f"<td>{evidence}</td><td>{escape(dim.rationale)}{flags}</td></tr>"
        )
    return (
        f'<p class="summary">Overall <strong>{overall}</strong> · hire signal '
        f"<strong>{escape(signal)}</strong> · {when}</p>"
        f'<p class="meta">{escape(judge_line(card))}</p>'
        + bar_chart([(d.name, d.score) for d in card.dimensions])
        + "<table><thead><tr>"
        + "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + (f"<p><em>{escape(card.hire_rationale)}</em></p>" if card.hire_rationale else "")
        + "".join(_items(title, items) for title, items in lists(card))
        + points_html(card)
    )


def points_html(card: Scorecard) -> str:
    """The opening's reference points: hit ones with the candidate's own words."""
    if not card.points:
        return ""
    items = []
    for hit, point, quote in points_lines(card):
        said = f'<br><span class="said">you said: “{escape(quote)}”</span>' if quote else ""
        items.append(f'<li class="{"hit" if hit else "miss"}">{escape(point)}{said}</li>')
    return f"<h3>{POINTS}</h3><ul class='points'>{''.join(items)}</ul>"


def delivery_html(t: Transcript) -> str:
    """The session's delivery totals, as the Markdown states them; nothing if no answer
    was spoken (a typed session has no delivery, not an empty one)."""
    spoken = delivery_summary(t)
    if spoken is None:
        return ""
    return f'<h2>{DELIVERY}</h2><p class="summary">{escape(delivery_total(spoken))}</p>'


def scenario_html(scenario: Scenario | None) -> str:
    """The scenario as the candidate saw it, above the conversation; nothing if not given."""
    if scenario is None:
        return ""
    text = f'<div class="text">{escape(scenario.text)}</div>' if scenario.text is not None else ""
    note = f'<p class="meta">{escape(scenario.note)}</p>' if scenario.note else ""
    return (
        f'<h2>Scenario</h2><div class="scenario"><div class="who">{escape(scenario.title)}'
        f"</div>{text}</div>{note}"
    )


def transcript_html(t: Transcript, scenario: Scenario | None = None) -> str:
    """The whole session as one page (``transcript_html_parts``, joined)."""
    return "".join(transcript_html_parts(t, scenario))


def transcript_html_parts(t: Transcript, scenario: Scenario | None = None) -> Iterator[str]:
    """The whole session as one page, in pieces: who, when, the scorecard, then the
    scenario (``scenario_of``) and the conversation."""
    card = t.scorecard
    quotes = [q for d in card.dimensions for q in d.evidence] if card else []
    meta = [
        f"Session <code>{escape(t.id)}</code> · {t.created_at:%Y-%m-%d %H:%M} UTC · "
        f"{escape(t.status.value)}",
        f"Level {escape(t.level.value)} · persona {escape(t.persona)} · "
        f"scenario {escape(t.opening)}",
        f"Interviewer <code>{escape(t.interviewer.model)}</code> · judge "
        f"<code>{escape(t.judge.model)}</code>",
    ]
    head = (
        f"<h1>{escape(t.round_title)}: practice interview</h1>"
        + "".join(f'<p class="meta">{line}</p>' for line in meta)
        + "<h2>Scorecard</h2>"
        + scorecard_html(card, t.id)
        + delivery_html(t)
        + scenario_html(scenario)
        + "<h2>Conversation</h2>"
        + (
            '<p class="meta">Highlighted: the words the judge quoted as evidence.</p>'
            if quotes
            else ""
        )
    )
    return page_parts(f"{t.round_title} · {t.id}", chain([head], conversation_parts(t, quotes)))


def progress_html(report: Report) -> str:
    """Line plots per dimension, grouped by round, with the weakest areas and next steps."""
    sessions = counted(report.sessions, "scored session")
    body = [f"<h1>Progress</h1><p class='meta'>{sessions}.</p>"]
    if report.weakest:
        items = [
            f"{tr.name} ({tr.round_title}): recent average {score(tr.recent)}"
            for tr in report.weakest
        ]
        body.append(_items("Weakest dimensions", items))
    if report.practice:
        body.append(_items("What to practise next", [a.text for a in report.practice]))
    current = None
    for trend in report.trends:
        if trend.round != current:
            if current is not None:
                body.append("</div>")
            body.append(f"<h2>{escape(trend.round_title)}</h2><div class='plots'>")
            current = trend.round
        points = [(p.when, p.score, p.session) for p in trend.points]
        title = f"{trend.name} · recent{NBSP}{score(trend.recent)}"  # the figure kept whole
        body.append(line_plot(points, title=title))
    if current is not None:
        body.append("</div>")
    if not report.trends:
        body.append("<p>No scored sessions yet: nothing to plot.</p>")
    body.append(delivery_trend_html(report))
    return page("Interview practice progress", "\n".join(body))


FIGURE = ' class="figure"'


def _row(tag: str, values: tuple[str, ...]) -> str:
    """A table row of the delivery trend: names, then figures."""
    return "".join(
        f"<{tag}{FIGURE if n >= DELIVERY_NAMES else ''}>{escape(v)}</{tag}>"
        for n, v in enumerate(values)
    )


def delivery_trend_html(report: Report) -> str:
    """Pace, fillers and pauses per spoken session: the table terminal ``progress`` shows,
    with the same columns and cells; nothing if no session was spoken."""
    if not report.delivery:
        return ""
    rows = "".join(f"<tr>{_row('td', delivery_cells(s))}</tr>" for s in report.delivery)
    return (
        f"<h2>{escape(DELIVERY_TREND)}</h2><table><thead><tr>{_row('th', DELIVERY_COLUMNS)}"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
