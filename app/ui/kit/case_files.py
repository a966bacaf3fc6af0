"""Where case files are suggested, and the ones already there.

Someone coming back to their case a day later meets the welcome window again, and its
default button had started a second case beside the first (named "case 2.skcase"), so the
evidence ended up in two files. The folder a new case is suggested in is read for case files
each time it is needed, and nothing of it is kept: no list is left on the computer (the
opt-in recent list in Settings is the only one), and the names shown are those anyone using
this account sees in that folder.

Where a sync program copies Documents online (OneDrive's folder backup on Windows, iCloud's
Desktop & Documents on macOS), new cases are suggested in the home folder instead, if nothing
copies that; the case files already in Documents are still listed (app/synced_folders.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.places import is_folder
from app.synced_folders import SyncedFolder, SyncedPlaces

CASE_FILE_ENDING = ".skcase"
SHOWN_AT_MOST = 3
# A folder of many thousands of files (a Documents folder synced from elsewhere) is read no
# further than this: the window must not wait on it.
_NAMES_READ_AT_MOST = 5_000


def documents_folder() -> Path:
    """The person's Documents folder, or their home folder when there is none."""
    from PySide6.QtCore import QStandardPaths  # the type is made when first asked for

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if is_folder(folder) else Path.home()


def case_files_in(folder: Path, at_most: int = SHOWN_AT_MOST) -> list[Path]:
    """The case files directly in `folder`, the most recently changed first (at most
    `at_most`). Sub-folders are not looked in; a folder that cannot be read has none."""
    found: list[tuple[float, str, Path]] = []
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= _NAMES_READ_AT_MOST:
                    break
                if not entry.name.lower().endswith(CASE_FILE_ENDING):
                    continue
                try:
                    if entry.is_file():
                        found.append((entry.stat().st_mtime, entry.name, Path(entry.path)))
                except OSError:
                    continue  # gone meanwhile, or a link to nowhere
    except OSError:
        return []
    found.sort(key=lambda item: (-item[0], item[1]))
    return [path for _, _, path in found[:at_most]]


def cases_folder(places: SyncedPlaces | None = None) -> tuple[Path, SyncedFolder | None]:
    """Where new cases are suggested, and what copies Documents online when that is why the
    suggestion is the home folder instead (else None)."""
    documents = documents_folder()
    places = places or SyncedPlaces()
    copied = places.find(documents)
    if copied is None or not copied.online:  # Syncthing's copies stay on the person's devices
        return documents, None
    home = Path.home()
    if home == documents or not is_folder(home) or places.find(home) is not None:
        return documents, None  # nowhere better: the new case window says what copies it
    return home, copied


def case_files_nearby(folder: Path | None = None) -> tuple[Path, list[Path]]:
    """The folder new cases are suggested in (`folder`, or `cases_folder`), and the case files
    already in it; and in Documents too, where the suggestion left it for the home folder."""
    if folder is not None:
        return folder, case_files_in(folder)
    folder, moved_from = cases_folder()
    found = case_files_in(folder)
    if moved_from is not None:
        found = _newest_first(found + case_files_in(documents_folder()))
    return folder, found


def _newest_first(paths: list[Path]) -> list[Path]:
    def changed(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(paths, key=lambda path: (-changed(path), path.name))[:SHOWN_AT_MOST]
