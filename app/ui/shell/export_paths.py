"""Where the export dialog suggests saving a bundle, and the work it hands to the worker.

The suggested name is the bundle's own folder name ("Safekeep-Alex-WM-2024-0001-2026-11-30"),
from app/export/names.py, so the ZIP and the folder inside it are named alike; a portal pack is
a folder of that name.
"""

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from app.export.bundle import ExportResult, export_bundle, pack_folder
from app.export.names import bundle_file_name
from app.export.portal import PortalLimits
from app.models.casefile import CaseFile
from app.places import is_folder, is_there
from app.synced_folders import SyncedPlaces
from app.ui.kit.worker import TaskContext

EXISTS = "exists"  # the worker's answer when the file is there and replacing was not agreed


def run_export(ctx: TaskContext, case: CaseFile, path: str, include_sensitive: bool,
               passphrase: str | None, overwrite: bool, portal: bool) -> ExportResult | str:
    if portal:  # a new folder: never replaces anything
        if is_there(pack_folder(path)):
            return EXISTS
    elif is_there(Path(path)) and not overwrite:
        return EXISTS
    return export_bundle(case, path, include_sensitive=include_sensitive,
                         bundle_passphrase=passphrase, progress=ctx.progress,
                         is_cancelled=ctx.cancelled, overwrite=overwrite,
                         portal=PortalLimits() if portal else None)


# Where the person last saved (or chose to save) each case's bundle, in this run only: kept in
# memory, so no list of folders is left on the computer.
_chosen_folders: dict[Path, Path] = {}


def remember_bundle_folder(case_path: Path, bundle_path: Path) -> None:
    _chosen_folders[case_path] = bundle_path.parent


def bundle_folder(case_path: Path | None, places: SyncedPlaces | None = None) -> Path:
    """A folder that exists: the one chosen before for this case, else beside the case file,
    else Documents, else home; passing over those a sync program copies online (a bundle
    holds the evidence itself), unless every one is."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen = _chosen_folders.get(case_path) if case_path else None
    candidates = [c for c in (case_path.parent if case_path else None,
                              Path(documents) if documents else None, Path.home())
                  if c is not None and is_folder(c)]
    places = places or SyncedPlaces()
    kept_here = [c for c in candidates if places.find(c) is None]
    found = next(iter([chosen] if chosen and is_folder(chosen) else kept_here or candidates),
                 Path.home())
    return Path(os.path.abspath(found))  # shown in full and handed to the file manager


def suggest_bundle_path(case_path: Path | None, alias: str, day: date | None = None,
                        crime_reference: str | None = None, folder: Path | None = None) -> Path:
    """A new file in `folder`, or in `bundle_folder`. Named as the bundle's folder: the alias,
    the crime reference and the date."""
    folder = folder or bundle_folder(case_path)
    name = Path(bundle_file_name(alias, day or date.today(), crime_reference))
    path, number = folder / name, 2
    while is_there(path) or is_there(pack_folder(path)):
        path = folder / f"{name.stem}-{number}{name.suffix}"
        number += 1
    return path


def typed_bundle_path(typed: str, case_path: Path | None, alias: str,
                      crime_reference: str | None = None) -> Path:
    """Where the person asked for the bundle: a name alone goes in `bundle_folder` (not the
    folder Safekeep happened to start in), a folder typed gets a new suggested name inside it
    (not a hidden file called ".zip"), and the name ends in ".zip"."""
    path = Path(typed).expanduser()
    if not path.is_absolute():
        path = bundle_folder(case_path) / path
    if is_folder(path) or typed.endswith(("/", os.sep)):
        return suggest_bundle_path(case_path, alias, crime_reference=crime_reference,
                                   folder=path)
    return path if path.name.lower().endswith(".zip") else path.with_name(path.name + ".zip")
