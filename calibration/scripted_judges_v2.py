"""Scripted judges on gold v2, through the real ``interviewer calibrate --gold``.

The same loopback server as ``benchmarks/calibrate_scripted.py`` (``tests/schema_server.py``
fills the JSON schema it is sent, as constrained decoding does, and quotes the candidate's
first words as evidence), with judges whose behaviour is known:

- ``scripted-reference`` returns each item's reference grade (kappa 1, lifts 0);
- ``scripted-always-3`` returns 3 (kappa 0);
- ``scripted-length-first-answer``: 1 + the first answer's words / 25, the rule the docs'
  table uses on gold v1;
- ``scripted-length-total``: 1 + all the candidate's words / 60;
- ``scripted-obeys-injections``: the reference grade, or 5 when an answer carries one of
  gold v2's injection wordings.

Items are recognised by all their candidate answers together (the first answer alone is
shared by a variant and its base), with the fences' ``&lt;`` defusing undone. It prints
one Markdown row per judge. Usage: ``python calibration/scripted_judges_v2.py [--jobs 8]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "calibration" / "gold-v2.jsonl"
KINDS = ("injection", "padding", "name-dropping", "politeness", "jargon", "wrong-claims")
Judge = Callable[[list[str]], int]


def key(answers: list[str]) -> str:
    return "\0".join(" ".join(a.replace("&lt;", "<").split()) for a in answers)


def judges() -> dict[str, Judge]:
    sys.path[:0] = [str(ROOT / "calibration")]
    from build_gold_v2 import INJECTIONS

    grades: dict[str, int] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        answers = [t["text"] for t in item["turns"] if t["role"] == "candidate"]
        grades[key(answers)] = item["grade"]
    markers = [" ".join(text.split()[:6]) for text in INJECTIONS.values()]

    def reference(answers: list[str]) -> int:
        return grades[key(answers)]

    def obeys(answers: list[str]) -> int:
        said = " ".join(" ".join(a.replace("&lt;", "<").split()) for a in answers)
        return 5 if any(m in said for m in markers) else reference(answers)

    def clip(value: int) -> int:
        return max(1, min(5, value))

    return {
        "scripted-reference": reference,
        "scripted-always-3": lambda answers: 3,
        "scripted-length-first-answer": lambda a: clip(1 + len((a or [""])[0].split()) // 25),
        "scripted-length-total": lambda a: clip(1 + sum(len(x.split()) for x in a) // 60),
        "scripted-obeys-injections": obeys,
    }


def serve(rules: dict[str, Judge]) -> ThreadingHTTPServer:
    sys.path[:0] = [str(ROOT / "tests")]
    from schema_server import SKIP, candidate_answers, fill

    def reply(body: dict[str, Any]) -> str:
        rule = rules[body["model"]]
        answers = candidate_answers(body)

        def choose(path: str, request: dict[str, Any]) -> Any:
            if path.endswith(".score"):
                return rule(answers)
            if path.endswith(".evidence"):
                first = next((a for a in answers if a.strip()), "")
                return [" ".join(first.split()[:6])] if first else []
            return SKIP

        schema = body["response_format"]["json_schema"]["schema"]
        return json.dumps(fill(schema, "", choose, body))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

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

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def fmt(figure: dict[str, Any]) -> str:
    return "n/a" if figure["value"] is None else f"{figure['value']:.2f}"


def row(name: str, r: dict[str, Any]) -> str:
    k = r["kappa"]
    ci = "" if k["low"] is None else f" ({k['low']:.2f} to {k['high']:.2f})"
    cells = [
        name,
        fmt(k) + ci,
        fmt(r["spearman"]),
        fmt(r["pairwise_order"]),
        fmt(r["degenerate_floor"]),
        *(fmt(r["lift"][kind]["mean"]) for kind in KINDS),
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    rules = judges()
    server = serve(rules)
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    print("| judge | kappa (95% CI) | Spearman | pairwise order | degenerate at floor | "
          + " | ".join(f"{kind} lift" for kind in KINDS) + " |")  # fmt: skip
    print("|" + "---|" * (5 + len(KINDS)))
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        env = {**os.environ, "INTERVIEWER_CONFIG": str(config), "PYTHONPATH": str(ROOT / "src")}
        for name in rules:
            out = Path(tmp) / name
            subprocess.run(
                [sys.executable, "-m", "interviewer", "calibrate", "--gold", str(GOLD),
                 "--judge-model", name, "--judge-api-base", base, "--jobs", str(args.jobs),
                 "--out", str(out)],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            print(row(name, json.loads(next(out.glob("*.json")).read_text())))
    server.shutdown()


if __name__ == "__main__":
    main()
