"""Items taken out of a layout, deleted so the widget they held keeps resizing as it should.

Qt gives each widget one layout item that hears when the widget's size hint changes: the
first one made for it (`QWidgetItemV2` registers itself only if the widget has none). An
item taken out with `QLayout.takeAt` stays alive, and the binding does not delete it (it
stays owned by Qt). So a widget put into another layout got a second item that never heard
anything: a label that later wrapped to more lines kept the height of its first line (the
case check's answer in Settings, where the dialog scrolls). Deleting the taken item first
lets the new one register.
"""

import shiboken6
from PySide6.QtWidgets import QLayout, QLayoutItem


def release(item: QLayoutItem) -> None:
    """Delete an item taken out of a layout, unless it is a layout itself (which goes on
    being used). The widget it held is not touched."""
    if not isinstance(item, QLayout) and item.layout() is None:
        shiboken6.delete(item)


def take_all(layout: QLayout) -> None:
    """Empty a layout, leaving its widgets where they are, ready to be added again."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        release(item)
