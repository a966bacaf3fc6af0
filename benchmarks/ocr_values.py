"""Fake but well-formed details for the OCR test corpus, and chat sentences that carry them.

Every value is invented and safe to print: phone numbers come from Ofcom's ranges for drama
(020 7946 0xxx and the 0113/0121/0161... 496 0xxx ranges, which `phonenumbers` accepts as
valid) and the US 555-01xx range; e-mail domains are mostly example.com/.org/.net; IBANs,
Bitcoin and Ethereum addresses are random but carry correct check digits, computed here.

Ofcom's mobile drama range (07700 900xxx) is *not* used: `phonenumbers` calls those numbers
invalid, so the OCR rules (which only take valid numbers) rightly skip them.

Each sentence comes with its labels: the (kind, normalised) pairs that the rules in
`app.core.reading.candidates` should find in it, normalised by the same functions they use.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from app.core.reading.rules.money import amount_key
from app.core.reading.rules.time import date_key, month_day_key, time_key
from benchmarks.ocr_values_base import Label, Message, label
from benchmarks.ocr_values_money import (
    bank_message,
    crypto_message,
    iban_message,
    moneygram_message,
    mtcn_message,
)

__all__ = ["FILLER", "FIRST", "LAST", "Label", "Message", "clock", "handle", "label"]


FIRST = (
    "ann james sophie liam chloe ryan emma jack mia noah olivia harry grace leo ella adam "
    "zara kyle amir priya tom lucy dan nina"
).split()
LAST = (
    "lee smith jones brown taylor wilson evans walker khan patel wright hughes clarke hall".split()
)


def handle(rng: random.Random, chars: str = "._", longest: int = 15) -> str:
    """A made-up username using only separators from `chars`, at most `longest` long (the
    limit on X and Snapchat)."""
    while True:
        first, last, number = rng.choice(FIRST), rng.choice(LAST), rng.randrange(10, 100)
        shapes = [f"{first}{last}{number}", f"{first}x{number}", f"real{first}{last}"]
        for sep in chars:
            shapes += [
                f"{first}{sep}{last}",
                f"{first}{sep}{last}{number}",
                f"the{sep}{first}{number}",
            ]
        name = rng.choice(shapes)
        if len(name) <= longest:
            return name


# --- contact details ---------------------------------------------------------------------------


def email_message(rng: random.Random) -> Message:
    domain = rng.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "gmail.com",
            "outlook.com",
            "yahoo.co.uk",
            "proton.me",
        ]
    )
    address = f"{handle(rng, '._-')}@{domain}"
    text = rng.choice(
        [
            "email me at {}",
            "my email is {}",
            "send the proof to {}",
            "{} is my work email",
            "write to {} if you want to talk",
        ]
    ).format(address)
    return Message(text, frozenset({label("email", address)}))


_UK_RANGES = [
    "20 7946 0",
    "113 496 0",
    "121 496 0",
    "131 496 0",
    "141 496 0",
    "151 496 0",
    "161 496 0",
    "117 496 0",
    "191 498 0",
    "29 2018 0",
]


def phone_number(rng: random.Random) -> str:
    if rng.random() < 0.2:
        rest = f"555-01{rng.randrange(100):02d}"
        return rng.choice([f"+1 202-{rest}", f"+1 (202) {rest}", f"+1 312-{rest}"])
    number = rng.choice(_UK_RANGES) + f"{rng.randrange(1000):03d}"
    return rng.choice(
        [f"0{number}", f"+44 {number}", "0" + number.replace(" ", ""), f"+44 (0){number}"]
    )


def phone_message(rng: random.Random) -> Message:
    number = phone_number(rng)
    text = rng.choice(
        [
            "call me on {}",
            "whatsapp me on {} now",
            "my number is {}",
            "text {} if you want this to stop",
            "{} is my new number",
            "ring {} tonight",
        ]
    ).format(number)
    return Message(text, frozenset({label("phone", number)}))


def skype_message(rng: random.Random) -> Message:
    if rng.random() < 0.6:
        skype_id = "live:.cid." + "".join(rng.choice("0123456789abcdef") for _ in range(16))
    else:
        skype_id = "live:" + handle(rng, "._")
    text = rng.choice(
        [
            "send it to my skype {}",
            "add me on skype {}",
            "skype id: {}",
            "my skype is {}",
            "{} is my skype, add me now",
        ]
    ).format(skype_id)
    return Message(text, frozenset({label("skype-id", skype_id)}))


# Platform, (link shapes), separators its handles may use.
_PROFILE_LINKS: list[tuple[str, list[str], str]] = [
    (
        "facebook",
        [
            "https://www.facebook.com/{}",
            "facebook.com/{}",
            "m.facebook.com/{}",
            "www.facebook.com/{}",
        ],
        ".",
    ),
    (
        "username",
        ["instagram.com/{}", "https://www.instagram.com/{}/", "www.instagram.com/{}"],
        "._",
    ),
    ("username", ["tiktok.com/@{}", "https://www.tiktok.com/@{}"], "._"),
    ("username", ["x.com/{}", "twitter.com/{}"], "_"),
    ("username", ["snapchat.com/add/{}"], "._"),
    ("username", ["t.me/{}"], "_"),
]


def profile_link_message(rng: random.Random) -> Message:
    if rng.random() < 0.15:
        kind, link = "facebook", f"www.facebook.com/profile.php?id=1000{rng.randrange(10**11):011d}"
    elif rng.random() < 0.15:
        slug = handle(rng, "-")
        kind = "url"
        link = rng.choice(
            [
                f"https://example.com/leaks/{slug}",
                f"www.example.net/{slug}",
                f"example.org/v/{slug}",
            ]
        )
    else:
        kind, shapes, chars = rng.choice(_PROFILE_LINKS)
        link = rng.choice(shapes).format(handle(rng, chars))
    text = rng.choice(
        [
            "my profile is {}",
            "this is my page {}",
            "add me {}",
            "look at {}",
            "I will post your pics on {}",
            "follow me {} and reply",
        ]
    ).format(link)
    return Message(text, frozenset({label(kind, link)}))


def platform_handle_message(rng: random.Random) -> Message:
    platform, words, chars = rng.choice(
        [
            ("Instagram", ["Instagram", "insta", "IG"], "._"),
            ("Snapchat", ["snap", "Snapchat"], "._"),
            ("TikTok", ["tiktok", "TikTok"], "._"),
            ("Telegram", ["telegram"], "_"),
        ]
    )
    name, word = handle(rng, chars), rng.choice(words)
    text = rng.choice(
        ["{w}: {h}", "add me on {w} @{h}", "{w}: @{h}", "my {w} is @{h}", "message me on {w} @{h}"]
    ).format(w=word, h=name)
    return Message(text, frozenset({label("username", "@" + name, platform)}))


# --- money -------------------------------------------------------------------------------------


def amount_message(rng: random.Random) -> Message:
    value = Decimal(rng.choice([50, 100, 150, 200, 250, 300, 500, 750, 1000, 1500, 2000]))
    currency = rng.choice(["GBP", "USD", "EUR"])
    cents = rng.random() < 0.2
    number = f"{value:,.2f}" if cents else f"{value:,}"
    written = rng.choice(
        {
            "GBP": [f"£{number}", f"{number} GBP", f"{number} pounds"],
            "USD": [f"${number}", f"{number} USD", f"{number} dollars"],
            "EUR": [f"€{number}", f"{number} EUR", f"{number} euros"],
        }[currency]
    )
    text = rng.choice(
        [
            "pay {} now",
            "I want {} or I send everything",
            "send {} and I delete it",
            "you have to pay {}",
        ]
    )
    return Message(text.format(written), frozenset({("amount", amount_key(currency, value))}))


def date_message(rng: random.Random) -> Message:
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
    month = day.strftime("%B")
    shapes = [
        (day.strftime("%d/%m/%Y"), date_key(day)),
        (f"{day.day} {month[:3]} {day.year}", date_key(day)),
        (f"{day.day} {month}", month_day_key(day.month, day.day)),
        (f"{month} {day.day}, {day.year}", date_key(day)),
        (day.isoformat(), date_key(day)),
    ]
    written, key = rng.choice(shapes)
    text = rng.choice(["I will post it on {}", "you have until {}", "the deadline is {}"])
    return Message(text.format(written), frozenset({("date-time", key)}))


def clock(moment: datetime.time, twelve_hour: bool) -> tuple[str, Label]:
    """A time as a chat app shows it, and its label."""
    if twelve_hour:
        written = (
            f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
        )
    else:
        written = f"{moment.hour:02d}:{moment.minute:02d}"
    return written, ("date-time", time_key(moment))


# Kinds and how often each appears; the five kinds the test holds to 90% come most often.
MAKERS: list[tuple[Callable[[random.Random], Message], int]] = [
    (email_message, 6),
    (phone_message, 6),
    (skype_message, 5),
    (mtcn_message, 5),
    (profile_link_message, 7),
    (platform_handle_message, 3),
    (moneygram_message, 1),
    (bank_message, 2),
    (iban_message, 2),
    (crypto_message, 2),
    (amount_message, 3),
    (date_message, 2),
]


def value_message(rng: random.Random) -> Message:
    makers = [maker for maker, _ in MAKERS]
    maker = rng.choices(makers, [weight for _, weight in MAKERS])[0]
    return maker(rng)


# Chat filler: what these conversations sound like, with no detail the rules should find
# (no digits, no "@", no dotted words). Some mention payment words on purpose, to check that
# a word such as "account" alone does not make anything a candidate.
FILLER = [
    "hey",
    "hi there",
    "how are you",
    "who is this",
    "why are you doing this",
    "please don't share anything",
    "I already paid you",
    "I don't have that much money",
    "please give me more time",
    "you said you would delete them",
    "I'm scared",
    "this is not fair",
    "what do you want from me",
    "ok",
    "ok fine",
    "I can't do that",
    "my parents will find out",
    "stop messaging me",
    "I'm going to the police",
    "pay now or I send it to all your friends",
    "I have your friends list",
    "you have one hour",
    "don't ignore me",
    "send it now",
    "are you there",
    "answer me",
    "I will ruin your life",
    "I know where you work",
    "last warning",
    "do you understand",
    "nobody needs to know",
    "just do what I say",
    "I sent it already",
    "check your account",
    "the bank is closed today",
    "I will go to Western Union tomorrow",
    "how do I use MoneyGram",
    "I don't have crypto",
    "it didn't go through",
    "try again",
    "that's all I have",
    "please stop",
    "lol",
    "you think I'm joking?",
    "I'm not joking",
    "good",
    "now delete everything",
    "I did everything you asked",
    "why do you need more",
    "my insta is private",
    "I don't use snap anymore",
    "can we talk on the phone",
    "no video call",
    "I'm at work",
    "I'll be home later",
    "give me until the weekend",
    "I need to think",
    "thank you",
    "whatever",
    "see you",
    "sorry",
]
