"""A damaged page inside one item's content no longer blocks the export (issue 20, item 7): the
bundle is made without that item, and the report, the manifest, the CSV files, README.txt,
the command's output and the export's audit event all name it, with the SHA-256 taken when it
arrived. The bundle still passes `safekeep verify` and `sha256sum -c`. Damage outside any
item's content (a working copy the report can do without) is worked around, not hidden.

The cases are real SQLCipher files damaged as a failing disk would: one byte flipped inside
one page. A page cannot be found by its content (every page is encrypted), so each case is
built so that one item fills most of the file and the flipped byte lands in the middle; each
test first checks that the damage landed where it meant it to (through `check`), so a layout
change makes it fail rather than pass without testing anything."""

import hashlib
import io
import json
import os
import random
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.core.intake import import_paths
from app.core.records import check_case, read_reading_image
from app.errors import NotACaseFile
from app.export import export_bundle
from app.models import AuditEvent
from app.models.casefile import PAGE_SIZE, CaseFile
from tests.conftest import PASSPHRASE, run_cli
from tests.damage_support import case_with, flip_a_byte, flip_a_byte_mid_file


def _png(size: tuple[int, int], colour: tuple[int, int, int], *, level: int = 6) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG", compress_level=level)
    return out.getvalue()


def _checkerboard_png(side: int) -> bytes:
    """A picture PNG stores in a few kilobytes and JPEG in half a megabyte or more. Longer
    than the reading side (2,200 pixels), its reading-size copy is a resampled JPEG, not its
    own PNG pixels, and fills most of the case file."""
    image = Image.new("1", (side, side))
    image.putdata([(x + y) % 2 * 255 for y in range(side) for x in range(side)])
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def _members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as z:
        return {name.split("/", 1)[1]: z.read(name) for name in z.namelist()
                if not name.endswith("/")}


def _report_text(files: dict[str, bytes]) -> tuple[str, str]:
    """Page 1's text, and the whole report's (lines joined, as an officer reads them)."""
    reader = PdfReader(io.BytesIO(files["report.pdf"]))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    return pages[0], " ".join(pages)


def test_a_damaged_item_is_left_out_and_named_everywhere(tmp_path: Path) -> None:
    video = b"\x00\x00\x00\x18ftypmp42" + os.urandom(6 * 1024 * 1024)
    path = case_with(tmp_path, {"a.txt": b"pay or else " * 30, "video.mp4": video,
                                "z.png": _png((300, 200), (9, 99, 199))}, "Damaged")
    flip_a_byte_mid_file(path)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        assert check_case(case).damaged_items == [2]  # the damage is in video.mp4's content

    bundle = tmp_path / "bundle.zip"
    result = run_cli("export", str(path), str(bundle))
    # Written, but a check found a problem: exit 1, one calm line naming the item.
    assert result.code == 1, result
    assert "Traceback" not in result.err
    problems = [line for line in result.err.splitlines() if line.startswith("safekeep: problem")]
    assert len(problems) == 1 and "DA/2" in problems[0] and "video.mp4" in problems[0]
    assert "Evidence files included: 2" in result.out

    files = _members(bundle)
    assert sorted(n for n in files if n.startswith("evidence/")) == [
        n for n in sorted(files) if n.startswith("evidence/") and "video" not in n]
    assert len([n for n in files if n.startswith("evidence/")]) == 2

    manifest = json.loads(files["manifest.json"])
    assert manifest["damaged_evidence"] == ["DA/2"]
    assert manifest["counts"]["evidence_damaged"] == 1
    assert manifest["counts"]["evidence_included"] == 2
    entry = next(e for e in manifest["evidence"] if e["exhibit"] == "DA/2")
    assert entry["damaged"] is True and entry["withheld"] is True and entry["file"] is None
    assert entry["sha256"] == hashlib.sha256(video).hexdigest()  # as it arrived
    assert all(not e["damaged"] for e in manifest["evidence"] if e["exhibit"] != "DA/2")

    evidence_csv = files["csv/evidence.csv"].decode("utf-8-sig")
    row = next(line for line in evidence_csv.splitlines() if line.startswith("DA/2,"))
    assert "left out (damaged in the case file)" in row
    continuity = files["csv/continuity.csv"].decode("utf-8-sig")
    assert "damaged in the case file" in next(
        line for line in continuity.splitlines() if line.startswith("DA/2,"))
    readme = " ".join(files["README.txt"].decode().split())
    assert "damaged in the case file and is NOT in evidence/" in readme and "(DA/2)" in readme

    first_page, whole = _report_text(files)
    assert "1 damaged in the case file, left out (DA/2)" in first_page
    assert "Exhibit DA/2 (video.mp4) is damaged in the case file" in whole
    assert "Left out: damaged in the case file" in whole

    # The bundle an officer receives still checks out with Safekeep and with standard tools.
    verified = run_cli("verify", str(bundle))
    assert verified.code == 0, verified
    sums = files["SHA256SUMS"].decode().splitlines()
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name.removeprefix("./")]).hexdigest() == digest, name
    assert not any("video" in line for line in sums)

    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case, \
            case.read() as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "bundle.export")).one()
    assert json.loads(event.details)["damaged"] == ["DA/2"]


def test_a_damaged_picture_gets_a_calm_box_not_a_page(tmp_path: Path) -> None:
    # Stored almost uncompressed, so its own content fills most of the file; its thumbnail
    # and reading-size copy (one colour) are tiny.
    big = _png((1800, 1200), (200, 120, 40), level=0)
    small = _png((320, 240), (10, 140, 90))
    path = case_with(tmp_path, {"big.png": big, "small.png": small}, "Damaged")
    flip_a_byte_mid_file(path)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        assert check_case(case).damaged_items == [1]
        result = export_bundle(case, tmp_path / "bundle.zip")
    assert result.damaged == (("DA/1", "big.png"),)
    assert result.evidence_included == 1
    files = _members(tmp_path / "bundle.zip")
    _first, whole = _report_text(files)
    assert "This item is damaged in the case file: its content could not be read back, so " \
           "its picture is not shown" in whole
    reader = PdfReader(io.BytesIO(files["report.pdf"]))
    pictures = sum(len(page.images) for page in reader.pages)
    assert pictures == 1  # small.png's page; nothing of big.png


def test_a_damaged_reading_copy_is_made_again_from_the_original(tmp_path: Path) -> None:
    path = case_with(tmp_path, {"board.png": _checkerboard_png(2200)})
    flip_a_byte_mid_file(path)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        report = check_case(case)
        assert report.damaged_items == []  # the original is whole...
        try:
            read_reading_image(case, 1)
        except NotACaseFile:
            pass  # ...and the report's working copy of it is what was damaged
        else:
            raise AssertionError("the flipped byte missed the reading-size copy")
        result = export_bundle(case, tmp_path / "bundle.zip")
    assert result.damaged == () and result.evidence_included == 1
    files = _members(tmp_path / "bundle.zip")
    reader = PdfReader(io.BytesIO(files["report.pdf"]))
    assert sum(len(page.images) for page in reader.pages) == 1  # drawn from the original


def test_damage_in_the_case_records_themselves_still_stops_the_export(tmp_path: Path) -> None:
    path = case_with(tmp_path, {"a.txt": b"first " * 20})
    flip_a_byte(path, PAGE_SIZE + 1000)  # page 2: the case's own tables, not an item's content
    result = run_cli("export", str(path), str(tmp_path / "bundle.zip"))
    assert result.code == 4 and "damaged" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "bundle.zip").exists()
    assert not list(tmp_path.glob(".bundle.zip.partial-*"))


def test_damage_in_the_last_page_is_damage_not_a_change(tmp_path: Path) -> None:
    # A damaged last page of the file has been seen to read back as zeros rather than fail:
    # the item's content then differs from its hash. With damage in the file, that is damage
    # (the item is left out and named), not a change that stops every bundle.
    # The video comes in its own command, after the rest (as the newest evidence does): its
    # last chunk ends on the last page, which is where this damage reads as zeros.
    path = case_with(tmp_path, {"a.txt": b"pay or else " * 30}, "Damaged")
    video = tmp_path / "video.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + random.Random(1).randbytes(3_000_000))
    with CaseFile.open(path, PASSPHRASE, actor="t") as case:
        assert [o.status for o in import_paths(case, [video])] == ["added"]
    flip_a_byte(path, path.stat().st_size - PAGE_SIZE + 2000)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        report = check_case(case)
    said = " ".join(report.problems)
    # It landed in the video, and read as zeros: the case this test is for.
    assert "HMAC verification failed" in said, report.problems
    assert "video.mp4) is damaged in the case file" in said, report.problems  # not "changed"

    bundle = tmp_path / "bundle.zip"
    result = run_cli("export", str(path), str(bundle))
    assert result.code == 1, result
    assert "Traceback" not in result.err and "no longer matches" not in result.err
    problems = [line for line in result.err.splitlines() if line.startswith("safekeep: problem")]
    assert len(problems) == 1 and "DA/2" in problems[0] and "damaged" in problems[0]
    files = _members(bundle)
    assert [n for n in files if n.startswith("evidence/")] == [
        n for n in files if n.startswith("evidence/") and "a.txt" in n]
    assert json.loads(files["manifest.json"])["damaged_evidence"] == ["DA/2"]
    assert run_cli("verify", str(bundle)).code == 0
