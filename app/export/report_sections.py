"""The report's first part: cover, summary, timeline, identifiers, payments, checklist.

Every value from the case reaches a Paragraph only through `Styles.v` / `markup`; the strings
passed to `Styles.p` are ours (translated labels) with values already escaped.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer, Table, TableStyle

from app.core.identifiers import IdentifierType
from app.core.records import kind_label, method_label, status_label
from app.export.casedata import CaseSnapshot
from app.export.formatting import size_text, utc_text
from app.export.report_style import (
    BAND,
    LONG_LIMIT,
    RULE,
    SANS,
    TEXT_WIDTH,
    Styles,
    data_table,
    key_value_table,
    markup,
    times_markup,
)
from app.i18n import tr, tr_n

Story = list[Any]


def section_title(styles: Styles, title: str) -> Story:
    # Keep a heading with at least a few rows of what follows it.
    return [CondPageBreak(45 * mm), Spacer(1, 4 * mm), styles.p(escape(title), styles.h1)]


def exhibits(snap: CaseSnapshot, ids: Iterable[int]) -> str:
    """Linked items by their exhibit references: "AB/1, AB/3"."""
    return ", ".join(snap.exhibit(i) for i in ids)


def exhibits_label(snap: CaseSnapshot, ids: Sequence[int]) -> str:
    """"Exhibit AB/1" or "Exhibits AB/1, AB/3"."""
    return tr_n("Exhibit {refs}", "Exhibits {refs}", len(ids)).format(refs=exhibits(snap, ids))


def _money(amounts: dict[str, Decimal]) -> str:
    if not amounts:
        return tr("none")
    return "; ".join(f"{amount:,.2f} {currency}" for currency, amount in sorted(amounts.items()))


def _contents(snap: CaseSnapshot) -> str:
    """The cover's "Contents" value as markup, one short line per kind of thing."""
    c = snap.counts()
    items = tr_n("%n evidence item", "%n evidence items", c["evidence_items"])
    if c["evidence_withheld"]:
        items += " — " + tr("{files} in evidence/, {withheld} sensitive withheld").format(
            files=c["evidence_included"], withheld=c["evidence_withheld"])
    elif c["sensitive_items"]:
        items += " — " + tr_n("all in evidence/, %n sensitive included on request",
                              "all in evidence/, %n sensitive included on request",
                              c["sensitive_items"])
    records = " · ".join([
        tr_n("%n identifier", "%n identifiers", c["identifiers"]),
        tr_n("%n payment", "%n payments", c["payments"]),
        tr_n("%n timeline event", "%n timeline events", c["timeline_events"]),
    ])
    steps = tr("{done} of {steps} checklist steps done").format(
        done=c["checklist_done"], steps=c["checklist_steps"])
    return "<br/>".join(escape(line) for line in (items, records, steps))


def cover_page(snap: CaseSnapshot, styles: Styles, manifest_sha256: str) -> Story:
    s = snap.summary
    if snap.chain.first_broken_id is None:
        chain = tr_n("%n event; the hash chain verifies", "%n events; the hash chain verifies",
                     snap.chain.events)
    else:
        chain = tr("The hash chain does NOT verify: event {id}: {problem}").format(
            id=snap.chain.first_broken_id, problem=snap.chain.problem or "")
    value = styles.cover_value
    rows: list[tuple[str, Any]] = [
        (tr("Case (name or alias)"), styles.v(s.display_name, value)),
        (tr("Person under 18"), styles.p(
            f"<b>{escape(tr('Yes'))}</b>" if s.under_18 else escape(tr("No")), value)),
        (tr("Crime reference"), styles.v(s.crime_reference or tr("Not given yet"), value)),
        (tr("Caseworker"), styles.v(s.caseworker or tr("None recorded"), value)),
        (tr("Exported"), styles.p(times_markup(snap.exported_at), value)),
        (tr("Made with"), styles.v(f"Safekeep {snap.app_version}", value)),
        (tr("Contents"), styles.p(_contents(snap), value)),
        (tr("Audit log"), styles.v(chain, value)),
    ]
    hash_box = Table(
        [[styles.p(escape(tr("SHA-256 of manifest.json")), styles.label)],
         [styles.p(escape(manifest_sha256), styles.hash_big)]],
        colWidths=[TEXT_WIDTH],
    )
    hash_box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), BAND), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    how = tr(
        "This bundle holds this report, the original files (evidence/), spreadsheets (csv/), "
        "manifest.json and SHA256SUMS. To check that no file has changed since it was made, "
        "unzip it and run <b>sha256sum -c SHA256SUMS</b> (Linux; macOS: shasum -a 256 -c "
        "SHA256SUMS; Windows: Get-FileHash, see README.txt). The hash above identifies "
        "manifest.json, which lists the SHA-256 of every original file."
    )
    about = tr(
        "About the text in this report: every value is shown exactly as it was entered, never "
        "interpreted. Characters that cannot be printed are shown as \\u followed by their "
        "code; characters this font lacks as [U+code]. Very long values are shortened here and "
        "kept whole in the CSV files and manifest.json. Right-to-left text (Arabic, Hebrew) is "
        "shown letter by letter, left to right. Times are in UTC; where the local time of the "
        "computer that made the bundle differs, it is shown below in grey."
    )
    return [
        Spacer(1, 4 * mm),
        styles.p(escape(tr("Case bundle for police")), styles.title),
        styles.p(escape(tr("Evidence of online blackmail (sextortion), kept with Safekeep")),
                 styles.subtitle),
        key_value_table(styles, rows, 42 * mm, styles.cover_label),
        Spacer(1, 5 * mm),
        hash_box,
        *summary_section(snap, styles),
        Spacer(1, 6 * mm),
        styles.p(how, styles.small),
        Spacer(1, 3 * mm),
        styles.p(escape(about), styles.muted),
        PageBreak(),
    ]


def summary_section(snap: CaseSnapshot, styles: Styles) -> Story:
    """The short summary, on the cover: what an officer needs before turning a page."""
    s = snap.summary
    kinds = Counter(e.kind for e in snap.evidence)
    total_bytes = sum(e.size for e in snap.evidence)
    evidence = tr_n("%n item", "%n items", len(snap.evidence))
    evidence += ", " + size_text(total_bytes)
    if kinds:
        evidence += " — " + ", ".join(f"{kind}: {n}" for kind, n in kinds.most_common())
    by_type = Counter(i.type for i in snap.identifiers)
    identifiers = ", ".join(f"{t.label}: {by_type[t]}" for t in IdentifierType if by_type[t])
    if snap.payments:
        payments = tr("Paid {paid}; known collected {collected}; cancelled {cancelled}.").format(
            paid=_money(snap.totals.paid), collected=_money(snap.totals.collected),
            cancelled=_money(snap.totals.cancelled))
    else:
        payments = tr("No payments recorded")
    if snap.timeline:
        first, last = snap.timeline[0].occurred_at, snap.timeline[-1].occurred_at
        timeline = tr("{events}, from {first} to {last}").format(
            events=tr_n("%n event", "%n events", len(snap.timeline)),
            first=utc_text(first, seconds=False), last=utc_text(last, seconds=False))
    else:
        timeline = tr("No events recorded")
    rows: list[tuple[str, Any]] = [
        (tr("Evidence"), styles.v(evidence, styles.small)),
        (tr("Identifiers"), styles.v(identifiers or tr("None recorded"), styles.small)),
        (tr("Payments"), styles.v(payments, styles.small)),
        (tr("Timeline"), styles.v(timeline, styles.small)),
        (tr("Checklist"), styles.v(snap.checklist.progress.text, styles.small)),
    ]
    if s.in_danger_now:
        rows.append((tr("In danger now"), styles.v(tr("The person said they may be in danger now."),
                                                   styles.small)))
    if s.notes.strip():
        rows.append((tr("Case notes"), styles.v(s.notes, styles.small, limit=LONG_LIMIT,
                                                where="manifest.json")))
    return [Spacer(1, 6 * mm), styles.p(escape(tr("Summary")), styles.h2),
            key_value_table(styles, rows, 42 * mm)]


def timeline_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Timeline"))
    if not snap.timeline:
        return [*story, styles.p(escape(tr("No events were recorded.")), styles.muted)]
    rows = []
    for t in snap.timeline:
        when = times_markup(t.occurred_at, seconds=False,
                            prefix=tr("about") if t.approximate else "")
        links = []
        if t.evidence_ids:
            links.append(exhibits_label(snap, t.evidence_ids))
        if t.identifier_ids:
            links.append(tr("Identifiers {n}").format(n=", ".join(map(str, t.identifier_ids))))
        if t.payment_ids:
            links.append(tr("Payments {n}").format(n=", ".join(map(str, t.payment_ids))))
        rows.append([styles.p(when, styles.cell), styles.v(kind_label(t.kind)),
                     styles.v(t.description, limit=LONG_LIMIT, where="csv/timeline.csv"),
                     styles.v("; ".join(links), styles.cell_muted)])
    header = [tr("When"), tr("What"), tr("What happened"), tr("Linked")]
    return [*story, data_table(styles, header, rows, [40 * mm, 26 * mm, 76 * mm, 28 * mm])]


def identifiers_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Offender identifiers"))
    if not snap.identifiers:
        return [*story, styles.p(escape(tr("No identifiers were recorded.")), styles.muted)]
    story.append(styles.p(escape(tr(
        "As entered by the person, and normalised (the form Safekeep uses to spot duplicates). "
        "“Unsure” means the person was not certain the detail is right. Exhibit references "
        "(such as AB/1) refer to the evidence catalogue and begin the names of the files in "
        "evidence/.")), styles.muted))
    header = [tr("As entered"), tr("Normalised"), tr("Platform"), tr("Unsure"), tr("Exhibits")]
    widths = [54 * mm, 46 * mm, 24 * mm, 16 * mm, 30 * mm]
    for kind in IdentifierType:
        group = [i for i in snap.identifiers if i.type is kind]
        if not group:
            continue
        rows = []
        for i in group:
            entered = markup(i.value, where="csv/identifiers.csv")
            if i.note.strip():
                entered += '<br/><font color="#5b636b">' + escape(tr("Note:")) + " " + \
                    markup(i.note, where="csv/identifiers.csv") + "</font>"
            rows.append([styles.p(entered, styles.cell), styles.v(i.normalised),
                         styles.v(i.platform or ""), styles.v(tr("unsure") if i.unsure else ""),
                         styles.v(exhibits(snap, i.evidence_ids))])
        # Room for the sub-heading and a few rows, or a new page: never a heading alone at
        # the foot of a page (keepWithNext would move a whole long table, leaving a gap).
        story += [CondPageBreak(35 * mm),
                  styles.p(escape(f"{kind.label} ({len(group)})"), styles.h2),
                  data_table(styles, header, rows, widths)]
    return story


def payments_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Payments"))
    if not snap.payments:
        return [*story, styles.p(escape(tr("No payments were recorded.")), styles.muted)]
    totals = snap.totals
    currencies = sorted(set(totals.paid) | set(totals.cancelled))
    total_rows = [[styles.v(c, styles.cell),
                   styles.v(f"{totals.paid.get(c, Decimal(0)):,.2f}", styles.cell_right),
                   styles.v(f"{totals.collected.get(c, Decimal(0)):,.2f}", styles.cell_right),
                   styles.v(f"{totals.cancelled.get(c, Decimal(0)):,.2f}", styles.cell_right)]
                  for c in currencies]
    story += [
        data_table(styles, [tr("Currency"), tr("Paid (not cancelled)"), tr("Known collected"),
                            tr("Cancelled")], total_rows, [35 * mm, 45 * mm, 45 * mm, 45 * mm],
                   numeric=(1, 2, 3)),
        Spacer(1, 5 * mm),
    ]
    rows = []
    for p in snap.payments:
        to = markup(p.recipient_name, where="csv/payments.csv")
        if p.recipient_place:
            to += "<br/>" + markup(p.recipient_place, where="csv/payments.csv")
        extra = []
        if p.note.strip():
            extra.append(escape(tr("Note:")) + " " + markup(p.note, where="csv/payments.csv"))
        if p.evidence_ids:
            extra.append(markup(exhibits_label(snap, p.evidence_ids)))
        if extra:
            to += '<br/><font color="#5b636b">' + "<br/>".join(extra) + "</font>"
        bank = escape(tr("Yes") if p.bank_told else tr("No"))
        if p.bank_told and p.bank_told_on:
            bank += "<br/>" + escape(p.bank_told_on.isoformat())
        rows.append([
            styles.v(p.paid_on.isoformat() if p.paid_on else tr("not known")),
            styles.v(f"{p.amount:,.2f} {p.currency}", styles.cell_right),
            # Sans, not mono: a reference is typed by a person and mono lacks many scripts.
            styles.v(method_label(p.method)), styles.v(p.reference),
            styles.p(to, styles.cell), styles.v(status_label(p.status)),
            styles.p(bank, styles.cell),
        ])
    header = [tr("Date"), tr("Amount"), tr("Method"), tr("Reference / MTCN"), tr("Sent to"),
              tr("Status"), tr("Bank told")]
    widths = [20 * mm, 24 * mm, 22 * mm, 30 * mm, 34 * mm, 18 * mm, 22 * mm]
    return [*story, data_table(styles, header, rows, widths, numeric=(1,))]


def checklist_section(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Police advice checklist"))
    state = snap.checklist
    story.append(styles.p(escape(tr(
        "The steps the police advice gives for this case, and what the person has done: "
        "{progress}.").format(progress=state.progress.text)), styles.muted))
    rows = []
    for entry in state.entries:
        reference = entry.reference
        if reference and entry.item.reference_label:
            reference = f"{entry.item.reference_label}: {reference}"
        rows.append([
            styles.v(entry.item.title),
            styles.p(f"<b>{escape(tr('Done'))}</b>" if entry.done else escape(tr("Not yet")),
                     styles.cell if entry.done else styles.cell_muted),
            styles.p(times_markup(entry.done_at, seconds=False), styles.cell),
            styles.v(reference), styles.v(entry.note, where="csv/checklist.csv"),
        ])
    header = [tr("Step"), tr("Done"), tr("When"), tr("Reference"), tr("Note")]
    return [*story, data_table(styles, header, rows, [58 * mm, 16 * mm, 36 * mm, 32 * mm, 28 * mm])]
