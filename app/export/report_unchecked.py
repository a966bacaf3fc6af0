"""The details Safekeep found in the evidence that the person has not checked, in report.pdf.

On page 1, apart from the person's own details, as many as fit beside the rest; after the
offender identifiers, all of them (up to SECTION_ROWS; csv/unchecked.csv holds every one). A
bundle made straight after a chat export was added had said "No details of the offender are
recorded" above messages holding their e-mail address and phone number.
"""

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from app.core.identifiers import IdentifierType
from app.core.reading import UncheckedDetail, what_it_is
from app.export.casedata import CaseSnapshot
from app.export.csv_export import UNCHECKED_CSV
from app.export.formatting import chat_time_text
from app.export.report_facts import MONO_TYPES, PLATFORM_IN_KIND, PRIORITY
from app.export.report_sections import section_title
from app.export.report_style import (
    KEY_LABEL_WIDTH,
    TEXT_WIDTH,
    Styles,
    data_table,
    key_value_style,
    markup,
)
from app.export.report_values import OneLine, exhibit_refs, exhibits_aside
from app.i18n import tr

Story = list[Any]
SECTION_ROWS = 1_000  # a table longer than this helps nobody; the CSV lists every one


def _by_priority(details: list[UncheckedDetail]) -> list[UncheckedDetail]:
    """By kind, the kinds officers act on first; within a kind, the surest first: a clear
    reading before a hard one, typed text (a chat's message) before a picture's reading."""
    kinds = {kind: n for n, kind in enumerate(PRIORITY)}
    return sorted(details, key=lambda d: (kinds.get(d.kind, len(kinds)),
                                          d.hard_to_read, d.sent_at is None))


def page_one_pick(details: list[UncheckedDetail], limit: int) -> list[UncheckedDetail]:
    """At most `limit`, every kind taking a turn: page 1 had shown four usernames and four
    e-mail addresses read in pictures, and not the phone number and bank account the
    offender typed in a chat. In report order."""
    ordered = _by_priority(details)
    places: dict[IdentifierType, list[int]] = {}  # each kind's places in `ordered`
    for place, detail in enumerate(ordered):
        places.setdefault(detail.kind, []).append(place)
    picked: set[int] = set()
    turn = 0
    while len(picked) < min(limit, len(ordered)):
        for kind_places in places.values():
            if turn < len(kind_places) and len(picked) < limit:
                picked.add(kind_places[turn])
        turn += 1
    return [ordered[place] for place in sorted(picked)]


def _where_seen(d: UncheckedDetail) -> list[str]:
    """Markup: the platform, the chat message it was first seen in, and a doubt."""
    meta = []
    if (what := what_it_is(d.kind, d.platform, d.value)) is not None:
        meta.append(escape(what))  # "Telegram account number": the kind says "Other detail"
    elif d.platform and d.kind not in PLATFORM_IN_KIND:
        meta.append(markup(d.platform, limit=60))
    if d.sent_at:
        meta.append(markup(tr("first in a message from {sender}, {time} as the export writes "
                              "it").format(sender=d.sender or tr("no sender given"),
                                           time=chat_time_text(d.sent_at)), limit=160))
    if d.hard_to_read:
        meta.append(escape(tr("hard to read: check each letter")))
    return meta


def _value_cell(d: UncheckedDetail, styles: Styles, *, aside: str = "",
                size: float = 9) -> list[Flowable]:
    cell: list[Flowable] = [OneLine(d.value, size=size, mono=d.kind in MONO_TYPES,
                                    aside=aside, where=UNCHECKED_CSV)]
    if meta := _where_seen(d):
        cell.append(styles.p(" · ".join(meta), styles.cell_muted))
    return cell


def _intro(styles: Styles) -> Flowable:
    return styles.v(tr("Safekeep read these in the exhibits named; the person has not checked "
                       "them. Check each against its exhibit before acting on it."),
                    styles.muted)


def unchecked_key_facts(snap: CaseSnapshot, styles: Styles, limit: int) -> Story:
    """Page 1's part: at most `limit`, the kinds officers act on first."""
    if not snap.unchecked:
        return []
    shown = page_one_pick(snap.unchecked, limit)
    rows = [[styles.p(escape(d.kind.label), styles.label),
             _value_cell(d, styles, aside=exhibits_aside(snap, d.evidence_ids))]
            for d in shown]
    table = Table(rows, colWidths=[KEY_LABEL_WIDTH, TEXT_WIDTH - KEY_LABEL_WIDTH])
    table.setStyle(key_value_style())
    story: Story = [Spacer(1, 2 * mm),
                    styles.p(escape(tr("Found in the evidence, not checked")), styles.h2),
                    _intro(styles), Spacer(1, 1 * mm), table]
    if len(shown) < len(snap.unchecked):
        story.append(styles.v(tr("Page 1 shows {shown} of {all}; all are under \u201cFound "
                                 "in the evidence, not checked\u201d and in {csv}.").format(
            shown=len(shown), all=len(snap.unchecked), csv=UNCHECKED_CSV), styles.muted))
    return story


def unchecked_section(snap: CaseSnapshot, styles: Styles) -> Story:
    """After the offender identifiers: every detail found and not checked (up to
    SECTION_ROWS), with the exhibits it was seen in. Nothing when there are none."""
    if not snap.unchecked:
        return []
    story: Story = [*section_title(styles, tr("Found in the evidence, not checked"), 60 * mm),
                    _intro(styles), Spacer(1, 1 * mm)]
    details = _by_priority(snap.unchecked)
    rows = [[styles.v(d.kind.label, styles.label), _value_cell(d, styles, size=8.5),
             styles.v(exhibit_refs(snap, d.evidence_ids, 8))]
            for d in details[:SECTION_ROWS]]
    header = [tr("Kind"), tr("Value, as read"), tr("Exhibits")]
    story.append(data_table(styles, header, rows, [28 * mm, 114 * mm, 28 * mm], grow=1))
    if len(details) > SECTION_ROWS:
        story.append(styles.v(tr("The first {shown} of {all} are shown; all are in {csv}."
                                 ).format(shown=SECTION_ROWS, all=len(details),
                                          csv=UNCHECKED_CSV), styles.muted))
    return story
