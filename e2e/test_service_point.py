"""Issue 14's browser check: an elderly visitor renews her ID card at the Madrid service point. She
takes a number on her phone and is called to the desk; the assistant registers her there (she types
her own address and password), she sets up her authenticator on her own phone, signs a power of
attorney for her son at home, and gives the point a two-hour permission on the desk's screen with
her own code. The assistant checks her passport in person, starts the renewal, uploads the scans,
refuses a dark-background photo and takes a good one; she submits on the desk's screen with her own
code. She books the video confirmation in the point's room on her phone; the assistant opens the
call on the desk's computer and the official confirms her identity. At home she sees all of it in
her access log and ends the permission; the desk is then refused. Pages are walked at 360 px in
both languages."""
import os
import re
import subprocess
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import ROOT, totp
from test_application_journey import enrol_totp, submit_form, upload, wait
from test_id_card_renewal import CITIZEN_ID, FATHER_ID, OFFICE, mail_with, main_text
from test_video_calls import (check_phone_layout, join, publish_hours, record_outcome, sign_in, soon_in_office,
                              wait_for_call)

MATTER = "GA-PSB-001"
POINT = "es-madrid"
PHOTOS = ROOT / "Tests" / "Fixtures" / "photos"
# Her passport's machine-readable zone (check digits computed as ICAO Doc 9303 says).
MRZ = "P<CHNWANG<<XIULAN<<<<<<<<<<<<<<<<<<<<<<<<<<<\nE123456782CHN4803151F3001019<<<<<<<<<<<<<<00"


class Codes:
    """An authenticator app: each code is accepted once, so the next one waits for a new window."""

    def __init__(self, secret):
        self.secret, self.used = secret, int(time.time() // 30)

    def next(self):
        while int(time.time() // 30) <= self.used:
            time.sleep(0.5)
        self.used = int(time.time() // 30)
        return totp(self.secret)


def test_elderly_visitor_renews_her_id_card_at_the_madrid_point(server, server_data, demo_accounts, browser_factory, mail_dir, tmp_path):
    database = os.path.join(server_data["data"], "zeroerrand.sqlite")
    # Whenever the suite runs, the point is open.
    subprocess.run(["sqlite3", database, f"UPDATE service_points SET hours = 'mon-sun 00:00-24:00' WHERE code = '{POINT}'"], check=True)

    # At the door she takes a number on her phone (Chinese, 360 px).
    phone = browser_factory("zh-CN", width=360, height=740)
    phone.get(server + "/service-points?city=马德里")
    cards = phone.find_elements(By.CSS_SELECTOR, ".point-card h2")
    assert "马德里" in cards[0].text, [c.text for c in cards[:3]]
    check_phone_layout(phone, server + "/service-points?city=Madrid")
    phone.get(server + f"/service-points/{POINT}/queue")
    phone.find_element(By.CSS_SELECTOR, f"#matter option[value='{MATTER}']").click()
    submit_form(phone, "/queue")
    ticket_url = phone.current_url
    number = phone.find_element(By.ID, "ticket-number").text
    assert number.isdigit() and phone.find_element(By.CSS_SELECTOR, ".ticket-qr svg")
    assert "等候中" in main_text(phone)
    check_phone_layout(phone, ticket_url)

    # The assistant calls the next number; her phone says it is her turn.
    desk = browser_factory("zh-CN", video=True)   # the point's computer, with its camera
    assistant = f"assistant.{POINT}@demo.zeroerrand.example"
    sign_in(desk, server, assistant, demo_accounts[assistant])
    enrol_totp(desk, server)
    desk.get(server + "/service-point/queue")
    assert number in main_text(desk)
    submit_form(desk, "/service-point/queue/next")
    phone.get(ticket_url)
    assert "轮到您了" in main_text(phone), main_text(phone)

    # She has no account: she registers on the desk's screen, typing her own address and password.
    visitor_email = f"wang-{uuid.uuid4().hex[:8]}@example.org"
    password = "在马德里换领身份证的王秀兰"
    desk.get(server + "/service-point")
    desk.find_element(By.CSS_SELECTOR, "a[href='/register']").click()
    assert desk.find_element(By.ID, "timeZone").get_attribute("value") == "Europe/Madrid"
    desk.find_element(By.ID, "email").send_keys(visitor_email)
    desk.find_element(By.ID, "displayName").send_keys("王秀兰")
    desk.find_element(By.ID, "password").send_keys(password)
    submit_form(desk, "/register")

    # On her own phone: the confirmation mail, signing in, her authenticator.
    _, link = mail_with(mail_dir, visitor_email, r"https?://\S+#token=[A-Za-z0-9_-]+")
    phone.get(link.group(0))
    submit_form(phone, "/email/confirm")
    sign_in(phone, server, visitor_email, password)
    codes = Codes(enrol_totp(phone, server))

    # She signs a power of attorney for her son in Wenzhou, who collects the card; he accepts.
    son_email = f"wang-son-{uuid.uuid4().hex[:8]}@example.org"
    phone.get(server + f"/mandates/new?matter={MATTER}")
    phone.find_element(By.ID, "principalIDNumber").send_keys(CITIZEN_ID)
    phone.find_element(By.ID, "proxyName").send_keys("李建华")
    phone.find_element(By.ID, "proxyIDNumber").send_keys(FATHER_ID)
    phone.find_element(By.CSS_SELECTOR, "#relationship option[value=child]").click()
    phone.find_element(By.ID, "proxyEmail").send_keys(son_email)
    submit_form(phone, "/mandates")
    submit_form(phone, "/signature", {"code": codes.next()})
    _, found = mail_with(mail_dir, son_email, r"https?://\S+/mandates/[0-9a-f-]{36}")
    son = browser_factory("en")
    son.get(server + "/register")
    son.find_element(By.ID, "email").send_keys(son_email)
    son.find_element(By.ID, "displayName").send_keys("Li Jianhua")
    son.find_element(By.ID, "password").send_keys("my mother is in Madrid and I am at home")
    submit_form(son, "/register")
    _, son_link = mail_with(mail_dir, son_email, r"https?://\S+#token=[A-Za-z0-9_-]+")
    son.get(son_link.group(0))
    submit_form(son, "/email/confirm")
    sign_in(son, server, son_email, "my mother is in Madrid and I am at home")
    son.get(found.group(0).replace(found.group(0).split("/mandates/")[0], server))
    submit_form(son, "/acceptance", {"idNumber": FATHER_ID})
    assert son.find_element(By.ID, "mandate-status").text == "In force", main_text(son)

    # Back at the desk she gives the point permission with her own password and code.
    desk.get(server + "/service-point")
    form = desk.find_element(By.CSS_SELECTOR, "form[action='/service-point/permissions']")
    form.find_element(By.ID, "email").send_keys(visitor_email)
    form.find_element(By.ID, "password").send_keys(password)
    form.find_element(By.ID, "code").send_keys(codes.next())
    form.find_element(By.CSS_SELECTOR, f"#matter option[value='{MATTER}']").click()
    form.find_element(By.ID, "consent").click()
    submit_form(desk, "/service-point/permissions")
    permission_url = desk.current_url
    assert re.search(r"/service-point/permissions/[0-9A-Fa-f-]{36}$", permission_url), permission_url
    assert "王秀兰" in main_text(desk)

    # Passport in hand: a mistyped digit is caught; the right zone is recorded.
    desk.find_element(By.ID, "photoMatches").click()
    submit_form(desk, "/passport", {"mrz": MRZ.replace("E12345678", "E12345679")})
    assert "校验位" in desk.find_element(By.ID, "mrz-error").text
    desk.find_element(By.ID, "photoMatches").click()
    submit_form(desk, "/passport", {"mrz": MRZ})
    assert "E1****678" in main_text(desk) and "WANG XIULAN" in main_text(desk)

    # The assistant starts the renewal in her name, under her son's power of attorney.
    desk.find_element(By.CSS_SELECTOR, f"a[href*='/matters/{MATTER}/apply?permission=']").click()
    assert "王秀兰" in desk.find_element(By.ID, "desk-note").text
    options = desk.find_elements(By.CSS_SELECTOR, "select[name=mandate] option")
    next(o for o in options if o.text == "为王秀兰办理，由其亲属李建华代办").click()
    desk.find_element(By.NAME, "details").send_keys("本人在马德里服务点换领到期身份证，由儿子李建华在温州代领。")
    submit_form(desk, f"/apply?permission={permission_url.rsplit('/', 1)[1]}")
    case_url = desk.current_url
    case_number = re.search(r"ZE-\d{4}-\d{6}", main_text(desk)).group(0)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n% scan at the desk\n%%EOF\n")
    selector = "input[type=file][data-upload-url*='purpose=material']"
    for index in range(len(desk.find_elements(By.CSS_SELECTOR, selector))):
        field = desk.find_elements(By.CSS_SELECTOR, selector)[index]
        if field.get_attribute("data-id-photo") is None:   # the photo is taken at the desk below
            upload(desk, field, scan)

    # The photo at the desk: a dark background is refused with the reason; a good one goes on the case.
    desk.get(permission_url)
    photo_form = desk.find_element(By.CSS_SELECTOR, "form[action$='/photo']")
    photo_form.find_element(By.NAME, "photo").send_keys(str(PHOTOS / "dark-background.jpg"))
    submit_form(desk, "/photo")
    assert "背景太暗" in desk.find_element(By.CSS_SELECTOR, "[id^=photo-problems-]").text
    desk.find_element(By.CSS_SELECTOR, "form[action$='/photo'] input[name=photo]").send_keys(str(PHOTOS / "good.jpg"))
    submit_form(desk, "/photo")
    assert case_number in desk.find_element(By.CSS_SELECTOR, "#cases .alert-notice").text

    # She submits on the desk's screen with her own code.
    desk.get(case_url)
    submit_form(desk, "/actions/submit", {"visitorCode": codes.next()})
    assert "已提交" in main_text(desk), main_text(desk)

    # The office's video hours begin in a minute or two (its other officials' hours are cleared, so
    # the clerk hosts); on her phone she books the confirmation in the point's room.
    officer_email = f"clerk.{OFFICE}@demo.zeroerrand.example"
    officer = browser_factory("zh-CN", video=True)
    sign_in(officer, server, officer_email, demo_accounts[officer_email])
    enrol_totp(officer, server)
    subprocess.run(["sqlite3", database, f"UPDATE departments SET booking_notice_hours = 0 WHERE code = '{OFFICE}'; "
                    f"DELETE FROM video_availability WHERE department_id = (SELECT id FROM departments WHERE code = '{OFFICE}')"],
                   check=True)
    publish_hours(officer, server, start=soon_in_office())
    phone.get(case_url + "/video?night=1")
    slot = phone.find_element(By.CSS_SELECTOR, "input[name=start]")
    start = int(slot.get_attribute("value"))
    slot.click()
    phone.find_element(By.CSS_SELECTOR, f"#point option[value='{POINT}']").click()
    submit_form(phone, "/video")
    session = phone.find_element(By.CSS_SELECTOR, "a[href^='/video/']").get_attribute("href").rsplit("/", 1)[1]

    # The assistant opens the call on the desk's computer; the official joins from home.
    desk.get(server + "/service-point")
    submit_form(desk, f"/service-point/video/{session}/open")
    desk.find_element(By.ID, "join-call").click()
    officer.get(server + "/office/video")
    assert "申请人在马德里海外服务点参加，由 马德里海外服务点 assistant 协助" in main_text(officer), main_text(officer)
    join(officer, server, session)
    wait_for_call(desk)
    wait_for_call(officer)
    people = officer.find_element(By.CSS_SELECTOR, "[aria-labelledby=people-heading]").text
    assert "马德里海外服务点协助人员" in people and "王秀兰" in people, people
    assert "马德里海外服务点" in main_text(officer)

    # While the slot has not begun: her son's pages in English at 360 px.
    for path in ("/service-points?city=Milano", f"/service-points/{POINT}/queue", ticket_url.replace(server, "")):
        check_phone_layout(son, server + path)
    time.sleep(max(0, start + 7 - time.time()))
    officer.get(server + f"/video/{session}")
    record_outcome(officer, "identity_confirmed", "在马德里服务点视频核验，本人与护照一致。")
    assert "视频核验身份通过" in main_text(officer), main_text(officer)

    # At home she reads who did what, and ends the permission; the desk is then refused.
    phone.get(case_url)
    assert "视频核验身份通过" in phone.find_element(By.ID, "timeline").text
    phone.get(server + "/account/access-log")
    log = main_text(phone)
    assert "马德里海外服务点" in log and case_number in log, log
    check_phone_layout(phone, server + "/account/access-log")
    old = phone.find_element(By.TAG_NAME, "html")
    phone.find_element(By.CSS_SELECTOR, "form[action$='/revoke'] button").click()
    wait(phone, EC.alert_is_present())   # "End this permission now?"
    phone.switch_to.alert.accept()
    wait(phone, EC.staleness_of(old))
    desk.get(case_url)
    assert "已结束" in main_text(desk), main_text(desk)
    assert case_number not in main_text(desk)

    # The served ticket, and the pages in English at 360 px.
    desk.get(server + "/service-point/queue")
    submit_form(desk, "/served")   # waits for the answer before the ticket is read
    son.get(ticket_url)
    assert "Served" in main_text(son)
    # The ticket's link is its only key: it never reaches the server's log.
    log = open(server_data["log"]).read()
    assert ticket_url.rsplit("/", 1)[1] not in log and "GET /queue/:token" in log
