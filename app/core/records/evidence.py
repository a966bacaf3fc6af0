"""Evidence items as the rest of the app sees them: listing (never decrypting content),
editing description/platform/sensitive flag, reading content back in chunks, removal."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.records.audited import apply_changes, audit, get_or_fail
from app.models import EvidenceItem, EvidenceReadingImage, EvidenceThumbnail
from app.models.casefile import CaseFile
from app.models.content import read_content, read_contents

# The list query names its columns: SQLCipher decrypts every page a query touches, and
# content and thumbnails are in other tables, so this stays fast for 10,000 items.
_LIST_COLUMNS = (
    EvidenceItem.id,
    EvidenceItem.sha256,
    EvidenceItem.size,
    EvidenceItem.original_name,
    EvidenceItem.kind,
    EvidenceItem.detected_type,
    EvidenceItem.type_note,
    EvidenceItem.source,
    EvidenceItem.acquired_at,
    EvidenceItem.file_modified_at,
    EvidenceItem.file_created_at,
    EvidenceItem.exif_taken_at,
    EvidenceItem.exif_camera,
    EvidenceItem.width,
    EvidenceItem.height,
    EvidenceItem.description,
    EvidenceItem.platform,
    EvidenceItem.sensitive,
    EvidenceItem.preview_status,
    EvidenceItem.preview_note,
    EvidenceItem.exhibit_number,
)


@dataclass(frozen=True, slots=True)  # a case may list tens of thousands
class EvidenceRow:
    id: int
    sha256: str
    size: int
    original_name: str
    kind: str
    detected_type: str
    type_note: str | None
    source: str
    acquired_at: datetime
    file_modified_at: datetime | None
    file_created_at: datetime | None
    exif_taken_at: str | None
    exif_camera: str | None
    width: int | None
    height: int | None
    description: str
    platform: str | None
    sensitive: bool
    preview_status: str
    preview_note: str | None
    exhibit_number: int  # with the producer's initials, the exhibit reference: "AB/3"


def evidence_rows(session: Session) -> list[EvidenceRow]:
    rows = session.execute(select(*_LIST_COLUMNS).order_by(EvidenceItem.id)).all()
    return [EvidenceRow(**row._asdict()) for row in rows]


def list_evidence(case: CaseFile) -> list[EvidenceRow]:
    with case.read() as session:
        return evidence_rows(session)


def get_evidence(case: CaseFile, evidence_id: int) -> EvidenceRow:
    with case.read() as session:
        get_or_fail(session, EvidenceItem, evidence_id, "evidence item")
        row = session.execute(select(*_LIST_COLUMNS).where(EvidenceItem.id == evidence_id)).one()
    return EvidenceRow(**row._asdict())


def read_thumbnail(case: CaseFile, evidence_id: int) -> bytes | None:
    with case.read() as session:
        return session.scalar(
            select(EvidenceThumbnail.jpeg).where(EvidenceThumbnail.evidence_id == evidence_id)
        )


@dataclass(frozen=True)
class ReadingImage:
    """The reading-size picture made at import (a JPEG from the sandboxed preview workers)."""

    jpeg: bytes
    width: int
    height: int


def reading_image_ids(case: CaseFile) -> set[int]:
    """The items that have a reading-size picture (ids only: no picture is decrypted)."""
    with case.read() as session:
        return set(session.scalars(select(EvidenceReadingImage.evidence_id)))


def read_reading_image(case: CaseFile, evidence_id: int) -> ReadingImage | None:
    with case.read() as session:
        row = session.execute(
            select(EvidenceReadingImage.jpeg, EvidenceReadingImage.width,
                   EvidenceReadingImage.height)
            .where(EvidenceReadingImage.evidence_id == evidence_id)
        ).one_or_none()
    return None if row is None else ReadingImage(row.jpeg, row.width, row.height)


def iter_content(case: CaseFile, evidence_id: int) -> Iterator[bytes]:
    """The original bytes, chunk by chunk, in one read transaction (bounded memory)."""
    with case.read() as session:
        yield from read_content(session, evidence_id)


def iter_contents(case: CaseFile, evidence_ids: Sequence[int], *,
                  batch: int = 200) -> Iterator[tuple[int, bytes]]:
    """(evidence id, chunk) for many items, in ascending id order and chunk by chunk, one read
    transaction per `batch` items (a query each would cost more than the copying of a small
    item). An item with empty content yields nothing."""
    ids = sorted(evidence_ids)
    for start in range(0, len(ids), batch):
        with case.read() as session:
            yield from read_contents(session, ids[start : start + batch])


def edit_evidence(
    case: CaseFile,
    evidence_id: int,
    *,
    description: str | None = None,
    platform: str | None = None,
    sensitive: bool | None = None,
) -> None:
    changes: dict[str, object] = {}
    if description is not None:
        changes["description"] = description
    if platform is not None:
        changes["platform"] = platform or None
    if sensitive is not None:
        changes["sensitive"] = sensitive
    with case.write() as session:
        row = get_or_fail(session, EvidenceItem, evidence_id, "evidence item")
        changed = apply_changes(row, changes)
        if changed:
            audit(session, case.actor, "evidence.edit", f"evidence:{row.id}", changed)


def remove_evidence(case: CaseFile, evidence_id: int, reason: str = "") -> None:
    """Remove an item and its content. Its audit trail stays, with its hash and name, so an
    officer can see that it existed and why it went."""
    with case.write() as session:
        row = get_or_fail(session, EvidenceItem, evidence_id, "evidence item")
        audit(
            session,
            case.actor,
            "evidence.remove",
            f"evidence:{row.id}",
            {"sha256": row.sha256, "name": row.original_name, "size": row.size, "reason": reason},
        )
        session.delete(row)  # chunks, thumbnail and links go with it (ON DELETE CASCADE)
