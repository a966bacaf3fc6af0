"""The bundle as an officer receives it: unzip it, run the real `sha256sum -c`, read the CSV,
the manifest and the README; and the ways an export must fail without leaving a half file."""

import csv
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from itertools import takewhile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, text

from app.core.records.identifiers import add_identifier
from app.errors import Cancelled, InvalidInput, SafekeepError, StorageError
from app.export import bundle_zip, export_bundle
from app.export.manifest import REPORT_NAME
from app.export.verify import verify_bundle
from app.models import AuditEvent
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, build_demo_case, png_bytes, unzip

HOSTILE_FORMULA = '=HYPERLINK("http://x/leak","click me")'


@pytest.fixture
def demo(case: CaseFile) -> tuple[CaseFile, dict[str, int]]:
    return case, build_demo_case(case)


def bundle_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def result_folder(out: Path) -> str:
    [folder] = [p.name for p in out.iterdir()]
    return folder


def audit_actions(case: CaseFile) -> list[AuditEvent]:
    with case.read() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "bundle.export")))


def test_layout_and_real_sha256sum(demo: tuple[CaseFile, dict[str, int]], tmp_path: Path) -> None:
    case, ids = demo
    result = export_bundle(case, tmp_path / "bundle.zip")
    root = unzip(result.path, tmp_path / "out")
    files = bundle_files(root)
    assert {"report.pdf", "manifest.json", "SHA256SUMS", "README.txt", "csv/identifiers.csv",
            "csv/payments.csv", "csv/timeline.csv", "csv/evidence.csv", "csv/audit.csv",
            "csv/checklist.csv", "csv/continuity.csv"} <= files
    evidence = sorted(f for f in files if f.startswith("evidence/"))
    assert evidence == [
        "evidence/TC-1_" + _sha(case, ids["chat"])[:8] + "_Screenshot 2024-03-01 at 21.14.05.png",
        "evidence/TC-2_" + _sha(case, ids["profile"])[:8] + "_facebook-profile.png",
        "evidence/TC-4_" + _sha(case, ids["receipt"])[:8] + "_WU receipt.pdf",
    ]
    assert result.files == len(files)
    assert (result.evidence_included, result.evidence_withheld) == (3, 1)
    assert result.bytes_written == result.path.stat().st_size
    sums = (root / "SHA256SUMS").read_text()
    assert {line.split("  ", 1)[1] for line in sums.splitlines()} == files - {"SHA256SUMS"}
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum (GNU coreutils) is not installed here")
    proc = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=root,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": OK") == len(files) - 1


def _sha(case: CaseFile, evidence_id: int) -> str:
    from app.core.records.evidence import get_evidence

    return get_evidence(case, evidence_id).sha256


def test_originals_are_byte_identical(case: CaseFile, tmp_path: Path) -> None:
    big = os.urandom(3 * 1024 * 1024 + 17)  # several chunks, not a multiple of the chunk size
    add_evidence_direct(case, big, "video.mp4", kind="video", detected_type="video/mp4",
                        thumbnail=False)
    add_evidence_direct(case, b"plain text\n" * 1000, "chat.txt", kind="text",
                        detected_type="text/plain", thumbnail=False)
    root = unzip(export_bundle(case, tmp_path / "b.zip").path, tmp_path / "out")
    video = next(root.glob("evidence/TC-1_*_video.mp4"))
    assert video.read_bytes() == big
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        kinds = {i.filename.rsplit("_", 1)[-1]: i.compress_type for i in zf.infolist()}
    # Already-compressed media is stored as it is; text is deflated.
    assert kinds["video.mp4"] == zipfile.ZIP_STORED
    assert kinds["chat.txt"] == zipfile.ZIP_DEFLATED


def test_manifest_describes_everything(demo: tuple[CaseFile, dict[str, int]],
                                       tmp_path: Path) -> None:
    case, ids = demo
    result = export_bundle(case, tmp_path / "bundle.zip")
    root = unzip(result.path, tmp_path / "out")
    raw = (root / "manifest.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == result.manifest_sha256
    manifest = json.loads(raw)
    assert manifest["schema"] == "safekeep-bundle-manifest" and manifest["schema_version"] == 3
    assert manifest["case"]["display_name"] == "Test case"
    assert manifest["case"]["crime_reference"] == "LC-20240302-0147"
    assert manifest["withheld_evidence"] == ["TC/3"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    for path, digest in listed.items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == digest
    # Every file but the manifest itself and SHA256SUMS, which lists the manifest.
    assert set(listed) == bundle_files(root) - {"manifest.json", "SHA256SUMS"}
    assert manifest["files_not_listed"] == ["manifest.json", "SHA256SUMS"]
    withheld = next(e for e in manifest["evidence"] if e["id"] == ids["video"])
    assert withheld["withheld"] is True and withheld["file"] is None and withheld["sensitive"]
    assert {i["value"] for i in manifest["identifiers"]} >= {"live:.cid.7f3a9b2e41d0c6",
                                                             "4817 2930 56"}
    assert manifest["payments"][0]["amount"] == "250.00"
    assert manifest["payment_totals"]["collected"] == {"GBP": "250.00"}
    assert manifest["audit"]["chain_verified"] is True
    assert len(manifest["audit"]["chain_head"]) == 64
    tell_bank = next(c for c in manifest["checklist"] if c["item_id"] == "tell-bank")
    assert tell_bank["done"] and tell_bank["reference"] == "FR-88213"


def test_readme_tells_how_to_verify(demo: tuple[CaseFile, dict[str, int]], tmp_path: Path) -> None:
    case, _ = demo
    result = export_bundle(case, tmp_path / "bundle.zip")
    root = unzip(result.path, tmp_path / "out")
    raw = (root / "README.txt").read_bytes().decode()
    assert "\r\n" in raw
    lines = raw.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("csv/ "))
    going_on = takewhile(lambda line: line.startswith(" " * 21), lines[start + 1:])
    entry = [lines[start], *going_on]
    said = " ".join(" ".join(entry).split())
    for sheet in (root / "csv").iterdir():  # each spreadsheet named (continuity was not)
        assert sheet.stem in said, sheet.name
    assert max(len(line) for line in raw.splitlines() if not line.startswith(" ")) <= 78
    readme = " ".join(raw.split())
    for expected in ("sha256sum -c SHA256SUMS", "Get-FileHash", "safekeep verify",
                     "Get-Content -Encoding UTF8 SHA256SUMS",  # PowerShell 5.1: not ANSI
                     "gives them to you separately", "cannot prove alone",
                     "LC-20240302-0147", "NOT in evidence/"):
        assert expected in readme
    assert result.manifest_sha256 not in readme  # the manifest lists README.txt's hash


def test_csv_files_are_excel_safe(case: CaseFile, tmp_path: Path) -> None:
    add_identifier(case, "other", HOSTILE_FORMULA, note="@SUM(1+1)*cmd|' /C calc'!A0")
    add_identifier(case, "skype-id", "live:.cid.123abc", note="line one\nline two, \"quoted\"")
    add_identifier(case, "phone", "+44 7700 900123")
    root = unzip(export_bundle(case, tmp_path / "b.zip").path, tmp_path / "out")
    raw = (root / "csv/identifiers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    by_value = {r["value_as_entered"].lstrip("'"): r for r in rows}
    assert by_value[HOSTILE_FORMULA]["value_as_entered"] == "'" + HOSTILE_FORMULA
    assert by_value[HOSTILE_FORMULA]["note"].startswith("'@")
    assert by_value["+44 7700 900123"]["value_as_entered"] == "'+44 7700 900123"
    assert by_value["live:.cid.123abc"]["value_as_entered"] == "live:.cid.123abc"
    assert by_value["live:.cid.123abc"]["note"] == 'line one\nline two, "quoted"'
    for name in ("payments", "timeline", "evidence", "audit", "checklist"):
        data = (root / f"csv/{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (name, cell)


def test_checklist_csv_shows_state(demo: tuple[CaseFile, dict[str, int]], tmp_path: Path) -> None:
    case, _ = demo
    root = unzip(export_bundle(case, tmp_path / "b.zip").path, tmp_path / "out")
    rows = {r["item_id"]: r for r in csv.DictReader(io.StringIO(
        (root / "csv/checklist.csv").read_text("utf-8-sig"), newline=""))}
    assert rows["tell-bank"]["done"] == "yes"
    assert rows["tell-bank"]["reference"] == "FR-88213"
    assert rows["tell-bank"]["done_at_utc"].endswith("Z")
    assert rows["call-999-now"]["done"] == "no" if "call-999-now" in rows else True


def test_sensitive_withheld_by_default_and_included_on_request(
    demo: tuple[CaseFile, dict[str, int]], tmp_path: Path
) -> None:
    case, ids = demo
    sha = _sha(case, ids["video"])
    default = bundle_files(unzip(export_bundle(case, tmp_path / "a.zip").path, tmp_path / "a"))
    assert not any(sha[:8] in f for f in default)
    evidence_csv = (tmp_path / "a" / result_folder(tmp_path / "a") / "csv/evidence.csv"
                    ).read_text("utf-8-sig")
    assert sha in evidence_csv and "withheld (sensitive)" in evidence_csv
    result = export_bundle(case, tmp_path / "b.zip", include_sensitive=True)
    assert result.evidence_withheld == 0
    included = bundle_files(unzip(result.path, tmp_path / "b"))
    assert f"evidence/TC-3_{sha[:8]}_IMG_0423.png" in included
    manifest = json.loads((tmp_path / "b" / result.folder / "manifest.json").read_text())
    assert manifest["include_sensitive"] is True and manifest["withheld_evidence"] == []


def test_export_is_audited(demo: tuple[CaseFile, dict[str, int]], tmp_path: Path) -> None:
    case, _ = demo
    result = export_bundle(case, tmp_path / "bundle.zip")
    [event] = audit_actions(case)
    details = json.loads(event.details)
    assert details["file"] == "bundle.zip"
    assert details["manifest_sha256"] == result.manifest_sha256
    assert details["include_sensitive"] is False
    assert details["counts"]["evidence_withheld"] == 1
    assert details["withheld"] == ["TC/3"]


def test_refuses_to_overwrite_unless_asked(case: CaseFile, tmp_path: Path) -> None:
    target = tmp_path / "bundle.zip"
    target.write_bytes(b"an older bundle")
    with pytest.raises(InvalidInput):
        export_bundle(case, target)
    assert target.read_bytes() == b"an older bundle"
    export_bundle(case, target, overwrite=True)
    assert zipfile.is_zipfile(target)
    with pytest.raises(InvalidInput):
        export_bundle(case, tmp_path)  # a folder
    with pytest.raises(InvalidInput):
        export_bundle(case, tmp_path / "no-such-folder" / "b.zip")


def no_partial_left(folder: Path, name: str) -> None:
    assert not (folder / name).exists()
    assert [p.name for p in folder.iterdir() if ".partial-" in p.name] == []


def flip_after(n: int) -> Callable[[], bool]:
    calls = 0

    def is_cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > n

    return is_cancelled


def test_cancel_at_any_point_leaves_nothing_under_the_final_name(
    demo: tuple[CaseFile, dict[str, int]], tmp_path: Path
) -> None:
    case, _ = demo
    add_evidence_direct(case, os.urandom(3 * 1024 * 1024), "big.bin", kind="other",
                        detected_type="application/octet-stream", thumbnail=False)
    checks = 0

    def count() -> bool:
        nonlocal checks
        checks += 1
        return False

    export_bundle(case, tmp_path / "complete.zip", is_cancelled=count)
    assert checks > 10  # between files, between chunks, and while the report is drawn
    stages: set[str] = set()
    for after in sorted({0, 1, checks // 4, checks // 2, checks * 3 // 4, checks - 3}):
        out = tmp_path / f"out{after}"
        out.mkdir()
        labels: list[str] = []
        with pytest.raises(Cancelled):
            export_bundle(case, out / "bundle.zip", is_cancelled=flip_after(after),
                          progress=lambda d, t, label: labels.append(label))
        no_partial_left(out, "bundle.zip")
        stages.add(labels[-1] if labels else "")
    assert any("report" in s for s in stages) and any("evidence" in s for s in stages), stages
    assert len(audit_actions(case)) == 1  # only the complete export


def test_half_bundles_left_by_a_crash_are_swept(case: CaseFile, tmp_path: Path) -> None:
    stale = tmp_path / ".bundle.zip.partial-dead"
    fresh = tmp_path / ".bundle.zip.partial-busy"  # another export, still running
    other = tmp_path / ".other.zip.partial-dead"
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"half a zip, in the clear")
    os.utime(stale, (0, 0))
    os.utime(other, (0, 0))
    export_bundle(case, tmp_path / "bundle.zip")
    assert not stale.exists() and fresh.exists() and other.exists()


def test_progress_reaches_the_total(demo: tuple[CaseFile, dict[str, int]], tmp_path: Path) -> None:
    case, _ = demo
    seen: list[tuple[int, int, str]] = []
    export_bundle(case, tmp_path / "b.zip", progress=lambda d, t, label: seen.append((d, t, label)))
    dones = [d for d, _, _ in seen]
    assert dones == sorted(dones)
    assert seen[-1][0] == seen[-1][1]
    assert any("report" in label for _, _, label in seen)


def test_the_bar_moves_while_the_report_goes_into_the_bundle(case: CaseFile,
                                                              tmp_path: Path) -> None:
    """A report of pictures is megabytes, written into the ZIP once it is drawn: the bar
    moves while it is, rather than standing at its end, and a cancel is heard there."""
    noisy = random.Random(7)
    for n in range(4):  # noise: each picture's page holds a JPEG of about a megabyte
        picture = Image.frombytes("RGB", (1000, 800), noisy.randbytes(1000 * 800 * 3))
        data = io.BytesIO()
        picture.save(data, "PNG", compress_level=1)
        add_evidence_direct(case, data.getvalue(), f"Screenshot_{n}.png")
    seen: list[tuple[int, int, str]] = []
    export_bundle(case, tmp_path / "bundle.zip",
                  progress=lambda d, t, label: seen.append((d, t, label)))
    adding = [d for d, _t, label in seen if label == "Adding the report to the bundle"]
    assert len(set(adding)) >= 3, adding  # step by step, a megabyte at a time
    finishing = next(d for d, _t, label in seen if label == "Finishing")
    total = seen[-1][1]
    assert adding[0] < adding[-1] <= finishing < total  # not full while the disk catches up
    assert finishing - adding[0] > 0.04 * total, "the report's share came at the end"
    assert [d for d, _t, _l in seen] == sorted(d for d, _t, _l in seen)

    labels: list[str] = []

    def cancel_while_adding() -> bool:  # once the report's write has told its first chunk
        return bool(labels) and labels[-1] == "Adding the report to the bundle" and \
            len(labels) - labels.index("Adding the report to the bundle") > 1

    with pytest.raises(Cancelled):
        export_bundle(case, tmp_path / "cancelled.zip", is_cancelled=cancel_while_adding,
                      progress=lambda d, t, label: labels.append(label))
    no_partial_left(tmp_path, "cancelled.zip")


def test_the_bundle_is_flushed_to_the_disk_as_it_is_written(
        case: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a USB stick a gigabyte left in memory until one fsync at the end waits there for a
    minute under a full bar: the bundle goes to the disk every FLUSH_EVERY bytes instead,
    while the originals are copied (made small here, so a few megabytes show it)."""
    noisy = random.Random(8)
    for n in range(3):
        add_evidence_direct(case, noisy.randbytes(1_500_000), f"video-{n}.mp4",
                            kind="video", detected_type="video/mp4", thumbnail=False)
    monkeypatch.setattr(bundle_zip, "FLUSH_EVERY", 256 * 1024)
    real_sync = getattr(os, "fdatasync", os.fsync)
    labels: list[str] = []
    synced_during: list[str] = []

    def sync(fd: int) -> None:
        synced_during.append(labels[-1] if labels else "")
        real_sync(fd)

    monkeypatch.setattr(os, "fdatasync", sync, raising=False)
    monkeypatch.setattr(os, "fsync", sync)
    result = export_bundle(case, tmp_path / "bundle.zip",
                           progress=lambda d, t, label: labels.append(label))
    while_copying = [label for label in synced_during if label.startswith("Copying evidence")]
    # Originals are written a megabyte at a time: a flush after each write past the mark.
    assert len(while_copying) >= 4_500_000 // (1 << 20), synced_during
    assert len(set(while_copying)) == 3  # during each original's copy, not only at the end
    assert verify_bundle(result.path).ok


def test_a_changed_original_stops_the_export(case: CaseFile, tmp_path: Path) -> None:
    evidence_id = add_evidence_direct(case, png_bytes(seed=9), "chat.png")
    with case.write() as session:  # bypasses the app, as damage or tampering would
        session.execute(text("UPDATE evidence_chunk SET data = :d WHERE evidence_id = :i"),
                        {"d": png_bytes(seed=10), "i": evidence_id})
    with pytest.raises(SafekeepError, match="no longer matches"):
        export_bundle(case, tmp_path / "bundle.zip")
    no_partial_left(tmp_path, "bundle.zip")


def test_full_disk_is_a_calm_error_and_leaves_nothing(case: CaseFile, tiny_disk: Path) -> None:
    add_evidence_direct(case, os.urandom(2 * 1024 * 1024), "recording.bin", kind="other",
                        detected_type="application/octet-stream", thumbnail=False)
    with pytest.raises(StorageError, match="disk is full"):
        export_bundle(case, tiny_disk / "bundle.zip")
    no_partial_left(tiny_disk, "bundle.zip")
    assert audit_actions(case) == []
    # The case is untouched and can still make a bundle somewhere with room.
    export_bundle(case, tiny_disk.parent / "bundle.zip")


def _noisy_png(seed: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((1000, 1400), 60 + seed).convert("RGB").save(out, "PNG")
    return out.getvalue()


def test_a_disk_filled_by_the_report_gets_all_its_room_back(
        case: CaseFile, small_disk: Callable[[int], Path], tmp_path: Path) -> None:
    """The report is written to an unnamed file beside the bundle and then into the ZIP: here
    the disk fills while it is copied in. Its file must be closed at once, or the space it
    takes stays used (it has no name to delete) while the error is being handled."""
    picture = _noisy_png(0)
    add_evidence_direct(case, picture, "noise.png", width=1000, height=1400)
    # A report of about 850 kB (a noisy picture's page), measured in a bundle made elsewhere:
    # the disk holds the picture and the report once, but not the report twice.
    with zipfile.ZipFile(export_bundle(case, tmp_path / "measure.zip").path) as made:
        report = next(i.file_size for i in made.infolist() if i.filename.endswith(REPORT_NAME))
    disk = small_disk(len(picture) + report * 3 // 2)
    free = os.statvfs(disk).f_bfree
    with pytest.raises(StorageError, match="disk is full") as raised:
        export_bundle(case, disk / "bundle.zip")
    assert raised.value is not None  # the error (and everything it points to) is still held
    assert os.statvfs(disk).f_bfree == free
    no_partial_left(disk, "bundle.zip")


def test_works_with_the_importer_when_it_is_there(case: CaseFile, tmp_path: Path) -> None:
    try:
        from app.core.intake.ingest import import_paths
    except ImportError as exc:
        pytest.skip(f"the importer (app.core.intake.ingest) is not available yet: {exc}")
    shot = tmp_path / "Screenshot 1.png"
    shot.write_bytes(png_bytes(seed=4))
    import_paths(case, [shot])
    root = unzip(export_bundle(case, tmp_path / "b.zip").path, tmp_path / "out")
    [copied] = root.glob("evidence/TC-1_*_Screenshot 1.png")
    assert copied.read_bytes() == shot.read_bytes()
