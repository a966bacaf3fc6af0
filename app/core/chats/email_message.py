"""A saved e-mail (.eml: what Thunderbird, Apple Mail and webmail's "Download message" write;
Outlook's own .msg is turned into one first, outlook_msg.py): one conversation holding the one
message.

Blackmail often comes by e-mail too ("I recorded you through your webcam... pay in Bitcoin
to this address"), and police ask for the e-mail itself. Kept as it is, it is also read like
a chat export: who sent it (the From line; a Reply-To that differs is shown, as scams often
send replies elsewhere), when (its Date line, with the time zone it states), the subject and
the text, so the offender's details in it are offered as in any chat, and the report prints it.
The recipients (the person's own address) are left out of the text looked through.
Attachments are named in the text, and kept as evidence items of their own (email_parts.py);
the e-mail file itself is kept byte for byte.

Read with Python's own e-mail parser. Crafted headers and bodies make it raise almost anything,
so every header is read on its own and a broken one is left out; a body in an unknown
character set is read with replacement characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import suppress
from email.message import EmailMessage
from email.message import Message as RawMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from functools import partial
from html.parser import HTMLParser

from app.core.chats.container import Container, damaged
from app.core.chats.email_parts import named_attachments, parse_email
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.errors import ChatExportUnreadable
from app.i18n import rounded_size, tr

MAX_EMAIL_BYTES = 64 * 1024 * 1024  # a message with its attachments; past this, not read
_HEADER = re.compile(
    r"(?i)^(received|return-path|delivered-to|from|to|cc|subject|date|message-id|mime-version"
    r"|reply-to|sender|content-type|x-[a-z0-9-]+):[ \t]")
_NEEDED = re.compile(r"(?im)^(date|subject|message-id|received|mime-version):[ \t]")
# A web page a browser saved as one file (.mht, .mhtml) starts like an e-mail: "From: <Saved by
# Blink>", "Snapshot-Content-Location: ...". It is kept as a document, not read as an e-mail.
_SAVED_PAGE = re.compile(r"(?im)^(from:[ \t]*<saved by |snapshot-content-location:)")
_MAX_HEADER_CHARS = 500
_BLOCK_TAGS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "blockquote", "hr"}


def looks_like_email(text: str) -> bool:
    """Whether a file's start is an e-mail's header block: a From line and one of the lines
    every sent e-mail has, before the first empty line, starting at the first line."""
    block = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n\n", 1)[0]
    if block.startswith("From "):  # the line an mbox file (Thunderbird's "Save as") puts first
        block = block.partition("\n")[2]
    lines = block.split("\n")
    if not lines or not _HEADER.match(lines[0]) or _SAVED_PAGE.search(block):
        return False
    return re.search(r"(?im)^from:[ \t]", block) is not None and _NEEDED.search(block) is not None


def read_email(container: Container, member: str) -> ChatExport:
    if container.size(member) > MAX_EMAIL_BYTES:
        raise ChatExportUnreadable(tr(
            "This e-mail is larger than Safekeep reads (64 MiB). It is kept as it is."))
    data = container.head(member, MAX_EMAIL_BYTES)
    try:
        parsed = parse_email(data)
    except Exception as error:  # parts nested without end (RecursionError), and the like
        raise damaged() from error
    sent_at = _sent_at(parsed)
    if sent_at is None:
        raise ChatExportUnreadable(tr(
            "This e-mail has no date Safekeep can read, so it is kept as it is, not read."))
    name, address = _address(parsed, "From")
    sender = name or address or tr("Unknown sender")
    attached = named_attachments(parsed)
    message = Message(sender, sent_at, _text(parsed, address, attached), sender_id=address or None,
                      attachments=tuple(name for name, _ in attached))
    recipients = tuple(part for field in ("To", "Cc") for part in _addresses(parsed, field))
    title = _header(parsed, "Subject") or tr("E-mail from {sender}").format(sender=sender)
    notes = (tr("The time is the one the e-mail's Date line states, with its time zone."),
             tr("Where the e-mail came from (its Received lines) is in the e-mail file, kept as "
                "it is; each attached file is also kept as an item of its own."))
    conversation = Conversation(Platform.EMAIL, title, (sender, *recipients), notes, member,
                                partial(_one, message))
    return ChatExport(Platform.EMAIL, (conversation,))


def _one(message: Message) -> Iterator[Message]:
    yield message


def _header(parsed: RawMessage, field: str) -> str:
    """A header as text, or "" when it is missing or too broken to read."""
    try:
        value = parsed.get(field)
        return " ".join(str(value).split())[:_MAX_HEADER_CHARS] if value is not None else ""
    except Exception:  # a crafted header can make the parser raise nearly anything
        return ""


def _address(parsed: RawMessage, field: str) -> tuple[str, str]:
    """(display name, address) of a header's first address; ("", "") if none."""
    name, address = parseaddr(_header(parsed, field))
    return name.strip(), address.strip() if "@" in address else ""


def _addresses(parsed: RawMessage, field: str) -> list[str]:
    """Each address on a header (at most 20), as "Name <address>" or the address alone; a
    name may hold a comma ("Smith, Jo" <jo@example.com>)."""
    pairs = getaddresses([_header(parsed, field)])
    return [f"{name} <{address}>" if name else address
            for name, address in pairs if address or name][:20]


def _sent_at(parsed: RawMessage) -> SentAt | None:
    """The Date line; else the time the last server that took the e-mail wrote (the first
    Received line ends with it)."""
    for text in (_header(parsed, "Date"), _header(parsed, "Received").rsplit(";", 1)[-1]):
        try:
            when = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        offset = when.utcoffset()
        return SentAt(when.replace(tzinfo=None), Precision.SECOND, offset)
    return None


def _text(parsed: EmailMessage, sender_address: str,
          attached: list[tuple[str, RawMessage]]) -> str:
    lines = []
    subject = _header(parsed, "Subject")
    if subject:
        lines.append(tr("Subject: {subject}").format(subject=subject))
    reply_name, reply_to = _address(parsed, "Reply-To")
    if reply_to and reply_to.casefold() != sender_address.casefold():
        lines.append(tr("Replies go to: {address}").format(
            address=f"{reply_name} <{reply_to}>" if reply_name else reply_to))
    body = _body(parsed).strip()
    named = [_attachment(part) for _, part in attached]
    return "\n".join([*lines, "", body, *(["", *named] if named else [])]).strip()


def _body(parsed: EmailMessage) -> str:
    try:
        part = parsed.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    text = _content(part)
    return _html_text(text) if part.get_content_subtype() == "html" else text


def _content(part: RawMessage) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except Exception:  # an unknown character set, broken quoted-printable...
        content = None
    if isinstance(content, str):
        return content
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def _attachment(part: RawMessage) -> str:
    try:
        name = " ".join((part.get_filename() or "").split())[:200] or tr("(no name)")
    except Exception:
        name = tr("(no name)")
    payload = part.get_payload(decode=True)
    size = len(payload) if isinstance(payload, bytes) else 0
    return tr("Attached: {name} ({type}, {size})").format(
        name=name, type=part.get_content_type(), size=rounded_size(size))


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _html_text(html: str) -> str:
    """The words of an HTML body, a line for each block; never its markup or scripts."""
    reader = _TextOfHtml()
    with suppress(Exception):  # what was read before a broken tag is kept
        reader.feed(html)
        reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
