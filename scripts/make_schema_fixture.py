"""Freeze a case file of the current schema version into tests/fixtures/.

Run once each time SCHEMA_VERSION goes up, and commit the file: from then on a test opens it
with every later Safekeep and checks that nothing was lost (TagStudio keeps the same habit).
Every table gets a row, written through the models of this version, so a migration that
forgets a table or a column shows up.

The fixture's SHA-256 goes into tests/fixtures/SHA256SUMS as it is written: from then on the
version counts as released, a test checks the file never changes, and this script refuses the
version, even when its file is missing (restore it with git). A schema that must change again
gets a new version and a new fixture.

    python scripts/make_schema_fixture.py [FOLDER]    (FOLDER: tests/fixtures unless given)
"""

import hashlib
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models import (
    CaseInfo,
    ChatConversation,
    ChatExportRead,
    ChatMessage,
    ChecklistProgress,
    EvidenceChunk,
    EvidenceItem,
    EvidenceReadingImage,
    EvidenceText,
    EvidenceThumbnail,
    Identifier,
    Payment,
    TextSuggestion,
    TimelineEvent,
    chat_attachment,
)
from app.models.audit import append_event
from app.models.casefile import CaseFile
from app.models.migrations import SCHEMA_VERSION
from app.models.records import (
    identifier_evidence,
    payment_evidence,
    timeline_evidence,
    timeline_identifier,
    timeline_payment,
)

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
RELEASED = "SHA256SUMS"  # one line per released fixture, as `sha256sum` writes them
PASSPHRASE = "fixture passphrase"
CONTENT = b"original evidence bytes \x00\x01\x02 for the frozen fixture"


def released(manifest: Path) -> set[str]:
    """The names of the fixtures `manifest` records."""
    if not manifest.exists():
        return set()
    lines = manifest.read_text(encoding="utf-8").splitlines()
    return {line.split("  ", 1)[1] for line in lines if line.strip()}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FIXTURES
    target = folder / f"schema_v{SCHEMA_VERSION}.skcase"
    manifest = folder / RELEASED
    if target.name in released(manifest):
        print(
            f"{target.name} is released ({manifest} records its hash): a released fixture is "
            "never rewritten. Restore it with git; a schema change needs a new version.",
            file=sys.stderr,
        )
        return 1
    if target.exists():
        print(f"{target} exists: a frozen fixture is never rewritten", file=sys.stderr)
        return 1
    write_fixture(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    with manifest.open("a", encoding="utf-8") as out:
        out.write(f"{digest}  {target.name}\n")
    print(f"wrote {target} and recorded its SHA-256 in {manifest}")
    return 0


def write_fixture(target: Path) -> None:
    when = datetime(2024, 3, 1, 21, 14, 5, tzinfo=UTC)
    with (
        CaseFile.create(
            target, PASSPHRASE, display_name="Fixture case", actor="fixture", kdf_profile=1
        ) as case,
        case.write() as s,
    ):
        item = EvidenceItem(
            sha256=hashlib.sha256(CONTENT).hexdigest(),
            size=len(CONTENT),
            original_name="chat.png",
            kind="screenshot",
            detected_type="image/png",
            type_note=None,
            source="file",
            acquired_at=when,
            file_modified_at=when,
            exif_taken_at="2024:03:01 21:14:05",
            exif_camera="Phone X",
            width=10,
            height=10,
            description="first threat",
            platform="Instagram",
            sensitive=False,
            preview_status="ok",
        )
        s.add(item)
        s.flush()
        s.add(EvidenceChunk(evidence_id=item.id, seq=0, data=CONTENT))
        # Its arrival, as every version's import records it (`safekeep check` compares the two;
        # fixtures frozen before this line lack it: see tests/test_schema_fixtures.py).
        append_event(s, "fixture", "evidence.add", f"evidence:{item.id}",
                     {"sha256": item.sha256, "size": item.size, "name": item.original_name})
        s.add(EvidenceThumbnail(evidence_id=item.id, width=1, height=1, jpeg=b"\xff\xd8fake"))
        # v5: the reading-size picture made at import
        s.add(EvidenceReadingImage(evidence_id=item.id, width=10, height=10,
                                   jpeg=b"\xff\xd8reading"))
        ident = Identifier(
            type="skype-id",
            value="live:.cid.fixture",
            normalised="live:.cid.fixture",
            platform="Skype",
            note="blue name",
        )
        pay = Payment(
            paid_on=date(2024, 3, 2),
            amount=Decimal("250.00"),
            currency="GBP",
            method="western-union",
            reference="1234567890",
            status="collected",
            recipient_place="Lagos",
            bank_told=True,
            bank_told_on=date(2024, 3, 3),
        )
        event = TimelineEvent(
            occurred_at=when, approximate=True, kind="threat", description="threat"
        )
        s.add_all([ident, pay, event])
        info = s.get(CaseInfo, 1)
        assert info is not None
        info.producer_initials = "FX"  # v3: exhibit references
        s.flush()
        s.execute(
            insert(identifier_evidence), [{"identifier_id": ident.id, "evidence_item_id": item.id}]
        )
        s.execute(insert(payment_evidence), [{"payment_id": pay.id, "evidence_item_id": item.id}])
        s.execute(
            insert(timeline_evidence),
            [{"timeline_event_id": event.id, "evidence_item_id": item.id}],
        )
        s.execute(
            insert(timeline_identifier),
            [{"timeline_event_id": event.id, "identifier_id": ident.id}],
        )
        s.execute(insert(timeline_payment), [{"timeline_event_id": event.id, "payment_id": pay.id}])
        s.add(
            ChecklistProgress(
                item_id="report-to-police", done=True, done_at=when, reference="LC-2024-000001"
            )
        )
        s.add(
            EvidenceText(
                evidence_id=item.id,
                status="ok",
                engine="tesseract 5.5.4",
                text="my skype live:.cid.fixture",
                page_json='{"w": 10, "h": 10, "words": [["live:.cid.fixture", 1, 1, 8, 2, 90, 0]]}',
                read_at=when,
            )
        )
        s.add(
            TextSuggestion(
                evidence_id=item.id,
                kind="skype-id",
                value="live:.cid.fixture",
                normalised="live:.cid.fixture",
                platform="Skype",
                boxes_json="[[1, 1, 8, 2]]",
                confidence=90.0,
                state="added",
                identifier_id=ident.id,
                created_at=when,
            )
        )
        _add_chat(s, item.id, when)  # v4: a chat export read into the case
        append_event(s, "fixture", "fixture.filled", "case", {"version": SCHEMA_VERSION})


def _add_chat(s: Session, evidence_id: int, when: datetime) -> None:
    s.add(ChatExportRead(evidence_id=evidence_id, platform="whatsapp", status="read",
                         date_order="day_first", note="", updated_at=when,
                         details_found=True))  # v6
    conversation = ChatConversation(
        evidence_id=evidence_id, position=0, platform="whatsapp", title="Sam",
        participants_json='["Sam", "Alex"]', notes_json='["Times are local."]',
        source="_chat.txt", message_count=1, first_at="2024-03-01T21:14",
        last_at="2024-03-01T21:14", me="Alex")  # v7: the person's own name
    s.add(conversation)
    s.flush()
    message = ChatMessage(
        conversation_id=conversation.id, position=0, sender="Sam", sent_at="2024-03-01T21:14",
        sort_key="2024-03-01T21:14:00.000000", precision="minute", text="pay now",
        attachments_json='["chat.png"]', links_json="[]", is_system=False, is_deleted=False,
        media_omitted=False, sender_id="user123456789")  # v6: the sender's own ID
    s.add(message)
    s.flush()
    # v6: a detail found in a message
    s.add(TextSuggestion(evidence_id=evidence_id, kind="phone", value="+44 7911 123456",
                         normalised="+447911123456", platform=None, boxes_json="[]",
                         confidence=100.0, state="new", identifier_id=None, created_at=when,
                         message_id=message.id))
    s.execute(insert(chat_attachment),
              [{"message_id": message.id, "member": "chat.png", "evidence_id": evidence_id}])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
