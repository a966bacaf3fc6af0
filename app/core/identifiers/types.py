"""The kinds of identifier a person can record about the people blackmailing them.

Police ask for specific details (the Facebook profile link, the Skype ID, the Western Union
MTCN...), so each kind carries a short label and a few kind sentences on what it is and where
to find it. The words are built on each call, not at import, because `tr()` only translates
once the desktop app has installed its translator.

The enum values are the command-line keywords of docs/DESIGN.md and are what the database stores,
so they must never change. The result type of `identifiers.normalise` lives here too, so the
per-kind normalisers (`identifier_money`, `identifiers`) can share it without a cycle.
"""

import dataclasses
import difflib
from collections.abc import Callable
from enum import StrEnum

from app.errors import InvalidInput
from app.i18n import tr


class IdentifierType(StrEnum):
    """One kind of identifier; the value is its CLI keyword and its stored form."""

    FACEBOOK = "facebook"
    SKYPE_NAME = "skype-name"
    SKYPE_ID = "skype-id"
    USERNAME = "username"
    EMAIL = "email"
    PHONE = "phone"
    BANK_ACCOUNT = "bank-account"
    IBAN = "iban"
    MTCN = "mtcn"
    MONEYGRAM = "moneygram"
    CRYPTO_WALLET = "crypto-wallet"
    GIFT_CARD = "gift-card"
    URL = "url"
    NAME = "name"
    OTHER = "other"

    @property
    def label(self) -> str:
        """A short name fit for a column heading or a list of choices."""
        return _LABELS[self]()

    @property
    def help_text(self) -> str:
        """A few plain sentences: what this is and how to find it."""
        return _HELP[self]()


# Lambdas keep each tr() call literal (so translation tools can find the text) while
# delaying it until the words are needed.
_LABELS: dict[IdentifierType, Callable[[], str]] = {
    IdentifierType.FACEBOOK: lambda: tr("Facebook profile"),
    IdentifierType.SKYPE_NAME: lambda: tr("Skype name"),
    IdentifierType.SKYPE_ID: lambda: tr("Skype ID (live:...)"),
    IdentifierType.USERNAME: lambda: tr("Username on an app or website"),
    IdentifierType.EMAIL: lambda: tr("E-mail address"),
    IdentifierType.PHONE: lambda: tr("Phone number"),
    IdentifierType.BANK_ACCOUNT: lambda: tr("UK bank account"),
    IdentifierType.IBAN: lambda: tr("IBAN (international bank account)"),
    IdentifierType.MTCN: lambda: tr("Western Union MTCN"),
    IdentifierType.MONEYGRAM: lambda: tr("MoneyGram reference number"),
    IdentifierType.CRYPTO_WALLET: lambda: tr("Crypto wallet address"),
    IdentifierType.GIFT_CARD: lambda: tr("Gift card code"),
    IdentifierType.URL: lambda: tr("Web address (URL)"),
    IdentifierType.NAME: lambda: tr("Name they used"),
    IdentifierType.OTHER: lambda: tr("Other detail"),
}

_HELP: dict[IdentifierType, Callable[[], str]] = {
    IdentifierType.FACEBOOK: lambda: tr(
        "The web address (link) of their Facebook profile, for example "
        "https://www.facebook.com/some.name. Police ask for the link because many people "
        "share the same name. In a web browser, open their profile and copy the address "
        "from the bar at the top. In the Facebook app, open their profile, tap the three "
        "dots and choose to copy the link."
    ),
    IdentifierType.SKYPE_NAME: lambda: tr(
        "The name shown in black at the top of their Skype profile. It can have spaces and "
        "they can change it at any time. A Skype name is different to a Skype ID, and police "
        "need the ID, so please save the Skype ID as well if you can."
    ),
    IdentifierType.SKYPE_ID: lambda: tr(
        "A Skype name is different to a Skype ID, and police need the ID. To get it, "
        "right-click on their profile, choose \u201cView Profile\u201d, and look for the name "
        "shown in blue rather than the one above it in black. It is next to the word "
        "\u201cSkype\u201d and has no spaces in it. It often starts with \u201clive:\u201d. "
        "Skype closed in May 2025: a Skype download you saved (a file ending in .tar), added "
        "as evidence, shows their ID under Found in evidence."
    ),
    IdentifierType.USERNAME: lambda: tr(
        "The name they use on an app or website, such as Instagram, Snapchat, TikTok, "
        "Telegram or a dating site. Please choose the platform too, because the same "
        "username can belong to different people on different sites. If you can, copy the "
        "link to their profile as well: it stays the same if they change their display name."
    ),
    IdentifierType.EMAIL: lambda: tr(
        "An e-mail address they wrote from or asked you to use, for example "
        "name@example.com. Copy it exactly, with any dots and numbers."
    ),
    IdentifierType.PHONE: lambda: tr(
        "A phone number they called or messaged from, or gave you, including on WhatsApp "
        "or Telegram. Include the country code if you can see it, for example +44 for the "
        "UK. A number that starts with 0 is read as a UK number."
    ),
    IdentifierType.BANK_ACCOUNT: lambda: tr(
        "A UK bank account they asked you to pay into: the 6-digit sort code and the "
        "8-digit account number, for example 12-34-56 12345678. Put the name on the account "
        "in the note. If you have already paid, tell your bank as soon as you can: they may "
        "be able to stop the payment."
    ),
    IdentifierType.IBAN: lambda: tr(
        "An international bank account number. It starts with two letters for the country, "
        "such as GB, DE or NL, then two numbers, and can be up to 34 letters and numbers "
        "long. Copy it exactly; spaces do not matter."
    ),
    IdentifierType.MTCN: lambda: tr(
        "The Money Transfer Control Number: the 10-digit number on your Western Union "
        "receipt, e-mail or app. Police use it to trace where the money was collected. If "
        "the money has not been collected yet, you may be able to cancel it: contact "
        "Western Union as soon as you can."
    ),
    IdentifierType.MONEYGRAM: lambda: tr(
        "The 8-digit reference number on your MoneyGram receipt, e-mail or app. Police use "
        "it to trace where the money was collected. If the money has not been collected "
        "yet, you may be able to cancel it: contact MoneyGram as soon as you can."
    ),
    IdentifierType.CRYPTO_WALLET: lambda: tr(
        "The address they asked you to send Bitcoin or another cryptocurrency to: a long "
        "run of letters and numbers, often starting with 1, 3, bc1 or 0x. Copy and paste it "
        "rather than typing it, because one wrong character makes a different address. "
        "Put the name of the coin in the note."
    ),
    IdentifierType.GIFT_CARD: lambda: tr(
        "The code of a gift card they asked you to buy and send them, for example Amazon, "
        "Apple, Google Play or Steam. Keep the card and the receipt if you still have them, "
        "and put the shop and the amount in the note. Contact the card company quickly: "
        "they may be able to freeze the card."
    ),
    IdentifierType.URL: lambda: tr(
        "A link to a website, post or video where images were shared or where they "
        "threatened to share them, or any other link they sent you. Copy it from the "
        "address bar. Safekeep never opens links; it only keeps them for police."
    ),
    IdentifierType.NAME: lambda: tr(
        "A name they called themselves, or the name on their profile or on a payment. "
        "It may well be false, but it can still help police link cases together."
    ),
    IdentifierType.OTHER: lambda: tr(
        "Anything else that could help identify them, such as a game account, an ID "
        "number or something they mentioned. Say what it is in the note."
    ),
}


def describe_type(identifier_type: IdentifierType) -> tuple[str, str]:
    """Return (label, help text) for one type, translated now."""
    return identifier_type.label, identifier_type.help_text


def parse_type(keyword: str) -> IdentifierType:
    """Read a CLI keyword such as ``skype-id``; raise `InvalidInput` listing the valid ones.

    Case, surrounding spaces and underscores for hyphens are forgiven, because someone
    typing ``Skype_ID`` clearly means ``skype-id``.
    """
    key = keyword.strip().casefold().replace("_", "-")
    try:
        return IdentifierType(key)
    except ValueError:
        pass
    keywords = [member.value for member in IdentifierType]
    message = tr("That is not a type of identifier. Use one of: {keywords}.").format(
        keywords=", ".join(keywords)
    )
    # Only a short keyword is worth a suggestion; the check also bounds difflib's work.
    close = difflib.get_close_matches(key, keywords, n=2, cutoff=0.6) if len(key) <= 40 else []
    if close:
        message += " " + tr("Did you mean {suggestion}?").format(suggestion=" or ".join(close))
    raise InvalidInput(message)


OTHER_PLATFORM = "Other"

#: Platforms offered in the window and accepted by ``--platform``. These English names are
#: what is stored; `platform_label` gives the words to show.
PLATFORMS: tuple[str, ...] = (
    "Facebook",
    "Instagram",
    "Snapchat",
    "TikTok",
    "X (Twitter)",
    "Telegram",
    "Discord",
    "Kik",
    "WhatsApp",
    "Skype",
    "YouTube",
    "Grindr",
    "Tinder",
    "Bumble",
    "Hinge",
    "Badoo",
    "Plenty of Fish",
    "OnlyFans",
    "Reddit",
    "Omegle-like video chat",
    OTHER_PLATFORM,
)

# Other spellings people type (casefolded) for the stored names above.
PLATFORM_ALIASES: dict[str, str] = {
    **{name.casefold(): name for name in PLATFORMS},
    "x": "X (Twitter)",
    "twitter": "X (Twitter)",
    "x.com": "X (Twitter)",
    "fb": "Facebook",
    "messenger": "Facebook",
    "insta": "Instagram",
    "ig": "Instagram",
    "snap": "Snapchat",
    "whats app": "WhatsApp",
    "pof": "Plenty of Fish",
    "plentyoffish": "Plenty of Fish",
    "omegle": "Omegle-like video chat",
}

# Only these names are words rather than brand names, so only they need translating.
_PLATFORM_LABELS: dict[str, Callable[[], str]] = {
    "Omegle-like video chat": lambda: tr("Omegle-like video chat"),
    OTHER_PLATFORM: lambda: tr("Other"),
}


def canonical_platform(name: str | None) -> str | None:
    """Return the stored spelling of a platform name, or the trimmed text if it is not known.

    An unknown platform is kept as the person wrote it (a new dating app is still useful
    to police); only blank means "no platform".
    """
    if name is None:
        return None
    trimmed = name.strip()
    if not trimmed:
        return None
    return PLATFORM_ALIASES.get(trimmed.casefold(), trimmed)


def platform_label(name: str) -> str:
    """The words to show for a stored platform name."""
    label = _PLATFORM_LABELS.get(name)
    return label() if label else name


#: The matching key of a blank value: `normalised` is never empty, so storage can rely on it.
#: A symbol rather than a word, so upper-casing or case-folding it again changes nothing.
EMPTY_NORMALISED = "\u2205"  # EMPTY SET


@dataclasses.dataclass(frozen=True, slots=True)
class NormalisedIdentifier:
    """What `normalise` learnt about one value. The value as entered is kept by the caller."""

    normalised: str  # the key for spotting duplicates; never empty
    warnings: tuple[str, ...] = ()  # calm hints to show; they never block saving
    platform: str | None = None  # from a link where possible, else the one given
    handle: str | None = None  # the username in a profile link, lower-cased
    canonical_url: str | None = None  # one tidy form of a link, for people and for matching
    # The type the value plainly is when it was given another (a Skype name starting with
    # "live:" is a Skype ID): the window offers the change in one click, never makes it.
    better_type: IdentifierType | None = None


def keep_anyway(sentence: str) -> str:
    """Add the reassurance every shape warning ends with: the value is kept regardless."""
    return sentence + " " + tr("Keep it anyway if it is what you have.")
