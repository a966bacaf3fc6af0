"""Where a bundle's files are inside its ZIP, and which names must never be trusted.

A bundle made now holds one folder (`Safekeep-Alex-2026-11-30/SHA256SUMS`...), named as
app/export/names.py names it; one made before that holds its files at the top (`SHA256SUMS`,
`evidence/...`): both are read. The exporter's own rules are checked, so a ZIP that breaks them
was not made by Safekeep as it is: a name that points outside the folder it is unzipped into
(`../x`, `/etc/x`, `C:\\x`, a backslash) is never read, only reported, as some unzip tools would
write where it says; two names that unzip to one file (the same name twice, or differing
only in capitals, in NFC/NFD, by `//` or `./`, by a final dot or space: the second replaces the
first on disk, so what was checked is not what the officer opens); a file beside the bundle's
folder; a folder or file name Safekeep would not have written (hidden characters, a reserved
Windows name...); and entries Safekeep never writes at all (app/export/verify_entries.py).
"""

import re
import unicodedata
from typing import Any

from app.export.formatting import one_line
from app.export.manifest import SUMS_NAME
from app.export.names import is_bundle_folder_name, sanitise_name
from app.export.verify_entries import entry_problem, is_folder
from app.i18n import tr

_DRIVE = re.compile(r"[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """True for a ZIP entry name that could be written outside the folder it is unzipped into."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if _DRIVE.match(name):
        return True
    return any(part == ".." for part in name.rstrip("/").split("/"))


def unzipped_as(name: str) -> str:
    """The file a name becomes on disk, where names are compared loosely: unzip tools drop
    empty and "." folders (`a//b`, `./a`); Windows and macOS ignore capitals, macOS the way an
    accent is written (NFC or NFD), Windows a final dot or space. Two names with one key are
    one file there: the second one unzipped replaces the first."""
    parts = [p for p in name.rstrip("/").split("/") if p not in ("", ".")]
    return "/".join(unicodedata.normalize("NFC", p).casefold().rstrip(" .") for p in parts)


def zip_entries(infos: list[Any], problems: Any, encrypted: bool = False) -> dict[str, Any]:
    """{name: entry} of the ZIP's files that can be read safely. Unsafe, odd and repeated names,
    and entries Safekeep never writes (verify_entries.py), become problems and are not read.
    Empty folder entries (Safekeep writes none, other ZIP tools do) are only checked."""
    entries: dict[str, Any] = {}
    taken: dict[str, tuple[str, bool]] = {}  # unzipped_as -> (the name, a folder?)
    for info in infos:
        name = info.filename
        if unsafe_name(name):
            problems.append(tr("{name}: this name points outside the bundle's folder, so an "
                               "unzip tool could write it anywhere. Safekeep never makes such "
                               "a name: do not unzip this bundle, and ask for a new copy.").format(
                name=one_line(name)))
            continue
        odd = entry_problem(info, encrypted)
        if odd is not None:
            problems.append(odd)
            continue
        if name in entries:
            problems.append(tr("{name}: appears twice in the ZIP.").format(name=one_line(name)))
            continue
        clash = _clash(name, is_folder(info), taken)
        if clash is not None:
            problems.append(tr("{name}: unzipped, this is the same file as {other} on some "
                               "computers (names differing only in capitals, in how an accent "
                               "is written, by an empty or \".\" folder, or by a final dot or "
                               "space), so one replaces the other. Safekeep never writes such "
                               "names.").format(name=one_line(name), other=one_line(clash)))
            continue
        if is_folder(info):
            continue
        if unzipped_as(name) != unicodedata.normalize("NFC", name).casefold():
            problems.append(tr("{name}: Safekeep never writes a name with an empty or \".\" "
                               "folder, or a final dot or space.").format(name=one_line(name)))
            continue
        entries[name] = info
    return entries


def _clash(name: str, folder: bool, taken: dict[str, tuple[str, bool]]) -> str | None:
    """The name this one would land on when unzipped, or None (then it is taken). A file may
    land on nothing else; a folder only on other folders (they merge)."""
    key = unzipped_as(name)
    parts = key.split("/")
    for depth in range(1, len(parts)):  # the folders it goes into must not be files
        above = taken.get("/".join(parts[:depth]))
        if above is not None and not above[1]:
            return above[0]
    there = taken.get(key)
    if there is not None and not (folder and there[1]):
        return there[0]
    for depth in range(1, len(parts)):
        taken.setdefault("/".join(parts[:depth]), (name, True))
    taken.setdefault(key, (name, folder))
    return None


def split_layout(names: list[str], problems: Any) -> tuple[str, dict[str, str]]:
    """(the bundle's folder with a "/" or "" for the old flat layout, {path in the bundle: name
    in the ZIP}) for the ZIP's (safe) file names. Stray and strange names become problems."""
    root = _root(names, problems)
    if root and not is_bundle_folder_name(root.rstrip("/")):
        problems.append(tr("{folder}: Safekeep does not name a bundle's folder like this (the "
                           "folder was renamed, or the ZIP was not made by Safekeep).").format(
            folder=one_line(root.rstrip("/"))))
    inside: dict[str, str] = {}
    for name in names:
        if not name.startswith(root):
            problems.append(tr("{name}: outside the bundle's folder {folder} (a file was "
                               "added).").format(name=one_line(name),
                                                 folder=one_line(root.rstrip("/"))))
            continue
        path = name[len(root):]
        if any(sanitise_name(part) != part for part in path.split("/")):
            problems.append(tr("{name}: Safekeep never writes a file name like this (a file "
                               "was added or renamed).").format(name=one_line(name)))
        inside[path] = name
    return root, inside


def _root(names: list[str], problems: Any) -> str:
    if SUMS_NAME in names:
        return ""  # a bundle from before the folder: everything at the top
    holders = sorted({n[: -len(SUMS_NAME)] for n in names
                      if n.endswith("/" + SUMS_NAME) and n.count("/") == 1})
    if len(holders) > 1:
        problems.append(tr("More than one folder in this ZIP holds {sums}: {folders}.").format(
            sums=SUMS_NAME, folders=", ".join(one_line(h) for h in holders)))
    if holders:
        return holders[0]
    tops = {n.split("/", 1)[0] + "/" for n in names if "/" in n}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop()  # one folder without SHA256SUMS (a later part of a portal pack)
    return ""
