"""The rules that find details in OCR text, on pages built by hand: no Tesseract, no Qt.

Each table row is some lines of text as OCR might read them and the (kind, normalised)
pairs that must be found, or must not be. Pages are laid out like a chat bubble: lines one
under the other at the same left edge, unless a test moves them apart.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from app.core.identifiers.normalising import normalise
from app.core.identifiers.types import IdentifierType
from app.core.pictures.text_page import OcrPage, OcrWord
from app.core.reading.candidates import Candidate, find_candidates
from app.core.reading.kinds import DetailKind
from app.core.reading.lines import MAX_LINE_CHARS
from app.core.reading.rules.wallets import wallet_address
from tests.ocr_support import no_rule_fails

AMOUNT, DATE_TIME = DetailKind.AMOUNT, DetailKind.DATE_TIME

HEIGHT = 14  # of a word box, in pixels
CHAR = 8  # width of a character


@pytest.fixture(autouse=True)
def _no_rule_fails() -> Iterator[None]:
    with no_rule_fails():
        yield


def page(*lines: str, lefts: tuple[int, ...] = (), gap: int = 6) -> OcrPage:
    """A page with one OCR line per string, words split at spaces. `lefts` moves lines."""
    words: list[OcrWord] = []
    top = 10
    for number, line in enumerate(lines):
        left = lefts[number] if number < len(lefts) else 10
        for text in line.split(" "):
            if text:
                words.append(OcrWord(text, left, top, CHAR * len(text), HEIGHT, 91.0, number))
                left += CHAR * (len(text) + 1)
        top += HEIGHT + gap
    return OcrPage(2000, 2000, tuple(words))


def found(*lines: str) -> set[tuple[str, str]]:
    return {(c.kind, c.normalised) for c in find_candidates(page(*lines))}


def key(kind: str, value: str, platform: str | None = None) -> tuple[str, str]:
    return kind, normalise(IdentifierType(kind), value, platform).normalised


BTC = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"
BTC_P2SH = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
BECH32 = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ETH = "0x52908400098527886E0F7030069857D2E4169EE7"  # EIP-55 mixed case
ETH_LOWER = "0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae"
IBAN = "GB82 WEST 1234 5698 7654 32"
CID = "live:.cid.8a7f3c2e91b04d56"
FB_ID = "https://www.facebook.com/profile.php?id=100012345678"

# (lines, pairs that must be found)
# fmt: off
POSITIVE: list[tuple[tuple[str, ...], set[tuple[str, str]]]] = [
    # e-mail, including the OCR spacing that is safe to mend
    (("email me at ann.lee@example.com",), {key("email", "ann.lee@example.com")}),
    (("(ann.lee@example.co.uk).",), {key("email", "ann.lee@example.co.uk")}),
    (("email dan.lee67 @example.com",), {key("email", "dan.lee67@example.com")}),
    (("my email is dan.smith@mail.example. com",), {key("email", "dan.smith@mail.example.com")}),
    (("send it to the_chloe27@yahoo. co.uk",), {key("email", "the_chloe27@yahoo.co.uk")}),
    # phone: national and international, UK by default
    (("call me on 020 7946 0123",), {key("phone", "020 7946 0123")}),
    (("call +44 20 7946 0456 now",), {key("phone", "+44 20 7946 0456")}),
    (("ring 0161 496 0789",), {key("phone", "0161 496 0789")}),
    (("whatsapp +1 202-555-0143",), {key("phone", "+1 202-555-0143")}),
    (("my number is 02079460999",), {key("phone", "02079460999")}),
    (("call me on +44 141", "496 0168 now"), {key("phone", "+44 141 496 0168")}),
    # links and profiles
    (("my insta is instagram.com/john_smith.92",),
     {key("username", "instagram.com/john_smith.92")}),
    (("fb: https://www.facebook.com/john.smith",), {key("facebook", "facebook.com/john.smith")}),
    (("add me m.facebook.com/ann.lee.5",), {key("facebook", "facebook.com/ann.lee.5")}),
    (("www.facebook.com/profile php?id=100012345678",), {key("facebook", FB_ID)}),
    (("www . facebook.com/profile.php?1d=100012345678",), {key("facebook", FB_ID)}),
    (("tiktok.com/@ann.lee and t.me/annlee99",),
     {key("username", "tiktok.com/@ann.lee"), key("username", "t.me/annlee99")}),
    (("I will post them at https://example.com/leaks/x1.",),
     {key("url", "https://example.com/leaks/x1")}),
    (("see www.example.org/a?b=c (or example.net/x)",),
     {key("url", "www.example.org/a?b=c"), key("url", "example.net/x")}),
    (("a post facebook.com/john.smith/posts/123",),
     {key("url", "facebook.com/john.smith/posts/123")}),
    # Links near an app's own pages are still found: a look-alike, a post, a web page.
    (("go to notwesternunion.com/pay now",), {key("url", "notwesternunion.com/pay")}),
    (("https://paypal.me/jess58 send it",), {key("url", "https://paypal.me/jess58")}),
    (("see mail.example.com/leaks/you1",), {key("url", "mail.example.com/leaks/you1")}),
    # a link wrapped by the chat app, joined up because the piece below cannot be a word
    (("my profile is", "www.facebook.com/profile.php?id=10002", "6554922658"),
     {key("facebook", "https://www.facebook.com/profile.php?id=100026554922658")}),
    (("look at https://example.com/leaks/noahhugh", "es81"),
     {key("url", "https://example.com/leaks/noahhughes81")}),
    # Skype IDs, with the OCR slips that a 16-digit hex number makes safe to mend
    (("send it to my skype " + CID,), {key("skype-id", CID)}),
    (("skype id: live:ann.lee_92",), {key("skype-id", "live:ann.lee_92")}),
    (("add me live:.cid.2afodddb70de7bfa",), {key("skype-id", "live:.cid.2af0dddb70de7bfa")}),
    # An older Skype ID, with no "live:", named after "skype": it had not been offered at all.
    (("Skype: samsmith_1985",), {key("skype-id", "samsmith_1985")}),
    (("add me on skype sam.smith99 tonight",), {key("skype-id", "sam.smith99")}),
    (("my skype id is sam.smith99",), {key("skype-id", "sam.smith99")}),
    (("add me live:..cid. 8a7f3c2e91b04d56",), {key("skype-id", CID)}),
    (("live:.cid.8a7f3c2e91b0 4d56 is mine",), {key("skype-id", CID)}),
    (("send it to live:.cid.8a7f3c2e91", "b04d56"), {key("skype-id", CID)}),
    # usernames: platform only when the text right around says so
    (("@dark_knight99",), {key("username", "@dark_knight99")}),
    (("Instagram: @bob.x",), {key("username", "@bob.x", "Instagram")}),
    (("add me on snap @ann.lee99",), {key("username", "@ann.lee99", "Snapchat")}),
    (("snap: ann.lee",), {key("username", "ann.lee", "Snapchat")}),
    (("my insta is ann.lee92",), {key("username", "ann.lee92", "Instagram")}),
    (("@kyle on tiktok",), {key("username", "@kyle", "TikTok")}),
    (("Telegram", "@annlee_99"), {key("username", "@annlee_99", "Telegram")}),
    (("message me on telegram", "@annlee_99"), {key("username", "@annlee_99", "Telegram")}),
    (("fb: john.smith",), {key("facebook", "john.smith")}),
    (("@the. ryan39",), {key("username", "@the.ryan39")}),
    # money: context words make a number an MTCN, a reference or an account
    (("MTCN 123-456-7890",), {key("mtcn", "1234567890")}),
    (("Western Union", "the number is 123 456 7890"), {key("mtcn", "1234567890")}),
    (("sent by Westermn Union, MTCN 820057 9544",), {key("mtcn", "8200579544")}),
    (("Western Union MTCN: 253 548", "5694"), {key("mtcn", "2535485694")}),
    (("MoneyGram reference 12345678",), {key("moneygram", "12345678")}),
    (("MoneyGram", "receipt", "ref 87654321"), {key("moneygram", "87654321")}),
    (("sort code 12-34-56 account 12345678",), {key("bank-account", "12-34-56 12345678")}),
    (("account number 87654321", "sort code 65-43-21"), {key("bank-account", "65-43-21 87654321")}),
    (("IBAN " + IBAN,), {key("iban", IBAN)}),
    (("pay to DE89370400440532013000 now",), {key("iban", "DE89370400440532013000")}),
    (("btc " + BTC,), {key("crypto-wallet", BTC)}),
    (("wallet " + BTC_P2SH + " " + BECH32,),
     {key("crypto-wallet", BTC_P2SH), key("crypto-wallet", BECH32)}),
    (("eth " + ETH + " or " + ETH_LOWER,),
     {key("crypto-wallet", ETH), key("crypto-wallet", ETH_LOWER)}),
    (("send to Ox52908400098527886E0F7030069857D2E4169EE7",), {key("crypto-wallet", ETH)}),
    (("send to 0x52908400098527886E0F7030069857", "D2E4169EE7"), {key("crypto-wallet", ETH)}),
    (("send to bcl" + BECH32[3:],), {key("crypto-wallet", BECH32)}),
    # amounts and dates
    (("pay £250 now",), {(AMOUNT, "GBP 250.00")}),
    (("$1,000.50 or €30",), {(AMOUNT, "USD 1000.50"), (AMOUNT, "EUR 30.00")}),
    (("250 GBP, 100 USD and 50 pounds",),
     {(AMOUNT, "GBP 250.00"), (AMOUNT, "USD 100.00"), (AMOUNT, "GBP 50.00")}),
    (("I want £1.5k",), set()),  # only whole thousands: "£1.5k" is left alone
    (("I want £2k",), {(AMOUNT, "GBP 2000.00")}),
    (("21:14",), {(DATE_TIME, "21:14")}),
    (("9:14 PM",), {(DATE_TIME, "21:14")}),
    (("12:05 am",), {(DATE_TIME, "00:05")}),
    (("Yesterday 21:14",), {(DATE_TIME, "yesterday 21:14")}),
    (("last seen today at 9:14 pm",), {(DATE_TIME, "today 21:14")}),
    (("Mon 21:14:05",), {(DATE_TIME, "monday 21:14:05")}),
    (("12/03/2024",), {(DATE_TIME, "2024-03-12")}),
    (("03/25/2024",), {(DATE_TIME, "2024-03-25")}),  # only month first makes sense
    (("12/03/24, 21:14",), {(DATE_TIME, "2024-03-12 21:14")}),
    (("2024-03-12T21:14",), {(DATE_TIME, "2024-03-12 21:14")}),
    (("3 Mar 2024",), {(DATE_TIME, "2024-03-03")}),
    (("3rd of March 2024",), {(DATE_TIME, "2024-03-03")}),
    (("March 3, 2024",), {(DATE_TIME, "2024-03-03")}),
    (("by March 3",), {(DATE_TIME, "--03-03")}),
    (("on 5 May",), {(DATE_TIME, "--05-05")}),
    (("21:14, 12/03/2024",), {(DATE_TIME, "2024-03-12 21:14")}),
]

# (lines, kinds that must not be found at all)
NEGATIVE: list[tuple[tuple[str, ...], set[str]]] = [
    (("the code is 1234567890",), {"mtcn", "phone"}),  # no MTCN context, not a valid phone
    (("Order 01234 567890 is on its way",), {"phone"}),
    (("tracking 07911 123456",), {"phone"}),
    (("call 07700 900123",), {"phone"}),  # Ofcom drama range: the library calls it invalid
    (("Western Union closes at 6", "call 0161 496 0123"), {"mtcn"}),  # a phone stays a phone
    (("my number is 12345678",), {"moneygram", "bank-account"}),
    (("sort code 12-34-56",), {"bank-account"}),  # no account number near it
    (("12-34-56 12345678",), {"bank-account"}),  # no word saying it is a bank account
    (("IBAN GB83 WEST 1234 5698 7654 32",), {"iban"}),  # the check digits do not add up
    (("btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyU",), {"crypto-wallet"}),  # bad checksum
    (("0x52908400098527886e0F7030069857D2E4169EE7",), {"crypto-wallet"}),  # bad EIP-55
    (("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr",), {"crypto-wallet"}),
    (("live:.cid.8a7f3c2e91b04d",), {"skype-id"}),  # too short to be a cid
    (("live: music tonight",), {"skype-id"}),
    (("my skype is down again",), {"skype-id", "username"}),  # a plain word after "is"
    (("skype: sam",), {"skype-id"}),  # shorter than any Skype ID
    (("skype id: live:.cid.8a7f3c2e91b04d",), {"skype-id"}),  # "live" is not the ID
    (("my snap is down lol",), {"username"}),
    (("snap: kyle wilson",), {"username"}),  # the underscore was lost: "kyle" is unsure
    (("my insta is private",), {"username"}),
    (("I don't use instagram anymore, ask @bob",), set()),  # platform too far: see below
    (("meet @5pm",), {"username"}),
    (("@chloex&6",), {"username"}),
    (("email the-adam/70@outlook.com",), {"email"}),  # a misread, not "70@outlook.com"
    (("contact me @ example.com",), {"email"}),
    (("ok.So what now", "photo.jpg", "e.g. this"), {"url"}),
    (("../../etc/passwd",), {"url"}),
    (("the version is 1.2.34",), {DATE_TIME}),
    (("I may 2 things",), {DATE_TIME}),
    (("I sat 21:14",), set()),  # "sat" is not Saturday; the time alone is still found
    (("=HYPERLINK(\"http://x\")",), {"url"}),
    # The address bar of the page being screenshotted: the app's or service's own page.
    (("web.whatsapp.com/",), {"url"}),
    (("https://web.telegram.org/a/",), {"url"}),
    (("https://www.westernunion.com/gb/en/send-money/receipt.html",), {"url"}),
    (("mail.example.com/mail/u/0/#inbox",), {"url"}),
    (("https://www.instagram.com/direct/t/1111111111111111/",), {"url", "username"}),
]
# fmt: on


@pytest.mark.parametrize(("lines", "expected"), POSITIVE)
def test_finds(lines: tuple[str, ...], expected: set[tuple[str, str]]) -> None:
    pairs = found(*lines)
    assert expected <= pairs, f"missing {expected - pairs}, found {pairs}"
    # and nothing of the same kinds that was not asked for
    kinds = {kind for kind, _ in expected}
    assert {p for p in pairs if p[0] in kinds} == expected


@pytest.mark.parametrize(("lines", "kinds"), NEGATIVE)
def test_does_not_find(lines: tuple[str, ...], kinds: set[str]) -> None:
    pairs = found(*lines)
    assert not {p for p in pairs if p[0] in kinds}, pairs


def test_a_handle_far_from_a_platform_word_has_no_platform() -> None:
    [candidate] = find_candidates(page("I don't use instagram anymore, ask @bob"))
    assert (candidate.kind, candidate.platform) == ("username", None)


def test_identifier_keys_are_those_of_normalise() -> None:
    lines = [line for lines, _ in POSITIVE for line in lines]
    for candidate in find_candidates(page(*lines)):
        if candidate.kind in (AMOUNT, DATE_TIME):
            continue
        result = normalise(IdentifierType(candidate.kind), candidate.value, candidate.platform)
        assert result.normalised == candidate.normalised, candidate
        assert result.platform == candidate.platform, candidate


def test_platforms() -> None:
    by_kind = {c.kind: c for c in find_candidates(page("fb: facebook.com/a.b", CID))}
    assert by_kind["facebook"].platform == "Facebook"
    assert by_kind["skype-id"].platform == "Skype"
    [insta] = find_candidates(page("instagram.com/ann.lee"))
    assert insta.platform == "Instagram"


# --- words: which boxes on the picture hold each detail ----------------------------------------


def test_words_cover_the_value_and_nothing_else() -> None:
    shot = page("hi", "call me on +44 20 7946 0123 now", "email ann@example.com.")
    by_kind = {c.kind: c for c in find_candidates(shot)}
    phone_words = [shot.words[i].text for i in by_kind["phone"].words]
    assert phone_words == ["+44", "20", "7946", "0123"]
    assert [shot.words[i].text for i in by_kind["email"].words] == ["ann@example.com."]
    assert by_kind["email"].value == "ann@example.com"


def test_words_across_lines() -> None:
    shot = page("account number 87654321", "sort code 65-43-21")
    [candidate] = find_candidates(shot)
    assert [shot.words[i].text for i in candidate.words] == ["87654321", "65-43-21"]
    wrapped = page("look at https://example.com/leaks/noahhugh", "es81")
    [link] = find_candidates(wrapped)
    assert [wrapped.words[i].text for i in link.words][-2:] == [
        "https://example.com/leaks/noahhugh",
        "es81",
    ]


def test_words_through_mended_text() -> None:
    shot = page("my email is dan.smith@mail.example. com thanks")
    [candidate] = find_candidates(shot)
    assert [shot.words[i].text for i in candidate.words] == ["dan.smith@mail.example.", "com"]


def test_candidates_come_in_reading_order() -> None:
    shot = page("21:14", "call 020 7946 0123", "MTCN 123-456-7890", "ann@example.com")
    assert [c.kind for c in find_candidates(shot)] == [DATE_TIME, "phone", "mtcn", "email"]


# --- de-duplication and overlaps ------------------------------------------------------------------


def test_the_same_detail_twice_is_one_candidate_from_its_first_place() -> None:
    shot = page("call 020 7946 0123", "or +44 20 7946 0123", "or 02079460123")
    [candidate] = find_candidates(shot)
    assert candidate.value == "020 7946 0123"
    assert min(candidate.words) == 1


def test_one_detail_is_not_also_read_as_another() -> None:
    # An MTCN is not also a phone number; an e-mail's domain is not also a link; the "@"
    # of an e-mail is not a handle; an IBAN's digits are not an account.
    pairs = found("MTCN 0161496012", "ann@example.com", "IBAN " + IBAN + " account")
    assert {kind for kind, _ in pairs} == {"mtcn", "email", "iban"}


def test_a_date_and_a_time_far_apart_are_two_details() -> None:
    # OCR put a date from the chat list and a time under a message on one line.
    far = OcrPage(
        2000,
        2000,
        (
            OcrWord("30/08/2025", 500, 10, 80, HEIGHT, 90.0, 0),
            OcrWord("13:09", 900, 10, 40, HEIGHT, 90.0, 0),
        ),
    )
    pairs = {(c.kind, c.normalised) for c in find_candidates(far)}
    assert pairs == {(DATE_TIME, "2025-08-30"), (DATE_TIME, "13:09")}


def test_pieces_in_another_bubble_are_not_joined() -> None:
    # The next line starts far to the right: another bubble, so no join.
    shot = page("look at https://example.com/leaks/noahhugh", "es81", lefts=(10, 900))
    assert found_in(shot) == {key("url", "https://example.com/leaks/noahhugh")}
    apart = page("call me on +44 141", "496 0168", gap=60)
    assert not [c for c in find_candidates(apart) if c.kind == "phone"]


def found_in(shot: OcrPage) -> set[tuple[str, str]]:
    return {(c.kind, c.normalised) for c in find_candidates(shot)}


def test_wallet_address_mends_only_what_the_checksum_confirms() -> None:
    assert wallet_address("1BoatSLRHtKNngkdXEeobR76b53LETtpyT") == BTC
    # Base58 has no "0" or "O", so each must be an "o"; the checksum confirms it.
    assert wallet_address("1BOatSLRHtKNngkdXEeobR76b53LETtpyT") == BTC
    assert wallet_address(BTC.replace("o", "0", 1)) == BTC
    # A letter in the wrong case is a different, valid-looking character: never guessed.
    assert wallet_address("1bOatSLRHtKNngkdXEeobR76b53LETtpyT") is None
    assert wallet_address("0x" + ETH[2:].replace("0", "O")) == ETH
    assert wallet_address("not a wallet") is None


# --- hostile text ---------------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/x","click")',
    "<b>markup</b> <script>alert(1)</script>",
    "../../etc/passwd",
    "\x00\x01\x02\u202e\u200b\ufeff",
    "a\nb\tc\rd",
    "@" * 3000,
    "1" * 3000,
    "1-" * 1500,
    "a." * 1500,
    "live:" + "a" * 3000,
    "0x" + "a" * 3000,
    "https://" + "a." * 1000 + "com/" + "/" * 1000,
    "x@" + "a-" * 1500 + ".com",
    "£" + "9" * 3000,
    "12/" * 1000,
    "Mon " * 1000 + "21:14",
    ":" * 3000,
    "\U0001f600" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_lines_are_quick_and_safe(text: str) -> None:
    # As one word as long as a line may be, and cut into words of OCR's longest.
    whole = text[: MAX_LINE_CHARS - 1]
    pieces = " ".join(text[i : i + 200] for i in range(0, len(text), 200))
    started = time.perf_counter()
    candidates = find_candidates(page(whole, pieces, pieces + " 21:14"))
    # One word of the size above, or many: linear regular expressions keep it well under this.
    assert time.perf_counter() - started < 2.0
    assert all(isinstance(c, Candidate) for c in candidates)


def test_a_huge_page_is_bounded() -> None:
    words = tuple(
        OcrWord(
            f"0161 496 0{i % 1000:03d}"[: 5 + i % 9], 10 * (i % 100), i // 100, 9, 9, 50.0, i // 100
        )
        for i in range(20_000)
    )
    started = time.perf_counter()
    find_candidates(OcrPage(5000, 5000, words))
    assert time.perf_counter() - started < 20.0


def test_a_long_line_is_cut() -> None:
    long_line = "x " * MAX_LINE_CHARS + "ann@example.com"
    assert not found(long_line)  # beyond the cap: not read at all


def test_a_platform_in_another_bubble_is_not_the_handles() -> None:
    near = find_candidates(page("message me on telegram", "@ann_lee"))
    far = find_candidates(page("message me on telegram", "@ann_lee", lefts=(10, 900)))
    assert [c.platform for c in near] == ["Telegram"]
    assert [c.platform for c in far] == [None]
