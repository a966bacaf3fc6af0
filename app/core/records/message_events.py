"""A message put on the timeline: the event an officer reads in the chronology, linked to the
chat export it was read from (and to the pictures kept from it), saved and audited in one
transaction like any other timeline change.

The time is the message's own, as the export writes it. The timeline keeps instants, so a
time the export gives with no zone (WhatsApp: the phone's own clock) is taken as this
computer's local time, as a time a person types is; the description repeats the time exactly
as written, so nothing is lost if the phone was set to another zone.
"""

from datetime import datetime

from sqlalchemy import select

from app.core.records.messages import MessageRow, message_rows
from app.core.records.timeline import add_event_in
from app.errors import NotFound
from app.i18n import tr
from app.models import ChatConversation, EvidenceItem, TimelineKind
from app.models.casefile import CaseFile
from app.text_safety import flatten

SUMMARY_CHARS = 160  # enough for a threat or a demand; the whole text stays in the export


def _shortened(text: str, limit: int = SUMMARY_CHARS) -> str:
    one_line = " / ".join(part.strip() for part in text.splitlines() if part.strip())
    one_line = " ".join(flatten(one_line).split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1].rstrip() + "…"


def message_summary(message: MessageRow) -> str:
    """One line for the timeline: who, and what they wrote (shortened)."""
    what = _shortened(message.text)
    if message.is_deleted:
        what = what or tr("(this message was deleted)")
    if not what and message.attachments:
        what = tr("sent {name}").format(name=message.attachments[0].path.rsplit("/", 1)[-1])
    if not what and message.media_omitted:
        what = tr("sent a picture or video that the export left out")
    if message.sender is None:
        return tr("Chat: {what}").format(what=what)
    return tr("{sender} wrote: “{what}”").format(sender=_shortened(message.sender, 60), what=what)


def _where(message: MessageRow, export_name: str, count: int) -> str:
    zone = "" if _has_offset(message.sent_at) else " " + tr(
        "(the phone's own clock; the export states no time zone)")
    return tr("From the chat export {name}, conversation “{title}”, message {number} of "
              "{count}. Time as written in the export: {when}{zone}.").format(
        name=export_name, title=_shortened(message.conversation_title, 80),
        number=message.position + 1, count=count, when=message.sent_at, zone=zone)


def _has_offset(sent_at: str) -> bool:
    return datetime.fromisoformat(sent_at).tzinfo is not None


def add_message_to_timeline(case: CaseFile, message_id: int, *,
                            kind: str = TimelineKind.OTHER) -> int:
    """Put one message on the timeline; returns the new event's number."""
    with case.write() as session:
        found = list(message_rows(session, ids=[message_id]))
        if not found:
            raise NotFound(tr("There is no message with number {id}.").format(id=message_id))
        message = found[0]
        count = session.scalar(select(ChatConversation.message_count).where(
            ChatConversation.id == message.conversation)) or 0
        export_name = session.scalar(select(EvidenceItem.original_name).where(
            EvidenceItem.id == message.evidence_id)) or ""
        linked = [message.evidence_id, *(a.evidence_id for a in message.attachments
                                         if a.evidence_id is not None)]
        description = f"{message_summary(message)}\n{_where(message, export_name, count)}"
        return add_event_in(
            session, case.actor, datetime.fromisoformat(message.sent_at), description,
            kind=kind, evidence_ids=linked,
            audit_extra={"from_message": message.id, "sent_at_as_written": message.sent_at})



