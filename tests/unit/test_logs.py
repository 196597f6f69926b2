"""Log lines for Cloud Logging: one JSON object a line, with severity, trace, service and edition, and nothing
personal or secret in them, whatever the code logged."""

from __future__ import annotations

import io
import json
import logging

from gemeentedelers.platform import logs


def line(record_level: int, message: str, *args: object, exc: bool = False) -> dict[str, object]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.CloudLoggingFormatter("scoring"))
    logger = logging.getLogger("test.logs")
    logger.propagate = False
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    if exc:
        try:
            raise ValueError("kapot")
        except ValueError:
            logger.exception(message, *args)
    else:
        logger.log(record_level, message, *args)
    text = stream.getvalue()
    assert text.count("\n") == 1, "one line per entry, tracebacks included"
    return json.loads(text)


def test_an_info_line_is_one_json_object_with_severity_and_service() -> None:
    entry = line(logging.INFO, "handled %s", "submission.received")
    assert entry["severity"] == "INFO" and entry["message"] == "handled submission.received"
    assert entry["service"] == "scoring" and "time" in entry
    assert "logging.googleapis.com/trace" not in entry and "edition" not in entry


def test_a_traceback_stays_in_one_entry() -> None:
    entry = line(logging.ERROR, "failed", exc=True)
    assert entry["severity"] == "ERROR" and "ValueError: kapot" in entry["message"]
    assert "Traceback" in entry["message"]


def test_trace_and_edition_come_from_the_request_or_event() -> None:
    trace = logs.trace_of("105445aa7843bc8bf206b12000100000/1;o=1", "demo-x")
    assert trace == "projects/demo-x/traces/105445aa7843bc8bf206b12000100000"
    assert logs.trace_of("not a trace", "demo-x") is None and logs.trace_of(None, "demo-x") is None
    with logs.context(trace=trace, edition="gd2024"):
        entry = line(logging.INFO, "inside")
    assert entry["logging.googleapis.com/trace"] == trace and entry["edition"] == "gd2024"
    assert "edition" not in line(logging.INFO, "outside")


def test_no_address_phone_number_or_token_reaches_a_line() -> None:
    entry = line(logging.WARNING, "mail to %s (%s) failed; link %s; header %s; sig %s",
                 "fleur.devries@utrecht.nl", "06-12345678",
                 "https://x.run.app/score/login?token=eyJlIjoiZ2QyMDI0In0.Z2x.abc&lang=en",
                 "Authorization: Bearer ya29.secret-value", "sha256=q83vEjRWeJCrze8SNFR4kZq83vEjRWeJ")
    message = str(entry["message"])
    for secret in ("fleur.devries", "utrecht.nl", "12345678", "eyJlIjoiZ2QyMDI0In0", "ya29.secret-value",
                   "q83vEjRWeJ"):
        assert secret not in message, secret
    assert "[e-mail]" in message and "[phone]" in message and "token=[redacted]&lang=en" in message
    assert entry["severity"] == "WARNING"


def test_redaction_keeps_ordinary_text() -> None:
    text = "wave 2 assigned 128 ratings to 40 scorers for gd2024 on 2024-01-09"
    assert logs.redact(text) == text
