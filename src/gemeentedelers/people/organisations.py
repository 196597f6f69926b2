"""Organisation names as people write them, made comparable: "Gemeente Súdwest-Fryslân", "gem. Den Haag" and
"'s-Gravenhage" must meet where they mean the same municipality.

A name is folded (case, accents, punctuation and the words "gemeente", "gem.", "municipality of" dropped), then
looked up in the official list of municipalities shipped as data (``data/municipalities.json``: CBS names and
codes on 1 January 2024, with its source and date), in its known aliases (Den Haag, Den Bosch, Dutch names of
Frisian municipalities, a name without CBS's province marker such as "Hengelo" for "Hengelo (O.)" where that is
unambiguous) and in the municipalities merged since 2021 (Weesp is Amsterdam now; Haaren was divided over four).
:func:`keys` gives what two names are compared by: the CBS codes of the municipality (or its successors), or, for
any other organisation (a ministry, a company), its folded name. Two organisations are the same when their keys
meet (:func:`same`). An organisation that is not a municipality is flagged (:func:`check`), never refused.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "municipalities.json"
_PREFIX = re.compile(r"^(?:(?:de |the )?gemeente |gem |municipality of |the municipality of |city of )+")
_SUFFIX = re.compile(r" (?:gemeente|municipality)$")
_PROVINCE_MARKER = re.compile(r"\s*\([A-Za-z]{1,3}\.\)$")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str


@dataclass(frozen=True)
class Register:
    """The list as loaded: current municipalities by code, and every folded name that resolves to codes."""

    about: Mapping[str, Any]
    municipalities: Mapping[str, Municipality]
    names: Mapping[str, frozenset[str]]
    former: Mapping[str, str]

    def __len__(self) -> int:
        return len(self.municipalities)


def fold(name: object) -> str:
    """Lower case, no accents, punctuation as spaces, one space between words: "'s-Gravenhage" -> "s gravenhage"."""
    text = unicodedata.normalize("NFKD", str(name or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"\s+", " ", text)


def core(name: object) -> str:
    """The folded name without the words that say it is a municipality ("gemeente X", "gem. X", "X municipality")."""
    folded = fold(name)
    return _SUFFIX.sub("", _PREFIX.sub("", folded)).strip() or folded


@cache
def register() -> Register:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    municipalities = {m["code"]: Municipality(m["code"], m["name"]) for m in raw["municipalities"]}
    names: dict[str, set[str]] = {}
    for m in municipalities.values():
        names.setdefault(core(m.name), set()).add(m.code)
    bases: dict[str, set[str]] = {}
    for m in municipalities.values():
        if _PROVINCE_MARKER.search(m.name):
            bases.setdefault(core(_PROVINCE_MARKER.sub("", m.name)), set()).add(m.code)
    for base, codes in bases.items():  # "Bergen" is Bergen (L.) or Bergen (NH.): it stands for both
        names.setdefault(base, set()).update(codes)
    for alias in raw.get("aliases", []):
        names.setdefault(core(alias["name"]), set()).add(alias["code"])
    former = {}
    for merged in raw.get("merged_since_2021", []):
        names.setdefault(core(merged["name"]), set()).update(merged["into"])
        former[core(merged["name"])] = merged["name"]
    return Register(raw["about"], municipalities, {k: frozenset(v) for k, v in names.items()}, former)


def municipality_codes(name: object) -> frozenset[str]:
    """The CBS codes ``name`` stands for: one for a municipality, its successors for a merged one, none else."""
    return register().names.get(core(name), frozenset())


def keys(names: object) -> frozenset[str]:
    """What one name or a list of names is compared by: CBS codes where a name is a municipality, the folded
    name otherwise (``org:<name>``); empty names are left out."""
    values: Iterable[object] = names if isinstance(names, list | tuple | set | frozenset) else [names]
    found: set[str] = set()
    for value in values:
        if not str(value or "").strip():
            continue
        codes = municipality_codes(value)
        found |= codes if codes else {f"org:{core(value)}"}
    return frozenset(found)


def same(a: object, b: object) -> bool:
    """Whether any organisation named in ``a`` is one named in ``b``."""
    return bool(keys(a) & keys(b))


def check(name: object) -> dict[str, Any]:
    """How an organisation's name resolves, to store with a person and show an organiser:
    ``{"status": "municipality", "code", "name"}``, ``{"status": "merged", "former", "into": [codes], "names"}``,
    ``{"status": "ambiguous", "codes", "names"}`` (Bergen) or ``{"status": "not_a_municipality"}`` (flagged:
    ministries and companies take part too)."""
    found = register()
    codes = municipality_codes(name)
    if not codes:
        return {"status": "not_a_municipality"}
    folded = core(name)
    names = [found.municipalities[c].name for c in sorted(codes)]
    if folded in found.former:
        return {"status": "merged", "former": found.former[folded], "into": sorted(codes), "names": names}
    if len(codes) > 1:
        return {"status": "ambiguous", "codes": sorted(codes), "names": names}
    code = min(codes)
    return {"status": "municipality", "code": code, "name": found.municipalities[code].name}


def flagged(check_result: Mapping[str, Any] | None) -> bool:
    """Whether a stored :func:`check` result is one an organiser should look at (not a current municipality)."""
    return bool(check_result) and check_result.get("status") != "municipality"
