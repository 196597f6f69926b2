"""Counting what an edition does to the billed services, in every process of the local cloud.

Counted where the client libraries call Google's APIs, so nothing the project's code does escapes it:

- **Firestore**: the GAPIC client's RPCs. ``commit`` counts one write per document write (a transform rides
  with its write) and one delete per delete, once the commit succeeded (a refused ``create`` writes nothing);
  ``batch_get_documents`` one read per document asked for (found or missing); ``run_query`` one read per
  document returned, and one for a query that returns none (Firestore's minimum); an aggregation one read;
  ``list_documents`` one read per document. This is how Firestore bills a (default) database in Standard edition.
- **Pub/Sub**: every ``PublisherClient.publish`` (messages and bytes); every push delivered to an event function
  (its request).
- **Functions**: every request a Flask app (functions-framework) served, except ``/healthz``, with its duration.
- **Requests the demo makes in-process**: the demo drives organisers', scorers', assessors' and jurors' actions
  through the same core functions the pages call; :func:`count_calls` counts those calls as the requests they
  would be in production (one page submit each), with their duration.

A function process is metered when the local cloud starts it with ``GD_METER_DIR`` set and this package's
``meter_site`` folder on ``PYTHONPATH`` (its ``sitecustomize`` calls :func:`install`); each process writes its
counts to ``GD_METER_DIR/<name>.<pid>.json`` at most twice a second, and :func:`totals` adds them up.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

SITE_DIR = Path(__file__).with_name("meter_site")
FLUSH_S = 0.5
BILLED_MS = 100
"""Cloud Run (and so Cloud Run functions) bills a request's time rounded up to 100 ms."""

_counts: Counter[str] = Counter()
_lock = threading.Lock()
_state: dict[str, Any] = {"pid": None, "dir": None, "name": None, "dirty": False, "installed": False,
                          "actions_only": False}
_inside = threading.local()


def add(key: str, n: float = 1) -> None:
    if _state["actions_only"] and not getattr(_inside, "depth", 0) and not key.startswith("functions."):
        return  # the driving process's own checks (counting mails, reading what it stored) are not the edition's
    with _lock:
        if _state["pid"] != os.getpid():  # forked (gunicorn's worker): the parent's counts are the parent's
            _counts.clear()
            _state["pid"] = os.getpid()
            if _state["dir"]:
                threading.Thread(target=_flusher, daemon=True, name="meter-flush").start()
        _counts[key] += n
        _state["dirty"] = True


def snapshot() -> Counter[str]:
    """This process's counts so far."""
    with _lock:
        return Counter(_counts)


def _process_name() -> str:
    argv = sys.argv
    if "--target" in argv[:-1]:
        return argv[argv.index("--target") + 1]
    return _state["name"] or Path(argv[0]).stem or "python"


def flush() -> None:
    directory = _state["dir"]
    if not directory:
        return
    with _lock:
        data, _state["dirty"] = dict(_counts), False
    path = Path(directory) / f"{_process_name()}.{os.getpid()}.json"
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(data))
    partial.replace(path)


def _flusher() -> None:
    while True:
        time.sleep(FLUSH_S)
        if _state["dirty"]:
            flush()


def totals(directory: Path) -> Counter[str]:
    """Every metered process's counts added up (the files written so far)."""
    found: Counter[str] = Counter()
    for path in Path(directory).glob("*.json"):
        try:
            found.update(json.loads(path.read_text()))
        except (OSError, ValueError):  # being replaced just now: the next read sees it
            continue
    return found


def by_process(directory: Path) -> dict[str, Counter[str]]:
    """Counts per process name (a function's target, or the driving process)."""
    found: dict[str, Counter[str]] = {}
    for path in Path(directory).glob("*.json"):
        name = path.name.split(".")[0]
        try:
            found.setdefault(name, Counter()).update(json.loads(path.read_text()))
        except (OSError, ValueError):
            continue
    return found


def wait_quiet(directory: Path, quiet_s: float = 2.0, timeout_s: float = 60.0) -> bool:
    """Wait until no process has counted anything for ``quiet_s`` (pushes and mails still under way); False when
    the local cloud was still busy after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        flush()
        now = totals(directory)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return True
        time.sleep(0.25)
    return False


def reset() -> None:
    """Forget this process's counts (between two editions)."""
    with _lock:
        _counts.clear()
        _state["dirty"] = True


# -- installing the counters ------------------------------------------------------------------------------------


def install(directory: str | Path | None = None, name: str | None = None, *, actions_only: bool = False) -> None:
    """Count this process's Firestore, Pub/Sub and function requests (idempotent); with ``directory``, also write
    them there for :func:`totals`. ``actions_only``: count Firestore and Pub/Sub only inside :func:`count_calls`
    (the process that drives the demo)."""
    with _lock:
        _state["actions_only"] = actions_only
        if directory is not None:
            Path(directory).mkdir(parents=True, exist_ok=True)
            _state["dir"] = str(directory)
        _state["name"] = name or _state["name"]
        if _state["installed"]:
            return
        _state["installed"] = True
    _install_firestore()
    _install_pubsub()
    _install_flask()
    if directory is not None:
        import atexit

        atexit.register(flush)


def _field(request: Any, name: str) -> Any:
    if request is None:
        return None
    if isinstance(request, dict):
        return request.get(name)
    return getattr(request, name, None)


def _is_delete(write: Any) -> bool:
    pb = getattr(write, "_pb", write)
    try:
        return pb.WhichOneof("operation") == "delete"
    except (AttributeError, ValueError):
        return bool(_field(write, "delete"))


class _CountingStream:
    """A response stream that counts what it yields (``per_item``) and, once exhausted, a minimum."""

    def __init__(self, inner: Any, per_item: Callable[[Any], int], minimum: int = 0, key: str = "firestore.reads"):
        self._inner, self._per_item, self._minimum, self._key = inner, per_item, minimum, key
        self._seen = 0
        self._closed = False

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            item = next(self._inner)
        except StopIteration:
            self._finish()
            raise
        n = self._per_item(item)
        self._seen += n
        if n:
            add(self._key, n)
        return item

    def _finish(self) -> None:
        if not self._closed:
            self._closed = True
            if self._seen < self._minimum:
                add(self._key, self._minimum - self._seen)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __del__(self) -> None:  # a query read only in part (``limit``, ``next(...)``) is billed too
        with contextlib.suppress(Exception):  # never raise from a finaliser
            self._finish()


def _has(item: Any, name: str) -> bool:
    pb = getattr(item, "_pb", item)
    try:
        return bool(pb.HasField(name))
    except (AttributeError, ValueError):
        return bool(_field(item, name))


def _install_firestore() -> None:
    try:
        from google.cloud.firestore_v1.services.firestore.client import FirestoreClient
    except ImportError:
        return

    def patch(name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        original = getattr(FirestoreClient, name, None)
        if original is not None:
            setattr(FirestoreClient, name, wraps(original)(make(original)))

    def commit(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(self: Any, request: Any = None, *args: Any, **kwargs: Any) -> Any:
            writes = list(_field(request, "writes") or [])
            answer = original(self, request, *args, **kwargs)
            deletes = sum(1 for w in writes if _is_delete(w))
            add("firestore.writes", len(writes) - deletes)
            add("firestore.deletes", deletes)
            return answer
        return counted

    def batch_get(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(self: Any, request: Any = None, *args: Any, **kwargs: Any) -> Any:
            add("firestore.reads", len(list(_field(request, "documents") or [])))
            return original(self, request, *args, **kwargs)
        return counted

    def query(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _CountingStream(iter(original(self, *args, **kwargs)),
                                   lambda r: 1 if _has(r, "document") else 0, minimum=1)
        return counted

    def aggregation(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            add("firestore.reads", 1)
            return original(self, *args, **kwargs)
        return counted

    def listing(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _CountingStream(iter(original(self, *args, **kwargs)), lambda _: 1)
        return counted

    patch("commit", commit)
    patch("batch_get_documents", batch_get)
    patch("run_query", query)
    patch("run_aggregation_query", aggregation)
    patch("list_documents", listing)


def _install_pubsub() -> None:
    try:
        from google.cloud.pubsub_v1 import PublisherClient
    except ImportError:
        return
    original = PublisherClient.publish

    @wraps(original)
    def publish(self: Any, topic: str, data: bytes, *args: Any, **kwargs: Any) -> Any:
        add("pubsub.published")
        add("pubsub.published_bytes", len(data) + sum(len(k) + len(str(v)) for k, v in kwargs.items()))
        return original(self, topic, data, *args, **kwargs)

    PublisherClient.publish = publish  # type: ignore[method-assign]


def _install_flask() -> None:
    try:
        import flask
    except ImportError:
        return
    original = flask.Flask.wsgi_app

    @wraps(original)
    def wsgi_app(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            return original(self, environ, start_response)
        began = time.perf_counter()
        try:
            return original(self, environ, start_response)
        finally:
            _request("pushes" if path.startswith("/projects/") else "http", time.perf_counter() - began,
                     int(environ.get("CONTENT_LENGTH") or 0))

    flask.Flask.wsgi_app = wsgi_app  # type: ignore[method-assign]


def _request(kind: str, seconds: float, size: int = 0) -> None:
    add("functions.requests")
    add(f"functions.requests.{kind}")
    add("functions.billed_ms", BILLED_MS * math.ceil(seconds * 1000 / BILLED_MS))
    if kind == "pushes":
        add("pubsub.delivered")
        add("pubsub.delivered_bytes", size)


def count_calls(targets: Iterable[tuple[Any, str]]) -> Callable[[], None]:
    """Count each call of ``getattr(module, name)`` as one request served in production (an in-process stand-in
    for a page submit); returns a function that puts the originals back."""
    originals = []
    for owner, name in targets:
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def counted(*args: Any, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            if getattr(_inside, "depth", 0):  # a counted action calling another is one request
                return _original(*args, **kwargs)
            _inside.depth = 1
            began = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                _inside.depth = 0
                _request("in_process", time.perf_counter() - began)

        setattr(owner, name, wraps(original)(counted))

    def restore() -> None:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)

    return restore

