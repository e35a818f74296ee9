"""Issue 3's browser check, in Chinese: a citizen applies and uploads a file; a clerk asks for a
supplement; the citizen supplies it; the clerk may not decide, the station's reviewer approves with a result; the citizen downloads the
result and sees every step on the timeline."""
import re
import time
import uuid

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import latest_mail, totp

MATTER = "GA-PSB-006"  # 户籍证明, Wuma police station, online at identity level 2


def wait(driver, condition, seconds=15):
    # While a page is being replaced, Chromium may say "node does not belong to the document"
    # instead of "stale": both mean the navigation is under way, so keep polling.
    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,)).until(condition)


def submit_form(driver, action_suffix, fields=None):
    form = driver.find_element(By.CSS_SELECTOR, f"form[action$='{action_suffix}']")
    for name, value in (fields or {}).items():
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    old = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type='submit'], button:not([type])").click()
    wait(driver, EC.staleness_of(old))


def enrol_totp(driver, server):
    driver.get(server + "/account/two-factor")
    secret = driver.find_element(By.CSS_SELECTOR, "main code").text
    driver.find_element(By.ID, "code").send_keys(totp(secret))
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    wait(driver, EC.staleness_of(old))
    return secret


def upload(driver, input_element, path):
    """Choose a file as a person does; the page's script uploads it with progress and reloads."""
    old = driver.find_element(By.TAG_NAME, "html")
    input_element.send_keys(str(path))
    wait(driver, EC.staleness_of(old), seconds=30)


def test_citizen_and_clerk_work_a_case_in_chinese(server, demo_accounts, browser_factory, mail_dir, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    passport = files / "护照.pdf"
    passport.write_bytes(b"%PDF-1.7\n% passport scan\n%%EOF\n")
    household = files / "户口簿.pdf"
    household.write_bytes(b"%PDF-1.7\n% household register\n%%EOF\n")
    result = files / "户籍证明.pdf"
    result_bytes = b"%PDF-1.7\n% certificate of household registration\n%%EOF\n"
    result.write_bytes(result_bytes)

    # The clerk of the police station, from the demo data set.
    clerk_email = "clerk.wz-psb-wuma@demo.zeroerrand.example"
    clerk_password = demo_accounts[clerk_email]

    # The citizen registers, confirms the email and turns on two-step sign-in (identity level 2).
    citizen = browser_factory("zh-CN")
    address = f"wang-{uuid.uuid4().hex[:8]}@example.org"
    password = "马德里的阳光很好我要办户籍证明"
    citizen.get(server + "/register")
    citizen.find_element(By.ID, "email").send_keys(address)
    citizen.find_element(By.ID, "displayName").send_keys("王芳")
    citizen.find_element(By.ID, "password").send_keys(password)
    submit_form(citizen, "/register")
    _, text = latest_mail(mail_dir, address)
    citizen.get(re.search(r"https?://\S+#token=[A-Za-z0-9_-]+", text).group(0))
    submit_form(citizen, "/email/confirm")
    citizen.get(server + "/sign-in")
    citizen.find_element(By.ID, "email").send_keys(address)
    citizen.find_element(By.ID, "password").send_keys(password)
    submit_form(citizen, "/sign-in")
    enrol_totp(citizen, server)

    # Apply: a draft, one file per required material, then submit.
    citizen.get(server + f"/matters/{MATTER}/apply")
    citizen.find_element(By.NAME, "details").send_keys("本人在西班牙，办理居留需要户籍证明。")
    submit_form(citizen, f"/matters/{MATTER}/apply")
    case_url = citizen.current_url
    assert re.search(r"/cases/[0-9A-Fa-f-]{36}$", case_url)
    number = re.search(r"ZE-\d{4}-\d{6}", citizen.find_element(By.TAG_NAME, "main").text).group(0)
    material_inputs = len(citizen.find_elements(By.CSS_SELECTOR, "input[type=file][data-upload-url*='purpose=material']"))
    assert material_inputs >= 1
    for index in range(material_inputs):
        element = citizen.find_elements(By.CSS_SELECTOR, "input[type=file][data-upload-url*='purpose=material']")[index]
        upload(citizen, element, passport)
    assert "护照.pdf" in citizen.find_element(By.TAG_NAME, "main").text
    submit_form(citizen, "/actions/submit")

    # The clerk signs in for the first time (sets up TOTP), finds the case in the queue, asks for more.
    clerk = browser_factory("zh-CN")
    clerk.get(server + "/sign-in")
    clerk.find_element(By.ID, "email").send_keys(clerk_email)
    clerk.find_element(By.ID, "password").send_keys(clerk_password)
    submit_form(clerk, "/sign-in")
    enrol_totp(clerk, server)
    clerk.get(server + "/office/queue?status=submitted")
    old = clerk.find_element(By.TAG_NAME, "html")
    clerk.find_element(By.PARTIAL_LINK_TEXT, number).click()
    wait(clerk, EC.staleness_of(old))
    office_url = clerk.current_url
    submit_form(clerk, "/actions/accept")
    due = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 10 * 86400))
    form = clerk.find_element(By.CSS_SELECTOR, "form[action$='/actions/request_supplement']")
    form.find_element(By.NAME, "text").send_keys("请补充户口簿首页及本人页")
    clerk.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "date"), due)
    old = clerk.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait(clerk, EC.staleness_of(old))
    assert "请补充户口簿首页及本人页" in clerk.find_element(By.TAG_NAME, "main").text

    # The citizen sees the request, supplies the file and resubmits.
    citizen.get(case_url)
    assert "请补充户口簿首页及本人页" in citizen.find_element(By.TAG_NAME, "main").text
    upload(citizen, citizen.find_elements(By.CSS_SELECTOR, "input[type=file][data-upload-url]")[0], household)
    submit_form(citizen, "/actions/resubmit")

    # A clerk prepares but does not decide: no approve or refuse on the clerk's page.
    clerk.get(office_url)
    assert not clerk.find_elements(By.CSS_SELECTOR, "form[action$='/actions/approve'], form[action$='/actions/refuse']")

    # The station's reviewer approves, attaches the result and issues it.
    reviewer_email = "reviewer.wz-psb-wuma@demo.zeroerrand.example"
    reviewer = browser_factory("zh-CN")
    reviewer.get(server + "/sign-in")
    reviewer.find_element(By.ID, "email").send_keys(reviewer_email)
    reviewer.find_element(By.ID, "password").send_keys(demo_accounts[reviewer_email])
    submit_form(reviewer, "/sign-in")
    enrol_totp(reviewer, server)
    reviewer.get(office_url)
    submit_form(reviewer, "/actions/approve", {"text": "材料齐全，准予出具证明。"})
    upload(reviewer, reviewer.find_element(By.CSS_SELECTOR, "input[type=file][data-upload-url*='purpose=result']"), result)
    submit_form(reviewer, "/actions/issue_result")

    # The citizen downloads the result and sees every step on the timeline, in Chinese.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    citizen.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    citizen.get(case_url)
    assert citizen.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    citizen.find_element(By.PARTIAL_LINK_TEXT, "户籍证明.pdf").click()
    deadline = time.time() + 15
    while time.time() < deadline and not any(p.suffix == ".pdf" for p in downloads.iterdir()):
        time.sleep(0.2)
    downloaded = [p for p in downloads.iterdir() if p.suffix == ".pdf"]
    assert downloaded and downloaded[0].read_bytes() == result_bytes
    timeline = citizen.find_element(By.ID, "timeline").text
    steps = citizen.find_elements(By.CSS_SELECTOR, "#timeline li")
    assert len(steps) >= 9, timeline
    for word in ["户籍证明.pdf", "请补充户口簿首页及本人页", "材料齐全"]:
        assert word in timeline, word
    assert re.search(r"[\u4e00-\u9fff]", timeline), "the timeline reads in Chinese"
