"""Which chat export a file is, by its content, and reading it with the right parser.

Names help only to find candidates inside a ZIP or TAR file (`_chat.txt`, `message_1.json`,
`result.json`, Telegram's `messages.html`, Skype's `messages.json`): a WhatsApp chat saved as
`notes.txt`, or a `message_1.json` that a person renamed, is recognised by what it says.
Detection reads only the start of a file (64 KiB); the parser then checks the whole shape and
says calmly when it does not hold.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from app.core.chats import (
    discord,
    email_message,
    meta,
    meta_html,
    skype,
    snapchat,
    telegram,
    telegram_html,
    whatsapp,
)
from app.core.chats.container import Container, Source, decode_head
from app.core.chats.model import ChatExport, DateOrder, Platform
from app.errors import ChatExportUnreadable
from app.i18n import tr, tr_n

_JSON_KEY = re.compile(r'"([A-Za-z_ ()]+)"\s*:')
_TELEGRAM_KEYS = {"date_unixtime", "personal_information", "from_id", "chats"}


@dataclass(frozen=True)
class _Plan:
    platform: Platform
    read: Callable[[DateOrder | None], ChatExport]


def _json_plan(container: Container, member: str, text: str) -> _Plan | None:
    keys = set(_JSON_KEY.findall(text))
    if {"userId", "conversations"} <= keys and ("MessageList" in keys or "exportDate" in keys):
        return _Plan(Platform.SKYPE, lambda _: skype.read_skype(container, member))
    if {"participants", "messages"} <= keys and "timestamp_ms" in keys:
        return _Plan(meta.which_platform(meta.where(container, member), "thread_type" in keys),
                     lambda _: meta.read_meta(container, [member]))
    if keys & _TELEGRAM_KEYS or {"name", "type", "id", "messages"} <= keys:
        return _Plan(Platform.TELEGRAM, lambda _: telegram.read_telegram(container, member))
    if {"ID", "Timestamp", "Contents"} <= keys:
        return _Plan(Platform.DISCORD, lambda _: discord.read_discord(container, [member]))
    if "Created" in keys and ("From" in keys or "To" in keys):
        return _Plan(Platform.SNAPCHAT, lambda _: snapchat.read_snapchat(container, member))
    return None


def _file_plan(container: Container, member: str) -> _Plan | None:
    head = container.head(member)
    text = decode_head(head)
    if text is None:
        return None
    if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        plan = _json_plan(container, member, text)
        if plan is not None:
            return plan  # else it may be an iOS WhatsApp chat: its lines start with "["
    if telegram_html.looks_like_telegram_html(text):
        return _Plan(Platform.TELEGRAM,
                     lambda _: telegram_html.read_telegram_html(container, [member]))
    if (PurePosixPath(member).suffix.lower() == ".html"
            and (app := meta_html.html_platform(meta.where(container, member), text,
                                                container.path.name))):
        return _Plan(app, lambda _: meta_html.read_meta_html(container, [member], app))
    if email_message.looks_like_email(text):
        return _Plan(Platform.EMAIL, lambda _: email_message.read_email(container, member))
    if discord.looks_like_discord_csv(text):
        return _Plan(Platform.DISCORD, lambda _: discord.read_discord(container, [member]))
    if whatsapp.looks_like_whatsapp(head):
        return _Plan(Platform.WHATSAPP,
                     lambda order: whatsapp.read_whatsapp(container, member, order))
    return None


def _meta_page(container: Container, member: str) -> Platform | None:
    text = decode_head(container.head(member))
    return (meta_html.html_platform(member, text, container.path.name)
            if text is not None else None)


def _telegram_page(container: Container, member: str) -> bool:
    text = decode_head(container.head(member, 4096))
    return text is not None and telegram_html.looks_like_telegram_html(text)


def _shallowest(members: list[str]) -> list[str]:
    return sorted(members, key=lambda m: (m.count("/"), m))


def _archive_plan(container: Container) -> _Plan | None:
    members = list(container.members)
    threads = [m for m in members if meta.MESSAGE_FILE.search(m)]
    if threads:
        platform = meta.which_platform(threads[0], b'"thread_type"' in container.head(threads[0]))
        return _Plan(platform, lambda _: meta.read_meta(container, threads))
    pages = [m for m in members if meta_html.PAGE.search(m)]
    if pages and (app := _meta_page(container, _shallowest(pages)[0])) is not None:
        return _Plan(app, lambda _: meta_html.read_meta_html(container, pages, app))
    channels = [m for m in members if discord.MESSAGE_FILE.search(m)]
    if channels:
        return _Plan(Platform.DISCORD, lambda _: discord.read_discord(container, channels))
    for member in _shallowest([m for m in members
                               if PurePosixPath(m).name in ("result.json", "messages.json",
                                                            "chat_history.json")])[:5]:
        plan = _file_plan(container, member)
        if plan is not None:
            return plan
    pages = [m for m in members if telegram_html.PAGE.search(m)]
    if pages and any(_telegram_page(container, m) for m in _shallowest(pages)[:5]):
        chats = [m for m in pages if _telegram_page(container, m)]
        return _Plan(Platform.TELEGRAM,
                     lambda _: telegram_html.read_telegram_html(container, chats))
    found = whatsapp.chat_member(container)
    if found is not None:
        return _Plan(Platform.WHATSAPP,
                     lambda order: whatsapp.read_whatsapp(container, found, order))
    return None


def _plan(path: Path | Source) -> tuple[Container, _Plan | None]:
    container = Container.open(path)
    if container.is_archive:
        return container, _archive_plan(container)
    return container, _file_plan(container, container.members[0])


def detect(path: Path | Source) -> Platform | None:
    """The platform whose chat export this file is, judged by its content; None for anything
    else (a picture, a document, a damaged or unsafe ZIP)."""
    try:
        _, plan = _plan(path)
    except ChatExportUnreadable:
        return None
    return plan.platform if plan is not None else None


def read_chat_export(path: Path | Source, *, date_order: DateOrder | None = None) -> ChatExport:
    """The conversations in a chat export. `date_order` settles a WhatsApp chat whose dates
    fit both orders (see Conversation.date_orders). Raises ChatExportUnreadable, with one calm
    sentence, when the file is not an export or cannot be read."""
    container, plan = _plan(path)
    if plan is None:
        raise ChatExportUnreadable(tr("This file is not a chat export that Safekeep can read."))
    export = plan.read(date_order)
    notes = list(export.notes)
    if container.ignored and container.is_zip:
        notes.append(tr_n("%n file in this ZIP was left out because its name or type is "
                          "unsafe.", "%n files in this ZIP were left out because their names "
                          "or types are unsafe.", container.ignored))
    elif container.ignored:
        notes.append(tr_n("%n file in this TAR file was left out because its name or type is "
                          "unsafe.", "%n files in this TAR file were left out because their "
                          "names or types are unsafe.", container.ignored))
    if container.cut:
        notes.append(tr_n("%n file at the end of this TAR file is cut short (a download cut "
                          "short?) and was left out.", "%n files at the end of this TAR file "
                          "are cut short (a download cut short?) and were left out.",
                          container.cut))
    return replace(export, notes=tuple(notes)) if notes != list(export.notes) else export
