"""Nothing of a case is ever written to disk in the clear, except a bundle the person exports.

A whole command-line workflow runs with HOME and TMPDIR pointed at empty folders, putting a
different marker into every kind of field and into evidence content (text, the EXIF text of
a photo, and words drawn in a picture, which text recognition reads). Then the case file,
its WAL and shared-memory files, HOME and TMPDIR are searched byte by byte for every marker,
in UTF-8 and UTF-16, while the case is open and after.

The workflow runs once, in module fixtures, in its order (the commands, then a second program
holding the case open, then the search after it closed); each test checks one step of it, so
a failure names the step."""

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import PASSPHRASE

FONT = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "DejaVuSans.ttf"

MARKERS = {
    name: f"QZX{name.upper().replace('-', '')}MARK"
    for name in [
        "case-name",
        "identifier",
        "identifier-note",
        "platform",
        "payment-ref",
        "recipient",
        "place",
        "payment-note",
        "timeline",
        "evidence-note",
        "text-content",
        "exif",
        "checklist-ref",
        "checklist-note",
        "file-name",
        "ocr-text",
        "chat-sender",
    ]
}


def _needles() -> list[bytes]:
    return [m.encode(enc) for m in MARKERS.values() for enc in ("utf-8", "utf-16-le")]


def _search(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if not path.is_file():
            continue
        data = path.read_bytes()
        found += [f"{path}: {n!r}" for n in _needles() if n in data]
    return found


def _every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@dataclass
class Workspace:
    home: Path
    tmp: Path
    work: Path
    text_file: Path  # markers in its text
    photo: Path  # a marker in its EXIF
    chat: Path  # a marker in pixels only
    env: dict[str, str]

    @property
    def case(self) -> str:
        return str(self.work / "c.skcase")


def _steps(space: Workspace) -> dict[str, list[str]]:
    """The workflow's commands, by name, in order: every kind of field gets its marker."""
    m, case = MARKERS, space.case
    return {
        "new": ["new", case, "--name", m["case-name"], "--kdf-profile", "1"],
        "add-evidence": ["add-evidence", case, str(space.text_file), str(space.photo),
                         str(space.chat), "--note", m["evidence-note"]],
        "ocr": ["ocr", case],
        "add-identifier": ["add-identifier", case, "username", m["identifier"], "--platform",
                           m["platform"], "--note", m["identifier-note"]],
        "add-payment": ["add-payment", case, "--amount", "1", "--method", "moneygram",
                        "--reference", m["payment-ref"], "--recipient", m["recipient"],
                        "--place", m["place"], "--note", m["payment-note"]],
        "add-event": ["add-event", case, "--when", "2024-03-01T21:00", m["timeline"]],
        "checklist": ["checklist", case, "--done", "report-to-platforms", "--reference",
                      m["checklist-ref"], "--note", m["checklist-note"]],
        "check": ["check", case],
        "list": ["list", case, "identifiers"],
        "info": ["info", case],
    }


# The names, for the tests' ids: from a workspace that is never used.
STEP_NAMES = list(_steps(Workspace(*[Path()] * 6, env={})))


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("workflow")
    home, tmp, work = root / "home", root / "tmp", root / "work"
    for folder in (home, tmp, work):
        folder.mkdir()
    m = MARKERS
    text_file = work / f"{m['file-name']}.txt"
    # A WhatsApp export: kept as a file, and its messages read into the case as well.
    text_file.write_text(f"13/01/2024, 14:05 - {m['chat-sender']}: chat log: {m['text-content']}\n"
                         * 50, encoding="utf-8")
    photo = work / "photo.jpg"
    exif = Image.Exif()
    exif[0x010E] = m["exif"]  # ImageDescription: stored uncompressed in the JPEG
    Image.new("RGB", (200, 100), (90, 90, 200)).save(photo, exif=exif)
    # Text only in pixels: text recognition reads it, and what it read is stored encrypted.
    chat = work / "chat.png"
    picture = Image.new("RGB", (900, 120), (255, 255, 255))
    font = ImageFont.truetype(str(FONT), 28)
    ImageDraw.Draw(picture).text((20, 40), f"mail {m['ocr-text']}@example.com", font=font,
                                 fill=(0, 0, 0))
    picture.save(chat)
    env = {
        **os.environ,
        "SAFEKEEP_PASSPHRASE": PASSPHRASE,
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"),
    }
    return Workspace(home, tmp, work, text_file, photo, chat, env)


def _safekeep(space: Workspace, args: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=space.env,
                          capture_output=True, text=True, timeout=timeout)


@dataclass
class Ran:
    steps: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    listing: str = ""  # `list identifiers` after the workflow
    read: str = ""  # `ocr --json` after the workflow
    messages: str = ""  # `list messages` after the workflow


@pytest.fixture(scope="module")
def ran(space: Workspace) -> Ran:
    """Every command of the workflow, in order, then a listing and what was read."""
    out = Ran()
    for name, args in _steps(space).items():
        out.steps[name] = _safekeep(space, args, timeout=300)
    out.listing = _safekeep(space, ["list", space.case, "identifiers"], timeout=120).stdout
    out.read = _safekeep(space, ["ocr", space.case, "--json"], timeout=120).stdout
    out.messages = _safekeep(space, ["list", space.case, "messages"], timeout=120).stdout
    return out


@dataclass
class WhileOpen:
    said: str  # what the holder printed once it had the case open
    case_files: list[Path]  # the case file and its WAL and shared-memory files, then
    found: list[str]  # markers found in them


@pytest.fixture(scope="module")
def while_open(space: Workspace, ran: Ran) -> WhileOpen:
    """The case files searched while another process holds the case open, WAL in use."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from app.models.casefile import CaseFile; "
            f"c = CaseFile.open({space.case!r}, {PASSPHRASE!r}, actor='h'); "
            "print('open', flush=True); sys.stdin.readline(); c.close()",
        ],
        env=space.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    said = holder.stdout.readline().strip()
    case_files = [p for p in space.work.iterdir() if p.name.startswith("c.skcase")]
    found = _search(case_files)
    with contextlib.suppress(BrokenPipeError):  # a holder that failed has gone already
        holder.stdin.write("\n")
        holder.stdin.flush()
    holder.wait(timeout=60)
    return WhileOpen(said, case_files, found)


@pytest.fixture(scope="module")
def closed(space: Workspace, while_open: WhileOpen) -> Workspace:
    """The workspace once the holder has closed the case."""
    return space


@pytest.mark.parametrize("step", STEP_NAMES)
def test_each_step_succeeds(ran: Ran, step: str) -> None:
    proc = ran.steps[step]
    assert proc.returncode == 0, (proc.args[3:], proc.stderr[-1000:])


def test_the_markers_went_in(ran: Ran) -> None:
    # A listing shows them, so the searches below mean something.
    assert MARKERS["identifier"] in ran.listing


def test_the_chat_export_was_read_into_messages(ran: Ran) -> None:
    lines = ran.messages.splitlines()
    assert len(lines) == 50
    assert lines[0] == (f"#1  2024-01-13T14:05  {MARKERS['chat-sender']}: chat log: "
                        f"{MARKERS['text-content']}")


def test_the_words_in_the_picture_were_recognised(ran: Ran) -> None:
    # Recognised, so they are in the case file: encrypted, as the searches below show.
    assert f"{MARKERS['ocr-text']}@example.com" in ran.read


def test_the_case_was_searched_while_open_with_its_wal(while_open: WhileOpen) -> None:
    assert while_open.said == "open"
    assert any(p.name.endswith("-wal") for p in while_open.case_files)


def test_no_marker_in_the_case_files_while_open(while_open: WhileOpen) -> None:
    assert while_open.found == []


def test_the_search_finds_a_marker_where_one_is(closed: Workspace) -> None:
    assert _search([closed.text_file]) and _search([closed.photo])
    assert not _search([closed.chat])  # in pixels only: any marker found came from the OCR


def test_no_marker_in_the_case_file_home_or_tmp_after_closing(closed: Workspace) -> None:
    found = _search([closed.work / "c.skcase"]) + _search(_every_file(closed.home))
    found += _search(_every_file(closed.tmp))
    assert found == []


def test_no_pictures_left_in_home_or_tmp(closed: Workspace) -> None:
    images = [
        p
        for p in _every_file(closed.home) + _every_file(closed.tmp)
        if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif"}
    ]
    assert images == []
