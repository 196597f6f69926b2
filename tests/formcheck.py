"""The one accessible form pattern, checked on a page's HTML: the refused field is marked invalid, its message is
tied to it by aria-describedby, the summary takes the focus and links to it, and what was typed is still there.

Used by the integration tests (on the HTML an HTTP answer carries) and the browser tests (on the page source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All text inside, as a reader hears it (whitespace collapsed)."""
        parts = [*self.text_parts]
        for child in self.children:
            parts.append(child.text)
        return " ".join(" ".join(parts).split())

    @property
    def raw_text(self) -> str:
        """The text exactly as written (a textarea's value)."""
        return "".join(self.text_parts)

    def walk(self) -> list[Element]:
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.open = node.parent

    def handle_data(self, data: str) -> None:
        self.open.text_parts.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def by_id(page: Element, element_id: str) -> Element:
    found = [e for e in page.walk() if e.attrs.get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id={element_id!r}"
    return found[0]


def value_of(control: Element) -> str:
    """What a form control holds: an input's value, a textarea's text, a select's selected option."""
    if control.tag == "textarea":
        return control.raw_text.removeprefix("\n")
    if control.tag == "select":
        chosen = [o for o in control.walk() if o.tag == "option" and "selected" in o.attrs]
        return chosen[0].attrs.get("value", "") if chosen else ""
    return control.attrs.get("value", "")


def assert_field_refused(html: str, element_id: str, *, typed: str | None = None, says: str | None = None) -> str:
    """The page refuses the field ``element_id`` in the accessible way; returns the field's message."""
    page = parse(html)
    title = next(e for e in page.walk() if e.tag == "title").text
    assert title.startswith(("Fout:", "Error:")), f"the title does not start with the error prefix: {title!r}"
    control = by_id(page, element_id)
    assert control.attrs.get("aria-invalid") == "true", f"#{element_id} is not aria-invalid: {control.attrs}"
    described = control.attrs.get("aria-describedby", "").split()
    messages = [by_id(page, ref) for ref in described if ref.endswith("-error")]
    assert messages, f"#{element_id} has no message tied by aria-describedby ({described})"
    message = messages[0].text
    assert message, f"#{element_id}'s message is empty"
    if says is not None:
        assert says in message, f"#{element_id}'s message {message!r} does not say {says!r}"
    if control.tag == "fieldset":  # a group of choices is named by its legend
        assert [e for e in control.children if e.tag == "legend" and e.text], f"#{element_id} has no legend"
    else:
        labels = [e for e in page.walk() if e.tag == "label" and e.attrs.get("for") == element_id]
        assert len(labels) == 1, f"#{element_id} has {len(labels)} labels"
    summary = by_id(page, "errors")
    assert summary.attrs.get("tabindex") == "-1" and "autofocus" in summary.attrs, "the summary does not take focus"
    assert summary.attrs.get("role") == "alert"
    links = [a for a in summary.walk() if a.tag == "a" and a.attrs.get("href") == f"#{element_id}"]
    assert links and message in links[0].text, f"the summary has no link to #{element_id} with its message"
    autofocused = [e for e in page.walk() if "autofocus" in e.attrs]
    assert autofocused == [summary], "something else than the summary also asks for the focus"
    if typed is not None:
        assert value_of(control) == typed, f"#{element_id} holds {value_of(control)!r}, not what was typed"
    return message


def assert_no_field_refused(html: str) -> None:
    """Nothing on the page is marked invalid and there is no field summary (a state refusal, or no refusal)."""
    page = parse(html)
    assert not [e for e in page.walk() if e.attrs.get("aria-invalid") == "true"], "a field is marked invalid"
    assert not [e for e in page.walk() if e.attrs.get("id") == "errors"], "there is a field summary"
