"""Find the details police ask for in the text OCR read from a screenshot.

A victim's chat screenshots hold the e-mail addresses, phone numbers, profile links, Skype
IDs, MTCNs and bank details that police need, and typing them out again is slow and error
prone. `find_candidates` proposes them; the person confirms each one before it is saved, so
a candidate is a suggestion, never a record.

Precision comes first: a missed detail can be added by hand, but a wrong one looks
authoritative. So each kind is checked by the library that knows it (see the `ocr_rules_*`
modules), and where two rules could claim the same characters ("0161 496 0123" near
"Western Union"), the more specific rule runs first and takes them.

Nothing here raises, whatever the text: it comes from pictures criminals made.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from app.core.pictures import OcrPage
from app.core.reading.kinds import CandidateKind
from app.core.reading.lines import Found, Line, mend, page_lines, typed_lines
from app.core.reading.rules.contact import find_emails, find_links, find_phones
from app.core.reading.rules.handles import find_cashtags, find_handles, find_skype_ids
from app.core.reading.rules.header import find_header_handles
from app.core.reading.rules.money import (
    find_amounts,
    find_bank_accounts,
    find_ibans,
    find_moneygram_references,
    find_mtcns,
)
from app.core.reading.rules.time import find_dates_and_times
from app.core.reading.rules.wallets import find_crypto_wallets
from app.core.reading.whose import is_persons_own

__all__ = ["Candidate", "find_candidates", "find_in_document", "find_in_text"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One detail found on a page, for the person to confirm."""

    kind: CandidateKind  # an IdentifierType, or an amount or a date and time
    value: str  # the text as read, without the punctuation around it
    # For identifiers, exactly `identifiers.normalise(kind, value, platform).normalised`, so
    # a candidate matches the same detail typed by hand. Amounts: "GBP 250.00"; dates and
    # times: the keys described in `ocr_rules_time`.
    normalised: str
    platform: str | None  # "Instagram" for an Instagram link or handle, when known
    words: tuple[int, ...]  # indices into page.words, for highlighting on the picture
    corrected: bool = False  # a correction of what OCR read: shown as hard to read


_Rule = Callable[[list[Line], int], Iterator[Found]]

# Most specific first: characters a rule has taken are not offered to the rules after it.
# Codes with check digits first; then links and addresses, which contain digits and dots;
# then numbers with a word nearby saying what they are; then loose phone numbers, amounts
# and times; @handles last, so the "@" of an e-mail address is never read as one.
_RULES: tuple[_Rule, ...] = (
    find_ibans,
    find_crypto_wallets,
    find_skype_ids,
    find_emails,
    find_links,
    find_bank_accounts,
    find_mtcns,
    find_moneygram_references,
    find_phones,
    find_amounts,
    find_dates_and_times,
    find_header_handles,
    find_handles,
    find_cashtags,
)


# Tesseract's commonest slip in chat text: a digit read as a letter right after another digit
# ("jack4l", "sophiejones6l@", "harryx8o@", "10:3o"), where the name or number goes on or
# ends. A letter between two letters is left alone: "michael2" and "emmal9" may be real.
_DIGIT_SLIPS = (
    (re.compile(r"(?<=[0-9])[lI|](?=[0-9\s@/?&#,.;:!)]|$)"), "1"),
    (re.compile(r"(?<=[0-9])[oO](?=[0-9\s@/?&#,.;:!)]|$)"), "0"),
)


_CHECKSUMMED = (find_ibans, find_crypto_wallets)


def _mended(line: Line) -> Line:
    for pattern, replacement in _DIGIT_SLIPS:
        line = mend(line, pattern, replacement)
    # The mended line is the one every rule reads and reports spans in.
    return dataclasses.replace(line, origin=None)


def find_candidates(page: OcrPage) -> list[Candidate]:
    """The details on `page` in reading order, each (kind, normalised) once."""
    as_read = page_lines(page)
    # The mends change single characters only, so spans fit both versions of a line.
    return _candidates(_RULES, as_read, [_mended(line) for line in as_read])


# A document (a PDF's text) is not a chat: what it says of money and time is rarely the
# offender's (a bank statement holds dozens of each), so only identifiers are offered, as
# from a chat's messages.
_DOCUMENT_RULES = tuple(rule for rule in _RULES if rule not in (find_amounts,
                                                                 find_dates_and_times))


def find_in_document(page: OcrPage, *, recognised: bool) -> list[Candidate]:
    """The identifiers in a document's words. Its text as written has no slips to mend;
    `recognised`: some pages of it were read by text recognition, which makes them."""
    as_read = page_lines(page)
    return _candidates(_DOCUMENT_RULES, as_read,
                       [_mended(line) for line in as_read] if recognised else as_read)


# A message's own time says when it was sent, and a chat is full of times: in messages,
# dates and times are not offered.
_MESSAGE_RULES = tuple(rule for rule in _RULES if rule is not find_dates_and_times)
MAX_MESSAGE_CHARS = 20_000  # a message longer than this is read only this far


def find_in_text(text: str) -> list[Candidate]:
    """The details in typed text (a chat message), in reading order, each once. Typed text
    has no OCR slips, so no digit is mended; only its first MAX_MESSAGE_CHARS are read."""
    lines = typed_lines(text[:MAX_MESSAGE_CHARS])
    return _candidates(_MESSAGE_RULES, lines, lines)


def _candidates(rules: tuple[_Rule, ...], as_read: list[Line], lines: list[Line]
                ) -> list[Candidate]:
    taken: dict[int, list[tuple[int, int]]] = {}
    found: list[Found] = []
    for rule in rules:
        # Codes with check digits mend their own slips, and only where the checksum agrees.
        text = as_read if rule in _CHECKSUMMED else lines
        for index in range(len(lines)):
            for item in _run(rule, text, index):
                if not item.value.strip() or any(
                    _overlaps(start, end, taken.get(line, ())) for line, start, end in item.spans
                ):
                    continue
                for line, start, end in item.spans:
                    taken.setdefault(line, []).append((start, end))
                # The person's own number or address stays taken, so no rule after this
                # one offers its characters as something else, but it is not offered.
                if not is_persons_own(lines, item):
                    found.append(item)
    found.sort(key=lambda item: min(item.spans))
    candidates: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for item in found:
        key = (item.kind, item.normalised)
        if key in seen:
            continue
        seen.add(key)
        words = sorted({word for n, s, e in item.spans for word in lines[n].words(s, e)})
        candidates.append(
            Candidate(item.kind, item.value, item.normalised, item.platform, tuple(words),
                      item.corrected)
        )
    return candidates


def _run(rule: _Rule, lines: list[Line], index: int) -> list[Found]:
    try:
        return list(rule(lines, index))
    except Exception as error:
        # A library meeting text nobody foresaw must not cost the person the other details
        # on the page. Log the rule and the error type only, never the text.
        _log.error("OCR rule %s failed: %s", rule.__name__, error.__class__.__name__)
        return []


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)
