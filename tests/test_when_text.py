"""Reading dates and times as people type them (UK order), and refusing nothing readable.

The cases come from issue 13: "14 Mar 2025, 22:30" once became 14 Nov 2026, 20:25; text meant
for the next field once became the year 5577. Hostile text (control characters, other
scripts' digits, very long text) is read calmly or explained, never crashes.
"""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.records.when_text import (
    MAX_LENGTH,
    When,
    describe,
    edit_text,
    hint_for,
    read_when,
)
from app.errors import InvalidInput

TODAY = date(2025, 6, 1)  # a Sunday
NOW = datetime(2025, 6, 1, 10, 5)


def read(text: str, **kwargs: object) -> When:
    return read_when(text, today=TODAY, now=time(10, 5), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "day", "clock"), [
    ("14/03/2025 22:30", date(2025, 3, 14), time(22, 30)),
    ("14/03/2025", date(2025, 3, 14), None),
    ("14/3/25", date(2025, 3, 14), None),
    ("14.03.25", date(2025, 3, 14), None),
    ("14-03-2025", date(2025, 3, 14), None),
    ("14.03.2025 22.30", date(2025, 3, 14), time(22, 30)),
    ("14 Mar 2025 22:30", date(2025, 3, 14), time(22, 30)),
    ("14 Mar 2025, 22:30", date(2025, 3, 14), time(22, 30)),
    ("14 March 2025, 10:30pm", date(2025, 3, 14), time(22, 30)),
    ("14 march 2025 10:30 p.m.", date(2025, 3, 14), time(22, 30)),
    ("14th of March 2025 at 9am", date(2025, 3, 14), time(9, 0)),
    ("Friday 14 March 2025, 22:30", date(2025, 3, 14), time(22, 30)),
    ("March 14, 2025 10:30 pm", date(2025, 3, 14), time(22, 30)),
    ("14-mar-2025", date(2025, 3, 14), None),
    ("2025-03-14 22:30", date(2025, 3, 14), time(22, 30)),
    ("2025-03-14T22:30:15", date(2025, 3, 14), time(22, 30, 15)),
    ("22:30 14/03/2025", date(2025, 3, 14), time(22, 30)),
    ("  14/03/2025   22:30  ", date(2025, 3, 14), time(22, 30)),
    ("14/03/2025\n22:30", date(2025, 3, 14), time(22, 30)),
    ("today", TODAY, None),
    ("Today 21:00", TODAY, time(21, 0)),
    ("yesterday", TODAY - timedelta(days=1), None),
    ("yesterday at 9pm", TODAY - timedelta(days=1), time(21, 0)),
    ("noon yesterday", TODAY - timedelta(days=1), time(12, 0)),
    ("12am 1/1/2025", date(2025, 1, 1), time(0, 0)),
    ("12pm 1/1/2025", date(2025, 1, 1), time(12, 0)),
    ("now", TODAY, time(10, 5)),
    ("１４/０３/２０２５", date(2025, 3, 14), None),  # full-width digits from an IME
    # The parts of a day people say (tried by hand: "last night 11pm" could not be read).
    ("last night 11pm", TODAY - timedelta(days=1), time(23, 0)),
    ("11.45pm last night", TODAY - timedelta(days=1), time(23, 45)),
    ("Last night, at 1:30am", TODAY, time(1, 30)),  # after midnight: the night just gone
    ("last night", TODAY - timedelta(days=1), None),
    ("this morning 9am", TODAY, time(9, 0)),
    ("this afternoon at 3pm", TODAY, time(15, 0)),
    ("tonight 10pm", TODAY, time(22, 0)),
    ("yesterday evening 8pm", TODAY - timedelta(days=1), time(20, 0)),
    ("yesterday night 23:15", TODAY - timedelta(days=1), time(23, 15)),
    # Counting back, and a part of a named day (tried by hand: each was "cannot read").
    ("2 days ago", TODAY - timedelta(days=2), None),
    ("two days ago 9pm", TODAY - timedelta(days=2), time(21, 0)),
    ("9pm 3 days ago", TODAY - timedelta(days=3), time(21, 0)),
    ("a week ago", TODAY - timedelta(days=7), None),
    ("3 weeks ago", TODAY - timedelta(days=21), None),
    ("the day before yesterday", TODAY - timedelta(days=2), None),
    ("an hour ago", TODAY, time(9, 5)),
    ("half an hour ago", TODAY, time(9, 35)),
    ("20 minutes ago", TODAY, time(9, 45)),
    ("11 hours ago", TODAY - timedelta(days=1), time(23, 5)),  # across midnight
    ("Friday night 11pm", date(2025, 5, 30), time(23, 0)),
    ("Friday night 1am", date(2025, 5, 31), time(1, 0)),  # after midnight: Saturday
    ("last Friday evening 8pm", date(2025, 5, 30), time(20, 0)),
    ("Saturday morning, 9:15am", date(2025, 5, 31), time(9, 15)),
    ("Friday night", date(2025, 5, 30), None),
])
def test_reads_what_people_type(text: str, day: date, clock: time | None) -> None:
    when = read(text)
    assert (when.day, when.clock) == (day, clock)


@pytest.mark.parametrize("text", ["about 9pm yesterday", "around 11pm last night",
                                  "Approximately 2 days ago 8pm", "about an hour ago"])
def test_about_is_kept_as_not_exact(text: str) -> None:
    assert read(text).about
    assert not read(text.split(" ", 1)[1]).about
    assert read(text.split(" ", 1)[1]).day == read(text).day


def test_no_seconds_are_invented() -> None:
    when = read("14/03/2025 22:30")
    assert when.at() == datetime(2025, 3, 14, 22, 30)
    assert when.at().second == 0 and when.at().microsecond == 0
    assert read("14/03/2025").clock is None  # a date stays a date


@pytest.mark.parametrize(("text", "day", "clock"), [
    ("Sunday", TODAY, None),  # today is one
    ("last Sunday", TODAY - timedelta(days=7), None),
    ("Tuesday", date(2025, 5, 27), None),
    ("tues 10pm", date(2025, 5, 27), time(22, 0)),
    ("Tuesday at 22:30", date(2025, 5, 27), time(22, 30)),
    ("10pm on Saturday", date(2025, 5, 31), time(22, 0)),
    ("last Saturday, 9:15 pm", date(2025, 5, 31), time(21, 15)),
])
def test_a_weekday_alone_is_the_most_recent_one(text: str, day: date,
                                                clock: time | None) -> None:
    """"It started on Tuesday night": the day read is shown in full before it is saved."""
    when = read(text)
    assert (when.day, when.clock) == (day, clock)
    assert when.weekday_typed is None and hint_for(when, now=NOW) == ""


@given(st.sampled_from(["monday", "tue", "weds", "thursday", "fri", "sat", "sunday"]),
       st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.booleans())
def test_a_weekday_is_never_in_the_future_nor_over_a_week_back(
        name: str, today: date, last: bool) -> None:
    day = read_when(("last " if last else "") + name, today=today).day
    assert day.strftime("%a").lower()[:3] == name[:3]
    assert today - timedelta(days=7) <= day <= today
    assert not (last and day == today)


def test_a_weekday_with_a_date_still_checks_the_date() -> None:
    when = read("Tuesday 14 March 2025")  # a Friday
    assert when.day == date(2025, 3, 14) and "was a Friday" in hint_for(when, now=NOW)


def test_a_day_without_a_year_is_the_most_recent_one() -> None:
    assert read("14 March").day == date(2025, 3, 14)
    assert read("14 December").day == date(2024, 12, 14)  # not six months ahead
    assert read("2/6").day == date(2025, 6, 2)  # tomorrow is still this year


def test_two_digit_years() -> None:
    assert read("1/1/26").day.year == 2026
    assert read("1/1/99").day.year == 1999


@pytest.mark.parametrize(("text", "words"), [
    ("03/14/2025", "For 14 March, type 14/03/2025"),  # month first, as in the US
    ("31/02/2025", "February 2025 has no day 31"),
    ("29/02/2025", "February 2025 has no day 29"),
    ("14/13/2025", "There is no month 13"),
    ("14/03/205", "4 digits"),
    ("14/03/20255", "4 digits"),
    ("14/03/0000", "4 digits"),
    ("25:00 today", "hours and minutes"),
    ("today 22:61", "hours and minutes"),
    ("13pm today", "1 to 12"),
    ("22:30", "Type the date too"),
    ("", "Type the date"),
    ("   ", "Type the date"),
    ("hello", "Type the day first"),
    ("14 foo 2025", "Type the day first"),
    ("14/03/2025 22", "Type the day first"),
    ("14/03/2025 22:30 and more", "Type the day first"),
    ("next friday", "Type the day first"),  # a day ahead is not guessed at
    ("14/03/2025 22:30\x00", "Type the day first"),
    ("\u202e5202/30/41", "Type the day first"),  # a right-to-left override
    ("١٤/٠٣/٢٠٢٥", "Type the day first"),  # Arabic-Indic digits are not guessed at
    ("=1+1", "Type the day first"),
    ("<b>14/03/2025</b>", "Type the day first"),
    ("x" * (MAX_LENGTH + 1), "too long"),
    ("9" * 5000, "too long"),
])
def test_unreadable_text_gets_a_calm_sentence(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read(text)
    message = caught.value.message
    assert words in message
    assert "!" not in message and "error" not in message.lower() and "invalid" not in message


def test_examples_follow_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        read("hello", with_time=False)
    assert "22:30" not in caught.value.message and "14/03/2025" in caught.value.message


def test_hints_are_gentle_and_never_refuse() -> None:
    far = read("14/03/5577")  # what Tab once typed into the year
    assert far.day == date(5577, 3, 14)
    assert "future" in hint_for(far, now=NOW)
    assert "long time ago" in hint_for(read("14/03/1987"), now=NOW)
    assert hint_for(read("14/03/2025 22:30"), now=NOW) == ""
    # up to a day ahead is fine (time zones, a late night); more is asked about
    assert hint_for(read("2/6/2025 09:00"), now=NOW) == ""
    assert "future" in hint_for(read("2/6/2025 11:00"), now=NOW)
    assert hint_for(read("2/6/2025"), now=NOW, with_time=False) == ""
    assert "future" in hint_for(read("3/6/2025"), now=NOW, with_time=False)
    wrong_day = hint_for(read("Monday 14 March 2025"), now=NOW)
    assert wrong_day == "14 March 2025 was a Friday, not a Monday. Is the date right?"


def test_what_was_understood_in_words() -> None:
    assert describe(read("14/03/2025 22:30")) == "Friday 14 March 2025, 22:30"
    assert describe(read("14/03/2025 22:30"), with_time=False) == "Friday 14 March 2025"
    assert describe(read("2025-03-14T22:30:15")) == "Friday 14 March 2025, 22:30:15"
    assert edit_text(date(2025, 3, 4), time(9, 5)) == "04/03/2025 09:05"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_reads_or_is_explained(text: str) -> None:
    try:
        when = read(text)
    except InvalidInput as exc:
        assert exc.message
    else:
        assert isinstance(when.day, date)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
       st.one_of(st.none(), st.times().map(lambda t: t.replace(microsecond=0))))
def test_what_the_field_shows_reads_back_the_same(day: date, clock: time | None) -> None:
    when = read(edit_text(day, clock))
    assert (when.day, when.clock) == (day, clock)
    again = read(describe(When(day, clock)))  # the words shown read back too
    assert (again.day, again.clock) == (day, clock)


def test_a_time_the_clocks_skipped_or_passed_twice_is_said(in_london: None) -> None:
    # 30 March 2025 the UK's clocks went from 01:00 to 02:00; 26 October from 02:00 to 01:00.
    # Both had been kept without a word, an hour out for all the person knew.
    now = datetime(2025, 12, 1, 12, 0)
    skipped = hint_for(When(date(2025, 3, 30), time(1, 30)), now=now)
    assert skipped == ("The clocks went forward an hour that night, so 01:30 did not happen "
                       "here. It is kept as 00:30. Is the time right?")
    twice = hint_for(When(date(2025, 10, 26), time(1, 30)), now=now)
    assert twice == ("The clocks went back an hour that night, so 01:30 happened twice. It is "
                     "kept as the first 01:30, in summer time.")
    for ordinary in (When(date(2025, 10, 26), time(3, 30)), When(date(2025, 3, 30)),
                     When(date(2025, 7, 14), time(1, 30))):
        assert hint_for(ordinary, now=now) == ""
