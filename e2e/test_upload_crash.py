"""An upload is all or nothing: the server is killed in the middle of one, and after a restart no
half document exists; the same upload then succeeds. Uses the JSON API, no browser."""
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

from conftest import ROOT, free_port

MATTER = "GA-HR-003"  # online at identity level 1, so the demo citizen may apply


def start(binary, env, port):
    process = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except Exception:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def api(port, method, path, token=None, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Accept": "application/json", "Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def test_killed_upload_leaves_nothing_and_a_retry_succeeds(mail_dir):
    binary = os.environ.get("ZE_BINARY") or str(ROOT / ".build/debug/zeroerrand")
    data = tempfile.mkdtemp(prefix="ze-crash-")
    env = dict(os.environ, ZE_DATA_DIR=data)
    env.pop("DATABASE_URL", None)
    try:
        port = free_port()
        server = start(binary, env, port)
        demo = subprocess.run([binary, "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
        password = next(line.split()[1] for line in demo.splitlines() if "citizen@demo.zeroerrand.example" in line)
        _, session = api(port, "POST", "/api/v1/sessions", body={"email": "citizen@demo.zeroerrand.example", "password": password})
        token = session["token"]
        _, case = api(port, "POST", "/api/v1/cases", token, {"matter": MATTER, "details": "Verify my certificate."})

        content = b"%PDF-1.7\n" + os.urandom(6 * 1024 * 1024) + b"\n%%EOF\n"
        path = f"/api/v1/cases/{case['id']}/documents?material=0"
        head = (f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/octet-stream\r\nX-File-Name: big.pdf\r\nContent-Length: {len(content)}\r\n\r\n").encode()
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(head + content[: 2 * 1024 * 1024])
        time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait()
        connection.close()

        server = start(binary, env, port)
        _, session = api(port, "POST", "/api/v1/sessions", body={"email": "citizen@demo.zeroerrand.example", "password": password})
        token = session["token"]
        _, after = api(port, "GET", f"/api/v1/cases/{case['id']}", token)
        assert after["documents"] == [], "no half document after the crash"
        documents = os.path.join(data, "documents")
        leftovers = [name for root, _, names in os.walk(documents) for name in names]
        assert leftovers == [], f"nothing left on disk: {leftovers}"

        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="PUT", data=content,
                                         headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                                                  "Content-Type": "application/octet-stream", "X-File-Name": "big.pdf"})
        with urllib.request.urlopen(request, timeout=60) as response:
            stored = json.loads(response.read())
            assert response.status == 201
        assert stored["sha256"] == hashlib.sha256(content).hexdigest()
        server.terminate()
        server.wait()
    finally:
        shutil.rmtree(data, ignore_errors=True)
