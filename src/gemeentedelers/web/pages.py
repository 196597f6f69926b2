"""HTML pages people use: Jinja2 templates with autoescaping, Dutch by default, English on request.

Texts live in one catalogue (``messages``), so a page template exists once for both languages and a missing
translation is a test failure, not a blank on the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Request, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from gemeentedelers.web.i18n import (
    format_day,
    format_moment,
    format_number,
    format_text,
    language_or_default,
    local_input,
    plural,
)
from gemeentedelers.web.messages import MESSAGES

SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gemeentedelers", "templates/pages"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_day  # with the weekday, in Amsterdam
    env.filters["moment"] = format_moment
    env.filters["local_input"] = local_input
    env.filters["number"] = format_number  # {{ 0.5 | number(language) }}: "0,5"
    env.filters["plural"] = plural  # {{ n | plural("inzending", "inzendingen", language) }}
    return env


def translate(language: str, key: str, **values: Any) -> str:
    language = language_or_default(language)
    text = MESSAGES[key][language]
    return format_text(text, language, **values) if values else text


def language_of(request: Request, default: str = "nl") -> str:
    """``?lang=en`` wins, then the ``gd_lang`` cookie, then ``default`` (the person's own language)."""
    return language_or_default(request.args.get("lang") or request.cookies.get("gd_lang") or default)


def render(template: str, language: str, status: int = 200, **context: Any) -> Response:
    page = environment().get_template(template)
    html = page.render(t=lambda key, **v: translate(language, key, **v), language=language, **context)
    response = Response(html, status=status, mimetype="text/html")
    response.headers.update(SECURITY_HEADERS)
    return response


def sent_back(request: Request, problem: object) -> dict[str, str]:
    """What a refused POST sent, to put back in its fields (a CSV import is not typed twice); nothing otherwise."""
    return dict(request.form) if problem and request.method == "POST" else {}


def redirect(location: str) -> Response:
    response = Response(status=303, headers={"Location": location})
    response.headers.update(SECURITY_HEADERS)
    return response


def message(request: Request, status: int, title_key: str, text_key: str, language: str = "nl") -> Response:
    """A page with one message (a title and a text from the catalogue), in the reader's language."""
    lang = language_of(request, language)
    return render("message.html", lang, status=status, title=translate(lang, title_key), text=translate(lang, text_key))


def not_found(request: Request) -> Response:
    """The page for an address that does not exist: a title, the language, and a way on."""
    language = language_of(request)
    return render("message.html", language, status=404, title=translate(language, "not_found_title"),
                  text=translate(language, "not_found_text"))
