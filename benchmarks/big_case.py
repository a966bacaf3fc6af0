"""A big case for the opening and scaling benchmarks, written straight through the models.

The importer would take minutes to make 30,000 real screenshots; what these benchmarks measure
is opening, listing, checking and searching, so the case is written with bulk inserts in big
transactions (one `executemany` per table and batch). What it holds is what a case that has
been used looks like: every screenshot has its content, a thumbnail and its text already read
(so opening does not start text recognition), with the details reading found in it (a time in
each picture, a different one each, and the same amount in one picture in ten: what the "Found
in evidence" tab lists), and one chat export read into the case has as many messages as there
are screenshots (what `safekeep search` looks through).
"""

import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.models import (
    ChatConversation,
    ChatExportRead,
    ChatMessage,
    EvidenceChunk,
    EvidenceItem,
    EvidenceText,
    EvidenceThumbnail,
    TextSuggestion,
    kdf,
)
from app.models.audit import AuditEvent, append_event, canonical_json, event_hash
from app.models.base import format_utc
from app.models.casefile import CaseFile

PASSPHRASE = "bench passphrase"
BATCH = 5_000  # rows per transaction: big enough that the fsync per commit does not count
# A word in one message out of a hundred, so `search` has hits to print at every size.
NEEDLE = "westernunion"


def content_of(i: int) -> bytes:
    """The stored bytes of screenshot `i` (about 1 KiB: the per-item costs show, not copying)."""
    return f"screenshot {i} ".encode() * 64


def _thumbnail() -> bytes:
    thumb = io.BytesIO()
    Image.new("RGB", (320, 180), (200, 210, 230)).save(thumb, "JPEG", quality=80)
    return thumb.getvalue()


def _evidence_rows(start: int, stop: int, acquired: datetime) -> list[dict[str, object]]:
    return [
        {
            "id": i + 1,
            "exhibit_number": i + 1,
            "sha256": hashlib.sha256(content_of(i)).hexdigest(),
            "size": len(content_of(i)),
            "original_name": f"Screenshot_{i:05d}.png",
            "kind": "screenshot",
            "detected_type": "image/png",
            "source": "folder",
            "acquired_at": acquired,
            "description": f"item {i}",
            "preview_status": "ok",
            "width": 1920,
            "height": 1080,
        }
        for i in range(start, stop)
    ]


def _found_in(evidence_id: int, acquired: datetime) -> list[dict[str, object]]:
    at = (datetime(2024, 3, 1, 9, 0) + timedelta(minutes=evidence_id)).isoformat(
        timespec="minutes")
    found: list[dict[str, object]] = [{
        "evidence_id": evidence_id, "kind": "date-time", "value": at, "normalised": at,
        "state": "new", "created_at": acquired}]
    if evidence_id % 10 == 0:
        found.append({"evidence_id": evidence_id, "kind": "amount", "value": "£250",
                      "normalised": "GBP 250.00", "state": "new", "created_at": acquired})
    return found


def _add_screenshots(case: CaseFile, count: int, acquired: datetime) -> None:
    jpeg = _thumbnail()
    for start in range(0, count, BATCH):
        stop = min(count, start + BATCH)
        with case.write() as session:
            session.execute(insert(EvidenceItem), _evidence_rows(start, stop, acquired))
            ids = range(start + 1, stop + 1)
            session.execute(insert(EvidenceChunk), [
                {"evidence_id": i + 1, "seq": 0, "data": content_of(i)}
                for i in range(start, stop)])
            session.execute(insert(EvidenceThumbnail), [
                {"evidence_id": i, "width": 320, "height": 180, "jpeg": jpeg} for i in ids])
            session.execute(insert(EvidenceText), [
                {"evidence_id": i, "status": "ok", "engine": "bench"} for i in ids])
            session.execute(insert(TextSuggestion), [
                found for i in ids for found in _found_in(i, acquired)])
            session.execute(text("UPDATE case_info SET next_exhibit = :n WHERE id = 1"),
                            {"n": stop + 1})
            _arrivals(session, start, stop)
            append_event(session, "bench", "bench.fill", "case", {"up_to": stop})


def _arrivals(session: Session, start: int, stop: int) -> None:
    """An `evidence.add` event for each item, as intake writes one (`safekeep check` compares
    the item with it), chained as append_event chains them but inserted in one statement."""
    last = session.execute(select(AuditEvent.id, AuditEvent.hash)
                           .order_by(AuditEvent.id.desc()).limit(1)).one()
    seq, prev = last.id, last.hash
    at = datetime.now(UTC)
    rows = []
    for i in range(start, stop):
        seq += 1
        content = content_of(i)
        details = canonical_json({"sha256": hashlib.sha256(content).hexdigest(),
                                  "size": len(content)})
        subject = f"evidence:{i + 1}"
        digest = event_hash(seq, format_utc(at), "bench", "evidence.add", subject, details, prev)
        rows.append({"id": seq, "at": at, "actor": "bench", "action": "evidence.add",
                     "subject": subject, "details": details, "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditEvent), rows)


def _message(conversation: int, position: int, start: datetime) -> dict[str, object]:
    at = (start + timedelta(minutes=position)).isoformat(timespec="minutes")
    words = f"message {position} about the photos and the money"
    if position % 100 == 7:
        words += f" send it by {NEEDLE} today"
    return {
        "conversation_id": conversation, "position": position,
        "sender": "them" if position % 2 else "me", "sent_at": at, "sort_key": at,
        "precision": "minute", "text": words,
    }


def _add_chat(case: CaseFile, evidence_id: int, messages: int, acquired: datetime) -> None:
    export = b"a chat export of many messages"
    start = datetime(2024, 3, 1, 9, 0)
    with case.write() as session:
        session.execute(insert(EvidenceItem), [{
            "id": evidence_id, "exhibit_number": evidence_id,
            "sha256": hashlib.sha256(export).hexdigest(), "size": len(export),
            "original_name": "WhatsApp Chat.txt", "kind": "text", "detected_type": "text/plain",
            "source": "file", "acquired_at": acquired, "preview_status": "none"}])
        session.execute(insert(EvidenceChunk),
                        [{"evidence_id": evidence_id, "seq": 0, "data": export}])
        append_event(session, "bench", "evidence.add", f"evidence:{evidence_id}",
                     {"sha256": hashlib.sha256(export).hexdigest(), "size": len(export)})
        session.execute(insert(ChatExportRead), [{
            "evidence_id": evidence_id, "platform": "whatsapp", "status": "read",
            "date_order": None, "details_found": True}])
        session.execute(insert(ChatConversation), [{
            "id": 1, "evidence_id": evidence_id, "position": 0, "platform": "whatsapp",
            "title": "them", "participants_json": '["me", "them"]', "message_count": messages,
            "first_at": _message(1, 0, start)["sent_at"],
            "last_at": _message(1, max(messages - 1, 0), start)["sent_at"], "me": "me"}])
        session.execute(text("UPDATE case_info SET next_exhibit = :n WHERE id = 1"),
                        {"n": evidence_id + 1})
        append_event(session, "bench", "bench.fill", "chat", {"messages": messages})
    for first in range(0, messages, BATCH):
        with case.write() as session:
            session.execute(insert(ChatMessage), [
                _message(1, p, start) for p in range(first, min(messages, first + BATCH))])


def build_case(path: Path, count: int, *, messages: int | None = None,
               kdf_profile: int = kdf.DEFAULT_PROFILE) -> None:
    """A case of `count` screenshot-like items and one chat export (item `count + 1`) of
    `messages` messages (default: `count`). Tests pass the lighter KDF profile."""
    acquired = datetime.now(UTC)
    with CaseFile.create(path, PASSPHRASE, display_name="big", actor="bench",
                         kdf_profile=kdf_profile) as case:
        _add_screenshots(case, count, acquired)
        _add_chat(case, count + 1, count if messages is None else messages, acquired)
