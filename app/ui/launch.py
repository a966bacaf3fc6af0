"""Start the desktop app. The only module the entry point imports Qt through."""

import sys


def run_desktop_app(case_path: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel(app.translate("Safekeep", "Safekeep"))
    label.setWindowTitle("Safekeep")
    label.resize(480, 320)
    label.show()
    return int(app.exec())
