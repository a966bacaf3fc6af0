"""The encrypted case file and its typed tables. No Qt here.

A lazy face: the tables, and SQLAlchemy under them (about a quarter of a second to import), load
when one of them is first asked for. So `app.models.kdf` can derive a key while they load: the
unlock starts Argon2 (which runs outside the interpreter lock) before the database code is in,
instead of after it (app/ui/kit/controller.py). `app.models.casefile` loads them all, so no
query meets a table that is not mapped yet.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.models.audit import AuditEvent
    from app.models.base import Base
    from app.models.case import CaseInfo, FileMeta
    from app.models.chats import (
        ChatConversation,
        ChatExportRead,
        ChatMessage,
        ChatReadStatus,
        chat_attachment,
    )
    from app.models.evidence import (
        EvidenceChunk,
        EvidenceItem,
        EvidenceReadingImage,
        EvidenceSource,
        EvidenceThumbnail,
        PreviewStatus,
    )
    from app.models.records import (
        ChecklistProgress,
        Identifier,
        Payment,
        PaymentMethod,
        PaymentStatus,
        TimelineEvent,
        TimelineKind,
    )
    from app.models.text import EvidenceText, SuggestionState, TextSuggestion

_TABLE_MODULES = (
    "app.models.audit",
    "app.models.base",
    "app.models.case",
    "app.models.chats",
    "app.models.evidence",
    "app.models.records",
    "app.models.text",
)

__all__ = [
    "AuditEvent",
    "Base",
    "CaseInfo",
    "ChatConversation",
    "ChatExportRead",
    "ChatMessage",
    "ChatReadStatus",
    "ChecklistProgress",
    "EvidenceChunk",
    "EvidenceItem",
    "EvidenceReadingImage",
    "EvidenceSource",
    "EvidenceText",
    "EvidenceThumbnail",
    "FileMeta",
    "Identifier",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "PreviewStatus",
    "SuggestionState",
    "TextSuggestion",
    "TimelineEvent",
    "TimelineKind",
    "chat_attachment",
]


def load_tables() -> None:
    """Import every table's module (SQLAlchemy with them) and offer their names here."""
    for module_name in _TABLE_MODULES:
        module = importlib.import_module(module_name)
        for name in __all__:
            if name in vars(module):
                globals()[name] = vars(module)[name]


if not TYPE_CHECKING:  # for the type checker the names are imported above
    def __getattr__(name: str) -> Any:
        if name not in __all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        load_tables()
        return globals()[name]
