"""`safekeep list ...`: rows for --json and one readable line per row."""

from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select

from app.core.records import (
    ConversationRow,
    EvidenceRow,
    MessageRow,
    amount_text,
    case_summary,
    exhibit_reference,
    exhibit_references,
    in_exhibit_order,
    iter_messages,
    kind_label,
    list_conversations,
    list_events,
    list_evidence,
    list_identifiers,
    list_payments,
    method_label,
    status_label,
)
from app.i18n import tr, tr_n
from app.models import AuditEvent
from app.models.casefile import CaseFile

Lister = Callable[[CaseFile], tuple[Iterable[Any], Callable[[Any], str]]]


def _number_width(ids: Iterable[int]) -> int:
    """The width of the longest "#12": a list of more than nine rows stays in columns
    ("#9  phone" above "#10  phone" had put every value after it one place out)."""
    return len(f"#{max(ids, default=0)}")


def _evidence(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    """Each item with its exhibit reference ("AB/3"), as the bundle and the window name it:
    the number alone meant nothing to an officer reading the list beside the report."""
    initials = case_summary(case).producer_initials

    def with_reference(e: EvidenceRow) -> dict[str, Any]:
        return {"exhibit": exhibit_reference(initials, e.exhibit_number), **asdict(e)}

    rows = [with_reference(e) for e in list_evidence(case)]
    width = _number_width(e["id"] for e in rows)

    def line(e: dict[str, Any]) -> str:
        flag = " [sensitive]" if e["sensitive"] else ""
        if e["chat_platform"]:  # its messages: `safekeep search`, `read-chat`
            from app.core.chats import Platform, platform_name  # 13 ms: only with chats

            flag += " [" + (tr("E-mail") if e["chat_platform"] == Platform.EMAIL.value else tr(
                "{platform} chat").format(platform=platform_name(e["chat_platform"]))) + "]"
        return (f"{'#' + str(e['id']):<{width}}  {e['exhibit']:<7} {e['sha256'][:12]}  "
                f"{e['size']:>10}  {e['detected_type']:<24} {e['original_name']}{flag}")

    return rows, line


class _Linked:
    """A detail, payment or event with the exhibit references ("AB/3") of the items it is
    linked to: in --json as `exhibits`, on its line after an arrow. The ids alone
    (`evidence_ids`) meant nothing beside the report."""

    def __init__(self, case: CaseFile, rows: list[Any]) -> None:
        self.refs = exhibit_references(case, (i for r in rows for i in r.evidence_ids))

    def exhibits(self, row: Any) -> list[str]:
        return in_exhibit_order(self.refs[i] for i in row.evidence_ids if i in self.refs)

    def json_rows(self, rows: list[Any]) -> list[dict[str, Any]]:
        return [{**asdict(r), "exhibits": self.exhibits(r)} for r in rows]

    def arrow(self, row: dict[str, Any]) -> str:
        return "  -> " + ", ".join(row["exhibits"]) if row["exhibits"] else ""


def _identifiers(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    found = list_identifiers(case)
    linked = _Linked(case, found)
    rows = linked.json_rows(found)
    width = _number_width(i["id"] for i in rows)

    def line(i: dict[str, Any]) -> str:
        extra = f"  ({i['platform']})" if i["platform"] else ""
        unsure = " [unsure]" if i["unsure"] else ""
        return (f"{'#' + str(i['id']):<{width}}  {i['type'].value:<13} {i['value']}{extra}"
                f"{unsure}{linked.arrow(i)}")

    return rows, line


def _payments(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    found = list_payments(case)
    linked = _Linked(case, found)
    rows = linked.json_rows(found)
    width = _number_width(p["id"] for p in rows)

    def line(p: dict[str, Any]) -> str:
        when = p["paid_on"].isoformat() if p["paid_on"] else "date not known"
        # Whether the bank was told, and when, as the window's table and the report say it.
        told = "" if not p["bank_told"] else "  " + (
            tr("bank told {day}").format(day=p["bank_told_on"].isoformat())
            if p["bank_told_on"] else tr("bank told"))
        return (
            f"{'#' + str(p['id']):<{width}}  {when}  {amount_text(p['amount'])} {p['currency']}  "
            f"{method_label(p['method'])}  {p['reference']}  {status_label(p['status'])}{told}"
            f"{linked.arrow(p)}"
        )

    return rows, line


def _timeline(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    found = list_events(case)
    linked = _Linked(case, found)
    rows = linked.json_rows(found)
    width = _number_width(t["id"] for t in rows)

    def line(t: dict[str, Any]) -> str:
        about = "about " if t["approximate"] else ""
        when = t["occurred_at"].astimezone().strftime("%Y-%m-%d %H:%M")
        return (f"{'#' + str(t['id']):<{width}}  {about}{when}  {kind_label(t['kind'])}: "
                f"{t['description']}{linked.arrow(t)}")

    return rows, line


def _audit(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    with case.read() as session:
        rows = [
            {
                "id": a.id,
                "at": a.at,
                "actor": a.actor,
                "action": a.action,
                "subject": a.subject,
                "details": a.details,
                "prev_hash": a.prev_hash,
                "hash": a.hash,
            }
            for a in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]

    def line(a: dict[str, Any]) -> str:
        when = a["at"].isoformat(timespec="seconds")
        return f"#{a['id']}  {when}  {a['actor']}  {a['action']}  {a['subject']}  {a['details']}"

    return rows, line


def conversation_line(c: ConversationRow) -> str:
    if c.id is None:
        if c.status == "needs-date-order":
            why = tr("not read yet: its dates could be day first or month first. Choose with: "
                     "safekeep read-chat CASE {id} --date-order day-first (or month-first)"
                     ).format(id=c.evidence_id)
        elif c.status == "reading":
            why = tr("reading was interrupted; add the file again or run: "
                     "safekeep read-chat CASE {id}").format(id=c.evidence_id)
        else:
            why = tr("its messages could not be read: {note}").format(note=c.note)
        return tr("evidence #{id} ({name}), a {platform} chat export: {why}").format(
            id=c.evidence_id, name=c.title, platform=c.platform, why=why)
    span = f"{c.first_at} .. {c.last_at}" if c.first_at else tr("no messages")
    line = (f"#{c.id}  {c.platform}  {c.title}  ({', '.join(c.participants)})  "
            f"{tr_n('%n message', '%n messages', c.message_count)}  {span}  "
            + tr("from evidence #{id}").format(id=c.evidence_id))
    if c.status == "reading":
        line += "  " + tr("[reading was interrupted]")
    return line + "".join(f"  [{note}]" for note in c.notes)


def _conversations(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    return list_conversations(case), conversation_line


def message_line(m: MessageRow) -> str:
    who = m.sender if m.sender is not None else tr("(system)")
    text = " / ".join(m.text.splitlines())
    flags = [tr("[deleted]")] if m.is_deleted else []
    flags += [tr("[media left out of the export]")] if m.media_omitted else []
    for a in m.attachments:
        kept = tr(" (evidence #{id})").format(id=a.evidence_id) if a.evidence_id else ""
        flags.append(tr("[attached: {path}{kept}]").format(path=a.path, kept=kept))
    return " ".join(p for p in [f"#{m.conversation}  {m.sent_at}  {who}:", text, *flags] if p)


def _messages(case: CaseFile) -> tuple[Iterable[Any], Callable[[Any], str]]:
    return iter_messages(case), message_line


LISTERS: dict[str, Lister] = {
    "evidence": _evidence,
    "identifiers": _identifiers,
    "payments": _payments,
    "timeline": _timeline,
    "audit": _audit,
    "conversations": _conversations,
    "messages": _messages,
}
