"""Rules that find how to reach someone in OCR text: e-mail addresses, phone numbers, links.

Each rule reads one line (with its neighbours for context) and yields what it found. They
prefer to miss a detail than to invent one: a person will add a missed detail by hand, but a
wrong one offered with confidence may end up in a police report. So every match is checked
by the library that knows the format (email-validator, phonenumbers, `identifier_urls`), and
loose shapes need a word nearby that says what they are.

The regular expressions are built to run in linear time: every repeated part is bounded or
cannot overlap its neighbour, so hostile text cannot make them backtrack without end.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from app.core.identifiers import FACEBOOK, IdentifierType, inspect_url, is_app_page, split_url
from app.core.reading.lines import EDGE_PUNCTUATION, Found, Line, identifier_found
from app.core.reading.rules.ocr_slips import (
    MAIL_HOSTS,
    continues_after_a_dot,
    glued_to_mail_host,
    link_view,
    mail_host_cut,
    mended_mail_host,
    mended_profile_domain,
    misread_inbox_page,
    misread_money_page,
)

# --- e-mail -------------------------------------------------------------------------------

# The address must start the word: "adam/70@outlook.com" is a misread, not "70@outlook.com".
# OCR may put a space on either side of the "@" ("name @example.com").
_EMAIL_RE = re.compile(
    r"(?<![^\s(<\[{\"'«“‘:;,])(?P<local>[\w.+%\-]{1,64})(?P<gap> ?)@ ?"
    r"(?P<domain>(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24})(?![\w\-@])"
)
# Before a spaced "@", only something that is clearly not an ordinary word ("me @ home.com")
_MADE_UP_RE = re.compile(r"[0-9._\-]")


def find_emails(lines: list[Line], index: int) -> Iterator[Found]:
    from email_validator import EmailNotValidError, validate_email

    if "@" not in lines[index].text:
        return
    line = link_view(lines[index])
    for match in _EMAIL_RE.finditer(line.text):
        local = match["local"].lstrip(EDGE_PUNCTUATION)
        if match["gap"] and not _MADE_UP_RE.search(local):
            continue
        # Nobody's address is "-0@..." or "@www.": those are an address bar or marks.
        if sum(ch.isalnum() for ch in local) < 2 or match["domain"].lower().startswith("www."):
            continue
        start = match.start("local") + len(match["local"]) - len(local)
        broken = _broken_in_brackets(line.text, match)
        if broken is not None:
            local = _joined_local(broken, match["local"])
            start = line.text.rfind("<", 0, match.start()) + 1
        domain = match["domain"]
        spans: tuple[tuple[int, int, int], ...] = ()
        rest = _domain_rest_below(lines, index, line, match)
        if rest:
            domain += rest
            spans = ((index + 1, 0, len(rest)),)
        # Typed text is as the sender wrote it: a look-alike domain there is theirs.
        mended = domain if lines[index].typed else mended_mail_host(domain)
        value = f"{local}@{mended}"
        try:
            # check_deliverability=False: the default asks DNS, and Safekeep never goes online.
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            continue
        span = (index, *line.source(start, match.end()))
        found = identifier_found(IdentifierType.EMAIL, value, (span, *spans))
        # A broken address put together again is shown as hard to read, like a mended one.
        corrected = mended != domain or broken is not None
        yield dataclasses.replace(found, corrected=True) if corrected else found


def _domain_rest_below(lines: list[Line], index: int, line: Line,
                       match: re.Match[str]) -> str:
    """The end of a mail provider's domain that the chat app wrapped onto the next line of
    the bubble ("jack_brown@outlook.co" then "m is where you send"), or ""."""
    if match.end() != len(line.text.rstrip()) or index + 1 >= len(lines) \
            or not lines[index].continued_by(lines[index + 1]):
        return ""
    piece = lines[index + 1].text.split(" ", 1)[0]
    joined = (match["domain"] + piece).lower()
    return piece if 0 < len(piece) <= 3 and joined in MAIL_HOSTS else ""


def _broken_in_brackets(text: str, match: re.Match[str]) -> str | None:
    """"<mia hughes@example.com>": the sender's address with a character misread as a
    space. What is after the "<" is part of it: that piece, or None."""
    opened = text.rfind("<", 0, match.start())
    piece = text[opened + 1 : match.start()]
    # One word glued to the "<": "< my email is x@y.com" is a misread mark before a sentence.
    if opened != -1 and ">" not in piece and len(piece.split()) == 1 \
            and not piece[0].isspace():
        return piece.strip()
    return None


def _joined_local(piece: str, local: str) -> str:
    """The address's part before the "@" put together again. "the" "_jack26": the "_" was
    read, the space is the slip. "mia" "hughes": the space stands for a thin character lost
    in small letters, and a "." is guessed, the separator most addresses use (on the
    realistic tuning seeds, 3 of 4 such breaks)."""
    if piece[-1] in "._-" or local[0] in "._-":
        return piece + local
    return f"{piece}.{local.lstrip(EDGE_PUNCTUATION)}"


# --- phone --------------------------------------------------------------------------------

# Numbers after these words are references, not phone numbers, even when they happen to
# have the shape of one ("Order 01234 567890").
_NOT_PHONE_BEFORE_RE = re.compile(
    r"(?:order|ref|reference|invoice|tracking|parcel|booking|receipt|transaction|mtcn|"
    r"iban|account|acc|a/c|id|#)\W{0,4}(?:no\W{0,3})?$"
)


def find_phones(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    if sum(map(str.isdigit, line.text)) >= 7:  # no phone number is shorter
        for start, end, raw in _phone_matches_in(line.text):
            if not _NOT_PHONE_BEFORE_RE.search(line.lower[max(0, start - 30) : start]):
                yield identifier_found(IdentifierType.PHONE, raw, ((index, start, end),))
    yield from _wrapped_phone(lines, index)


# The end of a chat line after a number is the bubble's time, often misread ("07:40", "312",
# "3 1:"): its digits can make the number before it look too long to be valid.
def _phone_matches_in(text: str) -> list[tuple[int, int, str]]:
    """The phone numbers in a line; if none, the same with its last one or two short words
    blanked out (the same length, so the places stay right)."""
    found = list(_phone_matches(text))
    if found or ("+" not in text and " 0" not in text):
        return found
    for cut in (1, 2):
        tail = re.search(rf"(?:\s\S{{1,5}}){{{cut}}}\s*$", text)
        if tail is None:
            break
        found = list(_phone_matches(text[: tail.start()] + " " * len(tail[0])))
        if found:
            return found
    return []


def _phone_matches(text: str) -> Iterator[tuple[int, int, str]]:
    # Imported here: phonenumbers costs start-up time (docs/DESIGN.md budget).
    import phonenumbers

    # VALID, not POSSIBLE: POSSIBLE accepts any run of 10 digits (MTCNs, order numbers).
    # The cost is that numbers the library's data calls unused are missed, such as Ofcom's
    # 07700 900xxx drama range.
    matcher = phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.VALID, max_tries=50
    )
    for match in matcher:
        # A number written in the UK starts with 0 (national) or + / 00 (international);
        # bare digits are far more often a reference, a code or an amount.
        if match.raw_string.lstrip("(").startswith(("+", "0")):
            yield match.start, match.end, match.raw_string


# The start of a phone number at the end of a line: "+1", "+44 141", "0161 496".
_PHONE_START_RE = re.compile(r"(?<!\S)[+0(][0-9 ()\-]{0,14}$")


def _wrapped_phone(lines: list[Line], index: int) -> Iterator[Found]:
    """A phone number the chat app wrapped at a space: "call me on +44 141" then "496 0168"."""
    if index + 1 >= len(lines) or not lines[index].continued_by(lines[index + 1]):
        return
    line, below = lines[index], lines[index + 1]
    start_match = _PHONE_START_RE.search(line.text.rstrip())
    if start_match is None or not any(char.isdigit() for char in start_match[0]):
        return
    start = start_match.start()
    if _NOT_PHONE_BEFORE_RE.search(line.lower[max(0, start - 30) : start]):
        return
    head = start_match[0].rstrip()
    split = len(head) + 1
    for found_start, found_end, raw in _phone_matches(f"{head} {below.text[:30]}"):
        if found_start == 0 and found_end > split:
            spans = ((index, start, start + len(head)), (index + 1, 0, found_end - split))
            yield identifier_found(IdentifierType.PHONE, raw, spans)
        return


# --- links --------------------------------------------------------------------------------

_URL_RE = re.compile(
    r"(?<![\w@.\-/])"
    r"(?P<scheme>(?i:https?)://)?"
    r"(?P<host>(?:[A-Za-z0-9\-]{1,63}\.){1,6}(?P<tld>[A-Za-z]{2,24}))(?![\w\-])"
    r"(?::[0-9]{1,5})?"
    # A link never holds a quote or angle brackets (RFC 3986 has them escaped): where one
    # comes, the link has ended ('=HYPERLINK("https://x.example/p","click")', "<a>...").
    r"(?:[/?#][^\s\"<>]{0,2000})?"
)
# Without "https://" or "www.", a word with a dot in it is only taken for a link when it
# ends in one of these (lower-case, as people type links). "ok.So" or "photo.jpg" are not.
_COMMON_TLDS = frozenset(
    "com net org info biz io me co uk ru de fr nl es it pl us ca au in cn br xyz top site "
    "online club app link live tv cc gg ly to ws su ng gh za ke ph vn tk ml ga cf gq".split()
)
_URL_END = ".,;:!?'\"»”’"


def find_links(lines: list[Line], index: int) -> Iterator[Found]:
    if "." not in lines[index].text:
        return
    line = link_view(lines[index])
    for match in _URL_RE.finditer(line.text):
        start, end = match.start(), _url_end(line.text, match.start(), match.end())
        value = line.text[start:end]
        spans: tuple[tuple[int, int, int], ...] = ((index, *line.source(start, end)),)
        if end == len(line.text) and index + 1 < len(lines):
            piece = _wrapped_part(value, lines[index], lines[index + 1])
            if piece:
                value += piece
                spans += ((index + 1, 0, len(piece)),)
        # A letter or a slash put right (not only spaces taken out): the person checks it.
        as_read = lines[index].text[spans[0][1] : spans[0][2]]
        mended = mended_profile_domain(value)
        corrected = mended != value or line.text[start:end].count("/") != as_read.count("/")
        value = mended
        parts = split_url(value)
        if parts is None:
            continue
        info = inspect_url(parts)
        tld = match["tld"]
        if not (
            match["scheme"]
            or match["host"].lower().startswith("www.")
            or info.platform is not None
            or (tld.islower() and tld in _COMMON_TLDS)
        ):
            continue
        if is_app_page(value) or misread_money_page(value) or misread_inbox_page(parts):
            continue  # the address bar of the chat, inbox or receipt being screenshotted
        if not parts.path.strip("/") and (
            (parts.hostname or "").removeprefix("www.") in MAIL_HOSTS
            or glued_to_mail_host((parts.hostname or "").lower())
            or mail_host_cut((parts.hostname or "").lower(), match["scheme"])
            or "@" in line.text[max(0, start - 3) : start]
        ):
            continue  # the end of a broken e-mail address
        if info.handle is not None and continues_after_a_dot(line.text, end):
            corrected = True  # "instagram.com/the. sophie50": the name may go on
        kind = IdentifierType.URL
        # A bare profile link names a person; a link to a post stays a link.
        if info.handle is not None and info.profile_only:
            is_facebook = info.platform == FACEBOOK.platform
            kind = IdentifierType.FACEBOOK if is_facebook else IdentifierType.USERNAME
        found = identifier_found(kind, value, spans)
        yield dataclasses.replace(found, corrected=True) if corrected else found


# What may start the rest of a link on the next line; and what it must not be: a time,
# or a run of digits long enough to be the start of a phone number.
_PIECE_RE = re.compile(r"[\w\-./?=&%#~+@][\w\-./?=&%#~+]{0,300}(?!\S)")
_NOT_PIECE_RE = re.compile(r"[0-9]{5}.*|[^:]*:.*|[0-9]+[.,][0-9]+")
_PATH_GLUE = "/-_.=?&%#~@"


def _wrapped_part(link: str, line: Line, below: Line) -> str | None:
    """The rest of a link that a chat app broke over two lines, or None.

    Phones break a long link wherever the line is full, so "example.com/leaks/noahhugh"
    may go on as "es81" below. A word below is only taken as the rest of the link when it is
    in the same bubble and could not be a word of its own: it holds a digit or link
    punctuation, or the link ended in the middle of a path ("/", "-", "=").
    """
    if not line.continued_by(below):
        return None
    match = _PIECE_RE.match(below.text)
    if match is None:
        return None
    piece = below.text[: _url_end(below.text, 0, match.end())]
    # Digits below digits ("profile.php?id=10002" then "6554922658") are one number; digits
    # below anything else may be a phone number or a time starting a new line.
    if not piece or (_NOT_PIECE_RE.fullmatch(piece) and link[-1] not in "0123456789="):
        return None
    looks_joined = (
        link[-1] in _PATH_GLUE or piece[0] in _PATH_GLUE or any(c.isdigit() for c in piece)
    )
    if not looks_joined or "/" not in link.split("://")[-1]:
        return None  # only inside the path: a host broken over two lines is too unsure
    return piece


def _url_end(text: str, start: int, end: int) -> int:
    """Where a link really ends: sentence punctuation and an unopened bracket are not in it."""
    while end > start:
        last = text[end - 1]
        if last in _URL_END:
            end -= 1
        elif last in ")]" and _unbalanced(text[start:end]):
            end -= 1
        else:
            break
    return end


def _unbalanced(value: str) -> bool:
    return value.count(")") > value.count("(") or value.count("]") > value.count("[")
