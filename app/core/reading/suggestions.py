"""Details found in the pictures' text or in chat messages, offered to the person: add with
one click, or dismiss.

Nothing found by a machine becomes part of the case by itself: a misread letter in a Skype ID
would send officers after the wrong person. A suggestion becomes an identifier (linked to the
pictures it was seen in) only when the person adds it; a dismissed one stays dismissed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import Session

from app.core.identifiers import IdentifierType
from app.core.reading.documents import DOCUMENT_TYPES, is_document_reading
from app.core.reading.kinds import (
    HARD_TO_READ_BELOW,
    CandidateKind,
    DetailKind,
    candidate_kind,
    what_it_is,
)
from app.core.reading.stored import reading_of
from app.core.records import SaveResult, add_identifier, audit
from app.errors import InvalidInput
from app.i18n import tr
from app.models import (
    ChatConversation,
    ChatMessage,
    EvidenceItem,
    Identifier,
    SuggestionState,
    TextSuggestion,
)
from app.models.casefile import CaseFile

# Kinds that say who someone is: a picture with none of them does not show who wrote.
_WHO_KINDS: frozenset[CandidateKind] = frozenset({
    IdentifierType.USERNAME, IdentifierType.FACEBOOK, IdentifierType.URL,
    IdentifierType.SKYPE_ID, IdentifierType.SKYPE_NAME, IdentifierType.EMAIL,
    IdentifierType.PHONE,
})
# Identifiers first, then amounts, then dates and times (a chat is full of those).
_KIND_ORDER: dict[CandidateKind, int] = {
    kind: n for n, kind in enumerate([*IdentifierType, *DetailKind])
}
# A picture with fewer words than this is a photo, not a chat: the tip would not fit.
_WORDS_OF_A_CHAT = 8
_MAX_BOXES = 50
_CONTEXT_CHARS = 200  # of a message, shown beside a detail found in it
_READ_CHARS = 20_000  # of a message, looked through for where the detail is in it


@dataclass(frozen=True)
class FromMessage:
    """The chat message a detail was first seen in, to show instead of a picture."""

    message_id: int
    conversation: str
    sender: str | None
    sent_at: str  # as the export writes it
    text: str  # the words around the detail (from a word before it), else the start


class _DetailFacts:
    """What one sighting of a detail and a group of them tell alike about the detail."""

    kind: CandidateKind
    value: str
    platform: str | None
    saved: bool  # the same detail is already among the case's identifiers
    confidence: float

    @property
    def can_add(self) -> bool:
        return is_identifier_kind(self.kind) and not self.saved

    @property
    def platform_to_show(self) -> str | None:
        """The platform, when the value does not already name it ("snapchat.com/add/x"), or
        what the detail is where its kind does not say ("Telegram account number")."""
        if (what := what_it_is(self.kind, self.platform, self.value)) is not None:
            return what
        if self.platform and self.platform.casefold() not in self.value.casefold():
            return self.platform
        return None

    @property
    def hard_to_read(self) -> bool:
        """Tesseract was unsure of a word: a letter may well be wrong."""
        return self.confidence < HARD_TO_READ_BELOW


@dataclass(frozen=True)
class Suggestion(_DetailFacts):
    id: int
    evidence_id: int
    kind: CandidateKind
    value: str
    normalised: str
    platform: str | None
    boxes: tuple[tuple[int, int, int, int], ...]  # in the picture's own pixels
    state: SuggestionState
    saved: bool  # the same detail is already among the case's identifiers
    confidence: float  # the lowest Tesseract gave its words, 0-100
    message: FromMessage | None = None  # for a detail found in a chat export
    document: bool = False  # found in a PDF: its text as written (a scanned page recognised)


@dataclass(frozen=True)
class SuggestionGroup(_DetailFacts):
    """One detail, however many pictures it was seen in."""

    kind: CandidateKind
    normalised: str
    value: str  # as read the first time
    platform: str | None
    suggestion_ids: tuple[int, ...]
    evidence_ids: tuple[int, ...]
    state: SuggestionState  # new while any picture's suggestion is new
    saved: bool
    confidence: float  # the best of its sightings: one clear picture is enough
    messages: tuple[FromMessage, ...] = ()  # where it was seen in chat messages
    export_ids: tuple[int, ...] = ()  # those of evidence_ids that are chat exports
    document_ids: tuple[int, ...] = ()  # those of evidence_ids that are documents (a PDF...)

    @property
    def picture_ids(self) -> tuple[int, ...]:
        """Those of evidence_ids that are pictures."""
        others = set(self.export_ids) | set(self.document_ids)
        return tuple(i for i in self.evidence_ids if i not in others)

    @property
    def pictures(self) -> int:
        return len(self.picture_ids)


def is_identifier_kind(kind: CandidateKind) -> bool:
    return isinstance(kind, IdentifierType)


def kind_label(kind: CandidateKind) -> str:
    return kind.label


def suggestions_for(case: CaseFile, evidence_id: int) -> list[Suggestion]:
    """The details found in one picture, dismissed ones included: identifiers first, then
    amounts, then dates and times (a chat is full of those), each in reading order."""
    found = _load(case, TextSuggestion.evidence_id == evidence_id)
    rank: dict[CandidateKind, int] = {DetailKind.AMOUNT: 1, DetailKind.DATE_TIME: 2}
    return sorted(found, key=lambda s: rank.get(s.kind, 0))  # stable: reading order stays


def suggestion_groups(case: CaseFile, *, dismissed: bool = False) -> list[SuggestionGroup]:
    """Every detail found across the case, one group per (kind, normalised form)."""
    condition = (
        TextSuggestion.state.is_not(None)
        if dismissed
        else TextSuggestion.state != SuggestionState.DISMISSED
    )
    grouped: dict[tuple[CandidateKind, str], list[Suggestion]] = {}
    for item in _load(case, condition):
        grouped.setdefault((item.kind, item.normalised), []).append(item)
    groups = []
    for (kind, normalised), items in grouped.items():
        states = {item.state for item in items}
        state = next(s for s in SuggestionState if s in states)  # new, then added, dismissed
        groups.append(
            SuggestionGroup(
                kind,
                normalised,
                items[0].value,
                next((i.platform for i in items if i.platform), None),
                tuple(item.id for item in items),
                tuple(sorted({item.evidence_id for item in items})),
                state,
                items[0].saved,
                max(item.confidence for item in items),
                tuple(item.message for item in items if item.message is not None),
                tuple(sorted({i.evidence_id for i in items if i.message is not None})),
                tuple(sorted({i.evidence_id for i in items if i.document})),
            )
        )
    groups.sort(key=lambda g: (_KIND_ORDER[g.kind], g.normalised))
    return groups


def add_suggestions(case: CaseFile, suggestion_ids: Iterable[int]) -> SaveResult:
    """Add one detail (one suggestion, or a group of the same detail) as an identifier,
    linked to every picture it was seen in."""
    items = _load(case, TextSuggestion.id.in_(list(suggestion_ids)))
    kinds = {(item.kind, item.normalised) for item in items}
    first = items[0] if len(kinds) == 1 else None
    if first is None or not isinstance(first.kind, IdentifierType):
        raise InvalidInput(tr("This detail cannot be added as an identifier."))
    note = _found_note(items)
    if (what := what_it_is(first.kind, first.platform, first.value)) is not None:
        note = f"{what}. {note}"  # in the details table and the report, beside "Other detail"
    result = add_identifier(
        case,
        first.kind,
        first.value,
        platform=first.platform,
        note=note,
        evidence_ids=sorted({item.evidence_id for item in items}),
    )
    _set_state(case, [i.id for i in items], SuggestionState.ADDED, result.identifier_id)
    return result


def _found_note(items: list[Suggestion]) -> str:
    """Where the detail was seen, kept with the identifier it becomes. Said as what happened,
    not as advice: "Please check it against the picture" stood in the officer's report
    beside a detail the person had checked and added, and read as if nobody had."""
    in_messages = sum(item.message is not None for item in items)
    in_documents = sum(item.document for item in items)
    if in_messages == len(items):
        return tr("Found by Safekeep in a message in a chat export, and added from there.")
    if in_documents == len(items):
        return tr("Found in the text of a document (a PDF or a text file), and added from "
                  "there.")
    if in_messages and not in_documents:
        return tr("Found by text recognition in a picture and by Safekeep in a chat export's "
                  "messages, and added from there.")
    if in_messages or in_documents:
        return tr("Found by Safekeep in more than one place (pictures read by text "
                  "recognition, chat messages or documents), and added from there.")
    return tr("Found by text recognition in a picture, and added from there.")


def dismiss_suggestions(case: CaseFile, suggestion_ids: Iterable[int]) -> None:
    _set_state(case, list(suggestion_ids), SuggestionState.DISMISSED, None)


def screenshot_tip(case: CaseFile, evidence_id: int) -> str | None:
    """A kind word when a chat picture does not show who wrote or when, else None."""
    reading = reading_of(case, evidence_id)
    if reading is None or reading.page is None or len(reading.page.words) < _WORDS_OF_A_CHAT:
        return None
    if is_document_reading(reading.engine):  # not a screenshot to take again
        return None
    kinds = {item.kind for item in suggestions_for(case, evidence_id)}
    shows_who, shows_when = bool(kinds & _WHO_KINDS), DetailKind.DATE_TIME in kinds
    if shows_who and shows_when:
        return None
    if shows_when:
        missing = tr("who sent the messages (their username or profile link)")
    elif shows_who:
        missing = tr("when the messages were sent (the date and time)")
    else:
        missing = tr("who sent the messages and when (their username and the date and time)")
    return tr(
        "Safekeep could not see {missing} in this picture. Police find screenshots most "
        "useful when they show who sent a message and when. If you can, take another "
        "screenshot that shows this too, and keep this one as well."
    ).format(missing=missing)


def _load(case: CaseFile, condition: ColumnElement[bool]) -> list[Suggestion]:
    with case.read() as session:
        # Named columns, not whole objects: a case of 30,000 pictures has tens of thousands
        # of details, and building an ORM object for each was most of the time.
        rows = session.execute(
            select(TextSuggestion.id, TextSuggestion.evidence_id, TextSuggestion.kind,
                   TextSuggestion.value, TextSuggestion.normalised, TextSuggestion.platform,
                   TextSuggestion.boxes_json, TextSuggestion.state, TextSuggestion.confidence,
                   TextSuggestion.message_id,
                   # Not a text file's chat messages: a chat export it is.
                   and_(EvidenceItem.detected_type.in_(DOCUMENT_TYPES),
                        TextSuggestion.message_id.is_(None)).label("document"))
            .join(EvidenceItem, EvidenceItem.id == TextSuggestion.evidence_id)
            .where(condition).order_by(TextSuggestion.id)
        ).all()
        messages = _messages(session, {r.message_id for r in rows if r.message_id is not None})
        saved = {
            (kind, normalised)
            for kind, normalised in session.execute(
                select(Identifier.type, Identifier.normalised)
            )
        }
        return [
            Suggestion(
                row.id,
                row.evidence_id,
                kind,
                row.value,
                row.normalised,
                row.platform,
                _boxes(row.boxes_json),
                SuggestionState(row.state),
                (kind, row.normalised) in saved,
                row.confidence,
                _seen_in(messages, row.message_id, row.value),
                bool(row.document),
            )
            for row in rows
            # Parsed here, once. A kind this version does not know (a damaged or hand-edited
            # file) is left out: nothing could be done with it.
            if (kind := candidate_kind(row.kind)) is not None
        ]


def _seen_in(messages: dict[int, FromMessage], message_id: int | None,
             value: str) -> FromMessage | None:
    """The message a detail was seen in, its words from just before the detail: a long
    message (an e-mail) had shown only its start, and a detail late in it cut or not at all."""
    message = messages.get(message_id) if message_id is not None else None
    if message is None:
        return None
    return replace(message, text=_around(message.text, value))


def _around(text: str, value: str) -> str:
    at = text.find(value) if value else -1
    if at <= 30:  # near the start, or not in the words (a detail of the sender's own)
        return text[:_CONTEXT_CHARS]
    space = text.rfind(" ", at - 30, at - 5)  # begin with a whole word
    start = space + 1 if space >= 0 else at - 20
    return "\u2026" + text[start:start + _CONTEXT_CHARS].lstrip()


def _messages(session: Session, ids: set[int]) -> dict[int, FromMessage]:
    found: dict[int, FromMessage] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(ChatMessage.id, ChatConversation.title, ChatMessage.sender,
                   ChatMessage.sent_at, func.substr(ChatMessage.text, 1, _READ_CHARS))
            .join(ChatConversation, ChatConversation.id == ChatMessage.conversation_id)
            .where(ChatMessage.id.in_(wanted[start : start + 500])))
        for message_id, title, sender, sent_at, text in rows:
            found[message_id] = FromMessage(message_id, title, sender, sent_at, text)
    return found


def _boxes(text: str) -> tuple[tuple[int, int, int, int], ...]:
    if text == "[]":  # a chat message's detail: no boxes, and no JSON to read
        return ()
    try:
        boxes = json.loads(text)
        return tuple(
            (int(b[0]), int(b[1]), int(b[2]), int(b[3])) for b in boxes[:_MAX_BOXES]
        )
    except (ValueError, TypeError, IndexError):
        return ()


def _set_state(
    case: CaseFile, ids: list[int], state: SuggestionState, identifier_id: int | None
) -> None:
    if not ids:
        return
    with case.write() as session:
        session.execute(
            update(TextSuggestion)
            .where(TextSuggestion.id.in_(ids))
            .values(state=state.value, identifier_id=identifier_id)
        )
        audit(
            session,
            case.actor,
            f"suggestion.{state.value}",
            "suggestions",
            {"ids": ids, "identifier": identifier_id},
        )
