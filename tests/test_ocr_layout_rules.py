"""The layout rules of issue 17 on pages as OCR returns them (word boxes and lines), and the
second look at a label's value on a real picture drawn here.

Each rule is also fuzzed in tests/test_ocr_never_raise.py; the failure shapes met on realistic
screenshots are in tests/test_ocr_realistic_shapes.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw, ImageFont

from app.core.pictures.text_page import OcrPage, OcrWord
from app.core.pictures.text_second_look import closer_looks
from app.core.reading.candidates import find_candidates
from tests.ocr_support import no_rule_fails
from tests.test_ocr_candidates import found, key, page


@pytest.fixture(autouse=True)
def _no_rule_fails() -> Iterator[None]:
    with no_rule_fails():
        yield


# -- the person's own details ---------------------------------------------------------------

@pytest.mark.parametrize("lines", [
    ("I know your number +44 20 7946 0123",),
    ("I found your email", "ann.lee@example.com lol"),  # the sentence wrapped
    ("Sender phone", "+44 (0)121 496 0493"),  # a receipt's label above
    ("Your email address", "ann.lee@example.com"),
    ("Leo Hughes <leo.h@example.com> 4 Dec", "Inbox 3 to ann.lee@example.com"),  # a mailbox
    ("Sender phene", "+1202-555-0108"),  # a receipt's label, misread
    ("know your n er +1 312-555-0120 11:38 am",),  # "number", misread
])
def test_the_persons_own_details_are_not_offered(lines: tuple[str, ...]) -> None:
    assert not {k for k in found(*lines) if k[0] in ("phone", "email")} - {
        key("email", "leo.h@example.com")}


@pytest.mark.parametrize("lines, expected", [
    (("call me on +44 20 7946 0123",), key("phone", "+44 20 7946 0123")),
    (("Receiver phone", "+44 (0)121 496 0493"), key("phone", "+44 121 496 0493")),
    (("send the receipt to kyle.b@example.com",), key("email", "kyle.b@example.com")),
    (("is this your", "friend kyle.b@example.com"), key("email", "kyle.b@example.com")),
    (("your nicer now? call +44 20 7946 0123",), key("phone", "+44 20 7946 0123")),
])
def test_the_offenders_details_still_are(lines: tuple[str, ...],
                                         expected: tuple[str, str]) -> None:
    assert expected in found(*lines)


# -- IBANs wrapped onto the next line -------------------------------------------------------

def test_a_wrapped_iban_is_joined_only_when_its_check_digits_add_up() -> None:
    assert key("iban", "GB82WEST12345698765432") in found(
        "pay into this account IBAN GB82", "WEST 1234 5698 7654 32 name on it")
    # One digit misread: the check digits fail, so nothing is offered.
    assert not {k for k in found("pay into IBAN GB82", "WEST 1234 5698 7654 33 name")
                if k[0] == "iban"}


# -- Instagram's header ---------------------------------------------------------------------

def _header(subtitle: str, composer: str = "Message...") -> set[tuple[str, str]]:
    rows = ["< Nina Lee", subtitle] + ["hey"] * 30 + [composer]
    return found(*rows)


def test_the_username_under_the_name_in_an_instagram_header() -> None:
    assert key("username", "james.walker", "Instagram") in _header("/' james.walker Lok o")
    assert key("username", "realadamkhan", "Instagram") in _header("realadamkhan")


@pytest.mark.parametrize("subtitle, composer", [
    ("online", "Message..."),  # what other apps write there
    ("typing...", "Message..."),
    ("realadamkhan", "Type a message"),  # nothing says Instagram, and not made up
    ("last seen today", "Message..."),
])
def test_no_header_username_where_instagram_would_not_put_one(subtitle: str,
                                                              composer: str) -> None:
    assert not {k for k in _header(subtitle, composer) if k[0] == "username"}


def test_a_handle_further_down_the_page_is_not_a_header() -> None:
    rows = ["hey"] * 30 + ["< Nina Lee", "james.walker", "Message..."]
    assert not {k for k in found(*rows) if k[0] == "username"}


def _desktop_header(*rows: list[tuple[str, int]]) -> set[tuple[str, str]]:
    """A two-column page: each row is (word, left) pairs on one OCR line."""
    from app.core.reading.candidates import find_candidates

    words = [OcrWord(text, left, 10 + 16 * n, 9 * len(text), 10, 91.0, n)
             for n, row in enumerate([*rows, *[[("hey", 500)]] * 30, [("Message...", 500)]])
             for text, left in row]
    return {(c.kind, c.normalised) for c in find_candidates(OcrPage(1440, 900, tuple(words)))}


def test_a_header_username_joined_to_another_columns_line() -> None:
    # Downscaled Instagram on the web: OCR joined the username to the list's "Messages".
    wanted = key("username", "amir_khan", "Instagram")
    assert wanted in _desktop_header([("Tom", 483), ("Patel", 512)],
                                     [("Messages", 13), ("amir_khan", 483)])
    # Beside the name, a word is still part of what is under it: a message, not a header.
    assert wanted not in _desktop_header([("Tom", 483), ("Patel", 512)],
                                         [("amir_khan", 483), ("whatever", 570)])


def test_a_header_username_under_a_line_of_the_avatars_marks() -> None:
    from app.core.reading.candidates import find_candidates

    # As read in a downscaled picture: the avatar read as '/"' and "N", on lines of their own.
    header = [OcrWord('/"', 602, 15, 20, 22, 40.0, 0), OcrWord("Zara", 678, 22, 40, 19, 90.0, 0),
              OcrWord("Khan", 722, 22, 40, 19, 90.0, 0), OcrWord("N", 602, 53, 12, 17, 30.0, 1),
              OcrWord("oliviax16", 679, 54, 80, 15, 90.0, 2)]
    rest = [OcrWord("hey", 679, 100 + 20 * n, 30, 12, 90.0, 3 + n) for n in range(30)]
    page = OcrPage(1440, 900, (*header, *rest))
    assert key("username", "oliviax16", "Instagram") in {
        (c.kind, c.normalised) for c in find_candidates(page)}


# -- handles in prose -----------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("add me on snapchat liam_wilson and we", key("username", "liam_wilson", "Snapchat")),
    ("message me on telegram jameshughes93 now", key("username", "jameshughes93", "Telegram")),
    ("add me on discord the_emma89 457", key("username", "the_emma89", "Discord")),  # a time
])
def test_a_made_up_handle_after_me_on_a_platform(line: str, expected: tuple[str, str]) -> None:
    assert expected in found(line)


@pytest.mark.parametrize("line", [
    "add me on snap kyle wilson",  # a plain name: its underscore may be lost
    "add me on snap the_emma 89 ok",  # the rest of the name may be the next word
])
def test_a_handle_that_may_go_on_is_not_offered_cut_short(line: str) -> None:
    assert not {k for k in found(line) if k[0] == "username"}


# -- the second look ------------------------------------------------------------------------

def _receipt() -> tuple[Image.Image, OcrPage]:
    """A receipt panel drawn here, and a first reading that got the number wrong."""
    image = Image.new("RGB", (900, 260), (255, 243, 196))
    draw = ImageDraw.Draw(image)
    label_font = ImageFont.load_default(size=22)
    draw.text((40, 30), "Tracking number (MTCN)", fill=(60, 60, 60), font=label_font)
    draw.text((40, 75), "902-811-1367", fill=(0, 0, 0), font=ImageFont.load_default(size=52))
    draw.text((40, 170), "Share this number with your receiver only.", fill=(60, 60, 60),
              font=label_font)
    words = (
        OcrWord("Tracking", 40, 32, 90, 22, 92.0, 0), OcrWord("number", 136, 32, 80, 22, 92.0, 0),
        OcrWord("(MTCN)", 222, 32, 80, 22, 92.0, 0),
        OcrWord("©02-811-1367", 40, 80, 330, 50, 35.0, 1),
        OcrWord("Share", 40, 172, 60, 22, 92.0, 2), OcrWord("this", 106, 172, 40, 22, 92.0, 2),
        OcrWord("number", 152, 172, 80, 22, 92.0, 2),
    )
    return image, OcrPage(900, 260, words)


def test_the_value_under_a_code_label_is_read_again_and_replaced() -> None:
    from app.core.pictures.text_engine import _read_line

    image, first = _receipt()
    again = closer_looks(image, first, _read_line)
    texts = [" ".join(again.words[i].text for i in line) for line in again.lines()]
    assert texts[0] == "Tracking number (MTCN)" and texts[2].startswith("Share")
    assert "".join(ch for ch in texts[1] if ch.isdigit()) == "9028111367"


def test_a_second_reading_without_a_code_leaves_the_first() -> None:
    image, first = _receipt()
    assert closer_looks(image, first, lambda strip: [("hello", (0, 0, 10, 10), 90.0)]) is first
    assert closer_looks(image, first, lambda strip: []) is first


def test_a_page_with_no_label_is_not_read_again() -> None:
    image, first = _receipt()
    words = tuple(w for w in first.words if w.line != 0)  # no label
    plain = OcrPage(first.width, first.height, words)

    def refuse(strip: Image.Image) -> list[tuple[str, tuple[int, int, int, int], float]]:
        raise AssertionError("no band should be read")

    assert closer_looks(image, plain, refuse) is plain


# -- smaller shapes met on realistic pictures ------------------------------------------------

@pytest.mark.parametrize("lines, expected", [
    # The bubble's time after a number made it look too long.
    (("call me on +1 202-555-0119 07:40",), key("phone", "+1 202-555-0119")),
    (("call me on +44 (0)161 496 0002 3 1:",), key("phone", "+44 161 496 0002")),
    # The bubble's edge read as "|" before the rest of a wrapped IBAN.
    (("pay into this account IBAN GB82 WEST 1234", "| 5698 7654 32 name on it"),
     key("iban", "GB82WEST12345698765432")),
    # A bank app: each label on a line of its own.
    (("Sort code", "40-14-15", "Account number", "37468515"),
     key("bank-account", "40-14-15 37468515")),
    # "message me on telegram" wrapped before the handle.
    (("message me on telegram", "james_taylor66 now 2:19 AM"),
     key("username", "james_taylor66", "Telegram")),
    # A mail provider's domain wrapped by the chat app.
    (("jack_brown@outlook.co", "m is where you send"), key("email", "jack_brown@outlook.com")),
])
def test_shapes_of_realistic_pictures(lines: tuple[str, ...],
                                      expected: tuple[str, str]) -> None:
    assert expected in found(*lines)


def test_a_skype_cid_with_one_letter_read_twice_is_offered_as_hard_to_read() -> None:
    from app.core.reading.candidates import find_candidates
    from tests.test_ocr_candidates import page

    [cid] = [c for c in find_candidates(page("my skype is live:.cid.4f56144148e5353¢c"))
             if c.kind == "skype-id"]
    assert cid.normalised == "live:.cid.4f56144148e5353c" and cid.corrected


@pytest.mark.parametrize("line", [
    "@no is mis)",  # an avatar read as "@" beside a message
    "@O00000OO00O0",
    "to jack walker{@yahoo co.uk",  # an e-mail address with its start misread
])
def test_avatar_marks_and_broken_addresses_are_not_handles(line: str) -> None:
    assert not {k for k in found(line) if k[0] == "username"}


@pytest.mark.parametrize("lines", [
    ("vawvwestemunion.com/gblen/send-meneylreceipt.html",),  # a misread address bar
    ("Sendet phone", "01414960824"),  # "Sender phone", misread
    ("e 1 found your email ryan hall@outlook.com lol",),  # the person's, split by a misread
    ("-0@www.instagram.com",),  # an address bar read as an e-mail address
])
def test_small_print_misreads_offer_nothing_wrong(lines: tuple[str, ...]) -> None:
    assert not {k for k in found(*lines) if k[0] in ("url", "phone", "email")}


def test_a_misread_www_before_a_profile_site() -> None:
    assert key("username", "leo.brown72", "TikTok") in found(
        "I will post your pics on https://fwwav.tiktok.com/@leo.brown72")


# -- shapes of downscaled desktop screenshots (tuning seeds 12-23) -----------------------------

@pytest.mark.parametrize("lines", [
    # Address bars whose "www" and its dot were misread: the receipt page and the inbox itself.
    ("waaw.westemunion.com/gblen/send-moneylreceipt.html",),
    ("& wwawinstagram.com/directv1111111111111111/",),
    ("vwavinstagram.com/directi/1111111111111111/",),
    # The person's own: the "to" of a mailbox misread as "10", or with its address split.
    ("Ryan Khan <the noah28@gmail.com> 24 August 2025", "Inbox 3 O 10 ryan_evans@yahoo.co.uk"),
    ("Noah Lee <zar3 jones@yahoo.co.uk> Mar 4, 2026",
     "Inbox 3 ® to liam.taylor 33@yaho0.co.uk"),
])
def test_downscaled_small_print_offers_nothing_wrong(lines: tuple[str, ...]) -> None:
    offered = {k for k in found(*lines) if k[0] in ("url", "email", "username")}
    assert not {k for k in offered if "ryan_evans" in k[1] or "33@" in k[1]
                or k[0] in ("url", "username")}


def test_the_persons_number_with_its_country_code_read_apart_is_neither_offered_nor_an_mtcn(
        ) -> None:
    lines = ("western union MTCN 297 676 5790 check it",
             "| know your number +44 (0)20 7946 0492 (5, pit")
    offered = found(*lines)
    assert key("mtcn", "2976765790") in offered
    assert not {k for k in offered if "7946" in k[1] or "2079" in k[1]}


def test_a_word_glued_to_a_profile_link_is_taken_off_and_the_link_marked_hard_to_read() -> None:
    candidates = find_candidates(page("look atinstagram.com/amir_wilson everyone will see"))
    [link] = [c for c in candidates if c.kind == "username"]
    assert (link.kind, link.normalised) == key("username", "amir_wilson", "Instagram")
    assert link.corrected  # shown as hard to read: the person checks it against the picture


@pytest.mark.parametrize("line", [
    "@veryone in your school will see it",  # "everyone", its "e" read as "@"
    "@nd your family too",
])
def test_a_word_whose_first_letter_was_read_as_at_is_not_a_handle(line: str) -> None:
    assert not {k for k in found(line) if k[0] == "username"}
    assert key("username", "@veryone_x") in found("add me @veryone_x")  # a made-up one still is


@pytest.mark.parametrize("lines", [
    ("my email is the.ann94@y", "ahoo.co.uk lol"),  # the rest of a mail provider's domain
    ("my email is la.lla||94@ya| 00.co.uk &",),  # a name of digits only
])
def test_the_end_of_a_broken_email_address_is_not_a_link(lines: tuple[str, ...]) -> None:
    assert not {k for k in found(*lines) if k[0] == "url"}
    assert key("url", "https://www.yahoo.co.uk/news") in found("see https://www.yahoo.co.uk/news")


def test_a_profile_link_cut_at_a_dot_with_more_after_it_is_marked_hard_to_read() -> None:
    [cut] = [c for c in find_candidates(page("this is my page instagram.com/the. sogHIeSO"))
             if c.kind == "username"]
    assert cut.corrected  # the name may go on after the dot: the person checks the picture
    [whole] = [c for c in find_candidates(page("my page is instagram.com/amy_lee. See you"))
               if c.kind == "username"]
    assert not whole.corrected  # a full stop before a new sentence leaves the link as read
