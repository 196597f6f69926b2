"""What people read about their own data and organisations: consent, the privacy statement, conflicts of interest
and the limits on sign-up and sign-in, in Dutch and English (merged into ``web.messages.MESSAGES``)."""

TEXTS: dict[str, dict[str, str]] = {
    "consent_label": {"nl": "Toestemming", "en": "Consent"},
    "consent_agree": {"nl": "Ik geef deze toestemming", "en": "I give this consent"},
    "consent_needed": {"nl": "Zonder uw toestemming kunt u zich niet aanmelden.",
                       "en": "You cannot sign up without your consent."},
    "consent_outdated": {"nl": "De tekst van de toestemming is veranderd. Lees de nieuwe tekst en geef opnieuw "
                                "toestemming.",
                         "en": "The consent text has changed. Read the new text and give your consent again."},
    "privacy_title": {"nl": "Privacyverklaring", "en": "Privacy statement"},
    "privacy_intro": {
        "nl": "Voor GemeenteDelers gebruikt de VNG zo min mogelijk persoonsgegevens, alleen voor de wedstrijd, en "
              "niet langer dan nodig. Hier leest u welke gegevens, waarvoor, hoe lang, en wat uw rechten zijn.",
        "en": "For GemeenteDelers, VNG uses as little personal data as possible, only for the competition, and no "
              "longer than needed. Here you read which data, what for, how long, and what your rights are.",
    },
    "privacy_controller": {"nl": "Wie is verantwoordelijk", "en": "Who is responsible"},
    "privacy_contact": {"nl": "Contact over privacy", "en": "Contact about privacy"},
    "privacy_purposes": {"nl": "Waarvoor wij gegevens gebruiken", "en": "What we use data for"},
    "privacy_categories": {"nl": "Welke gegevens", "en": "Which data"},
    "privacy_retention": {"nl": "Hoe lang wij gegevens bewaren", "en": "How long we keep data"},
    "privacy_where": {"nl": "Waar", "en": "Where"},
    "privacy_what": {"nl": "Welke gegevens", "en": "Which data"},
    "privacy_why": {"nl": "Waarvoor", "en": "What for"},
    "privacy_how_long": {"nl": "Hoe lang", "en": "How long"},
    "privacy_then": {"nl": "Daarna", "en": "Then"},
    "privacy_rights": {"nl": "Uw rechten", "en": "Your rights"},
    "consent_unknown": {"nl": "Er is geen toestemmingstekst {purpose} versie {version}.",
                        "en": "There is no consent text {purpose} version {version}."},
    "consent_language": {"nl": "Toestemming kan alleen in het Nederlands of Engels ({language} is onbekend).",
                         "en": "Consent can only be given in Dutch or English ({language} is unknown)."},
}
