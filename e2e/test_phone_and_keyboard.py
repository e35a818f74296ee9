"""Pages on a 360-pixel-wide phone screen, with the keyboard, and labelled for screen readers."""
import pytest
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

PAGES = ["/", "/matters", "/matters/GA-PSB-001", "/register", "/sign-in", "/password/forgot", "/help/lost-phone"]


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_pages_fit_a_phone_and_label_every_field(server, browser_factory, language):
    driver = browser_factory(language, width=360, height=740)
    for path in PAGES:
        driver.get(server + path)
        width = driver.execute_script("return document.documentElement.clientWidth")
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} scrolls sideways at 360px ({scroll} > {width})"
        unlabelled = driver.execute_script("""
            return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
              .map(e => e.name || e.id);
        """)
        assert unlabelled == [], f"{path} has fields without a label: {unlabelled}"
        external = driver.execute_script("""
            return performance.getEntriesByType('resource').map(r => r.name)
              .filter(n => !n.startsWith(location.origin));
        """)
        assert external == [], f"{path} loads from another site: {external}"


def test_keyboard_reaches_the_skip_link_and_the_search(server, browser_factory):
    driver = browser_factory("en-US")
    driver.get(server + "/")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    first = driver.switch_to.active_element
    assert first.get_attribute("href").endswith("#main")
    first.send_keys(Keys.ENTER)
    for _ in range(40):
        active = driver.switch_to.active_element
        if active.get_attribute("name") == "q":
            break
        active.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("name") == "q"


def test_errors_are_announced_next_to_the_field(server, browser_factory):
    driver = browser_factory("zh-CN")
    driver.get(server + "/register")
    # Passes the browser's own checks, fails the server's: the server's message must be announced.
    driver.find_element(By.ID, "email").send_keys("someone@localhost")
    driver.find_element(By.ID, "displayName").send_keys("李")
    driver.find_element(By.ID, "password").send_keys("short")
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(EC.staleness_of(old))
    email_field = driver.find_element(By.ID, "email")
    assert email_field.get_attribute("aria-invalid") == "true"
    described = email_field.get_attribute("aria-describedby").split()
    messages = [driver.find_element(By.ID, d) for d in described]
    assert any(m.get_attribute("role") == "alert" and m.text for m in messages)
