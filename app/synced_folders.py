"""Whether a folder on this computer is copied online, or to other devices, by a sync program.

Windows puts Documents, Desktop and Pictures in OneDrive when someone signs in with a
Microsoft account ("folder backup"), and macOS offers to keep Desktop and Documents in iCloud
Drive: on many home computers the suggested place for a case, Documents, is copied online
without the person knowing. A case file there is encrypted, yet a copy of it is kept online;
a bundle for officers there holds the evidence itself, readable unless given a passphrase.
Someone who wants nothing online is told, and Safekeep suggests a folder no sync program
copies.

Everything is read from this computer: the sync programs' own settings files (Dropbox's
info.json, Nextcloud's and ownCloud's .cfg, Syncthing's config.xml), the variables OneDrive
sets, the folders macOS keeps for iCloud Drive and its other providers, and the names sync
programs give their folders. Nothing is asked of any network. A sync program not known here,
or set up in a way not read here, is not found: the README says so. Standard library only,
like app.places: light enough for the first window, and usable from every layer.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.i18n import tr
from app.text_safety import visible_line

# A settings file is read no further than this: the window must not wait on a strange one.
_READ_AT_MOST = 2_000_000


@dataclass(frozen=True)
class SyncedFolder:
    """A folder a sync program copies: `service` is its name as people know it."""

    service: str
    root: Path
    online: bool = True  # False: copied to the person's other devices (Syncthing), no server
    known: bool = True  # False: only its name says so (a folder left after OneDrive was unlinked)


# The names sync programs give the folders they copy (lower case). Found anywhere in a path,
# since the programs' settings can be missing (another account's, or a portable install).
_FOLDER_NAMES = {
    "onedrive": "OneDrive", "dropbox": "Dropbox", "google drive": "Google Drive",
    "my drive": "Google Drive", "icloud drive": "iCloud Drive", "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive", "pcloud drive": "pCloud", "pclouddrive": "pCloud",
    "megasync": "MEGA", "nextcloud": "Nextcloud", "owncloud": "ownCloud", "box sync": "Box",
}
# Names that begin alike: "OneDrive - Contoso" (a work account), "Dropbox (Personal)".
_NAME_STARTS = (("onedrive - ", "OneDrive"), ("onedrive-", "OneDrive"),
                ("dropbox (", "Dropbox"), ("googledrive-", "Google Drive"))
# macOS names each provider's folder in ~/Library/CloudStorage: "OneDrive-Personal",
# "GoogleDrive-name@example.com", "Box-Box", "Dropbox".
_PROVIDERS = {"onedrive": "OneDrive", "googledrive": "Google Drive", "dropbox": "Dropbox",
              "box": "Box", "pcloud": "pCloud"}


class SyncedPlaces:
    """The folders this account's sync programs copy, read once; `find` then costs no more
    than resolving the path, so a window can ask as the person types."""

    def __init__(self, home: Path | None = None, environ: Mapping[str, str] | None = None
                 ) -> None:
        env = os.environ if environ is None else environ
        self._home = home if home is not None else _home()
        self._roots = [(folder, _spellings(folder.root))
                       for folder in _configured(self._home, env) if _usable_root(folder.root)]

    def find(self, path: Path) -> SyncedFolder | None:
        """The synced folder `path` is in (or is), or None. `path` need not exist yet."""
        spellings = _spellings(path)
        for folder, root_spellings in self._roots:
            if any(_inside(spelled, root) for spelled in spellings for root in root_spellings):
                return folder
        for spelled in spellings:
            if (named := _by_name(Path(spelled))) is not None:
                return named
        return None


def synced_folder(path: Path) -> SyncedFolder | None:
    """`SyncedPlaces().find(path)`, for a single question."""
    return SyncedPlaces().find(path)


# -- what is said --------------------------------------------------------------------------------

def case_file_sentence(folder: SyncedFolder) -> str:
    """Said where a case file (or a spare copy of one) is to be kept in `folder`."""
    if folder.online:
        kept = tr("The case file is encrypted, so nobody can read it without the passphrase, "
                  "but a copy of it would be kept online.")
    else:
        kept = tr("The case file is encrypted, so nobody can read it without the passphrase, "
                  "but copies of it would be kept on those devices.")
    choose = tr("To keep it on this computer only, choose a folder {service} does not copy.")
    return " ".join((_copied(folder), kept, choose.format(service=folder.service)))


def bundle_sentence(folder: SyncedFolder) -> str:
    """Said where a bundle for officers is to be saved in `folder`."""
    if folder.online:
        kept = tr("A bundle holds the evidence files themselves, readable by anyone who has it "
                  "unless you give it a passphrase, and a copy of it would be kept online.")
    else:
        kept = tr("A bundle holds the evidence files themselves, readable by anyone who has it "
                  "unless you give it a passphrase, and copies of it would be kept on those "
                  "devices.")
    choose = tr("To keep it from being copied, save it on a USB stick or in a folder "
                "{service} does not copy.")
    return " ".join((_copied(folder), kept, choose.format(service=folder.service)))


def open_case_sentence(folder: SyncedFolder, case_file: Path) -> str:
    """Said of an open case whose file is in `folder`: how to bring it back to this computer."""
    where = tr("The case file is kept in {folder}.").format(
        folder=visible_line(str(case_file.parent)))
    move = tr("It is encrypted, but a copy of it is kept there too. To keep the case on this "
              "computer only, save a copy below in a folder {service} does not copy and open "
              "that copy from now on; delete this file only once the copy opens.").format(
                  service=folder.service)
    return " ".join((where, _copied(folder), move))


def spare_copy_sentence(folder: SyncedFolder) -> str:
    """Said after a spare copy of a case was saved in `folder`."""
    return " ".join((_copied(folder), tr("The copy is encrypted: it opens only with the "
                                         "passphrase.")))


def copied_sentence(folder: SyncedFolder) -> str:
    """Of a case file already kept in `folder`: "OneDrive copies the folder this case file is
    in online." (or to other devices; or "looks like" one, known only by its name)."""
    if folder.online:
        copied = tr("{service} copies the folder this case file is in online.") \
            if folder.known else tr("The folder this case file is in looks like one {service} "
                                    "copies online.")
    else:
        copied = tr("{service} copies the folder this case file is in to other devices.") \
            if folder.known else tr("The folder this case file is in looks like one {service} "
                                    "copies to other devices.")
    return copied.format(service=folder.service)


def _copied(folder: SyncedFolder) -> str:
    if folder.online:
        copied = tr("{service} copies this folder online.") if folder.known else tr(
            "This looks like a folder {service} copies online.")
    else:
        copied = tr("{service} copies this folder to other devices.") if folder.known else tr(
            "This looks like a folder {service} copies to other devices.")
    return copied.format(service=folder.service)


# -- where the sync programs keep their folders ------------------------------------------------

def _configured(home: Path | None, env: Mapping[str, str]) -> Iterator[SyncedFolder]:
    for variable in ("OneDrive", "OneDriveConsumer", "OneDriveCommercial"):
        if value := env.get(variable):  # set by OneDrive itself for each signed-in account
            yield SyncedFolder("OneDrive", Path(value))
    app_data = [Path(env[name]) for name in ("APPDATA", "LOCALAPPDATA") if env.get(name)]
    config_home = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else (
        home / ".config" if home else None)
    state_home = Path(env["XDG_STATE_HOME"]) if env.get("XDG_STATE_HOME") else (
        home / ".local" / "state" if home else None)
    dropbox = [home / ".dropbox"] if home else []
    for info in [*dropbox, *(folder / "Dropbox" for folder in app_data)]:
        for path in _dropbox_folders(info / "info.json"):
            yield SyncedFolder("Dropbox", path)
    for service in ("Nextcloud", "ownCloud"):
        places = [*(folder / service for folder in app_data)]
        if config_home:
            places.append(config_home / service)
        if home:
            places.append(home / "Library" / "Preferences" / service)
        for place in places:
            for path in _nextcloud_folders(place / f"{service.lower()}.cfg"):
                yield SyncedFolder(service, path)
    syncthing = [folder / "Syncthing" for folder in app_data]
    syncthing += [base / "syncthing" for base in (state_home, config_home) if base]
    if home:
        syncthing.append(home / "Library" / "Application Support" / "Syncthing")
    for place in syncthing:
        for path in _syncthing_folders(place / "config.xml", home):
            yield SyncedFolder("Syncthing", path, online=False)
    if home:
        yield from _icloud(home)


def _dropbox_folders(info: Path) -> Iterator[Path]:
    """Dropbox's info.json: {"personal": {"path": ...}, "business": {"path": ...}}."""
    try:
        data = json.loads(_read(info))
    except ValueError:
        return
    if isinstance(data, dict):
        for account in data.values():
            if isinstance(account, dict) and isinstance(account.get("path"), str):
                yield Path(account["path"])


# QSettings' INI lines: "0\Folders\1\localPath=/home/alex/Nextcloud/" (also FoldersWithPlaceholders
# and the other kinds of folder newer versions write).
_NEXTCLOUD_FOLDER = re.compile(r"^\d+\\Folders\w*\\\d+\\localPath=(.*)$", re.IGNORECASE)
_QT_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{1,4})")


def _nextcloud_folders(config: Path) -> Iterator[Path]:
    for line in _read(config).splitlines():
        if match := _NEXTCLOUD_FOLDER.match(line.strip()):
            value = match.group(1).strip().strip('"')
            value = _QT_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
            if value:
                yield Path(value)


_SYNCTHING_FOLDER = re.compile(r"<folder\s[^>]*?\bpath=\"([^\"]*)\"", re.IGNORECASE)


def _syncthing_folders(config: Path, home: Path | None) -> Iterator[Path]:
    for match in _SYNCTHING_FOLDER.finditer(_read(config)):
        value = html.unescape(match.group(1))
        if value.startswith("~") and home:
            value = str(home) + value[1:]
        if value:
            yield Path(value)


def _icloud(home: Path) -> Iterator[SyncedFolder]:
    """iCloud Drive, and Desktop and Documents when macOS keeps them there (it moves them into
    iCloud Drive's folder and leaves a link where they were; the link may be missing)."""
    mobile = home / "Library" / "Mobile Documents"
    yield SyncedFolder("iCloud Drive", mobile)
    cloud_docs = mobile / "com~apple~CloudDocs"
    for name in ("Desktop", "Documents"):
        try:
            if (cloud_docs / name).is_dir():
                yield SyncedFolder("iCloud Drive", home / name)
        except OSError:
            continue


# -- matching --------------------------------------------------------------------------------

def _by_name(path: Path) -> SyncedFolder | None:
    parts = path.parts
    for index, part in enumerate(parts):
        lowered = part.lower()
        service = _FOLDER_NAMES.get(lowered) or next(
            (name for start, name in _NAME_STARTS if lowered.startswith(start)), None)
        if service is None and lowered == "cloudstorage" and index > 0 \
                and parts[index - 1].lower() == "library" and index + 1 < len(parts):
            provider = parts[index + 1].split("-")[0]
            # A provider not known here is named as its folder is, shown safely (at most 40).
            service = _PROVIDERS.get(provider.lower(), visible_line(provider)[:40])
            index += 1
        if service is not None:
            return SyncedFolder(service, Path(*parts[:index + 1]), known=False)
    return None


def _spellings(path: Path) -> list[str]:
    """The path as written (made absolute) and with its links followed, in the form the
    system compares names in (case-insensitive on Windows)."""
    try:
        written = os.path.abspath(path)
        followed = os.path.realpath(path)
    except (OSError, ValueError):  # a name the system cannot hold (a NUL in it)
        return []
    return list(dict.fromkeys(os.path.normcase(p) for p in (written, followed)))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _usable_root(root: Path) -> bool:
    """A folder given as a whole path, and not a whole drive: a setting that names "/" (a
    mistake, or a crafted file) would call every folder synced."""
    return root.is_absolute() and root != Path(root.anchor)


def _home() -> Path | None:
    try:
        return Path.home()
    except (RuntimeError, KeyError):  # no HOME and no account entry
        return None


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            return file.read(_READ_AT_MOST).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return ""
