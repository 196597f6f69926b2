"""Started with this folder on ``PYTHONPATH`` and ``GD_METER_DIR`` set, a process counts what it does to the billed
services (``gemeentedelers.devtools.meter``); the edition benchmark starts the local cloud's functions so."""

import os

if os.environ.get("GD_METER_DIR"):
    from gemeentedelers.devtools.meter import install

    install(os.environ["GD_METER_DIR"])
