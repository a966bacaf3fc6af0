"""Outlook .msg files written as [MS-OXMSG] lays them out, in a Compound File (compound_file.py):
the message's string properties as UTF-16 streams, times in `__properties_version1.0`, each
recipient and attachment a storage of its own with its own properties stream, and the named
properties' storage. A received e-mail keeps the headers its servers wrote."""

import struct
from datetime import UTC, datetime

from tests.chats.compound_file import compound_file

SYSTIME, LONG = 0x0040, 0x0003


def _text(prop: int, value: str) -> tuple[str, bytes]:
    return f"__substg1.0_{prop:04X}001F", value.encode("utf-16-le")


def _properties(header: bytes, fixed: list[tuple[int, int, int]]) -> bytes:
    """`__properties_version1.0`: its header, then 16 bytes a property (tag, flags, value)."""
    return header + b"".join(struct.pack("<IIQ", prop << 16 | kind, 6, value)
                             for prop, kind, value in fixed)


def filetime(when: datetime) -> int:
    return int((when - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)


def msg_file(*, subject: str, body: str, sender: tuple[str, str] | None = None,
             headers: str | None = None, html: str | None = None,
             sent: datetime | None = None, to: list[tuple[str, str]] | None = None,
             cc: list[tuple[str, str]] | None = None,
             attachments: list[tuple[str, str, bytes]] | None = None,
             directory_last: bool = False) -> bytes:
    """A saved e-mail; `attachments` are (file name, MIME type, bytes)."""
    streams: dict[str, bytes] = dict([_text(0x0037, subject), _text(0x1000, body),
                                      _text(0x001A, "IPM.Note")])
    if sender:
        streams.update([_text(0x0C1A, sender[0]), _text(0x5D01, sender[1]),
                        _text(0x0C1F, sender[1])])
    if headers is not None:
        streams.update([_text(0x007D, headers)])
    if html is not None:
        streams["__substg1.0_10130102"] = html.encode("utf-8")
    fixed = [(0x0039, SYSTIME, filetime(sent))] if sent else []
    recipients = [(*person, 1) for person in to or []] + [(*person, 2) for person in cc or []]
    files = attachments or []
    streams["__properties_version1.0"] = _properties(
        struct.pack("<8sIIII8s", b"\0" * 8, len(recipients), len(files), len(recipients),
                    len(files), b"\0" * 8), fixed)
    for n, (name, address, kind) in enumerate(recipients):
        folder = f"__recip_version1.0_#{n:08X}/"
        streams.update({folder + k: v for k, v in (_text(0x3001, name), _text(0x39FE, address),
                                                   _text(0x3003, address))})
        streams[folder + "__properties_version1.0"] = _properties(
            b"\0" * 8, [(0x0C15, LONG, kind), (0x3000, LONG, n)])  # 1 To, 2 Cc
    for n, (name, kind, data) in enumerate(files):
        folder = f"__attach_version1.0_#{n:08X}/"
        streams.update({folder + k: v for k, v in (_text(0x3707, name), _text(0x3704, name[:8]),
                                                   _text(0x370E, kind))})
        streams[folder + "__substg1.0_37010102"] = data
        streams[folder + "__properties_version1.0"] = _properties(
            b"\0" * 8, [(0x3705, LONG, 1), (0x0E21, LONG, n)])
    streams["__nameid_version1.0/__substg1.0_00020102"] = b""
    streams["__nameid_version1.0/__substg1.0_00030102"] = b""
    streams["__nameid_version1.0/__substg1.0_00040102"] = b""
    return compound_file(streams, directory_last=directory_last)
