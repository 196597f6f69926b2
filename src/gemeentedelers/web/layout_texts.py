"""Texts of the shared page layout (header, footer) and the accessibility statement's headings."""

TEXTS: dict[str, dict[str, str]] = {
    "site_tagline": {"nl": "Innovatiewedstrijd van de VNG", "en": "VNG's innovation competition"},
    "skip_to_content": {"nl": "Direct naar de inhoud", "en": "Skip to content"},
    "footer_label": {"nl": "Over deze website", "en": "About this website"},
    "footer_by": {"nl": "Vereniging van Nederlandse Gemeenten", "en": "Association of Netherlands Municipalities"},
    "footer_contact": {"nl": "Contact", "en": "Contact"},
    "a11y_title": {"nl": "Toegankelijkheidsverklaring", "en": "Accessibility statement"},
    "a11y_intro": {
        "nl": "De VNG wil dat iedereen GemeenteDelers kan gebruiken: inzenders, beoordelaars, assessoren, juryleden en "
              "organisatoren. Overheidswebsites moeten voldoen aan WCAG 2.1 niveau AA (EN 301 549). Hier leest u "
              "hoe ver deze website daarmee is, wat we hebben getest en wat nog niet goed is.",
        "en": "VNG wants everyone to be able to use GemeenteDelers: entrants, scorers, assessors, jurors and "
              "organisers. Government websites must meet WCAG 2.1 level AA (EN 301 549). Here you read how far this "
              "website has come, what we tested and what is not right yet.",
    },
    "a11y_scope": {"nl": "Voor welke website geldt deze verklaring?", "en": "Which website does this cover?"},
    "a11y_status": {"nl": "Nalevingsstatus", "en": "Compliance status"},
    "a11y_automatic": {"nl": "Wat is automatisch getest?", "en": "What was tested automatically?"},
    "a11y_by_hand": {"nl": "Wat is met de hand getest?", "en": "What was tested by hand?"},
    "a11y_known": {"nl": "Wat voldoet nog niet, of is nog niet getest?",
                   "en": "What does not comply yet, or was not tested yet?"},
    "a11y_report": {"nl": "Een probleem melden", "en": "Reporting a problem"},
    "a11y_dates": {"nl": "Datum van deze verklaring", "en": "Date of this statement"},
}
