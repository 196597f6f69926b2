"""Rendering mails from Jinja2 templates, one file per kind and language, with a subject and a body block."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from gemeentedelers.notify.mailer import Mail
from gemeentedelers.web.i18n import format_date, language_or_default

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
    env.filters["date"] = format_date
    return env


def render(kind: str, to: str | None, language: str, **context: Any) -> Mail:
    """The mail of ``kind`` (``templates/mail/<kind>.<language>.txt``) for ``to`` (``None``: a person whose
    address was erased on request; ``ledger.deliver_once`` sends such a mail to nobody)."""
    language = language_or_default(language)
    template = environment().get_template(f"mail/{kind}.{language}.txt")
    ctx = template.new_context({**context, "language": language})
    subject = header_safe("".join(template.blocks["subject"](ctx)))
    body = _BLANK_LINES.sub("\n\n", "".join(template.blocks["body"](ctx))).strip() + "\n"
    return Mail(to=header_safe(to) if to else "", subject=subject, text=body, language=language)
