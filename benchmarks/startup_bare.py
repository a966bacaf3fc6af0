"""The floor for "start to a main window that answers input": a bare PySide6 program that
shows a main window of about the size of Safekeep's, built in one go, and nothing else.

A QMainWindow with a toolbar, a header, a status bar, a dock of eight checklist steps, and a
tab widget of seven pages in scroll areas: an icon list with a details pane, three tables
with entry forms (combo boxes, line edits, date fields, check boxes, notes), a tree with
buttons, two lists for chats, and a search box with results. About 480 widgets, as Safekeep's
main window has. No data, no database, no files: what any PySide6 app of this size pays to
start. Prints the lines of startup_probe.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from benchmarks.startup_probe import Probe


def form(fields: list[tuple[str, QWidget]], buttons: list[str]) -> QGroupBox:
    box = QGroupBox("Add")
    layout = QFormLayout(box)
    for label, field in fields:
        cell = QWidget()  # each field in a box of its own, as a reflowing form has
        inner = QHBoxLayout(cell)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(field)
        layout.addRow(QLabel(label), cell)
    row = QHBoxLayout()
    for text in buttons:
        row.addWidget(QPushButton(text))
    layout.addRow(row)
    return box


def combo(*items: str) -> QComboBox:
    box = QComboBox()
    box.addItems(list(items))
    return box


def date() -> QDateEdit:
    field = QDateEdit(QDate.currentDate())
    field.setCalendarPopup(True)
    return field


def table_page(columns: list[str], fields: list[tuple[str, QWidget]]) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel("A short explanation of what this page keeps and why it matters."))
    filters = QHBoxLayout()
    filters.addWidget(QLabel("Show"))
    filters.addWidget(QLineEdit())
    filters.addWidget(combo("All", "Linked", "Not linked"))
    filters.addWidget(QPushButton("Copy all"))
    filters.addWidget(QPushButton("Export…"))
    layout.addLayout(filters)
    model = QStandardItemModel(0, len(columns), page)
    model.setHorizontalHeaderLabels(columns)
    table = QTableView()
    table.setModel(model)
    layout.addWidget(table, 1)
    layout.addWidget(form(fields, ["Save", "Clear", "Link evidence", "Delete"]))
    links = QListWidget()
    links.addItems([f"Evidence {n}" for n in range(1, 4)])
    layout.addWidget(links)
    return page


def evidence_page() -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    row = QHBoxLayout()
    for text in ("Add files…", "Take a screenshot", "Add a chat export…", "Export…"):
        row.addWidget(QPushButton(text))
    layout.addLayout(row)
    splitter = QSplitter()
    icons = QListView()
    icons.setViewMode(QListView.ViewMode.IconMode)
    icons.setModel(QStandardItemModel(icons))
    splitter.addWidget(icons)
    details = QWidget()
    pane = QVBoxLayout(details)
    facts = QFormLayout()
    for text in ("Title", "Added", "Size", "Kind", "Fingerprint", "Source", "Exhibit", "Note",
                 "Taken", "Device", "Sent by", "Seen in"):
        facts.addRow(QLabel(text), QLabel("-"))
    pane.addLayout(facts)
    pane.addWidget(QPlainTextEdit())
    pane.addWidget(form([("Found", QLineEdit()), ("Kind", combo("Username", "Phone"))],
                        ["Add", "Dismiss"]))
    splitter.addWidget(details)
    layout.addWidget(splitter, 1)
    return page


def found_page() -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel("Details found in pictures and chats."))
    row = QHBoxLayout()
    row.addWidget(QLabel("Reading…"))
    row.addWidget(QPushButton("Read pictures now"))
    row.addWidget(QPushButton("Pause reading"))
    layout.addLayout(row)
    tree = QTreeWidget()
    tree.setHeaderLabels(["Detail", "Seen in"])
    layout.addWidget(tree, 1)
    for text in ("Add to details", "Not right, dismiss", "Show the picture"):
        layout.addWidget(QPushButton(text))
    return page


def chats_page() -> QWidget:
    page = QWidget()
    layout = QHBoxLayout(page)
    layout.addWidget(QListWidget())
    right = QVBoxLayout()
    right.addWidget(QLabel("Conversation"))
    right.addWidget(QListView(), 1)
    right.addWidget(QPushButton("Add to timeline"))
    layout.addLayout(right, 1)
    return page


def search_page() -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(QLineEdit())
    layout.addWidget(QListWidget(), 1)
    return page


def checklist() -> QWidget:
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(QLabel("What to do next"))
    layout.addWidget(QProgressBar())
    for step in range(8):
        item = QWidget()
        row = QVBoxLayout(item)
        row.addWidget(QCheckBox(f"Step {step + 1}"))
        row.addWidget(QLabel("Why this step matters, in a sentence or two of plain words."))
        row.addWidget(QLabel("What it asks of you."))
        buttons = QHBoxLayout()
        buttons.addWidget(QPushButton("Do it"))
        buttons.addWidget(QPushButton("Copy"))
        row.addLayout(buttons)
        layout.addWidget(item)
    return panel


def main_window() -> QMainWindow:
    window = QMainWindow()
    bar = QToolBar("Main actions")
    for text in ("Prepare bundle for police", "Lock", "Settings", "Help"):
        bar.addAction(QAction(text, window))
    bar.addWidget(QPushButton("Quick exit"))
    window.addToolBar(bar)
    central = QWidget()
    layout = QVBoxLayout(central)
    header = QHBoxLayout()
    header.addWidget(QLabel("Case: a case"))
    header.addWidget(QPushButton("Case details…"))
    layout.addLayout(header)
    tabs = QTabWidget()
    pages = [
        ("Evidence", evidence_page()),
        ("Offender details", table_page(
            ["Kind", "Value", "Platform", "Note", "Evidence"],
            [("Kind", combo("Username", "Phone", "Email", "Bank account")),
             ("Value", QLineEdit()), ("Platform", combo("Instagram", "Snapchat")),
             ("Note", QPlainTextEdit()), ("Unsure", QCheckBox())])),
        ("Found in evidence", found_page()),
        ("Payments", table_page(
            ["Date", "Amount", "Method", "Recipient", "Reference", "Bank told"],
            [("Date", date()), ("Amount", QLineEdit()), ("Currency", combo("GBP", "EUR")),
             ("Method", combo("Bank transfer", "Gift card", "Crypto")),
             ("Recipient", QLineEdit()), ("Reference", QLineEdit()),
             ("Bank told", QCheckBox()), ("Told on", date()), ("Note", QLineEdit())])),
        ("Timeline", table_page(
            ["When", "What happened", "Evidence"],
            [("When", date()), ("Time", QLineEdit()), ("What happened", QPlainTextEdit()),
             ("Kind", combo("Threat", "Demand", "Payment"))])),
        ("Chats", chats_page()),
        ("Search", search_page()),
    ]
    for label, page in pages:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(page)
        tabs.addTab(area, label)
    layout.addWidget(tabs, 1)
    window.setCentralWidget(central)
    dock = QDockWidget("What to do next")
    dock.setWidget(checklist())
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.statusBar().showMessage("Opened.")
    window.resize(1180, 760)
    return window


def main() -> int:
    app = QApplication(sys.argv[:1])
    probe = Probe()
    window = main_window()
    probe.main_window_shown(window)  # before show(): its first paint may come at once
    window.show()
    QTimer.singleShot(0, probe.first_window_shown)  # its first window is its main window
    code = int(app.exec())
    del window
    return code


if __name__ == "__main__":
    sys.exit(main())
