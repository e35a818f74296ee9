"""Issue 4's browser checks: a citizen abroad and an officer book and hold a live video session in
two real Chromium browsers with fake cameras. Direct, through a real TURN relay only (with the
relay cut and restored), and across two app instances that share one PostgreSQL database."""
import datetime
import email
import email.policy
import hashlib
import json
import os
import re
import shlex
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zoneinfo

import icalendar
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import ROOT, demo_passwords, latest_mail, start_server, stop_server
from test_application_journey import enrol_totp, submit_form, upload, wait

MATTER = "GA-PSB-007"  # 亲属关系证明: online, by proxy or by video; identity confirmed by video
OFFICE = "wz-psb-wuma"
DEMO_CITIZEN = "citizen@demo.zeroerrand.example"


def translations(key):
    """The text of `key` in each language the app speaks."""
    return {json.load(open(ROOT / "Resources/Locales" / name))[key] for name in ("en.json", "zh-Hans.json")}


def sign_in(driver, base, address, password):
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.ID, "password").send_keys(password)
    submit_form(driver, "/sign-in")


def http(driver, url):
    """GET with the browser's cookies, for status codes and bytes a page does not show."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def apply_for_video_matter(citizen, base, tmp_path):
    scan = tmp_path / "材料.pdf"
    scan.write_bytes(b"%PDF-1.7\n% scan\n%%EOF\n")
    citizen.get(base + f"/matters/{MATTER}/apply")
    citizen.find_element(By.NAME, "details").send_keys("本人在意大利，需要亲属关系证明办理家庭团聚。")
    submit_form(citizen, f"/matters/{MATTER}/apply")
    case_url = citizen.current_url
    count = len(citizen.find_elements(By.CSS_SELECTOR, "input[type=file][data-upload-url*='purpose=material']"))
    for index in range(count):
        upload(citizen, citizen.find_elements(By.CSS_SELECTOR, "input[type=file][data-upload-url*='purpose=material']")[index], scan)
    submit_form(citizen, "/actions/submit")
    return case_url


def publish_hours(staff, base, start="00:00"):
    """Every day from `start` (office time) to nearly midnight, for three days, in 15-minute slots."""
    staff.get(base + "/office/video")
    for box in staff.find_elements(By.CSS_SELECTOR, "input[name='weekdays[]']"):
        if not box.is_selected():
            box.click()
    today = staff.find_element(By.ID, "firstDay").get_attribute("value")
    last = (datetime.date.fromisoformat(today) + datetime.timedelta(days=2)).isoformat()
    # (A time field cannot hold 24:00; the last slot starts at 23:30.)
    for field, value in (("from", start), ("to", "23:45"), ("lastDay", last)):
        staff.execute_script("arguments[0].value = arguments[1]", staff.find_element(By.ID, field), value)
    staff.execute_script("arguments[0].value = '15'", staff.find_element(By.ID, "slot"))
    submit_form(staff, "/office/video/availability")
    assert staff.find_elements(By.CSS_SELECTOR, "form[action$='/delete']"), staff.find_element(By.TAG_NAME, "main").text


def book_first_slot(citizen, case_url):
    """Books the earliest free slot, at night on the citizen's clock or not; answers the session
    id and the slot's instant."""
    citizen.get(case_url + "/video?night=1")
    slot = citizen.find_element(By.CSS_SELECTOR, "input[name=start]")
    start = int(slot.get_attribute("value"))
    slot.click()
    submit_form(citizen, "/video")
    room = citizen.find_element(By.CSS_SELECTOR, "a[href^='/video/']").get_attribute("href")
    return room.rsplit("/", 1)[1], start


def join(driver, base, session):
    driver.get(base + f"/video/{session}")
    driver.find_element(By.ID, "join-call").click()


def record_outcome(staff, outcome, note):
    """The official ends the session from the room's outcome form and waits for the next page."""
    form = staff.find_element(By.ID, "outcome-form")
    form.find_element(By.CSS_SELECTOR, f"input[value='{outcome}']").click()
    form.find_element(By.NAME, "note").send_keys(note)
    old = staff.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(staff, EC.staleness_of(old))


def remote_video_width(driver):
    return driver.execute_script(
        "var v = document.querySelector('#remote-videos video'); return v ? v.videoWidth : 0") or 0


def wait_for_call(driver, seconds=45):
    wait(driver, lambda d: d.find_element(By.ID, "video-room").get_attribute("data-state") == "connected", seconds)
    wait(driver, lambda d: remote_video_width(d) > 0, seconds)


def peer_stats(driver):
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; window.ZeroErrandVideo.stats().then(done, function () { done({}); });")


def check_phone_layout(driver, url):
    """The page fits a 360-pixel phone without sideways scrolling and labels every field."""
    driver.set_window_size(360, 740)
    driver.get(url)
    width = driver.execute_script("return document.documentElement.clientWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, f"{url} scrolls sideways on a phone ({scroll} > {width})"
    unlabelled = driver.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name || e.id);
    """)
    assert unlabelled == [], f"{url} has fields without a label: {unlabelled}"
    driver.set_window_size(1200, 900)


def prepare(citizen, citizen_base, staff, staff_base, staff_email, staff_password, citizen_password, tmp_path):
    """Staff signs in (setting up two-step sign-in) and publishes hours; the demo citizen turns on
    two-step sign-in, applies and books. Answers the session id."""
    sign_in(staff, staff_base, staff_email, staff_password)
    enrol_totp(staff, staff_base)
    publish_hours(staff, staff_base)
    sign_in(citizen, citizen_base, DEMO_CITIZEN, citizen_password)
    enrol_totp(citizen, citizen_base)
    case_url = apply_for_video_matter(citizen, citizen_base, tmp_path)
    session, _ = book_first_slot(citizen, case_url)
    return session


def soon_in_office():
    """An office time (HH:MM, Asia/Shanghai) about a minute from now, for a slot that starts
    during the test; waits past midnight if the day is about to end (slots end at 23:45)."""
    office = zoneinfo.ZoneInfo("Asia/Shanghai")
    now = datetime.datetime.now(office)
    if now.hour == 23 and now.minute >= 25:
        time.sleep((60 - now.minute) * 60 + 30)
        now = datetime.datetime.now(office)
    # 40 to 100 seconds ahead: time enough to publish and book, little left to wait.
    soon = (now + datetime.timedelta(seconds=100)).replace(second=0, microsecond=0)
    return soon.strftime("%H:%M")


def test_booked_call_with_recording_and_outcome(server, server_data, demo_accounts, browser_factory, mail_dir, tmp_path):
    # The citizen lives in Rome (the browser says so at registration); the office is in Wenzhou.
    citizen = browser_factory("zh-CN", video=True)
    citizen.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Rome"})
    address = f"li-{uuid.uuid4().hex[:8]}@example.org"
    password = "罗马的冬天不冷我要办亲属关系证明"
    citizen.get(server + "/register")
    citizen.find_element(By.ID, "email").send_keys(address)
    citizen.find_element(By.ID, "displayName").send_keys("李娜")
    citizen.find_element(By.ID, "password").send_keys(password)
    submit_form(citizen, "/register")
    _, text = latest_mail(mail_dir, address)
    citizen.get(re.search(r"https?://\S+#token=[A-Za-z0-9_-]+", text).group(0))
    submit_form(citizen, "/email/confirm")
    sign_in(citizen, server, address, password)
    enrol_totp(citizen, server)

    staff = browser_factory("zh-CN", video=True)
    sign_in(staff, server, f"supervisor.{OFFICE}@demo.zeroerrand.example", demo_accounts[f"supervisor.{OFFICE}@demo.zeroerrand.example"])
    enrol_totp(staff, server)
    # The call must happen at the appointment itself (identity is confirmed only then), so the office
    # takes bookings at no notice and publishes hours starting in a minute or two.
    subprocess.run(["sqlite3", os.path.join(server_data["data"], "zeroerrand.sqlite"),
                    f"UPDATE departments SET booking_notice_hours = 0 WHERE code = '{OFFICE}'"], check=True)
    publish_hours(staff, server, start=soon_in_office())

    case_url = apply_for_video_matter(citizen, server, tmp_path)
    citizen.get(case_url + "/video")
    booking = citizen.find_element(By.TAG_NAME, "main").text
    assert "Europe/Rome" in booking and "Asia/Shanghai" in booking
    check_phone_layout(citizen, case_url + "/video")
    session, start = book_first_slot(citizen, case_url)
    assert "Europe/Rome" in citizen.find_element(By.ID, "current-appointment").text
    check_phone_layout(citizen, case_url + "/video")
    check_phone_layout(citizen, server + f"/video/{session}")
    check_phone_layout(staff, server + f"/video/{session}")
    check_phone_layout(staff, server + "/office/video")

    # The confirmation carries an invitation a calendar program files at the booked instant.
    deadline = time.time() + 20
    invitation = None
    while time.time() < deadline and invitation is None:
        for path in mail_dir.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(message.get("To", "")):
                for part in message.walk():
                    if part.get_content_type() == "text/calendar":
                        invitation = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        time.sleep(0.3)
    assert invitation is not None, "no invitation in the confirmation mail"
    event = next(component for component in invitation.walk() if component.name == "VEVENT")
    assert event.decoded("dtstart") == datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
    assert str(invitation["method"]) == "REQUEST"

    # Someone not invited gets nothing.
    stranger = browser_factory("zh-CN")
    sign_in(stranger, server, DEMO_CITIZEN, demo_accounts[DEMO_CITIZEN])
    status, body = http(stranger, server + f"/video/{session}")
    assert status == 404 and "video-room" not in body.decode()
    stranger.get(server + f"/video/{session}")
    assert not stranger.find_elements(By.ID, "video-room")

    # Both join and see each other.
    join(citizen, server, session)
    join(staff, server, session)
    wait_for_call(citizen)
    wait_for_call(staff)
    assert citizen.find_element(By.ID, "connection-state").text in translations("video.js.state_connected")

    # The citizen can drop to audio only; the officer's page says so.
    citizen.find_element(By.ID, "audio-only").click()
    wait(citizen, lambda d: d.find_element(By.ID, "audio-only").get_attribute("aria-pressed") == "true")
    wait(staff, lambda d: d.find_element(By.CSS_SELECTOR, "#remote-videos figure").get_attribute("data-audio-only") == "true")
    citizen.find_element(By.ID, "audio-only").click()
    wait(citizen, lambda d: d.find_element(By.ID, "audio-only").get_attribute("aria-pressed") == "false")

    # Recording waits for both to agree, then uploads as it goes; the stored file is what the browser sent.
    assert not staff.find_element(By.ID, "record-start").is_enabled()
    citizen.find_element(By.ID, "consent-agree").click()
    staff.find_element(By.ID, "consent-agree").click()
    wait(staff, lambda d: d.find_element(By.ID, "record-start").is_enabled())
    staff.find_element(By.ID, "record-start").click()
    wait(citizen, lambda d: d.find_element(By.ID, "video-room").get_attribute("data-recording") == "on")
    time.sleep(4)
    staff.find_element(By.ID, "record-stop").click()
    wait(staff, lambda d: d.find_element(By.ID, "recording-status").get_attribute("data-state") == "uploaded", 60)
    sent = staff.find_element(By.ID, "recording-status").get_attribute("data-sha256")
    assert re.fullmatch(r"[0-9a-f]{64}", sent)

    # Identity is confirmed only once the appointment has begun and both have been in the room
    # together (five seconds on this server): the officer stays in the call until then.
    time.sleep(max(0, start + 7 - time.time()))
    staff.get(server + f"/video/{session}")
    link = staff.find_element(By.CSS_SELECTOR, "a[href*='/recordings/']").get_attribute("href")
    status, stored = http(staff, link)
    assert status == 200 and hashlib.sha256(stored).hexdigest() == sent
    assert stored[:4] == b"\x1a\x45\xdf\xa3", "a WebM file"
    assert http(citizen, link)[0] in (403, 404)

    # The officer ends the session with the outcome; the case moves on and the citizen sees it.
    record_outcome(staff, "identity_confirmed", "本人与护照照片一致，申请人确认申请。")
    assert "视频核验身份通过" in staff.find_element(By.TAG_NAME, "main").text, staff.find_element(By.TAG_NAME, "main").text
    citizen.get(case_url)
    page = citizen.find_element(By.TAG_NAME, "main").text
    assert "视频核验身份通过" in page and "本人与护照照片一致" in page


@pytest.fixture
def turn_server():
    command = os.environ.get("ZE_TEST_TURN_CMD")
    if not command:
        pytest.skip("scripts/test starts coturn and sets ZE_TEST_TURN_CMD")
    return {"port": os.environ["ZE_TEST_TURN_PORT"], "secret": os.environ["ZE_TEST_TURN_SECRET"],
            "command": open(command).read().strip(), "pid": int(os.environ["ZE_TEST_TURN_PID"])}


def test_call_through_turn_relay_only_survives_a_cut(turn_server, browser_factory, mail_dir, tmp_path):
    port = turn_server["port"]
    app = start_server({"ZE_TURN_URLS": f"turn:127.0.0.1:{port}?transport=udp,turn:127.0.0.1:{port}?transport=tcp",
                        "ZE_TURN_SECRET": turn_server["secret"], "ZE_ICE_RELAY_ONLY": "true", "ZE_TURN_TTL_SECONDS": "600"})
    restarted = None
    try:
        accounts = demo_passwords(app)
        base = app["url"]
        citizen, staff = browser_factory("en", video=True), browser_factory("en", video=True)
        email_address = f"clerk.{OFFICE}@demo.zeroerrand.example"
        session = prepare(citizen, base, staff, base, email_address, accounts[email_address], accounts[DEMO_CITIZEN], tmp_path)
        join(citizen, base, session)
        join(staff, base, session)
        wait_for_call(citizen)
        wait_for_call(staff)
        for stats in list(peer_stats(staff).values()) + list(peer_stats(citizen).values()):
            assert stats["local"] == "relay" and stats["remote"] == "relay", stats

        # Cut the relay: the call drops, the page says it is reconnecting.
        os.kill(turn_server["pid"], signal.SIGKILL)
        wait(staff, lambda d: d.find_element(By.ID, "video-room").get_attribute("data-state") == "reconnecting", 60)
        # The words of the page's language (the demo accounts read Chinese).
        assert staff.find_element(By.ID, "connection-state").text in translations("video.js.state_reconnecting")
        # Restore it: ICE restarts by itself and media flows again, nobody rejoins.
        restarted = subprocess.Popen(shlex.split(turn_server["command"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait(staff, lambda d: d.find_element(By.ID, "video-room").get_attribute("data-state") == "connected", 90)
        wait(citizen, lambda d: d.find_element(By.ID, "video-room").get_attribute("data-state") == "connected", 90)
        before = sum(s["framesDecoded"] for s in peer_stats(staff).values())
        wait(staff, lambda d: sum(s["framesDecoded"] for s in peer_stats(d).values()) > before + 10, 30)
    finally:
        if restarted:
            restarted.terminate()
        stop_server(app)


def test_two_instances_share_a_room_through_postgresql(browser_factory, tmp_path):
    database = os.environ.get("ZE_TEST_POSTGRES_URL")
    if not database:
        pytest.skip("scripts/test starts PostgreSQL and sets ZE_TEST_POSTGRES_URL")
    shared = {"DATABASE_URL": database, "ZE_DATABASE_SCHEMA": f"e2e_{uuid.uuid4().hex[:8]}"}
    first = start_server(shared)
    # The second instance shares the database (and the keys, which live in the data directory in development).
    second = start_server(shared, data=first["data"])
    try:
        accounts = demo_passwords(first)
        citizen, staff = browser_factory("zh-CN", video=True), browser_factory("zh-CN", video=True)
        email_address = f"clerk.{OFFICE}@demo.zeroerrand.example"
        session = prepare(citizen, first["url"], staff, second["url"], email_address, accounts[email_address],
                          accounts[DEMO_CITIZEN], tmp_path)
        join(citizen, first["url"], session)
        join(staff, second["url"], session)
        wait_for_call(citizen)
        wait_for_call(staff)
    finally:
        stop_server(second)
        stop_server(first)
