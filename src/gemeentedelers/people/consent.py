"""Consent as the AVG asks for it: specific, recorded with its text, version and moment, and as easy to withdraw.

Every consent text is versioned here, in Dutch and English; a text is never edited once used, a change is a new
version. What is stored with a registration or a scorer's sign-up is a record ``{purpose, version, text_hash,
language, given_at}``: the hash of the exact text the person was shown, in their language, so it can be proven
later which words they agreed to (:func:`text_of` gives the text back for a stored record).

Purposes:
- ``registration``: the entrant's contact takes part and lets us process their contact details for the
  competition (required).
- ``publication``: the team agrees that its entry (title, municipality, description, results) is published in the
  databank of reusable innovations after the edition (optional; without it the entry is not published and its
  text is removed with the rest after the retention period).
- ``scorer``: a round-1 assessor (*beoordelaar*) who signs up lets us process their name, address and
  organisation for round 1 (required).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gemeentedelers.plugins.api import LANGUAGES, Text
from gemeentedelers.web.refusals import Refusal


@dataclass(frozen=True)
class ConsentText:
    """One version of the text a person agrees to for one purpose."""

    purpose: str
    version: str
    text: Text

    def hash(self, language: str) -> str:
        return text_hash(self.text.get(language))


TEXTS: tuple[ConsentText, ...] = (
    ConsentText("registration", "2024-1", Text(
        "Ik geef toestemming dat de VNG mijn naam, e-mailadres en telefoonnummer gebruikt om de inzending van "
        "mijn gemeente voor GemeenteDelers te behandelen en mij over de wedstrijd te mailen. Deze gegevens worden "
        "niet gepubliceerd en uiterlijk 12 maanden na de prijsuitreiking verwijderd. Ik kan mijn toestemming altijd "
        "intrekken (zie de privacyverklaring).",
        "I agree that VNG uses my name, e-mail address and phone number to handle my municipality's entry for "
        "GemeenteDelers and to mail me about the competition. These details are not published and are removed at "
        "the latest 12 months after the award ceremony. I can withdraw my consent at any time (see the privacy "
        "statement).",
    )),
    ConsentText("publication", "2024-1", Text(
        "Wij geven toestemming dat de VNG onze inzending (titel, gemeente, omschrijving en onderbouwing, zonder "
        "contactgegevens) na de wedstrijd publiceert in de databank van herbruikbare initiatieven.",
        "We agree that VNG publishes our entry (title, municipality, description and evidence, without contact "
        "details) in the databank of reusable initiatives after the competition.",
    )),
    ConsentText("scorer", "2024-1", Text(
        "Ik geef toestemming dat de VNG mijn naam, e-mailadres en organisatie gebruikt om mij als scoorder in "
        "ronde 1 inzendingen toe te wijzen en mij daarover te mailen. Mijn naam wordt nergens gepubliceerd; mijn "
        "scores blijven alleen onder een pseudoniem bewaard. Ik kan mijn toestemming altijd intrekken (zie de "
        "privacyverklaring).",
        "I agree that VNG uses my name, e-mail address and organisation to assign me entries as a round-1 scorer "
        "and to mail me about it. My name is never published; my scores are kept only under a pseudonym. I can "
        "withdraw my consent at any time (see the privacy statement).",
    )),
    # 2024-2: the same agreement in the word list's Dutch (beoordelaar, not scoorder); 2024-1 stays so the records
    # of people who saw it keep their words.
    ConsentText("scorer", "2024-2", Text(
        "Ik geef toestemming dat de VNG mijn naam, e-mailadres en organisatie gebruikt om mij als beoordelaar in "
        "ronde 1 inzendingen toe te wijzen en mij daarover te mailen. Mijn naam wordt nergens gepubliceerd; mijn "
        "scores blijven alleen onder een pseudoniem bewaard. Ik kan mijn toestemming altijd intrekken (zie de "
        "privacyverklaring).",
        "I agree that VNG uses my name, e-mail address and organisation to assign me entries as a round-1 assessor "
        "and to mail me about it. My name is never published; my scores are kept only under a pseudonym. I can "
        "withdraw my consent at any time (see the privacy statement).",
    )),
)
PURPOSES = tuple(dict.fromkeys(t.purpose for t in TEXTS))


class ConsentRefused(Refusal, ValueError):
    """A consent that cannot be recorded: an unknown purpose or version, or a language without the text."""


def text_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def current(purpose: str) -> ConsentText:
    """The version of ``purpose``'s text shown to people now (the last one listed)."""
    found = [t for t in TEXTS if t.purpose == purpose]
    if not found:
        raise ConsentRefused("consent_unknown", purpose=purpose, version="-")
    return found[-1]


def version(purpose: str, version: str | None = None) -> ConsentText:
    """One version of ``purpose``'s text (the current one when ``version`` is ``None``)."""
    if version is None:
        return current(purpose)
    for text in TEXTS:
        if text.purpose == purpose and text.version == version:
            return text
    raise ConsentRefused("consent_unknown", purpose=purpose, version=version)


def record(purpose: str, language: str, given_at: datetime, version_shown: str | None = None) -> dict[str, Any]:
    """What is stored of one consent: the purpose, the version and the hash of the text in the person's language,
    the language and the moment."""
    shown = version(purpose, version_shown)
    if language not in LANGUAGES:
        raise ConsentRefused("consent_language", language=language)
    return {"purpose": purpose, "version": shown.version, "text_hash": shown.hash(language), "language": language,
            "given_at": given_at}


def text_of(stored: Mapping[str, Any]) -> str:
    """The exact text a stored record was given for (raises when the record does not match any known text)."""
    shown = version(str(stored.get("purpose")), str(stored.get("version")))
    text = shown.text.get(str(stored.get("language")))
    if text_hash(text) != stored.get("text_hash"):
        raise ConsentRefused("consent_unknown", purpose=shown.purpose, version=shown.version)
    return text


def given(stored: Mapping[str, Any] | None, purpose: str) -> bool:
    """Whether a stored consent record (or a person's ``consents`` map entry) is one for ``purpose``."""
    return bool(stored) and isinstance(stored, Mapping) and stored.get("purpose") == purpose
