"""The portal pack, read back as an officer gets it from an upload portal: at most N ZIP files
of at most the limit each (a tiny limit here), a real `unzip` of every part into one folder,
the pieces of a large original joined with the command the index gives, `sha256sum -c`; and
`safekeep verify` on the pack's folder or any of its files, naming what was changed."""

import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import Cancelled, InvalidInput
from app.export import export_bundle, verify_bundle
from app.export.bundle import ExportResult
from app.export.portal import PortalLimits, parse_size
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, CliResult
from tests.test_export_support import add_evidence_direct, build_demo_case

LIMITS = PortalLimits(max_files=16, max_size=300_000)
BIG = 700_000  # more than two parts: cut into pieces


def add_media(case: CaseFile) -> dict[str, bytes]:
    """Originals of many sizes, one too large for any part (random: they do not compress)."""
    data = {f"clip{i}.mp4": os.urandom(90_000 + i * 7_000) for i in range(6)}
    data["call recording.mp4"] = os.urandom(BIG)
    for name, content in data.items():
        add_evidence_direct(case, content, name, kind="video", detected_type="video/mp4",
                            thumbnail=False)
    return data


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportResult, dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("pack")
    with CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Alex", actor="t",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)
        data = add_media(case)
        return export_bundle(case, folder / "to-upload.zip", portal=LIMITS), data


def test_parts_keep_the_portals_limits(pack: tuple[ExportResult, dict[str, bytes]]) -> None:
    result, _ = pack
    assert result.path.is_dir() and result.path.name == "to-upload"
    parts = sorted(result.path.iterdir())
    assert parts == list(result.parts)
    assert 3 <= len(parts) <= LIMITS.max_files
    assert [p.name for p in parts] == [f"{result.folder}-part-{n:02d}-of-{len(parts):02d}.zip"
                                       for n in range(1, len(parts) + 1)]
    assert result.bytes_written == sum(p.stat().st_size for p in parts)
    for part in parts:
        assert part.stat().st_size <= LIMITS.max_size
        with zipfile.ZipFile(part) as zf:
            assert zf.testzip() is None
            assert all(n.startswith(result.folder + "/") for n in zf.namelist())
    with zipfile.ZipFile(parts[0]) as zf:  # what an officer opens first
        assert zf.namelist()[:2] == [f"{result.folder}/report.pdf", f"{result.folder}/README.txt"]


def test_unzip_join_and_sha256sum(pack: tuple[ExportResult, dict[str, bytes]],
                                  tmp_path: Path) -> None:
    result, data = pack
    for tool in ("unzip", "sha256sum", "sh"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed here")
    for part in result.parts:  # as the index says: every part into one folder
        proc = subprocess.run(["unzip", "-q", str(part)], cwd=tmp_path, capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stderr
    [folder] = list(tmp_path.iterdir())
    assert folder.name == result.folder
    index = (folder / "PORTAL-PACK.txt").read_text("utf-8")
    [join] = [line.strip() for line in index.splitlines() if line.strip().startswith("cat ")]
    subprocess.run(["sh", "-c", join], cwd=folder, check=True)
    [joined] = list((folder / "evidence").glob("*_call recording.mp4"))
    assert joined.read_bytes() == data["call recording.mp4"]
    proc = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=folder,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name, content in data.items():
        [copy] = list((folder / "evidence").glob(f"*_{name}"))
        assert copy.read_bytes() == content


def test_the_index_says_which_original_is_in_which_part(
        pack: tuple[ExportResult, dict[str, bytes]]) -> None:
    result, _ = pack
    with zipfile.ZipFile(result.parts[0]) as zf:
        index = json.loads(zf.read(f"{result.folder}/portal-pack.json"))
        text = zf.read(f"{result.folder}/PORTAL-PACK.txt").decode("utf-8")
        manifest = json.loads(zf.read(f"{result.folder}/manifest.json"))
    assert index["parts"] == [p.name for p in result.parts]
    exhibits = {e["file"]: e["exhibit"] for e in manifest["evidence"] if e["file"]}
    listed: dict[str, str] = {}
    for entry, part in zip(index["contents"], result.parts, strict=True):
        assert entry["part"] == part.name
        with zipfile.ZipFile(part) as zf:
            inside = {n.split("/", 1)[1] for n in zf.namelist()}
        for item in entry["files"]:
            assert item["path"] in inside  # really there
            original = item.get("piece_of", item["path"])
            if original in exhibits:
                assert item["exhibit"] == exhibits[original]
                listed[item["path"]] = part.name
        assert part.name in text
    # Every original is in the index: whole, or as pieces that make it.
    whole = {p for p in listed if p in exhibits}
    [split] = index["split_files"]
    assert whole | {split["path"]} == set(exhibits)
    assert split["size"] == BIG and len(split["pieces"]) >= 3
    assert sum(p["size"] for p in split["pieces"]) == BIG
    assert "piece 1 of" in text and exhibits[split["path"]] in text


def test_verify_the_folder_or_any_part(pack: tuple[ExportResult, dict[str, bytes]]) -> None:
    result, _ = pack
    for given in (result.path, result.parts[0], result.parts[-1]):
        report = verify_bundle(given)
        assert report.ok, report.problems
        assert report.parts == len(result.parts)
        assert report.manifest_sha256 == result.manifest_sha256
        assert report.checked == result.files - 1


def copy_pack(result: ExportResult, into: Path) -> Path:
    shutil.copytree(result.path, into)
    return into


def rezip(part: Path, edit: Callable[[str, bytes], bytes | None],
          add: tuple[str, bytes] | None = None) -> None:
    """Rewrite one part (valid CRCs): `edit(name, data)` returns new data, or None to drop."""
    temp = part.with_suffix(".tmp")
    with zipfile.ZipFile(part) as old, zipfile.ZipFile(temp, "w") as new:
        for info in old.infolist():
            data = edit(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
        if add:
            new.writestr(*add)
    temp.replace(part)


def part_holding(folder: Path, suffix: str) -> tuple[Path, str]:
    for part in sorted(folder.iterdir()):
        with zipfile.ZipFile(part) as zf:
            for name in zf.namelist():
                if name.endswith(suffix):
                    return part, name
    raise AssertionError(suffix)


def test_a_changed_piece_is_named(pack: tuple[ExportResult, dict[str, bytes]],
                                  tmp_path: Path) -> None:
    folder = copy_pack(pack[0], tmp_path / "p")
    part, name = part_holding(folder, "call recording.mp4.002")
    rezip(part, lambda n, d: d[:-1] + bytes([d[-1] ^ 1]) if n == name else d)
    report = verify_bundle(folder)
    assert not report.ok
    assert any(".002" in p and "piece" in p and part.name in p for p in report.problems)
    assert any("call recording.mp4" in p and "SHA256SUMS" in p for p in report.problems)


def test_a_missing_part_and_an_added_file_are_named(
        pack: tuple[ExportResult, dict[str, bytes]], tmp_path: Path) -> None:
    result = pack[0]
    folder = copy_pack(result, tmp_path / "p")
    (folder / result.parts[1].name).unlink()
    report = verify_bundle(folder / result.parts[0].name)
    assert not report.ok
    assert any(result.parts[1].name in p and "missing" in p for p in report.problems)
    folder = copy_pack(result, tmp_path / "q")
    rezip(folder / result.parts[-1].name, lambda n, d: d,
          add=(f"{result.folder}/evidence/AL-99_00000000_planted.png", b"x"))
    problems = verify_bundle(folder).problems
    assert any("planted.png" in p and "added" in p for p in problems), problems
    folder = copy_pack(result, tmp_path / "r")
    rezip(folder / result.parts[-1].name, lambda n, d: d, add=("../escape.txt", b"x"))
    assert any("escape.txt" in p and "outside" in p for p in verify_bundle(folder).problems)


def test_a_file_in_two_parts_is_named(pack: tuple[ExportResult, dict[str, bytes]],
                                      tmp_path: Path) -> None:
    result = pack[0]
    folder = copy_pack(result, tmp_path / "p")
    with zipfile.ZipFile(result.parts[0]) as zf:
        report = zf.read(f"{result.folder}/report.pdf")
    rezip(folder / result.parts[-1].name, lambda n, d: d,
          add=(f"{result.folder}/report.pdf", report))
    problems = verify_bundle(folder).problems
    assert any("report.pdf" in p and "in both" in p for p in problems), problems


def test_too_large_for_the_portal_writes_nothing(case: CaseFile, tmp_path: Path) -> None:
    add_media(case)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput, match="does not fit in 2 files"):
        export_bundle(case, out / "pack", portal=PortalLimits(2, 300_000))
    assert list(out.iterdir()) == []


def test_many_small_originals_fill_few_parts(case: CaseFile, tmp_path: Path) -> None:
    """Whole files would need more parts than allowed: parts are filled to the brim, cutting
    files where a part ends, and the pack still verifies."""
    for i in range(12):
        add_evidence_direct(case, os.urandom(70_000), f"photo{i}.jpg", kind="image",
                            detected_type="image/jpeg", thumbnail=False)
    result = export_bundle(case, tmp_path / "pack", portal=PortalLimits(4, 300_000))
    assert len(result.parts) <= 4
    assert all(p.stat().st_size <= 300_000 for p in result.parts)
    report = verify_bundle(result.path)
    assert report.ok, report.problems


def test_encrypted_pack(case: CaseFile, tmp_path: Path) -> None:
    add_media(case)
    result = export_bundle(case, tmp_path / "pack", portal=LIMITS, bundle_passphrase="blue 7")
    assert verify_bundle(result.path, "blue 7").ok
    with pytest.raises(InvalidInput):
        verify_bundle(result.path)
    for part in result.parts:
        with zipfile.ZipFile(part) as zf:
            assert all(i.flag_bits & 0x1 for i in zf.infolist())


def test_cancel_and_existing_folder_leave_nothing(case: CaseFile, tmp_path: Path) -> None:
    add_media(case)
    out = tmp_path / "out"
    out.mkdir()
    checks = 0

    def count() -> bool:
        nonlocal checks
        checks += 1
        return False

    export_bundle(case, out / "complete", portal=LIMITS, is_cancelled=count)
    shutil.rmtree(out / "complete")
    for after in sorted({0, checks // 3, checks * 2 // 3, checks - 1}):
        calls = iter(range(checks + 1))

        def stop(after: int = after) -> bool:
            return next(calls) >= after

        with pytest.raises(Cancelled):
            export_bundle(case, out / "pack", portal=LIMITS, is_cancelled=stop)
        assert list(out.iterdir()) == [], after  # no pack, no half-written parts
    (out / "pack").mkdir()
    with pytest.raises(InvalidInput):
        export_bundle(case, out / "pack.zip", portal=LIMITS)
    assert list(out.iterdir()) == [out / "pack"]


@pytest.mark.parametrize(("text", "size"), [("2G", 2_000_000_000), ("500M", 500_000_000),
                                            ("700MiB", 700 << 20), ("1.5 GB", 1_500_000_000),
                                            ("300000", 300_000)])
def test_sizes_are_read_as_written(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_limits_are_checked() -> None:
    assert PortalLimits().max_files == 16 and PortalLimits().max_size == 2_000_000_000
    for bad in ((0, 2_000_000_000), (100, 2_000_000_000), (16, 1000)):
        with pytest.raises(InvalidInput):
            PortalLimits(*bad)
    with pytest.raises(InvalidInput):
        parse_size("lots")


def test_cli_portal_pack(make_case: Callable[..., CaseFile], tmp_path: Path,
                         cli: Callable[..., CliResult]) -> None:
    case = make_case(display_name="Alex")
    build_demo_case(case)
    add_media(case)
    case.close()
    out = tmp_path / "out"
    out.mkdir()
    result = cli("export", str(case.path), str(out / "upload"), "--portal-pack",
                 "--portal-max-size", "300000")
    assert result.code == 0, result
    parts = sorted((out / "upload").iterdir())
    assert parts and f"Portal pack: {len(parts)} ZIP files" in result.out
    assert all(p.name in result.out for p in parts)
    verified = cli("verify", str(out / "upload"))
    assert verified.code == 0, verified
    assert f"Portal pack of {len(parts)} ZIP files" in verified.out
    assert cli("verify", str(parts[0])).code == 0
    too_many = cli("export", str(case.path), str(out / "small"), "--portal-pack",
                   "--portal-max-size", "300K", "--portal-max-files", "2")
    assert too_many.code == 2 and "does not fit" in too_many.err


def test_cli_default_name_is_the_folder(make_case: Callable[..., CaseFile], tmp_path: Path,
                                        cli: Callable[..., CliResult]) -> None:
    case = make_case(display_name="Alex Smith")
    build_demo_case(case)
    case.close()
    work = tmp_path / "work"
    work.mkdir()
    assert cli("export", str(case.path), cwd=work).code == 0
    [made] = list(work.iterdir())
    with zipfile.ZipFile(made) as zf:
        [folder] = {n.split("/", 1)[0] for n in zf.namelist()}
    assert made.name == folder + ".zip"
    assert folder.startswith("Safekeep-Alex-Smith-LC-20240302-0147-")
    assert cli("export", str(case.path), "--portal-pack", cwd=work).code == 0
    assert (work / folder).is_dir() and verify_bundle(work / folder).ok


def test_cli_out_may_be_a_folder(make_case: Callable[..., CaseFile], tmp_path: Path,
                                 cli: Callable[..., CliResult]) -> None:
    """`safekeep export CASE /media/usb` (or `.`) said "A folder with that name already exists";
    the bundle now goes into that folder under its own name, as with no OUT at all."""
    case = make_case(display_name="Alex Smith")
    build_demo_case(case)
    case.close()
    stick = tmp_path / "usb"
    stick.mkdir()
    result = cli("export", str(case.path), str(stick))
    assert result.code == 0, result
    [made] = list(stick.iterdir())
    assert made.name.startswith("Safekeep-Alex-Smith-") and made.suffix == ".zip"
    assert cli("verify", str(made)).code == 0
    assert cli("export", str(case.path), ".", "--portal-pack", cwd=stick).code == 0
    [pack] = [p for p in stick.iterdir() if p.is_dir()]
    assert pack.name == made.stem and verify_bundle(pack).ok
    again = cli("export", str(case.path), str(stick))
    assert again.code == 2 and "already exists" in again.err
