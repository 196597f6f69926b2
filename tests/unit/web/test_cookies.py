"""Every cookie gets the same rules (HttpOnly, SameSite=Lax, Secure outside the local cloud, a Path), set and
cleared through one helper; no module sets a cookie another way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Response
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gemeentedelers.platform import settings
from gemeentedelers.web import cookies
from gemeentedelers.web.app import serve

SRC = Path(__file__).resolve().parents[3] / "src" / "gemeentedelers"


def request(path: str, base: str = "http://localhost") -> Request:
    return Request(EnvironBuilder(path=path, base_url=base, headers={"Accept": "text/html"}).get_environ())


@pytest.fixture
def project(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings.reset_cache()
    yield
    settings.reset_cache()


def _use(monkeypatch: pytest.MonkeyPatch, project_id: str) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", project_id)
    for var in ("FIRESTORE_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST"):
        if project_id.startswith("demo-"):
            monkeypatch.setenv(var, "127.0.0.1:1")
        else:
            monkeypatch.delenv(var, raising=False)
    settings.reset_cache()


def _attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def test_a_cookie_is_secure_httponly_lax_with_a_path_outside_the_local_cloud(project: None,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, "vng-prod")
    response = cookies.set_cookie(Response(), request("/score"), "gd_scorer", "v", max_age=60, path="/")
    [header] = response.headers.getlist("Set-Cookie")
    assert {"secure", "httponly", "samesite", "path", "max-age"} <= _attributes(header)
    assert "SameSite=Lax" in header and "Path=/" in header and "Max-Age=60" in header
    cleared = cookies.clear_cookie(Response(), request("/organiser/oidc"), "gd_oidc", path="/organiser/oidc")
    [gone] = cleared.headers.getlist("Set-Cookie")
    assert {"secure", "httponly", "samesite"} <= _attributes(gone)
    assert "Max-Age=0" in gone and "Path=/organiser/oidc" in gone


def test_on_the_local_cloud_cookies_work_over_plain_http(project: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, "demo-cookies")
    [header] = cookies.set_cookie(Response(), request("/score"), "gd_lang", "en", max_age=60).headers.getlist(
        "Set-Cookie")
    assert "secure" not in _attributes(header) and {"httponly", "samesite", "path"} <= _attributes(header)


def test_the_language_cookie_goes_through_the_helper(project: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, "vng-prod")
    page = serve("scoring", {"/page": lambda r: Response("<p>hi</p>", mimetype="text/html")},
                 request("/page?lang=en", base="http://gd.example"))  # a proxy reporting http changes nothing
    [header] = page.headers.getlist("Set-Cookie")
    assert header.startswith("gd_lang=en;") and {"secure", "httponly", "samesite", "path"} <= _attributes(header)


def test_no_module_sets_or_clears_a_cookie_but_through_the_helper() -> None:
    found = [f"{path.relative_to(SRC)}:{n}" for path in SRC.rglob("*.py") if path.name != "cookies.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"(?<!cookies)\.(set_cookie|delete_cookie)\(", line)]
    assert found == []
