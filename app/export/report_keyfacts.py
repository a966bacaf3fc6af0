"""Page 1 of report.pdf: what a busy officer acts on, in the order they act on it.

The case and its references; the period of the offence and the platforms used; money asked
and paid (date, amount, method, MTCN or reference, collected or not, totals); the offender's
details by type with their values and the exhibits that show them; how to check the bundle.
When it all does not fit, page 1 shows fewer of each (the most important first) and says where
the rest is: it never runs on to page 2.
"""

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table, TableStyle

from app.core.records import IdentifierRow, PaymentRow, amount_text, method_label, status_label
from app.export.casedata import CaseSnapshot
from app.export.chronology import Entry, offence_period
from app.export.formatting import utc_text
from app.export.removed_exhibits import read_removed, removed_reference
from app.export.report_facts import (
    MONO_TYPES,
    PLATFORM_IN_KIND,
    by_priority,
    crime_reference,
    hints,
    other_references,
    payments_to_act_on,
    period_text,
    platforms_used,
    reference_hints,
    totals_text,
)
from app.export.report_style import (
    ACCENT,
    BAND,
    KEY_LABEL_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PAGE,
    RULE,
    SANS,
    TEXT_WIDTH,
    Styles,
    data_table,
    key_value_style,
    markup,
    times_markup,
)
from app.export.report_unchecked import unchecked_key_facts
from app.export.report_values import OneLine, exhibit_refs, exhibits_aside
from app.i18n import tr, tr_n
from app.models import TimelineKind

Story = list[Any]
_FRAME_H = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
_REMOVED_NAMED = 5  # on page 1; the section of exhibits names them all
# (details of one type, details in all, payments, demands): tried in turn until page 1 fits
# (page 1 has room for about 40 lines, so no more are ever laid out to be measured). The
# details give way first: each is on the next pages, while a payment not yet collected is
# money that may still be stopped today.
_LIMITS = [(40, 40, 12, 4), (4, 24, 6, 3), (3, 16, 6, 2), (2, 12, 6, 2), (2, 12, 4, 1),
           (1, 8, 4, 1), (1, 8, 3, 1), (1, 5, 2, 1), (1, 5, 1, 1)]


def _flags(snap: CaseSnapshot, styles: Styles) -> Story:
    """Under 18 and in danger: prominent, in plain words, without alarm."""
    lines = []
    if snap.summary.under_18:
        lines.append(f"<b>{escape(tr('The person this case is about is under 18.'))}</b>")
    if snap.summary.in_danger_now:
        lines.append(f"<b>{escape(tr('They said they may be in danger now.'))}</b>")
    if not lines:
        return []
    box = Table([[styles.p("<br/>".join(lines), styles.cover_value)]], colWidths=[TEXT_WIDTH])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), BAND), ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
        ("FONTNAME", (0, 0), (-1, -1), SANS), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return [box, Spacer(1, 3 * mm)]


def _case_table(snap: CaseSnapshot, styles: Styles) -> Table:
    s = snap.summary
    value, label = styles.small, styles.label
    crime = crime_reference(snap)
    n = len(snap.evidence)
    evidence = tr_n("%n item", "%n items", n)
    if n:
        numbers = snap.evidence.numbers
        ids = snap.evidence.ids
        first = ids[numbers.index(min(numbers))]
        last = ids[numbers.index(max(numbers))]
        evidence += " (" + (snap.exhibit(first) if n == 1 else tr("{first} to {last}").format(
            first=snap.exhibit(first), last=snap.exhibit(last))) + ")"
    if snap.withheld_ids:
        evidence += "; " + tr_n("%n sensitive, withheld", "%n sensitive, withheld",
                                len(snap.withheld_ids))
    if removed := read_removed(snap):
        refs = ", ".join(removed_reference(snap, r) for r in removed[:_REMOVED_NAMED])
        if len(removed) > _REMOVED_NAMED:
            refs += ", …"
        evidence += "; " + tr_n("%n removed from the case ({refs}): see Exhibits",
                                "%n removed from the case ({refs}): see Exhibits",
                                len(removed)).format(refs=refs)
    if snap.damaged_ids:
        evidence += "; " + tr_n("%n damaged in the case file, left out ({refs})",
                                "%n damaged in the case file, left out ({refs})",
                                len(snap.damaged_ids)).format(
            refs=", ".join(snap.exhibit(i) for i in snap.damaged_ids))
    cells = [
        (tr("Case"), styles.v(s.display_name, value)),
        (tr("Crime reference"), styles.p(f"<b>{markup(crime)}</b>", value) if crime
         else styles.v(tr("Not given yet"), styles.cell_muted)),
        (tr("Caseworker"), styles.v(s.caseworker or tr("None recorded"), value)),
        (tr("Exported"), styles.p(times_markup(snap.exported_at, seconds=False), value)),
        (tr("Person under 18"), styles.p(f"<b>{escape(tr('Yes'))}</b>" if s.under_18
                                         else escape(tr("No")), value)),
        (tr("Evidence"), styles.v(evidence, value)),
    ]
    rows = [[styles.p(escape(cells[i][0]), label), cells[i][1],
             styles.p(escape(cells[i + 1][0]), label), cells[i + 1][1]]
            for i in range(0, len(cells), 2)]
    half = TEXT_WIDTH / 2
    table = Table(rows, colWidths=[27 * mm, half - 27 * mm, 27 * mm, half - 27 * mm])
    table.setStyle(key_value_style())
    return table


def _facts_table(snap: CaseSnapshot, styles: Styles, entries: list[Entry]) -> Table:
    period = offence_period(entries, frozenset(c.evidence_id for c in snap.conversations))
    rows: list[list[Any]] = [[
        styles.p(escape(tr("Period of the offence")), styles.label),
        styles.v(period_text(*period, snap) if period else tr("No times recorded"),
                 styles.small)]]
    platforms = platforms_used(snap)
    rows.append([styles.p(escape(tr("Platforms used")), styles.label),
                 styles.v(", ".join(platforms) if platforms else tr("None recorded"),
                          styles.small)])
    for what, number in other_references(snap):
        rows.append([styles.v(what, styles.label), OneLine(number, size=8.5, mono=True)])
    table = Table(rows, colWidths=[KEY_LABEL_WIDTH, TEXT_WIDTH - KEY_LABEL_WIDTH])
    table.setStyle(key_value_style())
    return table


def _payment_row(p: PaymentRow, snap: CaseSnapshot, styles: Styles) -> list[Any]:
    reference: list[Flowable] | str = ""
    if p.reference.strip():
        reference = [OneLine(p.reference, size=8.5, mono=True, where="csv/payments.csv")]
        reference += [styles.v(h, styles.cell_muted) for h in reference_hints(p)]
    to = markup(p.recipient_name, limit=120, where="csv/payments.csv")
    if p.recipient_place.strip():
        to += ("<br/>" if to else "") + markup(p.recipient_place, limit=120,
                                               where="csv/payments.csv")
    collected = status_label(p.status)
    return [
        OneLine(p.paid_on.isoformat() if p.paid_on else tr("not known"), size=8),
        styles.p(f"<b>{escape(f'{amount_text(p.amount)} {p.currency}')}</b>",
                 styles.cell_right),
        styles.v(method_label(p.method)),
        reference,
        styles.p(f"<b>{escape(collected)}</b>", styles.cell),
        styles.p(to, styles.cell) if to else "",
        styles.v(exhibit_refs(snap, p.evidence_ids, 3)) if p.evidence_ids else "",
    ]


def _money(snap: CaseSnapshot, styles: Styles, max_payments: int, max_demands: int) -> Story:
    story: Story = [styles.p(escape(tr("Money asked and paid")), styles.h2)]
    demands = [t for t in snap.timeline if t.kind is TimelineKind.DEMAND]
    for t in demands[:max_demands]:
        when = utc_text(t.occurred_at, seconds=False)
        if t.approximate:
            when = tr("about {time}").format(time=when)
        when = escape(when)
        refs = exhibit_refs(snap, t.evidence_ids, 3)
        line = (f"{escape(tr('Asked'))} {when}: " + markup(t.description, limit=220,
                                                          where="csv/timeline.csv"))
        if refs:
            line += f' <font color="#5b636b">({escape(refs)})</font>'
        story.append(styles.p(line, styles.small))
    if len(demands) > max_demands:
        story.append(styles.v(tr_n("%n more demand is in the chronology.",
                                   "%n more demands are in the chronology.",
                                   len(demands) - max_demands), styles.muted))
    if not snap.payments:
        story.append(styles.v(tr("No payments are recorded."), styles.small))
        return story
    shown = payments_to_act_on(snap.payments, max_payments)
    rows = [_payment_row(p, snap, styles) for p in shown]
    header = [tr("Paid on"), tr("Amount"), tr("Method"), tr("MTCN / reference"),
              tr("Collected?"), tr("Sent to"), tr("Exhibits")]
    widths = [20 * mm, 24 * mm, 23 * mm, 33 * mm, 22 * mm, 30 * mm, 18 * mm]
    story += [Spacer(1, 1 * mm), data_table(styles, header, rows, widths, numeric=(1,), grow=5)]
    total = styles.p(f"<b>{escape(tr('Total'))}:</b> " + escape(totals_text(snap)), styles.small)
    story += [Spacer(1, 1 * mm), total]
    if len(shown) < len(snap.payments):
        story.append(styles.v(tr("Page 1 shows {shown} of {all} payments, those that may "
                                 "still be stopped or traced first; all are under "
                                 "\u201cPayments\u201d and in csv/payments.csv.").format(
            shown=len(shown), all=len(snap.payments)), styles.muted))
    return story


def _identifier_cell(i: IdentifierRow, snap: CaseSnapshot, styles: Styles) -> list[Flowable]:
    cell: list[Flowable] = [OneLine(i.value, size=9, mono=i.type in MONO_TYPES,
                                    aside=exhibits_aside(snap, i.evidence_ids),
                                    where="csv/identifiers.csv")]
    meta = []
    if i.platform and i.type not in PLATFORM_IN_KIND:
        meta.append(markup(i.platform, limit=60))
    if i.unsure:
        meta.append(escape(tr("the person is not sure of it")))
    meta += [f"<i>{escape(tr('Check:'))} {markup(h, limit=300)}</i>"
             for h in hints(i.type, i.value, i.platform)]
    if i.note.strip():
        meta.append(escape(tr("Note:")) + " " + markup(i.note, limit=140,
                                                        where="csv/identifiers.csv"))
    if meta:
        cell.append(styles.p(" · ".join(meta), styles.cell_muted))
    return cell


def _identifiers(snap: CaseSnapshot, styles: Styles, per_type: int, total: int) -> Story:
    story: Story = [styles.p(escape(tr("The offender\u2019s details")), styles.h2)]
    if not snap.identifiers:
        return [*story, styles.v(tr("No details of the offender are recorded."), styles.small)]
    rows: list[list[Any]] = []
    starts: list[int] = []
    shown = 0
    for kind, group in by_priority(snap.identifiers):
        if shown >= total:
            break
        take = group[:min(per_type, total - shown)]
        starts.append(len(rows))
        for n, ident in enumerate(take):
            label = styles.p(escape(kind.label), styles.label) if n == 0 else ""
            rows.append([label, _identifier_cell(ident, snap, styles)])
        if len(group) > len(take):
            rows.append(["", styles.v(tr_n("and %n more of this kind", "and %n more of this kind",
                                           len(group) - len(take)), styles.cell_muted)])
        shown += len(take)
    table = Table(rows, colWidths=[KEY_LABEL_WIDTH, TEXT_WIDTH - KEY_LABEL_WIDTH])
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    commands += [("LINEABOVE", (0, r), (-1, r), 0.25, RULE) for r in starts]
    table.setStyle(TableStyle(commands))
    story.append(table)
    if shown < len(snap.identifiers):
        story.append(Spacer(1, 1 * mm))
        story.append(styles.v(tr("Page 1 shows {shown} of {all} details; all are under "
                                 "\u201cOffender identifiers\u201d and in csv/identifiers.csv."
                                 ).format(shown=shown, all=len(snap.identifiers)), styles.muted))
    return story


def _hash_box(snap: CaseSnapshot, styles: Styles) -> Table:
    chain = snap.chain
    if chain.first_broken_id is None:
        state = tr_n("Audit log: %n event; its hash chain verifies.",
                     "Audit log: %n events; their hash chain verifies.", chain.events)
    else:
        state = tr("Audit log: the hash chain does NOT verify at event {id}.").format(
            id=chain.first_broken_id)
    # A file cannot print its own hash, and manifest.json lists this report's, so neither
    # hash can be here: the person gives both separately, and the case's audit log keeps them.
    given = tr("The SHA-256 of this report and of manifest.json are given to you separately "
               "by the person who made this bundle. manifest.json lists the SHA-256 of every "
               "other file, this report included; \u201csafekeep verify\u201d prints both "
               "hashes to compare.")
    how = tr("How to check this bundle: \u201cAbout this bundle\u201d, after the checklist, "
             "and README.txt.")
    box = Table([[styles.p(escape(tr("Checking this bundle")), styles.label)],
                 [styles.v(given, styles.cell)],
                 [styles.v(f"{state} {how}", styles.cell_muted)]], colWidths=[TEXT_WIDTH])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), BAND), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("FONTNAME", (0, 0), (-1, -1), SANS), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
    ]))
    return box


def _height(story: Story) -> float:
    total = 0.0
    for flowable in story:
        total += flowable.wrap(TEXT_WIDTH, _FRAME_H)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def key_facts_page(snap: CaseSnapshot, styles: Styles, entries: list[Entry]) -> Story:
    head: Story = [
        styles.p(escape(tr("Case bundle for police")), styles.title),
        styles.p(escape(tr("Online blackmail (sextortion): key facts")), styles.subtitle),
        *_flags(snap, styles),
        _case_table(snap, styles),
        Spacer(1, 2 * mm),
        _facts_table(snap, styles, entries),
    ]
    tail: Story = [Spacer(1, 4 * mm), _hash_box(snap, styles)]
    room = _FRAME_H - _height(head) - _height(tail) - 2

    def laid_out(limits: tuple[int, int, int, int]) -> Story:
        per_type, total, payments, demands = limits
        return [*_money(snap, styles, payments, demands),
                *_identifiers(snap, styles, per_type, total),
                *unchecked_key_facts(snap, styles, max(1, total // 2))]

    for limits in _LIMITS:  # the last, if none fits: KeepInFrame shrinks it below
        if _height(body := laid_out(limits)) <= room:
            break
    # The steps are coarse (a long value can take a step's room): give back what still
    # fits, payments first, then details. A case had shown 2 of 3 payments and 5 of 17
    # details with a fifth of the page empty.
    per_type, total, payments, demands = limits
    while payments < min(len(snap.payments), 12):
        if _height(story := laid_out((per_type, total, payments + 1, demands))) > room:
            break
        payments, body = payments + 1, story
    details = len(snap.identifiers)
    while total < 40 and (total < details or per_type < details):
        if _height(story := laid_out((per_type + 1, total + 3, payments, demands))) > room:
            break
        per_type, total, body = per_type + 1, total + 3, story
    # The last resort for values nobody foresaw: shrink, rather than spill onto page 2.
    page = KeepInFrame(TEXT_WIDTH, _FRAME_H, [*head, *body, *tail], mode="shrink")
    return [page, PageBreak()]
