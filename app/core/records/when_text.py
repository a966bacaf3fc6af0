"""Dates and times as a person types them, read in UK order (day first), with no guessing
that a person cannot see.

What is read: `14/03/2025 22:30`, `14/03/2025`, `14/3/25`, `14.03.2025`, `14 Mar 2025 22:30`,
`14 March 2025, 10:30pm`, `Friday 14th March 2025 at 22:30`, `March 14 2025`,
`2025-03-14 22:30` (and `T` between), `today`, `yesterday 21:00`, `now`, `Tuesday 22:30` (the
most recent Tuesday, today included) and `last Tuesday` (the one before today), and the parts of
a day people say: `last night 11pm` (yesterday; `last night 1am` is today, after midnight),
`this morning 9am`, `tonight 10pm`, `yesterday evening 8pm`, `Friday night 11pm` (`Friday night
1am` is Saturday), and counting back from now (when_relative.py): `2 days ago`, `a week ago`,
`an hour ago`, `20 minutes ago`, with `about` or `around` before any of it kept as `When.about`.
A time may come before or after the date. Seconds are kept only when typed; nothing is
invented.

A payment may be known only to the month: `read_month` reads `March 2025`, `Mar 2025`,
`03/2025` and `2025-03` as a `MonthOnly`, a date (the first of the month) that writes itself
`2025-03` and is shown as "March 2025".

Nothing that is readable is refused: a date in the future or long ago is read, and
`hint_for()` gives a gentle question for the caller to show beside the field. Text that cannot
be read raises `InvalidInput` with one calm sentence saying the form wanted. No Qt here.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.core.records.when_relative import (
    PART_OF_DAY,
    after_midnight,
    clock_ago,
    days_ago,
    named_day_part,
    without_about,
)
from app.errors import InvalidInput
from app.i18n import tr

MAX_LENGTH = 60  # the longest sensible date is about 40 characters
EARLIEST_LIKELY = date(2000, 1, 1)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {**{d: i for i, d in enumerate(_DAYS)}, **{d[:3]: i for i, d in enumerate(_DAYS)},
              "tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_MONTH_NAMES = {**{m: i + 1 for i, m in enumerate(_MONTHS)},
                **{m[:3]: i + 1 for i, m in enumerate(_MONTHS)}, "sept": 9}

_ALLOWED = re.compile(r"[a-z0-9 :/.,\-]*", re.ASCII)
_AMPM = r"(?P<ampm>a\.?m\.?|p\.?m\.?)"
_CLOCK = (rf"(?P<hour>\d{{1,2}})[:.](?P<minute>\d{{2}})(?:[:.](?P<second>\d{{2}}))?\s*{_AMPM}?"
          rf"|(?P<hour_only>\d{{1,2}})\s*{_AMPM.replace('ampm', 'ampm_only')}"
          r"|(?P<word>noon|midday|midnight)")
# A time at the end (after a space, a comma or the ISO "t") or at the start of the text.
_TIME_AT_END = re.compile(rf"(?:^|(?<=[\s,t]))(?:{_CLOCK})$", re.ASCII)
_TIME_AT_START = re.compile(rf"^(?:{_CLOCK})(?=[\s,]|$)", re.ASCII)
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})t?", re.ASCII)
_NUMERIC = re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})(?:[/.\-](?P<y>\d+))?", re.ASCII)
_DAY_MONTH = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*(?:of\s+)?(?P<name>[a-z]+)\.?"
                        r"(?:[\s,\-/.]+(?P<y>\d+))?", re.ASCII)
_MONTH_DAY = re.compile(r"(?P<name>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
                        r"(?:[\s,]+(?P<y>\d+))?", re.ASCII)


@dataclass(frozen=True)
class When:
    """A day, and the time of day if one was typed (seconds only if typed)."""

    day: date
    clock: time | None = None
    weekday_typed: int | None = None  # Monday = 0, when the text named a day of the week
    about: bool = False  # typed with "about" or "around": the time is not exact

    def at(self) -> datetime:
        """The naive local date and time; only for a `When` with a time."""
        if self.clock is None:
            raise ValueError("no time of day was given")
        return datetime.combine(self.day, self.clock)


class MonthOnly(date):
    """A month whose day is not known: the first of the month, written `2025-03` (ISO 8601)
    wherever a date is written (CSV files, manifest.json, the report), shown as "March 2025".
    A day other than the first (date arithmetic, `replace`) gives a plain date."""

    def __new__(cls, year: int, month: int, day: int = 1) -> "MonthOnly":
        if day != 1:
            return date(year, month, day)  # type: ignore[return-value]
        return super().__new__(cls, year, month, 1)

    def replace(self, year: int | None = None, month: int | None = None,  # type: ignore[override]
                day: int | None = None) -> date:
        return MonthOnly(year or self.year, month or self.month, day or 1)

    def __reduce__(self) -> tuple[type["MonthOnly"], tuple[int, int]]:
        return MonthOnly, (self.year, self.month)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def words(self) -> str:
        """"March 2025"."""
        return f"{tr(_MONTHS[self.month - 1].capitalize())} {self.year}"

    def covers(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)


_MONTH_NUMERIC = re.compile(r"(?P<m>\d{1,2})[/.\-](?P<y>\d{4})|(?P<y2>\d{4})[/.\-](?P<m2>\d{1,2})",
                            re.ASCII)
_MONTH_WORDS = re.compile(r"(?P<name>[a-z]+)\.?[\s,]+(?P<y>\d{4})", re.ASCII)


def read_month(text: str) -> MonthOnly | None:
    """A month and a year with no day ("March 2025", "03/2025", "2025-03"), or None when the
    text is not one (then read it with `read_when`). Raises InvalidInput for month 13."""
    cleaned = _clean(text[:MAX_LENGTH])
    if found := _MONTH_NUMERIC.fullmatch(cleaned):
        month, year = int(found["m"] or found["m2"]), int(found["y"] or found["y2"])
    elif (found := _MONTH_WORDS.fullmatch(cleaned)) and _month_number(found["name"]):
        month, year = _MONTH_NAMES[found["name"]], int(found["y"])
    else:
        return None
    if not 1 <= month <= 12:
        raise InvalidInput(tr("There is no month {month}.").format(month=month) + " "
                           + tr("Type the month and the year, like March 2025 or 03/2025."))
    if year < 1:
        return None
    return MonthOnly(year, month)


def _examples(with_time: bool) -> str:
    return (tr("Type the day first, like 14/03/2025 22:30 or 14 March 2025, 10:30pm.")
            if with_time else tr("Type the day first, like 14/03/2025 or 14 March 2025."))


def _unreadable(with_time: bool) -> InvalidInput:
    return InvalidInput(tr("Safekeep cannot read this as a date yet.") + " " + _examples(with_time))


def _clean(text: str) -> str:
    """Lower case, plain ASCII digits and letters, single spaces, filler words out."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.replace("\u2013", "-").replace("\u2014", "-")
    folded = " ".join(folded.split())
    folded = re.sub(r"(?<![a-z])(?:at|on|the)(?![a-z])", " ", folded)
    folded = re.sub(r"(?<=\d)(?:st|nd|rd|th)(?![a-z])", "", folded)
    return " ".join(folded.split()).strip(" ,")


def _read_time(found: re.Match[str]) -> time:
    if found.group("word"):
        return time(0, 0) if found.group("word") == "midnight" else time(12, 0)
    hour_text = found.group("hour") or found.group("hour_only")
    hour = int(hour_text)
    minute = int(found.group("minute") or 0)
    second = int(found.group("second") or 0)
    ampm = found.group("ampm") or found.group("ampm_only")
    if ampm:
        if not 1 <= hour <= 12:
            raise InvalidInput(tr("With am or pm, the hour goes from 1 to 12, like 10:30pm."))
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidInput(tr("The time should be hours and minutes, like 22:30 or 10:30pm."))
    return time(hour, minute, second)


def _split_time(text: str) -> tuple[str, time | None]:
    found = _TIME_AT_END.search(text)
    if found is not None and found.start() > 0:
        return text[: found.start()].strip(" ,"), _read_time(found)
    found = _TIME_AT_START.match(text)
    if found is not None and text[found.end():].strip(" ,"):
        return text[found.end():].strip(" ,"), _read_time(found)
    return text, None


def _full_year(text: str | None, day: int, month: int, today: date, with_time: bool) -> int:
    if text is None:
        # No year: the most recent such day, so "14 March" typed in January is last March.
        this_year = today.year
        try:
            candidate = date(this_year, month, day)
        except ValueError:
            return this_year  # 29 February in a common year: _make_day explains
        return this_year - 1 if candidate > today + timedelta(days=1) else this_year
    if len(text) == 2:
        short = int(text)
        return 2000 + short if short <= today.year % 100 + 1 else 1900 + short
    if len(text) == 4 and int(text) >= 1:
        return int(text)
    raise InvalidInput(tr("Type the year with 4 digits, like 2025.") + " " + _examples(with_time))


def _make_day(year: int, month: int, day: int, with_time: bool, numeric: bool) -> date:
    if not 1 <= month <= 12:
        if numeric and 1 <= day <= 12 and 13 <= month <= 31:
            # Typed month first, as in the US: say how to write the day they probably meant.
            raise InvalidInput(tr("Safekeep reads the day first, then the month. "
                                  "For {day_words}, type {typed}.").format(
                day_words=f"{month} {tr(_MONTHS[day - 1].capitalize())}",
                typed=f"{month:02d}/{day:02d}/{year:04d}"))
        raise InvalidInput(tr("There is no month {month}.").format(month=month) + " "
                           + _examples(with_time))
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(tr("{month} {year} has no day {day}.").format(
            month=tr(_MONTHS[month - 1].capitalize()), year=year, day=day)) from None


def _month_number(name: str) -> int | None:
    return _MONTH_NAMES.get(name)


def _read_day(text: str, today: date, with_time: bool) -> date | None:
    if text in ("today", "now", "tonight"):
        return today
    if text in ("yesterday", "last night"):
        return today - timedelta(days=1)
    if (ago := days_ago(text, today)) is not None:
        return ago
    # A part of the day after a day ("this morning", "Friday night") says no more than the
    # time typed with it.
    if (named := named_day_part(text)) is not None:
        return today if named[0] == "this" else _read_day(named[0], today, with_time)
    last, _, name = text.rpartition(" ")
    if name in _DAY_NAMES and last in ("", "last"):
        # "Tuesday": the most recent Tuesday, today if it is one; "last Tuesday": the one
        # before today. The field says the date it read ("Read as: Tuesday 1 December 2026").
        back = (today.weekday() - _DAY_NAMES[name]) % 7
        return today - timedelta(days=back or (7 if last else 0))
    if found := _ISO.fullmatch(text):
        return _make_day(int(found["y"]), int(found["m"]), int(found["d"]), with_time, False)
    if found := _NUMERIC.fullmatch(text):
        d, m = int(found["d"]), int(found["m"])
        year = _full_year(found["y"], d, m, today, with_time)
        return _make_day(year, m, d, with_time, True)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if (found := pattern.fullmatch(text)) and (month := _month_number(found["name"])):
            d = int(found["d"])
            year = _full_year(found["y"], d, month, today, with_time)
            return _make_day(year, month, d, with_time, False)
    return None


def read_when(text: str, *, today: date, now: time | None = None,
              with_time: bool = True) -> When:
    """Read what a person typed. `with_time` only changes the examples in the messages;
    the caller decides what to do with a time it does not keep or a time that is missing."""
    if len(text) > MAX_LENGTH:
        raise InvalidInput(tr("That is too long for a date.") + " " + _examples(with_time))
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput(tr("Type the date, day first, like 14/03/2025 22:30.") if with_time
                           else tr("Type the date, day first, like 14/03/2025."))
    if not _ALLOWED.fullmatch(cleaned):
        raise _unreadable(with_time)
    cleaned, about = without_about(cleaned)
    when = _read_cleaned(cleaned, today, now if now is not None else datetime.now().time(),
                         with_time)
    return When(when.day, when.clock, when.weekday_typed, about)


def _read_cleaned(cleaned: str, today: date, now: time, with_time: bool) -> When:
    weekday: int | None = None
    first, _, rest = cleaned.partition(" ")
    # "Friday 14 March" checks the day; "Friday 22:30" and "Friday night" are the day.
    if first.rstrip(",") in _DAY_NAMES and rest and not _TIME_AT_START.fullmatch(
            rest.strip(" ,")) and not re.match(PART_OF_DAY, rest):
        weekday, cleaned = _DAY_NAMES[first.rstrip(",")], rest.strip(" ,")
    if cleaned == "now":
        return When(today, time(now.hour, now.minute))
    if (ago := clock_ago(cleaned, today, now)) is not None:
        return When(*ago)
    # The whole text as a day first: "14.03.25" is a date, not 14:03:25 with no day.
    first_problem: InvalidInput | None = None
    try:
        day = _read_day(cleaned, today, with_time)
    except InvalidInput as problem:
        day, first_problem = None, problem
    if day is not None:
        return When(day, None, weekday)
    if _TIME_AT_START.fullmatch(cleaned) or _TIME_AT_END.fullmatch(cleaned):
        raise InvalidInput(tr("Type the date too, like 14/03/2025 22:30, or today 22:30."))
    date_text, clock = _split_time(cleaned)
    if clock is not None:
        day = _read_day(date_text, today, with_time)
        part = (named_day_part(date_text) or ("", ""))[1]
        if day is not None and after_midnight(part, clock):
            day += timedelta(days=1)  # "last night 1am": after midnight, so today
        if day is not None:
            return When(day, clock, weekday)
    raise first_problem or _unreadable(with_time)


def hint_for(when: When, *, now: datetime, with_time: bool = True,
             typed_locally: bool = True) -> str:
    """A gentle question about a readable date that may be a slip, or "" (never a refusal).
    `typed_locally`: the time is this computer's clock (not one given with its offset, which
    says which of two 01:30s it is)."""
    if when.weekday_typed is not None and when.weekday_typed != when.day.weekday():
        return tr("{day} was a {actual}, not a {typed}. Is the date right?").format(
            day=day_words(when.day), actual=tr(_DAYS[when.day.weekday()].capitalize()),
            typed=tr(_DAYS[when.weekday_typed].capitalize()))
    if when.day < EARLIEST_LIKELY:
        return tr("This date is a long time ago. Is that right?")
    moment = (when.at() if with_time and when.clock is not None
              else datetime.combine(when.day, time(0, 0)))
    limit = now + timedelta(days=1) if with_time and when.clock is not None else (
        datetime.combine(now.date() + timedelta(days=1), time(0, 0)))
    if moment > limit:
        return tr("This date is in the future. Is that right?")
    if with_time and when.clock is not None and typed_locally:
        return _clock_change(when.at())
    return ""


def _clock_change(moment: datetime) -> str:
    """A time of night the clocks skipped or passed twice on this computer (summer time
    began or ended): kept all the same, and said how, so it is not silently an hour out."""
    first, second = moment.replace(fold=0).astimezone(), moment.replace(fold=1).astimezone()
    if first.utcoffset() == second.utcoffset():
        return ""
    if first.replace(tzinfo=None) != moment:  # not a time the clock showed: it went forward
        return tr("The clocks went forward an hour that night, so {typed} did not happen "
                  "here. It is kept as {kept}. Is the time right?").format(
            typed=clock_text(moment.time()), kept=clock_text(first.time()))
    return tr("The clocks went back an hour that night, so {typed} happened twice. It is "
              "kept as the first {typed}, in summer time.").format(typed=clock_text(moment.time()))


def day_words(day: date) -> str:
    """"14 March 2025"."""
    return f"{day.day} {tr(_MONTHS[day.month - 1].capitalize())} {day.year}"


def clock_text(moment: time) -> str:
    """"22:30", or "22:30:15" when seconds were kept."""
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def describe(when: When, *, with_time: bool = True) -> str:
    """What was understood, in full words: "Friday 14 March 2025, 22:30"."""
    words = f"{tr(_DAYS[when.day.weekday()].capitalize())} {day_words(when.day)}"
    if with_time and when.clock is not None:
        return f"{words}, {clock_text(when.clock)}"
    return words


def edit_text(day: date, moment: time | None = None) -> str:
    """A stored value as a person would type it back: "14/03/2025 22:30"."""
    text = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    return f"{text} {clock_text(moment)}" if moment is not None else text
