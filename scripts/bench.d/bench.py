#!/usr/bin/env python3
"""Helpers for scripts/bench: session rows the app accepts, and the results table.

  bench.py session KEY_BASE64            prints "TOKEN TOKEN_HASH SESSION_ID" for a new session
  bench.py csrf                          prints a token the CSRF middleware accepts (43 of [A-Za-z0-9_-])
  bench.py report RESULTS_DIR            prints the table and writes RESULTS_DIR/results.md
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import uuid


def session(key_base64):
    key = base64.b64decode(key_base64)
    token = secrets.token_urlsafe(32)
    # Secrets.tokenHash: base64(HMAC-SHA256(key, "token:" + token)).
    digest = hmac.new(key, b"token:" + token.encode(), hashlib.sha256).digest()
    print(token, base64.b64encode(digest).decode(), str(uuid.uuid4()).upper())


SCENARIOS = [
    ("ping", "bare route", "GET /ping"),
    ("case", "(a) citizen's case-status read", "GET /cases/:id"),
    ("queue", "(b) department queue, first page", "GET /office/queue?status=submitted"),
    ("apply", "(c) case submission", "POST /matters/:code/apply"),
    ("ping_after", "bare route, again at the end", "GET /ping"),
]


def ms(us):
    return f"{us / 1000:.2f} ms"


def report(directory):
    meta = json.load(open(os.path.join(directory, "meta.json")))
    results = {}
    for name, _, _ in SCENARIOS:
        path = os.path.join(directory, name + ".json")
        if os.path.exists(path):
            results[name] = json.load(open(path))
    ping = results["ping"]
    queries = {}
    if os.path.exists(os.path.join(directory, "queries.json")):
        queries = json.load(open(os.path.join(directory, "queries.json")))

    header = ("scenario", "request", "req/s", "p99", "req/s ÷ ping", "p99 ÷ ping", "queries")
    rows = []
    for name, title, request in SCENARIOS:
        if name not in results:
            continue
        r = results[name]
        rows.append((title, request, f"{r['rps']:.1f}", ms(r["p99_us"]),
                     f"{r['rps'] / ping['rps']:.3f}", f"{r['p99_us'] / ping['p99_us']:.1f}×",
                     str(queries.get(name, "")) if name in queries else "–"))

    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: "  ".join(str(cell).ljust(widths[i]) if i < 2 else str(cell).rjust(widths[i]) for i, cell in enumerate(row))
    text = [line(header), line(["-" * w for w in widths])] + [line(row) for row in rows]
    print("\n".join(text))

    md = []
    md.append(f"- Date (UTC): {meta['date']}")
    md.append(f"- Machine: {meta['machine']}")
    md.append(f"- Database: {meta['database']}")
    md.append(f"- Data: {meta['data']}")
    md.append(f"- Seeding took {meta['seed_seconds']} s; the whole run took {meta.get('total_seconds', '?')} s")
    md.append(f"- Load: {meta['load']}")
    md.append("")
    md.append("| scenario | request | req/s | p50 | p99 | req/s ÷ ping | p99 ÷ ping | queries per request |")
    md.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, title, request in SCENARIOS:
        if name not in results:
            continue
        r = results[name]
        md.append(f"| {title} | `{request}` | {r['rps']:.1f} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | "
                  f"{r['rps'] / ping['rps']:.3f} | {r['p99_us'] / ping['p99_us']:.1f}× | {queries.get(name, '–')} |")
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "session":
        session(sys.argv[2])
    elif command == "csrf":
        print(secrets.token_urlsafe(32))
    elif command == "report":
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
