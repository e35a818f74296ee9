"""Issue 9's browser check: the article's ID-card story with three people in two time zones. A
citizen in Madrid signs a power of attorney for her father in Wenzhou; he accepts, applies work on
her renewal case and submits it; the police station accepts; the officer confirms her identity by
live video (fake cameras); a reviewer approves; the station records the card's production and says
it is ready; the father shows his pass at the counter and collects; the case closes. The father
never sees her other cases, and a revoked pass says so at the counter."""
import os
import re
import subprocess
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import MAIL_HANG_GUARD, ROOT, latest_mail, totp
from test_application_journey import enrol_totp, submit_form, upload, wait
from test_video_calls import (book_first_slot, check_phone_layout, http, join, publish_hours, record_outcome, sign_in,
                              soon_in_office, wait_for_call)

MATTER = "GA-PSB-001"  # 居民身份证到期换领: by proxy, identity confirmed by video, four eyes
OTHER_MATTER = "GA-PSB-006"  # 户籍证明: online, for the citizen herself
OFFICE = "wz-psb"
CITIZEN_ID = "11010519491231002X"  # GB 11643's own example


def resident_id(first17):
    """Completes 17 digits with their ISO 7064 MOD 11-2 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


FATHER_ID = resident_id("33030219600315123")


def mail_with(mail_dir, address, pattern, timeout=MAIL_HANG_GUARD):
    """The newest mail to `address` whose text matches `pattern` (an earlier mail may be newest for a
    moment while the next is on its way); answers (subject, match)."""
    deadline = time.time() + timeout
    while True:
        subject, text = latest_mail(mail_dir, address)
        found = re.search(pattern, text)
        if found or time.time() > deadline:
            assert found, f"no mail to {address} matching {pattern}: {subject}"
            return subject, found
        time.sleep(0.3)


def register(driver, base, mail_dir, address, name, password):
    driver.get(base + "/register")
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.ID, "displayName").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    submit_form(driver, "/register")
    _, link = mail_with(mail_dir, address, r"https?://\S+#token=[A-Za-z0-9_-]+")
    driver.get(link.group(0))
    submit_form(driver, "/email/confirm")
    sign_in(driver, base, address, password)
    return enrol_totp(driver, base)


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def open_case_from_queue(staff, base, number):
    staff.get(base + "/office/queue")
    old = staff.find_element(By.TAG_NAME, "html")
    staff.find_element(By.PARTIAL_LINK_TEXT, number).click()
    wait(staff, EC.staleness_of(old))
    return staff.current_url


def test_id_card_renewed_through_a_relative(server, server_data, demo_accounts, browser_factory, mail_dir, tmp_path):
    # The citizen lives in Madrid and reads Chinese; her father at home reads English here, so both
    # languages are walked.
    citizen = browser_factory("zh-CN", video=True)
    citizen.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Madrid"})
    citizen_email = f"chen-{uuid.uuid4().hex[:8]}@example.org"
    citizen_secret = register(citizen, server, mail_dir, citizen_email, "陈静", "马德里的身份证到期了请爸爸代办")
    enrolled_at = time.time()
    father_email = f"chen-father-{uuid.uuid4().hex[:8]}@example.org"

    # She writes the power of attorney from the matter's refusal path: the renewal needs one.
    citizen.get(server + f"/mandates/new?matter={MATTER}")
    check_phone_layout(citizen, server + f"/mandates/new?matter={MATTER}")
    assert citizen.find_element(By.ID, f"m-{MATTER}").is_selected()
    citizen.find_element(By.ID, "principalIDNumber").send_keys(CITIZEN_ID[:-1] + "5")
    citizen.find_element(By.ID, "proxyName").send_keys("陈建国")
    citizen.find_element(By.ID, "proxyIDNumber").send_keys(FATHER_ID)
    citizen.find_element(By.CSS_SELECTOR, "#relationship option[value=parent]").click()
    citizen.find_element(By.ID, "proxyEmail").send_keys(father_email)
    # Collecting the result is allowed unless she says otherwise; signing and paying are not.
    assert citizen.find_element(By.ID, "mayCollect").is_selected() and not citizen.find_element(By.ID, "maySign").is_selected()
    submit_form(citizen, "/mandates")
    # A wrong check character is named, in her language, and nothing is saved.
    error = citizen.find_element(By.ID, "principalIDNumber-error").text
    assert "X" in error and "校验" in error, error
    # What she typed is kept; she corrects the one character.
    assert citizen.find_element(By.ID, "proxyIDNumber").get_attribute("value") == FATHER_ID
    assert citizen.find_element(By.ID, "proxyName").get_attribute("value") == "陈建国"
    submit_form(citizen, "/mandates", {"principalIDNumber": CITIZEN_ID})
    mandate_url = citizen.current_url
    assert re.search(r"/mandates/[0-9a-f-]{36}$", mandate_url), mandate_url
    # Before signing she reads the exact terms, with both numbers in full.
    assert FATHER_ID in citizen.find_element(By.CSS_SELECTOR, "pre.terms").text
    check_phone_layout(citizen, mandate_url)

    # She signs with a fresh code from her authenticator; the signed document is a PDF.
    # (A code is accepted once: the one used to set up two-step sign-in is spent, so wait for the next.)
    time.sleep(max(0, (int(enrolled_at // 30) + 1) * 30 - time.time() + 0.5))
    submit_form(citizen, "/signature", {"code": totp(citizen_secret)})
    assert citizen.find_element(By.ID, "mandate-status").text == "已签署，等待亲属接受", main_text(citizen)
    # Afterwards ID numbers are shown masked: first 6 and last 4.
    page = main_text(citizen)
    assert FATHER_ID not in page and CITIZEN_ID not in page and FATHER_ID[:6] + "********" + FATHER_ID[-4:] in page, page
    status, document = http(citizen, mandate_url + "/document.pdf")
    assert status == 200 and document.startswith(b"%PDF")

    # The father is invited by mail, registers with that address and accepts by typing his ID number.
    _, found = mail_with(mail_dir, father_email, r"https?://\S+/mandates/[0-9a-f-]{36}")
    link = found.group(0)
    assert link.endswith(mandate_url.rsplit("/", 1)[1]) and FATHER_ID not in found.string
    father = browser_factory("en")
    register(father, server, mail_dir, father_email, "Chen Jianguo", "my daughter is in Madrid and I am at home")
    father.get(link.replace(link.split("/mandates/")[0], server))
    check_phone_layout(father, mandate_url)
    submit_form(father, "/acceptance", {"idNumber": resident_id("33030219600315124")[:17] + "0"})
    assert father.find_element(By.ID, "idNumber-error").text, "a wrong ID number is refused"
    submit_form(father, "/acceptance", {"idNumber": FATHER_ID.lower()})
    assert father.find_element(By.ID, "mandate-status").text == "In force", main_text(father)

    # She applies for the renewal naming the mandate; she also has a case of her own he must not see.
    citizen.get(server + f"/matters/{OTHER_MATTER}/apply")
    citizen.find_element(By.NAME, "details").send_keys("本人申请户籍证明，与代办无关。")
    submit_form(citizen, f"/matters/{OTHER_MATTER}/apply")
    own_case = citizen.current_url
    citizen.get(server + f"/matters/{MATTER}/apply")
    options = citizen.find_elements(By.CSS_SELECTOR, "select[name=mandate] option")
    next(o for o in options if "陈建国" in o.text).click()
    citizen.find_element(By.NAME, "details").send_keys("身份证已过期，本人在马德里，委托父亲陈建国代为换领。")
    submit_form(citizen, f"/matters/{MATTER}/apply")
    case_url = citizen.current_url
    number = re.search(r"ZE-\d{4}-\d{6}", main_text(citizen)).group(0)

    # The father finds it among the cases he handles for others, uploads every material and submits.
    father.get(server + "/mandates")
    assert number in main_text(father)
    father.find_element(By.PARTIAL_LINK_TEXT, number).click()
    wait(father, lambda d: d.current_url == case_url)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n% scan\n%%EOF\n")
    selector = "input[type=file][data-upload-url*='purpose=material']"
    photo = ROOT / "Tests" / "Fixtures" / "photos" / "good.jpg"
    for index in range(len(father.find_elements(By.CSS_SELECTOR, selector))):
        field = father.find_elements(By.CSS_SELECTOR, selector)[index]
        # The ID photo is a JPEG that meets the photo rules; every other material a scan.
        upload(father, field, photo if field.get_attribute("data-id-photo") is not None else scan)
    submit_form(father, "/actions/submit")
    assert "Submitted" in main_text(father)
    status, _ = http(father, own_case)
    assert status == 404, "the relative must not see the citizen's other case"
    father.get(own_case)
    assert number not in main_text(father)

    # The station accepts. Its video hours start in a minute or two, bookable at no notice, so the
    # call happens at the appointment itself.
    officer_email = f"supervisor.{OFFICE}@demo.zeroerrand.example"
    officer = browser_factory("zh-CN", video=True)
    sign_in(officer, server, officer_email, demo_accounts[officer_email])
    enrol_totp(officer, server)
    office_case = open_case_from_queue(officer, server, number)
    submit_form(officer, "/actions/accept")
    submit_form(officer, "/actions/start_review")
    subprocess.run(["sqlite3", os.path.join(server_data["data"], "zeroerrand.sqlite"),
                    f"UPDATE departments SET booking_notice_hours = 0 WHERE code = '{OFFICE}'"], check=True)
    publish_hours(officer, server, start=soon_in_office())

    # She books the confirmation; both join with fake cameras; he confirms once the slot has begun.
    session, start = book_first_slot(citizen, case_url)
    assert "Europe/Madrid" in citizen.find_element(By.ID, "current-appointment").text
    join(citizen, server, session)
    join(officer, server, session)
    wait_for_call(citizen)
    wait_for_call(officer)
    time.sleep(max(0, start + 7 - time.time()))
    officer.get(server + f"/video/{session}")
    record_outcome(officer, "identity_confirmed", "本人与护照一致，确认委托父亲代为换领。")

    # Four eyes: the officer who prepared it cannot decide; the station's reviewer approves.
    officer.get(office_case)
    assert not officer.find_elements(By.CSS_SELECTOR, "form[action$='/actions/approve']")
    assert officer.find_element(By.ID, "decision-hint").text
    reviewer_email = f"reviewer.{OFFICE}@demo.zeroerrand.example"
    reviewer = browser_factory("zh-CN")
    sign_in(reviewer, server, reviewer_email, demo_accounts[reviewer_email])
    enrol_totp(reviewer, server)
    reviewer.get(office_case)
    submit_form(reviewer, "/actions/approve", {"text": "视频核验通过，准予换领。"})

    # The card is made, then ready: both the citizen and her father hear of it.
    officer.get(office_case)
    submit_form(officer, "/actions/record_production", {"text": "已送制证中心，卡号待回。"})
    submit_form(officer, "/actions/ready_for_collection")
    mail_with(mail_dir, citizen_email, number + r" 的办理结果已可到机关领取")
    mail_with(mail_dir, father_email, number + r" is ready for collection")

    # The father opens his pass; the counter types its code and hands the card over.
    father.get(mandate_url + "/pass")
    check_phone_layout(father, mandate_url + "/pass")
    code = father.find_element(By.CSS_SELECTOR, ".pass-code").text
    assert father.find_element(By.CSS_SELECTOR, ".pass-qr svg")
    officer.get(server + "/office/passes")
    officer.find_element(By.ID, "code").send_keys(code.lower())
    old = officer.find_element(By.TAG_NAME, "html")
    officer.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait(officer, EC.staleness_of(old))
    assert officer.find_element(By.ID, "pass-verdict").get_attribute("data-verdict") == "valid"
    counter = main_text(officer)
    assert "陈建国" in counter and FATHER_ID in counter and number in counter
    check_phone_layout(officer, officer.current_url)
    pass_url = officer.current_url
    officer.get(pass_url)
    submit_form(officer, "/collections/" + case_url.rsplit("/", 1)[1])

    # Every step is on her timeline with who did it, and the case is closed.
    citizen.get(case_url)
    page = main_text(citizen)
    assert "已办结" in page, page
    timeline = citizen.find_element(By.ID, "timeline").text
    for word in ("陈建国", "视频核验身份通过", "准予换领", "已送制证中心"):
        assert word in timeline, (word, timeline)

    # She revokes; at once the father's pages refuse and the counter says the pass is revoked.
    citizen.get(mandate_url)
    old = citizen.find_element(By.TAG_NAME, "html")
    citizen.find_element(By.CSS_SELECTOR, "form[action$='/revocation'] button").click()
    # It asks first.
    wait(citizen, EC.alert_is_present())
    citizen.switch_to.alert.accept()
    wait(citizen, EC.staleness_of(old))
    assert citizen.find_element(By.ID, "mandate-status").text == "已撤销"
    # He is told why the case is closed to him, and sees nothing of it.
    status, body = http(father, case_url)
    assert status == 403 and (b"revoked or has expired" in body or "已被撤销或已过期".encode() in body)
    mail_with(mail_dir, father_email, "revoked the power of attorney")
    officer.get(pass_url)
    assert officer.find_element(By.ID, "pass-verdict").get_attribute("data-verdict") == "revoked"
