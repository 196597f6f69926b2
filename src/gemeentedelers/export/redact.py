"""Free text made fit to publish: e-mail addresses, phone numbers and known names of people removed, also
first names and surnames on their own.

Addresses and phone numbers are found by ``gemeentedelers.entries.anonymity``, the check that also cleans the tips and
tops mailed to entrants, so the project has one idea of what contact data in a text is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gemeentedelers.entries.anonymity import scrub
from gemeentedelers.export.texts import text

MIN_NAME = 4  # a whole name matched in any case must be this long; shorter ones would hit ordinary words
PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "t", "la", "le",
                       "du", "von", "da", "di", "del", "dos", "el", "al", "bin", "ben", "y", "e", "und", "zu"})
"""Dutch tussenvoegsels and their kin: never a name on their own."""


def tokens(name: str) -> set[str]:
    """The parts of a name that identify a person on their own: first names and surnames (with and without
    their particles: "de Vries" and "Vries"), not the particles alone, not initials."""
    words = [w.strip(".,") for w in name.split()]
    found = {w for w in words if len(w) >= 2 and w.casefold() not in PARTICLES and not re.fullmatch(r"\w\.?", w)}
    for start, word in enumerate(words):  # a surname with its particles: "de Vries", "van der Berg"
        if word.casefold() in PARTICLES and start > 0:
            rest = words[start:]
            if any(w.casefold() not in PARTICLES for w in rest):
                found.add(" ".join(rest))
            break
    return found


class Redactor:
    """``redactor(text)``: the text with addresses, phone numbers and the given people's names replaced.

    Whole names go in any case ("FLEUR DE VRIES"); their parts (a first name or a surname alone: "Fleur",
    "de Vries", "Vries") go where they are written as names are, with a capital, as whole words, so "Jan" goes
    and "januari" or "ik ben" stay."""

    def __init__(self, names: Iterable[str] = (), language: str = "nl") -> None:
        cleaned = {n.strip() for n in names if n and n.strip()}
        wanted = sorted({n for n in cleaned if len(n) >= MIN_NAME}, key=lambda n: (-len(n), n))
        parts = sorted({t for n in cleaned for t in tokens(n) if any(c.isupper() for c in t)} - set(wanted),
                       key=lambda n: (-len(n), n))
        self.names = (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in wanted) + r")(?!\w)", re.IGNORECASE)
                      if wanted else None)
        self.parts = (re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in parts) + r")(?![\w-])")
                      if parts else None)
        self.email = text("removed_email", language)
        self.phone = text("removed_phone", language)
        self.name = text("removed_name", language)

    def __call__(self, value: str | None) -> str:
        if not value:
            return ""
        cleaned = scrub(value, self.email, self.phone)
        if self.names is not None:
            cleaned = self.names.sub(self.name, cleaned)
        if self.parts is not None:
            cleaned = self.parts.sub(self.name, cleaned)
        return cleaned


def keep(value: str | None) -> str:
    """The organiser workbook's counterpart: the text as stored."""
    return value or ""
