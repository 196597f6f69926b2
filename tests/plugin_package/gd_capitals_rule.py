"""A code rule shipped as its own package: a title in capitals only is refused (it reads as shouting)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gemeentedelers.plugins.api import FieldError, Text, hookimpl


@hookimpl
def gd_validate_registration(registration: Mapping[str, object]) -> Sequence[FieldError]:
    """A registration's title is not written in capitals only."""
    title = str(registration.get("title") or "")
    if any(c.isalpha() for c in title) and title == title.upper():
        return [FieldError("title", Text("Schrijf de titel niet in hoofdletters.",
                                         "Do not write the title in capitals."))]
    return []
