"""Logging for Cloud Logging: one JSON object per line on stdout, with severity, trace, service and edition.

Cloud Run turns each stdout line that is a JSON object into a structured entry: ``severity`` sets the level,
``logging.googleapis.com/trace`` groups the lines of one request under its trace, and everything else lands in
``jsonPayload``. Without this the runtime's default (WARNING, plain text) drops every INFO line and splits a
traceback over many entries.

Nothing personal or secret reaches a log line: e-mail addresses, phone numbers, link and push tokens and
``Authorization`` values are replaced before the line is written, whatever the code logged.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from gemeentedelers.entries.anonymity import EMAIL, PHONE

_trace: contextvars.ContextVar[str | None] = contextvars.ContextVar("gd_trace", default=None)
_edition: contextvars.ContextVar[str | None] = contextvars.ContextVar("gd_edition", default=None)

_SECRETS = (
    (re.compile(r"(?i)\b((?:push_)?token|secret|password|signature)=([^&\s\"']+)"), r"\1=[redacted]"),
    (re.compile(r"(?i)\b(authorization|bearer)([:\s]+)(bearer\s+)?[^\s,;\"']+"), r"\1\2[redacted]"),
    (re.compile(r"(?i)(sha256=|v1=)[A-Za-z0-9+/=_-]{16,}"), r"\1[redacted]"),
)


def redact(text: str) -> str:
    """``text`` without e-mail addresses, phone numbers, tokens, signatures and credentials."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return PHONE.sub("[phone]", EMAIL.sub("[e-mail]", text))


def trace_of(header: str | None, project: str) -> str | None:
    """The Cloud Logging trace name for an ``X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1`` header."""
    trace_id = (header or "").split("/", 1)[0].strip()
    if not re.fullmatch(r"[0-9a-fA-F]{16,32}", trace_id):
        return None
    return f"projects/{project}/traces/{trace_id.lower()}"


@contextlib.contextmanager
def context(*, trace: str | None = None, edition: str | None = None) -> Iterator[None]:
    """Attach a trace and an edition to every line logged inside (one request or one event)."""
    tokens = [_trace.set(trace) if trace is not None else None, _edition.set(edition) if edition else None]
    try:
        yield
    finally:
        for var, token in zip((_trace, _edition), tokens, strict=True):
            if token is not None:
                var.reset(token)


def set_edition(edition: str | None) -> None:
    """Name the edition for the rest of the current request or event (once it is known)."""
    if edition:
        _edition.set(edition)


class CloudLoggingFormatter(logging.Formatter):
    """A log record as one line of JSON that Cloud Logging reads as a structured entry."""

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        entry: dict[str, Any] = {
            "severity": "WARNING" if record.levelname == "WARN" else record.levelname,
            "message": redact(message),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "service": self.service,
            "logger": record.name,
        }
        if (edition := _edition.get()) is not None:
            entry["edition"] = edition
        if (trace := _trace.get()) is not None:
            entry["logging.googleapis.com/trace"] = trace
        return json.dumps(entry, ensure_ascii=False)


_configured: str | None = None


def configure(service: str, level: int = logging.INFO) -> None:
    """Send every log line of this process to stdout as JSON (once per process; later calls are no-ops)."""
    global _configured
    if _configured is not None:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudLoggingFormatter(service))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("urllib3", "google.auth", "google.api_core", "grpc"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _configured = service
