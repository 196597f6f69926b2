"""The page behind a reminder's ``List-Unsubscribe`` address (notify's HTTP function, ``/unsubscribe``).

``POST`` records the opt-out: a mail program's one-click request (body ``List-Unsubscribe=One-Click``) or the
page's own button. ``GET`` only asks, so a link scanner that opens every address in a mail changes nothing.
"""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.notify import optouts
from gemeentedelers.platform.firestore import db
from gemeentedelers.web import links
from gemeentedelers.web.pages import language_of, render


def unsubscribe(request: Request) -> Response:
    language = language_of(request)
    value = request.args.get("token", "")
    try:
        edition, role, person_id = optouts.read(value)
    except links.BadLink:
        return render("message.html", language, status=400, title=_t(language, "optout_title"),
                      text=_t(language, "optout_bad_link"))
    if request.method == "POST":
        one_click = request.form.get("List-Unsubscribe") == "One-Click"
        optouts.record(db(), edition, role, person_id, "one-click" if one_click else "page")
        return render("message.html", language, title=_t(language, "optout_title"), text=_t(language, "optout_done"))
    return render("optout.html", language, token=value)


def _t(language: str, key: str) -> str:
    from gemeentedelers.web.pages import translate

    return translate(language, key)
