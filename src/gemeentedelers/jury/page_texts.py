"""Texts of the Round 3 pages: the jury's finalists, rankings, special prizes and the chair's confirmation."""

TEXTS: dict[str, dict[str, str]] = {
    # juror's overview
    "r3_title": {"nl": "Jury: de finalisten", "en": "Jury: the finalists"},
    "r3_intro": {
        "nl": "Welkom, {name}. Rangschik per categorie de finalisten; u kunt uw rangschikking wijzigen tot de "
              "voorzitter de uitslag bevestigt.",
        "en": "Welcome, {name}. Rank the finalists of each category; you can change your ranking until the chair "
              "confirms the outcome.",
    },
    "r3_deadline": {"nl": "Rangschik de finalisten vóór de bekendmaking op {when}.",
                    "en": "Rank the finalists before the announcement on {when}."},
    "r3_categories": {"nl": "Categorieën", "en": "Categories"},
    "r3_n_finalists": {"nl": "{n} finalisten", "en": "{n} finalists"},
    "r3_conflict_badge": {"nl": "belangenconflict: u stemt niet", "en": "conflict of interest: you do not vote"},
    "r3_ranked_badge": {"nl": "gerangschikt", "en": "ranked"},
    "r3_open_badge": {"nl": "nog te doen", "en": "to do"},
    "r3_no_finalists": {"nl": "Er zijn nog geen finalisten.", "en": "There are no finalists yet."},
    "r3_prizes": {"nl": "Bijzondere prijzen", "en": "Special prizes"},
    "r3_vote_button": {"nl": "Stem opslaan", "en": "Save vote"},
    "r3_state_confirmed": {
        "nl": "De voorzitter heeft de uitslag bevestigd; die blijft geheim tot de bekendmaking.",
        "en": "The chair has confirmed the outcome; it stays confidential until the announcement.",
    },
    "r3_state_closed": {"nl": "Ronde 3 is niet open.", "en": "Round 3 is not open."},
    "r3_state_announced": {"nl": "De winnaars zijn bekendgemaakt. Dank voor uw werk als jurylid.",
                           "en": "The winners have been announced. Thank you for your work as a juror."},
    "r3_intro_closed": {"nl": "Welkom, {name}. Hieronder staan de finalisten per categorie met uw rangschikking; die "
                              "kan niet meer veranderen.",
                        "en": "Welcome, {name}. Below are the finalists of each category with your ranking; it can "
                              "no longer change."},
    "r3_saved": {"nl": "Uw rangschikking is opgeslagen.", "en": "Your ranking is saved."},
    "r3_votes_saved": {"nl": "Uw stem is opgeslagen.", "en": "Your vote is saved."},
    "r3_confirmed": {"nl": "De uitslag is bevestigd.", "en": "The outcome is confirmed."},
    # the chair
    "r3_chair_title": {"nl": "Uitslag (alleen voor de voorzitter)", "en": "Outcome (for the chair only)"},
    "r3_confirm_hint": {
        "nl": "Na bevestigen kan niemand zijn rangschikking meer wijzigen. De winnaars blijven geheim tot de "
              "bekendmaking.",
        "en": "Once confirmed, nobody can change their ranking. The winners stay confidential until the "
              "announcement.",
    },
    "r3_confirm_button": {"nl": "Uitslag bevestigen", "en": "Confirm the outcome"},
    "r3_chair_only": {"nl": "Alleen de voorzitter bevestigt de uitslag.", "en": "Only the chair confirms the outcome."},
    "r3_missing": {"nl": "{n:plural:# jurylid moet|# juryleden moeten} nog rangschikken.",
                   "en": "{n:plural:# juror still has|# jurors still have} to rank."},
    "r3_place": {"nl": "Plaats", "en": "Place"},
    "r3_total": {"nl": "Punten", "en": "Points"},
    "r3_chair_pref": {"nl": "Voorzitter", "en": "Chair"},
    "r3_tie": {"nl": "Gelijke stand tussen {n} inzendingen:", "en": "A tie between {n} entries:"},
    "r3_tie_resolved": {"nl": "beslist door de voorzitter.", "en": "broken by the chair."},
    "r3_tie_open": {"nl": "nog niet beslist.", "en": "not yet broken."},
    "r3_winner": {"nl": "Winnaar: {title}", "en": "Winner: {title}"},
    "r3_no_prize_winner": {"nl": "nog geen winnaar", "en": "no winner yet"},
    # a category
    "r3_back": {"nl": "Terug naar het overzicht", "en": "Back to the overview"},
    "r3_no_category": {"nl": "Deze categorie heeft geen finalisten.", "en": "This category has no finalists."},
    "r3_rank_intro": {
        "nl": "Geef elk van de {n} finalisten een plaats: 1 is de beste; elke plaats één keer.",
        "en": "Give each of the {n} finalists a place: 1 is the best; each place once.",
    },
    "r3_score_intro": {"nl": "Geef elke finalist een score van 1 tot 10.", "en": "Score every finalist from 1 to 10."},
    "r3_rank_label": {"nl": "Plaats", "en": "Place"},
    "r3_score_label": {"nl": "Score (1-10)", "en": "Score (1-10)"},
    "r3_rank_errors": {
        "nl": "Geef elke finalist precies één plaats, en elke plaats precies één keer.",
        "en": "Give every finalist exactly one place, and every place exactly once.",
    },
    "r3_score_errors": {"nl": "Geef elke finalist een score van 1 tot 10.", "en": "Score every finalist from 1 to 10."},
    "r3_err_missing": {"nl": "Kies een plaats.", "en": "Choose a place."},
    "r3_err_twice": {"nl": "Deze plaats is vaker gekozen.", "en": "This place is chosen more than once."},
    "r3_err_score": {"nl": "Een score van 1 tot 10.", "en": "A score from 1 to 10."},
    "r3_conflict": {
        "nl": "U heeft een belangenconflict in deze categorie en stemt hier niet.",
        "en": "You have a conflict of interest in this category and do not vote here.",
    },
    "r3_report": {"nl": "Rapport ronde 2:", "en": "Round 2 report:"},
    "r3_evidence": {"nl": "Onderbouwing", "en": "Evidence"},
    "r3_save_button": {"nl": "Rangschikking opslaan", "en": "Save ranking"},
    "pitch_bad_minutes": {"nl": "Kies een slot van 5 tot en met {max} minuten.",
                          "en": "Choose a slot of 5 to {max} minutes."},
    "pitch_bad_place": {"nl": "Vul de plaats in (2 tot 200 tekens).", "en": "Fill in the place (2 to 200 characters)."},
    "pitch_bad_start": {"nl": "Geef het begin met een tijdzone.", "en": "Give the start with a time zone."},
    "pitch_no_finalists": {"nl": "Ronde 3 heeft nog geen finalisten om in te plannen.",
                           "en": "Round 3 has no finalists to schedule yet."},
    "programme_bad_item": {"nl": "Kies training of video, en gepland of gedaan.",
                           "en": "Choose training or video, and planned or done."},
    "programme_not_a_finalist": {"nl": "Deze inzending is geen finalist.", "en": "This entry is not a finalist."},
    "r3_tops_label": {"nl": "Tops: wat is sterk aan deze casus?", "en": "Tops: what is strong about this case?"},
    "r3_tips_label": {"nl": "Tips: wat kan beter?", "en": "Tips: what could be better?"},
    "r3_notes_hint": {
        "nl": "De finalist krijgt uw tips en tops na de bekendmaking, zonder uw naam. Hoogstens {n} tekens per vak; "
              "noem geen e-mailadressen of telefoonnummers.",
        "en": "The finalist gets your tips and tops after the announcement, without your name. At most {n} "
              "characters per box; do not mention e-mail addresses or phone numbers.",
    },
    "r3_feedback_errors": {
        "nl": "Uw rangschikking is nog niet opgeslagen: pas de tips en tops aan die hieronder zijn gemarkeerd.",
        "en": "Your ranking is not saved yet: change the tips and tops marked below.",
    },
    "r3_err_notes_long": {"nl": "Gebruik hoogstens {n} tekens.", "en": "Use at most {n} characters."},
    "r3_err_notes_contact": {
        "nl": "Haal het e-mailadres of telefoonnummer weg: de feedback is anoniem.",
        "en": "Remove the e-mail address or phone number: the feedback is anonymous.",
    },
    # organisers
    "r3_organiser_title": {"nl": "Ronde 3: de jury", "en": "Round 3: the jury"},
    "r3_organiser_status": {"nl": "Status: {status}; {n} juryleden.", "en": "Status: {status}; {n} jurors."},
    "r3_status_not_opened": {"nl": "nog niet geopend", "en": "not opened yet"},
    "r3_status_open": {"nl": "open, de jury rangschikt", "en": "open, the jury is ranking"},
    "r3_status_confirming": {"nl": "de voorzitter bevestigt", "en": "the chair is confirming"},
    "r3_status_confirmed": {"nl": "uitslag bevestigd", "en": "outcome confirmed"},
    "r3_result_embargoed": {"nl": "geheim tot de bekendmaking", "en": "under embargo"},
    "r3_result_announced": {"nl": "bekendgemaakt", "en": "announced"},
    "r3_ann_not_confirmed": {
        "nl": "Nog niets bekendgemaakt: de voorzitter heeft de uitslag nog niet bevestigd.",
        "en": "Nothing announced: the chair has not confirmed the jury's decision yet.",
    },
    "r3_ann_not_due": {
        "nl": "Nog niets bekendgemaakt: de winnaars blijven geheim tot {date}.",
        "en": "Nothing announced: the winners stay under embargo until {date}.",
    },
    "r3_ann_announced": {"nl": "{n:plural:winnaar|winnaars} bekendgemaakt.",
                         "en": "{n:plural:winner|winners} announced."},
    "r3_ann_already_announced": {
        "nl": "De winnaars waren al bekendgemaakt; er is niets opnieuw verstuurd.",
        "en": "The winners were announced already; nothing was sent again.",
    },
    "r3_err_one_chair": {
        "nl": "De jury heeft precies één voorzitter nodig, maar heeft er {n}.",
        "en": "The jury needs exactly one chair, it has {n}.",
    },
    "r3_err_not_open": {"nl": "Ronde 3 is niet open.", "en": "Round 3 is not open."},
    "r3_err_confirmed": {
        "nl": "De voorzitter heeft de uitslag bevestigd: rangschikkingen en stemmen zijn niet meer te wijzigen.",
        "en": "The chair has confirmed the outcome: rankings and votes can no longer be changed.",
    },
    "r3_err_incomplete": {
        "nl": "Nog niet te bevestigen: niet elk jurylid heeft elke categorie gerangschikt, of een gelijke stand "
              "bovenaan is nog niet beslist.",
        "en": "Not yet to be confirmed: not every juror has ranked every category, or a tie at the top is not "
              "yet broken.",
    },
    "r3_err_no_finalists": {"nl": "Ronde 3 heeft nog geen finalisten.", "en": "Round 3 has no finalists yet."},
    "r3_err_prize_conflict": {
        "nl": "U heeft belangenverstrengeling met deze inzending: u kunt er niet op stemmen.",
        "en": "You have a conflict of interest with this entry: you cannot vote for it.",
    },
    "r3_conflict_declared": {"nl": "Gemeld: u beoordeelt deze inzending en haar categorie niet.",
                             "en": "Declared: you do not judge this entry nor its category."},
    "r3_conflict_entry": {"nl": "Met welke finalist?", "en": "With which finalist?"},
    "r3_err_not_eligible": {
        "nl": "Deze inzending komt niet in aanmerking voor deze prijs.",
        "en": "This entry is not eligible for this prize.",
    },
    # the forms' problems, shown in the error summary and at the field
    "r3_choose_finalist": {"nl": "Kies een finalist", "en": "Choose a finalist"},
    "r3_choose_entry": {"nl": "Kies een inzending", "en": "Choose an entry"},
    "r3_prize_hint_open": {
        "nl": "U hoeft niet voor elke prijs te stemmen. Laat u een prijs open, dan stemt u voor die prijs niet.",
        "en": "You do not have to vote for every prize. If you leave a prize open, you do not vote for it.",
    },
    "r3_prize_errors": {
        "nl": "Uw stem is nog niet opgeslagen. Pas de prijzen aan die hieronder zijn gemarkeerd:",
        "en": "Your vote is not saved yet. Change the prizes marked below:",
    },
    "r3_conflict_errors": {
        "nl": "Uw melding is nog niet opgeslagen. Pas aan wat hieronder is gemarkeerd:",
        "en": "Your declaration is not saved yet. Change what is marked below:",
    },
    "r3_conflict_err_not_finalist": {"nl": "Kies een finalist uit de lijst.",
                                     "en": "Choose a finalist from the list."},
    "r3_conflict_err_missing": {
        "nl": "Schrijf op waarom u deze inzending niet onbevangen kunt beoordelen.",
        "en": "Write down why you cannot judge this entry impartially.",
    },
    "r3_conflict_err_too_long": {
        "nl": "Uw reden is {n} tekens lang. Gebruik hoogstens {max} tekens.",
        "en": "Your reason is {n} characters long. Use at most {max} characters.",
    },
    "r3_conflict_reason_hint": {
        "nl": "Bijvoorbeeld: u werkte bij deze gemeente, of u kent de indieners persoonlijk. Hoogstens {max} tekens.",
        "en": "For example: you worked for this municipality, or you know the entrants personally. At most {max} "
              "characters.",
    },
    "r3_embargo": {"nl": "Bekendmaking van de winnaars: {date}.", "en": "Winners announced on {date}."},
    "r3_open_button": {"nl": "Ronde 3 openen en juryleden uitnodigen", "en": "Open round 3 and invite the jurors"},
    "r3_announce_button": {"nl": "Bekendmaken (als het zover is)", "en": "Announce (when due)"},
    "r3_jurors": {"nl": "Juryleden", "en": "Jurors"},
    "r3_chair": {"nl": "voorzitter", "en": "chair"},
    "r3_import_label": {
        "nl": "Juryleden importeren (CSV: name,email,organisation,is_chair[,language])",
        "en": "Import jurors (CSV: name,email,organisation,is_chair[,language])",
    },
    "r3_import_button": {"nl": "Importeren", "en": "Import"},
    "r3_withdraw_button": {"nl": "Terugtrekken", "en": "Withdraw"},
    "r3_withdrawn": {"nl": "teruggetrokken", "en": "withdrawn"},
    "r3_withdraw_hint": {
        "nl": "Een teruggetrokken jurylid kan niet meer inloggen; de rangschikking blijft bewaard maar telt niet mee.",
        "en": "A withdrawn juror can no longer sign in; their ranking is kept but does not count.",
    },
    "r3_withdrew": {"nl": "{name} is teruggetrokken.", "en": "{name} is withdrawn."},
    "r3_withdrew_already": {"nl": "{name} was al teruggetrokken.", "en": "{name} was withdrawn already."},
    "r3_err_unknown_juror": {"nl": "Dit jurylid bestaat niet.", "en": "There is no such juror."},
    "r3_err_withdraw_chair": {
        "nl": "{name} is voorzitter en kan niet worden teruggetrokken. Wijs eerst een andere voorzitter aan: "
              "importeer de jury opnieuw met is_chair=ja bij de nieuwe voorzitter en nee bij {name}.",
        "en": "{name} chairs the jury and cannot be withdrawn. Appoint another chair first: import the jury again "
              "with is_chair=yes for the new chair and no for {name}.",
    },
    "r3_csv_chair_withdrawn": {
        "nl": "{source}: {name} is teruggetrokken en kan geen voorzitter zijn",
        "en": "{source}: {name} is withdrawn and cannot chair the jury",
    },
    "r3_csv_one_chair": {
        "nl": "{source}: de jury heeft precies één voorzitter nodig (is_chair), niet {n}",
        "en": "{source}: the jury needs exactly one chair (is_chair), not {n}",
    },
    "r3_imported": {"nl": "{created} nieuw, {existing} bekend.", "en": "{created} new, {existing} known."},
    "r3_opened": {"nl": "Ronde 3 is open; {n} juryleden uitgenodigd.", "en": "Round 3 is open; {n} jurors invited."},
}
