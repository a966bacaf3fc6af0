"""Skype's data download ("Export files and chat history"), machine-readable JSON.

Skype closed on 5 May 2025, and its export page in January 2026, but downloads made before
then are still on people's computers. The download is a TAR file holding `messages.json`
and, when files were asked for as well, a `media` folder (each file named by its object id,
`0-weu-d3-....1.jpg`, with a small `.json` beside it). messages.json:

    {"userId": "8:live:...", "exportDate": "...", "conversations": [
      {"id": "8:live:..." (a person) or "19:...@thread.skype" (a group), "displayName",
       "threadProperties": {"topic", "members"} or null, "MessageList": [
         {"id", "displayName", "originalarrivaltime": "2020-05-20T18:45:12.345Z",
          "messagetype": "RichText", "content": markup (skype_markup.py),
          "conversationid", "from": "8:live:...", "properties": {"edittime",
          "deletetime"...} or null, "amsreferences": ["0-weu-d3-..."] or null}]}]}

An account is named by its type and ID: "8:" a Skype account (the rest is its Skype ID,
"live:..." or an older name), "4:" a phone number, "28:" a bot. Messages are listed newest
first; they are put in time order. Shapes checked against public readers of the download
(Skyperious, skype-export-parser) and the types they declare.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from app.core.chats.container import Container, damaged
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.core.chats.skype_markup import SkypeContent, read_content
from app.i18n import tr

_MAX_ID = 128  # "live:.cid." and 16 hex digits fit many times over
# Kinds of message that carry a file, a picture, a video or a voice message.
_FILE_KINDS = ("RichText/UriObject", "RichText/Media_")
# Skype's own notices, not written by anyone: left out.
_SKIPPED = ("Notice", "PopCard", "InviteFreeRelationshipChanged", "Event/BingBot",
            "ThreadActivity/HistoryDisclosedUpdate", "ThreadActivity/JoiningEnabledUpdate",
            "ThreadActivity/E2EE")
# Not read at all: Skype's notices, and private conversations' messages (encrypted).
_LEFT_OUT = (*_SKIPPED, "EndToEndEncryption")


def looks_like_skype(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("conversations"), list)
            and "userId" in data)


def account(raw: Any) -> str:
    """The account an MRI names, as people and police write it: "8:live:abc" is the Skype ID
    "live:abc", "4:+447700900123" the number. Others (bots, groups) stay whole."""
    text = str(raw or "")
    if "/contacts/" in text:  # some exports give the address of the contact
        text = text.rsplit("/contacts/", 1)[1]
    for prefix in ("8:", "4:"):
        if text.startswith(prefix):
            return text[len(prefix):][:_MAX_ID]
    return text[:_MAX_ID]


def _when(value: Any) -> SentAt:
    try:
        moment = datetime.fromisoformat(str(value))
        precision = Precision.MILLISECOND if "." in str(value) else Precision.SECOND
        if moment.tzinfo is None:  # no zone written: kept as written
            return SentAt(moment, precision)
        return SentAt(moment.astimezone(UTC).replace(tzinfo=None), precision, timedelta(0))
    except (ValueError, OverflowError) as error:  # OverflowError: year 1 moved to UTC
        raise damaged() from error


def _media_index(container: Container) -> dict[str, list[str]]:
    """Files in the download's media folder by object id ("0-weu-d3-abc" ->
    ["media/0-weu-d3-abc.1.jpg"]); their `.json` descriptions are not files that were sent."""
    index: dict[str, list[str]] = {}
    for member in container.members:
        path = PurePosixPath(member)
        if path.parent.name == "media" and path.suffix.lower() != ".json":
            index.setdefault(path.name.split(".", 1)[0], []).append(member)
    return index


def _duration(seconds: float) -> str:
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if minutes:
        return tr("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return tr("{seconds} s").format(seconds=rest)


def _call_line(content: SkypeContent, name: str) -> str:
    if content.call == "started":
        return tr("{name} started a call").format(name=name)
    if content.call == "missed":
        return tr("Missed call from {name}").format(name=name)
    if content.call_seconds is not None:
        return tr("Call ended after {time}").format(time=_duration(content.call_seconds))
    if content.call == "ended":
        return tr("Call ended")
    return tr("Call ({kind})").format(kind=content.call) if content.call else tr("Call")


class _Chat:
    """One conversation's facts needed to read its messages."""

    def __init__(self, raw: dict[str, Any], holder: str, media: dict[str, list[str]]) -> None:
        self.raw = raw
        self.holder = holder
        self.media = media
        self.partner = raw.get("id") if str(raw.get("id", "")).startswith(("8:", "4:")) \
            else None
        name = raw.get("displayName")
        self.partner_name = name if isinstance(name, str) and name else None

    def sender(self, raw: dict[str, Any]) -> tuple[str, str | None]:
        """(name, account) of who sent a message; the account holder is named as such."""
        sender = raw.get("from")
        if self.holder and account(sender) == account(self.holder):
            return tr("You (the account holder)"), None
        ident = account(sender)
        name = raw.get("displayName")
        if not (isinstance(name, str) and name.strip()):
            name = self.partner_name if self.partner and ident == account(self.partner) else None
        return (name or ident or tr("Unknown sender")), (ident or None)

    def message(self, raw: Any) -> Message | None:
        if not isinstance(raw, dict):
            raise damaged()
        kind = str(raw.get("messagetype") or "")
        if kind.startswith(_LEFT_OUT):
            return None  # before its time is read: a notice's time matters to nobody
        when = _when(raw.get("originalarrivaltime"))
        name, ident = self.sender(raw)
        markup = raw.get("content")
        content = read_content(markup if isinstance(markup, str) else "")
        properties = raw.get("properties")
        deleted = isinstance(properties, dict) and bool(properties.get("deletetime"))
        if kind == "Event/Call":
            return Message(None, when, _call_line(content, name), is_system=True)
        if kind.startswith("ThreadActivity/"):
            return Message(None, when, self._activity(kind, raw), is_system=True)
        text = content.text
        if content.contacts:
            shared = ", ".join(f"{n} ({s})" if n and s else n or s for s, n in content.contacts)
            text = tr("Shared a contact: {contacts}").format(contacts=shared)
        attachments: tuple[str, ...] = ()
        omitted = False
        if kind.startswith(_FILE_KINDS):
            text = ", ".join(content.file_names) or text
            attachments = self._files(raw, content)
            omitted = not attachments and not deleted
        return Message(name, when, "" if deleted else text, attachments,
                       tuple(content.links), is_deleted=deleted, media_omitted=omitted,
                       sender_id=ident)

    def _files(self, raw: dict[str, Any], content: SkypeContent) -> tuple[str, ...]:
        references = raw.get("amsreferences")
        ids = [r for r in references if isinstance(r, str)] if isinstance(references, list) \
            else []
        found: list[str] = []
        for object_id in [*ids, *content.object_ids]:
            found += [m for m in self.media.get(object_id, []) if m not in found]
        return tuple(found)

    def _activity(self, kind: str, raw: dict[str, Any]) -> str:
        """A change to a group, in words ("Anna added live:abc")."""
        markup = raw.get("content")
        text = markup if isinstance(markup, str) else ""
        fields = {tag: _between(text, tag) for tag in ("initiator", "target", "value")}
        who, whom = (tr("You (the account holder)") if self.holder and account(
            fields[tag]) == account(self.holder) else account(fields[tag])
            for tag in ("initiator", "target"))
        if kind.endswith("AddMember"):
            return tr("{who} added {whom}").format(who=who, whom=whom)
        if kind.endswith("DeleteMember"):
            return tr("{who} left").format(who=whom) if who == whom else \
                tr("{who} removed {whom}").format(who=who, whom=whom)
        if kind.endswith("TopicUpdate"):
            return tr("{who} named the group {name}").format(who=who, name=fields["value"])
        return tr("{who} changed the group").format(who=who) if who else kind

    def messages(self) -> Iterator[Message]:
        listed = self.raw.get("MessageList")
        if not isinstance(listed, list):
            raise damaged()
        made = [m for m in (self.message(raw) for raw in listed) if m is not None]
        # Newest first in the download: in time order here (a stable sort keeps the order of
        # messages sent in the same millisecond).
        made.reverse()
        made.sort(key=lambda m: m.sent_at.when)
        yield from made


def _between(text: str, tag: str) -> str:
    start = text.find(f"<{tag}>")
    end = text.find(f"</{tag}>", start + 1)
    if start < 0 or end < 0:
        return ""
    return read_content(text[start + len(tag) + 2:end]).text


def _title(raw: dict[str, Any]) -> str:
    thread = raw.get("threadProperties")
    topic = thread.get("topic") if isinstance(thread, dict) else None
    name = raw.get("displayName")
    for choice in (name, topic):
        if isinstance(choice, str) and choice.strip():
            return choice
    return account(raw.get("id")) or tr("Skype conversation")


def read_skype(container: Container, member: str) -> ChatExport:
    data = container.load_json(member)
    if not looks_like_skype(data):
        raise damaged()
    holder = str(data.get("userId") or "")
    media = _media_index(container)
    conversations = []
    for position, raw in enumerate(data["conversations"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("MessageList"), list):
            raise damaged()
        if not raw["MessageList"]:
            continue  # a contact never written to
        chat = _Chat(raw, holder, media)
        senders = {chat.sender(m)[0]: None for m in raw["MessageList"]
                   if isinstance(m, dict) and not str(m.get("messagetype", "")).startswith(
                       ("Event/", "ThreadActivity/", *_LEFT_OUT))}
        notes = [tr("Times are given in UTC (Skype's originalarrivaltime).")]
        if not media and any(str(m.get("messagetype", "")).startswith(_FILE_KINDS)
                             for m in raw["MessageList"] if isinstance(m, dict)):
            notes.append(tr("Pictures and files sent in this chat are not in this download: "
                            "Skype's export held them only when files were chosen as well."))
        if any(str(m.get("messagetype", "")).startswith("EndToEndEncryption")
               for m in raw["MessageList"] if isinstance(m, dict)):
            notes.append(tr("Skype's private (end-to-end encrypted) conversations are not "
                            "readable in the download; their messages are left out."))
        conversations.append(Conversation(
            Platform.SKYPE, _title(raw), tuple(senders), tuple(notes),
            f"{member}#{position}", chat.messages, me=tr("You (the account holder)")
            if tr("You (the account holder)") in senders else None))
    return ChatExport(Platform.SKYPE, tuple(conversations))
