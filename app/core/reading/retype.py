"""The type a detail plainly is, when the person saved it as another.

Tried by hand: with "Facebook profile" still chosen from the detail before, a person pasted
"live:anna.smith.love88" and pressed Enter. It was saved as a Facebook profile, with the hint
that it "does not look like a link to a Facebook profile", and nothing said what it was. The
rules that find details in a picture's text know a Skype ID when they see one, so they are
asked: when the whole value is one detail of one other type, and that type takes it without a
doubt, the window offers the change in one click (`NormalisedIdentifier.better_type`). It never
makes the change itself.
"""

from __future__ import annotations

import dataclasses

from app.core.identifiers import IdentifierType, NormalisedIdentifier, normalise

# Longer than any detail the rules know (an IBAN, a long profile link): not looked at.
MAX_RETYPE_CHARS = 300


def plainly_another_type(kind: IdentifierType | str, value: str) -> IdentifierType | None:
    """The one other type `value` is, whole, with nothing to doubt; else None."""
    text = value.strip()
    if not text or len(text) > MAX_RETYPE_CHARS:
        return None
    # Here, not at the top: the rules compile about 90 patterns as they are imported, and
    # this module is part of the package's face, imported while the main window is built.
    from app.core.reading.candidates import find_in_text

    found = [c for c in find_in_text(text) if isinstance(c.kind, IdentifierType)]
    if len(found) != 1:
        return None
    other = IdentifierType(found[0].kind)
    if other == IdentifierType(kind) or found[0].value.strip() != text:
        return None  # the same type, or a detail inside other words ("call 07700 900123")
    if normalise(other, text, found[0].platform).warnings:
        return None  # that type would have doubts too: nothing plain to offer
    return other


def checked_with_retype(kind: IdentifierType | str, value: str,
                        platform: str | None = None) -> NormalisedIdentifier:
    """`normalise`, with `better_type` filled in where the value plainly is another type.
    Only a value its own type doubts is looked at: one it takes is left as it is."""
    checked = normalise(IdentifierType(kind), value, platform)
    if checked.better_type is not None or not checked.warnings:
        return checked
    other = plainly_another_type(kind, value)
    return dataclasses.replace(checked, better_type=other) if other is not None else checked
