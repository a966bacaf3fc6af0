"""Details on a page that are the person's own, not the offender's.

A screenshot of a sextortion chat is full of the person's own details: offenders quote them to
frighten ("I know your number +44 7700 900123", "I found your email ..."), a Western Union
receipt lists the sender's phone (the person paid), and a webmail page says whose mailbox it is
("to ann@example.com" under the sender's address). Suggesting those as the offender's would put
the person's own number in the case as the suspect's, so they are not offered at all: the
person can still add one by hand. Only the phrasings and layouts below are trusted; anything
else is offered as before.
"""

from __future__ import annotations

import re

from app.core.identifiers import IdentifierType
from app.core.reading.lines import Found, Line

_OWN_KINDS = (IdentifierType.PHONE, IdentifierType.EMAIL)
# "your number", "your phone number is", "your email:", "ur email", just before the value
# ("number" perhaps misread in small print: "your n er +1 312-555-0120").
# (One lower-case word may come between: the start of an address OCR split at a misread
# underscore, "your email ryan hall@outlook.com"; or a number's country code, when the rest
# was read as the number: "your number +44 (0)20 7946 0492".)
_YOURS_BEFORE_RE = re.compile(
    r"\b(?:your|ur)\s+(?:(?:phone|mobile|cell|home|real)\s+)?"
    r"(?:number|n[a-z]{0,3} ?[a-z]{0,2}er|no\.?|phone|mobile|e-?mail(?:\s+address)?|mail|address)"
    r"(?:\s+(?:is|was))?\s*[:=\-]?\s*(?:[a-z0-9._]{2,20}\s|\+\d{1,3}\s)?$",
    re.IGNORECASE,
)
# A receipt's label on the line above: "Sender phone", "Sender's mobile number", "Your email"
# (small print is often misread: "Sendet phone", "Sender phene").
_OWN_LABEL_RE = re.compile(
    r"\W*(?:s[eo]nd[a-z]{1,3}(?:'s)?|your)\s+(?:ph[a-z]n[ae]|mobile|telephone|e-?mail)"
    r"(?:\s+(?:number|address))?"
    r"\W*",
    re.IGNORECASE,
)
# A mailbox's "to" line: the word "to" just before the address (after the avatar's initials),
# small print perhaps misreading it ("10", "t0"), and perhaps one word between: the start of
# an address OCR split ("to liam.taylor 33@yahoo.co.uk").
_TO_BEFORE_RE = re.compile(r"(?:^|\s)(?:to|t0|10)\s*:?\s*(?:[a-z0-9._]{2,30}\s)?$",
                           re.IGNORECASE)
# The sender's line a line or two above it: "Leo Hughes <leo@example.com> Jan 11, 2026"
# (its address perhaps misread, "<mia hughes@example.com>").
_SENDER_LINE_RE = re.compile(r"<[^<>]{1,80}@[^<>]{1,80}>")
# OCR may join the "to" to the address: "Inbox 3 tokylex74@example.com".
_TO_JOINED_RE = re.compile(r"to[a-z0-9]", re.IGNORECASE)


def is_persons_own(lines: list[Line], found: Found) -> bool:
    """True when the page says this phone number or e-mail address is the person's."""
    if found.kind not in _OWN_KINDS:
        return False
    index, start, _ = min(found.spans)
    line = lines[index]
    before = line.text[:start]
    starts_line = not before.strip()
    if starts_line and index > 0 and _OWN_LABEL_RE.fullmatch(lines[index - 1].text):
        return True
    if starts_line and index > 0 and lines[index - 1].continued_by(line):
        before = lines[index - 1].text + " "  # the sentence began on the line above
    if _YOURS_BEFORE_RE.search(before[-60:]):
        return True
    if found.kind is IdentifierType.EMAIL and (
        _TO_BEFORE_RE.search(line.text[:start])
        or (_TO_JOINED_RE.match(found.value) and not _has_words(line.text[:start]))
    ):
        above = lines[max(0, index - 2) : index]
        return any(_SENDER_LINE_RE.search(other.text) for other in above)
    return False


def _has_words(text: str) -> bool:
    """Words of four letters or more, other than the mailbox's own ("Inbox")."""
    return any(sum(ch.isalpha() for ch in word) >= 4 and word.lower() != "inbox"
               for word in text.split())
