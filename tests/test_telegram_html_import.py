"""Telegram Desktop's HTML export added through the command line into a real SQLCipher case
file: the ZIP kept byte for byte, its photo and file kept as items linked to their messages,
the messages listed as the reader gives them, the offender's details offered, and a bundle
that lists them and verifies; and the folder Telegram leaves (HTML or JSON), or a WhatsApp
export unzipped, added as it is, with its files linked to their messages."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from app.core.reading import suggestions_for
from app.models.casefile import CaseFile
from tests.chats.telegram_html_export import Msg, serialize, write_folder
from tests.chats.test_json_exports import TELEGRAM_CHAT
from tests.chats.test_telegram_html import OFFENDER, PHOTO, exported
from tests.conftest import PASSPHRASE
from tests.test_chat_import import Cli, added, jpeg, listed, new_case, same_as_parser


def test_an_html_export_becomes_a_case(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    export = exported(tmp_path)
    document = added(cli, case, export)
    top = f"{export}/ChatExport_2025-03-16"
    assert [(o["path"], o["status"]) for o in document["items"]] == [
        (str(export), "added"), (f"{top}/{PHOTO}", "added"),
        (f"{top}/files/receipt.pdf", "added")]
    export_id, photo_id, receipt_id = (o["evidence_id"] for o in document["items"])
    assert document["chats"][0]["status"] == "read"
    evidence = {e["id"]: e for e in listed(cli, case, "evidence")}
    assert evidence[export_id]["sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert evidence[export_id]["platform"] == "Telegram"

    messages = listed(cli, case, "messages")
    same_as_parser(export, messages)
    linked = {m["text"] or "(photo)": [a["evidence_id"] for a in m["attachments"]]
              for m in messages if m["attachments"]}
    assert linked == {"(photo)": [photo_id], "ok": [receipt_id]}
    (conversation,) = listed(cli, case, "conversations")
    assert (conversation["platform"], conversation["title"]) == ("telegram", OFFENDER)
    assert conversation["participants"] == [OFFENDER, "Jo"]

    with CaseFile.open(Path(case), PASSPHRASE, actor="tester") as opened:
        offered = {(s.kind.value, s.value) for s in suggestions_for(opened, export_id)}
    assert {("phone", "+44 7911 123456"), ("url", "paypal.me/annasm")} <= offered

    bundle = tmp_path / "bundle.zip"
    assert cli("export", case, str(bundle)).code == 0
    verified = cli("verify", str(bundle))
    assert verified.code == 0, verified
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/csv/messages.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert {r["platform"] for r in rows} == {"telegram"}
    assert (OFFENDER, "Call: Incoming (15 seconds)") in {(r["sender"], r["text"]) for r in rows}


def test_the_folder_telegram_leaves_links_its_files(tmp_path: Path, cli: Cli) -> None:
    """Telegram Desktop writes a folder, not a ZIP: added as it is, each page is read and the
    photos and files added with it are linked to their messages."""
    case = new_case(tmp_path, cli)
    folder = exported(tmp_path).with_suffix("")
    (tmp_path / "elsewhere.jpg").write_bytes(b"\xff\xd8\xff not beside")
    document = added(cli, case, folder, tmp_path / "elsewhere.jpg")
    ids = {Path(o["path"]).relative_to(tmp_path).as_posix(): o["evidence_id"]
           for o in document["items"]}
    top = "ChatExport_2025-03-16"
    # Telegram's own style sheet, script and icons are left out, and said so.
    assert {Path(o["path"]).name: o["status"] for o in document["items"]
            if o["status"] == "left-out"} == {"css": "left-out", "js": "left-out",
                                              "images": "left-out"}
    assert sorted(e["original_name"] for e in listed(cli, case, "evidence")) == [
        "elsewhere.jpg", "messages.html", PHOTO.rsplit("/", 1)[1], "receipt.pdf"]
    assert [c["status"] for c in document["chats"]] == ["read"]
    messages = listed(cli, case, "messages")
    same_as_parser(folder / "messages.html", messages)
    linked = {m["text"] or "(photo)": [a["evidence_id"] for a in m["attachments"]]
              for m in messages if m["attachments"]}
    assert linked == {"(photo)": [ids[f"{top}/{PHOTO}"]],
                      "ok": [ids[f"{top}/files/receipt.pdf"]]}
    (conversation,) = listed(cli, case, "conversations")
    assert any("whole folder is added" in note for note in conversation["notes"])


def test_a_page_added_without_its_folder_links_nothing(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    folder = exported(tmp_path).with_suffix("")
    added(cli, case, folder / "messages.html")
    named = [a for m in listed(cli, case, "messages") for a in m["attachments"]]
    assert [(a["path"], a["evidence_id"]) for a in named] == [
        (PHOTO, None), ("files/receipt.pdf", None)]
    assert [e["original_name"] for e in listed(cli, case, "evidence")] == ["messages.html"]


def test_the_folder_of_a_json_export_links_its_photo_too(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    folder = tmp_path / "ChatExport_2024-01-13"
    (folder / "photos").mkdir(parents=True)
    (folder / "result.json").write_text(json.dumps(TELEGRAM_CHAT), encoding="utf-8")
    photo = folder / "photos" / "photo_1@12-01-2024_15-07-00.jpg"
    photo.write_bytes(b"\xff\xd8\xff a photo")
    document = added(cli, case, folder)
    photo_id = next(o["evidence_id"] for o in document["items"] if o["path"] == str(photo))
    (message,) = [m for m in listed(cli, case, "messages") if m["attachments"]]
    assert [a["evidence_id"] for a in message["attachments"]] == [photo_id]


def test_a_whole_accounts_folder_links_each_chats_photos(tmp_path: Path, cli: Cli) -> None:
    """Its pages (chats/chat_001/messages.html) name their photos from the top of the export
    ("../../chats/chat_001/photos/..."); added as a folder, each page is read alone."""
    case = new_case(tmp_path, cli)
    root = tmp_path / "DataExport_2025-03-16"
    when = datetime(2025, 3, 16, 9, 0)
    for number, sender in enumerate([OFFENDER, "Mum"], 1):
        photo = f"chats/chat_00{number}/photos/photo_1.jpg"
        write_folder(root / "chats" / f"chat_00{number}", sender,
                     [Msg(sender, when, serialize(f"from {sender}"), photo=f"../../{photo}")],
                     {}, page_files=False)
        (root / photo).parent.mkdir(parents=True, exist_ok=True)
        (root / photo).write_bytes(f"photo of chat {number}".encode())
    document = added(cli, case, root)
    ids = {Path(o["path"]).relative_to(root).as_posix(): o["evidence_id"]
           for o in document["items"]}
    linked = {m["text"]: [a["evidence_id"] for a in m["attachments"]]
              for m in listed(cli, case, "messages")}
    assert linked == {f"from {OFFENDER}": [ids["chats/chat_001/photos/photo_1.jpg"]],
                      "from Mum": [ids["chats/chat_002/photos/photo_1.jpg"]]}


def test_an_unzipped_whatsapp_export_links_its_pictures(tmp_path: Path, cli: Cli) -> None:
    """An iPhone's WhatsApp export unzipped (as Windows and macOS offer to) and added as a
    folder: the pictures it names are linked to their messages, as they are from the ZIP."""
    case = new_case(tmp_path, cli)
    folder = tmp_path / "WhatsApp Chat - Sam"
    folder.mkdir()
    photo = "00000012-PHOTO-2024-01-13-14-05-09.jpg"
    (folder / "_chat.txt").write_text(
        f"[13/01/2024, 14:05:09] Sam: \u200e<attached: {photo}>\n"
        "[13/01/2024, 14:06:00] Alex: seen it\n", encoding="utf-8")
    (folder / photo).write_bytes(jpeg("red"))
    document = added(cli, case, folder)
    photo_id = next(o["evidence_id"] for o in document["items"]
                    if o["path"] == str(folder / photo))
    assert [[a["evidence_id"] for a in m["attachments"]]
            for m in listed(cli, case, "messages")] == [[photo_id], []]


def test_a_folder_in_both_formats_is_read_once_from_its_json(tmp_path: Path, cli: Cli) -> None:
    """Telegram Desktop's "both formats" writes result.json and messages.html of the same chat
    into one folder: it had been read twice, two conversations of one chat."""
    from app.ui.evidence.importing import chats_note

    case = new_case(tmp_path, cli)
    folder = exported(tmp_path).with_suffix("")
    (folder / "result.json").write_text(json.dumps(TELEGRAM_CHAT), encoding="utf-8")
    document = added(cli, case, folder)
    by_path = {Path(o["path"]).name: o for o in document["items"]}
    statuses = {Path(c["path"]).name: c["status"] for c in document["chats"]}
    assert statuses == {"result.json": "read", "messages.html": "read-beside"}
    assert by_path["messages.html"]["status"] == "added"  # kept as a file, byte for byte
    (conversation,) = listed(cli, case, "conversations")
    assert conversation["title"] == "Alex"  # the JSON's
    from app.core.intake import READ_BESIDE, ChatReading

    readings = [ChatReading("result.json", 1, "telegram", "read"),
                ChatReading("messages.html", 2, "telegram", READ_BESIDE)]
    assert chats_note(readings) == ["The chat export's messages are on the Chats tab."]
    assert "not read a second time" in readings[1].line()


def test_a_whole_accounts_folder_in_both_formats_reads_its_pages_once(tmp_path: Path,
                                                                      cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    root = tmp_path / "DataExport_2025-03-16"
    write_folder(root / "chats" / "chat_001", OFFENDER,
                 [Msg(OFFENDER, datetime(2025, 3, 16, 9, 0), serialize("hi"))], {},
                 page_files=False)
    account = {"personal_information": {"user_id": 2, "first_name": "Sam"},
               "chats": {"about": "", "list": [TELEGRAM_CHAT]}}
    (root / "result.json").write_text(json.dumps(account), encoding="utf-8")
    # Another export kept in a folder of its own beside it is not the account's: it is read.
    write_folder(root / "ChatExport_2025-03-17", "Mum",
                 [Msg("Mum", datetime(2025, 3, 17, 9, 0), serialize("call me"))], {},
                 page_files=False)
    document = added(cli, case, root)
    statuses = {Path(c["path"]).relative_to(root).as_posix(): c["status"]
                for c in document["chats"]}
    assert statuses == {"result.json": "read", "chats/chat_001/messages.html": "read-beside",
                        "ChatExport_2025-03-17/messages.html": "read"}
    assert sorted(c["title"] for c in listed(cli, case, "conversations")) == ["Alex", "Mum"]
