"""The evidence items of the open case as a Qt list model, with rows and thumbnails loaded
lazily.

Rows are `EvidenceRow` metadata only (listing never decrypts content), loaded a page at a
time: the view asks for more (`canFetchMore`/`fetchMore`) as the person scrolls to the end,
and `load_through` loads up to an item someone wants to show. So a case of 30,000 items opens
with one page read, not 30,000 rows. A thumbnail is asked for only when a view asks for the
row's picture, that is when the row is painted, and is decoded in the worker; a small LRU
cache keeps recent ones. Requests are batched and the newest win, so scrolling fast through
10,000 items does not queue thousands of reads.

Pages and thumbnails run on the model's own one-thread pool: when a case opens, every view
starts loading at once, and the first screen of thumbnails must not wait behind them.

Sensitive items show a neutral tile and their thumbnail is not even read until the person
reveals the item on purpose; `clear()` (on lock) forgets every reveal and every pixel.
"""

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
)
from PySide6.QtGui import QImage, QPixmap

from app.core.records import (
    EvidencePage,
    EvidenceRow,
    evidence_page,
    evidence_title,
    read_thumbnail,
)
from app.i18n import tr
from app.models.casefile import CaseFile
from app.text_safety import visible_line
from app.ui.evidence.thumbnails import (
    PixmapCache,
    Placeholders,
    ThumbnailReader,
    decode_thumbnails,
    kind_word,
)
from app.ui.kit.controller import CaseController
from app.ui.kit.delegates import PLAIN_ITEM
from app.ui.kit.first_look import EVIDENCE_PAGE
from app.ui.kit.view_text import plain_tip

ModelIndex = QModelIndex | QPersistentModelIndex

EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 1  # the EvidenceRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # int
HIDDEN_ROLE = Qt.ItemDataRole.UserRole + 3  # bool: sensitive and not revealed

# Statuses whose items may have a stored thumbnail; others get a tile straight away.
_MAY_HAVE_THUMBNAIL = frozenset({"ok", "pending"})

#: Reads a page of rows: (case, after=id, limit=n or None, through=id or None).
Pager = Callable[..., EvidencePage]


class EvidenceModel(QAbstractListModel):
    BATCH = 48  # thumbnails per worker task: a first screen of a maximised 1080p window in one
    MAX_PENDING = 160  # older requests are dropped: those rows were scrolled past
    PAGE = EVIDENCE_PAGE  # rows read at a time: a few screens of a maximised window

    def __init__(
        self,
        controller: CaseController,
        parent: QObject | None = None,
        *,
        reader: ThumbnailReader = read_thumbnail,
        pager: Pager = evidence_page,
        cache_size: int = 300,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._reader = reader
        self._pager = pager
        self.pool = QThreadPool(self)  # pages and thumbnails: never behind other views' loads
        self.pool.setMaxThreadCount(1)
        self._rows: list[EvidenceRow] = []
        self._row_of: dict[int, int] = {}
        self._more = False  # rows after the last one loaded may exist
        self._fetching = False
        self._rows_generation = 0  # pages asked for before a reset or lock are dropped
        self._waiting: list[tuple[int, Callable[[], object]]] = []  # load_through callers
        self._revealed: set[int] = set()
        self._cache = PixmapCache(cache_size)
        self._no_picture: set[int] = set()
        self._pending: OrderedDict[int, None] = OrderedDict()
        self._in_flight: set[int] = set()
        self._generation = 0  # results from before a reset/lock are dropped
        self._placeholders = Placeholders()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)
        #: Every id ever asked of the reader, for tests that check laziness.
        self.requested_count = 0

    # ----- contents -----------------------------------------------------------------------

    def set_rows(self, rows: list[EvidenceRow], *, more: bool = False) -> None:
        """Replace the rows (a reload); `more`: the case holds items after the last of them,
        to be read as the view scrolls there. Cached thumbnails stay: content never changes."""
        self.beginResetModel()
        self._rows_generation += 1
        self._more, self._fetching = more, False
        self._rows = list(rows)
        self._row_of = {row.id: index for index, row in enumerate(self._rows)}
        self._revealed &= set(self._row_of)
        self._no_picture.clear()  # a preview may have been made since
        self._pending.clear()
        self.endResetModel()

    def clear(self) -> None:
        """Forget everything: rows, pixels, reveals, queued reads (the case was locked)."""
        self.beginResetModel()
        self._generation += 1
        self._rows_generation += 1
        self._more = self._fetching = False
        self._waiting.clear()
        self._rows = []
        self._row_of = {}
        self._revealed.clear()
        self._cache.clear()
        self._no_picture.clear()
        self._pending.clear()
        self._in_flight.clear()
        self._flush_timer.stop()
        self.endResetModel()

    def evidence(self, row: int) -> EvidenceRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def evidence_by_id(self, evidence_id: int) -> EvidenceRow | None:
        row = self._row_of.get(evidence_id)
        return None if row is None else self._rows[row]

    def row_of(self, evidence_id: int) -> int | None:
        return self._row_of.get(evidence_id)

    def neighbour(self, evidence_id: int) -> int | None:
        """The item that takes the place of `evidence_id` when it leaves: the next, else the
        one before."""
        row = self._row_of.get(evidence_id)
        after = None if row is None else self.evidence(row + 1) or self.evidence(row - 1)
        return None if after is None else after.id

    def rows(self) -> list[EvidenceRow]:
        """The rows loaded so far."""
        return list(self._rows)

    # ----- paging -------------------------------------------------------------------------

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008 - Qt's API
        if self.canFetchMore(parent):
            self._fetch(limit=self.PAGE)

    def load_through(self, evidence_id: int, then: Callable[[], object]) -> bool:
        """Call `then` once the row of `evidence_id` is loaded: now if it is, else after the
        rows up to it are read. False when it cannot be in the case (past the end)."""
        if evidence_id in self._row_of:
            then()
            return True
        if not self._more or (self._rows and evidence_id < self._rows[-1].id):
            return False
        self._waiting.append((evidence_id, then))
        if not self._fetching:
            self._fetch(through=evidence_id)
        return True

    def _fetch(self, *, limit: int | None = None, through: int | None = None) -> None:
        case = self._controller.case
        if case is None:
            return
        self._fetching = True
        after = self._rows[-1].id if self._rows else 0
        generation, pager = self._rows_generation, self._pager

        def read(_ctx: object, case: CaseFile = case) -> EvidencePage:
            return pager(case, after=after, limit=limit, through=through)

        def failed(message: str) -> None:
            if generation == self._rows_generation:
                self._fetching = self._more = False  # no retry loop; a reload starts again
                self._waiting.clear()
                self._controller.error.emit(message)

        self._controller.run(read, on_result=lambda page: self._fetched(generation, page),
                             on_error=failed, pool=self.pool)

    def _fetched(self, generation: int, page: EvidencePage) -> None:
        if generation != self._rows_generation:
            return
        self._fetching = False
        fresh = [row for row in page.rows if row.id not in self._row_of]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for row in fresh:
                self._row_of[row.id] = len(self._rows)
                self._rows.append(row)
            self.endInsertRows()
        self._more = page.more
        waiting, self._waiting = self._waiting, []
        for evidence_id, then in waiting:
            if evidence_id in self._row_of:
                then()
            elif self._more and self._rows and evidence_id > self._rows[-1].id:
                self._waiting.append((evidence_id, then))  # asked for while a page was read
        if self._waiting:
            self._fetch(through=max(evidence_id for evidence_id, _then in self._waiting))

    # ----- reveal -------------------------------------------------------------------------

    def is_hidden(self, item: EvidenceRow) -> bool:
        return item.sensitive and item.id not in self._revealed

    def set_revealed(self, evidence_id: int, revealed: bool) -> None:
        if revealed:
            self._revealed.add(evidence_id)
        else:
            self._revealed.discard(evidence_id)
            self._cache.discard(evidence_id)  # hidden again: drop its pixels too
        self._row_changed(evidence_id)

    def hide_all(self) -> None:
        for evidence_id in list(self._revealed):
            self.set_revealed(evidence_id, False)

    def revealed_ids(self) -> frozenset[int]:
        return frozenset(self._revealed)

    # ----- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:  # hidden characters shown (app/text_safety.py)
            return visible_line(evidence_title(item)[0])
        if role == Qt.ItemDataRole.DecorationRole:
            return self.picture(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(item)
        if role == EVIDENCE_ROLE:
            return item
        if role == ID_ROLE:
            return item.id
        if role == HIDDEN_ROLE:
            return self.is_hidden(item)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return PLAIN_ITEM

    # ----- pictures -----------------------------------------------------------------------

    def picture(self, item: EvidenceRow) -> QPixmap:
        """The tile to paint for `item` now; asks for the thumbnail if it is not cached."""
        if self.is_hidden(item):
            return self._placeholders.hidden()
        if item.chat_platform is not None:  # its messages are on the Chats tab
            return self._placeholders.chat(item.chat_platform)
        if item.preview_status not in _MAY_HAVE_THUMBNAIL or item.id in self._no_picture:
            return self._placeholders.no_preview(item.kind)
        cached = self._cache.get(item.id)
        if cached is not None:
            return cached
        self._request(item.id)
        return self._placeholders.loading()

    def cached_picture(self, evidence_id: int) -> QPixmap | None:
        return self._cache.get(evidence_id)

    def is_loading(self) -> bool:
        return bool(self._fetching or self._in_flight or self._pending
                    or self._flush_timer.isActive())

    def _request(self, evidence_id: int) -> None:
        if evidence_id in self._in_flight:
            return
        self._pending[evidence_id] = None
        self._pending.move_to_end(evidence_id)
        while len(self._pending) > self.MAX_PENDING:
            self._pending.popitem(last=False)
        if not self._in_flight and not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        case = self._controller.case
        if self._in_flight or not self._pending or case is None:
            if case is None:
                self._pending.clear()
            return
        # Newest first: those are the rows on screen now.
        batch = list(reversed(self._pending))[: self.BATCH]
        for evidence_id in batch:
            del self._pending[evidence_id]
        self._in_flight = set(batch)
        self.requested_count += len(batch)
        generation, reader = self._generation, self._reader
        self._controller.run(
            lambda ctx: decode_thumbnails(case, batch, reader),
            on_result=lambda result: self._thumbnails_ready(generation, result),
            on_error=lambda _message: self._thumbnails_failed(generation, batch),
            pool=self.pool,
        )

    def _thumbnails_ready(self, generation: int, result: object) -> None:
        if generation != self._generation or not isinstance(result, dict):
            return
        self._in_flight.clear()
        for evidence_id, image in result.items():
            if isinstance(image, QImage):
                self._cache.put(evidence_id, QPixmap.fromImage(image))  # GUI thread: allowed
            else:
                self._no_picture.add(evidence_id)
            self._row_changed(evidence_id)
        self._continue()

    def _thumbnails_failed(self, generation: int, batch: list[int]) -> None:
        # A thumbnail that cannot be read is not worth a message: the tile says "No preview".
        if generation != self._generation:
            return
        self._in_flight.clear()
        self._no_picture.update(batch)
        for evidence_id in batch:
            self._row_changed(evidence_id)
        self._continue()

    def _continue(self) -> None:
        if self._pending:
            self._flush_timer.start()

    def _row_changed(self, evidence_id: int) -> None:
        row = self._row_of.get(evidence_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole, HIDDEN_ROLE])

    # ----- words --------------------------------------------------------------------------

    def _tooltip(self, item: EvidenceRow) -> str:
        if self.is_hidden(item):
            return plain_tip(tr("{name}\nHidden because it is marked sensitive. Select it and "
                                "press Show.").format(name=visible_line(item.original_name)))
        return plain_tip(visible_line(item.original_name))  # a name is never read as markup

    def _accessible_text(self, item: EvidenceRow) -> str:
        words = tr("{kind}: {name}").format(kind=kind_word(item.kind),
                                            name=visible_line(item.original_name))
        if self.is_hidden(item):
            words += ". " + tr("Hidden because it is marked sensitive.")
        return words
