"""Telegram Desktop "Export chat history" / "Export Telegram data", machine-readable JSON.

`result.json` is one chat (`name`, `type`, `id`, `messages`) or a whole account
(`personal_information`, `chats.list` [chat...], sometimes `left_chats.list`). A message has
`id`, `type` ("message" or "service"), `date` (local time of the computer that exported it,
"2024-01-12T14:05:09"), `date_unixtime` (seconds, UTC; newer exports), `from`, `from_id`,
`text` (a string, or a list of strings and {type, text} entities) and media as paths relative
to result.json (`photo`, `file`, `thumbnail`), or "(File not included...)" when the export left
it out. Service messages have `actor` and `action`. Shapes checked against tg-parser's
docs/TELEGRAM_FORMAT.md and public parsers of result.json.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from app.core.chats.container import Container, damaged
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.i18n import tr

_MEDIA_KEYS = ("photo", "file")
_MAX_ID = 64  # "user" and a 64-bit number fit many times over; a longer one is not an ID


def looks_like_telegram(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    chats = data.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        return True
    messages = data.get("messages")
    return (isinstance(messages, list) and "type" in data and "id" in data
            and all(isinstance(m, dict) and "date" in m for m in messages[:5]))


def text_of(value: Any) -> str:
    """A message's text: a plain string, or entities (strings and {type, text} objects)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", ""))
                       for p in value if isinstance(p, str | dict))
    return ""


def _when(raw: dict[str, Any]) -> SentAt:
    unix = raw.get("date_unixtime")
    if isinstance(unix, str) and unix.isdigit():
        try:
            utc = datetime(1970, 1, 1) + timedelta(seconds=int(unix))
        except (OverflowError, ValueError) as error:  # a year past 9999, or 4300+ digits
            raise damaged() from error
        return SentAt(utc, Precision.SECOND, timedelta(0))
    date = raw.get("date")
    try:
        return SentAt(datetime.fromisoformat(str(date)), Precision.SECOND)
    except ValueError as error:
        raise damaged() from error


def links_of(value: Any) -> tuple[str, ...]:
    """Addresses behind linked words ({"type": "text_link", "text": "here", "href": ...}):
    the text shows only "here", and the address may be the offender's payment page."""
    if not isinstance(value, list):
        return ()
    return tuple(str(p["href"]) for p in value if isinstance(p, dict) and p.get("href"))


def _media(folder: str, raw: dict[str, Any]) -> tuple[str, ...]:
    found = []
    for key in _MEDIA_KEYS:
        path = raw.get(key)
        if (not isinstance(path, str) or path.startswith(("(", "/")) or "\\" in path
                or ".." in path.split("/") or "://" in path):
            continue  # "(File not included. Change data exporting settings to download.)"
        found.append(path if folder in ("", ".") else f"{folder}/{path}")
    return tuple(found)


def _service_text(raw: dict[str, Any]) -> str:
    parts = [raw.get("actor"), str(raw.get("action", "")).replace("_", " "), raw.get("title")]
    members = raw.get("members")
    if isinstance(members, list):
        parts += [m for m in members if isinstance(m, str)]
    return " ".join(p for p in parts if isinstance(p, str) and p)


def _messages(chat: dict[str, Any], folder: str) -> Iterator[Message]:
    for raw in chat.get("messages", []):
        if not isinstance(raw, dict):
            raise damaged()
        when = _when(raw)
        if raw.get("type") == "service":
            yield Message(None, when, _service_text(raw), is_system=True)
            continue
        sender, from_id = raw.get("from"), raw.get("from_id")
        sender_id = (str(from_id)[:_MAX_ID] if isinstance(from_id, str | int)
                     and not isinstance(from_id, bool) and from_id else None)
        if not isinstance(sender, str):  # a deleted account has "from": null
            sender = sender_id or tr("Unknown sender")
        yield Message(sender, when, _words(raw), _media(folder, raw),
                      links_of(raw.get("text")), sender_id=sender_id)


def _words(raw: dict[str, Any]) -> str:
    """A message's words, with what the export says beside them: who first wrote a message
    forwarded (its words had read as the sender's own, and a third person's number as the
    offender's), and a contact shared (its phone number had been left out: the message read
    as empty, and a money mule's number was lost)."""
    lines = []
    forwarded = raw.get("forwarded_from")
    if isinstance(forwarded, str) and forwarded:
        lines.append(tr("Forwarded from {name}:").format(name=forwarded))
    text = text_of(raw.get("text"))
    if text:
        lines.append(text)
    contact = raw.get("contact_information")
    if isinstance(contact, dict):
        name = " ".join(str(contact[k]) for k in ("first_name", "last_name")
                        if isinstance(contact.get(k), str) and contact[k])
        phone = contact.get("phone_number")
        shared = ", ".join(p for p in (name, phone if isinstance(phone, str) else "") if p)
        if shared:
            lines.append(tr("Shared a contact: {contacts}").format(contacts=shared))
    return "\n".join(lines)


def _chats(data: dict[str, Any]) -> list[dict[str, Any]]:
    if "messages" in data:
        return [data]
    chats: list[dict[str, Any]] = []
    for key in ("chats", "left_chats"):
        holder = data.get(key)
        if isinstance(holder, dict) and isinstance(holder.get("list"), list):
            chats += [c for c in holder["list"] if isinstance(c, dict)]
    return chats


def read_telegram(container: Container, member: str) -> ChatExport:
    data = container.load_json(member)
    if not looks_like_telegram(data):
        raise damaged()
    folder = str(PurePosixPath(member).parent)
    conversations = []
    for chat in _chats(data):
        messages = chat.get("messages")
        if not isinstance(messages, list):
            raise damaged()
        senders = {m.get("from"): None for m in messages
                   if isinstance(m, dict) and isinstance(m.get("from"), str)}
        has_utc = any(isinstance(m, dict) and "date_unixtime" in m for m in messages[:50])
        note = (tr("Times are given in UTC (Telegram's date_unixtime).") if has_utc else
                tr("Times are local to the computer that exported the chat; no time zone is "
                   "stated."))
        name = chat.get("name")
        title = name if isinstance(name, str) and name else (
            tr("Saved Messages") if chat.get("type") == "saved_messages"
            else str(chat.get("id", "")))
        conversations.append(Conversation(
            Platform.TELEGRAM, title, tuple(s for s in senders if isinstance(s, str)),
            (note,), f"{member}#{chat.get('id', '')}",
            partial(_messages, chat, folder)))
    return ChatExport(Platform.TELEGRAM, tuple(conversations))
