"""Timeline events, in order, as a read-only table model (the view edits through a form).

Times may be approximate, because people under stress forget: those show "about" in front,
in words rather than a symbol, so a screen reader says it too.
"""

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.core.records import TimelineRow, in_exhibit_order, kind_label
from app.i18n import tr, tr_n
from app.text_safety import escape_hidden, visible_line
from app.ui.kit.controller import DataArea
from app.ui.kit.delegates import PLAIN_ITEM
from app.ui.kit.view_text import exhibits_or_count, local_time, plain_tip
from app.ui.records.record_model import RecordTableModel

ModelIndex = QModelIndex | QPersistentModelIndex

WHEN, KIND, WHAT, LINKED = range(4)


@dataclass(frozen=True)
class LinkNames:
    """Names of the things events can link to, so the table can say what is linked."""

    evidence: dict[int, str] = field(default_factory=dict)
    identifiers: dict[int, str] = field(default_factory=dict)
    payments: dict[int, str] = field(default_factory=dict)
    exhibits: dict[int, str] = field(default_factory=dict)  # evidence id -> "AB/3"


def when_text(event: TimelineRow) -> str:
    text = local_time(event.occurred_at)
    if event.occurred_at.second:  # typed to the second (a time is kept to the minute unless)
        text += f":{event.occurred_at.second:02d}"
    return tr("about {when}").format(when=text) if event.approximate else text


def linked_lines(event: TimelineRow, names: LinkNames) -> list[tuple[DataArea, int, str]]:
    """(area, id, words) for each linked item, for the list the person can jump from.

    File names and details come from the offender as often as not: each is shown on one line
    with its hidden characters escaped, so a name with a right-to-left override (U+202E)
    cannot read as "photo.jpg" and a line break in a detail cannot start a line of its own."""
    def name(names_of: dict[int, str], item_id: int) -> str:
        return visible_line(names_of.get(item_id, f"#{item_id}"))

    evidence, details, payments = DataArea.EVIDENCE, DataArea.IDENTIFIERS, DataArea.PAYMENTS
    out = [(evidence, i, tr("Evidence {exhibit}: {name}").format(
               exhibit=names.exhibits[i], name=name(names.evidence, i))
            if i in names.exhibits else
            tr("Evidence: {name}").format(name=name(names.evidence, i)))
           for i in event.evidence_ids]
    out += [(details, i, tr("Detail: {name}").format(name=name(names.identifiers, i)))
            for i in event.identifier_ids]
    out += [(payments, i, tr("Payment: {name}").format(name=name(names.payments, i)))
            for i in event.payment_ids]
    return out


def _count_words(event: TimelineRow, exhibits: dict[int, str]) -> str:
    parts = []
    refs = in_exhibit_order(exhibits[i] for i in event.evidence_ids if i in exhibits)
    if event.evidence_ids:  # as the report's chronology names them
        parts.append(exhibits_or_count(refs, len(event.evidence_ids), lambda n: tr_n(
            "%n evidence item", "%n evidence items", n)))
    if event.identifier_ids:
        n = len(event.identifier_ids)
        parts.append(tr_n("%n detail", "%n details", n))
    if event.payment_ids:
        n = len(event.payment_ids)
        parts.append(tr_n("%n payment", "%n payments", n))
    return ", ".join(parts)


class TimelineModel(RecordTableModel[TimelineRow]):
    exhibits: dict[int, str] = {}  # noqa: RUF012 - replaced, never changed: set by the view
    def headers(self) -> list[str]:
        return [tr("When"), tr("What kind"), tr("What happened"), tr("Linked")]

    def record_id(self, record: TimelineRow) -> int:
        return record.id

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return PLAIN_ITEM

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        event, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == WHEN:
                return when_text(event)
            if column == KIND:
                return kind_label(event.kind)
            if column == WHAT:
                return visible_line(event.description)
            if column == LINKED:
                return _count_words(event, self.exhibits)
        if role == Qt.ItemDataRole.ToolTipRole and column == WHAT:
            return plain_tip(escape_hidden(event.description, keep="\n"))
        if role == Qt.ItemDataRole.ToolTipRole and column == WHEN and event.approximate:
            return tr("The time is approximate.")
        return None
