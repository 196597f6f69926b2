"""The databank's public pages and open data, on the intake function's public host: per edition a JSON and a CSV
feed (``docs/databank.schema.json``) and a page per entry, only once the edition is published."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.databank import feed, publish, withdraw
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.app import error, json_response
from gemeentedelers.web.pages import language_of, message, render


def _edition(key: str) -> object | None:
    from gemeentedelers.editions import get_edition

    if not key.isidentifier() or len(key) > 40:
        return None
    try:
        return get_edition(key)
    except (LookupError, ValueError):
        return None


def _published(edition: str) -> dict[str, object] | None:
    found = _edition(edition)
    return publish.feed_of(db(), found) if found is not None else None  # type: ignore[arg-type]


def _not_published(edition: str) -> Response:
    return error(404, "not_published", f"the databank has no published edition {edition[:40]!r}")


def feed_json(request: Request, edition: str) -> Response:
    published = _published(edition)
    if published is None:
        return _not_published(edition)
    response = json_response(200, published)
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data
    return response


def feed_csv(request: Request, edition: str) -> Response:
    published = _published(edition)
    if published is None:
        return _not_published(edition)
    response = Response(feed.csv_text(published), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="databank-{edition}.csv"'
    return response


def entry_page(request: Request, edition: str, entry: str) -> Response:
    language = language_of(request)
    if not entry.startswith("sub-") or "/" in entry or len(entry) > 40:
        return message(request, 404, "error_title", "databank_no_entry")
    found = layout_entry(edition, entry)
    if found is None:
        if withdraw.withdrawn(db(), edition, entry):
            return message(request, 410, "databank_withdrawn_title", "databank_withdrawn")
        return message(request, 404, "error_title", "databank_no_entry")
    return render("databank_entry.html", language, entry=found, others=publish.same_municipality(db(), found))


def layout_entry(edition: str, entry: str) -> dict[str, object] | None:
    from gemeentedelers.platform import layout

    return layout.databank(db()).document(f"{edition}-{entry}").get().to_dict()


ROUTES = {
    "/databank/<edition>.json": feed_json,
    "/databank/<edition>.csv": feed_csv,
    "/databank/<edition>/<entry>": entry_page,
}
