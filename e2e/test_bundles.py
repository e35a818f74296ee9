"""Issue 13's browser check of one request across offices (一件事): a mother in Madrid registers her
daughter born abroad and applies for the child's first ID card. She gives her father at home one
power of attorney for the two police matters, starts the bundle on one form and uploads each
document once. The overseas Chinese affairs office verifies the birth certificate and issues it;
she takes it from her wallet into the household registration (with consent); the police station
confirms her identity by live video, registers the child and issues the household register page,
which she takes from the wallet into the ID card part; the station decides that too. The request
reads "done" on one page with one timeline; each office sees only its own part, and an office
cannot read a wallet document that was not shared with it. Pages are checked at 360 px in both
languages."""
import os
import re
import subprocess
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import emulate_phone, totp
from test_application_journey import enrol_totp, submit_form, upload, wait
from test_id_card_renewal import CITIZEN_ID, FATHER_ID, mail_with, main_text, open_case_from_queue, register
from test_page_widths import check_in_both_languages
from test_video_calls import book_first_slot, http, join, publish_hours, record_outcome, sign_in, soon_in_office, wait_for_call

BUNDLE = "newborn-registration"
RELATIVE_MATTERS = ("GA-PSB-013", "GA-PSB-018")
VERIFIER = "wz-qiaoban"
STATION = "wc-psb-yuhu"


def staff(browser_factory, server, demo_accounts, office, video=False):
    driver = browser_factory("zh-CN", video=video)
    email = f"supervisor.{office}@demo.zeroerrand.example"
    sign_in(driver, server, email, demo_accounts[email])
    enrol_totp(driver, server)
    return driver


def decide(official, office_case, text, result):
    """Approves the part with `text`, attaches the result file and issues it."""
    official.get(office_case)
    submit_form(official, "/actions/approve", {"text": text})
    upload(official, official.find_element(By.CSS_SELECTOR, "input[type=file][data-upload-url*='purpose=result']"), result)
    submit_form(official, "/actions/issue_result")


def take_from_wallet(citizen, case_url, label_part):
    """On a part's page: the first material offering the wallet gets the issued document whose label
    contains `label_part`, with consent."""
    citizen.get(case_url)
    form = citizen.find_element(By.CSS_SELECTOR, "form.wallet-pick")
    select = Select(form.find_element(By.NAME, "document"))
    select.select_by_visible_text(next(o.text for o in select.options if label_part in o.text))
    form.find_element(By.NAME, "consent").click()
    click_and_wait(citizen, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def click_and_wait(driver, button):
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait(driver, EC.staleness_of(old))


def part_links(citizen):
    """The parts' case pages and numbers, in order, from the request's page."""
    cards = citizen.find_elements(By.CSS_SELECTOR, "#bundle-parts > li")
    return [(card.find_element(By.CSS_SELECTOR, "h3 a").get_attribute("href"),
             re.search(r"ZE-\d{4}-\d{6}", card.text).group(0)) for card in cards]


def test_newborn_registered_by_two_offices_with_documents_from_the_wallet(
        server, server_data, demo_accounts, browser_factory, mail_dir, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    scan = files / "出生证明及译文.pdf"
    scan.write_bytes(b"%PDF-1.7\n% birth certificate, apostille, translation\n%%EOF\n")
    verified = files / "出生证明核验件.pdf"
    verified.write_bytes(b"%PDF-1.7\n% verified copy of the birth certificate\n%%EOF\n")
    household = files / "户口登记页.pdf"
    household.write_bytes(b"%PDF-1.7\n% household register page of the child\n%%EOF\n")
    card = files / "身份证受理回执.pdf"
    card.write_bytes(b"%PDF-1.7\n% ID card application receipt\n%%EOF\n")

    citizen = browser_factory("zh-CN", video=True)
    citizen.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Madrid"})
    citizen_email = f"lin-{uuid.uuid4().hex[:8]}@example.org"
    secret = register(citizen, server, mail_dir, citizen_email, "林晓", "女儿在马德里出生要回国落户")
    enrolled_at = time.time()

    # The bundle's page: three parts, two offices; the police parts need a relative at home, and
    # the way there writes one power of attorney with both matters ticked.
    citizen.get(server + f"/bundles/{BUNDLE}")
    page = main_text(citizen)
    assert "温州市人民政府侨务办公室" in page and "文成县公安局玉壶派出所" in page, page
    assert not citizen.find_elements(By.NAME, "details"), "no form before the power of attorney"
    citizen.find_element(By.CSS_SELECTOR, "a[href*='/mandates/new?matter=']").click()
    for code in RELATIVE_MATTERS:
        assert citizen.find_element(By.ID, f"m-{code}").is_selected(), code
    father_email = f"lin-father-{uuid.uuid4().hex[:8]}@example.org"
    citizen.find_element(By.ID, "principalIDNumber").send_keys(CITIZEN_ID)
    citizen.find_element(By.ID, "proxyName").send_keys("林国强")
    citizen.find_element(By.ID, "proxyIDNumber").send_keys(FATHER_ID)
    citizen.find_element(By.CSS_SELECTOR, "#relationship option[value=parent]").click()
    citizen.find_element(By.ID, "proxyEmail").send_keys(father_email)
    submit_form(citizen, "/mandates")
    time.sleep(max(0, (int(enrolled_at // 30) + 1) * 30 - time.time() + 0.5))
    submit_form(citizen, "/signature", {"code": totp(secret)})

    # Her father accepts it (the parts can only be submitted under a power of attorney in force).
    _, found = mail_with(mail_dir, father_email, r"https?://\S+/mandates/[0-9a-f-]{36}")
    father = browser_factory("en")
    register(father, server, mail_dir, father_email, "Lin Guoqiang", "my granddaughter was born in Madrid")
    father.get(server + "/mandates/" + found.group(0).rsplit("/", 1)[1])
    submit_form(father, "/acceptance", {"idNumber": FATHER_ID})
    assert father.find_element(By.ID, "mandate-status").text == "In force", main_text(father)

    # One form; every document once; the first part goes, the others wait for its result.
    citizen.get(server + f"/bundles/{BUNDLE}")
    assert "林国强" in Select(citizen.find_element(By.NAME, "mandate")).first_selected_option.text
    citizen.find_element(By.NAME, "details").send_keys("女儿林小满2026年10月3日生于马德里，随母落户温州文成，并首次申领身份证。")
    submit_form(citizen, f"/bundles/{BUNDLE}")
    request_url = citizen.current_url
    assert re.search(r"/bundle-requests/[0-9A-Fa-f-]{36}$", request_url), main_text(citizen)
    slots = len(citizen.find_elements(By.CSS_SELECTOR, "#materials input[type=file]"))
    assert slots >= 4
    for index in range(slots):
        upload(citizen, citizen.find_elements(By.CSS_SELECTOR, "#materials input[type=file]")[index], scan)
    assert "出生证明及译文.pdf" in main_text(citizen)
    submit_form(citizen, "/submit")
    assert "取自第1项的办理结果" in main_text(citizen), main_text(citizen)
    (verify_url, verify_number), (register_url, register_number), (card_url, card_number) = part_links(citizen)

    # The overseas Chinese affairs office sees its part, and only it; it verifies and issues.
    verifier = staff(browser_factory, server, demo_accounts, VERIFIER)
    verifier_case = open_case_from_queue(verifier, server, verify_number)
    assert "第1项（共3项）" in main_text(verifier) and register_number not in main_text(verifier)
    submit_form(verifier, "/actions/accept")
    submit_form(verifier, "/actions/start_review")
    decide(verifier, verifier_case, "出生证明经认证，译文与原文相符。", verified)
    assert http(verifier, server + "/bundle-requests/" + request_url.rsplit("/", 1)[1])[0] == 404
    assert http(verifier, register_url.replace("/cases/", "/office/cases/"))[0] == 404

    # She takes the verified copy from her wallet into the registration, and sends it.
    citizen.get(request_url)
    assert "第1项已出具" in main_text(citizen), main_text(citizen)
    take_from_wallet(citizen, register_url, "出生证明核验件")
    citizen.get(request_url)
    submit_form(citizen, "/submit")
    assert "取自第2项的办理结果" in main_text(citizen), main_text(citizen)

    # The station reads the copy marked as issued and checked; it cannot open the original at the
    # verifying office. It confirms her identity by video, then registers the child.
    station = staff(browser_factory, server, demo_accounts, STATION, video=True)
    station_case = open_case_from_queue(station, server, register_number)
    assert "侨务" in main_text(station) and "出生证明核验件.pdf" in main_text(station), main_text(station)
    citizen.get(verify_url)
    original = citizen.find_element(By.PARTIAL_LINK_TEXT, "出生证明核验件.pdf").get_attribute("href")
    assert http(station, original.replace("/cases/", "/office/cases/"))[0] == 404
    assert http(station, original)[0] in (403, 404)
    submit_form(station, "/actions/accept")
    submit_form(station, "/actions/start_review")
    subprocess.run(["sqlite3", os.path.join(server_data["data"], "zeroerrand.sqlite"),
                    f"UPDATE departments SET booking_notice_hours = 0 WHERE code = '{STATION}'"], check=True)
    publish_hours(station, server, start=soon_in_office())
    session, start = book_first_slot(citizen, register_url)
    join(citizen, server, session)
    join(station, server, session)
    wait_for_call(citizen)
    wait_for_call(station)
    time.sleep(max(0, start + 7 - time.time()))
    station.get(server + f"/video/{session}")
    record_outcome(station, "identity_confirmed", "本人与护照一致。")
    decide(station, station_case, "准予在母亲户内登记出生。", household)

    # The household register page from the wallet into the ID card part; the station decides it too.
    take_from_wallet(citizen, card_url, "户口登记页")
    citizen.get(request_url)
    submit_form(citizen, "/submit")
    card_case = open_case_from_queue(station, server, card_number)
    submit_form(station, "/actions/accept")
    submit_form(station, "/actions/start_review")
    decide(station, card_case, "受理首次申领，制证中。", card)

    # Done: one page, one timeline with every office's steps, in her zone with the zone named.
    citizen.get(request_url)
    page = main_text(citizen)
    assert "已办结" in citizen.find_element(By.ID, "bundle-outcome").text, page
    timeline = citizen.find_element(By.ID, "timeline").text
    for word in ("第1项", "第2项", "第3项", "身份证受理回执.pdf", "户口登记页.pdf"):
        assert word in timeline, word
    assert "Europe/Madrid" in page

    # At 360 px in both languages: her request, its public page, and a part as the station sees it.
    problems = []
    for driver in (citizen, station):
        emulate_phone(driver)
    check_in_both_languages(citizen, server, "citizen", [request_url.removeprefix(server), f"/bundles/{BUNDLE}", "/cases"], problems)
    check_in_both_languages(station, server, "station", [card_case.removeprefix(server)], problems)
    assert problems == [], "\n".join(problems)
