"""A file kept from a chat export says, in its continuity, which exhibit it was taken from and
where it is inside it, and when the message that sent it was sent: an officer can take the
file out of that exhibit again and get the same SHA-256 (ACPO principle 3: a third party can
repeat it). Its continuity had said only "Chat export", with no exhibit, so the file's link
to the export it came out of was in a description the person may have changed."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

from app.core.intake import import_paths
from app.export import export_bundle
from app.models.casefile import CaseFile
from tests.test_chat_import import jpeg
from tests.test_continuity import csv_rows, pdf_text, zip_member
from tests.test_export_chat_photo_time import _chat_with_photos

# A name the sender chose: a spreadsheet formula, markup and a right-to-left override.
HOSTILE = "=SUM(1+1)&amp;\u202egpj.exe.jpg"
PHOTOS = ["00000012-PHOTO-2024-01-13.jpg", HOSTILE]


def _export_with_photos(tmp_path: Path) -> Path:
    return _chat_with_photos(tmp_path, PHOTOS)


def test_a_kept_file_names_the_exhibit_it_came_from_and_can_be_taken_out_again(
        case: CaseFile, tmp_path: Path) -> None:
    import_paths(case, [_export_with_photos(tmp_path)])
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    rows = {r["exhibit"]: r for r in csv_rows(bundle, "csv/continuity.csv")}
    export = next(r for r in rows.values() if r["original_name"] == "WhatsApp Chat - Sam.zip")
    assert (export["taken_from_exhibit"], export["path_in_export"]) == ("", "")
    kept = [r for r in rows.values() if r["how_obtained"] == "chat-export"]
    assert len(kept) == 2
    audit = {r["id"]: r for r in csv_rows(bundle, "csv/audit.csv")}
    evidence = {r["exhibit"]: r for r in csv_rows(bundle, "csv/evidence.csv")}
    with zipfile.ZipFile(io.BytesIO(
            zip_member(bundle, evidence[export["exhibit"]]["file_in_bundle"]))) as original:
        for row in kept:
            assert row["taken_from_exhibit"] == export["exhibit"]
            member = row["path_in_export"].lstrip("'")  # a formula's sign is kept from running
            # The officer's check: the member of the export's original hashes the same.
            assert hashlib.sha256(original.read(member.replace("\\u202e", "\u202e"))
                                  ).hexdigest() == row["sha256_at_acquisition"]
            # Which reading kept it, by its audit event, as the arrival is by its own.
            read_id = row["recorded_in"].rpartition("audit event ")[2]
            assert audit[read_id]["action"] == "chat.read"
            export_added = export["recorded_in"].rpartition("audit event ")[2]
            assert audit[read_id]["subject"] == audit[export_added]["subject"]
    sent = {r["path_in_export"]: r["sent_in_chat_at"] for r in kept}
    assert sent == {PHOTOS[0]: "2024-01-13T14:05:10",
                    "'=SUM(1+1)&amp;\\u202egpj.exe.jpg": "2024-01-13T14:06:10"}
    manifest = json.loads(zip_member(bundle, "manifest.json"))
    kept_from = {e["original_name"]: e["kept_from_chat"] for e in manifest["evidence"]}
    assert kept_from == {"WhatsApp Chat - Sam.zip": None, **{
        name: {"exhibit": export["exhibit"], "path": name,
               "sent_at": f"2024-01-13T14:{5 + n:02d}:10"} for n, name in enumerate(PHOTOS)}}
    text = " ".join(pdf_text(bundle).split())
    assert f"taken unchanged from exhibit {export['exhibit']}, where it is {PHOTOS[0]}" in text
    assert "\u202e" not in text and "=SUM(1+1)&amp;" in text  # shown as text, not markup



def test_the_arrival_event_records_the_export_and_path_it_was_taken_from(
        case: CaseFile, tmp_path: Path) -> None:
    [export] = import_paths(case, [_export_with_photos(tmp_path)])[:1]
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    arrivals = [json.loads(r["details"]) for r in csv_rows(bundle, "csv/audit.csv")
                if r["action"] == "evidence.add"]
    taken = {a["name"]: a.get("taken_from") for a in arrivals}
    assert taken == {"WhatsApp Chat - Sam.zip": None, **{
        name: {"evidence": export.evidence_id, "member": name} for name in PHOTOS}}


def test_a_photo_added_by_hand_before_its_chat_export_keeps_its_own_story(
        case: CaseFile, tmp_path: Path) -> None:
    """The same photo chosen on the computer first, then found in an export: it was not taken
    from the export, so its row does not say it was; its time in the chat is still given."""
    photo = tmp_path / "by hand" / PHOTOS[0]
    photo.parent.mkdir()
    photo.write_bytes(jpeg("#004060"))
    import_paths(case, [photo])
    import_paths(case, [_export_with_photos(tmp_path)])
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    rows = {r["original_name"]: r for r in csv_rows(bundle, "csv/continuity.csv")}
    by_hand = rows[PHOTOS[0]]
    assert (by_hand["how_obtained"], by_hand["taken_from_exhibit"], by_hand["sent_in_chat_at"]
            ) == ("file", "", "2024-01-13T14:05:10")
    assert rows["'" + HOSTILE.replace("\u202e", "\\u202e")]["taken_from_exhibit"] == \
        rows["WhatsApp Chat - Sam.zip"]["exhibit"]


def test_a_photo_in_two_exports_was_taken_from_the_one_read_first(
        case: CaseFile, tmp_path: Path) -> None:
    first = _export_with_photos(tmp_path)
    second = tmp_path / "again" / "WhatsApp Chat - Sam (2).zip"
    second.parent.mkdir()  # the same chat exported again a day later: one more line
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(second, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, data + b"[15/01/2024, 10:00:00] Alex: well?\n"
                          if info.filename == "_chat.txt" else data)
    import_paths(case, [first])
    import_paths(case, [second])
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    rows = {r["original_name"]: r for r in csv_rows(bundle, "csv/continuity.csv")}
    assert rows[PHOTOS[0]]["taken_from_exhibit"] == rows["WhatsApp Chat - Sam.zip"]["exhibit"]
    assert rows["WhatsApp Chat - Sam (2).zip"]["exhibit"] != \
        rows["WhatsApp Chat - Sam.zip"]["exhibit"]


def test_the_exports_own_continuity_tells_of_its_reading_and_its_platform(
        case: CaseFile, tmp_path: Path) -> None:
    # Its reading (which made the transcript) had been missing from its story, and the
    # platform taken from it read "platform set to WhatsApp; why changed".
    import_paths(case, [_export_with_photos(tmp_path)])
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    rows = {r["original_name"]: r for r in csv_rows(bundle, "csv/continuity.csv")}
    since = rows["WhatsApp Chat - Sam.zip"]["since"]
    assert "its messages were read as a WhatsApp export, on a working copy: 3 messages in " \
        "1 conversation, and 2 attached files it holds kept as exhibits of their own" in since
    assert "platform set to WhatsApp, from the chat export read from it" in since
    assert "why" not in since
    text = " ".join(pdf_text(bundle).split())
    assert "platform set to WhatsApp, from the chat export read from it" in text
    assert "why changed" not in text
    assert "its messages were read as a WhatsApp export, on a working copy: 3 messages" in text
