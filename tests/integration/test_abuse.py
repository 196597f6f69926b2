"""What an attacker sends to the running page functions: strange tokens and huge bodies get a page, never a 500.

Against the local cloud's real functions (functions-framework behind gunicorn), not a test client: the limits and
the token checks must hold where a request really arrives.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests

from gemeentedelers.devtools.localcloud.cloud import LocalCloud

STRANGE_TOKENS = ["é", "ü" * 300, "\u202e\u0000", "☃.☃.☃", "%ff%fe", "x" * 5000, "Bearer ’"]
SIGN_INS = [("scoring-http", "/organiser/login"), ("assessment-http", "/organiser/handover"),
            ("jury-http", "/organiser/handover"), ("scoring-http", "/score/login"),
            ("assessment-http", "/assess/login"), ("assessment-http", "/team/login"), ("jury-http", "/jury/login")]


@pytest.mark.parametrize(("function", "path"), SIGN_INS)
def test_a_token_that_is_not_ascii_or_is_garbage_gets_the_link_page_not_a_500(
        fresh: LocalCloud, function: str, path: str) -> None:
    for token in STRANGE_TOKENS:
        answer = requests.get(f"{fresh.url(function)}{path}?token={quote(token)}", allow_redirects=False,
                              timeout=30, headers={"Accept": "text/html"})
        assert answer.status_code in (400, 401), (path, token[:20], answer.status_code, answer.text[-300:])
        assert "text/html" in answer.headers["Content-Type"] and '<html lang="nl"' in answer.text
    posted = requests.post(f"{fresh.url(function)}{path}", data={"token": "é" * 10}, allow_redirects=False,
                           timeout=30, headers={"Accept": "text/html"})
    assert posted.status_code < 500, (path, posted.status_code, posted.text[-300:])


def test_a_30_mb_sign_up_gets_a_short_page_and_the_function_serves_on(fresh: LocalCloud) -> None:
    """The body is read in small pieces and thrown away (``limits.discard_body``): never echoed, never kept."""
    base = fresh.url("scoring-http")
    for _ in range(3):
        answer = requests.post(base + "/scorers/signup", data=b"name=" + b"a" * (30 * 1024 * 1024), timeout=120,
                               headers={"Content-Type": "application/x-www-form-urlencoded",
                                        "Accept": "text/html"})
        assert answer.status_code == 413 and "Dit is te veel om te versturen" in answer.text
        assert len(answer.content) < 64 * 1024 and "aaaa" not in answer.text
    assert requests.get(base + "/scorers/signup", timeout=30).status_code == 200


def test_a_30_mb_webhook_gets_413_as_json(fresh: LocalCloud) -> None:
    answer = requests.post(fresh.url("intake-http") + "/webhooks/generic", data=b"{" + b" " * (30 * 1024 * 1024),
                           timeout=120, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["error"] == "payload_too_large"
