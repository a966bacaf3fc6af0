"""Exports built to harm, or broken: a calm ChatExportUnreadable, nothing written, memory
bounded."""

import json
import os
import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from app.core.chats import Platform, detect, read_chat_export
from app.core.chats import container as container_module
from app.errors import ChatExportUnreadable


def test_truncated_json_is_damaged(tmp_path: Path) -> None:
    whole = json.dumps({"name": "Alex", "type": "personal_chat", "id": 1, "messages": [
        {"id": i, "type": "message", "date": "2024-01-12T15:06:00", "from": "Alex",
         "text": "x" * 50} for i in range(100)]})
    path = tmp_path / "result.json"
    path.write_text(whole[: len(whole) // 2])
    assert detect(path) is Platform.TELEGRAM  # its start says so; the whole is checked later
    with pytest.raises(ChatExportUnreadable, match="damaged or incomplete"):
        read_chat_export(path)


def test_truncated_meta_thread_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "message_1.json"
    path.write_text('{"participants": [{"name": "A"}], "messages": [{"sender_name": "A", '
                    '"timestamp_ms": 1704067200000, "content": "hi"}, {"sender_na')
    with pytest.raises(ChatExportUnreadable, match="damaged or incomplete"):
        read_chat_export(path)


def test_random_bytes_are_refused_calmly(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(os.urandom(100_000))
    assert detect(path) is None
    with pytest.raises(ChatExportUnreadable) as caught:
        read_chat_export(path)
    assert caught.value.message == "This file is not a chat export that Safekeep can read."


def test_json_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container_module, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "A", "type": "personal_chat", "id": 1,
                                "messages": [{"date": "2024-01-01T00:00:00"}] * 100}))
    with pytest.raises(ChatExportUnreadable, match="larger than Safekeep reads"):
        read_chat_export(path)


def _symlink_member(name: str, target: str) -> tuple[zipfile.ZipInfo, str]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


def test_zip_members_with_unsafe_names_are_left_out(tmp_path: Path) -> None:
    chat = "13/01/2024, 10:00 - Sam: hi\n13/01/2024, 10:01 - Alex: IMG-1.jpg (file attached)\n"
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../_chat.txt", chat)
        archive.writestr("/etc/_chat.txt", chat)
        archive.writestr("..\\..\\_chat.txt", chat)
        archive.writestr(*_symlink_member("link.txt", "/etc/passwd"))
        archive.writestr("chat/_chat.txt", chat)
    before = sorted(p.name for p in tmp_path.iterdir())
    export = read_chat_export(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing unpacked
    assert export.notes == ("4 files in this ZIP were left out because their names or types "
                            "are unsafe.",)
    conversation = export.conversations[0]
    assert conversation.source == "chat/_chat.txt"
    got = list(conversation.messages())
    assert got[1].attachments == ("chat/IMG-1.jpg",)


def test_zip_holding_only_unsafe_members_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../_chat.txt", "13/01/2024, 10:00 - Sam: hi\n" * 5)
    assert detect(path) is None
    with pytest.raises(ChatExportUnreadable, match="not a chat export"):
        read_chat_export(path)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("_chat.txt", "w") as member:
            member.write(b"13/01/2024, 10:00 - Sam: hi\n")
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(block)
    assert path.stat().st_size < 200_000
    assert detect(path) is None
    with pytest.raises(ChatExportUnreadable, match="unpacks to far more"):
        read_chat_export(path)


def test_damaged_zip_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("_chat.txt", "13/01/2024, 10:00 - Sam: hi\n" * 100)
    broken = tmp_path / "broken.zip"
    data = good.read_bytes()
    broken.write_bytes(data[:60] + b"\0" * 40 + data[100:])
    with pytest.raises(ChatExportUnreadable):
        list(read_chat_export(broken).conversations[0].messages())


def test_a_line_without_end_is_read_in_bounded_pieces(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("13/01/2024, 10:00 - Sam: hi\n13/01/2024, 10:01 - Alex: "
                    + "a" * 3_000_000 + "13/01/2024, 10:02 - Sam: not a header mid-line")
    got = list(read_chat_export(path).conversations[0].messages())
    assert len(got) == 2
    assert len(got[1].text) == 1_000_000  # the rest stays in the original file


@pytest.mark.slow
def test_200_000_line_export_streams_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    with path.open("w", encoding="utf-8") as out:
        out.write("13/01/2024, 10:00 - Messages and calls are end-to-end encrypted.\n")
        for i in range(200_000):
            out.write(f"{i % 28 + 1:02d}/01/2024, 10:{i % 60:02d} - "
                      f"{'Sam' if i % 2 else 'Alex'}: message number {i}\n")
    assert path.stat().st_size > 8_000_000
    tracemalloc.start()
    try:
        conversation = read_chat_export(path).conversations[0]
        count = 0
        last = None
        for message in conversation.messages():
            count += 1
            last = message
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_001
    assert last is not None and last.text == "message number 199999"
    assert conversation.participants == ("Alex", "Sam")
    assert peak < 2_000_000, peak  # a few lines at a time, never the 8 MB file
