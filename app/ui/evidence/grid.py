"""The evidence grid: a tile per item, its picture (or a plain tile saying what it is) in a
square, its name under it.

The grid stays lazy: uniform item sizes and batched layout make the view ask only the rows it
shows for their data, and so for their thumbnails (app/ui/evidence/model.py).
"""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem

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
        if item is not None and not item.description.strip():
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
