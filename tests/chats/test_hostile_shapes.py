"""Every field of every JSON format given a wrong type or an absurd value: the export reads,
or ChatExportUnreadable says it cannot; never another exception."""

import json
from pathlib import Path
from typing import Any

import pytest

from app.core.chats import read_chat_export
from app.errors import ChatExportUnreadable

HOSTILE: list[Any] = [None, True, -1, 10**30, 1e308, "", "x" * 10_000, [], {}, [None],
                      {"text": 5}, "../../etc/passwd", "9" * 5000]

TEMPLATES: dict[str, tuple[dict[str, Any] | list[Any], dict[str, Any]]] = {}


def _meta(message: dict[str, Any]) -> dict[str, Any]:
    return {"participants": [{"name": "A"}], "messages": [message], "title": "A"}


def _telegram(message: dict[str, Any]) -> dict[str, Any]:
    return {"name": "A", "type": "personal_chat", "id": 1, "messages": [message]}


def _snapchat(message: dict[str, Any]) -> dict[str, Any]:
    return {"a": [message]}


def _discord(message: dict[str, Any]) -> list[Any]:
    return [message]


CASES = [
    ("message_1.json", _meta, {"sender_name": "A", "timestamp_ms": 1704067200000,
                               "content": "hi", "photos": [{"uri": "photos/1.jpg"}],
                               "share": {"link": "x"}, "is_unsent": False}),
    ("result.json", _telegram, {"id": 1, "type": "message", "date": "2024-01-12T15:06:00",
                                "date_unixtime": "1705068360", "from": "A", "from_id": "u1",
                                "text": ["a", {"type": "bold", "text": "b"}],
                                "photo": "photos/p.jpg", "file": "files/f.pdf"}),
    ("result.json", _telegram, {"id": 2, "type": "service", "date": "2024-01-12T15:06:00",
                                "actor": "A", "action": "invite_members", "members": ["B"]}),
    ("chat_history.json", _snapchat, {"From": "a", "Media Type": "TEXT",
                                      "Created": "2024-01-12 14:05:09 UTC", "Content": "hi",
                                      "IsSender": False, "Conversation Title": None}),
    ("messages.json", _discord, {"ID": 1, "Timestamp": "2023-05-01 12:00:00",
                                 "Contents": "hi", "Attachments": "https://x.invalid/a"}),
]


@pytest.mark.parametrize(("name", "wrap", "message"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_wrong_types_and_absurd_values(tmp_path: Path, name: str, wrap: Any,
                                       message: dict[str, Any]) -> None:
    path = tmp_path / name
    tried = 0
    for key in message:
        for value in HOSTILE:
            path.write_text(json.dumps(wrap({**message, key: value})), encoding="utf-8")
            try:
                for conversation in read_chat_export(path).conversations:
                    for got in conversation.messages():
                        assert isinstance(got.text, str)
                        assert all(".." not in a.split("/") for a in got.attachments)
            except ChatExportUnreadable as error:
                assert error.message and "\n" not in error.message
            tried += 1
    assert tried == len(message) * len(HOSTILE)
