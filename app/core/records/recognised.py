"""Links that text recognition makes: a saved identifier is linked to every picture whose text
shows it, whichever came first (the identifier saved, then a picture read; or a picture read,
then the identifier saved). One function serves both orders, inside the caller's transaction.

A match is exact on the normalised form (the form that spots duplicates), so a misread letter
links nothing. What the link came from is kept where it already lives: the suggestion that
found the identifier in the picture is marked added, with the identifier's id, and the link is
audited as its own `identifier.link` event with `"by": "text recognition"`. A suggestion the
person dismissed never makes a link, and a link the person removed is not made again (its
suggestion is no longer new).
"""

from collections.abc import Iterable

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from app.core.records.audited import audit
from app.i18n import tr, tr_n
from app.models import ChatExportRead, Identifier, SuggestionState, TextSuggestion
from app.models.records import identifier_evidence

BY_TEXT_RECOGNITION = "text recognition"


def link_recognised(
    session: Session,
    actor: str,
    *,
    identifier_id: int | None = None,
    evidence_id: int | None = None,
) -> dict[int, list[int]]:
    """Link saved identifiers to the pictures text recognition read them in; limited to one
    identifier or to one picture. Returns {identifier id: [evidence ids newly linked]}."""
    # A suggestion not acted on yet, or one whose identifier was removed since (the foreign
    # key set it to NULL): the identifier saved again is the person's word that it matters.
    open_state = or_(
        TextSuggestion.state == SuggestionState.NEW.value,
        and_(
            TextSuggestion.state == SuggestionState.ADDED.value,
            TextSuggestion.identifier_id.is_(None),
        ),
    )
    query = (
        select(TextSuggestion.id, TextSuggestion.evidence_id, Identifier.id.label("identifier"))
        .join(
            Identifier,
            and_(
                Identifier.type == TextSuggestion.kind,
                Identifier.normalised == TextSuggestion.normalised,
            ),
        )
        .where(open_state)
        .order_by(Identifier.id, TextSuggestion.evidence_id, TextSuggestion.id)
    )
    if identifier_id is not None:
        query = query.where(Identifier.id == identifier_id)
    if evidence_id is not None:
        query = query.where(TextSuggestion.evidence_id == evidence_id)
    found = session.execute(query).all()
    if not found:
        return {}
    linked = _existing_links(session, {row.identifier for row in found})
    made: dict[int, list[int]] = {}
    used: dict[int, list[int]] = {}  # identifier id -> the suggestions that made its links
    for suggestion_id, picture_id, ident in found:
        if (ident, picture_id) in linked:
            continue  # linked already (by the person, or just now by another suggestion)
        linked.add((ident, picture_id))
        made.setdefault(ident, []).append(picture_id)
        used.setdefault(ident, []).append(suggestion_id)
    for ident, pictures in made.items():
        session.execute(
            insert(identifier_evidence),
            [{"identifier_id": ident, "evidence_item_id": p} for p in pictures],
        )
        session.execute(
            update(TextSuggestion)
            .where(TextSuggestion.id.in_(used[ident]))
            .values(state=SuggestionState.ADDED.value, identifier_id=ident)
        )
        audit(
            session,
            actor,
            "identifier.link",
            f"identifier:{ident}",
            {"added": pictures, "removed": [], "by": BY_TEXT_RECOGNITION,
             "suggestions": used[ident]},
        )
    return made


def recognised_links(session: Session) -> set[tuple[int, int]]:
    """(identifier id, evidence id) of every link that came from text recognition: the
    picture's suggestion was added as, or linked to, that identifier. The caller keeps only the
    links that still exist (a link the person removed leaves its suggestion behind)."""
    rows = session.execute(
        select(TextSuggestion.identifier_id, TextSuggestion.evidence_id)
        .where(TextSuggestion.state == SuggestionState.ADDED.value)
        .where(TextSuggestion.identifier_id.is_not(None))
    )
    return {(ident, picture) for ident, picture in rows if ident is not None}


def _existing_links(session: Session, identifier_ids: Iterable[int]) -> set[tuple[int, int]]:
    rows = session.execute(
        select(identifier_evidence.c.identifier_id, identifier_evidence.c.evidence_item_id)
        .where(identifier_evidence.c.identifier_id.in_(sorted(set(identifier_ids))))
    )
    return {(int(ident), int(picture)) for ident, picture in rows}


def linked_sentence(session: Session, evidence_ids: Iterable[int]) -> str:
    """What saving a detail linked it to, in words: pictures read by text recognition, chat
    exports whose messages hold it, or both. It had said "found it in 1 picture" for a chat
    export, and the person would look for a picture."""
    linked = set(evidence_ids)
    chats = len(set(session.scalars(select(ChatExportRead.evidence_id)
                                     .where(ChatExportRead.evidence_id.in_(linked)))))
    pictures = len(linked) - chats
    if not chats:
        return tr_n("Text recognition found it in %n picture, so it is now linked to that picture.",
                    "Text recognition found it in %n pictures, so it is now linked to them.",
                    pictures)
    if not pictures:
        return tr_n("It is in the messages of %n chat export, so it is now linked to that export.",
                    "It is in the messages of %n chat exports, so it is now linked to them.",
                    chats)
    return tr("Text recognition found it in {pictures}, and it is in the messages of {chats}, "
              "so it is now linked to them.").format(
        pictures=tr_n("%n picture", "%n pictures", pictures),
        chats=tr_n("%n chat export", "%n chat exports", chats))
