"""Why a person's request was refused, in words they can read: Dutch by default, English on request.

Core modules raise a ``Refusal`` (or a subclass) with a key of the page catalogue and its values, instead of
an English sentence; pages show ``explain(problem, language)``, while ``str()`` stays English for the CLI and
the logs. ``tests/unit/test_refusals.py`` checks that every key raised anywhere exists in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from gemeentedelers.plugins.api import Text
from gemeentedelers.web.i18n import format_text, language_or_default


@runtime_checkable
class Readable(Protocol):
    """A value of a refusal that reads differently per language: another refusal, a field problem, a status."""

    def text(self, language: str) -> str: ...


def read(value: Any, language: str) -> Any:
    """A refusal's value as the reader sees it: labels (``Text``) and readables in ``language``; a list of
    readables joined by semicolons, of anything else by commas; other values as they are."""
    if isinstance(value, Text):
        return value.get(language)
    if isinstance(value, Readable):
        return value.text(language)
    if isinstance(value, list | tuple):
        parts = [read(v, language) for v in value]
        return "; ".join(parts) if all(isinstance(v, Readable) for v in value) else ", ".join(map(str, parts))
    return value


class Refusal(ValueError):
    """A refusal with a catalogue key (``page_messages.MESSAGES``) and the values its text names; a value may be
    a label or another readable (see ``read``), shown in the reader's language."""

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(key, values)

    def text(self, language: str) -> str:
        from gemeentedelers.web.messages import MESSAGES  # imported late: the catalogue imports every round's texts

        texts = MESSAGES.get(self.key)
        if texts is None:  # a missing text must not hide the refusal itself
            return f"{self.key}: {self.values}" if self.values else self.key
        language = language_or_default(language)
        return format_text(texts[language], language, **{k: read(v, language) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")


def explain(problem: BaseException, language: str) -> str:
    """What a page shows for ``problem``: a refusal in ``language``; any other error's own message."""
    return problem.text(language) if isinstance(problem, Refusal) else str(problem)


class FormRefused(Refusal):
    """A refusal of one field of a form: the page marks that field (``field`` is its element id, see
    ``pages.field_id``), ties the message to it and keeps what was typed; 422, since the input is at fault.
    ``FormRefused.every`` carries the other fields' refusals too, so a form with three mistakes says all three."""

    def __init__(self, field: str, key: str, /, **values: Any) -> None:
        self.field = field
        self.others: tuple[FormRefused, ...] = ()
        super().__init__(key, **values)

    @classmethod
    def every(cls, refusals: Sequence[FormRefused]) -> FormRefused:
        """One refusal that stands for all of ``refusals`` (at least one), in the form's order."""
        first, *others = refusals
        first.others = tuple(others)
        return first

    def errors(self, language: str) -> dict[str, str]:
        """``{element id: message}`` for this field and the others, as the page shows them."""
        return {refused.field: refused.text(language) for refused in (self, *self.others)}
