"""The kind of detail a person means by the first letters they type into the list of kinds.

Tried by hand: with the keyboard on the list of kinds, a person who wanted the offender's
Instagram account typed "Inst", and got "IBAN (international bank account)": a list box
only matches the start of its entries, and no entry starts with "Inst" (an Instagram account
is a username, with Instagram as its platform). Here the typed letters are matched first
against the start of each kind's words as shown ("email" finds "E-mail address"), then
against the platforms ("insta" finds a username on Instagram, "whatsapp" a phone number on
WhatsApp), then against any word of a kind ("bank" finds "UK bank account"), then a few
everyday words ("mobile", "bitcoin"). `first_meaning` does the same for the other list
boxes (payments' methods and the timeline's kinds, in core/records/typed_words.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from app.core.identifiers.types import (
    OTHER_PLATFORM,
    PLATFORM_ALIASES,
    IdentifierType,
)

# What a detail on these platforms most often is, when it is not a username.
_TYPE_ON_PLATFORM: dict[str, IdentifierType] = {
    "Facebook": IdentifierType.FACEBOOK,
    "Skype": IdentifierType.SKYPE_NAME,
    "WhatsApp": IdentifierType.PHONE,  # a WhatsApp account is its phone number
}

# Words people use for a kind that its label does not hold (English only, like the aliases).
_EVERYDAY_WORDS: dict[str, IdentifierType] = {
    "mobile": IdentifierType.PHONE,
    "telephone": IdentifierType.PHONE,
    "bitcoin": IdentifierType.CRYPTO_WALLET,
    "btc": IdentifierType.CRYPTO_WALLET,
    "usdt": IdentifierType.CRYPTO_WALLET,
    "link": IdentifierType.URL,
    "sort code": IdentifierType.BANK_ACCOUNT,
    "voucher": IdentifierType.GIFT_CARD,
}

T = TypeVar("T")

_NOT_LETTERS = re.compile(r"[\W_]+")


def _squeezed(text: str) -> str:
    """Case, spaces and punctuation left out: "E-mail" and "email" are the same letters."""
    return _NOT_LETTERS.sub("", text.casefold())


def first_meaning(typed: str, labelled: Iterable[tuple[str, T]],
                  names: Iterable[tuple[str, T]] = ()) -> T | None:
    """What `typed` means among entries shown as `labelled` (label, value) and known also by
    `names`: the first entry whose label starts with the letters, else whose name does, else
    one with a word of its label that does; None when nothing does."""
    letters = _squeezed(typed)
    if not letters:
        return None
    labelled = list(labelled)
    for label, value in labelled:
        if _squeezed(label).startswith(letters):
            return value
    for name, value in names:
        if _squeezed(name).startswith(letters):
            return value
    for label, value in labelled:
        if any(_squeezed(word).startswith(letters) for word in label.split()):
            return value
    return None


def type_for_typed(typed: str) -> tuple[IdentifierType, str | None] | None:
    """The kind (and platform, when the letters named one) meant by `typed`, or None when
    nothing starts with those letters."""
    platforms = ((spelling, (_TYPE_ON_PLATFORM.get(platform, IdentifierType.USERNAME), platform))
                 for spelling, platform in PLATFORM_ALIASES.items() if platform != OTHER_PLATFORM)
    found = first_meaning(typed, ((kind.label, (kind, None)) for kind in IdentifierType),
                          platforms)
    if found is None:
        found = first_meaning(typed, (), ((word, (kind, None))
                                          for word, kind in _EVERYDAY_WORDS.items()))
    return found
