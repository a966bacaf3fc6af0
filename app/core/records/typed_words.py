"""The way of paying, or the kind of event, a person means by the letters they type into a
list box (see app/ui/kit/typed_choice.py and core/identifiers/type_lookup.py); and what to
do next about a payment made each way.

A list box only matches the start of its entries: "bitcoin" chose "Bank transfer", "cash app"
chose "Card", and "Apple" or "Steam" (the gift cards blackmailers ask for) chose nothing; in
the timeline, "money" chose "Moved to another app or site" and "blackmail" nothing. Here the
letters are matched against the start of each entry's words as shown, then the names people
use for them, then any word of an entry.
"""

from __future__ import annotations

from app.core.identifiers import first_meaning
from app.core.records.payments import method_label
from app.core.records.timeline import kind_label
from app.i18n import tr
from app.models import PaymentMethod, TimelineKind

M = PaymentMethod
K = TimelineKind

# English names of brands and coins, so not translated; a money app with no method of its
# own is "Other" (its name then goes in the reference or the note).
_METHOD_NAMES: dict[str, PaymentMethod] = {
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

# The words people use for what happened (English, like the names above).
_KIND_WORDS: dict[str, TimelineKind] = {
    "met": K.FIRST_CONTACT, "added me": K.FIRST_CONTACT, "friend request": K.FIRST_CONTACT,
    "follow": K.FIRST_CONTACT, "matched": K.FIRST_CONTACT,
    "switched": K.MOVED_PLATFORM, "asked to move": K.MOVED_PLATFORM,
    "blackmail": K.THREAT, "threatened": K.THREAT, "sextortion": K.THREAT,
    "post": K.THREAT, "share": K.THREAT, "send to": K.THREAT,
    "money": K.DEMAND, "asked for": K.DEMAND, "ransom": K.DEMAND, "pay me": K.DEMAND,
    "paid": K.PAYMENT, "sent money": K.PAYMENT, "transfer": K.PAYMENT,
    "police": K.REPORT, "reported": K.REPORT, "101": K.REPORT, "ceop": K.REPORT,
    "blocked": K.REPORT,
}


def method_for_typed(typed: str) -> PaymentMethod | None:
    """The method meant by `typed`, or None when nothing starts with those letters."""
    return first_meaning(typed, ((method_label(m), m) for m in PaymentMethod),
                         _METHOD_NAMES.items())


def kind_for_typed(typed: str) -> TimelineKind | None:
    """The kind of event meant by `typed`, or None when nothing starts with those letters."""
    return first_meaning(typed, ((kind_label(k), k) for k in TimelineKind), _KIND_WORDS.items())


def method_advice(method: PaymentMethod) -> str:
    """What to do next about a payment made this way, in a few plain words, shown under the
    payment form when the method is chosen ("" for none). Western Union and MoneyGram have
    their reference numbers' own help (core/identifiers); the police advice beneath all of
    it: a payment not yet collected may still be stopped, the sooner the better."""
    advice = {
        M.BANK_TRANSFER: lambda: tr(
            "Tell your bank as soon as you can: they may be able to stop or recall the "
            "payment. Put the sort code and account number you paid into in the reference, "
            "and the name on the account in Paid to."),
        M.CARD: lambda: tr(
            "Tell your bank or card company as soon as you can: they may be able to stop the "
            "payment."),
        M.PAYPAL: lambda: tr(
            "Tell PayPal as soon as you can: they may be able to stop the payment. Put the "
            "e-mail address you paid in Paid to."),
        M.GIFT_CARD: lambda: tr(
            "Put the card's code in the reference, and keep the card and the receipt. Contact "
            "the card company (Amazon, Apple, Google Play, Steam...) quickly: they may be "
            "able to freeze the card."),
        M.CRYPTO: lambda: tr(
            "Put the wallet address you sent to in the reference: copy and paste it, because "
            "one wrong character is a different address. Tell the app or exchange you paid "
            "through as soon as you can: they may be able to help."),
    }.get(method)
    return advice() if advice is not None else ""
