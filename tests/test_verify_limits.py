"""`verify` stays within bounds on ZIPs built to exhaust it (issue 20, item 3).

Officers run it on files they did not make. Each hostile ZIP is built here; verify runs in a
child whose address space is capped (RLIMIT_AS), so running out of memory shows as a
MemoryError ("Something unexpected", exit 5) instead of a slow machine, and its output is
measured. A genuine bundle verifies within the same cap.
"""

import json
import zipfile
from pathlib import Path

import pytest

from app.export import verify_bundle
from tests.verify_support import Extra, Forgery, folder_of, forge, make_bundle, run_verify_capped

CAP = 256 << 20  # the child's address space: a genuine small bundle needs about 80 MB
MOST_OUTPUT = 64 << 10  # bytes on stderr, however many problems


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bundle(tmp_path_factory.mktemp("limits"))


def _zeros_member(zf: zipfile.ZipFile, name: str, size: int, method: int, level: int | None
                  ) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.external_attr = 0o644 << 16
    if level is not None:
        info._compresslevel = level  # type: ignore[attr-defined]
    chunk = bytes(16 << 20)  # bzip2 packs zeros far tighter fed in large pieces
    with zf.open(info, "w", force_zip64=True) as stream:
        for _ in range(size >> 24):
            stream.write(chunk)


def bomb(bundle: Path, dst: Path, method: int, size: int, level: int | None = None) -> Path:
    """The genuine bundle with csv/audit.csv replaced by `size` bytes of zeros compressed
    with `method`: a few hundred bytes in the ZIP."""
    root = folder_of(bundle) + "/"
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            if info.filename == root + "csv/audit.csv":
                _zeros_member(new, info.filename, size, method, level)
            else:
                new.writestr(info, old.read(info))
    return dst


def test_a_genuine_bundle_verifies_within_the_cap(bundle: Path) -> None:
    run = run_verify_capped(str(bundle), memory=CAP)
    assert run.code == 0, run


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_methods_safekeep_never_uses_are_refused_unread(bundle: Path, tmp_path: Path,
                                                        method: int) -> None:
    """bzip2 and LZMA hand back everything they decode at once (a 3 KB ZIP made verify use
    8.4 GB). Safekeep writes stored and deflated entries only: anything else is named, not
    decoded, even with SHA256SUMS rewritten to match."""
    forged = forge(bundle, tmp_path / "f.zip", Forgery(methods={"csv/audit.csv": method}))
    report = verify_bundle(forged)
    assert not report.ok
    assert any("csv/audit.csv" in p and "compressed" in p for p in report.problems), report


def test_a_bzip2_bomb_is_not_decoded(bundle: Path, tmp_path: Path) -> None:
    bombed = bomb(bundle, tmp_path / "bomb.zip", zipfile.ZIP_BZIP2, 320 << 20)
    with zipfile.ZipFile(bombed) as zf:  # 320 MB in a few hundred bytes
        assert max(i.file_size // max(1, i.compress_size) for i in zf.infolist()) > 100_000
    run = run_verify_capped(str(bombed), memory=CAP)
    assert run.code == 1, run  # a problem found: not a MemoryError (5)
    assert "csv/audit.csv" in run.err and "compressed" in run.err, run


def test_a_deflate_bomb_is_refused_by_its_ratio(bundle: Path, tmp_path: Path) -> None:
    """Deflate decodes a piece at a time, so memory holds; but 256 MB from 250 KB is far
    beyond what the exporter's level-1 deflate ever makes (at most about 230:1, for zeros)."""
    bombed = bomb(bundle, tmp_path / "bomb.zip", zipfile.ZIP_DEFLATED, 256 << 20, level=9)
    run = run_verify_capped(str(bombed), memory=CAP)
    assert run.code == 1, run
    assert "csv/audit.csv" in run.err and "compressed" in run.err, run


def test_a_manifest_listing_a_million_files_stays_bounded(bundle: Path, tmp_path: Path) -> None:
    """A stored manifest.json of 50 MB naming a million files, none of them there: read a
    line at a time, never whole, and its problems counted, not all kept or printed."""
    lines = [json.dumps({"path": f"evidence/AL-{n}_00000000_x.png", "sha256": "0" * 64,
                         "size": 1}) for n in range(1_000_000)]
    manifest = ('{\n  "schema": "safekeep-bundle-manifest",\n  "schema_version": 3,\n'
                '  "evidence": [],\n  "files": [\n    ' + ",\n    ".join(lines) +
                "\n  ]\n}\n").encode()
    forged = forge(bundle, tmp_path / "f.zip",
                   Forgery(replace={"manifest.json": manifest},
                           methods={"manifest.json": zipfile.ZIP_STORED}))
    run = run_verify_capped(str(forged), memory=CAP)
    assert run.code == 1, run
    assert len(run.err) < MOST_OUTPUT, run
    assert "manifest.json" in run.err, run


def test_many_problems_print_the_first_and_a_count(bundle: Path, tmp_path: Path) -> None:
    """20,000 added files, each a problem: the first are printed, then how many more."""
    root = folder_of(bundle)
    extras = [Extra(f"{root}/evidence/AL-{n}_00000000_added.png", b"", listed=False,
                    compress_type=zipfile.ZIP_STORED) for n in range(100, 20_100)]
    forged = forge(bundle, tmp_path / "f.zip", Forgery(extras=extras))
    run = run_verify_capped(str(forged), memory=CAP)
    assert run.code == 1, run
    assert len(run.err) < MOST_OUTPUT, run
    assert "AL-100_00000000_added.png" in run.err  # the first ones are named
    assert "more problems" in run.out + run.err, run
    report = verify_bundle(forged)
    assert report.problem_count >= 20_000 and len(report.problems) <= 100


STORED = {"manifest.json": zipfile.ZIP_STORED}  # (deflate at level 6 packs "nnn..." 740:1)


def big_manifest(bundle: Path) -> bytes:
    """The genuine manifest grown past 8 MB by two long values (notes, caseworker), each on
    its own line: read a line at a time, as the exporter lays it out."""
    from tests.verify_support import read_member

    manifest = read_member(bundle, "manifest.json")
    grown = manifest.replace(b'"notes": "', b'"notes": "' + b"n" * (5 << 20), 1).replace(
        b'"caseworker": "', b'"caseworker": "' + b"c" * (5 << 20), 1)
    assert len(grown) > 10 << 20
    return grown


def test_a_large_manifest_is_read_a_line_at_a_time(bundle: Path, tmp_path: Path) -> None:
    forged = forge(bundle, tmp_path / "f.zip",
                   Forgery(replace={"manifest.json": big_manifest(bundle)}, methods=STORED))
    report = verify_bundle(forged)
    assert report.ok, report.problems
    run = run_verify_capped(str(forged), memory=CAP)
    assert run.code == 0, run


@pytest.mark.parametrize("damage", ["comma", "indent", "nesting", "long line", "unclosed"])
def test_a_large_manifest_out_of_layout_is_a_problem(bundle: Path, tmp_path: Path,
                                                     damage: str) -> None:
    grown = big_manifest(bundle)
    damaged = {
        "comma": grown.replace(b'"safekeep-bundle-manifest",\n', b'"safekeep-bundle-manifest"\n'),
        "indent": grown.replace(b'\n  "schema_version"', b'\n   "schema_version"'),
        "nesting": grown.replace(b'"counts": {', b'"counts": ' + b"[" * 50_000 + b"]" * 50_000
                                 + b', "x": {', 1),
        "long line": grown.replace(b'"notes": "', b'"notes": "' + b"n" * (9 << 20), 1),
        "unclosed": grown.rstrip(b"}\n"),
    }[damage]
    assert damaged != grown
    report = verify_bundle(forge(bundle, tmp_path / "f.zip",
                                 Forgery(replace={"manifest.json": damaged}, methods=STORED)))
    assert any("manifest.json is damaged" in p for p in report.problems), report
