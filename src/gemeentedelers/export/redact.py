"""Free text made fit to publish: e-mail addresses, phone numbers and known names of people removed.

Addresses and phone numbers are found by ``gemeentedelers.entries.anonymity``, the check that also cleans the tips and
tops mailed to entrants, so the project has one idea of what contact data in a text is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gemeentedelers.entries.anonymity import scrub
from gemeentedelers.export.texts import text

MIN_NAME = 4  # shorter names (initials, "Jan") would remove ordinary words


class Redactor:
    """``redactor(text)``: the text with addresses, phone numbers and the given people's names replaced."""

    def __init__(self, names: Iterable[str] = (), language: str = "nl") -> None:
        wanted = sorted({n.strip() for n in names if n and len(n.strip()) >= MIN_NAME}, key=lambda n: (-len(n), n))
        self.names = (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in wanted) + r")(?!\w)", re.IGNORECASE)
                      if wanted else None)
        self.email = text("removed_email", language)
        self.phone = text("removed_phone", language)
        self.name = text("removed_name", language)

    def __call__(self, value: str | None) -> str:
        if not value:
            return ""
        cleaned = scrub(value, self.email, self.phone)
        if self.names is not None:
            cleaned = self.names.sub(self.name, cleaned)
        return cleaned


def keep(value: str | None) -> str:
    """The organiser workbook's counterpart: the text as stored."""
    return value or ""
