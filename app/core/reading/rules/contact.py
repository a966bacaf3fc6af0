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
from urllib.parse import SplitResult

from app.core.identifiers import (
    FACEBOOK,
    MONEY_SERVICES,
    PROFILE_SITES,
    IdentifierType,
    inspect_url,
    is_app_page,
    split_url,
)
from app.core.reading.lines import EDGE_PUNCTUATION, Found, Line, identifier_found, mend

# --- OCR slips in links and addresses ---------------------------------------------------------

# Small, well-known slips, mended only where the result can only be a link or an address:
# "www . example.com", "example .com" and "example. com" (OCR puts spaces around dots in
# wide fonts), "profile php" for "profile.php", "?1d=" for "?id=" after profile.php.
_DOMAIN_END = r"(?:com|net|org|php|co\.uk)\b"
_LINK_SLIPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\w.])www ?\. ?(?=[a-z0-9])", re.IGNORECASE), "www."),
    (re.compile(rf"(?<=[a-z0-9]{{2}}) (?=\.{_DOMAIN_END})"), ""),
    (re.compile(rf"(?<=[a-z0-9]{{2}}\.) (?={_DOMAIN_END})"), ""),
    (re.compile(r"(?<=profile) (?=php\b)"), "."),
    (re.compile(r"(?<=profile\.php\?)[1lI|]d="), "id="),
    (re.compile(r"(?:(?<=https:)|(?<=http:))/(?=[^/\s])", re.IGNORECASE),
     "//"),  # "https:/www.tiktok.com/@x": a slash lost
    # A slash read as "i", "l" or "|" right after a profile site's name: "facebook.comijade".
    (re.compile("(?:" + "|".join(rf"(?<={site}\.com)" for site in (
        "facebook", "instagram", "snapchat", "tiktok", "twitter")) + r")[il|I](?=[\w.@])",
        re.IGNORECASE), "/"),
)


# A profile site's domain with one letter misread ("shapchat.com/add/x", "instagrarn.com/x")
# is that site: no one sends a look-alike domain with a profile path by chance, and the
# person checks the link against the picture. Only profile sites' own long domains
# (snapchat.com, facebook.com, instagram.com), where one letter off is never another site.
_PROFILE_DOMAINS = tuple(d for site in PROFILE_SITES for d in site.domains if len(d) >= 12)


# Small words that come just before a link in a sentence ("look at instagram.com/x").
_GLUED_WORDS = frozenset({"at", "on", "is", "to", "me"})
# "www" as OCR reads it in small print: "vawv", "wwwv", "fwwav".
_MISREAD_WWW_RE = re.compile(r"[a-z]?[vwa]{3,5}\.?", re.IGNORECASE)


def mended_profile_domain(link: str) -> str:
    """`link` with a profile site's domain put right when one letter of it was misread, or
    its "www" misread ("fwwav.tiktok.com")."""
    scheme, sep, rest = link.rpartition("://")
    host, slash, path = rest.partition("/")
    if not slash or not path:
        return link
    for domain in (*_PROFILE_DOMAINS, "tiktok.com", "twitter.com"):
        sub, dot, end = host.lower().rpartition("." + domain)
        if dot and not end and sub != "www" and "w" in sub and _MISREAD_WWW_RE.fullmatch(sub):
            return f"{scheme}{sep}www.{domain}/{path}"
        # The same with the dot lost ("wwawinstagram.com"), or a word before the link glued
        # to it when a space was lost ("look atinstagram.com/x").
        glued = host.lower().removesuffix(domain)
        if glued != host.lower() and glued and "." not in glued:
            if "w" in glued and _MISREAD_WWW_RE.fullmatch(glued):
                return f"{scheme}{sep}www.{domain}/{path}"
            if glued in _GLUED_WORDS:
                return f"{scheme}{sep}{domain}/{path}"
    bare = host.lower().removeprefix("www.")
    for domain in _PROFILE_DOMAINS:
        if len(bare) == len(domain) and bare != domain \
                and sum(a != b for a, b in zip(bare, domain, strict=True)) == 1:
            www = "www." if host.lower().startswith("www.") else ""
            return f"{scheme}{sep}{www}{domain}/{path}"
    return link


# Where people's mail is, not pages: a bare "gmail.com" in a picture is the end of an e-mail
# address OCR broke ("ann@”gmail.com"), never a link anyone sent.
_MAIL_HOSTS = frozenset(
    "gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com outlook.com hotmail.com "
    "hotmail.co.uk live.com live.co.uk msn.com icloud.com me.com aol.com proton.me "
    "protonmail.com gmx.com gmx.de mail.com mail.ru yandex.ru co.uk".split()
)


# Mail providers' domains whose name is long enough that one letter off is no other
# provider: "gmall.com" in an address is gmail.com misread, and "wilsonzgmail.com" is an
# address whose "@" was misread, not a link.
_LONG_MAIL_HOSTS = tuple(h for h in _MAIL_HOSTS if len(h.split(".")[0]) >= 5)


def mended_mail_host(domain: str) -> str:
    """`domain` put right when it is one long mail provider's domain with one letter
    misread; otherwise as it is."""
    lower = domain.lower()
    near = [host for host in _LONG_MAIL_HOSTS if len(host) == len(lower)
            and sum(a != b for a, b in zip(host, lower, strict=True)) == 1]
    return near[0] if lower not in _MAIL_HOSTS and len(near) == 1 else domain


def _glued_to_mail_host(host: str) -> bool:
    return any(host.endswith(mail) and host[-len(mail) - 1].isalnum()
               for mail in _LONG_MAIL_HOSTS if len(host) > len(mail))


def _mail_host_cut(host: str, scheme: str | None) -> bool:
    """A bare host that is what is left of a broken e-mail address: the end of a mail
    provider's domain ("ahoo.co.uk", the rest of "...@y" on the line above) or a name of digits
    only ("00.co.uk" from "...@ya| 00.co.uk"). Nobody sends either as a link."""
    if scheme:
        return False
    name = host.removeprefix("www.").split(".")[0]
    return name.isdigit() or any(
        mail.endswith(host) and len(host) >= 6 for mail in _MAIL_HOSTS if mail != host)


_DOT_THEN_MORE_RE = re.compile(r"(?:\.|[^.]\.) [a-z0-9]")  # the dot ends the link or follows it


def _continues_after_a_dot(text: str, end: int) -> bool:
    """The link ends in a dot and the next word starts in lower case or a digit: OCR read a
    space after the dot in the middle of the name, so the name read may be only its start."""
    return bool(_DOT_THEN_MORE_RE.match(text, end - 1))


# The money services' names long enough that two letters off is still only them ("ria" is not).
_MONEY_SITES = tuple(name for name in (d.split(".")[0] for d in MONEY_SERVICES) if len(name) >= 7)


def _misread_money_page(link: str) -> bool:
    """A money service's own page as small print misreads it ("vawvwestemunion.com/gblen/
    send-meneylreceipt.html"): its name within two letters, perhaps after a misread "www"."""
    host = link.split("://")[-1].split("/")[0].lower()
    labels = host.removeprefix("www.").split(".")
    if len(labels) > 2 and 2 <= len(labels[0]) <= 5 and set(labels[0]) <= set("vwaf"):
        labels = labels[1:]  # "waaw.westemunion.com": a misread "www" with its dot
    first = labels[0]
    # The name after what may be a misread "www" glued to it ("vawv" + "estemunion").
    names = {first[cut:] for cut in range(7) if all(ch in "vwaf" for ch in first[:cut])}
    return any(abs(len(name) - len(site)) <= 1 and _within_two(name, site)
               for name in names for site in _MONEY_SITES)


# Instagram's inbox as small print misreads its address: "/directv1111111111111111/",
# "/directi/1111111111111111/" (the thread's number is long; a profile is never all digits).
_MISREAD_INBOX_PATH_RE = re.compile(r"/direct[a-z]?/?(?:t/)?\d{8,}/?", re.IGNORECASE)


def _misread_inbox_page(parts: SplitResult) -> bool:
    host = (parts.hostname or "").lower()
    return (host == "instagram.com" or host.endswith(".instagram.com")) and bool(
        _MISREAD_INBOX_PATH_RE.fullmatch(parts.path))


def _within_two(a: str, b: str) -> bool:
    """Whether `a` becomes `b` in at most two letters changed, added or taken away."""
    if abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


def link_view(line: Line) -> Line:
    """`line` with the slips above mended; spans map back with `Line.source`."""
    for pattern, replacement in _LINK_SLIPS:
        line = mend(line, pattern, replacement)
    return line


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
    return piece if 0 < len(piece) <= 3 and joined in _MAIL_HOSTS else ""


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
        if is_app_page(value) or _misread_money_page(value) or _misread_inbox_page(parts):
            continue  # the address bar of the chat, inbox or receipt being screenshotted
        if not parts.path.strip("/") and (
            (parts.hostname or "").removeprefix("www.") in _MAIL_HOSTS
            or _glued_to_mail_host((parts.hostname or "").lower())
            or _mail_host_cut((parts.hostname or "").lower(), match["scheme"])
            or "@" in line.text[max(0, start - 3) : start]
        ):
            continue  # the end of a broken e-mail address
        if info.handle is not None and _continues_after_a_dot(line.text, end):
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
