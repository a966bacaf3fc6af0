"""How an item came into the case, as its `evidence.add` audit event records it: enough for the
continuity of an exhibit (ACPO principle 3: a third party can follow how it was obtained, when
and by whom) without the evidence row, which a later version may change.

The computer account is recorded besides the audit actor: `--actor` may name a caseworker,
while the account says which login on this computer did it. The time's UTC offset is recorded
so the local time the person saw can be given later, on any computer, in any time zone.
"""

import getpass
import os
from datetime import UTC, datetime
from typing import NamedTuple

from app.models import EvidenceItem


class FileTimes(NamedTuple):
    """The original file's own times, as its file system gave them (None when unknown)."""

    modified: datetime | None
    created: datetime | None


NO_FILE = FileTimes(None, None)  # pasted data or a screen capture: there was no file


def file_times(info: os.stat_result) -> FileTimes:
    """Modified and, where the system keeps it, created (macOS, BSD, Windows). Linux's
    st_ctime is when the file's details last changed, not its creation: never used as such."""
    modified = datetime.fromtimestamp(info.st_mtime, UTC)
    birth = getattr(info, "st_birthtime", None)
    if birth is None and os.name == "nt":
        birth = info.st_ctime  # on Windows, st_ctime is the creation time
    created = datetime.fromtimestamp(birth, UTC) if birth else None
    return FileTimes(modified, created)


def computer_account() -> str:
    try:
        return getpass.getuser() or ""
    except Exception:  # no login name (some containers): record nothing rather than guess
        return ""


def utc_offset_now() -> str:
    """This computer's offset from UTC at this moment, as "+01:00"."""
    offset = datetime.now().astimezone().strftime("%z") or "+0000"
    return f"{offset[:3]}:{offset[3:]}"


def acquisition_details(item: EvidenceItem, account: str) -> dict[str, object]:
    """The details of an item's `evidence.add` event (the item is stored and numbered)."""
    details: dict[str, object] = {
        "sha256": item.sha256,
        "size": item.size,
        "name": item.original_name,
        "type": item.detected_type,
        "source": item.source,
        "sensitive": item.sensitive,
        "exhibit_number": item.exhibit_number,
        "account": account,
        "utc_offset": utc_offset_now(),
    }
    if item.file_modified_at is not None:
        details["file_modified"] = _iso(item.file_modified_at)
    if item.file_created_at is not None:
        details["file_created"] = _iso(item.file_created_at)
    return details


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
