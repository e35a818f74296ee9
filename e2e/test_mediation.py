"""Issue 12's browser walk: the article's dispute. A plaintiff in Madrid files a mediation with a
second plaintiff in Rome and a company in Wenzhou; the court's clerk accepts it and the papers are
served by opening them; the mediator fixes a session in everyone's hours, takes the plaintiffs
aside in the call (fake cameras) and brings everyone back, drafts the agreement twice (the first
signature is voided), everyone signs, and the judge confirms. The sealed ruling is then verified
on the public page, and refused with one byte changed."""
import datetime
import os
import re
import subprocess
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import MAIL_HANG_GUARD, latest_mail, totp
from test_application_journey import enrol_totp, submit_form, upload, wait
from test_notarization import draw_signature, fresh_code, submit_verify, tool
from test_video_calls import check_phone_layout, http, sign_in, wait_for_call

COURT = "wc-court"


def register(driver, server, mail_dir, name):
    """A new citizen: registered, address confirmed, signed in, second factor enrolled."""
    # An address of ASCII letters: a browser's email field refuses "lucía@…".
    address = f"party-{uuid.uuid4().hex[:8]}@example.org"
    password = f"mediation from afar {uuid.uuid4().hex[:6]}"
    driver.get(server + "/register")
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.ID, "displayName").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    submit_form(driver, "/register")
    _, text = latest_mail(mail_dir, address)
    driver.get(re.search(r"https?://\S+#token=[A-Za-z0-9_-]+", text).group(0))
    submit_form(driver, "/email/confirm")
    sign_in(driver, server, address, password)
    return address, enrol_totp(driver, server)


def mail_with(mail_dir, address, pattern, timeout=MAIL_HANG_GUARD):
    """The newest mail to `address` whose text matches `pattern`, once the outbox has sent it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        _, text = latest_mail(mail_dir, address)
        found = re.search(pattern, text)
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"no mail for {address} matching {pattern}")


def staff(browser_factory, server, demo_accounts, role, language="zh-CN", video=False):
    driver = browser_factory(language, video=video)
    email = f"{role}.{COURT}@demo.zeroerrand.example"
    sign_in(driver, server, email, demo_accounts[email])
    enrol_totp(driver, server)
    return driver


def fresh_page(driver, url):
    """Loads `url` anew (a link that differs only in its #fragment would just scroll)."""
    driver.get("about:blank")
    driver.get(url)


def sign_agreement(driver, url, secret, last, draw=False):
    fresh_page(driver, url)
    assert driver.find_elements(By.CSS_SELECTOR, "form[action$='/signature']"), driver.find_element(By.ID, "agreement").text
    if draw:
        draw_signature(driver)
    code = fresh_code(secret, last)
    submit_form(driver, "/signature", {"code": code})
    assert not driver.find_elements(By.CSS_SELECTOR, ".field-error"), driver.find_element(By.TAG_NAME, "main").text
    return code


def save_terms(mediator, url, amount):
    fresh_page(mediator, url)
    form = mediator.find_element(By.ID, "terms-form")
    Select(form.find_element(By.ID, "obligations-0-debtor")).select_by_index(3)   # the company in Wenzhou
    Select(form.find_element(By.ID, "obligations-0-creditor")).select_by_index(1)  # the plaintiff in Madrid
    Select(form.find_element(By.ID, "obligations-0-currency")).select_by_value("EUR")
    mediator.execute_script("arguments[0].value = '2027-12-31'", form.find_element(By.ID, "obligations-0-dueOn"))
    submit_form(mediator, "/agreement", {"obligations[0][amount]": amount})
    assert not mediator.find_elements(By.CSS_SELECTOR, ".field-error"), mediator.find_element(By.TAG_NAME, "main").text


def test_cross_border_mediation_from_filing_to_verified_ruling(server, server_data, demo_accounts, browser_factory, mail_dir, tmp_path):
    madrid = browser_factory("en", width=360, height=740, video=True)
    madrid.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Madrid"})
    madrid_email, madrid_secret = register(madrid, server, mail_dir, "Lucía García")
    rome = browser_factory("en")
    rome_email, rome_secret = register(rome, server, mail_dir, "Marco Rossi")
    wenzhou = browser_factory("zh-CN", video=True)
    wenzhou_email, wenzhou_secret = register(wenzhou, server, mail_dir, "陈伟 Chen Wei")
    # Mediation is a level-3 matter; the filer's video identity check is another test's journey.
    subprocess.run(["sqlite3", os.path.join(server_data["data"], "zeroerrand.sqlite"),
                    "UPDATE accounts SET identity_verified_at = created_at, identity_verified_by = id, identity_verified_department = "
                    f"(SELECT id FROM departments WHERE code = '{COURT}') WHERE email = '{madrid_email}'"], check=True)

    # The request, from the matter page, on a phone.
    madrid.get(server + "/matters/JU-CT-001")
    madrid.find_element(By.CSS_SELECTOR, "a[href='/mediations/new']").click()
    check_phone_layout(madrid, server + "/mediations/new")
    form = madrid.find_element(By.CSS_SELECTOR, "form[action='/mediations']")
    Select(form.find_element(By.ID, "kind")).select_by_value("loan")
    Select(form.find_element(By.ID, "currency")).select_by_value("EUR")
    rows = [("plaintiff", "person", "Marco Rossi", rome_email, "IT", "Europe/Rome"),
            ("defendant", "company", "温州某贸易有限公司", wenzhou_email, "CN", "Asia/Shanghai")]
    for index, (side, kind, name, email, country, zone) in enumerate(rows):
        Select(form.find_element(By.ID, f"parties-{index}-side")).select_by_value(side)
        Select(form.find_element(By.ID, f"parties-{index}-kind")).select_by_value(kind)
        for field, value in (("name", name), ("email", email), ("country", country), ("timeZone", zone)):
            form.find_element(By.ID, f"parties-{index}-{field}").send_keys(value)
    submit_form(madrid, "/mediations", {"amount": "120000", "claim": "Repayment of the 120,000 EUR lent in 2024.",
                                        "facts": "Lent by bank transfer on 3 March 2024, due a year later, unpaid.",
                                        "filerCountry": "ES", "filerTimeZone": "Europe/Madrid"})
    mediation_url = madrid.current_url
    assert re.search(r"/mediations/[0-9a-f-]{36}$", mediation_url), madrid.find_element(By.TAG_NAME, "main").text
    madrid.find_element(By.PARTIAL_LINK_TEXT, "Open the case").click()
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n% scan\n%%EOF\n")
    inputs = "input[type=file][data-upload-url*='purpose=material']"
    for index in range(len(madrid.find_elements(By.CSS_SELECTOR, inputs))):
        upload(madrid, madrid.find_elements(By.CSS_SELECTOR, inputs)[index], scan)
    submit_form(madrid, "/actions/submit")

    # The clerk accepts and names the officials; the others are served by opening the papers.
    clerk = staff(browser_factory, server, demo_accounts, "clerk")
    clerk.get(mediation_url)
    form = clerk.find_element(By.CSS_SELECTOR, "form[action$='/acceptance']")
    Select(form.find_element(By.ID, "mediator")).select_by_index(1)
    Select(form.find_element(By.ID, "judge")).select_by_index(1)
    submit_form(clerk, "/acceptance")
    assert "送达" in clerk.find_element(By.TAG_NAME, "main").text
    for driver, email in ((rome, rome_email), (wenzhou, wenzhou_email)):
        driver.get(mail_with(mail_dir, email, r"https?://\S+/mediations/[0-9a-f-]{36}").group(0))
        assert "温州某贸易有限公司" in driver.find_element(By.TAG_NAME, "main").text

    # A paper for the plaintiffs' side only: uploaded from the page, listed for Rome, absent for Wenzhou.
    madrid.get(mediation_url)
    private = tmp_path / "settlement-limits.pdf"
    private.write_bytes(b"%PDF-1.7\n% what the plaintiffs would accept\n%%EOF\n")
    upload(madrid, madrid.find_element(By.ID, "paper-plaintiff"), private)
    assert "settlement-limits.pdf" in madrid.find_element(By.ID, "papers").text
    rome.get(mediation_url)
    assert "settlement-limits.pdf" in rome.find_element(By.ID, "papers").text
    wenzhou.get(mediation_url)
    assert "settlement-limits.pdf" not in wenzhou.find_element(By.TAG_NAME, "main").text
    assert wenzhou.find_elements(By.ID, "paper-plaintiff") == [] and wenzhou.find_elements(By.ID, "paper-defendant") != []

    # The plaintiffs' private note stays on their side.
    madrid.get(mediation_url)
    form = madrid.find_element(By.CSS_SELECTOR, "form[action$='/notes']")
    Select(form.find_element(By.ID, "audience")).select_by_value("plaintiff")
    submit_form(madrid, "/notes", {"body": "We would accept 90,000 EUR."})
    rome.get(mediation_url)
    assert "90,000" in rome.find_element(By.ID, "notes").text
    wenzhou.get(mediation_url)
    assert "90,000" not in wenzhou.find_element(By.TAG_NAME, "main").text

    # The mediator fixes a session in everyone's hours; Madrid reads its own clock and the court's.
    mediator = staff(browser_factory, server, demo_accounts, "mediator", language="en", video=True)
    mediator.get(mediation_url)
    day = datetime.date.fromisoformat(mediator.find_element(By.ID, "day").get_attribute("value"))
    for _ in range(10):
        if mediator.find_elements(By.CSS_SELECTOR, "#start option:not([value=''])"):
            break
        day += datetime.timedelta(days=1)
        mediator.get(mediation_url + f"?day={day.isoformat()}")
    Select(mediator.find_element(By.ID, "start")).select_by_index(1)
    Select(mediator.find_element(By.ID, "minutes")).select_by_value("60")
    submit_form(mediator, "/session")
    madrid.get(mediation_url)
    session_text = madrid.find_element(By.ID, "session").text
    assert "Europe/Madrid" in session_text and "Asia/Shanghai" in session_text
    room = madrid.find_element(By.CSS_SELECTOR, "#session a[href^='/video/']").get_attribute("href")

    # In the call: the mediator takes the plaintiffs aside; the company hears nothing and is told.
    for driver in (mediator, madrid, wenzhou):
        driver.get(room)
        driver.find_element(By.ID, "join-call").click()
    for driver in (mediator, madrid, wenzhou):
        wait_for_call(driver, 60)
    wait(wenzhou, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#remote-videos figure")) == 2, 60)
    mediator.find_element(By.CSS_SELECTOR, "[data-caucus='plaintiff']").click()
    wait(wenzhou, lambda d: d.find_element(By.ID, "caucus-status").text.strip() != "")
    assert "调解员正在与对方当事人单独会谈" in wenzhou.find_element(By.ID, "caucus-status").text
    wait(wenzhou, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#remote-videos figure")) == 0)
    wait(madrid, lambda d: "Private session" in d.find_element(By.ID, "caucus-status").text)
    wait(madrid, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#remote-videos figure")) == 1)
    mediator.find_element(By.CSS_SELECTOR, "[data-caucus='']").click()
    wait(wenzhou, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#remote-videos figure")) == 2, 60)
    wait_for_call(wenzhou, 60)
    for driver in (mediator, madrid, wenzhou):
        driver.find_element(By.ID, "leave-call").click()

    # Two versions: Madrid's signature on the first is voided by the second.
    save_terms(mediator, mediation_url, "85000")
    last_madrid = sign_agreement(madrid, mediation_url, madrid_secret, totp(madrid_secret), draw=True)
    assert "You have signed the current version." in madrid.find_element(By.ID, "agreement").text
    save_terms(mediator, mediation_url, "90000")
    # Madrid's open page shows the new version by itself within seconds.
    wait(madrid, lambda d: "Version 2 replaced version 1" in d.find_element(By.ID, "agreement").text, 30)
    mail_with(mail_dir, rome_email, "no longer count")
    sign_agreement(madrid, mediation_url, madrid_secret, last_madrid)
    sign_agreement(rome, mediation_url, rome_secret, totp(rome_secret))
    sign_agreement(wenzhou, mediation_url, wenzhou_secret, totp(wenzhou_secret))

    # The judge confirms; the ruling is sealed and verifies, and not with one byte changed.
    judge = staff(browser_factory, server, demo_accounts, "judge")
    judge.get(mediation_url)
    submit_form(judge, "/confirmation")
    number = re.search(r"\(\d{4}\)浙0328民特\d+号", judge.find_element(By.ID, "agreement").text).group(0)
    check_phone_layout(madrid, mediation_url)
    status, pdf = http(madrid, mediation_url + "/ruling.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    assert "Signature is Valid." in tool("pdfsig", data=pdf)
    (tmp_path / "ruling.pdf").write_bytes(pdf)
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    (tmp_path / "altered.pdf").write_bytes(bytes(altered))
    checker = browser_factory("it", width=360, height=740)
    checker.get(server + "/verify")
    checker.find_element(By.ID, "verify-file").send_keys(str(tmp_path / "ruling.pdf"))
    submit_verify(checker, "file")
    assert checker.find_element(By.ID, "verdict").get_attribute("data-verdict") == "genuine"
    assert number in checker.find_element(By.TAG_NAME, "main").text
    assert "provvedimento" in checker.find_element(By.ID, "verdict").text and "Tribunale" in checker.find_element(By.TAG_NAME, "main").text
    checker.find_element(By.ID, "verify-file").send_keys(str(tmp_path / "altered.pdf"))
    submit_verify(checker, "file")
    assert checker.find_element(By.ID, "verdict").get_attribute("data-verdict") == "altered"
