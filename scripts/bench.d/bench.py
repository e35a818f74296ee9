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
  bench.py video-seed DIALECT CASE DEPARTMENT HOST CITIZEN ROOMS ROOMS_OUT
                                         prints SQL for ROOMS booked video sessions of CASE with the
                                         citizen invited, and writes their ids to ROOMS_OUT
  bench.py idle-sockets HOST PORT COOKIE ROOMS_FILE COUNT SERVER_PID OUT
                                         opens COUNT room sockets (six per room, each welcomed),
                                         keeps them idle (answering pings) and writes the server's
                                         resident memory before and with them to OUT
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
QUEUE_PAGE_SQL = ("SELECT c.id, c.number, c.matter_id, c.status, c.due_on, a.display_name FROM cases c "
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
            # No `Expect: 100-continue` (a browser sends none; curl would wait a second for an answer
            # to it that Vapor does not give).
            "curl", "-sSf", "-H", "Expect:", "-T", path, "-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}", "-H", "X-File-Name: bench.pdf",
            "-H", "Content-Type: application/octet-stream", "-H", "Accept: application/json",
            f"{base}/cases/{case}/documents?purpose=material&material=0"]))
        assert stored["size"] == DOCUMENT_BYTES, stored
        clock("download", ["curl", "-sSf", "-o", "/dev/null", "-H", f"Cookie: {cookie}", f"{base}/cases/{case}/documents/{stored['id']}"])
    os.remove(path)
    os.rmdir(work)
    json.dump({"bytes": DOCUMENT_BYTES, "rounds": len(case_ids), **{k: statistics.median(v) for k, v in timed.items()}},
              open(out, "w"), indent=2)


def video_seed(dialect, case_id, department_id, host_id, citizen_id, rooms, rooms_out):
    """Booked sessions written the way the app writes them (upper-case UUID text and REAL seconds on
    SQLite); the room's limit is six people, so 5,000 sockets need 834 rooms."""
    now = time.time()
    stamp = (lambda t: repr(t)) if dialect == "sqlite" else (lambda t: f"to_timestamp({t})")
    new_id = (lambda: str(uuid.uuid4()).upper()) if dialect == "sqlite" else (lambda: str(uuid.uuid4()))
    ids = [new_id() for _ in range(rooms)]
    print("BEGIN;")
    for sid in ids:
        print(f"INSERT INTO video_sessions (id, case_id, department_id, host_id, purpose, starts_at, ends_at, status, sequence, "
              f"booked_by, created_at) VALUES ('{sid}', '{case_id}', '{department_id}', '{host_id}', 'identity', {stamp(now)}, "
              f"{stamp(now + 1800)}, 'booked', 1, '{citizen_id}', {stamp(now)});")
        print(f"INSERT INTO video_participants (id, session_id, account_id, role) VALUES ('{new_id()}', '{sid}', '{citizen_id}', 'applicant');")
    print("COMMIT;")
    with open(rooms_out, "w") as f:
        f.write("\n".join(ids) + "\n")


class RoomSocket:
    """One signalling socket, opened with a hand-written upgrade; answers the server's pings."""

    def __init__(self, host, port, cookie, room):
        import base64
        import socket
        self.sock = socket.create_connection((host, port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        peer = uuid.uuid4().hex
        self.sock.sendall((f"GET /video/{room}/signal?peer={peer} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Cookie: {cookie}\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            piece = self.sock.recv(4096)
            if not piece:
                raise RuntimeError(f"room {room}: closed during the upgrade")
            self.buffer += piece
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"room {room}: {head.splitlines()[0].decode()}")
        self.texts, self.closed, self.opened, self.pongs, self.last_pong = [], None, time.time(), 0, None
        # The welcome may have come with the upgrade's answer.
        self.sock.settimeout(30)
        welcomed = lambda: any(b'"type":"welcome"' in text for text in self.texts)
        alive = self.frames()
        while alive and not welcomed():
            alive = self.read(block=True)
        if not welcomed():
            raise RuntimeError(f"room {room}: closed before the welcome: {self.closed}")

    def read(self, block=False):
        """Reads what has arrived; keeps text frames, answers pings. False once the server closed."""
        if not block:
            self.sock.setblocking(False)
        try:
            piece = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return True
        if not piece:
            self.closed = ("end of stream", "", [text.decode(errors="replace")[:80] for text in self.texts[-3:]])
            return False
        self.buffer += piece
        return self.frames()

    def frames(self):
        """Takes the whole frames in the buffer; False once a close frame came."""
        while len(self.buffer) >= 2:
            opcode, length, start = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if length == 126:
                length, start = int.from_bytes(self.buffer[2:4], "big"), 4
            elif length == 127:
                length, start = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < start + length:
                break
            payload, self.buffer = self.buffer[start:start + length], self.buffer[start + length:]
            if opcode == 0x1:
                self.texts.append(payload)
            elif opcode == 0x8:
                self.closed = (int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None, payload[2:].decode(errors="replace"),
                               [text.decode(errors="replace")[:80] for text in self.texts[-3:]])
                return False
            elif opcode == 0x9:  # ping: a pong with the same payload, masked as a client must
                mask = os.urandom(4)
                self.sock.settimeout(30)
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                self.pongs += 1
                self.last_pong = time.time()
        return True


def resident(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def idle_sockets(host, port, cookie, rooms_file, count, pid, out):
    """The server's resident memory with `count` idle signalling sockets open, against the same
    server a moment before; every socket is checked to have been welcomed into its room."""
    import selectors
    rooms = open(rooms_file).read().split()
    # Warm-up in a room of its own (a dropped socket keeps its place there for a while): the first
    # sockets make the server's one-time allocations (pools, the hub's tables).
    warm_room = rooms.pop()
    warm = [RoomSocket(host, port, cookie, warm_room) for _ in range(6)]
    for s in warm:
        s.sock.close()
    time.sleep(3)
    before = resident(pid)
    selector = selectors.DefaultSelector()
    lock, stop, failures = threading.Lock(), threading.Event(), []

    def pump():
        """Answers pings on every open socket as they come, while the main thread opens more."""
        while not stop.is_set():
            with lock:
                ready = selector.select(0)
                for key, _ in ready:
                    s = key.data
                    if not s.read():
                        selector.unregister(s.sock)
                        failures.append(f"{time.time() - s.opened:.0f} s after it opened, {s.pongs} pings answered, the last "
                                        f"{time.time() - (s.last_pong or s.opened):.0f} s before: {s.closed}")
            time.sleep(0.05)

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    sockets, started = [], time.time()
    for index in range(count):
        s = RoomSocket(host, port, cookie, rooms[index // 6])
        sockets.append(s)
        with lock:
            selector.register(s.sock, selectors.EVENT_READ, s)
    opened = time.time() - started
    time.sleep(float(os.environ.get("BENCH_IDLE_SECONDS", "10")))
    stop.set()
    pumping.join()
    if failures:
        raise RuntimeError(f"the server closed {len(failures)} idle sockets; the first {failures[0]}")
    with_sockets = resident(pid)
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    for s in sockets:
        s.sock.close()
    json.dump({"sockets": count, "rooms": len(rooms), "open_seconds": opened, "rss_before": before,
               "rss_with_sockets": with_sockets, "per_socket": (with_sockets - before) / count, "server_fds": fds},
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

    def say(sentence):
        """A finding after the table: printed, and a paragraph of the markdown."""
        print("\n" + sentence)
        md.extend(["", sentence + "."])

    floor_path = os.path.join(directory, "queue_sql.json")
    if os.path.exists(floor_path) and "queue" in results:
        floor = json.load(open(floor_path))["rps"]
        say(f"(b) against its own rows and count in hand-written SQL ({floor:.1f} pages/s straight from the "
            f"database, same connections): {ratio(results['queue']['rps'] / floor)}")
    documents_path = os.path.join(directory, "documents.json")
    if os.path.exists(documents_path):
        d = json.load(open(documents_path))
        mb = d["bytes"] / 1e6
        say(f"Documents, {d['bytes'] >> 20} MiB, median of {d['rounds']}: `sha256sum` {d['sha256sum'] * 1000:.0f} ms "
            f"({mb / d['sha256sum']:.0f} MB/s); upload {d['upload'] * 1000:.0f} ms ({mb / d['upload']:.0f} MB/s, "
            f"{ratio(d['sha256sum'] / d['upload'])} of sha256sum); download {d['download'] * 1000:.0f} ms "
            f"({mb / d['download']:.0f} MB/s, {ratio(d['sha256sum'] / d['download'])} of sha256sum)")
    sockets_path = os.path.join(directory, "sockets.json")
    if os.path.exists(sockets_path):
        k = json.load(open(sockets_path))
        say(f"Idle video signalling sockets: {k['sockets']:,} in {k['rooms']} rooms, every one welcomed, opened in "
            f"{k['open_seconds']:.0f} s; the server's resident memory {k['rss_before'] / 2**20:.0f} MiB before, "
            f"{k['rss_with_sockets'] / 2**20:.0f} MiB with them: {k['per_socket'] / 1024:.1f} KiB per socket")
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
    elif command == "video-seed":
        video_seed(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]), sys.argv[8])
    elif command == "idle-sockets":
        idle_sockets(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), sys.argv[8])
    elif command == "report":
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
