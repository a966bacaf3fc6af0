"""What can be known of a case file before its key: that it looks like one, and its salt.

No database code here (SQLAlchemy takes about a quarter of a second to import): the unlock
dialog checks a file with it at once, and the unlock derives the key with it while the
database code loads (`derive_ahead`; CaseFile.open checks the salt again under the lock).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import NotACaseFile
from app.i18n import tr
from app.models import kdf
from app.models.page_check import PAGE_SIZE

_SQLITE_HEADER = b"SQLite format 3\x00"

NOT_A_CASE = "This file is not a Safekeep case file, or it is damaged."


def check_looks_like_case(path: Path) -> bytes:
    """Cheap checks before any key is derived (or a passphrase asked for); returns the
    16-byte salt. Never writes."""
    if path.is_dir():
        raise NotACaseFile(tr("This is a folder, not a Safekeep case file."))
    if not path.exists():
        raise NotACaseFile(tr("There is no case file here. Check the name and the folder."))
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
        size = path.stat().st_size
    except PermissionError:
        raise NotACaseFile(
            tr("Safekeep is not allowed to read this file. Check its permissions.")
        ) from None
    except OSError:
        raise NotACaseFile(tr("This file could not be read.")) from None
    if size == 0:
        raise NotACaseFile(tr("This file is empty. It is not a Safekeep case file."))
    if head == _SQLITE_HEADER:
        raise NotACaseFile(tr("This is an ordinary database, not a Safekeep case file."))
    if size % PAGE_SIZE != 0:
        raise NotACaseFile(tr(NOT_A_CASE))
    if kdf.profile_for_salt(head) is None:
        raise NotACaseFile(tr(NOT_A_CASE))
    return head


def derive_ahead(path: str | os.PathLike[str], passphrase: str) -> kdf.EarlyKey | None:
    """The key for the case file at `path`, or None if it does not look like a case
    (CaseFile.open then says why, and derives nothing). Argon2 runs outside the interpreter
    lock, so this overlaps whatever another thread imports meanwhile."""
    try:
        salt = check_looks_like_case(Path(path))
    except NotACaseFile:
        return None
    profile = kdf.profile_for_salt(salt)
    assert profile is not None  # check_looks_like_case refused unknown profiles
    return kdf.EarlyKey(salt, kdf.derive_key(passphrase, salt, profile))
