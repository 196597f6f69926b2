"""Page bodies are bounded before werkzeug reads them, and cookies are Secure outside the local cloud."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gemeentedelers.platform import settings
from gemeentedelers.web import limits
from gemeentedelers.web.app import serve


def request(path: str, body: bytes = b"", *, method: str = "POST", headers: dict[str, str] | None = None,
            base: str = "http://localhost") -> Request:
    return Request(EnvironBuilder(path=path, method=method, data=body, headers=headers or {},
                                  base_url=base).get_environ())


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "demo-limits")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", "127.0.0.1:1")
    settings.reset_cache()
    yield
    settings.reset_cache()


def test_each_kind_of_form_has_its_limit() -> None:
    assert limits.body_limit("/score/entry/s1") == limits.PAGE_BODY_LIMIT
    assert limits.body_limit("/organiser/round2/assessors/import") == limits.UPLOAD_BODY_LIMIT
    assert limits.body_limit("/organiser/editions/gd2025") == limits.UPLOAD_BODY_LIMIT
    assert limits.body_limit("/webhooks/typeform") > 1024 * 1024


def test_a_body_over_the_limit_or_without_a_length_is_refused_before_it_is_read() -> None:
    big = request("/score/entry/s1", b"x" * (limits.PAGE_BODY_LIMIT + 1))
    assert limits.body_problem(big, "/score/entry/s1") == (413, "payload_too_large")
    assert limits.body_problem(request("/score/entry/s1", b"a=1"), "/score/entry/s1") is None
    chunked = request("/score/entry/s1", headers={"Transfer-Encoding": "chunked"})
    chunked.environ.pop("CONTENT_LENGTH", None)
    assert limits.body_problem(chunked, "/score/entry/s1") == (411, "length_required")
    assert limits.body_problem(request("/score", method="GET"), "/score") is None


def test_serve_answers_413_as_json_or_as_a_page_in_the_readers_language(local: None) -> None:
    routes = {"/form": lambda r: pytest.fail("the handler must not run")}
    body = b"x" * (limits.PAGE_BODY_LIMIT + 1)
    as_json = serve("scoring", routes, request("/form", body))
    assert as_json.status_code == 413 and as_json.get_json()["error"] == "payload_too_large"
    page = serve("scoring", routes, request("/form?lang=en", body, headers={"Accept": "text/html"}))
    assert page.status_code == 413 and "This is too much to send" in page.get_data(as_text=True)
    dutch = serve("scoring", routes, request("/form", body, headers={"Accept": "text/html"}))
    assert "Dit is te veel om te versturen" in dutch.get_data(as_text=True)


def test_cookies_are_secure_everywhere_but_the_local_cloud(local: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not limits.secure_cookies(request("/score"))  # local cloud, plain http on loopback
    assert limits.secure_cookies(request("/score", base="https://localhost"))
    monkeypatch.setattr(settings, "current", lambda: type("S", (), {"is_local": False})())
    assert limits.secure_cookies(request("/score"))  # a proxy that reports http does not make it insecure


class CountingInput:
    """A request body that notes how much each read asked for, as a WSGI server's input stream would serve it."""

    def __init__(self, size: int):
        self.left, self.largest_read, self.served = size, 0, 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.largest_read = max(self.largest_read, n)
        self.left -= n
        self.served += n
        return b"a" * n


def test_a_refused_body_is_read_in_small_pieces_and_nothing_of_it_is_kept(local: None) -> None:
    """functions-framework calls ``get_data()`` after every response: after a refusal it must find nothing."""
    size = 30 * 1024 * 1024
    refused = request("/scorers/signup", headers={"Accept": "text/html", "Content-Length": str(size)})
    body = CountingInput(size)
    refused.environ["wsgi.input"] = body
    refused.environ["CONTENT_LENGTH"] = str(size)
    answer = serve("scoring", {"/scorers/signup": lambda r: pytest.fail("the handler must not run")}, refused)
    assert answer.status_code == 413
    assert body.served == size and body.largest_read <= 64 * 1024  # all read, never more than 64 KiB at once
    assert refused.get_data() == b"" and body.served == size  # what functions-framework reads afterwards


def test_a_refused_body_over_the_drain_limit_is_read_no_further(local: None) -> None:
    size = limits.DRAIN_LIMIT + 10 * 1024 * 1024
    refused = request("/scorers/signup")
    body = CountingInput(size)
    refused.environ["wsgi.input"], refused.environ["CONTENT_LENGTH"] = body, str(size)
    limits.discard_body(refused)
    assert body.served == limits.DRAIN_LIMIT and refused.get_data() == b"" and body.served == limits.DRAIN_LIMIT
