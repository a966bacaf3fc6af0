"""Turn an identifier as typed or pasted into a form for finding duplicates, with gentle hints.

A frightened person may only have part of a phone number or a half-copied link, and that part
can still help police. So nothing here refuses a value or raises: odd shapes give calm warnings
and the value is kept. Values come from criminals and are treated as plain text, never as
markup, formulas or paths; nothing is fetched and no name is looked up (Safekeep is offline).

The type words (labels, help, keywords, platforms) live in `identifier_types`; they are
re-exported here so callers need one import.
"""

import dataclasses
import logging
from collections.abc import Callable

from app.core.identifiers.money import (
    ascii_digits,
    normalise_bank_account,
    normalise_crypto_wallet,
    normalise_gift_card,
    normalise_iban,
    normalise_moneygram,
    normalise_mtcn,
)
from app.core.identifiers.types import (
    EMPTY_NORMALISED,
    PLATFORMS,
    IdentifierType,
    NormalisedIdentifier,
    canonical_platform,
    keep_anyway,
    platform_label,
)
from app.core.identifiers.urls import (
    FACEBOOK,
    MAX_URL_LENGTH,
    SITE_BY_PLATFORM,
    UrlInfo,
    inspect_url,
    profile_url,
    split_url,
)
from app.i18n import tr
from app.text_safety import has_hidden

__all__ = ["normalise"]

_log = logging.getLogger(__name__)


def normalise(
    type: IdentifierType,  # the name callers use; shadows the builtin only in here
    value: str,
    platform: str | None = None,
) -> NormalisedIdentifier:
    """Normalise `value` of one identifier type. Never raises, whatever the text.

    `type` is an `IdentifierType` or its keyword; `platform` is any text (known names are
    given their stored spelling, see `canonical_platform`). The value as entered is not
    changed: keep it, and use the result only to match duplicates and to show hints.
    """
    identifier_type = IdentifierType(type)
    given = canonical_platform(platform)
    text = value.strip()
    if not text:
        return NormalisedIdentifier(
            EMPTY_NORMALISED,
            (tr("This is empty. You can add it later, when you have it."),),
            _DEFAULT_PLATFORM.get(identifier_type, given),
        )
    try:
        result = _NORMALISERS[identifier_type](text, given)
    except Exception as exc:
        # A library meeting input nobody foresaw must not cost the person their evidence:
        # keep the value with the plain fallback. Log the error type only, never the value.
        _log.error("Normalising a %s value failed: %s", identifier_type, exc.__class__.__name__)
        result = NormalisedIdentifier(text.casefold(), platform=given)
    warnings = result.warnings
    # Tab and line breaks are how notes and pasted text look; everything else of the one set
    # in app/text_safety.py hides what a value really is (U+202E can make "gpj.exe" look like
    # "exe.jpg"), including lone surrogates from undecodable command-line bytes.
    if has_hidden(value, keep="\t\n\r"):
        warnings += (
            tr(
                "This contains hidden characters, perhaps from copying and pasting. "
                "It is kept exactly as it is."
            ),
        )
    return dataclasses.replace(
        result, normalised=result.normalised or text.casefold(), warnings=warnings
    )


# --- phone, e-mail ------------------------------------------------------------------------


def _read_phone(text: str) -> tuple[str, bool] | None:
    """(E.164, valid?) for a number of a possible length, else None."""
    # Imported here, not at the top: these libraries cost start-up time (docs/DESIGN.md budget).
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "GB")  # the police forces we mirror are in the UK
    except phonenumbers.NumberParseException:
        return None
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.is_valid_number(number)


def _phone(text: str, platform: str | None) -> NormalisedIdentifier:
    plain = ("+" if text.startswith(("+", "\uff0b")) else "") + ascii_digits(text)
    # The text as typed first (the library understands "tel:", "(0)" and "ext."), then only
    # its digits, so that normalising a key again always gives the same key.
    for candidate in (text, plain):
        read = _read_phone(candidate)
        # E.164 even for numbers the library calls invalid (such as the 07700 900xxx range),
        # so "+44 7700 900123" and "07700900123" still match; but only if it reads back the
        # same, because for odd input ("00000000000") the library drops zeros on every pass.
        if read is not None and _read_phone(read[0]) == read:
            e164, valid = read
            if valid:
                return NormalisedIdentifier(e164, platform=platform)
            warning = keep_anyway(
                tr("This number does not look complete or valid for its country.")
            )
            return NormalisedIdentifier(e164, (warning,), platform)
    warning = keep_anyway(
        tr("This does not look like a whole phone number. A country code such as +44 helps.")
    )
    normalised = plain if plain.lstrip("+") else text.casefold()  # no digits at all: as typed
    return NormalisedIdentifier(normalised, (warning,), platform)


def _email(text: str, platform: str | None) -> NormalisedIdentifier:
    from email_validator import EmailNotValidError, validate_email

    try:
        # check_deliverability=False: the default asks DNS, and Safekeep never goes online.
        # allow_display_name: addresses pasted from mail programs look like "Ann <a@b.com>".
        checked = validate_email(text, check_deliverability=False, allow_display_name=True)
    except EmailNotValidError:
        local, at, domain = text.rpartition("@")
        if not at:
            warning = keep_anyway(tr("An e-mail address has an @ sign, like name@example.com."))
            return NormalisedIdentifier(text.casefold(), (warning,), platform)
        # Same shape as a valid address (local part as given, domain lower-cased) so a
        # slightly broken copy still matches a good one.
        warning = keep_anyway(tr("This does not look like a complete e-mail address."))
        return NormalisedIdentifier(f"{local}@{domain.lower()}", (warning,), platform)
    return NormalisedIdentifier(checked.normalized, platform=platform)


# --- Skype, names ---------------------------------------------------------------------------


def _skype_id(text: str, platform: str | None) -> NormalisedIdentifier:
    normalised = text.casefold()
    warnings: tuple[str, ...] = ()
    if any(char.isspace() for char in text):
        warnings = (
            tr(
                "A Skype ID has no spaces, so this may be the Skype name, which is different. "
                "The help explains how to find the ID."
            ),
        )
    elif not normalised.startswith("live:"):
        warnings = (
            tr(
                "Most Skype IDs start with \u201clive:\u201d. If you copied this from the name "
                "shown in blue on their profile, keep it: older IDs look different."
            ),
        )
    return NormalisedIdentifier(normalised, warnings, "Skype")


def _skype_name(text: str, platform: str | None) -> NormalisedIdentifier:
    normalised = text.casefold()
    if not normalised.startswith("live:"):
        return NormalisedIdentifier(normalised, (), "Skype")
    warning = tr("This looks like a Skype ID, because it starts with \u201clive:\u201d. "
                 "Police need the ID, so you could save it as a Skype ID instead.")
    spaced = any(char.isspace() for char in text)  # not an ID as it is: no change offered
    return NormalisedIdentifier(normalised, (warning,), "Skype",
                                better_type=None if spaced else IdentifierType.SKYPE_ID)


def _name(text: str, platform: str | None) -> NormalisedIdentifier:
    # Runs of spaces are a typing accident, not a different name.
    return NormalisedIdentifier(" ".join(text.split()).casefold(), platform=platform)


def _other(text: str, platform: str | None) -> NormalisedIdentifier:
    return NormalisedIdentifier(text.casefold(), platform=platform)


# --- links and accounts on platforms -------------------------------------------------------


def _url_warning(text: str) -> str:
    if len(text) > MAX_URL_LENGTH:
        return tr("This is too long to read as a web address. It is kept exactly as it is.")
    return keep_anyway(
        tr("This does not look like a web address, such as https://example.com/page.")
    )


def _platform_mismatch(given: str | None, found: str | None) -> tuple[str, ...]:
    """A note when a link is on another platform than the one chosen; the link wins."""
    if given is None or found is None or given == found or given not in PLATFORMS:
        return ()
    return (
        tr("This link is on {found}, not {given}, so {found} is kept as the platform.").format(
            found=platform_label(found), given=platform_label(given)
        ),
    )


def _url(text: str, platform: str | None) -> NormalisedIdentifier:
    parts = split_url(text)
    if parts is None:
        return NormalisedIdentifier(text.casefold(), (_url_warning(text),), platform)
    info = inspect_url(parts)
    warnings = _platform_mismatch(platform, info.platform)
    # A link to a post must stay distinct from other posts, so only a bare profile link is
    # reduced to the platform's canonical profile form.
    url = info.profile_url if info.profile_only and info.profile_url else info.url
    return NormalisedIdentifier(url, warnings, info.platform or platform, info.handle, url)


def _link_info(text: str) -> UrlInfo | None:
    parts = split_url(text)
    return inspect_url(parts) if parts is not None else None


def _not_a_profile() -> str:
    return keep_anyway(tr("This link does not look like a link to someone's profile."))


def help_explains_link() -> str:
    """Meant for the person at the form; the report leaves it out for officers."""
    return tr("The help explains how to copy it.")


def _facebook(text: str, platform: str | None) -> NormalisedIdentifier:
    # The key is the canonical profile link: police ask for the link, and a link and a bare
    # handle ("john.smith") name the same profile.
    info = _link_info(text)
    if info is not None and info.platform is not None:  # a link on a platform we know
        warnings = _platform_mismatch("Facebook", info.platform)
        if info.profile_url is None:
            return NormalisedIdentifier(
                info.url, (*warnings, _not_a_profile()), info.platform, None, info.url
            )
        return NormalisedIdentifier(
            info.profile_url, warnings, info.platform, info.handle, info.profile_url
        )
    handle = text.removeprefix("@")
    if FACEBOOK.handle_re.fullmatch(handle):
        link = profile_url(FACEBOOK, handle.lower())
        return NormalisedIdentifier(link, (), "Facebook", handle.lower(), link)
    if info is not None and "/" in text:
        warning = keep_anyway(tr("This link is not on Facebook."))
        return NormalisedIdentifier(info.url, (warning,), "Facebook", None, info.url)
    warning = tr(
        "This does not look like a link to a Facebook profile. A name alone can belong to "
        "many people, so police ask for the link."
    ) + " " + help_explains_link()
    key = text.casefold()
    if FACEBOOK.handle_re.fullmatch(key.removeprefix("@")):
        # Case folding made a handle of what was none ("ß" gives "ss"): the key, normalised
        # again as stored keys may be, would turn into that handle's link. Kept as typed.
        key = text
    return NormalisedIdentifier(key, (keep_anyway(warning),), "Facebook")


def _username_key(platform: str | None, handle: str) -> str:
    # The same username on two platforms may be two different people, and storage merges
    # identifiers whose keys match, so the platform is part of the key.
    return f"{platform.casefold()}:{handle}" if platform else handle


def _username(text: str, platform: str | None) -> NormalisedIdentifier:
    info = _link_info(text)
    if info is not None and info.platform is not None:  # a link on a platform we know
        mismatch = _platform_mismatch(platform, info.platform)
        if info.handle is None:
            return NormalisedIdentifier(
                info.url, (*mismatch, _not_a_profile()), info.platform, None, info.url
            )
        key = _username_key(info.platform, info.handle)
        return NormalisedIdentifier(key, mismatch, info.platform, info.handle, info.profile_url)
    if info is not None and "/" in text:  # a profile link on a site we do not know
        return NormalisedIdentifier(info.url, (), platform, None, info.url)
    handle = text.removeprefix("@")  # "@ann" and "ann" are the same account
    site = SITE_BY_PLATFORM.get(platform or "")
    if site is not None and site.handle_re.fullmatch(handle):
        handle = handle.lower()
        link = profile_url(site, handle)
        return NormalisedIdentifier(_username_key(platform, handle), (), platform, handle, link)
    warnings: tuple[str, ...] = ()
    if any(char.isspace() for char in handle):
        warnings += (
            tr(
                "Usernames usually have no spaces. If this is the name shown on their "
                "profile, you could also save it as a name they used."
            ),
        )
    if platform is None:
        warnings += (tr("Please choose the platform too, so police know where to look."),)
    return NormalisedIdentifier(_username_key(platform, handle.casefold()), warnings, platform)


_NORMALISERS: dict[IdentifierType, Callable[[str, str | None], NormalisedIdentifier]] = {
    IdentifierType.FACEBOOK: _facebook,
    IdentifierType.SKYPE_NAME: _skype_name,
    IdentifierType.SKYPE_ID: _skype_id,
    IdentifierType.USERNAME: _username,
    IdentifierType.EMAIL: _email,
    IdentifierType.PHONE: _phone,
    IdentifierType.BANK_ACCOUNT: normalise_bank_account,
    IdentifierType.IBAN: normalise_iban,
    IdentifierType.MTCN: normalise_mtcn,
    IdentifierType.MONEYGRAM: normalise_moneygram,
    IdentifierType.CRYPTO_WALLET: normalise_crypto_wallet,
    IdentifierType.GIFT_CARD: normalise_gift_card,
    IdentifierType.URL: _url,
    IdentifierType.NAME: _name,
    IdentifierType.OTHER: _other,
}

# Types that say their platform themselves, whatever was chosen alongside.
_DEFAULT_PLATFORM = {
    IdentifierType.FACEBOOK: "Facebook",
    IdentifierType.SKYPE_NAME: "Skype",
    IdentifierType.SKYPE_ID: "Skype",
}
