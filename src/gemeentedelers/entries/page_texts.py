"""Texts of what entrants are told and when: holding and releasing a round's results (the console's results page,
its refusals)."""

TEXTS: dict[str, dict[str, str]] = {
    "nav_results": {"nl": "Uitslagen", "en": "Results"},
    "results_intro": {
        "nl": "De uitslag van ronde 1 en ronde 2 gaat pas naar de inzenders op het moment dat de editie daarvoor "
              "heeft gekozen. Tot dan krijgen zij geen tips en tops en geen link voor ronde 2. U kunt een uitslag "
              "eerder vrijgeven.",
        "en": "The results of rounds 1 and 2 reach the entrants only at the moment the edition chose. Until then they "
              "get no tips and tops and no link for round 2. You can release a result earlier.",
    },
    "results_round": {"nl": "Ronde", "en": "Round"},
    "results_state": {"nl": "Stand", "en": "State"},
    "results_moment": {"nl": "Bekendmaking", "en": "Announcement"},
    "results_state_undecided": {"nl": "nog niet besloten", "en": "not decided yet"},
    "results_state_held": {"nl": "besloten, wacht op de bekendmaking", "en": "decided, waiting for the announcement"},
    "results_state_released": {"nl": "vrijgegeven op {when} door {who}", "en": "released on {when} by {who}"},
    "results_early": {"nl": "(eerder dan gepland)", "en": "(earlier than planned)"},
    "results_release_button": {"nl": "Uitslag ronde {round} nu vrijgeven",
                               "en": "Release the results of round {round} now"},
    "results_release_title": {"nl": "Uitslag van ronde {round} nu vrijgeven?",
                              "en": "Release the results of round {round} now?"},
    "results_release_will": {
        "nl": "Alle inzenders van ronde {round} krijgen nu hun tips en tops, niet pas op {moment}.",
        "en": "Every entrant of round {round} gets their tips and tops now, not on {moment}.",
    },
    "results_release_will_r1": {
        "nl": "De teams die doorgaan krijgen nu hun persoonlijke link voor ronde 2.",
        "en": "The teams that go on get their personal link for round 2 now.",
    },
    "results_release_final": {"nl": "Dit kunt u niet terugdraaien.", "en": "This cannot be undone."},
    "results_released_notice": {"nl": "De uitslag van ronde {round} is vrijgegeven.",
                                "en": "The results of round {round} are released."},
    "results_released_already": {"nl": "De uitslag van ronde {round} was al vrijgegeven.",
                                 "en": "The results of round {round} were released already."},
    "release_not_decided": {
        "nl": "Ronde {round} is nog niet besloten: er is nog geen uitslag om vrij te geven.",
        "en": "Round {round} is not decided yet: there are no results to release.",
    },
    "release_no_such_round": {"nl": "Alleen de uitslag van ronde 1 en 2 wordt vastgehouden, niet die van ronde "
                                    "{round}.",
                              "en": "Only the results of rounds 1 and 2 are held, not those of round {round}."},
    # the feedback composer
    "nav_feedback": {"nl": "Feedback", "en": "Feedback"},
    "composer_title": {"nl": "Feedback na ronde {round}", "en": "Feedback after round {round}"},
    "composer_rounds": {"nl": "Rondes", "en": "Rounds"},
    "composer_round_link": {"nl": "Ronde {round}", "en": "Round {round}"},
    "composer_intro": {
        "nl": "Lees de tips en tops van elke inzender voordat ze verstuurd worden. Pas ze zo nodig aan en keur ze "
              "goed. Pas na uw goedkeuring gaat de mail naar de inzender, en niet eerder dan de bekendmaking van de "
              "uitslag.",
        "en": "Read every entrant's tips and tops before they are sent. Change them where needed and approve them. "
              "Only after your approval does the mail go to the entrant, and not before the results are announced.",
    },
    "composer_counts": {"nl": "Inzenders: {n}; nog goed te keuren: {waiting}; met een markering: {flagged}.",
                        "en": "Entrants: {n}; still to approve: {waiting}; flagged: {flagged}."},
    "composer_show": {"nl": "Toon", "en": "Show"},
    "composer_show_all": {"nl": "Alle inzenders", "en": "All entrants"},
    "composer_show_waiting": {"nl": "Nog niet goedgekeurd", "en": "Not approved yet"},
    "composer_show_flagged": {"nl": "Met een markering", "en": "Flagged"},
    "composer_paging": {"nl": "Pagina's", "en": "Pages"},
    "composer_page_of": {"nl": "U ziet {n} van {total} in deze selectie.",
                         "en": "You see {n} of {total} in this selection."},
    "composer_previous": {"nl": "Vorige {n}", "en": "Previous {n}"},
    "composer_next": {"nl": "Volgende {n}", "en": "Next {n}"},
    "composer_none_shown": {"nl": "Geen inzenders in deze selectie.", "en": "No entrants in this selection."},
    "composer_all_flagged": {
        "nl": "Let op: met een markering: {n}. Kijk die eerst na.",
        "en": "Note: flagged: {n}. Check those first.",
    },
    "composer_approve_all": {"nl": "Alle {n} goedkeuren", "en": "Approve all {n}"},
    "composer_approve": {"nl": "Goedkeuren", "en": "Approve"},
    "composer_save": {"nl": "Wijzigingen opslaan", "en": "Save changes"},
    "composer_summary": {"nl": "Samenvatting", "en": "Summary"},
    "composer_tops": {"nl": "Tops (wat sterk is)", "en": "Tops (what is strong)"},
    "composer_tips": {"nl": "Tips (wat beter kan)", "en": "Tips (what could be better)"},
    "composer_one_per_line": {"nl": "Eén per regel.", "en": "One per line."},
    "composer_advanced": {"nl": "gaat door", "en": "goes on"},
    "composer_not_advanced": {"nl": "gaat niet door", "en": "does not go on"},
    "composer_state_draft": {"nl": "nog niet goedgekeurd", "en": "not approved yet"},
    "composer_state_approved": {"nl": "goedgekeurd door {who}", "en": "approved by {who}"},
    "composer_flag_contact": {"nl": "Bevat een e-mailadres of telefoonnummer.",
                              "en": "Contains an e-mail address or phone number."},
    "composer_flag_name": {"nl": "Bevat de naam {name}.", "en": "Contains the name {name}."},
    "composer_none": {"nl": "Er is nog geen feedback na ronde {round}.", "en": "There is no feedback after round "
                                                                              "{round} yet."},
    "composer_saved": {"nl": "De feedback is aangepast.", "en": "The feedback is changed."},
    "composer_unchanged": {"nl": "Er is niets veranderd.", "en": "Nothing changed."},
    "composer_approved": {"nl": "{n} goedgekeurd.", "en": "{n} approved."},
    "composer_no_round": {"nl": "Ronde {round} bestaat niet; kies ronde 1, 2 of 3.",
                          "en": "There is no round {round}; choose round 1, 2 or 3."},
    "composer_no_feedback": {"nl": "Er is geen feedback van deze inzender na ronde {round}.",
                             "en": "There is no feedback of this entrant after round {round}."},
    "composer_already_approved": {"nl": "Deze feedback is al goedgekeurd en kan niet meer veranderen.",
                                  "en": "This feedback is approved already and can no longer change."},
    "composer_too_long": {"nl": "{field}: gebruik hoogstens {n} tekens.", "en": "{field}: use at most {n} characters."},
    "composer_too_many": {"nl": "{field}: hoogstens {n} regels.", "en": "{field}: at most {n} lines."},
}
