"""An e-mail Outlook saved as `.msg` (dragged out of Outlook on Windows, or *Save As*), read as
the saved e-mail it is.

A .msg file is a Compound File ([MS-CFB], read with olefile) holding the message's properties
([MS-OXMSG]): each string or binary property is a stream `__substg1.0_<id><type>` (type 001F
UTF-16, 001E 8-bit, 0102 binary), fixed-size ones (times) are entries in
`__properties_version1.0`; recipients and attachments are storages of their own
(`__recip_version1.0_#00000000`, `__attach_version1.0_#00000000`). A received e-mail keeps the
headers its servers wrote (PidTagTransportMessageHeaders, 0x007D): Date with its zone, From,
Reply-To, Received. The message is written out again as the e-mail it was (headers, text,
HTML, attached files), and that is read by the same reader as a saved .eml; the file itself is
what is kept. An e-mail attached inside it, or one written with rich text only, is read as far
as its plain text goes.
"""

from __future__ import annotations

import email.policy
import io
import struct
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import Parser
from email.utils import format_datetime, formataddr, parsedate_to_datetime
from typing import Any

from app.core.chats.email_parts import MAX_ATTACHMENTS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: As for a saved .eml: past this, the file is kept and not read.
MAX_MSG_BYTES = 64 * 1024 * 1024
_SUBJECT, _SENDER_NAME, _SENDER_ADDRESS, _SENDER_SMTP = 0x0037, 0x0C1A, 0x0C1F, 0x5D01
_HEADERS, _BODY, _HTML = 0x007D, 0x1000, 0x1013
_SUBMIT_TIME, _DELIVERY_TIME = 0x0039, 0x0E06
_RECIPIENT_NAME, _RECIPIENT_SMTP, _RECIPIENT_ADDRESS, _RECIPIENT_TYPE = 0x3001, 0x39FE, 0x3003, \
    0x0C15
_ATTACH_LONG_NAME, _ATTACH_NAME, _ATTACH_DATA, _ATTACH_MIME = 0x3707, 0x3704, 0x3701, 0x370E
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
# Headers taken from what the servers wrote; the body and its parts are written anew.
_SKIPPED_HEADERS = ("content-", "mime-version")


def looks_like_msg(head: bytes) -> bool:
    """Whether a file's start is a Compound File naming Outlook's property streams (in its
    directory, which Outlook writes near the start)."""
    return head.startswith(OLE_MAGIC) and "__substg1.0_".encode("utf-16-le") in head


class _Storage:
    """One storage of the file (the message, a recipient, an attachment) and its properties."""

    def __init__(self, ole: Any, prefix: list[str]) -> None:
        self._ole = ole  # an olefile.OleFileIO
        self._prefix = prefix

    def _stream(self, name: str) -> bytes | None:
        path = [*self._prefix, name]
        if not self._ole.exists("/".join(path)):
            return None
        return bytes(self._ole.openstream(path).read())

    def text(self, prop: int) -> str:
        raw = self._stream(f"__substg1.0_{prop:04X}001F")
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").rstrip("\0")
        raw = self._stream(f"__substg1.0_{prop:04X}001E")
        return raw.decode("cp1252", errors="replace").rstrip("\0") if raw is not None else ""

    def binary(self, prop: int) -> bytes | None:
        return self._stream(f"__substg1.0_{prop:04X}0102")

    def fixed(self, prop: int, header: int) -> int | None:
        """A fixed-size property's value (a number, a time) from `__properties_version1.0`,
        whose entries follow a header of `header` bytes (32 for the message, 8 inside)."""
        raw = self._stream("__properties_version1.0") or b""
        for at in range(header, len(raw) - 15, 16):
            tag, _flags, value = struct.unpack_from("<IIQ", raw, at)
            if tag >> 16 == prop:
                return int(value)
        return None

    def time(self, prop: int, header: int) -> datetime | None:
        value = self.fixed(prop, header)
        if not value:
            return None
        try:  # a FILETIME: 100-nanosecond steps since 1601
            return _FILETIME_EPOCH + timedelta(microseconds=value // 10)
        except OverflowError:
            return None


def _children(ole: Any, prefix: str) -> list[str]:
    names = {entry[0] for entry in ole.listdir(streams=True, storages=True)
             if len(entry) > 1 and entry[0].startswith(prefix)}
    return sorted(names)


def _headers(message: EmailMessage, raw: str) -> None:
    parsed = Parser(policy=email.policy.default).parsestr(raw, headersonly=True)
    for name, value in parsed.raw_items():
        if name.lower().startswith(_SKIPPED_HEADERS):
            continue
        try:
            message[name] = value
        except (ValueError, TypeError):  # a crafted header: left out
            continue


def _readable_date(message: EmailMessage) -> bool:
    try:
        return parsedate_to_datetime(str(message["Date"])) is not None
    except (TypeError, ValueError, IndexError):
        return False


def _from_properties(message: EmailMessage, top: _Storage, ole: Any) -> None:
    """Headers from the message's own properties, for one that never went through a server
    (a draft, or one Outlook saved before sending) or whose headers were not kept."""
    sender = top.text(_SENDER_SMTP) or top.text(_SENDER_ADDRESS)
    name = top.text(_SENDER_NAME)
    if sender or name:
        message["From"] = formataddr((name, sender if "@" in sender else ""))
    to: list[str] = []
    cc: list[str] = []
    for storage in _children(ole, "__recip_version1.0_#"):
        recipient = _Storage(ole, [storage])
        address = recipient.text(_RECIPIENT_SMTP) or recipient.text(_RECIPIENT_ADDRESS)
        entry = formataddr((recipient.text(_RECIPIENT_NAME),
                            address if "@" in address else ""))
        kind = recipient.fixed(_RECIPIENT_TYPE, 8)
        (cc if kind is not None and kind & 0xFFFFFFFF == 2 else to).append(entry)
    for field_name, people in (("To", to), ("Cc", cc)):
        if people:
            message[field_name] = ", ".join(people)
    when = top.time(_SUBMIT_TIME, 32) or top.time(_DELIVERY_TIME, 32)
    if when is not None:
        message["Date"] = format_datetime(when)


def _attachments(message: EmailMessage, ole: Any) -> None:
    for storage in _children(ole, "__attach_version1.0_#")[:MAX_ATTACHMENTS]:
        attachment = _Storage(ole, [storage])
        data = attachment.binary(_ATTACH_DATA)
        if data is None:
            continue  # an e-mail attached inside it, or a link: the file itself holds it
        name = attachment.text(_ATTACH_LONG_NAME) or attachment.text(_ATTACH_NAME)
        kind = attachment.text(_ATTACH_MIME) or "application/octet-stream"
        main, _, sub = kind.partition("/")
        if not main.isalpha() or not sub:
            main, sub = "application", "octet-stream"
        message.add_attachment(data, maintype=main.lower(), subtype=sub.lower(),
                               filename=name or "attachment")


def as_eml(data: bytes) -> bytes:
    """The e-mail a .msg file holds, written as a saved e-mail (.eml). Raises whatever
    olefile or the e-mail writer raise on a file that is damaged or crafted."""
    import olefile  # only when such a file is met: most cases never hold one

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        if not ole.exists("__properties_version1.0"):
            raise ValueError("not an Outlook message")  # another Compound File named .msg
        top = _Storage(ole, [])
        message = EmailMessage(policy=email.policy.default)
        headers = top.text(_HEADERS)
        if headers.strip():
            _headers(message, headers)
        if "From" not in message or not _readable_date(message):
            fallback = EmailMessage(policy=email.policy.default)
            _from_properties(fallback, top, ole)
            if not _readable_date(message) and "Date" in fallback:
                del message["Date"]  # the time Outlook kept stands in for one not readable
            for name in ("From", "To", "Cc", "Date"):
                if name not in message and name in fallback:
                    message[name] = fallback[name]
        if "Subject" not in message and top.text(_SUBJECT):
            message["Subject"] = top.text(_SUBJECT)
        body, html = top.text(_BODY), top.binary(_HTML)
        message.set_content(body or "")
        if html:
            message.add_alternative(html.decode("utf-8", errors="replace"), subtype="html")
        _attachments(message, ole)
        return message.as_bytes(policy=email.policy.default.clone(linesep="\r\n"))
    finally:
        ole.close()

