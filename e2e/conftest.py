"""Fixtures for the browser tests: the real app binary on a fresh SQLite database, sending mail
to the SMTP sink that scripts/test started, and headless Chromium driven by Selenium."""
import base64
import email
import email.policy
import hashlib
import hmac
import itertools
import os
import pathlib
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def mail_dir():
    path = os.environ.get("ZE_TEST_MAIL_DIR")
    if not path:
        pytest.skip("scripts/test starts the SMTP sink and sets ZE_TEST_MAIL_DIR")
    return pathlib.Path(path)


@pytest.fixture(scope="session")
def server(server_data):
    return server_data["url"]


def start_server(extra_env=None, data=None):
    """Starts the app binary on a free port; answers what a test needs to reach it and stop it."""
    binary = os.environ.get("ZE_BINARY") or str(ROOT / ".build/debug/zeroerrand")
    data = data or tempfile.mkdtemp(prefix="ze-e2e-")
    port = free_port()
    # "Identity confirmed" needs both in the room together from the appointment's start; a few
    # seconds are enough to show that rule at work in a browser.
    # Each browser is a person on a network of their own (see make_driver): the server trusts
    # loopback as its proxy, so per-client limits (ten mails an hour, say) count each person, not
    # the whole suite sharing 127.0.0.1.
    env = dict(os.environ, ZE_DATA_DIR=data, SMTP_HOST="127.0.0.1", SMTP_PORT=os.environ["ZE_TEST_SMTP_PORT"],
               SMTP_SECURITY="none", ZE_PUBLIC_URL=f"http://127.0.0.1:{port}", ZE_VIDEO_MIN_TOGETHER_SECONDS="5",
               ZE_TRUSTED_PROXIES="127.0.0.1")
    env.pop("DATABASE_URL", None)
    env.update(extra_env or {})
    log_path = os.path.join(data, f"server-{port}.log")
    log = open(log_path, "w")
    process = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except Exception:
            if process.poll() is not None:
                raise RuntimeError(open(log_path).read())
            time.sleep(0.2)
    return {"url": base, "binary": binary, "env": env, "process": process, "data": data, "log": log_path}


def stop_server(server):
    """SIGTERM, as a deploy sends it: the server must stop promptly and cleanly (exit status 0, no
    crash report in its log), with rooms open and the relay listening."""
    server["process"].terminate()
    code = server["process"].wait(timeout=10)
    log = open(server["log"]).read()
    assert code == 0, f"server exited with status {code}:\n{log[-3000:]}"
    for sign in ("Fatal error", "Program crashed"):
        assert sign not in log, f"server crashed while stopping:\n{log[-3000:]}"


def demo_passwords(server):
    """Loads the demo accounts into that server's data; answers {email: password}."""
    demo = subprocess.run([server["binary"], "demo"], cwd=ROOT, env=server["env"], capture_output=True, text=True, check=True)
    return {line.split()[0]: line.split()[1] for line in demo.stdout.splitlines() if "@demo.zeroerrand.example" in line}


@pytest.fixture(scope="session")
def server_data(mail_dir):
    server = start_server()
    yield server
    stop_server(server)
    shutil.rmtree(server["data"], ignore_errors=True)


@pytest.fixture(scope="session")
def demo_accounts(server_data):
    """The demo data set of the shared server; passwords are printed only once, so tests share them."""
    return demo_passwords(server_data)


# A fake camera and microphone, permission granted, and WebRTC allowed over loopback (the only
# network some test machines have).
VIDEO_FLAGS = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
               "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required")


PEOPLE = itertools.count(1)


def make_driver(language, width=1200, height=900, video=False):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}", f"--lang={language}") + (VIDEO_FLAGS if video else ()):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(2)
    # Its own address as the (trusted) proxy reports it, from the documentation range 198.51.100.0/24
    # and on (see start_server).
    person = next(PEOPLE)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                           {"headers": {"X-Forwarded-For": f"198.51.{100 + person // 250}.{person % 250 + 1}"}})
    if width < 500:
        emulate_phone(driver, width, height)
    return driver


def emulate_phone(driver, width=360, height=740):
    """A phone's viewport. A headless Chromium window is never narrower than 500 pixels, so a
    narrower one is emulated; phones draw no scroll bars beside the page."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": False})
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})


@pytest.fixture
def browser_factory():
    drivers = []

    def factory(language="zh-CN", width=1200, height=900, video=False):
        driver = make_driver(language, width, height, video)
        drivers.append(driver)
        return driver

    yield factory
    for driver in drivers:
        driver.quit()


# How long a test waits for a mail before calling it lost: a hang guard, not a speed bound. On a busy
# CI machine the shared server's outbox may be minutes behind (a 10-second wait failed there once).
MAIL_HANG_GUARD = 300


def latest_mail(mail_dir, address, timeout=MAIL_HANG_GUARD):
    """The newest message the sink received for `address`, as (subject, text)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address.lower() in str(message.get("To", "")).lower():
                body = message.get_body(preferencelist=("plain",))
                return str(message["Subject"]), body.get_content()
        time.sleep(0.2)
    raise AssertionError(f"no mail for {address}")


def totp(secret_base32, at=None):
    """RFC 6238 with SHA-1, six digits, thirty-second steps: what an authenticator app shows."""
    key = base64.b32decode(secret_base32.replace(" ", "").upper() + "=" * (-len(secret_base32.replace(" ", "")) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
