"""The payment form's "Bank told": a tick and the day, as the table's column keeps them.

The form had a tick alone, saved as told today whatever day the bank was told, and the report
said that day. Ticking fills in today (the usual case: told just now), which can be changed
or emptied (told, the day not known); typing or picking a day ticks it; unticking clears the
day. The tick heads its cell where a label would be, so the day has the cell's whole width.
"""

from datetime import date

from PySide6.QtWidgets import QCheckBox

from app.core.records import edit_text
from app.i18n import tr
from app.ui.kit.date_field import DateField


class BankToldField:
    def __init__(self) -> None:
        self.box = QCheckBox(tr("Bank told, on this day:"))
        self.box.setAccessibleName(tr("Bank told"))
        self.box.setToolTip(
            tr("Tick when you have told your bank or the money transfer company."))
        self.day = DateField(with_time=False, optional=True)
        self.day.edit.setAccessibleName(tr("Day the bank was told"))
        self.day.edit.setToolTip(tr("The day you told your bank. Leave it empty if you do "
                                    "not remember the day."))
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
