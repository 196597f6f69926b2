"""The organisers' editions page: copy last year's edition, edit its dates, categories, round-1 criteria and
rules in a Dutch form, see the diff against the base, publish and activate, without a developer.

Served by the scoring function (``/organiser/editions``), in the organisers' console: every organiser reads it,
a coordinator (``manage``) previews, publishes and activates, named as the one who did. The
form's field names are the spec's paths (``categories[2].label.nl``), so a refusal
of the spec (``editions.spec``) lands next to the field it names; nothing is stored until the organiser
publishes a spec that passed. Everything the form does not show is carried over from the base unchanged.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Request, Response

from gemeentedelers.editions import from_spec, versions
from gemeentedelers.editions.spec import MILESTONES, OPTIONAL_MILESTONES, SpecInvalid, canonical_json
from gemeentedelers.editions.specs import load_shipped, shipped_keys
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.i18n import AMSTERDAM
from gemeentedelers.web.pages import language_of, render, translate
from gemeentedelers.web.sessions import Organiser, csrf, organiser_required

HOME = "/organiser/editions"
CATEGORY_FIELDS = ("key", "label.nl", "label.en", "description.nl")
CRITERION_FIELDS = ("key", "label.nl", "label.en", "description.nl", "weight", "scale_min", "scale_max")
EXTRA_ROWS = 1


# --- the base and the form ---------------------------------------------------------------------------------------


def base_spec(key: str) -> tuple[dict[str, Any], str]:
    """The spec to copy: the latest published version of ``key``, else its shipped spec; and how to name it."""
    try:
        record = versions.version_record(db(), key)
    except versions.UnknownVersion:
        if key not in shipped_keys():
            raise
        return load_shipped(key), key
    return versions.spec_of(record), f"{key} versie {record['version']}"


def _local(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def form_values(spec: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields, by spec path, filled from ``spec``."""
    values = {"key": spec["key"], "title.nl": spec["title"]["nl"], "title.en": spec["title"]["en"],
              "year": str(spec["year"]),
              "round1_rules.advance": str(spec["round1_rules"]["advance"]),
              "round1_rules.ratings_per_entry": str(spec["round1_rules"]["ratings_per_entry"]),
              "finalist_rule.finalists_per_category": str(spec["finalist_rule"]["finalists_per_category"]),
              "jury_rule.method": spec["jury_rule"]["method"],
              "jury_rule.points": ", ".join(str(p) for p in spec["jury_rule"]["points"])}
    values |= {f"timeline.{m}": _local(spec["timeline"][m]) for m in MILESTONES if spec["timeline"].get(m)}
    for n, category in enumerate(spec["categories"]):
        values |= {f"categories[{n}].{f}": str(_get(category, f)) for f in CATEGORY_FIELDS}
    for n, criterion in enumerate(spec["criteria"]["round1"]):
        values |= {f"criteria.round1[{n}].{f}": f"{_get(criterion, f):g}" if f == "weight" else str(_get(criterion, f))
                   for f in CRITERION_FIELDS}
    return values


def _get(record: Mapping[str, Any], path: str) -> Any:
    for part in path.split("."):
        record = record[part]
    return record


def _number(raw: str, kind: type) -> Any:
    """A number from a form field; text that is none stays text, so the schema names the field."""
    try:
        return kind(raw.strip().replace(",", ".")) if kind is float else kind(raw.strip())
    except ValueError:
        return raw


def _rows(form: Mapping[str, str], prefix: str, fields: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The filled rows of a repeated group, with their row number on the form (empty rows are left out)."""
    numbers = sorted({int(m.group(1)) for k in form if (m := re.fullmatch(rf"{re.escape(prefix)}\[(\d+)\]\..+", k))})
    found = []
    for n in numbers:
        row = {f: form.get(f"{prefix}[{n}].{f}", "").strip() for f in fields}
        if any(row.values()):
            found.append((n, row))
    return found


def spec_from_form(base: Mapping[str, Any], form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The base with the form's values, and how the spec's list positions map back to the form's rows."""
    spec = copy.deepcopy(dict(base))
    spec["key"] = form.get("key", "").strip()
    spec["title"] = {"nl": form.get("title.nl", "").strip(), "en": form.get("title.en", "").strip()}
    spec["year"] = _number(form.get("year", ""), int)
    spec["timeline"] = {m: form.get(f"timeline.{m}", "").strip() for m in MILESTONES
                        if m not in OPTIONAL_MILESTONES or form.get(f"timeline.{m}", "").strip()}
    renumbered: dict[str, str] = {}
    categories = []
    for n, row in _rows(form, "categories", CATEGORY_FIELDS):
        earlier = base["categories"][n] if n < len(base["categories"]) else {}
        renumbered[f"categories[{len(categories)}]"] = f"categories[{n}]"
        categories.append({"key": row["key"], "label": {"nl": row["label.nl"], "en": row["label.en"]},
                           "description": {"nl": row["description.nl"],
                                           "en": (earlier.get("description") or {}).get("en", "")}})
    spec["categories"] = categories
    criteria = []
    for n, row in _rows(form, "criteria.round1", CRITERION_FIELDS):
        earlier = base["criteria"]["round1"][n] if n < len(base["criteria"]["round1"]) else {}
        renumbered[f"criteria.round1[{len(criteria)}]"] = f"criteria.round1[{n}]"
        criteria.append({**earlier, "key": row["key"], "label": {"nl": row["label.nl"], "en": row["label.en"]},
                         "description": {"nl": row["description.nl"],
                                         "en": (earlier.get("description") or {}).get("en", "")},
                         "weight": _number(row["weight"], float), "scale_min": _number(row["scale_min"], int),
                         "scale_max": _number(row["scale_max"], int)})
    spec["criteria"] = {**spec["criteria"], "round1": criteria}
    spec["round1_rules"] = {**spec["round1_rules"], "advance": _number(form.get("round1_rules.advance", ""), int),
                            "ratings_per_entry": _number(form.get("round1_rules.ratings_per_entry", ""), int)}
    spec["finalist_rule"] = {**spec["finalist_rule"], "finalists_per_category": _number(
        form.get("finalist_rule.finalists_per_category", ""), int)}
    method = form.get("jury_rule.method", "borda")
    points = [_number(p, int) for p in form.get("jury_rule.points", "").replace(";", ",").split(",") if p.strip()]
    spec["jury_rule"] = {**spec["jury_rule"], "method": method, "points": points if method == "points" else []}
    return spec, renumbered


def _form_path(path: str, renumbered: Mapping[str, str]) -> str:
    for spec_row, form_row in renumbered.items():
        if path == spec_row or path.startswith(spec_row + "."):
            return form_row + path[len(spec_row):]
    return path


# --- the pages ---------------------------------------------------------------------------------------------------


def _overview(language: str) -> dict[str, Any]:
    from gemeentedelers.editions.active import NoActiveEdition, read_active

    try:
        current = read_active(db()).edition
        active = translate(language, "ed_active", edition=current.key, version=current.version)
    except NoActiveEdition:
        active = translate(language, "ed_none_active")
    published = []
    for key in sorted({d.id for d in db().collection("editions").list_documents()} | set(shipped_keys())):
        found = versions.listing(db(), key)
        if found:
            published.append(translate(language, "ed_versions", edition=key, n=len(found), latest=found[-1]["version"]))
    bases = sorted({*shipped_keys(), *(d.id for d in db().collection("editions").list_documents())})
    return {"active": active, "published": published, "bases": bases}


def _form(request: Request, organiser: Organiser, base_key: str, values: Mapping[str, str],
          errors: Mapping[str, list[str]], status: int = 200, general: list[str] | None = None) -> Response:
    language = language_of(request)
    _, base_name = base_spec(base_key)
    categories = 1 + max([int(m.group(1)) for k in values if (m := re.match(r"categories\[(\d+)\]", k))] or [-1])
    criteria = 1 + max([int(m.group(1)) for k in values if (m := re.match(r"criteria\.round1\[(\d+)\]", k))] or [-1])
    return render("editions_form.html", language, status=status, csrf=csrf(organiser.holder), base_key=base_key,
                  base_name=base_name, values=values, errors=errors, general=general or [],
                  milestones=MILESTONES, categories=range(categories + EXTRA_ROWS),
                  criteria=range(criteria + EXTRA_ROWS), category_fields=CATEGORY_FIELDS,
                  criterion_fields=CRITERION_FIELDS, jury_methods=("borda", "points", "mean_score"),
                  **_overview(language))


@organiser_required("read")
def overview(request: Request, organiser: Organiser) -> Response:
    language = language_of(request)
    base_key = request.args.get("from", "").strip()
    if base_key:
        try:
            base, _ = base_spec(base_key)
        except versions.UnknownVersion:
            return render("message.html", language, status=404, title=translate(language, "error_title"),
                          text=translate(language, "ed_unknown_base"))
        return _form(request, organiser, base_key, form_values(base), {})
    return render("editions.html", language, csrf=csrf(organiser.holder), notice=None, problem=None, published_as=None,
                  **_overview(language))


@organiser_required("manage")
def preview(request: Request, organiser: Organiser) -> Response:
    """Validate the form as a spec; the form again with every bad field marked, or the diff to publish."""
    from gemeentedelers.editions.diff import diff_editions
    from gemeentedelers.editions.diff import render as render_diff

    language = language_of(request)
    base_key = request.form.get("base", "")
    try:
        base, base_name = base_spec(base_key)
    except versions.UnknownVersion:
        return render("message.html", language, status=404, title=translate(language, "error_title"),
                      text=translate(language, "ed_unknown_base"))
    values = {k: v for k, v in request.form.items() if k not in ("csrf", "base")}
    spec, renumbered = spec_from_form(base, request.form)
    try:
        checked, edition = versions.prepare(db(), spec)
    except SpecInvalid as refused:
        errors: dict[str, list[str]] = {}
        for problem in refused.problems:
            errors.setdefault(_form_path(problem.path, renumbered), []).append(problem.text(language))
        shown = set(values)
        general = [f"{path or '(editie)'}: {'; '.join(msgs)}" for path, msgs in errors.items() if path not in shown]
        return _form(request, organiser, base_key, values, errors, status=422, general=general)
    lines = render_diff(diff_editions(from_spec(base), edition), language)
    return render("editions_preview.html", language, csrf=csrf(organiser.holder), base_name=base_name, lines=lines,
                  spec_json=canonical_json(checked), base_key=base_key)


@organiser_required("manage")
def publish(request: Request, organiser: Organiser) -> Response:
    language = language_of(request)
    try:
        document = json.loads(request.form.get("spec", ""))
        published = versions.publish(db(), document, by=organiser.actor)
    except (ValueError, SpecInvalid) as problem:
        text = "; ".join(str(p) for p in problem.problems) if isinstance(problem, SpecInvalid) else str(problem)
        return render("editions.html", language, status=422, csrf=csrf(organiser.holder), notice=None,
                      problem=translate(language, "ed_errors") + " " + text, published_as=None,
                      **_overview(language))
    key = "ed_published" if published.created else "ed_identical"
    notice = translate(language, key, edition=published.key, version=published.version, hash=published.hash[:19])
    return render("editions.html", language, csrf=csrf(organiser.holder), notice=notice, problem=None,
                  published_as=published, **_overview(language))


@organiser_required("manage")
def activate(request: Request, organiser: Organiser) -> Response:
    from gemeentedelers.editions import active, safety

    language = language_of(request)
    key, version = request.form.get("key", ""), request.form.get("version", "")
    force = request.form.get("force") == "yes"
    reason = request.form.get("reason", "").strip() or None
    problem = notice = None
    published_as = None
    if force and not reason:
        problem = translate(language, "ed_reason_missing")
    else:
        try:
            done = active.activate(db(), key, version=int(version) if version.isdigit() else None, force=force,
                                   reason=reason, by=organiser.actor)
            notice = translate(language, "ed_activated", edition=key, version=done.edition.version)
        except (safety.ActivationRefused, versions.UnknownVersion, LookupError, ValueError) as refused:
            problem = translate(language, "ed_refused", reason=str(refused))
    if problem:
        published_as = versions.Published(key, int(version) if version.isdigit() else 0, "", created=False)
    return render("editions.html", language, status=409 if problem else 200, csrf=csrf(organiser.holder), notice=notice,
                  problem=problem, published_as=published_as, **_overview(language))


ROUTES = {
    HOME: overview,
    f"{HOME}/preview": preview,
    f"{HOME}/publish": publish,
    f"{HOME}/activate": activate,
}
