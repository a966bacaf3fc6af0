"""Money identifiers: UK bank accounts, IBANs, transfer references, crypto wallets, gift cards.

These are what police follow to find where the money went. Each normaliser returns a matching
key in the form a bank or a money-transfer company would write it, and a calm hint when the
shape is unusual; none refuses a value, because a partial account number still helps.
"""

import dataclasses
import re
import unicodedata
from collections.abc import Callable

from app.core.identifiers.types import NormalisedIdentifier, keep_anyway
from app.i18n import tr

# Spaces, dashes and dots people put inside numbers and codes to read them more easily.
SEPARATORS_RE = re.compile(r"[\s\-.]")


def ascii_digits(text: str) -> str:
    """All decimal digits of `text` as ASCII: Arabic-Indic or full-width digits count too."""
    return "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())


_IBAN_SHAPE_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", re.ASCII)


def normalise_iban(text: str, platform: str | None) -> NormalisedIdentifier:
    """Compact upper-case IBAN; a wrong one gets the reason in plain words."""
    from schwifty import IBAN
    from schwifty import exceptions as iban_errors

    compact = SEPARATORS_RE.sub("", text).upper()
    try:
        IBAN(compact)  # validates offline against the registry shipped inside schwifty
    except iban_errors.InvalidCountryCode:
        reason = tr("An IBAN starts with two letters for the country, such as GB or DE.")
    except iban_errors.InvalidLength:
        reason = tr("An IBAN from this country has a different number of characters.")
    except iban_errors.InvalidChecksumDigits:
        reason = tr("The check numbers in this IBAN do not add up: a character may be mistyped.")
    except iban_errors.SchwiftyException:
        reason = tr("This does not look like an IBAN: some characters are in the wrong place.")
    else:
        return NormalisedIdentifier(compact, platform=platform)
    return NormalisedIdentifier(compact or text.casefold(), (keep_anyway(reason),), platform)


def normalise_bank_account(text: str, platform: str | None) -> NormalisedIdentifier:
    """UK sort code and account number as "12-34-56 12345678", however they were written."""
    if _IBAN_SHAPE_RE.fullmatch(SEPARATORS_RE.sub("", text).upper()):
        result = normalise_iban(text, platform)
        tip = tr("This looks like an IBAN. You could save it as an IBAN instead.")
        return dataclasses.replace(result, warnings=(tip, *result.warnings))
    groups = [ascii_digits(group) for group in re.findall(r"\d+", text)]
    # Someone may write the account number before the sort code: 8 digits, then 6.
    if len(groups) >= 2 and 7 <= len(groups[0]) <= 10 and len("".join(groups[1:])) == 6:
        groups = groups[1:] + groups[:1]
    digits = "".join(groups)
    sort_code = f"{digits[:2]}-{digits[2:4]}-{digits[4:6]}"
    if len(digits) == 14:
        return NormalisedIdentifier(f"{sort_code} {digits[6:]}", platform=platform)
    if len(digits) in (13, 16):
        # Some older accounts have 7 or 10 digits; the bank can read them as they are.
        note = tr(
            "An account number usually has 8 digits, but some older ones have 7 or 10. "
            "Keep it as it is; the bank will know."
        )
        return NormalisedIdentifier(f"{sort_code} {digits[6:]}", (note,), platform)
    shape = keep_anyway(tr("A UK sort code has 6 digits and an account number has 8 digits."))
    if len(digits) == 6:
        return NormalisedIdentifier(sort_code, (shape,), platform)
    # Bare digits only when the text is nothing but numbers, so that "=SUM(1)" keeps its own
    # words rather than becoming a "1" that could match anything.
    only_digits = not re.sub(r"[\d\s\-.,/]", "", text)
    return NormalisedIdentifier(digits if only_digits else text.casefold(), (shape,), platform)


def _transfer_reference(
    text: str, platform: str | None, expected: int, warning: Callable[[], str]
) -> NormalisedIdentifier:
    digits = ascii_digits(text)
    only_digits = not re.sub(r"[\d\s\-.]", "", text)
    # Labels such as "MTCN: 123 456 7890" are fine; other text with stray digits keeps its
    # own words, so "=SUM(1)" is not reduced to a bare "1" that could match anything.
    normalised = digits if digits and (only_digits or len(digits) == expected) else ""
    warnings = () if len(digits) == expected else (warning(),)
    return NormalisedIdentifier(normalised or text.casefold(), warnings, platform)


def normalise_mtcn(text: str, platform: str | None) -> NormalisedIdentifier:
    """Western Union's Money Transfer Control Number: 10 digits."""
    return _transfer_reference(
        text, platform, 10, lambda: keep_anyway(tr("This does not look like a 10-digit MTCN."))
    )


def normalise_moneygram(text: str, platform: str | None) -> NormalisedIdentifier:
    """MoneyGram's reference number: 8 digits."""
    return _transfer_reference(
        text,
        platform,
        8,
        lambda: keep_anyway(tr("This does not look like an 8-digit MoneyGram reference number.")),
    )


# Shapes only: a wrong checksum is still worth keeping, and police can check it themselves.
_BITCOIN_LEGACY_RE = re.compile(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}", re.ASCII)
_BECH32_RE = re.compile(r"(?:bc|tb|ltc)1[02-9ac-hj-np-z]{6,87}", re.ASCII | re.IGNORECASE)
_ETHEREUM_RE = re.compile(r"0x[0-9a-f]{40}", re.ASCII | re.IGNORECASE)
_ANY_WALLET_RE = re.compile(r"[A-Za-z0-9:_\-]{16,200}", re.ASCII)


def normalise_crypto_wallet(text: str, platform: str | None) -> NormalisedIdentifier:
    """A wallet address, trimmed; lower-cased only where case carries no meaning."""
    if _BECH32_RE.fullmatch(text) or _ETHEREUM_RE.fullmatch(text):
        # Case carries no meaning in these two formats (Ethereum's mixed case is only a
        # checksum), so lower-case them for matching.
        return NormalisedIdentifier(text.lower(), platform=platform)
    if _BITCOIN_LEGACY_RE.fullmatch(text) or _ANY_WALLET_RE.fullmatch(text):
        # Base58 and most other coins are case-sensitive: keep the case.
        return NormalisedIdentifier(text, platform=platform)
    warning = keep_anyway(
        tr("Wallet addresses are usually one long run of letters and numbers, with no spaces.")
    )
    return NormalisedIdentifier(text, (warning,), platform)


def normalise_gift_card(text: str, platform: str | None) -> NormalisedIdentifier:
    """A gift card code without spaces or dashes, upper-case, as the card companies print it."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    if len(compact) >= 8 and compact.isalnum():
        return NormalisedIdentifier(compact, platform=platform)
    warning = keep_anyway(tr("Gift card codes are usually a long run of letters and numbers."))
    return NormalisedIdentifier(compact or text.casefold(), (warning,), platform)
