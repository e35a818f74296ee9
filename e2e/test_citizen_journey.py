"""A citizen abroad in a real browser: finds the ID-card matters in Chinese and English,
registers, confirms the email, turns on two-step sign-in and signs in with both factors."""
import re
import time
import uuid

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import latest_mail, totp


def test_home_and_search_in_both_languages(server, browser_factory):
    driver = browser_factory("zh-CN")
    driver.get(server + "/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    search = driver.find_element(By.NAME, "q")
    search.send_keys("身份证")
    press_enter_and_wait(driver, search)
    names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main a[href^='/matters/']")]
    assert any("身份证" in name for name in names), names

    # Switch to English with the language button and search again.
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/language'] button").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.staleness_of(old))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "q=" in driver.current_url, "switching language keeps the search"
    driver.get(server + "/")
    search = driver.find_element(By.NAME, "q")
    search.send_keys("ID card")
    press_enter_and_wait(driver, search)
    names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main a[href^='/matters/']")]
    assert any("ID card" in name for name in names), names
    driver.find_element(By.PARTIAL_LINK_TEXT, "expired resident ID card").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.url_contains("/matters/GA-"))
    assert "Power of attorney" in driver.find_element(By.TAG_NAME, "main").text


def test_register_confirm_and_sign_in_with_two_factors(server, browser_factory, mail_dir):
    driver = browser_factory("en-GB")
    address = f"chen-{uuid.uuid4().hex[:8]}@example.org"
    password = "我在巴黎的家门口种了一棵银杏树"
    driver.get(server + "/register")
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.ID, "displayName").send_keys("Chen Wei")
    driver.find_element(By.ID, "password").send_keys(password)
    zone = driver.find_element(By.ID, "timeZone")
    assert zone.get_attribute("value"), "the time zone is filled in from the browser"
    driver.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), address))

    subject, text = latest_mail(mail_dir, address)
    link = re.search(r"https?://\S+#token=[A-Za-z0-9_-]+", text).group(0)
    driver.get(link)
    token_field = driver.find_element(By.CSS_SELECTOR, "input[data-fragment-token]")
    assert token_field.get_attribute("value"), "the page takes the code from the link"
    assert "#token" not in driver.current_url, "the code does not stay in the address bar"
    heading = driver.find_element(By.TAG_NAME, "h1").text
    token_field.submit()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(lambda d: d.find_element(By.TAG_NAME, "h1").text != heading)
    assert "/sign-in" in driver.find_element(By.CSS_SELECTOR, "main a[href^='/sign-in']").get_attribute("href")

    sign_in(driver, server, address, password)
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.url_matches(r"/account$"))

    driver.get(server + "/account/two-factor")
    secret = driver.find_element(By.CSS_SELECTOR, "main code").text
    driver.find_element(By.ID, "code").send_keys(totp(secret))
    driver.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.codes code")))
    codes = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "ol.codes code")]
    assert len(codes) == 10

    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href='/sign-in']")))
    sign_in(driver, server, address, password)
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.url_contains("/sign-in/second-factor"))
    # A code is accepted once; wait for the authenticator's next code as a person would.
    step = int(time.time() // 30)
    while int(time.time() // 30) == step:
        time.sleep(0.5)
    driver.find_element(By.ID, "code").send_keys(totp(secret))
    driver.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.url_matches(r"/account$"))
    assert driver.find_element(By.ID, "displayName").get_attribute("value") == "Chen Wei"
    assert "Chen Wei" in driver.find_element(By.CSS_SELECTOR, "header").text


def press_enter_and_wait(driver, field):
    """Submits with the keyboard and waits until the next page has replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    field.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.staleness_of(old))


def sign_in(driver, server, address, password):
    driver.get(server + "/sign-in")
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
