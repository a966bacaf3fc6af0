"""Exhibit references, as officers write them: the producer's initials and a number, "AB/1".

The producer is the person who produced the evidence for police (the victim, or the caseworker
who gathers it). Their initials are asked once, in the case details; until then they come from
the case's name or alias. The number is given when an item is added (app/models/evidence.py)
and never changes or returns, even when the item is later removed, so "AB/3" means one thing
in every bundle made from this case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MAX_INITIALS = 4
FALLBACK_INITIALS = "EX"  # an alias with no letters at all: "EX/1", "EX/2"...


# Latin letters that Unicode does not split into a letter and an accent.
_UNSPLIT = str.maketrans({"Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
                          "ß": "ss", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Þ": "TH",
                          "þ": "th", "ı": "i"})


def _latin_letters(text: str) -> str:
    """The letters A to Z in `text`, accents taken off ("É" -> "E"); every other character
    goes. Exhibit marks are written in these letters on labels, in file names on any system
    and in every font of the report."""
    folded = unicodedata.normalize("NFKD", text.translate(_UNSPLIT))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalpha())


def clean_initials(text: str) -> str:
    """Letters A to Z only, in capitals, at most MAX_INITIALS: "a.b." -> "AB"; a name typed
    in full gives its initials ("José María" -> "JM"). Anything else (digits, marks, "/",
    letters of other scripts) goes; what is left may be empty."""
    words = [w for w in (_latin_letters(word) for word in text.split()) if w]
    if len(words) > 1:
        return "".join(word[0] for word in words).upper()[:MAX_INITIALS]
    return "".join(words).upper()[:MAX_INITIALS]


def default_initials(alias: str) -> str:
    """From the case's name or alias: "Alex Smith" -> "AS", "Alex" -> "AL"."""
    words = [w for w in alias.split() if _latin_letters(w)]
    if len(words) >= 2:
        return clean_initials(" ".join(words[:2]))
    if words:
        return clean_initials(words[0])[:2] or FALLBACK_INITIALS
    return FALLBACK_INITIALS


def producer_initials(chosen: str | None, alias: str) -> str:
    """The initials in use: the ones given in the case details, else from the alias."""
    return clean_initials(chosen or "") or default_initials(alias)


def exhibit_reference(initials: str, number: int) -> str:
    """"AB/1": as it is written in the report, the CSVs and the manifest."""
    return f"{initials}/{number}"


def exhibit_file_stem(initials: str, number: int) -> str:
    """"AB-1": the reference where a "/" cannot go (file and folder names)."""
    return f"{initials}-{number}"


def in_exhibit_order(references: Iterable[str]) -> list[str]:
    """Exhibit references by their number, as the bundle lists them: AB/2 before AB/10."""
    return sorted(references, key=lambda reference: int(reference.rpartition("/")[2]))
