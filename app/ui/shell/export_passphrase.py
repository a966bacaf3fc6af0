"""The bundle passphrase's two fields, shown when "Protect the ZIP with a passphrase?" is ticked.

Its own module so the export dialog keeps to the steps of making a bundle. The fields only
hold what is typed; the dialog reads and empties them.
"""

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.i18n import tr


class BundlePassphraseRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(22, 0, 0, 0)  # under the tick box it belongs to
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Bundle passphrase"))
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName(tr("Bundle passphrase again"))
        form.addRow(tr("Passphrase"), self.passphrase)
        form.addRow(tr("Again"), self.passphrase_again)
        hint = QLabel(tr("Tell the officer the passphrase in person or by phone, not in "
                         "the same message as the file. Officers may ask for a ZIP without "
                         "one, so check what they prefer: it opens with 7-Zip or WinZip, not "
                         "with the ZIP tool built into Windows. The passphrase locks what is in "
                         "the files; their names (the case's name, each original's file name) "
                         "can still be read without it."))
        hint.setWordWrap(True)
        form.addRow(hint)

    @property
    def fields(self) -> tuple[QLineEdit, QLineEdit]:
        return self.passphrase, self.passphrase_again

    def typed(self) -> tuple[str | None, str | None]:
        """(the passphrase, None), or (None, what to put right) when it is missing or the two
        fields differ."""
        if not self.passphrase.text():
            return None, tr("Type a passphrase for the ZIP, or untick the box.")
        if self.passphrase.text() != self.passphrase_again.text():
            return None, tr("The two passphrases are different. Type them again.")
        return self.passphrase.text(), None

    def forget(self) -> None:
        self.passphrase.clear()
        self.passphrase_again.clear()
