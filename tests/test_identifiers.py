"""Identifier types, words and normalisation: pure logic, no database, no Qt, no network.

The suite runs with sockets disabled (pytest-socket), so the e-mail, phone and IBAN cases
below also prove those libraries work offline as configured.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.identifiers import (
    PLATFORMS,
    IdentifierType,
    canonical_platform,
    normalise,
    parse_type,
    platform_label,
)
from app.core.identifiers import normalising as identifiers
from app.core.identifiers.types import EMPTY_NORMALISED, NormalisedIdentifier, describe_type
from app.errors import EXIT_USAGE, InvalidInput
from app.i18n import set_translator

T = IdentifierType
FB = "https://www.facebook.com/"
FB_ID = FB + "profile.php?id=100012345678"
IG = "https://www.instagram.com/"
BTC = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"
BTC_P2SH = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
BECH32 = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ETH = "0x52908400098527886E0F7030069857D2E4169EE7"
TRON = "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"

# (type, value, platform, expected normalised, a warning expected?)
# fmt: off
VALID_AND_INVALID: list[tuple[IdentifierType, str, str | None, str, bool]] = [
    # phone: E.164 with GB as the default region; partial numbers keep digits and "+"
    (T.PHONE, "07911 123456", None, "+447911123456", False),
    (T.PHONE, "+44 7911 123456", None, "+447911123456", False),
    (T.PHONE, "0044 7911 123456", None, "+447911123456", False),
    (T.PHONE, "(0161) 496 0000", None, "+441614960000", False),
    (T.PHONE, "+1 202-555-0143", None, "+12025550143", False),
    (T.PHONE, "+234 803 123 4567", None, "+2348031234567", False),
    (T.PHONE, "tel:+447911123456", None, "+447911123456", False),
    (T.PHONE, "\uff10\uff17\uff19\uff11\uff11 123456", None, "+447911123456", False),
    (T.PHONE, "07700 900123", None, "+447700900123", True),  # Ofcom drama range: not valid
    (T.PHONE, "12", None, "12", True),
    (T.PHONE, "+44", None, "+44", True),
    (T.PHONE, "2348031234567", None, "2348031234567", True),  # foreign, no "+"
    (T.PHONE, "no number", None, "no number", True),
    # email: local part as given, domain lower-cased, no DNS
    (T.EMAIL, "John.Smith@Example.COM", None, "John.Smith@example.com", False),
    (T.EMAIL, "john@gmail.com", None, "john@gmail.com", False),
    (T.EMAIL, "Ann Bee <ann@EXAMPLE.org>", None, "ann@example.org", False),
    (T.EMAIL, "j\u00f6rg@B\u00fccher.DE", None, "j\u00f6rg@b\u00fccher.de", False),
    (T.EMAIL, "john@xn--bcher-kva.de", None, "john@b\u00fccher.de", False),
    (T.EMAIL, "john.smith", None, "john.smith", True),
    (T.EMAIL, "John@Localhost", None, "John@localhost", True),
    (T.EMAIL, "john..smith@Example.com", None, "john..smith@example.com", True),
    (T.EMAIL, "john@", None, "john@", True),
    # facebook: the canonical profile link is the key
    (T.FACEBOOK, FB + "john.smith", None, FB + "john.smith", False),
    (T.FACEBOOK, "https://m.facebook.com/John.Smith?ref=x", None, FB + "john.smith", False),
    (T.FACEBOOK, "facebook.com/john.smith/", None, FB + "john.smith", False),
    (T.FACEBOOK, "http://mobile.facebook.com/John.Smith/about", None, FB + "john.smith", False),
    (T.FACEBOOK, "https://web.facebook.com/john.smith#top", None, FB + "john.smith", False),
    (T.FACEBOOK, "fb.com/john.smith", None, FB + "john.smith", False),
    (T.FACEBOOK, "john.smith", None, FB + "john.smith", False),
    (T.FACEBOOK, "@John.Smith", None, FB + "john.smith", False),
    (T.FACEBOOK, FB_ID, None, FB_ID, False),
    (T.FACEBOOK, "m.facebook.com/profile.php?id=100012345678&ref=bookmarks", None, FB_ID, False),
    (T.FACEBOOK, FB + "people/John-Smith/100012345678/", None, FB_ID, False),
    (T.FACEBOOK, "100012345678", None, FB_ID, False),
    (T.FACEBOOK, "John Smith", None, "john smith", True),  # a display name, not a link
    (T.FACEBOOK, FB + "groups/12345", None, FB + "groups/12345", True),
    (T.FACEBOOK, FB + "profile.php", None, FB + "profile.php", True),
    (T.FACEBOOK, "https://example.com/john", None, "https://example.com/john", True),
    (T.FACEBOOK, "instagram.com/ann_b", None, IG + "ann_b/", True),
    # usernames: handle lower-cased, "@" dropped, platform part of the key
    (T.USERNAME, "@Ann_B", "Instagram", "instagram:ann_b", False),
    (T.USERNAME, "ann_b", "instagram", "instagram:ann_b", False),
    (T.USERNAME, IG + "Ann_B/?hl=en", None, "instagram:ann_b", False),
    (T.USERNAME, "instagram.com/stories/ann_b/123/", None, "instagram:ann_b", False),
    (T.USERNAME, "https://twitter.com/AnnB", None, "x (twitter):annb", False),
    (T.USERNAME, "https://mobile.x.com/AnnB/status/123", None, "x (twitter):annb", False),
    (T.USERNAME, "@AnnB", "X (Twitter)", "x (twitter):annb", False),
    (T.USERNAME, "https://www.tiktok.com/@Ann.B?lang=en", None, "tiktok:ann.b", False),
    (T.USERNAME, "@ann.b", "TikTok", "tiktok:ann.b", False),
    (T.USERNAME, "snapchat.com/add/Ann-B", None, "snapchat:ann-b", False),
    (T.USERNAME, "https://t.me/AnnBee", None, "telegram:annbee", False),
    (T.USERNAME, "AnnB#1234", "Discord", "discord:annb#1234", False),
    (T.USERNAME, "ann_b", "Hornet", "hornet:ann_b", False),  # an unknown platform is kept
    (T.USERNAME, "@Ann_B", None, "ann_b", True),  # no platform chosen
    (T.USERNAME, "Ann Bee", "Tinder", "tinder:ann bee", True),  # spaces: a display name?
    (T.USERNAME, "https://forum.example/u/ann", "Other", "https://forum.example/u/ann", False),
    (T.USERNAME, IG + "explore/", None, IG + "explore/", True),
    # skype
    (T.SKYPE_ID, "live:.cid.1A2B3C", None, "live:.cid.1a2b3c", False),
    (T.SKYPE_ID, "live:john_1234", None, "live:john_1234", False),
    (T.SKYPE_ID, "  LIVE:John_1234 ", None, "live:john_1234", False),
    (T.SKYPE_ID, "john.smith1990", None, "john.smith1990", True),  # older IDs exist
    (T.SKYPE_ID, "John Smith", None, "john smith", True),  # the Skype name, probably
    (T.SKYPE_NAME, "John Smith", None, "john smith", False),
    (T.SKYPE_NAME, "  \u0410\u043d\u043d\u0430  ", None, "\u0430\u043d\u043d\u0430", False),
    (T.SKYPE_NAME, "live:john_1234", None, "live:john_1234", True),
    # iban
    (T.IBAN, "GB82 WEST 1234 5698 7654 32", None, "GB82WEST12345698765432", False),
    (T.IBAN, "gb82west12345698765432", None, "GB82WEST12345698765432", False),
    (T.IBAN, "DE89-3704-0044-0532-0130-00", None, "DE89370400440532013000", False),
    (T.IBAN, "GB82 WEST 1234 5698 7654 33", None, "GB82WEST12345698765433", True),
    (T.IBAN, "XX82WEST12345698765432", None, "XX82WEST12345698765432", True),
    (T.IBAN, "GB82 WEST 1234", None, "GB82WEST1234", True),
    (T.IBAN, "12345678", None, "12345678", True),
    # UK bank account
    (T.BANK_ACCOUNT, "12-34-56 12345678", None, "12-34-56 12345678", False),
    (T.BANK_ACCOUNT, "123456 12345678", None, "12-34-56 12345678", False),
    (T.BANK_ACCOUNT, "12 34 56, 12345678", None, "12-34-56 12345678", False),
    (T.BANK_ACCOUNT, "12345612345678", None, "12-34-56 12345678", False),
    (T.BANK_ACCOUNT, "Sort code 12-34-56 Account 12345678", None, "12-34-56 12345678", False),
    (T.BANK_ACCOUNT, "12345678 12-34-56", None, "12-34-56 12345678", False),
    (T.BANK_ACCOUNT, "12-34-56 1234567", None, "12-34-56 1234567", True),  # older: 7 digits
    (T.BANK_ACCOUNT, "12-34-56 1234567890", None, "12-34-56 1234567890", True),  # or 10
    (T.BANK_ACCOUNT, "12-34-56", None, "12-34-56", True),
    (T.BANK_ACCOUNT, "12345678", None, "12345678", True),
    (T.BANK_ACCOUNT, "1234", None, "1234", True),
    (T.BANK_ACCOUNT, "=SUM(1)", None, "=sum(1)", True),
    (T.BANK_ACCOUNT, "GB82 WEST 1234 5698 7654 32", None, "GB82WEST12345698765432", True),
    # Western Union MTCN and MoneyGram reference
    (T.MTCN, "1234567890", None, "1234567890", False),
    (T.MTCN, "123-456-7890", None, "1234567890", False),
    (T.MTCN, " 123 456 7890 ", None, "1234567890", False),
    (T.MTCN, "MTCN: 123 456 7890", None, "1234567890", False),
    (T.MTCN, "12345678", None, "12345678", True),
    (T.MTCN, "123456789012", None, "123456789012", True),
    (T.MTCN, "=SUM(1)", None, "=sum(1)", True),
    (T.MTCN, "abc", None, "abc", True),
    (T.MONEYGRAM, "12345678", None, "12345678", False),
    (T.MONEYGRAM, "1234 5678", None, "12345678", False),
    (T.MONEYGRAM, "1234-5678", None, "12345678", False),
    (T.MONEYGRAM, "1234567890", None, "1234567890", True),
    (T.MONEYGRAM, "123", None, "123", True),
    # crypto wallets: shape only, case kept where it matters
    (T.CRYPTO_WALLET, BTC, None, BTC, False),
    (T.CRYPTO_WALLET, BTC_P2SH, None, BTC_P2SH, False),
    (T.CRYPTO_WALLET, BECH32.upper(), None, BECH32, False),
    (T.CRYPTO_WALLET, f" {ETH} ", None, ETH.lower(), False),
    (T.CRYPTO_WALLET, TRON, None, TRON, False),  # a coin we do not know by name
    (T.CRYPTO_WALLET, "send it to my wallet", None, "send it to my wallet", True),
    (T.CRYPTO_WALLET, "1Boat", None, "1Boat", True),
    # gift cards
    (T.GIFT_CARD, "abcd-efgh-ijkl-mnop", None, "ABCDEFGHIJKLMNOP", False),
    (T.GIFT_CARD, "X1Y2 Z3W4 V5U6 T7S8", None, "X1Y2Z3W4V5U6T7S8", False),
    (T.GIFT_CARD, "ab12", None, "AB12", True),
    (T.GIFT_CARD, "Amazon \u00a350", None, "AMAZON\u00a350", True),
    # links
    (T.URL, "HTTPS://Example.COM:443/Some/Path?q=1#frag", None,
     "https://example.com/Some/Path?q=1", False),
    (T.URL, "http://example.com:80", None, "http://example.com/", False),
    (T.URL, "example.com/pics", None, "https://example.com/pics", False),
    (T.URL, "http://example.com:8080/a", None, "http://example.com:8080/a", False),
    (T.URL, "https://user@files.example.net/x", None, "https://user@files.example.net/x", False),
    (T.URL, "https://[2001:db8::1]:8443/x", None, "https://[2001:db8::1]:8443/x", False),
    (T.URL, "https://b\u00fccher.example/Ort", None, "https://b\u00fccher.example/Ort", False),
    (T.URL, "https://m.facebook.com/John.Smith?ref=x", None, FB + "john.smith", False),
    (T.URL, "https://twitter.com/AnnB/status/123?s=20", None,
     "https://twitter.com/AnnB/status/123?s=20", False),
    (T.URL, "localhost", None, "localhost", True),
    (T.URL, "not a link", None, "not a link", True),
    (T.URL, "https://[nope/", None, "https://[nope/", True),
    (T.URL, "https://example.com:port/", None, "https://example.com:port/", True),
    (T.URL, "https://ex\uff03ample.com/", None, "https://ex\uff03ample.com/", True),
    # names and other
    (T.NAME, "  John   SMITH ", None, "john smith", False),
    (T.NAME, "Stra\u00dfe", None, "strasse", False),
    (T.OTHER, "  Game tag: XxSlayerxX ", None, "game tag: xxslayerxx", False),
]
# fmt: on


def _id(case: tuple[IdentifierType, str, str | None, str, bool]) -> str:
    return f"{case[0].value}:{case[1][:30]!r}"


@pytest.mark.parametrize(
    ("kind", "value", "platform", "expected", "warns"),
    VALID_AND_INVALID,
    ids=map(_id, VALID_AND_INVALID),
)
def test_normalise_table(
    kind: IdentifierType, value: str, platform: str | None, expected: str, warns: bool
) -> None:
    result = normalise(kind, value, platform)
    assert result.normalised == expected
    assert bool(result.warnings) is warns, result.warnings


def test_every_type_has_table_rows_with_and_without_warnings() -> None:
    for kind in IdentifierType:
        warn_flags = {warns for k, *_, warns in VALID_AND_INVALID if k is kind}
        expected = {False} if kind in (T.NAME, T.OTHER) else {False, True}
        assert warn_flags == expected, kind


# --- duplicates ------------------------------------------------------------------------------

# fmt: off
SAME: list[tuple[IdentifierType, str, str, str | None]] = [
    (T.PHONE, "+44 7700 900123", "07700900123", None),
    (T.PHONE, "+44 (0)7911 123-456", "00447911123456", None),
    (T.EMAIL, "ann@EXAMPLE.com", "Ann Bee <ann@example.COM>", None),
    (T.FACEBOOK, "https://m.facebook.com/John.Smith?ref=x", "facebook.com/john.smith/", None),
    (T.FACEBOOK, "www.facebook.com/John.Smith", "john.smith", None),
    (T.FACEBOOK, FB + "profile.php?id=123456", "123456", None),
    (T.URL, "https://twitter.com/AnnB", "x.com/annb/", None),
    (T.URL, "http://Example.com", "http://example.com/#top", None),
    (T.USERNAME, "https://twitter.com/AnnB", "@annb", "X (Twitter)"),
    (T.USERNAME, IG + "ann_b/", "@Ann_B", "Instagram"),
    (T.SKYPE_ID, "live:.cid.ABC", "LIVE:.cid.abc ", None),
    (T.IBAN, "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", None),
    (T.BANK_ACCOUNT, "12-34-56 12345678", "123456, 12345678", None),
    (T.MTCN, "123 456 7890", "123-456-7890", None),
    (T.MONEYGRAM, "1234 5678", "12345678", None),
    (T.CRYPTO_WALLET, ETH, ETH.lower(), None),
    (T.GIFT_CARD, "abcd-efgh-ijkl", "ABCD EFGH IJKL", None),
    (T.NAME, "John  Smith", "john smith", None),
]

DIFFERENT: list[tuple[IdentifierType, str, str, str | None]] = [
    (T.CRYPTO_WALLET, BTC, BTC.lower(), None),  # base58 is case-sensitive
    (T.URL, "https://x.com/annb/status/1", "https://x.com/annb/status/2", None),
    (T.URL, "https://example.com/A", "https://example.com/a", None),
    (T.EMAIL, "John@example.com", "john@example.com", None),  # local part kept as given
]
# fmt: on


@pytest.mark.parametrize(("kind", "first", "second", "platform"), SAME)
def test_duplicates_match(
    kind: IdentifierType, first: str, second: str, platform: str | None
) -> None:
    assert (
        normalise(kind, first, platform).normalised == normalise(kind, second, platform).normalised
    )


@pytest.mark.parametrize(("kind", "first", "second", "platform"), DIFFERENT)
def test_different_values_stay_apart(
    kind: IdentifierType, first: str, second: str, platform: str | None
) -> None:
    assert (
        normalise(kind, first, platform).normalised != normalise(kind, second, platform).normalised
    )


def test_same_username_on_two_platforms_is_not_a_duplicate() -> None:
    on_instagram = normalise(T.USERNAME, "ann_b", "Instagram")
    on_snapchat = normalise(T.USERNAME, "ann_b", "Snapchat")
    assert on_instagram.normalised != on_snapchat.normalised
    assert on_instagram.handle == on_snapchat.handle == "ann_b"


# --- platform, handle and canonical link ------------------------------------------------------

# (type, value, platform given) -> (platform, handle, canonical_url)
# fmt: off
LINKS: list[tuple[IdentifierType, str, str | None, tuple[str | None, str | None, str | None]]] = [
    (T.FACEBOOK, "https://m.facebook.com/John.Smith?ref=x", None,
     ("Facebook", "john.smith", FB + "john.smith")),
    (T.FACEBOOK, "John Smith", None, ("Facebook", None, None)),
    (T.FACEBOOK, "John Smith", "Instagram", ("Facebook", None, None)),
    (T.URL, IG + "ann_b", None, ("Instagram", "ann_b", IG + "ann_b/")),
    (T.URL, "instagram.com/p/Cabc123/", None,
     ("Instagram", None, "https://instagram.com/p/Cabc123/")),
    (T.URL, "https://twitter.com/AnnB", None, ("X (Twitter)", "annb", "https://x.com/annb")),
    (T.URL, "https://x.com/AnnB/status/9", None,
     ("X (Twitter)", "annb", "https://x.com/AnnB/status/9")),
    (T.URL, "https://vm.tiktok.com/ZMabc/", None, ("TikTok", None, "https://vm.tiktok.com/ZMabc/")),
    (T.URL, "tiktok.com/@Ann.B/video/1", None,
     ("TikTok", "ann.b", "https://tiktok.com/@Ann.B/video/1")),
    (T.URL, "https://wa.me/447911123456", None, ("WhatsApp", None, "https://wa.me/447911123456")),
    (T.URL, "https://discord.gg/abc", "Telegram", ("Discord", None, "https://discord.gg/abc")),
    (T.URL, "https://facebook.com.evil.example/john", None,
     (None, None, "https://facebook.com.evil.example/john")),
    (T.URL, "https://facebook.com@evil.example/john", None,  # the real host is evil.example
     (None, None, "https://facebook.com@evil.example/john")),
    (T.URL, "https://example.com/x", "Reddit", ("Reddit", None, "https://example.com/x")),
    (T.URL, "https://developers.facebook.com/docs", None,
     ("Facebook", None, "https://developers.facebook.com/docs")),
    (T.USERNAME, "@AnnB", "twitter", ("X (Twitter)", "annb", "https://x.com/annb")),
    (T.USERNAME, "ann_b", "Kik", ("Kik", None, None)),
    (T.USERNAME, IG + "ann_b/", "Snapchat", ("Instagram", "ann_b", IG + "ann_b/")),
    (T.SKYPE_ID, "live:abc", None, ("Skype", None, None)),
    (T.PHONE, "07911 123456", "whatsapp", ("WhatsApp", None, None)),
    (T.EMAIL, "a@b.com", "  ", (None, None, None)),
]
# fmt: on


@pytest.mark.parametrize(("kind", "value", "given", "expected"), LINKS)
def test_platform_handle_and_canonical_url(
    kind: IdentifierType,
    value: str,
    given: str | None,
    expected: tuple[str | None, str | None, str | None],
) -> None:
    result = normalise(kind, value, given)
    assert (result.platform, result.handle, result.canonical_url) == expected


def test_link_on_another_platform_than_chosen_says_so_and_keeps_the_link_platform() -> None:
    result = normalise(T.USERNAME, "https://www.instagram.com/ann_b/", "Snapchat")
    assert result.platform == "Instagram"
    assert any("Instagram" in w and "Snapchat" in w for w in result.warnings)


# --- hostile values: data, never markup, formulas or paths ------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example","click me")',
    "=1+2",
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "<b>bold</b>",
    "<img src=http://x>",
    '<para><font color="red">x</font></para>',
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\config",
    "/dev/null",
    "CON",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\x07\x08\x7f",
    "\u202egpj.exe",
    "\u200bzero\u200dwidth\ufeff",
    "a\udcffb",  # from undecodable command-line bytes
    "%s%s%n{0}{found}",
    "' OR 1=1; DROP TABLE identifiers; --",
    "\U0001f600 \u0645\u0631\u062d\u0628\u0627 \u4f60\u597d",
]


@pytest.mark.parametrize("kind", list(IdentifierType))
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_accepted(kind: IdentifierType, value: str) -> None:
    result = normalise(kind, value)
    assert isinstance(result, NormalisedIdentifier)
    assert result.normalised
    assert all(isinstance(w, str) and w for w in result.warnings)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_come_back_unchanged_as_other(value: str) -> None:
    # No escaping, no quote prefix, no stripping of markup: that is the exporters' job.
    assert normalise(T.OTHER, value).normalised == value.strip().casefold()


@pytest.mark.parametrize("value", ["a\x00b", "\u202egpj.exe", "x\u200by", "\x1b[0m", "a\udcffb"])
def test_hidden_characters_are_kept_and_mentioned(value: str) -> None:
    result = normalise(T.NAME, value)
    assert result.normalised == value.casefold()
    assert any("hidden characters" in w for w in result.warnings)


@pytest.mark.parametrize("value", ["<img src=http://x>", "../../etc/passwd", "javascript:alert(1)"])
def test_things_that_are_not_links_get_no_canonical_link(value: str) -> None:
    result = normalise(T.URL, value)
    assert result.canonical_url is None
    assert result.normalised == value.casefold()
    assert result.warnings


HUGE = [
    "a" * 100_000,
    "1" * 100_000,
    "a." * 50_000,
    "https://" + "a." * 50_000 + "com/",
    "https://example.com/" + "a" * 100_000,
    "@" * 100_000,
    "live:" + "x" * 100_000,
    "=" + "(" * 100_000,
    "<" + "b>" * 50_000,
    "\u202e" * 100_000,
    " " * 100_000 + "x",
]


@pytest.mark.parametrize("kind", list(IdentifierType))
@pytest.mark.parametrize("value", HUGE, ids=lambda v: f"{v[:12]!r}x{len(v)}")
def test_huge_values_are_handled_quickly(kind: IdentifierType, value: str) -> None:
    # Timing is bounded by running these at all: a quadratic regex would take minutes.
    result = normalise(kind, value)
    assert result.normalised


def test_huge_link_is_not_parsed_but_kept() -> None:
    value = "https://example.com/" + "a" * 100_000
    result = normalise(T.URL, value)
    assert result.normalised == value
    assert result.canonical_url is None
    assert any("too long" in w for w in result.warnings)


@pytest.mark.parametrize("kind", list(IdentifierType))
@pytest.mark.parametrize("value", ["", "   ", "\n\t "])
def test_blank_values_get_a_non_empty_key_and_a_gentle_note(
    kind: IdentifierType, value: str
) -> None:
    result = normalise(kind, value)
    assert result.normalised == EMPTY_NORMALISED
    assert len(result.warnings) == 1


# --- never raises, never empty -----------------------------------------------------------------

LINKISH = st.from_regex(
    r"(https?://)?(www\.|m\.|mobile\.)?(facebook|instagram|x|twitter|tiktok|snapchat)\.com"
    r"/[@A-Za-z0-9._/?=&#%:-]{0,40}",
    fullmatch=True,
)
DIGITISH = st.text(alphabet="0123456789 +-().,#\uff10\u0661", max_size=30)
# Lone surrogates (Cs) are left out of st.text() by default, but arrive from undecodable
# command-line bytes; controls and format characters come from copy and paste.
ANY_CHARACTER = st.characters(categories=["Cs", "Cc", "Cf", "L", "M", "N", "P", "S", "Z"])
VALUES = st.one_of(st.text(), LINKISH, DIGITISH, st.text(alphabet=ANY_CHARACTER))
PLATFORM_ARG = st.one_of(st.none(), st.sampled_from(PLATFORMS), st.text(max_size=20))


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(IdentifierType), value=VALUES, platform=PLATFORM_ARG)
def test_normalise_never_raises_and_never_returns_empty(
    kind: IdentifierType, value: str, platform: str | None
) -> None:
    # The safety net in `normalise` would hide a normaliser that raises; make it loud here.
    with mock.patch.object(
        identifiers._log, "error", side_effect=AssertionError("a normaliser raised")
    ):
        result = normalise(kind, value, platform)
    assert isinstance(result.normalised, str) and result.normalised
    assert isinstance(result.warnings, tuple)
    assert all(isinstance(w, str) and w for w in result.warnings)


# Every type but usernames, whose key carries the platform ("instagram:ann").
STABLE_TYPES = [kind for kind in IdentifierType if kind is not T.USERNAME]


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(STABLE_TYPES), value=VALUES)
@example(kind=T.FACEBOOK, value="ß")  # found by a CI run: "ß" gave "ss", which is a handle
def test_normalising_a_key_again_gives_the_same_key(kind: IdentifierType, value: str) -> None:
    # Storage may re-normalise saved keys (after an edit, in a migration): they must not drift.
    first = normalise(kind, value).normalised
    assert normalise(kind, first).normalised == first


def test_a_failing_library_does_not_lose_the_value_nor_log_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(text: str, platform: str | None) -> NormalisedIdentifier:
        raise RuntimeError(text)

    monkeypatch.setitem(identifiers._NORMALISERS, T.PHONE, broken)
    with caplog.at_level(logging.ERROR):
        result = normalise(T.PHONE, " Secret 0791 ", "WhatsApp")
    assert result == NormalisedIdentifier("secret 0791", (), "WhatsApp")
    assert caplog.records and all("ecret" not in r.getMessage() for r in caplog.records)


def test_result_is_frozen() -> None:
    result = normalise(T.NAME, "Ann")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.normalised = "x"  # type: ignore[misc]


# --- types, words, keywords, platforms ---------------------------------------------------------

KEYWORDS = [
    "facebook",
    "skype-name",
    "skype-id",
    "username",
    "email",
    "phone",
    "bank-account",
    "iban",
    "mtcn",
    "moneygram",
    "crypto-wallet",
    "gift-card",
    "url",
    "name",
    "other",
]


def test_keywords_are_the_cli_contract() -> None:
    assert [member.value for member in IdentifierType] == KEYWORDS


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_parse_type_reads_every_keyword(keyword: str) -> None:
    assert parse_type(keyword) is IdentifierType(keyword)


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [(" Skype_ID ", T.SKYPE_ID), ("EMAIL", T.EMAIL), ("Gift_Card", T.GIFT_CARD)],
)
def test_parse_type_forgives_case_spaces_and_underscores(
    keyword: str, expected: IdentifierType
) -> None:
    assert parse_type(keyword) is expected


@pytest.mark.parametrize("keyword", ["skype", "", "wallet", "x" * 10_000, "=cmd|calc", "mtcn\x00"])
def test_parse_type_refuses_unknown_keywords_and_lists_the_valid_ones(keyword: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_type(keyword)
    assert caught.value.exit_code == EXIT_USAGE
    assert all(k in caught.value.message for k in KEYWORDS)
    assert len(caught.value.message) < 500  # the keyword typed is not echoed back


def test_parse_type_suggests_the_close_keywords() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_type("skype")
    assert "Did you mean skype-id or skype-name?" in caught.value.message


@pytest.mark.parametrize("kind", list(IdentifierType))
def test_every_type_has_a_short_label_and_a_few_sentences_of_help(kind: IdentifierType) -> None:
    label, help_text = describe_type(kind)
    assert (label, help_text) == (kind.label, kind.help_text)
    assert 0 < len(label) <= 40
    assert help_text.count(". ") >= 1 and len(help_text) < 600


def test_labels_are_distinct() -> None:
    assert len({kind.label for kind in IdentifierType}) == len(IdentifierType)


def test_skype_id_help_carries_the_police_explanation() -> None:
    help_text = T.SKYPE_ID.help_text
    for phrase in (
        "different",
        "View Profile",
        "blue",
        "black",
        "next to the word",
        "no spaces",
        "live:",
    ):
        assert phrase in help_text
    assert T.SKYPE_ID.label == "Skype ID (live:...)"


def test_money_help_names_the_numbers_police_trace() -> None:
    assert "10-digit" in T.MTCN.help_text and "Western Union" in T.MTCN.help_text
    assert "8-digit" in T.MONEYGRAM.help_text
    assert T.MTCN.label == "Western Union MTCN"
    assert T.FACEBOOK.label == "Facebook profile"


@pytest.fixture
def marking_translator() -> Iterator[None]:
    # Marks every translated string; placeholders like {found} must survive translation.
    set_translator(lambda context, text: "\u00bb" + text)
    yield
    set_translator(None)


@pytest.mark.usefixtures("marking_translator")
def test_words_go_through_tr_when_shown() -> None:
    assert T.MTCN.label == "\u00bbWestern Union MTCN"
    assert T.SKYPE_ID.help_text.startswith("\u00bb")
    assert normalise(T.MTCN, "123").warnings[0].startswith("\u00bb")
    assert platform_label("Other") == "\u00bbOther"
    with pytest.raises(InvalidInput, match=r"^\u00bb"):
        parse_type("nope")
    # Placeholders are filled after translating.
    warning = normalise(T.USERNAME, "instagram.com/ann", "Snapchat").warnings[0]
    assert warning.startswith("\u00bbThis link is on Instagram, not Snapchat")


def test_platforms_list() -> None:
    assert PLATFORMS[0] == "Facebook" and PLATFORMS[-1] == "Other"
    for name in ("X (Twitter)", "Telegram", "Grindr", "Plenty of Fish", "Omegle-like video chat"):
        assert name in PLATFORMS
    assert len(set(PLATFORMS)) == len(PLATFORMS) == 21


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("twitter", "X (Twitter)"),
        (" X ", "X (Twitter)"),
        ("INSTAGRAM", "Instagram"),
        ("pof", "Plenty of Fish"),
        ("Hornet", "Hornet"),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_canonical_platform(given: str | None, expected: str | None) -> None:
    assert canonical_platform(given) == expected


def test_platform_label_keeps_brand_names() -> None:
    assert platform_label("TikTok") == "TikTok"
    assert platform_label("Hornet") == "Hornet"
