"""The report's sections after page 1: the offender's details in full, payments, the checklist,
and "About this bundle" (what it holds, how to check it, how values are shown).

Every value from the case reaches a Paragraph only through `Styles.v` / `markup`, or is drawn
by `OneLine` (no markup at all); the strings passed to `Styles.p` are ours (translated labels)
with values already escaped.
"""

from collections import Counter
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, TableStyle

from app.core.guidance import ChecklistEntry
from app.core.records import IdentifierRow, amount_text, method_label, status_label
from app.export.casedata import CaseSnapshot
from app.export.exhibit_links import found_in_markup
from app.export.formatting import size_text
from app.export.report_facts import (
    MONO_TYPES,
    by_priority,
    hints,
    money,
    reference_hints,
    shows_normalised,
)
from app.export.report_style import (
    LONG_LIMIT,
    MUTED,
    RULE,
    Styles,
    data_table,
    key_value_table,
    markup,
    times_markup,
)
from app.export.report_values import OneLine, exhibit_refs
from app.i18n import tr, tr_n

Story = list[Any]


def section_title(styles: Styles, title: str, room: float = 45 * mm) -> Story:
    """A section's heading, on a new page unless `room` is left: enough for the heading, its
    introduction and the first rows of what follows (a heading alone at the foot of a page
    helps nobody)."""
    return [CondPageBreak(room), Spacer(1, 4 * mm), styles.p(escape(title), styles.h1)]


def _value_cell(i: IdentifierRow, styles: Styles) -> list[Flowable]:
    """The value whole; under it, in grey, its normalised form where that differs (in the
    same cell: a column of its own narrowed every value, and a long e-mail then continued
    after a return arrow), then hints and the note."""
    cell: list[Flowable] = [OneLine(i.value, size=8.5, mono=i.type in MONO_TYPES,
                                    where="csv/identifiers.csv")]
    if shows_normalised(i):
        cell.append(OneLine(i.normalised, size=7.5, mono=i.type in MONO_TYPES, color=MUTED,
                            aside=tr("normalised"), where="csv/identifiers.csv"))
    extra = [f"<i>{escape(tr('Check:'))} {markup(h, limit=300)}</i>"
             for h in hints(i.type, i.value, i.platform)]
    if i.note.strip():
        extra.append(escape(tr("Note:")) + " " + markup(i.note, where="csv/identifiers.csv"))
    if extra:
        cell.append(styles.p("<br/>".join(extra), styles.cell_muted))
    return cell


def identifiers_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Offender identifiers"), 70 * mm)
    if not snap.identifiers:
        return [*story, styles.p(escape(tr("No identifiers were recorded.")), styles.muted)]
    story.append(styles.p(escape(tr(
        "Every detail as the person entered it, by kind. Under a value, in grey and marked "
        "\u201cnormalised\u201d, is the form Safekeep uses to spot duplicates, where it "
        "differs; \u201cnot sure\u201d means "
        "the person was not certain the detail is right. Exhibits are the items that show "
        "the detail; \u201cfound by text recognition\u201d means Safekeep read it in that "
        "picture and linked it there, \u201cfound in its messages\u201d that it was in the "
        "messages of that chat export, \u201cfound in its text\u201d that it was in the text "
        "that PDF document holds.")), styles.muted))
    header = [tr("Kind"), tr("Value"), tr("Platform"), tr("Sure?"), tr("Exhibits")]
    widths = [24 * mm, 88 * mm, 18 * mm, 14 * mm, 26 * mm]
    rows: list[list[Any]] = []
    starts: list[int] = []
    for kind, group in by_priority(snap.identifiers):
        starts.append(len(rows) + 1)  # + the header row
        for n, i in enumerate(group):
            rows.append([
                styles.v(kind.label if len(group) == 1 else f"{kind.label} ({len(group)})",
                         styles.label) if n == 0 else "",
                _value_cell(i, styles),
                styles.v(i.platform) if i.platform else "",
                styles.v(tr("not sure")) if i.unsure else "",
                styles.p(found_in_markup(snap, i), styles.cell) if i.evidence_ids else "",
            ])
    table = data_table(styles, header, rows, widths, grow=1, bands=False)
    table.setStyle(TableStyle([("LINEABOVE", (0, r), (-1, r), 0.6, RULE) for r in starts[1:]]))
    return [*story, Spacer(1, 1 * mm), table]


def payments_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Payments"))
    if not snap.payments:
        return [*story, styles.p(escape(tr("No payments were recorded.")), styles.muted)]
    totals = snap.totals
    currencies = sorted(set(totals.paid) | set(totals.cancelled))
    total_rows = [[styles.v(c, styles.cell),
                   styles.v(amount_text(totals.paid.get(c, Decimal(0))), styles.cell_right),
                   styles.v(amount_text(totals.collected.get(c, Decimal(0))), styles.cell_right),
                   styles.v(amount_text(totals.cancelled[c]), styles.cell_right)
                   if c in totals.cancelled else ""]
                  for c in currencies]
    story += [
        data_table(styles, [tr("Currency"), tr("Paid (not cancelled)"), tr("Known collected"),
                            tr("Cancelled")], total_rows, [35 * mm, 45 * mm, 45 * mm, 45 * mm],
                   numeric=(1, 2, 3), grow=0),
        Spacer(1, 5 * mm),
    ]
    rows = []
    for p in snap.payments:
        to = markup(p.recipient_name, where="csv/payments.csv")
        if p.recipient_place:
            to += ("<br/>" if to else "") + markup(p.recipient_place, where="csv/payments.csv")
        if p.note.strip():
            to += ("<br/>" if to else "") + '<font color="#5b636b">' + escape(tr("Note:")) + \
                " " + markup(p.note, where="csv/payments.csv") + "</font>"
        status = f"<b>{escape(status_label(p.status))}</b>"
        if p.bank_told:
            told = tr("bank told on {day}").format(day=p.bank_told_on.isoformat()) \
                if p.bank_told_on else tr("bank told")
            status += '<br/><font color="#5b636b">' + escape(told) + "</font>"
        reference: Any = ""
        if p.reference.strip():
            reference = [OneLine(p.reference, size=8, mono=True, where="csv/payments.csv")]
            reference += [styles.v(h, styles.cell_muted) for h in reference_hints(p)]
        rows.append([
            OneLine(p.paid_on.isoformat() if p.paid_on else tr("not known"), size=8),
            styles.v(f"{amount_text(p.amount)} {p.currency}", styles.cell_right),
            styles.v(method_label(p.method)), reference,
            styles.p(to, styles.cell) if to else "", styles.p(status, styles.cell),
            styles.v(exhibit_refs(snap, p.evidence_ids, 8)) if p.evidence_ids else "",
        ])
    # A note shares the recipient's column, so the column says so: a note there ("Asked for
    # but not paid") had read as who the money went to.
    noted = any(p.note.strip() for p in snap.payments)
    header = [tr("Paid on"), tr("Amount"), tr("Method"), tr("MTCN / reference"),
              tr("Sent to, and notes") if noted else tr("Sent to"), tr("Status"), tr("Exhibits")]
    widths = [20 * mm, 23 * mm, 22 * mm, 34 * mm, 31 * mm, 22 * mm, 18 * mm]
    return [*story, data_table(styles, header, rows, widths, numeric=(1,), grow=4)]


def _checklist_note(entry: ChecklistEntry, styles: Styles) -> Any:
    """The person's note, after why a step not ticked may be done all the same: "Tell your
    bank: Not yet" had stood beside a payment marked "bank told"."""
    said: list[Any] = []
    if entry.not_needed:  # its reason alone: "Not needed" is in the column beside it
        prefix = tr("Not needed: {reason}").split("{reason}", 1)[0]
        reason = entry.not_needed.removeprefix(prefix)
        said.append(styles.v(reason[:1].upper() + reason[1:], styles.cell_muted))
    elif entry.offer_tick:
        said.append(styles.v(tr("The case\u2019s records suggest it is done."),
                             styles.cell_muted))
    if entry.note.strip():
        said.append(styles.v(entry.note, where="csv/checklist.csv"))
    return said or ""


def checklist_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Police advice checklist"))
    state = snap.checklist
    story.append(styles.p(escape(tr(
        "The steps the police advice gives for this case, and what the person has done: "
        "{progress}.").format(progress=state.progress.text)), styles.muted))
    rows = []
    for entry in state.entries:
        reference: Any = ""
        if entry.reference.strip():
            reference = [OneLine(entry.reference, size=8, mono=True, where="csv/checklist.csv")]
            if entry.item.reference_label:
                reference.insert(0, styles.v(entry.item.reference_label, styles.cell_muted))
        rows.append([
            styles.v(entry.item.title),
            styles.p(f"<b>{escape(tr('Done'))}</b>" if entry.done else escape(
                tr("Not needed") if entry.not_needed else tr("Not yet")),
                styles.cell if entry.done else styles.cell_muted),
            styles.p(times_markup(entry.done_at, seconds=False), styles.cell)
            if entry.done_at else "",
            reference,
            _checklist_note(entry, styles),
        ])
    # "Ticked on": the moment the person ticked it in Safekeep, not when they did it.
    header = [tr("Step"), tr("Done"), tr("Ticked on"), tr("Reference"), tr("Note")]
    widths = [54 * mm, 20 * mm, 34 * mm, 30 * mm, 32 * mm]
    return [*story, data_table(styles, header, rows, widths, grow=4)]


def _contents(snap: CaseSnapshot) -> str:
    """What the bundle holds, as markup, one short line per kind of thing."""
    c = snap.counts()
    items = tr_n("%n evidence item", "%n evidence items", c["evidence_items"])
    items += ", " + size_text(sum(e.size for e in snap.evidence))
    kinds = Counter(e.kind for e in snap.evidence)
    if kinds:
        items += " (" + ", ".join(f"{kind}: {n}" for kind, n in kinds.most_common()) + ")"
    if c["evidence_withheld"] or c["evidence_damaged"]:
        parts = [tr("{files} in evidence/").format(files=c["evidence_included"])]
        if c["evidence_withheld"]:
            parts.append(tr("{withheld} sensitive withheld").format(
                withheld=c["evidence_withheld"]))
        if c["evidence_damaged"]:
            parts.append(tr("{damaged} damaged in the case file and left out").format(
                damaged=c["evidence_damaged"]))
        items += " — " + ", ".join(parts)
    elif c["sensitive_items"]:
        items += " — " + tr_n("all in evidence/, %n sensitive included on request",
                              "all in evidence/, %n sensitive included on request",
                              c["sensitive_items"])
    records = " · ".join([
        tr_n("%n identifier", "%n identifiers", c["identifiers"]),
        tr_n("%n payment", "%n payments", c["payments"]),
        tr_n("%n timeline event", "%n timeline events", c["timeline_events"]),
        tr_n("%n audit event", "%n audit events", c["audit_events"]),
    ])
    steps = tr("{done} of {steps} checklist steps done").format(
        done=c["checklist_done"], steps=c["checklist_steps"])
    return "<br/>".join(escape(line) for line in (items, records, steps))


def about_section(snap: CaseSnapshot, styles: Styles) -> Story:
    """What the bundle holds and how to check it: for whoever verifies it, after the facts."""
    story = section_title(styles, tr("About this bundle"))
    if snap.totals.paid:
        paid = tr("Paid {paid}; known collected {collected}.").format(
            paid=money(snap.totals.paid), collected=money(snap.totals.collected) or tr("none"))
    else:
        paid = tr("No payments recorded")
    rows: list[tuple[str, Any]] = [
        (tr("Contents"), styles.p(_contents(snap), styles.small)),
        (tr("Payments"), styles.v(paid, styles.small)),
        (tr("Made with"), styles.v(f"Safekeep {snap.app_version}", styles.small)),
    ]
    if snap.summary.notes.strip():
        rows.append((tr("Case notes"), styles.v(snap.summary.notes, styles.small,
                                                limit=LONG_LIMIT, where="manifest.json")))
    how = tr(
        "This bundle holds this report, the original files (evidence/), spreadsheets (csv/), "
        "manifest.json and SHA256SUMS. To check that no file has changed since it was made, "
        "unzip it and run <b>sha256sum -c SHA256SUMS</b> (Linux; macOS: shasum -a 256 -c "
        "SHA256SUMS; Windows: Get-FileHash, see README.txt), or <b>safekeep verify</b>. That "
        "proves the files agree with each other, not that nobody changed them: whoever "
        "changes a file can write new lists to match. manifest.json lists the SHA-256 of "
        "every file, this report included; its own SHA-256, and this report's, are given to "
        "you separately by the person who made the bundle. If they match, every file is as "
        "it was made."
    )
    about = tr(
        "About the text in this report: every value is shown exactly as it was entered, never "
        "interpreted. Characters that cannot be printed, a line break inside a value among "
        "them, are shown as \\u followed by their code; characters this font lacks as "
        "[U+code]. A detail such as an e-mail address or a link is never broken across lines: "
        "a long one is printed smaller; one too long even for that continues on the next line "
        "after a grey \u21b5 arrow, which is not part of the value. Very long values are "
        "shortened here and kept whole in the CSV files and manifest.json. Right-to-left text "
        "(Arabic, Hebrew) is drawn joined and read from right to left, as it is written. Times "
        "are in UTC (a chat message's time is as its export writes it); where the local time "
        "of the computer that made the bundle differs, it is shown below in grey."
    )
    return [*story, key_value_table(styles, rows, 30 * mm), Spacer(1, 4 * mm),
            styles.p(how, styles.small), Spacer(1, 3 * mm), styles.p(escape(about), styles.muted)]
