"""Where a bundle's files are inside its ZIP, and which names must never be trusted.

A bundle made now holds one folder (`Alex-2026-11-30/SHA256SUMS`...); one made before that
holds its files at the top (`SHA256SUMS`, `evidence/...`): both are read. A name that points
outside the folder it is unzipped into (`../x`, `/etc/x`, `C:\\x`) is never read, only
reported: such a ZIP was not made by Safekeep and some unzip tools would write where it says.
A file beside the bundle's folder was added by someone else, and is reported too.
"""

import re

from app.export.formatting import one_line
from app.export.manifest import SUMS_NAME
from app.i18n import tr

_DRIVE = re.compile(r"[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """True for a ZIP entry name that could be written outside the folder it is unzipped into."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if _DRIVE.match(name):
        return True
    return any(part in ("..", ".") for part in name.split("/"))


def split_layout(names: list[str], problems: list[str]) -> tuple[str, dict[str, str]]:
    """(the bundle's folder with a "/" or "" for the old flat layout, {path in the bundle: name
    in the ZIP}) for the ZIP's file names. Unsafe and stray names become problems."""
    safe = []
    for name in names:
        if unsafe_name(name):
            problems.append(tr("{name}: this name points outside the bundle's folder, so an "
                               "unzip tool could write it anywhere. Safekeep never makes such "
                               "a name: do not unzip this bundle, and ask for a new copy.").format(
                name=one_line(name)))
        else:
            safe.append(name)
    root = _root(safe, problems)
    inside: dict[str, str] = {}
    for name in safe:
        if name.startswith(root):
            inside[name[len(root):]] = name
        else:
            problems.append(tr("{name}: outside the bundle's folder {folder} (a file was "
                               "added).").format(name=one_line(name),
                                                 folder=one_line(root.rstrip("/"))))
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
