"""Rendering mails from Jinja2 templates, one file per kind and language, with a subject and a body block; the HTML
part is made from the rendered text (``notify.mail_html``), so both parts come from the same template."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from gemeentedelers.notify.mailer import Mail
from gemeentedelers.web.i18n import format_day, format_moment, format_number, language_or_default, local_input, plural

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
"""Control characters and line separators: a CR/LF in a header value would end the header (or add one)."""


def header_safe(value: str) -> str:
    """``value`` fit for a mail header: control characters and line breaks become one space."""
    return " ".join(_HEADER_UNSAFE.sub(" ", value).split())
"""Two or more blank lines: templates' optional paragraphs leave them; a mail shows at most one."""


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gemeentedelers", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # plain-text mail
    )
    env.filters["date"] = format_day  # with the weekday, in Amsterdam
    env.filters["moment"] = format_moment
    env.filters["local_input"] = local_input
    env.filters["number"] = format_number  # {{ 0.5 | number("nl") }}: "0,5"
    env.filters["plural"] = plural  # {{ n | plural("inzending", "inzendingen", "nl") }}
    return env


def render(kind: str, to: str | None, language: str, **context: Any) -> Mail:
    """The mail of ``kind`` (``templates/mail/<kind>.<language>.txt``) for ``to`` (``None``: a person whose
    address was erased on request; ``ledger.deliver_once`` sends such a mail to nobody)."""
    language = language_or_default(language)
    template = environment().get_template(f"mail/{kind}.{language}.txt")
    ctx = template.new_context({**context, "language": language})
    subject = header_safe("".join(template.blocks["subject"](ctx)))
    body = _BLANK_LINES.sub("\n\n", "".join(template.blocks["body"](ctx))).strip() + "\n"
    from gemeentedelers.notify.mail_html import render_html

    return Mail(to=header_safe(to) if to else "", subject=subject, text=body, language=language,
                html=render_html(body, subject, language))
