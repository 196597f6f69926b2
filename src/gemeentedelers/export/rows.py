"""The sheets of an export as plain rows, built from what is stored (:class:`read.Stored`) and the edition's rules.

Pure: no store, no spreadsheet library. The organiser workbook and the public dossier have the same sheets and
columns, except that the public one has no contact details and no names or e-mail addresses of people, that its
free text is redacted, and that it keeps round 3's result back while the winners are under embargo. People are
never named in the rows of either workbook: scorers, assessors and jurors appear as pseudonyms (``S-01``,
``A-01``, ``J-01``), numbered in the order they joined, so a number stays put when people are added and cannot be
derived from an e-mail address (the stored ids are hashes of the address, so they are not used). The organiser
workbook's People sheet says who an assessor or juror is; a scorer's identity is in neither workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from gemeentedelers.editions import Edition
from gemeentedelers.export.read import Stored
from gemeentedelers.export.redact import Redactor, keep
from gemeentedelers.export.texts import TEXTS, note, text
from gemeentedelers.web.i18n import AMSTERDAM

DATE_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    header: str
    wrap: bool = False  # long free text: a wide column with wrapped lines
    number_format: str | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A native spreadsheet chart over a sheet's own columns (1-based), drawn by ``workbook``: ``bar`` (one bar
    per row) or ``line`` (one line per ``series`` column, against ``category``)."""

    kind: str
    title: str
    category: int
    series: tuple[int, ...]
    y_title: str = ""
    x_title: str = ""


@dataclass
class Sheet:
    """One worksheet: a header row and data rows, or only ``message`` when its round has not been reached."""

    key: str
    title: str
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    message: str | None = None
    charts: list[ChartSpec] = field(default_factory=list)


def pseudonyms(people: Iterable[Mapping[str, Any]], id_field: str, time_field: str, prefix: str,
               also: Iterable[str] = ()) -> dict[str, str]:
    """``{person id: "P-01"}`` in the order people joined (ties by id); ids only met elsewhere come last."""

    def joined(person: Mapping[str, Any]) -> tuple[float, str]:
        moment = person.get(time_field)
        return (moment.timestamp() if isinstance(moment, datetime) else 0.0, str(person.get(id_field, "")))

    ordered = [str(p[id_field]) for p in sorted(people, key=joined) if p.get(id_field)]
    ordered += sorted(set(also) - set(ordered))
    width = max(2, len(str(len(ordered))))
    return {pid: f"{prefix}-{number:0{width}d}" for number, pid in enumerate(ordered, start=1)}


def local_time(value: Any) -> Any:
    """A stored timestamp as a plain Amsterdam date-time (spreadsheets hold no time zones); other values as given."""
    if isinstance(value, datetime):
        moment = value.astimezone(AMSTERDAM) if value.tzinfo else value
        return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return value


def number(value: Any, digits: int = 3) -> float | None:
    """A stored number (also a fraction written as text, ``"7/3"``) as a rounded float."""
    if value is None or value == "":
        return None
    try:
        return round(float(Fraction(str(value))) if isinstance(value, str) else float(value), digits)
    except (ValueError, ZeroDivisionError):
        return None


def short(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class Export:
    """Builds every sheet of one workbook."""

    def __init__(self, stored: Stored, edition: Edition, *, public: bool, language: str = "nl",
                 exported_at: datetime | None = None) -> None:
        self.stored = stored
        self.edition = edition
        self.public = public
        self.language = "en" if language == "en" else "nl"
        self.exported_at = exported_at or datetime.now(AMSTERDAM)
        self.entries = {s["submission_id"]: s for s in stored.submissions if s.get("submission_id")}
        score_ids = {s["scorer_id"] for s in stored.scores if s.get("scorer_id")}
        self.scorer_ids = pseudonyms(stored.scorers, "scorer_id", "signed_up_at", "S", also=score_ids)
        team_ids = {m for t in stored.teams.values() for m in t.get("members", [])}
        self.assessor_ids = pseudonyms(stored.assessors, "assessor_id", "imported_at", "A", also=team_ids)
        self.juror_ids = pseudonyms(stored.jurors, "juror_id", "imported_at", "J")
        self.redact: Callable[[str | None], str] = keep
        if public:
            names = [(s.get("contact") or {}).get("name") or "" for s in stored.submissions]
            names += [p.get("name") or "" for p in (*stored.scorers, *stored.assessors, *stored.jurors)]
            self.redact = Redactor(names, self.language)
        self.categories = {c.key: c.label.get(self.language) for c in edition.categories}
        self.category_order = {c.key: n for n, c in enumerate(edition.categories)}

    # -- small helpers ------------------------------------------------------------------------------------------

    def t(self, key: str, **values: Any) -> str:
        return text(key, self.language, **values)

    def yes_no(self, value: bool) -> str:
        return self.t("yes" if value else "no")

    def column(self, key: str, wrap: bool = False, number_format: str | None = None, **values: Any) -> Column:
        return Column(self.t(key, **values), wrap, number_format)

    def category(self, key: str | None) -> str:
        return self.categories.get(key or "", key or "")

    def entry(self, sid: str) -> dict[str, Any]:
        return self.entries.get(sid, {})

    def person(self, pid: str) -> str:
        """A person's pseudonym, for any id a decision or a report holds."""
        for known in (self.juror_ids, self.assessor_ids, self.scorer_ids):
            if pid in known:
                return known[pid]
        return self.redact(pid)

    def who(self, by: Any) -> str:
        """Who took a decision: a named organiser (the public dossier says "the organisers"), a system, a juror's
        pseudonym, or what is stored; older decisions say ``organiser`` or ``cli``."""
        by = str(by or "")
        if by == "organiser":
            return self.t("by_organiser")
        if by == "cli":
            return self.t("by_cli")
        if by.startswith("organiser:"):
            return self.t("by_organiser") if self.public else by.removeprefix("organiser:")
        if by.startswith("system:"):
            return self.t("by_system", service=by.removeprefix("system:"))
        return self.person(by)

    def when(self, moment: Any) -> str:
        value = local_time(moment)
        return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value or "")

    @property
    def result(self) -> dict[str, Any] | None:
        """The confirmed winners (``winners/result``), or None."""
        return self.stored.winners if self.stored.winners and self.stored.winners.get("confirmed") else None

    @property
    def announced(self) -> bool:
        return bool(self.result and self.result.get("status") == "announced")

    @property
    def round3_visible(self) -> bool:
        """Round 3's result is shown to organisers at once, in the public dossier only once announced."""
        return not self.public or self.announced

    def embargo_until(self) -> str:
        until = (self.result or {}).get("embargo_until") or self.edition.timeline.winners_announced
        return self.when(until)

    # -- the workbook -------------------------------------------------------------------------------------------

    def sheets(self) -> list[Sheet]:
        found = [self.overview(), self.registrations(), self.round1(), self.ratings(), self.round2(), self.round3(),
                 self.people(), self.decisions(), self.funnel(), self.progress()]
        return found if self.public else [*found, self.audit()]  # the trail names organisers: not for publication

    def overview(self) -> Sheet:
        stored = self.stored
        sheet = Sheet("overview", self.t("sheet_overview"), [self.column("h_item"), self.column("h_value", wrap=True)])
        rows = sheet.rows
        rows.append([self.t("personal_data"), self.t("personal_no" if self.public else "personal_yes")])
        rows.append([self.t("edition"), f"{self.edition.info.title.get(self.language)} ({stored.edition})"])
        rows.append([self.t("kind"), self.t("kind_public" if self.public else "kind_organiser")])
        rows.append([self.t("exported_at"), self.when(self.exported_at)])
        for n in (1, 2, 3):
            rows.append([self.t("round_n", n=n), self.round_status(n)])
        rows.append([self.t("winners"), self.winners_status()])
        finalists = self.stored.decision(2)
        rows.append([self.t("counts"), self.t(
            "counts_value", registrations=len(stored.submissions), ratings=len(self.rating_rows()),
            cases=len(self.round2_cases()), finalists=len((finalists or {}).get("advancing", [])))])
        rows.append([self.t("pseudonyms"), self.t("pseudonyms_value")])
        rows.append([self.t("tracing"), self.t("tracing_value")])
        rows.append([self.t("times"), self.t("times_value")])
        if self.public:
            rows.append([self.t("redaction"), self.t("redaction_value")])
        return sheet

    def round_status(self, n: int) -> str:
        decision = self.stored.decision(n)
        if decision is not None:
            return self.t("status_decided", id=decision.get("decision_id", ""))
        status = self.stored.rounds.get(n, {}).get("status")
        begun = {1: status in ("open", "closed"), 2: bool(self.stored.roster2), 3: bool(self.stored.roster3)}[n]
        return self.t("status_open" if begun or status in ("open", "confirming") else "status_not_started")

    def winners_status(self) -> str:
        if self.result is None:
            return self.t("winners_none")
        if self.announced:
            announced = self.result.get("announced_at") or self.result.get("embargo_until")
            return self.t("winners_announced", when=self.when(announced))
        return self.t("winners_embargoed", when=self.embargo_until())

    # -- registrations ------------------------------------------------------------------------------------------

    def stages(self) -> dict[str, str]:
        advanced = set((self.stored.decision(1) or {}).get("advancing", [])) | set(self.stored.roster2)
        finalists = set((self.stored.decision(2) or {}).get("advancing", [])) | set(self.stored.roster3)
        winners = {w.get("submission_id") for w in (self.result or {}).get("winners", [])} \
            if self.round3_visible else set()
        found = {}
        for sid in self.entries:
            stage = ("stage_winner" if sid in winners else "stage_final" if sid in finalists
                     else "stage_round2" if sid in advanced else "stage_round1")
            found[sid] = self.t(stage)
        return found

    def registrations(self) -> Sheet:
        columns = [self.column("h_entry"), self.column("h_municipality"), self.column("h_co_applicants"),
                   self.column("h_title"), self.column("h_category"), self.column("h_description", wrap=True),
                   self.column("h_language"), self.column("h_received", number_format=DATE_FORMAT),
                   self.column("h_provider"), self.column("h_stage")]
        if not self.public:
            columns += [self.column("h_contact_name"), self.column("h_contact_email"), self.column("h_contact_phone")]
        sheet = Sheet("registrations", self.t("sheet_registrations"), columns)
        stages = self.stages()
        for record in sorted(self.stored.submissions,
                             key=lambda s: (s.get("municipality", ""), s.get("title", ""), s.get("submission_id"))):
            sid = record.get("submission_id", "")
            row = [sid, record.get("municipality", ""), ", ".join(record.get("co_applicants") or []),
                   record.get("title", ""), self.category(record.get("category")),
                   self.redact(record.get("description")), record.get("language", ""),
                   local_time(record.get("received_at")), (record.get("source") or {}).get("provider", ""),
                   stages.get(sid, "")]
            if not self.public:
                contact = record.get("contact") or {}
                row += [contact.get("name") or "", contact.get("email") or "", contact.get("phone") or ""]
            sheet.rows.append(row)
        return sheet

    # -- round 1 ------------------------------------------------------------------------------------------------

    def round1(self) -> Sheet:
        sheet = Sheet("round1", self.t("sheet_round1"))
        decision = self.stored.decision(1)
        if decision is None:
            sheet.message = self.t("round1_not_decided")
            return sheet
        ranking = sorted(decision.get("ranking", []), key=lambda r: (r.get("rank", 0), r.get("submission_id", "")))
        top_n = len(decision.get("advancing", [])) or min((decision.get("rules") or {}).get("advance", 0),
                                                          len(ranking))
        sheet.columns = [self.column("h_rank"), self.column("h_entry"), self.column("h_title"),
                         self.column("h_municipality"), self.column("h_category"),
                         self.column("h_estimate", number_format="0.00"),
                         self.column("h_lower", number_format="0.00"), self.column("h_upper", number_format="0.00"),
                         self.column("h_p_top", number_format="0%", n=top_n),
                         self.column("h_n_ratings"), self.column("h_advances")]
        for row in ranking:
            entry = self.entry(row.get("submission_id", ""))
            sheet.rows.append([row.get("rank"), row.get("submission_id"), entry.get("title", ""),
                               entry.get("municipality", ""), self.category(entry.get("category")),
                               number(row.get("estimate")), number(row.get("lower")), number(row.get("upper")),
                               number(row.get("p_top")), row.get("n_ratings"), self.yes_no(bool(row.get("advances")))])
        sheet.charts.append(ChartSpec("line", self.t("chart_estimates"), category=1, series=(6, 7, 8),
                                      y_title=self.t("h_estimate"), x_title=self.t("h_rank")))
        return sheet

    def rating_rows(self) -> list[list[Any]]:
        order = {c.key: n for n, c in enumerate(self.edition.criteria(1))}
        labels = {c.key: c.label.get(self.language) for c in self.edition.criteria(1)}
        rows = []
        for score in self.stored.scores:
            if score.get("status") != "submitted":
                continue
            sid = score.get("submission_id", "")
            scorer = self.scorer_ids.get(score.get("scorer_id", ""), "")
            tops, tips = self.redact(score.get("tops")), self.redact(score.get("tips"))
            for criterion, value in (score.get("scores") or {}).items():
                rows.append(([self.entry(sid).get("title", ""), scorer, order.get(criterion, len(order)), criterion],
                             [scorer, sid, self.entry(sid).get("title", ""), labels.get(criterion, criterion), value,
                              tops, tips]))
        return [row for _, row in sorted(rows, key=lambda pair: pair[0])]

    def ratings(self) -> Sheet:
        sheet = Sheet("ratings", self.t("sheet_ratings"))
        rows = self.rating_rows()
        if not rows:
            sheet.message = self.t("ratings_none")
            return sheet
        sheet.columns = [self.column("h_scorer"), self.column("h_entry"), self.column("h_title"),
                         self.column("h_criterion"), self.column("h_score"), self.column("h_tops", wrap=True),
                         self.column("h_tips", wrap=True)]
        sheet.rows = rows
        return sheet

    # -- round 2 ------------------------------------------------------------------------------------------------

    def round2_cases(self) -> list[str]:
        decision = self.stored.decision(2) or {}
        return sorted(set(self.stored.roster2) | set((decision.get("inputs") or {}).get("categories", {})))

    def round2(self) -> Sheet:
        from gemeentedelers.assessment.rules import criteria_score

        sheet = Sheet("round2", self.t("sheet_round2"))
        cases = self.round2_cases()
        if not cases:
            sheet.message = self.t("round2_not_reached")
            return sheet
        criteria = self.edition.criteria(2)
        recommendations = {o.key: o.label.get(self.language) for o in self.edition.assessment_rules.recommendations}
        decision = self.stored.decision(2) or {}
        inputs = decision.get("inputs") or {}
        standings = {s.get("case"): s for c in ((decision.get("selection") or {}).get("categories") or {}).values()
                     for s in c.get("standings", [])}
        picked = {sid for ids in (decision.get("picks") or {}).values() for sid in ids}
        finalists = set(decision.get("advancing", []))
        sheet.columns = [
            self.column("h_entry"), self.column("h_title"), self.column("h_municipality"), self.column("h_category"),
            self.column("h_evidence"), self.column("h_team"), self.column("h_team_size"),
            *(Column(c.label.get(self.language)) for c in criteria),
            self.column("h_report_score", number_format="0.00"), self.column("h_recommendation"),
            self.column("h_summary", wrap=True), self.column("h_tops", wrap=True), self.column("h_tips", wrap=True),
            self.column("h_explanations", wrap=True), self.column("h_signed"), self.column("h_place"),
            self.column("h_assessor_score", number_format="0.00"), self.column("h_selection"),
            self.column("h_pick"), self.column("h_finalist"), self.column("h_votes", wrap=True),
        ]
        labels = {c.key: c.label.get(self.language) for c in criteria}
        rows = []
        for sid in cases:
            entry = self.entry(sid)
            category = (inputs.get("categories") or {}).get(sid) or entry.get("category")
            report = self.stored.reports.get(sid, {})
            members = list(self.stored.teams.get(sid, {}).get("members", []))
            scores = report.get("scores") or {}
            report_score = (inputs.get("report_scores") or {}).get(sid)
            if report_score is None and scores:
                try:
                    report_score = criteria_score(criteria, dict(scores))
                except ValueError:
                    report_score = None
            explanations = "\n".join(f"{labels.get(k, k)}: {self.redact(v)}"
                                     for k, v in (report.get("explanations") or {}).items() if v)
            evidence = self.stored.evidence.get(sid, {}).get("status")
            standing = standings.get(sid) or {}
            status = standing.get("status")
            votes = "; ".join(sorted(
                f"{self.person(a)}: {v.get('points')}/{v.get('out_of')}"
                + (f" ({self.t('place_word')} {v['place']})" if v.get("place") else "")
                for a, v in (standing.get("votes") or {}).items()))
            signed = [a for a in report.get("signed_off", []) if a in members]
            row = [sid, entry.get("title", ""), entry.get("municipality", ""), self.category(category),
                   self.t({"complete": "evidence_complete", "draft": "evidence_draft"}.get(evidence or "",
                                                                                          "evidence_none")),
                   ", ".join(sorted(self.person(m) for m in members)), len(members),
                   *(scores.get(c.key) for c in criteria), number(report_score, 2),
                   recommendations.get(report.get("recommendation", ""), report.get("recommendation", "")),
                   self.redact(report.get("summary")), self.redact("\n".join(report.get("tops") or [])),
                   self.redact("\n".join(report.get("tips") or [])), explanations,
                   f"{len(signed)}/{len(members)}" if report else "", standing.get("place"),
                   number(standing.get("score_float", standing.get("score")), 3),
                   self.t(f"selection_{status}") if status in ("finalist", "tied", "out") else "",
                   self.yes_no(sid in picked) if decision else "",
                   self.yes_no(sid in finalists) if decision else "", votes]
            rows.append(((self.category_order.get(category, 99), standing.get("place") or 999, entry.get("title", "")),
                         row))
        sheet.rows = [row for _, row in sorted(rows, key=lambda pair: pair[0])]
        return sheet

    # -- round 3 ------------------------------------------------------------------------------------------------

    def round3(self) -> Sheet:
        sheet = Sheet("round3", self.t("sheet_round3"))
        decision = self.stored.decision(3)
        if decision is None:
            running = len(self.stored.roster3)
            sheet.message = self.t("round3_running", n=running) if running else self.t("round3_not_decided")
            return sheet
        if not self.round3_visible:
            sheet.message = self.t("round3_embargo", when=self.embargo_until())
            return sheet
        sheet.columns = [self.column("h_kind"), self.column("h_subject"), self.column("h_place"),
                         self.column("h_entry"), self.column("h_title"), self.column("h_municipality"),
                         self.column("h_total"), self.column("h_winner"),
                         self.column("h_per_juror", wrap=True), self.column("h_chair_pref"),
                         self.column("h_notes", wrap=True)]
        categories = decision.get("categories") or {}
        for category in sorted(categories, key=lambda c: (self.category_order.get(c, 99), c)):
            sheet.rows += self.standing_rows(self.t("kind_category"), self.category(category), categories[category])
        prizes = {p.key: p.label.get(self.language) for p in self.edition.special_prizes}
        for key, made in sorted((decision.get("special_prizes") or {}).items()):
            sheet.rows += self.standing_rows(self.t("kind_prize"), prizes.get(key, key), made)
        for jid in decision.get("withdrawn_jurors", []):
            sheet.rows.append([self.t("kind_withdrawn"), self.person(jid), None, "", "", "", None, "", "", "",
                               self.t("withdrawn_note")])
        return sheet

    def standing_rows(self, kind: str, subject: str, made: Mapping[str, Any]) -> list[list[Any]]:
        notes: dict[str, list[str]] = {}
        for tie in made.get("tie_breaks", []):
            for sid in tie.get("entries", []):
                notes.setdefault(sid, []).append(note(tie.get("note", ""), self.language))
        rows = []
        for standing in made.get("standings", []):
            sid = standing.get("entry", "")
            entry = self.entry(sid)
            ranks = standing.get("ranks") or {}
            per_juror = "; ".join(sorted(
                f"{self.person(j)}: {short(number(v))}"
                + (f" ({self.t('place_word')} {ranks[j]})" if j in ranks else "")
                for j, v in (standing.get("contributions") or {}).items()))
            rows.append([kind, subject, standing.get("place"), sid, entry.get("title", ""),
                         entry.get("municipality", ""), number(standing.get("total_float", standing.get("total"))),
                         self.yes_no(sid == made.get("winner")), per_juror, number(standing.get("chair")),
                         "; ".join(n for n in notes.get(sid, []) if n)])
        if not rows and made.get("note"):
            rows.append([kind, subject, None, "", "", "", None, "", "", None, note(made["note"], self.language)])
        return rows

    # -- people -------------------------------------------------------------------------------------------------

    def people(self) -> Sheet:
        columns = [self.column("h_pseudonym"), self.column("h_role"), self.column("h_status")]
        if not self.public:
            columns += [self.column("h_name"), self.column("h_email"), self.column("h_organisation")]
        sheet = Sheet("people", self.t("sheet_people"), columns)
        rated: dict[str, int] = {}
        for score in self.stored.scores:
            if score.get("status") == "submitted":
                rated[score.get("scorer_id", "")] = rated.get(score.get("scorer_id", ""), 0) + 1
        cases: dict[str, int] = {}
        for team in self.stored.teams.values():
            for member in team.get("members", []):
                cases[member] = cases.get(member, 0) + 1
        scorers = {s.get("scorer_id"): s for s in self.stored.scorers}
        for pid, alias in self.scorer_ids.items():
            row = [alias, self.t("role_scorer", n=rated.get(pid, 0)), self.status(scorers.get(pid, {}).get("status"))]
            if not self.public:
                row += ["", "", ""]  # who a scorer is stays out of both workbooks
            sheet.rows.append(row)
        for group, ids, role in ((self.stored.assessors, self.assessor_ids, "assessor"),
                                 (self.stored.jurors, self.juror_ids, "juror")):
            found = {p.get(f"{role}_id"): p for p in group}
            for pid, alias in ids.items():
                person = found.get(pid, {})
                label = (self.t("role_assessor", n=cases.get(pid, 0)) if role == "assessor"
                         else self.t("role_chair" if person.get("is_chair") else "role_juror"))
                row = [alias, label, self.status(person.get("status"))]
                if not self.public:
                    row += [person.get("name", ""), person.get("email", ""), person.get("organisation", "")]
                sheet.rows.append(row)
        return sheet

    def status(self, value: str | None) -> str:
        key = f"person_status_{value}"
        return self.t(key) if key in TEXTS else (value or "")

    # -- decisions ----------------------------------------------------------------------------------------------

    def decisions(self) -> Sheet:
        sheet = Sheet("decisions", self.t("sheet_decisions"))
        found = sorted(self.stored.decisions, key=lambda d: (d.get("round", 0), str(d.get("decided_at") or ""),
                                                             d.get("decision_id", "")))
        if not found:
            sheet.message = self.t("decisions_none")
            return sheet
        sheet.columns = [self.column("h_decision"), self.column("h_round"),
                         self.column("h_decided_at", number_format=DATE_FORMAT), self.column("h_decided_by"),
                         self.column("h_method"), self.column("h_rule", wrap=True), self.column("h_outcome", wrap=True)]
        for decision in found:
            rule, outcome = self.explain(decision)
            method = decision.get("method") or (decision.get("rule") or {}).get("method", "")
            sheet.rows.append([decision.get("decision_id", ""), decision.get("round"),
                               local_time(decision.get("decided_at")), self.who(decision.get("decided_by")), method,
                               rule, outcome])
        return sheet

    # -- pictures and the trail ---------------------------------------------------------------------------------

    def funnel(self) -> Sheet:
        """Registered, in round 2, finalists, winners, with a bar chart."""
        sheet = Sheet("funnel", self.t("sheet_funnel"), [self.column("h_funnel_stage"), self.column("h_count")])
        finalists = self.stored.roster3 or list((self.stored.decision(2) or {}).get("advancing", []))
        winners = (self.result or {}).get("winners", []) if self.round3_visible else []
        sheet.rows = [[self.t("funnel_registered"), len(self.stored.submissions)],
                      [self.t("funnel_round2"), len(self.round2_cases())],
                      [self.t("funnel_finalists"), len(finalists)], [self.t("funnel_winners"), len(winners)]]
        sheet.charts.append(ChartSpec("bar", self.t("chart_funnel"), category=1, series=(2,),
                                      y_title=self.t("h_count")))
        return sheet

    def progress(self) -> Sheet:
        """Round 1's submitted ratings per day (Amsterdam) and in total, with a line chart."""
        sheet = Sheet("progress", self.t("sheet_progress"))
        days: dict[Any, int] = {}
        for score in self.stored.scores:
            moment = score.get("submitted_at")
            if score.get("status") == "submitted" and isinstance(moment, datetime):
                day = moment.astimezone(AMSTERDAM).date()
                days[day] = days.get(day, 0) + 1
        if not days:
            sheet.message = self.t("progress_none")
            return sheet
        sheet.columns = [self.column("h_day", number_format="yyyy-mm-dd"), self.column("h_submitted_that_day"),
                         self.column("h_submitted_total")]
        total = 0
        for day in sorted(days):
            total += days[day]
            sheet.rows.append([day, days[day], total])
        sheet.charts.append(ChartSpec("line", self.t("chart_progress"), category=1, series=(3,),
                                      y_title=self.t("h_submitted_total"), x_title=self.t("h_day")))
        return sheet

    def audit(self) -> Sheet:
        """Every audit entry, oldest first: who, what, on what, the values before and after (organisers only)."""
        import json

        sheet = Sheet("audit", self.t("sheet_audit"))
        if not self.stored.audit:
            sheet.message = self.t("audit_none")
            return sheet
        sheet.columns = [self.column("h_at", number_format="yyyy-mm-dd hh:mm:ss"), self.column("h_actor"),
                         self.column("h_action"), self.column("h_target"), self.column("h_before", wrap=True),
                         self.column("h_after", wrap=True)]

        def plain(value: Any) -> str:
            return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

        sheet.rows = [[local_time(e.get("at")), e.get("actor", ""), e.get("action", ""), e.get("target", ""),
                       plain(e.get("before")), plain(e.get("after"))] for e in self.stored.audit]
        return sheet

    def titles(self, ids: Iterable[str]) -> str:
        return ", ".join(self.entry(sid).get("title", sid) for sid in ids) or self.t("none")

    def explain(self, decision: Mapping[str, Any]) -> tuple[str, str]:
        """A decision's rule and outcome in a sentence each."""
        advancing, rest = decision.get("advancing", []), decision.get("not_advancing", [])
        match decision.get("round"):
            case 1:
                rules = decision.get("rules") or {}
                quotas = rules.get("category_quotas") or {}
                quota_text = self.t("rule_quotas", quotas=", ".join(f"{self.category(k)} {v}"
                                                                     for k, v in quotas.items())) if quotas else ""
                rule = self.t("rule_r1", method=decision.get("method", ""), ratings=decision.get("ratings_count", 0),
                              advance=rules.get("advance", len(advancing)), quotas=quota_text,
                              per_entry=rules.get("ratings_per_entry", ""), draws=decision.get("draws", ""),
                              seed=decision.get("seed", ""))
                return rule, self.t("outcome_r1", a=len(advancing), n=len(rest))
            case 2:
                rules = decision.get("rule") or {}
                picks = [sid for ids in (decision.get("picks") or {}).values() for sid in ids]
                withdrawn = ", ".join(self.person(a) for a in decision.get("withdrawn_assessors", [])) or self.t("none")
                rule = self.t("rule_r2", ballots=len((decision.get("inputs") or {}).get("ballots", {})),
                              method=rules.get("method", ""), per_category=rules.get("finalists_per_category", ""),
                              tie_break=rules.get("tie_break", ""), picks=self.titles(picks), withdrawn=withdrawn)
                return rule, self.t("outcome_r2", a=len(advancing), n=len(rest))
            case 3:
                rules = decision.get("rule") or {}
                withdrawn = ", ".join(self.person(j) for j in decision.get("withdrawn_jurors", [])) or self.t("none")
                rule = self.t("rule_r3", method=rules.get("method", decision.get("method", "")),
                              ballots=len(decision.get("ballots") or {}), tie_break=rules.get("tie_break", ""),
                              chair=self.person(decision.get("chair", "")), withdrawn=withdrawn)
                if not self.round3_visible:
                    return rule, self.t("outcome_embargo", when=self.embargo_until())
                prizes = {p.key: p.label.get(self.language) for p in self.edition.special_prizes}
                made = [(self.category(c), d) for c, d in (decision.get("categories") or {}).items()]
                made += [(prizes.get(k, k), d) for k, d in sorted((decision.get("special_prizes") or {}).items())]
                winners = [f"{self.entry(d['winner']).get('title', d['winner'])} ({subject})"
                           for subject, d in made if d.get("winner")]
                return rule, self.t("outcome_r3", winners="; ".join(winners) or self.t("none"))
        return "", ""


def build(stored: Stored, edition: Edition, *, public: bool, language: str = "nl",
          exported_at: datetime | None = None) -> list[Sheet]:
    """Every sheet of the organiser workbook (``public=False``) or of the public dossier."""
    return Export(stored, edition, public=public, language=language, exported_at=exported_at).sheets()
