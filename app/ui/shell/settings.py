"""Where Safekeep keeps its few settings, and what they are.

Settings are never written to the Windows registry: `QSettings(org, app)` would put them there,
where they outlive an uninstall and are visible to anyone with regedit. We always use an INI
file we name ourselves:

- normally: `<platform config dir>/safekeep/settings.ini`
  (`~/.config/safekeep/settings.ini`, `%LOCALAPPDATA%\\safekeep\\settings.ini`);
- in PORTABLE mode: `safekeep-settings.ini` beside the program, and nothing at all in the
  person's profile. Portable mode is on when a file `safekeep-portable.txt` sits beside the
  program (the folder holding the `app` package, or the frozen executable) or when started
  with `--portable`. Then Safekeep and its cases can live on a USB stick.

Qt's own file dialog also writes settings: it records the folders it visited ("history",
"lastVisited", sidebar shortcuts) in `QtProject.conf` under the user's profile. That is a trace
of where case files live, so `redirect_qt_settings` points all user-scope QSettings at our own
folder, and `scrub_file_dialog_traces` empties that record after every file dialog.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

PORTABLE_MARKER = "safekeep-portable.txt"
PORTABLE_INI = "safekeep-settings.ini"
DEFAULT_AUTO_LOCK_MINUTES = 5
MAX_RECENT = 5

# Text size choices: a scale for the application font (1.0 = the system's size).
TEXT_SCALES = (1.0, 1.15, 1.3, 1.5)


def program_roots() -> list[Path]:
    """Folders that count as "beside the program" for the portable marker."""
    roots = [Path(__file__).resolve().parents[3]]  # the folder holding the `app` package
    if getattr(sys, "frozen", False):
        roots.insert(0, Path(sys.executable).resolve().parent)
    return roots


def find_portable_root(force: bool = False) -> Path | None:
    for root in program_roots():
        if (root / PORTABLE_MARKER).is_file():
            return root
    return program_roots()[0] if force else None


@dataclass(frozen=True)
class SettingsLocation:
    ini_path: Path
    portable: bool

    @property
    def folder(self) -> Path:
        return self.ini_path.parent


def locate_settings(
    portable_flag: bool = False, override_dir: Path | None = None
) -> SettingsLocation:
    """Decide where settings live. `override_dir` is for tests and the screenshot script."""
    if override_dir is not None:
        return SettingsLocation(override_dir / PORTABLE_INI, portable=portable_flag)
    root = find_portable_root(force=portable_flag)
    if root is not None:
        return SettingsLocation(root / PORTABLE_INI, portable=True)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return SettingsLocation(Path(base) / "safekeep" / "settings.ini", portable=False)


def redirect_qt_settings(location: SettingsLocation) -> None:
    """Send every user-scope QSettings (Qt's file dialog included) to our folder, as INI.

    Must run before anything constructs a QSettings. Qt creates the file lazily, only when a
    value is written.
    """
    folder = str(location.folder / "qt")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, folder)


def scrub_file_dialog_traces() -> None:
    """Forget the folders Qt's file dialog remembered (called after every file dialog)."""
    qt = QSettings(QSettings.Scope.UserScope, "QtProject")
    if qt.childGroups() or qt.childKeys():
        qt.remove("FileDialog")
        qt.sync()


class AppSettings:
    """Typed access to the settings INI. Values are read fresh, so tests can poke the file."""

    def __init__(self, location: SettingsLocation) -> None:
        self.location = location
        self._qs = QSettings(str(location.ini_path), QSettings.Format.IniFormat)

    @property
    def portable(self) -> bool:
        return self.location.portable

    def _int(self, key: str, default: int) -> int:
        value = self._qs.value(key, default)
        try:
            return int(str(value))
        except ValueError:
            return default

    def _bool(self, key: str, default: bool) -> bool:
        value = self._qs.value(key, default)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes", "on")

    def _set(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    # -- the settings ----------------------------------------------------------------------

    @property
    def auto_lock_minutes(self) -> int:
        """0 means never lock on idle (a caseworker's choice; the default is 5)."""
        return max(0, min(240, self._int("lock/auto_lock_minutes", DEFAULT_AUTO_LOCK_MINUTES)))

    @auto_lock_minutes.setter
    def auto_lock_minutes(self, minutes: int) -> None:
        self._set("lock/auto_lock_minutes", int(minutes))

    @property
    def text_scale_index(self) -> int:
        return max(0, min(len(TEXT_SCALES) - 1, self._int("look/text_size", 0)))

    @text_scale_index.setter
    def text_scale_index(self, index: int) -> None:
        self._set("look/text_size", int(index))

    @property
    def text_scale(self) -> float:
        return TEXT_SCALES[self.text_scale_index]

    @property
    def neutral_title(self) -> bool:
        """Show "Notes" and a plain icon instead of "Safekeep" (taskbar, window list)."""
        return self._bool("look/neutral_title", False)

    @neutral_title.setter
    def neutral_title(self, on: bool) -> None:
        self._set("look/neutral_title", bool(on))

    @property
    def remember_recent(self) -> bool:
        """Off by default: a list of case files is itself a trace."""
        return self._bool("recent/enabled", False)

    @remember_recent.setter
    def remember_recent(self, on: bool) -> None:
        self._set("recent/enabled", bool(on))
        if not on:
            self._qs.remove("recent/paths")
            self._qs.sync()

    @property
    def recent_cases(self) -> list[str]:
        if not self.remember_recent:
            return []
        value = self._qs.value("recent/paths", [])
        # QSettings returns a str for a one-item list in INI files.
        paths = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [str(p) for p in paths if p][:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        if not self.remember_recent:
            return
        paths = [p for p in self.recent_cases if p != path]
        self._set("recent/paths", [path, *paths][:MAX_RECENT])

    def clear_recent(self) -> None:
        self._qs.remove("recent/paths")
        self._qs.sync()


def app_title(settings: AppSettings | None) -> str:
    """The window title: never the case's name (it shows in the taskbar and window lists)."""
    from app.i18n import tr

    if settings is not None and settings.neutral_title:
        return tr("Notes")
    return tr("Safekeep")
