"""Evidence intake: any file, byte for byte, hashed on arrival; what a file really is; safe
previews and photo facts, made in isolated workers. This module is the package's public face:
code outside it imports from here.
"""

from app.core.intake.chat_reading import (
    READ_BESIDE,
    ChatReading,
    date_order_examples,
    read_chat,
)
from app.core.intake.ingest import import_bytes, import_paths
from app.core.intake.outcome import ImportOutcome

__all__ = [
    "READ_BESIDE",
    "ChatReading",
    "ImportOutcome",
    "date_order_examples",
    "import_bytes",
    "import_paths",
    "read_chat",
]
