"""The HTML part of a mail, made from its rendered text, so both parts come from the one template and say the same.

Paragraphs are the text's blank-line blocks; a block of ``- `` lines is a list; addresses (``http(s)://``) become
links. Everything else is escaped: a name or title cannot add markup.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")


def _inline(line: str) -> Markup:
    """One line, escaped, with its web addresses as links."""
    out, last = [], 0
    for found in _URL.finditer(line):
        out.append(escape(line[last:found.start()]))
        url = found.group(0)
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = found.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


def blocks(text: str) -> list[Markup]:
    """The text's blocks as HTML: ``<p>`` (lines kept with ``<br>``) or ``<ul>`` for ``- `` items."""
    html: list[Markup] = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        items = [line for line in lines if line.lstrip().startswith("- ")]
        if items and len(items) == len(lines):
            html.append(Markup("<ul>{}</ul>").format(
                Markup("").join(Markup("<li>{}</li>").format(_inline(i.lstrip()[2:])) for i in items)))
        elif items and not lines[0].lstrip().startswith("- ") and len(items) == len(lines) - 1:
            html.append(Markup("<p>{}</p>").format(_inline(lines[0])))  # a heading line, then its list
            html.append(Markup("<ul>{}</ul>").format(
                Markup("").join(Markup("<li>{}</li>").format(_inline(i.lstrip()[2:])) for i in items)))
        else:
            html.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(_inline(line) for line in lines)))
    return html


def render_html(text: str, subject: str, language: str) -> str:
    """The whole HTML document of a mail: its language, its subject as title, the text's blocks."""
    from gemeentedelers.notify.templates import environment

    return environment().get_template("mail/layout.html").render(
        language=language, subject=subject, blocks=blocks(text))
