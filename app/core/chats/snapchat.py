"""Snapchat "My Data": `json/chat_history.json` (in older downloads `chat_history.json`).

Two shapes are in use. Older: {"Received Saved Chat History": [{From, Media Type, Created,
Text}], "Sent Saved Chat History": [{To, ...}]}. Newer: {"<conversation id or friend>":
[{From, Media Type, Created, Content, Conversation Title, IsSender, IsSaved, Media IDs,
"Created(microseconds)"}]}. `Created` is "2024-01-12 14:05:09 UTC". Only chats that were saved
in the app are in it (others vanish once seen): said plainly. Shapes from public parsers of
the download (raleighlittles/Snapchat-Chats-And-Location-Analyzer, and schema notes).
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from app.core.chats.container import Container, damaged
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.i18n import tr

_OLD_KEYS = ("Received", "Sent")


def looks_like_snapchat(data: Any) -> bool:
    if not isinstance(data, dict) or not data:
        return False
    lists = [v for v in data.values() if isinstance(v, list)]
    if len(lists) != len(data):
        return False
    items = [m for v in lists for m in v[:3]]
    return bool(items) and all(
        isinstance(m, dict) and "Created" in m and ("From" in m or "To" in m) for m in items)


def _when(value: Any) -> SentAt:
    text = str(value)
    if not text.endswith(" UTC"):
        raise damaged()
    try:
        return SentAt(datetime.strptime(text[:-4], "%Y-%m-%d %H:%M:%S"), Precision.SECOND,
                      timedelta(0))
    except ValueError as error:
        raise damaged() from error


def _text(raw: dict[str, Any]) -> str:
    for key in ("Content", "Text"):
        if isinstance(raw.get(key), str):
            return str(raw[key])
    return ""


def _message(raw: Any, holder: str) -> Message:
    if not isinstance(raw, dict):
        raise damaged()
    sender = raw.get("From")
    if raw.get("IsSender") is True or (sender is None and "To" in raw):
        sender = holder
    kind = str(raw.get("Media Type", "TEXT")).upper()
    return Message(str(sender) if sender is not None else None, _when(raw.get("Created")),
                   _text(raw), media_omitted=kind not in ("TEXT", "STATUS", ""))


def _groups(data: dict[str, Any]) -> dict[str, list[Any]]:
    """Conversation title -> its raw messages."""
    groups: dict[str, list[Any]] = {}
    if all(key.startswith(_OLD_KEYS) for key in data):
        for key, items in data.items():
            for raw in items:
                if not isinstance(raw, dict):
                    raise damaged()
                other = raw.get("From") if key.startswith("Received") else raw.get("To")
                groups.setdefault(str(other), []).append(raw)
        return groups
    for key, items in data.items():
        title = next((m.get("Conversation Title") for m in items
                      if isinstance(m, dict) and m.get("Conversation Title")), None)
        groups[str(title or key)] = list(items)
    return groups


def _messages(raws: list[Any], holder: str) -> Iterator[Message]:
    messages = [_message(raw, holder) for raw in raws]
    messages.sort(key=lambda m: m.sent_at.when)
    yield from messages


def read_snapchat(container: Container, member: str) -> ChatExport:
    data = container.load_json(member)
    if not looks_like_snapchat(data):
        raise damaged()
    holder = tr("You (the account holder)")
    notes = (tr("Snapchat downloads hold only chats that were saved in the app; others are "
                "gone once seen."),
             tr("Times are given in UTC in this download."),
             tr("Pictures and videos sent in chats are not in this file."))
    conversations = []
    for title, raws in _groups(data).items():
        senders = {str(r.get("From")): None for r in raws
                   if isinstance(r, dict) and r.get("From") and r.get("IsSender") is not True}
        conversations.append(Conversation(
            Platform.SNAPCHAT, title, (holder, *senders), notes, f"{member}#{title}",
            partial(_messages, raws, holder)))
    return ChatExport(Platform.SNAPCHAT, tuple(conversations))
