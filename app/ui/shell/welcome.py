"""The first screen: what Safekeep is, what it does not do, and the two ways in.

Written for someone frightened and ashamed who may have found this program a few minutes ago:
short sentences, no blame, and the three facts that matter before they type anything (it is
offline, the passphrase cannot be recovered, the quick exit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.shell.safety import make_quick_exit_button

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog


def _paragraph(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    # Only our own fixed sentences come here (no markup in them), so the default text format
    # is safe; leaving it alone also keeps Qt's enum set unloaded until after the first show.
    return label


def _heading(text: str, parent: QWidget, scale: float = 1.15) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class WelcomeWindow(QWidget):
    new_case_requested = Signal()
    open_case_requested = Signal()
    recent_case_requested = Signal(str)
    help_requested = Signal()
    close_requested = Signal()

    def __init__(self, on_quick_exit: Callable[[], None], recent: list[str] | None = None,
                 parent: QWidget | None = None, *, found: list[Path] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WelcomeWindow")

        top = QHBoxLayout()
        top.addStretch(1)
        self.quick_exit_button = make_quick_exit_button(self, on_quick_exit)
        top.addWidget(self.quick_exit_button)

        title = _heading(tr("Keep the evidence safe, in one locked file"), self, 1.5)
        title.setAccessibleName(tr("Welcome"))
        intro = _paragraph(tr(
            "If someone is threatening to share intimate pictures or videos of you, this is not "
            "your fault, and you are not alone. Safekeep helps you keep what the police will ask "
            "for: screenshots, the names and accounts used, and any payments. It keeps them in "
            "one locked case file on this computer, and makes a bundle you can give to the police."
        ), self)

        facts = QVBoxLayout()
        facts.setSpacing(10)
        for heading, text in (
            # Before anything else is asked of them: some people this happens to take their own
            # lives, and the numbers had been one button away. Kept to the advice pack's own
            # numbers by a test.
            (tr("Someone to talk to"), tr(
                "If this feels too much, you can talk to someone now, free and in confidence: "
                "Samaritans on 116\u00a0123, day or night. Under 18? Childline on "
                "0800\u00a01111. If you are in danger, call\u00a0999.")),  # each on one line
            (tr("It works offline"), tr(
                "Nothing is sent anywhere. Safekeep never connects to the internet.")),
            (tr("Your passphrase cannot be recovered"), tr(
                "You choose a passphrase to lock the case. Nobody can get it back if it is "
                "forgotten, not us and not the police. Choose one you will remember.")),
            (tr("A safer device may matter"), tr(
                "If other people use this computer, or you think someone could be watching what "
                "you do on it, consider using a device only you use.")),
            (tr("Quick exit"), tr(
                "Press Esc twice, or Shift three times, or the red Quick exit button. Safekeep "
                "hides at once and locks the case. It also locks by itself after a few minutes "
                "without use.")),
        ):
            facts.addWidget(_heading(heading, self, 1.0))
            facts.addWidget(_paragraph(text, self))

        self.new_button = QPushButton(tr("Start a new case"), self)
        self.new_button.setDefault(True)
        self.new_button.setMinimumHeight(36)
        self.new_button.clicked.connect(self.new_case_requested)
        self.open_button = QPushButton(tr("Open a case file…"), self)
        self.open_button.setMinimumHeight(36)
        self.open_button.clicked.connect(self.open_case_requested)
        self.help_button = QPushButton(tr("Help and phone numbers"), self)
        self.help_button.clicked.connect(self.help_requested)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.help_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 24)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(title)
        layout.addWidget(intro)
        # Rebuilt each time the window shows (`show_recent`): a list forgotten in Settings
        # must leave the screen then, not at the next start (a shared office computer). Above
        # the facts: on a small screen the middle of the window scrolls, and the case files,
        # what someone coming back acts on, were out of sight below them.
        self._recent_box = QWidget(self)
        self._recent_layout = QVBoxLayout(self._recent_box)
        self._recent_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._recent_box)
        layout.addLayout(facts)
        self._case_buttons: list[QPushButton] = []
        self._sized = False
        self.show_recent(recent or [], found)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._fit()

    def hold_for(self, dialog: QDialog) -> None:
        """While `dialog` (a new case being made, not modal) is open, only Quick exit and Help
        answer here: opening a case or starting a second one would run beside it."""
        held = [self.new_button, self.open_button, self._recent_box]
        for widget in held:
            widget.setEnabled(False)

        def release(_result: int) -> None:
            import shiboken6  # loaded with PySide6 already: the name only

            for widget in held:
                if shiboken6.isValid(widget):
                    widget.setEnabled(True)

        dialog.finished.connect(release)

    def show_recent(self, recent: list[str], found: list[Path] | None = None) -> None:
        """The recent case files, only when the person turned "remember recent cases" on (off
        by default), then the case files `found` where new cases are suggested.
        With any, the first is the default button: someone coming back presses Enter to
        reach their case, not to start a second one beside it."""
        while (item := self._recent_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()
                widget.deleteLater()
        shown = set(recent)
        found_here = [str(path) for path in found or () if str(path) not in shown]
        self._case_buttons = []
        self._recent_box.setVisible(bool(recent or found_here))
        words = button_words([*recent, *found_here])
        if recent:
            self._add_case_buttons(tr("Recent case files"), recent, words)
        if found_here:
            # Two folders where new cases moved from a Documents folder copied online to the
            # home folder (kit/case_files.py): each is named.
            folders = list(dict.fromkeys(Path(path).parent for path in found_here))
            heading = tr("Case files in {folder}").format(folder=folders[0]) if len(
                folders) == 1 else tr("Case files in {first} and {second}").format(
                    first=folders[0], second=folders[1])
            self._add_case_buttons(heading, found_here, words)
        first = self._case_buttons[0] if self._case_buttons else self.new_button
        self.new_button.setDefault(first is self.new_button)
        first.setDefault(True)
        if self._sized:  # shown again: the list may be longer than before
            self._fit()
        # Reading order: the case files sit above the two main actions.
        chain = [self.quick_exit_button, *self._case_buttons, self.new_button, self.open_button,
                 self.help_button]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _fit(self) -> None:
        """640 x 600, or taller where the case files listed need it (the screen permitting)."""
        layout = self.layout()
        needed = 0
        if layout is not None:
            layout.activate()
            needed = layout.totalHeightForWidth(640) if layout.hasHeightForWidth() else 0
        fit_to_screen(self, 640, max(600, needed))
        self._sized = True

    def _add_case_buttons(self, heading: str, paths: list[str], words: dict[str, str]) -> None:
        self._recent_layout.addWidget(_heading(heading, self._recent_box, 1.0))
        for path in paths:
            button = QPushButton(words[path], self._recent_box)
            button.setToolTip(path)
            button.clicked.connect(lambda _=False, p=path: self.recent_case_requested.emit(p))
            # As wide as its words, at the left: by its size policy, not an alignment, since
            # `Qt` (the alignment's namespace) costs the first window 15 ms when made.
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            self._recent_layout.addWidget(button)
            self._case_buttons.append(button)

    def default_button(self) -> QPushButton:
        """What Enter presses, and where the keyboard starts."""
        return next((b for b in self._case_buttons if b.isDefault()), self.new_button)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        default = self.default_button()
        default.setFocus()
        if default is not self.new_button:  # a case file's button: where Enter goes, in sight
            from app.ui.kit.into_view import bring_into_view

            bring_into_view(default)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The app does not quit on its own when windows close (quick exit hides them all),
        # so closing the first screen says it explicitly.
        super().closeEvent(event)
        self.close_requested.emit()


def button_words(paths: list[str]) -> dict[str, str]:
    """What each case file's button says: its name, with its folder's name where two files
    share a name (a case in a folder of its own, as the README advises, had made two buttons
    "Open case.skcase", told apart only by a tooltip), or the whole folder where the folders'
    names are the same too."""
    names = Counter(Path(path).name for path in paths)
    in_folders = Counter((Path(path).name, Path(path).parent.name) for path in paths)
    words: dict[str, str] = {}
    for text in paths:
        path = Path(text)
        if names[path.name] == 1:
            words[text] = tr("Open {name}").format(name=path.name)
        else:
            folder = path.parent.name if in_folders[path.name, path.parent.name] == 1 \
                else str(path.parent)
            words[text] = tr("Open {name} in {folder}").format(name=path.name, folder=folder)
    return words
