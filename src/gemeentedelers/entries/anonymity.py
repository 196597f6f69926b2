"""What counts as contact data inside free text: e-mail addresses and phone numbers.

One definition for everything that must not carry them: the round-1 tips and tops mailed to entrants
(``scoring.verdict``) and the public results dossier (``export.redact``).

Phone numbers: Dutch ones (ten digits from a leading 0, or +31/0031 and nine digits) and other international
ones (+ or 00, a country code, eight to eleven digits), with spaces, dots, dashes, slashes and brackets anywhere
in between, but not dates such as 01-02-2024 followed by a time, nor digits inside links and identifiers.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # a full stop after the address ends the sentence, not it

_SEP = r"[ .()/-]{0,2}"
_DATE = r"\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d\d(?![-./]?\d)"  # 01-02-2024, perhaps followed by a time
PHONE = re.compile(
    r"(?<![\w+@/.=-])(?:"  # not inside a word, an address, a link or an identifier such as sub-0123456789
    rf"(?:\+|00)[1-9]\d{{0,2}}{_SEP}(?:\(0\){_SEP})?\d(?:{_SEP}\d){{7,10}}"  # +31 6 12345678, 0032 2 123 45 67
    rf"|(?!{_DATE})\(?0\d(?:{_SEP}\d){{8}}"  # 06-12345678, (030) 286 00 00
    r")(?![\w@])"
)


def scrub(text: str, email: str, phone: str) -> str:
    """``text`` with every e-mail address replaced by ``email`` and every phone number by ``phone``."""
    return PHONE.sub(phone, EMAIL.sub(email, text))


def scrubbed(text: str) -> str:
    """``text`` as it may be shown to others or published: addresses and phone numbers replaced by a Dutch note
    (the feedback that reaches entrants, the winners that reach sponsors, the databank)."""
    return scrub(text, "[e-mailadres verwijderd]", "[telefoonnummer verwijderd]").strip()
