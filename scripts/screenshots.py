"""Screenshots of every screen, with an invented demo case, for the README and for review.

    python scripts/screenshots.py [OUT_DIR]        (default: docs/screenshots)

Runs on Qt's offscreen platform (no display needed; `QWidget.grab()` renders the real widgets)
with a 1600x900 screen, or on an X server / Xvfb if QT_QPA_PLATFORM=xcb is set (give Xvfb a
screen that size: windows fit themselves to the screen they open on). The main window on small
screens and at 200% is shot by scripts/screenshots_screens.py. Everything is written to a temporary
folder except the PNGs: the demo case, the settings, Qt's own settings.

The demo data is invented: "Alex", a made-up Facebook profile, Skype ID and MTCN.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM",
                      f"offscreen:configfile={ROOT / 'tests' / 'offscreen-1600x900.json'}")
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

PASSPHRASE = "maple orbit tundra kettle"
CHAT = [
    ("them", "hey Alex, remember me from last night? 😉"),
    ("them", "I recorded our video call. Look at this."),
    ("them", "Send £250 by Western Union in 1 hour or I send it to all your friends"),
    ("me", "please don't do this"),
    ("them", "MTCN or I post it. Name: Mary Okafor, Accra, Ghana"),
]


def chat_screenshot(path: Path, lines: list[tuple[str, str]], title: str) -> None:
    """An invented messenger screenshot, drawn with Qt (no real platform's look)."""
    image = QImage(720, 520, QImage.Format.Format_RGB32)
    image.fill(QColor("#f0f2f5"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(0, 0, 720, 56, QColor("#4267b2"))
    painter.setPen(QColor("white"))
    painter.setFont(QFont("DejaVu Sans", 14, QFont.Weight.Bold))
    painter.drawText(QRect(16, 0, 700, 56), Qt.AlignmentFlag.AlignVCenter, title)
    painter.setFont(QFont("DejaVu Sans", 12))
    y = 76
    for who, text in lines:
        mine = who == "me"
        rect = QRect(380 if mine else 20, y, 320, 64)
        painter.setBrush(QColor("#0084ff" if mine else "white"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, 14, 14)
        painter.setPen(QColor("white" if mine else "#1c1e21"))
        painter.drawText(rect.adjusted(12, 6, -12, -6), Qt.TextFlag.TextWordWrap, text)
        y += 84
    painter.end()
    image.save(str(path))


def blank_image(path: Path) -> None:
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#8a7f76"))
    image.save(str(path))


WHATSAPP = (  # an invented WhatsApp export (iOS form), read into the Conversations tab
    "[14/03/2025, 21:02:11] Jess: \u200eMessages and calls are end-to-end encrypted. No one "
    "outside of this chat, not even WhatsApp, can read or listen to them.\n"
    "[14/03/2025, 21:02:11] Jess: hey Alex, it's Jess from Facebook 😊\n"
    "[14/03/2025, 21:03:40] Alex: hi! nice to hear from you\n"
    "[14/03/2025, 22:41:05] Jess: \u200e<attached: 00000007-PHOTO-2025-03-14-22-41-05.png>\n"
    "[14/03/2025, 22:41:30] Jess: I recorded our video call. Look at this.\n"
    "[14/03/2025, 22:42:02] Alex: please delete that\n"
    "[14/03/2025, 22:43:15] Jess: Send £250 by Western Union in 1 hour\n"
    "or I send it to all your friends and family\n"
    "[14/03/2025, 22:43:50] Jess: \u200eimage omitted\n"
    "[15/03/2025, 08:12:00] Jess: MTCN or I post it. Name: Mary Okafor, Accra, Ghana\n"
    "[15/03/2025, 08:15:27] Alex: I sent it. please stop now\n"
    "[15/03/2025, 08:20:00] Jess: \u200eThis message was deleted.\n")


def whatsapp_export(folder: Path) -> list[Path]:
    """A WhatsApp ZIP with a picture, and a text export whose dates fit both orders."""
    import zipfile

    picture = folder / "attached.png"
    chat_screenshot(picture, [("them", "(a still from the video call)")], "")
    export = folder / "WhatsApp Chat - Jess.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("_chat.txt", WHATSAPP)
        archive.write(picture, "00000007-PHOTO-2025-03-14-22-41-05.png")
    waiting = folder / "WhatsApp Chat with Sam.txt"
    waiting.write_text("03/04/2025, 10:00 - Sam: are you ok?\n"
                       "05/04/2025, 11:00 - Alex: not really\n", encoding="utf-8")
    return [export, waiting]


def build_demo_case(folder: Path) -> Path:
    from app.core.intake.ingest import import_paths
    from app.core.records.identifiers import add_identifier
    from app.core.records.payments import add_payment
    from app.core.records.timeline import add_event
    from app.models.casefile import CaseFile

    shots = folder / "from-phone"
    shots.mkdir()
    chat_screenshot(shots / "chat-1.png", CHAT[:3], "Messenger · Jessica Taylor")
    chat_screenshot(shots / "chat-2.png", CHAT[3:], "Messenger · Jessica Taylor")
    chat_screenshot(shots / "profile.png", [("them", "Jessica Taylor · Lives in London"),
                                            ("them", "facebook.com/jessica.taylor.58213")],
                    "Profile")
    chat_screenshot(shots / "skype.png", [("them", "Skype: live:.cid.7f3a9c2e51d0b8aa"),
                                          ("them", "add me here, its more private")], "Skype")
    chat_screenshot(shots / "whatsapp.png",
                    [("them", "Yesterday 22:41"),
                     ("them", "text me on +44 20 7946 0461 now"),
                     ("them", "or email jess.t58@example.com"),
                     ("me", "I don't have that much")], "Messages · Jess")
    blank_image(folder / "intimate.png")
    # An invented WhatsApp export: its messages hold details Safekeep offers, with who sent
    # them and when.
    (folder / "WhatsApp Chat with Jess.txt").write_text(
        "13/03/2025, 22:41 - Messages and calls are end-to-end encrypted.\n"
        "13/03/2025, 22:41 - +44 7911 123456: I recorded our video call\n"
        "13/03/2025, 22:43 - +44 7911 123456: Send £250 by Western Union in 1 hour. "
        "Name: Mary Okafor, Accra\n"
        "13/03/2025, 22:50 - Alex: please don't do this\n"
        "13/03/2025, 23:02 - +44 7911 123456: MTCN now. Or pay to jess.t58@example.com\n"
        "13/03/2025, 23:05 - +44 7911 123456: add me on snap: jess_t58 if you want it gone\n",
        encoding="utf-8")

    path = folder / "alex.skcase"
    case = CaseFile.create(path, PASSPHRASE, display_name="Alex", actor="demo", kdf_profile=1)
    try:
        import_paths(case, sorted(shots.iterdir()))
        import_paths(case, [folder / "intimate.png"], sensitive=True,
                     note="The video still they sent back")
        import_paths(case, [folder / "WhatsApp Chat with Jess.txt"])
        import_paths(case, whatsapp_export(folder))
        add_identifier(case, "facebook", "https://www.facebook.com/jessica.taylor.58213",
                       platform="facebook", note="Profile that first messaged")
        add_identifier(case, "skype-id", "live:.cid.7f3a9c2e51d0b8aa", platform="skype")
        add_identifier(case, "mtcn", "8305216473", note="Western Union transfer")
        add_identifier(case, "name", "Mary Okafor", note="Name to send money to")
        add_payment(case, amount="250.00", currency="GBP", method="western-union",
                    reference="8305216473", recipient_name="Mary Okafor",
                    recipient_place="Accra, Ghana", status="sent",
                    paid_on=(datetime.now() - timedelta(days=1)).date())
        start = datetime.now().replace(microsecond=0) - timedelta(days=2)
        add_event(case, start, "Friend request from 'Jessica Taylor' on Facebook",
                  kind="first-contact")
        add_event(case, start + timedelta(hours=1), "She asked me to move to Skype",
                  kind="moved-platform")
        add_event(case, start + timedelta(hours=4), "Threat: pay £250 or the video is shared",
                  kind="threat")
        add_event(case, start + timedelta(hours=5), "Paid £250 by Western Union", kind="payment")
    finally:
        case.close()
    # Opened once before, so the "last opened" note shows after unlocking.
    CaseFile.open(path, PASSPHRASE, actor="alex").close()
    return path


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.names: list[str] = []

    def settle(self, seconds: float = 0.3) -> None:
        from app.ui.kit.worker import running_tasks, wait_for_all

        end = time.monotonic() + seconds
        while time.monotonic() < end or running_tasks():
            QCoreApplication.processEvents()
            wait_for_all(50)
            time.sleep(0.01)
            if time.monotonic() > end + 30:
                break

    def shoot(self, widget: QWidget, name: str) -> None:
        self.settle()
        widget.grab().save(str(self.out / f"{name}.png"))
        self.names.append(name)
        print(f"saved {name}.png")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory(prefix="safekeep-shots-") as tmp:
        return run(Path(tmp), Shooter(out))


def run(tmp: Path, shooter: Shooter) -> int:
    from app.i18n import set_translator
    from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings

    location = locate_settings(override_dir=tmp / "settings")
    redirect_qt_settings(location)
    app = QApplication(sys.argv[:1])
    app.setFont(QFont("DejaVu Sans", 10))
    app.setQuitOnLastWindowClosed(False)
    set_translator(lambda ctx, text: QCoreApplication.translate(ctx, text))

    from app.core.records.summary import edit_case
    from app.ui.kit.controller import CaseController
    from app.ui.shell.main_window import MainWindow
    from app.ui.shell.new_case_dialog import NewCaseDialog
    from app.ui.shell.session import SafekeepSession
    from app.ui.shell.unlock_dialog import UnlockDialog

    case_path = build_demo_case(tmp)
    controller = CaseController(actor="alex", kdf_profile=1)
    session = SafekeepSession(app, AppSettings(location), controller=controller,
                              quit_on_quick_exit=False, watch_platform=False)
    shoot = shooter.shoot

    welcome = session.start()
    shoot(welcome, "01-welcome")

    new_case = session.show_new_case()
    assert isinstance(new_case, NewCaseDialog)
    new_case.name_edit.setText("Alex")
    new_case.path_edit.setText(str(Path.home() / "Documents" / "case.skcase"))
    new_case.pass1.edit.setText("maple orbit")
    new_case.pass2.edit.setText("maple orbit")
    shoot(new_case, "02-new-case")
    new_case.reject()

    unlock = session.show_unlock(case_path)
    assert isinstance(unlock, UnlockDialog)
    unlock.passphrase_edit.setText("maple orbit tundra")
    unlock.try_unlock()
    wait_until(lambda: unlock.message_bar.isVisible())
    shoot(unlock, "03-unlock-wrong-passphrase")
    unlock.passphrase_edit.setText(PASSPHRASE)
    unlock.try_unlock()
    wait_until(controller.is_open)
    window = session.main_window
    assert isinstance(window, MainWindow)
    window.resize(1280, 800)
    shooter.settle(1.0)
    found_view = window.views.get("found")
    if found_view is not None:  # let text recognition finish reading the demo pictures
        wait_until(lambda: not found_view.reader.is_running(), timeout=120)
        shooter.settle(1.0)
    search = window.views.get("search")
    if search is not None:
        from PySide6.QtWidgets import QLineEdit

        fields = search.findChildren(QLineEdit)
        if fields:
            fields[0].setText("Mary")  # show results, not an empty page
    conversations = window.views.get("conversations")
    number = 10
    for index in range(window.tabs.count()):
        if window.tabs.widget(index) is conversations:
            continue  # shot below, under names of its own, so the others keep theirs
        window.tabs.setCurrentIndex(index)
        label = window.tabs.tabText(index).lower().replace(" ", "-")
        shoot(window, f"{number:02d}-main-{label}")
        number += 1
    if conversations is not None:
        shoot_conversations(window, conversations, shooter)
    window.tabs.setCurrentIndex(0)
    evidence = window.views.get("evidence")
    if evidence is not None and window.navigate("evidence", 5):  # whatsapp.png
        shooter.settle(2.0)  # the larger picture is decoded in a worker process
        found = evidence.details.found
        if found is not None and found.found.count():
            found.found.setCurrentRow(0)
            shooter.settle(0.3)
        shoot(window, "16-evidence-found-in-picture")
    if evidence is not None and window.navigate("evidence", 7):  # the WhatsApp export
        shooter.settle(1.0)
        found = evidence.details.found
        if found is not None and found.found.count():
            found.found.setCurrentRow(0)
            shooter.settle(0.3)
        shoot(window, "17-evidence-found-in-chat")
    if window.checklist_dock is not None:
        shoot(window.checklist_dock, "20-checklist-adult")
        case = controller.require_case()
        controller.run(lambda ctx: edit_case(case, under_18=True), changes="case")
        shooter.settle(0.5)
        controller.data_changed.emit("checklist")
        shooter.settle(0.5)
        shoot(window.checklist_dock, "21-checklist-under-18")
        shoot(window, "22-main-under-18")
        controller.run(lambda ctx: edit_case(case, under_18=False), changes="case")
        controller.data_changed.emit("checklist")
        shooter.settle(0.5)  # the export dialog reads the case as it opens: not mid-change

    export = window.open_export_dialog()
    if export is not None:
        shoot(export, "30-export")
        export.close()
    details = window.open_case_details()
    if details is not None:
        shooter.settle(0.5)
        shoot(details, "31-case-details")
        details.close()
    help_dialog = session.show_help()
    shoot(help_dialog, "40-help")
    steps = getattr(help_dialog, "save_chats", None)
    if steps is not None:  # further down: how to save a whole conversation in each app
        from PySide6.QtWidgets import QScrollArea

        help_dialog.findChildren(QScrollArea)[0].ensureWidgetVisible(steps, 0, 40)
        shoot(help_dialog, "42-help-saving-chats")
    help_dialog.close()
    settings_dialog = session.show_settings()
    shoot(settings_dialog, "41-settings")
    settings_dialog.close()

    session.lock("button")
    shooter.settle(0.3)
    if session.unlock_dialog is not None:
        shoot(session.unlock_dialog, "50-locked")
    session.dispose()
    shooter.settle(0.2)
    return 0


def shoot_conversations(window: QWidget, view: QWidget, shooter: Shooter) -> None:
    """The list (an export waiting for its date order selected), then the chat open with
    "Alex" chosen as the person's own name and the message with a picture selected."""
    window.show_view("conversations")  # type: ignore[attr-defined]
    shooter.settle(0.5)
    tree = view.conversations.tree  # type: ignore[attr-defined]
    tree.setCurrentItem(tree.topLevelItem(tree.topLevelItemCount() - 1))
    shooter.settle(0.5)
    shoot = shooter.shoot
    shoot(window, "18-chats")
    tree.setCurrentItem(tree.topLevelItem(0))
    view.conversations.open_selected()  # type: ignore[attr-defined]
    shooter.settle(0.5)
    page = view.page  # type: ignore[attr-defined]
    page.me_box.setCurrentIndex(page.me_box.findText("Alex"))
    page.select_position(3)
    shooter.settle(0.3)
    shoot(window, "19-conversation")


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get ready")
        QCoreApplication.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
