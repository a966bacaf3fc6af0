"""Folders a sync program copies online, found from this computer alone (app/synced_folders.py).

Each sync program is set up here as it sets itself up: its own settings file in a home folder
made for the test, with the format its documentation and real installs show, or the variable
OneDrive sets. Crafted settings (a root of "/", garbage, a huge file) must find nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.synced_folders import (
    SyncedFolder,
    SyncedPlaces,
    bundle_sentence,
    case_file_sentence,
    synced_folder,
)
from tests.conftest import CliResult


def places(home: Path, **environ: str) -> SyncedPlaces:
    return SyncedPlaces(home=home, environ=environ)


def test_a_plain_folder_is_not_synced(tmp_path: Path) -> None:
    (tmp_path / "Documents").mkdir()
    assert places(tmp_path).find(tmp_path / "Documents" / "case.skcase") is None


def test_dropbox_from_its_info_json_even_under_another_name(tmp_path: Path) -> None:
    synced = tmp_path / "work files"  # not named Dropbox: only info.json says so
    synced.mkdir()
    (tmp_path / ".dropbox").mkdir()
    (tmp_path / ".dropbox" / "info.json").write_text(json.dumps(
        {"personal": {"path": str(synced), "host": 123, "is_team": False,
                      "subscription_type": "Basic"}}))
    found = places(tmp_path).find(synced / "cases" / "case.skcase")
    assert found == SyncedFolder("Dropbox", synced)
    assert places(tmp_path).find(tmp_path / "work files 2" / "case.skcase") is None


def test_dropbox_business_from_appdata(tmp_path: Path) -> None:
    app_data = tmp_path / "AppData" / "Local"
    (app_data / "Dropbox").mkdir(parents=True)
    team = tmp_path / "Team folder"
    (app_data / "Dropbox" / "info.json").write_text(json.dumps(
        {"business": {"path": str(team), "is_team": True}}))
    assert places(tmp_path, LOCALAPPDATA=str(app_data)).find(team / "a.zip") is not None


def test_a_link_into_a_synced_folder_is_followed(tmp_path: Path) -> None:
    """Documents can be a link into a synced folder (macOS does this for iCloud Drive)."""
    synced = tmp_path / "cloud"
    (synced / "Documents").mkdir(parents=True)
    (tmp_path / "Documents").symlink_to(synced / "Documents")
    (tmp_path / ".dropbox").mkdir()
    (tmp_path / ".dropbox" / "info.json").write_text(
        json.dumps({"personal": {"path": str(synced)}}))
    found = places(tmp_path).find(tmp_path / "Documents" / "case.skcase")
    assert found is not None and found.service == "Dropbox"


def test_onedrive_from_the_variables_it_sets(tmp_path: Path) -> None:
    personal, work = tmp_path / "OD personal", tmp_path / "OD work"
    found = places(tmp_path, OneDrive=str(personal), OneDriveCommercial=str(work))
    assert found.find(personal / "Documents" / "case.skcase") == SyncedFolder("OneDrive",
                                                                               personal)
    assert found.find(work / "bundle.zip") == SyncedFolder("OneDrive", work)


def test_nextcloud_and_owncloud_from_their_cfg(tmp_path: Path) -> None:
    config = tmp_path / ".config"
    (config / "Nextcloud").mkdir(parents=True)
    (config / "ownCloud").mkdir(parents=True)
    # QSettings writes non-ASCII letters as \x escapes, and may quote a value.
    (config / "Nextcloud" / "nextcloud.cfg").write_text(
        "[General]\nclientVersion=3.13.0\n\n[Accounts]\n0\\url=https://cloud.example\n"
        "0\\Folders\\1\\localPath=" + str(tmp_path) + "/J\\x00f6rg sync/\n"
        "0\\FoldersWithPlaceholders\\2\\localPath=\"" + str(tmp_path) + "/virtual/\"\n")
    (config / "ownCloud" / "owncloud.cfg").write_text(
        "[Accounts]\n1\\Folders\\1\\localPath=" + str(tmp_path) + "/oc/\n")
    found = places(tmp_path)
    assert found.find(tmp_path / "Jörg sync" / "x.skcase") == SyncedFolder(
        "Nextcloud", tmp_path / "Jörg sync")
    assert found.find(tmp_path / "virtual" / "x.skcase") is not None
    assert found.find(tmp_path / "oc" / "x").service == "ownCloud"  # type: ignore[union-attr]
    assert found.find(tmp_path / "Jorg sync" / "x.skcase") is None


def test_syncthing_copies_to_devices_not_online(tmp_path: Path) -> None:
    state = tmp_path / ".local" / "state" / "syncthing"
    state.mkdir(parents=True)
    (state / "config.xml").write_text(
        '<configuration version="37">\n'
        '  <folder id="default" label="Default Folder" path="~/Sync" type="sendreceive">\n'
        '  </folder>\n'
        '  <folder id="abcd-1234" label="Tom &amp; Jerry" path="' + str(tmp_path)
        + '/Tom &amp; Jerry" type="sendonly"></folder>\n</configuration>\n')
    found = places(tmp_path).find(tmp_path / "Sync" / "case.skcase")
    assert found == SyncedFolder("Syncthing", tmp_path / "Sync", online=False)
    assert places(tmp_path).find(tmp_path / "Tom & Jerry" / "b.zip") is not None
    assert "other devices" in case_file_sentence(found)
    assert "online" not in case_file_sentence(found)


@pytest.mark.parametrize(("folder", "service"), [
    ("Library/CloudStorage/OneDrive-Personal/Documents", "OneDrive"),
    ("Library/CloudStorage/GoogleDrive-alex@example.com/My Drive", "Google Drive"),
    ("Library/CloudStorage/Box-Box", "Box"),
    ("Library/CloudStorage/SomeNewCloud-alex", "SomeNewCloud"),
    ("Library/CloudStorage/<b>Evil\u202e-x", "<b>Evil\\u202e"),  # its hidden mark shown
    ("Library/Mobile Documents/com~apple~CloudDocs/cases", "iCloud Drive"),
])
def test_macos_provider_folders(tmp_path: Path, folder: str, service: str) -> None:
    found = places(tmp_path).find(tmp_path / folder / "case.skcase")
    assert found is not None and found.service == service


def test_icloud_desktop_and_documents(tmp_path: Path) -> None:
    """With "Desktop & Documents Folders" on, macOS moves Documents into iCloud Drive."""
    (tmp_path / "Documents").mkdir()
    assert places(tmp_path).find(tmp_path / "Documents" / "case.skcase") is None
    (tmp_path / "Library" / "Mobile Documents" / "com~apple~CloudDocs" / "Documents").mkdir(
        parents=True)
    found = places(tmp_path).find(tmp_path / "Documents" / "case.skcase")
    assert found == SyncedFolder("iCloud Drive", tmp_path / "Documents")
    assert places(tmp_path).find(tmp_path / "Pictures" / "a.zip") is None


@pytest.mark.parametrize(("folder", "service"), [
    ("OneDrive/Documents", "OneDrive"),
    ("OneDrive - Contoso Ltd/Cases", "OneDrive"),
    ("dropbox (personal)", "Dropbox"),
    ("Google Drive", "Google Drive"),
    ("iCloudDrive", "iCloud Drive"),
    ("pCloud Drive/x", "pCloud"),
])
def test_folders_named_as_sync_programs_name_them(tmp_path: Path, folder: str,
                                                  service: str) -> None:
    """Found by name alone, where the program's settings are not here to read: said as what
    it looks like, since a folder can outlive the program that made it."""
    found = places(tmp_path).find(tmp_path / folder / "case.skcase")
    assert found is not None and found.service == service and not found.known
    assert case_file_sentence(found).startswith(f"This looks like a folder {service} copies")
    assert places(tmp_path).find(tmp_path / "OneDriver" / "x") is None
    assert places(tmp_path).find(tmp_path / "My Dropbox notes" / "x") is None


def test_what_is_said(tmp_path: Path) -> None:
    onedrive = SyncedFolder("OneDrive", tmp_path)
    case = case_file_sentence(onedrive)
    assert case.startswith("OneDrive copies this folder online.")
    assert "encrypted" in case and "choose a folder OneDrive does not copy" in case
    bundle = bundle_sentence(onedrive)
    assert "evidence files themselves" in bundle and "passphrase" in bundle
    assert "USB stick" in bundle


@pytest.mark.parametrize("crafted", [
    json.dumps({"personal": {"path": "/"}}),  # would call every folder synced
    json.dumps({"personal": {"path": "relative/folder"}}),
    json.dumps({"personal": {"path": 7}, "business": ["x"], "other": None}),
    json.dumps(["/home"]),
    '{"personal": {"path": "/home/al',  # cut short
    "\x00\xff\xfe garbage",
    "{" * 100_000,  # deeply nested: json refuses it
])
def test_crafted_dropbox_settings_find_nothing(tmp_path: Path, crafted: str) -> None:
    (tmp_path / ".dropbox").mkdir()
    (tmp_path / ".dropbox" / "info.json").write_text(crafted, errors="surrogateescape")
    found = places(tmp_path)
    assert found.find(tmp_path / "Documents" / "case.skcase") is None
    assert found.find(Path("/") / "case.skcase") is None


def test_crafted_and_huge_settings_files(tmp_path: Path) -> None:
    config = tmp_path / ".config" / "Nextcloud"
    config.mkdir(parents=True)
    (config / "nextcloud.cfg").write_text("0\\Folders\\1\\localPath=/\n0\\Folders\\2\\localPath=\n"
                                          + "x" * 3_000_000 + "\n0\\Folders\\3\\localPath="
                                          + str(tmp_path / "late") + "\n")
    state = tmp_path / ".local" / "state" / "syncthing"
    state.mkdir(parents=True)
    (state / "config.xml").write_text('<folder id="a" path="/"></folder><folder path="">')
    found = places(tmp_path)
    assert found.find(tmp_path / "Documents" / "case.skcase") is None
    # What lies past the part read is not looked at: the window does not wait on it.
    assert found.find(tmp_path / "late" / "case.skcase") is None


def test_settings_that_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / ".dropbox" / "info.json").mkdir(parents=True)  # a folder where a file should be
    (tmp_path / ".config" / "Nextcloud").mkdir(parents=True)
    (tmp_path / ".config" / "Nextcloud" / "nextcloud.cfg").symlink_to(tmp_path / "nowhere")
    assert places(tmp_path).find(tmp_path / "Documents") is None


def test_names_no_path_can_hold(tmp_path: Path) -> None:
    found = places(tmp_path, OneDrive="OneDrive")  # relative: not a root
    assert found.find(Path("bad\x00name")) is None
    assert found.find(Path("OneDrive/x")) == SyncedFolder(  # by its name, made absolute
        "OneDrive", Path(os.getcwd()) / "OneDrive", known=False)


def test_no_home_and_no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOME", raising=False)
    for name in ("OneDrive", "OneDriveConsumer", "OneDriveCommercial", "APPDATA",
                 "LOCALAPPDATA", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    assert synced_folder(tmp_path / "case.skcase") is None


def test_the_command_line_says_it_in_one_line_and_goes_on(tmp_path: Path,
                                                          cli: Callable[..., CliResult]) -> None:
    """`new`, `export` and `copy` into a folder Dropbox copies: each does its work and says so
    in one warning line on stderr; into a folder nothing copies, nothing is said."""
    home = tmp_path / "home"
    synced, kept = home / "Dropbox", home / "kept"
    synced.mkdir(parents=True)
    kept.mkdir()
    (home / ".dropbox").mkdir()
    (home / ".dropbox" / "info.json").write_text(json.dumps({"personal": {"path": str(synced)}}))
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": "", "OneDrive": ""}

    made = cli("new", str(synced / "c.skcase"), "--kdf-profile", "1", env=env)
    assert made.code == 0, made
    assert made.err.splitlines() == [
        "safekeep: warning: Dropbox copies this folder online. The case file is encrypted, so "
        "nobody can read it without the passphrase, but a copy of it would be kept online. To "
        "keep it on this computer only, choose a folder Dropbox does not copy."]
    exported = cli("export", str(synced / "c.skcase"), str(synced / "b.zip"), env=env)
    assert exported.code == 0 and (synced / "b.zip").is_file(), exported
    warned = [line for line in exported.err.splitlines() if line.startswith("safekeep: ")]
    assert len(warned) == 1 and warned[0].startswith(
        "safekeep: warning: Dropbox copies this folder online. A bundle holds the evidence")
    copied = cli("copy", str(synced / "c.skcase"), str(synced / "spare.skcase"), env=env)
    assert copied.code == 0 and copied.err == (
        "safekeep: warning: Dropbox copies this folder online. The copy is encrypted: it opens "
        "only with the passphrase.\n"), copied

    for result in (cli("export", str(synced / "c.skcase"), str(kept / "b.zip"), env=env),
                   cli("copy", str(synced / "c.skcase"), str(kept / "s.skcase"), env=env),
                   cli("new", str(kept / "n.skcase"), "--kdf-profile", "1", env=env)):
        assert result.code == 0 and "warning" not in result.err, result
