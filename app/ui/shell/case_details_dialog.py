"""The case's own details: its name or alias, the police crime reference, the caseworker, notes,
and the two facts that change the advice (under 18, happening now). They head the report.

The dialog stays open beside the window, where the checklist can change the same details (its
"I am under 18" box, the crime reference saved with a step): Save writes only what the person
changed here, and a field left untouched shows the case as it is now.

Escape, Cancel or closing the window with changes made asks first, in the dialog itself (not a
box of its own, which would hold up the main window and its Quick exit button): notes typed
for minutes were lost to one reflex press of Escape. A lock (by hand, after a while unused,
Quick exit) does not ask: what was changed is saved as the case locks, if it would save."""

import logging
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.records import (
    BundleMarks,
    CaseSummary,
    case_summary,
    edit_case,
    last_bundle_marks,
    producer_initials,
)
from app.i18n import tr
from app.models.casefile import CaseFile
from app.ui.kit.calm_dialog import CalmDialog, keep_from_enter
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.into_view import bring_into_view
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.kit.titles import set_title
from app.ui.kit.view_text import day_text
from app.ui.kit.worker import TaskContext

log = logging.getLogger(__name__)


def _details(summary: CaseSummary) -> dict[str, Any]:
    """The details the dialog shows, by the names `edit_case` takes them by."""
    return {"display_name": summary.display_name,
            "crime_reference": summary.crime_reference or "",
            "caseworker": summary.caseworker or "",
            # Empty until chosen: the placeholder shows the initials from the name meanwhile.
            "producer_initials": summary.producer_initials if summary.producer_initials_given
            else "",
            "notes": summary.notes, "under_18": summary.under_18,
            "in_danger_now": summary.in_danger_now}



class NotesEdit(QPlainTextEdit):
    """Notes about four lines tall to start with, taller as the window grows: Qt's own twelve
    lines made the whole window scroll at 1024x600 and 125%, the last boxes and the under-18
    tick out of sight."""

    LINES = 4

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        lines = self.fontMetrics().lineSpacing() * self.LINES \
            + 2 * int(self.document().documentMargin()) + margins.top() + margins.bottom()
        return QSize(hint.width(), min(hint.height(), lines))

class CaseDetailsDialog(CalmDialog):
    """Not modal: the Quick exit button in the main window must stay reachable."""

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        set_title(self, tr("Case details"))
        self.setObjectName("CaseDetailsDialog")

        intro = QLabel(
            tr(
                "These details go on the first page of the report for police. "
                "Only the name or alias is needed; fill in the rest when you have it."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(self)
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setPlaceholderText(tr("Given when you report it, e.g. by calling 101"))
        # Wide enough to show a whole reference (or two) at any text size, not its first half.
        self.reference_edit.setMinimumWidth(
            self.reference_edit.fontMetrics().horizontalAdvance("0" * 40) + 12)
        self.caseworker_edit = QLineEdit(self)
        self.caseworker_edit.setPlaceholderText(tr("Optional: who is helping with this case"))
        self.initials_edit = QLineEdit(self)
        # Room for a name typed in full ("Mary Ann Jones" gives MAJ): 8 characters cut it.
        self.initials_edit.setMaxLength(60)
        self.initials_edit.setToolTip(tr(
            "Officers refer to each piece of evidence by the initials of the person who gives it "
            "to them and a number, such as AB/1. Keep them the same once a bundle has gone to "
            "police."))
        # The marks as they will be, said as they are typed, and a word if a bundle already
        # went out with others: "AB/3" must mean one thing to the officer.
        self.initials_hint = QLabel(self)
        self.initials_hint.setWordWrap(True)
        self.initials_hint.setTextFormat(Qt.TextFormat.PlainText)
        self._last_bundle: BundleMarks | None = None
        self.notes_edit = NotesEdit(self)
        self.notes_edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.notes_edit.setPlaceholderText(tr("Anything else police should know"))
        self.under_18_box = QCheckBox(tr("The person is under 18"), self)
        self.danger_box = QCheckBox(tr("It is happening now"), self)

        form = QFormLayout()
        form.addRow(tr("Name or alias"), self.name_edit)
        form.addRow(tr("Crime reference"), self.reference_edit)
        form.addRow(tr("Caseworker"), self.caseworker_edit)
        # The field and its words in one cell: as a row of its own the words were given a
        # share of the height a growing dialog gains, and floated in a gap.
        initials_cell = QWidget(self)
        cell = QVBoxLayout(initials_cell)
        cell.setContentsMargins(0, 0, 0, 0)
        cell.addWidget(self.initials_edit)
        cell.addWidget(self.initials_hint)
        form.addRow(tr("Initials for exhibits"), initials_cell)
        form.addRow(tr("Notes"), self.notes_edit)
        form.addRow("", self.under_18_box)
        form.addRow("", self.danger_box)
        for label, field in (
            (tr("Name or alias"), self.name_edit),
            (tr("Crime reference"), self.reference_edit),
            (tr("Caseworker"), self.caseworker_edit),
            (tr("Initials for exhibits"), self.initials_edit),
            (tr("Notes"), self.notes_edit),
        ):
            field.setAccessibleName(label)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        # Asked when the person leaves with changes made (Escape, Cancel, the window's X).
        self.unsaved = QWidget(self)
        unsaved = QHBoxLayout(self.unsaved)
        unsaved.setContentsMargins(0, 0, 0, 0)
        unsaved_words = QLabel(tr("You changed some details. Save them before you close?"))
        unsaved_words.setWordWrap(True)
        self.discard_button = QPushButton(tr("Close without saving"), self.unsaved)
        self.discard_button.clicked.connect(self._discard)
        keep_from_enter(self.discard_button)  # Space or a click: Enter saves, as everywhere
        unsaved.addWidget(unsaved_words, 1)
        unsaved.addWidget(self.discard_button)
        self.unsaved.hide()
        self.save_button = QPushButton(tr("Save"), self)
        self.save_button.clicked.connect(self.save)
        self.set_primary(self.save_button)  # Enter in any one-line field saves
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        keep_from_enter(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        QWidget.setTabOrder(self.cancel_button, self.save_button)  # as they are drawn

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.unsaved)
        layout.addLayout(buttons)
        # Switched off until the details are read, before the window is fitted: switched off
        # after, where the window scrolls, each field handed the keyboard on down to the last,
        # which the scroll area brought into sight, and the window opened scrolled to its end.
        self._set_enabled(False)
        fit_to_screen(self, 520)
        self._read: dict[str, Any] | None = None  # what the case held when last read
        controller.locking.connect(self._save_at_lock)
        controller.case_locked.connect(self._close_at_lock)
        controller.data_changed.connect(self._data_changed)
        for edit in (self.initials_edit, self.name_edit):
            edit.textChanged.connect(self._show_marks)
        self._load()

    def _load(self) -> None:
        case = self.controller.require_case()
        self.controller.run(lambda ctx: (case_summary(case), last_bundle_marks(case)),
                            on_result=self._fill)

    def _show_marks(self) -> None:
        if self._read is None:
            return
        initials = producer_initials(self.initials_edit.text(), self.name_edit.text())
        words = [tr("Exhibits will be marked {initials}/1, {initials}/2…").format(
            initials=initials)]
        last = self._last_bundle
        if last is not None and last.initials != initials:
            words.append(tr(
                "The bundle made on {day} marked them {old}/1, {old}/2…: if police have it, "
                "keep {old}, so each mark means the same exhibit to them.").format(
                day=day_text(last.made_at.astimezone()), old=last.initials))
        self.initials_hint.setText(" ".join(words))

    def _data_changed(self, area: DataArea) -> None:
        if area is DataArea.CASE and self.save_button.isEnabled() and self.controller.is_open():
            self._load()  # changed elsewhere (the checklist) while this is open

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.name_edit,
            self.reference_edit,
            self.caseworker_edit,
            self.initials_edit,
            self.notes_edit,
            self.under_18_box,
            self.danger_box,
            self.save_button,
        ):
            widget.setEnabled(enabled)

    def _shown(self) -> dict[str, Any]:
        """What the fields say now, by the same names as `_details`."""
        return {"display_name": self.name_edit.text().strip(),
                "crime_reference": self.reference_edit.text().strip(),
                "caseworker": self.caseworker_edit.text().strip(),
                "producer_initials": self.initials_edit.text().strip(),
                "notes": self.notes_edit.toPlainText(), "under_18": self.under_18_box.isChecked(),
                "in_danger_now": self.danger_box.isChecked()}

    def _fill(self, loaded: tuple[CaseSummary, BundleMarks | None]) -> None:
        if not isValid(self):  # closed (and deleted) before the answer came
            return
        summary, self._last_bundle = loaded
        first = self._read is None
        shown, read = self._shown(), self._read or {}
        self._read = _details(summary)
        # A field the person has changed keeps what they typed; the others show the case now.
        untouched = {key for key, value in shown.items() if first or value == read.get(key)}
        for key, edit in (("display_name", self.name_edit),
                          ("crime_reference", self.reference_edit),
                          ("caseworker", self.caseworker_edit),
                          ("producer_initials", self.initials_edit)):
            if key in untouched and edit.text().strip() != self._read[key]:
                edit.setText(self._read[key])
        if "notes" in untouched and shown["notes"] != self._read["notes"]:
            self.notes_edit.setPlainText(self._read["notes"])
        for key, box in (("under_18", self.under_18_box), ("in_danger_now", self.danger_box)):
            if key in untouched:
                box.setChecked(self._read[key])
        # The marks themselves are said under the field (`_show_marks`), not twice.
        self.initials_edit.setPlaceholderText(
            tr("{initials}, from the name").format(initials=summary.producer_initials))
        self._show_marks()
        if first:
            self._set_enabled(True)
            self.name_edit.setFocus()
            bring_into_view(self.name_edit)  # setFocus() alone does not scroll to it

    def _changes(self) -> dict[str, Any]:
        """What was changed here and not saved (nothing before the details are read)."""
        read = self._read
        if read is None:
            return {}
        return {key: value for key, value in self._shown().items() if value != read[key]}

    def reject(self) -> None:
        """Escape, Cancel or the window's X. With changes made, asks first; a second
        Escape while it asks goes back to the details."""
        if self.unsaved.isVisible():
            self.unsaved.hide()
            return
        if self._changes() and self.save_button.isEnabled():
            self.unsaved.show()
            self.grow_to_fit()
            self.save_button.setFocus()  # Enter saves; "Close without saving" takes Space
            return
        super().reject()

    def _discard(self) -> None:
        self.unsaved.hide()
        super().reject()

    def _save_at_lock(self, case: CaseFile) -> None:
        """At a lock (`CaseController.locking`, the case still open and its work done): what
        was changed here is saved, as the evidence description is, if Save would save it."""
        changes = self._changes() if isValid(self) else {}
        if not changes or not self._shown()["display_name"]:
            return
        try:
            edit_case(case, **changes)
        except Exception:  # a full disk, a damaged file: the lock itself must still happen
            log.warning("Case details typed and not saved could not be kept as the case locked")

    def _close_at_lock(self) -> None:
        if isValid(self):
            self.unsaved.hide()
            super().reject()

    def save(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.message.setText(tr("Give the case a name or an alias, so you can tell it apart."))
            return
        case = self.controller.case
        if case is None or self._read is None:
            return
        # Only what was changed here: the rest may have been changed meanwhile elsewhere.
        changes = self._changes()
        self.unsaved.hide()

        def work(ctx: TaskContext) -> None:
            edit_case(case, **changes)

        self._set_enabled(False)
        self.controller.run(
            work, changes=DataArea.CASE, on_result=lambda _: self.accept(), on_error=self._failed
        )

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self._set_enabled(True)
