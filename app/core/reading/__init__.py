"""Reading the text in pictures: the offline engine, the page it reads, the worker pool, the rules
that find details, the stored readings and the suggestions offered to the person. This module is
the package's public face: code outside it imports from here. The same rules also find
details in chat messages (`chat_details`).
"""

from app.core.reading.chat_details import (
    ChatDetailsProgress,
    find_in_chats,
    pending_exports,
)
from app.core.reading.documents import (
    DOCUMENT_TYPES,
    TEXT_READER,
    TEXT_TYPE,
    is_document_reading,
)
from app.core.reading.kinds import CandidateKind, DetailKind, what_it_is
from app.core.reading.retype import checked_with_retype, plainly_another_type
from app.core.reading.stored import (
    Reading,
    ReadingProgress,
    read_unread,
    reading_of,
    recognised_texts,
    recognised_texts_in,
    require_engine,
    unread_ids,
)
from app.core.reading.suggestions import (
    FromMessage,
    Suggestion,
    SuggestionGroup,
    add_suggestions,
    dismiss_suggestions,
    kind_label,
    screenshot_tip,
    suggestion_groups,
    suggestions_for,
)
from app.core.reading.text_source import TextSource, text_source
from app.core.reading.unchecked import UncheckedDetail, unchecked_details, unchecked_details_in

__all__ = [
    "DOCUMENT_TYPES",
    "TEXT_READER",
    "TEXT_TYPE",
    "CandidateKind",
    "ChatDetailsProgress",
    "DetailKind",
    "FromMessage",
    "Reading",
    "ReadingProgress",
    "Suggestion",
    "SuggestionGroup",
    "TextSource",
    "UncheckedDetail",
    "add_suggestions",
    "checked_with_retype",
    "dismiss_suggestions",
    "find_in_chats",
    "is_document_reading",
    "kind_label",
    "pending_exports",
    "plainly_another_type",
    "read_unread",
    "reading_of",
    "recognised_texts",
    "recognised_texts_in",
    "require_engine",
    "screenshot_tip",
    "suggestion_groups",
    "suggestions_for",
    "text_source",
    "unchecked_details",
    "unchecked_details_in",
    "unread_ids",
    "what_it_is",
]
