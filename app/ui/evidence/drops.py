"""Files and pictures dropped on the Evidence screen: taken as a copy, never moved.

An event filter rather than overrides of the screen's own drag methods, so the screen keeps to
laying out and routing. Whatever is dropped goes the way a paste goes (`read_mime`).
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from app.ui.evidence.importing import ClipboardItem, read_mime, web_address_only


class DropTarget(QObject):
    """Lets `widget` take drops while `accepting()` (a case is open). A drop of files or
    folders goes to `on_paths`, a dropped picture or text to `on_image`; a web address alone (a
    picture dragged from a browser) to `on_web_address`, to say why nothing is added rather
    than refuse it with a "no" cursor and no word."""

    def __init__(self, widget: QWidget, *, accepting: Callable[[], bool],
                 on_paths: Callable[[list[str]], object],
                 on_image: Callable[[ClipboardItem], object],
                 on_web_address: Callable[[], object]) -> None:
        super().__init__(widget)
        self._accepting = accepting
        self._on_paths = on_paths
        self._on_image = on_image
        self._on_web_address = on_web_address
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.DragEnter:
            assert isinstance(event, QDragMoveEvent)  # QDragEnterEvent is one
            mime = event.mimeData()
            self._answer(event, self._accepting() and (self._keepable(event) is not None
                                                       or web_address_only(mime)))
            return True
        if kind == QEvent.Type.DragMove:
            assert isinstance(event, QDragMoveEvent)
            self._answer(event, self._accepting())
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            self._dropped(event)
            return True
        return False

    @staticmethod
    def _answer(event: QDragMoveEvent, accept: bool) -> None:
        if accept:
            event.setDropAction(Qt.DropAction.CopyAction)  # the original stays where it is
            event.accept()
        else:
            event.ignore()

    @staticmethod
    def _keepable(event: QDropEvent) -> list[str] | ClipboardItem | None:
        """What the drop brings to keep; text dragged within Safekeep itself (from a
        description, say, let go over the grid) is not evidence and is not taken."""
        found = read_mime(event.mimeData(), dropped=True)
        if isinstance(found, ClipboardItem) and found.is_text and event.source() is not None:
            return None
        return found

    def _dropped(self, event: QDropEvent) -> None:
        found = self._keepable(event)
        web_address = found is None and web_address_only(event.mimeData())
        if (found is None and not web_address) or not self._accepting():
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if isinstance(found, list):
            self._on_paths(found)
        elif isinstance(found, ClipboardItem):
            self._on_image(found)
        else:
            self._on_web_address()
