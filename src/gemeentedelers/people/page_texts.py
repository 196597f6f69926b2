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
    "consent_unknown": {"nl": "Er is geen toestemmingstekst {purpose} versie {version}.",
                        "en": "There is no consent text {purpose} version {version}."},
    "consent_language": {"nl": "Toestemming kan alleen in het Nederlands of Engels ({language} is onbekend).",
                         "en": "Consent can only be given in Dutch or English ({language} is unknown)."},
}
