"""Instagram, Messenger, Telegram, Discord and Snapchat downloads, written in their shapes."""

import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.chats import (
    Message,
    Platform,
    Precision,
    SentAt,
    detect,
    read_chat_export,
    repair_mojibake,
)

UTC = timedelta(0)


def meta_text(text: str) -> str:
    """What Meta writes: each UTF-8 byte as its own character (json escapes it as \\u00XX)."""
    return text.encode("utf-8").decode("latin-1")


def utc(*parts: int, precision: Precision = Precision.SECOND) -> SentAt:
    return SentAt(datetime(*parts), precision, UTC)  # type: ignore[arg-type]


def make_zip(path: Path, members: dict[str, Any]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in members.items():
            data = value if isinstance(value, bytes | str) else json.dumps(value)
            archive.writestr(name, data)
    return path


def meta_thread(messages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"participants": [{"name": meta_text("Zoë")}, {"name": "Sam"}],
            "messages": messages, "title": meta_text("Zoë"), "is_still_participant": True,
            "thread_path": "inbox/zoe_123", **extra}


def test_mojibake_is_repaired_and_right_text_left_alone() -> None:
    assert repair_mojibake("cafÃ©") == "café"
    assert repair_mojibake(meta_text("😀 ok")) == "😀 ok"
    assert repair_mojibake("café") == "café"
    assert repair_mojibake("Дорогой") == "Дорогой"


def test_instagram_download_two_files_newest_first(tmp_path: Path) -> None:
    root = "your_instagram_activity/messages/inbox/zoe_123"
    newest = meta_thread([
        {"sender_name": "Sam", "timestamp_ms": 1704067260500, "content": meta_text("ça 😀")},
        {"sender_name": meta_text("Zoë"), "timestamp_ms": 1704067200000,
         "photos": [{"uri": f"{root}/photos/1.jpg", "creation_timestamp": 1704067200}]},
    ], magic_words=[])
    older = meta_thread([
        {"sender_name": meta_text("Zoë"), "timestamp_ms": 1704060000000,
         "content": meta_text("Pay me or I send it to everyone"),
         "share": {"link": "https://example.invalid/x"}},
    ])
    path = make_zip(tmp_path / "instagram.zip", {
        f"{root}/message_1.json": newest, f"{root}/message_2.json": older,
        f"{root}/photos/1.jpg": b"\xff\xd8\xff"})
    assert detect(path) is Platform.INSTAGRAM
    export = read_chat_export(path)
    assert export.platform is Platform.INSTAGRAM
    conversation = export.conversations[0]
    assert conversation.title == "Zoë"
    assert conversation.participants == ("Zoë", "Sam")
    got = list(conversation.messages())
    assert got == [
        Message("Zoë", utc(2023, 12, 31, 22, 0, 0, precision=Precision.MILLISECOND),
                "Pay me or I send it to everyone", links=("https://example.invalid/x",)),
        Message("Zoë", utc(2024, 1, 1, 0, 0, 0, precision=Precision.MILLISECOND), "",
                (f"{root}/photos/1.jpg",)),
        Message("Sam", SentAt(datetime(2024, 1, 1, 0, 1, 0, 500000), Precision.MILLISECOND,
                              UTC), "ça 😀"),
    ]
    assert got[2].sent_at.isoformat() == "2024-01-01T00:01:00.500+00:00"


def test_messenger_single_file_says_encrypted_chats_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps(meta_thread([
        {"sender_name": "Sam", "timestamp_ms": 1704067200000, "content": "hi",
         "type": "Generic", "is_unsent": False},
        {"sender_name": "Sam", "timestamp_ms": 1704067100000, "is_unsent": True},
    ], thread_type="Regular")))
    assert detect(path) is Platform.MESSENGER
    conversation = read_chat_export(path).conversations[0]
    assert conversation.platform is Platform.MESSENGER
    assert any("end-to-end encrypted" in note for note in conversation.notes)
    got = list(conversation.messages())
    assert [m.text for m in got] == ["", "hi"]
    assert got[0].is_deleted and not got[1].is_deleted


TELEGRAM_CHAT = {
    "name": "Alex", "type": "personal_chat", "id": 4242,
    "messages": [
        {"id": 1, "type": "service", "date": "2024-01-12T15:05:09",
         "date_unixtime": "1705068309", "actor": "Alex", "actor_id": "user1",
         "action": "phone_call", "text": ""},
        {"id": 2, "type": "message", "date": "2024-01-12T15:06:00",
         "date_unixtime": "1705068360", "from": "Alex", "from_id": "user1",
         "text": ["Pay to ", {"type": "bold", "text": "this card"}, " now ",
                  {"type": "link", "text": "https://pay.invalid"}, " or ",
                  {"type": "text_link", "text": "here", "href": "https://other.invalid/p"}],
         "text_entities": []},
        {"id": 3, "type": "message", "date": "2024-01-12T15:07:00",
         "date_unixtime": "1705068420", "from": "Sam", "from_id": "user2",
         "photo": "photos/photo_1@12-01-2024_15-07-00.jpg", "text": ""},
        {"id": 4, "type": "message", "date": "2024-01-12T15:08:00",
         "date_unixtime": "1705068480", "from": "Alex", "from_id": "user1",
         "file": "(File not included. Change data exporting settings to download.)",
         "media_type": "video_file", "text": "video"},
    ],
}


def test_telegram_one_chat_with_entities(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "export.zip", {"ChatExport_2024-01-13/result.json": TELEGRAM_CHAT})
    assert detect(path) is Platform.TELEGRAM
    conversation = read_chat_export(path).conversations[0]
    assert conversation.title == "Alex"
    assert conversation.participants == ("Alex", "Sam")
    assert any("UTC" in note for note in conversation.notes)
    got = list(conversation.messages())
    assert got == [
        Message(None, utc(2024, 1, 12, 14, 5, 9), "Alex phone call", is_system=True),
        Message("Alex", utc(2024, 1, 12, 14, 6, 0),
                "Pay to this card now https://pay.invalid or here",
                links=("https://other.invalid/p",), sender_id="user1"),
        Message("Sam", utc(2024, 1, 12, 14, 7, 0), "",
                ("ChatExport_2024-01-13/photos/photo_1@12-01-2024_15-07-00.jpg",),
                sender_id="user2"),
        Message("Alex", utc(2024, 1, 12, 14, 8, 0), "video", sender_id="user1"),
    ]


def test_telegram_says_a_forward_and_keeps_a_shared_contact(tmp_path: Path) -> None:
    """A message forwarded had read as the sender's own words (a third person's number as the
    offender's), and a contact shared as an empty message: its phone number was lost."""
    chat = {"name": "Sam", "type": "personal_chat", "id": 5123456789, "messages": [
        {"id": 3, "type": "message", "date": "2025-07-16T21:01:00", "date_unixtime": "1752696060",
         "from": "Sam", "from_id": "user5123456789", "forwarded_from": "Other Guy",
         "text": "my number +44 7911 123456"},
        {"id": 4, "type": "message", "date": "2025-07-16T21:02:00", "date_unixtime": "1752696120",
         "from": "Sam", "from_id": "user5123456789", "text": "",
         "contact_information": {"first_name": "Pay", "last_name": "Guy",
                                 "phone_number": "+447911654321"}}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat), encoding="utf-8")
    forwarded, shared = read_chat_export(path).conversations[0].messages()
    assert forwarded.text == "Forwarded from Other Guy:\nmy number +44 7911 123456"
    assert shared.text == "Shared a contact: Pay Guy, +447911654321"


def test_telegram_full_export_with_several_chats(tmp_path: Path) -> None:
    older = {"name": "Old group", "type": "private_group", "id": 7, "messages": [
        {"id": 1, "type": "message", "date": "2020-05-01T10:00:00", "from": "Kim",
         "from_id": "user9", "text": "no unixtime in older exports"}]}
    full = {"about": "Here is the data you requested.",
            "personal_information": {"user_id": 2, "first_name": "Sam"},
            "chats": {"about": "", "list": [TELEGRAM_CHAT, older]},
            "left_chats": {"about": "", "list": [
                {"name": None, "type": "saved_messages", "id": 2, "messages": []}]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    assert detect(path) is Platform.TELEGRAM
    export = read_chat_export(path)
    assert [c.title for c in export.conversations] == ["Alex", "Old group", "Saved Messages"]
    assert len(list(export.conversations[0].messages())) == 4
    (old,) = export.conversations[1].messages()
    assert old == Message("Kim", SentAt(datetime(2020, 5, 1, 10, 0), Precision.SECOND),
                          "no unixtime in older exports", sender_id="user9")
    assert any("local to the computer" in n for n in export.conversations[1].notes)


def test_discord_package_json_and_csv(tmp_path: Path) -> None:
    csv_text = ("ID,Timestamp,Contents,Attachments\n"
                "2,2021-02-03 12:34:57.125000+00:00,\"second, with comma\",\n"
                "1,2021-02-03 12:34:56+00:00,first,https://cdn.invalid/a.png https://cdn.invalid/b.png\n")
    path = make_zip(tmp_path / "package.zip", {
        "account/user.json": {"id": "5", "username": "sam_k"},
        "messages/index.json": {"111": "Direct Message with alex#0001", "222": None},
        "messages/c111/channel.json": {"id": "111", "type": 1, "recipients": ["5", "9"]},
        "messages/c111/messages.json": [
            {"ID": 11, "Timestamp": "2023-05-01 12:00:00", "Contents": "stop", "Attachments": ""}],
        "messages/c222/channel.json": {"id": "222", "type": 0, "name": "general",
                                       "guild": {"id": "3", "name": "Server"}},
        "messages/c222/messages.csv": csv_text,
    })
    assert detect(path) is Platform.DISCORD
    export = read_chat_export(path)
    first, second = export.conversations
    assert first.title == "Direct Message with alex#0001"
    assert first.participants == ("sam_k", "5", "9")
    assert any("only hold your own messages" in n for n in first.notes)
    assert list(first.messages()) == [
        Message("sam_k", SentAt(datetime(2023, 5, 1, 12, 0), Precision.SECOND), "stop")]
    assert second.title == "Server #general"
    assert list(second.messages()) == [
        Message("sam_k", utc(2021, 2, 3, 12, 34, 57, 125000, precision=Precision.MILLISECOND),
                "second, with comma"),
        Message("sam_k", utc(2021, 2, 3, 12, 34, 56), "first",
                links=("https://cdn.invalid/a.png", "https://cdn.invalid/b.png")),
    ]


def test_discord_csv_alone_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "messages.csv"
    path.write_text("ID,Timestamp,Contents,Attachments\n1,2021-02-03 12:34:56+00:00,hi,\n")
    assert detect(path) is Platform.DISCORD
    assert [m.text for m in read_chat_export(path).conversations[0].messages()] == ["hi"]


def test_snapchat_newer_shape(tmp_path: Path) -> None:
    path = tmp_path / "chat_history.json"
    path.write_text(json.dumps({"alex_snaps": [
        {"From": "alex_snaps", "Media Type": "TEXT", "Created": "2024-01-12 14:05:09 UTC",
         "Content": "send more", "Conversation Title": None, "IsSender": False,
         "Created(microseconds)": 1705068309000, "IsSaved": True, "Media IDs": ""},
        {"From": "sam_k", "Media Type": "MEDIA", "Created": "2024-01-12 14:04:00 UTC",
         "Content": None, "Conversation Title": None, "IsSender": True,
         "Created(microseconds)": 1705068240000, "IsSaved": True, "Media IDs": "b~x"},
    ]}))
    assert detect(path) is Platform.SNAPCHAT
    conversation = read_chat_export(path).conversations[0]
    assert conversation.title == "alex_snaps"
    assert any("saved" in n for n in conversation.notes)
    assert list(conversation.messages()) == [
        Message("You (the account holder)", utc(2024, 1, 12, 14, 4, 0), "", media_omitted=True),
        Message("alex_snaps", utc(2024, 1, 12, 14, 5, 9), "send more"),
    ]


def test_snapchat_older_shape_in_a_zip(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "mydata.zip", {"json/chat_history.json": {
        "Received Saved Chat History": [
            {"From": "alex_snaps", "Media Type": "TEXT", "Created": "2019-02-12 10:00:00 UTC",
             "Text": "hey"}],
        "Sent Saved Chat History": [
            {"To": "alex_snaps", "Media Type": "TEXT", "Created": "2019-02-12 10:01:00 UTC",
             "Text": "who is this"}]}})
    assert detect(path) is Platform.SNAPCHAT
    (conversation,) = read_chat_export(path).conversations
    assert [(m.sender, m.text) for m in conversation.messages()] == [
        ("alex_snaps", "hey"), ("You (the account holder)", "who is this")]


def test_older_messenger_zip_is_told_from_instagram_by_content(tmp_path: Path) -> None:
    thread = meta_thread([{"sender_name": "Sam", "timestamp_ms": 1704067200000,
                           "content": "hi", "type": "Generic"}], thread_type="Regular")
    path = make_zip(tmp_path / "facebook.zip", {
        "messages/inbox/zoe_123/message_1.json": thread,
        "messages/e2ee_cutover/kim_9/message_1.json": thread})
    assert detect(path) is Platform.MESSENGER
    export = read_chat_export(path)
    assert [c.source for c in export.conversations] == ["messages/e2ee_cutover/kim_9",
                                                        "messages/inbox/zoe_123"]
    assert all(c.platform is Platform.MESSENGER for c in export.conversations)


def test_telegram_keeps_the_senders_own_id_in_any_shape(tmp_path: Path) -> None:
    def message(**fields: Any) -> dict[str, Any]:
        return {"id": 1, "type": "message", "date": "2024-01-12T15:06:00", "text": "hi",
                **fields}

    chat = {"name": "Alex", "type": "personal_chat", "id": 1, "messages": [
        message(**{"from": "Alex", "from_id": "user1"}),
        message(**{"from": "Alex", "from_id": 42}),  # a number, not text
        message(**{"from": "Alex", "from_id": True}),  # nonsense: no ID
        message(**{"from": "Alex", "from_id": "u" * 500}),  # cut to a sane length
        message(**{"from": "Alex"}),  # none given
        message(**{"from": None, "from_id": "user7"}),  # a deleted account: named by its ID
        message(**{"from": None}),
    ]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat), encoding="utf-8")
    got = [(m.sender, m.sender_id) for m in read_chat_export(path).conversations[0].messages()]
    assert got == [("Alex", "user1"), ("Alex", "42"), ("Alex", None), ("Alex", "u" * 64),
                   ("Alex", None), ("user7", "user7"), ("Unknown sender", None)]

