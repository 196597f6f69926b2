"""Helpers for tests on the local cloud (fixtures are in tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from gemeentedelers.devtools.formtools import FormRequest, build_request
from gemeentedelers.devtools.localcloud.cloud import LocalCloud

BUNDLE_SERVER = """
import json, sys
from pathlib import Path
bundle = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(bundle))
import functions_framework
from werkzeug.serving import make_server
app = functions_framework.create_app(sys.argv[2], str(bundle / "main.py"))
import gemeentedelers
server = make_server("127.0.0.1", 0, app, threaded=True)
print(json.dumps({"port": server.port, "package": gemeentedelers.__file__}), flush=True)
server.serve_forever()
"""
"""``python -c BUNDLE_SERVER BUNDLE TARGET``: functions-framework's app over a bundle's main.py, the bundle first on
``sys.path``; prints its port and where the package came from, as one JSON line."""


class Intake:
    """Posting to the intake function the way the form tools do."""

    def __init__(self, cloud: LocalCloud):
        self.cloud = cloud
        self.base = cloud.url("intake-http")

    def request(self, provider: str, fields: dict[str, Any], **kwargs: Any) -> FormRequest:
        secret = kwargs.pop("secret", None) or self.cloud.state["webhook_secrets"][provider]
        return build_request(provider, fields, secret, **kwargs)

    def send(self, request: FormRequest, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(self.base + request.path, data=request.body,
                             headers=request.headers if headers is None else headers, timeout=30)

    def post(self, provider: str, fields: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.send(self.request(provider, fields, **kwargs))


def decide_round(edition: str, round_: int, advancing: list[str], not_advancing: list[str] | None = None,
                 decision_id: str | None = None) -> str:
    """Store a round's decision as its service does (the decision, the round ``decided`` by it), then publish
    ``round.decided`` naming it: consumers act only on a stored decision. Returns the decision's id."""
    from gemeentedelers.platform import bus, layout
    from gemeentedelers.platform.firestore import db

    did = decision_id or f"r{round_}-test"
    layout.decisions(db(), edition).document(did).set(
        {"decision_id": did, "round": round_, "edition": edition, "advancing": list(advancing),
         "not_advancing": list(not_advancing or []), "decided_at": datetime.now(UTC)})
    layout.round_state(db(), edition, round_).set({"status": "decided", "decision_id": did}, merge=True)
    bus.publish("round.decided", f"round.decided:{edition}:{round_}", edition, {"round": round_, "decision_id": did})
    return did


def wait_for(predicate: Callable[[], Any], timeout_s: float = 60.0, what: str = "condition") -> Any:
    """Poll until ``predicate`` returns something truthy; return it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


COORDINATOR = "coordinator@vng.test"


def add_organiser(email: str = "anna@vng.test", name: str = "Anna de Vries",
                  role: str = "coordinator") -> dict[str, Any]:
    """A named organiser of ``role``, added by the test's bootstrapped coordinator (who is added first if needed)."""
    from gemeentedelers.people import organisers
    from gemeentedelers.platform import audit, layout
    from gemeentedelers.platform.firestore import db

    client = db()
    if not layout.organisers(client).limit(1).get():
        organisers.add(client, email=COORDINATOR, name="Coördinator Test", role="coordinator", by=None)
    record, _ = organisers.add(client, email=email, name=name, role=role, by=audit.organiser(COORDINATOR))
    return organisers.get(client, record["organiser_id"]) or record


def sign_in(cloud: LocalCloud, link: str, session: requests.Session | None = None) -> requests.Session:
    """Open a sign-in link as a browser does: the page with the button, then the POST that redeems it."""
    import re

    session = session or requests.Session()
    page = session.get(link, timeout=30)
    assert page.status_code == 200, page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token is not None, page.text
    base = link.split("/organiser/login")[0]
    answer = session.post(base + "/organiser/login", data={"token": token.group(1)}, timeout=30)
    assert answer.status_code == 200 and answer.url.endswith("/organiser"), (answer.status_code, answer.url)
    return session


def organiser_session(cloud: LocalCloud, service: str = "scoring", *, role: str = "coordinator",
                      email: str = "anna@vng.test", name: str = "Anna de Vries") -> requests.Session:
    """A session of a named organiser of ``role``, signed in on ``service``'s host by a single-use link."""
    from gemeentedelers.people import organisers

    return sign_in(cloud, organisers.sign_in_link(add_organiser(email, name, role), service))


def main_of(page: str) -> str:
    """The page's own content (``<main>``), without the footer's organisational contact address."""
    return page.split("<main", 1)[-1].split("</main>", 1)[0]
