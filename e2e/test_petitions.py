"""Issue 13, letters and visits: an anonymous report from a phone, in Chinese, gets a receipt code
shown once; the letters-and-visits bureau accepts it and answers; the reporter, with the code
alone and now in English, reads the answer and may download the opinion, and is never offered a
review. The pages fit a 360-pixel screen."""
import re

from selenium.webdriver.common.by import By

from test_application_journey import enrol_totp, submit_form
from test_page_widths import WIDTH, HEIGHT, check_pages, check_this_page, switch_language
from test_video_calls import http, sign_in

BUREAU = "wz-xfj"


def test_anonymous_report_followed_by_its_code(server, demo_accounts, browser_factory):
    reporter = browser_factory("zh-CN", width=WIDTH, height=HEIGHT)
    problems = []
    reporter.get(server + "/petitions/report")
    assert reporter.find_element(By.TAG_NAME, "h1").text == "匿名举报"
    check_pages(reporter, server, "reporter", ["/petitions/report", "/petitions/lookup", "/petitions/statistics"], "zh-Hans", problems)

    # Nothing about a court: sent. A blank title is refused beside the field, in Chinese, nothing saved.
    reporter.get(server + "/petitions/report")
    reporter.find_element(By.ID, "otherRoute-none").click()
    reporter.find_element(By.ID, "facts").send_keys("窗口工作人员在受理材料前向我索要礼品。")
    reporter.find_element(By.ID, "request").send_keys("请调查处理。")
    reporter.execute_script("document.getElementById('title').removeAttribute('required')")
    submit_form(reporter, "/petitions/report")
    assert "请填写简短的标题" in reporter.find_element(By.ID, "error-summary").text
    reporter.find_element(By.ID, "title").send_keys("窗口人员索要礼品")
    submit_form(reporter, "/petitions/report")
    code = reporter.find_element(By.ID, "receipt-code").text
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code
    number = re.search(r"XF-\d{4}-\d{6}", reporter.find_element(By.TAG_NAME, "main").text).group(0)
    check_this_page(reporter, "reporter: the receipt [zh-Hans]", "zh-Hans", problems)

    # The bureau finds it in its list, accepts it and gives its opinion.
    clerk = browser_factory("zh-CN")
    email = f"clerk.{BUREAU}@demo.zeroerrand.example"
    sign_in(clerk, server, email, demo_accounts[email])
    enrol_totp(clerk, server)
    clerk.get(server + "/office/petitions")
    clerk.find_element(By.PARTIAL_LINK_TEXT, number).click()
    assert "匿名举报" in clerk.find_element(By.TAG_NAME, "main").text
    submit_form(clerk, "/acceptance")
    submit_form(clerk, "/opinion", {"opinion": "经核实，已对相关工作人员作出处理。"})
    assert clerk.find_element(By.ID, "petition-stage").get_attribute("data-stage") == "answered"
    # Its own page needs an account with a case for it: the reporter's browser is not one.
    status, body = http(reporter, clerk.current_url)  # a redirect to the sign-in page is followed
    assert number.encode() not in body and "窗口工作人员".encode() not in body, status

    # The reporter, in English now, types the code as it comes (lower case, spaces).
    reporter.get(server + "/petitions/lookup")
    switch_language(reporter, "en")  # waits for the new page: the old one's field would go stale
    reporter.find_element(By.ID, "code").send_keys(code.lower().replace("-", " "))
    submit_form(reporter, "/petitions/lookup")
    assert "/petitions/lookup" == reporter.current_url.removeprefix(server), "the code never rides in the address"
    main = reporter.find_element(By.TAG_NAME, "main").text
    assert number in main and "Answered" in main and "Ask for a review" not in main
    assert reporter.find_elements(By.CSS_SELECTOR, "form[action='/petitions/lookup/opinion'] button")
    check_this_page(reporter, "reporter: the report looked up [en]", "en", problems)
    assert not problems, "\n".join(problems)
