"""How an item came into the case, as its `evidence.add` audit event records it: enough for the
continuity of an exhibit (ACPO principle 3: a third party can follow how it was obtained, when
and by whom) without the evidence row, which a later version may change.

The computer account is recorded besides the audit actor: `--actor` may name a caseworker,
while the account says which login on this computer did it. The time's UTC offset is recorded
so the local time the person saw can be given later, on any computer, in any time zone.
"""

import getpass
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

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


def acquisition_details(item: EvidenceItem | Mapping[str, Any], account: str) -> dict[str, object]:
    """The details of an item's `evidence.add` event (the item is stored and numbered): from
    the ORM row, or from the column values of a row inserted with others in one statement."""
    row: Mapping[str, Any] = item if isinstance(item, Mapping) else {
        name: getattr(item, name) for name in _RECORDED}
    details: dict[str, object] = {
        "sha256": row["sha256"],
        "size": row["size"],
        "name": row["original_name"],
        "type": row["detected_type"],
        "source": row["source"],
        "sensitive": row["sensitive"],
        "exhibit_number": row["exhibit_number"],
        "account": account,
        "utc_offset": utc_offset_now(),
    }
    if row["file_modified_at"] is not None:
        details["file_modified"] = _iso(row["file_modified_at"])
    if row["file_created_at"] is not None:
        details["file_created"] = _iso(row["file_created_at"])
    return details


_RECORDED = ("sha256", "size", "original_name", "detected_type", "source", "sensitive",
             "exhibit_number", "file_modified_at", "file_created_at")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
