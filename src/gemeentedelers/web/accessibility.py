"""The accessibility statement (toegankelijkheidsverklaring), after the structure of the Dutch model statement
(toegankelijkheidsverklaring.nl): which website, its compliance status, what was tested automatically and by
hand, what is known not to comply, how to report a problem, and the date. Served at ``/toegankelijkheid`` by every
HTTP function (``web/app.py``), so every page's footer links to it on its own host; Dutch by default, English
with ``?lang=en``.

What it says the tests do is what they do: the axe-core version is the one ``tests/browser/package.json`` locks
(``tests/unit/test_accessibility_statement.py`` compares them), the rules are the browser tests' ``WCAG_TAGS``.
"""

from __future__ import annotations

from datetime import datetime

from flask import Request, Response

from gemeentedelers.plugins.api import Text
from gemeentedelers.web.i18n import AMSTERDAM, format_day
from gemeentedelers.web.pages import language_of, layout, render

STATEMENT_DATE = datetime(2026, 12, 2, 12, 0, tzinfo=AMSTERDAM)
"""When the statement was drawn up (and the tests it describes last looked at): change it with the text."""
AXE_VERSION = "4.10.3"
STATUS = "C"
"""C on the model statement's scale A-E: first measures taken. A and B need an audit by an independent expert,
which has not been done."""

SCOPE = Text(
    "Deze verklaring geldt voor alle pagina's van GemeenteDelers: de aanmelding, de pagina's van inzenders, "
    "beoordelaars, assessoren en juryleden, de beheeromgeving van de organisatie, de privacyverklaring en deze "
    "verklaring. Ze geldt niet voor de formulieren van Typeform of Tally waarmee gemeenten zich aanmelden, en niet "
    "voor de mails.",
    "This statement covers every page of GemeenteDelers: registration, the pages of entrants, scorers, assessors "
    "and jurors, the organisers' console, the privacy statement and this statement. It does not cover the Typeform "
    "or Tally forms municipalities register with, nor the mails.")
STATUS_TEXT = Text(
    "Status C: eerste maatregelen genomen. De pagina's worden bij elke wijziging automatisch getest, maar er is "
    "nog geen volledig onderzoek door een onafhankelijke deskundige gedaan. Daarom kunnen we niet zeggen dat de "
    "website volledig of gedeeltelijk voldoet.",
    "Status C: first measures taken. The pages are tested automatically at every change, but no full audit by an "
    "independent expert has been done yet. So we cannot say that the website complies fully or partially.")
AUTOMATIC = (
    Text("axe-core {axe} controleert elke paginatoestand die de browsertests bereiken (meer dan 60: formulieren "
         "leeg, met fouten en verzonden) op alle regels van WCAG 2.0 en 2.1, niveau A en AA. Een test faalt bij "
         "elke overtreding. De tests draaien in Chromium op telefoonformaat (412 × 915) en op desktopformaat "
         "(1366 × 900).",
         "axe-core {axe} checks every page state the browser tests reach (more than 60: forms empty, with errors "
         "and sent) against every WCAG 2.0 and 2.1 rule of levels A and AA. A test fails on any violation. The "
         "tests run in Chromium at phone size (412 × 915) and desktop size (1366 × 900)."),
    Text("Elke persoonlijke link in elke mail van een gespeelde wedstrijd wordt geopend als de persoon voor wie hij "
         "is; axe-core controleert de pagina en de pagina's waar die naar linkt (gemeentedelers dev check-links).",
         "Every personal link in every mail of a played edition is opened as the person it is for; axe-core checks "
         "the page and the pages it links to (gemeentedelers dev check-links)."),
    Text("Het scoren, het schrijven van een assessorverslag, de stem van de assessoren (op telefoonformaat) en de "
         "stem van de jury worden alleen met het toetsenbord getest: Tab, pijltjes, spatie en Enter, zonder muis.",
         "Scoring, writing an assessor's report, the assessors' vote (at phone size) and the jury's vote are tested "
         "with the keyboard only: Tab, arrow keys, space and Enter, without a mouse."),
    Text("Het contrast van de kleuren en van de focusrand (minstens 3:1) wordt uit het stylesheet berekend.",
         "The contrast of the colours and of the focus ring (at least 3:1) is computed from the stylesheet."),
)
BY_HAND = (
    Text("Schermafbeeldingen van de hoofdpagina van elke rol op telefoonformaat (390 × 844) en van de beheeromgeving "
         "op desktopformaat zijn bekeken op leesbaarheid, volgorde en afgesneden inhoud.",
         "Screenshots of each role's main page at phone size (390 × 844) and of the console at desktop size were "
         "looked at for legibility, order and cut-off content."),
)
KNOWN = (
    Text("Er is nog niet getest met een schermlezer (NVDA, JAWS, VoiceOver) en niet met mensen met een beperking.",
         "No test with a screen reader (NVDA, JAWS, VoiceOver) or with people with a disability has been done yet."),
    Text("Automatische tests vinden maar een deel van de problemen. Niet met de hand gecontroleerd zijn onder meer: "
         "vergroten tot 400% (WCAG 1.4.10), tekstafstand (1.4.12), de volgorde die een schermlezer voorleest "
         "(1.3.2) en de begrijpelijkheid van foutmeldingen (3.3.3).",
         "Automated tests find only part of the problems. Not checked by hand are, among others: zooming to 400% "
         "(WCAG 1.4.10), text spacing (1.4.12), the order a screen reader reads (1.3.2) and how understandable "
         "error messages are (3.3.3)."),
    Text("De grafieken in de beheeromgeving zijn afbeeldingen; de gegevens staan in een tabel eronder.",
         "The charts in the console are images; their data is in a table below them."),
    Text("Persoonlijke links verlopen na een vaste tijd en zijn niet te verlengen vanaf de pagina zelf (WCAG "
         "2.2.1). Vraagt u een nieuwe link aan, dan blijft uw werk bewaard.",
         "Personal links expire after a fixed time and cannot be extended from the page itself (WCAG 2.2.1). If you "
         "ask for a new link, your work is kept."),
    Text("De mails hebben een tekstdeel en een HTML-deel; het HTML-deel is niet met axe-core getest.",
         "The mails have a text part and an HTML part; the HTML part has not been tested with axe-core."),
)
REPORT = Text(
    "Loopt u tegen een probleem aan, of wilt u een pagina in een andere vorm? Mail naar {contact} en zeg om welke "
    "pagina het gaat. U krijgt binnen 5 werkdagen antwoord en hoort wanneer het probleem is opgelost. Bent u niet "
    "tevreden met hoe we uw melding behandelen, dan kunt u een klacht indienen bij de VNG via hetzelfde adres.",
    "Do you run into a problem, or would you like a page in another form? Mail {contact} and say which page it is "
    "about. You receive an answer within 5 working days and hear when the problem is solved. If you are not "
    "satisfied with how we handle your report, you can file a complaint with VNG at the same address.")
DATES = Text("Deze verklaring is opgesteld op {date}. De automatische tests draaien bij elke wijziging van de "
             "website.",
             "This statement was drawn up on {date}. The automated tests run at every change of the website.")


def page(request: Request) -> Response:
    language = language_of(request)
    contact = layout()["contact"]

    return render("accessibility.html", language, status_letter=STATUS, scope=SCOPE.get(language),
                  status_text=STATUS_TEXT.get(language),
                  automatic=[a.get(language).format(axe=AXE_VERSION) for a in AUTOMATIC],
                  by_hand=[b.get(language) for b in BY_HAND], known=[k.get(language) for k in KNOWN],
                  report=REPORT.get(language).partition("{contact}"), contact=contact,
                  dates=DATES.get(language).format(date=format_day(STATEMENT_DATE, language)))
