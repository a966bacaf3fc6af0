"""Where a bundle's files are inside its ZIP, and which names must never be trusted.

A bundle made now holds one folder (`Safekeep-Alex-2026-11-30/SHA256SUMS`...), named as
app/export/names.py names it; one made before that holds its files at the top (`SHA256SUMS`,
`evidence/...`): both are read. The exporter's own rules are checked, so a ZIP that breaks them
was not made by Safekeep as it is: a name that points outside the folder it is unzipped into
(`../x`, `/etc/x`, `C:\\x`, a backslash) is never read, only reported, as some unzip tools would
write where it says; a name twice (also differing only in capitals, which Windows and macOS
treat as one file); a file beside the bundle's folder; a folder or file name Safekeep would
not have written (hidden characters, a reserved Windows name...).
"""

import re
from typing import Any

from app.export.formatting import one_line
from app.export.manifest import SUMS_NAME
from app.export.names import is_bundle_folder_name, sanitise_name
from app.i18n import tr

_DRIVE = re.compile(r"[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """True for a ZIP entry name that could be written outside the folder it is unzipped into."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if _DRIVE.match(name):
        return True
    return any(part in ("..", ".") for part in name.rstrip("/").split("/"))


def zip_entries(infos: list[Any], problems: list[str]) -> dict[str, Any]:
    """{name: entry} of the ZIP's files, safe names only. Unsafe and repeated names become
    problems; folder entries (Safekeep writes none, other ZIP tools do) are only checked."""
    entries: dict[str, Any] = {}
    folded: dict[str, str] = {}
    for info in infos:
        name = info.filename
        if unsafe_name(name):
            problems.append(tr("{name}: this name points outside the bundle's folder, so an "
                               "unzip tool could write it anywhere. Safekeep never makes such "
                               "a name: do not unzip this bundle, and ask for a new copy.").format(
                name=one_line(name)))
            continue
        if info.is_dir():
            continue
        key = name.casefold()
        if name in entries or key in folded:
            problems.append(tr("{name}: appears twice in the ZIP.").format(name=one_line(name)))
            continue
        folded[key] = name
        entries[name] = info
    return entries


def split_layout(names: list[str], problems: list[str]) -> tuple[str, dict[str, str]]:
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


def _root(names: list[str], problems: list[str]) -> str:
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
