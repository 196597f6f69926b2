"""The edition benchmark's meter counts what Firestore and Pub/Sub would bill, in a process it was started into.

A separate Python process (started as the local cloud starts its functions: the meter's ``sitecustomize`` on
``PYTHONPATH`` and ``GD_METER_DIR`` set) does known operations on the real emulators; its counts must be exactly
what Firestore bills for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gemeentedelers.devtools import meter
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.pubsub_admin import PubSubAdmin

SCRIPT = """
from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore, pubsub_v1

client = firestore.Client()
things = client.collection("meter_test")
for n in range(3):
    things.document(f"t{n}").create({"n": n, "kind": "a" if n < 2 else "b"})    # 3 writes
try:
    things.document("t0").create({"n": 0})                                       # refused: no write
except AlreadyExists:
    pass
things.document("t1").update({"n": firestore.Increment(1)})                     # 1 write (with its transform)
list(client.get_all([things.document("t0"), things.document("missing")]))       # 2 reads (found or not)
things.document("t2").get()                                                     # 1 read
list(things.where(filter=firestore.FieldFilter("kind", "==", "a")).stream())    # 2 reads
list(things.where(filter=firestore.FieldFilter("kind", "==", "z")).stream())    # 1 read (an empty query)
things.document("t2").delete()                                                  # 1 delete
publisher = pubsub_v1.PublisherClient()
publisher.publish(publisher.topic_path(client.project, "gd-meter-test"), b"x" * 10, kind="k").result(timeout=30)
"""


def test_the_meter_counts_what_firestore_and_pubsub_bill(fresh: LocalCloud, tmp_path: Path) -> None:
    PubSubAdmin(fresh.state["pubsub_emulator_host"], fresh.project).ensure_topic("gd-meter-test")
    counts_dir = tmp_path / "meter"
    env = {**os.environ, **fresh.env(), "GD_METER_DIR": str(counts_dir),
           "PYTHONPATH": os.pathsep.join(p for p in (str(meter.SITE_DIR), os.environ.get("PYTHONPATH", "")) if p)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    counts = meter.totals(counts_dir)
    assert counts["firestore.writes"] == 4
    assert counts["firestore.reads"] == 6
    assert counts["firestore.deletes"] == 1
    assert counts["pubsub.published"] == 1 and counts["pubsub.published_bytes"] == 10 + len("kind") + len("k")
    assert counts["functions.requests"] == 0  # nothing served

