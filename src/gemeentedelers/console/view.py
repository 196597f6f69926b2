"""Rendering an organiser page inside the console: the navigation, who is signed in, the sign-out form."""

from __future__ import annotations

from typing import Any

from flask import Request, Response

from gemeentedelers.console import navigation
from gemeentedelers.web.pages import language_of, render, sent_back
from gemeentedelers.web.sessions import Organiser, csrf, flashed


def page(template: str, request: Request, organiser: Organiser, *, here: str, current: str, status: int = 200,
         notice: str | None = None, **context: Any) -> Response:
    """``template`` (which extends ``organiser_base.html``) for ``organiser`` on ``here``'s host."""
    language = language_of(request)
    context.setdefault("errors", {})  # element id -> message, for forms.field_summary and the fields
    context.setdefault("sent", sent_back(request, context.get("problem") or context["errors"]))  # kept input
    context.setdefault("sent_lists", request.form.to_dict(flat=False) if context["errors"] else {})
    return render(template, language, status=status, nav=navigation.items(here, current, organiser, language),
                  me=organiser, csrf=csrf(organiser.holder), notice=notice or flashed(request),
                  can_run=organiser.may("run"), can_manage=organiser.may("manage"), **context)


def confirmation(request: Request, organiser: Organiser, *, here: str, current: str, title: str,
                 consequences: list[str], warnings: list[str], button: str, cancel: str) -> Response:
    """The step before an irreversible action: what will happen, what is missing; the form repeats the request's
    own fields with ``confirmed=yes``, so confirming does exactly what was asked."""
    fields = [(name, request.form.getlist(name)) for name in request.form if name not in ("csrf", "confirmed")]
    return page("organiser_confirm.html", request, organiser, here=here, current=current, title=title,
                consequences=consequences, warnings=warnings, action=request.path, fields=fields, button=button,
                cancel=cancel, problem=None)
