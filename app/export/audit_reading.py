"""Reading what an audit event recorded: its details, the times in them, the local time then.

Shared by the continuity of the exhibits in the case (continuity.py) and of those removed
before the bundle was made (removed_exhibits.py); an event written by any version of Safekeep
reads here, and anything that does not read as expected gives "not known", never an error.
"""

import functools
import json
from datetime import datetime, timedelta, timezone
from typing import Any

from app.export.formatting import local_text


def event_details(text: str) -> dict[str, Any]:
    """An audit event's details as a dict ({} when they do not read as one)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def local_then(at: datetime, offset: object) -> str:
    """The local time when it happened, from the offset recorded then; else this computer's."""
    zone = _zone(offset) if isinstance(offset, str) else None
    if zone is None:
        return local_text(at)
    return at.astimezone(zone).isoformat(" ", "seconds")[:19] + f" (UTC{offset})"


@functools.lru_cache(maxsize=64)  # a case is made in a handful of zones
def _zone(offset: str) -> timezone | None:
    """A recorded offset ("+01:00") as a zone, made once for all its exhibits; None for
    anything else, such as an hour out of range."""
    if len(offset) != 6 or offset[0] not in "+-":
        return None
    try:
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        sign = 1 if offset[0] == "+" else -1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    except ValueError:
        return None


def recorded_time(recorded: object, fallback: datetime | None) -> datetime | None:
    """A time as an audit event recorded it (ISO 8601 text), or `fallback`."""
    if isinstance(recorded, str):
        try:
            return datetime.fromisoformat(recorded.replace("Z", "+00:00"))
        except ValueError:
            pass
    return fallback
