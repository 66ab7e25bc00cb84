#!/usr/bin/python3
"""Opens an HTML file in headless Chromium (Debian's chromium and chromium-driver, through
Selenium) and prints, as one JSON object, what a reader would see of it: the page's language,
the fonts Chromium really drew each element's text with (DevTools' CSS.getPlatformFontsForNode),
the page's width against the window's, the widest table, and the elements wider than the window.
Saves a screenshot of the whole page.

    page_fonts.py PAGE.html SCREENSHOT.png --width 800 [--fonts system|latin]

--fonts latin gives Chromium a fontconfig that knows DejaVu alone: a reader without a CJK font.
"""
import argparse
import json
import os
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SELECTORS = ["h1", "h2", "table th", "table td", "p", "svg text"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("screenshot")
    parser.add_argument("--width", type=int, default=800)
    parser.add_argument("--fonts", choices=["system", "latin"], default="system")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="patrol-browser-")
    environment = dict(os.environ)
    if args.fonts == "latin":
        conf = os.path.join(scratch, "fonts.conf")
        with open(conf, "w") as f:
            f.write("<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
                    "<dir>/usr/share/fonts/truetype/dejavu</dir>"
                    f"<cachedir>{scratch}/fontcache</cachedir></fontconfig>")
        environment["FONTCONFIG_FILE"] = conf
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     f"--window-size={args.width},1000", f"--user-data-dir={scratch}/profile"]:
        options.add_argument(argument)
    service = Service("/usr/bin/chromedriver", env=environment)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get("file://" + os.path.abspath(args.page))
        driver.execute_cdp_cmd("DOM.enable", {})
        driver.execute_cdp_cmd("CSS.enable", {})
        root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        fonts = {}
        for selector in SELECTORS:
            nodes = driver.execute_cdp_cmd("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
            used = {}
            for node in nodes:
                for font in driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                    used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
            fonts[selector] = used
        measured = driver.execute_script("""
            const viewport = document.documentElement.clientWidth;
            const wide = [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > viewport + 1)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
            return {
                lang: document.documentElement.lang,
                viewport: viewport,
                page_width: document.documentElement.scrollWidth,
                widest_table: Math.max(0, ...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().width)),
                too_wide: wide.slice(0, 20),
                body_font: getComputedStyle(document.body).fontFamily,
                svg_charts: document.querySelectorAll('svg').length,
            };
        """)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(args.width, min(max(height, 600), 12000))
        driver.save_screenshot(args.screenshot)
        measured["fonts"] = fonts
        json.dump(measured, sys.stdout, ensure_ascii=False)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
