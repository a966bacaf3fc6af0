"""The case's own details: its name or alias, the police crime reference, the caseworker, notes,
and the two facts that change the advice (under 18, happening now). They head the report."""

from PySide6.QtCore import Qt
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

from app.core.records import CaseSummary, case_summary, edit_case
from app.i18n import tr
from app.ui.kit.calm_dialog import CalmDialog, keep_from_enter
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.kit.titles import set_title
from app.ui.kit.worker import TaskContext


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
        self.initials_edit.setMaxLength(8)
        self.initials_edit.setToolTip(tr(
            "Officers refer to each piece of evidence by the initials of the person who gives it "
            "to them and a number, such as AB/1. Keep them the same once a bundle has gone to "
            "police."))
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.notes_edit.setPlaceholderText(tr("Anything else police should know"))
        self.under_18_box = QCheckBox(tr("The person is under 18"), self)
        self.danger_box = QCheckBox(tr("It is happening now"), self)

        form = QFormLayout()
        form.addRow(tr("Name or alias"), self.name_edit)
        form.addRow(tr("Crime reference"), self.reference_edit)
        form.addRow(tr("Caseworker"), self.caseworker_edit)
        form.addRow(tr("Initials for exhibits"), self.initials_edit)
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
        layout.addLayout(buttons)
        fit_to_screen(self, 520)
        self._set_enabled(False)  # until the details are read
        controller.case_locked.connect(self.reject)
        case = controller.require_case()
        controller.run(lambda ctx: case_summary(case), on_result=self._fill)

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

    def _fill(self, summary: CaseSummary) -> None:
        self.name_edit.setText(summary.display_name)
        self.reference_edit.setText(summary.crime_reference or "")
        self.caseworker_edit.setText(summary.caseworker or "")
        # Empty until chosen: the placeholder shows the initials taken from the name meanwhile.
        self.initials_edit.setText(summary.producer_initials if summary.producer_initials_given
                                   else "")
        self.initials_edit.setPlaceholderText(
            tr("{initials}, from the name (exhibits {initials}/1, {initials}/2...)").format(
                initials=summary.producer_initials))
        self.notes_edit.setPlainText(summary.notes)
        self.under_18_box.setChecked(summary.under_18)
        self.danger_box.setChecked(summary.in_danger_now)
        self._set_enabled(True)
        self.name_edit.setFocus()

    def save(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.message.setText(tr("Give the case a name or an alias, so you can tell it apart."))
            return
        case = self.controller.case
        if case is None:
            return
        reference, caseworker = (
            self.reference_edit.text().strip(),
            self.caseworker_edit.text().strip(),
        )
        notes, under_18 = self.notes_edit.toPlainText(), self.under_18_box.isChecked()
        initials = self.initials_edit.text().strip()
        in_danger = self.danger_box.isChecked()

        def work(ctx: TaskContext) -> None:
            edit_case(
                case,
                display_name=name,
                crime_reference=reference,
                caseworker=caseworker,
                notes=notes,
                under_18=under_18,
                in_danger_now=in_danger,
                producer_initials=initials,
            )

        self._set_enabled(False)
        self.controller.run(
            work, changes=DataArea.CASE, on_result=lambda _: self.accept(), on_error=self._failed
        )

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self._set_enabled(True)
