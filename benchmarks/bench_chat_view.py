"""The Chats tab never freezes while a long conversation is scrolled: the longest gap between
two ticks of a 5 ms timer on the GUI thread (bench_stall's meter) while the real conversation
view goes from the first message to the last and back, once by mouse wheel and once by
dragging the scroll bar, with pages of messages read in the worker as it goes
(docs/DESIGN.md: no event-loop stall over 50 ms).

    python benchmarks/bench_chat_view.py [MESSAGES]
"""

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollBar, QStyle, QStyleOptionSlider, QWidget

from app.core.intake import import_paths
from app.models.casefile import CaseFile
from app.ui.chats.conversation_page import ConversationPage
from app.ui.chats.conversations_view import ConversationsView
from app.ui.kit.collector import freeze_heap
from app.ui.kit.controller import CaseController
from app.ui.kit.interpreter_share import shared_with_window
from app.ui.kit.worker import running_tasks
from benchmarks.bench_stall import GOAL_MS, StallMeter, spin_until, tear_down, unlocked
from benchmarks.common import Row, print_table

PASSPHRASE = "bench passphrase"
NOTCHES = 15  # per wheel event, every 10 ms or so: a hard flick, over and over
WORDS = ("pay", "now", "or", "I", "send", "the", "pictures", "to", "everyone", "you", "know",
         "\u05e9\u05dc\u05d5\u05dd", "=HYPERLINK(\"x\")", "<b>", "&amp;", "tonight", "500")


def write_chat(path: Path, count: int, seed: int = 7) -> None:
    """A WhatsApp export of `count` messages of mixed length (one line to a paragraph, some
    over several lines), a new day every 300, as real chats are: no two rows the same height."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            day = 13 + (i // 300) % 16  # over 12: plainly day first, even in a short chat
            month = 1 + (i // (300 * 16)) % 12
            sender = "Sam" if rng.random() < 0.5 else "Alex"
            text = " ".join(rng.choice(WORDS) for _ in range(rng.choice((2, 5, 12, 40))))
            if rng.random() < 0.1:
                text += "\nand another line\nand one more"
            out.write(f"{day:02d}/{month:02d}/2024, {(i // 60) % 24:02d}:{i % 60:02d} - "
                      f"{sender}: {i} {text}\n")


def wheel(widget: QWidget, notches: int) -> None:
    """The wheel turned `notches` (negative: down) over the middle of `widget`."""
    centre = QPointF(widget.rect().center())
    QApplication.sendEvent(widget, QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False))


def handle_centre(bar: QScrollBar) -> QPoint:
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    return bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                      QStyle.SubControl.SC_ScrollBarSlider, bar).center()


def drag_handle(app: QApplication, bar: QScrollBar, down: bool, steps: int = 12) -> None:
    """Press on the scroll bar's handle, move it to the far end in `steps` moves (events
    handled between them, as a hand is slower than the event loop), and let go."""
    start = handle_centre(bar)
    end = QPoint(start.x(), bar.height() - 2 if down else 1)
    QTest.mousePress(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, steps + 1):
        point = start + (end - start) * step / steps
        QTest.mouseMove(bar, point)
        app.processEvents()
    QTest.mouseRelease(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    app.processEvents()


def at_end(page: ConversationPage, down: bool) -> bool:
    model, bar = page.model, page.list.verticalScrollBar()
    if model.is_loading() or running_tasks():
        return False
    if down:
        return model.first + model.rowCount() >= model.total and bar.value() >= bar.maximum()
    return model.first == 0 and bar.value() <= bar.minimum()


def scroll_through(app: QApplication, page: ConversationPage, *, by_wheel: bool,
                   down: bool, timeout: float = 600) -> int:
    """Scroll from one end of the conversation to the other; returns the moves it took."""
    deadline = time.monotonic() + timeout
    moves = 0
    while not at_end(page, down):
        if time.monotonic() > deadline:
            raise TimeoutError("scrolling did not reach the end in time")
        if by_wheel:
            wheel(page.list.viewport(), -NOTCHES if down else NOTCHES)
        else:
            drag_handle(app, page.list.verticalScrollBar(), down)
        moves += 1
        pause = time.perf_counter() + 0.01  # a hand's pace: the worker reads meanwhile
        while time.perf_counter() < pause:
            app.processEvents()
            time.sleep(0.001)
    return moves


def open_view(app: QApplication, path: Path) -> tuple[CaseController, ConversationsView]:
    controller = unlocked(app, path, PASSPHRASE)
    view = ConversationsView(controller)
    view.resize(1000, 760)
    view.show()
    view.reload()
    spin_until(app, lambda: bool(view.conversations.tree.topLevelItemCount()))
    spin_until(app, lambda: not running_tasks())
    row = view.conversations.selected() or view._rows[0]
    view.open_conversation(row)
    spin_until(app, lambda: view.page.model.rowCount() > 0 and not running_tasks())
    return controller, view


@shared_with_window()  # as run_desktop_app sets the window's process
def rows(count: int = 20_000) -> list[Row]:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "make the QApplication first (see __main__)"
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-chat-view-"))
    try:
        chat = work / "WhatsApp Chat with Sam.txt"
        write_chat(chat, count)
        path = work / "case.skcase"
        case = CaseFile.create(path, PASSPHRASE, display_name="chat view", actor="bench",
                               kdf_profile=1)
        import_paths(case, [chat])
        case.close()
        controller, view = open_view(app, path)
        page = view.page
        freeze_heap()  # as the app does once its main window is built
        meter = StallMeter()
        results: list[Row] = []
        for by_wheel, words in ((True, "mouse wheel"), (False, "dragging the scroll bar")):
            meter.start()
            started = time.perf_counter()
            moves = scroll_through(app, page, by_wheel=by_wheel, down=True)
            moves += scroll_through(app, page, by_wheel=by_wheel, down=False)
            took = time.perf_counter() - started
            stall = meter.stop()
            results.append(Row(
                f"Longest GUI stall scrolling {count:,} messages by {words}",
                f"{stall:.0f} ms", f"<= {GOAL_MS:.0f} ms", stall <= GOAL_MS,
                f"to the last message and back: {moves} moves in {took:.0f} s"))
        tear_down(app, controller, view)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    APP = QApplication(sys.argv[:1])  # outlives everything made in rows()
    from app.ui.kit.collector import GuiThreadCollector

    GuiThreadCollector(APP).start()  # collection on the GUI thread only, as in the app
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
