"""What every stored decision records about how it was made, so it can be replayed exactly later.

The edition version and the content hash of its spec (the rules in force), the code version and the build
commit (what computed it), and the version of the method (e.g. ``rater-model-v1``); a method that changes keeps
its old version callable under that name (``scoring/methods.py`` for round 1).
"""

from __future__ import annotations

from typing import Any

from gemeentedelers.editions import Edition


def provenance(edition: Edition, method: str) -> dict[str, Any]:
    """The fields a decision stores beside its inputs and outcome."""
    from gemeentedelers import __version__
    from gemeentedelers.platform import settings

    return {"edition_version": edition.version, "edition_hash": edition.spec_hash, "code_version": __version__,
            "build_commit": settings.current().build_commit, "method_version": method}
