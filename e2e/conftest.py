"""Fixtures for the browser tests: the real app binary on a fresh SQLite database, sending mail
to the SMTP sink that scripts/test started, and headless Chromium driven by Selenium."""
import base64
import email
import email.policy
import hashlib
import hmac
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


@pytest.fixture(scope="session")
def server_data(mail_dir):
    """The running app, and what a test needs to run its commands against the same data."""
    binary = os.environ.get("ZE_BINARY") or str(ROOT / ".build/debug/zeroerrand")
    data = tempfile.mkdtemp(prefix="ze-e2e-")
    port = free_port()
    env = dict(os.environ, ZE_DATA_DIR=data, SMTP_HOST="127.0.0.1", SMTP_PORT=os.environ["ZE_TEST_SMTP_PORT"],
               SMTP_SECURITY="none", ZE_PUBLIC_URL=f"http://127.0.0.1:{port}")
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(data, "server.log"), "w")
    process = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except Exception:
            if process.poll() is not None:
                raise RuntimeError(open(os.path.join(data, "server.log")).read())
            time.sleep(0.2)
    yield {"url": base, "binary": binary, "env": env}
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(data, ignore_errors=True)


def make_driver(language, width=1200, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}", f"--lang={language}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(2)
    return driver


@pytest.fixture
def browser_factory():
    drivers = []

    def factory(language="zh-CN", width=1200, height=900):
        driver = make_driver(language, width, height)
        drivers.append(driver)
        return driver

    yield factory
    for driver in drivers:
        driver.quit()


def latest_mail(mail_dir, address, timeout=10):
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
