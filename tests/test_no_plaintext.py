"""Nothing of a case is ever written to disk in the clear, except a bundle the person exports.

A whole command-line workflow runs with HOME and TMPDIR pointed at empty folders, putting a
different marker into every kind of field and into evidence content (text, the EXIF text of
a photo, and words drawn in a picture, which text recognition reads). Then the case file,
its WAL and shared-memory files, HOME and TMPDIR are searched byte by byte for every marker,
in UTF-8 and UTF-16, while the case is open and after."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_a_whole_workflow_leaves_no_plaintext(tmp_path: Path) -> None:
    home, tmp, work = tmp_path / "home", tmp_path / "tmp", tmp_path / "work"
    for folder in (home, tmp, work):
        folder.mkdir()
    m = MARKERS
    text_file = work / f"{m['file-name']}.txt"
    text_file.write_text(f"chat log: {m['text-content']}\n" * 50, encoding="utf-8")
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
    case = str(work / "c.skcase")
    steps = [
        ["new", case, "--name", m["case-name"], "--kdf-profile", "1"],
        ["add-evidence", case, str(text_file), str(photo), str(chat), "--note",
         m["evidence-note"]],
        ["ocr", case],
        [
            "add-identifier",
            case,
            "username",
            m["identifier"],
            "--platform",
            m["platform"],
            "--note",
            m["identifier-note"],
        ],
        [
            "add-payment",
            case,
            "--amount",
            "1",
            "--method",
            "moneygram",
            "--reference",
            m["payment-ref"],
            "--recipient",
            m["recipient"],
            "--place",
            m["place"],
            "--note",
            m["payment-note"],
        ],
        ["add-event", case, "--when", "2024-03-01T21:00", m["timeline"]],
        [
            "checklist",
            case,
            "--done",
            "report-to-platforms",
            "--reference",
            m["checklist-ref"],
            "--note",
            m["checklist-note"],
        ],
        ["check", case],
        ["list", case, "identifiers"],
        ["info", case],
    ]
    env = {
        **os.environ,
        "SAFEKEEP_PASSPHRASE": PASSPHRASE,
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"),
    }
    for args in steps:
        proc = subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, (args, proc.stderr[-1000:])

    # The markers really went in: a listing shows them (so the search below means something).
    listing = subprocess.run(
        [sys.executable, "-m", "app", "list", case, "identifiers"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert m["identifier"] in listing
    read = subprocess.run(
        [sys.executable, "-m", "app", "ocr", case, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert f"{m['ocr-text']}@example.com" in read  # recognised, so it is in the case file

    # While another process holds the case open, with its WAL in use...
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from app.models.casefile import CaseFile; "
            f"c = CaseFile.open({case!r}, {PASSPHRASE!r}, actor='h'); print('open', flush=True); "
            "sys.stdin.readline(); c.close()",
        ],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "open"
    case_files = [p for p in work.iterdir() if p.name.startswith("c.skcase")]
    assert any(p.name.endswith("-wal") for p in case_files)
    found_open = _search(case_files)
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(timeout=60)

    # ...and after it closed. (Control: the same search does find a marker where one is.)
    assert _search([text_file]) and _search([photo])
    assert not _search([chat])  # in pixels only: any marker found below came from the OCR
    found = found_open + _search([work / "c.skcase"]) + _search(_every_file(home))
    found += _search(_every_file(tmp))
    assert found == []
    images = [
        p
        for p in _every_file(home) + _every_file(tmp)
        if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif"}
    ]
    assert images == []
