"""What a person does in the console's pages, for the browser tests: go to a page, sign
in, wait until a text is on the screen. Waits are generous (the machine is shared) and end
as soon as the person could read what they wait for."""

from __future__ import annotations

import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

PATIENCE = 90.0


def text(driver, css: str = "body") -> str:
    """What a person reads in the element (all of it, as the browser lays it out)."""
    try:
        return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, css))
    except WebDriverException:
        # The page changed while it was read (htmx swapped the element, or a navigation
        # replaced the document: Chromium then says the node "does not belong to the
        # document"); the caller reads again.
        return ""


def wait_for(driver, wanted: str, css: str = "body", patience: float = PATIENCE) -> str:
    """Wait until ``wanted`` is shown in ``css``; the text read then."""
    deadline = time.monotonic() + patience
    seen = ""
    while time.monotonic() < deadline:
        seen = text(driver, css)
        if wanted in seen:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"{wanted!r} never appeared in {css}; it read: {seen[:2000]!r}")


def wait_element(driver, css: str, patience: float = PATIENCE):
    """Wait until an element matching ``css`` is on the page; the element."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {css} on {driver.current_url}: {text(driver)[:2000]!r}")


def go(driver, base: str, path: str) -> None:
    driver.get(base + path)


def sign_in(driver, base: str, name: str, password: str, path: str = "/console/") -> None:
    go(driver, base, path)
    wait_element(driver, "#name")
    driver.find_element(By.ID, "name").clear()
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in").click()


def select(driver, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, element_id)).select_by_value(value)


def screenshot(driver, path) -> None:
    """The whole page, however long, as one PNG."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1366, max(900, min(int(height) + 40, 4000)))
    driver.save_screenshot(str(path))
    driver.set_window_size(1366, 900)
