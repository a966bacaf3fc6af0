"""Skype's data download, written in its own shape (tests/chats/skype_download.py): read from
its TAR file as it is, or from messages.json alone; each message's sender, time and text
exactly; hostile TAR files left calmly."""

import io
import json
import tarfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.chats import Container, Message, Platform, Precision, SentAt, detect
from app.core.chats import read_chat_export as read
from app.core.chats.skype import account
from app.core.chats.skype_markup import _Reader, read_content
from app.core.chats.tar_members import looks_like_tar
from app.core.chats.window import Window
from app.errors import ChatExportUnreadable
from tests.chats.skype_download import (
    HOLDER,
    PHOTO,
    PHOTO_ID,
    download,
    message,
    tar_bytes,
    write_download,
)

YOU = "You (the account holder)"
OFFENDER_ID = "live:.cid.bbbb2222"


def utc(*parts: int, precision: Precision = Precision.MILLISECOND) -> SentAt:
    return SentAt(datetime(*parts), precision, timedelta(0))  # type: ignore[arg-type]


def test_the_download_is_read_in_time_order_with_its_files(tmp_path: Path) -> None:
    path = write_download(tmp_path)
    assert detect(path) is Platform.SKYPE
    export = read(path)
    assert export.platform is Platform.SKYPE
    chat, group = export.conversations  # the contact never written to is left out
    assert (chat.title, chat.participants, chat.me) == ("Anna Smith", ("Anna Smith", YOU), YOU)
    assert chat.notes == ("Times are given in UTC (Skype's originalarrivaltime).",)
    assert list(chat.messages()) == [
        Message(YOU, utc(2024, 3, 2, 20, 59), "hi"),
        Message(YOU, utc(2024, 3, 2, 20, 59, 30), "> Anna Smith: video?\nok, Tom & me"),
        Message(None, utc(2024, 3, 2, 21, 0), "Anna Smith started a call", is_system=True),
        Message(None, utc(2024, 3, 2, 21, 2), "Call ended after 2 min 5 s", is_system=True),
        Message("Anna Smith", utc(2024, 3, 2, 21, 4),
                "Pay £500 to paypal.me/annasm or I send the video :)",
                links=("https://paypal.me/annasm",), sender_id=OFFENDER_ID),
        Message("Anna Smith", utc(2024, 3, 2, 21, 4, 30), "", is_deleted=True,
                sender_id=OFFENDER_ID),
        Message("Anna Smith", utc(2024, 3, 2, 21, 5, 9, 123000), "you.jpg",
                (f"media/{PHOTO_ID}.1.jpg",), sender_id=OFFENDER_ID),
    ]
    assert group.title == "Deal" and group.me is None
    assert list(group.messages()) == [
        Message("Anna Smith", utc(2024, 3, 3, 8, 59, precision=Precision.SECOND),
                "Shared a contact: Mark (live:.cid.cccc3333)", sender_id=OFFENDER_ID),
        Message(None, utc(2024, 3, 3, 9, 0, precision=Precision.SECOND),
                f"{OFFENDER_ID} added {YOU}", is_system=True),
        Message("Concierge", utc(2024, 3, 3, 9, 1, precision=Precision.SECOND), "I am a bot",
                sender_id="28:concierge"),
        Message("+447911123456", utc(2024, 3, 3, 9, 2, precision=Precision.SECOND),
                "send it now", sender_id="+447911123456"),
    ]
    container = Container.open(path)
    with container.binary(f"media/{PHOTO_ID}.1.jpg") as stream:
        assert stream.read() == PHOTO


def test_messages_json_on_its_own_is_read_and_says_its_files_are_missing(
        tmp_path: Path) -> None:
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(download()), encoding="utf-8")
    assert detect(path) is Platform.SKYPE
    chat = read(path).conversations[0]
    picture = list(chat.messages())[-1]
    assert (picture.attachments, picture.media_omitted) == ((), True)
    assert any("not in this download" in note for note in chat.notes)
    no_media = read(write_download(tmp_path, media=False)).conversations[0]
    assert list(no_media.messages())[-1].media_omitted


def test_private_conversations_and_odd_senders(tmp_path: Path) -> None:
    chat = [message("2024-03-02T21:00:00.000Z", "8:live:.cid.eeee5555",
                    "EndToEndEncryption/EncryptedText", "AAECAwQ="),
            message("not a time", "8:concierge", "Notice", "left out, time and all"),
            message("2024-03-02T21:03:00Z", "8:live:.cid.bbbb2222", "Event/Call",
                    '<partlist type="declined"></partlist>'),
            message("2024-03-02T21:04:00Z", "8:live:.cid.bbbb2222", "Event/Call", "?"),
            message("2024-03-02T21:01:00.000+01:00", "https://client-s.gateway.messenger."
                    "live.com/v1/users/ME/contacts/8:old.style.name", "Text", "a < b"),
            message("2024-03-02T21:02:00", "8:live:.cid.bbbb2222", "Poll", "<b>Yes</b>")]
    (conversation, _) = read(write_download(tmp_path, download(chat))).conversations
    assert any("private" in note for note in conversation.notes)
    assert "live:.cid.eeee5555" not in conversation.participants
    assert list(conversation.messages())[2:] == [
        Message(None, utc(2024, 3, 2, 21, 3, precision=Precision.SECOND), "Call (declined)",
                is_system=True),
        Message(None, utc(2024, 3, 2, 21, 4, precision=Precision.SECOND), "Call",
                is_system=True)]
    assert list(conversation.messages())[:2] == [
        Message("old.style.name", utc(2024, 3, 2, 20, 1), "a < b",
                sender_id="old.style.name"),
        Message("Anna Smith", SentAt(datetime(2024, 3, 2, 21, 2), Precision.SECOND), "Yes",
                sender_id=OFFENDER_ID)]  # no zone written: none is invented


def test_without_a_holder_named_nobody_is_taken_for_them(tmp_path: Path) -> None:
    data = download([message("2024-03-02T21:00:00Z", None, "Text", "who?")])
    data["userId"] = ""
    (chat, _) = read(write_download(tmp_path, data)).conversations
    assert chat.me is None
    assert [(m.sender, m.sender_id) for m in chat.messages()] == [("Unknown sender", None)]


def test_a_group_message_without_a_sender_is_not_named_after_the_group(
        tmp_path: Path) -> None:
    group = [message("2024-03-03T09:00:00Z", None, "Text", "x"),
             message("2024-03-03T09:01:00Z", "https://x/v1/users/ME/contacts/8:live:.cid."
                     "bbbb2222", "Text", "y")]
    data = download(group=group)
    data["conversations"][2]["displayName"] = "Deal"
    (_, chat) = read(write_download(tmp_path, data)).conversations
    assert [m.sender for m in chat.messages()] == ["Unknown sender", "live:.cid.bbbb2222"]
    one = download([message("2024-03-03T09:00:00Z", "https://x/v1/users/ME/contacts/8:live:"
                            ".cid.bbbb2222", "Text", "z")])
    (first, _) = read(write_download(tmp_path, one)).conversations
    assert [m.sender for m in first.messages()] == ["Anna Smith"]  # the contact, by address


def test_accounts_are_written_as_people_know_them() -> None:
    assert account("8:live:.cid.bbbb2222") == "live:.cid.bbbb2222"
    assert account("8:old.style.name") == "old.style.name"
    assert account("4:+447911123456") == "+447911123456"
    assert account("28:concierge") == "28:concierge"
    assert account(None) == ""
    assert len(account("8:" + "x" * 5000)) == 128


@pytest.mark.parametrize("bad", [
    {"userId": HOLDER, "conversations": [{"id": "x", "MessageList": "nope"}]},
    {"userId": HOLDER, "conversations": [{"id": "x", "MessageList": [
        message("yesterday", HOLDER, "Text", "hi")]}]},
    {"userId": HOLDER, "conversations": [{"id": "x", "MessageList": [42]}]},
    {"userId": HOLDER, "conversations": [{"id": "x", "MessageList": [
        message("0001-01-01T00:30:00+01:00", HOLDER, "Text", "hi")]}]},
])
def test_a_broken_download_is_damaged_calmly(tmp_path: Path, bad: dict[str, object]) -> None:
    path = write_download(tmp_path, bad)  # type: ignore[arg-type]
    with pytest.raises(ChatExportUnreadable):
        for chat in read(path).conversations:
            list(chat.messages())


def test_unsafe_tar_members_are_left_out_and_counted(tmp_path: Path) -> None:
    members = [("messages.json", json.dumps(download()).encode()),
               ("../outside.jpg", b"x"), ("/etc/passwd", b"x"), ("C:\\evil.jpg", b"x"),
               ("media/./a.jpg", b"x"), ("media/link.jpg", b""), ("media/hard.jpg", b""),
               ("media/device", b""), (f"./media/{PHOTO_ID}.1.jpg", PHOTO)]
    path = tmp_path / "export.tar"
    path.write_bytes(tar_bytes(members, kinds={"media/link.jpg": tarfile.SYMTYPE,
                                               "media/hard.jpg": tarfile.LNKTYPE,
                                               "media/device": tarfile.CHRTYPE}))
    container = Container.open(path)
    assert container.members == ("messages.json", f"media/{PHOTO_ID}.1.jpg")
    assert container.ignored == 7
    with pytest.raises(KeyError):
        with container.binary("../outside.jpg"):
            pass
    export = read(path)
    assert "7 files in this TAR file were left out because their names or types are " \
           "unsafe." in export.notes
    picture = list(export.conversations[0].messages())[-1]
    assert picture.attachments == (f"media/{PHOTO_ID}.1.jpg",)


def test_a_tar_cut_short_keeps_what_is_whole(tmp_path: Path) -> None:
    whole = write_download(tmp_path).read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole[:whole.index(PHOTO) + 5])  # inside the picture's bytes
    export = read(cut)
    assert "1 file at the end of this TAR file is cut short (a download cut short?) and " \
           "was left out." in export.notes
    assert list(export.conversations[0].messages())[-1].media_omitted
    early = tmp_path / "early.tar"
    early.write_bytes(whole[:700])  # inside messages.json
    assert detect(early) is None
    with pytest.raises(ChatExportUnreadable):
        read(early)


def test_other_files_are_not_taken_for_tar_files(tmp_path: Path) -> None:
    for data in (b"", b"\0" * 512, b"ustar" * 200, bytes(range(256)) * 4):
        assert not looks_like_tar(io.BytesIO(data))
    bogus = bytearray(tar_bytes([("messages.json", b"{}")]))
    bogus[148:156] = b"0000000\0"  # a header whose checksum is wrong
    assert not looks_like_tar(io.BytesIO(bytes(bogus)))
    other = tmp_path / "notes.tar"
    other.write_bytes(tar_bytes([("notes.txt", b"just notes")]))
    assert detect(other) is None
    with pytest.raises(ChatExportUnreadable):
        read(other)


def test_a_window_reads_only_its_own_bytes() -> None:
    archive = io.BytesIO(b"before" + b"inside" + b"after")
    window = Window(archive, 6, 6)
    assert window.read() == b"inside"
    assert window.seek(100) == 6 and window.read() == b""
    assert window.seek(-3, io.SEEK_END) == 3 and window.read(10) == b"ide"
    window.seek(0)
    assert io.BufferedReader(window).read() == b"inside"
    assert archive.closed
    caller = io.BytesIO(b"whole file")
    borrowed = Window(caller, 0, 5, owns_handle=False)  # the caller's reader, left open
    assert borrowed.read() == b"whole"
    borrowed.close()
    del borrowed
    assert not caller.closed and caller.read() == b" file"


def test_a_whatsapp_chat_in_a_tar_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "chat.tar"
    path.write_bytes(tar_bytes([("WhatsApp Chat with Sam/_chat.txt",
                                 b"13/01/2024, 14:05 - Sam: hi\n13/01/2024, 14:06 - Alex: pay"
                                 b"\n")]))
    assert detect(path) is Platform.WHATSAPP
    assert [m.text for m in read(path).conversations[0].messages()] == ["hi", "pay"]


_MARKUP_PIECES = [
    *"<>/=\"'& abc:;#x01\n", "<quote>", "</quote>", "<legacyquote>", "</legacyquote>",
    "<e_m/>", "<a href=\"",
    "https://x", "<URIObject doc_id=\"0-a\">", "</URIObject>", "<duration>", "&#x", "&#0;",
    "<partlist type=\"ended\">", "<c s=\"live:a\" f=\"A\"/>", "\u202e", "\0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=60))
def test_any_markup_is_read_without_failing(pieces: list[str]) -> None:
    found = read_content("".join(pieces))
    assert isinstance(found.text, str) and found.text == found.text.strip()
    assert found.call_seconds is None or 0 <= found.call_seconds < 1e7


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2047), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_tar_with_damaged_bytes_is_read_or_refused_calmly(
        tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[int, int]]) -> None:
    data = bytearray(tar_bytes([("messages.json", json.dumps(download()).encode()),
                                (f"media/{PHOTO_ID}.1.jpg", PHOTO)]))
    for place, value in changes:
        data[place] = value
    path = tmp_path_factory.mktemp("damaged") / "export.tar"
    path.write_bytes(bytes(data))
    assert detect(path) in (Platform.SKYPE, None)
    try:
        for chat in read(path).conversations:
            list(chat.messages())
    except ChatExportUnreadable:
        pass  # one calm sentence, as for any damaged export


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"&;#xabc01 \r\n\u202e\0", "&amp;", "&lt;", "&apos;",
                                 "&#x1F600;", "&#0;", "&nosuch;", "&pound"]), max_size=40))
def test_words_without_markup_read_as_the_parser_reads_them(pieces: list[str]) -> None:
    words = "".join(pieces)
    reader = _Reader()
    reader.feed(words)
    reader.close()
    assert read_content(words).text == reader.result().text
