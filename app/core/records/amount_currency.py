"""The currency a person writes with an amount ("$200", "250 GBP", "300 quid"), checked against
the currency the payment is recorded in.

Tried by hand: "$200" typed in the payment form, whose currency box said GBP (its default),
was saved as 200.00 GBP; the "$" had been dropped without a word. A mark written with the
amount now has to agree with the currency chosen: "$" with any dollar, "£" with GBP, "€"
with EUR, a three-letter code or a currency's name with that currency. When they disagree,
nothing is saved and one sentence says how to put it right.
"""

from __future__ import annotations

import re

from app.errors import InvalidInput
from app.i18n import tr

_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "JMD", "TTD", "BSD",
                      "BBD", "BZD", "LRD", "NAD", "FJD", "XCD", "TWD", "ZWL"})
# What a mark written with an amount can mean: the currencies it agrees with.
_SYMBOLS = {"£": frozenset({"GBP"}), "€": frozenset({"EUR"}), "$": _DOLLARS,
            "₦": frozenset({"NGN"}), "₹": frozenset({"INR"}), "₱": frozenset({"PHP"}),
            "₵": frozenset({"GHS"}), "¥": frozenset({"JPY", "CNY"})}
_WORDS = {"pound": "GBP", "pounds": "GBP", "quid": "GBP", "euro": "EUR", "euros": "EUR",
          "dollar": "USD", "dollars": "USD", "naira": "NGN", "rupees": "INR", "pesos": "PHP",
          "cedis": "GHS", "bitcoin": "BTC", "ether": "ETH", "tether": "USDT", "usdt": "USDT",
          "usdc": "USDC"}
# Codes longer than ISO 4217's three letters that blackmailers ask to be paid in.
LONGER_CODES = frozenset({"USDT", "USDC"})
_SYMBOL_AT_START = re.compile(r"^(?P<code>[A-Za-z]{0,2})\s*(?P<symbol>[£€$₦₹₱₵¥])")
_SYMBOL_AT_END = re.compile(r"(?P<symbol>[£€$₦₹₱₵¥])$")
_CODE_AT_START = re.compile(r"^(?P<code>[A-Za-z]{3})(?=[\s\d])")
_WORD_AT_END = re.compile(r"(?<=[\d\s])(?P<word>[A-Za-z]{3,7})\.?$")


def split_currency(text: str) -> tuple[str, frozenset[str] | None, str]:
    """The amount's digits without a currency written with them, the currencies that mark
    agrees with (None when there is none), and the mark as typed ("" when none)."""
    written = text.strip()
    if found := _SYMBOL_AT_START.match(written):
        # "US$200", "A$50", "C$ 10": the letters before "$" name the dollar.
        symbol, prefix = found["symbol"], found["code"].upper()
        agrees = _SYMBOLS[symbol]
        if symbol == "$" and prefix in ("US", "U"):
            agrees = frozenset({"USD"})
        elif symbol == "$" and prefix:
            agrees = frozenset(c for c in _DOLLARS if c.startswith(prefix[:1])) or agrees
        return written[found.end():].strip(), agrees, found[0].strip()
    if found := _SYMBOL_AT_END.search(written):
        return written[:found.start()].strip(), _SYMBOLS[found["symbol"]], found["symbol"]
    if found := _CODE_AT_START.match(written):
        return written[found.end():].strip(), frozenset({found["code"].upper()}), found["code"]
    if found := _WORD_AT_END.search(written):
        word = found["word"].lower()
        code = _WORDS.get(word, word.upper() if len(word) == 3 else None)
        if code is not None:
            return (written[:found.start()].strip(), frozenset({code}), found["word"])
    return written, None, ""


def currency_named(text: str) -> str | None:
    """The code of a currency typed as a word or a symbol where a code is asked for
    ("pounds", "£", "naira", "bitcoin"), or None. "$" names no one currency: a caller asks."""
    written = text.strip()
    if written in _SYMBOLS and len(_SYMBOLS[written]) == 1:
        return next(iter(_SYMBOLS[written]))
    return _WORDS.get(written.casefold())


def check_currency(agrees: frozenset[str] | None, mark: str, currency: str) -> None:
    """Refuse, in one sentence, an amount whose written currency is not the one chosen."""
    if agrees is None or currency.strip().upper() in agrees:
        return
    suggestion = sorted(agrees)[0] if len(agrees) == 1 or "USD" not in agrees else "USD"
    raise InvalidInput(tr(
        "The amount says {mark} but the currency is {currency}. Choose the currency it was "
        "paid in ({suggestion}?), or write the amount without {mark}.").format(
            mark=mark, currency=currency.strip().upper(), suggestion=suggestion))
