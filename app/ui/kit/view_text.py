"""Small text helpers shared by the views: times (a chat message's as its export wrote it), sizes.
No case data is kept here."""

import html
from collections.abc import Callable, Sequence
from datetime import date, datetime

from app.core.records import MonthOnly, day_words
from app.i18n import tr_n


def local_time(value: datetime | None) -> str:
    """An aware UTC time as the person's local time, e.g. "3 May 2024, 21:14"."""
    if value is None:
        return ""
    local = value.astimezone()
    return f"{local.day} {local.strftime('%b %Y, %H:%M')}"


def day_text(value: date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, MonthOnly):
        return value.words()  # "March 2025": the day is not known
    return f"{value.day} {value.strftime('%b %Y')}"


def human_size(size: int) -> str:
    if size < 1024:
        return tr_n("%n byte", "%n bytes", size)
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            return f"{amount:.1f} {unit}"
    return f"{amount:.1f} GB"  # pragma: no cover - the loop always returns


def time_as_written(sent_at: str) -> str:
    """The clock time as the export gives it: "21:14", "21:14:05", "21:14 UTC", "21:14 +02:00"."""
    clock = sent_at[11:19] if len(sent_at) >= 19 and sent_at[16] == ":" else sent_at[11:16]
    rest = sent_at[19:] if len(clock) == 8 else sent_at[16:]
    rest = rest.lstrip(".0123456789")  # milliseconds are in the export; minutes read here
    if rest in ("+00:00", "Z"):
        return f"{clock} UTC"
    return f"{clock} {rest}" if rest else clock


def day_as_written(sent_at: str) -> str:
    try:
        return day_words(date.fromisoformat(sent_at[:10]))
    except ValueError:
        return sent_at[:10]


def when_words(sent_at: str | None) -> str:
    """A message's day in words and its time as the export wrote it: "13 March 2025, 22:43"."""
    if not sent_at:
        return ""
    return f"{day_as_written(sent_at)}, {time_as_written(sent_at)}"


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` exactly, line breaks kept. Qt reads a tooltip as markup
    when its first line holds a tag: a description quoting "I have your <b>photos</b>" lost
    its tags, "&amp;" showed as "&", and an <img> tag made Qt look for a file on disk. A file
    name or a description comes from the offender as often as not."""
    escaped = html.escape(text, quote=False)  # markup that says: these are plain words
    return f'<p style="white-space:pre-wrap">{escaped}</p>'


EXHIBITS_SHOWN = 4  # more are counted, so a column stays narrow


def exhibits_or_count(refs: Sequence[str], count: int, counted: Callable[[int], str]) -> str:
    """Items named by their exhibit references ("AB/2, AB/10", as the report names them) when
    every one of the `count` is known and there are few; else `counted(count)`."""
    if not count:
        return ""
    if len(refs) == count <= EXHIBITS_SHOWN:
        return ", ".join(refs)
    return counted(count)
