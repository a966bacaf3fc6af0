"""Icons: small SVGs in `resources/icons/`, drawn in the palette's text colour.

The toolbar icons use `currentColor`, which Qt's SVG renderer does not resolve; we substitute the
palette's text colour before rendering, so icons follow light and dark themes. They are
rendered at several sizes for the device pixel ratio, so they stay sharp on high-DPI screens.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QGuiApplication, QIcon, QImageReader, QPalette, QPixmap

_SIZES = (16, 20, 24, 32, 48, 64)


@cache
def _svg_text(name: str) -> str:
    resource = importlib.resources.files("app.resources").joinpath("icons", f"{name}.svg")
    return resource.read_text(encoding="utf-8")


def _render(svg: bytes, edge: int) -> QPixmap:
    data = QByteArray(svg)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"svg")
    reader.setScaledSize(QSize(edge, edge))
    image = reader.read()
    buffer.close()
    return QPixmap.fromImage(image)


def icon(name: str, color: str | None = None) -> QIcon:
    """The named icon; `color` overrides the palette text colour (the quick-exit button)."""
    if color is None:
        palette = QGuiApplication.palette()
        color = palette.color(QPalette.ColorRole.WindowText).name()
    svg = _svg_text(name).replace("currentColor", color).encode("utf-8")
    result = QIcon()
    ratio = max(1.0, QGuiApplication.primaryScreen().devicePixelRatio()
                if QGuiApplication.primaryScreen() else 1.0)
    for edge in _SIZES:
        pixmap = _render(svg, round(edge * ratio))
        pixmap.setDevicePixelRatio(ratio)
        result.addPixmap(pixmap)
    return result


def app_icon(neutral: bool) -> QIcon:
    return icon("notes" if neutral else "safekeep")
