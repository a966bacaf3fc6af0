"""Offender identifiers in the case: add (merging duplicates), edit, remove, link to evidence.

Values are kept exactly as entered; `app.core.identifiers.normalising.normalise` gives the form
used to spot duplicates and the gentle warnings. Warnings never block: a frightened person may only
have part of a value, and part of a value can still help officers.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.identifiers import IdentifierType, normalise, parse_type
from app.core.records.audited import (
    apply_changes,
    audit,
    check_evidence_ids,
    get_or_fail,
    linked_ids,
    set_links,
)
from app.core.records.recognised import link_recognised, linked_sentence, recognised_links
from app.i18n import tr
from app.models import Identifier
from app.models.casefile import CaseFile
from app.models.records import identifier_evidence, timeline_identifier


@dataclass(frozen=True)
class IdentifierRow:
    id: int
    type: IdentifierType
    value: str
    normalised: str
    platform: str | None
    note: str
    unsure: bool
    evidence_ids: tuple[int, ...]
    # Those of evidence_ids whose link came from text recognition (it read the identifier in
    # that picture), as opposed to a link the person made.
    recognised_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SaveResult:
    identifier_id: int
    merged: bool  # True: the same identifier was already there; nothing new was added
    warnings: tuple[str, ...]
    message: str
    recognised: tuple[int, ...] = ()  # pictures linked now because text recognition read it


def add_identifier(
    case: CaseFile,
    type_keyword: str,
    value: str,
    *,
    platform: str | None = None,
    note: str = "",
    unsure: bool = False,
    evidence_ids: Iterable[int] = (),
) -> SaveResult:
    kind = parse_type(type_keyword)
    norm = normalise(kind, value, platform)
    with case.write() as session:
        wanted_links = check_evidence_ids(session, evidence_ids)
        existing = session.scalars(
            select(Identifier).where(
                Identifier.type == kind.value, Identifier.normalised == norm.normalised
            )
        ).first()
        if existing is not None:
            # Merge: keep the first wording, add any new links and notes, tell the person.
            added, _ = set_links(
                session,
                identifier_evidence,
                "identifier_id",
                existing.id,
                "evidence_item_id",
                set(wanted_links) | set(_links_of(session, existing.id)),
            )
            if note and note not in existing.note:
                existing.note = f"{existing.note}\n{note}".strip()
            audit(
                session,
                case.actor,
                "identifier.merge",
                f"identifier:{existing.id}",
                {"value": value, "linked_evidence": added},
            )
            found = link_recognised(session, case.actor, identifier_id=existing.id)
            return _saved(
                session,
                existing.id,
                True,
                norm.warnings,
                tr("This identifier was already in the case. Nothing was lost."),
                found.get(existing.id, []),
            )
        row = Identifier(
            type=kind.value,
            value=value,
            normalised=norm.normalised,
            platform=norm.platform or platform,
            note=note,
            unsure=unsure,
        )
        session.add(row)
        session.flush()
        set_links(
            session, identifier_evidence, "identifier_id", row.id, "evidence_item_id", wanted_links
        )
        audit(
            session,
            case.actor,
            "identifier.add",
            f"identifier:{row.id}",
            {
                "type": kind.value,
                "value": value,
                "platform": row.platform,
                "unsure": unsure,
                "evidence": wanted_links,
            },
        )
        found = link_recognised(session, case.actor, identifier_id=row.id)
        return _saved(session, row.id, False, norm.warnings, tr("Saved."),
                      found.get(row.id, []))


def edit_identifier(
    case: CaseFile,
    identifier_id: int,
    *,
    type_keyword: str | None = None,
    value: str | None = None,
    platform: str | None = None,
    note: str | None = None,
    unsure: bool | None = None,
) -> SaveResult:
    with case.write() as session:
        row = get_or_fail(session, Identifier, identifier_id, "identifier")
        kind = parse_type(type_keyword) if type_keyword is not None else IdentifierType(row.type)
        new_value = row.value if value is None else value
        new_platform = row.platform if platform is None else (platform or None)
        norm = normalise(kind, new_value, new_platform)
        changes: dict[str, object] = {
            "type": kind.value,
            "value": new_value,
            "normalised": norm.normalised,
            "platform": norm.platform or new_platform,
        }
        if note is not None:
            changes["note"] = note
        if unsure is not None:
            changes["unsure"] = unsure
        changed = apply_changes(row, changes)
        if changed:
            audit(session, case.actor, "identifier.edit", f"identifier:{row.id}", changed)
            session.flush()  # the new normalised form is what text recognition is matched on
        found = link_recognised(session, case.actor, identifier_id=row.id) if changed else {}
        return _saved(session, row.id, False, norm.warnings, tr("Saved."),
                      found.get(row.id, []))


def remove_identifier(case: CaseFile, identifier_id: int) -> None:
    with case.write() as session:
        row = get_or_fail(session, Identifier, identifier_id, "identifier")
        audit(
            session,
            case.actor,
            "identifier.remove",
            f"identifier:{row.id}",
            {"type": row.type, "value": row.value},
        )
        session.execute(
            delete(identifier_evidence).where(identifier_evidence.c.identifier_id == row.id)
        )
        session.execute(
            delete(timeline_identifier).where(timeline_identifier.c.identifier_id == row.id)
        )
        session.delete(row)


def link_identifier_evidence(
    case: CaseFile, identifier_id: int, evidence_ids: Iterable[int]
) -> None:
    """Make the identifier's evidence links exactly `evidence_ids`."""
    with case.write() as session:
        get_or_fail(session, Identifier, identifier_id, "identifier")
        wanted = check_evidence_ids(session, evidence_ids)
        added, removed = set_links(
            session, identifier_evidence, "identifier_id", identifier_id, "evidence_item_id", wanted
        )
        if added or removed:
            audit(
                session,
                case.actor,
                "identifier.link",
                f"identifier:{identifier_id}",
                {"added": added, "removed": removed},
            )


def _saved(session: Session, identifier_id: int, merged: bool, warnings: tuple[str, ...],
           message: str, recognised: list[int]) -> SaveResult:
    if recognised:
        message += " " + linked_sentence(session, recognised)
    return SaveResult(identifier_id, merged, warnings, message, tuple(recognised))


def identifier_rows(session: Session) -> list[IdentifierRow]:
    links = linked_ids(session, identifier_evidence, "identifier_id", "evidence_item_id")
    recognised = recognised_links(session)
    rows = session.scalars(select(Identifier).order_by(Identifier.type, Identifier.id)).all()
    return [
        IdentifierRow(
            id=r.id,
            type=_type_of(r.type),
            value=r.value,
            normalised=r.normalised,
            platform=r.platform,
            note=r.note,
            unsure=r.unsure,
            evidence_ids=tuple(links.get(r.id, ())),
            recognised_ids=tuple(e for e in links.get(r.id, ()) if (r.id, e) in recognised),
        )
        for r in rows
    ]


def list_identifiers(case: CaseFile) -> list[IdentifierRow]:
    with case.read() as session:
        return identifier_rows(session)


def _type_of(keyword: str) -> IdentifierType:
    try:
        return IdentifierType(keyword)
    except ValueError:  # a type a newer Safekeep knows: show it as "other", keep the value
        return IdentifierType.OTHER


def _links_of(session: Session, identifier_id: int) -> list[int]:
    return list(
        session.scalars(
            select(identifier_evidence.c.evidence_item_id).where(
                identifier_evidence.c.identifier_id == identifier_id
            )
        )
    )
