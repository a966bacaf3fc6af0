"""Files a computer makes for itself are left out of a folder added whole, and said so.

Tried by hand: a folder of screenshots from a Mac's USB stick gave a ".DS_Store" and, beside
each picture, a "._name" (its Mac details), each an exhibit of its own in the officers' list.
"""

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PIL import Image

from app.core.intake.ingest import import_paths
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from app.ui.evidence.importing import summarise
from tests.chats.telegram_html_export import PAGE_FILES, Msg, serialize, write_folder
from tests.conftest import CliResult

APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 64


def _usb_folder(root: Path) -> Path:
    folder = root / "from the stick"
    (folder / "March").mkdir(parents=True)
    Image.new("RGB", (40, 30), "white").save(folder / "March" / "chat.png")
    (folder / "March" / "._chat.png").write_bytes(APPLE_DOUBLE)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 40)
    (folder / "March" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 40)
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    (folder / "desktop.ini").write_text("[.ShellClassInfo]\r\n", encoding="utf-8")
    (folder / ".Spotlight-V100" / "Store-V2").mkdir(parents=True)
    (folder / ".Spotlight-V100" / "Store-V2" / "index").write_bytes(b"index")
    # Named like one, not one: a person's own file that starts with "._" is kept.
    (folder / "._my notes.txt").write_text("he said pay by Friday", encoding="utf-8")
    return folder


def test_a_folder_leaves_out_the_computers_own_files_and_says_so(
        case: CaseFile, tmp_path: Path) -> None:
    outcomes = import_paths(case, [_usb_folder(tmp_path)])
    by_name = {Path(o.path).name: o for o in outcomes}
    assert {n for n, o in by_name.items() if o.status == "added"} == {"chat.png",
                                                                      "._my notes.txt"}
    left_out = {n for n, o in by_name.items() if o.status == "left-out"}
    assert left_out == {".DS_Store", "._chat.png", "Thumbs.db", "desktop.ini",
                        ".Spotlight-V100"}
    assert len([o for o in outcomes if o.status == "left-out"]) == 6  # two .DS_Store
    assert all("Add it by itself if police ask for it." in (o.reason or "")
               for o in outcomes if o.status == "left-out")
    assert by_name["._chat.png"].line().startswith("left out: ")
    assert sorted(e.original_name for e in list_evidence(case)) == ["._my notes.txt", "chat.png"]
    # The window's one line: nothing "could not be added", and the left-out ones named.
    line = summarise(outcomes)
    assert line.startswith(
        "2 added, 6 files the computer or an app makes for itself were left out (")
    assert "could not" not in line


def test_a_file_chosen_by_name_is_added_whatever_it_is(case: CaseFile, tmp_path: Path) -> None:
    folder = _usb_folder(tmp_path)
    outcomes = import_paths(case, [folder / "Thumbs.db", folder / "March" / "._chat.png",
                                   folder / ".Spotlight-V100"])
    assert [o.status for o in outcomes] == ["added", "added", "added"]


def test_the_command_line_says_it_and_is_not_an_error(
        tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    case = tmp_path / "case.skcase"
    assert cli("new", str(case), "--kdf-profile", "1").code == 0
    folder = _usb_folder(tmp_path)
    result = cli("add-evidence", str(case), str(folder))
    assert result.code == 0, result  # only left-out files: nothing went wrong
    assert f"left out: {folder / 'Thumbs.db'}: This is a file Windows makes" in result.out
    document = json.loads(cli("add-evidence", str(case), str(folder), "--json").out)
    assert (document["left_out"], document["already_there"], document["refused"]) == (6, 2, 0)


def _icloud_placeholder(folder: Path, name: str, size: int = 1_843_200) -> Path:
    """What a Mac with "Optimise Mac Storage" leaves for a file kept in iCloud Drive only: a
    hidden ".NAME.icloud" holding a binary property list of the file's name and size."""
    import plistlib

    stub = folder / f".{name}.icloud"
    stub.write_bytes(plistlib.dumps({"NSURLNameKey": name, "NSURLFileSizeKey": size,
                                     "NSURLFileResourceTypeKey": "NSURLFileResourceTypeRegular"},
                                    fmt=plistlib.FMT_BINARY))
    return stub


def test_an_icloud_placeholder_is_refused_with_what_to_do(
        case: CaseFile, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """Added, the placeholder became an exhibit holding no picture, and the picture itself
    was missing from the case without a word."""
    folder = tmp_path / "Screenshots"
    folder.mkdir()
    Image.new("RGB", (40, 30), "white").save(folder / "shot 1.png")
    stub = _icloud_placeholder(folder, "shot 2.png")
    (folder / ".notes.icloud").write_text("my own file, named so", encoding="utf-8")
    outcomes = import_paths(case, [folder])
    by_name = {Path(o.path).name: o for o in outcomes}
    assert by_name["shot 1.png"].status == "added"
    assert by_name[".notes.icloud"].status == "added"  # not a placeholder: kept as it is
    refused = by_name[stub.name]
    assert refused.status == "refused"
    assert refused.reason == (
        "This is not the file itself but a placeholder for “shot 2.png”, which is kept in "
        "iCloud Drive and not on this computer. Open it in the Finder so that it downloads, "
        "then add it again.")
    assert "could not" in summarise(outcomes)  # the window's line does not pass over it
    assert sorted(e.original_name for e in list_evidence(case)) == [".notes.icloud",
                                                                    "shot 1.png"]

    # Chosen by name, as a person picks it in a file dialog that shows hidden files.
    [chosen] = import_paths(case, [stub])
    assert chosen.status == "refused" and "placeholder" in (chosen.reason or "")
    made = cli("new", str(tmp_path / "c.skcase"), "--kdf-profile", "1")
    assert made.code == 0
    added = cli("add-evidence", str(tmp_path / "c.skcase"), str(stub))
    assert added.code == 1 and "placeholder for “shot 2.png”" in added.out + added.err, added


def test_telegrams_page_files_are_left_out_only_beside_its_pages(
        case: CaseFile, tmp_path: Path) -> None:
    chat = [Msg("Anna Smith", datetime(2025, 3, 15, 21, 4), serialize("pay"))]
    export = write_folder(tmp_path / "ChatExport_2025-03-16", "Anna Smith", chat, {})
    # The same folders, with a page of one's own (a saved web page): all kept.
    mine = tmp_path / "my web page"
    for name, data in PAGE_FILES.items():
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_bytes(data)
    (mine / "messages.html").write_text("<html><body>My notes</body></html>")
    outcomes = import_paths(case, [export, mine])
    left_out = [Path(o.path).relative_to(tmp_path).as_posix() for o in outcomes
                if o.status == "left-out"]
    assert left_out == [f"{export.name}/css", f"{export.name}/images", f"{export.name}/js"]
    assert all("Telegram's own style and icons" in (o.reason or "")
               for o in outcomes if o.status == "left-out")
    kept = {Path(o.path).relative_to(tmp_path).parts[0] for o in outcomes if o.status == "added"}
    assert kept == {export.name, mine.name}
    # Telegram's icons look alike here, so most are the same file, kept once.
    assert len([o for o in outcomes if o.status != "left-out"]) == 1 + 1 + len(PAGE_FILES)
