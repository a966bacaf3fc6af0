"""WhatsApp "Export chat": the text file alone, or the ZIP with `_chat.txt` (iOS) or
`WhatsApp Chat with NAME.txt` (Android) beside the media.

Read twice, streaming both times, so a 2 GB export never sits in memory: the first pass
decides the date order from the whole file and collects the senders; the second yields the
messages. A file whose every date fits both orders is reported with both readings, so the
person is asked (03/04 is 3 April in London and March 4 in New York); nothing is guessed.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import IO

from app.core.chats.container import HEAD_BYTES, Container, decode_head
from app.core.chats.date_order_signs import OrderSigns
from app.core.chats.model import (
    ChatExport,
    Conversation,
    DateOrder,
    Message,
    Platform,
    Precision,
    SentAt,
)
from app.core.chats.whatsapp_lines import (
    MARKS,
    first_line_media,
    header_time,
    match_header,
    order_evidence,
    split_rest,
)
from app.errors import ChatExportUnreadable
from app.i18n import tr

#: Longer physical lines are read in pieces, so a file with no line breaks stays bounded.
LINE_PIECE_CHARS = 64 * 1024
#: Text kept per message; the rest of a monster message is still in the original export.
MAX_MESSAGE_CHARS = 1_000_000
MAX_PARTICIPANTS = 5_000
#: How many header-shaped lines the start of a file must have to be taken for a WhatsApp chat.
_HEADERS_TO_DETECT = 2
_TITLE_PREFIX = re.compile(r"^(?:WhatsApp Chat (?:with|mit|con|avec|com|met) |WhatsApp Chat - )",
                           re.IGNORECASE)


def looks_like_whatsapp(head: bytes) -> bool:
    """True when the start of a file reads as a WhatsApp chat: its first lines with text are
    mostly headers that carry a date and time that exist in at least one order."""
    text = decode_head(head)
    if text is None:
        return False
    lines = [line for line in text.splitlines()[:40] if line.strip(MARKS + " ")]
    if len(head) >= HEAD_BYTES:
        lines = lines[:-1]  # the last line may be cut in the middle
    headers = 0
    for line in lines:
        header = match_header(line)
        if header is not None and any(header_time(header, o) for o in DateOrder):
            headers += 1
    return headers >= min(_HEADERS_TO_DETECT, max(len(lines), 1))


def chat_member(container: Container) -> str | None:
    """The chat text inside a WhatsApp ZIP (or the file itself)."""
    if not container.is_archive:
        return container.members[0]
    texts = [m for m in container.members if m.lower().endswith(".txt")]
    texts.sort(key=lambda m: (PurePosixPath(m).name != "_chat.txt", m.count("/"), m))
    for member in texts[:20]:
        if looks_like_whatsapp(container.head(member)):
            return member
    return None


def _physical_lines(stream: IO[str]) -> Iterator[tuple[str, bool]]:
    """(text, starts_a_line): pieces of a huge line come with False, and are never headers."""
    starts = True
    while True:
        piece = stream.readline(LINE_PIECE_CHARS)
        if not piece:
            return
        ended = piece.endswith("\n")
        yield piece.rstrip("\n"), starts
        starts = ended


@dataclass(frozen=True)
class _Scan:
    orders: tuple[DateOrder, ...]
    senders: tuple[str, ...]
    group_names: tuple[str, ...]
    settled_by_signs: bool = False  # every date fitted both orders; one was impossible


def _scan(container: Container, member: str) -> _Scan:
    votes = {DateOrder.DAY_FIRST: 0, DateOrder.MONTH_FIRST: 0}
    signs = OrderSigns()  # fed only while no date has settled the order
    day_month_dates = False  # only year-first dates (2024-01-13): no order to decide
    senders: dict[str, None] = {}
    group_names: dict[str, None] = {}
    with container.text(member) as stream:
        for line, starts in _physical_lines(stream):
            header = match_header(line) if starts else None
            if header is None:
                continue
            evidence = order_evidence(header)
            day_month_dates = day_month_dates or len(header.d1) != 4
            if evidence is not None:
                votes[evidence] += 1
            elif len(header.d1) != 4 and not any(votes.values()):
                for order in DateOrder:
                    signs.see(order, header_time(header, order))
            name = header.rest.partition(": ")[0].strip(MARKS + " ")
            body = split_rest(header.rest, frozenset())
            if body is None or len(senders) >= MAX_PARTICIPANTS:
                continue
            if body.sender is not None:
                senders.setdefault(body.sender)
            elif body.is_system and header.rest.partition(": ")[1]:
                group_names.setdefault(name)  # iOS names the chat as a system line's sender
    day, month = votes[DateOrder.DAY_FIRST], votes[DateOrder.MONTH_FIRST]
    # Any date with a field over 12 settles the order; a few contrary dates are text that
    # people pasted, so the larger count wins.
    settled = False
    if not day_month_dates:
        orders: tuple[DateOrder, ...] = ()
    elif day == month == 0:
        # Not a guess: messages run forwards in an export, and none is after today.
        possible = signs.possible(datetime.now())
        settled = len(possible) == 1
        orders = possible if settled else (DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST)
    else:
        orders = (DateOrder.DAY_FIRST,) if day >= month else (DateOrder.MONTH_FIRST,)
    return _Scan(orders, tuple(senders), tuple(group_names), settled)


def _attachment_path(member: str, name: str) -> str:
    folder = PurePosixPath(member).parent
    return name if str(folder) == "." else f"{folder}/{name}"


def _messages(container: Container, member: str, order: DateOrder,
              known: frozenset[str]) -> Iterator[Message]:
    current: tuple[str | None, SentAt, bool] | None = None
    lines: list[str] = []
    size = 0

    def finish() -> Message | None:
        if current is None:
            return None
        sender, sent_at, is_system = current
        first = lines[0] if lines else ""
        media = None if is_system else first_line_media(first)
        if media is None:
            return Message(sender, sent_at, "\n".join(lines), is_system=is_system)
        if media.deleted:
            return Message(sender, sent_at, "\n".join(lines), is_deleted=True)
        attachments = ((_attachment_path(member, media.attachment),)
                       if media.attachment else ())
        text = "\n".join([media.label, *lines[1:]] if media.label else lines[1:])
        return Message(sender, sent_at, text, attachments, media_omitted=media.omitted)

    with container.text(member) as stream:
        for line, starts in _physical_lines(stream):
            header = match_header(line) if starts else None
            when = header_time(header, order) if header is not None else None
            body = split_rest(header.rest, known) if header is not None and when else None
            if header is None or when is None or body is None:
                if current is not None and size < MAX_MESSAGE_CHARS:
                    # `size` is the length of "\n".join(lines): a new line costs its "\n"
                    room = MAX_MESSAGE_CHARS - size - (1 if starts else 0)
                    piece = line[: max(room, 0)]
                    if starts:
                        lines.append(piece)
                    else:
                        lines[-1] += piece
                    size += len(piece) + (1 if starts else 0)
                continue  # text before the first header is WhatsApp's own, never a message
            done = finish()
            if done is not None:
                yield done
            precision = Precision.MINUTE if header.second is None else Precision.SECOND
            current = (body.sender, SentAt(when, precision), body.is_system)
            lines = [body.text]
            size = len(body.text)
    done = finish()
    if done is not None:
        yield done


def _title(container: Container, member: str, scan: _Scan) -> str:
    if scan.group_names:
        return scan.group_names[0]
    name = PurePosixPath(member).stem
    if name == "_chat" and container.is_archive:
        name = container.path.stem
    titled = _TITLE_PREFIX.sub("", name).strip()
    return titled or name


def read_whatsapp(container: Container, member: str,
                  date_order: DateOrder | None = None) -> ChatExport:
    scan = _scan(container, member)
    orders = (date_order,) if date_order is not None else scan.orders
    known = frozenset(scan.senders)

    def reader() -> Iterator[Message]:
        if len(orders) > 1:
            raise ChatExportUnreadable(tr(
                "This chat's dates could be day first or month first; choose which before "
                "its messages are read."))
        return _messages(container, member, orders[0] if orders else DateOrder.DAY_FIRST,
                         known)

    notes = [tr("WhatsApp times are local to the phone that exported the chat; "
                "no time zone is stated.")]
    if len(orders) > 1:
        notes.append(tr("Every date in this chat could be read day first or month first "
                        "(03/04 is 3 April or March 4); please say which."))
    elif scan.settled_by_signs and date_order is None:
        notes.append(tr("Every date in this chat could be read day first or month first; "
                        "it is read {order}, because read the other way its messages would "
                        "run backwards or after the day it was added.").format(
            order=tr("day first") if orders[0] is DateOrder.DAY_FIRST else tr("month first")))
    if not container.is_archive:
        notes.append(tr("Attachments are named in the chat but their files are not in this "
                        "text file; an export 'with media' is a ZIP that holds them."))
    conversation = Conversation(Platform.WHATSAPP, _title(container, member, scan),
                                scan.senders, tuple(notes), member, reader, orders)
    return ChatExport(Platform.WHATSAPP, (conversation,))
