"""The encrypted case file and its typed tables. No Qt here."""

from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.case import CaseInfo, FileMeta
from app.models.chats import (
    EMAIL_PLATFORM,
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

__all__ = [
    "EMAIL_PLATFORM",
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
