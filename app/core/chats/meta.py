"""Instagram and Facebook Messenger "Download your information", in JSON.

Each conversation is a folder `messages/inbox/<thread>/` (also `archived_threads`,
`message_requests`, `filtered_threads`; newer downloads put it under
`your_instagram_activity/`, `your_facebook_activity/` or
`your_activity_across_facebook/`) with `message_1.json`,
`message_2.json`... each holding `participants` [{name}], `messages` [{sender_name,
timestamp_ms, content, photos/videos/audio_files/files/gifs [{uri}], share {link}}] newest
first, and `title`. Meta writes every text as UTF-8 bytes each escaped as its own character
(the mojibake "Ã©" for "é", stackoverflow.com/questions/50008296, sorashi.github.io's
"fix-facebook-json-archive-encoding"): `repair()` undoes it.
"""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from app.core.chats.container import Container, damaged
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.i18n import tr

MESSAGE_FILE = re.compile(r"(?:^|/)messages/[a-z0-9_]+/[^/]+/message_\d+\.json$")
_MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs")


def repair(text: str) -> str:
    """Undo Meta's mojibake: characters that are really UTF-8 bytes. Text that is not
    mojibake (already right, or with characters beyond Latin-1) is left as it is."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def looks_like_meta(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    messages = data.get("messages")
    if not isinstance(data.get("participants"), list) or not isinstance(messages, list):
        return False
    return all(isinstance(m, dict) and "timestamp_ms" in m for m in messages[:5])


def which_platform(member: str, has_thread_type: bool) -> Platform:
    """Instagram or Messenger: the folder names say it in newer downloads; older ones differ
    in a few keys only (Messenger's threads have `thread_type`)."""
    if "your_instagram_activity/" in member:
        return Platform.INSTAGRAM
    if ("your_facebook_activity/" in member or "your_activity_across_facebook/" in member
            or has_thread_type):
        return Platform.MESSENGER
    return Platform.INSTAGRAM


def where(container: Container, member: str) -> str:
    """The path whose folders say which app: a member of a ZIP, or where a lone
    `message_1.json` was when added (a download unzipped and its folder added: by its name
    alone, Messenger's had been taken for Instagram's, in the bundle too)."""
    return member if container.is_archive else container.place


def _when(value: Any) -> SentAt:
    if not isinstance(value, int) or isinstance(value, bool):
        raise damaged()
    try:
        utc = datetime(1970, 1, 1) + timedelta(milliseconds=value)  # naive, UTC as stated
    except OverflowError as error:
        raise damaged() from error
    return SentAt(utc, Precision.MILLISECOND, timedelta(0))


def member_path(container: Container, member: str, uri: str) -> str | None:
    """A `uri` of the download (from the JSON, or a link in the HTML) as a member of this
    export, or None when unsafe or not a path. Meta names files from the download's top."""
    if "://" in uri or uri.startswith("/") or "\\" in uri or ".." in uri.split("/"):
        return None
    first = uri.split("/", 1)[0] + "/"
    at = member.find(first)
    root = member[:at] if at > 0 and member[at - 1] == "/" else ""
    return root + uri


def _message(container: Container, member: str, raw: Any) -> Message:
    if not isinstance(raw, dict):
        raise damaged()
    attachments: list[str] = []
    links: list[str] = []
    for key in _MEDIA_KEYS:
        items = raw.get(key)
        for item in items if isinstance(items, list) else []:
            uri = item.get("uri") if isinstance(item, dict) else None
            if isinstance(uri, str):
                path = member_path(container, member, uri)
                if path:
                    attachments.append(path)
                else:
                    links.append(uri)
    share = raw.get("share")
    if isinstance(share, dict) and isinstance(share.get("link"), str):
        links.append(share["link"])
    content = raw.get("content")
    sender = raw.get("sender_name")
    return Message(repair(sender) if isinstance(sender, str) else None,
                   _when(raw.get("timestamp_ms")),
                   repair(content) if isinstance(content, str) else "",
                   tuple(attachments), tuple(links),
                   is_deleted=bool(raw.get("is_unsent")))


def _thread_messages(container: Container, members: tuple[str, ...]) -> Iterator[Message]:
    collected: list[Message] = []
    for member in members:
        data = container.load_json(member)
        if not looks_like_meta(data):
            raise damaged()
        collected += [_message(container, member, raw) for raw in data["messages"]]
    # Each file lists newest first, and message_1 holds the newest: sort once, oldest first.
    collected.sort(key=lambda m: m.sent_at.when)
    yield from collected


def _file_number(member: str) -> int:
    digits = re.search(r"(\d+)$", PurePosixPath(member).stem)
    return int(digits.group(1)) if digits else 0


def read_meta(container: Container, members: list[str]) -> ChatExport:
    threads: dict[str, list[str]] = {}
    for member in members:
        threads.setdefault(str(PurePosixPath(member).parent), []).append(member)
    conversations = []
    platforms = []
    for folder, files in sorted(threads.items()):
        files.sort(key=_file_number)
        first = container.load_json(files[0])
        if not looks_like_meta(first):
            raise damaged()
        platform = which_platform(where(container, files[0]), "thread_type" in first)
        platforms.append(platform)
        people = tuple(repair(p["name"]) for p in first["participants"]
                       if isinstance(p, dict) and isinstance(p.get("name"), str))
        title = first.get("title")
        notes = [tr("Times are given in UTC in this download (to the millisecond).")]
        if platform is Platform.MESSENGER:
            notes.append(tr("This Messenger download has no end-to-end encrypted chats; "
                            "they need a separate download."))
        frozen = tuple(files)
        conversations.append(Conversation(
            platform, repair(title) if isinstance(title, str) and title else
            PurePosixPath(folder).name, people, tuple(notes), folder,
            partial(_thread_messages, container, frozen)))
    platform = Platform.MESSENGER if Platform.MESSENGER in platforms else Platform.INSTAGRAM
    return ChatExport(platform, tuple(conversations))
