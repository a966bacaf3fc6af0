"""The offender's details as an editable table model.

Editing a cell changes the row at once (so the table does not jump back while the save runs)
and emits `edit_requested`; the view saves it in the worker and reloads. Hints from
`normalise()` are computed in the worker on load and shown in their own column: they never
block a save, because part of a value can still help police.
"""

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.identifiers import IdentifierType, parse_type, platform_label
from app.core.records import IdentifierRow
from app.errors import InvalidInput
from app.i18n import tr, tr_n
from app.text_safety import visible_line
from app.ui.kit.delegates import PLAIN_ITEM, is_checked
from app.ui.kit.view_text import exhibits_or_count
from app.ui.records.record_model import RecordTableModel

ModelIndex = QModelIndex | QPersistentModelIndex

TYPE, VALUE, PLATFORM, NOTE, UNSURE, EVIDENCE, HINT = range(7)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclasses.dataclass(frozen=True)
class HintedIdentifier:
    """An identifier with the gentle hints its value raises."""

    identifier: IdentifierRow
    hints: tuple[str, ...] = ()
    better_type: IdentifierType | None = None  # the type it plainly is, offered in one click
    # The exhibit references ("AB/3") of the items it is linked to, as the report's column
    # names them; "2 items" had said nothing an officer's question could be matched to.
    exhibits: tuple[str, ...] = ()


def _headers() -> list[str]:
    return [tr("Type"), tr("Detail"), tr("Platform"), tr("Note"), tr("Not sure"),
            tr("Evidence"), tr("Hint")]


class IdentifiersModel(RecordTableModel[HintedIdentifier]):
    edit_requested = Signal(int, object)  # identifier id, {field: value} for edit_identifier

    def headers(self) -> list[str]:
        return _headers()

    def record_id(self, record: HintedIdentifier) -> int:
        return record.identifier.id

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = PLAIN_ITEM
        if index.column() in (TYPE, VALUE, PLATFORM, NOTE):
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == UNSURE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        view, column = row.identifier, index.column()
        if role == ID_ROLE:
            return view.id
        if role == Qt.ItemDataRole.CheckStateRole and column == UNSURE:
            return Qt.CheckState.Checked if view.unsure else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TYPE:
                return view.type.help_text
            if column in (VALUE, HINT) and row.hints:
                return "\n".join(row.hints)
            if column == UNSURE:
                return tr("Tick if you are not sure this is right. It is kept either way.")
            return None
        if role == Qt.ItemDataRole.EditRole:
            return {TYPE: view.type.value, VALUE: view.value, PLATFORM: view.platform or "",
                    NOTE: view.note}.get(column)
        if role == Qt.ItemDataRole.DisplayRole:  # case text on one line, hidden characters shown
            if column == TYPE:
                return view.type.label
            if column == VALUE:
                return visible_line(view.value)
            if column == PLATFORM:
                return visible_line(platform_label(view.platform)) if view.platform else ""
            if column == NOTE:
                return visible_line(view.note)
            if column == EVIDENCE:
                return exhibits_or_count(row.exhibits, len(view.evidence_ids),
                                         lambda n: tr_n("%n item", "%n items", n))
            if column == HINT:
                return row.hints[0] if row.hints else ""
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        row = self._rows[index.row()]
        view, column = row.identifier, index.column()
        fields: dict[str, object]
        new_view: IdentifierRow
        if role == Qt.ItemDataRole.CheckStateRole and column == UNSURE:
            unsure = is_checked(value)
            fields, new_view = {"unsure": unsure}, dataclasses.replace(view, unsure=unsure)
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column == TYPE:
            try:
                kind: IdentifierType = parse_type(str(value))
            except InvalidInput:
                return False
            fields, new_view = {"type_keyword": kind.value}, dataclasses.replace(view, type=kind)
        elif column == VALUE:
            fields, new_view = {"value": str(value)}, dataclasses.replace(view, value=str(value))
        elif column == PLATFORM:
            text = str(value or "").strip()
            fields = {"platform": text}
            new_view = dataclasses.replace(view, platform=text or None)
        elif column == NOTE:
            fields, new_view = {"note": str(value)}, dataclasses.replace(view, note=str(value))
        else:
            return False
        if new_view == view:
            return True
        self._rows[index.row()] = HintedIdentifier(new_view, row.hints)
        first, last = self.index(index.row(), 0), self.index(index.row(), HINT)
        self.dataChanged.emit(first, last)
        self.edit_requested.emit(view.id, fields)
        return True
