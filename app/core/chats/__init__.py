"""Chat exports read into conversations and messages: WhatsApp (text or ZIP), Instagram and
Messenger downloads (JSON or HTML), Telegram Desktop's export (JSON or HTML), Discord's data
package, Snapchat's chat_history.json, Skype's download (a TAR file) and saved e-mails (.eml,
Outlook's .msg). Pure Python, no database and no Qt: this is the first layer, which reads;
storing messages in a case is the next. This module is
the package's public face.
"""

from app.core.chats.container import (
    BytesSource,
    Container,
    Source,
    cut_zip_note,
    cut_zip_note_in,
)
from app.core.chats.detect import detect, read_chat_export
from app.core.chats.meta import repair as repair_mojibake
from app.core.chats.model import (
    ChatExport,
    Conversation,
    DateOrder,
    Message,
    Platform,
    Precision,
    SentAt,
    export_kind,
    platform_name,
)

__all__ = [
    "BytesSource",
    "ChatExport",
    "Container",
    "Conversation",
    "DateOrder",
    "Message",
    "Platform",
    "Precision",
    "SentAt",
    "Source",
    "cut_zip_note",
    "cut_zip_note_in",
    "detect",
    "export_kind",
    "platform_name",
    "read_chat_export",
    "repair_mojibake",
]
