"""Realistic registrations for the demo and the benchmarks, generated reproducibly from a seed.

The cases echo the kinds of initiative the seeds name (a digital counter, proactive services, a basic income
for young people, a participation platform, emergency host families, a shared web platform) across real
Dutch municipalities; contact details are invented and use example.org addresses.
"""

from __future__ import annotations

import random
from typing import Any

MUNICIPALITIES = (
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda",
    "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede", "Amersfoort", "Zaanstad", "Zwolle", "Leiden",
    "Maastricht", "Dordrecht", "Ede", "Alkmaar", "Emmen", "Delft", "Deventer", "Venlo", "Sittard-Geleen",
    "Helmond", "Oss", "Purmerend", "Hilversum", "Westerkwartier", "Woerden", "Súdwest-Fryslân", "Zeist",
    "Houten", "Lochem", "Goeree-Overflakkee", "Heerenveen", "Roermond",
)

CASES: tuple[tuple[str, str, str], ...] = (
    ("Digitale balie", "direct",
     "Inwoners voeren via een beveiligde videoverbinding gesprekken met de gemeente, zoals het aangeven van een "
     "baby of het regelen van een huwelijk. Sinds de start zijn er ruim 8.000 gesprekken op afstand gevoerd en "
     "hoeven inwoners minder vaak naar het stadskantoor."),
    ("Proactieve dienstverlening", "direct",
     "De gemeente kent rechten automatisch toe, zoals kwijtschelding of een schoolpremie, zonder dat inwoners "
     "een aanvraag hoeven te doen. Het bereik onder huishoudens met een laag inkomen steeg aantoonbaar."),
    ("Bouwdepot voor jongeren", "direct",
     "Dakloze jongeren krijgen een basisinkomen en begeleiding om zelf hun leven op te bouwen. De evaluatie "
     "laat meer rust, schuldenafbouw en betere toekomstplannen zien."),
    ("Participatieplatform OpenStad", "indirect",
     "Een open source platform waarmee inwoners ideeën indienen, meedenken en stemmen over plannen in hun buurt. "
     "Andere gemeenten gebruiken het al en ontwikkelen het samen verder."),
    ("De Thuisgevers", "direct",
     "Gastgezinnen vangen statushouders en vluchtelingen tijdelijk op, met begeleiding vanuit de gemeente en "
     "maatschappelijke partners. Zo ontstaat snel een menselijke oplossing voor de opvangcrisis."),
    ("Open Webconcept", "indirect",
     "Een gedeelde, open source basis voor gemeentelijke websites met herbruikbare bouwstenen, zoals een plugin "
     "voor de publicatie van Woo-verzoeken. Meer dan twintig gemeenten gebruiken het."),
    ("Gezonde school met waterflessen", "direct",
     "Alle basisschoolleerlingen krijgen een navulbare waterfles en lessen over gezond drinken. Scholen melden "
     "minder suikerhoudende dranken op het schoolplein."),
    ("Wijkteam aan huis", "direct",
     "Het wijkteam komt bij inwoners thuis in plaats van op kantoor, met één vast aanspreekpunt voor zorg, werk "
     "en geldzaken. Wachttijden daalden en inwoners voelen zich beter geholpen."),
    ("Brieven in begrijpelijke taal", "indirect",
     "Alle standaardbrieven zijn herschreven op taalniveau B1 samen met inwoners. Het aantal telefoontjes met "
     "vragen over brieven halveerde."),
    ("Schuldhulp via vroegsignalering", "direct",
     "Signalen van betalingsachterstanden bij huur, energie en zorgverzekering komen samen, zodat de gemeente "
     "inwoners benadert voordat schulden oplopen."),
    ("Crime Game voor jongeren", "direct",
     "Een escape-room-achtig spel laat jongeren ervaren hoe criminelen hen proberen te ronselen. Scholen en "
     "politie gebruiken het spel in de hele regio."),
    ("Data-gedreven onderhoud openbare ruimte", "indirect",
     "Meldingen, sensoren en inspecties worden gecombineerd om onderhoud aan wegen en groen te plannen voordat "
     "inwoners overlast ervaren."),
    ("Ondernemersloket in één keer goed", "direct",
     "Ondernemers regelen vergunningen, subsidies en advies via één loket met een vaste accountmanager. De "
     "doorlooptijd van vergunningen werd korter."),
    ("Samen inkopen van zaaksystemen", "indirect",
     "Acht gemeenten kopen samen een zaaksysteem in en delen configuraties en koppelingen volgens Common Ground."),
    ("Energiecoaches in de wijk", "direct",
     "Getrainde vrijwilligers helpen huishoudens met energiebesparing en lagere rekeningen, met voorrang voor "
     "huishoudens in energiearmoede."),
    ("Chatbot voor afvalvragen", "indirect",
     "Een chatbot beantwoordt vragen over afval en grofvuil en geeft medewerkers tijd voor ingewikkelde vragen."),
)

FIRST_NAMES = ("Fleur", "Daan", "Sanne", "Bram", "Noor", "Joris", "Fatima", "Mehmet", "Lotte", "Ruben", "Anouk",
               "Thijs", "Iris", "Youssef", "Eva", "Kees")
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos",
              "El Amrani", "Yilmaz", "van Dijk", "Hendriks")


def registrations(count: int, seed: int = 2024) -> list[dict[str, Any]]:
    """``count`` registrations keyed by canonical field name; about one in seven asks for English."""
    rng = random.Random(seed)
    result = []
    for number in range(count):
        title, category, description = CASES[number % len(CASES)]
        municipality = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
        others = [m for m in MUNICIPALITIES if m != municipality]
        co_applicants = rng.sample(others, k=rng.choice((0, 0, 0, 1, 2)))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        handle = f"{first}.{last}".lower().replace(" ", "")
        suffix = "" if number < len(CASES) else f" {municipality}"
        result.append(
            {
                "municipality": municipality,
                "co_applicants": co_applicants,
                "contact_name": f"{first} {last}",
                "contact_email": f"{handle}.{number}@example.org",
                "contact_phone": f"06-{rng.randrange(10_000_000, 99_999_999)}",
                "title": f"{title}{suffix}",
                "description": description,
                "category": "Direct" if category == "direct" else "Indirect",
                "consent": True,
                "language": "en" if rng.random() < 1 / 7 else "nl",
            }
        )
    return result
