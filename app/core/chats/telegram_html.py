"""Telegram Desktop's "Export chat history" in its default format, HTML.

A chat is a folder of pages, `messages.html`, `messages2.html`... (1,000 messages each), with
the photos and files in folders beside them (`photos/`, `files/`, `video_files/`...); a whole
account's export puts each chat in `chats/chat_001/` and so on. Pages in a ZIP or TAR file are
read together, a chat to a folder, in page order; a page added on its own is read on its own.
How a page is written is in telegram_page.py.

Times are the clock of the computer that made the export. Newer versions write an offset
beside each time ("UTC+01:00"), but it is the zone's standard-time offset even for times in
summer time (`QTimeZone::StandardTime`), so it is named in a note and never applied. Notices
("X joined Telegram") carry no time at all; each is shown at the time of the message before it.
"""

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from html import unescape
from pathlib import PurePosixPath

from app.core.chats.container import Container, damaged
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.core.chats.telegram_page import Block, Media, blocks
from app.i18n import tr

PAGE = re.compile(r"(?:^|/)messages(\d*)\.html$")
_TIME = re.compile(
    r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: (UTC(?:[+-]\d{2}:\d{2})?))?")
_DAY = re.compile(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SENDER = re.compile(r'<div class="from_name">\s*([^<]{1,300}?)\s*</div>')
_TITLE = re.compile(r'class="page_header[^"]*">.*?class="(?:text|name) bold">\s*([^<]{1,300}?)\s*<',
                    re.DOTALL)
_NOTICE = re.compile(r'class="message service" id="message\d')
_VIA_BOT = re.compile(r" via @\w+$")
# A page of a whole account's export (chats/chat_001/messages.html) names its photos from the
# top of the export: "../../chats/chat_001/photos/photo_1.jpg", its own folder's photos/.
_FROM_THE_TOP = re.compile(r"^\.\./\.\./chats/chat_\d+/")
_FILE_MEDIA = frozenset({"media_photo", "media_video", "media_voice_message",
                         "media_audio_file", "media_file"})
_SCAN_CHUNK = 1024 * 1024
_SCAN_OVERLAP = 4096


def looks_like_telegram_html(text: str) -> bool:
    """Whether the start of a file is a page of Telegram Desktop's chat export."""
    return 'class="page_body chat_page"' in text or (
        'class="message default clearfix' in text and 'class="pull_right date details"' in text)


def page_number(member: str) -> int:
    found = PAGE.search(member)
    return int(found.group(1) or 1) if found else 0


@dataclass(frozen=True)
class _Scan:
    """What the notes and the list of people need, found before the messages are read."""

    title: str
    senders: tuple[str, ...]
    zone: str | None  # the offset the export writes beside its times, if it writes one
    notices: bool


def _scan(container: Container, pages: list[str]) -> _Scan:
    title, zone, notices = "", None, False
    senders: dict[str, None] = {}
    for member in pages:
        carry = ""
        with container.text(member) as text:
            while chunk := text.read(_SCAN_CHUNK):
                window = carry + chunk
                title = title or _first(_TITLE, window)
                if zone is None and (found := _TIME.search(window)) and found.group(7):
                    zone = found.group(7)
                notices = notices or _NOTICE.search(window) is not None
                for name in _SENDER.findall(window):
                    senders.setdefault(_sender_name(name), None)
                carry = window[-_SCAN_OVERLAP:]
    return _Scan(title, tuple(senders), zone, notices)


def _first(pattern: re.Pattern[str], text: str) -> str:
    found = pattern.search(text)
    return " ".join(unescape(found.group(1)).split()) if found else ""


def _sender_name(raw: str) -> str:
    return _VIA_BOT.sub("", " ".join(unescape(raw).split())) or tr("Deleted Account")


def _when(title: str) -> datetime:
    found = _TIME.match(title.strip())
    if found is None:
        raise damaged()
    day, month, year, hour, minute, second = (int(g) for g in found.groups()[:6])
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as error:
        raise damaged() from error


def _day(heading: str) -> datetime | None:
    found = _DAY.fullmatch(heading.strip())
    if found is None or found.group(2) not in _MONTHS:
        return None
    try:
        return datetime(int(found.group(3)), _MONTHS.index(found.group(2)) + 1,
                        int(found.group(1)))
    except ValueError:
        return None


def _file(folder: str, href: str, alone: bool) -> str | None:
    """A media link as a member of the export (or, for a page read `alone`, as a path beside
    the page), or None for one that leaves it."""
    if "\\" in href or "://" in href or href.startswith(("/", "#")) or "\0" in href:
        return None
    if alone:  # a whole account's page links its own files from the top of the export
        href = _FROM_THE_TOP.sub("", href)
    member = posixpath.normpath(posixpath.join(folder, href))  # folder "": the href itself
    return None if member.startswith("..") or member == "." else member


def _media_words(media: Media) -> str:
    """A line for media that is words rather than a file: a call, a shared contact, a place."""
    title, status = media.title.text(), media.status.text()
    if "media_call" in media.classes:
        return tr("Call: {status}").format(status=status or title)
    if "media_contact" in media.classes:
        return tr("Shared contact: {name}, {phone}").format(name=title, phone=status)
    if media.classes & {"media_location", "media_live_location", "media_venue"}:
        return tr("Location: {place}").format(
            place=", ".join(p for p in (title, media.description.text(), status) if p))
    if media.classes & {"media_game", "media_invoice"}:
        return " ".join(p for p in (title, status) if p)
    return ""


def _message(block: Block, folder: str, when: SentAt, sender: str, alone: bool) -> Message:
    files: list[str] = []
    links = [h for h in block.links if h.startswith(("http://", "https://"))]
    lines: list[str] = []
    omitted = False
    for media in block.media:
        href = media.href or ""
        if href.startswith(("http://", "https://")):
            links.append(href)
        elif href and (member := _file(folder, href, alone)) is not None:
            files.append(member)
        elif not href and media.classes & _FILE_MEDIA:
            omitted = True  # "Not included, change data exporting settings to download."
        words = _media_words(media)
        if words:
            lines.append(words)
    text = "\n".join([*lines, block.words.text()]).strip()
    return Message(sender, when, text, tuple(files), tuple(dict.fromkeys(links)),
                   media_omitted=omitted)


def _messages(container: Container, pages: list[str]) -> Iterator[Message]:
    clock: datetime | None = None  # the last time known: a notice is shown at it
    sender = tr("Unknown sender")
    for member in pages:
        folder = str(PurePosixPath(member).parent) if container.is_archive else ""
        for block in blocks(container, member):
            if block.kind == "day":
                day = _day(block.words.text())
                if day is not None and (clock is None or day.date() > clock.date()):
                    clock = day
            elif block.kind == "notice":
                if clock is not None and (words := block.words.text()):
                    yield Message(None, SentAt(clock, Precision.MINUTE), words, is_system=True)
            else:
                clock = _when(block.date_title)
                name = block.sender.text()
                if name or not block.joined:
                    sender = _sender_name(name)
                yield _message(block, folder, SentAt(clock, Precision.SECOND), sender,
                               not container.is_archive)


def _notes(scan: _Scan, single_page: bool) -> tuple[str, ...]:
    notes = [tr("Times are local to the computer that exported the chat; no time zone is "
                "stated.") if scan.zone is None else
             tr("Times are local to the computer that exported the chat. The export writes "
                "{zone} beside them, its standard-time offset even in summer time, so it is "
                "not applied.").format(zone=scan.zone)]
    if scan.notices:
        notes.append(tr("Telegram's HTML export gives no time for notices (such as someone "
                        "joining): each is shown at the time of the message before it."))
    if single_page:
        notes.append(tr("The photos and files this page names are not inside it but in "
                        "folders beside it in the export: they are linked to their messages "
                        "when the export's whole folder is added."))
    return tuple(notes)


def _chats(container: Container, members: list[str]) -> dict[str, list[str]]:
    """Pages by chat folder, each chat's in page order."""
    chats: dict[str, list[str]] = {}
    for member in sorted(members, key=lambda m: (str(PurePosixPath(m).parent), page_number(m))):
        chats.setdefault(str(PurePosixPath(member).parent), []).append(member)
    return chats


def read_telegram_html(container: Container, members: list[str]) -> ChatExport:
    """The chats in the pages `members` (one page when a page was added on its own)."""
    conversations = []
    for pages in _chats(container, members).values():
        scan = _scan(container, pages)
        title = scan.title or tr("Deleted Account")
        if not container.is_archive and page_number(pages[0]) > 1:
            title = f"{title} ({PurePosixPath(pages[0]).name})"
        conversations.append(Conversation(
            Platform.TELEGRAM, title, scan.senders, _notes(scan, not container.is_archive),
            f"{pages[0]}#html", partial(_messages, container, pages)))
    if not conversations:
        raise damaged()
    return ChatExport(Platform.TELEGRAM, tuple(conversations))
