"""OCR's slips in links and e-mail addresses, mended only where the result can only be a link
or an address, and the checks that tell a misread page from a real one.

Used by the contact rules (`contact.py`); kept apart so each module reads as one thing.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult

from app.core.identifiers import MONEY_SERVICES, PROFILE_SITES
from app.core.reading.lines import Line, mend

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
MAIL_HOSTS = frozenset(
    "gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com outlook.com hotmail.com "
    "hotmail.co.uk live.com live.co.uk msn.com icloud.com me.com aol.com proton.me "
    "protonmail.com gmx.com gmx.de mail.com mail.ru yandex.ru co.uk".split()
)


# Mail providers' domains whose name is long enough that one letter off is no other
# provider: "gmall.com" in an address is gmail.com misread, and "wilsonzgmail.com" is an
# address whose "@" was misread, not a link.
_LONG_MAIL_HOSTS = tuple(h for h in MAIL_HOSTS if len(h.split(".")[0]) >= 5)


def mended_mail_host(domain: str) -> str:
    """`domain` put right when it is one long mail provider's domain with one letter
    misread; otherwise as it is."""
    lower = domain.lower()
    near = [host for host in _LONG_MAIL_HOSTS if len(host) == len(lower)
            and sum(a != b for a, b in zip(host, lower, strict=True)) == 1]
    return near[0] if lower not in MAIL_HOSTS and len(near) == 1 else domain


def glued_to_mail_host(host: str) -> bool:
    return any(host.endswith(mail) and host[-len(mail) - 1].isalnum()
               for mail in _LONG_MAIL_HOSTS if len(host) > len(mail))


def mail_host_cut(host: str, scheme: str | None) -> bool:
    """A bare host that is what is left of a broken e-mail address: the end of a mail
    provider's domain ("ahoo.co.uk", the rest of "...@y" on the line above) or a name of digits
    only ("00.co.uk" from "...@ya| 00.co.uk"). Nobody sends either as a link."""
    if scheme:
        return False
    name = host.removeprefix("www.").split(".")[0]
    return name.isdigit() or any(
        mail.endswith(host) and len(host) >= 6 for mail in MAIL_HOSTS if mail != host)


_DOT_THEN_MORE_RE = re.compile(r"(?:\.|[^.]\.) [a-z0-9]")  # the dot ends the link or follows it


def continues_after_a_dot(text: str, end: int) -> bool:
    """The link ends in a dot and the next word starts in lower case or a digit: OCR read a
    space after the dot in the middle of the name, so the name read may be only its start."""
    return bool(_DOT_THEN_MORE_RE.match(text, end - 1))


# The money services' names long enough that two letters off is still only them ("ria" is not).
_MONEY_SITES = tuple(name for name in (d.split(".")[0] for d in MONEY_SERVICES) if len(name) >= 7)


def misread_money_page(link: str) -> bool:
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


def misread_inbox_page(parts: SplitResult) -> bool:
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
