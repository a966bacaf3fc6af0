"""Draw the app's icon (resources/icons/safekeep.svg) as a PNG (the desktop entry, the Debian
package, the Windows and macOS executables) or an ICO (the Windows installer). Run with the
build venv's Python: `python packaging/make_icon.py OUT.png|OUT.ico [SIZE]`."""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from importlib.resources import files

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QGuiApplication, QImageReader


def main() -> int:
    out, size = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 256
    _app = QGuiApplication([])
    svg = files("app.resources").joinpath("icons", "safekeep.svg").read_bytes()
    data = QByteArray(svg)  # kept in a name: the buffer does not own it
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"svg")
    reader.setScaledSize(QSize(size, size))
    image = reader.read()
    kind = "ICO" if out.lower().endswith(".ico") else "PNG"
    if image.isNull() or not image.save(out, kind):
        print(f"make_icon: could not draw the icon: {reader.errorString()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
