"""A 200 MiB document goes in and comes out with the server's memory flat: the upload is encrypted
as it arrives and the download decrypted as it is sent, one piece at a time, the reading held back
by a slow client. A byte range from the middle of the file is read without the rest. The server's
peak memory is read from /proc, its high-water mark reset before each transfer. No browser; a
server of its own, whose upload limit lets a 200 MiB file in."""
import hashlib
import http.cookiejar
import json
import os
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request

from conftest import demo_passwords, start_server, stop_server

SIZE = 200 * 1024 * 1024
# Far below the file's size: a copy of the file in memory, whole or in any large part, fails this.
HEADROOM = 64 * 1024 * 1024
MATTER = "GA-HR-003"  # online at identity level 1, so the demo citizen may apply
CITIZEN = "citizen@demo.zeroerrand.example"


def memory(pid, field):
    """VmHWM (peak) or VmRSS (now) of a process, in bytes."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


class Peak:
    """The growth of a process's resident memory over a block: the peak during it, less where it began.
    Writing 5 to clear_refs resets the peak to the present (Linux 4.0 on); where that is refused,
    the peak since start-up is compared instead, which can only overstate the growth."""

    def __init__(self, pid):
        self.pid = pid

    def __enter__(self):
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as control:
                control.write("5")
        except OSError:
            pass
        self.start = memory(self.pid, "VmRSS")
        return self

    def __exit__(self, *_):
        self.growth = memory(self.pid, "VmHWM") - self.start


def api(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Accept": "application/json", "Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def web_session(base, email, password):
    """Signs in through the sign-in form, as a browser does; answers the cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/sign-in", timeout=30).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "ze_csrf")
    form = urllib.parse.urlencode({"email": email, "password": password, "_csrf": csrf}).encode()
    opener.open(urllib.request.Request(base + "/sign-in", data=form, method="POST"), timeout=30).read()
    assert any(cookie.name == "ze_session" for cookie in jar), "signed in"
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def curl_hash(args):
    """Runs curl with the body on its standard output; answers (status, sha256, bytes) of the body."""
    process = subprocess.Popen(["curl", "-sS", "-o", "-", "-w", "%{stderr}%{http_code}"] + args,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    hasher, count = hashlib.sha256(), 0
    while piece := process.stdout.read(1 << 20):
        hasher.update(piece)
        count += len(piece)
    status = int(process.stderr.read().decode().strip()[-3:])
    assert process.wait() == 0
    return status, hasher.hexdigest(), count


def test_a_200_mib_document_in_and_out_with_flat_memory(mail_dir):
    work = tempfile.mkdtemp(prefix="ze-large-")
    server = start_server({"ZE_UPLOAD_LIMIT_MB": "256", "ZE_CASE_QUOTA_MB": "256"})
    try:
        pid = server["process"].pid
        base = server["url"]
        password = demo_passwords(server)[CITIZEN]
        token = api(base, "POST", "/api/v1/sessions", body={"email": CITIZEN, "password": password})["token"]
        case = api(base, "POST", "/api/v1/cases", token, {"matter": MATTER, "details": "A long scan of my records."})

        path = os.path.join(work, "big.pdf")
        whole = hashlib.sha256()
        with open(path, "wb") as out:
            block = b"%PDF-1.7\n"
            while out.tell() + len(block) <= SIZE:
                out.write(block)
                whole.update(block)
                block = os.urandom(1 << 20)
            tail = os.urandom(SIZE - out.tell())
            out.write(tail)
            whole.update(tail)

        with Peak(pid) as upload:
            sent = subprocess.run(["curl", "-sS", "-T", path, "-H", f"Authorization: Bearer {token}", "-H", "Accept: application/json",
                                   "-H", "Content-Type: application/octet-stream", "-H", "X-File-Name: big.pdf",
                                   f"{base}/api/v1/cases/{case['id']}/documents?material=0"],
                                  capture_output=True, check=True)
        stored = json.loads(sent.stdout)
        assert stored["sha256"] == whole.hexdigest() and stored["size"] == SIZE, stored
        assert upload.growth < HEADROOM, f"upload grew the server by {upload.growth >> 20} MiB"

        cookie = web_session(base, CITIZEN, password)
        document = f"{base}/cases/{case['id']}/documents/{stored['id']}"
        # 40 MB/s: slower than the server decrypts, so only back-pressure keeps the file out of memory.
        with Peak(pid) as download:
            status, digest, count = curl_hash(["--limit-rate", "40M", "-H", f"Cookie: {cookie}", document])
        assert (status, count, digest) == (200, SIZE, whole.hexdigest())
        assert download.growth < HEADROOM, f"download grew the server by {download.growth >> 20} MiB"

        start = 123_456_789
        status, digest, count = curl_hash(["-r", f"{start}-{start + 99_999}", "-H", f"Cookie: {cookie}", document])
        with open(path, "rb") as source:
            source.seek(start)
            expected = hashlib.sha256(source.read(100_000)).hexdigest()
        assert (status, count, digest) == (206, 100_000, expected)
    finally:
        stop_server(server)
        shutil.rmtree(server["data"], ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
