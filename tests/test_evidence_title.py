"""What names an evidence item in a list: the person's words, else its file name, and a file
kept from a chat export by its name rather than by intake's note about where it came from."""

from dataclasses import replace
from datetime import UTC, datetime

from app.core.records import EvidenceRow, chat_attachment_note, evidence_title
from app.core.records.evidence_title import is_chat_attachment_note


def _row(i: int) -> EvidenceRow:
    return EvidenceRow(
        id=i, sha256=f"{i:064x}", size=1000, original_name=f"shot-{i}.png", kind="screenshot",
        detected_type="image/png", type_note=None, source="file",
        acquired_at=datetime(2024, 3, 1, tzinfo=UTC), file_modified_at=None, file_created_at=None,
        exif_taken_at=None, exif_camera=None, width=1920, height=1080, description="",
        platform=None, sensitive=False, preview_status="ok", preview_note=None, exhibit_number=i)


def test_intakes_note_is_recognised_whatever_the_names_hold() -> None:
    for export, member in (("WhatsApp Chat - Sam.zip", "IMG-1.jpg"),
                           ("a: b.zip", "media/x: y.jpg"), ("(.*)+.zip", "[a].jpg")):
        assert is_chat_attachment_note(chat_attachment_note(export, member))
    for line in ("From the chat export", "The photo they sent first", "",
                 "From the chat export x.zip, conversation “Sam”, message 3 of 9"):
        assert not is_chat_attachment_note(line)


def test_the_title_is_the_persons_words_first() -> None:
    note = chat_attachment_note("chat.zip", "IMG-1.jpg")
    photo = replace(_row(1), source="chat-export", original_name="IMG-1.jpg", description=note)
    assert evidence_title(photo) == ("IMG-1.jpg", True)
    noted = replace(photo, description=f"Sent the night they asked for money\n{note}")
    assert evidence_title(noted) == ("Sent the night they asked for money", False)
    # A file added by hand whose description happens to read like the note keeps it.
    by_hand = replace(photo, source="file")
    assert evidence_title(by_hand) == (note, False)
    assert evidence_title(replace(_row(2), description="  ")) == ("shot-2.png", True)
