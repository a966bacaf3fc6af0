"""Rules that find account names in OCR text: Skype IDs and usernames on other platforms.

A username is only a word, so these rules lean on what marks one: the "live:" of a Skype
ID, the "@" of a handle, or a platform named just before it ("snap: ann.lee"). Which
platform a handle is on matters to police (the same name on two sites may be two people),
so a platform is only given when the text right around the handle names it.

OCR slips seen on real chat fonts are mended only where the mended form is certain: a
Skype cid is 16 hexadecimal digits, so an "o" in it is a "0". A handle the chat app wrapped
onto the next line is joined up only when the piece below cannot be a word of its own.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from app.core.identifiers import FACEBOOK, SITE_BY_PLATFORM, IdentifierType, canonical_platform
from app.core.reading.lines import Found, Line, identifier_found, mend, near_text, trim_span

# A piece that could not be an ordinary word: it has a digit or an underscore in it, or
# starts with a dot. Made-up names usually do; "kyle" and "then" do not.
_MADE_UP_RE = re.compile(r"[._].*|.*[0-9_].*")


def _piece_below(lines: list[Line], index: int, pattern: re.Pattern[str]) -> str | None:
    """The first word of the next line, if that line continues this one's bubble and the
    word fully matches `pattern`."""
    if index + 1 >= len(lines) or not lines[index].continued_by(lines[index + 1]):
        return None
    word = lines[index + 1].text.split(" ", 1)[0]
    return word if pattern.fullmatch(word) else None


# --- Skype ---------------------------------------------------------------------------------

# "live:.cid.<16 hex digits>" (newer accounts) or "live:<name>". OCR sometimes reads a space
# after the colon or after "cid.", or doubles the dot; that is only forgiven in the "cid"
# form, where it cannot be ordinary words.
_SKYPE_RE = re.compile(
    r"(?<![\w.])live:"
    r"(?: ?\.{1,2}cid\. ?(?P<cid>[0-9a-z|¢]{1,32})|(?P<name>[a-z0-9][a-z0-9._\-]{1,60}))(?![\w\-])",
    re.IGNORECASE | re.ASCII,
)
CID_LENGTH = 16
# A cid is hexadecimal, so a letter that is not a hex digit is a misread of the digit it
# looks like. Only letters with one likely reading are mended.
_HEX_SLIPS = str.maketrans(
    {"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "|": "1", "s": "5", "S": "5", "z": "2"}
    | {"Z": "2", "g": "9", "h": "b", "¢": "c"}
)
_HEX_RE = re.compile(r"[0-9a-f]+")
_CID_PIECE_RE = re.compile(r"[0-9a-zA-Z|]{1,15}")
_NAME_PIECE_RE = re.compile(r"[A-Za-z0-9._\-]{1,40}")


# OCR slips around "live:" seen on chat fonts: the colon read as ".", ";" or "," ("live.kyle",
# "live..cid.", "live;jack"), and a space put before an underscore ("live:the _harry48").
# "live." is also Microsoft's mail domain ("ann@live.com"), so the colon is only mended when
# the text nearby says Skype, never after "@" or before "com".
_CID_COLON_SLIP_RE = re.compile(r"(?<![@\w.])live[.;,](?=\.cid\.)", re.IGNORECASE)
_NAME_COLON_SLIP_RE = re.compile(
    r"(?<![@\w.])live[.;,](?!com\b|co\.uk\b|net\b|fr\b|de\b)(?=[a-z][\w.\-]{2,})",
    re.IGNORECASE | re.ASCII,
)
_SPACED_UNDERSCORE_RE = re.compile(r"(?<=\w) (?=_[A-Za-z0-9])")


_CAPITAL_I_SLIP_RE = re.compile(r"(?<![@\w.])[I|1]ive(?=[:.;,])")
# Skype names have at least 6 characters: a shorter "live:the" is a name cut short by a lost
# underscore ("live:the james84"), and would name someone else.
SKYPE_NAME_SHORTEST = 6


def skype_view(lines: list[Line], index: int) -> Line:
    """The line with the slips above mended; spans map back with `Line.source`."""
    line = mend(lines[index], _CAPITAL_I_SLIP_RE, "live")
    line = mend(line, _CID_COLON_SLIP_RE, "live:")
    if "skype" in near_text(lines, index):
        line = mend(line, _NAME_COLON_SLIP_RE, "live:")
    return mend(line, _SPACED_UNDERSCORE_RE, "") if "live:" in line.lower else line


def find_skype_ids(lines: list[Line], index: int) -> Iterator[Found]:
    if "ive" not in lines[index].lower:
        return
    line = skype_view(lines, index)
    if "live:" not in line.lower:
        return
    for match in _SKYPE_RE.finditer(line.text):
        start, end = trim_span(line.text, *match.span())
        spans: tuple[tuple[int, int, int], ...] = ((index, *line.source(start, end)),)
        if match["cid"] is not None:
            cid = match["cid"]
            # A cid cut short goes on in the next word (OCR split it) or on the next line
            # (the app wrapped it); the pieces must make up exactly the usual length.
            after = _CID_PIECE_RE.match(line.text, end + 1) if end < len(line.text) else None
            below = _piece_below(lines, index, _CID_PIECE_RE) if end == len(line.text) else None
            if (
                after
                and line.text[end] == " "
                and len(cid) + len(after[0]) == CID_LENGTH
                and after.end() in (len(line.text), line.text.find(" ", after.start()))
            ):
                cid += after[0]
                spans = ((index, *line.source(start, after.end())),)
            elif below and len(cid) + len(below) == CID_LENGTH:
                cid += below
                spans += ((index + 1, 0, len(below)),)
            # "¢c" or "c¢": one "c" read twice, once as a cent sign. Shown as hard to read.
            doubled = len(cid) == CID_LENGTH + 1 and ("¢c" in cid or "c¢" in cid)
            if doubled:
                cid = cid.replace("¢", "", 1)
            # A cid is a 64-bit number: always 16 hex digits. Anything else is a piece of
            # one, which would name someone else.
            # A small "o" is a "0" or, in small letters, a "9" whose tail was lost
            # ("f9bc" read "fobc"): mended to "0", but shown as hard to read.
            unsure = doubled or "o" in cid
            cid = cid.translate(_HEX_SLIPS).lower()
            if len(cid) != CID_LENGTH or not _HEX_RE.fullmatch(cid):
                continue
            value = "live:.cid." + cid
            if unsure:
                yield dataclasses.replace(
                    identifier_found(IdentifierType.SKYPE_ID, value, spans), corrected=True)
                continue
        else:
            value = "live:" + line.text[match.start("name") : end]
            below = _piece_below(lines, index, _NAME_PIECE_RE) if end == len(line.text) else None
            if below and _MADE_UP_RE.fullmatch(below):
                value += below
                spans += ((index + 1, 0, len(below)),)
            if len(value) - len("live:") < SKYPE_NAME_SHORTEST:
                continue
        yield identifier_found(IdentifierType.SKYPE_ID, value, spans)


# --- usernames ------------------------------------------------------------------------------

_HANDLE = r"[A-Za-z0-9_][A-Za-z0-9_.]{0,29}"
_PLATFORM_WORDS = (
    r"instagram|insta|ig|snapchat|snap|tiktok|telegram|kik|discord|twitter|fb|facebook|skype"
)
# An older Skype ID, with no "live:": it starts with a letter, 6 to 32 of letters, digits and
# ". _ -". Named after "skype" ("Skype: samsmith_1985", "add me on skype sam.smith99") it is
# the ID police ask for; such names had not been offered at all.
_OLD_SKYPE_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9._\-]{5,31}")
# A handle ends at a space, the end of the line or sentence punctuation; "@chloex&6" is a
# misread ("chloex86"), not the handle "chloex".
_HANDLE_END = r"(?=$|\s|[,;!?)\]]|:(?!/))"
_AT_HANDLE_RE = re.compile(rf"(?<![\w@.])@(?P<handle>{_HANDLE}){_HANDLE_END}", re.ASCII)
# "snap: ann.lee", "Instagram username - ann_lee", "my insta is ann.lee92".
_NAMED_HANDLE_RE = re.compile(
    rf"(?<![\w])(?P<platform>{_PLATFORM_WORDS})(?: (?:name|username|handle|id))?"
    rf"(?P<sep> ?[:\-] ?| is )@?(?P<handle>{_HANDLE}){_HANDLE_END}",
    re.IGNORECASE | re.ASCII,
)
# "add me on snapchat liam_wilson and we talk", "message me on telegram jameshughes93 now":
# a handle right after "me on <platform>", with no "@" or ":".
_ON_PLATFORM_RE = re.compile(
    rf"\b(?:me|us) (?:on|at) (?P<platform>{_PLATFORM_WORDS})(?P<sep> )"
    rf"(?P<handle>{_HANDLE}){_HANDLE_END}",
    re.IGNORECASE | re.ASCII,
)
# A chat's time stamp at the end of a bubble as OCR reads it: "o553", "457", "10:57".
_STAMP_RE = re.compile(r"[0-9oO]{1,2}[:.]?[0-9oO]{2}")
# A platform named just before a handle, with only small words between: "Instagram: @x",
# "add me on snap @x". Matched against the text before the "@", which it must reach the end of.
_PLATFORM_BEFORE_RE = re.compile(
    rf"\b(?P<platform>{_PLATFORM_WORDS})\W{{0,3}}"
    r"(?:(?:is|on|at|name|username|handle|id)\W{1,3}){0,3}$",
    re.IGNORECASE,
)
_PLATFORM_AFTER_RE = re.compile(rf"\s(?:on|at) (?P<platform>{_PLATFORM_WORDS})\b", re.IGNORECASE)
_PLATFORM_LINE_RE = re.compile(
    rf"\W*(?:my )?(?P<platform>{_PLATFORM_WORDS})(?: (?:name|username|handle|id))?\W*",
    re.IGNORECASE,
)
_TIME_LIKE_RE = re.compile(r"[0-9]+(?:am|pm)?", re.IGNORECASE)
_DOMAIN_LIKE_RE = re.compile(r"\.(?:com|net|org|co\.uk|uk|me|io)$", re.IGNORECASE)
_HANDLE_PIECE_RE = re.compile(r"[A-Za-z0-9_.]{1,29}")


def find_handles(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    for match in _AT_HANDLE_RE.finditer(line.text):
        found = _at_handle(lines, index, match)
        if found is not None:
            yield found
    named = [*_NAMED_HANDLE_RE.finditer(line.text), *_ON_PLATFORM_RE.finditer(line.text)]
    for match in named:
        handle = match["handle"].rstrip(".")
        # "my snap is down" and "add me on kik tonight" must not give a username: after
        # "is" or "me on <platform>", only something that looks like a made-up name (a
        # digit, a dot or an underscore) is taken.
        if len(handle) < 3 or (match["sep"] in (" is ", " ") and not _MADE_UP_RE.fullmatch(handle)):
            continue
        # "snap: kyle wilson" is most likely "kyle_wilson" with the underscore lost, so a
        # plain name followed by more words in lower case is left alone. A made-up name
        # ("ella.marsh25 add me there") is taken, unless the next word could be the rest
        # of it ("the_emma 89" with a second underscore lost); a time stamp is not.
        if not _ends_where_it_seems(line.text, match.end(), handle, line.typed):
            continue
        span = (index, match.start("handle"), match.start("handle") + len(handle))
        found = _handle_found(handle, handle, canonical_platform(match["platform"]), (span,))
        if found is not None:
            yield found
    yield from _handle_on_next_line(lines, index)


# "message me on telegram" at the end of a line, the handle starting the next line of the
# bubble: "james_taylor66 now".
_ON_PLATFORM_END_RE = re.compile(
    rf"\b(?:me|us) (?:on|at) (?P<platform>{_PLATFORM_WORDS})\W{{0,2}}$", re.IGNORECASE
)
_FIRST_HANDLE_RE = re.compile(rf"(?P<handle>{_HANDLE}){_HANDLE_END}", re.ASCII)


def _handle_on_next_line(lines: list[Line], index: int) -> Iterator[Found]:
    ends = _ON_PLATFORM_END_RE.search(lines[index].text.rstrip())
    if ends is None or index + 1 >= len(lines) or not lines[index].continued_by(lines[index + 1]):
        return
    below = lines[index + 1]
    match = _FIRST_HANDLE_RE.match(below.text)
    if match is None:
        return
    handle = match["handle"].rstrip(".")
    if len(handle) < 3 or not _MADE_UP_RE.fullmatch(handle) \
            or not _ends_where_it_seems(below.text, match.end(), handle, below.typed):
        return
    found = _handle_found(handle, handle, canonical_platform(ends["platform"]),
                          ((index + 1, 0, len(handle)),))
    if found is not None:
        yield found


def _ends_where_it_seems(text: str, end: int, handle: str, typed: bool) -> bool:
    """Whether a handle named after a platform ends at `end`, or may go on in the next word."""
    after = text[end:]
    if not after.startswith(" "):
        return True
    following = after[1:].split(" ", 1)
    word = following[0]
    if not word or not (word.islower() or word.isdigit()):
        return True
    if not _MADE_UP_RE.fullmatch(handle):
        return False  # "kyle wilson": the underscore may be lost
    if typed or not _MADE_UP_RE.fullmatch(word):
        return True
    # The bubble's time, perhaps with marks after it ("1555 A"): the end of the line.
    rest = following[1].split() if len(following) > 1 else []
    return _STAMP_RE.fullmatch(word) is not None and all(len(w) <= 2 for w in rest)


def _at_handle(lines: list[Line], index: int, match: re.Match[str]) -> Found | None:
    line = lines[index]
    handle, end = match["handle"], match.end()
    spans: tuple[tuple[int, int, int], ...] = ()
    if handle.endswith(".") and line.text[end : end + 1] == " ":
        # OCR reads a space after a dot in some fonts: "@adam. clarke". Joined up only when
        # the next word looks made up; otherwise it is a full stop, or we cannot tell.
        following = line.text[end + 1 :].split(" ", 1)[0]
        if not (_HANDLE_PIECE_RE.fullmatch(following) and _MADE_UP_RE.fullmatch(following)):
            return None
        spans = ((index, end + 1, end + 1 + len(following)),)
        handle += following
    elif end == len(line.text):
        below = _piece_below(lines, index, _HANDLE_PIECE_RE)
        if below and (_MADE_UP_RE.fullmatch(below) or handle.endswith((".", "_"))):
            spans = ((index + 1, 0, len(below)),)
            handle += below
    handle = handle.rstrip(".")
    if _DOMAIN_LIKE_RE.search(handle):  # "name @example.com": a split e-mail address
        return None
    if not line.typed and not _read_as_a_handle(line.text, match, handle):
        return None
    platform = _platform_near(lines, index, match.start(), match.end())
    first = (index, match.start(), min(end, match.start("handle") + len(handle)))
    return _handle_found("@" + handle, handle, platform, (first, *spans))


# OCR reads a round avatar as "@" or "O", so "@no is mis" and "@O00000OO00O0" are an avatar
# beside a message; "{@yahoo co.uk" is an e-mail address with its start misread.
_AVATAR_MARKS_RE = re.compile(r"[0oO]+")
_DOMAIN_NEXT_RE = re.compile(r" (?:co|com|net|org)\b", re.IGNORECASE)


# OCR also reads a small "e" or "a" that starts a word as "@": "@veryone in your school".
# Words that begin a chat's sentences, so "@" + the rest is that word, not a handle.
_WORDS_AFTER_A_MISREAD_AT = frozenset(
    "everyone everybody everything every even ever else enough and any anyone anybody "
    "anything again are also all after about always".split())


def _read_as_a_handle(text: str, match: re.Match[str], handle: str) -> bool:
    """A handle OCR read is taken only when it cannot be one of the shapes above."""
    if len(handle) < 3 or _AVATAR_MARKS_RE.fullmatch(handle):
        return False
    lower = handle.lower()
    if f"e{lower}" in _WORDS_AFTER_A_MISREAD_AT or f"a{lower}" in _WORDS_AFTER_A_MISREAD_AT:
        return False
    return not _DOMAIN_NEXT_RE.match(text, match.end())


# --- Cash App --------------------------------------------------------------------------------

# A $Cashtag: "$" and a name of 1 to 20 letters, digits or underscores with a letter first
# (Cash App's own rule), which no amount has ("$200", "$1.5k"). Offenders ask for money to one
# ("send it to my cashapp $kingdavid99"); it had not been offered at all. Currency codes
# written after a dollar sign ("$USD") are not names.
_CASHTAG_RE = re.compile(
    r"(?<![\w$])\$(?P<tag>[A-Za-z][A-Za-z0-9_]{1,19})(?![\w$@]|\.\w)", re.ASCII)
_CURRENCY_CODES = frozenset({"usd", "cad", "aud", "nzd", "hkd", "sgd", "gbp", "eur"})
CASH_APP = "Cash App"


def find_cashtags(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    for match in _CASHTAG_RE.finditer(line.text):
        tag = match["tag"]
        if tag.casefold() in _CURRENCY_CODES:
            continue
        yield identifier_found(IdentifierType.USERNAME, "$" + tag,
                               ((index, match.start(), match.end()),), CASH_APP)


def _handle_found(
    value: str, handle: str, platform: str | None, spans: tuple[tuple[int, int, int], ...]
) -> Found | None:
    if len(handle) < 2 or len(handle) > 30 or _TIME_LIKE_RE.fullmatch(handle):
        return None  # "@5pm" is a time, not a name
    if platform == "Skype":
        if not _OLD_SKYPE_ID_RE.fullmatch(handle):
            return None
        return identifier_found(IdentifierType.SKYPE_ID, handle, spans)
    if platform == FACEBOOK.platform:
        # Police want the profile link, and a Facebook username gives it exactly.
        if not FACEBOOK.handle_re.fullmatch(handle):
            return None
        return identifier_found(IdentifierType.FACEBOOK, handle, spans)
    site = SITE_BY_PLATFORM.get(platform or "")
    if site is not None and not site.handle_re.fullmatch(handle):
        return None  # a character this platform does not allow: OCR misread something
    return identifier_found(IdentifierType.USERNAME, value, spans, platform)


def _platform_near(lines: list[Line], index: int, start: int, end: int) -> str | None:
    """The platform a handle belongs to, when the text right around it says so clearly."""
    line = lines[index]
    before = _PLATFORM_BEFORE_RE.search(line.lower[max(0, start - 60) : start])
    if before:
        return canonical_platform(before["platform"])
    after = _PLATFORM_AFTER_RE.match(line.lower, end)
    if after:
        return canonical_platform(after["platform"])
    if index > 0 and line.lower[:start].strip() == "":
        above = lines[index - 1]
        # A line of its own naming the platform, such as "Instagram:" above the handle.
        if named := _PLATFORM_LINE_RE.fullmatch(above.lower):
            return canonical_platform(named["platform"])
        # The same sentence, wrapped: "message me on telegram" then "@ann.lee" below.
        if above.continued_by(line) and (
            end_of := _PLATFORM_BEFORE_RE.search(above.lower[-60:] + " ")
        ):
            return canonical_platform(end_of["platform"])
    return None
