"""What became of one thing given to intake: added, already there, refused and why, or left
out of a folder as a file the computer or an app makes for itself (system_files.py)."""

from dataclasses import dataclass
from typing import Literal

from app.i18n import tr
from app.models.base import storable

Status = Literal["added", "already-there", "refused", "left-out"]


@dataclass(frozen=True)
class ImportOutcome:
    path: str  # as the person gave it (or the name of pasted data)
    status: Status
    evidence_id: int | None = None
    sha256: str | None = None
    reason: str | None = None  # why refused or left out, or a note such as a type mismatch

    def line(self) -> str:
        # A name with bytes that are not UTF-8 is written as the case, the CSVs and the report
        # write it (`bad\xff.png`), so a person can match the lines to what is listed.
        path = storable(self.path)
        if self.status == "added":
            return tr("added: {path}").format(path=path)
        if self.status == "already-there":
            return tr("already there: {path}").format(path=path)
        if self.status == "left-out":
            return tr("left out: {path}: {reason}").format(path=path, reason=self.reason or "")
        return tr("refused: {path}: {reason}").format(path=path, reason=self.reason or "")
