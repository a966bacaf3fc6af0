"""The evidence model: passes qtmodeltester, loads thumbnails lazily (10,000 rows ask for a
screenful, not thousands), keeps sensitive items as a neutral tile until revealed, and forgets
every reveal and pixel on lock."""

import threading
import time
from datetime import UTC, datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.records.evidence import EvidencePage, EvidenceRow
from app.models.casefile import CaseFile
from app.ui.evidence.grid import make_evidence_grid
from app.ui.evidence.model import HIDDEN_ROLE, EvidenceModel
from app.ui.kit.controller import CaseController
from tests.ui.views_support import controller_fixture, settle  # noqa: F401


def _jpeg() -> bytes:
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor(30, 140, 200))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG")
    return bytes(array.data())


JPEG = _jpeg()


def _row(i: int, *, sensitive: bool = False, status: str = "ok") -> EvidenceRow:
    return EvidenceRow(
        id=i, sha256=f"{i:064x}", size=1000 + i, original_name=f"shot-{i}.png", kind="screenshot",
        detected_type="image/png", type_note=None, source="file",
        acquired_at=datetime(2024, 3, 1, tzinfo=UTC), file_modified_at=None, file_created_at=None,
        exif_taken_at=None, exif_camera=None, width=1920, height=1080, description="",
        platform=None, sensitive=sensitive, preview_status=status, preview_note=None,
        exhibit_number=i)


class Reader:
    def __init__(self) -> None:
        self.ids: list[int] = []
        self.threads: set[int] = set()
        self._lock = threading.Lock()

    def __call__(self, case: CaseFile, evidence_id: int) -> bytes | None:
        with self._lock:
            self.ids.append(evidence_id)
            self.threads.add(threading.get_ident())
        return JPEG


def test_modeltester(qtbot: QtBot, qtmodeltester, controller: CaseController) -> None:
    model = EvidenceModel(controller, reader=Reader())
    model.set_rows([_row(i, sensitive=i % 3 == 0, status="ok" if i % 4 else "none")
                    for i in range(1, 30)])
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)
    settle(qtbot)


def test_ten_thousand_rows_load_only_what_is_shown(qtbot: QtBot,
                                                   controller: CaseController) -> None:
    reader = Reader()
    model = EvidenceModel(controller, reader=reader)
    grid = make_evidence_grid(model)
    qtbot.addWidget(grid)
    grid.resize(800, 600)
    grid.show()
    started = time.perf_counter()
    model.set_rows([_row(i) for i in range(1, 10_001)])
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not model.is_loading() and len(reader.ids) > 0, timeout=5000)
    first_screen = time.perf_counter() - started
    assert len(reader.ids) < 100, len(reader.ids)  # a screenful, not 10,000
    assert threading.get_ident() not in reader.threads  # read and decoded in the worker
    assert first_screen < 3.0
    shown = model.cached_picture(1)
    assert isinstance(shown, QPixmap) and not shown.isNull()

    # Scroll to the end in big jumps: the rows passed over are never read.
    bar = grid.verticalScrollBar()
    for step in range(1, 11):
        bar.setValue(bar.maximum() * step // 10)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert len(reader.ids) < 600, len(reader.ids)
    assert model.cached_picture(10_000) is not None
    settle(qtbot)


def test_sensitive_placeholder_reveal_and_lock(qtbot: QtBot, controller: CaseController) -> None:
    reader = Reader()
    model = EvidenceModel(controller, reader=reader)
    model.set_rows([_row(1), _row(2, sensitive=True)])
    hidden_tile = model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole)
    assert model.data(model.index(1, 0), HIDDEN_ROLE) is True
    model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert reader.ids == [1]  # the sensitive item's picture is not even read
    assert model.cached_picture(2) is None
    assert "sensitive" in model.data(model.index(1, 0), Qt.ItemDataRole.AccessibleTextRole)

    model.set_revealed(2, True)
    model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: model.cached_picture(2) is not None, timeout=5000)
    picture = model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole)
    assert picture.cacheKey() != hidden_tile.cacheKey()
    model.set_revealed(2, False)  # hidden again: its pixels go too
    assert model.cached_picture(2) is None

    model.set_revealed(2, True)
    model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: model.cached_picture(2) is not None, timeout=5000)
    settle(qtbot)
    model.set_rows(model.rows())  # a reload keeps the reveal
    assert model.revealed_ids() == {2}
    controller.lock()  # the view connects case_locked to clear(); here we call it as it would
    model.clear()
    assert model.rowCount() == 0 and model.revealed_ids() == frozenset()
    assert model.cached_picture(1) is None and model.cached_picture(2) is None


class Pager:
    """The rows of a case of `count` items, a page at a time, as `evidence_page` reads them."""

    def __init__(self, count: int) -> None:
        self.all = [_row(i) for i in range(1, count + 1)]
        self.calls: list[tuple[int, int | None, int | None]] = []
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, case: CaseFile, *, after: int = 0, limit: int | None = None,
                 through: int | None = None) -> EvidencePage:
        self.gate.wait(10)
        self.calls.append((after, limit, through))
        rows = [r for r in self.all if r.id > after]
        cut = len(rows) if limit is None and through is None else (limit or 0)
        if through is not None:
            cut = max(cut, sum(1 for r in rows if r.id <= through))
        return EvidencePage(rows[:cut], more=cut < len(rows))


def test_rows_are_read_a_page_at_a_time(qtbot: QtBot, qtmodeltester,
                                        controller: CaseController) -> None:
    pager = Pager(1000)
    model = EvidenceModel(controller, reader=Reader(), pager=pager)
    page = pager(controller.case, limit=model.PAGE)  # type: ignore[arg-type]
    model.set_rows(page.rows, more=page.more)
    assert model.canFetchMore()
    model.fetchMore()
    assert not model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 2 * model.PAGE, timeout=5000)
    assert [r.id for r in model.rows()] == list(range(1, 2 * model.PAGE + 1))

    # Asked to show item 900: read up to it, then told.
    shown: list[int] = []
    assert model.load_through(900, lambda: shown.append(900))
    qtbot.waitUntil(lambda: shown == [900], timeout=5000)
    assert model.row_of(900) == 899 and model.canFetchMore()
    assert model.load_through(10, lambda: shown.append(10)) and shown == [900, 10]  # loaded
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert model.rowCount() == 1000 and not model.canFetchMore()
    assert not model.load_through(5000, lambda: shown.append(5000))  # not in the case

    # A page still being read when the rows are replaced (a reload) is dropped.
    model.set_rows(page.rows, more=True)
    pager.gate.clear()
    model.fetchMore()
    model.set_rows(page.rows, more=True)
    pager.gate.set()
    settle(qtbot)
    assert [r.id for r in model.rows()] == list(range(1, model.PAGE + 1))
    qtmodeltester.check(model)  # (it fetches more, as a view does)
    settle(qtbot)
