"""Appointments at sensible hours, in a real browser on a 360-pixel phone: a citizen in Madrid
books with an office in Wenzhou. Times outside 07:00–22:00 of the citizen's clock wait behind
one control, which works from the keyboard and says what it did; the page never scrolls sideways."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import demo_passwords, start_server, stop_server
from test_application_journey import enrol_totp, submit_form, wait
from test_video_calls import DEMO_CITIZEN, OFFICE, apply_for_video_matter, publish_hours, sign_in, translations


def fits_the_screen(driver):
    width = driver.execute_script("return document.documentElement.clientWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, f"{driver.current_url} scrolls sideways on a phone ({scroll} > {width})"


def test_night_hours_are_one_keyboard_press_away_on_a_phone(browser_factory, mail_dir, tmp_path):
    # A server of its own: its clerk publishes round-the-clock hours no other test shares.
    app = start_server()
    try:
        accounts = demo_passwords(app)
        base = app["url"]
        staff = browser_factory("en")
        clerk = f"clerk.{OFFICE}@demo.zeroerrand.example"
        sign_in(staff, base, clerk, accounts[clerk])
        enrol_totp(staff, base)
        # 00:00–23:45 in Wenzhou for three days: both night and daytime hours in Madrid.
        publish_hours(staff, base)

        citizen = browser_factory("zh-CN", width=360, height=740)
        sign_in(citizen, base, DEMO_CITIZEN, accounts[DEMO_CITIZEN])
        enrol_totp(citizen, base)
        case_url = apply_for_video_matter(citizen, base, tmp_path)
        citizen.get(case_url + "/video")
        fits_the_screen(citizen)

        # Night hours are there but hidden; the citizen's own zone is named first on each time.
        night = citizen.find_elements(By.CSS_SELECTOR, "[data-night]")
        assert night, citizen.find_element(By.TAG_NAME, "main").text
        assert not any(slot.is_displayed() for slot in night)
        day_slots = [slot for slot in citizen.find_elements(By.CSS_SELECTOR, "#day-slots .slot") if slot.is_displayed()]
        for slot in day_slots:
            text = slot.text
            assert text.index("Europe/Madrid") < text.index("Asia/Shanghai"), text

        # The control is a labelled checkbox: reached and pressed from the keyboard, it shows them
        # at once and says so in a status line a screen reader announces.
        box = citizen.find_element(By.ID, "show-night")
        assert box.get_attribute("aria-describedby") == "night-hint"
        assert citizen.execute_script("return arguments[0].labels.length", box) == 1
        box.send_keys(Keys.SPACE)
        wait(citizen, lambda d: all(slot.is_displayed() for slot in d.find_elements(By.CSS_SELECTOR, "[data-night]")))
        assert citizen.find_element(By.ID, "night-status").text in translations("video.booking.night_shown")
        assert citizen.find_element(By.ID, "night-status").get_attribute("role") == "status"
        fits_the_screen(citizen)

        # Another day keeps the choice (the day buttons belong to the same form).
        tabs = [tab for tab in citizen.find_elements(By.CSS_SELECTOR, "button.day-tab")
                if tab.is_enabled() and tab.get_attribute("aria-current") != "date"]
        if not tabs:
            # On a Sunday the other published days are in the next week: its button is in the same form.
            tabs = citizen.find_elements(By.CSS_SELECTOR, ".pager button[name=day]")[-1:]
        assert tabs, citizen.find_element(By.TAG_NAME, "main").text
        tabs[0].send_keys(Keys.ENTER)
        wait(citizen, lambda d: "night=1" in d.current_url)
        assert citizen.find_element(By.ID, "show-night").is_selected()
        fits_the_screen(citizen)
        # Hidden again with one more press.
        citizen.find_element(By.ID, "show-night").send_keys(Keys.SPACE)
        wait(citizen, lambda d: not any(slot.is_displayed() for slot in d.find_elements(By.CSS_SELECTOR, "[data-night]")))
        assert citizen.find_element(By.ID, "night-status").text in translations("video.booking.night_hidden")

        # A night-hour time is booked like any other.
        citizen.get(case_url + "/video?night=1")
        slot = citizen.find_element(By.CSS_SELECTOR, "[data-night] input[name=start]")
        citizen.find_element(By.CSS_SELECTOR, f"label[for='{slot.get_attribute('id')}']").click()
        submit_form(citizen, "/video")
        assert "Europe/Madrid" in citizen.find_element(By.ID, "current-appointment").text
        fits_the_screen(citizen)

        # The office sees the appointment on the citizen's clock too, and its hours on theirs.
        staff.get(base + "/office/video")
        office = staff.find_element(By.TAG_NAME, "main").text
        assert "Europe/Madrid" in office and "杨辉" in office
    finally:
        stop_server(app)
