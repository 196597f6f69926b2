"""The default rules: what every edition gets unless it says otherwise.

Registered first and marked ``trylast`` so any edition overrides them. Where the sources are silent about
rounds 2 and 3, the defaults assume, and say so in ``ASSUMPTIONS``; an edition that keeps these defaults
repeats them in its own assumptions, so ``gemeentedelers edition show`` lists everything the edition assumes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gemeentedelers.plugins.api import (
    REGISTRATION_FIELDS,
    AssessmentRules,
    Criterion,
    EditionInfo,
    EvidenceField,
    FieldError,
    FinalistRule,
    InterviewGuide,
    InterviewSection,
    JuryRule,
    Round1Rules,
    Text,
    hookimpl,
    organisation_keys,
)

ASSUMPTIONS = (
    # What the round-2 and round-3 defaults assume; the sources name no numbers, scales or voting methods.
    "Round 2 scores an extended set of seven criteria on the round-1 scale (1-10): the three main criteria, "
    "refined to ask for evidence, with weight 2, and inclusiviteit, lef, menselijke maat and samenwerking "
    "(the 2021 jury's 'extra credit' list) with weight 1.",
    "Round 2 asks for results, approach, involving stakeholders and reusability (at most 3,000 characters "
    "each, all required) and, optionally, links to documents.",
    "Assessors interview along the 4-D cycle of appreciative inquiry (ontdekken, dromen, ontwerpen, doen).",
    "An assessor team has 3 assessors (2 when conflicts of interest leave no other way); an assessor visits "
    "at most 4 cases; every member signs the team's one report per case.",
    "3 finalists per category, chosen by the assessors ranking every case of a category after reading all "
    "reports; equal rankings go to the higher report score, what is still tied goes to the organiser.",
    "The jury ranks each category's finalists; a Borda count decides and the chair's ranking breaks ties.",
)

MAIN_CRITERIA = (
    Criterion(
        key="succesvol",
        label=Text("Succesvol", "Successful"),
        description=Text(
            "Het initiatief werkt aantoonbaar: er zijn meetbare resultaten voor inwoners of ondernemers.",
            "The initiative demonstrably works: there are measurable results for residents or businesses.",
        ),
    ),
    Criterion(
        key="waardevol",
        label=Text("Waardevol", "Valuable"),
        description=Text(
            "Het initiatief verbetert de gemeentelijke dienstverlening merkbaar, inclusief en met menselijke maat.",
            "The initiative noticeably improves municipal services, inclusively and on a human scale.",
        ),
    ),
    Criterion(
        key="herbruikbaar",
        label=Text("Herbruikbaar", "Reusable"),
        description=Text(
            "Andere gemeenten kunnen het initiatief overnemen zonder het wiel opnieuw uit te vinden.",
            "Other municipalities can adopt the initiative without reinventing the wheel.",
        ),
    ),
)
"""The three main criteria of the seeds, on a 1-10 scale with equal weights (the texts name no scale)."""

_ENDS = {1: Text("Nauwelijks", "Barely"), 10: Text("Voorbeeldig", "Exemplary")}

EXTENDED_CRITERIA = (
    Criterion(
        key="succesvol",
        label=Text("Succesvol", "Successful"),
        description=Text(
            "De resultaten zijn gemeten en onderbouwd (bron, periode, vergelijking met de situatie ervoor) en "
            "bereiken de inwoners of ondernemers voor wie het initiatief bedoeld is.",
            "The results are measured and substantiated (source, period, comparison with the situation before) "
            "and reach the residents or businesses the initiative is meant for.",
        ),
        weight=2.0,
        scale_labels=_ENDS,
    ),
    Criterion(
        key="waardevol",
        label=Text("Waardevol", "Valuable"),
        description=Text(
            "Het initiatief verbetert de dienstverlening merkbaar en duurzaam, voor inwoners en ondernemers "
            "én voor de gemeentelijke organisatie.",
            "The initiative improves services noticeably and lastingly, for residents and businesses and for "
            "the municipal organisation.",
        ),
        weight=2.0,
        scale_labels=_ENDS,
    ),
    Criterion(
        key="herbruikbaar",
        label=Text("Herbruikbaar", "Reusable"),
        description=Text(
            "Een andere gemeente kan het overnemen: er is documentatie, de kosten en benodigde kennis zijn "
            "bekend, en het is bij voorkeur open of al elders hergebruikt.",
            "Another municipality can adopt it: it is documented, the costs and the knowledge needed are known, "
            "and it is preferably open or already reused elsewhere.",
        ),
        weight=2.0,
        scale_labels=_ENDS,
    ),
    Criterion(
        key="inclusief",
        label=Text("Inclusiviteit", "Inclusiveness"),
        description=Text(
            "Inclusiviteit is het uitgangspunt: het initiatief werkt ook voor wie minder digitaal of taalvaardig "
            "is, en er is een alternatief voor wie het niet zelf kan.",
            "Inclusiveness is the starting point: the initiative also works for people with fewer digital or "
            "language skills, and there is an alternative for those who cannot manage on their own.",
        ),
        scale_labels=_ENDS,
    ),
    Criterion(
        key="lef",
        label=Text("Lef", "Courage"),
        description=Text(
            "Het team durfde iets nieuws te proberen en keek naar wat wél kan in plaats van naar wat niet mag.",
            "The team dared to try something new and looked at what *is* possible rather than what is not allowed.",
        ),
        scale_labels=_ENDS,
    ),
    Criterion(
        key="menselijke_maat",
        label=Text("Menselijke maat", "Human measure"),
        description=Text(
            "De inwoner of ondernemer staat centraal: er is ruimte voor maatwerk en persoonlijk contact waar "
            "regels of systemen knellen.",
            "The resident or business comes first: there is room for a tailored answer and personal contact "
            "where rules or systems pinch.",
        ),
        scale_labels=_ENDS,
    ),
    Criterion(
        key="samenwerking",
        label=Text("Samenwerking", "Cooperation"),
        description=Text(
            "Het initiatief is samen met inwoners en ondernemers gemaakt, en met andere gemeenten, overheden of "
            "bedrijven.",
            "The initiative was made together with residents and businesses, and with other municipalities, "
            "government bodies or companies.",
        ),
        scale_labels=_ENDS,
    ),
)
"""Round 2's extended criteria: the main three refined (weight 2) and the 2021 jury's extras (weight 1)."""

EVIDENCE_MAX_CHARS = 3000

EVIDENCE_FIELDS = (
    EvidenceField(
        key="resultaten",
        label=Text("Resultaten", "Results"),
        guidance=Text(
            "Welke meetbare resultaten heeft het initiatief opgeleverd voor inwoners, ondernemers of de eigen "
            "organisatie? Noem cijfers met hun bron en periode (bijvoorbeeld aantal gebruikers, doorlooptijd, "
            "tevredenheid) en vergelijk ze met de situatie ervoor.",
            "What measurable results has the initiative brought residents, businesses or your own organisation? "
            "Give figures with their source and period (for example users, lead time, satisfaction) and compare "
            "them with the situation before.",
        ),
        max_chars=EVIDENCE_MAX_CHARS,
    ),
    EvidenceField(
        key="aanpak",
        label=Text("Aanpak", "Approach"),
        guidance=Text(
            "Hoe is het initiatief tot stand gekomen? Beschrijf de stappen, wie eraan werkten, de doorlooptijd "
            "en het budget, en wat u onderweg heeft bijgesteld.",
            "How did the initiative come about? Describe the steps, who worked on it, how long it took and what "
            "it cost, and what you adjusted along the way.",
        ),
        max_chars=EVIDENCE_MAX_CHARS,
    ),
    EvidenceField(
        key="belanghebbenden",
        label=Text("Betrekken van belanghebbenden", "Involving stakeholders"),
        guidance=Text(
            "Hoe zijn inwoners, ondernemers, medewerkers en andere organisaties betrokken bij het ontwerp, de "
            "invoering en de verbetering? Wie heeft u bereikt, ook onder wie minder digitaal vaardig is?",
            "How were residents, businesses, staff and other organisations involved in the design, the roll-out "
            "and the improvement? Whom did you reach, including people with fewer digital skills?",
        ),
        max_chars=EVIDENCE_MAX_CHARS,
    ),
    EvidenceField(
        key="herbruikbaarheid",
        label=Text("Herbruikbaarheid", "Reusability"),
        guidance=Text(
            "Wat heeft een andere gemeente nodig om dit over te nemen: documentatie, software (open source?), "
            "kosten, kennis, een contactpersoon? Is het al ergens anders hergebruikt?",
            "What does another municipality need to adopt this: documentation, software (open source?), costs, "
            "knowledge, a contact person? Has it been reused elsewhere already?",
        ),
        max_chars=EVIDENCE_MAX_CHARS,
    ),
    EvidenceField(
        key="documenten",
        label=Text("Documenten", "Documents"),
        guidance=Text(
            "Links naar onderbouwende documenten: evaluaties, rapportages, presentaties, broncode of een video. "
            "Eén link per regel; de beoordelaars moeten ze zonder inloggen kunnen openen.",
            "Links to supporting documents: evaluations, reports, presentations, source code or a video. One link "
            "a line; the assessors must be able to open them without logging in.",
        ),
        kind="url_list",
        required=False,
    ),
)
"""The four kinds of evidence the 2023/24 page names, and links to documents."""

INTERVIEW_GUIDE = InterviewGuide(
    title=Text("Gespreksleidraad Waarderend Onderzoek", "Appreciative inquiry interview guide"),
    intro=Text(
        "Waarderend Onderzoek zoekt naar wat goed gaat en waarom, om dat te versterken. Het gesprek volgt de "
        "vier fasen van de 4D-cyclus: ontdekken, dromen, ontwerpen en doen. Stel open vragen, vraag door op "
        "concrete voorbeelden en laat het team vertellen. Na het bezoek schrijft u samen één rapport.",
        "Appreciative inquiry looks for what works and why, in order to strengthen it. The conversation follows "
        "the four phases of the 4-D cycle: discover, dream, design and destiny. Ask open questions, ask for "
        "concrete examples and let the team tell its story. After the visit you write one report together.",
    ),
    sections=(
        InterviewSection(
            phase="discover",
            title=Text("Ontdekken: wat werkt er al?", "Discover: what already works?"),
            questions=(
                Text(
                    "Vertel over een moment waarop u merkte dat dit initiatief echt verschil maakte voor een "
                    "inwoner of ondernemer. Wat gebeurde er?",
                    "Tell us about a moment when you noticed this initiative really made a difference for a "
                    "resident or business. What happened?",
                ),
                Text(
                    "Wat maakte dat het toen lukte? Wat deden u, uw collega's en uw partners daarvoor?",
                    "What made it work then? What did you, your colleagues and your partners do for it?",
                ),
                Text(
                    "Op welke resultaten bent u het meest trots, en hoe weet u dat ze bereikt zijn?",
                    "Which results are you proudest of, and how do you know they were achieved?",
                ),
            ),
        ),
        InterviewSection(
            phase="dream",
            title=Text("Dromen: wat is er mogelijk?", "Dream: what is possible?"),
            questions=(
                Text(
                    "Stel: het is over drie jaar en het initiatief is een groot succes. Wat merken inwoners en "
                    "ondernemers dan, en wat is er in uw organisatie veranderd?",
                    "Imagine it is three years from now and the initiative is a great success. What do residents "
                    "and businesses notice, and what has changed in your organisation?",
                ),
                Text(
                    "Welke andere gemeenten zouden er het meest aan hebben, en wat zou het voor hen betekenen?",
                    "Which other municipalities would benefit most, and what would it mean for them?",
                ),
            ),
        ),
        InterviewSection(
            phase="design",
            title=Text("Ontwerpen: wat is ervoor nodig?", "Design: what does it take?"),
            questions=(
                Text(
                    "Wat is er nodig om de kern van dit succes vast te houden en uit te bouwen: mensen, "
                    "afspraken, techniek, geld?",
                    "What does it take to keep the core of this success and build on it: people, agreements, "
                    "technology, money?",
                ),
                Text(
                    "Wat moet een andere gemeente weten of hebben om dit over te nemen zonder het wiel opnieuw "
                    "uit te vinden?",
                    "What must another municipality know or have to adopt this without reinventing the wheel?",
                ),
                Text("Wie wilt u (nog meer) betrekken, en hoe?", "Whom else would you like to involve, and how?"),
            ),
        ),
        InterviewSection(
            phase="destiny",
            title=Text("Doen en verankeren: hoe houdt u het vast?", "Destiny: how do you make it last?"),
            questions=(
                Text(
                    "Wat is de eerstvolgende stap die u zelf zet, en wanneer?",
                    "What is the next step you will take yourself, and when?",
                ),
                Text(
                    "Hoe blijft het initiatief bestaan als de huidige trekkers vertrekken?",
                    "How does the initiative survive when the people now driving it leave?",
                ),
                Text(
                    "Welke tip geeft u een gemeente die morgen begint?",
                    "What tip would you give a municipality that starts tomorrow?",
                ),
            ),
        ),
    ),
)


@hookimpl(trylast=True)
def gd_criteria(round: int) -> Sequence[Criterion] | None:
    """Round 1: the main criteria; round 2: the extended set; round 3 (a jury that ranks) scores none."""
    return {1: MAIN_CRITERIA, 2: EXTENDED_CRITERIA}.get(round)


@hookimpl(trylast=True)
def gd_registration_field_map(provider: str) -> Mapping[str, str]:
    return {name: name for name in REGISTRATION_FIELDS}


@hookimpl
def gd_validate_registration(info: EditionInfo, registration: Mapping[str, object]) -> Sequence[FieldError]:
    """A municipality does not co-apply with itself, nor name a co-applicant twice (names compared as
    organisations: "Gemeente Almere" is "Almere")."""
    errors: list[FieldError] = []
    own = organisation_keys(registration.get("municipality"))
    seen: set[frozenset[str]] = set()
    for name in registration.get("co_applicants") or ():  # type: ignore[attr-defined]
        folded = organisation_keys(name)
        if folded & own:
            errors.append(
                FieldError(
                    "co_applicants",
                    Text("Een gemeente kan niet mede-indiener van haar eigen inzending zijn.",
                         "A municipality cannot be a co-applicant of its own entry."),
                )
            )
        elif folded in seen:
            errors.append(
                FieldError("co_applicants", Text(f"'{name}' staat dubbel in de lijst.", f"'{name}' is listed twice."))
            )
        seen.add(folded)
    return errors


@hookimpl(trylast=True)
def gd_round1_rules() -> Round1Rules:
    """Five ratings per entry (three up front, two adaptive) and the seeds' "usually 20" advancing."""
    return Round1Rules()


@hookimpl
def gd_conflicts_of_interest(scorer: Mapping[str, object], entry: Mapping[str, object]) -> Sequence[str]:
    """Nobody rates an entry of their own organisation, as applicant or as co-applicant; names are compared as
    organisations (``organisation_keys``: "Gemeente Almere" is Almere, "gem. Den Haag" is 's-Gravenhage, Weesp is
    Amsterdam now)."""
    own = organisation_keys(scorer.get("organisation"))
    reasons = []
    if own & organisation_keys(entry.get("municipality")):
        reasons.append("own organisation")
    if own & organisation_keys(entry.get("co_applicants") or []):
        reasons.append("own organisation is a co-applicant")
    return reasons


@hookimpl(trylast=True)
def gd_evidence_fields() -> Sequence[EvidenceField]:
    return EVIDENCE_FIELDS


@hookimpl(trylast=True)
def gd_interview_guide() -> InterviewGuide:
    return INTERVIEW_GUIDE


@hookimpl(trylast=True)
def gd_assessment_rules() -> AssessmentRules:
    """Teams of 3 (at least 2), at most 4 cases per assessor, one report signed by every member."""
    return AssessmentRules()


@hookimpl(trylast=True)
def gd_finalist_rule() -> FinalistRule:
    """3 finalists per category from the assessors' rankings; equal rankings go to the report score."""
    return FinalistRule()


@hookimpl(trylast=True)
def gd_jury_rule() -> JuryRule:
    """A Borda count of the jurors' rankings per category; the chair's ranking breaks a tie."""
    return JuryRule()
