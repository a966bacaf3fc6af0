"""Details found in the evidence that the person has not checked yet, for the officers' bundle.

A case exported straight after a chat export was added said on page 1 "No details of the
offender are recorded", while the export's messages held an e-mail address and a phone
number that Safekeep had found and offered. Nothing found by a machine becomes one of the
case's identifiers unasked (suggestions.py says why); the bundle lists these apart, as read
by machine and not checked, each with the exhibits it was seen in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.identifiers import IdentifierType
from app.core.reading.kinds import HARD_TO_READ_BELOW, candidate_kind
from app.models import ChatMessage, Identifier, SuggestionState, TextSuggestion
from app.models.casefile import CaseFile


@dataclass(frozen=True, slots=True)
class UncheckedDetail:
    """One detail (a kind and its tidy form), however many items it was seen in."""

    kind: IdentifierType
    value: str  # as read the first time
    normalised: str
    platform: str | None
    evidence_ids: tuple[int, ...]  # ascending
    confidence: float  # the best of its sightings, 0-100
    sender: str | None = None  # of the first chat message it was seen in
    sent_at: str | None = None  # that message's time, as the export writes it

    @property
    def hard_to_read(self) -> bool:
        return self.confidence < HARD_TO_READ_BELOW


def unchecked_details_in(session: Session) -> list[UncheckedDetail]:
    """The details offered and neither added nor dismissed, that are not among the case's
    identifiers already: identifiers only (an amount or a time is not someone), in the
    order the suggestions were found."""
    saved = {(kind, normalised) for kind, normalised
             in session.execute(select(Identifier.type, Identifier.normalised))}
    rows = session.execute(
        select(TextSuggestion.kind, TextSuggestion.value, TextSuggestion.normalised,
               TextSuggestion.platform, TextSuggestion.evidence_id, TextSuggestion.confidence,
               ChatMessage.sender, ChatMessage.sent_at)
        .outerjoin(ChatMessage, ChatMessage.id == TextSuggestion.message_id)
        .where(TextSuggestion.state == SuggestionState.NEW.value)
        .order_by(TextSuggestion.id))
    first: dict[tuple[IdentifierType, str], tuple[str, str | None, str | None, str | None]] = {}
    seen_in: dict[tuple[IdentifierType, str], set[int]] = {}
    best: dict[tuple[IdentifierType, str], float] = {}
    for kind_text, value, normalised, platform, evidence_id, confidence, sender, sent_at in rows:
        kind = candidate_kind(kind_text)
        if not isinstance(kind, IdentifierType) or (kind.value, normalised) in saved:
            continue
        key = (kind, normalised)
        if key not in first:  # as first found: its value, platform and message
            first[key] = (value, platform, sender, sent_at)
        seen_in.setdefault(key, set()).add(evidence_id)
        best[key] = max(best.get(key, 0.0), confidence)
    return [UncheckedDetail(key[0], value, key[1], platform, tuple(sorted(seen_in[key])),
                            best[key], sender, sent_at)
            for key, (value, platform, sender, sent_at) in first.items()]


def unchecked_details(case: CaseFile) -> list[UncheckedDetail]:
    """`unchecked_details_in`, in a read of its own (for the window)."""
    with case.read() as session:
        return unchecked_details_in(session)
