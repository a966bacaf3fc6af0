"""Discord's data package ("Request all of my Data").

`messages/index.json` maps channel ids to names ("Direct Message with bob"); each channel is a
folder `messages/c<id>/` (older packages: `messages/<id>/`; newer: `Messages/`) with
`channel.json` ({id, type, name?, guild?, recipients?}) and `messages.json` (a list of {ID,
Timestamp, Contents, Attachments}) or, in older packages, `messages.csv` with the same columns.
Only the account holder's own messages are in it, and attachments are web addresses
(space-separated), not files: both are said plainly. `account/user.json` names the holder.
"""

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from app.core.chats.container import Container, damaged
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.errors import ChatExportUnreadable
from app.i18n import tr

MESSAGE_FILE = re.compile(r"(?:^|/)messages/c?\d+/messages\.(?:json|csv)$", re.IGNORECASE)
CSV_HEADER = ["ID", "Timestamp", "Contents", "Attachments"]


def looks_like_discord_json(data: Any) -> bool:
    return (isinstance(data, list) and bool(data)
            and all(isinstance(m, dict) and {"ID", "Timestamp", "Contents"} <= m.keys()
                    for m in data[:5]))


def looks_like_discord_csv(head: str) -> bool:
    return head.lstrip("\ufeff").split("\n", 1)[0].strip().split(",") == CSV_HEADER


def _when(value: Any) -> SentAt:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise damaged() from error
    precision = Precision.MILLISECOND if moment.microsecond else Precision.SECOND
    return SentAt(moment.replace(tzinfo=None), precision, moment.utcoffset())


def _message(sender: str, stamp: Any, contents: Any, attachments: Any) -> Message:
    links = tuple(str(attachments).split()) if attachments else ()
    return Message(sender, _when(stamp), str(contents or ""), links=links)


def _rows(container: Container, member: str, sender: str) -> Iterator[Message]:
    if member.lower().endswith(".json"):
        data = container.load_json(member)
        if not looks_like_discord_json(data) and data != []:
            raise damaged()
        for raw in data:  # in the package's own order (newest first), as the CSV below
            if not isinstance(raw, dict):
                raise damaged()
            yield _message(sender, raw.get("Timestamp"), raw.get("Contents"),
                           raw.get("Attachments"))
        return
    with container.text(member) as stream:
        try:
            rows = csv.reader(stream)
            if next(rows, None) != CSV_HEADER:
                raise damaged()
            # Streamed, so given in the package's order (newest first); callers sort.
            for row in rows:
                if len(row) != len(CSV_HEADER):
                    raise damaged()
                yield _message(sender, row[1], row[2], row[3])
        except csv.Error as error:
            raise damaged() from error


def _json_or_none(container: Container, member: str | None) -> Any:
    if member is None:
        return None
    try:
        return container.load_json(member)
    except (ChatExportUnreadable, KeyError):  # a damaged side file costs only a title
        return None


def _find(container: Container, name: str) -> str | None:
    return next((m for m in container.members if m.lower().endswith(name)), None)


def _title(channel: Any, index: Any, channel_id: str) -> str:
    if isinstance(index, dict) and isinstance(index.get(channel_id), str):
        return str(index[channel_id])
    if isinstance(channel, dict):
        name = channel.get("name")
        guild = channel.get("guild")
        if isinstance(guild, dict) and isinstance(name, str):
            return f"{guild.get('name', '')} #{name}".strip()
        if isinstance(name, str):
            return name
    return channel_id


def read_discord(container: Container, members: list[str]) -> ChatExport:
    user = _json_or_none(container, _find(container, "account/user.json"))
    holder = (str(user["username"]) if isinstance(user, dict) and user.get("username")
              else tr("You (the account holder)"))
    index = _json_or_none(container, _find(container, "messages/index.json"))
    notes = (tr("Discord exports only hold your own messages; the other people's messages "
                "are not in it."),
             tr("Discord attachments are web addresses; their files are not in the download."),
             tr("Discord times are as the package writes them: with a UTC offset where it "
                "states one, else with no time zone."))
    conversations = []
    for member in sorted(members):
        folder = PurePosixPath(member).parent
        channel_id = folder.name.lstrip("c")
        channel_member = f"{folder}/channel.json" if str(folder) != "." else "channel.json"
        channel = _json_or_none(container, channel_member if channel_member in
                                container.members else None)
        recipients = channel.get("recipients") if isinstance(channel, dict) else None
        people = (holder, *(str(r) for r in recipients if str(r) != holder)) if isinstance(
            recipients, list) else (holder,)
        conversations.append(Conversation(
            Platform.DISCORD, _title(channel, index, channel_id), people, notes, member,
            partial(_rows, container, member, holder)))
    return ChatExport(Platform.DISCORD, tuple(conversations))
