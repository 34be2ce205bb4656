"""The scripted judges measured on the shipped gold set, through the real command.

A loopback OpenAI-compatible server plays judges whose behaviour is known
(``tests/scripted_judges.py``), picked by the model name (``scripted-NAME``), each filling
the JSON schema it is sent as constrained decoding does (``tests/schema_server.py``) and
quoting the candidate's own words, a different passage for each dimension:

- ``reference`` returns each item's reference grade (must pass: kappa 1, lifts 0);
- ``always-3`` returns 3 for everything (chance: kappa 0);
- ``length-first-answer`` scores 1 + the first answer's words / 25 (the rule that reached
  kappa 0.74 on gold v1), ``length-total`` 1 + all the candidate's words / 60;
- ``obeys-injections`` returns the reference grade, or 5 when an answer carries one of
  the gold set's injection wordings (``calibration/build_gold_v2.py``'s ``INJECTIONS``).

Items are recognised by all their candidate answers together (a variant shares its first
answer with its base), with the fences' ``&lt;`` defusing undone. Each judge runs
``interviewer calibrate`` in a subprocess against the server, with the config folder in a
temporary directory, and its JSON report becomes one row of a Markdown table (the one in
docs/judge.md): the verdict and what failed, then the figures.

Usage: ``python benchmarks/calibrate_scripted.py [--jobs 8]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from interviewer.grading.calibration.gold import load_gold  # noqa: E402
from interviewer.grading.calibration.verdict import short  # noqa: E402
from schema_server import fill  # noqa: E402
from scripted_judges import choose, judges  # noqa: E402

KINDS = ("injection", "padding", "name-dropping", "politeness", "jargon", "wrong-claims")
RULES = judges(load_gold())


def reply(body: dict[str, Any]) -> str:
    rule = RULES[body["model"].removeprefix("scripted-")]
    schema = body["response_format"]["json_schema"]["schema"]
    return json.dumps(fill(schema, "", choose(rule), body))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without these each reply's body left in a second small packet that waited for the
    # client's delayed ACK: 40 ms a request, which made --jobs seem to scale worse.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        message = {"role": "assistant", "content": reply(body)}
        data = json.dumps(
            {
                "id": "c1",
                "object": "chat.completion",
                "created": 1,
                "model": body["model"],
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def fmt(figure: dict[str, Any]) -> str:
    value = figure["value"]
    return "n/a" if value is None else f"{value:.2f}"


def row(name: str, r: dict[str, Any]) -> str:
    k = r["kappa"]
    ci = "" if k["low"] is None else f" ({k['low']:.2f} to {k['high']:.2f})"
    verdict = r["verdict"]
    failed = "; ".join(short(c) for c in verdict["checks"] if not c["passed"])
    cells = [
        name,
        f"**{verdict['result'].upper()}**" + (f": {failed}" if failed else ""),
        fmt(k) + ci,
        fmt(r["pairwise_order"]),
        fmt(r["degenerate_floor"]),
        *(
            fmt(r["lift"][kind]["mean"])
            + ("" if r["lift"][kind]["mean"]["high"] is None else f" (≤ {r['lift'][kind]['mean']['high']:.2f})")
            for kind in KINDS
        ),
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    print("| judge | verdict | kappa (95% CI) | pairwise order | degenerate at floor | "
          + " | ".join(f"{kind} lift (upper)" for kind in KINDS) + " |")  # fmt: skip
    print("|" + "---|" * (5 + len(KINDS)))
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        env = {**os.environ, "INTERVIEWER_CONFIG": str(config), "PYTHONPATH": str(ROOT / "src")}
        for name in RULES:
            out = Path(tmp) / name
            done = subprocess.run(
                [sys.executable, "-m", "interviewer", "calibrate", "--judge-model",
                 f"scripted-{name}", "--judge-api-base", base, "--jobs", str(args.jobs),
                 "--out", str(out)],
                env=env, check=False, capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode not in (0, 1):  # 1: the verdict is fail
                sys.exit(f"{name}: calibrate exited {done.returncode}: {done.stderr[-500:]}")
            print(row(name, json.loads(next(out.glob("*.json")).read_text())))
    server.shutdown()


if __name__ == "__main__":
    main()
