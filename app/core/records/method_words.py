"""The way of paying a person means by the first letters they type into the list of methods.

A list box only matches the start of its entries: "bitcoin" chose "Bank transfer", "cash app"
chose "Card", and "Apple" or "Steam" (the gift cards blackmailers ask for) chose nothing.
Here the letters typed are matched first against the start of each method's words as shown,
then against the names people use for them (the gift cards and coins asked for most, the
money apps), then against any word of a method. See app/ui/kit/typed_choice.py.
"""

from __future__ import annotations

from app.core.identifiers import squeezed_letters
from app.core.records.payments import method_label
from app.models import PaymentMethod

M = PaymentMethod

# English names of brands and coins, so not translated; a money app with no method of its
# own is "Other" (its name then goes in the reference or the note).
_NAMES: dict[str, PaymentMethod] = {
    "wu": M.WESTERN_UNION,
    "bitcoin": M.CRYPTO, "btc": M.CRYPTO, "ethereum": M.CRYPTO, "usdt": M.CRYPTO,
    "tether": M.CRYPTO, "coinbase": M.CRYPTO, "binance": M.CRYPTO,
    "apple": M.GIFT_CARD, "itunes": M.GIFT_CARD, "google play": M.GIFT_CARD,
    "steam": M.GIFT_CARD, "amazon": M.GIFT_CARD, "vanilla": M.GIFT_CARD,
    "razer": M.GIFT_CARD, "xbox": M.GIFT_CARD, "playstation": M.GIFT_CARD,
    "voucher": M.GIFT_CARD,
    "faster payment": M.BANK_TRANSFER, "sort code": M.BANK_TRANSFER,
    "revolut": M.BANK_TRANSFER, "monzo": M.BANK_TRANSFER, "wise": M.BANK_TRANSFER,
    "debit card": M.CARD, "credit card": M.CARD,
    "cash app": M.OTHER, "venmo": M.OTHER, "zelle": M.OTHER,
}


def method_for_typed(typed: str) -> PaymentMethod | None:
    """The method meant by `typed`, or None when nothing starts with those letters."""
    letters = squeezed_letters(typed)
    if not letters:
        return None
    for method in PaymentMethod:
        if squeezed_letters(method_label(method)).startswith(letters):
            return method
    for name, method in _NAMES.items():
        if squeezed_letters(name).startswith(letters):
            return method
    for method in PaymentMethod:
        if any(squeezed_letters(word).startswith(letters)
               for word in method_label(method).split()):
            return method
    return None
