"""The GemeenteDelers theme (``static/gemeentedelers.css``) keeps WCAG's contrast minimums, computed from the file
itself: text 4.5:1 (1.4.3), controls and the focus ring 3:1 (1.4.11). The stylesheets pages link are the vendored
NL Design System files named in VERSIONS.md with their licences, and every function serves them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gemeentedelers.web import static

STATIC = Path(static.__file__).resolve().parents[1] / "static"
THEME = (STATIC / "gemeentedelers.css").read_text(encoding="utf-8")


def palette() -> dict[str, str]:
    return dict(re.findall(r"--(gd-[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", THEME))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


TEXT_PAIRS = [  # (text, background): every pair the theme puts text on
    ("gd-text", "gd-page"), ("gd-text", "gd-wit"), ("gd-text-subtle", "gd-page"), ("gd-text-subtle", "gd-wit"),
    ("gd-blauw-500", "gd-wit"), ("gd-blauw-500", "gd-page"), ("gd-blauw-600", "gd-blauw-50"),
    ("gd-wit", "gd-blauw-500"), ("gd-wit", "gd-blauw-600"), ("gd-wit", "gd-blauw-700"),
    ("gd-text", "gd-ok-bg"), ("gd-text", "gd-error-bg"), ("gd-ok", "gd-wit"), ("gd-error", "gd-wit"),
    ("gd-warn", "gd-warn-bg"), ("gd-focus", "gd-focus-bg"), ("gd-text-subtle", "gd-line"),
]
RING_PAIRS = [  # (ring or control border, what it sits on)
    ("gd-focus", "gd-page"), ("gd-focus", "gd-wit"), ("gd-focus-inverse", "gd-blauw-600"),
    ("gd-focus-inverse", "gd-blauw-700"), ("gd-border", "gd-wit"), ("gd-blauw-500", "gd-wit"),
    ("gd-error", "gd-wit"),
]


@pytest.mark.parametrize(("fore", "back"), TEXT_PAIRS)
def test_text_has_aa_contrast(fore: str, back: str) -> None:
    colours = palette()
    assert contrast(colours[fore], colours[back]) >= 4.5, (fore, back)


@pytest.mark.parametrize(("fore", "back"), RING_PAIRS)
def test_focus_ring_and_controls_have_3_to_1(fore: str, back: str) -> None:
    colours = palette()
    assert contrast(colours[fore], colours[back]) >= 3.0, (fore, back)


def test_the_contrast_check_can_fail() -> None:
    assert contrast("#777777", "#ffffff") < 4.5 < contrast("#000000", "#ffffff")


def test_the_focus_ring_is_3px_solid_in_the_theme() -> None:
    assert "--basis-focus-outline-width: 3px;" in THEME
    assert ":focus-visible { outline: 3px solid var(--gd-focus)" in THEME


def test_vendored_files_are_named_with_their_version_and_licence() -> None:
    versions = (STATIC / "VERSIONS.md").read_text(encoding="utf-8")
    for name in static.STYLESHEETS:
        assert (STATIC / name).stat().st_size > 0
        if name != "gemeentedelers.css":
            assert f"`{name}`" in versions
    assert re.search(r"@utrecht/component-library-css.*\| \d+\.\d+\.\d+ \| EUPL-1\.2", versions)
    assert re.search(r"voorbeeld-design-tokens.*\| \d+\.\d+\.\d+ \| EUPL-1\.2", versions)
    for licence in ("LICENSE-utrecht-component-library-css.md", "LICENSE-voorbeeld-design-tokens.md"):
        assert "EUROPEAN UNION PUBLIC LICENCE" in (STATIC / licence).read_text(encoding="utf-8")


def test_stylesheets_are_served_cached_and_only_by_name() -> None:
    from flask import Request
    from werkzeug.test import EnvironBuilder

    def get(path: str, **headers: str) -> Request:
        return Request(EnvironBuilder(path=path, headers=headers).get_environ())

    address = static.href("gemeentedelers.css")
    assert address.startswith("/assets/gemeentedelers.css?v=")
    served = static.serve(get(address), "gemeentedelers.css")
    assert served is not None and served.status_code == 200 and served.mimetype == "text/css"
    assert "immutable" in served.headers["Cache-Control"] and served.get_data(as_text=True) == THEME
    zipped = static.serve(get(address, **{"Accept-Encoding": "gzip, br"}), "gemeentedelers.css")
    assert zipped is not None and zipped.headers["Content-Encoding"] == "gzip"
    etag = served.headers["ETag"]
    again = static.serve(get(address, **{"If-None-Match": etag}), "gemeentedelers.css")
    assert again is not None and again.status_code == 304
    assert static.serve(get("/assets/../../pyproject.toml"), "../../pyproject.toml") is None
    assert static.serve(get("/assets/VERSIONS.md"), "VERSIONS.md") is None
