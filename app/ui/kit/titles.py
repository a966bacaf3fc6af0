"""Window titles that follow the "call the window Notes" setting.

A person who turns it on does not want a glance at the taskbar or the window switcher to say
what the program is for. Every window Safekeep opens is a separate entry there (the export,
case details, settings and help dialogs are not modal, and file pickers are windows too), so
each takes its title through `set_title` / `caption`: its own words normally, the neutral
word while the setting is on. `use_neutral_titles` retitles the windows already open.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from app.i18n import tr

_OWN_TITLE = "safekeep_own_title"  # the window's own words, kept to put back
_neutral = [False]


def neutral_title() -> str:
    return tr("Notes")


def caption(own: str) -> str:
    """The title for a window about to open (a file picker): `own`, or the neutral word."""
    return neutral_title() if _neutral[0] else own


def set_title(window: QWidget, own: str) -> None:
    window.setProperty(_OWN_TITLE, own)
    window.setWindowTitle(caption(own))


def use_neutral_titles(on: bool) -> None:
    _neutral[0] = on
    for window in QApplication.topLevelWidgets():
        own = window.property(_OWN_TITLE)
        if isinstance(own, str) and own:
            window.setWindowTitle(caption(own))
