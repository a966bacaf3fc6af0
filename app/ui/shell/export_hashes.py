"""The two fingerprints (SHA-256) a person gives the officer separately from the bundle: those
of manifest.json and report.pdf. Shown once the bundle is ready, calmly, selectable, with a
button that copies both; nothing is sent anywhere.

They cannot be inside the bundle (a file cannot hold its own hash), and anyone who changes a
bundle can rewrite its lists of hashes to match: these two, given another way, are what lets
an officer be sure the bundle and the report are the ones made here.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.ui.kit.app_font import monospace_font, set_font_keeping_text_size


class BundleHashes(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        # Plain words first: "manifest.json" and 128 letters read out by phone had asked a
        # frightened person for more than an officer needs of them.
        self.explain = QLabel(tr(
            "For the officer: two codes (fingerprints) that show nothing in the "
            "bundle was changed on the way. Send them separately from the bundle, in an e-mail "
            "or a message: \u201cCopy fingerprints\u201d copies both. The case keeps them in its "
            "history too."))
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.values = QLabel()
        self.values.setTextFormat(Qt.TextFormat.PlainText)
        self.values.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_font_keeping_text_size(self.values, monospace_font)
        self.values.setWordWrap(True)
        self.values.setAccessibleName(tr("Fingerprints of the bundle"))
        layout.addWidget(self.values)
        row = QHBoxLayout()
        self.copy_button = QPushButton(tr("Copy fingerprints"))
        self.copy_button.setAccessibleName(tr("Copy both fingerprints"))
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        row.addStretch()
        layout.addLayout(row)
        self._text = ""
        self.hide()  # until a bundle is ready

    def show_hashes(self, manifest_sha256: str, report_sha256: str) -> None:
        self._text = "\n".join([
            tr("manifest.json SHA-256: {hash}").format(hash=manifest_sha256),
            tr("report.pdf SHA-256: {hash}").format(hash=report_sha256)])
        self.values.setText(self._text)
        self.copy_button.setText(tr("Copy fingerprints"))
        self.show()

    def text(self) -> str:
        return self._text

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._text)
        self.copy_button.setText(tr("Copied"))
