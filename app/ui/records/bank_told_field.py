"""The payment form's "Bank told": a tick and the day, as the table's column keeps them.

The form had a tick alone, saved as told today whatever day the bank was told, and the report
said that day. Ticking fills in today (the usual case: told just now), which can be changed
or emptied (told, the day not known); typing a day ticks it; unticking clears the day.
"""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from app.core.records import edit_text
from app.i18n import tr
from app.ui.kit.date_field import DateField


class BankToldField(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(tr("Yes, on"), self)
        self.box.setAccessibleName(tr("Bank told"))
        self.box.setToolTip(
            tr("Tick when you have told your bank or the money transfer company."))
        self.day = DateField(self, with_time=False, optional=True)
        self.day.edit.setAccessibleName(tr("Day the bank was told"))
        # Short, so that the form keeps three columns on a small screen (the date's usual
        # "like 14/03/2025 or today" made the cell too wide): ticking fills the day in anyway.
        self.day.edit.setPlaceholderText(tr("the day"))
        self.day.edit.setToolTip(tr("The day you told your bank. Leave it empty if you do "
                                    "not remember the day."))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Level with the day's line, not with the middle of the line and its "Read as" below.
        self.box.setMinimumHeight(self.day.edit.sizeHint().height())
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.day, 1)
        self.setFocusProxy(self.box)
        self.box.toggled.connect(self._ticked)
        self.day.edit.textEdited.connect(self._typed)
        self.day.edit.picked.connect(self._typed)

    def told(self) -> bool:
        return self.box.isChecked()

    def clear(self) -> None:
        self.box.setChecked(False)
        self.day.edit.set_value(None)

    def _ticked(self, told: bool) -> None:
        if told and not self.day.edit.text().strip():
            self.day.edit.setText(edit_text(date.today()))
        elif not told:
            self.day.edit.set_value(None)

    def _typed(self) -> None:
        if self.day.edit.text().strip():  # a day typed or picked: told, on the day given
            self.box.setChecked(True)
