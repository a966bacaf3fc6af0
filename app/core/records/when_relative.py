"""The ways people say when something happened counting back from now, for when_text.py.

Tried by hand: "2 days ago", "an hour ago", "Friday night 11pm" and "about 9pm yesterday"
were each refused as "cannot read this as a date". Read here: a number of days or weeks
ago (`2 days ago`, `a week ago`, `three weeks ago`, `the day before yesterday`; a time may be
typed with them), of hours or minutes ago (`an hour ago`, `half an hour ago`, `20 minutes
ago`: the time is counted back from now, to the minute), a part of the day after a day's
name (`Friday night 11pm`, `last Saturday morning 9am`), and `about` or `around` before any
of it, which the caller shows as "about then". Text from when_text's `_clean`: lower case,
single spaces, "the", "at" and "on" already taken out.
"""

import re
from datetime import date, datetime, time, timedelta

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12}
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_DAYS_AGO = re.compile(_COUNT + r"\s+(?P<unit>days?|weeks?)\s+ago", re.ASCII)
_CLOCK_AGO = re.compile(r"(?:" + _COUNT + r"|(?P<half>half an?))\s+"
                        r"(?P<unit>hours?|hrs?|minutes?|mins?)\s+ago", re.ASCII)
_ABOUT = re.compile(r"^(?:about|around|roughly|approx\.?|approximately|circa|c\.)\s+", re.ASCII)

# The parts of a day people name after a day ("Friday night"). At night, a time in the small
# hours is after midnight: the next day.
PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
SMALL_HOURS_END = 6
# "Friday night", "last Friday evening": the day, then the part.
_NAMED_DAY_PART = re.compile(r"(?P<day>(?:last\s+)?[a-z]+)\s+(?P<part>" + PART_OF_DAY + r")",
                             re.ASCII)


def _count(found: re.Match[str]) -> int:
    text = found["count"]
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def without_about(text: str) -> tuple[str, bool]:
    """The text without a leading "about" (or "around"...), and whether it had one."""
    found = _ABOUT.match(text)
    return (text[found.end():], True) if found else (text, False)


def days_ago(text: str, today: date) -> date | None:
    """`2 days ago`, `a week ago`, `day before yesterday`: the day, or None."""
    if text == "day before yesterday":
        return today - timedelta(days=2)
    found = _DAYS_AGO.fullmatch(text)
    if found is None:
        return None
    days = _count(found) * (7 if found["unit"].startswith("week") else 1)
    return today - timedelta(days=days)


def clock_ago(text: str, today: date, now: time) -> tuple[date, time] | None:
    """`an hour ago`, `half an hour ago`, `20 minutes ago`: the day and time, to the minute."""
    found = _CLOCK_AGO.fullmatch(text)
    if found is None:
        return None
    hours = found["unit"].startswith("h")
    amount = 0.5 if found["half"] else _count(found)
    minutes = round(amount * 60) if hours else round(amount)
    moment = datetime.combine(today, time(now.hour, now.minute)) - timedelta(minutes=minutes)
    return moment.date(), moment.time()


def named_day_part(text: str) -> tuple[str, str] | None:
    """`friday night` -> ("friday", "night"); the caller reads the day. None if not so."""
    found = _NAMED_DAY_PART.fullmatch(text)
    return (found["day"], found["part"]) if found else None


def after_midnight(part: str, clock: time | None) -> bool:
    """A time in the small hours said of a night ("Friday night 1am") is the next day."""
    return part == "night" and clock is not None and clock.hour < SMALL_HOURS_END
