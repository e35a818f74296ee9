"""Issue 11's browser walk: a citizen abroad (English) and a notary in Wenzhou (Chinese) do a remote
notarial act with fake cameras: application, review, the document, the video certification with
a recording, online signing with a drawn signature and a fresh code, approval and the sealed
certificate, which the citizen downloads and checks."""
import hashlib
import os
import re
import subprocess
import tempfile
import time
import uuid

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import latest_mail, totp
from test_application_journey import enrol_totp, submit_form, upload, wait
from test_video_calls import book_first_slot, check_phone_layout, http, join, publish_hours, sign_in, soon_in_office, wait_for_call

MATTER = "JU-NO-001"  # 委托公证（不动产处分）: a power of attorney to sell a flat, notarized by video
OFFICE = "wz-notary"
CHINESE = "委托人授权其弟弟代为出售位于温州市鹿城区的房产一套，并办理不动产登记手续。委托期限至2027年12月31日。"
ENGLISH = "The principal authorises his brother to sell his flat in Lucheng District, Wenzhou, and to complete its registration. Valid until 31 December 2027."


def fresh_code(secret, last):
    """A code from a time step not used yet: each code signs or signs in once."""
    while totp(secret) == last:
        time.sleep(1)
    return totp(secret)


def tool(*command, data=None):
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(data)
    try:
        return subprocess.run([*command, handle.name], capture_output=True, text=True).stdout
    finally:
        os.unlink(handle.name)


def qr_codes(pdf):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "c.pdf")
        open(path, "wb").write(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "200", path, os.path.join(folder, "page")], check=True)
        pages = sorted(p for p in os.listdir(folder) if p.startswith("page"))
        return [line for page in pages for line in
                subprocess.run(["zbarimg", "--raw", "-q", os.path.join(folder, page)], capture_output=True, text=True).stdout.split()]


def submit_verify(driver, kind, fields=None):
    """The public forms carry the reader's language in their action (`/verify/file?lang=es`)."""
    form = driver.find_element(By.CSS_SELECTOR, f"form[action*='/verify/{kind}']")
    for name, value in (fields or {}).items():
        form.find_element(By.NAME, name).clear()
        form.find_element(By.NAME, name).send_keys(value)
    old = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    wait(driver, EC.staleness_of(old))


def draw_signature(driver):
    pad = driver.find_element(By.ID, "signature-pad")
    ActionChains(driver).move_to_element_with_offset(pad, -80, 0).click_and_hold() \
        .move_by_offset(40, -20).move_by_offset(40, 30).move_by_offset(40, -25).move_by_offset(40, 20).release().perform()
    wait(driver, lambda d: len(d.find_element(By.ID, "signature-drawing").get_attribute("value")) > 100)


def test_remote_notarization_end_to_end(server, server_data, demo_accounts, browser_factory, mail_dir, tmp_path):
    citizen = browser_factory("en", video=True)
    citizen.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "America/New_York"})
    address = f"zhang-{uuid.uuid4().hex[:8]}@example.org"
    password = "a flat in Wenzhou sold from New York"
    citizen.get(server + "/register")
    citizen.find_element(By.ID, "email").send_keys(address)
    citizen.find_element(By.ID, "displayName").send_keys("Zhang Ming 张明")
    citizen.find_element(By.ID, "password").send_keys(password)
    submit_form(citizen, "/register")
    _, text = latest_mail(mail_dir, address)
    citizen.get(re.search(r"https?://\S+#token=[A-Za-z0-9_-]+", text).group(0))
    submit_form(citizen, "/email/confirm")
    sign_in(citizen, server, address, password)
    citizen_secret = enrol_totp(citizen, server)
    last_code = totp(citizen_secret)

    notary = browser_factory("zh-CN", video=True)
    notary_email = f"notary.{OFFICE}@demo.zeroerrand.example"
    sign_in(notary, server, notary_email, demo_accounts[notary_email])
    enrol_totp(notary, server)
    subprocess.run(["sqlite3", os.path.join(server_data["data"], "zeroerrand.sqlite"),
                    f"UPDATE departments SET booking_notice_hours = 0 WHERE code = '{OFFICE}'"], check=True)
    publish_hours(notary, server, start=soon_in_office())

    # The application with its materials.
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.7\n% passport scan\n%%EOF\n")
    citizen.get(server + f"/matters/{MATTER}/apply")
    citizen.find_element(By.NAME, "details").send_keys("I live in New York and need my brother to sell my flat in Wenzhou.")
    submit_form(citizen, f"/matters/{MATTER}/apply")
    case_url = citizen.current_url
    case_id = case_url.rstrip("/").rsplit("/", 1)[1]
    inputs = "input[type=file][data-upload-url*='purpose=material']"
    for index in range(len(citizen.find_elements(By.CSS_SELECTOR, inputs))):
        upload(citizen, citizen.find_elements(By.CSS_SELECTOR, inputs)[index], scan)
    submit_form(citizen, "/actions/submit")

    # The notary accepts, reviews and prepares the document; the citizen is told to book.
    office_case = server + f"/office/cases/{case_id}"
    notary.get(office_case)
    submit_form(notary, "/actions/accept")
    submit_form(notary, "/actions/start_review")
    submit_form(notary, "/notarization/prepare", {"chinese": CHINESE, "english": ENGLISH})
    assert "第 1 版" in notary.find_element(By.ID, "notarization").text, "the prepared document is version 1"
    citizen.get(case_url)
    assert "Book a video appointment" in citizen.find_element(By.ID, "notarization").text
    check_phone_layout(citizen, case_url)
    session, start = book_first_slot(citizen, case_url)

    # In the call: both join; the notary opens the certification from the room (a new tab).
    time.sleep(max(0, start - time.time() + 1))
    join(citizen, server, session)
    join(notary, server, session)
    wait_for_call(citizen)
    wait_for_call(notary)
    room_tabs = {"citizen": citizen.current_window_handle, "notary": notary.current_window_handle}
    notary.switch_to.new_window("tab")
    notary.get(office_case)
    submit_form(notary, "/notarization/open")
    notary.switch_to.window(room_tabs["notary"])
    citizen.find_element(By.ID, "consent-agree").click()
    notary.find_element(By.ID, "consent-agree").click()
    wait(notary, lambda d: d.find_element(By.ID, "record-start").is_enabled())
    notary.find_element(By.ID, "record-start").click()

    # The citizen reads and signs in a second tab while the call goes on: draw, code, sign.
    link = citizen.find_element(By.CSS_SELECTOR, "a[href$='/notarization/sign']").get_attribute("href")
    citizen.switch_to.new_window("tab")
    citizen.get(link)
    page = citizen.find_element(By.TAG_NAME, "main").text
    assert CHINESE in page and ENGLISH in page
    sha = hashlib.sha256(f"〔中文〕\n{CHINESE}\n\n〔English translation〕\n{ENGLISH}\n".encode()).hexdigest()
    assert sha in page
    check_phone_layout(citizen, link)
    draw_signature(citizen)
    submit_form(citizen, "/notarization/sign", {"code": fresh_code(citizen_secret, last_code)})
    assert "Signed online by the applicant" in citizen.find_element(By.ID, "notarization").text

    # The notary stops the recording, stays together the minimum time, and certifies.
    time.sleep(4)
    notary.find_element(By.ID, "record-stop").click()
    wait(notary, lambda d: d.find_element(By.ID, "recording-status").get_attribute("data-state") == "uploaded", 60)
    time.sleep(max(0, start + 7 - time.time()))
    notary.switch_to.new_window("tab")
    notary.get(office_case)
    form = notary.find_element(By.CSS_SELECTOR, "form[action$='/notarization/certify']")
    form.find_element(By.ID, "certify-identity").click()
    form.find_element(By.ID, "certify-will").click()
    submit_form(notary, "/notarization/certify")
    assert not notary.find_elements(By.CSS_SELECTOR, ".alert-error"), notary.find_element(By.TAG_NAME, "main").text
    submit_form(notary, "/notarization/approve", {"text": "身份和意愿已核实，材料齐全。"})
    submit_form(notary, "/notarization/issue")
    number = re.search(r"\(\d{4}\)浙温证字第\d+号", notary.find_element(By.ID, "notarization").text).group(0)

    # The citizen downloads the certificate at once; every tool reads it.
    citizen.get(case_url)
    panel = citizen.find_element(By.ID, "notarization")
    assert number in panel.text
    status, pdf = http(citizen, panel.find_element(By.CSS_SELECTOR, "a[download]").get_attribute("href"))
    assert status == 200 and pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert number in text and "委托人授权其弟弟" in text and "Notarial Certificate" in text
    report = tool("pdfsig", data=pdf)
    assert "Signature is Valid." in report and "Total document signed" in report and "浙江省温州市公证处" in report, report
    codes = qr_codes(pdf)
    assert codes and all("/verify/qr#" in code for code in codes), codes
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    assert "Signature is Valid." not in tool("pdfsig", data=bytes(altered))
    (tmp_path / "certificate.pdf").write_bytes(pdf)

    # Anyone checks it on the public page: the file (genuine), the file with one byte changed
    # (altered), the number and code, and the QR link on a phone (signature checked in the page).
    clerk = browser_factory("es", width=360, height=740)
    clerk.get(server + "/verify")
    check_phone_layout(clerk, server + "/verify")
    clerk.find_element(By.ID, "verify-file").send_keys(str(tmp_path / "certificate.pdf"))
    submit_verify(clerk, "file")
    verdict = clerk.find_element(By.ID, "verdict")
    assert verdict.get_attribute("data-verdict") == "genuine" and number in clerk.find_element(By.TAG_NAME, "main").text
    assert clerk.find_element(By.CSS_SELECTOR, ".verify-page").get_attribute("lang") == "es"
    (tmp_path / "altered.pdf").write_bytes(bytes(altered))
    clerk.find_element(By.ID, "verify-file").send_keys(str(tmp_path / "altered.pdf"))
    submit_verify(clerk, "file")
    assert clerk.find_element(By.ID, "verdict").get_attribute("data-verdict") == "altered"
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", text).group(0)
    clerk.get(server + "/verify")
    submit_verify(clerk, "number", {"number": number, "code": code.lower()})
    assert clerk.find_element(By.ID, "verdict").get_attribute("data-verdict") == "genuine"
    clerk.get(codes[0])
    wait(clerk, lambda d: d.find_element(By.ID, "qr-verdict").get_attribute("data-verdict") == "genuine", 20)
    assert number in clerk.find_element(By.ID, "qr-fields").text

    # The office revokes it: every path now says so, with the reason.
    notary.get(office_case)
    notary.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    notary.execute_script("window.confirm = () => true")
    submit_form(notary, "/notarization/revoke", {"text": "委托人已书面撤回委托。"})
    clerk.get(server + "/verify")
    submit_verify(clerk, "number", {"number": number, "code": code})
    assert clerk.find_element(By.ID, "verdict").get_attribute("data-verdict") == "revoked"
    assert "委托人已书面撤回委托" in clerk.find_element(By.TAG_NAME, "main").text
    clerk.get(codes[0])
    wait(clerk, lambda d: d.find_element(By.CSS_SELECTOR, "#qr-online .verdict").get_attribute("data-verdict") == "revoked", 20)
