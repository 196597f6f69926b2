"""Driving a page with the keyboard only (Tab, arrows, Space, Enter), as someone who cannot use a mouse or a touch
screen does, and checking at every stop that the focus can be seen (WCAG 2.1.1, 2.4.7, 1.4.11: a ring of 3:1)."""

from __future__ import annotations

from collections.abc import Callable

from selenium.webdriver import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

_RING = """
const el = arguments[0];
const ringed = (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label')) || el;
const style = getComputedStyle(ringed);
let back = ringed.parentElement, colour = 'rgba(0, 0, 0, 0)';
while (back) {
  colour = getComputedStyle(back).backgroundColor;
  if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') break;
  back = back.parentElement;
}
return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor, back ? colour : 'rgb(255, 255, 255)'];
"""


def _rgb(css: str) -> tuple[float, float, float]:
    parts = css[css.index("(") + 1:css.index(")")].replace(",", " ").split()
    return float(parts[0]), float(parts[1]), float(parts[2])


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two CSS colours (``rgb(...)``/``rgba(...)``)."""
    a, b = sorted((_luminance(_rgb(one)), _luminance(_rgb(other))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def assert_focus_visible(driver: WebDriver, element: WebElement) -> None:
    style, width, colour, behind = driver.execute_script(_RING, element)
    what = element.get_attribute("outerHTML")[:120]
    assert style not in ("none", "") and width >= 2, f"no visible focus ring on {what}"
    assert contrast(colour, behind) >= 3, f"focus ring {colour} on {behind} is under 3:1 on {what}"


def press(driver: WebDriver, *keys: str) -> WebElement:
    """Press ``keys`` and return the element that has the focus then."""
    ActionChains(driver).send_keys(*keys).perform()
    return driver.switch_to.active_element


def tab_to(driver: WebDriver, css: str, limit: int = 120) -> WebElement:
    """Press Tab until the focus is on an element matching ``css``; every stop on the way must show its focus."""
    for _ in range(limit):
        focused = press(driver, Keys.TAB)
        if focused.tag_name != "body":
            assert_focus_visible(driver, focused)
        if driver.execute_script("return arguments[0].matches(arguments[1])", focused, css):
            return focused
    raise AssertionError(f"Tab never reached {css!r} on {driver.current_url}")


def activate(driver: WebDriver, arrive: Callable[..., None], key: str = Keys.ENTER, timeout: float = 30) -> None:
    """Press ``key`` on the focused link or button and wait for the next page (``arrive``: the fixture of that
    name, ``navigate`` for the keyboard)."""
    arrive(driver, lambda: press(driver, key), timeout)
