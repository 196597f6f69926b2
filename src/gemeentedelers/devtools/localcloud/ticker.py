"""The local cloud's scheduler: publishes the same tick to ``gd-tick`` every few seconds, as Cloud Scheduler does.

Run by the local cloud as ``python -m gemeentedelers.devtools.localcloud.ticker --interval 60`` in its own
process group (``dev up`` starts it; the tests publish their ticks by hand with ``gemeentedelers tick``).
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from gemeentedelers.platform import logs
from gemeentedelers.platform.tick import publish_tick

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between ticks")
    args = parser.parse_args(argv)
    logs.configure("scheduler")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        try:
            log.info("tick published (message %s)", publish_tick())
        except Exception:  # the emulator may be restarting; the next tick tries again
            log.exception("tick not published")
        stop.wait(args.interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
