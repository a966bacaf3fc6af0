"""Chat exports added through the command line, end to end, into real SQLCipher case files:
every format (written as tests/chats writes them) stored and listed exactly; the pictures in
a ZIP export kept as linked items; a second add adds nothing; search finds messages."""

import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.core.chats import read_chat_export
from tests.chats.meta_html_download import Box, page
from tests.chats.test_json_exports import TELEGRAM_CHAT, make_zip, meta_text, meta_thread
from tests.chats.test_whatsapp import ANDROID_24H, LRM, NNBSP, write
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def new_case(tmp_path: Path, cli: Cli) -> str:
    path = tmp_path / "case.skcase"
    assert cli("new", str(path), "--kdf-profile", "1").code == 0
    return str(path)


def listed(cli: Cli, case: str, what: str) -> list[dict[str, Any]]:
    result = cli("list", case, what, "--json")
    assert result.code == 0, result
    items: list[dict[str, Any]] = json.loads(result.out)["items"]
    return items


def added(cli: Cli, case: str, *paths: Path | str) -> dict[str, Any]:
    result = cli("add-evidence", case, *map(str, paths), "--json")
    assert result.code == 0, result
    document: dict[str, Any] = json.loads(result.out)
    return document


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(out, "JPEG")
    return out.getvalue()


def same_as_parser(path: Path, messages: list[dict[str, Any]]) -> None:
    """Every message listed is the parser's, field by field, in order."""
    expected = [m for c in read_chat_export(path).conversations for m in c.messages()]
    assert [(m["sender"], m["sent_at"], m["text"], [a["path"] for a in m["attachments"]],
             m["is_system"], m["is_deleted"]) for m in messages] == [
        (m.sender, m.sent_at.isoformat(), m.text, list(m.attachments), m.is_system,
         m.is_deleted) for m in expected]


def test_whatsapp_android_text_file(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    path = write(tmp_path, ANDROID_24H)
    document = added(cli, case, path)
    assert [o["status"] for o in document["items"]] == ["added"]
    export_id = document["items"][0]["evidence_id"]
    assert document["chats"][0]["status"] == "read"
    messages = listed(cli, case, "messages")
    assert len(messages) == 6
    same_as_parser(path, messages)
    third = messages[2]
    assert (third["sender"], third["sent_at"], third["text"]) == (
        "Alex", "2024-01-13T09:30", "Send it now.\nOr else.")
    assert all(m["evidence_id"] == export_id for m in messages)
    (conversation,) = listed(cli, case, "conversations")
    assert conversation["platform"] == "whatsapp" and conversation["title"] == "Sam"
    assert conversation["participants"] == ["Sam", "Alex"]
    assert conversation["message_count"] == 6
    assert (conversation["first_at"], conversation["last_at"]) == (
        "2024-01-12T14:05", "2024-01-13T09:33")
    assert any("no time zone" in note for note in conversation["notes"])
    # The export itself is one evidence item, byte for byte.
    (item,) = listed(cli, case, "evidence")
    assert item["sha256"] == document["items"][0]["sha256"]
    # info counts what was read, as it counts the rest (it had no word of the chats)
    assert "Chat conversations: 1 (6 messages)" in cli("info", case).out.splitlines()
    facts = json.loads(cli("info", case, "--json").out)
    assert (facts["conversations"], facts["chat_messages"]) == (1, 6)
    assert item["size"] == path.stat().st_size


def test_whatsapp_ios_zip_keeps_its_pictures_as_linked_items(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    photo, other = jpeg("red"), jpeg("blue")
    path = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": (f"[13/01/2024, 2:05:09{NNBSP}PM] Sam: {LRM}<attached: "
                      "00000012-PHOTO-2024-01-13-14-05-09.jpg>\n"
                      f"[13/01/2024, 2:06:00{NNBSP}PM] Alex: seen it\n"
                      f"[13/01/2024, 2:07:00{NNBSP}PM] Sam: {LRM}<attached: "
                      "00000012-PHOTO-2024-01-13-14-05-09.jpg>\n"
                      f"[13/01/2024, 2:08:00{NNBSP}PM] Sam: {LRM}<attached: "
                      "00000013-PHOTO-2024-01-13-14-08-00.jpg>\n"),
        "00000012-PHOTO-2024-01-13-14-05-09.jpg": photo,
        "00000013-PHOTO-2024-01-13-14-08-00.jpg": other,
    })
    document = added(cli, case, path)
    statuses = [(o["path"], o["status"]) for o in document["items"]]
    assert statuses == [
        (str(path), "added"),
        (f"{path}/00000012-PHOTO-2024-01-13-14-05-09.jpg", "added"),
        (f"{path}/00000013-PHOTO-2024-01-13-14-08-00.jpg", "added")]
    export_id, photo_id, other_id = (o["evidence_id"] for o in document["items"])
    messages = listed(cli, case, "messages")
    same_as_parser(path, messages)
    assert messages[0]["sent_at"] == "2024-01-13T14:05:09"
    assert [[a["evidence_id"] for a in m["attachments"]] for m in messages] == [
        [photo_id], [], [photo_id], [other_id]]
    evidence = {e["id"]: e for e in listed(cli, case, "evidence")}
    assert set(evidence) == {export_id, photo_id, other_id}
    assert evidence[photo_id]["size"] == len(photo)
    assert evidence[photo_id]["detected_type"] == "image/jpeg"
    assert "WhatsApp Chat - Sam.zip" in evidence[photo_id]["description"]
    check = cli("check", case)
    assert check.code == 0, check


def test_adding_the_same_export_again_adds_nothing(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    path = make_zip(tmp_path / "WhatsApp Chat with Sam.zip", {
        "WhatsApp Chat with Sam.txt": ANDROID_24H,
        "IMG-20240113-WA0001.jpg": jpeg("green")})
    first = added(cli, case, path)
    assert len(first["items"]) == 2  # the export and its picture
    copy = tmp_path / "copy of it.zip"
    copy.write_bytes(path.read_bytes())
    again = added(cli, case, path, copy)
    assert [o["status"] for o in again["items"]] == ["already-there", "already-there"]
    assert [c["status"] for c in again["chats"]] == ["already-read"]
    assert len(listed(cli, case, "messages")) == 6
    assert len(listed(cli, case, "conversations")) == 1
    assert len(listed(cli, case, "evidence")) == 2
    plain = cli("add-evidence", case, str(path))
    assert "nothing was added twice" in plain.out


def test_instagram_download(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    root = "your_instagram_activity/messages/inbox/zoe_123"
    thread = meta_thread([
        {"sender_name": "Sam", "timestamp_ms": 1704067260500, "content": meta_text("ça 😀")},
        {"sender_name": meta_text("Zoë"), "timestamp_ms": 1704067200000,
         "photos": [{"uri": f"{root}/photos/1.jpg", "creation_timestamp": 1704067200}]},
        {"sender_name": meta_text("Zoë"), "timestamp_ms": 1704060000000,
         "content": meta_text("Pay me or I send it to everyone")}])
    path = make_zip(tmp_path / "instagram.zip", {f"{root}/message_1.json": thread,
                                                  f"{root}/photos/1.jpg": jpeg("red")})
    document = added(cli, case, path)
    photo_id = document["items"][1]["evidence_id"]
    messages = listed(cli, case, "messages")
    same_as_parser(path, messages)
    assert [(m["sender"], m["sent_at"], m["text"]) for m in messages] == [
        ("Zoë", "2023-12-31T22:00:00.000+00:00", "Pay me or I send it to everyone"),
        ("Zoë", "2024-01-01T00:00:00.000+00:00", ""),
        ("Sam", "2024-01-01T00:01:00.500+00:00", "ça 😀")]
    assert messages[1]["attachments"] == [{"path": f"{root}/photos/1.jpg",
                                           "evidence_id": photo_id}]
    (conversation,) = listed(cli, case, "conversations")
    assert (conversation["platform"], conversation["title"]) == ("instagram", "Zoë")
    assert conversation["first_at"] == "2023-12-31T22:00:00.000+00:00"


@pytest.mark.parametrize(("folder", "platform", "name"), [
    ("your_activity_across_facebook", "messenger", "Facebook"),
    ("your_facebook_activity", "messenger", "Facebook"),
    ("your_instagram_activity", "instagram", "Instagram")])
def test_a_download_added_as_its_folder_is_told_by_its_folders_names(
        tmp_path: Path, cli: Cli, folder: str, platform: str, name: str) -> None:
    """A download unzipped and its folder added: each message_1.json is an item of its own,
    and only the folders' names say which app (a newer Messenger thread has no key of its
    own). Messenger's had been read as Instagram, in the bundle's CSVs too, and an officer
    would have asked the wrong company for the account."""
    case = new_case(tmp_path, cli)
    download = tmp_path / "download"
    thread = download / folder / "messages" / "inbox" / "samsmith_98765" / "message_1.json"
    thread.parent.mkdir(parents=True)
    thread.write_text(json.dumps(meta_thread([
        {"sender_name": "Sam", "timestamp_ms": 1704067200000, "content": "pay me"}])))
    added(cli, case, download)
    (conversation,) = listed(cli, case, "conversations")
    assert conversation["platform"] == platform
    (item,) = listed(cli, case, "evidence")
    assert item["platform"] == name
    # The HTML form of the same download: its page, added with its folder, is read too (it
    # had been kept as a document, unread, with nothing said).
    (tmp_path / "html").mkdir()
    page_case = new_case(tmp_path / "html", cli)
    html_download = tmp_path / "html-download"
    thread_page = html_download / folder / "messages" / "inbox" / "samsmith_98765"
    thread_page.mkdir(parents=True)
    thread_page /= "message_1.html"
    thread_page.write_text(page("Sam", [Box("Sam", datetime(2025, 3, 15, 21, 4), "pay me")],
                                facebook=platform == "messenger"), encoding="utf-8")
    added(cli, page_case, html_download)
    (conversation,) = listed(cli, page_case, "conversations")
    assert conversation["platform"] == platform and conversation["message_count"] == 1


def test_messenger_telegram_discord_snapchat(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    messenger = tmp_path / "message_1.json"
    messenger.write_text(json.dumps(meta_thread([
        {"sender_name": "Sam", "timestamp_ms": 1704067200000, "content": "hi",
         "type": "Generic"}], thread_type="Regular")))
    telegram = make_zip(tmp_path / "telegram.zip",
                        {"ChatExport_2024-01-13/result.json": TELEGRAM_CHAT})
    discord = make_zip(tmp_path / "package.zip", {
        "account/user.json": {"id": "5", "username": "sam_k"},
        "messages/index.json": {"111": "Direct Message with alex#0001"},
        "messages/c111/channel.json": {"id": "111", "type": 1, "recipients": ["5", "9"]},
        "messages/c111/messages.csv": "ID,Timestamp,Contents,Attachments\n"
                                      "1,2021-02-03 12:34:56+00:00,stop it,\n"})
    snapchat = tmp_path / "chat_history.json"
    snapchat.write_text(json.dumps({"alex_snaps": [
        {"From": "alex_snaps", "Media Type": "TEXT", "Created": "2024-01-12 14:05:09 UTC",
         "Content": "send more", "IsSender": False}]}))
    document = added(cli, case, messenger, telegram, discord, snapchat)
    assert [c["status"] for c in document["chats"]] == ["read"] * 4
    conversations = listed(cli, case, "conversations")
    assert [(c["platform"], c["title"], c["message_count"]) for c in conversations] == [
        ("messenger", "Zoë", 1), ("telegram", "Alex", 4),
        ("discord", "Direct Message with alex#0001", 1), ("snapchat", "alex_snaps", 1)]
    messages = listed(cli, case, "messages")
    for path in (messenger, telegram, discord, snapchat):
        export_id = next(o["evidence_id"] for o in document["items"] if o["path"] == str(path))
        same_as_parser(path, [m for m in messages if m["evidence_id"] == export_id])
    by_text = {m["text"]: m for m in messages}
    assert by_text["Pay to this card now https://pay.invalid or here"]["sent_at"] == (
        "2024-01-12T14:06:00+00:00")
    assert by_text["Pay to this card now https://pay.invalid or here"]["links"] == [
        "https://other.invalid/p"]
    assert (by_text["stop it"]["sender"], by_text["stop it"]["sent_at"]) == (
        "sam_k", "2021-02-03T12:34:56+00:00")
    assert (by_text["send more"]["sender"], by_text["send more"]["sent_at"]) == (
        "alex_snaps", "2024-01-12T14:05:09+00:00")
    # The Telegram photo is named, but this export has no file for it.
    photo = next(m for m in messages if m["attachments"])
    assert photo["attachments"][0]["evidence_id"] is None
    # Each export's own platform is the item's (its details and the report said none).
    platforms = {e["id"]: e["platform"] for e in listed(cli, case, "evidence")}
    assert [platforms[o["evidence_id"]] for o in document["items"]] == [
        "Facebook", "Telegram", "Discord", "Snapchat"]
    audit = [e for e in listed(cli, case, "audit") if e["action"] == "evidence.edit"]
    assert len(audit) == 4 and all("chat export" in e["details"] for e in audit)


def test_a_platform_given_before_the_export_is_read_is_kept(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    path.write_text("03/04/2024, 10:00 - Sam: hi\n05/06/2024, 11:00 - Alex: pay now\n",
                    encoding="utf-8")  # not read until its date order is chosen
    assert cli("add-evidence", case, str(path)).code == 0
    assert listed(cli, case, "evidence")[0]["platform"] is None
    assert cli("edit-evidence", case, "1", "--platform", "Other").code == 0
    assert cli("read-chat", case, "1", "--date-order", "day-first").code == 0
    [item] = listed(cli, case, "evidence")
    assert item["platform"] == "Other"


def test_search_finds_messages_by_text_and_sender(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    added(cli, case, write(tmp_path, ANDROID_24H))
    found = cli("search", case, "send", "ELSE", "--json")
    assert found.code == 0, found
    assert [m["text"] for m in json.loads(found.out)["items"]] == ["Send it now.\nOr else."]
    by_sender = json.loads(cli("search", case, "alex", "--json").out)["items"]
    assert {m["sender"] for m in by_sender} == {"Alex"} and len(by_sender) == 2
    plain = cli("search", case, "or", "else")
    assert plain.out.splitlines() == ["#1  2024-01-13T09:30  Alex: Send it now. / Or else."]
    assert "No message" in cli("search", case, "nowhere").out


@pytest.mark.parametrize("what", ["messages", "conversations"])
def test_plain_lists(tmp_path: Path, cli: Cli, what: str) -> None:
    case = new_case(tmp_path, cli)
    assert cli("list", case, what).out.strip() == "Nothing here yet."
    added(cli, case, write(tmp_path, ANDROID_24H))
    lines = cli("list", case, what).out.splitlines()
    if what == "messages":
        assert lines[2] == "#1  2024-01-13T09:30  Alex: Send it now. / Or else."
        assert len(lines) == 6
    else:
        assert lines[0].startswith("#1  whatsapp  Sam  (Sam, Alex)  6 messages  "
                                   "2024-01-12T14:05 .. 2024-01-13T09:33  from evidence #1")
