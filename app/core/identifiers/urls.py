"""Read web links offline: which platform a link is on, whose profile it is, one tidy form.

The same Facebook profile arrives as "https://m.facebook.com/John.Smith?ref=x",
"facebook.com/john.smith/" or a link from the app; police need one of them and Safekeep needs
to see they are the same. Everything here is string work with `urllib.parse`: nothing is
fetched, no suffix list is downloaded, and a string that does not parse cleanly as a link is
simply "not a link" (the caller keeps it as text).
"""

import dataclasses
import re
from urllib.parse import SplitResult, parse_qs, urlsplit, urlunsplit

# Longer "links" are not worth parsing: real ones are far shorter, and the cap bounds the work
# done on a pasted 100,000-character value.
MAX_URL_LENGTH = 2048

_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,20}://")
# Whitespace and control characters never belong in a link; urlsplit would quietly drop tabs
# and newlines, which would change what the person pasted.
_NOT_IN_URL_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# Labels joined by dots (Unicode letters allowed for international names). Every repetition
# must end in a dot, so the match is linear: no catastrophic backtracking.
_HOST_RE = re.compile(r"(?:[\w\-]+\.)+[\w\-]+\.?")
_IPV6_RE = re.compile(r"[0-9a-f:.]+", re.ASCII)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}


@dataclasses.dataclass(frozen=True, slots=True)
class ProfileSite:
    """How one platform writes a link to a person's profile."""

    platform: str
    domains: tuple[str, ...]
    handle_chars: str  # a regular expression for one handle on this platform
    path_prefix: str  # what comes before the handle in the path, as a regular expression
    template: str  # the canonical profile link, formatted with the lower-cased handle
    reserved: frozenset[str] = frozenset()  # first path parts that are pages, not people

    # Compiled once from the fields above: the whole path, and a handle typed on its own.
    path_re: re.Pattern[str] = dataclasses.field(init=False, repr=False, compare=False)
    handle_re: re.Pattern[str] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        handle = rf"(?P<handle>{self.handle_chars})"
        path = re.compile(rf"/{self.path_prefix}{handle}(?P<rest>/.*)?", re.ASCII | re.DOTALL)
        # The dataclass is frozen; this is the documented way to fill derived fields.
        object.__setattr__(self, "path_re", path)
        object.__setattr__(self, "handle_re", re.compile(self.handle_chars, re.ASCII))


FACEBOOK = ProfileSite(
    "Facebook",
    ("facebook.com", "fb.com"),
    r"[A-Za-z0-9.\-]{1,80}",
    "",
    "https://www.facebook.com/{}",
    frozenset(
        "about ads bookmarks business events friends fundraisers gaming groups hashtag help "
        "home.php l.php legal live login login.php marketplace media messages people "
        "permalink.php photo photo.php photos policies privacy profile.php reel reels "
        "saved search settings share sharer sharer.php stories story.php watch".split()
    ),
)
INSTAGRAM = ProfileSite(
    "Instagram",
    ("instagram.com", "instagr.am"),
    r"[A-Za-z0-9._]{1,30}",
    "(?:stories/)?",
    "https://www.instagram.com/{}/",
    frozenset("about accounts challenge developer direct explore legal p reel reels tv".split()),
)
X_TWITTER = ProfileSite(
    "X (Twitter)",
    ("x.com", "twitter.com"),
    r"[A-Za-z0-9_]{1,15}",
    "",
    "https://x.com/{}",
    frozenset(
        "account compose explore hashtag home i intent login messages notifications privacy "
        "search settings share signup tos".split()
    ),
)
TIKTOK = ProfileSite(
    "TikTok", ("tiktok.com",), r"[A-Za-z0-9._]{1,24}", "@", "https://www.tiktok.com/@{}"
)
SNAPCHAT = ProfileSite(
    "Snapchat",
    ("snapchat.com",),
    r"[A-Za-z0-9._\-]{1,15}",
    "add/",
    "https://www.snapchat.com/add/{}",
)
TELEGRAM = ProfileSite(
    "Telegram",
    ("t.me", "telegram.me"),
    r"[A-Za-z0-9_]{4,32}",
    "",
    "https://t.me/{}",
    frozenset("addlist addstickers addtheme boost contact iv joinchat login proxy share".split()),
)
PROFILE_SITES = (FACEBOOK, INSTAGRAM, X_TWITTER, TIKTOK, SNAPCHAT, TELEGRAM)
SITE_BY_PLATFORM = {site.platform: site for site in PROFILE_SITES}

# Subdomains that show the same profiles as the main site; others (developers.facebook.com)
# are other services whose paths are not usernames.
_PROFILE_SUBDOMAINS = frozenset({"", "www", "m", "mobile", "web", "mbasic", "touch"})

# Domains where we can tell the platform but not read a profile from the path.
_DOMAIN_PLATFORM: dict[str, str] = {
    **{domain: site.platform for site in PROFILE_SITES for domain in site.domains},
    "fb.me": "Facebook",
    "m.me": "Facebook",
    "messenger.com": "Facebook",
    "t.co": "X (Twitter)",
    "telegram.org": "Telegram",
    "discord.com": "Discord",
    "discord.gg": "Discord",
    "discordapp.com": "Discord",
    "kik.me": "Kik",
    "kik.com": "Kik",
    "wa.me": "WhatsApp",
    "whatsapp.com": "WhatsApp",
    "skype.com": "Skype",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "grindr.com": "Grindr",
    "tinder.com": "Tinder",
    "gotinder.com": "Tinder",
    "bumble.com": "Bumble",
    "hinge.co": "Hinge",
    "badoo.com": "Badoo",
    "pof.com": "Plenty of Fish",
    "plentyoffish.com": "Plenty of Fish",
    "onlyfans.com": "OnlyFans",
    "reddit.com": "Reddit",
    "redd.it": "Reddit",
}
_DOMAIN_SITE = {domain: site for site in PROFILE_SITES for domain in site.domains}
_FACEBOOK_PEOPLE_RE = re.compile(r"/people/[^/]+/(?P<id>[0-9]{5,20})(?:/.*)?", re.DOTALL)
_DIGITS_RE = re.compile(r"[0-9]{1,20}", re.ASCII)


@dataclasses.dataclass(frozen=True, slots=True)
class UrlInfo:
    """What a link says about itself, without opening it."""

    url: str  # the link tidied: lower-case scheme and host, no default port, no fragment
    platform: str | None = None
    handle: str | None = None  # lower-cased username, when the link names a profile
    profile_url: str | None = None  # the platform's canonical link to that profile
    profile_only: bool = False  # True when the link is the profile itself, not a post on it


# Pages of the apps and services themselves, as a browser's address bar shows them while the
# person screenshots a chat, an inbox or a receipt: places, not people or posts, so never an
# offender's detail. (A link to a post or a profile on the same sites still is one.)
_APP_HOSTS = frozenset({
    "web.whatsapp.com", "web.telegram.org", "webk.telegram.org", "webz.telegram.org",
    "web.skype.com", "mail.google.com", "outlook.live.com", "outlook.office.com",
    "outlook.office365.com", "mail.yahoo.com", "mail.aol.com", "mail.proton.me",
})
_APP_PATHS: dict[str, tuple[str, ...]] = {  # a site's inbox and chat pages
    "Instagram": ("/direct/",), "Facebook": ("/messages/",), "X (Twitter)": ("/messages",),
}
# (Not PayPal or Wise: "paypal.me/name" and "wise.com/pay/me/name" are people's own links.)
MONEY_SERVICES = ("westernunion.com", "moneygram.com", "ria.com", "riamoneytransfer.com",
                   "worldremit.com", "remitly.com")
_WEBMAIL_PATH = re.compile(r"/(?:mail|inbox|webmail)(?:/|$)", re.IGNORECASE)


def is_app_page(text: str) -> bool:
    """True when a link is an app's or a money service's own page (an inbox, a chat, a
    receipt, a sign-in page): what an address bar shows, not someone's detail."""
    parts = split_url(text)
    if parts is None:
        return False
    host = (parts.hostname or "").rstrip(".").lower()
    if host in _APP_HOSTS or _is_money_service(host):
        return True
    if host.startswith(("mail.", "webmail.")) and (not parts.path.strip("/")
                                                   or _WEBMAIL_PATH.match(parts.path)):
        return True
    platform = _lookup_host(host)[0]
    inbox_paths = _APP_PATHS.get(platform or "", ())
    return bool(inbox_paths) and parts.path.lower().startswith(inbox_paths)


def _is_money_service(host: str) -> bool:
    """`host` is one of the money services or a subdomain of one (not "notwesternunion.com")."""
    return any(host == domain or host.endswith("." + domain) for domain in MONEY_SERVICES)


def split_url(text: str) -> SplitResult | None:
    """Parse `text` as a web link (https:// assumed when missing), or None if it is not one."""
    if len(text) > MAX_URL_LENGTH or _NOT_IN_URL_RE.search(text):
        return None
    if not _SCHEME_RE.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError when the port is not a number
    except ValueError:  # e.g. "[" without "]", or look-alike characters in the host
        return None
    host = parts.hostname
    if not host:
        return None
    if "[" in parts.netloc:
        return parts if _IPV6_RE.fullmatch(host) else None
    return parts if _HOST_RE.fullmatch(host) else None


def inspect_url(parts: SplitResult) -> UrlInfo:
    """Tidy a parsed link and read its platform and, for known sites, the profile handle."""
    host = (parts.hostname or "").rstrip(".")
    netloc = f"[{host}]" if ":" in host else host
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        netloc = f"{userinfo}@{netloc}"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        netloc += f":{parts.port}"
    # The fragment (#...) is only a place on the page; an empty path means "/".
    url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))

    platform, site, subdomain = _lookup_host(host)
    if site is None or subdomain not in _PROFILE_SUBDOMAINS:
        return UrlInfo(url, platform)
    if site is FACEBOOK and (numeric_id := _facebook_numeric_id(parts)):
        return UrlInfo(url, platform, numeric_id, profile_url(site, numeric_id), True)
    match = site.path_re.fullmatch(parts.path)
    if match is None or match["handle"].casefold() in site.reserved:
        return UrlInfo(url, platform)
    handle = match["handle"].lower()
    profile_only = match["rest"] in (None, "/")
    return UrlInfo(url, platform, handle, profile_url(site, handle), profile_only)


def profile_url(site: ProfileSite, handle: str) -> str:
    """The canonical link to `handle` (already lower-cased) on `site`."""
    if site is FACEBOOK and handle.isdigit():
        # A number is the account's ID; Facebook links those through profile.php.
        return f"https://www.facebook.com/profile.php?id={handle}"
    return site.template.format(handle)


def _lookup_host(host: str) -> tuple[str | None, ProfileSite | None, str]:
    """Return (platform, profile site, subdomain) for the longest known domain in `host`."""
    labels = host.split(".")
    for start in range(len(labels) - 1):
        domain = ".".join(labels[start:])
        if domain in _DOMAIN_PLATFORM:
            return _DOMAIN_PLATFORM[domain], _DOMAIN_SITE.get(domain), ".".join(labels[:start])
    return None, None, ""


def _facebook_numeric_id(parts: SplitResult) -> str | None:
    """The number in profile.php?id=123 or /people/Some-Name/123, if there is one."""
    if parts.path.rstrip("/") == "/profile.php":
        for value in parse_qs(parts.query).get("id", []):
            if _DIGITS_RE.fullmatch(value):
                return value
        return None
    people = _FACEBOOK_PEOPLE_RE.fullmatch(parts.path)
    return people["id"] if people else None
