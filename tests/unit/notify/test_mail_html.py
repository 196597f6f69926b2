"""The HTML part of a mail is the text part as HTML: same words, escaped, links clickable, lists as lists."""

from __future__ import annotations

from html.parser import HTMLParser

from gemeentedelers.notify.mail_html import render_html
from gemeentedelers.notify.templates import render


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.links: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip = tag == "title"
        if tag == "a":
            self.links.append(dict(attrs)["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.extend(data.split())


def test_the_html_says_what_the_text_says() -> None:
    text = ("Beste Noor <script>,\n\nUw link:\nhttps://x.example.org/team/login?token=a.b-c.\n\n"
            "Tops:\n- Sterk & helder\n- Goed\n\nGroet,\nVNG\n")
    html = render_html(text, "Onderwerp", "nl")
    parsed = _Text()
    parsed.feed(html)
    assert "".join(parsed.words) == "GemeenteDelers·VNG" + "".join(text.replace("- ", "").split())
    assert parsed.links == ["https://x.example.org/team/login?token=a.b-c"]  # the full stop is not the address's
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<html lang="nl">' in html and "<title>Onderwerp</title>" in html
    assert "<ul><li>Sterk &amp; helder</li><li>Goed</li></ul>" in html


def test_every_rendered_mail_has_its_html_part() -> None:
    mail = render("organiser_link", "kim@example.org", "en", name="Kim", link="https://s.example.org/l?token=x",
                  role="coordinator")
    assert mail.html and '<html lang="en">' in mail.html and 'href="https://s.example.org/l?token=x"' in mail.html
