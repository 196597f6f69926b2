"""Why a person's request was refused, in words they can read: Dutch by default, English on request.

Core modules raise a ``Refusal`` (or a subclass) with a key of the page catalogue and its values, instead of
an English sentence; pages show ``explain(problem, language)``, while ``str()`` stays English for the CLI and
the logs. ``tests/unit/test_refusals.py`` checks that every key raised anywhere exists in both languages.
"""

from __future__ import annotations

from typing import Any

from gemeentedelers.i18n import language_or_default


class Refusal(ValueError):
    """A refusal with a catalogue key (``page_messages.MESSAGES``) and the values its text names."""

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(key, values)

    def text(self, language: str) -> str:
        from gemeentedelers.page_messages import MESSAGES  # imported late: the catalogue imports every round's texts

        texts = MESSAGES.get(self.key)
        if texts is None:  # a missing text must not hide the refusal itself
            return f"{self.key}: {self.values}" if self.values else self.key
        return texts[language_or_default(language)].format(**self.values)

    def __str__(self) -> str:
        return self.text("en")


def explain(problem: BaseException, language: str) -> str:
    """What a page shows for ``problem``: a refusal in ``language``; any other error's own message."""
    return problem.text(language) if isinstance(problem, Refusal) else str(problem)
