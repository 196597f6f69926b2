"""Texts of the databank's public pages."""

TEXTS: dict[str, dict[str, str]] = {
    "databank_title": {"nl": "VNG Databank Praktijkvoorbeelden", "en": "VNG Databank of practical examples"},
    "databank_no_entry": {"nl": "Deze inzending staat niet in de databank.",
                          "en": "This entry is not in the databank."},
    "databank_withdrawn_title": {"nl": "Niet meer in de databank", "en": "No longer in the databank"},
    "databank_withdrawn": {"nl": "Deze inzending is uit de databank gehaald. De gegevens worden niet meer "
                                 "gepubliceerd.",
                           "en": "This entry was taken out of the databank. Its details are no longer published."},
    "databank_withdraw_unknown": {"nl": "Inzending {entry} bestaat niet in editie {edition}.",
                                  "en": "Entry {entry} does not exist in edition {edition}."},
    "databank_municipality": {"nl": "Gemeente", "en": "Municipality"},
    "databank_co_applicants": {"nl": "Samen met", "en": "Together with"},
    "databank_category": {"nl": "Categorie", "en": "Category"},
    "databank_edition": {"nl": "Editie", "en": "Edition"},
    "databank_reached": {"nl": "Bereikt", "en": "Reached"},
    "databank_prize": {"nl": "Prijs", "en": "Prize"},
    "databank_description": {"nl": "Beschrijving", "en": "Description"},
    "databank_reached_round1": {"nl": "ronde 1", "en": "round 1"},
    "databank_reached_round2": {"nl": "ronde 2", "en": "round 2"},
    "databank_reached_final": {"nl": "finalist", "en": "finalist"},
    "databank_reached_winner": {"nl": "winnaar", "en": "winner"},
    "databank_others": {"nl": "Meer van {municipality}", "en": "More from {municipality}"},
    "databank_other_entry": {"nl": "{title} ({reached} {year})", "en": "{title} ({reached} {year})"},
    "databank_open_data": {"nl": "Alle inzendingen van deze editie als open data: {json} of {csv}.",
                           "en": "Every entry of this edition as open data: {json} or {csv}."},
}
