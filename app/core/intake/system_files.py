"""Files and folders a computer makes for itself, left out when a whole folder is added.

A folder of screenshots copied to a USB stick on a Mac holds a ".DS_Store" in every folder
and a "._name" beside every picture (AppleDouble: the picture's Mac details, 4 KB); a Windows
pictures folder holds "Thumbs.db" and "desktop.ini"; Telegram Desktop's HTML export holds
its pages' style sheet, script and some 40 icons (css/, js/, images/). Added as evidence,
each became an exhibit of its own: half the officers' list was the computer's own
bookkeeping, and Telegram's icons would be tiles among the screenshots. They are left out of
a folder, and said so, with the words to add one by itself if police ask for it (a
thumbnail cache can hold pictures deleted since). A file chosen by name is always added.

One more kind is refused wherever it is found: the placeholder a Mac leaves for a file kept in
iCloud Drive only ("Optimise Mac Storage"): ".IMG_1234.PNG.icloud", a few hundred bytes that
name the picture. Kept, it would have been an exhibit holding no picture, and the picture
itself missing from the case without a word. Nor is the case file itself, or a file SQLite or
Safekeep keeps beside it.
"""

from __future__ import annotations

from pathlib import Path

from app.i18n import tr
from app.models.filelock import lock_path_for

_APPLE_DOUBLE_MAGIC = b"\x00\x05\x16\x07"
_BINARY_PLIST = b"bplist00"  # what an iCloud placeholder holds: the file's name and size
_MAC_FOLDERS = frozenset({".Spotlight-V100", ".fseventsd", ".TemporaryItems",
                          ".DocumentRevisions-V100"})
_WINDOWS_FOLDERS = frozenset({"System Volume Information"})
_TELEGRAM_PAGE_FOLDERS = frozenset({"css", "js", "images"})


def _add_alone() -> str:
    return tr("Add it by itself if police ask for it.")


def left_out_file(path: Path) -> str | None:
    """Why this file, found in a folder, is left out; None when it is added."""
    name = path.name
    if name in (".DS_Store", ".localized", "Icon\r") or (
            name.startswith("._") and _starts_with(path, _APPLE_DOUBLE_MAGIC)):
        return tr("This is a file a Mac makes for itself (folder settings or a file's "
                  "details), not evidence, so it was left out.") + " " + _add_alone()
    if name.lower() in ("thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini"):
        return tr("This is a file Windows makes for itself (folder settings or small "
                  "pictures of the folder's files), not evidence, so it was left out.") + " " \
            + _add_alone()
    return None


def online_only(path: Path) -> str | None:
    """Why this file is refused, when it is iCloud Drive's placeholder for a file that is not
    on this computer; None for any other file."""
    name = path.name
    if not (name.startswith(".") and name.endswith(".icloud") and len(name) > len("..icloud")):
        return None
    if not _starts_with(path, _BINARY_PLIST):
        return None  # a file someone named so: added like any other
    return tr("This is not the file itself but a placeholder for “{name}”, which is kept in "
              "iCloud Drive and not on this computer. Open it in the Finder so that it "
              "downloads, then add it again.").format(name=name[1:-len(".icloud")])


def left_out_folder(path: Path) -> str | None:
    """Why this folder, found in a folder, is not looked in; None when it is."""
    if path.name in _MAC_FOLDERS or path.name in _WINDOWS_FOLDERS:
        return tr("This is a folder the computer keeps for itself (a search index or a log "
                  "of changes), not evidence, so nothing in it was added.") + " " + _add_alone()
    if path.name in _TELEGRAM_PAGE_FOLDERS and _telegram_export(path.parent):
        return tr("This is Telegram's own style and icons for the pages of its export (the "
                  "same in every export), not evidence, so nothing in it was added.") + " " \
            + _add_alone()
    return None


def is_the_case_itself(case_path: Path, path: Path) -> bool:
    """The case file, SQLite's companions and the lock file beside it (dropped on the
    window by mistake, or in a folder given whole): never added, wherever they are given."""
    own = {case_path.name, lock_path_for(case_path).name} | {
        f"{case_path.name}{s}" for s in ("-wal", "-shm", "-journal")}
    try:
        return path.name in own and path.parent.resolve() == case_path.parent.resolve()
    except OSError:
        return False


def _telegram_export(folder: Path) -> bool:
    """Whether `folder` is the top of Telegram Desktop's HTML export: its pages start by
    loading css/style.css and calling CheckLocation() (export_output_html.cpp); the folder
    holds both files, and "images" its 40 or so icons."""
    if not ((folder / "css" / "style.css").is_file() and (folder / "js" / "script.js").is_file()):
        return False
    for name in ("messages.html", "export_results.html"):
        try:
            with (folder / name).open("rb") as handle:
                head = handle.read(2048)
        except OSError:
            continue
        if b'href="css/style.css"' in head and b'onload="CheckLocation();"' in head:
            return True
    return False


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False  # then it is added, and refused there with its own reason if need be
