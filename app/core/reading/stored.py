"""Read the text in the case's pictures, in the background, and keep what was read.

Pictures go to an `OcrPool` (worker processes, both cores); each answer is stored with the
details found in it in one transaction, so stopping, locking or a crash loses at most the
pictures being read at that moment, and the next run carries on with the rest. Every outcome
is stored, failures too, so a picture that cannot be read is not tried again and again.
Documents are read here too: a PDF in the same workers, a text file in this process
(`documents`).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from app.core.pictures import (
    MAX_PDF_BYTES,
    PDF_READER,
    PDF_TYPE,
    OcrPage,
    OcrPool,
    OcrResult,
    OcrStatus,
    OcrWord,
)
from app.core.reading.documents import (
    MAX_TEXT_BYTES,
    TEXT_READER,
    TEXT_TYPE,
    is_document_reading,
    read_text_file,
)
from app.core.reading.kinds import HARD_TO_READ_BELOW
from app.core.records import audit, iter_content, link_recognised
from app.errors import TextRecognitionMissing
from app.i18n import tr
from app.models import (
    ChatExportRead,
    EvidenceItem,
    EvidenceText,
    PreviewStatus,
    SuggestionState,
    TextSuggestion,
)
from app.models.casefile import CaseFile

if TYPE_CHECKING:
    from app.core.reading.candidates import Candidate

_engine_name: str | None = None


@dataclass(frozen=True)
class ReadingProgress:
    done: int
    total: int
    found: int  # details found so far in this run
    linked: int = 0  # links made to identifiers already saved (see link_recognised)


@dataclass(frozen=True)
class Reading:
    """What was read in one picture."""

    evidence_id: int
    status: OcrStatus
    engine: str
    text: str
    page: OcrPage | None
    read_at: datetime


def engine_name() -> str:
    """The engine and its version, as stored with every reading (asked once per process)."""
    global _engine_name
    if _engine_name is None:
        from app.core.pictures import engine_version

        _engine_name = engine_version()
    return _engine_name


def require_engine() -> None:
    """Raise a calm TextRecognitionMissing when Tesseract or its model is not installed."""
    from app.core.pictures import engine_available

    if not engine_available():
        raise TextRecognitionMissing(
            tr(
                "Text recognition is not installed on this computer, so Safekeep cannot read "
                "the text in pictures. Everything else works. Installing Safekeep again with "
                "pip adds it."
            )
        )


def unread_ids(case: CaseFile) -> list[int]:
    """Pictures not read yet: those with a preview (so an image we can decode safely); and
    documents (PDFs, text files that are not chat exports) not read yet."""
    done = select(EvidenceText.evidence_id)
    chats = select(ChatExportRead.evidence_id)
    with case.read() as session:
        return list(
            session.scalars(
                select(EvidenceItem.id)
                .where(or_(EvidenceItem.preview_status == PreviewStatus.OK,
                           EvidenceItem.detected_type == PDF_TYPE,
                           and_(EvidenceItem.detected_type == TEXT_TYPE,
                                EvidenceItem.id.not_in(chats))))
                .where(EvidenceItem.id.not_in(done))
                .order_by(EvidenceItem.id)
            )
        )


def read_unread(
    case: CaseFile,
    pool: OcrPool,
    *,
    ids: Iterable[int] | None = None,
    on_progress: Callable[[ReadingProgress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ReadingProgress:
    """Read every unread picture (or those of `ids`), storing each as it is done.

    Stops soon after `should_stop()` turns true; what was not stored stays unread.
    """
    wanted = unread_ids(case) if ids is None else list(ids)
    progress = ReadingProgress(0, len(wanted), 0)
    too_large = _too_large_to_read(case, wanted)
    text_files = _text_files(case, wanted)

    def sources() -> Iterator[tuple[int, bytes]]:
        for evidence_id in wanted:
            if should_stop():
                return
            if evidence_id not in too_large and evidence_id not in text_files:
                yield evidence_id, b"".join(iter_content(case, evidence_id))

    def told() -> Iterator[tuple[int, OcrResult]]:
        """What needs no worker: a PDF too large to send, and text files (`documents`)."""
        yield from ((evidence_id, OcrResult(OcrStatus.TOO_LARGE, engine=PDF_READER))
                    for evidence_id in too_large)
        for evidence_id, (name, size) in text_files.items():
            if should_stop():
                return
            yield evidence_id, _read_text_file(case, evidence_id, name, size)

    with contextlib.closing(pool.map_unordered(sources())) as results:
        for evidence_id, result in itertools.chain(told(), results):
            found, linked = _store(case, evidence_id, result)
            progress = ReadingProgress(progress.done + 1, progress.total, progress.found + found,
                                       progress.linked + linked)
            if on_progress is not None:
                on_progress(progress)
            if should_stop():
                break
    return progress


def _too_large_to_read(case: CaseFile, wanted: list[int]) -> list[int]:
    """The PDFs among `wanted` too large to send to a worker: stored as such, never read."""
    with case.read() as session:
        large = set(session.scalars(
            select(EvidenceItem.id)
            .where(EvidenceItem.detected_type == PDF_TYPE)
            .where(EvidenceItem.size > MAX_PDF_BYTES)
        ))
    return [evidence_id for evidence_id in wanted if evidence_id in large]


def _text_files(case: CaseFile, wanted: list[int]) -> dict[int, tuple[str, int]]:
    """The plain text files among `wanted`, with their names and sizes (a chat is known by
    its content as well: see `read_text_file`)."""
    asked = set(wanted)
    with case.read() as session:
        rows = session.execute(select(EvidenceItem.id, EvidenceItem.original_name,
                                      EvidenceItem.size)
                               .where(EvidenceItem.detected_type == TEXT_TYPE))
        return dict(sorted((evidence_id, (name, size)) for evidence_id, name, size in rows
                           if evidence_id in asked))


def _read_text_file(case: CaseFile, evidence_id: int, name: str, size: int) -> OcrResult:
    if size > MAX_TEXT_BYTES:
        return OcrResult(OcrStatus.TOO_LARGE, engine=TEXT_READER)
    return read_text_file(name, b"".join(iter_content(case, evidence_id)))


def store_reading(case: CaseFile, evidence_id: int, result: OcrResult) -> int:
    """Keep one picture's reading and the details found in it; returns how many were found.
    Does nothing if the item has gone (removed meanwhile) or was read already. An identifier
    already saved that the picture shows is linked to it (`link_recognised`)."""
    return _store(case, evidence_id, result)[0]


def _store(case: CaseFile, evidence_id: int, result: OcrResult) -> tuple[int, int]:
    """store_reading's work; returns (details found, links made to saved identifiers)."""
    # Here, not at the top: the rules compile about 90 patterns, which the app's start-up (the
    # main window imports this package) does not need.
    from app.core.reading.candidates import find_candidates, find_in_document

    page = result.page if result.status is OcrStatus.OK else None
    if page is None:
        candidates = []
    elif is_document_reading(result.engine):  # identifiers only (see there)
        candidates = find_in_document(page, recognised=engine_name() in result.engine)
    else:
        candidates = find_candidates(page)
    with case.write() as session:
        item = session.get(EvidenceItem, evidence_id)
        if item is None:
            return 0, 0
        # A PDF's worker killed past its time answers with no engine: PDFium was reading it.
        engine = result.engine or (PDF_READER if item.detected_type == PDF_TYPE
                                   else engine_name())
        if session.get(EvidenceText, evidence_id) is not None:
            return 0, 0
        session.add(
            EvidenceText(
                evidence_id=evidence_id,
                status=result.status.value,
                engine=engine,
                text=page.text if page is not None else "",
                page_json=page.to_json() if page is not None else "",
            )
        )
        # Choices kept from an earlier reading (see forget_reading) are not asked again.
        kept = {
            (kind, normalised)
            for kind, normalised in session.execute(
                select(TextSuggestion.kind, TextSuggestion.normalised).where(
                    TextSuggestion.evidence_id == evidence_id
                )
            )
        }
        candidates = [c for c in candidates if (c.kind, c.normalised) not in kept]
        words = page.words if page is not None else ()
        for candidate in candidates:
            marked = [words[i] for i in candidate.words]
            boxes = [[w.left, w.top, w.width, w.height] for w in marked]
            session.add(
                TextSuggestion(
                    evidence_id=evidence_id,
                    kind=candidate.kind,
                    value=candidate.value,
                    normalised=candidate.normalised,
                    platform=candidate.platform,
                    boxes_json=json.dumps(boxes),
                    confidence=_confidence(candidate, marked),
                )
            )
        audit(
            session,
            case.actor,
            "evidence.read-text",
            f"evidence:{evidence_id}",
            {
                "status": result.status.value,
                "engine": engine,
                "words": len(page.words) if page is not None else 0,
                "found": len(candidates),
            },
        )
        session.flush()
        linked = link_recognised(session, case.actor, evidence_id=evidence_id)
    return len(candidates), sum(len(pictures) for pictures in linked.values())


def _confidence(candidate: Candidate, marked: list[OcrWord]) -> float:
    """The lowest confidence Tesseract gave the detail's words; below the "hard to read"
    mark when the rules corrected what it read, so the person checks it against the picture."""
    lowest = min((w.confidence for w in marked), default=100.0)
    return min(lowest, HARD_TO_READ_BELOW - 1) if candidate.corrected else lowest


def forget_reading(case: CaseFile, evidence_id: int) -> None:
    """Let a picture be read again: its reading goes, with the details not acted on yet.
    Details the person added or dismissed stay, so their choices are not undone."""
    with case.write() as session:
        session.execute(delete(EvidenceText).where(EvidenceText.evidence_id == evidence_id))
        session.execute(
            delete(TextSuggestion)
            .where(TextSuggestion.evidence_id == evidence_id)
            .where(TextSuggestion.state == SuggestionState.NEW)
        )
        audit(session, case.actor, "evidence.forget-text", f"evidence:{evidence_id}", {})


def reading_of(case: CaseFile, evidence_id: int) -> Reading | None:
    with case.read() as session:
        row = session.get(EvidenceText, evidence_id)
        if row is None:
            return None
        page = OcrPage.from_json(row.page_json) if row.page_json else None
        return Reading(
            evidence_id, OcrStatus(row.status), row.engine, row.text, page, row.read_at
        )


def recognised_texts(case: CaseFile) -> dict[int, str]:
    """The text read in each picture, for search."""
    with case.read() as session:
        return recognised_texts_in(session)


def recognised_texts_in(session: Session) -> dict[int, str]:
    rows = session.execute(
        select(EvidenceText.evidence_id, EvidenceText.text).where(EvidenceText.text != "")
    )
    return {evidence_id: text for evidence_id, text in rows}
