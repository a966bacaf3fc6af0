"""The rule that finds dates and times in OCR text, and the keys they are matched by.

Chat screenshots are full of times ("21:14" under every message) and day headings ("Today",
"12 March 2024"): they place a threat or a payment on the case's timeline. Each is given
one ISO-like key, so the same moment written two ways ("12/03/2024", "12 Mar 2024") is one
candidate:

    2024-03-12          a date
    --03-12             a date without a year (ISO 8601's form for a month and a day)
    21:14 or 21:14:05   a time on a 24-hour clock
    yesterday, monday   a day word, only ever with a time: "yesterday 21:14"
    2024-03-12 21:14    a date with a time, written with a space as RFC 3339 allows

Numeric dates are read day first, as in the UK, unless only month first makes sense
("03/25/2024"). A heading such as "Today" on its own says nothing to keep.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from app.core.reading.kinds import DetailKind
from app.core.reading.lines import Found, Line

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_ISO_DATE_RE = re.compile(r"(?<![\d\-/.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d\-])")
# Slashes with a 2- or 4-digit year; dots and dashes only with a 4-digit year, because
# "1.2.34" is a version number and "12-34-56" a sort code.
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.\-])(?P<a>\d{1,2})(?:(?P<slash>/)|(?P<sep>[.\-]))(?P<b>\d{1,2})"
    r"(?(slash)/|(?P=sep))(?P<y>\d{4}|(?(slash)\d{2}|\d{4}))(?![\d/.\-]?\d)"
)
_DAY_MONTH_RE = re.compile(
    rf"(?<!\w)(?P<d>\d{{1,2}}){_ORDINAL}(?: of)? {_MONTH}(?:,? (?P<y>\d{{4}}))?(?![\w:])",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"(?<!\w){_MONTH} (?P<d>\d{{1,2}}){_ORDINAL}(?:,? (?P<y>\d{{4}}))?(?![\w:])",
    re.IGNORECASE,
)
_DAY_WORD_RE = re.compile(
    r"(?<!\w)(?P<word>today|yesterday|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|"
    r"thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?!\w)",
    re.IGNORECASE,
)
_DAY_WORDS = {
    "tod": "today",
    "yes": "yesterday",
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
_TIME_RE = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2}):(?P<min>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"(?: ?(?P<half>[ap])\.? ?m\b\.?)?(?![\d:])",
    re.IGNORECASE,
)
# What may stand between a day and its time: "12/03/2024, 21:14", "Yesterday at 9:14 PM",
# "2024-03-12T21:14"; and between a time and its day: "21:14, 12/03/2024", "9pm on Monday".
_DAY_THEN_TIME_RE = re.compile(r",? ?(?:at |@ )?|T|, | - ", re.IGNORECASE)
_TIME_THEN_DAY_RE = re.compile(r",? ?(?:on )?| - ", re.IGNORECASE)

_Span = tuple[int, int, str]  # start, end, key


def date_key(day: datetime.date) -> str:
    return day.isoformat()


def month_day_key(month: int, day: int) -> str:
    return f"--{month:02d}-{day:02d}"


def time_key(clock: datetime.time, seconds: bool = False) -> str:
    return clock.strftime("%H:%M:%S" if seconds else "%H:%M")


def date_time_key(day: str | None, clock: str | None) -> str:
    """Join a day key (`date_key`, `month_day_key` or a day word) and a `time_key`."""
    return " ".join(part for part in (day, clock) if part)


def find_dates_and_times(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    text = line.text
    if not any(char.isdigit() for char in text):
        return
    days = _days(text)
    taken = [(start, end) for start, end, _ in days]
    times = [span for span in _times(text) if not _overlaps(span, taken)]
    words = [span for span in _day_words(text) if not _overlaps(span, taken)]
    used: set[_Span] = set()
    for clock in times:
        day = _day_before(line, clock, days + words) or _day_after(line, clock, days + words)
        if day is not None:
            used.add(day)
            start, end = min(day[0], clock[0]), max(day[1], clock[1])
            yield _found(index, text, start, end, date_time_key(day[2], clock[2]))
        else:
            yield _found(index, text, clock[0], clock[1], clock[2])
    for day in days:
        if day not in used:
            yield _found(index, text, day[0], day[1], day[2])


def _found(index: int, text: str, start: int, end: int, key: str) -> Found:
    return Found(DetailKind.DATE_TIME, text[start:end], key, None, ((index, start, end),))


def _overlaps(span: _Span, taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _day_before(line: Line, clock: _Span, days: list[_Span]) -> _Span | None:
    for day in days:
        if (
            day[1] <= clock[0]
            and _DAY_THEN_TIME_RE.fullmatch(line.text, day[1], clock[0])
            and not line.apart(day[1], clock[0])
        ):
            return day
    return None


def _day_after(line: Line, clock: _Span, days: list[_Span]) -> _Span | None:
    for day in days:
        if (
            (day[2][0].isdigit() or day[2].startswith("--"))  # only real dates follow a time
            and clock[1] <= day[0]
            and _TIME_THEN_DAY_RE.fullmatch(line.text, clock[1], day[0])
            and not line.apart(clock[1], day[0])
        ):
            return day
    return None


def _days(text: str) -> list[_Span]:
    """Every date on the line, each only once even where two patterns agree."""
    found: list[_Span] = []
    for match in _ISO_DATE_RE.finditer(text):
        found += _date_span(match, int(match["y"]), int(match["m"]), int(match["d"]))
    for match in _NUMERIC_DATE_RE.finditer(text):
        first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
        year += 2000 if year < 100 else 0
        # Day first, as written in the UK; month first only when day first cannot be.
        day, month = (second, first) if second > 12 >= first else (first, second)
        found += _date_span(match, year, month, day)
    for regex in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        for match in regex.finditer(text):
            if match["month"] == "may" and not match["y"]:  # "I may 2..." is not a date
                continue
            written = int(match["y"]) if match["y"] else None
            month = _MONTHS[match["month"][:3].lower()]
            found += _date_span(match, written, month, int(match["d"]))
    spans: list[_Span] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        if not _overlaps(span, [(s, e) for s, e, _ in spans]):
            spans.append(span)
    return spans


def _date_span(match: re.Match[str], year: int | None, month: int, day: int) -> list[_Span]:
    try:
        # A date without a year is checked against a leap year, so 29 February is allowed.
        checked = datetime.date(year or 2000, month, day)
    except ValueError:
        return []
    if year is None:
        return [(match.start(), match.end(), month_day_key(month, day))]
    if not 1900 <= year <= 2200:
        return []
    return [(match.start(), match.end(), date_key(checked))]


def _times(text: str) -> list[_Span]:
    spans = []
    for match in _TIME_RE.finditer(text):
        hour, minute = int(match["h"]), int(match["min"])
        second = int(match["s"] or 0)
        if match["half"]:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if match["half"].lower() == "p" else 0)
        elif hour > 23:
            continue
        key = time_key(datetime.time(hour, minute, second), seconds=bool(match["s"]))
        spans.append((match.start(), match.end(), key))
    return spans


def _day_words(text: str) -> list[_Span]:
    spans = []
    for match in _DAY_WORD_RE.finditer(text):
        word = match["word"]
        key = _DAY_WORDS[word[:3].lower()]
        # "sat", "sun" and "wed" are English words too: short forms count when capitalised.
        if word.lower() == key or word[0].isupper():
            spans.append((match.start(), match.end(), key))
    return spans
