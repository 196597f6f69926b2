"""HTML pages people use: Jinja2 templates with autoescaping, Dutch by default, English on request.

Texts live in one catalogue (``messages``), so a page template exists once for both languages and a missing
translation is a test failure, not a blank on the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Request, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

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
    env.filters["lang_of"] = lang_of
    env.globals["field_id"] = field_id
    env.globals["kept"] = kept
    env.globals["error_of"] = error_of
    env.globals["kept_all"] = kept_all
    return env


def field_id(name: str, item: object = None) -> str:
    """The element id of a form field, ``name`` or ``name-item`` when a page repeats the form per item (a case,
    a draft): the one spelling the handler that refuses a field and the template that shows it both use."""
    return f"{name}-{item}" if item not in (None, "") else name


@pass_context
def kept(context: Context, name: str, default: str = "") -> str:
    """What a refused form sent for ``name`` (the page's ``sent``), so nothing typed is wiped; else ``default``."""
    sent = context.get("sent") or {}
    value = sent.get(name) if isinstance(sent, dict) else None
    return default if value is None else str(value)


def lang_of(item: Any, page_language: str) -> Markup:
    """`` lang="nl"`` for a part written in another language than the page (an entry's title and description on
    an English page; WCAG 3.1.2), else nothing. An entry is in its registration's language, Dutch when unsaid."""
    written = (item.get("language") if isinstance(item, dict) else getattr(item, "language", None)) or "nl"
    written = language_or_default(str(written))
    return Markup(f' lang="{written}"') if written != page_language else Markup("")


def translate(language: str, key: str, **values: Any) -> str:
    language = language_or_default(language)
    text = MESSAGES[key][language]
    return format_text(text, language, **values) if values else text


def language_of(request: Request, default: str = "nl") -> str:
    """``?lang=en`` wins, then the ``gd_lang`` cookie, then ``default`` (the person's own language)."""
    return language_or_default(request.args.get("lang") or request.cookies.get("gd_lang") or default)


def layout() -> dict[str, Any]:
    """What the shared layout (``base.html``) shows on every page: the stylesheets and the footer's contact."""
    from email.utils import parseaddr

    from gemeentedelers.platform import settings
    from gemeentedelers.web.static import stylesheets

    try:
        reply_to = settings.current().mail_reply_to
    except settings.UnsafeEnvironment:  # rendered outside a function (a unit test, a tool): the shipped default
        reply_to = settings.Settings.__dataclass_fields__["mail_reply_to"].default
    return {"stylesheets": stylesheets(), "contact": parseaddr(reply_to)[1]}


def render(template: str, language: str, status: int = 200, **context: Any) -> Response:
    page = environment().get_template(template)
    html = page.render(t=lambda key, **v: translate(language, key, **v), language=language, layout=layout(),
                       **context)
    response = Response(html, status=status, mimetype="text/html")
    response.headers.update(SECURITY_HEADERS)
    return response


@pass_context
def kept_all(context: Context, name: str) -> list[str]:
    """Every value a refused form sent for ``name`` (checkboxes of one name), from the page's ``sent_lists``."""
    sent = context.get("sent_lists") or {}
    return [str(v) for v in sent.get(name, [])] if isinstance(sent, dict) else []


@pass_context
def error_of(context: Context, element_id: str) -> str | None:
    """The message of the page's ``errors`` for the field ``element_id``, if it was refused."""
    errors = context.get("errors") or {}
    return errors.get(element_id) if isinstance(errors, dict) else None


def sent_back(request: Request, problem: object) -> dict[str, str]:
    """What a refused form sent (a POST's form, a GET filter's query), to put back in its fields (a CSV import is
    not typed twice); nothing otherwise."""
    if not problem:
        return {}
    return dict(request.form) if request.method == "POST" else dict(request.args)


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
