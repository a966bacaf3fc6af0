"""A photo kept from a chat export stands in the chronology at the time of the message that
sent it, as the export writes it: it had stood at the moment it was added to Safekeep (a
WhatsApp photo has no camera or file time of its own), months or years after the message,
"added to Safekeep", where an officer reading the chronology would not look for it."""

import csv
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.records.timeline import add_event
from app.export.casedata import take_snapshot
from app.export.chronology import Basis, Source, chronology, offence_period
from app.models.casefile import CaseFile
from tests.chats.test_json_exports import make_zip
from tests.test_chat_import import jpeg
from tests.test_export_report_front import pages_of, section

PHOTOS = [f"000000{n}-PHOTO-2024-01-13.jpg" for n in range(12, 24)]


def _chat_with_photos(tmp_path: Path, photos: list[str]) -> Path:
    lines = [f"[13/01/2024, 14:{5 + n:02d}:10] Sam: <attached: {name}>"
             for n, name in enumerate(photos)]
    lines.append("[14/01/2024, 09:00:00] Alex: Pay 500 or I send it to everyone.")
    members: dict[str, object] = {"_chat.txt": "\n".join(lines) + "\n"}
    members.update({name: jpeg(f"#{20 * n:02x}4060") for n, name in enumerate(photos)})
    return make_zip(tmp_path / "WhatsApp Chat - Sam.zip", members)


def test_each_photo_stands_at_the_message_that_sent_it(case: CaseFile, tmp_path: Path) -> None:
    import_paths(case, [_chat_with_photos(tmp_path, PHOTOS[:2])])
    snap = take_snapshot(case, include_sensitive=False)
    photos = [e for e in snap.evidence if e.source == "chat-export"]
    assert len(photos) == 2
    entries = {e.item.id: e for e in chronology(snap)
               if e.source is Source.EVIDENCE and e.item is not None}
    first, second = (entries[p.id] for p in photos)
    assert (first.basis, first.at) == (Basis.CHAT, datetime(2024, 1, 13, 14, 5, 10, tzinfo=UTC))
    assert (second.basis, second.written) == (Basis.CHAT, "2024-01-13T14:06:10")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_report_places_them_and_the_offence_ends_in_the_chat(case: CaseFile,
                                                                  tmp_path: Path) -> None:
    import_paths(case, [_chat_with_photos(tmp_path, PHOTOS[:2])])
    pages = pages_of(case, tmp_path)
    chronology_text = section(pages, "Chronology", "Offender identifiers")
    rows = [" ".join(line.split()) for line in chronology_text.splitlines()]
    assert "2024-01-13 14:05:10 Evidence item 00000012-PHOTO-2024-01-13.jpg TC/2" in rows
    assert "2024-01-13 14:06:10 Evidence item 00000013-PHOTO-2024-01-13.jpg TC/3" in rows
    assert "as the chat export writes it, image From the chat export WhatsApp Chat - Sam.zip:" \
        in rows
    assert not any(row.startswith("added to Safekeep") for row in rows)
    assert "a file kept from one stands at the message that sent it" in " ".join(rows)
    text = "\n".join(pages)
    start = text.index("\nExhibits and their continuity\n")
    exhibits = " ".join(text[start:text.index("Text read by machine", start)].split())
    # The right-hand column's lines (where it was taken from) come between, laid out.
    sent = exhibits.index("Sent in the chat at 2024-01-13 14:05:10, as the chat export writes it,")
    assert exhibits.index("no time zone", sent) - sent < 140, exhibits
    with next((tmp_path / "out").rglob("evidence.csv")).open(encoding="utf-8-sig") as sheet:
        sent = {r["original_name"]: r["sent_in_chat_at"] for r in csv.DictReader(sheet)}
    assert sent == {"WhatsApp Chat - Sam.zip": "", PHOTOS[0]: "2024-01-13T14:05:10",
                    PHOTOS[1]: "2024-01-13T14:06:10"}
    front = " ".join(pages[0].split())
    assert "From 2024-01-13 14:05:10 (TC/2 sent in a chat, no time zone) to 2024-01-14 " \
        "09:00:00 (last message in TC/1, no time zone): 2 calendar days." in front, front


def test_a_chats_many_photos_of_one_minute_share_a_row(case: CaseFile, tmp_path: Path) -> None:
    # Twelve photos sent in one minute: one row, as a folder's files copied at once are.
    lines = ["[13/01/2024, 14:04:00] Sam: hello"] + [
        f"[13/01/2024, 14:05:{n:02d}] Sam: <attached: {name}>" for n, name in enumerate(PHOTOS)]
    members: dict[str, object] = {"_chat.txt": "\n".join(lines) + "\n"}
    members.update({name: jpeg(f"#{20 * n:02x}4060") for n, name in enumerate(PHOTOS)})
    import_paths(case, [make_zip(tmp_path / "WhatsApp Chat - Sam.zip", members)])
    snap = take_snapshot(case, include_sensitive=False)
    groups = [e for e in chronology(snap) if e.is_group]
    assert len(groups) == 1 and len(groups[0].evidence_ids) == len(PHOTOS)
    assert (groups[0].basis, groups[0].written) == (Basis.CHAT, "2024-01-13T14:05:00")


def test_a_phone_clock_is_placed_in_the_computers_time_zone(
        case: CaseFile, tmp_path: Path, in_london: None) -> None:
    # The first message at 21:00 on the phone's clock (20:00 UTC in summer); the threat the
    # person recorded at 21:15 their time (20:15 UTC). Taken as UTC, the message had stood
    # after the threat and the offence had begun at the threat.
    chat = tmp_path / "WhatsApp Chat with Mia.txt"
    chat.write_text("14/07/2025, 21:00 - Mia: hey cutie\n"
                    "15/07/2025, 23:30 - Mia: pay now or everyone sees\n", encoding="utf-8")
    import_paths(case, [chat])
    add_event(case, datetime(2025, 7, 14, 20, 15, tzinfo=UTC), "They threatened me.",
              kind="threat")
    entries = chronology(take_snapshot(case, include_sensitive=False))
    told = [e for e in entries if e.source in (Source.CONVERSATION, Source.EVENT)]
    assert [(e.source, e.last) for e in told] == [
        (Source.CONVERSATION, False), (Source.EVENT, False), (Source.CONVERSATION, True)]
    assert told[0].written == "2025-07-14T21:00"  # shown as the export writes it
    period = offence_period(entries, frozenset(e.evidence_ids[0] for e in told[:1]))
    assert period is not None and period[0].source is Source.CONVERSATION
