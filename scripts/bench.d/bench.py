#!/usr/bin/env python3
"""Helpers for scripts/bench: session rows the app accepts, and the results table.

  bench.py session KEY_BASE64            prints "TOKEN TOKEN_HASH SESSION_ID" for a new session
  bench.py csrf                          prints a token the CSRF middleware accepts (43 of [A-Za-z0-9_-])
  bench.py measure SERVER_PID OUT -- COMMAND...
                                         runs COMMAND (wrk) and writes to OUT the CPU-seconds used
                                         meanwhile by the server, by COMMAND, and by everything else
                                         on the machine (the machine is shared: that last figure says
                                         how much the run was disturbed)
  bench.py sqlite-queue DB DEPARTMENT SECONDS THREADS OUT
                                         runs the queue page's count and rows, written by hand, on
                                         THREADS connections for SECONDS and writes the pages per
                                         second to OUT (the page's floor on SQLite)
  bench.py queue-sql DEPARTMENT          prints the same two statements for pgbench
  bench.py documents BASE COOKIE CSRF CASE_IDS OUT
                                         uploads a 20 MiB file into each draft case in CASE_IDS
                                         (comma-separated) and downloads it again, each time beside
                                         `sha256sum` of the same file, and writes the median seconds
                                         of each to OUT
  bench.py report RESULTS_DIR            prints the table and writes RESULTS_DIR/results.md
"""
import base64
import hashlib
import hmac
import json
import os
import resource
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
import uuid


def session(key_base64):
    key = base64.b64decode(key_base64)
    token = secrets.token_urlsafe(32)
    # Secrets.tokenHash: base64(HMAC-SHA256(key, "token:" + token)).
    digest = hmac.new(key, b"token:" + token.encode(), hashlib.sha256).digest()
    print(token, base64.b64encode(digest).decode(), str(uuid.uuid4()).upper())


def busy_seconds():
    """CPU-seconds the whole machine has spent busy since boot (all cores)."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_seconds():
    """CPU-seconds of the PostgreSQL processes on this machine (a local database is part of what is measured)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if open(f"/proc/{entry}/comm").read().strip() == "postgres":
                    total += process_seconds(entry)
            except OSError:
                pass
    return total


def measure(pid, out, command):
    start_postgres = postgres_seconds()
    start_wall, start_busy, start_server = time.time(), busy_seconds(), process_seconds(pid)
    start_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = subprocess.call(command)
    end_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, busy, server = time.time() - start_wall, busy_seconds() - start_busy, process_seconds(pid) - start_server
    postgres = postgres_seconds() - start_postgres
    client = (end_children.ru_utime - start_children.ru_utime) + (end_children.ru_stime - start_children.ru_stime)
    json.dump({"wall": round(wall, 2), "cores": os.cpu_count(), "server_cpu": round(server, 2),
               "client_cpu": round(client, 2), "postgres_cpu": round(postgres, 2),
               "other_cpu": round(max(0.0, busy - server - client - postgres), 2)},
              open(out, "w"))
    sys.exit(code)


# The queue's first page (status "submitted") as the app asks for it: its count and its 50 rows.
QUEUE_COUNT_SQL = ("SELECT COUNT(*) FROM cases WHERE department_id = {d} AND submitted_at IS NOT NULL "
                   "AND status = 'submitted'")
QUEUE_PAGE_SQL = ("SELECT c.id, c.number, c.matter_id, c.status, c.updated_at, c.due_on, a.display_name FROM cases c "
                  "LEFT JOIN accounts a ON a.id = c.assignee_id WHERE c.department_id = {d} AND c.submitted_at IS NOT NULL "
                  "AND c.status = 'submitted' ORDER BY COALESCE(c.due_on, '9999-12-31'), c.submitted_at LIMIT 50")


def sqlite_queue(db, department, seconds, threads, out):
    deadline = time.time() + seconds
    counts = [0] * threads

    def run(index):
        connection = sqlite3.connect(db, check_same_thread=False)
        while time.time() < deadline:
            connection.execute(QUEUE_COUNT_SQL.format(d="?"), (department,)).fetchall()
            rows = connection.execute(QUEUE_PAGE_SQL.format(d="?"), (department,)).fetchall()
            assert rows, "the hand-written queue query found no rows"
            counts[index] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    started = time.time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    json.dump({"rps": sum(counts) / (time.time() - started)}, open(out, "w"))


SCENARIOS = [
    ("ping", "bare route", "GET /ping"),
    ("case", "(a) citizen's case-status read", "GET /cases/:id"),
    ("queue", "(b) department queue, first page", "GET /office/queue?status=submitted"),
    ("apply", "(c) case submission", "POST /matters/:code/apply"),
    ("ping_after", "bare route, again at the end", "GET /ping"),
]


DOCUMENT_BYTES = 20 * 1024 * 1024


def documents(base, cookie, csrf, case_ids, out):
    """Upload and download of one 20 MiB file through the app (streamed, encrypted, fsynced), each
    beside `sha256sum` reading the same file from the page cache: the ratio says how close the app
    comes to merely reading and hashing the bytes once."""
    import statistics
    import tempfile
    work = tempfile.mkdtemp(prefix="ze-bench-doc-")
    path = os.path.join(work, "bench.pdf")
    with open(path, "wb") as f:
        f.write(b"%PDF-1.7\n" + os.urandom(DOCUMENT_BYTES - 9))
    timed = {"sha256sum": [], "upload": [], "download": []}

    def clock(name, command):
        started = time.perf_counter()
        result = subprocess.run(command, check=True, capture_output=True)
        timed[name].append(time.perf_counter() - started)
        return result.stdout

    for case in case_ids:
        clock("sha256sum", ["sha256sum", path])
        stored = json.loads(clock("upload", [
            "curl", "-sSf", "-T", path, "-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}", "-H", "X-File-Name: bench.pdf",
            "-H", "Content-Type: application/octet-stream", "-H", "Accept: application/json",
            f"{base}/cases/{case}/documents?purpose=material&material=0"]))
        assert stored["size"] == DOCUMENT_BYTES, stored
        clock("download", ["curl", "-sSf", "-o", "/dev/null", "-H", f"Cookie: {cookie}", f"{base}/cases/{case}/documents/{stored['id']}"])
    os.remove(path)
    os.rmdir(work)
    json.dump({"bytes": DOCUMENT_BYTES, "rounds": len(case_ids), **{k: statistics.median(v) for k, v in timed.items()}},
              open(out, "w"), indent=2)


def ms(us):
    return f"{us / 1000:.2f} ms"


def ratio(x):
    return f"{x:.3f}" if x >= 0.01 else f"{x:.2g}"


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

    cpu = {}
    for name in results:
        path = os.path.join(directory, name + ".cpu.json")
        if os.path.exists(path):
            cpu[name] = json.load(open(path))
    cores = lambda name, key: f"{cpu[name].get(key, 0) / cpu[name]['wall']:.2f}" if name in cpu else "?"

    header = ("scenario", "request", "req/s", "p99", "req/s ÷ ping", "p99 ÷ ping", "queries", "server cores", "pg cores", "other cores")
    rows = []
    for name, title, request in SCENARIOS:
        if name not in results:
            continue
        r = results[name]
        rows.append((title, request, f"{r['rps']:.1f}", ms(r["p99_us"]),
                     ratio(r['rps'] / ping['rps']), f"{r['p99_us'] / ping['p99_us']:.1f}×",
                     str(queries.get(name, "–")), cores(name, "server_cpu"), cores(name, "postgres_cpu"), cores(name, "other_cpu")))

    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: "  ".join(str(cell).ljust(widths[i]) if i < 2 else str(cell).rjust(widths[i]) for i, cell in enumerate(row))
    text = [line(header), line(["-" * w for w in widths])] + [line(row) for row in rows]
    print("\n".join(text))
    disturbed = [f"{name} ({cpu[name]['other_cpu'] / cpu[name]['wall']:.2f} cores)" for name in cpu
                 if cpu[name]["other_cpu"] / cpu[name]["wall"] > 0.25]
    if disturbed:
        print("\nWARNING: other processes on the machine used CPU during " + ", ".join(disturbed) +
              "; those figures are lower than on a quiet machine.")

    md = []
    md.append(f"- Date (UTC): {meta['date']}")
    md.append(f"- Machine: {meta['machine']}")
    md.append(f"- Database: {meta['database']}")
    md.append(f"- Data: {meta['data']}")
    md.append(f"- Seeding took {meta['seed_seconds']} s; the whole run took {meta.get('total_seconds', '?')} s")
    md.append(f"- Load: {meta['load']}")
    md.append("")
    md.append("| scenario | request | req/s | p50 | p99 | req/s ÷ ping | p99 ÷ ping | queries per request | server cores | PostgreSQL cores | other processes' cores |")
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, title, request in SCENARIOS:
        if name not in results:
            continue
        r = results[name]
        md.append(f"| {title} | `{request}` | {r['rps']:.1f} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | "
                  f"{ratio(r['rps'] / ping['rps'])} | {r['p99_us'] / ping['p99_us']:.1f}× | {queries.get(name, '–')} | "
                  f"{cores(name, 'server_cpu')} | {cores(name, 'postgres_cpu')} | {cores(name, 'other_cpu')} |")
    floor_path = os.path.join(directory, "queue_sql.json")
    if os.path.exists(floor_path) and "queue" in results:
        floor = json.load(open(floor_path))["rps"]
        sentence = (f"(b) against its own rows and count in hand-written SQL ({floor:.1f} pages/s straight from the "
                    f"database, same connections): {ratio(results['queue']['rps'] / floor)}")
        print("\n" + sentence)
        md.append("")
        md.append(sentence + ".")
    documents_path = os.path.join(directory, "documents.json")
    if os.path.exists(documents_path):
        d = json.load(open(documents_path))
        mb = d["bytes"] / 1e6
        sentence = (f"Documents, {d['bytes'] >> 20} MiB, median of {d['rounds']}: `sha256sum` {d['sha256sum'] * 1000:.0f} ms "
                    f"({mb / d['sha256sum']:.0f} MB/s); upload {d['upload'] * 1000:.0f} ms ({mb / d['upload']:.0f} MB/s, "
                    f"{ratio(d['sha256sum'] / d['upload'])} of sha256sum); download {d['download'] * 1000:.0f} ms "
                    f"({mb / d['download']:.0f} MB/s, {ratio(d['sha256sum'] / d['download'])} of sha256sum)")
        print("\n" + sentence)
        md.append("")
        md.append(sentence + ".")
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "session":
        session(sys.argv[2])
    elif command == "csrf":
        print(secrets.token_urlsafe(32))
    elif command == "measure":
        measure(int(sys.argv[2]), sys.argv[3], sys.argv[5:])
    elif command == "queue-sql":
        department = "'" + sys.argv[2].replace("'", "''") + "'"
        print(QUEUE_COUNT_SQL.format(d=department) + ";")
        print(QUEUE_PAGE_SQL.format(d=department) + ";")
    elif command == "sqlite-queue":
        sqlite_queue(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif command == "documents":
        documents(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5].split(","), sys.argv[6])
    elif command == "report":
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
