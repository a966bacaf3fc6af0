"""Reading the text in pictures: the offline engine, the page it reads, the worker pool, the rules
that find details, the stored readings and the suggestions offered to the person. This module is
the package's public face: code outside it imports from here. This module is the package's
public face: code outside it imports from here.
"""

from app.core.reading.kinds import CandidateKind, DetailKind
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
    Suggestion,
    SuggestionGroup,
    add_suggestions,
    dismiss_suggestions,
    kind_label,
    screenshot_tip,
    suggestion_groups,
    suggestions_for,
)

__all__ = [
    "CandidateKind",
    "DetailKind",
    "Reading",
    "ReadingProgress",
    "Suggestion",
    "SuggestionGroup",
    "add_suggestions",
    "dismiss_suggestions",
    "kind_label",
    "read_unread",
    "reading_of",
    "recognised_texts",
    "recognised_texts_in",
    "require_engine",
    "screenshot_tip",
    "suggestion_groups",
    "suggestions_for",
    "unread_ids",
]
