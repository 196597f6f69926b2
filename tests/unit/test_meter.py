"""The meter's in-process request count (the edition benchmark's stand-in for pages the demo does not load)."""

from __future__ import annotations

from gemeentedelers.devtools import meter


def test_an_action_counted_in_process_is_one_request() -> None:
    class Core:
        @staticmethod
        def outer() -> str:
            return Core.inner()

        @staticmethod
        def inner() -> str:
            return "done"

    restore = meter.count_calls([(Core, "outer"), (Core, "inner")])
    before = meter.snapshot()
    try:
        assert Core.outer() == "done" and Core.inner() == "done"
    finally:
        restore()
    counted = meter.snapshot() - before
    assert counted["functions.requests.in_process"] == 2  # outer (with inner inside it) and inner on its own
    assert counted["functions.billed_ms"] == 200  # each rounded up to 100 ms, as Cloud Run bills
    assert Core.outer() == "done" and meter.snapshot() - before == counted  # the originals are back
