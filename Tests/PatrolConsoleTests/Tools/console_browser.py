#!/usr/bin/python3
"""Drives the web console in headless Chromium (Debian's chromium and chromium-driver, through
Selenium) the way an operator would, and prints what it saw as one JSON object:

- a page asked for without a login lands on the login form;
- logging in shows the district at a glance;
- the venues page: the ids in order and whether each row is marked overdue;
- a click on the first venue opens its page, a click on its first camera the camera's page;
- each page at 390 px wide (a phone): whether the page is wider than the window;
- after logging out, wrong passwords until the console refuses to check any more.

Saves a JPEG screenshot of each page into SHOTS (console-*.jpg), small enough for docs/.

    console_browser.py BASE_URL NAME PASSWORD SHOTS --tries N
"""
import argparse
import io
import json
import os
import tempfile

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("name")
    parser.add_argument("password")
    parser.add_argument("shots")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="patrol-console-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--window-size=1280,900", f"--user-data-dir={scratch}/profile"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 30)
    seen = {}

    def shot(name, width=1280):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height + 120, 600), 2400))
        png = driver.get_screenshot_as_png()
        image = Image.open(io.BytesIO(png)).convert("RGB")
        if image.width > 1000:
            image = image.resize((1000, round(image.height * 1000 / image.width)))
        image.save(os.path.join(args.shots, f"console-{name}.jpg"), "JPEG", quality=60, optimize=True)
        driver.set_window_size(1280, 900)

    def click(element):
        """Clicks and waits for the next page to replace this one."""
        page = driver.find_element(By.TAG_NAME, "html")
        element.click()
        wait.until(expected_conditions.staleness_of(page))

    def too_wide():
        """Whether the page is wider than a phone's window (a table may scroll in its own box)."""
        driver.set_window_size(390, 844)
        inner = driver.execute_script("return window.innerWidth")
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        driver.set_window_size(1280, 900)
        return wide > inner

    try:
        driver.get(args.base + "/venues")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "password")))
        seen["without_login"] = driver.current_url.replace(args.base, "")
        shot("login", 390)

        driver.find_element(By.ID, "name").send_keys(args.name)
        driver.find_element(By.ID, "password").send_keys(args.password)
        click(driver.find_element(By.ID, "login"))
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form.filters")))
        seen["after_login"] = driver.current_url.replace(args.base, "")
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        seen["venues"] = [row.find_element(By.CSS_SELECTOR, "td a").text for row in rows]
        seen["overdue"] = [row.get_attribute("class") == "overdue" for row in rows]
        seen["venues_phone_too_wide"] = too_wide()
        shot("venues")
        shot("phone", 390)

        driver.get(args.base + "/")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "cards")))
        seen["status_overdue"] = driver.find_element(By.CSS_SELECTOR, "#overdue b").text
        seen["status_title"] = driver.find_element(By.TAG_NAME, "h1").text
        seen["status_lang"] = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        seen["status_refresh"] = len(driver.find_elements(By.CSS_SELECTOR, "meta[http-equiv=refresh]")) == 1
        seen["status_phone_too_wide"] = too_wide()
        shot("status")

        driver.get(args.base + "/venues")
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "tbody tr td a")))
        click(driver.find_element(By.CSS_SELECTOR, "tbody tr td a"))
        wait.until(expected_conditions.presence_of_element_located((By.TAG_NAME, "dl")))
        seen["venue_title"] = driver.find_element(By.TAG_NAME, "h1").text
        seen["venue_phone_too_wide"] = too_wide()
        shot("venue")

        click(driver.find_element(By.CSS_SELECTOR, "a[href^='/cameras/']"))
        wait.until(expected_conditions.presence_of_element_located((By.TAG_NAME, "dl")))
        seen["camera_title"] = driver.find_element(By.TAG_NAME, "h1").text
        seen["camera_phone_too_wide"] = too_wide()
        shot("camera")

        driver.get(args.base + "/cameras/C2")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "snapshot")))
        seen["snapshot_width"] = driver.execute_script(
            "const i = document.getElementById('snapshot'); return i.complete ? i.naturalWidth : -1")
        shot("snapshot")

        driver.get(args.base + "/ledger?lang=en")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "verify")))
        seen["ledger_verify"] = driver.find_element(By.ID, "verify").text
        seen["ledger_lang"] = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        shot("ledger")
        driver.get(args.base + "/")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "cards")))
        seen["english_kept"] = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        driver.get(args.base + "/?lang=zh")

        click(driver.find_element(By.CSS_SELECTOR, "header form button"))
        wait.until(expected_conditions.presence_of_element_located((By.ID, "password")))
        driver.get(args.base + "/")
        seen["after_logout"] = driver.current_url.replace(args.base, "")

        errors = []
        for _ in range(args.tries + 1):
            driver.find_element(By.ID, "name").send_keys(args.name)
            driver.find_element(By.ID, "password").send_keys("not the password")
            click(driver.find_element(By.ID, "login"))
            wait.until(expected_conditions.presence_of_element_located((By.ID, "login-error")))
            errors.append(driver.find_element(By.ID, "login-error").text)
        driver.find_element(By.ID, "name").send_keys(args.name)
        driver.find_element(By.ID, "password").send_keys(args.password)
        click(driver.find_element(By.ID, "login"))
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login-error")))
        errors.append(driver.find_element(By.ID, "login-error").text)
        seen["login_errors"] = errors
        shot("refused", 390)
    finally:
        driver.quit()
    json.dump(seen, fp=__import__("sys").stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
