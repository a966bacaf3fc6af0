"""Check a bundle an officer has already unzipped: the same checks as for the ZIP, on the files
on disk, as `sha256sum -c SHA256SUMS` does in that folder.

Given the bundle's folder (the one holding SHA256SUMS) or the folder it was unzipped into
(holding that one folder). Links are reported, never followed (an unzip tool may have made
one pointing anywhere); files that Windows or macOS make when a folder is opened (Thumbs.db,
.DS_Store...) are named in a note and not checked; any other file is checked like a file in
the ZIP. Files are read a megabyte at a time, as in a ZIP.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.errors import InvalidInput
from app.export.formatting import one_line
from app.export.manifest import SUMS_NAME
from app.export.names import is_bundle_folder_name
from app.export.verify import VerifyReport, check_members
from app.export.verify_entries import MAX_ENTRIES
from app.export.verify_layout import split_layout
from app.export.verify_read import NOT_READ, Member, Problems, Unreadable
from app.i18n import tr

# Made by a computer that opened the folder, never by Safekeep (compared in lower case).
_MADE_BY_THE_COMPUTER = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"})


def unzipped_root(folder: Path) -> Path | None:
    """The bundle's folder when `folder` is it or holds only it among folders with a
    SHA256SUMS, else None. Raises InvalidInput when it holds several."""
    if (folder / SUMS_NAME).is_file():
        return folder
    try:
        found = sorted(child for child in folder.iterdir()
                       if not child.is_symlink() and child.is_dir()
                       and (child / SUMS_NAME).is_file())
    except OSError:
        return None
    if len(found) > 1:
        raise InvalidInput(tr("This folder holds more than one unzipped bundle: {names}. Give "
                              "the folder of the one to check.").format(
            names=", ".join(one_line(f.name) for f in found)))
    return found[0] if found else None


def verify_folder(root: Path) -> VerifyReport:
    problems = Problems()
    notes = [tr("Checked as an unzipped folder: the files on this disk, not the ZIP they came "
                "from.")]
    # Its own name, also when given as "." or ".." (from inside it, as `sha256sum -c` is run).
    name = Path(os.path.abspath(root)).name
    if not is_bundle_folder_name(name):
        notes.append(tr("The folder is called {name}, not as Safekeep names a bundle's folder "
                        "(it may have been renamed when unzipped; the name is not checked)."
                        ).format(name=one_line(name)))
    files, left_aside = _walk(root, problems)
    if left_aside:
        notes.append(tr("Made by the computer that opened the folder, not part of the bundle, "
                        "not checked: {names}.").format(names=", ".join(left_aside[:10])))
    _root, inside = split_layout(list(files), problems)
    members = {path: Member([(_OnDisk(), files[name])]) for path, name in inside.items()}
    report = check_members(members, problems)
    report.notes = notes + report.notes
    return report


@dataclass(frozen=True)
class _File:
    path: Path
    file_size: int


class _OnDisk:
    """Opens a file on disk as Member opens a ZIP entry."""

    def open(self, info: _File) -> "_Reading":
        try:
            return _Reading(open(info.path, "rb"))
        except OSError:
            raise Unreadable(NOT_READ) from None


class _Reading:
    """A file being read; a disk's error is "could not be read", not "changed"."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle

    def __enter__(self) -> "_Reading":
        return self

    def __exit__(self, *_exc: object) -> None:
        self._handle.close()

    def read(self, size: int) -> bytes:
        try:
            return self._handle.read(size)
        except OSError:
            raise Unreadable(NOT_READ) from None


def _walk(root: Path, problems: Problems) -> tuple[dict[str, _File], list[str]]:
    """({name with "/": file} of the plain files under root, names left aside). Links and
    anything not a plain file or folder become problems."""
    files: dict[str, _File] = {}
    left_aside: list[str] = []
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            problems.append(tr("{name}: this folder could not be opened, so the files in it "
                               "were not checked.").format(name=one_line(prefix or root.name)))
            continue
        for entry in listed:
            name = prefix + entry.name
            if entry.is_symlink():
                problems.append(tr("{name}: a link, not a file. It was not followed; Safekeep "
                                   "never writes links.").format(name=one_line(name)))
            elif entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), name + "/"))
            elif not entry.is_file(follow_symlinks=False):
                problems.append(tr("{name}: not a plain file. Safekeep writes only plain "
                                   "files.").format(name=one_line(name)))
            elif _made_by_the_computer(entry.name):
                left_aside.append(one_line(name))
            elif len(files) >= MAX_ENTRIES:
                problems.append(tr("This folder holds more than {n:,} files, more than Safekeep "
                                   "puts in a bundle; the rest were not checked.").format(
                    n=MAX_ENTRIES))
                return files, left_aside
            else:
                try:
                    size = entry.stat(follow_symlinks=False).st_size
                except OSError:
                    size = 0  # reading it says what is wrong
                files[name] = _File(Path(entry.path), size)
    return files, left_aside


def _made_by_the_computer(name: str) -> bool:
    return name.lower() in _MADE_BY_THE_COMPUTER or name.startswith("._")
