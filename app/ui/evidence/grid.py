"""The evidence grid: a tile per item, its picture (or a plain tile saying what it is) in a
square, its name under it.

The grid stays lazy: uniform item sizes and batched layout make the view ask only the rows it
shows for their data, and so for their thumbnails (app/ui/evidence/model.py).
"""

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem

from app.core.records import evidence_title
from app.ui.evidence.model import EVIDENCE_ROLE, EvidenceModel
from app.ui.evidence.thumbnails import THUMB_SIZE


class TileDelegate(QStyledItemDelegate):
    """Every tile alike: its picture in a square of THUMB_SIZE (a landscape screenshot centred
    in it), its name on one line under the square.

    A grid with uniform item sizes sizes every tile like one sample row, and Qt samples the
    last. Sized by its own picture, a landscape screenshot there made every tile as short as
    it was: the square tiles ("Text, No preview", "Hidden") were cut in half and their names,
    which are all that tells such items apart, were not drawn at all.

    A file name too long for its tile loses its middle, not its end, where names made by phones
    and apps differ ("Screenshot_20240305-221530.png", "WhatsApp Chat with Sam.txt"): cut at
    the end, many names showed as one. A description keeps its beginning, as a sentence is
    read."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.decorationSize = QSize(THUMB_SIZE, THUMB_SIZE)
        item = index.data(EVIDENCE_ROLE)
        if item is not None and evidence_title(item)[1]:  # a file name
            option.textElideMode = Qt.TextElideMode.ElideMiddle


def make_evidence_grid(model: EvidenceModel) -> QListView:
    """The thumbnail grid for `model`, set up so that it stays lazy and smooth.

    Uniform item sizes and batched layout make the view ask only the visible rows for data
    (and so for thumbnails); without them it would ask every row for its size first.
    """
    grid = QListView()
    grid.setViewMode(QListView.ViewMode.IconMode)
    grid.setMovement(QListView.Movement.Static)
    grid.setResizeMode(QListView.ResizeMode.Adjust)
    grid.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
    grid.setGridSize(QSize(THUMB_SIZE + 28, THUMB_SIZE + 44))
    grid.setUniformItemSizes(True)
    grid.setItemDelegate(TileDelegate(grid))
    grid.setLayoutMode(QListView.LayoutMode.Batched)
    grid.setBatchSize(256)
    grid.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
    grid.setTextElideMode(Qt.TextElideMode.ElideRight)
    grid.setWordWrap(False)
    grid.setModel(model)
    return grid


class GridPlace(QObject):
    """Scrolls the grid to a place that its batched layout may not have reached yet.

    After a reload (a model reset) the grid lays its tiles out a batch at a time and its scroll
    bar grows with each batch. Set at once, a place far down was cut to the end of the first
    batch, and scrolling to a tile past it did nothing: every reload (each picture's text read,
    each import) threw a person browsing a big case back up the grid. So the place waits for
    the batches to reach it."""

    def __init__(self, grid: QListView) -> None:
        super().__init__(grid)
        self._grid = grid
        self._value: int | None = None  # a scroll bar value to go back to
        self._tile = QPersistentModelIndex()  # or a tile to bring into sight
        self._rows = 0  # rows when asked: more rows read since make the place stale
        grid.verticalScrollBar().rangeChanged.connect(self._reach)

    def keep(self, value: int) -> None:
        """Scroll back to `value` (a reload keeps the place the person scrolled to)."""
        self._wait(value, QModelIndex())

    def show(self, index: QModelIndex) -> None:
        """Bring the tile of `index` into sight, now or once it is laid out."""
        self._wait(None, index)

    def _wait(self, value: int | None, index: QModelIndex) -> None:
        self._value, self._tile = value, QPersistentModelIndex(index)
        self._rows = self._grid.model().rowCount()
        self._grid.executeDelayedItemsLayout()  # the scroll bar still measures the old tiles
        self._reach()

    def _reach(self) -> None:
        if self._grid.model().rowCount() != self._rows:
            self._value, self._tile = None, QPersistentModelIndex()
        bar = self._grid.verticalScrollBar()
        if self._value is not None and bar.maximum() >= self._value:
            bar.setValue(self._value)
            self._value = None
        elif self._tile.isValid() and self._grid.visualRect(self._tile).isValid():
            self._grid.scrollTo(self._tile)
            self._tile = QPersistentModelIndex()
