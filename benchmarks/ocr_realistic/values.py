"""The details planted in the realistic screenshots, and the sentences that carry them.

Offender details come in the phrasings people really use ("my snap is ella.marsh25 add me
there", "add me on kik islafox.40", "+44 20 7946 0123"). Negatives are labelled beside them:
the person's own e-mail and phone (quoted back at them, or typed by them), times, prices and
names. All values are invented: phone numbers in Ofcom's drama ranges, example domains, IBANs
with correct check digits (from `ocr_values_money`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.ocr_values import FIRST, LAST, handle, phone_number
from benchmarks.ocr_values_base import label
from benchmarks.ocr_values_money import iban

# The kinds the rules look for, scored for recall and precision. Names are labelled (they
# are the offender's, or are negatives) but no rule reads a name, so they are not scored.
SCORED_KINDS = (
    "email", "phone", "mtcn", "skype-id", "facebook", "url", "username", "iban", "bank-account",
)
# Kinds that are never identifiers: labelled only as negatives.
OTHER_KINDS = ("name", "date-time", "amount")


@dataclass(frozen=True)
class Planted:
    """One value written into a picture."""

    kind: str
    value: str  # exactly as written on the page
    key: str  # the (kind, key) pair the rules give it; for OTHER_KINDS the value itself
    offender: bool
    platform: str | None = None  # for a handle: the app it is on, which its key names

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "key": self.key,
                "offender": self.offender, "platform": self.platform}


@dataclass(frozen=True)
class Said:
    """A piece of text and what is planted in it."""

    text: str
    planted: tuple[Planted, ...] = ()


def theirs(kind: str, value: str, platform: str | None = None) -> Planted:
    return Planted(kind, value, label(kind, value, platform)[1], True, platform)


def mine(kind: str, value: str, platform: str | None = None) -> Planted:
    """The person's own detail, or a site's own address: never the offender's."""
    if kind in OTHER_KINDS:
        return Planted(kind, value, value, False)
    return Planted(kind, value, label(kind, value, platform)[1], False, platform)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST).title()} {rng.choice(LAST).title()}"


def digits(rng: random.Random, count: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(count - 1))


def email_address(rng: random.Random) -> str:
    domain = rng.choice(["gmail.com", "outlook.com", "yahoo.co.uk", "proton.me", "example.com"])
    return f"{handle(rng, '._')}@{domain}"


def plus_phone(rng: random.Random) -> str:
    """Mostly international numbers with "+", as offenders abroad write them."""
    for _ in range(20):
        number = phone_number(rng)
        if number.startswith("+") or rng.random() < 0.25:
            return number
    return number


def mtcn(rng: random.Random) -> str:
    raw = digits(rng, 10)
    return rng.choice([raw, f"{raw[:3]} {raw[3:6]} {raw[6:]}", f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"])


def gb_iban(rng: random.Random) -> str:
    bank = rng.choice(["NWBK", "BARC", "LOYD", "MIDL", "REVO"])
    raw = iban("GB", bank + digits(rng, 6) + digits(rng, 8))
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def sort_code(rng: random.Random) -> str:
    return "-".join(f"{rng.randrange(10, 100)}" for _ in range(3))


def skype_cid(rng: random.Random) -> str:
    return "live:.cid." + "".join(rng.choice("0123456789abcdef") for _ in range(16))


def profile_link(rng: random.Random) -> tuple[str, str]:
    """(kind, link) of a profile page."""
    shape = rng.randrange(5)
    if shape == 0:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        return "facebook", f"facebook.com/{first}.{last}.{rng.randrange(1000, 9999)}"
    if shape == 1:
        return "facebook", f"https://www.facebook.com/{handle(rng, '.')}"
    if shape == 2:
        return "username", f"instagram.com/{handle(rng, '._')}"
    if shape == 3:
        return "username", f"https://www.tiktok.com/@{handle(rng, '._')}"
    return "username", f"snapchat.com/add/{handle(rng, '._')}"


# Handles in prose: (platform, sentence). No "@" and no ":"; often more words after.
_PROSE_HANDLES = (
    ("Snapchat", "my snap is {} add me there"),
    ("Snapchat", "add me on snapchat {} and we talk"),
    ("Kik", "add me on kik {}"),
    ("Discord", "add me on discord {}"),
    ("Instagram", "my insta is {} follow me"),
    ("Telegram", "message me on telegram {} now"),
)


def offender_line(rng: random.Random, kind: str) -> Said:
    """One incoming message carrying one offender detail of `kind`."""
    if kind == "email":
        value = email_address(rng)
        text = rng.choice(["email me at {}", "my email is {} 📧", "send the money receipt to {}",
                           "{} is where you send proof"]).format(value)
        return Said(text, (theirs("email", value),))
    if kind == "phone":
        value = plus_phone(rng)
        text = rng.choice(["call me on {}", "whatsapp me on {} now", "text {} if you want this "
                           "to stop", "my number {} answer it"]).format(value)
        return Said(text, (theirs("phone", value),))
    if kind == "mtcn":
        value = mtcn(rng)
        text = rng.choice(["I sent the form, the MTCN is {}", "western union MTCN {} check it",
                           "tracking number {}"]).format(value)
        return Said(text, (theirs("mtcn", value),))
    if kind == "skype-id":
        value = skype_cid(rng)
        text = rng.choice(["add me on skype {}", "my skype is {}", "skype id: {}"]).format(value)
        return Said(text, (theirs("skype-id", value),))
    if kind == "profile":
        link_kind, link = profile_link(rng)
        text = rng.choice(["this is my page {}", "look at {} everyone will see",
                           "I will post your pics on {}"]).format(link)
        return Said(text, (theirs(link_kind, link),))
    if kind == "prose-handle":
        platform, sentence = rng.choice(_PROSE_HANDLES)
        chars = "_" if platform in ("Telegram", "Discord") else "._"
        value = handle(rng, chars)
        return Said(sentence.format(value), (theirs("username", "@" + value, platform),))
    if kind == "iban":
        value = gb_iban(rng)
        return Said(f"pay into this account IBAN {value} name on it doesnt matter",
                    (theirs("iban", value),))
    code, account = sort_code(rng), digits(rng, 8)
    return Said(f"bank transfer. sort code {code} account {account} today",
                (theirs("bank-account", f"{code} {account}"),))


OFFENDER_KINDS = ("email", "phone", "mtcn", "skype-id", "profile", "prose-handle", "iban",
                  "bank-account")

# Chat filler with no details in it: the shape of a real sextortion chat, typos included.
FILLER = (
    "hey", "who is this?", "you know who I am", "I have your pictures", "please dont do this",
    "I will send them to all your followers", "ok ok please wait", "you have 1 hour",
    "I dont have that much money", "then you get nothing", "please I am begging you 🙏",
    "stop messaging me", "did you send it?", "not yet the shop is closed", "hurry up",
    "I am not joking 😂", "I blocked you on the other app", "why are you doing this to me",
    "everyone in your school will see it, your family, your friends, your teachers, all of "
    "them, unless you do exactly what I say right now", "ok", "👍", "are you there",
    "I am at the bank now", "it says it is pending", "show me a picture of the receipt",
)


def negative_line(rng: random.Random, own_email: str, own_phone: str) -> Said:
    """An incoming or outgoing message carrying only non-offender values."""
    shape = rng.randrange(4)
    if shape == 0:
        return Said(f"I know your number {own_phone}", (mine("phone", own_phone),))
    if shape == 1:
        return Said(f"I found your email {own_email} lol", (mine("email", own_email),))
    amount = rng.choice(["£250", "£300", "$500", "€150", "£1,000", "200 pounds"])
    text = rng.choice(["send {} now or I post them", "I can only get {} by friday"])
    return Said(text.format(amount), (mine("amount", amount),))
