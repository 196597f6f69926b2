"""A sponsor's webhook for tests: a real HTTP server on 127.0.0.1 that answers from a script and logs requests.

Used by the unit tests of sponsors.post() and by tests/integration/test_sponsors.py (as
``unit.notify.sponsor_receiver``), so both exercise real sockets rather than a mocked ``requests``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def event_id(self) -> str:
        return self.headers.get("X-GemeenteDelers-Event-Id", "")


class Receiver:
    """Answers each POST with the next code of ``script``, then ``default``; ``delay_s`` before answering.

    A client that hangs up before the answer (a sender's timeout) is counted in ``hung_up``, not printed: a
    traceback printed from a server thread runs ``ast.parse`` there (CPython 3.11's caret display), which can
    raise "AST constructor recursion depth mismatch" in a test parsing source at the same moment (gh-106905).
    ``close()`` waits for every request thread, so nothing of a test's receiver outlives the test.
    """

    def __init__(self, script: Iterable[int] = (), default: int = 200, delay_s: float = 0.0):
        self._script = list(script)
        self._default = default
        self._delay_s = delay_s
        self._lock = threading.Lock()
        self.log: list[Received] = []
        self.hung_up = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    code = receiver._script.pop(0) if receiver._script else receiver._default
                    receiver.log.append(Received(self.path, dict(self.headers.items()), body, code))
                time.sleep(receiver._delay_s)
                payload = b'{"ok": true}' if code < 300 else b'{"error": "scripted failure"}'
                try:
                    self.send_response(code)
                    if 300 <= code < 400:
                        self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    with receiver._lock:
                        receiver.hung_up += 1
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = False  # with block_on_close, server_close() joins the request threads
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/gemeentedelers"

    def set_default(self, code: int) -> None:
        """Answer ``code`` from now on, once the script is used up: the sponsor fixed (or broke) its system."""
        with self._lock:
            self._default = code

    def accepted(self) -> Counter[str]:
        """How often each event id was answered with a 2xx: what the sponsor actually took."""
        with self._lock:
            return Counter(r.event_id for r in self.log if 200 <= r.answered < 300)

    def received(self) -> list[Received]:
        with self._lock:
            return list(self.log)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
