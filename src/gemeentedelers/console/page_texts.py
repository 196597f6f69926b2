"""Texts of the console: signing in and out, the navigation, roles, the timeline, progress, reminders, the audit
trail, the organisers and the exports; confirmation steps of irreversible actions."""

TEXTS: dict[str, dict[str, str]] = {
    # signing in and out
    "org_sign_in_title": {"nl": "Aanmelden als organisator", "en": "Sign in as an organiser"},
    "org_sign_in_intro": {
        "nl": "Klik op de knop om u aan te melden. De link werkt één keer en 15 minuten lang.",
        "en": "Click the button to sign in. The link works once, for 15 minutes.",
    },
    "org_sign_in_button": {"nl": "Aanmelden", "en": "Sign in"},
    "org_session_needed": {
        "nl": "U bent niet (meer) aangemeld. Vraag een nieuwe aanmeldlink aan een coördinator, of gebruik "
              "'gemeentedelers organisers link'.",
        "en": "You are not (or no longer) signed in. Ask a coordinator for a new sign-in link, or use "
              "'gemeentedelers organisers link'.",
    },
    "org_link_used": {
        "nl": "Deze link is al gebruikt. Een aanmeldlink werkt maar één keer: vraag een nieuwe aan.",
        "en": "This link was used already. A sign-in link works only once: ask for a new one.",
    },
    "org_signed_out_title": {"nl": "Afgemeld", "en": "Signed out"},
    "org_signed_out": {
        "nl": "U bent afgemeld, op alle onderdelen van de console.",
        "en": "You are signed out, on every part of the console.",
    },
    "org_sign_out_button": {"nl": "Afmelden", "en": "Sign out"},
    "org_signed_in_as": {"nl": "Aangemeld als {name} ({role}).", "en": "Signed in as {name} ({role})."},
    "org_no_such_host": {"nl": "Dat onderdeel van de console bestaat niet.", "en": "That part of the console does "
                                                                                    "not exist."},
    "org_not_allowed_read": {"nl": "U heeft geen toegang tot de console.", "en": "You have no access to the console."},
    "org_not_allowed_run": {
        "nl": "Uw rol is waarnemer: u kunt alles bekijken, maar niets uitvoeren.",
        "en": "Your role is observer: you can look at everything, but not act.",
    },
    "org_not_allowed_manage": {
        "nl": "Alleen een coördinator beheert organisatoren en edities.",
        "en": "Only a coordinator manages organisers and editions.",
    },
    # roles
    "org_role_coordinator": {"nl": "coördinator", "en": "coordinator"},
    "org_role_round-lead": {"nl": "rondeleider", "en": "round lead"},
    "org_role_observer": {"nl": "waarnemer", "en": "observer"},
    "org_status_active": {"nl": "actief", "en": "active"},
    "org_status_revoked": {"nl": "ingetrokken", "en": "revoked"},
    # why an organiser account cannot be used or changed
    "org_err_unknown": {"nl": "Er is geen organisator {email}.", "en": "There is no organiser {email}."},
    "org_err_revoked": {"nl": "De toegang van {email} is ingetrokken.", "en": "The access of {email} is revoked."},
    "org_err_not_allowed": {
        "nl": "{email} is {role} en mag dit niet ({permission}).",
        "en": "{email} is {role} and may not do this ({permission}).",
    },
    "org_err_invalid": {"nl": "Controleer: {fields}.", "en": "Please check: {fields}."},
    "org_err_bootstrap_done": {
        "nl": "Er zijn al organisatoren: alleen een coördinator voegt er een toe (--as).",
        "en": "There are organisers already: only a coordinator adds one (--as).",
    },
    "org_err_bootstrap_role": {
        "nl": "De eerste organisator is een coördinator (--role coordinator).",
        "en": "The first organiser is a coordinator (--role coordinator).",
    },
    "org_err_revoke_self": {
        "nl": "U kunt uw eigen toegang niet intrekken; vraag een andere coördinator.",
        "en": "You cannot revoke your own access; ask another coordinator.",
    },
    # navigation
    "nav_label": {"nl": "Console", "en": "Console"},
    "nav_home": {"nl": "Overzicht", "en": "Overview"},
    "nav_round1": {"nl": "Ronde 1", "en": "Round 1"},
    "nav_round2": {"nl": "Ronde 2", "en": "Round 2"},
    "nav_round3": {"nl": "Ronde 3", "en": "Round 3"},
    "nav_editions": {"nl": "Edities", "en": "Editions"},
    "nav_audit": {"nl": "Logboek", "en": "Audit trail"},
    "nav_exports": {"nl": "Downloads", "en": "Downloads"},
    "nav_organisers": {"nl": "Organisatoren", "en": "Organisers"},
    # confirmation steps
    "confirm_what_happens": {"nl": "Wat er gebeurt", "en": "What will happen"},
    "confirm_missing": {"nl": "Let op: dit ontbreekt nog", "en": "Note: this is still missing"},
    "confirm_cancel": {"nl": "Annuleren", "en": "Cancel"},
    # the overview
    "console_title": {"nl": "Console", "en": "Console"},
    "timeline_title": {"nl": "Tijdlijn", "en": "Timeline"},
    "timeline_next": {"nl": "Volgende stap: {what}, {when}.", "en": "Next: {what}, {when}."},
    "timeline_passed": {"nl": "voorbij", "en": "passed"},
    "timeline_registration_opens": {"nl": "Inschrijving open", "en": "Registration opens"},
    "timeline_registration_closes": {"nl": "Inschrijving sluit", "en": "Registration closes"},
    "timeline_round1_decided": {"nl": "Besluit ronde 1", "en": "Round 1 decided"},
    "timeline_evidence_due": {"nl": "Onderbouwing ronde 2 binnen", "en": "Round-2 evidence due"},
    "timeline_round2_decided": {"nl": "Besluit ronde 2 (finalisten)", "en": "Round 2 decided (finalists)"},
    "timeline_winners_announced": {"nl": "Bekendmaking winnaars", "en": "Winners announced"},
    "timeline_award_ceremony": {"nl": "Prijsuitreiking", "en": "Award ceremony"},
    "weekday_0": {"nl": "maandag", "en": "Monday"},
    "weekday_1": {"nl": "dinsdag", "en": "Tuesday"},
    "weekday_2": {"nl": "woensdag", "en": "Wednesday"},
    "weekday_3": {"nl": "donderdag", "en": "Thursday"},
    "weekday_4": {"nl": "vrijdag", "en": "Friday"},
    "weekday_5": {"nl": "zaterdag", "en": "Saturday"},
    "weekday_6": {"nl": "zondag", "en": "Sunday"},
    # progress
    "progress_title": {"nl": "Voortgang", "en": "Progress"},
    "progress_r1": {
        "nl": "{done} van {scorers} beoordelaars klaar; {submitted} van {assigned} scores ingediend.",
        "en": "{done} of {scorers} scorers done; {submitted} of {assigned} ratings submitted.",
    },
    "progress_r2": {
        "nl": "Onderbouwing compleet: {evidence} van {cases}. Bezoeken gehouden: {held} (gepland: {planned}). "
              "Rapporten door het hele team ondertekend: {signed} van {cases}. Gestemd: {voted} van {assessors} "
              "assessoren.",
        "en": "Evidence complete: {evidence} of {cases}. Visits held: {held} (planned: {planned}). Reports signed by "
              "the whole team: {signed} of {cases}. Voted: {voted} of {assessors} assessors.",
    },
    "progress_r3": {
        "nl": "{done} van {jurors} juryleden hebben alles gerangschikt ({finalists} finalisten).",
        "en": "{done} of {jurors} jurors have ranked everything ({finalists} finalists).",
    },
    "progress_nobody_behind": {"nl": "Niemand loopt achter.", "en": "Nobody is behind."},
    "progress_open_ratings": {"nl": "nog {n} open", "en": "{n} still open"},
    "progress_team_open": {"nl": "onderbouwing nog niet compleet", "en": "evidence not complete yet"},
    "progress_assessor_open": {"nl": "nog {n} te doen", "en": "{n} still to do"},
    "progress_juror_open": {"nl": "nog {n} categorie(ën) te rangschikken", "en": "{n} category(ies) still to rank"},
    # reminders
    "remind_hint": {
        "nl": "Iedereen krijgt hoogstens één herinnering per dag, met de deadline erin.",
        "en": "Everyone gets at most one reminder a day, with the deadline in it.",
    },
    "remind_scorers_button": {"nl": "Herinner beoordelaars die achterlopen", "en": "Remind scorers who are behind"},
    "remind_teams_button": {"nl": "Herinner teams zonder complete onderbouwing",
                            "en": "Remind teams without complete evidence"},
    "remind_assessors_button": {"nl": "Herinner assessoren die achterlopen", "en": "Remind assessors who are behind"},
    "remind_jurors_button": {"nl": "Herinner juryleden die achterlopen", "en": "Remind jurors who are behind"},
    "reminded_n": {
        "nl": "{n:plural:herinnering|herinneringen} verstuurd (wie vandaag al een herinnering kreeg, krijgt er "
              "geen tweede).",
        "en": "{n:plural:reminder|reminders} sent (anyone reminded today already gets no second one).",
    },
    # closing round 1
    "close_confirm_title": {"nl": "Ronde 1 sluiten?", "en": "Close round 1?"},
    "close_will_stop": {"nl": "Beoordelaars kunnen daarna niets meer wijzigen of indienen.",
                        "en": "Scorers can no longer change or submit anything afterwards."},
    "close_will_decide": {
        "nl": "Het model besluit welke {n} inzendingen doorgaan; het besluit wordt opgeslagen met alles wat nodig "
              "is om het na te rekenen.",
        "en": "The model decides which {n} entries advance; the decision is stored with everything needed to "
              "recompute it.",
    },
    "close_will_mail": {
        "nl": "Elke inzender krijgt een mail met de uitslag en tips en tops; de doorgaande teams krijgen hun link "
              "voor ronde 2.",
        "en": "Every entrant gets a mail with the result and tips and tops; the advancing teams get their round-2 "
              "link.",
    },
    "close_warn_outstanding": {
        "nl": "{n:plural:# toegewezen score is|# toegewezen scores zijn} nog niet ingediend, van: {names}.",
        "en": "{n:plural:# assigned rating is|# assigned ratings are} not submitted yet, by: {names}.",
    },
    "close_warn_thin": {
        "nl": "{n:plural:# inzending heeft|# inzendingen hebben} minder ingediende scores dan de eerste golf geeft "
              "(van de {per_entry} per inzending).",
        "en": "{n:plural:# entry has|# entries have} fewer submitted ratings than the first wave gives (of the "
              "{per_entry} per entry).",
    },
    # dropping a scorer
    "drop_button": {"nl": "Laten stoppen", "en": "Drop"},
    "drop_confirm_title": {"nl": "{name} laten stoppen?", "en": "Drop {name}?"},
    "drop_will_stop": {"nl": "De link en sessie van {name} werken daarna niet meer.",
                       "en": "The link and session of {name} stop working."},
    "drop_will_reassign": {"nl": "Hun {n:plural:# open inzending gaat|# open inzendingen gaan} naar andere "
                                 "beoordelaars, zonder belangenverstrengeling.",
                           "en": "Their {n:plural:# open entry goes|# open entries go} to other scorers, without "
                                 "conflicts of interest."},
    "drop_warn_done": {"nl": "Hun {n:plural:# ingediende score blijft|# ingediende scores blijven} meetellen.",
                       "en": "Their {n:plural:# submitted rating keeps|# submitted ratings keep} counting."},
    "dropped_done": {"nl": "{name} is gestopt; {n:plural:score|scores} opnieuw toegewezen.",
                     "en": "{name} dropped; {n:plural:rating|ratings} reassigned."},
    # charts
    "chart_table": {"nl": "De gegevens als tabel", "en": "The data as a table"},
    "chart_table_below": {"nl": "De gegevens van de grafiek staan in de tabel hieronder.",
                          "en": "The chart's data is in the table below."},
    "chart_scale": {"nl": "Schaal van de schattingen:", "en": "Scale of the estimates:"},
    "chart_cutoff": {"nl": "grens", "en": "cut-off"},
    "chart_estimates_title": {"nl": "Schattingen met 90%-interval, beste eerst",
                              "en": "Estimates with 90% interval, best first"},
    "chart_estimates_desc": {
        "nl": "{n} inzendingen; een stip is de schatting, de lijn het 90%-interval; de rode lijn ligt onder de "
              "{top} die doorgaan.",
        "en": "{n} entries; a dot is the estimate, the line its 90% interval; the red line lies below the {top} "
              "that advance.",
    },
    "chart_funnel_title": {"nl": "De trechter van de editie", "en": "The edition's funnel"},
    "chart_stage": {"nl": "Fase", "en": "Stage"},
    "chart_count": {"nl": "Aantal", "en": "Number"},
    "chart_progress_title": {"nl": "Ingediende scores in de tijd", "en": "Ratings submitted over time"},
    "chart_progress_desc": {"nl": "{n} van {of} ingediend.", "en": "{n} of {of} submitted."},
    "chart_day": {"nl": "Dag", "en": "Day"},
    "chart_cumulative": {"nl": "Totaal tot en met die dag", "en": "Total up to that day"},
    "funnel_registered": {"nl": "Ingeschreven", "en": "Registered"},
    "funnel_round2": {"nl": "In ronde 2", "en": "In round 2"},
    "funnel_finalists": {"nl": "Finalisten", "en": "Finalists"},
    "funnel_winners": {"nl": "Winnaars", "en": "Winners"},
    # the audit trail
    "audit_title": {"nl": "Logboek", "en": "Audit trail"},
    "audit_intro": {
        "nl": "Elke handeling van organisatoren, elk besluit en elke wijziging van een score, stem of rapport, "
              "nieuwste eerst. Personen buiten de organisatie staan er onder een pseudoniem.",
        "en": "Every organiser action, every decision and every change of a score, ballot or report, newest first. "
              "People outside the organisation appear under a pseudonym.",
    },
    "audit_actor": {"nl": "Wie (bijvoorbeeld organiser:naam@vng.nl)", "en": "Who (for example organiser:name@vng.nl)"},
    "audit_since": {"nl": "Vanaf (datum of datum en tijd)", "en": "From (date or date and time)"},
    "audit_since_hint": {"nl": "Bijvoorbeeld 2024-01-09 of 2024-01-09T12:00.",
                         "en": "For example 2024-01-09 or 2024-01-09T12:00."},
    "audit_filter": {"nl": "Tonen", "en": "Show"},
    "audit_at": {"nl": "Wanneer", "en": "When"},
    "audit_who": {"nl": "Wie", "en": "Who"},
    "audit_action": {"nl": "Handeling", "en": "Action"},
    "audit_target": {"nl": "Waarop", "en": "Target"},
    "audit_before": {"nl": "Ervoor", "en": "Before"},
    "audit_after": {"nl": "Erna", "en": "After"},
    "audit_more": {"nl": "En nog {n} oudere; gebruik 'gemeentedelers audit' of de download voor alles.",
                   "en": "And {n} older ones; use 'gemeentedelers audit' or the download for all."},
    "audit_since_invalid": {"nl": "'{value}' is geen datum zoals 2024-01-09 of 2024-01-09T12:00.",
                            "en": "'{value}' is not a date such as 2024-01-09 or 2024-01-09T12:00."},
    # the organisers
    "org_name": {"nl": "Naam", "en": "Name"},
    "org_email": {"nl": "E-mailadres", "en": "E-mail address"},
    "org_role": {"nl": "Rol", "en": "Role"},
    "org_status": {"nl": "Status", "en": "Status"},
    "org_add_title": {"nl": "Organisator toevoegen of wijzigen", "en": "Add or change an organiser"},
    "org_add_button": {"nl": "Opslaan", "en": "Save"},
    "org_send_link": {"nl": "Stuur een aanmeldlink per mail", "en": "Mail a sign-in link"},
    "org_added": {"nl": "{name} is toegevoegd als {role}.", "en": "{name} was added as {role}."},
    "org_changed": {"nl": "{name} is nu {role}.", "en": "{name} is now {role}."},
    "org_revoke_button": {"nl": "Toegang intrekken", "en": "Revoke access"},
    "org_revoke_title": {"nl": "Toegang van {name} intrekken?", "en": "Revoke the access of {name}?"},
    "org_revoke_will_end": {
        "nl": "Alle sessies en aanmeldlinks van {name} werken direct niet meer, op alle onderdelen.",
        "en": "Every session and sign-in link of {name} stops working at once, everywhere.",
    },
    "org_revoke_will_keep": {
        "nl": "Hun eerdere handelingen blijven in het logboek staan; andere organisatoren merken er niets van.",
        "en": "Their earlier actions stay in the audit trail; other organisers notice nothing.",
    },
    "org_revoked": {"nl": "De toegang van {email} is ingetrokken.", "en": "The access of {email} is revoked."},
    "org_revoked_already": {"nl": "De toegang van {email} was al ingetrokken.",
                            "en": "The access of {email} was revoked already."},
    "org_request_intro": {
        "nl": "Vul uw e-mailadres in. Bent u organisator, dan krijgt u een aanmeldlink per mail; die werkt één keer "
              "en 15 minuten lang.",
        "en": "Enter your e-mail address. If you are an organiser you get a sign-in link by mail; it works once, for "
              "15 minutes.",
    },
    "composer_field_too_long": {"nl": "Gebruik hoogstens {n:number} tekens.",
                                "en": "Use at most {n:number} characters."},
    "composer_field_too_many": {"nl": "Gebruik hoogstens {n:number} regels.", "en": "Use at most {n:number} lines."},
    "org_request_email_empty": {"nl": "Vul uw e-mailadres in.", "en": "Enter your e-mail address."},
    "org_err_email": {"nl": "Vul een geldig e-mailadres in, zoals naam@gemeente.nl.",
                      "en": "Enter a valid e-mail address, such as name@municipality.nl."},
    "org_err_name": {"nl": "Vul een naam in van 2 tot 100 tekens.", "en": "Enter a name of 2 to 100 characters."},
    "org_err_role": {"nl": "Kies een van de rollen uit de lijst.", "en": "Choose one of the roles in the list."},
    "org_request_button": {"nl": "Stuur mij een aanmeldlink", "en": "Send me a sign-in link"},
    "org_link_sent": {
        "nl": "Als dit adres van een organisator is, is er nu een aanmeldlink onderweg. Kijk in uw mail.",
        "en": "If this address belongs to an organiser, a sign-in link is on its way. Check your mail.",
    },
    # downloads
    "exports_workbook": {"nl": "Organisatiebestand (Excel)", "en": "Organiser workbook (Excel)"},
    "exports_workbook_hint": {"nl": " bevat persoonsgegevens: alleen voor de organisatie.",
                              "en": " contains personal data: for the organisers only."},
    "exports_dossier": {"nl": "Openbaar resultatendossier (Excel, Woo)", "en": "Public results dossier (Excel, Woo)"},
    "exports_dossier_hint": {"nl": " zonder persoonsgegevens.", "en": " without personal data."},
    "exports_csv": {"nl": "Ronde {n} als CSV", "en": "Round {n} as CSV"},
    "exports_nothing": {"nl": "Voor deze editie is nog niets opgeslagen.",
                        "en": "Nothing is stored for this edition yet."},
    # round 2's confirmation steps
    "r2_withdraw_confirm_title": {"nl": "{name} terugtrekken?", "en": "Withdraw {name}?"},
    "r2_withdraw_will_stop": {"nl": "De link en sessie van {name} werken direct niet meer.",
                              "en": "The link and session of {name} stop working at once."},
    "r2_withdraw_will_ballot": {"nl": "Hun stem voor de finalisten blijft bewaard, maar telt niet meer mee.",
                                "en": "Their finalist ballot is kept, but no longer counts."},
    "r2_withdraw_will_replace": {"nl": "In elk van hun teams ({cases}) komt meteen een vervanger.",
                                 "en": "Each of their teams ({cases}) gets a replacement at once."},
    "r2_withdraw_will_leave_open": {"nl": "Hun teams ({cases}) hebben daarna een vervanger nodig.",
                                    "en": "Their teams ({cases}) then need a replacement."},
    "r2_withdraw_warn_unsigned": {"nl": "Zij hebben het rapport van {cases} nog niet ondertekend.",
                                  "en": "They have not signed the report of {cases} yet."},
    "r2_confirm_title": {"nl": "Finalisten bevestigen?", "en": "Confirm the finalists?"},
    "r2_confirm_will_decide": {"nl": "{n:plural:Deze casus gaat|Deze # casussen gaan} naar de jury: {titles}.",
                               "en": "{n:plural:This case goes|These # cases go} to the jury: {titles}."},
    "r2_confirm_will_freeze": {"nl": "Stemmen en rapporten kunnen daarna niet meer veranderen.",
                               "en": "Ballots and reports can no longer change afterwards."},
    "r2_confirm_will_mail": {"nl": "Elk team krijgt zijn feedback van ronde 2 per mail.",
                             "en": "Every team gets its round-2 feedback by mail."},
    "r2_confirm_warn_ballots": {"nl": "Nog niet gestemd: {names}.", "en": "Not voted yet: {names}."},
    "r2_confirm_warn_visits": {"nl": "Geen bevestigd bezoek: {cases}.", "en": "No confirmed visit: {cases}."},
    "r2_confirm_warn_visits_planned": {
        "nl": "{n:plural:# bevestigd bezoek heeft|# bevestigde bezoeken hebben} nog niet plaatsgevonden.",
        "en": "{n:plural:# confirmed visit has|# confirmed visits have} not taken place yet."},
    # round 3's confirmation steps
    "r3_withdraw_confirm_title": {"nl": "{name} terugtrekken?", "en": "Withdraw {name}?"},
    "r3_withdraw_will_stop": {"nl": "De link en sessie van {name} werken direct niet meer.",
                              "en": "The link and session of {name} stop working at once."},
    "r3_withdraw_will_ballot": {"nl": "Hun rangschikking blijft bewaard, maar telt niet mee; de voorzitter kan "
                                      "zonder hen bevestigen.",
                                "en": "Their ranking is kept but does not count; the chair can confirm without "
                                      "them."},
    "r3_withdraw_warn_missing": {"nl": "{name} heeft nog niet gerangschikt: {categories}.",
                                 "en": "{name} has not ranked yet: {categories}."},
    "r3_confirm_step_title": {"nl": "De uitslag bevestigen?", "en": "Confirm the outcome?"},
    "r3_confirm_will_store": {"nl": "De uitslag wordt opgeslagen met alle rangschikkingen en toelichtingen.",
                              "en": "The outcome is stored with every ranking and explanation."},
    "r3_confirm_will_freeze": {"nl": "Juryleden kunnen hun rangschikking daarna niet meer wijzigen.",
                               "en": "Jurors can no longer change their rankings afterwards."},
    "r3_confirm_will_embargo": {"nl": "De winnaars blijven geheim tot {date}; dan worden ze aan iedereen "
                                      "bekendgemaakt.",
                                "en": "The winners stay confidential until {date}; then they are announced to "
                                      "everyone."},
    "r3_confirm_warn_missing": {"nl": "{category}: nog geen rangschikking van {names}.",
                                "en": "{category}: no ranking yet from {names}."},
    "r3_confirm_warn_undecided": {"nl": "{category}: nog geen winnaar (gelijkspel).",
                                  "en": "{category}: no winner yet (a tie)."},
    "r3_confirm_warn_withdrawn": {"nl": "Teruggetrokken, hun stem telt niet: {names}.",
                                  "en": "Withdrawn, their ballot does not count: {names}."},
    # OpenID Connect
    "org_oidc_button": {"nl": "Aanmelden met {provider}", "en": "Sign in with {provider}"},
    "org_oidc_refused": {
        "nl": "Aanmelden via uw organisatie is niet gelukt. Probeer het opnieuw of vraag een aanmeldlink per mail.",
        "en": "Signing in through your organisation did not work. Try again or ask for a sign-in link by mail.",
    },
    "org_oidc_unknown": {
        "nl": "Met dit account bent u geen organisator van GemeenteDelers. Vraag een coördinator om u toe te voegen.",
        "en": "This account is not an organiser of GemeenteDelers. Ask a coordinator to add you.",
    },
}
