"""Thumbnails for the evidence grid: decoding (worker thread), a small LRU cache of pixmaps
(GUI thread) and neutral placeholders drawn with the system palette.

Decoding happens off the GUI thread because the thumbnails are JPEGs read from the encrypted
file, and 10,000 of them must scroll without a stall; `QImage` is safe to build in a worker,
`QPixmap` is not, so the conversion happens when the result reaches the GUI thread.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from app.core.chats import Platform, platform_name
from app.i18n import tr
from app.models.casefile import CaseFile

#: The edge of a grid thumbnail, in logical pixels.
THUMB_SIZE = 128

ThumbnailReader = Callable[[CaseFile, int], bytes | None]


def decode_thumbnails(
    case: CaseFile, ids: Iterable[int], read: ThumbnailReader, edge: int = THUMB_SIZE
) -> dict[int, QImage | None]:
    """Worker thread: read and decode the stored JPEG thumbnails of `ids`.

    None means "there is no picture to show" (not an image, or it could not be decoded), so
    the model can stop asking for it.
    """
    out: dict[int, QImage | None] = {}
    for evidence_id in ids:
        data = read(case, evidence_id)
        # JPEG only: we made these thumbnails, and no other decoder should see the bytes.
        # (PySide6's stubs say the format is bytes; at run time it must be a str.)
        image = QImage.fromData(data, "JPEG") if data else QImage()  # type: ignore[arg-type]
        if image.isNull():
            out[evidence_id] = None
            continue
        if image.width() > edge or image.height() > edge:
            image = image.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        out[evidence_id] = image
    return out


class PixmapCache:
    """Least-recently-used pixmaps by evidence id; small on purpose (memory budget)."""

    def __init__(self, capacity: int = 300) -> None:
        self.capacity = capacity
        self._items: OrderedDict[int, QPixmap] = OrderedDict()

    def get(self, key: int) -> QPixmap | None:
        pixmap = self._items.get(key)
        if pixmap is not None:
            self._items.move_to_end(key)
        return pixmap

    def put(self, key: int, pixmap: QPixmap) -> None:
        self._items[key] = pixmap
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def discard(self, key: int) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


def _kind_words() -> dict[str, str]:
    return {
        "screenshot": tr("Screenshot"),
        "image": tr("Picture"),
        "video": tr("Video"),
        "audio": tr("Sound"),
        "document": tr("Document"),
        "archive": tr("Archive"),
        "text": tr("Text"),
    }


def kind_word(kind: str) -> str:
    return _kind_words().get(kind, tr("File"))


class Placeholders:
    """Neutral tiles for items without a picture; drawn once per kind and palette."""

    def __init__(self) -> None:
        self._tiles: dict[tuple[str, int], QPixmap] = {}

    def clear(self) -> None:
        self._tiles.clear()

    def hidden(self) -> QPixmap:
        # No pixels of the item at all: the tile only says it is hidden and how to show it.
        return self._tile("hidden", tr("Hidden"), tr("Sensitive"))

    def no_preview(self, kind: str) -> QPixmap:
        return self._tile(f"kind:{kind}", kind_word(kind), tr("No preview"))

    def chat(self, platform: str) -> QPixmap:
        """A chat export's tile: "Chat" and where from, not "Text, No preview"; a saved
        e-mail's, "E-mail"."""
        if platform == Platform.EMAIL.value:
            return self._tile(f"chat:{platform}", tr("E-mail"), tr("Message"))
        return self._tile(f"chat:{platform}", tr("Chat"), platform_name(platform))

    def loading(self) -> QPixmap:
        return self._tile("loading", "", "")

    def _tile(self, key: str, title: str, subtitle: str) -> QPixmap:
        palette = QApplication.palette()
        cache_key = (key, palette.cacheKey())
        tile = self._tiles.get(cache_key)
        if tile is None:
            tile = _draw_tile(palette, title, subtitle)
            self._tiles[cache_key] = tile
        return tile


def _draw_tile(palette: QPalette, title: str, subtitle: str) -> QPixmap:
    app = QApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    pixmap = QPixmap(QSize(THUMB_SIZE, THUMB_SIZE) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(2, 2, THUMB_SIZE - 4, THUMB_SIZE - 4)
    painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
    painter.drawRoundedRect(rect, 10, 10)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    upper = QRectF(rect.left(), rect.top(), rect.width(), rect.height() / 2 + 4)
    # Words wrap inside the tile: "Facebook Messenger" at a large text size was cut at both
    # ends ("ebook Messen").
    wrap = Qt.TextFlag.TextWordWrap
    painter.drawText(upper, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | wrap,
                     title)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
    lower = QRectF(rect.left(), rect.center().y() + 8, rect.width(), rect.height() / 2 - 8)
    painter.drawText(lower, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | wrap,
                     subtitle)
    painter.end()
    return pixmap
