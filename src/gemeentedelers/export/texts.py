"""What the workbooks say: sheet names, headers and fixed texts, Dutch by default and English on request."""

from __future__ import annotations

from typing import Any

# key: (Dutch, English). Sheet names are at most 31 characters (Excel's limit) and hold none of []:*?/\
TEXTS: dict[str, tuple[str, str]] = {
    # sheet names
    "sheet_overview": ("Overzicht", "Overview"),
    "sheet_registrations": ("Inschrijvingen", "Registrations"),
    "sheet_round1": ("Ronde 1", "Round 1"),
    "sheet_ratings": ("Beoordelingen ronde 1", "Round 1 ratings"),
    "sheet_round2": ("Ronde 2", "Round 2"),
    "sheet_round3": ("Ronde 3", "Round 3"),
    "sheet_people": ("Personen", "People"),
    "sheet_decisions": ("Besluiten", "Decisions"),
    "sheet_funnel": ("Trechter", "Funnel"),
    "sheet_progress": ("Voortgang ronde 1", "Round 1 progress"),
    "sheet_audit": ("Logboek", "Audit trail"),
    "h_funnel_stage": ("Fase", "Stage"),
    "h_count": ("Aantal", "Number"),
    "h_day": ("Dag", "Day"),
    "h_submitted_that_day": ("Ingediend die dag", "Submitted that day"),
    "h_submitted_total": ("Ingediend tot en met die dag", "Submitted up to that day"),
    "h_at": ("Wanneer", "When"),
    "h_actor": ("Wie", "Who"),
    "h_action": ("Handeling", "Action"),
    "h_target": ("Waarop", "Target"),
    "h_before": ("Ervoor", "Before"),
    "h_after": ("Erna", "After"),
    "funnel_registered": ("Ingeschreven", "Registered"),
    "funnel_round2": ("In ronde 2", "In round 2"),
    "funnel_finalists": ("Finalisten", "Finalists"),
    "funnel_winners": ("Winnaars", "Winners"),
    "chart_funnel": ("De trechter van de editie", "The edition's funnel"),
    "chart_estimates": ("Schattingen met 90%-interval per plaats", "Estimates with 90% interval by rank"),
    "chart_progress": ("Ingediende scores in de tijd", "Ratings submitted over time"),
    "progress_none": ("Er zijn nog geen scores ingediend.", "No ratings have been submitted yet."),
    "audit_none": ("Het logboek is leeg.", "The audit trail is empty."),
    "by_system": ("systeem ({service})", "system ({service})"),
    # overview
    "h_item": ("Onderdeel", "Item"),
    "h_value": ("Waarde", "Value"),
    "personal_data": ("Persoonsgegevens", "Personal data"),
    "personal_yes": (
        "JA: dit bestand bevat persoonsgegevens (contactgegevens van inzenders, namen en e-mailadressen van "
        "assessoren en juryleden). Alleen voor de organisatie; niet publiceren of doorsturen. Gebruik voor "
        "publicatie het openbare dossier (gemeentedelers export --public).",
        "YES: this workbook contains personal data (entrants' contact details, names and e-mail addresses of "
        "assessors and jurors). For the organisers only; do not publish or forward it. For publication use the "
        "public dossier (gemeentedelers export --public).",
    ),
    "personal_no": (
        "NEE: openbaar dossier (Wet open overheid) zonder persoonsgegevens. Geen contactgegevens; beoordelaars, "
        "assessoren en juryleden staan alleen onder een pseudoniem; e-mailadressen, telefoonnummers en bekende "
        "namen in vrije tekst zijn verwijderd.",
        "NO: public dossier (Dutch Open Government Act, Woo) without personal data. No contact details; scorers, "
        "assessors and jurors appear only under a pseudonym; e-mail addresses, phone numbers and known names in "
        "free text are removed.",
    ),
    "edition": ("Editie", "Edition"),
    "kind": ("Soort bestand", "Kind of workbook"),
    "kind_organiser": ("Organisatiebestand (volledig)", "Organiser workbook (complete)"),
    "kind_public": ("Openbaar uitslagendossier", "Public results dossier"),
    "exported_at": ("Geëxporteerd op", "Exported at"),
    "times": ("Tijden", "Times"),
    "times_value": ("Alle tijden in Amsterdamse tijd.", "All times in Amsterdam time."),
    "round_n": ("Ronde {n}", "Round {n}"),
    "winners": ("Winnaars", "Winners"),
    "counts": ("Aantallen", "Counts"),
    "counts_value": (
        "{registrations} inschrijvingen, {ratings} beoordelingen in ronde 1, {cases} casussen in ronde 2, "
        "{finalists} finalisten",
        "{registrations} registrations, {ratings} ratings in round 1, {cases} cases in round 2, "
        "{finalists} finalists",
    ),
    "pseudonyms": ("Pseudoniemen", "Pseudonyms"),
    "pseudonyms_value": (
        "S-.. is een beoordelaar (ronde 1), A-.. een assessor (ronde 2), J-.. een jurylid (ronde 3). Het nummer volgt "
        "de volgorde van aanmelden en blijft gelijk zolang er alleen mensen bijkomen; het is niet af te leiden uit "
        "naam of e-mailadres. Wie een beoordelaar is, staat in geen van beide bestanden; wie een assessor of jurylid "
        "is alleen in het organisatiebestand (tabblad Personen).",
        "S-.. is a scorer (round 1), A-.. an assessor (round 2), J-.. a juror (round 3). The number follows the "
        "order of sign-up and stays the same as long as people are only added; it cannot be derived from a name "
        "or e-mail address. Who a scorer is, is in neither workbook; who an assessor or juror is only in the "
        "organiser workbook (People sheet).",
    ),
    "tracing": ("Herleiden", "Tracing"),
    "tracing_value": (
        "Elk besluit staat op het tabblad Besluiten met zijn id, tijdstip, wie het nam en de regel. De tabbladen "
        "per ronde tonen wat dat besluit gebruikte; in Firestore bewaart het besluit alles om het te herberekenen.",
        "Every decision is on the Decisions sheet with its id, time, who took it and the rule. The sheets per "
        "round show what that decision used; in Firestore the decision keeps everything needed to recompute it.",
    ),
    "redaction": ("Verwijderd", "Removed"),
    "redaction_value": (
        "Vrije tekst (omschrijvingen, tips, tops, samenvattingen, toelichtingen) is nagekeken: e-mailadressen, "
        "telefoonnummers en namen van betrokkenen zijn vervangen door [..verwijderd].",
        "Free text (descriptions, tips, tops, summaries, explanations) was checked: e-mail addresses, phone numbers "
        "and names of the people involved are replaced by [..removed].",
    ),
    "status_not_started": ("nog niet begonnen", "not started yet"),
    "status_open": ("loopt", "in progress"),
    "status_decided": ("besloten: {id}", "decided: {id}"),
    "winners_none": ("nog niet bevestigd", "not confirmed yet"),
    "winners_embargoed": ("bevestigd, onder embargo tot {when}", "confirmed, under embargo until {when}"),
    "winners_announced": ("bekendgemaakt op {when}", "announced on {when}"),
    # registrations
    "h_entry": ("Inzending", "Entry"),
    "h_municipality": ("Gemeente", "Municipality"),
    "h_co_applicants": ("Mede-indieners", "Co-applicants"),
    "h_title": ("Titel", "Title"),
    "h_category": ("Categorie", "Category"),
    "h_description": ("Omschrijving", "Description"),
    "h_language": ("Taal", "Language"),
    "h_received": ("Ontvangen", "Received"),
    "h_provider": ("Formulier", "Form tool"),
    "h_stage": ("Verst bereikt", "Furthest stage"),
    "h_contact_name": ("Contactpersoon", "Contact"),
    "h_contact_email": ("E-mail contactpersoon", "Contact e-mail"),
    "h_contact_phone": ("Telefoon contactpersoon", "Contact phone"),
    "stage_round1": ("ronde 1", "round 1"),
    "stage_round2": ("ronde 2", "round 2"),
    "stage_final": ("finale", "final"),
    "stage_winner": ("winnaar", "winner"),
    # round 1
    "h_rank": ("Plaats", "Rank"),
    "h_estimate": ("Schatting", "Estimate"),
    "h_lower": ("90%-interval van", "90% interval from"),
    "h_upper": ("90%-interval tot", "90% interval to"),
    "h_p_top": ("Kans op top {n}", "P(top {n})"),
    "h_n_ratings": ("Aantal beoordelingen", "Ratings"),
    "h_advances": ("Gaat door", "Advances"),
    "round1_not_decided": (
        "Ronde 1 is nog niet beslist: er is geen opgeslagen besluit.",
        "Round 1 has not been decided yet: no decision is stored.",
    ),
    # ratings
    "h_scorer": ("Beoordelaar", "Scorer"),
    "h_criterion": ("Criterium", "Criterion"),
    "h_score": ("Score", "Score"),
    "h_tops": ("Tops", "Tops"),
    "h_tips": ("Tips", "Tips"),
    "ratings_none": ("Er zijn nog geen ingediende beoordelingen.", "No ratings have been submitted yet."),
    # round 2
    "h_evidence": ("Onderbouwing", "Evidence"),
    "h_team": ("Team", "Team"),
    "h_team_size": ("Teamgrootte", "Team size"),
    "h_report_score": ("Rapportscore", "Report score"),
    "h_recommendation": ("Advies", "Recommendation"),
    "h_summary": ("Samenvatting", "Summary"),
    "h_explanations": ("Toelichting per criterium", "Explanation per criterion"),
    "h_signed": ("Ondertekend", "Signed off"),
    "h_place": ("Plaats in categorie", "Place in category"),
    "h_assessor_score": ("Score assessoren", "Assessors' score"),
    "h_selection": ("Voorstel assessoren", "Assessors' proposal"),
    "h_pick": ("Keuze organisatie", "Organiser's pick"),
    "h_finalist": ("Finalist", "Finalist"),
    "h_votes": ("Stemmen", "Votes"),
    "evidence_complete": ("compleet", "complete"),
    "evidence_draft": ("concept", "draft"),
    "evidence_none": ("niet ingediend", "not supplied"),
    "selection_finalist": ("finalist", "finalist"),
    "selection_tied": ("gelijk: de organisatie kiest", "tied: the organisers choose"),
    "selection_out": ("niet door", "out"),
    "round2_not_reached": ("Ronde 2 is nog niet bereikt.", "Round 2 has not been reached yet."),
    "place_word": ("plaats", "place"),
    # round 3
    "h_kind": ("Soort", "Kind"),
    "h_subject": ("Categorie of prijs", "Category or prize"),
    "h_total": ("Totaal", "Total"),
    "h_winner": ("Winnaar", "Winner"),
    "h_per_juror": ("Per jurylid", "Per juror"),
    "h_chair_pref": ("Voorkeur voorzitter", "Chair's preference"),
    "h_notes": ("Toelichting", "Notes"),
    "kind_category": ("categorie", "category"),
    "kind_prize": ("speciale prijs", "special prize"),
    "kind_withdrawn": ("teruggetrokken jurylid", "withdrawn juror"),
    "withdrawn_note": (
        "trok zich terug: het stembiljet is bewaard maar telt niet mee",
        "withdrew: the ballot is kept but does not count",
    ),
    "round3_not_decided": ("Ronde 3 is nog niet beslist.", "Round 3 has not been decided yet."),
    "round3_running": (
        "Ronde 3 loopt: {n} finalisten; de jury heeft nog niet besloten.",
        "Round 3 is in progress: {n} finalists; the jury has not decided yet.",
    ),
    "round3_embargo": (
        "De uitslag van ronde 3 staat onder embargo tot {when}; het openbare dossier toont hem na de bekendmaking.",
        "Round 3's result is under embargo until {when}; the public dossier shows it after the announcement.",
    ),
    # people
    "h_pseudonym": ("Pseudoniem", "Pseudonym"),
    "h_role": ("Rol", "Role"),
    "h_status": ("Status", "Status"),
    "h_work": ("Aantal", "Count"),
    "h_name": ("Naam", "Name"),
    "h_email": ("E-mail", "E-mail"),
    "h_organisation": ("Organisatie", "Organisation"),
    "role_scorer": ("beoordelaar, beoordelingen: {n}", "scorer, ratings: {n}"),
    "role_assessor": ("assessor, casussen: {n}", "assessor, cases: {n}"),
    "role_juror": ("jurylid", "juror"),
    "role_chair": ("voorzitter van de jury", "chair of the jury"),
    "person_status_approved": ("goedgekeurd", "approved"),
    "person_status_pending": ("wacht op goedkeuring", "awaiting approval"),
    "person_status_dropped": ("afgehaakt", "dropped out"),
    "person_status_active": ("actief", "active"),
    "person_status_withdrawn": ("teruggetrokken", "withdrawn"),
    # decisions
    "h_decision": ("Besluit", "Decision"),
    "h_round": ("Ronde", "Round"),
    "h_decided_at": ("Genomen op", "Taken at"),
    "h_decided_by": ("Genomen door", "Taken by"),
    "h_method": ("Methode", "Method"),
    "h_rule": ("Regel", "Rule"),
    "h_outcome": ("Uitkomst", "Outcome"),
    "decisions_none": ("Er is nog geen besluit opgeslagen.", "No decision has been stored yet."),
    "by_organiser": ("organisatie", "organisers"),
    "by_cli": ("organisatie (opdrachtregel)", "organisers (command line)"),
    "rule_r1": (
        "beoordelaarsmodel ({method}) over {ratings} beoordelingen, gecorrigeerd voor mild en streng scoren; de "
        "top {advance} gaat door{quotas}; {per_entry} beoordelingen per inzending; {draws} trekkingen, seed {seed}",
        "rater model ({method}) over {ratings} ratings, corrected for lenient and strict scorers; the top "
        "{advance} advance{quotas}; {per_entry} ratings per entry; {draws} draws, seed {seed}",
    ),
    "rule_quotas": (" (quota per categorie: {quotas})", " (quotas per category: {quotas})"),
    "outcome_r1": ("{a} gaan door, {n} niet", "{a} advance, {n} do not"),
    "rule_r2": (
        "stemmen van {ballots} assessoren ({method}); {per_category} finalisten per categorie; gelijke stand: "
        "{tie_break}; keuzes van de organisatie: {picks}; teruggetrokken: {withdrawn}",
        "votes of {ballots} assessors ({method}); {per_category} finalists per category; ties: {tie_break}; "
        "organiser's picks: {picks}; withdrawn: {withdrawn}",
    ),
    "outcome_r2": ("{a} finalisten, {n} niet", "{a} finalists, {n} not"),
    "rule_r3": (
        "jury ({method}, {ballots} stembiljetten); gelijke stand: {tie_break}; voorzitter {chair}; "
        "teruggetrokken: {withdrawn}",
        "jury ({method}, {ballots} ballots); ties: {tie_break}; chair {chair}; withdrawn: {withdrawn}",
    ),
    "outcome_r3": ("winnaars: {winners}", "winners: {winners}"),
    "outcome_embargo": ("onder embargo tot {when}", "under embargo until {when}"),
    "none": ("geen", "none"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    # removed text
    "removed_email": ("[e-mailadres verwijderd]", "[e-mail address removed]"),
    "removed_phone": ("[telefoonnummer verwijderd]", "[phone number removed]"),
    "removed_name": ("[naam verwijderd]", "[name removed]"),
}

# round 3's explanations are written in English by jury.rules; these are the Dutch texts of the fixed ones
RULE_NOTES_NL = {
    "the chair's preference orders them": "de voorkeur van de voorzitter bepaalt de volgorde",
    "the chair's preference puts one first; the others stay tied": "de voorkeur van de voorzitter zet er één "
                                                                   "bovenaan; de andere blijven gelijk",
    "the chair's preference leaves a tie at the top": "ook de voorkeur van de voorzitter laat bovenaan een gelijke "
                                                      "stand",
    "the chair did not vote here": "de voorzitter stemde hier niet",
    "no tie-break: reported as a tie": "geen beslissing bij gelijke stand: gemeld als gelijk",
    "no votes: the prize is not awarded": "geen stemmen: de prijs wordt niet toegekend",
}


def text(key: str, language: str, **values: Any) -> str:
    dutch, english = TEXTS[key]
    chosen = english if language == "en" else dutch
    return chosen.format(**values) if values else chosen


def note(value: str, language: str) -> str:
    return value if language == "en" else RULE_NOTES_NL.get(value, value)
