"""Signed bodies of any shape at the real intake function: 2xx or a 4xx with a JSON reason, never a 5xx, and
never a partial write (a stored registration is whole and its event published; a refused one leaves nothing).

Hypothesis makes the bodies (derandomised, so a run is reproducible): form tools' real envelopes with answers
replaced by arbitrary JSON, flat generic bodies, and raw texts a parser chokes on (deep nesting, a
6,000-digit integer, lone surrogates, control characters in single-line fields).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import requests
from cloudtest import Intake
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_intake_webhooks import REGISTRATION

from gemeentedelers.devtools.formtools import build_request
from gemeentedelers.intake.signatures import sign
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(["\r", "\n", "\x00", "\u2028", "\x85", "\t"]),
               max_size=40)
LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT
JSON = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)
RAW = st.sampled_from([
    b"[" * 5000 + b"]" * 5000,
    b'{"municipality": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    b'{"title": ' + b"7" * 6000 + b"}",
    b'{"title": "\\ud800 los", "idempotency_key": "k-\\udfff"}',
    b'{"\\udc00": 1}',
    b'{"title": NaN}',
    b"\xff\xfe not utf-8",
    b"",
    b"null",
    b'"just a string"',
])


def registration_with(changes: dict[str, Any]) -> dict[str, Any]:
    return {**REGISTRATION, **changes}


FIELDS = st.dictionaries(st.sampled_from(sorted(REGISTRATION)), JSON | TEXT, max_size=3).map(registration_with)
CONTROL = st.builds(lambda field, char: registration_with({field: f"Samen{char}sterk in de wijk"}),
                    st.sampled_from(["title", "municipality", "contact_name", "category"]),
                    st.sampled_from(["\r\n", "\n", "\x00", "\u2028", "\x1b"]))


def mutate(body: dict[str, Any], path: list[int], value: Any) -> dict[str, Any]:
    """A real envelope with one answer (or the envelope's own field) replaced by ``value``."""
    changed = copy.deepcopy(body)
    if "form_response" in changed:
        answers = changed["form_response"]["answers"]
        if path[0] % 3 == 0:
            changed["form_response"]["submitted_at"] = value
        else:
            answers[path[1] % len(answers)][answers[path[1] % len(answers)]["type"]] = value
    else:
        fields = changed["data"]["fields"]
        if path[0] % 3 == 0:
            changed["data"]["createdAt"] = value
        else:
            fields[path[1] % len(fields)]["value"] = value
    return changed


def submissions() -> set[str]:
    return {snapshot.id for snapshot in layout.submissions(db(), "gd2024").stream()}


def check(intake: Intake, provider: str, body: bytes, idempotency_key: str | None = None) -> int:
    headers = {"Content-Type": "application/json", **sign(provider, intake.cloud.state["webhook_secrets"][provider],
                                                          body, idempotency_key=idempotency_key)}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    before = submissions()
    answer = requests.post(f"{intake.base}/webhooks/{provider}", data=body, headers=headers, timeout=30)
    assert answer.status_code < 500, (answer.status_code, answer.text[:300], body[:300])
    reply = answer.json()
    after = submissions()
    if answer.status_code in (200, 201):
        sid = reply["submission_id"]
        assert after - before <= {sid} and sid in after
        record = layout.submissions(db(), "gd2024").document(sid).get().to_dict()
        assert record["contact"]["email"] and record["title"] and record["status"] == "registered"
    else:
        assert "error" in reply, reply
        assert after == before, f"a refused body ({answer.status_code} {reply}) stored something"
    assert not list(layout.outbox(db()).limit(1).stream()), "an event was stored but not published"
    return answer.status_code


KEYS = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_categories=("Cc",)), min_size=1,
               max_size=30).filter(lambda k: k.strip() == k)
"""What an HTTP client can send as a header value (control characters never reach the function)."""
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(provider=st.sampled_from(["typeform", "tally"]), path=st.lists(st.integers(0, 50), min_size=2, max_size=2),
       value=JSON)
def test_form_tool_envelopes_with_any_answer(intake: Intake, provider: str, path: list[int], value: Any) -> None:
    request = build_request(provider, REGISTRATION, intake.cloud.state["webhook_secrets"][provider])
    body = json.dumps(mutate(json.loads(request.body), path, value), ensure_ascii=False,
                      default=str).encode("utf-8", "surrogatepass")
    check(intake, provider, body)


@FUZZ
@given(fields=FIELDS | CONTROL | JSON, key=st.none() | KEYS)
def test_generic_bodies_of_any_shape(intake: Intake, fields: Any, key: str | None) -> None:
    body = json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")
    check(intake, "generic", body, key)


@FUZZ
@given(raw=RAW, provider=st.sampled_from(["typeform", "tally", "generic"]))
def test_bodies_a_parser_chokes_on(intake: Intake, raw: bytes, provider: str) -> None:
    assert check(intake, provider, raw) == 400
