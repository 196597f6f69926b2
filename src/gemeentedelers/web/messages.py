"""Every text on the pages, in Dutch and English. Keys are grouped by page; rounds 2 and 3 keep theirs beside
their pages (``assessment/page_texts.py``, ``jury/page_texts.py``) and are merged in at the end."""

MESSAGES: dict[str, dict[str, str]] = {
    # shared
    "site": {"nl": "GemeenteDelers", "en": "GemeenteDelers"},
    "other_language": {"nl": "English", "en": "Nederlands"},
    "other_language_code": {"nl": "en", "en": "nl"},
    "back": {"nl": "Terug naar mijn lijst", "en": "Back to my list"},
    "errors_intro": {"nl": "Niet alles is goed ingevuld:", "en": "Not everything is filled in correctly:"},
    "required": {"nl": "verplicht", "en": "required"},
    "error_title": {"nl": "Dat lukt niet", "en": "That did not work"},
    "error_prefix": {"nl": "Fout:", "en": "Error:"},
    "table_region": {"nl": "Tabel: schuif opzij of gebruik de pijltjestoetsen voor meer kolommen",
                     "en": "Table: scroll sideways or use the arrow keys for more columns"},
    "not_found_title": {"nl": "Pagina niet gevonden", "en": "Page not found"},
    "not_found_text": {
        "nl": "Deze pagina bestaat niet (meer). Controleer het adres, of open de link uit uw laatste mail van "
              "GemeenteDelers opnieuw.",
        "en": "This page does not exist (any more). Check the address, or open the link in your latest mail from "
              "GemeenteDelers again.",
    },
    # a round's status, in sentences such as "Ronde 1 is gesloten." (round 1's state; see scoring/rounds.py)
    "round_status_not_opened": {"nl": "nog niet geopend", "en": "not opened"},
    "round_status_open": {"nl": "open", "en": "open"},
    "round_status_closed": {"nl": "gesloten", "en": "closed"},
    "round_status_decided": {"nl": "afgerond (besluit genomen)", "en": "decided"},
    "round_not_open": {"nl": "Ronde {round} is {status}.", "en": "Round {round} is {status}."},
    # sign-up
    "signup_title": {"nl": "Aanmelden als beoordelaar", "en": "Sign up as a scorer"},
    "signup_intro": {
        "nl": "Beoordelaars beoordelen in ronde 1 een handvol inzendingen op de informatie uit de aanmelding. "
              "Na goedkeuring door de organisatie ontvangt u een persoonlijke link; een account is niet nodig.",
        "en": "In round 1 scorers rate a handful of entries on their registration. Once the organisers approve "
              "you, you receive a personal link; no account is needed.",
    },
    "name": {"nl": "Naam", "en": "Name"},
    "email": {"nl": "E-mailadres", "en": "E-mail address"},
    "organisation": {"nl": "Organisatie of gemeente", "en": "Organisation or municipality"},
    "organisation_hint": {
        "nl": "Inzendingen van uw eigen organisatie krijgt u niet te zien.",
        "en": "You will not be given entries of your own organisation.",
    },
    "background": {"nl": "Achtergrond en ervaring", "en": "Background and experience"},
    "language_pref": {"nl": "Taal van mails en pagina's", "en": "Language of mails and pages"},
    "signup_button": {"nl": "Aanmelden", "en": "Sign up"},
    "signup_done_title": {"nl": "Bedankt voor uw aanmelding", "en": "Thank you for signing up"},
    "signup_done": {
        "nl": "De organisatie bekijkt uw aanmelding. Na goedkeuring ontvangt u per mail een persoonlijke link.",
        "en": "The organisers will review your sign-up. Once approved you receive a personal link by mail.",
    },
    "signup_known": {
        "nl": "Dit e-mailadres was al aangemeld; er is niets veranderd.",
        "en": "This e-mail address had signed up already; nothing has changed.",
    },
    # link
    "link_invalid_title": {"nl": "Deze link werkt niet", "en": "This link does not work"},
    "rate_limited_title": {"nl": "Even geduld", "en": "Please wait a moment"},
    "rate_limited": {
        "nl": "Vanaf dit adres of voor dit e-mailadres zijn net te veel aanvragen gedaan. Probeer het over {minutes} "
              "minuten opnieuw. Hebt u al een mail van ons gekregen? Dan kunt u de link in die mail gebruiken.",
        "en": "Too many requests were just made from this address or for this e-mail address. Please try again in "
              "{minutes} minutes. Did you already get a mail from us? Then you can use the link in that mail.",
    },
    "rate_limited_one": {
        "nl": "Vanaf dit adres of voor dit e-mailadres zijn net te veel aanvragen gedaan. Probeer het over een "
              "minuut opnieuw. Hebt u al een mail van ons gekregen? Dan kunt u de link in die mail gebruiken.",
        "en": "Too many requests were just made from this address or for this e-mail address. Please try again in "
              "a minute. Did you already get a mail from us? Then you can use the link in that mail.",
    },
    "body_refused_title": {"nl": "Dit is te veel om te versturen", "en": "This is too much to send"},
    "body_refused": {
        "nl": "Wat u verstuurde is te groot voor dit formulier. Maak de tekst korter of verdeel een import over "
              "meer bestanden, en probeer het opnieuw.",
        "en": "What you sent is too large for this form. Shorten the text or split an import into more files, "
              "and try again.",
    },
    "link_expired": {
        "nl": "Deze link is verlopen. Vraag de organisatie om een nieuwe link.",
        "en": "This link has expired. Ask the organisers for a new link.",
    },
    "link_invalid": {
        "nl": "Deze link is ongeldig of ingetrokken. Gebruik de laatste link uit uw mail of vraag een nieuwe.",
        "en": "This link is invalid or revoked. Use the latest link from your mail or ask for a new one.",
    },
    "session_needed": {
        "nl": "Open uw persoonlijke link uit de mail om verder te gaan.",
        "en": "Open your personal link from the mail to continue.",
    },
    # sheet
    "sheet_title": {"nl": "Mijn inzendingen", "en": "My entries"},
    "sheet_intro": {
        "nl": "Beoordeel elke inzending op de hoofdcriteria, alleen op basis van de informatie uit de aanmelding. "
              "U kunt een score wijzigen tot de ronde sluit.",
        "en": "Rate each entry on the main criteria, using only the information in its registration. "
              "You can change a score until the round closes.",
    },
    "sheet_intro_closed": {
        "nl": "Dit zijn de inzendingen die u in ronde 1 beoordeelde. Dank voor uw scores en tips en tops.",
        "en": "These are the entries you rated in round 1. Thank you for your ratings and tips and tops.",
    },
    "sheet_deadline": {"nl": "Scoren en een score wijzigen kan tot {when}.",
                       "en": "You can score and change a score until {when}."},
    "sheet_progress": {"nl": "{done} van {total} ingediend", "en": "{done} of {total} submitted"},
    "sheet_empty": {"nl": "Er zijn (nog) geen inzendingen aan u toegewezen.",
                    "en": "No entries are assigned to you (yet)."},
    "status_todo": {"nl": "nog te doen", "en": "to do"},
    "status_draft": {"nl": "concept", "en": "draft"},
    "status_submitted": {"nl": "ingediend", "en": "submitted"},
    "round_closed": {"nl": "Ronde 1 is gesloten; scores kunnen niet meer worden gewijzigd.",
                     "en": "Round 1 is closed; scores can no longer be changed."},
    "calibration_link": {"nl": "Hoe verhoudt mijn scoren zich tot de groep?",
                         "en": "How does my scoring compare with the crowd?"},
    "category": {"nl": "Categorie", "en": "Category"},
    "municipality": {"nl": "Gemeente", "en": "Municipality"},
    "co_applicants": {"nl": "Samen met", "en": "Together with"},
    # entry
    "criteria_legend": {"nl": "Score van {min} (zwak) tot {max} (uitstekend)",
                        "en": "Score from {min} (weak) to {max} (excellent)"},
    "tops": {"nl": "Tops: wat is sterk aan deze casus?", "en": "Tops: what is strong about this case?"},
    "tips": {"nl": "Tips: wat kan beter?", "en": "Tips: what could be better?"},
    "tips_tops_hint": {
        "nl": "De indieners ontvangen tips en tops anoniem. Noem geen namen.",
        "en": "Entrants receive tips and tops anonymously. Do not mention names.",
    },
    "save_draft": {"nl": "Concept opslaan", "en": "Save draft"},
    "submit": {"nl": "Score indienen", "en": "Submit score"},
    "resubmit": {"nl": "Wijziging indienen", "en": "Submit change"},
    "saved_draft": {"nl": "Concept opgeslagen.", "en": "Draft saved."},
    "saved_submitted": {"nl": "Score ingediend. U kunt hem wijzigen tot de ronde sluit.",
                        "en": "Score submitted. You can change it until the round closes."},
    "conflict_legend": {"nl": "Belangenverstrengeling?", "en": "Conflict of interest?"},
    "conflict_hint": {
        "nl": "Kent u deze casus te goed om onbevangen te scoren (bijvoorbeeld een oud-werkgever of een "
              "samenwerkingsverband)? Dan gaat de inzending naar een andere beoordelaar.",
        "en": "Do you know this case too well to score it impartially (a former employer, a joint "
              "arrangement)? Then the entry goes to another scorer.",
    },
    "conflict_reason": {"nl": "Reden", "en": "Reason"},
    "conflict_button": {"nl": "Meld belangenverstrengeling", "en": "Declare a conflict of interest"},
    "conflict_done": {"nl": "Gemeld; de inzending gaat naar een andere beoordelaar.",
                      "en": "Declared; the entry goes to another scorer."},
    # why a score was refused, after the field's name ("Waardevol: verplicht")
    "your_score": {"nl": "Uw score", "en": "Your score"},
    "score_invalid": {"nl": "Niet alles is goed ingevuld: {fields}",
                      "en": "Not everything is filled in correctly: {fields}"},
    "score_not_whole": {"nl": "'{value}' is geen geheel getal", "en": "'{value}' is not a whole number"},
    "score_outside_scale": {"nl": "kies van {min} tot en met {max}", "en": "must be from {min} to {max}"},
    "text_too_long": {"nl": "hoogstens {max} tekens", "en": "at most {max} characters"},
    "score_already_submitted": {
        "nl": "al ingediend: dien de wijziging in in plaats van een concept op te slaan",
        "en": "already submitted: submit the change instead of saving a draft",
    },
    "entry_not_assigned": {"nl": "Deze inzending is niet (meer) aan u toegewezen.",
                           "en": "This entry is not (or no longer) assigned to you."},
    # calibration
    "calibration_title": {"nl": "Mijn scoren naast de groep", "en": "My scoring next to the crowd"},
    "calibration_too_few": {
        "nl": "Na een paar ingediende scores ziet u hier hoe uw scoren zich verhoudt tot de groep. De vergelijking "
              "wordt bijgewerkt als de organisatie de tussenstand opmaakt.",
        "en": "After a few submitted scores you will see here how your scoring compares with the crowd. The "
              "comparison is updated whenever the organisers review the standings.",
    },
    "calibration_bias_higher": {"nl": "U scoort gemiddeld {points} punt hoger dan de groep op dezelfde inzendingen.",
                                "en": "On the same entries you score {points} points higher than the crowd on "
                                      "average."},
    "calibration_bias_lower": {"nl": "U scoort gemiddeld {points} punt lager dan de groep op dezelfde inzendingen.",
                               "en": "On the same entries you score {points} points lower than the crowd on "
                                     "average."},
    "calibration_bias_none": {"nl": "U scoort gemiddeld even hoog als de groep.",
                              "en": "On average you score like the crowd."},
    "calibration_agreement": {
        "nl": "Overeenstemming van uw rangorde met de groep: {percent}%.",
        "en": "Agreement of your ordering with the crowd: {percent}%.",
    },
    "calibration_note": {
        "nl": "Strenge en milde beoordelaars tellen allebei volledig mee: het model corrigeert voor het verschil. "
              "Scores van anderen ziet u niet.",
        "en": "Strict and lenient scorers both count fully: the model corrects for the difference. "
              "You do not see other people's scores.",
    },
    "calibration_based_on": {"nl": "Gebaseerd op {n} ingediende scores.", "en": "Based on {n} submitted scores."},
    # organiser
    "organiser_title": {"nl": "Ronde 1: voorlopige uitslag", "en": "Round 1: preview of the result"},
    "organiser_status": {
        "nl": "Status: {status}. {ratings:plural:score|scores} ingediend, {outstanding} nog open.",
        "en": "Status: {status}. {ratings:plural:rating|ratings} submitted, {outstanding} outstanding.",
    },
    "organiser_near": {
        "nl": "{n:plural:# inzending zit|# inzendingen zitten} dicht bij de grens (kans op doorgaan tussen 10% en "
              "90%).",
        "en": "{n:plural:# entry sits|# entries sit} near the cut-off (chance of advancing between 10% and 90%).",
    },
    "organiser_stable": {
        "nl": "De shortlist is stabiel: de kans dat de {remaining} scores die nog kunnen komen de top {top_n} "
              "veranderen is {percent}.",
        "en": "The shortlist is stable: the chance that the {remaining} ratings still to come change the top {top_n} "
              "is {percent}."},
    "organiser_not_stable": {
        "nl": "De shortlist is nog niet stabiel: de {remaining} scores die nog kunnen komen veranderen de top {top_n} "
              "met een kans van {percent}.",
        "en": "The shortlist is not stable yet: the {remaining} ratings still to come change the top {top_n} with a "
              "chance of {percent}."},
    "organiser_all_in": {"nl": "Alle scores zijn binnen; de top {top_n} verandert niet meer.",
                         "en": "Every rating is in; the top {top_n} will not change any more."},
    "rank": {"nl": "Plaats", "en": "Rank"},
    "entry": {"nl": "Inzending", "en": "Entry"},
    "estimate": {"nl": "Schatting", "en": "Estimate"},
    "interval": {"nl": "90%-interval", "en": "90% interval"},
    "p_top": {"nl": "Kans door", "en": "Chance through"},
    "n_ratings": {"nl": "Scores", "en": "Ratings"},
    "advances": {"nl": "Door", "en": "Advances"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "first_wave_button": {"nl": "Ronde openen en eerste golf toewijzen", "en": "Open the round and assign wave 1"},
    "wave_budget": {"nl": "Extra scores (leeg: rest van het budget)", "en": "Extra ratings (empty: rest of budget)"},
    "wave_button": {"nl": "Adaptieve golf toewijzen", "en": "Assign an adaptive wave"},
    "close_button": {"nl": "Ronde sluiten en besluiten", "en": "Close the round and decide"},
    "close_confirm": {"nl": "Na sluiten kunnen beoordelaars niets meer wijzigen.",
                      "en": "After closing, scorers can no longer change anything."},
    "wave_done": {"nl": "Golf {wave} toegewezen: {n} scores.", "en": "Wave {wave} assigned: {n} ratings."},
    "closed_done": {"nl": "Ronde gesloten; besluit {id}: {n:plural:# inzending gaat|# inzendingen gaan} door.",
                    "en": "Round closed; decision {id}: {n:plural:# entry advances|# entries advance}."},
    "scorers_title": {"nl": "Beoordelaars", "en": "Scorers"},
    "approve_button": {"nl": "Goedkeuren", "en": "Approve"},
    "import_label": {"nl": "Importeer beoordelaars (CSV: name,email,organisation,background,capacity,language)",
                     "en": "Import scorers (CSV: name,email,organisation,background,capacity,language)"},
    "import_button": {"nl": "Importeren", "en": "Import"},
    "imported": {"nl": "{created} nieuw, {existing} bestonden al.", "en": "{created} new, {existing} existed."},
    "approved_n": {"nl": "{n} goedgekeurd.", "en": "{n} approved."},
    "status_pending": {"nl": "wacht op goedkeuring", "en": "awaiting approval"},
    "status_approved": {"nl": "goedgekeurd", "en": "approved"},
    "status_dropped": {"nl": "gestopt", "en": "dropped"},
    # why an organiser's round-1 action was refused
    "round1_no_entries": {"nl": "Ronde 1 heeft (nog) geen inzendingen.", "en": "Round 1 has no entries (yet)."},
    "wave_no_scorers": {
        "nl": "Er zijn nog geen goedgekeurde beoordelaars. Keur aanmeldingen goed of importeer beoordelaars en probeer "
              "het opnieuw.",
        "en": "There are no approved scorers yet. Approve sign-ups or import scorers, then try again.",
    },
    "wave_no_capacity": {
        "nl": "Deze golf past niet: {scorers:plural:de # goedgekeurde beoordelaar kan|de # goedgekeurde beoordelaars "
              "kunnen samen} nog {room:plural:score|scores} aan, de golf vraagt er {needed}. Keur meer beoordelaars "
              "goed of geef ze meer capaciteit.",
        "en": "This wave does not fit: {scorers:plural:the # approved scorer|the # approved scorers} can take "
              "{room:plural:# more rating|# more ratings}, the wave needs {needed}. Approve more scorers or give "
              "them more capacity.",
    },
    "wave_blocked": {
        "nl": "Deze golf past niet: niet elke inzending vindt genoeg beoordelaars met ruimte, zonder "
              "belangenverstrengeling en zonder eerdere score voor die inzending ({needed} scores gevraagd). Keur "
              "meer beoordelaars goed of vraag minder extra scores.",
        "en": "This wave does not fit: not every entry finds enough scorers with room, without a conflict of "
              "interest and without an earlier rating of it ({needed} ratings asked). Approve more scorers or ask "
              "for fewer extra ratings.",
    },
    "wave_budget_invalid": {
        "nl": "Vul bij extra scores een geheel getal van 1 of meer in, of laat het veld leeg.",
        "en": "Enter a whole number of 1 or more for the extra ratings, or leave the field empty.",
    },
    "wave_not_needed": {
        "nl": "Een extra golf is niet nodig: de kans dat de {remaining} scores die nog kunnen komen de shortlist "
              "veranderen is {percent}. Wilt u toch meer scores, vul dan bij extra scores een aantal in.",
        "en": "Another wave is not needed: the chance that the {remaining} ratings still to come change the shortlist "
              "is {percent}. To have more ratings anyway, enter a number of extra ratings.",
    },
    "wave_budget_used": {
        "nl": "Het budget van de editie ({per_entry} scores per inzending) is al verdeeld. Vul bij extra scores in "
              "hoeveel scores u daarbovenop wilt laten geven.",
        "en": "The edition's budget ({per_entry} ratings per entry) is already assigned. Enter how many extra "
              "ratings you want on top of it.",
    },
    "close_finish": {
        "nl": "Het sluiten van de ronde is niet afgemaakt: besluit nu.",
        "en": "Closing the round was not finished: decide now.",
    },
    "scorer_unknown": {"nl": "Er is geen beoordelaar {scorer}.", "en": "There is no scorer {scorer}."},
    # an organiser's CSV of people (scorers, assessors, jurors)
    "csv_header_lacks": {"nl": "{source}: de kopregel mist {columns}", "en": "{source}: the header lacks {columns}"},
    "csv_cell": {"nl": "{source}, rij {row}, kolom {column}: {why}",
                 "en": "{source}, row {row}, column {column}: {why}"},
    "csv_unreadable": {"nl": "{source}, rij {row}: deze rij is geen leesbare CSV (een cel van meer dan 128 KB, of "
                             "een teken dat niet in tekst hoort)",
                       "en": "{source}, row {row}: this row is not readable CSV (a cell over 128 KB, or a character "
                             "that does not belong in text)"},
    "csv_no_rows": {"nl": "{source}: geen rijen onder de kopregel", "en": "{source}: no rows below the header"},
    "csv_duplicate": {"nl": "{source}: {email} komt meer dan eens voor",
                      "en": "{source}: {email} appears more than once"},
    # stopping reminders (the List-Unsubscribe address of a reminder mail)
    "optout_title": {"nl": "Geen herinneringen meer", "en": "No more reminders"},
    "optout_ask": {
        "nl": "Wilt u geen herinneringen meer ontvangen van GemeenteDelers? Uitnodigingen, uitslagen en andere "
              "berichten die u moet krijgen, blijven wel komen.",
        "en": "Do you want to stop receiving reminders from GemeenteDelers? Invitations, results and other mails "
              "you need will still reach you.",
    },
    "optout_button": {"nl": "Stuur mij geen herinneringen meer", "en": "Send me no more reminders"},
    "optout_done": {
        "nl": "U ontvangt geen herinneringen meer. Uitnodigingen en uitslagen krijgt u nog wel.",
        "en": "You will receive no more reminders. Invitations and results will still reach you.",
    },
    "optout_bad_link": {
        "nl": "Deze link werkt niet (meer). Wilt u geen herinneringen meer? Beantwoord dan een van onze mails.",
        "en": "This link does not work (any more). To stop reminders, reply to one of our mails.",
    },
}


def _merge() -> None:
    from gemeentedelers.assessment.page_texts import TEXTS as ROUND2
    from gemeentedelers.console.page_texts import TEXTS as CONSOLE
    from gemeentedelers.databank.page_texts import TEXTS as DATABANK
    from gemeentedelers.editions.page_texts import TEXTS as EDITIONS
    from gemeentedelers.entries.page_texts import TEXTS as ENTRIES
    from gemeentedelers.jury.page_texts import TEXTS as ROUND3
    from gemeentedelers.people.page_texts import TEXTS as PEOPLE
    from gemeentedelers.web.layout_texts import TEXTS as LAYOUT

    for texts in (ROUND2, ROUND3, CONSOLE, EDITIONS, PEOPLE, ENTRIES, DATABANK, LAYOUT):
        clash = set(texts) & set(MESSAGES)
        if clash:
            raise KeyError(f"page text keys defined twice: {sorted(clash)}")
        MESSAGES.update(texts)


_merge()
