"""Shared ways of writing times, sizes and hostile text in the bundle's PDF, CSV and README.

Hostile text follows the one rule in app/text_safety.py: hidden characters are shown as
`\\u202e`-style escapes, so nothing in the bundle hides, reorders or rewrites what is around it.

Times are written twice on purpose: UTC is what the audit log and the manifest use and what
officers compare across systems; local time is what the person saw on their screen when they
took a screenshot, and what they will remember in an interview.
"""

import re
from datetime import UTC, datetime, timedelta

from app.i18n import rounded_size
from app.text_safety import escape_hidden

_OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def one_line(text: str, limit: int = 200) -> str:
    """A value for a single line (README, header, messages): escapes, no newlines, shortened."""
    flat = escape_hidden(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def iso_utc(value: datetime | None) -> str:
    """Machine-readable UTC, to the second: 2024-03-01T21:14:05Z."""
    if value is None:
        return ""
    # isoformat rather than strftime: a bundle writes hundreds of thousands of times, and
    # strftime (locale-aware, parsing its pattern each call) cost several times as much.
    return value.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def utc_text(value: datetime | None, *, seconds: bool = True) -> str:
    if value is None:
        return ""
    clock = value.astimezone(UTC).isoformat(" ", "seconds")
    return (clock[:19] if seconds else clock[:16]) + " UTC"


def local_text(value: datetime | None, *, seconds: bool = True) -> str:
    """The computer's local time with its offset: 2024-03-01 22:14:05 BST (UTC+01:00)."""
    if value is None:
        return ""
    local = value.astimezone()
    iso = local.isoformat(" ", "seconds")  # "2024-03-01 22:14:05+01:00"
    clock = iso[:19] if seconds else iso[:16]
    offset_text = f"UTC{iso[19:25]}" if len(iso) >= 25 else "UTC"
    zone = local.tzname() or ""
    # Some systems name zones "+01"; repeating the offset twice helps nobody.
    if zone and not zone.startswith(("+", "-")) and zone != "UTC":
        return f"{clock} {zone} ({offset_text})"
    return f"{clock} ({offset_text})"


def local_is_utc(value: datetime) -> bool:
    """True when the local clock read the same as UTC at that moment (a UTC computer, or the
    UK in winter): then one time is enough, and a second identical one would only confuse."""
    return value.astimezone().utcoffset() == timedelta(0)


def size_text(size: int) -> str:
    """1.4 MB (1,432,123 bytes): the rounded size to read, the exact one to check."""
    if size < 1000:
        return f"{size:,} bytes"
    return f"{rounded_size(size)} ({size:,} bytes)"



def split_time(sent_at: str) -> tuple[str, str]:
    """("2024-01-12 15:06:00", "+00:00") from a chat message's time as written; the offset is
    "" when the export states none."""
    found = _OFFSET.search(sent_at)
    clock = sent_at[: found.start()] if found else sent_at
    return clock.replace("T", " "), found.group(1) if found else ""


def chat_time_text(sent_at: str) -> str:
    """A chat message's time as written, for reading: "2024-01-12 15:06:00 +00:00"."""
    return " ".join(split_time(sent_at)).strip()


