"""The privacy statement (privacyverklaring): purposes, categories of data, retention per collection, rights and
how to exercise them, contact. Served at ``/privacy`` by every HTTP function (``web/app.py``), so every page's
footer and every mail can link to it on its own host; Dutch by default, English with ``?lang=en``.

The retention table is :data:`people.retention.RULES`, the same one the retention job enforces, and the
backups' period is the deployment's (``BACKUP_DAYS``): the statement cannot promise what the system does not do.
"""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.people import retention
from gemeentedelers.platform import settings
from gemeentedelers.plugins.api import Text
from gemeentedelers.web.pages import language_of, render

CONTROLLER = Text("Vereniging van Nederlandse Gemeenten (VNG), Nassaulaan 12, 2514 JS Den Haag",
                  "Association of Netherlands Municipalities (VNG), Nassaulaan 12, 2514 JS The Hague")
BACKUP_DAYS = 7
"""Point-in-time recovery keeps 7 days; the daily backups are kept ``backup_retention_days`` (7 by default,
infra/): erased data can be restored from them, and so lingers, at most this long."""

PURPOSES = (
    Text("De inzendingen van gemeenten behandelen in drie ronden en de contactpersoon daarover mailen "
         "(grondslag: toestemming van de contactpersoon, en de taak van de VNG voor haar leden).",
         "Handling municipalities' entries in three rounds and mailing their contact about them (basis: the "
         "contact's consent, and VNG's task for its members)."),
    Text("Beoordelaars, assessoren en juryleden inzendingen toewijzen zonder belangenverstrengeling, hen uitnodigen "
         "en herinneren (grondslag: toestemming bij aanmelding; bij uitnodiging door de organisatie het "
         "gerechtvaardigd belang van een eerlijke beoordeling).",
         "Assigning entries to scorers, assessors and jurors without conflicts of interest, inviting and reminding "
         "them (basis: consent at sign-up; when the organisers invite them, the legitimate interest of a fair "
         "judging)."),
    Text("Besluiten verantwoorden en, na afloop, de resultaten publiceren zonder persoonsgegevens (Woo); "
         "inzendingen met toestemming van het team publiceren in de databank.",
         "Accounting for decisions and, afterwards, publishing the results without personal data (Woo); "
         "publishing entries whose team agreed in the databank."),
)
CATEGORIES = (
    Text("Contactpersoon van een inzending: naam, e-mailadres, telefoonnummer (niet verplicht), taal.",
         "An entry's contact: name, e-mail address, phone number (optional), language."),
    Text("Beoordelaars, assessoren, juryleden en organisatoren: naam, e-mailadres, organisatie, achtergrond "
         "(niet verplicht), taal; hun scores, verslagen en stemmen onder een pseudoniem.",
         "Scorers, assessors, jurors and organisers: name, e-mail address, organisation, background (optional), "
         "language; their scores, reports and votes under a pseudonym."),
    Text("Welke toestemming iemand gaf: de versie van de tekst, een vingerafdruk (hash) van die tekst, de taal "
         "en het moment.",
         "Which consent someone gave: the version of the text, a fingerprint (hash) of that text, the language and "
         "the moment."),
)
RIGHTS = (
    Text("Inzage: u krijgt alles wat over u is opgeslagen (artikel 15 AVG).",
         "Access: you receive everything stored about you (article 15 GDPR)."),
    Text("Correctie: een fout gegeven wordt verbeterd (artikel 16).", "Rectification: wrong data is corrected "
         "(article 16)."),
    Text("Verwijdering: uw gegevens worden overal gewist; waar een besluit of het logboek een regel nodig "
         "heeft, blijft alleen een pseudoniem (artikel 17).",
         "Erasure: your data is erased everywhere; where a decision or the audit trail needs a row, only a "
         "pseudonym stays (article 17)."),
    Text("Bezwaar en intrekken van toestemming: even eenvoudig als geven; daarna gebruiken we uw gegevens niet "
         "meer voor de wedstrijd (artikelen 7 en 21).",
         "Objection and withdrawing consent: as easy as giving it; after that we no longer use your data for the "
         "competition (articles 7 and 21)."),
    Text("Klacht: bij de Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl).",
         "Complaint: to the Dutch Data Protection Authority (autoriteitpersoonsgegevens.nl)."),
)
HOW = Text("Mail uw verzoek vanaf het e-mailadres waarmee u meedeed naar {contact}. U krijgt binnen een maand "
           "antwoord; voor inzage ontvangt u een bestand met al uw gegevens.",
           "Mail your request from the address you took part with to {contact}. You receive an answer within a "
           "month; for access you receive a file with all your data.")
BACKUPS = Text("Gewiste gegevens staan nog in de back-ups van de database tot die verlopen: uiterlijk {days} "
               "dagen na het wissen. Back-ups worden alleen gebruikt om de database na een storing te herstellen; "
               "wissingen worden daarna opnieuw uitgevoerd.",
               "Erased data remains in the database's backups until they expire: at most {days} days after the "
               "erasure. Backups are only used to restore the database after a failure; erasures are then carried "
               "out again.")


def page(request: Request) -> Response:
    language = language_of(request)
    contact = settings.current().privacy_contact
    return render("privacy.html", language, controller=CONTROLLER.get(language),
                  purposes=[p.get(language) for p in PURPOSES], categories=[c.get(language) for c in CATEGORIES],
                  rules=[{"collection": r.collection, "data": r.data.get(language), "purpose": r.purpose.get(language),
                          "kept": r.kept.get(language), "then": r.then.get(language)} for r in retention.RULES],
                  rights=[r.get(language) for r in RIGHTS], how=HOW.get(language).format(contact=contact),
                  backups=BACKUPS.get(language).format(days=BACKUP_DAYS), contact=contact)
