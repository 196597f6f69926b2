"""Reading a signed body into JSON that every later step can handle: bounded, and text that can be stored.

A signature proves who sent a body, not that it is sane. ``load`` refuses, with the place in the body, what
would otherwise surface later as a 500 or a half-done write: nesting deeper than ``MAX_DEPTH`` (the json module
recurses), integers over Python's digit limit, strings with lone surrogates (Firestore and UTF-8 cannot hold
them), and numbers that are not finite.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32


class BodyRefused(ValueError):
    """The body is not JSON we accept; ``field`` is a dotted path into it (``body`` for the whole)."""

    def __init__(self, code: str, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.code = code
        self.field = field
        self.message = message


def load(body: bytes) -> Any:
    """The parsed body, or :class:`BodyRefused` naming what is wrong and where."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as problem:
        raise BodyRefused("invalid_json", "body", f"not UTF-8 ({problem.reason} at byte {problem.start})") from None
    if _depth(text) > MAX_DEPTH:
        raise BodyRefused("invalid_json", "body", f"nested deeper than {MAX_DEPTH} levels")
    try:
        payload = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise BodyRefused("invalid_json", "body", f"nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as problem:
        raise BodyRefused("invalid_json", "body", str(problem)) from None
    except ValueError as problem:  # an integer over sys.get_int_max_str_digits(), a NaN/Infinity
        raise BodyRefused("invalid_json", "body", str(problem)) from None
    check(payload)
    return payload


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, without parsing (so without recursing)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check(payload: Any) -> None:
    """Refuse strings (keys too) that cannot be encoded as UTF-8, and numbers that are not finite."""
    stack: list[tuple[str, Any]] = [("body", payload)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            _text(path, value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise BodyRefused("invalid_payload", path, "not a finite number")
        elif isinstance(value, dict):
            for key, item in value.items():
                _text(f"{path}.{key[:40]!s}" if _encodable(key) else path, key)
                stack.append((f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{n}]", item) for n, item in enumerate(value))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(path: str, value: str) -> None:
    if not _encodable(value):
        raise BodyRefused("invalid_payload", path if _encodable(path) else "body",
                          "contains a lone surrogate (\\ud800-\\udfff), which is not text")
