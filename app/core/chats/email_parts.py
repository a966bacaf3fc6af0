"""The files attached to a saved e-mail, as members of its Container, so that a picture the
offender attached is kept as an evidence item of its own, linked to the e-mail, as a chat
export's photos are (app/core/intake/chat_reading.py).

Members are named "attachments/1/you.jpg": a number for the place of the attachment in the
e-mail, so two files of one name stay apart, and the file name it gives, made safe (no
folders, no characters that hide or control). An attachment with no name is "attachment".
"""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.message import Message as RawMessage
from email.parser import BytesParser

from app.text_safety import drop_hidden, flatten

MAX_ATTACHMENTS = 200  # past this, the e-mail file itself still holds them
_NAME_CHARS = 120


def parse_email(data: bytes) -> EmailMessage:
    """The e-mail in `data`; raises whatever Python's parser raises on a crafted one."""
    parsed = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(parsed, EmailMessage)
    return parsed


def named_attachments(parsed: EmailMessage) -> list[tuple[str, RawMessage]]:
    """(member name, part) for each attached file, in the e-mail's order."""
    try:
        parts = list(parsed.iter_attachments())[:MAX_ATTACHMENTS]
    except Exception:  # a crafted structure: no attachments read
        return []
    return [(f"attachments/{number}/{_safe_name(part)}", part)
            for number, part in enumerate(parts, start=1)]


def attachment_bytes(part: RawMessage) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _safe_name(part: RawMessage) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = drop_hidden(flatten(name.replace("\\", "/").rsplit("/", 1)[-1])).strip(" .")
    return name[:_NAME_CHARS] or "attachment"
