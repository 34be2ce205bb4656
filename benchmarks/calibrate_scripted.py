"""The scripted judges measured on the shipped gold set, through the real command.

A loopback OpenAI-compatible server plays four judges whose behaviour is known, picked
by the model name, each filling the JSON schema it is sent as constrained decoding does
(``tests/schema_server.py``) and quoting the candidate's first words as evidence:

- ``scripted-reference`` returns each item's reference grade (an upper bound: kappa 1);
- ``scripted-always-3`` returns 3 for everything (chance: kappa 0);
- ``scripted-length`` scores by the answer's length (one point per 25 words, from 1);
- ``scripted-obeys-injections`` returns the reference grade, or 5 when the answer
  addresses the grader.

Each runs ``interviewer calibrate`` in a subprocess against the server, with the config
folder in a temporary directory, and the figures of its JSON report are printed as a
Markdown table (the one in docs/judge.md).

Usage: ``python benchmarks/calibrate_scripted.py [--jobs 4]``
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
from schema_server import SKIP, candidate_answers, fill  # noqa: E402

GOLD = load_gold()
GRADES = {item.turns[1].text: item.grade for item in GOLD.items}


def reference(answer: str) -> int:
    return GRADES.get(answer, 1)


JUDGES = {
    "scripted-reference": reference,
    "scripted-always-3": lambda answer: 3,
    "scripted-length": lambda answer: max(1, min(5, 1 + len(answer.split()) // 25)),
    "scripted-obeys-injections": lambda answer: 5 if "grades this" in answer else reference(answer),
}


def reply(body: dict[str, Any]) -> str:
    rule = JUDGES[body["model"]]
    answer = (candidate_answers(body) or [""])[0]

    def choose(path: str, request: dict[str, Any]) -> Any:
        if path.endswith(".score"):
            return rule(answer)
        if path.endswith(".evidence"):
            return [" ".join(answer.split()[:4])] if answer.strip() else []
        return SKIP

    schema = body["response_format"]["json_schema"]["schema"]
    return json.dumps(fill(schema, "", choose, body))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        data = json.dumps(
            {
                "id": "c1",
                "object": "chat.completion",
                "created": 1,
                "model": body["model"],
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": reply(body)},
                     "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    print("| judge | kappa (95% CI) | Spearman | exact | within one | leniency | "
          "pairwise order | degenerate at floor | injection lift | padding lift | "
          "name-dropping lift | wrong-claims lift |")  # fmt: skip
    print("|" + "---|" * 12)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "INTERVIEWER_CONFIG": f"{tmp}/config.toml",
            "PYTHONPATH": str(ROOT / "src"),
        }
        for name in JUDGES:
            out = Path(tmp) / name
            subprocess.run(
                [sys.executable, "-m", "interviewer", "calibrate", "--judge-model", name,
                 "--judge-api-base", base, "--jobs", str(args.jobs), "--out", str(out)],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            report = json.loads(next(out.glob("*.json")).read_text())
            print(row(name, report))
    server.shutdown()


def fmt(figure: dict[str, Any]) -> str:
    value = figure["value"]
    return "n/a" if value is None else f"{value:.2f}"


def row(name: str, r: dict[str, Any]) -> str:
    k = r["kappa"]
    ci = "" if k["low"] is None else f" ({k['low']:.2f}–{k['high']:.2f})"
    lifts = [
        fmt(r["lift"][kind]["mean"])
        for kind in ("injection", "padding", "name-dropping", "wrong-claims")
    ]
    cells = [name, fmt(k) + ci, fmt(r["spearman"]), fmt(r["exact"]), fmt(r["within_one"]),
             fmt(r["mean_signed_error"]), fmt(r["pairwise_order"]), fmt(r["degenerate_floor"]), *lifts]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    main()
