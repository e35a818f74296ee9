"""Issue 10, phones: on a 360-pixel-wide screen no page scrolls sideways, in Chinese or in English,
for any kind of visitor. Tables turn into cards there, so nothing inside a page scrolls sideways
either. A visitor, a citizen with cases, a power of attorney and notifications, an official of the
office that handles the cases and the administrator each walk their pages in both languages; every
problem is collected, naming the page and the element that sticks out, before the test fails."""
import re
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import totp
from test_application_journey import enrol_totp, submit_form, upload, wait
from test_id_card_renewal import CITIZEN_ID, FATHER_ID, register
from test_video_calls import publish_hours, sign_in

MATTER = "GA-CA-001"  # Civil affairs, online or by proxy, with a video step; no other browser test uses this office
OFFICE = "wz-civil"
WIDTH, HEIGHT = 360, 740

# What overflows: the page's width and the element whose right edge reaches furthest (the innermost
# one when several end at the same place), ignoring what a scrolling or clipping box keeps inside;
# the element of the main content that sticks out furthest past its margins (a near miss on a
# 360-pixel screen overflows on a 320-pixel one); and boxes that scroll sideways inside the page (a
# table in its scroll box, say): on a phone nothing should.
MEASURE = """
const view = window.innerWidth, page = document.documentElement.scrollWidth;
const describe = el => {
  const r = el.getBoundingClientRect();
  let name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
  if (typeof el.className === 'string' && el.className.trim()) name += '.' + el.className.trim().split(/\\s+/).join('.');
  const text = (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60);
  return `<${name}> "${text}" (left ${Math.round(r.left)}px, right ${Math.round(r.right)}px, width ${Math.round(r.width)}px)`;
};
const clippedInside = (el, top) => {
  for (let a = el.parentElement; a && a !== top; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true;
  }
  return false;
};
// The element that `overshoot` finds furthest out (the innermost on a tie), or null.
const furthest = (elements, top, overshoot) => {
  let worst = null;
  for (const el of elements) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // nothing to see, or visually hidden
    const by = overshoot(r);
    if (by <= 0.5 || clippedInside(el, top)) continue;
    if (!worst || by > worst.by + 0.5 || (Math.abs(by - worst.by) <= 0.5 && worst.el.contains(el))) worst = {el: el, by: by};
  }
  return worst && describe(worst.el);
};
const main = document.querySelector('main');
const style = getComputedStyle(main), box = main.getBoundingClientRect();
const left = box.left + parseFloat(style.paddingLeft), right = box.right - parseFloat(style.paddingRight);
const scrollers = [...main.querySelectorAll('*')].filter(el => {
  const overflow = getComputedStyle(el).overflowX;
  return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1;
}).map(describe);
const unlabelled = [...main.querySelectorAll('table td:not([data-label])')].map(describe);
return {view: view, page: page, scrollers: scrollers, unlabelled: unlabelled,
        worst: page > view ? furthest(document.body.querySelectorAll('*'), document.body, r => r.right - view) : null,
        outside: furthest(main.querySelectorAll('*'), main, r => Math.max(r.right - right, left - r.left)),
        lang: document.documentElement.lang, error: !!main.querySelector('.status-code')};
"""


def phone(browser_factory):
    """A browser with a phone's viewport (emulated: see conftest.emulate_phone)."""
    return browser_factory("zh-CN", width=WIDTH, height=HEIGHT)


def check_pages(driver, base, who, paths, language, problems):
    """Visits each path and notes, in `problems`, every page that does not fit the phone."""
    for path in paths:
        driver.get(base + path)
        check_this_page(driver, f"{who} {path} [{language}]", language, problems)


def check_this_page(driver, label, language, problems):
    """The page the browser shows now (one a form's answer led to, say), measured the same way."""
    found = driver.execute_script(MEASURE)
    assert found["view"] == WIDTH, f"the window is {found['view']}px wide, not a phone's {WIDTH}px"
    if found["lang"] != language:
        problems.append(f"{label}: the page is in {found['lang']!r}")
    if found["error"]:
        problems.append(f"{label}: an error page: {driver.find_element(By.TAG_NAME, 'main').text[:200]}")
    if found["page"] > found["view"]:
        problems.append(f"{label} scrolls sideways ({found['page']}px > {found['view']}px); widest: {found['worst']}")
    for cell in found["unlabelled"]:
        problems.append(f"{label}: a table cell does not name its column (data-label) for the phone layout: {cell}")
    if found["outside"]:
        problems.append(f"{label}: sticks out past the page's margin: {found['outside']}")
    for scroller in found["scrollers"]:
        problems.append(f"{label}: a box scrolls sideways inside the page: {scroller}")


def switch_language(driver, language):
    """Uses the language button in the header, as a person does (it also becomes the account's)."""
    if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language:
        return
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/language'] button").click()
    wait(driver, EC.staleness_of(old))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language


def check_in_both_languages(driver, base, who, paths, problems):
    for language in ("zh-Hans", "en"):
        driver.get(base + paths[0])
        switch_language(driver, language)
        check_pages(driver, base, who, paths, language, problems)


def apply(citizen, base, scan):
    """Applies for MATTER with a file for every material and submits; answers the case's path and number."""
    citizen.get(base + f"/matters/{MATTER}/apply")
    citizen.find_element(By.NAME, "details").send_keys("本人定居西班牙巴塞罗那，申请查询婚姻登记档案。")
    submit_form(citizen, f"/matters/{MATTER}/apply")
    path = citizen.current_url.removeprefix(base)
    number = re.search(r"ZE-\d{4}-\d{6}", citizen.find_element(By.TAG_NAME, "main").text).group(0)
    selector = "input[type=file][data-upload-url*='purpose=material']"
    for index in range(len(citizen.find_elements(By.CSS_SELECTOR, selector))):
        upload(citizen, citizen.find_elements(By.CSS_SELECTOR, selector)[index], scan)
    submit_form(citizen, "/actions/submit")
    return path, number


def open_from_queue(official, base, number):
    official.get(base + "/office/queue")
    old = official.find_element(By.TAG_NAME, "html")
    official.find_element(By.PARTIAL_LINK_TEXT, number).click()
    wait(official, EC.staleness_of(old))
    return official.current_url.removeprefix(base)


def test_no_page_scrolls_sideways_on_a_phone(server, demo_accounts, browser_factory, mail_dir, tmp_path):
    problems = []
    citizen = phone(browser_factory)

    # Anyone: what a visitor sees before signing in.
    check_in_both_languages(citizen, server, "visitor", ["/", "/matters", f"/matters/{MATTER}", "/sign-in", "/register"],
                            problems)
    switch_language(citizen, "zh-Hans")

    # A citizen with two-step sign-in writes a power of attorney (signed later: a code counts once)...
    address = f"zhou-{uuid.uuid4().hex[:8]}@example.org"
    secret = register(citizen, server, mail_dir, address, "周晓梅 Zhou Xiaomei", "我在巴塞罗那需要办理民政事项")
    enrolled_at = time.time()
    citizen.get(server + f"/mandates/new?matter={MATTER}")
    citizen.find_element(By.ID, "principalIDNumber").send_keys(CITIZEN_ID)
    citizen.find_element(By.ID, "proxyName").send_keys("周建华")
    citizen.find_element(By.ID, "proxyIDNumber").send_keys(FATHER_ID)
    citizen.find_element(By.CSS_SELECTOR, "#relationship option[value=parent]").click()
    citizen.find_element(By.ID, "proxyEmail").send_keys(f"zhou-father-{uuid.uuid4().hex[:8]}@example.org")
    submit_form(citizen, "/mandates")
    mandate = citizen.current_url.removeprefix(server)
    assert re.search(r"^/mandates/[0-9a-f-]{36}$", mandate), citizen.find_element(By.TAG_NAME, "main").text

    # ... and applies twice, with a long file name.
    scan = tmp_path / "证明材料 scan of a document with a rather long file name.pdf"
    scan.write_bytes(b"%PDF-1.7\n% scan\n%%EOF\n")
    case, number = apply(citizen, server, scan)
    _, second_number = apply(citizen, server, scan)

    # The office's supervisor accepts one (an access-log line and notifications for the citizen),
    # does not accept the other (a decision: a row in the office's statistics) and publishes video hours (slots to book).
    official = phone(browser_factory)
    official_email = f"supervisor.{OFFICE}@demo.zeroerrand.example"
    sign_in(official, server, official_email, demo_accounts[official_email])
    enrol_totp(official, server)
    office_case = open_from_queue(official, server, number)
    submit_form(official, "/actions/accept")
    open_from_queue(official, server, second_number)
    submit_form(official, "/actions/not_accept", {"text": "与编号 " + number + " 的申请重复，不予受理。"})
    publish_hours(official, server)

    # The citizen signs the power of attorney with a fresh code: "Signed, waiting for the relative"
    # is the long status that made /mandates scroll sideways in English.
    time.sleep(max(0, (int(enrolled_at // 30) + 1) * 30 - time.time() + 0.5))
    citizen.get(server + mandate)
    submit_form(citizen, "/signature", {"code": totp(secret)})
    citizen.get(server + "/mandates")
    assert citizen.find_elements(By.CSS_SELECTOR, "main .status-invited"), citizen.find_element(By.TAG_NAME, "main").text

    check_in_both_languages(citizen, server, "citizen", [
        "/cases", case, "/notifications", "/account/access-log", "/account", "/mandates", mandate, case + "/video"],
        problems)
    check_in_both_languages(official, server, "official", [
        "/office", "/office/queue", office_case, "/office/stats", "/office/passes", "/office/passes?code=ZE-NOT-A-PASS"],
        problems)

    admin = phone(browser_factory)
    admin_email = "admin@demo.zeroerrand.example"
    sign_in(admin, server, admin_email, demo_accounts[admin_email])
    enrol_totp(admin, server)
    check_in_both_languages(admin, server, "administrator", [
        "/admin", "/admin/departments", "/admin/staff", "/matters", f"/admin/matters/{MATTER}", "/admin/service-points",
        "/admin/audit"], problems)

    # On a wide screen a table is still a table.
    official.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                             {"width": 1000, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    official.get(server + "/office/queue")
    shown = official.execute_script("""return [...document.querySelectorAll('main table, main thead, main tr')]
        .map(e => getComputedStyle(e).display)""")
    assert set(shown) == {"table", "table-header-group", "table-row"}, shown

    assert not problems, "pages that do not fit a 360px phone:\n" + "\n".join(problems)
